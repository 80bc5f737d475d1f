//! The middleware against a loopback server that checks signatures like the API does:
//! it rejects a bad signature or a nonce it has seen, and fails the first attempt with 503.

use crate::common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use common::{BASE, NONCE, SDK_ID, TIMESTAMP, pinned_signer, vector};
use idv_signing::{Backend, PublicKey, SignError, Signer, SigningMiddleware, verify};
use reqwest_middleware::{ClientBuilder, ClientWithMiddleware};
use reqwest_retry::{RetryTransientMiddleware, policies::ExponentialBackoff};

const BASE_PATH: &str = "/idverify/v1";

#[derive(Default)]
struct Seen {
    /// Every request's nonce, in order.
    nonces: Vec<String>,
    /// How many requests had a valid signature and a new nonce.
    accepted: usize,
}

struct Server {
    base_url: String,
    seen: Arc<Mutex<Seen>>,
}

/// Starts the server on 127.0.0.1 with a free port. It verifies each request with
/// `public_key`, answers 401 to a bad signature or a repeated nonce, 503 to the first valid
/// request, and 200 after that.
async fn start_server(public_key: PublicKey) -> Server {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let state = Arc::clone(&seen);
    let handler = move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
        let state = Arc::clone(&state);
        let public_key = public_key.clone();
        async move {
            let path_and_query = uri.path_and_query().map_or("", |pq| pq.as_str());
            let Some(relative) = path_and_query.strip_prefix(BASE_PATH) else {
                return StatusCode::NOT_FOUND;
            };
            let nonce = uri
                .query()
                .and_then(|q| url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "nonce"))
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default();
            let digest = headers
                .get("x-yoti-auth-digest")
                .and_then(|d| d.to_str().ok())
                .unwrap_or("");
            let mut seen = state.lock().unwrap();
            let repeated = seen.nonces.contains(&nonce);
            seen.nonces.push(nonce);
            if repeated
                || verify(&public_key, method.as_str(), relative, Some(&body), digest).is_err()
            {
                return StatusCode::UNAUTHORIZED;
            }
            seen.accepted += 1;
            if seen.accepted == 1 {
                StatusCode::SERVICE_UNAVAILABLE
            } else {
                StatusCode::OK
            }
        }
    };
    let app = axum::Router::new().fallback(handler);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server {
        base_url: format!("http://{address}{BASE_PATH}"),
        seen,
    }
}

fn signer(base_url: &str) -> Signer {
    Signer::new(common::SDK_ID, common::key(Backend::default()), base_url).unwrap()
}

fn retry() -> RetryTransientMiddleware<ExponentialBackoff> {
    let policy = ExponentialBackoff::builder()
        .retry_bounds(Duration::from_millis(1), Duration::from_millis(5))
        .build_with_max_retries(2);
    RetryTransientMiddleware::new_with_policy(policy)
}

fn client(build: impl FnOnce(ClientBuilder) -> ClientBuilder) -> ClientWithMiddleware {
    build(ClientBuilder::new(reqwest::Client::new())).build()
}

