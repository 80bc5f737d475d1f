//! Every operation in the spec exists on the generated client with the right HTTP method,
//! path and types, and goes out signed. A recording server on 127.0.0.1 stands in for the API.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;
use idv_api::types::{
    CreateSessionPayload, CreateSessionResponse, GetSessionResult, ResponseConfig,
    SupportedDocumentsResponse,
};
use idv_api::{Client, MediaContentExt, ResponseValue};

const SDK_ID: &str = "a1b2c3d4-e5f6-7890-abcd-ef0123456789";

/// What the server saw of one request.
#[derive(Debug, Clone)]
struct Seen {
    method: Method,
    path: String,
    query: String,
    headers: HeaderMap,
    body: Bytes,
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// Answers like the API would, by method and path, and records every request.
async fn respond(
    log: Log,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let path = uri.path().trim_start_matches("/idverify/v1").to_string();
    log.lock().unwrap().push(Seen {
        method: method.clone(),
        path: path.clone(),
        query: uri.query().unwrap_or("").to_string(),
        headers,
        body,
    });
    let json = |status: StatusCode, body: &str| {
        (
            status,
            [("content-type", "application/json")],
            body.to_string(),
        )
            .into_response()
    };
    match (method.as_str(), path.as_str()) {
        ("GET", "/supported-documents") => json(
            StatusCode::OK,
            r#"{"supported_countries":[{"code":"GBR"}]}"#,
        ),
        ("POST", "/sessions") => json(
            StatusCode::CREATED,
            r#"{"client_session_token_ttl":600,"client_session_token":"t","session_id":"s1"}"#,
        ),
        ("GET", "/sessions/s1") => json(StatusCode::OK, r#"{"session_id":"s1","state":"ONGOING"}"#),
        ("GET", "/sessions/s1/media/m1/content") => (
            StatusCode::OK,
            [("content-type", "image/png")],
            b"\x89PNG".to_vec(),
        )
            .into_response(),
        ("GET", "/sessions/s1/media/m2/content") => StatusCode::NO_CONTENT.into_response(),
        ("GET", p) if p.ends_with("/response-config") => json(
            StatusCode::OK,
            r#"{"check_reports":{"async_report_delay":5}}"#,
        ),
        ("PUT", p) if p.ends_with("/response-config") => StatusCode::OK.into_response(),
        ("DELETE", _) => StatusCode::NO_CONTENT.into_response(),
        _ => json(
            StatusCode::NOT_FOUND,
            r#"{"code":"NOT_FOUND","message":"no such route"}"#,
        ),
    }
}

async fn start() -> (Client, Log) {
    let log: Log = Arc::default();
    let app = {
        let log = log.clone();
        axum::Router::new().fallback(move |m: Method, u: Uri, h: HeaderMap, b: Bytes| {
            respond(log.clone(), m, u, h, b)
        })
    };
    let base = crate::common::serve_api(app).await;
    (crate::common::builder(SDK_ID, &base).build().unwrap(), log)
}

fn last(log: &Log) -> Seen {
    log.lock()
        .unwrap()
        .last()
        .cloned()
        .expect("the server saw no request")
}

#[track_caller]
fn assert_sent(log: &Log, method: &str, path: &str) -> Seen {
    let seen = last(log);
    assert_eq!((seen.method.as_str(), seen.path.as_str()), (method, path));
    // As the official SDKs: no sdkId on supported-documents, nor where the path names the app.
    let expected = if path == "/supported-documents" || path.starts_with("/apps/") {
        "nonce=".to_owned()
    } else {
        format!("sdkId={SDK_ID}&nonce=")
    };
    assert!(seen.query.contains(&expected), "{}", seen.query);
    assert_eq!(
        seen.query.matches("sdkId=").count(),
        usize::from(expected != "nonce=")
    );
    assert!(seen.headers.contains_key("x-yoti-auth-digest"));
    assert!(
        !seen.headers.contains_key("api-version"),
        "progenitor's api-version header is stripped"
    );
    seen
}

#[tokio::test]
async fn every_operation_has_its_method_path_and_types() {
    let (client, log) = start().await;

    let docs: ResponseValue<SupportedDocumentsResponse> = client
        .get_supported_documents()
        .include_non_latin(true)
        .send()
        .await
        .unwrap();
    assert_eq!(docs.supported_countries[0].code.as_deref(), Some("GBR"));
    let seen = assert_sent(&log, "GET", "/supported-documents");
    assert!(
        seen.query.starts_with("includeNonLatin=true&nonce="),
        "{}",
        seen.query
    );

    let payload = CreateSessionPayload::builder().user_tracking_id("user-1".to_string());
    let created: ResponseValue<CreateSessionResponse> =
        client.create_session().body(payload).send().await.unwrap();
    assert_eq!(created.status(), 201);
    assert_eq!(created.session_id, "s1");
    assert_eq!(created.client_session_token, "t");
    let seen = assert_sent(&log, "POST", "/sessions");
    assert_eq!(&seen.body[..], br#"{"user_tracking_id":"user-1"}"#);
    assert_eq!(seen.headers["content-type"], "application/json");

    let session: ResponseValue<GetSessionResult> =
        client.get_session().session_id("s1").send().await.unwrap();
    assert_eq!(session.state.as_ref().map(|s| s.as_str()), Some("ONGOING"));
    assert_sent(&log, "GET", "/sessions/s1");

    let deleted: ResponseValue<()> = client
        .delete_session()
        .session_id("s1")
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_sent(&log, "DELETE", "/sessions/s1");

    let media = client
        .get_media_content()
        .session_id("s1")
        .media_id("m1")
        .x_yoti_device_meta("e30=")
        .send()
        .await
        .unwrap()
        .into_media()
        .expect("200 carries media");
    assert_eq!(media.content_type.as_deref(), Some("image/png"));
    assert_eq!(&media.bytes().await.unwrap()[..], b"\x89PNG");
    let seen = assert_sent(&log, "GET", "/sessions/s1/media/m1/content");
    assert_eq!(seen.headers["x-yoti-device-meta"], "e30=");

    let none = client
        .get_media_content()
        .session_id("s1")
        .media_id("m2")
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), 204);
    assert!(none.into_media().is_none(), "204 is no media, not an error");

    let deleted: ResponseValue<()> = client
        .delete_media_content()
        .session_id("s1")
        .media_id("m1")
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_sent(&log, "DELETE", "/sessions/s1/media/m1/content");

    let app_config: ResponseValue<ResponseConfig> = client
        .get_application_response_config()
        .sdk_id(SDK_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(
        app_config
            .check_reports
            .as_ref()
            .and_then(|c| c.async_report_delay),
        Some(5)
    );
    assert_sent(&log, "GET", &format!("/apps/{SDK_ID}/response-config"));

    let put: ResponseValue<()> = client
        .put_application_response_config()
        .sdk_id(SDK_ID)
        .body(ResponseConfig::default())
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    let seen = assert_sent(&log, "PUT", &format!("/apps/{SDK_ID}/response-config"));
    assert_eq!(&seen.body[..], b"{}");

    let session_config: ResponseValue<ResponseConfig> = client
        .get_session_response_config()
        .session_id("s1")
        .send()
        .await
        .unwrap();
    assert!(session_config.task_results.is_none());
    assert_sent(&log, "GET", "/sessions/s1/response-config");

    let put: ResponseValue<()> = client
        .put_session_response_config()
        .session_id("s1")
        .body(ResponseConfig::default())
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    assert_sent(&log, "PUT", "/sessions/s1/response-config");

    assert_eq!(log.lock().unwrap().len(), 11);
}

#[tokio::test]
async fn an_error_status_gives_the_parsed_api_error() {
    let (client, _log) = start().await;
    let err = client
        .get_session()
        .session_id("nope")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let idv_api::Error::ErrorResponse(body) = err else {
        panic!("{err}")
    };
    assert_eq!(body.code.as_deref(), Some("NOT_FOUND"));
    assert_eq!(body.message.as_deref(), Some("no such route"));
}

#[tokio::test]
async fn a_missing_path_parameter_is_an_invalid_request_not_a_panic() {
    let (client, log) = start().await;
    let err = client.get_session().send().await.unwrap_err();
    assert!(
        matches!(err, idv_api::Error::InvalidRequest(ref m) if m.contains("session_id")),
        "{err}"
    );
    assert!(log.lock().unwrap().is_empty(), "nothing was sent");
}

/// A server that answers every request with `status` and the JSON `body`.
async fn answering(status: StatusCode, body: &'static str) -> Client {
    let app = axum::Router::new()
        .fallback(move || async move { (status, [("content-type", "application/json")], body) });
    let base = crate::common::serve_api(app).await;
    crate::common::builder(SDK_ID, &base).build().unwrap()
}

#[tokio::test]
async fn a_created_session_without_its_id_or_token_is_an_error_naming_the_field() {
    for (body, field) in [
        (
            r#"{"client_session_token_ttl":600,"client_session_token":"t"}"#,
            "session_id",
        ),
        (
            r#"{"client_session_token_ttl":600,"session_id":"s1"}"#,
            "client_session_token",
        ),
    ] {
        let client = answering(StatusCode::CREATED, body).await;
        let payload = CreateSessionPayload::builder();
        let err = client
            .create_session()
            .body(payload)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(201));
        assert!(!err.is_retryable());
        let idv_api::Error::InvalidResponse(invalid) = &err else {
            panic!("{err}")
        };
        assert_eq!(invalid.missing_field().as_deref(), Some(field));
        assert_eq!(err.body().map(|b| &b[..]), Some(body.as_bytes()));
        assert_eq!(
            err.to_string(),
            format!(
                "the API answered 201 Created with a body that is not the documented JSON \
                 (application/json, {} bytes): the required field `{field}` is missing at \
                 line 1 column {}",
                body.len(),
                body.len()
            )
        );
    }
    // The time to live is optional: the Node SDK accepts a response without it.
    let client = answering(
        StatusCode::CREATED,
        r#"{"client_session_token":"t","session_id":"s1"}"#,
    )
    .await;
    let payload = CreateSessionPayload::builder();
    let created = client.create_session().body(payload).send().await.unwrap();
    assert_eq!(
        (
            created.session_id.as_str(),
            created.client_session_token_ttl
        ),
        ("s1", None)
    );
}
