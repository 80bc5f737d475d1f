//! `GET` and `DELETE /sessions/{sessionId}/tracked-devices`.

use idv_api::types::{CheckType, CreateSessionPayload, RequestedCheck};

use super::{api_error, code, create, start, wrongly_signed};

#[tokio::test]
async fn tracked_devices_are_listed_per_resource_and_deleted() {
    let (_emulator, client) = start().await;
    let id = create(
        &client,
        CreateSessionPayload::builder().requested_checks(
            [CheckType::IdDocumentAuthenticity, CheckType::Liveness].map(RequestedCheck::new),
        ),
    )
    .await;
    let session = client.get_session().session_id(&id).send().await.unwrap();
    let resources = session.resources.as_ref().unwrap();
    let document = resources.id_documents[0].id.clone().unwrap();
    let liveness = resources.liveness_capture[0].id.clone().unwrap();

    let devices = client
        .get_session_tracked_devices()
        .session_id(&id)
        .send()
        .await
        .unwrap()
        .into_inner();
    let events: Vec<(String, Option<String>)> = devices
        .iter()
        .map(|e| (e.event.clone().unwrap(), e.resource_id.clone()))
        .collect();
    assert_eq!(
        events,
        [
            ("CONFIG_FIRST_LOADED".to_owned(), None),
            ("RESOURCE_CREATED".to_owned(), Some(document)),
            ("RESOURCE_CREATED".to_owned(), Some(liveness)),
        ]
    );
    for event in devices.iter() {
        assert_eq!(event.created, session.biometric_consent);
        let device = event.device.as_ref().unwrap();
        assert_eq!(device.client_version.as_deref(), Some("2.12.0"));
        assert_eq!(device.ip_iso_country_code.as_deref(), Some("GBR"));
        assert_eq!(device.os_name.as_deref(), Some("iOS"));
    }

    let deleted = client
        .delete_session_tracked_devices()
        .session_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status().as_u16(), 204);
    let devices = client
        .get_session_tracked_devices()
        .session_id(&id)
        .send()
        .await
        .unwrap();
    assert!(devices.is_empty());
    // The session itself is untouched.
    client.get_session().session_id(&id).send().await.unwrap();
}

#[tokio::test]
async fn tracked_devices_answer_404_and_401() {
    let (emulator, client) = start().await;
    let (status, error) = api_error(
        client
            .get_session_tracked_devices()
            .session_id("nope")
            .send()
            .await,
    );
    assert_eq!((status, code(&error)), (404, "SESSION_NOT_FOUND"));
    let (status, error) = api_error(
        client
            .delete_session_tracked_devices()
            .session_id("nope")
            .send()
            .await,
    );
    assert_eq!((status, code(&error)), (404, "SESSION_NOT_FOUND"));

    let id = emulator.demo_session();
    let wrong = wrongly_signed(&emulator);
    let (status, _) = api_error(
        wrong
            .get_session_tracked_devices()
            .session_id(&id)
            .send()
            .await,
    );
    assert_eq!(status, 401);
    let (status, _) = api_error(
        wrong
            .delete_session_tracked_devices()
            .session_id(&id)
            .send()
            .await,
    );
    assert_eq!(status, 401);
    // Nothing was deleted by the refused request.
    let devices = client
        .get_session_tracked_devices()
        .session_id(&id)
        .send()
        .await
        .unwrap();
    assert!(!devices.is_empty());
}
