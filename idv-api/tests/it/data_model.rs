//! Response parts that the official SDKs read but that neither the emulator nor the shared
//! fixtures produce land in typed fields: share codes, applicant profiles, the static
//! liveness capture type, in-branch sources, expanded document fields, breakdown processes
//! and task recommendations. The shapes follow the SDK sources named in each comment.

use idv_api::types::{GetSessionResult, ResourceSourceType, TaskType};
use serde_json::json;

#[test]
fn resources_the_sdks_read_are_typed() {
    let media = |id: &str| json!({"id": id, "type": "JSON", "created": "2024-01-01T00:00:00Z"});
    // Node `share.code.resource.response.js`, Java `ShareCodeResourceResponse`,
    // `ApplicantProfileResourceResponse`, `StaticLivenessResourceResponse`,
    // `TaskRecommendationResponse`; Node `page.response.js`, `breakdown.response.js`.
    let session: GetSessionResult = serde_json::from_value(json!({
        "session_id": "s-1",
        "resources": {
            "id_documents": [{
                "id": "d-1",
                "source": {"type": "IBV"},
                "expanded_document_fields": {"media": media("m-expanded")},
                "pages": [{"capture_method": "CAMERA", "extraction_image_ids": ["m-1", "m-2"]}],
                "tasks": [{
                    "id": "t-1",
                    "type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION",
                    "state": "DONE",
                    "recommendation": {"value": "MUST_TRY_AGAIN", "reason": {"value": "USER_ERROR", "detail": "GLARE"}}
                }]
            }],
            "liveness_capture": [{"id": "l-1", "liveness_type": "STATIC", "capture_type": "ACTIVE", "image": {"media": media("m-face")}}],
            "share_codes": [{
                "id": "sc-1",
                "source": {"type": "END_USER"},
                "lookup_profile": {"media": media("m-lookup")},
                "returned_profile": {"media": media("m-returned")},
                "id_photo": {"media": media("m-photo")},
                "file": {"media": media("m-file")},
                "tasks": [{"id": "t-2", "type": "VERIFY_SHARE_CODE_TASK", "state": "DONE"}]
            }],
            "applicant_profiles": [{"id": "ap-1", "source": {"type": "RELYING_BUSINESS"}, "media": media("m-applicant")}]
        },
        "checks": [{
            "id": "c-1",
            "type": "ID_DOCUMENT_AUTHENTICITY",
            "report": {"breakdown": [{"sub_check": "hologram", "result": "PASS", "process": "EXPERT_REVIEW", "details": []}]}
        }]
    }))
    .unwrap();

    let resources = session.resources.as_ref().unwrap();
    let document = &resources.id_documents[0];
    assert_eq!(
        document.source.as_ref().unwrap().type_,
        Some(ResourceSourceType::Ibv)
    );
    let expanded = document.expanded_document_fields.as_ref().unwrap();
    assert_eq!(
        expanded.media.as_ref().unwrap().id.as_deref(),
        Some("m-expanded")
    );
    assert_eq!(document.pages[0].extraction_image_ids, ["m-1", "m-2"]);
    let recommendation = document.tasks[0].recommendation.as_ref().unwrap();
    assert_eq!(
        recommendation.value.as_ref().unwrap().as_str(),
        "MUST_TRY_AGAIN"
    );
    let reason = recommendation.reason.as_ref().unwrap();
    assert_eq!(reason.detail.as_deref(), Some("GLARE"));
    assert_eq!(
        resources.liveness_capture[0].capture_type.as_deref(),
        Some("ACTIVE")
    );

    let share_code = &resources.share_codes[0];
    let id = |container: &Option<idv_api::types::MediaContainer>| {
        container.as_ref()?.media.as_ref()?.id.clone()
    };
    assert_eq!(
        [
            id(&share_code.lookup_profile),
            id(&share_code.returned_profile),
            id(&share_code.id_photo),
            id(&share_code.file)
        ],
        ["m-lookup", "m-returned", "m-photo", "m-file"].map(|m| Some(m.to_owned()))
    );
    assert_eq!(
        share_code.tasks[0].type_,
        Some(TaskType::VerifyShareCodeTask)
    );
    let applicant = &resources.applicant_profiles[0];
    assert_eq!(
        applicant.media.as_ref().unwrap().id.as_deref(),
        Some("m-applicant")
    );
    let breakdown = &session.checks[0].report.as_ref().unwrap().breakdown[0];
    assert_eq!(breakdown.process.as_deref(), Some("EXPERT_REVIEW"));

    // Nothing was left for the `extra` maps.
    assert!(session.extra.is_empty() && resources.extra.is_empty());
    assert!(document.extra.is_empty() && share_code.extra.is_empty());
    assert!(applicant.extra.is_empty() && breakdown.extra.is_empty());
    assert!(resources.liveness_capture[0].extra.is_empty());
    assert!(document.tasks[0].extra.is_empty() && recommendation.extra.is_empty());
}
