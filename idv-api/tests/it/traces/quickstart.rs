//! A whole quickstart run, every span and event captured with all its fields by a
//! `tracing_subscriber::Layer` of our own: the client's spans say the operation id, method,
//! path template, status, attempt and elapsed time, with events for a retry, an error status
//! and two refusals (the signer's, and a middleware's), and nothing anyone records (the
//! client, the emulator's own log, reqwest-retry) holds a personal value, key material, the
//! SDK id, a token, a nonce, a timestamp or a signature that was sent.
//!
//! The client talks to the emulator through a small recording proxy on 127.0.0.1, which keeps
//! each request's query and digest (the needles) and answers the first session read with 503,
//! so that reqwest-retry retries it.

use super::{Capture, Captured};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use idv_api::types::{
    CheckType, CreateSessionPayload, RequestedCheck, RequestedTask, RequiredDocument,
    RequiredDocumentType, ResponseConfig, SandboxTaskResults, SandboxTextExtractionResult,
    SandboxTextExtractionTask, TaskType,
};
use idv_api::{Client, MediaContentExt};
use idv_emulator::Emulator;
use reqwest_retry::RetryTransientMiddleware;
use reqwest_retry::policies::ExponentialBackoff;
use serde_json::json;
use tracing_subscriber::layer::SubscriberExt;

// Personal values, each only in request or response bodies.
const APPLICANT_NAME: &str = "Zelda Quixote-Wunderlich";
const APPLICANT_BIRTH: &str = "1971-02-03";
const APPLICANT_ADDRESS: &str = "17 Quillfeather Lane, Snodsbury";
const EXTRACTED_NAME: &str = "Ottoline Fairweather";
const EXTRACTED_BIRTH: &str = "1968-07-14";
const DOCUMENT_NUMBER: &str = "XK9912345";
/// In the text of a middleware's error, which the refusal event must not quote.
const MIDDLEWARE_SECRET: &str = "refused-for-Ottoline";
/// The `nonce` a middleware smuggles into a query, which the signer refuses.
const SMUGGLED_NONCE: &str = "smuggled-nonce-4d1f";

/// What the proxy saw: every query string and signature, and whether to fail once.
#[derive(Default)]
struct Proxy {
    upstream: String,
    queries: Mutex<Vec<String>>,
    digests: Mutex<Vec<String>>,
    fail_next_session_read: AtomicBool,
}

/// Forwards a request to the emulator as it came, keeping its query and digest; answers the
/// first `GET /sessions/{id}` after `fail_next_session_read` is set with 503.
async fn forward(State(proxy): State<Arc<Proxy>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path_and_query = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    proxy
        .queries
        .lock()
        .unwrap()
        .extend(parts.uri.query().map(str::to_string));
    let digest = parts.headers.get("x-yoti-auth-digest");
    proxy
        .digests
        .lock()
        .unwrap()
        .extend(digest.and_then(|d| d.to_str().ok()).map(str::to_string));
    let session_read = parts.method == "GET" && parts.uri.path().matches('/').count() == 5;
    if session_read && proxy.fail_next_session_read.swap(false, Ordering::SeqCst) {
        let body = json!({"code": "UNAVAILABLE", "message": "try again"}).to_string();
        let json = [("content-type", "application/json")];
        return (axum::http::StatusCode::SERVICE_UNAVAILABLE, json, body).into_response();
    }
    let body = axum::body::to_bytes(body, 1 << 24).await.unwrap();
    let mut upstream = reqwest::Client::new().request(
        parts.method.clone(),
        format!("{}{path_and_query}", proxy.upstream),
    );
    for (name, value) in &parts.headers {
        if name != "host" && name != "content-length" {
            upstream = upstream.header(name, value);
        }
    }
    let answer = upstream.body(body).send().await.unwrap();
    let status = answer.status();
    let content_type = answer.headers().get("content-type").cloned();
    let bytes = answer.bytes().await.unwrap();
    let mut response = (status, bytes).into_response();
    if let Some(content_type) = content_type {
        response.headers_mut().insert("content-type", content_type);
    }
    response
}

