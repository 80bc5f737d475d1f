//! The emulator checks every response it sends against the spec's response schemas, strictly:
//! a field the spec does not describe fails the response, naming its JSON path, where a client
//! would quietly keep it in `extra`.

use idv_api::types::CreateSessionPayload;

use super::{client, create};

/// A spec whose session result calls `user_tracking_id` by another name: the emulator's
/// rendering of a session with a tracking id no longer matches it.
fn spec_with_a_misnamed_field() -> String {
    let spec = include_str!("../../../spec/idv.yaml");
    let field = "        user_tracking_id:\n          type: string\n        biometric_consent:";
    assert_eq!(spec.matches(field).count(), 1, "the session result's field");
    spec.replace(
        field,
        "        user_tracking_ref:\n          type: string\n        biometric_consent:",
    )
}

#[tokio::test]
async fn a_response_the_spec_does_not_allow_fails_naming_its_path() {
    let emulator = idv_emulator::Emulator::builder()
        .spec(spec_with_a_misnamed_field())
        .start()
        .await
        .unwrap();
    let client = client(&emulator, &emulator.sandbox_url());
    let payload = CreateSessionPayload::builder().user_tracking_id("u-1".to_string());
    let id = create(&client, payload).await;
    let error = client
        .get_session()
        .session_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500), "{error:?}");

    let problems = emulator.take_response_problems();
    assert_eq!(
        problems,
        ["GET /sessions/{sessionId} 200: /user_tracking_id: is not a property the spec describes"]
    );
    // Taken: dropping the emulator now does not fail the test.
    drop(emulator);
}

#[tokio::test]
async fn problems_left_untaken_fail_the_test_when_the_emulator_is_dropped() {
    let emulator = idv_emulator::Emulator::builder()
        .spec(spec_with_a_misnamed_field())
        .start()
        .await
        .unwrap();
    let client = client(&emulator, &emulator.sandbox_url());
    let payload = CreateSessionPayload::builder().user_tracking_id("u-1".to_string());
    let id = create(&client, payload).await;
    let _ = client.get_session().session_id(&id).send().await;
    let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(emulator)));
    let message = dropped.expect_err("the drop fails the test");
    let message = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(message.contains("/user_tracking_id"), "{message}");
}

#[tokio::test]
async fn the_check_can_be_switched_off() {
    let emulator = idv_emulator::Emulator::builder()
        .spec(spec_with_a_misnamed_field())
        .check_responses(false)
        .start()
        .await
        .unwrap();
    let client = client(&emulator, &emulator.sandbox_url());
    let payload = CreateSessionPayload::builder().user_tracking_id("u-1".to_string());
    let id = create(&client, payload).await;
    let session = client.get_session().session_id(&id).send().await.unwrap();
    assert_eq!(session.user_tracking_id.as_deref(), Some("u-1"));
    assert!(emulator.take_response_problems().is_empty());
}
