//! Typed, signed client for the Yoti Identity Verification (IDV) API, generated from its
//! OpenAPI description.
//!
//! Every operation is a method on [`Client`] that returns a builder: set its parameters, then
//! `send()`. Request and response types are in [`types`]; every request is signed by
//! [`idv_signing`], byte-identical to the official SDKs, or carries a bearer token: one Yoti
//! issued ([`Client::with_bearer_token`]), or those a [`TokenSource`] obtains and refreshes
//! ([`Client::with_token_source`]).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = idv_api::Client::sandbox("my-sdk-id", "keys/my-sandbox-app.pem")?;
//! let session = client.get_session().session_id("session-id").send().await?;
//! println!("{:?}", session.state);
//! # Ok(())
//! # }
//! ```
//!
//! Errors are one [`Error`] type owned by this crate: each prints one bounded line that says
//! what happened (sent or not, the status, what came back) and never response content, which
//! can carry personal data. Path parameters that would address another resource are refused
//! before sending; redirects are not followed; JSON responses are capped
//! ([`DEFAULT_JSON_LIMIT`]); [`ClientBuilder::deadline`] bounds every call but streamed
//! content (media, the instructions PDF).
//!
//! The [README](https://docs.rs/crate/idv-api/latest) has the full guide: creating sessions,
//! media, the sandbox, retries and timeouts.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod face_capture;
pub mod notifications;
pub mod sandbox;

// Everything in `generated` comes from spec/idv.yaml by `cargo xtask generate`.
// progenitor's builders carry no docs of their own, and its code predates some lints.
#[allow(missing_docs, clippy::all, clippy::pedantic, unused_qualifications)]
#[rustfmt::skip]
mod generated;

mod bearer;
mod client;
mod client_builder;
mod client_error;
mod error;
mod media;
mod middleware;
mod response;
mod results;
mod token;
mod trace;
mod transport;

/// The README's examples, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// What users cannot reach: the only way to a [`Client`] is through its signed constructors.
///
/// progenitor's `new_with_client` takes the middleware stack, which only the builder makes:
///
/// ```compile_fail
/// let _ = idv_api::Client::new_with_client;
/// ```
///
/// The stack's type is not public:
///
/// ```compile_fail
/// fn stack(_: idv_api::Transport) {}
/// ```
///
/// Nor can they build an operation's builder apart from its [`Client`] method:
///
/// ```compile_fail
/// fn build(client: &idv_api::Client) {
///     let _ = idv_api::builder::GetSession::new(client);
/// }
/// ```
///
/// No progenitor trait is implemented for [`Client`] (progenitor's `ClientInfo::client()`
/// would hand out the unsigned `reqwest::Client` requests are built with).
#[cfg(doctest)]
struct UnreachableDoctests;

pub use bearer::{BearerToken, BearerTokenError};
pub use client::{API_URL_ENV, KEY_FILE_ENV, PRODUCTION_URL, SANDBOX_URL, SDK_ID_ENV};
pub use client_builder::{
    ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_JSON_LIMIT, DEFAULT_READ_TIMEOUT,
};
pub use client_error::ClientError;
pub use error::{Error, InvalidResponse, PathParameterError};
pub use generated::*;
pub use idv_signing;
pub use media::{MediaContentExt, MediaDownload};
pub use middleware::MiddlewareError;
pub use response::{ByteStream, ResponseValue};
pub use token::{AUTH_URL, AUTH_URL_ENV, TokenError, TokenSource};

// What generated code calls.
use error::path_segment;
use transport::{OperationInfo, Transport};
