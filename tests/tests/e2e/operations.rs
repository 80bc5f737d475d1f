//! Every operation on its success path (`error_statuses.rs` has their documented error
//! statuses).

use std::time::Duration;

use idv_api::types::{
    CheckState, CheckType, CountryRestriction, CreateSessionPayload, DocumentFilter,
    DocumentFilterType, Inclusion, ManualCheck, MediaType, RequestedCheck, RequestedCheckConfig,
    RequestedTask, RequestedTaskConfig, RequiredDocument, RequiredDocumentType, SessionState,
    TaskType, TypeRestriction,
};
use idv_api::{MediaContentExt, ResponseValue};
use serde_json::{Value, json};

use super::{api_error, code, create, start, typed};

/// Everything a session can ask for, with the document restricted to a French ID card.
pub(super) fn full_payload() -> CreateSessionPayload {
    let check = |type_, manual_check| RequestedCheck {
        config: Some(RequestedCheckConfig {
            manual_check: Some(manual_check),
            ..Default::default()
        }),
        ..RequestedCheck::new(type_)
    };
    let french_id_card = DocumentFilter {
        country_restriction: Some(CountryRestriction {
            inclusion: Inclusion::Include,
            country_codes: vec!["FRA".into()],
            extra: Default::default(),
        }),
        type_restriction: Some(TypeRestriction {
            inclusion: Inclusion::Include,
            document_types: vec!["NATIONAL_ID".into()],
            extra: Default::default(),
        }),
        ..DocumentFilter::new(DocumentFilterType::OrthogonalRestrictions)
    };
    CreateSessionPayload {
        user_tracking_id: Some("user-42".into()),
        requested_checks: vec![
            check(CheckType::IdDocumentAuthenticity, ManualCheck::Never),
            check(CheckType::IdDocumentFaceMatch, ManualCheck::Fallback),
            RequestedCheck::new(CheckType::Liveness),
        ],
        requested_tasks: vec![RequestedTask {
            config: Some(RequestedTaskConfig {
                manual_check: Some(ManualCheck::Always),
                ..Default::default()
            }),
            ..RequestedTask::new(TaskType::IdDocumentTextDataExtraction)
        }],
        required_documents: vec![RequiredDocument {
            filter: Some(french_id_card),
            ..RequiredDocument::new(RequiredDocumentType::IdDocument)
        }],
        ..Default::default()
    }
}

#[tokio::test]
async fn supported_documents_honour_include_non_latin() {
    let (_emulator, client) = start().await;
    let latin = client.get_supported_documents().send().await.unwrap();
    let all = client
        .get_supported_documents()
        .include_non_latin(true)
        .send()
        .await
        .unwrap();
    let non_latin = |docs: &idv_api::types::SupportedDocumentsResponse| {
        docs.supported_countries
            .iter()
            .flat_map(|c| &c.supported_documents)
            .filter(|d| d.is_strictly_latin == Some(false))
            .count()
    };
    assert_eq!(non_latin(&latin), 0);
    assert!(non_latin(&all) > 0);
    let codes: Vec<_> = all
        .supported_countries
        .iter()
        .filter_map(|c| c.code.as_deref())
        .collect();
    assert!(
        codes.contains(&"GBR") && codes.contains(&"RUS"),
        "{codes:?}"
    );
    assert!(
        !latin
            .supported_countries
            .iter()
            .any(|c| c.code.as_deref() == Some("RUS"))
    );
}

