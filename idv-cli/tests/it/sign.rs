//! `idv sign` prints a curl command that the emulator accepts.

use idv_emulator::Emulator;

use crate::{idv_for, run, stderr, stdout};

/// Runs a curl command line through the shell; returns its stdout.
async fn curl(line: String) -> String {
    let shell = line.clone();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("sh")
            .args(["-c", &shell])
            .output()
            .expect("sh runs")
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "{line}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_curl_line_of_a_get_and_of_a_post_is_accepted() {
    let emulator = Emulator::start().await.unwrap();
    let body_file = std::env::temp_dir().join(format!("idv-sign-{}.json", std::process::id()));
    std::fs::write(&body_file, r#"{"requested_checks":[{"type":"LIVENESS"}]}"#).unwrap();
    let mut cmd = idv_for(&emulator);
    cmd.args(["sign", "--method", "POST", "--url", "/sessions", "--body"])
        .arg(&body_file);
    let output = run(cmd).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let line = stdout(&output);
    assert!(
        line.starts_with(&format!(
            "curl -sS -X POST '{}/sessions?sdkId={}&nonce=",
            emulator.sandbox_url(),
            emulator.sdk_id()
        )),
        "{line}"
    );
    assert!(
        stderr(&output).starts_with("signed message: POST&/sessions?sdkId="),
        "{}",
        stderr(&output)
    );
    let created: serde_json::Value = serde_json::from_str(&curl(line).await).unwrap();
    let Some(id) = created["session_id"].as_str().map(str::to_string) else {
        panic!("the emulator did not create the session: {created}");
    };
    std::fs::remove_file(&body_file).unwrap();

    let mut cmd = idv_for(&emulator);
    cmd.args([
        "sign",
        "--method",
        "get",
        "--url",
        &format!("{}/sessions/{id}", emulator.sandbox_url()),
    ]);
    let output = run(cmd).await;
    let session: serde_json::Value = serde_json::from_str(&curl(stdout(&output)).await).unwrap();
    assert_eq!(session["session_id"], id.as_str());
    assert_eq!(session["checks"][0]["type"], "LIVENESS");
}
