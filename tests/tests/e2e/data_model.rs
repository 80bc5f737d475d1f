//! The data model beyond the API reference: the check types, documents and sandbox options
//! that the official SDKs send and read, through the generated client. Its helpers serve the
//! other data-model modules too (`identity_profiles.rs`, `sdk_requests.rs`).

use idv_api::MediaContentExt;
use idv_api::types::{
    CaMatchingStrategy, CaMatchingStrategyType, CaSources, CaSourcesType, Check, CheckReport,
    CheckType, CreateSessionPayload, DocumentFilter, DocumentFilterType, DocumentRestriction,
    GetSessionResult, Inclusion, ManualCheck, Objective, ObjectiveType, Recommendation,
    RecommendationValue, RequestedCheck, RequestedCheckConfig, RequestedTask, RequiredDocument,
    RequiredDocumentType, ResourceSourceType, ResponseConfig, SandboxCheck, SandboxCheckReports,
    SandboxCheckResult, SandboxDocumentIdPhoto, SandboxTaskRecommendation,
    SandboxTaskRecommendationReason, SandboxTaskResults, SandboxTextExtractionResult,
    SandboxTextExtractionTask, SandboxWatchlistAdvancedCaCheck, TaskRecommendationReasonValue,
    TaskRecommendationValue, TaskType, WatchlistAdvancedCaAccountType, WatchlistSummary,
};
use idv_api::{Client, types};
use serde_json::{Value, json};

use super::{create, start};

/// An ID document under a `DOCUMENT_RESTRICTIONS` filter of one restriction.
pub(super) fn documents(
    inclusion: Inclusion,
    types: &[&str],
    countries: &[&str],
) -> RequiredDocument {
    let strings = |values: &[&str]| values.iter().map(|v| v.to_string()).collect();
    let restriction = DocumentRestriction {
        document_types: strings(types),
        country_codes: strings(countries),
        ..Default::default()
    };
    let filter = DocumentFilter {
        inclusion: Some(inclusion),
        documents: vec![restriction],
        ..DocumentFilter::new(DocumentFilterType::DocumentRestrictions)
    };
    RequiredDocument {
        filter: Some(filter),
        ..RequiredDocument::new(RequiredDocumentType::IdDocument)
    }
}

pub(super) fn checks_of(session: &GetSessionResult, kind: CheckType) -> Vec<&Check> {
    session
        .checks
        .iter()
        .filter(|c| c.type_.as_ref() == Some(&kind))
        .collect()
}

pub(super) async fn session(client: &Client, id: &str) -> GetSessionResult {
    client
        .get_session()
        .session_id(id)
        .send()
        .await
        .unwrap()
        .into_inner()
}

pub(super) async fn download(client: &Client, id: &str, media: &types::Media) -> (String, Vec<u8>) {
    let media_id = media.id.as_deref().expect("a media id");
    let response = client
        .get_media_content()
        .session_id(id)
        .media_id(media_id)
        .send()
        .await
        .unwrap();
    let media = response.into_media().expect("content");
    let content_type = media.content_type.clone().unwrap_or_default();
    (content_type, media.bytes().await.unwrap().to_vec())
}

/// Sets the session's sandbox response configuration.
pub(super) async fn configure(client: &Client, id: &str, config: ResponseConfig) {
    client
        .put_session_response_config()
        .session_id(id)
        .body(config)
        .send()
        .await
        .unwrap();
}

pub(super) fn check(kind: CheckType, config: RequestedCheckConfig) -> RequestedCheck {
    RequestedCheck {
        config: Some(config),
        ..RequestedCheck::new(kind)
    }
}

