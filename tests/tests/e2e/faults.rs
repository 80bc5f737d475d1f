//! Faults injected through the control plane (`/__emulator/faults`) and the typed
//! `Emulator::inject`: error statuses, delays, dropped connections, as a client sees them.

use std::time::Duration;

use idv_api::types::CreateSessionPayload;
use idv_emulator::Emulator;
use idv_emulator::control::{Auth, Fault, RequestFilter};
use reqwest_retry::RetryTransientMiddleware;
use reqwest_retry::policies::ExponentialBackoff;
use serde_json::{Value, json};

use super::control::{control, journal};
use super::{create, start};

/// Injects a fault from its JSON; returns its id.
async fn inject(emulator: &Emulator, fault: &str) -> u64 {
    let answer = control(emulator, "POST", "/faults", Some(fault)).await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    answer.json()["id"].as_u64().unwrap()
}

/// The status of each getSession in the journal, and the fault applied to it.
async fn get_sessions(emulator: &Emulator) -> Vec<(Value, Value)> {
    let entries = journal(emulator, "?operation=getSession").await;
    entries
        .into_iter()
        .map(|e| (e["status"].clone(), e["fault"].clone()))
        .collect()
}

#[tokio::test]
async fn a_503_once_then_success() {
    let (emulator, client) = start().await;
    let id = create(&client, CreateSessionPayload::builder()).await;
    let fault = r#"{"operation": "getSession", "status": 503, "times": 1}"#;
    let answer = control(&emulator, "POST", "/faults", Some(fault)).await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    let injected = answer.json();
    assert_eq!(injected["operation"], "getSession");
    assert_eq!(
        (&injected["status"], &injected["remaining"]),
        (&json!(503), &json!(1))
    );
    let listed = control(&emulator, "GET", "/faults", None).await.json();
    assert_eq!(listed, json!([injected]));

    let error = client
        .get_session()
        .session_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    client.get_session().session_id(&id).send().await.unwrap();

    let fault_id = injected["id"].clone();
    assert_eq!(
        get_sessions(&emulator).await,
        [(json!(503), fault_id), (json!(200), Value::Null)]
    );
    let first = &journal(&emulator, "?operation=getSession").await[0];
    assert_eq!(
        first["auth"], "none",
        "a fault answers before authentication"
    );
    assert_eq!(
        control(&emulator, "GET", "/faults", None).await.json(),
        json!([])
    );
}

#[tokio::test]
async fn times_is_honoured() {
    let (emulator, client) = start().await;
    let id = create(&client, CreateSessionPayload::builder()).await;
    let fault = inject(
        &emulator,
        r#"{"operation": "getSession", "status": 500, "times": 2}"#,
    )
    .await;
    for _ in 0..3 {
        let _ = client.get_session().session_id(&id).send().await;
    }
    assert_eq!(
        get_sessions(&emulator).await,
        [
            (json!(500), json!(fault)),
            (json!(500), json!(fault)),
            (json!(200), Value::Null)
        ]
    );
}

#[tokio::test]
async fn a_fault_without_operation_or_with_star_applies_to_every_operation() {
    let (emulator, client) = start().await;
    for fault in [
        r#"{"status": 502, "times": 2}"#,
        r#"{"operation": "*", "status": 502, "times": 1}"#,
    ] {
        inject(&emulator, fault).await;
    }
    let created = client
        .create_session()
        .body(CreateSessionPayload::builder())
        .send()
        .await;
    assert_eq!(created.unwrap_err().status().map(|s| s.as_u16()), Some(502));
    let documents = client.get_supported_documents().send().await;
    assert_eq!(
        documents.unwrap_err().status().map(|s| s.as_u16()),
        Some(502)
    );
    let id = "any-session";
    let session = client.get_session().session_id(id).send().await;
    assert_eq!(session.unwrap_err().status().map(|s| s.as_u16()), Some(502));
    create(&client, CreateSessionPayload::builder()).await;

    let operations: Vec<(Value, Value)> = journal(&emulator, "")
        .await
        .into_iter()
        .map(|e| (e["operation"].clone(), e["status"].clone()))
        .collect();
    assert_eq!(
        operations,
        [
            (json!("createSession"), json!(502)),
            (json!("getSupportedDocuments"), json!(502)),
            (json!("getSession"), json!(502)),
            (json!("createSession"), json!(201)),
        ]
    );
}