/// A middleware of the caller's own that misbehaves on two operations: it smuggles a `nonce`
/// into the query of the session configuration read (so the signer refuses it), and refuses
/// the tracked devices read itself, with personal data in its error's text.
struct Mischief;

#[async_trait::async_trait]
impl reqwest_middleware::Middleware for Mischief {
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: reqwest_middleware::Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let path = request.url().path().to_string();
        if path.ends_with("/configuration") {
            request
                .url_mut()
                .query_pairs_mut()
                .append_pair("nonce", SMUGGLED_NONCE);
        }
        if path.ends_with("/tracked-devices") {
            return Err(reqwest_middleware::Error::middleware(
                std::io::Error::other(format!("{MIDDLEWARE_SECRET} at {path}")),
            ));
        }
        next.run(request, extensions).await
    }
}

fn payload() -> CreateSessionPayload {
    let resources = json!({"applicant_profile": {
        "full_name": APPLICANT_NAME,
        "date_of_birth": APPLICANT_BIRTH,
        "structured_postal_address": {"formatted_address": APPLICANT_ADDRESS},
    }});
    CreateSessionPayload {
        requested_checks: vec![RequestedCheck::new(CheckType::IdDocumentAuthenticity)],
        requested_tasks: vec![RequestedTask::new(TaskType::IdDocumentTextDataExtraction)],
        required_documents: vec![RequiredDocument::new(RequiredDocumentType::IdDocument)],
        resources: Some(serde_json::from_value(resources).unwrap()),
        ..Default::default()
    }
}

