//! The in-branch verification (IBV) instructions that only the Java SDK has:
//! `PUT`/`GET /sessions/{id}/instructions`, `GET …/contact-profile`, `GET …/pdf` and
//! `POST …/email`.

use idv_api::MediaContentExt as _;
use idv_api::types::{IbvContactProfile, IbvInstructions};
use serde_json::{Value, json};

use super::{api_error, code, send_signed as send, start, typed, wrongly_signed};

fn instructions() -> Value {
    json!({
        "contact_profile": {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"},
        "documents": [
            {"requirement_id": "req-1", "document": {"type": "ID_DOCUMENT", "country_code": "GBR", "document_type": "PASSPORT"}},
            {"requirement_id": "req-2", "document": {"type": "SUPPLEMENTARY_DOCUMENT", "country_code": "GBR", "document_type": "UTILITY_BILL"}}
        ],
        "branch": {
            "type": "UK_POST_OFFICE", "fad_code": "0012345", "name": "Camden Town Post Office",
            "address": "1 Camden High Street, London", "post_code": "NW1 7JE",
            "location": {"latitude": 51.5364, "longitude": -0.1426}
        }
    })
}

#[tokio::test]
async fn instructions_are_set_read_rendered_and_emailed() {
    let (emulator, client) = start().await;
    let id = emulator.demo_session();

    // Before any instructions: no PDF (204), nothing to read or email (404).
    let pdf = client
        .get_ibv_instructions_pdf()
        .session_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 204);
    assert!(pdf.into_media().is_none());
    let (status, error) = api_error(client.get_ibv_instructions().session_id(&id).send().await);
    assert_eq!((status, code(&error)), (404, "INSTRUCTIONS_NOT_FOUND"));
    let (status, error) = api_error(
        client
            .get_ibv_instructions_contact_profile()
            .session_id(&id)
            .send()
            .await,
    );
    assert_eq!((status, code(&error)), (404, "CONTACT_PROFILE_NOT_FOUND"));
    let (status, error) = api_error(
        client
            .trigger_ibv_email_notification()
            .session_id(&id)
            .send()
            .await,
    );
    assert_eq!((status, code(&error)), (404, "CONTACT_PROFILE_NOT_FOUND"));

    let set: IbvInstructions = typed(instructions());
    let put = client
        .put_ibv_instructions()
        .session_id(&id)
        .body(set)
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);

    let read = client
        .get_ibv_instructions()
        .session_id(&id)
        .send()
        .await
        .unwrap()
        .into_inner();
    let mut expected = instructions();
    expected.as_object_mut().unwrap().remove("contact_profile");
    expected["contact_profile_exists"] = json!(true);
    assert_eq!(serde_json::to_value(&read).unwrap(), expected);
    assert!(read.extra.is_empty());

    let profile = client
        .get_ibv_instructions_contact_profile()
        .session_id(&id)
        .send()
        .await
        .unwrap()
        .into_inner();
    let expected: IbvContactProfile = typed(instructions()["contact_profile"].clone());
    assert_eq!(profile, expected);

    let pdf = client
        .get_ibv_instructions_pdf()
        .session_id(&id)
        .send()
        .await
        .unwrap()
        .into_media()
        .expect("a PDF once there are instructions");
    assert_eq!(pdf.content_type.as_deref(), Some("application/pdf"));
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "{:?}", &bytes[..8]);
    assert!(bytes.trim_ascii_end().ends_with(b"%%EOF"));
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(contains(b"Camden Town Post Office"));
    assert!(contains(b"UTILITY_BILL"));

    let emailed = client
        .trigger_ibv_email_notification()
        .session_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(emailed.status(), 200);

    // A new PUT replaces the instructions: without a contact profile there is none to read
    // or email.
    let mut without_profile = instructions();
    without_profile
        .as_object_mut()
        .unwrap()
        .remove("contact_profile");
    client
        .put_ibv_instructions()
        .session_id(&id)
        .body(typed::<IbvInstructions>(without_profile))
        .send()
        .await
        .unwrap();
    let read = client
        .get_ibv_instructions()
        .session_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(read.contact_profile_exists, Some(false));
    let (status, _) = api_error(
        client
            .get_ibv_instructions_contact_profile()
            .session_id(&id)
            .send()
            .await,
    );
    assert_eq!(status, 404);
    let (status, error) = api_error(
        client
            .trigger_ibv_email_notification()
            .session_id(&id)
            .send()
            .await,
    );
    assert_eq!((status, code(&error)), (404, "CONTACT_PROFILE_NOT_FOUND"));
}

