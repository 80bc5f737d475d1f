//! The token source against a token endpoint and an API started by the test on 127.0.0.1,
//! which record what they receive and answer as each test says: the token request on the
//! wire, a 401 retried once and only once, a failure shared by the requests that waited for
//! it, and answers that give no usable token.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::prelude::{BASE64_URL_SAFE_NO_PAD, Engine as _};
use idv_api::idv_signing::SigningKey;
use idv_api::{Client, TokenError, TokenSource};
use serde_json::json;

/// The committed test key (our own data: never use it for anything real).
const KEY: &str = crate::common::KEY;

/// What the token endpoint answers.
#[derive(Clone, Copy)]
enum Answer {
    /// A token `tok-<n>`, with `expires_in` when given.
    Token(Option<u64>),
    /// 401 `invalid_client`.
    InvalidClient,
    /// 200 with a body that is no token answer, holding `secret-in-answer`.
    NoToken,
}

struct Server {
    answer: Answer,
    /// Whether the API answers 401 to everything.
    api_refuses: bool,
    token_requests: Mutex<Vec<(HeaderMap, String)>>,
    api_authorizations: Mutex<Vec<String>>,
    issued: AtomicUsize,
}

async fn token(State(server): State<Arc<Server>>, headers: HeaderMap, body: String) -> Response {
    server.token_requests.lock().unwrap().push((headers, body));
    match server.answer {
        Answer::Token(expires_in) => {
            let n = server.issued.fetch_add(1, Ordering::SeqCst) + 1;
            let mut answer = json!({"access_token": format!("tok-{n}"), "token_type": "Bearer"});
            if let Some(seconds) = expires_in {
                answer["expires_in"] = seconds.into();
            }
            axum::Json(answer).into_response()
        }
        Answer::InvalidClient => {
            let answer = json!({"error": "invalid_client", "error_description": "bad key"});
            (StatusCode::UNAUTHORIZED, axum::Json(answer)).into_response()
        }
        Answer::NoToken => {
            axum::Json(json!({"access_token": "two words secret-in-answer"})).into_response()
        }
    }
}

