//! Signing every request a `reqwest_middleware` client sends.

use std::sync::Arc;

use http::Extensions;
use reqwest::{Request, Response};
use reqwest_middleware::{Middleware, Next};

use crate::Signer;

/// A [`reqwest_middleware::Middleware`] that signs each request on its way out, with a fresh
/// nonce and timestamp each time.
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
