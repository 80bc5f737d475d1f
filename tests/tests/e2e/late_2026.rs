//! What the official SDKs added in their 2026 releases beyond the Digital IDs and the auth
//! tokens: `sdk_config.enforce_handoff` (Java 4.3.0, Node 4.15.0), `handled_check_limit` on
//! the sandbox's check reports (Java, Go, PHP, Python) and on a requested check's config
//! (.NET).

use idv_api::types::{
    CheckReport, CheckType, CreateSessionPayload, GetSessionResult, Recommendation,
    RecommendationValue, RequestedCheck, RequestedCheckConfig, RequiredDocument,
    RequiredDocumentType, ResponseConfig, SandboxCheckReports, SandboxCheckResult,
    SandboxDocumentCheck, SdkConfig,
};

use super::{api_error, code, create, start};

fn recommending(value: RecommendationValue) -> CheckReport {
    CheckReport {
        recommendation: Some(Recommendation {
            value: Some(value),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// A configured authenticity report that recommends `value`, for at most `limit` checks.
fn authenticity(value: RecommendationValue, limit: Option<i64>) -> SandboxDocumentCheck {
    SandboxDocumentCheck {
        result: Some(SandboxCheckResult {
            report: Some(recommending(value)),
            ..Default::default()
        }),
        handled_check_limit: limit,
        ..Default::default()
    }
}

/// The recommendation of each authenticity check of `session`, in order.
fn authenticity_recommendations(session: &GetSessionResult) -> Vec<String> {
    session
        .checks
        .iter()
        .filter(|c| c.type_.as_ref() == Some(&CheckType::IdDocumentAuthenticity))
        .map(|c| {
            let report = c.report.as_ref().expect("a report");
            let recommendation = report.recommendation.as_ref().expect("a recommendation");
            recommendation.value.as_ref().expect("a value").to_string()
        })
        .collect()
}

/// A session with three ID documents and an authenticity check of each, under `reports`.
async fn three_documents_under(reports: Vec<SandboxDocumentCheck>) -> Vec<String> {
    let (emulator, client) = start().await;
    let config = ResponseConfig {
        check_reports: Some(SandboxCheckReports {
            id_document_authenticity: reports,
            ..Default::default()
        }),
        ..Default::default()
    };
    client
        .put_application_response_config()
        .sdk_id(emulator.sdk_id())
        .body(config)
        .send()
        .await
        .unwrap();
    let payload = CreateSessionPayload {
        requested_checks: vec![RequestedCheck::new(CheckType::IdDocumentAuthenticity)],
        required_documents: vec![RequiredDocument::new(RequiredDocumentType::IdDocument); 3],
        ..Default::default()
    };
    let id = create(&client, payload).await;
    let first = client.get_session().session_id(&id).send().await.unwrap();
    let again = client.get_session().session_id(&id).send().await.unwrap();
    // Reading the session again does not use the reports up.
    assert_eq!(*first, *again);
    authenticity_recommendations(&first)
}

#[tokio::test]
async fn a_report_with_a_handled_check_limit_answers_that_many_checks_then_the_next_one_does() {
    use RecommendationValue::{Approve, Consider, Reject};
    let reports = vec![authenticity(Reject, Some(1)), authenticity(Consider, None)];
    assert_eq!(
        three_documents_under(reports).await,
        ["REJECT", "CONSIDER", "CONSIDER"]
    );
    let reports = vec![
        authenticity(Reject, Some(2)),
        authenticity(Consider, Some(1)),
    ];
    assert_eq!(
        three_documents_under(reports).await,
        ["REJECT", "REJECT", "CONSIDER"]
    );
    // With every report used up, a check gets the unconfigured report, which approves.
    let reports = vec![authenticity(Reject, Some(1))];
    assert_eq!(
        three_documents_under(reports).await,
        ["REJECT", "APPROVE", "APPROVE"]
    );
    // A limit of 0 answers no check; no limit answers every one.
    let reports = vec![authenticity(Reject, Some(0)), authenticity(Approve, None)];
    assert_eq!(
        three_documents_under(reports).await,
        ["APPROVE", "APPROVE", "APPROVE"]
    );
}

#[tokio::test]
async fn a_requested_check_may_carry_the_dotnet_handled_check_limit() {
    let (_emulator, client) = start().await;
    let check = RequestedCheck {
        config: Some(RequestedCheckConfig {
            handled_check_limit: Some(5),
            ..Default::default()
        }),
        ..RequestedCheck::new(CheckType::IdDocumentAuthenticity)
    };
    let payload = CreateSessionPayload::builder().requested_checks([check]);
    let created = client.create_session().body(payload).send().await.unwrap();
    assert_eq!(created.status(), 201);
}

#[tokio::test]
async fn enforce_handoff_is_accepted_with_allow_handoff_and_refused_without() {
    let (_emulator, client) = start().await;
    let with = |allow: Option<bool>| CreateSessionPayload {
        sdk_config: Some(SdkConfig {
            allow_handoff: allow,
            enforce_handoff: Some(true),
            ..Default::default()
        }),
        ..Default::default()
    };
    let created = client.create_session().body(with(Some(true))).send().await;
    assert_eq!(created.unwrap().status(), 201);
    for allow in [None, Some(false)] {
        let (status, error) = api_error(client.create_session().body(with(allow)).send().await);
        assert_eq!((status, code(&error)), (400, "PAYLOAD_VALIDATION"));
        assert_eq!(error.errors.len(), 1, "{error:?}");
        assert_eq!(
            error.errors[0].property.as_deref(),
            Some("sdk_config.enforce_handoff")
        );
        assert_eq!(
            error.errors[0].message.as_deref(),
            Some("may be true only when allow_handoff is true")
        );
    }
    // `enforce_handoff: false` needs nothing.
    let payload = CreateSessionPayload {
        sdk_config: Some(SdkConfig {
            enforce_handoff: Some(false),
            ..Default::default()
        }),
        ..Default::default()
    };
    let created = client.create_session().body(payload).send().await;
    assert_eq!(created.unwrap().status(), 201);
}
