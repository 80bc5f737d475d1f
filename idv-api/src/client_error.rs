//! [`ClientError`]: why a [`Client`](crate::Client) could not be made.

use idv_signing::{KeyError, SignerError};

use crate::{AUTH_URL, BearerTokenError, KEY_FILE_ENV, SDK_ID_ENV};

/// Why a [`Client`](crate::Client) could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// An environment variable is missing or empty.
    #[error(
        "the environment variable {name} is not set: set {SDK_ID_ENV} to the SDK id and \
         {KEY_FILE_ENV} to the path of the PEM key, both from the Yoti Hub"
    )]
    MissingEnv {
        /// The variable's name.
        name: &'static str,
    },
    /// The private key could not be read.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The SDK id or base URL is not usable.
    #[error(transparent)]
    Signer(#[from] SignerError),
    /// The bearer token is not usable.
    #[error(transparent)]
    BearerToken(#[from] BearerTokenError),
    /// The scopes given to a [`TokenSource`](crate::TokenSource) are not usable.
    #[error(
        "the token scopes are not usable: {reason} (use the scopes Yoti gave your application)"
    )]
    Scopes {
        /// What is wrong with them.
        reason: String,
    },
    /// The token endpoint's URL given to a [`TokenSource`](crate::TokenSource) is not usable.
    #[error("invalid auth URL `{url}`: {reason} (expected e.g. `{AUTH_URL}`)")]
    AuthUrl {
        /// The URL that was given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The base URL given with a bearer token is not usable.
    #[error(
        "invalid base URL `{url}`: {reason} (expected e.g. `https://api.yoti.com/idverify/v1`)"
    )]
    BaseUrl {
        /// The base URL that was given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The HTTP client could not be built (for example, no TLS backend could start).
    #[error("cannot build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}
