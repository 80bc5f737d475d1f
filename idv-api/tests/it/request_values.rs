//! The common request values take one expression: a requested check, task or required
//! document from its type, and nested builders accepted where their type goes, with no
//! `.try_into()?`. The exact JSON each sends is what the official SDKs send.

use idv_api::types::{
    CheckType, CreateSessionPayload, DocumentFilter, DocumentFilterType, LivenessType, ManualCheck,
    RequestedCheck, RequestedCheckConfig, RequestedTask, RequestedTaskConfig, RequiredDocument,
    RequiredDocumentType, TaskType,
};

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

#[test]
fn a_check_task_or_document_comes_from_its_type() {
    assert_eq!(
        json(&RequestedCheck::new(CheckType::Liveness)),
        r#"{"type":"LIVENESS"}"#
    );
    let from: RequestedCheck = CheckType::IdDocumentAuthenticity.into();
    assert_eq!(json(&from), r#"{"type":"ID_DOCUMENT_AUTHENTICITY"}"#);
    assert_eq!(
        json(&RequestedTask::from(TaskType::IdDocumentTextDataExtraction)),
        r#"{"type":"ID_DOCUMENT_TEXT_DATA_EXTRACTION"}"#
    );
    assert_eq!(
        json(&RequiredDocument::new(RequiredDocumentType::IdDocument)),
        r#"{"type":"ID_DOCUMENT"}"#
    );
    // A type the spec does not list is still one expression.
    assert_eq!(
        json(&RequestedCheck::new(CheckType::from("NEW_CHECK"))),
        r#"{"type":"NEW_CHECK"}"#
    );
}

#[test]
fn configuration_is_struct_update_syntax_or_a_nested_builder() {
    let liveness = RequestedCheck {
        config: Some(RequestedCheckConfig {
            liveness_type: Some(LivenessType::Zoom),
            max_retries: Some(3),
            ..Default::default()
        }),
        ..RequestedCheck::new(CheckType::Liveness)
    };
    assert_eq!(
        json(&liveness),
        r#"{"config":{"liveness_type":"ZOOM","max_retries":3},"type":"LIVENESS"}"#
    );

    // A builder goes into a parent builder's optional field as is.
    let task = RequestedTask::builder()
        .type_(TaskType::IdDocumentTextDataExtraction)
        .config(RequestedTaskConfig::builder().manual_check(ManualCheck::Fallback));
    let document = RequiredDocument::builder()
        .type_(RequiredDocumentType::IdDocument)
        .filter(DocumentFilter::builder().type_(DocumentFilterType::DocumentRestrictions));
    let payload = CreateSessionPayload::builder()
        .requested_checks([liveness, CheckType::IdDocumentAuthenticity.into()])
        .requested_tasks(vec![task.try_into().unwrap()])
        .required_documents(vec![document.try_into().unwrap()]);
    let payload = CreateSessionPayload::try_from(payload).unwrap();
    assert_eq!(
        json(&payload),
        concat!(
            r#"{"requested_checks":[{"config":{"liveness_type":"ZOOM","max_retries":3},"type":"LIVENESS"},"#,
            r#"{"type":"ID_DOCUMENT_AUTHENTICITY"}],"#,
            r#""requested_tasks":[{"config":{"manual_check":"FALLBACK"},"type":"ID_DOCUMENT_TEXT_DATA_EXTRACTION"}],"#,
            r#""required_documents":[{"filter":{"type":"DOCUMENT_RESTRICTIONS"},"type":"ID_DOCUMENT"}]}"#
        )
    );
}

#[test]
fn a_nested_builder_missing_a_required_field_fails_the_parent_naming_it() {
    let task = RequestedTask::builder().config(RequestedTaskConfig::builder());
    let err = RequestedTask::try_from(task).unwrap_err();
    assert!(err.to_string().contains("type_"), "{err}");
    let document = RequiredDocument::builder()
        .type_(RequiredDocumentType::IdDocument)
        .filter(DocumentFilter::builder());
    let err = RequiredDocument::try_from(document).unwrap_err();
    assert!(
        err.to_string().contains("filter") && err.to_string().contains("type_"),
        "{err}"
    );
}