#[tokio::test]
async fn with_retry_in_front_every_attempt_is_signed_afresh() {
    let server = start_server(common::key(Backend::default()).public_key()).await;
    let client = client(|b| {
        b.with(retry())
            .with(SigningMiddleware::new(signer(&server.base_url)))
    });
    let response = client
        .post(format!(
            "{}/sessions?user_tracking_id=a%20b",
            server.base_url
        ))
        .body(r#"{"client_session_token_ttl":600}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let seen = server.seen.lock().unwrap();
    // Two attempts, two different nonces, both verified (the 503 came after verifying).
    assert_eq!(seen.accepted, 2);
    assert_eq!(seen.nonces.len(), 2);
    assert_ne!(seen.nonces[0], seen.nonces[1]);
}

/// The server really does reject a replayed nonce: with the signer in front of the retry
/// middleware, the retry resends the same signed request and gets 401.
#[tokio::test]
async fn with_the_signer_outermost_the_retry_replays_the_nonce_and_is_rejected() {
    let server = start_server(common::key(Backend::default()).public_key()).await;
    let client = client(|b| {
        b.with(SigningMiddleware::new(signer(&server.base_url)))
            .with(retry())
    });
    let response = client
        .get(format!("{}/sessions/x", server.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let seen = server.seen.lock().unwrap();
    assert_eq!(seen.nonces.len(), 2);
    assert_eq!(seen.nonces[0], seen.nonces[1]);
}

/// And it really does check signatures: a request changed after signing is rejected.
#[tokio::test]
async fn a_request_changed_after_signing_is_rejected() {
    let server =
        start_server(PublicKey::from_pem(common::read("test-rsa2048-pub.pem")).unwrap()).await;
    let mut request = reqwest::Client::new()
        .get(format!("{}/sessions/a", server.base_url))
        .build()
        .unwrap();
    signer(&server.base_url).sign_request(&mut request).unwrap();
    let tampered = request.url().as_str().replace("/sessions/a", "/sessions/b");
    *request.url_mut() = tampered.parse().unwrap();
    let response = reqwest::Client::new().execute(request).await.unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(server.seen.lock().unwrap().accepted, 0);
}

#[tokio::test]
async fn a_streaming_body_is_a_sign_error_and_nothing_is_sent() {
    let server = start_server(common::key(Backend::default()).public_key()).await;
    let client = client(|b| b.with(SigningMiddleware::new(signer(&server.base_url))));
    let error = client
        .post(format!("{}/sessions", server.base_url))
        .body(reqwest::Body::wrap(String::from("{}")))
        .send()
        .await
        .unwrap_err();
    let reqwest_middleware::Error::Middleware(error) = error else {
        panic!("expected a middleware error, got {error:?}");
    };
    assert!(
        matches!(
            error.downcast_ref::<SignError>(),
            Some(SignError::StreamingBody)
        ),
        "{error:?}"
    );
    assert!(server.seen.lock().unwrap().nonces.is_empty());
}

#[tokio::test]
async fn a_request_outside_the_base_is_a_sign_error_and_nothing_is_sent() {
    let server = start_server(common::key(Backend::default()).public_key()).await;
    let client = client(|b| b.with(SigningMiddleware::new(signer(&server.base_url))));
    let outside = server.base_url.replace("/idverify/v1", "/other");
    let error = client.get(&outside).send().await.unwrap_err();
    let reqwest_middleware::Error::Middleware(error) = error else {
        panic!("expected a middleware error, got {error:?}");
    };
    assert!(
        matches!(error.downcast_ref::<SignError>(), Some(SignError::OutsideBase { url, .. }) if *url == outside)
    );
    assert!(server.seen.lock().unwrap().nonces.is_empty());
}

#[test]
fn the_middleware_is_shareable_and_accepts_an_arc() {
    fn shareable<T: Send + Sync + Clone>(_: &T) {}
    let signer = Arc::new(signer("http://127.0.0.1:1/idverify/v1"));
    let middleware = SigningMiddleware::new(Arc::clone(&signer));
    shareable(&middleware);
    shareable(&*signer);
    assert!(std::ptr::eq(middleware.signer(), &*signer));
}

fn added() -> String {
    format!("sdkId={SDK_ID}&nonce={NONCE}&timestamp={TIMESTAMP}")
}

const SESSION: &str = "8f6a9b1c-2d3e-4f50-8a9b-0c1d2e3f4a5b";

#[test]
fn sign_request_sets_the_url_and_headers() {
    let signer = pinned_signer(Backend::default(), BASE);
    let v = &vector("createSession");
    let client = reqwest::Client::new();
    let mut request = client
        .post(format!("{BASE}/sessions"))
        .body(v.body.clone().unwrap())
        .build()
        .unwrap();
    signer.sign_request(&mut request).unwrap();
    assert_eq!(
        request.url().as_str(),
        format!("{BASE}/sessions?{}", added())
    );
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap())
    };
    assert_eq!(header("X-Yoti-Auth-Digest"), Some(v.digest.as_str()));
    assert_eq!(header("X-Yoti-SDK"), Some("Rust"));
    assert_eq!(
        header("X-Yoti-SDK-Version"),
        Some(concat!("Rust-", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(header("Accept"), Some("application/json"));
    assert_eq!(request.headers().len(), 4);
}

#[test]
fn sign_request_keeps_an_existing_accept_header() {
    let signer = pinned_signer(Backend::default(), BASE);
    let mut request = reqwest::Client::new()
        .get(format!("{BASE}/sessions/{SESSION}/media/m/content"))
        .header("Accept", "image/*")
        .build()
        .unwrap();
    signer.sign_request(&mut request).unwrap();
    let accept: Vec<_> = request.headers().get_all("accept").iter().collect();
    assert_eq!(accept, ["image/*"]);
}

#[test]
fn sign_request_refuses_a_streaming_body_and_leaves_the_request_alone() {
    let signer = pinned_signer(Backend::default(), BASE);
    let mut request = reqwest::Client::new()
        .post(format!("{BASE}/sessions"))
        .body(reqwest::Body::wrap(String::from("{}")))
        .build()
        .unwrap();
    let error = signer.sign_request(&mut request).unwrap_err();
    assert!(matches!(error, SignError::StreamingBody), "{error:?}");
    assert_eq!(request.url().as_str(), format!("{BASE}/sessions"));
    assert!(request.headers().is_empty());
}
