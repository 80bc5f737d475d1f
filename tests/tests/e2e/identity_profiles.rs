//! Identity profiles (the UK trust framework's) and advanced identity profiles (each scheme and
//! trust framework) through the generated client: the session's result, report and preview.

use idv_api::types::{
    AdvancedIdentityProfile, AdvancedIdentityProfileRequirements, AdvancedIdentityProfileScheme,
    AdvancedIdentityProfileSchemeConfig, CheckReport, CheckType, CreateSessionPayload,
    IdentityProfileRequirements, IdentityProfileScheme, Inclusion, Recommendation,
    RecommendationValue, ResponseConfig, SandboxCheckReports, SandboxCheckResult,
    SandboxDocumentCheck, Subject,
};
use serde_json::Value;

use super::data_model::{checks_of, configure, documents, download, session};
use super::{create, start};

#[tokio::test]
async fn an_identity_profile_session_reports_its_result_report_and_preview() {
    let (_emulator, client) = start().await;
    let payload = CreateSessionPayload {
        identity_profile_requirements: Some(IdentityProfileRequirements {
            trust_framework: "UK_TFIDA".into(),
            scheme: IdentityProfileScheme {
                type_: "DBS".into(),
                objective: Some("STANDARD".into()),
                extra: Default::default(),
            },
            extra: Default::default(),
        }),
        subject: Some(Subject {
            subject_id: Some("subject-1".into()),
            ..Default::default()
        }),
        create_identity_profile_preview: Some(true),
        ..Default::default()
    };
    let id = create(&client, payload.clone()).await;
    let read = session(&client, &id).await;
    let profile = read.identity_profile.clone().unwrap();
    assert_eq!(profile.subject_id.as_deref(), Some("subject-1"));
    assert_eq!(profile.result.as_deref(), Some("DONE"));
    assert!(profile.failure_reason.is_none());
    let report = profile.identity_profile_report.unwrap();
    assert_eq!(report.trust_framework.as_deref(), Some("UK_TFIDA"));
    let compliance = &report.schemes_compliance[0];
    assert_eq!(compliance.requirements_met, Some(true));
    assert_eq!(compliance.scheme.as_ref().unwrap().type_, "DBS");
    let (content_type, bytes) = download(&client, &id, report.media.as_ref().unwrap()).await;
    assert_eq!(content_type, "application/json");
    let content: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(content["subject_id"], "subject-1");
    let preview = read
        .identity_profile_preview
        .clone()
        .unwrap()
        .media
        .unwrap();
    let (content_type, bytes) = download(&client, &id, &preview).await;
    assert_eq!(content_type, "application/pdf");
    assert!(bytes.starts_with(b"%PDF-"));
    // The checks the profile needs were run.
    assert_eq!(checks_of(&read, CheckType::IdDocumentAuthenticity).len(), 1);

    // When a check does not approve, the profile is not met, and says why.
    let id = create(&client, payload).await;
    let rejected = SandboxCheckResult {
        report: Some(CheckReport {
            recommendation: Some(Recommendation {
                value: Some(RecommendationValue::Reject),
                reason: Some("NOT_GENUINE".into()),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    };
    let config = ResponseConfig {
        check_reports: Some(SandboxCheckReports {
            id_document_authenticity: vec![SandboxDocumentCheck {
                result: Some(rejected),
                ..Default::default()
            }],
            ..Default::default()
        }),
        ..Default::default()
    };
    configure(&client, &id, config).await;
    let profile = session(&client, &id).await.identity_profile.unwrap();
    assert_eq!(profile.result.as_deref(), Some("FAIL"));
    let failure = profile.failure_reason.unwrap();
    let detail = &failure.requirements_not_met_details[0];
    assert_eq!(
        detail.failure_type.as_deref(),
        Some("ID_DOCUMENT_AUTHENTICITY")
    );
    assert_eq!(detail.details.as_deref(), Some("NOT_GENUINE"));
    let compliance = &profile.identity_profile_report.unwrap().schemes_compliance[0];
    assert_eq!(compliance.requirements_met, Some(false));
}

#[tokio::test]
async fn an_advanced_identity_profile_session_reports_each_trust_framework() {
    let (_emulator, client) = start().await;
    let scheme = |type_: &str, label: &str| AdvancedIdentityProfileScheme {
        type_: type_.into(),
        label: Some(label.into()),
        config: None,
        objective: None,
        extra: Default::default(),
    };
    let profile = |trust_framework: &str, scheme| AdvancedIdentityProfile {
        trust_framework: trust_framework.into(),
        schemes: vec![scheme],
        extra: Default::default(),
    };
    let passports = documents(Inclusion::Include, &["PASSPORT"], &[]).filter;
    let identity = AdvancedIdentityProfileScheme {
        objective: Some("AL_L1".into()),
        config: Some(AdvancedIdentityProfileSchemeConfig {
            filter: passports,
            ..Default::default()
        }),
        ..scheme("IDENTITY", "id")
    };
    let payload = CreateSessionPayload {
        advanced_identity_profile_requirements: Some(AdvancedIdentityProfileRequirements {
            profiles: vec![
                profile("UK_TFIDA", scheme("RTW", "rtw")),
                profile("YOTI_GLOBAL", identity),
            ],
            ..Default::default()
        }),
        subject: Some(Subject {
            subject_id: Some("subject-2".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let id = create(&client, payload).await;
    let read = session(&client, &id).await;
    assert!(read.identity_profile.is_none());
    let profile = read.advanced_identity_profile.unwrap();
    assert_eq!(profile.result.as_deref(), Some("DONE"));
    let report = profile.identity_profile_report.unwrap();
    let frameworks: Vec<_> = report
        .compliance
        .iter()
        .map(|c| c.trust_framework.as_deref().unwrap())
        .collect();
    assert_eq!(frameworks, ["UK_TFIDA", "YOTI_GLOBAL"]);
    let scheme = report.compliance[1].schemes_compliance[0]
        .scheme
        .as_ref()
        .unwrap();
    assert_eq!(
        (
            scheme.type_.as_str(),
            scheme.label.as_deref(),
            scheme.config.is_none()
        ),
        ("IDENTITY", Some("id"), true)
    );
    let (_, bytes) = download(&client, &id, report.media.as_ref().unwrap()).await;
    let content: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(content["subject_id"], "subject-2");
}
