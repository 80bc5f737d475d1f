//! Forward compatibility over real HTTP: a session with a check type, a liveness type, a task
//! type, enum values and fields that the spec does not know reaches the caller intact.

use idv_api::types::{CheckState, CheckType, LivenessType, RecommendationValue, SessionState};
use serde_json::json;

use super::start;

#[tokio::test]
async fn values_the_spec_does_not_know_are_kept() {
    let (emulator, client) = start().await;
    let id = emulator.insert_session(json!({
        "state": "PAUSED_FOR_REVIEW",
        "age_estimation": {"subject_id": "someone", "result": "DONE"},
        "resources": {
            "id_documents": [{"id": "doc-1", "tasks": [{"id": "t-1", "type": "ID_DOCUMENT_HOLOGRAM_EXTRACTION", "state": "QUEUED"}]}],
            "liveness_capture": [{"id": "l-1", "liveness_type": "HEAD_TURN", "head_turn_video": {"media": null}}],
            "voice_prints": [{"id": "p-1"}]
        },
        "checks": [{
            "id": "c-1",
            "type": "AGE_ESTIMATION",
            "state": "AWAITING_SCREENING",
            "report": {
                "recommendation": {"value": "MANUAL_REVIEW"},
                "breakdown": [{"sub_check": "sanctions", "result": "INCONCLUSIVE", "details": []}],
                "age_summary": {"estimated_age": 30}
            }
        }]
    }));

    let session = client
        .get_session()
        .session_id(&id)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(session.session_id.as_deref(), Some(id.as_str()));
    assert_eq!(
        session.state,
        Some(SessionState::Unknown("PAUSED_FOR_REVIEW".into()))
    );
    assert_eq!(session.extra["age_estimation"]["subject_id"], "someone");
    let check = &session.checks[0];
    assert_eq!(
        check.type_,
        Some(CheckType::Unknown("AGE_ESTIMATION".into()))
    );
    assert_eq!(
        check.state,
        Some(CheckState::Unknown("AWAITING_SCREENING".into()))
    );
    let report = check.report.as_ref().unwrap();
    assert_eq!(
        report.recommendation.as_ref().unwrap().value,
        Some(RecommendationValue::Unknown("MANUAL_REVIEW".into()))
    );
    assert_eq!(
        report.breakdown[0].result.as_ref().unwrap().as_str(),
        "INCONCLUSIVE"
    );
    assert_eq!(report.extra["age_summary"], json!({"estimated_age": 30}));
    let resources = session.resources.as_ref().unwrap();
    assert_eq!(
        resources.liveness_capture[0].liveness_type,
        Some(LivenessType::Unknown("HEAD_TURN".into()))
    );
    assert!(
        resources.liveness_capture[0]
            .extra
            .contains_key("head_turn_video")
    );
    let task = &resources.id_documents[0].tasks[0];
    assert_eq!(
        task.type_.as_ref().unwrap().as_str(),
        "ID_DOCUMENT_HOLOGRAM_EXTRACTION"
    );
    assert_eq!(task.state.as_ref().unwrap().as_str(), "QUEUED");
    assert_eq!(resources.extra["voice_prints"], json!([{"id": "p-1"}]));

    // And serializing again gives back what the server sent.
    let again = serde_json::to_value(&session).unwrap();
    assert_eq!(again["checks"][0]["type"], "AGE_ESTIMATION");
    assert_eq!(
        again["resources"]["liveness_capture"][0]["liveness_type"],
        "HEAD_TURN"
    );
    assert_eq!(
        again["checks"][0]["report"]["recommendation"]["value"],
        "MANUAL_REVIEW"
    );
}