#[tokio::test]
async fn watchlist_checks_report_a_summary_with_hits_sources_and_search_config() {
    let (_emulator, client) = start().await;
    let screening = check(
        CheckType::WatchlistScreening,
        RequestedCheckConfig {
            categories: vec!["SANCTIONS".into()],
            ..Default::default()
        },
    );
    let advanced = check(
        CheckType::WatchlistAdvancedCa,
        RequestedCheckConfig {
            type_: Some(WatchlistAdvancedCaAccountType::WithYotiAccount),
            remove_deceased: Some(true),
            share_url: Some(false),
            sources: Some(CaSources {
                types: vec!["pep".into(), "sanction".into()],
                ..CaSources::new(CaSourcesType::TypeList)
            }),
            matching_strategy: Some(CaMatchingStrategy {
                fuzziness: Some(0.6),
                ..CaMatchingStrategy::new(CaMatchingStrategyType::Fuzzy)
            }),
            ..Default::default()
        },
    );
    let payload = CreateSessionPayload {
        requested_checks: vec![screening, advanced],
        ..Default::default()
    };
    let id = create(&client, payload).await;
    let read = session(&client, &id).await;

    let screening = checks_of(&read, CheckType::WatchlistScreening)[0];
    let report = screening.report.as_ref().unwrap();
    assert_eq!(
        report
            .recommendation
            .as_ref()
            .unwrap()
            .value
            .as_ref()
            .unwrap()
            .as_str(),
        "CONSIDER"
    );
    let summary = report.watchlist_summary.as_ref().unwrap();
    assert_eq!(summary.total_hits, Some(1));
    assert_eq!(summary.associated_country_codes, ["GBR"]);
    let config = summary.search_config.as_ref().unwrap();
    assert_eq!(config.categories, ["SANCTIONS"]);
    assert!(config.extra.is_empty() && summary.extra.is_empty());
    let raw = summary
        .raw_results
        .as_ref()
        .unwrap()
        .media
        .as_ref()
        .unwrap();
    let (content_type, bytes) = download(&client, &id, raw).await;
    assert_eq!(content_type, "application/json");
    let hits: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(hits["total_hits"], 1);
    assert_eq!(hits["hits"][0]["types"], json!(["sanctions"]));
    let profile = screening
        .generated_profile
        .as_ref()
        .unwrap()
        .media
        .as_ref()
        .unwrap();
    let (_, bytes) = download(&client, &id, profile).await;
    let profile: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(profile["full_name"], "Jane Sandbox Doe");
    let documents = &read.resources.as_ref().unwrap().id_documents;
    assert_eq!(screening.resources_used, [documents[0].id.clone().unwrap()]);

    let advanced = checks_of(&read, CheckType::WatchlistAdvancedCa)[0];
    let config = advanced
        .report
        .as_ref()
        .and_then(|r| r.watchlist_summary.as_ref())
        .and_then(|s| s.search_config.as_ref())
        .unwrap();
    assert_eq!(
        config.type_,
        Some(WatchlistAdvancedCaAccountType::WithYotiAccount)
    );
    assert_eq!(config.remove_deceased, Some(true));
    let sources = config.sources.as_ref().unwrap();
    assert_eq!(
        (&sources.type_, sources.types.as_slice()),
        (
            &CaSourcesType::TypeList,
            ["pep".to_owned(), "sanction".to_owned()].as_slice()
        )
    );
    let strategy = config.matching_strategy.as_ref().unwrap();
    assert_eq!(strategy.fuzziness, Some(0.6));
}

