//! Authentication as the service does it: 401 with an `ApiError` for each way a request can
//! be badly signed, and acceptance of the official SDKs' style of request.

use std::time::{SystemTime, UNIX_EPOCH};

use idv_api::Client;
use idv_api::idv_signing::SigningKey;
use idv_api::types::{CreateSessionPayload, ResponseConfig};
use serde_json::Value;

use super::{api_error, code, signed_as_an_sdk, signer, start, wrong_signer, wrongly_signed};

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test]
async fn a_wrong_key_gets_401_from_every_operation() {
    let (emulator, _) = start().await;
    let session = emulator.demo_session();
    let client = wrongly_signed(&emulator);
    let (sdk_id, config) = (emulator.sdk_id(), ResponseConfig::default());
    let statuses = [
        api_error(
            client
                .create_session()
                .body(CreateSessionPayload::default())
                .send()
                .await,
        ),
        api_error(client.get_session().session_id(&session).send().await),
        api_error(client.delete_session().session_id(&session).send().await),
        api_error(
            client
                .get_media_content()
                .session_id(&session)
                .media_id("m")
                .send()
                .await,
        ),
        api_error(
            client
                .delete_media_content()
                .session_id(&session)
                .media_id("m")
                .send()
                .await,
        ),
        api_error(
            client
                .get_application_response_config()
                .sdk_id(sdk_id)
                .send()
                .await,
        ),
        api_error(
            client
                .put_application_response_config()
                .sdk_id(sdk_id)
                .body(config.clone())
                .send()
                .await,
        ),
        api_error(
            client
                .get_session_response_config()
                .session_id(&session)
                .send()
                .await,
        ),
        api_error(
            client
                .put_session_response_config()
                .session_id(&session)
                .body(config)
                .send()
                .await,
        ),
        api_error(client.get_supported_documents().send().await),
    ];
    for (status, error) in &statuses {
        assert_eq!((*status, code(error)), (401, "INVALID_SIGNATURE"));
    }
    let message = statuses[1].1.message.as_deref().unwrap();
    assert!(
        message.contains(&format!("GET&/sessions/{session}?sdkId=")),
        "{message}"
    );
    assert_eq!(emulator.stats().unauthorized, 10);
    assert_eq!(emulator.stats().authenticated, 0);
}

#[tokio::test]
async fn a_wrong_sdk_id_gets_401() {
    let (emulator, _) = start().await;
    let key = SigningKey::from_pem_file(emulator.key_path()).unwrap();
    let signer =
        idv_api::idv_signing::Signer::new("someone-else", key, &emulator.sandbox_url()).unwrap();
    let client = Client::builder(signer).build().unwrap();
    let (status, error) = api_error(
        client
            .create_session()
            .body(CreateSessionPayload::default())
            .send()
            .await,
    );
    assert_eq!((status, code(&error)), (401, "UNKNOWN_SDK_ID"));
}

#[tokio::test]
async fn a_replayed_nonce_gets_401() {
    let (emulator, _) = start().await;
    let signer = signer(&emulator, &emulator.sandbox_url())
        .with_nonce_source(|| "0b9e7a4c-5d2f-4f1e-8c3a-9d8e7f6a5b4c".to_owned());
    let client = Client::builder(signer).build().unwrap();
    client
        .get_supported_documents()
        .send()
        .await
        .expect("the first use of the nonce");
    let (status, error) = api_error(
        client
            .create_session()
            .body(CreateSessionPayload::default())
            .send()
            .await,
    );
    assert_eq!((status, code(&error)), (401, "NONCE_REUSED"));
    assert_eq!(emulator.stats().replayed_nonces, 1);
}

#[tokio::test]
async fn a_timestamp_outside_the_window_gets_401() {
    let (emulator, _) = start().await;
    for timestamp in [now() - 600, now() + 600, (now() - 600) * 1000] {
        let signer = signer(&emulator, &emulator.sandbox_url()).with_clock(move || timestamp);
        let client = Client::builder(signer).build().unwrap();
        let (status, error) = api_error(
            client
                .create_session()
                .body(CreateSessionPayload::default())
                .send()
                .await,
        );
        assert_eq!(
            (status, code(&error)),
            (401, "TIMESTAMP_OUT_OF_RANGE"),
            "{timestamp}"
        );
    }
}

#[tokio::test]
async fn a_missing_or_tampered_signature_gets_401() {
    let (emulator, _) = start().await;
    let http = reqwest::Client::new();
    let url = format!(
        "{}/sessions?sdkId={}&nonce=n&timestamp={}",
        emulator.sandbox_url(),
        emulator.sdk_id(),
        now()
    );
    let response = http.post(&url).body("{}").send().await.unwrap();
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "MISSING_SIGNATURE");

    // Signed for one body, sent with another.
    let signer = signer(&emulator, &emulator.sandbox_url());
    let mut request = http
        .post(format!("{}/sessions", emulator.sandbox_url()))
        .body(r#"{"user_tracking_id":"a"}"#)
        .build()
        .unwrap();
    signer.sign_request(&mut request).unwrap();
    *request.body_mut() = Some(r#"{"user_tracking_id":"b"}"#.into());
    let response = http.execute(request).await.unwrap();
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "INVALID_SIGNATURE");
}

