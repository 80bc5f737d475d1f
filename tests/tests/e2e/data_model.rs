//! The data model beyond the API reference: the check types, documents, identity profiles and
//! sandbox options that the official SDKs send and read, through the generated client; and
//! request bodies exactly as the official SDKs' builders make them.

use std::time::{SystemTime, UNIX_EPOCH};

use idv_api::MediaContentExt;
use idv_api::idv_signing::{SigningKey, signed_message};
use idv_api::types::{
    AdvancedIdentityProfile, AdvancedIdentityProfileRequirements, AdvancedIdentityProfileScheme,
    AdvancedIdentityProfileSchemeConfig, CaMatchingStrategy, CaMatchingStrategyType, CaSources,
    CaSourcesType, Check, CheckReport, CheckType, CreateSessionPayload, DocumentFilter,
    DocumentFilterType, DocumentRestriction, GetSessionResult, IdentityProfileRequirements,
    IdentityProfileScheme, Inclusion, ManualCheck, Objective, ObjectiveType, Recommendation,
    RecommendationValue, RequestedCheck, RequestedCheckConfig, RequestedTask, RequiredDocument,
    RequiredDocumentType, ResourceSourceType, ResponseConfig, SandboxCheck, SandboxCheckReports,
    SandboxCheckResult, SandboxDocumentCheck, SandboxDocumentIdPhoto, SandboxTaskRecommendation,
    SandboxTaskRecommendationReason, SandboxTaskResults, SandboxTextExtractionResult,
    SandboxTextExtractionTask, SandboxWatchlistAdvancedCaCheck, Subject,
    TaskRecommendationReasonValue, TaskRecommendationValue, TaskType,
    WatchlistAdvancedCaAccountType, WatchlistSummary,
};
use idv_api::{Client, types};
use idv_emulator::Emulator;
use serde_json::{Value, json};

use super::{create, start, typed};

