//! The caller's own middleware runs in front of the signer: with a retry middleware, every
//! attempt is signed afresh, so a server that refuses a replayed nonce accepts the retry.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{StatusCode, Uri};
use axum::response::IntoResponse;
use reqwest_retry::RetryTransientMiddleware;
use reqwest_retry::policies::ExponentialBackoff;

/// Answers 503 the first time, then the session; refuses any nonce it has seen.
async fn flaky(nonces: Arc<Mutex<Vec<String>>>, uri: Uri) -> impl IntoResponse {
    let query = uri.query().unwrap_or_default();
    let nonce = query
        .split('&')
        .find_map(|p| p.strip_prefix("nonce="))
        .unwrap_or_default();
    let mut seen = nonces.lock().unwrap();
    let fresh = !seen.iter().any(|n| n == nonce);
    seen.push(nonce.to_string());
    let json = [("content-type", "application/json")];
    match (fresh, seen.len()) {
        (false, _) => (StatusCode::UNAUTHORIZED, json, r#"{"code":"NONCE_REUSED"}"#),
        (true, 1) => (
            StatusCode::SERVICE_UNAVAILABLE,
            json,
            r#"{"code":"UNAVAILABLE"}"#,
        ),
        (true, _) => (
            StatusCode::OK,
            json,
            r#"{"session_id":"s1","state":"COMPLETED"}"#,
        ),
    }
}

#[tokio::test]
async fn a_retry_in_front_of_the_signer_signs_each_attempt_afresh() {
    let nonces: Arc<Mutex<Vec<String>>> = Arc::default();
    let app = {
        let nonces = nonces.clone();
        axum::Router::new().fallback(move |uri: Uri| flaky(nonces.clone(), uri))
    };
    let base = crate::common::serve_api(app).await;

    let policy = ExponentialBackoff::builder()
        .retry_bounds(Duration::from_millis(1), Duration::from_millis(10))
        .build_with_max_retries(2);
    let client = crate::common::builder("sdk-id", &base)
        .with(RetryTransientMiddleware::new_with_policy(policy))
        .build()
        .unwrap();

    let session = client.get_session().session_id("s1").send().await.unwrap();
    assert_eq!(
        session.state.as_ref().map(|s| s.as_str()),
        Some("COMPLETED")
    );
    let seen = nonces.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "one 503, then one retry: {seen:?}");
    assert_eq!(
        seen.iter().collect::<HashSet<_>>().len(),
        2,
        "each attempt has its own nonce"
    );
}
