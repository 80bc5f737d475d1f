//! Responses with fields, enum values, check types, task types and liveness types that the
//! spec does not know still parse, keep what they did not know, and serialize it back.

use idv_api::types::{CheckState, CheckType, GetSessionResult, LivenessType, SessionState};
use serde_json::{Value, json};

fn session_from_the_future() -> Value {
    json!({
        "session_id": "a1746488-efcc-4c59-bd28-f849dcb933a2",
        "state": "PAUSED_FOR_REVIEW",
        "age_estimation": {"subject_id": "x", "result": "DONE"},
        "resources": {
            "id_documents": [{
                "id": "doc-1",
                "tasks": [{
                    "id": "task-1",
                    "type": "ID_DOCUMENT_HOLOGRAM_EXTRACTION",
                    "state": "QUEUED",
                    "generated_media": null
                }]
            }],
            "liveness_capture": [{"id": "l-1", "liveness_type": "HEAD_TURN", "frames": null}],
            "voice_prints": [{"id": "p-1"}]
        },
        "checks": [{
            "id": "check-1",
            "type": "AGE_ESTIMATION",
            "state": "AWAITING_SCREENING",
            "report": {
                "recommendation": {"value": "MANUAL_REVIEW"},
                "breakdown": [{"sub_check": "sanctions", "result": "INCONCLUSIVE", "details": []}],
                "age_summary": {"estimated_age": 30}
            }
        }]
    })
}

#[test]
fn unknown_values_parse_and_are_kept() {
    let session: GetSessionResult = serde_json::from_value(session_from_the_future()).unwrap();

    assert_eq!(
        session.state,
        Some(SessionState::Unknown("PAUSED_FOR_REVIEW".into()))
    );
    let check = &session.checks[0];
    assert_eq!(
        check.type_,
        Some(CheckType::Unknown("AGE_ESTIMATION".into()))
    );
    assert_eq!(
        check.type_.as_ref().map(CheckType::as_str),
        Some("AGE_ESTIMATION")
    );
    assert_eq!(check.state, Some(CheckState::from("AWAITING_SCREENING")));
    assert!(check.state.as_ref().is_some_and(CheckState::is_unknown));
    let report = check.report.as_ref().unwrap();
    assert_eq!(
        report
            .recommendation
            .as_ref()
            .unwrap()
            .value
            .as_ref()
            .unwrap()
            .as_str(),
        "MANUAL_REVIEW"
    );
    assert_eq!(
        report.breakdown[0].result.as_ref().unwrap().as_str(),
        "INCONCLUSIVE"
    );
    assert_eq!(report.extra["age_summary"], json!({"estimated_age": 30}));

    let resources = session.resources.as_ref().unwrap();
    let task = &resources.id_documents[0].tasks[0];
    assert_eq!(
        task.type_.as_ref().unwrap().as_str(),
        "ID_DOCUMENT_HOLOGRAM_EXTRACTION"
    );
    assert_eq!(task.state.as_ref().unwrap().as_str(), "QUEUED");
    assert!(task.generated_media.is_empty(), "null is an empty list");
    let liveness = &resources.liveness_capture[0];
    assert_eq!(
        liveness.liveness_type,
        Some(LivenessType::Unknown("HEAD_TURN".into()))
    );
    assert_eq!(resources.extra["voice_prints"], json!([{"id": "p-1"}]));
    assert_eq!(
        session.extra["age_estimation"],
        json!({"subject_id": "x", "result": "DONE"})
    );
}

#[test]
fn unknown_values_serialize_back_unchanged() {
    let original = session_from_the_future();
    let session: GetSessionResult = serde_json::from_value(original.clone()).unwrap();
    let mut expected = original;
    // `null` and `[]` lists are both "none" in the typed model and are left out when sent.
    expected["resources"]["id_documents"][0]["tasks"][0]
        .as_object_mut()
        .unwrap()
        .remove("generated_media");
    expected["resources"]["liveness_capture"][0]
        .as_object_mut()
        .unwrap()
        .remove("frames");
    expected["checks"][0]["report"]["breakdown"][0]
        .as_object_mut()
        .unwrap()
        .remove("details");
    assert_eq!(serde_json::to_value(&session).unwrap(), expected);
}

#[test]
fn known_values_are_variants_and_wire_strings_round_trip() {
    assert_eq!(CheckType::from("LIVENESS"), CheckType::Liveness);
    assert_eq!(
        "ID_DOCUMENT_FACE_MATCH".parse::<CheckType>(),
        Ok(CheckType::IdDocumentFaceMatch)
    );
    assert_eq!(
        CheckType::IdDocumentAuthenticity.to_string(),
        "ID_DOCUMENT_AUTHENTICITY"
    );
    assert!(!CheckType::Liveness.is_unknown());
    assert_eq!(
        serde_json::to_string(&CheckState::Done).unwrap(),
        r#""DONE""#
    );
    assert_eq!(
        serde_json::from_str::<CheckState>(r#""DONE""#).unwrap(),
        CheckState::Done
    );
}

#[test]
fn a_wrong_type_is_an_error_that_says_where() {
    let err =
        serde_json::from_value::<GetSessionResult>(json!({"checks": [{"state": 7}]})).unwrap_err();
    assert!(err.to_string().contains("CheckState"), "{err}");
}
