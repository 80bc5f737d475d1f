//! `idv notifications listen` receives, verifies and prints what the emulator sends.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use idv_api::types::CreateSessionPayload;
use idv_emulator::Emulator;

use crate::client;

#[tokio::test(flavor = "multi_thread")]
async fn it_prints_the_notification_the_emulator_sends_and_refuses_a_wrong_token() {
    let emulator = Emulator::start().await.unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("idv"))
        .args([
            "notifications",
            "listen",
            "--port",
            "0",
            "--auth-token",
            "username:password",
            "--count",
            "1",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    let address = first
        .trim()
        .strip_prefix("listening on ")
        .expect(&first)
        .to_string();

    // A request without the session's token is refused.
    let refused = reqwest::Client::new()
        .post(format!("{address}/yoti"))
        .body(r#"{"session_id":"s","topic":"SESSION_COMPLETION"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);

    let payload: CreateSessionPayload = serde_json::from_value(serde_json::json!({
        "requested_checks": [{"type": "LIVENESS"}],
        "notifications": {
            "endpoint": format!("{address}/yoti"),
            "topics": ["SESSION_COMPLETION"],
            "auth_token": "username:password"
        }
    }))
    .unwrap();
    let id = client(&emulator)
        .create_session()
        .body(payload)
        .send()
        .await
        .unwrap()
        .into_inner()
        .session_id;
    let output = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // Printed as received: the emulator, as Yoti does, sends the topic in lower case.
    assert_eq!(
        printed,
        serde_json::json!({"session_id": id, "topic": "session_completion"})
    );
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(rest.starts_with("refused a notification (401): "), "{rest}");
}