fn sandbox_results() -> ResponseConfig {
    let fields = json!({
        "full_name": EXTRACTED_NAME,
        "date_of_birth": EXTRACTED_BIRTH,
        "document_number": DOCUMENT_NUMBER,
    });
    ResponseConfig {
        task_results: Some(SandboxTaskResults {
            id_document_text_data_extraction: vec![SandboxTextExtractionTask {
                result: Some(SandboxTextExtractionResult {
                    document_fields: serde_json::from_value(fields).unwrap(),
                    ..Default::default()
                }),
                ..Default::default()
            }],
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// One client span, as the test expects it.
#[derive(Debug, PartialEq)]
struct Expected {
    operation_id: &'static str,
    method: &'static str,
    path: &'static str,
    status: Option<u16>,
    attempt: u32,
}

fn expect(
    operation_id: &'static str,
    method: &'static str,
    path: &'static str,
    status: Option<u16>,
    attempt: u32,
) -> Expected {
    Expected {
        operation_id,
        method,
        path,
        status,
        attempt,
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_quickstart_run_traces_every_call_and_nothing_personal_or_secret() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    let _default = tracing::subscriber::set_default(subscriber);

    let emulator = Emulator::start().await.unwrap();
    let proxy = Arc::new(Proxy {
        upstream: format!("http://{}", emulator.addr()),
        ..Default::default()
    });
    let app = axum::Router::new()
        .fallback(forward)
        .with_state(proxy.clone());
    let base = format!(
        "http://{}/sandbox/idverify/v1",
        crate::common::serve(app).await
    );

    let retries = ExponentialBackoff::builder()
        .retry_bounds(Duration::from_millis(1), Duration::from_millis(10))
        .build_with_max_retries(2);
    let client = crate::common::builder(emulator.sdk_id(), &base)
        .with(RetryTransientMiddleware::new_with_policy(retries))
        .with(Mischief)
        .build()
        .unwrap();

    // The quickstart: create, configure, read (once failing first), download, then the rest.
    let created = client
        .create_session()
        .body(payload())
        .send()
        .await
        .unwrap();
    let created_status = created.status().as_u16();
    let (session_id, token) = (
        created.session_id.clone(),
        created.client_session_token.clone(),
    );
    let configured = client
        .put_session_response_config()
        .session_id(&session_id)
        .body(sandbox_results())
        .send()
        .await
        .unwrap();
    proxy.fail_next_session_read.store(true, Ordering::SeqCst);
    let session = client
        .get_session()
        .session_id(&session_id)
        .send()
        .await
        .unwrap();
    let media_id =
        serde_json::to_value(&*session).unwrap()["resources"]["id_documents"][0]["document_fields"]
            ["media"]["id"]
            .as_str()
            .expect("the extracted fields' media")
            .to_string();
    let media = client
        .get_media_content()
        .session_id(&session_id)
        .media_id(&media_id)
        .send()
        .await
        .unwrap();
    let media_status = media.status().as_u16();
    let fields = media.into_media().unwrap().bytes().await.unwrap();
    let fields = String::from_utf8_lossy(&fields);
    assert!(fields.contains(DOCUMENT_NUMBER), "{fields}");

    let missing = client
        .get_session()
        .session_id("00000000-0000-4000-8000-000000000000")
        .send()
        .await
        .unwrap_err();
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));
    let by_signer = client
        .get_session_configuration()
        .session_id(&session_id)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(by_signer, idv_api::Error::NotSent(_)),
        "{by_signer}"
    );
    let by_middleware = client
        .get_session_tracked_devices()
        .session_id(&session_id)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(by_middleware, idv_api::Error::NotSent(_)),
        "{by_middleware}"
    );
    let app_config = client
        .get_application_response_config()
        .sdk_id(emulator.sdk_id())
        .send()
        .await;
    let app_config_status = match &app_config {
        Ok(r) => r.status().as_u16(),
        Err(e) => e.status().unwrap().as_u16(),
    };
    let bearer = Client::with_bearer_token(&base, emulator.bearer_token()).unwrap();
    bearer
        .get_session()
        .session_id(&session_id)
        .send()
        .await
        .unwrap();
    let deleted = client
        .delete_session()
        .session_id(&session_id)
        .send()
        .await
        .unwrap();

    let captured = capture.0.lock().unwrap().clone();

    // Every call has its span, in order, with its fields.
    let session_path = "/sessions/{sessionId}";
    let expected = vec![
        expect(
            "createSession",
            "POST",
            "/sessions",
            Some(created_status),
            1,
        ),
        expect(
            "putSessionResponseConfig",
            "PUT",
            "/sessions/{sessionId}/response-config",
            Some(configured.status().as_u16()),
            1,
        ),
        expect("getSession", "GET", session_path, Some(200), 2),
        expect(
            "getMediaContent",
            "GET",
            "/sessions/{sessionId}/media/{mediaId}/content",
            Some(media_status),
            1,
        ),
        expect("getSession", "GET", session_path, Some(404), 1),
        // The signer refused: the attempt reached it, and nothing was sent.
        expect(
            "getSessionConfiguration",
            "GET",
            "/sessions/{sessionId}/configuration",
            None,
            1,
        ),
        // A middleware in front refused: no attempt reached the signer.
        expect(
            "getSessionTrackedDevices",
            "GET",
            "/sessions/{sessionId}/tracked-devices",
            None,
            0,
        ),
        expect(
            "getApplicationResponseConfig",
            "GET",
            "/apps/{sdkId}/response-config",
            Some(app_config_status),
            1,
        ),
        expect("getSession", "GET", session_path, Some(200), 1),
        expect(
            "deleteSession",
            "DELETE",
            session_path,
            Some(deleted.status().as_u16()),
            1,
        ),
    ];
    let spans: Vec<&Captured> = captured
        .iter()
        .filter(|c| c.kind == "span" && c.target == "idv_api")
        .collect();
    let actual: Vec<Expected> = spans
        .iter()
        .map(|s| {
            let field = |name: &str| s.fields.get(name).cloned().unwrap_or_default();
            let known = |v: String| -> &'static str {
                expected
                    .iter()
                    .flat_map(|e| [e.operation_id, e.method, e.path])
                    .find(|k| *k == v)
                    .unwrap_or("?")
            };
            Expected {
                operation_id: known(field("operation_id")),
                method: known(field("method")),
                path: known(field("path")),
                status: s.fields.get("status").map(|v| v.parse().unwrap()),
                attempt: field("attempt").parse().unwrap(),
            }
        })
        .collect();
    assert_eq!(actual, expected, "{spans:#?}");
    for span in &spans {
        assert_eq!(span.name, "idv_api");
        let elapsed: f64 = span.fields["elapsed_ms"].parse().unwrap();
        assert!(elapsed.is_finite() && elapsed >= 0.0, "{span:?}");
    }

    // The events, each in its operation's span.
    let events_in = |index: usize| -> Vec<&Captured> {
        captured
            .iter()
            .filter(|c| c.kind == "event" && c.target == "idv_api" && c.span == spans[index].span)
            .collect()
    };
    let message = |e: &Captured| e.fields.get("message").cloned().unwrap_or_default();
    let retrying = events_in(2);
    assert_eq!(
        retrying.iter().map(|e| message(e)).collect::<Vec<_>>(),
        ["retrying", "response"]
    );
    assert_eq!(retrying[0].fields["attempt"], "2");
    assert_eq!(retrying[0].fields["previous_status"], "503");
    let not_found = events_in(4);
    assert_eq!(message(not_found[0]), "error status");
    assert_eq!(not_found[0].fields["status"], "404");
    let signer = events_in(5);
    assert_eq!(message(signer[0]), "refused before sending");
    assert_eq!(signer[0].fields["refused_by"], "signer");
    assert_eq!(
        signer[0].fields["reason"],
        "the query already has sdkId, nonce or timestamp"
    );
    let middleware = events_in(6);
    assert_eq!(middleware[0].fields["refused_by"], "middleware");
    // reqwest-retry's own event is captured too, and is scanned below.
    assert!(
        captured
            .iter()
            .any(|c| c.target.starts_with("reqwest_retry") && c.kind == "event"),
        "{captured:#?}"
    );
    // So is the emulator's request log.
    assert!(
        captured.iter().any(|c| c.target.starts_with("idv_emulator")
            && c.fields.get("route").map(String::as_str)
                == Some("/sandbox/idverify/v1/sessions/{session_id}")
            && c.fields.get("status").map(String::as_str) == Some("404")
            && c.fields.get("code").map(String::as_str) == Some("SESSION_NOT_FOUND")),
        "{captured:#?}"
    );

    // Nothing personal or secret anywhere: the needles, each known not to be empty.
    let queries = proxy.queries.lock().unwrap().clone();
    let digests = proxy.digests.lock().unwrap().clone();
    // Eight signed requests reached the proxy: the three refused or bearer calls are not signed.
    assert_eq!(queries.len(), 8, "{queries:?}");
    assert_eq!(digests.len(), 8, "{digests:?}");
    let key_line = crate::common::KEY.lines().nth(1).unwrap();
    assert_eq!(key_line.len(), 64, "a line of the key's base64");
    let mut needles: Vec<String> = [
        APPLICANT_NAME,
        APPLICANT_BIRTH,
        APPLICANT_ADDRESS,
        EXTRACTED_NAME,
        EXTRACTED_BIRTH,
        DOCUMENT_NUMBER,
        MIDDLEWARE_SECRET,
        SMUGGLED_NONCE,
        key_line,
        "PRIVATE KEY",
        emulator.sdk_id(),
        emulator.bearer_token(),
        &token,
        &session_id,
        &media_id,
        "sdkId=",
        "nonce=",
        "timestamp=",
    ]
    .map(str::to_string)
    .to_vec();
    for query in &queries {
        let url = reqwest::Url::parse(&format!("http://x/?{query}")).unwrap();
        for (name, value) in url.query_pairs() {
            if name == "nonce" || name == "timestamp" {
                needles.push(value.into_owned());
            }
        }
    }
    needles.extend(digests);
    assert!(needles.len() > 30, "{needles:?}");
    assert!(needles.iter().all(|n| n.len() >= 6), "{needles:?}");
    for record in &captured {
        let texts = [&record.name, &record.target]
            .into_iter()
            .chain(record.fields.keys())
            .chain(record.fields.values());
        for text in texts {
            for needle in &needles {
                assert!(
                    !text.contains(needle.as_str()),
                    "`{needle}` is in a captured {}: {record:?}",
                    record.kind
                );
            }
        }
    }
}
