//! Where the emulator once differed from the API, found by running the official Node and
//! Python SDKs' flows against it (issue 18, part 5). Each test says what the SDKs expect.

use std::time::Duration;

use idv_api::Client;
use idv_api::sandbox::SandboxConfig;
use idv_api::types::{
    CheckState, CheckType, CreateSessionPayload, GetSessionResult, LivenessType,
    RecommendationValue, RequestedCheck, RequestedCheckConfig, RequiredResource,
    RequiredResourceType, ResponseConfig, SessionConfigurationResponse, SessionState,
};
use serde_json::json;

use super::{create, start};

async fn configuration(client: &Client, id: &str) -> SessionConfigurationResponse {
    let response = client.get_session_configuration().session_id(id).send();
    response.await.unwrap().into_inner()
}

async fn session(client: &Client, id: &str) -> GetSessionResult {
    client
        .get_session()
        .session_id(id)
        .send()
        .await
        .unwrap()
        .into_inner()
}

fn requirement(
    configuration: &SessionConfigurationResponse,
    kind: RequiredResourceType,
) -> &RequiredResource {
    let capture = configuration.capture.as_ref().unwrap();
    (capture.required_resources.iter())
        .find(|r| r.type_.as_ref() == Some(&kind))
        .expect("the requirement")
}

fn checks(kinds: &[CheckType]) -> Vec<RequestedCheck> {
    kinds.iter().cloned().map(RequestedCheck::new).collect()
}

async fn put_app_config(client: &Client, emulator: &idv_emulator::Emulator, config: SandboxConfig) {
    let config = ResponseConfig::try_from(config).unwrap();
    let put = client
        .put_application_response_config()
        .sdk_id(emulator.sdk_id());
    put.body(config).send().await.unwrap();
}

fn recommendation(session: &GetSessionResult, kind: CheckType) -> Option<RecommendationValue> {
    let check = session
        .checks
        .iter()
        .find(|c| c.type_.as_ref() == Some(&kind))?;
    check
        .report
        .as_ref()?
        .recommendation
        .as_ref()?
        .value
        .clone()
}

/// The Node SDK's `CaptureResponse` throws "biometric_consent must be a string" when the
/// property is missing or not a string, so every configuration carries it, as a state. Yoti's
/// docs show `"NOT_REQUIRED"` for a session that captures no face.
#[tokio::test]
async fn every_configuration_says_the_state_of_biometric_consent() {
    let (_emulator, client) = start().await;
    let liveness = || checks(&[CheckType::Liveness]);
    let cases = [
        (
            "a document-only session",
            checks(&[CheckType::IdDocumentAuthenticity]),
            None,
            "NOT_REQUIRED",
        ),
        ("a session without checks", Vec::new(), None, "NOT_REQUIRED"),
        ("a liveness session", liveness(), None, "COMPLETE"),
        (
            "a liveness session that blocks consent",
            liveness(),
            Some(true),
            "NOT_REQUIRED",
        ),
    ];
    for (what, requested_checks, block, expected) in cases {
        let payload = CreateSessionPayload {
            requested_checks,
            block_biometric_consent: block,
            ..Default::default()
        };
        let id = create(&client, payload).await;
        let capture = configuration(&client, &id).await.capture.unwrap();
        assert_eq!(
            capture.biometric_consent.as_deref(),
            Some(expected),
            "{what}"
        );
        // `GET /sessions/{id}` keeps its timestamp, where consent was given.
        let consented = session(&client, &id).await.biometric_consent.is_some();
        assert_eq!(consented, expected == "COMPLETE", "{what}");
    }
}

/// The configuration's liveness requirement has the type the session asked for, as
/// `GET /sessions/{id}` does, even when the sandbox configuration reports on another type.
#[tokio::test]
async fn the_configuration_has_the_liveness_type_the_session_asked_for() {
    let (emulator, client) = start().await;
    // The application's reports are for ZOOM, the type used when a session names none.
    let zoom: ResponseConfig = serde_json::from_value(json!({"check_reports": {"LIVENESS": [
        {"liveness_type": "ZOOM", "result": {"report": {"recommendation": {"value": "APPROVE"}}}}
    ]}}))
    .unwrap();
    let put = client
        .put_application_response_config()
        .sdk_id(emulator.sdk_id());
    put.body(zoom).send().await.unwrap();
    for (asked, expected) in [(Some(LivenessType::Static), "STATIC"), (None, "ZOOM")] {
        let check = RequestedCheck {
            config: Some(RequestedCheckConfig {
                liveness_type: asked,
                ..Default::default()
            }),
            ..RequestedCheck::new(CheckType::Liveness)
        };
        let id = create(
            &client,
            CreateSessionPayload::builder().requested_checks([check]),
        )
        .await;
        let read = session(&client, &id).await;
        let resource = &read.resources.as_ref().unwrap().liveness_capture[0];
        let read_type = serde_json::to_value(resource).unwrap()["liveness_type"].clone();
        assert_eq!(read_type, expected);
        let configured = configuration(&client, &id).await;
        let liveness = requirement(&configured, RequiredResourceType::Liveness);
        let configured_type = serde_json::to_value(liveness).unwrap()["liveness_type"].clone();
        assert_eq!(configured_type, expected);
    }
}