#[tokio::test]
async fn the_sandbox_configures_each_new_check_type() {
    let (_emulator, client) = start().await;
    let custom_account = RequestedCheckConfig {
        type_: Some(WatchlistAdvancedCaAccountType::WithCustomAccount),
        api_key: Some("k".into()),
        monitoring: Some(false),
        sources: Some(CaSources {
            search_profile: Some("profile-1".into()),
            ..CaSources::new(CaSourcesType::Profile)
        }),
        matching_strategy: Some(CaMatchingStrategy {
            exact_match: Some(true),
            ..CaMatchingStrategy::new(CaMatchingStrategyType::Exact)
        }),
        ..Default::default()
    };
    let yoti_account = RequestedCheckConfig {
        type_: Some(WatchlistAdvancedCaAccountType::WithYotiAccount),
        sources: Some(CaSources {
            types: vec!["pep".into()],
            ..CaSources::new(CaSourcesType::TypeList)
        }),
        ..Default::default()
    };
    let payload = CreateSessionPayload {
        requested_checks: vec![
            check(
                CheckType::FaceComparison,
                RequestedCheckConfig {
                    manual_check: Some(ManualCheck::Never),
                    ..Default::default()
                },
            ),
            check(
                CheckType::WatchlistScreening,
                RequestedCheckConfig {
                    categories: vec!["ADVERSE-MEDIA".into()],
                    ..Default::default()
                },
            ),
            check(CheckType::WatchlistAdvancedCa, custom_account),
            check(CheckType::WatchlistAdvancedCa, yoti_account),
            CheckType::ThirdPartyIdentityFraud1.into(),
            CheckType::SynecticsIdentityFraud.into(),
        ],
        ..Default::default()
    };
    let id = create(&client, payload).await;
    let result = |value, reason: Option<&str>, summary| SandboxCheckResult {
        report: Some(CheckReport {
            recommendation: Some(Recommendation {
                value: Some(value),
                reason: reason.map(str::to_string),
                ..Default::default()
            }),
            watchlist_summary: summary,
            ..Default::default()
        }),
        ..Default::default()
    };
    let rejected = |reason| SandboxCheck {
        result: Some(result(RecommendationValue::Reject, Some(reason), None)),
        ..Default::default()
    };
    let no_hits = WatchlistSummary {
        total_hits: Some(0),
        ..Default::default()
    };
    let config = ResponseConfig {
        check_reports: Some(SandboxCheckReports {
            face_comparison: Some(rejected("FACE_NOT_MATCHING")),
            watchlist_screening: Some(SandboxCheck {
                result: Some(result(RecommendationValue::Approve, None, Some(no_hits))),
                ..Default::default()
            }),
            watchlist_advanced_ca: vec![SandboxWatchlistAdvancedCaCheck {
                sources_filter: Some(CaSources {
                    search_profile: Some("profile-1".into()),
                    ..CaSources::new(CaSourcesType::Profile)
                }),
                result: rejected("HITS_FOUND").result,
                ..Default::default()
            }],
            third_party_identity_fraud_1: Some(rejected("FRAUD_SUSPECTED")),
            synectics_identity_fraud: vec![rejected("SYNECTICS_HIT")],
            ..Default::default()
        }),
        ..Default::default()
    };
    configure(&client, &id, config).await;
    // The face comparison runs once the business has uploaded the face to compare.
    let face = client
        .add_face_capture(&id, "image/png", b"face")
        .await
        .unwrap();
    let read = session(&client, &id).await;
    let reason = |c: &Check| {
        let recommendation = c.report.as_ref()?.recommendation.as_ref()?;
        Some((
            recommendation.value.as_ref()?.as_str().to_owned(),
            recommendation.reason.clone(),
        ))
    };
    let outcome =
        |kind: CheckType| -> Vec<_> { checks_of(&read, kind).into_iter().map(reason).collect() };
    let rejected_for = |r: &str| Some(("REJECT".to_owned(), Some(r.to_owned())));
    assert_eq!(
        outcome(CheckType::FaceComparison),
        [rejected_for("FACE_NOT_MATCHING")]
    );
    assert_eq!(
        outcome(CheckType::ThirdPartyIdentityFraud1),
        [rejected_for("FRAUD_SUSPECTED")]
    );
    assert_eq!(
        outcome(CheckType::SynecticsIdentityFraud),
        [rejected_for("SYNECTICS_HIT")]
    );
    // The sources filter picks the profile search; the type-list search keeps its default.
    assert_eq!(
        outcome(CheckType::WatchlistAdvancedCa),
        [
            rejected_for("HITS_FOUND"),
            Some(("CONSIDER".to_owned(), Some("POTENTIAL_MATCH".to_owned())))
        ]
    );
    let screening = checks_of(&read, CheckType::WatchlistScreening)[0];
    let summary = screening
        .report
        .as_ref()
        .unwrap()
        .watchlist_summary
        .as_ref()
        .unwrap();
    assert_eq!(summary.total_hits, Some(0));
    assert_eq!(
        summary.search_config.as_ref().unwrap().categories,
        ["ADVERSE-MEDIA"]
    );
    assert!(summary.raw_results.is_some());

    // The face comparison compares the face capture the relying business provided.
    let comparison = checks_of(&read, CheckType::FaceComparison)[0];
    let faces = &read.resources.as_ref().unwrap().face_capture;
    assert_eq!(faces.len(), 1);
    assert_eq!(faces[0].id.as_deref(), Some(face.as_str()));
    assert_eq!(comparison.resources_used, [face]);
    let face = &faces[0];
    assert_eq!(
        face.source.as_ref().and_then(|s| s.type_.clone()),
        Some(ResourceSourceType::RelyingBusiness)
    );
}

