//! Each documented error status of the operations (400 with one error per bad property,
//! 404, 409, no sandbox operations on the production base), an `ApiError` body for every
//! error, and the limits: extreme numbers, and request schemas read from the spec the emulator
//! starts with.

use std::time::Duration;

use idv_api::types::{
    CheckState, CheckType, CreateSessionPayload, ManualCheck, RequestedCheck, RequestedCheckConfig,
    ResponseConfig, SandboxCheckReports, SessionState,
};
use serde_json::{Value, json};

use super::operations::full_payload;
use super::{api_error, client, code, create, start, typed};

#[tokio::test]
async fn a_bad_payload_gets_400_with_one_error_per_property() {
    let (emulator, client) = start().await;
    let mut payload = CreateSessionPayload::builder()
        .client_session_token_ttl(600)
        .session_deadline(super::from_now(0))
        .resources_ttl(3600);
    let mut extra = serde_json::Map::new();
    extra.insert("user_trackng_id".into(), json!("a typo"));
    extra.insert("block_biometric_consent".into(), json!("yes"));
    payload = payload.extra(extra);
    let (status, error) = api_error(client.create_session().body(payload).send().await);
    assert_eq!((status, code(&error)), (400, "PAYLOAD_VALIDATION"));
    let mut errors: Vec<(String, String)> = error
        .errors
        .iter()
        .map(|e| (e.property.clone().unwrap(), e.message.clone().unwrap()))
        .collect();
    errors.sort();
    assert_eq!(
        errors,
        [
            (
                "block_biometric_consent".to_owned(),
                r#""yes" is not of type "boolean""#.to_owned()
            ),
            (
                "resources_ttl".to_owned(),
                "3600 is less than the minimum of 86700".to_owned()
            ),
            (
                "session_deadline".to_owned(),
                "client_session_token_ttl and session_deadline may not be used together."
                    .to_owned()
            ),
            (
                "user_trackng_id".to_owned(),
                "is not a property the API knows".to_owned()
            ),
        ]
    );

    // Nested properties are named by their path; the response config is checked too.
    let ibv = RequestedCheck {
        config: Some(RequestedCheckConfig {
            manual_check: Some(ManualCheck::Ibv),
            ..Default::default()
        }),
        ..RequestedCheck::new(CheckType::IdDocumentAuthenticity)
    };
    let payload = CreateSessionPayload::builder()
        .requested_checks([RequestedCheck::new(CheckType::Liveness), ibv]);
    let (_, error) = api_error(client.create_session().body(payload).send().await);
    assert_eq!(error.errors.len(), 1, "{error:?}");
    assert_eq!(
        error.errors[0].property.as_deref(),
        Some("requested_checks[1].config.manual_check")
    );
    assert_eq!(
        error.errors[0].message.as_deref(),
        Some(
            r#""IBV" is allowed only for DOCUMENT_SCHEME_VALIDITY_CHECK and IBV_VISUAL_REVIEW_CHECK checks, not for ID_DOCUMENT_AUTHENTICITY"#
        )
    );
    let config: ResponseConfig = typed(json!({"check_reports": {"LIVENES": []}}));
    let (status, error) = api_error(
        client
            .put_application_response_config()
            .sdk_id(emulator.sdk_id())
            .body(config.clone())
            .send()
            .await,
    );
    assert_eq!(status, 400);
    assert_eq!(
        error.errors[0].property.as_deref(),
        Some("check_reports.LIVENES")
    );
    let session = emulator.demo_session();
    let (status, error) = api_error(
        client
            .put_session_response_config()
            .session_id(&session)
            .body(config)
            .send()
            .await,
    );
    assert_eq!((status, code(&error)), (400, "PAYLOAD_VALIDATION"));
}

