//! `idv doctor` with a good setup, and with each of the three usual mistakes.

use idv_emulator::Emulator;

use crate::{idv_for, run, stdout};

/// Another RSA key: not the emulator application's.
const OTHER_KEY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/tests/data/other-rsa2048.pem"
);

#[tokio::test(flavor = "multi_thread")]
async fn a_good_setup_passes_every_check() {
    let emulator = Emulator::start().await.unwrap();
    let mut cmd = idv_for(&emulator);
    cmd.arg("doctor");
    let output = run(cmd).await;
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    let key = emulator.key_path().display().to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], format!("base URL: {}", emulator.sandbox_url()));
    assert_eq!(lines[1], format!("ok    SDK id: {}", emulator.sdk_id()));
    assert_eq!(
        lines[2],
        format!("ok    key file: {key} is an RSA private key")
    );
    assert_eq!(lines[3], "ok    base URL: an absolute http(s) URL");
    assert_eq!(
        lines[4],
        "ok    signed call: the server accepted the signature (404 SESSION_NOT_FOUND for a probe session, as expected)"
    );
    assert!(lines[5].starts_with("ok    clock: "), "{text}");
    assert_eq!(lines[6], "everything works");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_sdk_id_the_server_does_not_know_is_explained() {
    let emulator = Emulator::start().await.unwrap();
    let mut cmd = idv_for(&emulator);
    cmd.env("YOTI_CLIENT_SDK_ID", "a-production-sdk-id")
        .arg("doctor");
    let output = run(cmd).await;
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("FAIL  signed call: 401 UNKNOWN_SDK_ID: this server has no application with this SDK id. A production SDK id against the sandbox"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_that_is_not_the_applications_is_a_signature_refusal() {
    let emulator = Emulator::start().await.unwrap();
    let mut cmd = idv_for(&emulator);
    cmd.env("YOTI_KEY_FILE_PATH", OTHER_KEY).arg("doctor");
    let output = run(cmd).await;
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!(
            "ok    key file: {OTHER_KEY} is an RSA private key"
        )),
        "{text}"
    );
    assert!(
        text.contains("FAIL  signed call: 401 INVALID_SIGNATURE: the server refused the signature: the key file is not the private key of this SDK id's application"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_base_url_is_a_404_explained() {
    let emulator = Emulator::start().await.unwrap();
    let wrong = format!("http://{}/idverify/v2", emulator.addr());
    let mut cmd = idv_for(&emulator);
    cmd.env("YOTI_IDV_API_URL", &wrong).arg("doctor");
    let output = run(cmd).await;
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!("FAIL  signed call: 404 NOT_FOUND: there is no IDV API at {wrong}: the base URL is wrong")),
        "{text}"
    );
}
