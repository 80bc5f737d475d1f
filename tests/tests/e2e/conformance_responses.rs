//! Every response body from the official SDKs' test suites parses into its generated type,
//! and serializing it again keeps every field (the spec's and the unknown ones alike).
//!
//! The files belong to other projects and are read from `../shared/conformance/responses/`.

use idv_api::types::{
    CreateSessionResponse, GetSessionResult, ResourceContainer, SupportedDocumentsResponse,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `null` and `[]` both mean "none" in the typed model, which leaves them out when it
/// serializes; everything else must survive the round trip exactly.
fn without_nulls_and_empty_lists(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
                .map(|(k, v)| (k.clone(), without_nulls_and_empty_lists(v)))
                .collect(),
        ),
        Value::Array(items) => {
            Value::Array(items.iter().map(without_nulls_and_empty_lists).collect())
        }
        other => other.clone(),
    }
}

fn round_trip<T: DeserializeOwned + Serialize>(file: &str) -> Option<T> {
    let dir = idv_tests::conformance_dir(file)?;
    let text = std::fs::read_to_string(dir.join("responses").join(file)).unwrap();
    let original: Value = serde_json::from_str(&text).unwrap();
    let parsed: T = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "{file} does not parse as {}: {e}",
            std::any::type_name::<T>()
        )
    });
    let again = serde_json::to_value(&parsed).unwrap();
    assert_eq!(
        again,
        without_nulls_and_empty_lists(&original),
        "{file} loses or changes a field"
    );
    Some(parsed)
}

#[test]
fn python_full_session() {
    let Some(session) = round_trip::<GetSessionResult>("01_python_get_session_full.json") else {
        return;
    };
    assert_eq!(session.state.unwrap().as_str(), "COMPLETED");
    let resources = session.resources.unwrap();
    assert_eq!(resources.liveness_capture[0].frames.len(), 7);
    assert_eq!(
        session.checks[0].type_.as_ref().unwrap().as_str(),
        "ID_DOCUMENT_AUTHENTICITY"
    );
    let page = &resources.id_documents[0].pages[0];
    assert_eq!(page.extraction_image_ids, ["<uuid>"]);
    assert!(page.extra.is_empty(), "{:?}", page.extra.keys());
}

#[test]
fn php_full_session() {
    let Some(session) = round_trip::<GetSessionResult>("02_php_get_session_full.json") else {
        return;
    };
    let reasons: Vec<_> = session
        .checks
        .iter()
        .filter_map(|c| c.report.as_ref()?.recommendation.as_ref()?.reason.clone())
        .collect();
    assert_eq!(reasons, ["PICTURE_TOO_DARK", "NOT_GENUINE"]);
    let resources = session.resources.unwrap();
    // `photos` is in the PHP SDK's own test data only: no official SDK reads it, and the live
    // API's face capture has an `image`. Unknown fields are kept.
    assert!(
        resources.face_capture[0].extra.contains_key("photos"),
        "unknown fields are kept"
    );
}

#[test]
fn go_session_with_identity_profile() {
    let Some(session) = round_trip::<GetSessionResult>("05_go_get_session_identity_profile.json")
    else {
        return;
    };
    assert!(session.extra.is_empty(), "{:?}", session.extra.keys());
    assert!(session.biometric_consent.is_some());
    let profile = session.identity_profile.unwrap();
    assert_eq!(profile.subject_id.as_deref(), Some("someStringHere"));
    assert_eq!(profile.result.as_deref(), Some("DONE"));
    let failure = profile.failure_reason.unwrap();
    assert_eq!(
        failure.reason_code.as_deref(),
        Some("MANDATORY_DOCUMENT_COULD_NOT_BE_PROVIDED")
    );
    let detail = &failure.requirements_not_met_details[0];
    assert_eq!(
        detail.failure_type.as_deref(),
        Some("ID_DOCUMENT_AUTHENTICITY")
    );
    assert_eq!(detail.document_country_iso_code.as_deref(), Some("GBR"));
    assert_eq!(detail.details.as_deref(), Some("INCORRECT_DOCUMENT_TYPE"));
    let report = profile.identity_profile_report.unwrap();
    assert_eq!(report.trust_framework.as_deref(), Some("UK_TFIDA"));
    let compliance = &report.schemes_compliance[0];
    let scheme = compliance.scheme.as_ref().unwrap();
    assert_eq!(
        (scheme.type_.as_str(), scheme.objective.as_deref()),
        ("DBS", Some("STANDARD"))
    );
    assert_eq!(compliance.requirements_met, Some(true));
    assert_eq!(
        report.media.unwrap().id.as_deref(),
        Some("c69ff2db-6caf-4e74-8386-037711bbc8d7")
    );
    let preview = session.identity_profile_preview.unwrap().media.unwrap();
    assert_eq!(
        preview.id.as_deref(),
        Some("3fa85f64-5717-4562-b3fc-2c963f66afa6")
    );
}