#[tokio::test]
async fn create_get_and_delete_a_session() {
    let (_emulator, client) = start().await;
    let created = client
        .create_session()
        .body(full_payload())
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let id = created.session_id.clone();
    uuid::Uuid::parse_str(&id).expect("the session id is a UUID");
    uuid::Uuid::parse_str(&created.client_session_token).expect("the token is a UUID");
    assert_eq!(
        created.client_session_token_ttl,
        Some(600),
        "the spec's default TTL"
    );

    let session = client.get_session().session_id(&id).send().await.unwrap();
    assert_eq!(session.session_id.as_deref(), Some(id.as_str()));
    assert_eq!(
        session.client_session_token.as_deref(),
        Some(created.client_session_token.as_str())
    );
    assert_eq!(session.user_tracking_id.as_deref(), Some("user-42"));
    assert_eq!(session.state, Some(SessionState::Completed));
    assert!(
        session.biometric_consent.is_some(),
        "a liveness capture asks for consent"
    );

    let resources = session.resources.as_ref().unwrap();
    let [document] = resources.id_documents.as_slice() else {
        panic!("one ID document: {resources:?}")
    };
    assert_eq!(
        document.issuing_country.as_deref(),
        Some("FRA"),
        "from the required document's filter"
    );
    assert_eq!(document.document_type.as_deref(), Some("NATIONAL_ID"));
    assert_eq!(
        document.pages[0].media.as_ref().unwrap().type_,
        Some(MediaType::Image)
    );
    let [task] = document.tasks.as_slice() else {
        panic!("one task")
    };
    assert_eq!(
        task.type_.as_ref().unwrap().as_str(),
        "ID_DOCUMENT_TEXT_DATA_EXTRACTION"
    );
    assert_eq!(
        task.generated_checks[0].type_,
        Some(CheckType::IdDocumentTextDataCheck)
    );
    let liveness = &resources.liveness_capture[0];
    assert_eq!(liveness.liveness_type.as_ref().unwrap().as_str(), "ZOOM");
    assert_eq!(liveness.frames.len(), 7);
    assert!(
        liveness.frames[6].media.is_none(),
        "frames 4-7 may have no media"
    );
    assert!(
        resources.face_capture.is_empty(),
        "the face match uses the liveness capture"
    );

    // A check per requested check, and the one the task generated, each on its resources.
    let types: Vec<&str> = session
        .checks
        .iter()
        .map(|c| c.type_.as_ref().unwrap().as_str())
        .collect();
    assert_eq!(
        types,
        [
            "ID_DOCUMENT_AUTHENTICITY",
            "ID_DOCUMENT_FACE_MATCH",
            "LIVENESS",
            "ID_DOCUMENT_TEXT_DATA_CHECK"
        ]
    );
    let document_id = document.id.clone().unwrap();
    let liveness_id = liveness.id.clone().unwrap();
    assert_eq!(
        session.checks[1].resources_used,
        [document_id.clone(), liveness_id.clone()]
    );
    assert_eq!(session.checks[2].resources_used, [liveness_id]);
    assert_eq!(session.checks[3].id, task.generated_checks[0].id);
    for check in &session.checks {
        assert_eq!(check.state, Some(CheckState::Done));
        let report = check
            .report
            .as_ref()
            .expect("a finished check has a report");
        assert_eq!(
            report
                .recommendation
                .as_ref()
                .unwrap()
                .value
                .as_ref()
                .unwrap()
                .as_str(),
            "APPROVE"
        );
        assert!(!report.breakdown.is_empty());
    }

    let deleted = client
        .delete_session()
        .session_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    let (status, error) = api_error(client.get_session().session_id(&id).send().await);
    assert_eq!((status, code(&error)), (404, "SESSION_NOT_FOUND"));
}

#[tokio::test]
async fn the_ttl_counts_down_and_the_deadline_sets_it() {
    let (emulator, client) = start().await;
    let payload = CreateSessionPayload::builder().client_session_token_ttl(900);
    let id = create(&client, payload).await;
    emulator.advance(Duration::from_secs(100));
    let session = client.get_session().session_id(&id).send().await.unwrap();
    assert!(
        (799..=800).contains(&session.client_session_token_ttl.unwrap()),
        "{session:?}"
    );

    let deadline = super::from_now(3600);
    let payload = CreateSessionPayload::builder().session_deadline(deadline);
    let created = client.create_session().body(payload).send().await.unwrap();
    // The sessions' clock is 100 s ahead, and a second may tick between the two clocks' reads.
    assert!(
        (3490..=3500).contains(&created.client_session_token_ttl.unwrap()),
        "{created:?}"
    );

    // After resources_ttl, the session and everything in it is gone.
    let payload = CreateSessionPayload::builder().resources_ttl(86700);
    let id = create(&client, payload).await;
    emulator.advance(Duration::from_secs(86701));
    let (status, _) = api_error(client.get_session().session_id(&id).send().await);
    assert_eq!(status, 404);
}

