//! The middleware side of a [`Client`](crate::Client): the error a middleware's refusal
//! becomes, and the signer as a middleware.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

use idv_signing::{SignError, Signer};
use reqwest_middleware::Middleware;

use crate::{TokenError, error};

/// A middleware (the signer, or one of your own) stopped a request: it was not sent.
///
/// It reaches the caller as [`Error::NotSent`](crate::Error::NotSent). Its
/// [`source`](StdError::source) is the middleware's own error.
pub struct MiddlewareError {
    pub(crate) operation: &'static str,
    pub(crate) error: anyhow::Error,
    pub(crate) signing: Option<Arc<SignError>>,
}

impl MiddlewareError {
    /// The operation whose request was stopped, e.g. `get_session`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The middleware's error.
    pub fn get_ref(&self) -> &anyhow::Error {
        &self.error
    }

    /// The token source's error, when no token could be obtained for the request.
    pub fn token_error(&self) -> Option<&TokenError> {
        error::find(Some(self.error.as_ref()))
    }

    /// The signing error, when the signer stopped the request.
    ///
    /// It is found however the middleware in front of the signer (a retry middleware, say)
    /// wrap the signer's error.
    pub fn signing_error(&self) -> Option<&SignError> {
        self.signing
            .as_deref()
            .or_else(|| error::find(Some(self.error.as_ref())))
    }
}

impl fmt::Display for MiddlewareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} request was not sent: {:#}",
            self.operation, self.error
        )
    }
}

impl fmt::Debug for MiddlewareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MiddlewareError")
            .field("operation", &self.operation)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl StdError for MiddlewareError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(self.error.as_ref())
    }
}

/// The signer, as idv-api runs it: last in the stack, and a refusal is also recorded in the
/// request's extensions, because a middleware in front may wrap the error in a type whose
/// `source` skips it (reqwest-retry's `#[error(transparent)]` does).
pub(crate) struct Sign(pub(crate) Signer);

/// The signer's refusal of the request, in its extensions.
#[derive(Clone)]
pub(crate) struct Refused(pub(crate) Arc<SignError>);

/// The signer's refusal, as the middleware chain carries it.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
struct SignRefusal(Arc<SignError>);

#[async_trait::async_trait]
impl Middleware for Sign {
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: reqwest_middleware::Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        match self.0.sign_request(&mut request) {
            Ok(()) => next.run(request, extensions).await,
            Err(e) => {
                let e = Arc::new(e);
                extensions.insert(Refused(e.clone()));
                Err(reqwest_middleware::Error::middleware(SignRefusal(e)))
            }
        }
    }
}
