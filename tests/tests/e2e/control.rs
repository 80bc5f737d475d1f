//! The control plane under `/__emulator/`, over HTTP with no signature (plain reqwest) and
//! through the typed methods: health, reset, the clock and the request journal. Faults are in
//! `faults.rs`.

use std::time::Duration;

use idv_api::sandbox::SandboxConfig;
use idv_api::types::{CheckType, CreateSessionPayload, RequestedCheck};
use idv_emulator::Emulator;
use idv_emulator::control::{Auth, RequestFilter};
use serde_json::{Value, json};

use super::{api_error, code, create, start};

/// A control plane's answer.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) headers: reqwest::header::HeaderMap,
    pub(super) text: String,
}

impl Answer {
    pub(super) fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }

    /// The message of a 400 `ApiError`, after checking that it is one.
    #[track_caller]
    pub(super) fn refusal(&self) -> String {
        assert_eq!(self.status, 400, "{}", self.text);
        let body = self.json();
        assert_eq!(body["code"], "INVALID_CONTROL_REQUEST", "{body}");
        body["message"].as_str().unwrap().to_owned()
    }
}

/// `method` on `/__emulator{path}`, with `body` as `curl -d` sends it (no JSON content type).
pub(super) async fn control(
    emulator: &Emulator,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> Answer {
    let url = format!("{}{path}", emulator.control_url());
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = reqwest::Client::new().request(method, url);
    if let Some(body) = body {
        request = request
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_owned());
    }
    let response = request.send().await.expect("the control plane answers");
    Answer {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        text: response.text().await.unwrap(),
    }
}

/// The journal over HTTP, with `query` (e.g. `?operation=getSession`).
pub(super) async fn journal(emulator: &Emulator, query: &str) -> Vec<Value> {
    let answer = control(emulator, "GET", &format!("/requests{query}"), None).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.json().as_array().unwrap().clone()
}

#[tokio::test]
async fn health_answers_ok_and_unknown_control_paths_get_an_api_error() {
    let (emulator, _) = start().await;
    let health = control(&emulator, "GET", "/health", None).await;
    assert_eq!(
        (health.status, health.json()),
        (200, json!({"status": "ok"}))
    );

    let unknown = control(&emulator, "GET", "/nothing", None).await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json()["code"], "NOT_FOUND");
    assert!(
        unknown.json()["message"]
            .as_str()
            .unwrap()
            .contains("/__emulator/faults")
    );
    let wrong_method = control(&emulator, "GET", "/reset", None).await;
    assert_eq!(wrong_method.status, 405);
    assert_eq!(wrong_method.json()["code"], "METHOD_NOT_ALLOWED");
}

fn authenticity() -> [RequestedCheck; 1] {
    [RequestedCheck::new(CheckType::IdDocumentAuthenticity)]
}

#[tokio::test]
async fn reset_forgets_sessions_the_application_config_the_journal_and_faults() {
    let (emulator, client) = start().await;
    let id = create(
        &client,
        CreateSessionPayload::builder().requested_checks(authenticity()),
    )
    .await;
    let config = SandboxConfig::approve_all().async_report_delay(60);
    let sdk_id = emulator.sdk_id().to_owned();
    let put = client.put_application_response_config().sdk_id(&sdk_id);
    put.body(config).send().await.unwrap();
    let post = r#"{"operation": "getSupportedDocuments", "status": 503}"#;
    assert_eq!(
        control(&emulator, "POST", "/faults", Some(post))
            .await
            .status,
        201
    );
    emulator.advance(Duration::from_secs(5));

    let reset = control(&emulator, "POST", "/reset", None).await;
    assert_eq!(reset.status, 204, "{}", reset.text);

    assert_eq!(journal(&emulator, "").await, Vec::<Value>::new());
    assert_eq!(
        control(&emulator, "GET", "/faults", None).await.json(),
        json!([])
    );
    assert_eq!(emulator.clock_offset(), Duration::ZERO);
    let (status, error) = api_error(client.get_session().session_id(&id).send().await);
    assert_eq!((status, code(&error)), (404, "SESSION_NOT_FOUND"));
    let app = client.get_application_response_config().sdk_id(&sdk_id);
    let app = app.send().await.unwrap().into_inner();
    assert_eq!(serde_json::to_value(app).unwrap(), json!({}));
    // The numbering starts again: these two are the first since the reset.
    let seqs: Vec<Value> = journal(&emulator, "")
        .await
        .iter()
        .map(|e| e["seq"].clone())
        .collect();
    assert_eq!(seqs, [json!(1), json!(2)]);
}

