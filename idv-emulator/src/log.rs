//! The emulator's request log, through `tracing`: one INFO event per request to an
//! operation, with its method, path template, status and, for an error, the `ApiError` code.
//!
//! Never the concrete path (it holds ids), the query (`sdkId`, `nonce`, `timestamp`), a
//! header (the signature, a bearer token), a body (personal data) or the peer's address.
//! The standalone binary prints these with `RUST_LOG` (default `info`); see the crate's README.

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

/// The `code` of an error response's `ApiError` body, for the log.
#[derive(Clone)]
pub(crate) struct ErrorCode(pub(crate) String);

/// Logs the request once its response is ready. A route layer, so the path template is known.
pub(crate) async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let route = request.extensions().get::<MatchedPath>().cloned();
    let response = next.run(request).await;
    let code = response.extensions().get::<ErrorCode>();
    tracing::info!(
        method = method.as_str(),
        route = route.as_ref().map_or("", MatchedPath::as_str),
        status = response.status().as_u16(),
        code = code.map(|c| c.0.as_str()),
        "request"
    );
    response
}