#[tokio::test]
async fn supplementary_documents_and_document_restrictions() {
    let (_emulator, client) = start().await;
    let proof_of_address = RequiredDocument {
        objective: Some(Objective::new(ObjectiveType::ProofOfAddress)),
        document_types: vec!["BANK_STATEMENT".into()],
        country_codes: vec!["FRA".into()],
        ..RequiredDocument::new(RequiredDocumentType::SupplementaryDocument)
    };
    let passport = documents(Inclusion::Include, &["PASSPORT"], &["ITA"]);
    let payload = CreateSessionPayload {
        requested_checks: vec![CheckType::IdDocumentAuthenticity.into()],
        requested_tasks: vec![TaskType::SupplementaryDocumentTextDataExtraction.into()],
        required_documents: vec![passport, proof_of_address],
        ..Default::default()
    };
    let id = create(&client, payload).await;
    let read = session(&client, &id).await;
    let resources = read.resources.unwrap();
    let id_document = &resources.id_documents[0];
    assert_eq!(
        (
            id_document.document_type.as_deref(),
            id_document.issuing_country.as_deref()
        ),
        (Some("PASSPORT"), Some("ITA"))
    );
    let supplementary = &resources.supplementary_documents[0];
    assert_eq!(
        (
            supplementary.document_type.as_deref(),
            supplementary.issuing_country.as_deref()
        ),
        (Some("BANK_STATEMENT"), Some("FRA"))
    );
    assert_eq!(
        supplementary.tasks[0].type_.as_ref().unwrap().as_str(),
        "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION"
    );

    // Excluding a document picks another.
    let payload = CreateSessionPayload {
        requested_checks: vec![CheckType::IdDocumentAuthenticity.into()],
        required_documents: vec![documents(Inclusion::Blacklist, &["PASSPORT"], &[])],
        ..Default::default()
    };
    let id = create(&client, payload).await;
    let read = session(&client, &id).await;
    let document_type = read.resources.unwrap().id_documents[0]
        .document_type
        .clone();
    assert_eq!(document_type.as_deref(), Some("DRIVING_LICENCE"));
}

#[tokio::test]
async fn the_sandbox_sets_the_document_photo_and_task_recommendations() {
    let (_emulator, client) = start().await;
    let payload = CreateSessionPayload::builder()
        .requested_tasks([RequestedTask::new(TaskType::IdDocumentTextDataExtraction)]);
    let id = create(&client, payload).await;
    let result = SandboxTextExtractionResult {
        document_fields: [("full_name".to_string(), "Ada Lovelace".into())]
            .into_iter()
            .collect(),
        document_id_photo: Some(SandboxDocumentIdPhoto {
            content_type: "image/jpeg".into(),
            data: "/9j/4AAQ".into(),
            extra: Default::default(),
        }),
        recommendation: Some(SandboxTaskRecommendation {
            value: Some(TaskRecommendationValue::ShouldTryAgain),
            reason: Some(SandboxTaskRecommendationReason {
                value: Some(TaskRecommendationReasonValue::Quality),
                detail: Some("BLUR".into()),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    };
    let config = ResponseConfig {
        task_results: Some(SandboxTaskResults {
            id_document_text_data_extraction: vec![SandboxTextExtractionTask {
                result: Some(result),
                ..Default::default()
            }],
            ..Default::default()
        }),
        ..Default::default()
    };
    configure(&client, &id, config).await;
    let read = session(&client, &id).await;
    let document = &read.resources.as_ref().unwrap().id_documents[0];
    let photo = document
        .document_id_photo
        .as_ref()
        .unwrap()
        .media
        .as_ref()
        .unwrap();
    let (content_type, bytes) = download(&client, &id, photo).await;
    assert_eq!(
        (content_type.as_str(), bytes.as_slice()),
        ("image/jpeg", &[0xff, 0xd8, 0xff, 0xe0, 0, 0x10][..])
    );
    let recommendation = document.tasks[0].recommendation.as_ref().unwrap();
    assert_eq!(
        recommendation.value.as_ref().unwrap().as_str(),
        "SHOULD_TRY_AGAIN"
    );
    let reason = recommendation.reason.as_ref().unwrap();
    assert_eq!(
        (
            reason.value.as_ref().unwrap().as_str(),
            reason.detail.as_deref()
        ),
        ("QUALITY", Some("BLUR"))
    );
}
