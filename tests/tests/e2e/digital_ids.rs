//! Digital IDs as ID documents (issue 16): the filters that allow them, as the Node 4.14 builders
//! send them and through the generated client; a session completed with a Digital ID share
//! (chosen with the emulator-only sandbox option `digital_id_share`) or with a failed one; the
//! new values of forward-compatible fields; and `sdk_config.suppressed_screens`, now typed.

use idv_api::Client;
use idv_api::types::{
    AllowedProvider, CheckType, CreateSessionPayload, DigitalIdProvider, DocumentFilter,
    DocumentFilterType, GetSessionResult, IdDocumentResource, RequestedCheck, RequiredDocument,
    RequiredDocumentType, ResponseConfig, SdkConfig, SuppressedScreen,
};
use serde_json::{Value, json};

use super::{create, send_signed, start};

/// The Node 4.14 filters of `data/sdk-requests/node-4.14-digital-id-filters.json`, by name.
fn node_filters() -> Vec<(String, String)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/sdk-requests/node-4.14-digital-id-filters.json"
    );
    let data: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let filters = data["filters"].as_object().unwrap();
    filters
        .iter()
        .map(|(name, f)| (name.clone(), f["json"].as_str().unwrap().to_owned()))
        .collect()
}

/// A required ID document whose filter allows Digital IDs from `providers`.
fn allowing(kind: DocumentFilterType, providers: &[&str]) -> RequiredDocument {
    let filter = DocumentFilter {
        allow_digital_ids: Some(true),
        allowed_providers: (providers.iter())
            .map(|name| AllowedProvider {
                name: (*name).to_owned(),
                extra: Default::default(),
            })
            .collect(),
        ..DocumentFilter::new(kind)
    };
    RequiredDocument {
        filter: Some(filter),
        ..RequiredDocument::new(RequiredDocumentType::IdDocument)
    }
}

fn payload(document: RequiredDocument) -> CreateSessionPayload {
    CreateSessionPayload {
        required_documents: vec![document],
        requested_checks: vec![RequestedCheck::new(CheckType::IdDocumentAuthenticity)],
        ..Default::default()
    }
}

/// The emulator-only sandbox option, in the `extra` map of the generated `ResponseConfig`
/// (which has no field for it: it is not Yoti's).
fn sharing(option: Value) -> ResponseConfig {
    let mut config = ResponseConfig::default();
    config.extra.insert("digital_id_share".into(), option);
    config
}

async fn session(client: &Client, id: &str) -> GetSessionResult {
    let got = client.get_session().session_id(id).send().await.unwrap();
    got.into_inner()
}

fn id_document(session: &GetSessionResult) -> &IdDocumentResource {
    let resources = session
        .resources
        .as_ref()
        .expect("the session has resources");
    assert_eq!(resources.id_documents.len(), 1);
    &resources.id_documents[0]
}

/// Whether every page of `document` was scanned (has media), and there is at least one.
fn scanned(document: &IdDocumentResource) -> bool {
    !document.pages.is_empty() && document.pages.iter().all(|p| p.media.is_some())
}