#[tokio::test]
async fn instructions_answer_404_for_an_unknown_session_and_401_to_a_wrong_key() {
    let (emulator, client) = start().await;
    let wrong = wrongly_signed(&emulator);
    let id = emulator.demo_session();
    for (client, session, expected) in [(&client, "nope", 404), (&wrong, id.as_str(), 401)] {
        let body: IbvInstructions = typed(instructions());
        let statuses = [
            api_error(
                client
                    .put_ibv_instructions()
                    .session_id(session)
                    .body(body)
                    .send()
                    .await,
            ),
            api_error(
                client
                    .get_ibv_instructions()
                    .session_id(session)
                    .send()
                    .await,
            ),
            api_error(
                client
                    .get_ibv_instructions_contact_profile()
                    .session_id(session)
                    .send()
                    .await,
            ),
            api_error(
                client
                    .get_ibv_instructions_pdf()
                    .session_id(session)
                    .send()
                    .await,
            ),
            api_error(
                client
                    .trigger_ibv_email_notification()
                    .session_id(session)
                    .send()
                    .await,
            ),
        ];
        let expected_code = if expected == 404 {
            "SESSION_NOT_FOUND"
        } else {
            "INVALID_SIGNATURE"
        };
        for (status, error) in statuses {
            assert_eq!((status, code(&error)), (expected, expected_code));
        }
    }
    // The refused PUT stored nothing.
    let pdf = client
        .get_ibv_instructions_pdf()
        .session_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 204);
}

/// The Java SDK's own request body (from the signing vectors it made), and its bodiless email
/// POST that still says `Content-Type: application/json`, are accepted byte for byte.
#[tokio::test]
async fn what_the_java_sdk_sends_is_accepted() {
    let (emulator, client) = start().await;
    let id = emulator.demo_session();
    let vectors: Vec<Value> = serde_json::from_str(include_str!(
        "../../../idv-signing/tests/data/official-sdk-vectors.json"
    ))
    .unwrap();
    let java = vectors
        .iter()
        .find(|v| v["operation"] == "putIbvInstructions")
        .expect("the Java SDK's putIbvInstructions vector");
    let body = java["body"].as_str();
    let path = format!("/sessions/{id}/instructions");
    let (json, put) = (Some("application/json"), reqwest::Method::PUT);
    let (status, error) = send(&emulator, put, &path, json, body).await;
    assert_eq!(status, 200, "{error}");
    let read = client
        .get_ibv_instructions()
        .session_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        read.branch.as_ref().unwrap().post_code.as_deref(),
        Some("NW1 7JE")
    );
    let email = format!("/sessions/{id}/instructions/email");
    let (status, error) = send(
        &emulator,
        reqwest::Method::POST,
        &email,
        Some("application/json"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{error}");
}

#[tokio::test]
async fn a_bad_instructions_body_gets_400_or_415_and_stores_nothing() {
    let (emulator, client) = start().await;
    let id = emulator.demo_session();
    let path = format!("/sessions/{id}/instructions");
    for bad in [
        json!({"documents": "PASSPORT"}),
        json!({"branch": {"location": {"latitude": "north"}}}),
        json!({"contact_profile": {"email": 7}}),
    ] {
        let (status, error) = send(
            &emulator,
            reqwest::Method::PUT,
            &path,
            Some("application/json"),
            Some(&bad.to_string()),
        )
        .await;
        assert_eq!(status, 400, "{bad}: {error}");
        assert_eq!(error["code"], "PAYLOAD_VALIDATION", "{error}");
    }
    let body = instructions().to_string();
    let (status, error) = send(
        &emulator,
        reqwest::Method::PUT,
        &path,
        Some("text/plain"),
        Some(&body),
    )
    .await;
    assert_eq!(status, 415, "{error}");
    assert_eq!(error["code"], "UNSUPPORTED_MEDIA_TYPE");
    let (status, _) = api_error(client.get_ibv_instructions().session_id(&id).send().await);
    assert_eq!(status, 404);
}
