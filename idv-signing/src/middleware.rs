//! The `reqwest` layer (the `reqwest` feature): signing a `reqwest::Request`, and every request
//! a `reqwest_middleware` client sends.

use std::sync::Arc;

use http::Extensions;
use http::header::{ACCEPT, HeaderName, HeaderValue};
use reqwest::{Request, Response};
use reqwest_middleware::{Middleware, Next};

use crate::{
    AUTH_DIGEST_HEADER, SDK, SDK_HEADER, SDK_VERSION, SDK_VERSION_HEADER, SignError, Signer,
};

impl Signer {
    /// Signs `request` in place: sets its URL to the signed one and adds the headers
    /// `X-Yoti-Auth-Digest`, `X-Yoti-SDK: Rust`, `X-Yoti-SDK-Version: Rust-<version>`, and
    /// `Accept: application/json` unless it already has an `Accept` header.
    ///
    /// Needs the `reqwest` feature (on by default).
    ///
    /// # Errors
    ///
    /// As [`Signer::sign_parts`], and [`SignError::StreamingBody`] when the body is a
    /// stream. On error the request is left unchanged.
    pub fn sign_request(&self, request: &mut Request) -> Result<(), SignError> {
        let body = match request.body() {
            None => None,
            Some(body) => Some(body.as_bytes().ok_or(SignError::StreamingBody)?),
        };
        let parts = self.sign_parts(request.method().as_str(), request.url(), body)?;
        let digest =
            HeaderValue::try_from(parts.digest).map_err(|_| SignError::InvalidHeaderValue {
                header: AUTH_DIGEST_HEADER,
            })?;
        *request.url_mut() = parts.url;
        let headers = request.headers_mut();
        headers.insert(HeaderName::from_static(AUTH_DIGEST_HEADER), digest);
        headers.insert(
            HeaderName::from_static(SDK_HEADER),
            HeaderValue::from_static(SDK),
        );
        headers.insert(
            HeaderName::from_static(SDK_VERSION_HEADER),
            HeaderValue::from_static(SDK_VERSION),
        );
        headers
            .entry(ACCEPT)
            .or_insert(HeaderValue::from_static("application/json"));
        Ok(())
    }
}

/// A [`reqwest_middleware::Middleware`] that signs each request on its way out, with a fresh
/// nonce and timestamp each time. Needs the `reqwest` feature (on by default).
///
/// Add it last, so that it is the innermost middleware: then every attempt that a retry
/// middleware in front of it makes is signed afresh (the API rejects a nonce it has seen).
///
/// ```
/// use idv_signing::{Signer, SigningKey, SigningMiddleware};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let key = SigningKey::from_pem(include_str!("../tests/data/test-rsa2048-pkcs1.pem"))?;
/// let signer = Signer::new("my-sdk-id", key, "https://api.yoti.com/idverify/v1")?;
/// let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
///     // .with(retry or tracing middleware)
///     .with(SigningMiddleware::new(signer))
///     .build();
/// # Ok(())
/// # }
/// ```
///
/// A request that cannot be signed is not sent: the client returns
/// `reqwest_middleware::Error::Middleware` holding a [`SignError`](crate::SignError), which
/// `downcast_ref::<idv_signing::SignError>()` recovers.
#[derive(Clone, Debug)]
pub struct SigningMiddleware {
    signer: Arc<Signer>,
}

impl SigningMiddleware {
    /// Signs with `signer` (a [`Signer`] or an `Arc<Signer>`).
    pub fn new(signer: impl Into<Arc<Signer>>) -> Self {
        SigningMiddleware {
            signer: signer.into(),
        }
    }

    /// The signer.
    pub fn signer(&self) -> &Signer {
        &self.signer
    }
}

#[async_trait::async_trait]
impl Middleware for SigningMiddleware {
    async fn handle(
        &self,
        mut request: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        self.signer
            .sign_request(&mut request)
            .map_err(reqwest_middleware::Error::middleware)?;
        next.run(request, extensions).await
    }
}