/// The official SDKs send millisecond timestamps, and no `sdkId` on supported-documents.
#[tokio::test]
async fn the_official_sdks_style_of_request_is_accepted() {
    let (emulator, _) = start().await;
    let millis = || {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        u64::try_from(now.as_millis()).unwrap()
    };
    let signer = signer(&emulator, &emulator.sandbox_url()).with_clock(millis);
    let client = Client::builder(signer).build().unwrap();
    let created = client
        .create_session()
        .body(CreateSessionPayload::default())
        .send()
        .await
        .unwrap();
    client
        .get_session()
        .session_id(&created.session_id)
        .send()
        .await
        .unwrap();

    // As the Node SDK signs `getSupportedDocuments`: nonce and timestamp, no sdkId.
    let unsigned = |path: &str| {
        format!(
            "{path}?includeNonLatin=true&nonce={}&timestamp={}",
            uuid::Uuid::new_v4(),
            millis()
        )
    };
    let get = |path_and_query: String| {
        signed_as_an_sdk(&emulator, "GET", &path_and_query, None)
            .header("X-Yoti-SDK", "Node")
            .header("X-Yoti-SDK-Version", "Node-4.13.2")
            .header("Accept", "application/json")
            .send()
    };
    let response = get(unsigned("/supported-documents")).await.unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["supported_countries"]
            .as_array()
            .is_some_and(|c| !c.is_empty())
    );

    // As the Node SDK signs the application's sandbox configuration: the SDK id is in the path.
    let app = format!("/apps/{}/response-config", emulator.sdk_id());
    let response = get(unsigned(&app)).await.unwrap();
    assert_eq!(response.status(), 200);

    // Another application in the path: not found (the emulator has one application).
    let response = get(unsigned("/apps/another-app/response-config"))
        .await
        .unwrap();
    assert_eq!(response.status(), 404);

    // Every other operation needs its sdkId.
    let response = get(unsigned("/sessions/any")).await.unwrap();
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "MISSING_SDK_ID");
}

#[tokio::test]
async fn the_emulators_bearer_token_authenticates_and_any_other_gets_401() {
    let (emulator, _) = start().await;
    let client =
        Client::with_bearer_token(&emulator.sandbox_url(), emulator.bearer_token()).unwrap();
    let id = super::create(&client, CreateSessionPayload::default()).await;
    client.get_session().session_id(&id).send().await.unwrap();
    client
        .get_application_response_config()
        .sdk_id(emulator.sdk_id())
        .send()
        .await
        .unwrap();

    let other = Client::with_bearer_token(&emulator.sandbox_url(), "not-the-token").unwrap();
    let (status, error) = api_error(other.get_session().session_id(&id).send().await);
    assert_eq!((status, code(&error)), (401, "INVALID_TOKEN"));
    assert!(
        !error
            .message
            .as_deref()
            .unwrap_or_default()
            .contains(emulator.bearer_token())
    );

    // A token in another scheme is not a bearer token, whatever it holds.
    let response = reqwest::Client::new()
        .get(format!("{}/sessions/{id}", emulator.sandbox_url()))
        .header(
            "Authorization",
            format!("Basic {}", emulator.bearer_token()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "UNSUPPORTED_AUTHORIZATION");
}

/// Every operation of the spec, including ones added after this test was written, refuses a
/// request signed with another key, and one with no authentication at all.
#[tokio::test]
async fn every_operation_of_the_spec_refuses_a_wrong_key_and_no_authentication() {
    let (emulator, _) = start().await;
    let session = emulator.demo_session();
    let wrong = wrong_signer(&emulator);
    let spec: Value = serde_yaml::from_str(include_str!("../../../spec/idv.yaml")).unwrap();
    let http = reqwest::Client::new();
    let mut operations = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            operations += 1;
            let concrete = path
                .replace("{sessionId}", &session)
                .replace("{sdkId}", emulator.sdk_id())
                .replace("{mediaId}", "m")
                .replace("{resourceId}", "r");
            let url = format!("{}{concrete}", emulator.sandbox_url());
            let method: reqwest::Method = method.to_uppercase().parse().unwrap();
            let mut request = http.request(method.clone(), &url).build().unwrap();
            wrong.sign_request(&mut request).unwrap();
            let response = http.execute(request).await.unwrap();
            assert_eq!(response.status(), 401, "{id} with another key");
            let response = http.request(method, &url).send().await.unwrap();
            assert_eq!(response.status(), 401, "{id} without authentication");
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["code"], "MISSING_SIGNATURE", "{id}");
        }
    }
    assert!(operations >= 15, "{operations} operations");
    assert_eq!(emulator.stats().authenticated, 0);
}