#[tokio::test]
async fn the_typed_reset_does_the_same() {
    let (emulator, client) = start().await;
    let id = create(&client, CreateSessionPayload::builder()).await;
    assert_eq!(emulator.stats().authenticated, 1);
    emulator.reset();
    assert_eq!(emulator.requests(&RequestFilter::all()), []);
    assert_eq!(emulator.stats().authenticated, 0);
    let (status, _) = api_error(client.get_session().session_id(&id).send().await);
    assert_eq!(status, 404);
}

#[tokio::test]
async fn advancing_the_clock_completes_checks_held_back_by_async_report_delay() {
    let (emulator, client) = start().await;
    let sdk_id = emulator.sdk_id().to_owned();
    let config = SandboxConfig::approve_all().async_report_delay(60);
    let put = client.put_application_response_config().sdk_id(&sdk_id);
    put.body(config).send().await.unwrap();
    let id = create(
        &client,
        CreateSessionPayload::builder().requested_checks(authenticity()),
    )
    .await;
    let state = async || {
        let session = client.get_session().session_id(&id).send().await.unwrap();
        let check = session.checks.first().cloned().expect("the check");
        check.state.map(|s| s.to_string())
    };
    assert_eq!(state().await.as_deref(), Some("PENDING"));

    let advanced = control(
        &emulator,
        "POST",
        "/clock/advance",
        Some(r#"{"seconds": 61}"#),
    )
    .await;
    assert_eq!(advanced.status, 200, "{}", advanced.text);
    assert_eq!(advanced.json()["offset_ms"], 61_000);
    assert!(
        advanced.json()["now"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );
    assert_eq!(emulator.clock_offset(), Duration::from_secs(61));
    assert_eq!(state().await.as_deref(), Some("DONE"));
}

#[tokio::test]
async fn a_bad_clock_advance_is_refused_saying_why() {
    let (emulator, _) = start().await;
    for (body, says) in [
        (
            r#"{"seconds": -1}"#,
            "`seconds`: must be a non-negative integer; it is -1",
        ),
        (
            r#"{"seconds": 1.5}"#,
            "`seconds`: must be a non-negative integer; it is 1.5",
        ),
        (
            r#"{"seconds": "60"}"#,
            "must be a non-negative integer; it is \"60\"",
        ),
        ("{}", "`seconds` is missing"),
        (
            r#"{"seconds": 1, "minutes": 1}"#,
            "`minutes` is not a field here",
        ),
        ("sixty", "the body is not JSON"),
        ("[60]", "the body must be a JSON object"),
        (
            r#"{"seconds": 18446744073709551615}"#,
            "the clock may be at most 3153600000 s ahead",
        ),
    ] {
        let answer = control(&emulator, "POST", "/clock/advance", Some(body)).await;
        let message = answer.refusal();
        assert!(message.contains(says), "{body}: {message}");
    }
    assert_eq!(emulator.clock_offset(), Duration::ZERO);
}

#[tokio::test]
async fn the_journal_lists_operations_with_status_and_authentication() {
    let (emulator, client) = start().await;
    let id = create(&client, CreateSessionPayload::builder()).await;
    client.get_session().session_id(&id).send().await.unwrap();
    let _ = client
        .get_session()
        .session_id("no-such-session")
        .send()
        .await;
    let bearer =
        idv_api::Client::with_bearer_token(&emulator.sandbox_url(), emulator.bearer_token());
    bearer
        .unwrap()
        .get_session()
        .session_id(&id)
        .send()
        .await
        .unwrap();
    // Unsigned, with a query that must never be journaled.
    let url = format!(
        "{}/sessions/{id}?sdkId={}&nonce=NONCE-SECRET&timestamp=1",
        emulator.sandbox_url(),
        emulator.sdk_id()
    );
    let refused = reqwest::Client::new()
        .get(url)
        .header("X-Yoti-Auth-Digest", "SIGNATURE-SECRET")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);

    let raw = control(&emulator, "GET", "/requests", None).await;
    assert_eq!(raw.headers["x-emulator-dropped"], "0");
    for secret in [
        "NONCE-SECRET",
        "SIGNATURE-SECRET",
        "nonce",
        "timestamp",
        "?",
        emulator.sdk_id(),
        emulator.bearer_token(),
    ] {
        assert!(
            !raw.text.contains(secret),
            "the journal holds {secret}: {}",
            raw.text
        );
    }
    let entries = raw.json();
    let summary: Vec<(&str, &str, &str, i64, &str)> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["method"].as_str().unwrap(),
                e["operation"].as_str().unwrap(),
                e["session"].as_str().unwrap_or("-"),
                e["status"].as_i64().unwrap(),
                e["auth"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("POST", "createSession", "-", 201, "signature"),
            ("GET", "getSession", id.as_str(), 200, "signature"),
            ("GET", "getSession", "no-such-session", 404, "signature"),
            ("GET", "getSession", id.as_str(), 200, "bearer"),
            ("GET", "getSession", id.as_str(), 401, "refused"),
        ]
    );
    let first = &entries[0];
    assert_eq!(first["path"], "/sandbox/idverify/v1/sessions");
    assert_eq!((&first["seq"], &first["fault"]), (&json!(1), &Value::Null));
    let time = first["time"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(time).is_ok(), "{time}");
    assert_eq!(
        entries[1]["path"],
        format!("/sandbox/idverify/v1/sessions/{id}")
    );

    // The typed journal is the same journal.
    let typed = emulator.requests(&RequestFilter::all());
    assert_eq!(typed.len(), 5);
    assert_eq!(typed[3].auth, Auth::Bearer);
    assert_eq!(typed[4].status, Some(401));
}