#[tokio::test]
async fn unknown_ids_get_404() {
    let (emulator, client) = start().await;
    let (status, error) = api_error(
        client
            .get_session()
            .session_id("no-such-session")
            .send()
            .await,
    );
    assert_eq!((status, code(&error)), (404, "SESSION_NOT_FOUND"));
    assert!(error.message.unwrap().contains("no-such-session"));
    let (status, _) = api_error(client.delete_session().session_id("nope").send().await);
    assert_eq!(status, 404);
    let (status, _) = api_error(
        client
            .get_media_content()
            .session_id("nope")
            .media_id("m")
            .send()
            .await,
    );
    assert_eq!(status, 404);
    let (status, _) = api_error(
        client
            .delete_media_content()
            .session_id("nope")
            .media_id("m")
            .send()
            .await,
    );
    assert_eq!(status, 404);
    let (status, _) = api_error(
        client
            .get_session_response_config()
            .session_id("nope")
            .send()
            .await,
    );
    assert_eq!(status, 404);
    let (status, _) = api_error(
        client
            .put_session_response_config()
            .session_id("nope")
            .body(ResponseConfig::default())
            .send()
            .await,
    );
    assert_eq!(status, 404);
    let (status, error) = api_error(
        client
            .get_application_response_config()
            .sdk_id("other-app")
            .send()
            .await,
    );
    assert_eq!((status, code(&error)), (404, "APP_NOT_FOUND"));
    let (status, _) = api_error(
        client
            .put_application_response_config()
            .sdk_id("other-app")
            .body(ResponseConfig::default())
            .send()
            .await,
    );
    assert_eq!(status, 404);

    // An existing session, unknown media.
    let id = emulator.demo_session();
    let (status, error) = api_error(
        client
            .get_media_content()
            .session_id(&id)
            .media_id("nope")
            .send()
            .await,
    );
    assert_eq!((status, code(&error)), (404, "MEDIA_NOT_FOUND"));
    let (status, _) = api_error(
        client
            .delete_media_content()
            .session_id(&id)
            .media_id("nope")
            .send()
            .await,
    );
    assert_eq!(status, 404);
}

#[tokio::test]
async fn checks_held_back_lock_the_session_with_409() {
    let (emulator, client) = start().await;
    let config = ResponseConfig {
        check_reports: Some(SandboxCheckReports {
            async_report_delay: Some(3600),
            ..Default::default()
        }),
        ..Default::default()
    };
    client
        .put_application_response_config()
        .sdk_id(emulator.sdk_id())
        .body(config)
        .send()
        .await
        .unwrap();
    let id = create(&client, full_payload()).await;

    let session = client.get_session().session_id(&id).send().await.unwrap();
    assert_eq!(session.state, Some(SessionState::Ongoing));
    assert!(
        session
            .checks
            .iter()
            .all(|c| c.state == Some(CheckState::Pending) && c.report.is_none())
    );
    let (status, error) = api_error(client.delete_session().session_id(&id).send().await);
    assert_eq!((status, code(&error)), (409, "SESSION_LOCKED"));
    let media = session.resources.as_ref().unwrap().id_documents[0].pages[0]
        .media
        .clone()
        .unwrap()
        .id
        .unwrap();
    let (status, _) = api_error(
        client
            .delete_media_content()
            .session_id(&id)
            .media_id(&media)
            .send()
            .await,
    );
    assert_eq!(status, 409);

    emulator.advance(Duration::from_secs(3600));
    let session = client.get_session().session_id(&id).send().await.unwrap();
    assert_eq!(session.state, Some(SessionState::Completed));
    assert!(
        session
            .checks
            .iter()
            .all(|c| c.state == Some(CheckState::Done) && c.report.is_some())
    );
    client
        .delete_media_content()
        .session_id(&id)
        .media_id(&media)
        .send()
        .await
        .unwrap();
    client
        .delete_session()
        .session_id(&id)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn the_production_base_has_no_sandbox_operations() {
    let (emulator, _) = start().await;
    let production = client(&emulator, &emulator.base_url());
    let id = production
        .create_session()
        .body(CreateSessionPayload::default())
        .send()
        .await
        .unwrap();
    let id = id.session_id.clone();
    production
        .get_session()
        .session_id(&id)
        .send()
        .await
        .unwrap();
    let (status, error) = api_error(
        production
            .get_application_response_config()
            .sdk_id(emulator.sdk_id())
            .send()
            .await,
    );
    assert_eq!((status, code(&error)), (404, "NOT_FOUND"));
    let (status, _) = api_error(
        production
            .get_session_response_config()
            .session_id(&id)
            .send()
            .await,
    );
    assert_eq!(status, 404);
}

#[tokio::test]
async fn every_error_body_is_an_api_error() {
    let (emulator, _) = start().await;
    let http = reqwest::Client::new();
    let signer = super::signer(&emulator, &emulator.sandbox_url());
    let send = |method: reqwest::Method, path: &str, body: Option<&'static str>| {
        let mut request = http.request(method, format!("{}{path}", emulator.sandbox_url()));
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        let mut request = request.build().unwrap();
        signer.sign_request(&mut request).unwrap();
        http.execute(request)
    };
    let cases = [
        (
            send(reqwest::Method::POST, "/sessions", Some("{not json")).await,
            400,
            "PAYLOAD_VALIDATION",
        ),
        (
            send(reqwest::Method::POST, "/sessions", Some("[]")).await,
            400,
            "PAYLOAD_VALIDATION",
        ),
        (
            send(reqwest::Method::PUT, "/sessions", None).await,
            405,
            "METHOD_NOT_ALLOWED",
        ),
        (
            send(reqwest::Method::GET, "/no/such/operation", None).await,
            404,
            "NOT_FOUND",
        ),
        (
            http.get(format!("http://{}/", emulator.addr()))
                .send()
                .await,
            404,
            "NOT_FOUND",
        ),
    ];
    for (response, status, expected) in cases {
        let response = response.unwrap();
        assert_eq!(response.status().as_u16(), status);
        assert_eq!(response.headers()["content-type"], "application/json");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], expected, "{body}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{body}"
        );
    }
}

