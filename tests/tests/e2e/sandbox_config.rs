//! `idv_api::sandbox::SandboxConfig`: the few-line sandbox configurations, as the emulator reads
//! them.

use idv_api::sandbox::{CONFIGURABLE_CHECKS, SandboxConfig};
use idv_api::types::{CheckType, CreateSessionPayload, RecommendationValue, RequestedCheck};

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
