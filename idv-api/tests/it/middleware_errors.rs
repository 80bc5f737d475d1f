//! A middleware failure, the signer's included, reaches the caller as a typed error: never a
//! panic, never lost, and the request is not sent.

use http::Extensions;
use idv_api::Client;
use idv_api::idv_signing::SignError;
use reqwest::{Request, Response};
use reqwest_middleware::{Middleware, Next};

/// Nothing listens on port 1: were a request sent, the error would be a connection error.
const NOWHERE: &str = "http://127.0.0.1:1/idverify/v1";

#[derive(Debug, thiserror::Error)]
#[error("rate limiter is closed")]
struct Closed;

/// A caller's own middleware that refuses every request.
struct Refuse;

#[async_trait::async_trait]
impl Middleware for Refuse {
    async fn handle(
        &self,
        _: Request,
        _: &mut Extensions,
        _: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        Err(reqwest_middleware::Error::middleware(Closed))
    }
}

/// A caller's own middleware that sends the request somewhere the signer does not sign for.
struct Redirect;

#[async_trait::async_trait]
impl Middleware for Redirect {
    async fn handle(
        &self,
        mut req: Request,
        ext: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        *req.url_mut() = "https://elsewhere.example/idverify/v1/sessions/s1"
            .parse()
            .unwrap();
        next.run(req, ext).await
    }
}

fn client_with(middleware: impl Middleware) -> Client {
    crate::common::builder("sdk-id", NOWHERE)
        .with(middleware)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_callers_middleware_error_is_kept_and_typed() {
    let err = client_with(Refuse)
        .get_session()
        .session_id("s1")
        .send()
        .await
        .unwrap_err();
    let found = err
        .middleware_error()
        .expect("the middleware's error reaches the caller");
    assert!(found.get_ref().downcast_ref::<Closed>().is_some());
    assert_eq!(found.operation(), "get_session");
    assert!(err.signing_error().is_none());
    assert_eq!(
        found.to_string(),
        "the get_session request was not sent: rate limiter is closed"
    );
    assert!(matches!(err, idv_api::Error::NotSent(_)));
    // The source chain is the middleware error, then the middleware's own.
    let source = std::error::Error::source(&err).expect("a refused request has a source");
    let middleware = source
        .downcast_ref::<idv_api::MiddlewareError>()
        .expect("the source is the middleware error");
    let own = std::error::Error::source(middleware).expect("the middleware's own error");
    assert!(own.downcast_ref::<Closed>().is_some(), "{own:?}");
    assert_eq!(
        err.to_string(),
        "the get_session request was not sent: rate limiter is closed"
    );
    assert_eq!(
        format!("{err:?}"),
        "NotSent(the get_session request was not sent: rate limiter is closed)"
    );
    assert!(
        !err.is_retryable(),
        "a refused request is a permanent failure"
    );
}

#[tokio::test]
async fn a_signing_error_is_kept_and_typed() {
    let err = client_with(Redirect)
        .get_session()
        .session_id("s1")
        .send()
        .await
        .unwrap_err();
    let signing = err
        .signing_error()
        .expect("the signer's error reaches the caller");
    assert!(matches!(signing, SignError::OutsideBase { url, base }
        if url == "https://elsewhere.example/idverify/v1/sessions/s1" && base == NOWHERE));
}

#[tokio::test]
async fn a_signing_error_is_found_behind_a_retry_middleware() {
    use reqwest_retry::RetryTransientMiddleware;
    use reqwest_retry::policies::ExponentialBackoff;
    let policy = ExponentialBackoff::builder()
        .retry_bounds(
            std::time::Duration::from_millis(1),
            std::time::Duration::from_millis(2),
        )
        .build_with_max_retries(1);
    let client = crate::common::builder("sdk-id", NOWHERE)
        .with(RetryTransientMiddleware::new_with_policy(policy))
        .with(Redirect)
        .build()
        .unwrap();
    let err = client
        .get_session()
        .session_id("s1")
        .send()
        .await
        .unwrap_err();
    let signing = err
        .signing_error()
        .expect("the signer's error is found through the retry middleware's");
    assert!(matches!(signing, SignError::OutsideBase { .. }));
    assert!(!err.is_retryable());
    assert!(
        err.to_string()
            .starts_with("the get_session request was not sent: "),
        "{err}"
    );
}

#[tokio::test]
async fn a_connection_error_is_not_mistaken_for_a_middleware_error() {
    let client = crate::common::builder("sdk-id", NOWHERE).build().unwrap();
    let err = client
        .get_session()
        .session_id("s1")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, idv_api::Error::CommunicationError(ref e) if e.is_connect()),
        "{err}"
    );
    assert!(err.middleware_error().is_none());
}
