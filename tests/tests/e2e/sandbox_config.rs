//! `idv_api::sandbox::SandboxConfig`: the few-line sandbox configurations, as the emulator reads
//! them.

use idv_api::MediaContentExt as _;
use idv_api::sandbox::{CONFIGURABLE_CHECKS, SandboxConfig};
use idv_api::types::{
    CheckType, CreateSessionPayload, RecommendationValue, RequestedCheck, RequestedTask,
    SandboxDocumentFilter, TaskType,
};
use serde_json::{Value, json};

use super::sandbox::restricted;
use super::{create, start};

#[test]
fn the_configurable_check_types_are_the_specs_sandbox_check_reports() {
    let spec: serde_yaml::Value =
        serde_yaml::from_str(include_str!("../../../spec/idv.yaml")).unwrap();
    let properties = spec["components"]["schemas"]["SandboxCheckReports"]["properties"]
        .as_mapping()
        .unwrap();
    let mut in_spec: Vec<&str> = properties
        .keys()
        .filter_map(|k| k.as_str())
        .filter(|k| *k != "async_report_delay")
        .collect();
    let mut listed: Vec<&str> = CONFIGURABLE_CHECKS.iter().map(CheckType::as_str).collect();
    in_spec.sort_unstable();
    listed.sort_unstable();
    assert_eq!(listed, in_spec);
}

#[tokio::test]
async fn approve_all_but_one_check_in_one_line() {
    let (_emulator, client) = start().await;
    let checks = [
        CheckType::IdDocumentAuthenticity,
        CheckType::Liveness,
        CheckType::IdDocumentFaceMatch,
    ];
    let payload = CreateSessionPayload::builder().requested_checks(checks.map(RequestedCheck::new));
    let id = create(&client, payload).await;

    let config = SandboxConfig::approve_all().reject(CheckType::Liveness, "NOT_A_PERSON");
    let put = client
        .put_session_response_config()
        .session_id(&id)
        .body(config.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    let read = client
        .get_session_response_config()
        .session_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(read.into_inner(), config.try_into().unwrap());

    let session = client.get_session().session_id(&id).send().await.unwrap();
    let recommendation = |kind: CheckType| {
        let check = session.checks_of_type(&kind).next().expect("the check");
        check.recommendation().cloned()
    };
    use RecommendationValue::{Approve, Reject};
    assert_eq!(
        recommendation(CheckType::IdDocumentAuthenticity),
        Some(Approve)
    );
    assert_eq!(
        recommendation(CheckType::IdDocumentFaceMatch),
        Some(Approve)
    );
    assert_eq!(recommendation(CheckType::Liveness), Some(Reject));
}

#[tokio::test]
async fn a_check_type_the_sandbox_does_not_configure_is_not_sent() {
    let (_emulator, client) = start().await;
    let config = SandboxConfig::new().approve(CheckType::IbvVisualReviewCheck);
    let result = client
        .put_application_response_config()
        .sdk_id("any")
        .body(config)
        .send()
        .await;
    match result {
        Err(idv_api::Error::InvalidRequest(message)) => assert!(
            message.contains("the sandbox configures no reports for IBV_VISUAL_REVIEW_CHECK"),
            "{message}"
        ),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

#[tokio::test]
async fn a_given_documents_fields_are_what_its_extraction_returns() {
    let (emulator, client) = start().await;
    let fields = |name: &str| json!({"full_name": name}).as_object().cloned().unwrap();
    let french = SandboxDocumentFilter {
        country_codes: vec!["FRA".into()],
        ..Default::default()
    };
    let config = SandboxConfig::approve_all()
        .id_document_fields(fields("Ada Lovelace"))
        .document_fields(french, fields("Marie Curie"));
    client
        .put_application_response_config()
        .sdk_id(emulator.sdk_id())
        .body(config)
        .send()
        .await
        .unwrap();
    let payload = CreateSessionPayload {
        requested_tasks: vec![RequestedTask::new(TaskType::IdDocumentTextDataExtraction)],
        required_documents: vec![
            restricted("FRA", "NATIONAL_ID"),
            restricted("USA", "DRIVING_LICENCE"),
        ],
        ..Default::default()
    };
    let id = create(&client, payload).await;

    let session = client.get_session().session_id(&id).send().await.unwrap();
    let mut extracted = Vec::new();
    for document in &session.resources.as_ref().unwrap().id_documents {
        let media = document.tasks[0].generated_media[0].id.as_deref().unwrap();
        let content = client
            .get_media_content()
            .session_id(&id)
            .media_id(media)
            .send()
            .await
            .unwrap();
        let bytes = content
            .into_media()
            .expect("content")
            .bytes()
            .await
            .unwrap();
        let fields: Value = serde_json::from_slice(&bytes).unwrap();
        extracted.push((document.issuing_country.clone().unwrap(), fields));
    }
    extracted.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        extracted,
        [
            ("FRA".to_owned(), json!({"full_name": "Marie Curie"})),
            ("USA".to_owned(), json!({"full_name": "Ada Lovelace"})),
        ]
    );
}