/// A face comparison compares a face that the relying business uploads (the Node SDK's
/// face-comparison example: read the FACE_CAPTURE requirement, create a face capture resource
/// for it, upload the image). Until then the requirement is REQUIRED, the session has no face
/// capture, and the check waits.
#[tokio::test]
async fn a_face_comparison_waits_for_the_business_to_upload_the_face() {
    let (_emulator, client) = start().await;
    let payload = CreateSessionPayload::builder()
        .requested_checks(checks(&[CheckType::Liveness, CheckType::FaceComparison]));
    let id = create(&client, payload).await;

    let before = session(&client, &id).await;
    assert!(before.resources.as_ref().unwrap().face_capture.is_empty());
    let comparison = |s: &GetSessionResult| {
        let c = s
            .checks
            .iter()
            .find(|c| c.type_ == Some(CheckType::FaceComparison));
        c.unwrap().clone()
    };
    assert_eq!(comparison(&before).state, Some(CheckState::Pending));
    assert!(comparison(&before).report.is_none());
    assert_eq!(before.state, Some(SessionState::Ongoing));
    let face = requirement(
        &configuration(&client, &id).await,
        RequiredResourceType::FaceCapture,
    )
    .clone();
    assert_eq!(face.state.as_deref(), Some("REQUIRED"));

    let uploaded = client
        .add_face_capture(&id, "image/jpeg", b"\xff\xd8face")
        .await
        .unwrap();

    let after = session(&client, &id).await;
    let faces = &after.resources.as_ref().unwrap().face_capture;
    assert_eq!(faces.len(), 1);
    assert_eq!(faces[0].id.as_deref(), Some(uploaded.as_str()));
    let done = comparison(&after);
    assert_eq!(done.state, Some(CheckState::Done));
    assert!(done.report.is_some());
    let liveness = after.resources.as_ref().unwrap().liveness_capture[0]
        .id
        .clone()
        .unwrap();
    assert_eq!(done.resources_used, [uploaded, liveness]);
    assert_eq!(after.state, Some(SessionState::Completed));
    let face_after = configuration(&client, &id).await;
    let face_after = requirement(&face_after, RequiredResourceType::FaceCapture);
    assert_eq!(
        (face_after.id.as_ref(), face_after.state.as_deref()),
        (face.id.as_ref(), Some("COMPLETE"))
    );
}

/// A session's results are final once its checks have finished: a later change to the
/// application's sandbox configuration applies to sessions still in progress and to new ones,
/// not to finished ones (the Python SDK's sandbox example sets the application configuration
/// before it creates its sessions, and reads each result once).
#[tokio::test]
async fn the_application_configuration_does_not_rewrite_finished_results() {
    let (emulator, client) = start().await;
    let authenticity = || checks(&[CheckType::IdDocumentAuthenticity]);
    put_app_config(&client, &emulator, SandboxConfig::approve_all()).await;
    let finished = create(
        &client,
        CreateSessionPayload::builder().requested_checks(authenticity()),
    )
    .await;
    assert_eq!(
        recommendation(
            &session(&client, &finished).await,
            CheckType::IdDocumentAuthenticity
        ),
        Some(RecommendationValue::Approve)
    );
    // This one's checks finish in 60 s.
    put_app_config(
        &client,
        &emulator,
        SandboxConfig::approve_all().async_report_delay(60),
    )
    .await;
    let in_progress = create(
        &client,
        CreateSessionPayload::builder().requested_checks(authenticity()),
    )
    .await;

    let reject = SandboxConfig::new().reject(CheckType::IdDocumentAuthenticity, "NOT_GENUINE");
    put_app_config(&client, &emulator, reject.async_report_delay(60)).await;
    emulator.advance(Duration::from_secs(61));

    let read = session(&client, &finished).await;
    assert_eq!(
        recommendation(&read, CheckType::IdDocumentAuthenticity),
        Some(RecommendationValue::Approve),
        "a finished session keeps its result"
    );
    let read = session(&client, &in_progress).await;
    assert_eq!(
        recommendation(&read, CheckType::IdDocumentAuthenticity),
        Some(RecommendationValue::Reject),
        "a session in progress takes the new configuration"
    );
    let new = create(
        &client,
        CreateSessionPayload::builder().requested_checks(authenticity()),
    )
    .await;
    emulator.advance(Duration::from_secs(61));
    assert_eq!(
        recommendation(
            &session(&client, &new).await,
            CheckType::IdDocumentAuthenticity
        ),
        Some(RecommendationValue::Reject)
    );
}
