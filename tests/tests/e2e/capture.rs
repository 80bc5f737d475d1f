//! The operations the official SDKs call beyond the API reference: the session's
//! configuration, and face capture resources and their images.

use idv_api::face_capture::{FaceCaptureError, FaceCaptureImage};
use idv_api::types::{
    AllowedCaptureMethods, AttemptsConfiguration, CheckType, CountryRestriction,
    CreateFaceCaptureResourcePayload, CreateSessionPayload, DocumentFilter, DocumentFilterType,
    Inclusion, ManualCheck, Objective, ObjectiveType, RequestedCheck, RequestedCheckConfig,
    RequestedTask, RequiredDocument, RequiredDocumentType, RequiredResourceType, SdkConfig,
    TaskType, TypeRestriction,
};
use idv_api::{Client, MediaContentExt};
use serde_json::{Value, json};

use super::{api_error, code, create, signer, start, wrongly_signed};

#[tokio::test]
async fn the_configuration_is_derived_from_the_session_and_its_state() {
    let (_emulator, client) = start().await;
    let id = create(
        &client,
        CreateSessionPayload {
            requested_checks: vec![
                RequestedCheck::new(CheckType::IdDocumentAuthenticity),
                RequestedCheck::new(CheckType::Liveness),
                RequestedCheck {
                    config: Some(RequestedCheckConfig {
                        manual_check: Some(ManualCheck::Never),
                        ..Default::default()
                    }),
                    ..RequestedCheck::new(CheckType::FaceComparison)
                },
            ],
            requested_tasks: vec![RequestedTask::new(TaskType::IdDocumentTextDataExtraction)],
            required_documents: vec![
                RequiredDocument {
                    filter: Some(DocumentFilter {
                        country_restriction: Some(CountryRestriction {
                            inclusion: Inclusion::Include,
                            country_codes: vec!["FRA".into()],
                            extra: Default::default(),
                        }),
                        type_restriction: Some(TypeRestriction {
                            inclusion: Inclusion::Exclude,
                            document_types: vec!["PASSPORT".into(), "DRIVING_LICENCE".into()],
                            extra: Default::default(),
                        }),
                        ..DocumentFilter::new(DocumentFilterType::OrthogonalRestrictions)
                    }),
                    ..RequiredDocument::new(RequiredDocumentType::IdDocument)
                },
                RequiredDocument {
                    document_types: vec!["UTILITY_BILL".into()],
                    country_codes: vec!["GBR".into()],
                    objective: Some(Objective::new(ObjectiveType::ProofOfAddress)),
                    ..RequiredDocument::new(RequiredDocumentType::SupplementaryDocument)
                },
            ],
            sdk_config: Some(SdkConfig {
                allowed_capture_methods: Some(AllowedCaptureMethods::Camera),
                attempts_configuration: Some(AttemptsConfiguration {
                    id_document_text_data_extraction: [("GENERIC".to_string(), 2)].into(),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        },
    )
    .await;
    let session = client.get_session().session_id(&id).send().await.unwrap();
    let resources = session.resources.as_ref().unwrap();
    let resource_id = |list: &[Option<String>]| list[0].clone().unwrap();
    let id_document = resource_id(&[resources.id_documents[0].id.clone()]);
    let supplementary = resource_id(&[resources.supplementary_documents[0].id.clone()]);
    let liveness = resource_id(&[resources.liveness_capture[0].id.clone()]);
    // The face comparison's face capture is the business's to upload: none yet.
    assert!(resources.face_capture.is_empty());

    let configuration = client
        .get_session_configuration()
        .session_id(&id)
        .send()
        .await
        .unwrap()
        .into_inner();
    let ttl = configuration.client_session_token_ttl.unwrap();
    let face = configuration.capture.as_ref().unwrap().required_resources[3]
        .id
        .clone()
        .unwrap();
    assert!((590..=600).contains(&ttl), "ttl {ttl}");
    let expected = json!({
        "client_session_token_ttl": ttl,
        "session_id": id,
        "requested_checks": ["ID_DOCUMENT_AUTHENTICITY", "LIVENESS", "FACE_COMPARISON"],
        "capture": {
            "biometric_consent": "COMPLETE",
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
                    "state": "REQUIRED",
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
    let id = create(&client, CreateSessionPayload::default()).await;
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
    let wrong = wrongly_signed(&emulator);
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

/// A session whose face comparison needs a face capture from the relying business.
async fn face_comparison_session(client: &Client) -> String {
    create(
        client,
        CreateSessionPayload::builder().requested_checks([
            RequestedCheck::new(CheckType::Liveness),
            RequestedCheck {
                config: Some(RequestedCheckConfig {
                    manual_check: Some(ManualCheck::Never),
                    ..Default::default()
                }),
                ..RequestedCheck::new(CheckType::FaceComparison)
            },
        ]),
    )
    .await
}

/// Some bytes that look like a JPEG, with every byte value and a CRLF in them.
fn jpeg() -> Vec<u8> {
    let mut image = vec![0xff, 0xd8, 0xff, 0xe0, b'\r', b'\n', b'-', b'-'];
    image.extend(0..=255u8);
    image.extend([0xff, 0xd9]);
    image
}

#[test]
fn the_multipart_body_is_framed_as_the_official_sdks_frame_it() {
    // What Node's `form-data` (the Node SDK's `getFormDataFields`) and Go's `mime/multipart`
    // (the Go SDK's `UploadFaceCaptureImagePayload`) make of the same image with the boundary
    // `BOUNDARY` (the bytes below are what form-data printed; Go writes the same framing:
    // `--b\r\n`, the sorted part headers, a blank line, the image, `\r\n--b--\r\n`).
    let image = FaceCaptureImage::with_boundary("BOUNDARY", "image/png", b"\x89PNG").unwrap();
    assert_eq!(
        image.content_type(),
        "multipart/form-data; boundary=BOUNDARY"
    );
    assert_eq!(
        image.body(),
        b"--BOUNDARY\r\n\
Content-Disposition: form-data; name=\"binary-content\"; filename=\"face-capture-image\"\r\n\
Content-Type: image/png\r\n\
\r\n\
\x89PNG\r\n\
--BOUNDARY--\r\n"
    );
    // The default boundary never occurs in the image.
    let tricky = b"--idv-api-face-capture-0000000000000000 and more";
    let image = FaceCaptureImage::new("image/jpeg", tricky).unwrap();
    assert_eq!(
        image.content_type(),
        "multipart/form-data; boundary=idv-api-face-capture-0000000000000001"
    );
    assert!(matches!(
        FaceCaptureImage::new("image/jpeg", b""),
        Err(FaceCaptureError::EmptyImage)
    ));
    assert!(matches!(
        FaceCaptureImage::new("image/jpeg\r\nX-Evil: 1", b"x"),
        Err(FaceCaptureError::InvalidContentType(_))
    ));
    // Debug shows no image bytes.
    assert_eq!(
        format!("{image:?}"),
        format!(
            "FaceCaptureImage {{ content_type: {:?}, body_len: {} }}",
            image.content_type(),
            image.body().len()
        )
    );
}

#[tokio::test]
async fn a_face_capture_is_added_read_and_downloaded_byte_for_byte() {
    let (emulator, client) = start().await;
    let id = face_comparison_session(&client).await;
    let image = jpeg();
    let before = emulator.stats();
    // configuration, create, upload: the emulator verifies each request's digest, the
    // upload's over the exact multipart bytes.
    let resource = client
        .add_face_capture(&id, "image/jpeg", &image)
        .await
        .unwrap();
    let after = emulator.stats();
    assert_eq!(after.authenticated - before.authenticated, 3);
    assert_eq!(after.unauthorized, before.unauthorized);

    let session = client.get_session().session_id(&id).send().await.unwrap();
    let faces = &session.resources.as_ref().unwrap().face_capture;
    let face = faces
        .iter()
        .find(|f| f.id.as_deref() == Some(resource.as_str()))
        .expect("the session lists the created face capture");
    assert_eq!(
        face.source
            .as_ref()
            .and_then(|s| s.type_.as_ref())
            .map(ToString::to_string),
        Some("RELYING_BUSINESS".to_owned())
    );
    let media = face.image.as_ref().unwrap().media.as_ref().unwrap();
    let media_id = media.id.clone().unwrap();
    assert_eq!(
        media.type_.as_ref().map(ToString::to_string),
        Some("IMAGE".to_owned())
    );
    let download = client
        .get_media_content()
        .session_id(&id)
        .media_id(&media_id)
        .send()
        .await
        .unwrap()
        .into_media()
        .expect("the image is returned");
    assert_eq!(download.content_type.as_deref(), Some("image/jpeg"));
    assert_eq!(download.bytes().await.unwrap().as_ref(), image.as_slice());
}

#[tokio::test]
async fn bad_face_capture_requests_get_400_401_or_404_and_store_nothing() {
    let (emulator, client) = start().await;
    let id = face_comparison_session(&client).await;
    let configuration = client
        .get_session_configuration()
        .session_id(&id)
        .send()
        .await
        .unwrap()
        .into_inner();
    let resources = &configuration.capture.as_ref().unwrap().required_resources;
    let requirement_of = |kind| {
        resources
            .iter()
            .find(|r| r.type_.as_ref() == Some(&kind))
            .and_then(|r| r.id.clone())
            .unwrap()
    };
    let (face, liveness) = (
        requirement_of(RequiredResourceType::FaceCapture),
        requirement_of(RequiredResourceType::Liveness),
    );
    let payload = |requirement: &str| CreateFaceCaptureResourcePayload {
        requirement_id: requirement.to_string(),
        extra: Default::default(),
    };

    // Creating: an unknown property, a requirement that is not a face capture, an unknown
    // session, a wrong key.
    let mut misspelled = payload(&face);
    misspelled.extra.insert("requirment".into(), json!(1));
    let (status, error) = api_error(
        client
            .create_face_capture_resource()
            .session_id(&id)
            .body(misspelled)
            .send()
            .await,
    );
    assert_eq!((status, code(&error)), (400, "PAYLOAD_VALIDATION"));
    let (status, error) = api_error(
        client
            .create_face_capture_resource()
            .session_id(&id)
            .body(payload(&liveness))
            .send()
            .await,
    );
    assert_eq!((status, code(&error)), (404, "REQUIREMENT_NOT_FOUND"));
    let (status, error) = api_error(
        client
            .create_face_capture_resource()
            .session_id("nope")
            .body(payload(&face))
            .send()
            .await,
    );
    assert_eq!((status, code(&error)), (404, "SESSION_NOT_FOUND"));
    let wrong = wrongly_signed(&emulator);
    let (status, _) = api_error(
        wrong
            .create_face_capture_resource()
            .session_id(&id)
            .body(payload(&face))
            .send()
            .await,
    );
    assert_eq!(status, 401);

    let created = client
        .create_face_capture_resource()
        .session_id(&id)
        .body(payload(&face))
        .send()
        .await
        .unwrap();
    assert_eq!(created.frames, Some(1));
    let resource = created.into_inner().id.unwrap();

    // Uploading: each bad body, as raw multipart bytes.
    let upload = |session: &str, resource: &str, body: &'static [u8]| {
        client
            .upload_face_capture_image()
            .session_id(session)
            .resource_id(resource)
            .content_type("multipart/form-data; boundary=B")
            .body(body)
            .send()
    };
    let part = |name: &str, content_type: &str, image: &str| -> &'static [u8] {
        let body = format!(
            "--B\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"face-capture-image\"\r\n\
             {content_type}\r\n{image}\r\n--B--\r\n"
        );
        Box::leak(body.into_bytes().into_boxed_slice())
    };
    let bad = [
        (b"--B--\r\n" as &[u8], "has no `binary-content` part"),
        (
            part("image", "Content-Type: image/png\r\n", "x"),
            "(its parts: [\"image\"])",
        ),
        (
            part("binary-content", "Content-Type: image/png\r\n", ""),
            "part is empty",
        ),
        (part("binary-content", "", "x"), "has no Content-Type"),
        (b"not multipart at all", "malformed"),
    ];
    for (body, says) in bad {
        let (status, error) = api_error(upload(&id, &resource, body).await);
        assert_eq!((status, code(&error)), (400, "INVALID_UPLOAD"), "{says}");
        let message = error.message.unwrap();
        assert!(message.contains(says), "{message:?} should say {says:?}");
    }
    let good = part("binary-content", "Content-Type: image/png\r\n", "x");
    let (status, error) = api_error(upload(&id, &liveness, good).await);
    assert_eq!((status, code(&error)), (404, "RESOURCE_NOT_FOUND"));
    let (status, _) = api_error(upload("nope", &resource, good).await);
    assert_eq!(status, 404);
    let (status, _) = api_error(
        wrong
            .upload_face_capture_image()
            .session_id(&id)
            .resource_id(&resource)
            .content_type("multipart/form-data; boundary=B")
            .body(good)
            .send()
            .await,
    );
    assert_eq!(status, 401);

    // Nothing was stored: the created face capture has no image yet.
    let session = client.get_session().session_id(&id).send().await.unwrap();
    let faces = &session.resources.as_ref().unwrap().face_capture;
    let face = faces
        .iter()
        .find(|f| f.id.as_deref() == Some(resource.as_str()))
        .unwrap();
    assert!(face.image.is_none());
    // And a good upload is stored.
    upload(&id, &resource, good).await.unwrap();
    let session = client.get_session().session_id(&id).send().await.unwrap();
    let faces = &session.resources.as_ref().unwrap().face_capture;
    let face = faces
        .iter()
        .find(|f| f.id.as_deref() == Some(resource.as_str()))
        .unwrap();
    assert!(face.image.is_some());
}

#[tokio::test]
async fn adding_a_face_capture_to_a_session_that_needs_none_says_so() {
    let (_emulator, client) = start().await;
    let id = create(
        &client,
        CreateSessionPayload::builder()
            .requested_checks([RequestedCheck::new(CheckType::Liveness)]),
    )
    .await;
    let error = client
        .add_face_capture(&id, "image/png", b"x")
        .await
        .unwrap_err();
    assert!(matches!(error, FaceCaptureError::NoFaceCaptureRequirement(ref s) if *s == id));
}
