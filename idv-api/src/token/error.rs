//! [`TokenError`]: why no token could be obtained.

use std::sync::Arc;

use idv_signing::SignError;
use reqwest::StatusCode;

use super::AUTH_URL_ENV;

/// Why no token could be obtained. The request that needed it was not sent.
///
/// Every message names the token endpoint's URL and, when the auth service refused, its
/// OAuth error code. None holds the key, the client assertion or a token.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The auth service refused with an OAuth error (RFC 6749 §5.2).
    #[error(
        "the Yoti auth service at `{url}` refused the token request ({status}): {error}{}{}",
        description.as_ref().map(|d| format!(": {d}")).unwrap_or_default(),
        hint(error)
    )]
    Refused {
        /// The token endpoint's URL.
        url: String,
        /// The status it answered with.
        status: StatusCode,
        /// The OAuth error code: `invalid_client`, `invalid_grant`, `invalid_scope`, ...
        error: String,
        /// The service's `error_description`, if it gave one (at most 300 characters).
        description: Option<String>,
    },
    /// The auth service answered with an error status but no OAuth error.
    #[error(
        "the Yoti auth service at `{url}` answered {status} without an OAuth error: check the \
         URL ({AUTH_URL_ENV})"
    )]
    Status {
        /// The token endpoint's URL.
        url: String,
        /// The status it answered with.
        status: StatusCode,
    },
    /// The auth service answered with success, but not with a usable token.
    #[error("the Yoti auth service at `{url}` answered {status} without a usable token: {reason}")]
    InvalidResponse {
        /// The token endpoint's URL.
        url: String,
        /// The status it answered with.
        status: StatusCode,
        /// What is wrong with the answer.
        reason: String,
    },
    /// The auth service could not be reached, or did not answer in time.
    #[error("cannot get a token from the Yoti auth service at `{url}`")]
    Transport {
        /// The token endpoint's URL.
        url: String,
        /// The HTTP client's error.
        #[source]
        source: Arc<reqwest::Error>,
    },
    /// The client assertion could not be signed.
    #[error("cannot sign the client assertion for a token: {0}")]
    Signing(#[source] Arc<SignError>),
}

/// What to check for an OAuth error code.
fn hint(error: &str) -> &'static str {
    match error {
        "invalid_client" => {
            " (check the SDK id, and that the key is the application's PEM key from the Yoti Hub)"
        }
        "invalid_grant" => {
            " (check that this machine's clock is right, and that the auth URL is the token \
             endpoint's own)"
        }
        "invalid_scope" => " (check the scopes: use those Yoti gave your application)",
        _ => "",
    }
}

impl TokenError {
    /// The OAuth error code, when the auth service refused with one.
    pub fn oauth_error(&self) -> Option<&str> {
        match self {
            TokenError::Refused { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The status the auth service answered with, when it answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            TokenError::Refused { status, .. }
            | TokenError::Status { status, .. }
            | TokenError::InvalidResponse { status, .. } => Some(*status),
            TokenError::Transport { .. } | TokenError::Signing(_) => None,
        }
    }
}