#[tokio::test]
async fn a_delay_answers_as_usual_and_is_journaled() {
    let (emulator, client) = start().await;
    let id = create(&client, CreateSessionPayload::builder()).await;
    let fault = inject(
        &emulator,
        r#"{"operation": "getSession", "delay_ms": 50, "times": 1}"#,
    )
    .await;
    client.get_session().session_id(&id).send().await.unwrap();
    let entries = journal(&emulator, "?operation=getSession").await;
    assert_eq!(
        (&entries[0]["status"], &entries[0]["fault"]),
        (&json!(200), &json!(fault))
    );
    assert_eq!(
        entries[0]["auth"], "signature",
        "after a delay, the request goes on"
    );
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error() {
    let (emulator, client) = start().await;
    let id = create(&client, CreateSessionPayload::builder()).await;
    let fault = inject(
        &emulator,
        r#"{"operation": "getSession", "drop": true, "times": 1}"#,
    )
    .await;
    match client.get_session().session_id(&id).send().await {
        Err(idv_api::Error::CommunicationError(error)) => assert!(error.status().is_none()),
        other => panic!("expected a communication error, got {other:?}"),
    }
    client.get_session().session_id(&id).send().await.unwrap();
    assert_eq!(
        get_sessions(&emulator).await,
        [(Value::Null, json!(fault)), (json!(200), Value::Null)]
    );
}

/// The statuses of `n` unsigned `GET /supported-documents` (401 unless a fault answers).
async fn statuses(emulator: &Emulator, n: usize) -> Vec<u16> {
    let url = format!("{}/supported-documents", emulator.base_url());
    let mut statuses = Vec::new();
    for _ in 0..n {
        let response = reqwest::get(&url).await.unwrap();
        statuses.push(response.status().as_u16());
    }
    statuses
}

#[tokio::test]
async fn probabilities_one_and_zero_are_always_and_never_and_a_seed_repeats_a_run() {
    let (emulator, _) = start().await;
    let always = inject(&emulator, r#"{"status": 503, "probability": 1.0}"#).await;
    assert_eq!(statuses(&emulator, 20).await, [503; 20]);
    assert_eq!(
        control(&emulator, "DELETE", &format!("/faults/{always}"), None)
            .await
            .status,
        204
    );
    inject(&emulator, r#"{"status": 503, "probability": 0}"#).await;
    assert_eq!(statuses(&emulator, 20).await, [401; 20]);

    let mut runs = Vec::new();
    for _ in 0..2 {
        let emulator = Emulator::builder().seed(7).start().await.unwrap();
        assert_eq!(emulator.seed(), 7);
        inject(&emulator, r#"{"status": 503, "probability": 0.5}"#).await;
        runs.push(statuses(&emulator, 20).await);
    }
    assert_eq!(runs[0], runs[1], "the same seed, the same faults");
    assert!(
        runs[0].contains(&503) && runs[0].contains(&401),
        "{:?}",
        runs[0]
    );
}

#[tokio::test]
async fn a_429_has_retry_after_and_a_retrying_client_gets_through() {
    let (emulator, _) = start().await;
    inject(
        &emulator,
        r#"{"operation": "getSupportedDocuments", "status": 429, "times": 1}"#,
    )
    .await;
    let url = format!("{}/supported-documents", emulator.base_url());
    let limited = reqwest::get(&url).await.unwrap();
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["retry-after"], "1");
    let body: Value = limited.json().await.unwrap();
    assert_eq!(body["code"], "TOO_MANY_REQUESTS");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("injected by the emulator's control plane")
    );

    let id = {
        let plain = super::client(&emulator, &emulator.sandbox_url());
        create(&plain, CreateSessionPayload::builder()).await
    };
    inject(
        &emulator,
        r#"{"operation": "getSession", "status": 429, "retry_after": 0, "times": 1}"#,
    )
    .await;
    let policy = ExponentialBackoff::builder()
        .retry_bounds(Duration::from_millis(1), Duration::from_millis(10))
        .build_with_max_retries(2);
    let client = idv_api::Client::builder(super::signer(&emulator, &emulator.sandbox_url()))
        .with(RetryTransientMiddleware::new_with_policy(policy))
        .build()
        .unwrap();
    client.get_session().session_id(&id).send().await.unwrap();
    let attempts: Vec<Value> = get_sessions(&emulator)
        .await
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert_eq!(attempts, [json!(429), json!(200)]);
}

#[tokio::test]
async fn delete_clears_every_fault_or_one() {
    let (emulator, _) = start().await;
    let one = inject(&emulator, r#"{"status": 500}"#).await;
    let two = inject(&emulator, r#"{"status": 502}"#).await;
    assert_eq!(
        control(&emulator, "DELETE", &format!("/faults/{one}"), None)
            .await
            .status,
        204
    );
    let left = control(&emulator, "GET", "/faults", None).await.json();
    assert_eq!(left.as_array().unwrap().len(), 1);
    assert_eq!(left[0]["id"], two);
    let again = control(&emulator, "DELETE", &format!("/faults/{one}"), None).await;
    assert_eq!(
        (again.status, again.json()["code"].clone()),
        (404, json!("FAULT_NOT_FOUND"))
    );
    inject(&emulator, r#"{"status": 503}"#).await;
    assert_eq!(
        control(&emulator, "DELETE", "/faults", None).await.status,
        204
    );
    assert_eq!(
        control(&emulator, "GET", "/faults", None).await.json(),
        json!([])
    );
}

#[tokio::test]
async fn a_bad_fault_is_refused_saying_why() {
    let (emulator, _) = start().await;
    for (body, says) in [
        (
            r#"{"operation": "getSession", "status": 404}"#,
            "`status`: 404 is not one of 429, 500, 502 or 503",
        ),
        (
            r#"{"status": 503, "times": 0}"#,
            "`times`: must be at least 1",
        ),
        (
            r#"{"status": 503, "probability": 1.5}"#,
            "`probability`: 1.5 is not from 0 to 1",
        ),
        (
            r#"{"status": 503, "probability": "high"}"#,
            "`probability`: must be a number from 0 to 1",
        ),
        (
            r#"{"operation": "getSesion", "status": 503}"#,
            "`getSesion` is not an operation of the spec; they are",
        ),
        (
            r#"{"statuss": 503}"#,
            "`statuss` is not a field here; the fields are operation, status,",
        ),
        (
            r#"{"status": "503"}"#,
            "`status`: must be a non-negative integer; it is \"503\"",
        ),
        (r#"{"drop": "yes"}"#, "`drop`: must be true or false"),
        (
            r#"{"operation": 1, "status": 503}"#,
            "`operation`: must be a string",
        ),
        (
            "{}",
            "a fault needs a `status`, a `delay_ms` or `\"drop\": true`",
        ),
        (r#"{"status": 503, "drop": true}"#, "not both"),
        (
            r#"{"status": 503, "retry_after": 5}"#,
            "`retry_after` goes only with `status` 429",
        ),
        (r#"{"delay_ms": 600001}"#, "`delay_ms`: at most 600000"),
        ("status=503", "the body is not JSON"),
        ("[]", "the body must be a JSON object"),
    ] {
        let message = control(&emulator, "POST", "/faults", Some(body))
            .await
            .refusal();
        assert!(message.contains(says), "{body}: {message}");
    }
    let unknown = r#"{"operation": "getSesion", "status": 503}"#;
    let message = control(&emulator, "POST", "/faults", Some(unknown))
        .await
        .refusal();
    assert!(
        message.contains("getSession, getSessionConfiguration"),
        "{message}"
    );
    assert_eq!(
        control(&emulator, "GET", "/faults", None).await.json(),
        json!([])
    );
}

#[tokio::test]
async fn the_typed_methods_inject_list_and_clear() {
    let (emulator, client) = start().await;
    let id = create(&client, CreateSessionPayload::builder()).await;
    let injected = emulator
        .inject(Fault::status(503).operation("getSession").times(1))
        .unwrap();
    assert_eq!(emulator.faults(), std::slice::from_ref(&injected));
    // The HTTP list shows the typed fault.
    let listed = control(&emulator, "GET", "/faults", None).await.json();
    assert_eq!(listed[0]["id"], injected.id);
    let error = client
        .get_session()
        .session_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    let entries = emulator.requests(&RequestFilter::all().operation("getSession"));
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].status, entries[0].auth, entries[0].fault),
        (Some(503), Auth::None, Some(injected.id))
    );
    assert_eq!(entries[0].session.as_deref(), Some(id.as_str()));

    let refused = emulator.inject(Fault::status(404)).unwrap_err();
    assert_eq!(
        refused.to_string(),
        "`status`: 404 is not one of 429, 500, 502 or 503"
    );
    let star = emulator.inject(Fault::status(429).operation("*")).unwrap();
    assert_eq!(
        (star.fault.operation, star.fault.retry_after),
        (None, Some(1))
    );
    let slow = emulator
        .inject(Fault::delay(Duration::from_millis(1)))
        .unwrap();
    assert!(emulator.remove_fault(slow.id));
    assert!(!emulator.remove_fault(slow.id));
    emulator.clear_faults();
    assert_eq!(emulator.faults(), []);
}
