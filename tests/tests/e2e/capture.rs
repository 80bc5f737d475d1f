//! The operations the official SDKs call beyond the API reference: the session's
//! configuration.

use serde_json::{Value, json};

use super::{api_error, code, create, signer, start, typed};

#[tokio::test]
async fn the_configuration_is_derived_from_the_session_and_its_state() {
    let (_emulator, client) = start().await;
    let id = create(
        &client,
        typed(json!({
            "requested_checks": [
                {"type": "ID_DOCUMENT_AUTHENTICITY"},
                {"type": "LIVENESS"},
                {"type": "FACE_COMPARISON", "config": {"manual_check": "NEVER"}}
            ],
            "requested_tasks": [{"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION"}],
            "required_documents": [
                {
                    "type": "ID_DOCUMENT",
                    "filter": {
                        "type": "ORTHOGONAL_RESTRICTIONS",
                        "country_restriction": {"inclusion": "INCLUDE", "country_codes": ["FRA"]},
                        "type_restriction": {"inclusion": "EXCLUDE", "document_types": ["PASSPORT", "DRIVING_LICENCE"]}
                    }
                },
                {
                    "type": "SUPPLEMENTARY_DOCUMENT",
                    "document_types": ["UTILITY_BILL"],
                    "country_codes": ["GBR"],
                    "objective": {"type": "PROOF_OF_ADDRESS"}
                }
            ],
            "sdk_config": {
                "allowed_capture_methods": "CAMERA",
                "attempts_configuration": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": {"GENERIC": 2}}
            }
        })),
    )
    .await;
    let session = client.get_session().session_id(&id).send().await.unwrap();
    let resources = session.resources.as_ref().unwrap();
    let resource_id = |list: &[Option<String>]| list[0].clone().unwrap();
    let id_document = resource_id(&[resources.id_documents[0].id.clone()]);
    let supplementary = resource_id(&[resources.supplementary_documents[0].id.clone()]);
    let liveness = resource_id(&[resources.liveness_capture[0].id.clone()]);
    let face = resource_id(&[resources.face_capture[0].id.clone()]);
    let consent = session
        .biometric_consent
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);

    let configuration = client
        .get_session_configuration()
        .session_id(&id)
        .send()
        .await
        .unwrap()
        .into_inner();
    let ttl = configuration.client_session_token_ttl.unwrap();
    assert!((590..=600).contains(&ttl), "ttl {ttl}");
    let expected = json!({
        "client_session_token_ttl": ttl,
        "session_id": id,
        "requested_checks": ["ID_DOCUMENT_AUTHENTICITY", "LIVENESS", "FACE_COMPARISON"],
        "capture": {
            "biometric_consent": consent,
            "required_resources": [
                {
                    "type": "ID_DOCUMENT",
                    "id": id_document,
                    "state": "COMPLETE",
                    "allowed_sources": [{"type": "END_USER"}],
                    "requested_tasks": [{"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION", "state": "COMPLETE"}],
                    // France's documents but the excluded types.
                    "supported_countries": [{
                        "code": "FRA",
                        "supported_documents": [
                            {"type": "NATIONAL_ID", "is_strictly_latin": true},
                            {"type": "RESIDENCE_PERMIT", "is_strictly_latin": true}
                        ]
                    }],
                    "allowed_capture_methods": "CAMERA",
                    "attempts_remaining": {"GENERIC": 2}
                },
                {
                    "type": "SUPPLEMENTARY_DOCUMENT",
                    "id": supplementary,
                    "state": "COMPLETE",
                    "allowed_sources": [{"type": "END_USER"}],
                    "document_types": ["UTILITY_BILL"],
                    "country_codes": ["GBR"],
                    "objective": {"type": "PROOF_OF_ADDRESS"}
                },
                {
                    "type": "LIVENESS",
                    "id": liveness,
                    "state": "COMPLETE",
                    "allowed_sources": [{"type": "END_USER"}],
                    "liveness_type": "ZOOM"
                },
                {
                    "type": "FACE_CAPTURE",
                    "id": face,
                    "state": "COMPLETE",
                    "allowed_sources": [{"type": "RELYING_BUSINESS"}]
                }
            ]
        }
    });
    assert_eq!(serde_json::to_value(&configuration).unwrap(), expected);
}

#[tokio::test]
async fn a_session_without_requirements_has_an_empty_configuration() {
    let (_emulator, client) = start().await;
    let id = create(&client, typed(json!({}))).await;
    let configuration = client
        .get_session_configuration()
        .session_id(&id)
        .send()
        .await
        .unwrap()
        .into_inner();
    let value = serde_json::to_value(&configuration).unwrap();
    assert_eq!(value["session_id"], Value::String(id));
    assert!(configuration.requested_checks.is_empty());
    assert!(configuration.capture.unwrap().required_resources.is_empty());
}

#[tokio::test]
async fn the_configuration_answers_404_and_401() {
    let (emulator, client) = start().await;
    let (status, error) = api_error(
        client
            .get_session_configuration()
            .session_id("no-such-session")
            .send()
            .await,
    );
    assert_eq!((status, code(&error)), (404, "SESSION_NOT_FOUND"));

    let id = emulator.demo_session();
    let key = idv_api::idv_signing::SigningKey::from_pem(include_str!("../data/other-rsa2048.pem"))
        .unwrap();
    let wrong =
        idv_api::idv_signing::Signer::new(emulator.sdk_id(), key, &emulator.sandbox_url()).unwrap();
    let wrong = idv_api::Client::builder(wrong).build().unwrap();
    let (status, _) = api_error(
        wrong
            .get_session_configuration()
            .session_id(&id)
            .send()
            .await,
    );
    assert_eq!(status, 401);
    // The same request, rightly signed, succeeds.
    let right = idv_api::Client::builder(signer(&emulator, &emulator.sandbox_url()))
        .build()
        .unwrap();
    assert!(
        right
            .get_session_configuration()
            .session_id(&id)
            .send()
            .await
            .is_ok()
    );
}