/// An ID document under a `DOCUMENT_RESTRICTIONS` filter of one restriction.
fn documents(inclusion: Inclusion, types: &[&str], countries: &[&str]) -> RequiredDocument {
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

/// The bodies the official SDKs' own builders produced (see `data/sdk-requests/`).
fn sdk_body(file: &str) -> Value {
    let path = format!(
        "{}/tests/data/sdk-requests/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Sends `body`'s exact bytes, signed as an official SDK signs it, with the SDK id in the
/// query parameter `sdk_param` (the Go SDK calls it `sdkID`).
async fn send_raw(
    emulator: &Emulator,
    method: &str,
    path: &str,
    body: Option<&[u8]>,
    sdk_param: &str,
) -> (u16, Value) {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let path_and_query = format!(
        "{path}?{sdk_param}={}&nonce={}&timestamp={millis}",
        emulator.sdk_id(),
        uuid::Uuid::new_v4()
    );
    let key = SigningKey::from_pem_file(emulator.key_path()).unwrap();
    let digest = key
        .sign(signed_message(method, &path_and_query, body).as_bytes())
        .unwrap();
    let url = format!("{}{path_and_query}", emulator.sandbox_url());
    let mut request = reqwest::Client::new()
        .request(method.parse().unwrap(), url)
        .header("X-Yoti-Auth-Digest", digest)
        .header("Accept", "application/json");
    if let Some(body) = body {
        request = request
            .header("Content-Type", "application/json")
            .body(body.to_vec());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn checks_of(session: &GetSessionResult, kind: CheckType) -> Vec<&Check> {
    session
        .checks
        .iter()
        .filter(|c| c.type_.as_ref() == Some(&kind))
        .collect()
}

async fn session(client: &Client, id: &str) -> GetSessionResult {
    client
        .get_session()
        .session_id(id)
        .send()
        .await
        .unwrap()
        .into_inner()
}

async fn download(client: &Client, id: &str, media: &types::Media) -> (String, Vec<u8>) {
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
async fn configure(client: &Client, id: &str, config: ResponseConfig) {
    client
        .put_session_response_config()
        .session_id(id)
        .body(config)
        .send()
        .await
        .unwrap();
}

fn check(kind: CheckType, config: RequestedCheckConfig) -> RequestedCheck {
    RequestedCheck {
        config: Some(config),
        ..RequestedCheck::new(kind)
    }
}

#[tokio::test]
async fn the_official_sdks_builder_payloads_are_accepted_as_sent() {
    let (emulator, client) = start().await;
    let node = sdk_body("node-create-session.json");
    let python = sdk_body("python-create-session.json");
    let bodies = [
        ("node checks and documents", &node["checks_and_documents"]),
        ("node identity profile", &node["identity_profile"]),
        (
            "node advanced identity profile",
            &node["advanced_identity_profile"],
        ),
        ("python checks and documents", &python),
    ];
    for (name, body) in bodies {
        let bytes = serde_json::to_vec(body).unwrap();
        let (status, created) =
            send_raw(&emulator, "POST", "/sessions", Some(&bytes), "sdkId").await;
        assert_eq!(status, 201, "{name}: {created}");
        let id = created["session_id"].as_str().unwrap();
        let read = session(&client, id).await;
        assert!(read.extra.is_empty(), "{name}: {:?}", read.extra.keys());
    }

    // The Python sandbox client sends `null` for every option it was not given.
    let approve = sdk_body("python-sandbox-approve.json");
    assert!(approve.to_string().contains("null"));
    let path = format!("/apps/{}/response-config", emulator.sdk_id());
    let bytes = serde_json::to_vec(&approve).unwrap();
    let (status, error) = send_raw(&emulator, "PUT", &path, Some(&bytes), "sdkId").await;
    assert_eq!(status, 200, "{error}");
    let stored = client
        .get_application_response_config()
        .sdk_id(emulator.sdk_id())
        .send()
        .await
        .unwrap()
        .into_inner();
    let check_reports = stored.check_reports.unwrap();
    let recommendation = check_reports.id_document_authenticity[0]
        .result
        .as_ref()
        .and_then(|r| r.report.as_ref())
        .and_then(|r| r.recommendation.clone())
        .unwrap();
    assert_eq!(recommendation.reason, None, "a null is read as absent");
    assert_eq!(check_reports.async_report_delay, None);

    // A null where a value is required is still refused.
    let body = br#"{"requested_checks": [{"type": null}]}"#;
    let (status, error) = send_raw(&emulator, "POST", "/sessions", Some(body), "sdkId").await;
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["errors"][0]["property"], "requested_checks[0].type");
}

#[tokio::test]
async fn the_go_sdks_sdk_id_parameter_is_accepted() {
    let (emulator, _) = start().await;
    let (status, created) = send_raw(&emulator, "POST", "/sessions", Some(b"{}"), "sdkID").await;
    assert_eq!(status, 201, "{created}");
    let path = format!("/sessions/{}", created["session_id"].as_str().unwrap());
    let (status, _) = send_raw(&emulator, "GET", &path, None, "sdkID").await;
    assert_eq!(status, 200);
    let (status, error) = send_raw(&emulator, "GET", &path, None, "sdkid").await;
    assert_eq!(
        (status, error["code"].as_str()),
        (401, Some("MISSING_SDK_ID"))
    );
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

/// What the Java SDK's builders send that the Node and Python SDKs do not, built field by
/// field from its sources (`SessionSpec`, `IbvOptions`, `SdkConfig`, the sandbox's
/// `SandboxCheckReports` and `SandboxDocumentTextDataExtractionTask`).
#[tokio::test]
async fn the_java_sdks_extra_options_are_accepted() {
    let (emulator, client) = start().await;
    let payload = json!({
        "client_session_token_ttl": 900,
        "resources_ttl": 100000,
        "import_token": {"ttl": 3600},
        "create_identity_profile_preview": false,
        "ibv_options": {"support": "MANDATORY", "guidance_url": "https://example.com/ibv", "user_price": {"amount": "5.99", "currency": "GBP"}},
        "resources": {"applicant_profile": {"full_name": "Ada Lovelace", "date_of_birth": "1815-12-10"}},
        "ephemeral_media": true,
        "sdk_config": {"dark_mode": "AUTO", "primary_colour_dark_mode": "#ffffff", "allow_handoff": true},
        "notifications": {"endpoint": "https://example.com/hook", "topics": ["FIRST_BRANCH_VISIT", "SESSION_COMPLETION"], "auth_type": "BEARER"},
        "requested_checks": [
            {"type": "DOCUMENT_SCHEME_VALIDITY_CHECK", "config": {"manual_check": "IBV", "scheme": "UK_DBS"}},
            {"type": "IBV_VISUAL_REVIEW_CHECK", "config": {"manual_check": "IBV"}},
            {"type": "PROFILE_DOCUMENT_MATCH", "config": {}}
        ]
    });
    let bytes = serde_json::to_vec(&payload).unwrap();
    let (status, created) = send_raw(&emulator, "POST", "/sessions", Some(&bytes), "sdkId").await;
    assert_eq!(status, 201, "{created}");
    let typed_payload: CreateSessionPayload = typed(payload);
    assert_eq!(
        typed_payload
            .ibv_options
            .unwrap()
            .user_price
            .unwrap()
            .amount,
        "5.99"
    );
    let id = created["session_id"].as_str().unwrap();
    let read = session(&client, id).await;
    let validity = checks_of(&read, CheckType::DocumentSchemeValidityCheck)[0];
    assert_eq!(validity.scheme.as_deref(), Some("UK_DBS"));
    for kind in [
        CheckType::IbvVisualReviewCheck,
        CheckType::ProfileDocumentMatch,
    ] {
        let checks = checks_of(&read, kind.clone());
        assert_eq!(checks.len(), 1, "{kind:?}");
        let value = checks[0]
            .report
            .as_ref()
            .and_then(|r| r.recommendation.as_ref());
        assert_eq!(
            value.and_then(|r| r.value.as_ref()).map(|v| v.as_str()),
            Some("APPROVE")
        );
    }

    let delayed = |result: Value| json!({"result": result, "response_delay": 2, "result_template": "ALWAYS_APPROVE"});
    let approve = json!({"report": {"recommendation": {"value": "APPROVE"}}, "report_template": "APPROVE_ALL"});
    let config = json!({
        "task_results": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": [delayed(json!({
            "document_fields": {"full_name": "Ada Lovelace"},
            "detected_country": "GBR",
            "detected_document_type": "PASSPORT",
            "document_id_photo": {"content_type": "image/png", "data": "iVBORw0KGgo="}
        }))]},
        "check_reports": {
            "LIVENESS": [{"liveness_type": "STATIC", "response_delay": 3, "result": approve}],
            "FACE_COMPARISON": {"result": approve},
            "SYNECTICS_IDENTITY_FRAUD": [{"result": approve}],
            "THIRD_PARTY_IDENTITY_FRAUD_1": {"result": approve},
            "WATCHLIST_SCREENING": {"result": approve},
            "WATCHLIST_ADVANCED_CA": [
                {"sources_filter": {"type": "TYPE_LIST", "types": ["pep"]}, "result": approve},
                {"sources_filter": {"type": "PROFILE", "search_profile": "p"}, "result": approve}
            ],
            "async_report_delay": 0
        }
    });
    let bytes = serde_json::to_vec(&config).unwrap();
    let path = format!("/sessions/{id}/response-config");
    let (status, error) = send_raw(&emulator, "PUT", &path, Some(&bytes), "sdkId").await;
    assert_eq!(status, 200, "{error}");
    let typed_config: ResponseConfig = typed(config);
    let reports = typed_config.check_reports.unwrap();
    assert_eq!(reports.watchlist_advanced_ca.len(), 2);
    assert!(reports.extra.is_empty());
}