#[test]
fn go_session_with_advanced_identity_profile() {
    let Some(session) =
        round_trip::<GetSessionResult>("06_go_get_session_advanced_identity_profile.json")
    else {
        return;
    };
    assert!(session.extra.is_empty(), "{:?}", session.extra.keys());
    let profile = session.advanced_identity_profile.unwrap();
    assert_eq!(profile.result.as_deref(), Some("DONE"));
    assert!(profile.failure_reason.is_some());
    let report = profile.identity_profile_report.unwrap();
    let frameworks: Vec<_> = report
        .compliance
        .iter()
        .map(|c| c.trust_framework.as_deref().unwrap())
        .collect();
    assert!(!frameworks.is_empty());
    let scheme = report.compliance[0].schemes_compliance[0]
        .scheme
        .as_ref()
        .unwrap();
    assert!(!scheme.type_.is_empty());
    assert!(report.media.is_some());
    assert!(
        session
            .advanced_identity_profile_preview
            .unwrap()
            .media
            .is_some()
    );
}

#[test]
fn php_identity_profile_result() {
    let Some(session) = round_trip::<GetSessionResult>("09_php_get_session_identity_profile.json")
    else {
        return;
    };
    assert!(session.extra.is_empty(), "{:?}", session.extra.keys());
    let report = session.identity_profile.unwrap().identity_profile_report;
    assert!(!report.unwrap().schemes_compliance.is_empty());
}

#[test]
fn go_resources_with_an_unknown_liveness_type() {
    let Some(resources) =
        round_trip::<ResourceContainer>("11_go_resource_container_zoom_liveness.json")
    else {
        return;
    };
    let types: Vec<_> = resources
        .liveness_capture
        .iter()
        .map(|l| l.liveness_type.as_ref().unwrap().as_str())
        .collect();
    assert_eq!(types, ["ZOOM", "OTHER_LIVENESS_TYPE"]);
    assert!(
        resources.liveness_capture[1]
            .liveness_type
            .as_ref()
            .unwrap()
            .is_unknown()
    );
}

#[test]
fn go_identity_profile_report_is_free_form() {
    // The SDKs treat this payload as free-form JSON; so does the spec.
    round_trip::<serde_json::Map<String, Value>>("13_go_identity_profile_report_rtw.json");
}

#[test]
fn python_create_session_response() {
    let Some(created) =
        round_trip::<CreateSessionResponse>("14_python_create_session_response.json")
    else {
        return;
    };
    assert_eq!(created.session_id, "<uuid2>");
    assert_eq!(created.client_session_token, "<uuid1>");
    assert_eq!(created.client_session_token_ttl, Some(599));
}

#[test]
fn python_supported_documents() {
    let Some(docs) =
        round_trip::<SupportedDocumentsResponse>("15_python_supported_documents_minimal.json")
    else {
        return;
    };
    assert_eq!(docs.supported_countries.len(), 2);
}

#[test]
fn every_response_file_is_covered() {
    let Some(dir) = idv_tests::conformance_dir("every_response_file_is_covered") else {
        return;
    };
    let mut files: Vec<String> = std::fs::read_dir(dir.join("responses"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let source = include_str!("conformance_responses.rs");
    for file in files {
        assert!(
            source.contains(&format!("(\"{file}\")")),
            "{file} has no test here"
        );
    }
}
