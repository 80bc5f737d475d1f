//! Errors that say what happened, and requests that cannot be turned against their caller:
//! each against a small server started by the test on 127.0.0.1.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use idv_api::{Client, Error, MediaContentExt, types};

use crate::common::serve_api as serve;

/// A server that answers every request with `status`, `content_type` and `body`.
async fn answering(status: u16, content_type: &'static str, body: Vec<u8>) -> Client {
    let app = axum::Router::new().fallback(move || {
        let body = body.clone();
        async move {
            (
                StatusCode::from_u16(status).unwrap(),
                [("content-type", content_type)],
                body,
            )
        }
    });
    crate::common::builder("sdk-id", &serve(app).await)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_proxys_html_404_keeps_its_status_and_says_what_came_back() {
    let html = b"<html><body>Not Found</body></html>".to_vec();
    let client = answering(404, "text/html; charset=utf-8", html.clone()).await;
    let err = client
        .get_session()
        .session_id("s1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(reqwest::StatusCode::NOT_FOUND));
    assert_eq!(
        err.to_string(),
        "the API answered 404 Not Found with a body that is not the documented JSON \
         (text/html, 35 bytes): not JSON at line 1 column 1"
    );
    assert_eq!(err.body().map(|b| b.to_vec()), Some(html));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn an_undocumented_502_page_keeps_its_status_and_is_retryable() {
    let client = answering(502, "text/html", b"<html>Bad Gateway</html>".to_vec()).await;
    let err = client
        .get_session()
        .session_id("s1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(reqwest::StatusCode::BAD_GATEWAY));
    assert_eq!(
        err.to_string(),
        "the API answered 502 Bad Gateway, which the operation does not document \
         (text/html, 24 bytes)"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn an_api_error_is_one_sentence() {
    let body = br#"{"code":"PAYLOAD_VALIDATION","message":"There were errors validating the payload","errors":[{"property":"requested_checks[0].type","message":"unknown check type"},{"message":"bad"}]}"#;
    let client = answering(400, "application/json", body.to_vec()).await;
    let err = client
        .get_session()
        .session_id("s1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the API answered 400 Bad Request: PAYLOAD_VALIDATION: There were errors validating \
         the payload (requested_checks[0].type: unknown check type; bad)"
    );
    assert_eq!(format!("{err:?}"), format!("ErrorResponse({err})"));
}

#[tokio::test]
async fn a_body_that_fails_to_parse_leaves_no_personal_data_in_the_error_text() {
    // A wrongly typed field next to personal data: serde's own message quotes the value.
    let body = br#"{"session_id":"s1","client_session_token_ttl":"Jane Doe, passport 123456789"}"#;
    let client = answering(200, "application/json", body.to_vec()).await;
    let err = client
        .get_session()
        .session_id("s1")
        .send()
        .await
        .unwrap_err();
    let text = format!("{err} {err:#} {err:?}");
    assert!(!text.contains("Jane"), "{text}");
    assert!(!text.contains("123456789"), "{text}");
    assert_eq!(
        err.to_string(),
        "the API answered 200 OK with a body that is not the documented JSON \
         (application/json, 77 bytes): a value of the wrong type or a missing field at line 1 \
         column 76"
    );
    assert_eq!(err.body().map(|b| &b[..]), Some(&body[..]));
    let Error::InvalidResponse(invalid) = &err else {
        panic!("{err:?}")
    };
    assert!(invalid.json_error().unwrap().is_data());
}

#[tokio::test]
async fn a_json_body_over_the_cap_is_refused_unread_and_the_error_stays_short() {
    let body = vec![b' '; 64 * 1024];
    let app = axum::Router::new().fallback(move || {
        let body = body.clone();
        async move { ([("content-type", "application/json")], body) }
    });
    let base = serve(app).await;
    let client = crate::common::builder("sdk-id", &base)
        .json_limit(1024)
        .build()
        .unwrap();
    let err = client
        .get_session()
        .session_id("s1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the API answered 200 OK with a body over the 1024-byte cap (application/json); \
         it was not read"
    );
    assert!(matches!(&err, Error::InvalidResponse(i) if i.is_too_large()));
    assert_eq!(idv_api::DEFAULT_JSON_LIMIT, 10 * 1024 * 1024);
}

#[tokio::test]
async fn a_chunked_json_body_over_the_cap_is_refused() {
    let app = axum::Router::new().fallback(|| async {
        let chunks = (0..64).map(|_| Ok::<_, std::io::Error>(vec![b' '; 1024]));
        (
            [("content-type", "application/json")],
            Body::from_stream(futures_util::stream::iter(chunks)),
        )
    });
    let client = crate::common::builder("sdk-id", &serve(app).await)
        .json_limit(4096)
        .build()
        .unwrap();
    let err = client
        .get_session()
        .session_id("s1")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidResponse(i) if i.is_too_large()),
        "{err}"
    );
}

/// Nothing listens on port 1: were a request sent, the error would be a connection error.
const NOWHERE: &str = "http://127.0.0.1:1/idverify/v1";

/// Each operation with a path parameter, given `bad` for one of them, is refused unsent with
/// an error naming the parameter.
async fn refusals(bad: &str) -> Vec<(String, Error)> {
    let client = crate::common::builder("sdk-id", NOWHERE).build().unwrap();
    let config = types::ResponseConfig::default;
    let mut errors = vec![
        (
            "sdk_id",
            client
                .get_application_response_config()
                .sdk_id(bad)
                .send()
                .await
                .map(drop),
        ),
        (
            "sdk_id",
            client
                .put_application_response_config()
                .sdk_id(bad)
                .body(config())
                .send()
                .await
                .map(drop),
        ),
        (
            "session_id",
            client.get_session().session_id(bad).send().await.map(drop),
        ),
        (
            "session_id",
            client
                .delete_session()
                .session_id(bad)
                .send()
                .await
                .map(drop),
        ),
        (
            "session_id",
            client
                .get_session_response_config()
                .session_id(bad)
                .send()
                .await
                .map(drop),
        ),
        (
            "session_id",
            client
                .put_session_response_config()
                .session_id(bad)
                .body(config())
                .send()
                .await
                .map(drop),
        ),
        (
            "session_id",
            client
                .get_media_content()
                .session_id(bad)
                .media_id("m")
                .send()
                .await
                .map(drop),
        ),
        (
            "media_id",
            client
                .get_media_content()
                .session_id("s")
                .media_id(bad)
                .send()
                .await
                .map(drop),
        ),
        (
            "session_id",
            client
                .delete_media_content()
                .session_id(bad)
                .media_id("m")
                .send()
                .await
                .map(drop),
        ),
        (
            "media_id",
            client
                .delete_media_content()
                .session_id("s")
                .media_id(bad)
                .send()
                .await
                .map(drop),
        ),
    ];
    errors
        .drain(..)
        .map(|(name, result)| (name.to_string(), result.unwrap_err()))
        .collect()
}

#[tokio::test]
async fn no_path_parameter_can_retarget_a_request() {
    for (bad, reason) in [
        ("", "is empty"),
        (".", "is a dot segment"),
        ("..", "is a dot segment"),
        ("%2e%2e", "is a dot segment"),
        ("%2E.", "is a dot segment"),
        ("..\\..\\OTHER\\media\\M", "contains '\\'"),
        ("a/b", "contains '/'"),
        ("a?b", "contains '?'"),
        ("a#b", "contains '#'"),
        ("a%2Fb", "contains a percent-encoded '/', '\\', '?' or '#'"),
    ] {
        for (name, err) in refusals(bad).await {
            let Error::InvalidPathParameter(e) = &err else {
                panic!("{bad:?} in {name} was not refused: {err}")
            };
            assert_eq!(e.name(), name);
            assert_eq!(
                err.to_string(),
                format!("the path parameter {name} {reason}, so the request was not sent")
            );
            assert!(!err.is_retryable());
        }
    }
}

#[tokio::test]
async fn an_ordinary_path_parameter_is_still_sent() {
    let client = answering(
        200,
        "application/json",
        br#"{"session_id":"s-1.a"}"#.to_vec(),
    )
    .await;
    let session = client
        .get_session()
        .session_id("s-1.a")
        .send()
        .await
        .unwrap();
    assert_eq!(session.session_id.as_deref(), Some("s-1.a"));
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    let followed = Arc::new(AtomicUsize::new(0));
    let app = {
        let followed = followed.clone();
        axum::Router::new()
            .route(
                "/elsewhere",
                axum::routing::any(move || {
                    followed.fetch_add(1, Ordering::SeqCst);
                    async { "{}" }
                }),
            )
            .fallback(|| async {
                (StatusCode::TEMPORARY_REDIRECT, [("location", "/elsewhere")]).into_response()
            })
    };
    let client = crate::common::builder("sdk-id", &serve(app).await)
        .build()
        .unwrap();
    let err = client
        .delete_session()
        .session_id("s1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(reqwest::StatusCode::TEMPORARY_REDIRECT));
    assert_eq!(
        followed.load(Ordering::SeqCst),
        0,
        "the redirect was followed"
    );
}

/// A body of `content_type` that sends one byte of `body` every 200 ms.
fn drip(content_type: &'static str, body: &'static [u8]) -> Response {
    let stream = futures_util::stream::unfold(0, move |i| async move {
        let byte = body.get(i)?;
        tokio::time::sleep(Duration::from_millis(200)).await;
        Some((Ok::<_, std::io::Error>(vec![*byte]), i + 1))
    });
    ([("content-type", content_type)], Body::from_stream(stream)).into_response()
}

/// A PDF's first and last bytes.
const PDF: &[u8] = b"%PDF-1.4\n%%EOF\n";

/// The deadline stops a JSON answer that drips, and spares every streamed operation: media
/// content and the instructions PDF download whole, each taking longer than the deadline.
#[tokio::test]
async fn a_deadline_stops_a_server_that_drips_and_spares_streamed_content() {
    let app = axum::Router::new()
        .route(
            "/idverify/v1/sessions/{s}/media/{m}/content",
            axum::routing::get(|| async { drip("image/png", b"\x89PNG") }),
        )
        .route(
            "/idverify/v1/sessions/{s}/instructions/pdf",
            axum::routing::get(|| async { drip("application/pdf", PDF) }),
        )
        .fallback(|| async { drip("application/json", &[b' '; 10_000]) });
    let client = crate::common::builder("sdk-id", &serve(app).await)
        .deadline(Duration::from_millis(300))
        .build()
        .unwrap();
    let call = client.get_session().session_id("s1").send();
    let err = tokio::time::timeout(Duration::from_secs(20), call)
        .await
        .expect("the deadline ends the call")
        .unwrap_err();
    assert!(
        matches!(&err, Error::CommunicationError(e) if e.is_timeout()),
        "{err}"
    );

    let media = client
        .get_media_content()
        .session_id("s1")
        .media_id("m1")
        .send()
        .await
        .unwrap()
        .into_media()
        .unwrap();
    assert_eq!(
        &media.bytes().await.unwrap()[..],
        b"\x89PNG",
        "the media download outlives the deadline"
    );

    let pdf = client
        .get_ibv_instructions_pdf()
        .session_id("s1")
        .send()
        .await
        .unwrap()
        .into_media()
        .unwrap();
    assert_eq!(pdf.content_type.as_deref(), Some("application/pdf"));
    assert_eq!(
        &pdf.bytes().await.unwrap()[..],
        PDF,
        "the PDF download outlives the deadline"
    );
}