#[tokio::test]
async fn the_journal_filters_by_operation_and_session() {
    let (emulator, client) = start().await;
    let one = create(&client, CreateSessionPayload::builder()).await;
    let two = create(&client, CreateSessionPayload::builder()).await;
    for id in [&one, &two, &one] {
        client.get_session().session_id(id).send().await.unwrap();
    }
    client
        .get_session_configuration()
        .session_id(&one)
        .send()
        .await
        .unwrap();

    let count = async |query: &str| journal(&emulator, query).await.len();
    assert_eq!(count("?operation=getSession").await, 3);
    assert_eq!(count("?operation=createSession").await, 2);
    assert_eq!(count(&format!("?session={one}")).await, 3);
    assert_eq!(
        count(&format!("?session={one}&operation=getSession")).await,
        2
    );
    let filter = RequestFilter::all().session(&two).operation("getSession");
    assert_eq!(emulator.requests(&filter).len(), 1);

    let typo = control(&emulator, "GET", "/requests?operation=getSesion", None).await;
    let message = typo.refusal();
    assert!(
        message.contains("`getSesion` is not an operation of the spec"),
        "{message}"
    );
    assert!(
        message.contains("getSession") && message.contains("createSession"),
        "{message}"
    );
    let unknown = control(&emulator, "GET", "/requests?op=getSession", None).await;
    assert!(unknown.refusal().contains("`op` is not a filter"));
}

#[tokio::test]
async fn the_journal_keeps_the_last_entries_and_says_how_many_went() {
    let emulator = Emulator::builder()
        .journal_capacity(3)
        .start()
        .await
        .unwrap();
    let client = super::client(&emulator, &emulator.sandbox_url());
    for _ in 0..5 {
        client.get_supported_documents().send().await.unwrap();
    }
    let answer = control(&emulator, "GET", "/requests", None).await;
    assert_eq!(answer.headers["x-emulator-dropped"], "2");
    let seqs: Vec<Value> = answer
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].clone())
        .collect();
    assert_eq!(seqs, [json!(3), json!(4), json!(5)]);
    assert_eq!(emulator.requests_dropped(), 2);
    assert_eq!(emulator.requests(&RequestFilter::all()).len(), 3);
}
