//! `session create`, `sandbox approve|reject` then the session's result, and `media pull`.

use idv_api::MediaContentExt;
use idv_emulator::Emulator;
use serde_json::Value;

use crate::{client, idv_for, json, run, stdout};

/// Creates a session with `idv session create` and the given flags; returns its JSON output.
async fn create(emulator: &Emulator, flags: &[&str]) -> Value {
    let mut cmd = idv_for(emulator);
    cmd.args(["session", "create"]).args(flags);
    json(&run(cmd).await)
}

#[tokio::test(flavor = "multi_thread")]
async fn session_create_prints_the_id_the_token_and_the_users_url() {
    let emulator = Emulator::start().await.unwrap();
    let created = create(
        &emulator,
        &[
            "--check",
            "LIVENESS",
            "--check",
            "ID_DOCUMENT_AUTHENTICITY",
            "--document",
            "PASSPORT",
            "--country",
            "GBR",
            "--success-url",
            "https://example.com/done",
        ],
    )
    .await;
    let id = created["session_id"].as_str().unwrap();
    let token = created["client_session_token"].as_str().unwrap();
    assert_eq!(
        created["url"],
        format!(
            "{}/web/index.html?sessionID={id}&sessionToken={token}",
            emulator.sandbox_url()
        )
    );
    let config = client(&emulator)
        .get_session_configuration()
        .session_id(id)
        .send()
        .await
        .unwrap()
        .into_inner();
    let config = serde_json::to_value(config).unwrap();
    let checks: Vec<&str> = config["requested_checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap_or_else(|| c["type"].as_str().unwrap()))
        .collect();
    assert_eq!(checks, ["LIVENESS", "ID_DOCUMENT_AUTHENTICITY"], "{config}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sandbox_approve_then_reject_decide_the_sessions_result() {
    let emulator = Emulator::start().await.unwrap();
    let created = create(&emulator, &[]).await;
    let id = created["session_id"].as_str().unwrap();
    let mut cmd = idv_for(&emulator);
    cmd.args(["sandbox", "approve", id]);
    let set = json(&run(cmd).await);
    assert_eq!(
        set["check_reports"]["LIVENESS"],
        serde_json::json!([{"result": {"report": {"recommendation": {"value": "APPROVE"}}}}])
    );

    let mut cmd = idv_for(&emulator);
    cmd.args(["sessions", "get", id]);
    let session = json(&run(cmd).await);
    let checks = session["checks"].as_array().unwrap();
    let verdicts: Vec<(&str, &str)> = checks
        .iter()
        .map(|c| {
            (
                c["type"].as_str().unwrap(),
                c["report"]["recommendation"]["value"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("ID_DOCUMENT_AUTHENTICITY", "APPROVE"),
            ("LIVENESS", "APPROVE"),
            ("ID_DOCUMENT_FACE_MATCH", "APPROVE")
        ]
    );

    let created = create(&emulator, &["--check", "LIVENESS"]).await;
    let id = created["session_id"].as_str().unwrap();
    let mut cmd = idv_for(&emulator);
    cmd.args(["sandbox", "reject", id, "--reason", "FRAUD_SUSPECTED"]);
    json(&run(cmd).await);
    let mut cmd = idv_for(&emulator);
    cmd.args(["--output", "table", "sessions", "get", id]);
    let output = run(cmd).await;
    assert_eq!(output.status.code(), Some(0));
    let table = stdout(&output);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    assert!(
        lines[0].starts_with(&format!("session {id}  state ")),
        "{table}"
    );
    assert_eq!(
        lines[2].split_whitespace().collect::<Vec<_>>(),
        ["LIVENESS", "DONE", "REJECT", "FRAUD_SUSPECTED"],
        "{table}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn media_pull_writes_every_media_with_the_bytes_the_api_serves() {
    let emulator = Emulator::start().await.unwrap();
    let id = emulator.demo_session();
    let dir = std::env::temp_dir().join(format!("idv-media-pull-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut cmd = idv_for(&emulator);
    cmd.args(["media", "pull", &id, "--out"]).arg(&dir);
    let written = json(&run(cmd).await);
    let written = written.as_array().unwrap();
    assert!(
        written.len() >= 4,
        "the demo session has several media: {written:?}"
    );
    let client = client(&emulator);
    for entry in written {
        let media_id = entry["media_id"].as_str().unwrap();
        let file = std::path::Path::new(entry["file"].as_str().unwrap());
        assert_eq!(file.parent(), Some(dir.as_path()));
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(
            name.starts_with(&format!("{}-{media_id}.", entry["kind"].as_str().unwrap())),
            "{name}"
        );
        let served = client
            .get_media_content()
            .session_id(&id)
            .media_id(media_id)
            .send()
            .await
            .unwrap()
            .into_media()
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert_eq!(std::fs::read(file).unwrap(), served.as_ref(), "{name}");
    }
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names.len(),
        written.len(),
        "no other file (no .part left): {names:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_generated_command_takes_its_body_from_stdin_and_an_api_error_exits_3() {
    let emulator = Emulator::start().await.unwrap();
    let mut cmd = idv_for(&emulator);
    cmd.args([
        "sessions",
        "create",
        "--json-body",
        "-",
        "--user-tracking-id",
        "u-42",
    ])
    .write_stdin(r#"{"requested_checks": [{"type": "LIVENESS"}]}"#);
    let created = json(&run(cmd).await);
    let id = created["session_id"].as_str().unwrap();
    let session = client(&emulator)
        .get_session()
        .session_id(id)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(session.user_tracking_id.as_deref(), Some("u-42"));

    let mut cmd = idv_for(&emulator);
    cmd.args(["sessions", "get", "00000000-0000-4000-8000-000000000001"]);
    let output = run(cmd).await;
    assert_eq!(output.status.code(), Some(3));
    assert!(output.stdout.is_empty());
    let text = crate::stderr(&output);
    assert!(
        text.starts_with("error: the API answered 404 Not Found: SESSION_NOT_FOUND"),
        "{text}"
    );
}