#[tokio::test]
async fn the_node_4_14_filters_are_accepted_byte_for_byte() {
    let (emulator, client) = start().await;
    let filters = node_filters();
    assert_eq!(filters.len(), 3);
    for (name, filter) in filters {
        let body =
            format!(r#"{{"required_documents":[{{"type":"ID_DOCUMENT","filter":{filter}}}]}}"#);
        let post = reqwest::Method::POST;
        let json = Some("application/json");
        let (status, answer) = send_signed(&emulator, post, "/sessions", json, Some(&body)).await;
        assert_eq!(status, 201, "{name}: {answer}");
        // The filter as the emulator read it: the session lists the ID document it asked for.
        let id = answer["session_id"].as_str().unwrap();
        let got = session(&client, id).await;
        assert!(scanned(id_document(&got)), "{name}: no share configured");
        assert!(got.digital_id_shares.is_empty(), "{name}");
    }
}

#[tokio::test]
async fn a_session_completes_with_a_digital_id_share() {
    let (_emulator, client) = start().await;
    let document = allowing(DocumentFilterType::OrthogonalRestrictions, &["EPHIL_ID_QR"]);
    let sent = serde_json::to_value(&document).unwrap();
    assert_eq!(
        sent["filter"],
        json!({"type": "ORTHOGONAL_RESTRICTIONS", "allow_digital_ids": true,
               "allowed_providers": [{"name": "EPHIL_ID_QR"}]})
    );
    let id = create(&client, payload(document)).await;

    // Without the sandbox option the user scans a document, as before.
    let before = session(&client, &id).await;
    assert!(scanned(id_document(&before)));
    assert_eq!(id_document(&before).provider, None);
    assert!(before.digital_id_shares.is_empty());

    let option = json!({});
    let put = client
        .put_session_response_config()
        .session_id(&id)
        .body(sharing(option.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    let in_force = client
        .get_session_response_config()
        .session_id(&id)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(in_force.extra.get("digital_id_share"), Some(&option));

    let after = session(&client, &id).await;
    let document = id_document(&after);
    // The filter's provider, and the document type and country its Digital IDs have.
    assert_eq!(document.provider, Some(DigitalIdProvider::EphilIdQr));
    assert_eq!(document.document_type.as_deref(), Some("EPHIL_ID"));
    assert_eq!(document.issuing_country.as_deref(), Some("PHL"));
    assert!(!document.pages.is_empty());
    for page in &document.pages {
        assert_eq!(page.media, None, "a shared document has no scans");
        assert!(page.frames.is_empty());
    }
    let [share] = after.digital_id_shares.as_slice() else {
        panic!("one share: {:?}", after.digital_id_shares);
    };
    assert_eq!(share.resource_id, document.id);
    assert_eq!(share.provider, Some(DigitalIdProvider::EphilIdQr));
    assert_eq!(share.document_type.as_deref(), Some("EPHIL_ID"));
    assert_eq!(share.issuing_country.as_deref(), Some("PHL"));
    assert_eq!(share.error, None);
    assert!(share.id.as_deref().is_some_and(|s| !s.is_empty()));
    assert_eq!(share.created_at, document.created_at);
    // The same share on every read.
    assert_eq!(
        session(&client, &id).await.digital_id_shares,
        after.digital_id_shares
    );
}

#[tokio::test]
async fn the_sandbox_option_chooses_provider_document_and_country() {
    let (emulator, client) = start().await;
    let option = json!({"provider": "DIGILOCKER", "document_type": "DIGITAL_AADHAAR",
                        "issuing_country": "IND"});
    client
        .put_application_response_config()
        .sdk_id(emulator.sdk_id())
        .body(sharing(option))
        .send()
        .await
        .unwrap();
    let document = allowing(DocumentFilterType::DocumentRestrictions, &[]);
    let id = create(&client, payload(document)).await;
    let got = session(&client, &id).await;
    let document = id_document(&got);
    assert_eq!(document.provider, Some(DigitalIdProvider::Digilocker));
    assert_eq!(document.document_type.as_deref(), Some("DIGITAL_AADHAAR"));
    assert_eq!(document.issuing_country.as_deref(), Some("IND"));
    assert_eq!(got.digital_id_shares.len(), 1);

    // A session whose filter does not allow Digital IDs is scanned, whatever the option says.
    let plain = RequiredDocument::new(RequiredDocumentType::IdDocument);
    let id = create(&client, payload(plain)).await;
    let got = session(&client, &id).await;
    assert!(scanned(id_document(&got)));
    assert_eq!(id_document(&got).provider, None);
    assert!(got.digital_id_shares.is_empty());
}

#[tokio::test]
async fn a_failed_share_has_its_error_and_the_document_is_scanned() {
    let (_emulator, client) = start().await;
    let document = allowing(DocumentFilterType::OrthogonalRestrictions, &["DIGILOCKER"]);
    let id = create(&client, payload(document)).await;
    let error = json!({"code": "SHARE_FAILED", "description": "The user cancelled the share"});
    client
        .put_session_response_config()
        .session_id(&id)
        .body(sharing(json!({"error": error})))
        .send()
        .await
        .unwrap();
    let got = session(&client, &id).await;
    let [share] = got.digital_id_shares.as_slice() else {
        panic!("one share: {:?}", got.digital_id_shares);
    };
    let failure = share
        .error
        .as_ref()
        .expect("the failed share has its error");
    assert_eq!(failure.code.as_deref(), Some("SHARE_FAILED"));
    assert_eq!(
        failure.description.as_deref(),
        Some("The user cancelled the share")
    );
    assert_eq!(
        share.resource_id, None,
        "a failed share produced no resource"
    );
    assert_eq!(share.provider, Some(DigitalIdProvider::Digilocker));
    assert_eq!(share.document_type.as_deref(), Some("DIGITAL_AADHAAR"));
    let document = id_document(&got);
    assert!(scanned(document), "the user scanned the document instead");
    assert_eq!(document.provider, None);
}

/// What a newer API may send: a provider and a document type this spec does not list.
#[tokio::test]
async fn an_unknown_provider_and_document_type_parse_and_keep_their_values() {
    let (emulator, client) = start().await;
    let share = json!({
        "id": "share-1", "document_type": "DIGITAL_NATIONAL_ID", "issuing_country": "PHL",
        "provider": "MOSIP_QR", "created_at": "2026-06-29T10:00:50Z",
        "last_updated": "2026-06-29T10:01:01Z", "resource_id": "doc-1",
        "error": {"code": "PROVIDER_UNAVAILABLE", "description": "try later", "retry_after": 30}
    });
    let id = emulator.insert_session(json!({
        "state": "COMPLETED",
        "resources": {"id_documents": [{
            "id": "doc-1", "document_type": "DIGITAL_NATIONAL_ID", "issuing_country": "PHL",
            "provider": "MOSIP_QR", "pages": [{}]
        }]},
        "digital_id_shares": [share.clone()]
    }));
    let got = session(&client, &id).await;
    let provider = DigitalIdProvider::Unknown("MOSIP_QR".into());
    let document = id_document(&got);
    assert_eq!(document.provider, Some(provider.clone()));
    assert_eq!(
        document.document_type.as_deref(),
        Some("DIGITAL_NATIONAL_ID")
    );
    assert_eq!(document.pages.len(), 1);
    assert_eq!(document.pages[0].media, None);
    let [read] = got.digital_id_shares.as_slice() else {
        panic!("one share: {:?}", got.digital_id_shares);
    };
    assert_eq!(read.provider, Some(provider));
    assert_eq!(read.document_type.as_deref(), Some("DIGITAL_NATIONAL_ID"));
    let error = read.error.as_ref().unwrap();
    assert_eq!(error.extra.get("retry_after"), Some(&json!(30)));
    // And back to the wire unchanged.
    let mut wire = serde_json::to_value(read).unwrap();
    for at in ["created_at", "last_updated"] {
        let parsed: chrono::DateTime<chrono::Utc> = share[at].as_str().unwrap().parse().unwrap();
        assert_eq!(wire[at], json!(parsed), "{at}");
        wire[at] = share[at].clone();
    }
    assert_eq!(wire, share);
}

#[tokio::test]
async fn suppressed_screens_are_typed_and_keep_an_unknown_value() {
    let (_emulator, client) = start().await;
    let sdk_config = SdkConfig {
        suppressed_screens: vec![
            SuppressedScreen::IdDocumentEducation,
            SuppressedScreen::FlowCompletion,
        ],
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&sdk_config).unwrap(),
        json!({"suppressed_screens": ["ID_DOCUMENT_EDUCATION", "FLOW_COMPLETION"]})
    );
    let id = create(
        &client,
        CreateSessionPayload {
            sdk_config: Some(sdk_config),
            ..Default::default()
        },
    )
    .await;
    assert!(!id.is_empty());

    // Every value the Python SDK's constants.py lists is known.
    let listed = [
        "ID_DOCUMENT_EDUCATION",
        "ID_DOCUMENT_REQUIREMENTS",
        "SUPPLEMENTARY_DOCUMENT_EDUCATION",
        "ZOOM_LIVENESS_EDUCATION",
        "STATIC_LIVENESS_EDUCATION",
        "FACE_CAPTURE_EDUCATION",
        "FLOW_COMPLETION",
    ];
    for value in listed {
        assert!(!SuppressedScreen::from(value).is_unknown(), "{value}");
    }
    // A screen added after this spec parses, keeps its value and serializes back unchanged.
    let read: SdkConfig =
        serde_json::from_value(json!({"suppressed_screens": ["FLOW_COMPLETION", "NFC_EDUCATION"]}))
            .unwrap();
    assert_eq!(
        read.suppressed_screens,
        [
            SuppressedScreen::FlowCompletion,
            SuppressedScreen::Unknown("NFC_EDUCATION".into())
        ]
    );
    assert_eq!(
        serde_json::to_value(&read).unwrap(),
        json!({"suppressed_screens": ["FLOW_COMPLETION", "NFC_EDUCATION"]})
    );
}

/// The emulator-only option is validated like the rest of the configuration.
#[tokio::test]
async fn the_sandbox_option_is_validated() {
    let (emulator, client) = start().await;
    for (option, property) in [
        (
            json!({"provider": "provider1"}),
            "digital_id_share.provider",
        ),
        (
            json!({"error": {"code": "X"}}),
            "digital_id_share.error.description",
        ),
        (json!({"providers": []}), "digital_id_share.providers"),
    ] {
        let refused = client
            .put_application_response_config()
            .sdk_id(emulator.sdk_id())
            .body(sharing(option.clone()))
            .send()
            .await;
        let (status, error) = super::api_error(refused);
        assert_eq!(
            (status, super::code(&error)),
            (400, "PAYLOAD_VALIDATION"),
            "{option}"
        );
        let properties: Vec<&str> = (error.errors.iter())
            .filter_map(|e| e.property.as_deref())
            .collect();
        assert_eq!(properties, [property], "{option}");
    }
}
