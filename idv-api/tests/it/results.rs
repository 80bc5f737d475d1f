//! The domain helpers on a session's result.

use idv_api::types::{CheckType, GetSessionResult, RecommendationValue};

#[test]
fn checks_of_a_type_their_recommendations_and_every_media_id() {
    let session: GetSessionResult = serde_json::from_value(serde_json::json!({
        "session_id": "s1",
        "checks": [
            {"type": "ID_DOCUMENT_AUTHENTICITY", "report": {"recommendation": {"value": "APPROVE"}},
             "generated_media": [{"id": "g1", "type": "JSON"}]},
            {"type": "LIVENESS", "report": {"recommendation": {"value": "REJECT"}}},
            {"type": "ID_DOCUMENT_AUTHENTICITY"},
            {"type": "SOMETHING_NEW", "report": {"recommendation": {"value": "APPROVE"}}}
        ],
        "resources": {
            "id_documents": [{"id": "d1", "pages": [
                {"media": {"id": "m1", "type": "IMAGE"}},
                {"media": {"id": "m2", "type": "IMAGE"}}
            ], "document_fields": {"media": {"id": "m3", "type": "JSON"}}}],
            "liveness_capture": [{"id": "l1", "frames": [{"media": {"id": "m1"}}]}]
        }
    }))
    .unwrap();
    let authenticity = CheckType::IdDocumentAuthenticity;
    let recommendations: Vec<_> = session
        .checks_of_type(&authenticity)
        .map(|c| c.recommendation())
        .collect();
    assert_eq!(recommendations, [Some(&RecommendationValue::Approve), None]);
    let unknown = CheckType::from("SOMETHING_NEW");
    assert_eq!(session.checks_of_type(&unknown).count(), 1);
    assert_eq!(session.media_ids(), ["g1", "m1", "m2", "m3"]);
}