async fn api(State(server): State<Arc<Server>>, headers: HeaderMap) -> Response {
    let authorization = headers
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    server
        .api_authorizations
        .lock()
        .unwrap()
        .push(authorization);
    if server.api_refuses {
        let body = json!({"code": "TOKEN_EXPIRED", "message": "expired"});
        return (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response();
    }
    axum::Json(json!({})).into_response()
}

/// Starts the server; the token endpoint's URL, the API's base URL, and the server.
async fn start(answer: Answer, api_refuses: bool) -> (String, String, Arc<Server>) {
    let server = Arc::new(Server {
        answer,
        api_refuses,
        token_requests: Mutex::default(),
        api_authorizations: Mutex::default(),
        issued: AtomicUsize::new(0),
    });
    let app = axum::Router::new()
        .route("/v1/oauth/token", post(token))
        .route("/idverify/v1/supported-documents", get(api))
        .with_state(server.clone());
    let addr = crate::common::serve(app).await;
    (
        format!("http://{addr}/v1/oauth/token"),
        format!("http://{addr}/idverify/v1"),
        server,
    )
}

fn source(auth_url: &str) -> TokenSource {
    let key = SigningKey::from_pem(KEY).unwrap();
    TokenSource::new("my-sdk-id", key, ["scope1", "scope3:read"])
        .unwrap()
        .with_auth_url(auth_url)
        .unwrap()
}

fn jwt_part(jwt: &str, index: usize) -> serde_json::Value {
    let part = jwt.split('.').nth(index).unwrap();
    serde_json::from_slice(&BASE64_URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

#[tokio::test]
async fn the_token_request_is_the_official_sdks_form_and_the_token_is_sent_as_bearer() {
    let (auth_url, base, server) = start(Answer::Token(Some(3600)), false).await;
    let client = Client::with_token_source(&base, source(&auth_url)).unwrap();
    client.get_supported_documents().send().await.unwrap();
    client.get_supported_documents().send().await.unwrap();

    let requests = server.token_requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 1, "one token for both calls");
    let (headers, body) = &requests[0];
    assert_eq!(headers["content-type"], "application/x-www-form-urlencoded");
    let prefix = "grant_type=client_credentials\
         &client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer\
         &scope=scope1+scope3%3Aread&client_assertion=";
    let jwt = body
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{body}"));
    assert_eq!(jwt_part(jwt, 0), json!({"alg": "PS384", "typ": "JWT"}));
    let claims = jwt_part(jwt, 1);
    assert_eq!(claims["iss"], "sdk:my-sdk-id");
    assert_eq!(claims["sub"], "sdk:my-sdk-id");
    assert_eq!(claims["aud"], auth_url.as_str());
    assert_eq!(
        claims["exp"].as_u64().unwrap(),
        claims["iat"].as_u64().unwrap() + 300
    );

    let authorizations = server.api_authorizations.lock().unwrap().clone();
    assert_eq!(authorizations, ["Bearer tok-1", "Bearer tok-1"]);
}

#[tokio::test]
async fn a_401_is_retried_once_and_only_on_a_token_that_was_not_just_obtained() {
    let (auth_url, base, server) = start(Answer::Token(Some(3600)), true).await;
    let client = Client::with_token_source(&base, source(&auth_url)).unwrap();
    // A token obtained for this very request: its 401 would come again, so it is the answer.
    let first = client.get_supported_documents().send().await.unwrap_err();
    assert_eq!(first.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(*server.api_authorizations.lock().unwrap(), ["Bearer tok-1"]);
    // The token held since: one retry, with a new token, and the second 401 is the answer.
    let second = client.get_supported_documents().send().await.unwrap_err();
    assert_eq!(second.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(
        *server.api_authorizations.lock().unwrap(),
        ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]
    );
    assert_eq!(server.token_requests.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_token_without_a_lifetime_is_kept_until_a_401() {
    let (auth_url, base, server) = start(Answer::Token(None), false).await;
    let source = source(&auth_url);
    let client = Client::with_token_source(&base, source.clone()).unwrap();
    for _ in 0..3 {
        client.get_supported_documents().send().await.unwrap();
    }
    source.token().await.unwrap();
    assert_eq!(server.token_requests.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn requests_waiting_for_a_token_share_the_failure_of_its_request() {
    let (auth_url, base, server) = start(Answer::InvalidClient, false).await;
    let client = Client::with_token_source(&base, source(&auth_url)).unwrap();
    let calls = (0..16).map(|_| client.get_supported_documents().send());
    for result in futures_util::future::join_all(calls).await {
        let error = result.unwrap_err();
        let token_error = error.token_error().expect("a token error");
        assert_eq!(token_error.oauth_error(), Some("invalid_client"));
        assert_eq!(
            token_error.to_string(),
            format!(
                "the Yoti auth service at `{auth_url}` refused the token request \
                 (401 Unauthorized): invalid_client: bad key (check the SDK id, and that the \
                 key is the application's PEM key from the Yoti Hub)"
            )
        );
    }
    assert_eq!(server.token_requests.lock().unwrap().len(), 1);
    assert!(
        server.api_authorizations.lock().unwrap().is_empty(),
        "nothing sent"
    );
    // A later request asks again.
    client.get_supported_documents().send().await.unwrap_err();
    assert_eq!(server.token_requests.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn an_answer_without_a_usable_token_is_an_error_that_does_not_quote_it() {
    let (auth_url, base, _server) = start(Answer::NoToken, false).await;
    let client = Client::with_token_source(&base, source(&auth_url)).unwrap();
    let error = client.get_supported_documents().send().await.unwrap_err();
    let token_error = error.token_error().unwrap();
    assert!(matches!(token_error, TokenError::InvalidResponse { .. }));
    assert_eq!(
        token_error.to_string(),
        format!(
            "the Yoti auth service at `{auth_url}` answered 200 OK without a usable token: its \
             access_token is empty or not one word of printable ASCII"
        )
    );
    for shown in [
        error.to_string(),
        format!("{error:?}"),
        format!("{token_error:?}"),
    ] {
        assert!(!shown.contains("secret-in-answer"), "{shown}");
    }
}

#[tokio::test]
async fn an_auth_service_that_cannot_be_reached_is_a_transport_error_naming_it() {
    // A port that was free a moment ago, and is closed now.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let auth_url = format!("http://127.0.0.1:{port}/v1/oauth/token");
    let error = source(&auth_url).token().await.unwrap_err();
    assert!(matches!(error, TokenError::Transport { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        format!("cannot get a token from the Yoti auth service at `{auth_url}`")
    );
    assert!(std::error::Error::source(&error).is_some());
    assert_eq!((error.status(), error.oauth_error()), (None, None));
}

#[test]
fn debug_shows_the_source_settings_and_never_the_key() {
    let source = source("https://auth.example/v1/oauth/token");
    let builder =
        Client::token_builder("https://api.yoti.com/idverify/v1", source.clone()).unwrap();
    for debug in [format!("{source:?}"), format!("{builder:?}")] {
        assert!(debug.contains("sdk_id: \"my-sdk-id\""), "{debug}");
        assert!(
            debug.contains("auth_url: \"https://auth.example/v1/oauth/token\""),
            "{debug}"
        );
        assert!(debug.contains("scope: \"scope1 scope3:read\""), "{debug}");
        let key_line = KEY.lines().nth(1).unwrap();
        assert!(!debug.contains(key_line), "{debug}");
    }
    assert_eq!(source.auth_url(), "https://auth.example/v1/oauth/token");
}

#[test]
fn the_default_token_endpoint_is_yotis() {
    assert_eq!(
        idv_api::AUTH_URL,
        "https://auth.api.yoti.com/v1/oauth/token"
    );
    assert_eq!(idv_api::AUTH_URL_ENV, "YOTI_AUTH_URL");
}