#[tokio::test]
async fn extreme_numbers_are_handled() {
    let (emulator, client) = start().await;
    let config = ResponseConfig {
        check_reports: Some(SandboxCheckReports {
            async_report_delay: Some(i64::MAX),
            ..Default::default()
        }),
        ..Default::default()
    };
    client
        .put_application_response_config()
        .sdk_id(emulator.sdk_id())
        .body(config)
        .send()
        .await
        .unwrap();
    let payload = CreateSessionPayload::builder()
        .client_session_token_ttl(i64::MAX)
        .resources_ttl(i64::MAX)
        .requested_checks([RequestedCheck::new(CheckType::Liveness)]);
    let id = create(&client, payload).await;
    emulator.advance(Duration::from_secs(u64::MAX / 2));
    let session = client.get_session().session_id(&id).send().await.unwrap();
    assert_eq!(
        session.checks[0].state,
        Some(CheckState::Pending),
        "held back for ever"
    );
    let (status, _) = api_error(client.delete_session().session_id(&id).send().await);
    assert_eq!(status, 409);
}

/// The request schemas come from the spec the emulator is given when it starts, not from
/// code: a spec with another `resources_ttl` minimum accepts what the built-in one refuses.
#[tokio::test]
async fn the_spec_is_read_when_the_emulator_starts() {
    let spec = include_str!("../../../spec/idv.yaml");
    assert!(spec.contains("minimum: 86700"));
    let emulator = idv_emulator::Emulator::builder()
        .spec(spec.replace("minimum: 86700", "minimum: 3600"))
        .start()
        .await
        .unwrap();
    let payload = CreateSessionPayload {
        resources_ttl: Some(3600),
        ..Default::default()
    };
    let relaxed = client(&emulator, &emulator.sandbox_url());
    let created = relaxed
        .create_session()
        .body(payload.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);

    let (_default, strict) = start().await;
    let (status, _) = api_error(strict.create_session().body(payload).send().await);
    assert_eq!(status, 400);

    let broken = idv_emulator::Emulator::builder()
        .spec("openapi: [")
        .start()
        .await;
    assert!(
        matches!(broken, Err(idv_emulator::StartError::Spec(_))),
        "{broken:?}"
    );
}
