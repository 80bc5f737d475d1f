//! Bearer-token authentication, against a server started by the test on 127.0.0.1 that
//! records what it receives.

use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, Uri};
use idv_api::{BearerToken, BearerTokenError, Client, ClientError, Error};
use reqwest_middleware::{Middleware, Next};

/// What the server received: the path and query, and the headers.
type Seen = Arc<Mutex<Vec<(String, HeaderMap)>>>;

/// A server that answers every request with an empty 200 session, and its base URL.
async fn recording() -> (String, Seen) {
    let seen = Seen::default();
    let record = seen.clone();
    let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap| {
        let record = record.clone();
        async move {
            let path = uri
                .path_and_query()
                .map(|p| p.to_string())
                .unwrap_or_default();
            record.lock().unwrap().push((path, headers));
            ([("content-type", "application/json")], "{}")
        }
    });
    (crate::common::serve_api(app).await, seen)
}

#[tokio::test]
async fn a_bearer_client_sends_the_token_and_no_signature() {
    let (base, seen) = recording().await;
    // A trailing newline, as read from a file, is trimmed.
    let client = Client::with_bearer_token(&base, "tok-123.abc_XYZ\n").unwrap();
    client.get_session().session_id("s1").send().await.unwrap();

    let seen = seen.lock().unwrap();
    let (path, headers) = &seen[0];
    assert_eq!(
        path, "/idverify/v1/sessions/s1",
        "no sdkId, nonce or timestamp"
    );
    assert_eq!(headers["authorization"], "Bearer tok-123.abc_XYZ");
    assert!(headers.get("x-yoti-auth-digest").is_none());
}

#[tokio::test]
async fn the_token_is_never_shown() {
    let token = BearerToken::new("very-secret-token").unwrap();
    assert_eq!(format!("{token:?}"), "BearerToken(<redacted>)");
    let builder = Client::bearer_builder("https://api.yoti.com/idverify/v1", token).unwrap();
    let debug = format!("{builder:?}");
    assert!(!debug.contains("very-secret-token"), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
}

#[test]
fn unusable_tokens_and_base_urls_are_refused_with_what_is_wrong() {
    assert_eq!(
        BearerToken::new(" \n").unwrap_err(),
        BearerTokenError::Empty
    );
    assert_eq!(
        BearerToken::new("two words").unwrap_err(),
        BearerTokenError::InvalidCharacter { at: 3 }
    );
    let err = Client::with_bearer_token(idv_api::PRODUCTION_URL, "s3cr3t\u{e9}").unwrap_err();
    assert!(matches!(err, ClientError::BearerToken(_)));
    assert!(!err.to_string().contains("s3cr3t"), "{err}");

    let token = BearerToken::new("tok").unwrap();
    let err = Client::bearer_builder("ftp://api.yoti.com/idverify/v1", token).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid base URL `ftp://api.yoti.com/idverify/v1`: it is not an http or https URL \
         (expected e.g. `https://api.yoti.com/idverify/v1`)"
    );
}

/// A middleware that sends the request to another host.
struct Redirect(String);

#[async_trait::async_trait]
impl Middleware for Redirect {
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        *request.url_mut() = self.0.parse().unwrap();
        next.run(request, extensions).await
    }
}

#[tokio::test]
async fn the_token_goes_nowhere_but_the_base_url() {
    let (base, _) = recording().await;
    let (elsewhere, seen) = recording().await;
    let token = BearerToken::new("tok").unwrap();
    let client = Client::bearer_builder(&base, token)
        .unwrap()
        .with(Redirect(format!("{elsewhere}/sessions/s1")))
        .build()
        .unwrap();
    let err = client
        .get_session()
        .session_id("s1")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotSent(_)), "{err:?}");
    assert!(
        err.to_string().contains("the bearer token is not sent to"),
        "{err}"
    );
    assert!(
        seen.lock().unwrap().is_empty(),
        "nothing reached the other host"
    );

    // The same host, but a path beside the base's (`/idverify/v10`), is not under it either.
    let (base, seen) = recording().await;
    let client = Client::bearer_builder(&base, BearerToken::new("tok").unwrap())
        .unwrap()
        .with(Redirect(format!("{base}0/sessions/s1")))
        .build()
        .unwrap();
    let err = client
        .get_session()
        .session_id("s1")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotSent(_)), "{err:?}");
    assert!(seen.lock().unwrap().is_empty(), "nothing was sent");
}