#[tokio::test]
async fn media_is_served_with_its_content_type_or_held_back() {
    let (emulator, client) = start().await;
    let id = emulator.demo_session();
    let session = client.get_session().session_id(&id).send().await.unwrap();
    let resources = session.resources.clone().unwrap();
    let document = &resources.id_documents[0];
    let get = |media_id: String| {
        let client = client.clone();
        let id = id.clone();
        async move {
            client
                .get_media_content()
                .session_id(&id)
                .media_id(&media_id)
                .send()
                .await
                .unwrap()
        }
    };

    let page = document.pages[0].media.clone().unwrap().id.unwrap();
    let image = get(page.clone()).await.into_media().expect("an image");
    assert_eq!(image.content_type.as_deref(), Some("image/png"));
    assert!(image.bytes().await.unwrap().starts_with(b"\x89PNG\r\n"));

    let fields = document
        .document_fields
        .clone()
        .unwrap()
        .media
        .unwrap()
        .id
        .unwrap();
    let json = get(fields).await.into_media().unwrap();
    assert_eq!(json.content_type.as_deref(), Some("application/json"));
    let fields: Value = serde_json::from_slice(&json.bytes().await.unwrap()).unwrap();
    assert_eq!(fields["issuing_country"], json!("GBR"));

    let file = resources.supplementary_documents[0]
        .file
        .clone()
        .unwrap()
        .media
        .unwrap()
        .id
        .unwrap();
    let pdf = get(file).await.into_media().unwrap();
    assert_eq!(pdf.content_type.as_deref(), Some("application/pdf"));
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));

    // Regulations keep the facemap back: 204, which is "no media", not an error.
    let facemap = resources.liveness_capture[0]
        .facemap
        .clone()
        .unwrap()
        .media
        .unwrap();
    assert_eq!(facemap.type_, Some(MediaType::Binary));
    let held_back: ResponseValue<_> = get(facemap.id.unwrap()).await;
    assert_eq!(held_back.status(), 204);
    assert!(held_back.into_media().is_none());

    let deleted = client
        .delete_media_content()
        .session_id(&id)
        .media_id(&page)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    let (status, _) = api_error(
        client
            .get_media_content()
            .session_id(&id)
            .media_id(&page)
            .send()
            .await,
    );
    assert_eq!(status, 404, "deleted media is gone");
}

/// What the official Node SDK's builders send (yoti 4.13.2: `RequestedLivenessCheckBuilder`,
/// `OrthogonalRestrictionsFilterBuilder.withWhitelistedCountries`, `SdkConfigBuilder`), which
/// goes beyond the API reference: the client can send it and the emulator accepts it.
#[tokio::test]
async fn the_official_sdks_session_specification_is_accepted() {
    let (_emulator, client) = start().await;
    let payload: CreateSessionPayload = typed(json!({
        "client_session_token_ttl": 600,
        "resources_ttl": 90000,
        "requested_checks": [
            {"type": "LIVENESS", "config": {"liveness_type": "ZOOM", "max_retries": 1}},
            {"type": "ID_DOCUMENT_FACE_MATCH", "config": {"manual_check": "FALLBACK"}}
        ],
        "requested_tasks": [{
            "type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION",
            "config": {"manual_check": "FALLBACK", "chip_data": "DESIRED", "create_expanded_document_fields": true}
        }],
        "required_documents": [{
            "type": "ID_DOCUMENT",
            "filter": {
                "type": "ORTHOGONAL_RESTRICTIONS",
                "country_restriction": {"inclusion": "WHITELIST", "country_codes": ["GBR"]},
                "type_restriction": {"inclusion": "BLACKLIST", "document_types": ["DRIVING_LICENCE"]}
            }
        }],
        "sdk_config": {
            "allowed_capture_methods": "CAMERA_AND_UPLOAD",
            "primary_colour": "#2d9fff",
            "biometric_consent_flow": "EARLY",
            "brand_id": "brand-1",
            "suppressed_screens": ["ID_DOCUMENT_EDUCATION"],
            "attempts_configuration": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": {"GENERIC": 2}}
        }
    }));
    let created = client.create_session().body(payload).send().await.unwrap();
    assert_eq!(created.status(), 201);
}
