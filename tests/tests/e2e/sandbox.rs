//! The sandbox: response configuration at application and session level, and sessions that
//! report what it says.

use idv_api::MediaContentExt;
use idv_api::types::{
    BreakdownDetail, BreakdownItem, BreakdownResult, CheckReport, CheckType, CountryRestriction,
    CreateSessionPayload, DocumentFilter, DocumentFilterType, GetSessionResult, Inclusion,
    LivenessType, Recommendation, RecommendationValue, RequestedCheck, RequiredDocument,
    RequiredDocumentType, ResponseConfig, SandboxCheckReports, SandboxCheckResult,
    SandboxDocumentCheck, SandboxDocumentFilter, SandboxLivenessCheck, SandboxTaskResults,
    SandboxTextDataCheck, SandboxTextDataCheckResult, SandboxTextExtractionResult,
    SandboxTextExtractionTask, TaskType, TypeRestriction,
};
use serde_json::{Value, json};

use super::{create, start};

pub(super) fn report(check: &idv_api::types::Check) -> Value {
    serde_json::to_value(check.report.as_ref().expect("a report")).unwrap()
}

/// An ID document from one country, of one type.
pub(super) fn restricted(country: &str, document: &str) -> RequiredDocument {
    let filter = DocumentFilter {
        country_restriction: Some(CountryRestriction {
            inclusion: Inclusion::Include,
            country_codes: vec![country.into()],
            extra: Default::default(),
        }),
        type_restriction: Some(TypeRestriction {
            inclusion: Inclusion::Include,
            document_types: vec![document.into()],
            extra: Default::default(),
        }),
        ..DocumentFilter::new(DocumentFilterType::OrthogonalRestrictions)
    };
    RequiredDocument {
        filter: Some(filter),
        ..RequiredDocument::new(RequiredDocumentType::IdDocument)
    }
}

/// A report that recommends `value`.
pub(super) fn recommending(value: RecommendationValue) -> CheckReport {
    CheckReport {
        recommendation: Some(Recommendation {
            value: Some(value),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// A sandbox result that reports `report`.
pub(super) fn result(report: &CheckReport) -> SandboxCheckResult {
    SandboxCheckResult {
        report: Some(report.clone()),
        ..Default::default()
    }
}

/// A sandbox document check that reports `report` for the documents `filter` selects.
fn document_check(
    filter: Option<SandboxDocumentFilter>,
    report: &CheckReport,
) -> SandboxDocumentCheck {
    SandboxDocumentCheck {
        document_filter: filter,
        result: Some(result(report)),
        ..Default::default()
    }
}

/// A breakdown entry: a sub-check and its result.
fn sub_check(name: &str, result: BreakdownResult) -> BreakdownItem {
    BreakdownItem {
        sub_check: Some(name.into()),
        result: Some(result),
        ..Default::default()
    }
}

/// A sandbox liveness check of `kind` that recommends `value`.
pub(super) fn liveness(kind: LivenessType, value: RecommendationValue) -> SandboxLivenessCheck {
    SandboxLivenessCheck {
        liveness_type: Some(kind),
        result: Some(result(&recommending(value))),
        ..Default::default()
    }
}

pub(super) fn check(session: &GetSessionResult, kind: CheckType) -> &idv_api::types::Check {
    session
        .checks
        .iter()
        .find(|c| c.type_.as_ref() == Some(&kind))
        .expect("the check")
}

#[tokio::test]
async fn configure_create_read_fetch_and_delete() {
    let (emulator, client) = start().await;

    // The application: authenticity rejects, ZOOM liveness is to be considered, and text
    // extraction from British documents finds Ada.
    let rejected = CheckReport {
        recommendation: Some(Recommendation {
            value: Some(RecommendationValue::Reject),
            reason: Some("NOT_GENUINE".into()),
            recovery_suggestion: Some("USE_ORIGINAL".into()),
            ..Default::default()
        }),
        breakdown: vec![BreakdownItem {
            details: vec![BreakdownDetail {
                name: Some("confidence".into()),
                value: Some("0.12".into()),
                ..Default::default()
            }],
            ..sub_check("hologram", BreakdownResult::Fail)
        }],
        ..Default::default()
    };
    let considered = CheckReport {
        breakdown: vec![sub_check("liveness_auth", BreakdownResult::Fail)],
        ..recommending(RecommendationValue::Consider)
    };
    let ada: serde_json::Map<String, Value> = [
        ("full_name", "Ada Lovelace"),
        ("date_of_birth", "1815-12-10"),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_string(), value.into()))
    .collect();
    let app_config = ResponseConfig {
        task_results: Some(SandboxTaskResults {
            id_document_text_data_extraction: vec![SandboxTextExtractionTask {
                document_filter: Some(SandboxDocumentFilter {
                    country_codes: vec!["GBR".into()],
                    ..Default::default()
                }),
                result: Some(SandboxTextExtractionResult {
                    document_fields: ada,
                    detected_country: Some("GBR".into()),
                    ..Default::default()
                }),
                ..Default::default()
            }],
            ..Default::default()
        }),
        check_reports: Some(SandboxCheckReports {
            id_document_authenticity: vec![document_check(None, &rejected)],
            liveness: vec![SandboxLivenessCheck {
                liveness_type: Some(LivenessType::Zoom),
                result: Some(result(&considered)),
                ..Default::default()
            }],
            ..Default::default()
        }),
        ..Default::default()
    };
    let put = client
        .put_application_response_config()
        .sdk_id(emulator.sdk_id())
        .body(app_config.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    let read = client
        .get_application_response_config()
        .sdk_id(emulator.sdk_id())
        .send()
        .await
        .unwrap();
    assert_eq!(read.into_inner(), app_config);

    let checks = [
        CheckType::IdDocumentAuthenticity,
        CheckType::Liveness,
        CheckType::IdDocumentFaceMatch,
    ];
    let payload = CreateSessionPayload {
        requested_checks: checks.map(RequestedCheck::new).into(),
        requested_tasks: vec![TaskType::IdDocumentTextDataExtraction.into()],
        required_documents: vec![restricted("GBR", "PASSPORT")],
        ..Default::default()
    };
    let id = create(&client, payload).await;
    let before = client.get_session().session_id(&id).send().await.unwrap();
    assert_eq!(
        check(&before, CheckType::IdDocumentAuthenticity)
            .report
            .as_ref(),
        Some(&rejected)
    );

    // The session: authenticity approves after all (overriding the application), and its text
    // data check reports what the session says. Liveness stays as the application says.
    let approved = CheckReport {
        breakdown: vec![
            sub_check("document_in_date", BreakdownResult::Pass),
            sub_check("hologram", BreakdownResult::Pass),
        ],
        ..recommending(RecommendationValue::Approve)
    };
    let text_checked = CheckReport {
        recommendation: Some(Recommendation {
            value: Some(RecommendationValue::NotAvailable),
            reason: Some("TEXT_UNREADABLE".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let british_passport = SandboxDocumentFilter {
        country_codes: vec!["GBR".into()],
        document_types: vec!["PASSPORT".into()],
        ..Default::default()
    };
    let french = SandboxDocumentFilter {
        country_codes: vec!["FRA".into()],
        ..Default::default()
    };
    let session_config = ResponseConfig {
        check_reports: Some(SandboxCheckReports {
            id_document_authenticity: vec![document_check(Some(british_passport), &approved)],
            id_document_text_data_check: vec![SandboxTextDataCheck {
                result: Some(SandboxTextDataCheckResult {
                    report: Some(text_checked.clone()),
                    document_fields: [("full_name".to_string(), "A. Lovelace".into())]
                        .into_iter()
                        .collect(),
                    ..Default::default()
                }),
                ..Default::default()
            }],
            id_document_face_match: vec![document_check(Some(french), &rejected)],
            ..Default::default()
        }),
        ..Default::default()
    };
    client
        .put_session_response_config()
        .session_id(&id)
        .body(session_config)
        .send()
        .await
        .unwrap();
    let in_force = client
        .get_session_response_config()
        .session_id(&id)
        .send()
        .await
        .unwrap()
        .into_inner();
    let in_force = serde_json::to_value(in_force).unwrap();
    assert_eq!(
        in_force["check_reports"]["ID_DOCUMENT_AUTHENTICITY"][0]["result"]["report"],
        serde_json::to_value(&approved).unwrap()
    );
    assert_eq!(
        in_force["check_reports"]["LIVENESS"][0]["result"]["report"],
        serde_json::to_value(&considered).unwrap()
    );
    assert_eq!(
        in_force["task_results"]["ID_DOCUMENT_TEXT_DATA_EXTRACTION"][0]["result"]["detected_country"],
        "GBR"
    );

    let session = client
        .get_session()
        .session_id(&id)
        .send()
        .await
        .unwrap()
        .into_inner();
    let report_of = |kind| check(&session, kind).report.as_ref();
    assert_eq!(
        report_of(CheckType::IdDocumentAuthenticity),
        Some(&approved)
    );
    assert_eq!(report_of(CheckType::Liveness), Some(&considered));
    assert_eq!(
        report_of(CheckType::IdDocumentTextDataCheck),
        Some(&text_checked)
    );
    let face_match = report(check(&session, CheckType::IdDocumentFaceMatch));
    assert_eq!(
        face_match["recommendation"]["value"], "APPROVE",
        "the FRA-only report does not apply to a GBR passport"
    );

    // The extracted fields are the task's JSON media; the check's media has the check's own.
    let document = &session.resources.as_ref().unwrap().id_documents[0];
    assert_eq!(
        (
            document.issuing_country.as_deref(),
            document.document_type.as_deref()
        ),
        (Some("GBR"), Some("PASSPORT"))
    );
    let fetch = |media_id: String| {
        let (client, id) = (client.clone(), id.clone());
        async move {
            let media = client
                .get_media_content()
                .session_id(&id)
                .media_id(&media_id)
                .send()
                .await
                .unwrap();
            let bytes = media.into_media().expect("content").bytes().await.unwrap();
            serde_json::from_slice::<Value>(&bytes).unwrap()
        }
    };
    let task_media = document.tasks[0].generated_media[0].id.clone().unwrap();
    assert_eq!(
        fetch(task_media.clone()).await,
        json!({"full_name": "Ada Lovelace", "date_of_birth": "1815-12-10"})
    );
    let fields_media = document
        .document_fields
        .clone()
        .unwrap()
        .media
        .unwrap()
        .id
        .unwrap();
    assert_eq!(fetch(fields_media).await["full_name"], "Ada Lovelace");
    let check_media = check(&session, CheckType::IdDocumentTextDataCheck).generated_media[0]
        .id
        .clone()
        .unwrap();
    assert_eq!(
        fetch(check_media).await,
        json!({"full_name": "A. Lovelace"})
    );

    let deleted = client
        .delete_media_content()
        .session_id(&id)
        .media_id(&task_media)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    let deleted = client
        .delete_session()
        .session_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert!(client.get_session().session_id(&id).send().await.is_err());
}
