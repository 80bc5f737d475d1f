//! The `idv-emulator` binary's command line: a team's own key pair and SDK id, reproducible
//! ids, and a clean stop on SIGTERM.

use std::io::Read;
use std::path::Path;
use std::process::Command;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use base64::Engine as _;
use idv_api::types::CreateSessionPayload;

use crate::Running;

fn pem(label: &str, der: &[u8]) -> String {
    let base64 = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = (0..base64.len())
        .step_by(64)
        .map(|i| &base64[i..(i + 64).min(base64.len())])
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

fn demo_key() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../idv-signing/tests/data/test-rsa2048-pkcs1.pem");
    std::fs::read_to_string(path).unwrap()
}

#[tokio::test]
async fn a_teams_own_key_pair_and_sdk_id_work_unchanged() {
    // The team's sandbox key pair, made here.
    let pair = KeyPair::generate(KeySize::Rsa2048).unwrap();
    let private = pem("PRIVATE KEY", pair.as_der().unwrap().as_ref());
    let public = pem("PUBLIC KEY", pair.public_key().as_der().unwrap().as_ref());
    let dir = std::env::temp_dir().join(format!("idv-emulator-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let public_file = dir.join("team-public.pem");
    std::fs::write(&public_file, &public).unwrap();
    let sdk_id = "0b7c9a3e-1111-4222-8333-944455556666";

    let mut emulator = Running::start(&[
        "--sdk-id",
        sdk_id,
        "--public-key",
        public_file.to_str().unwrap(),
    ]);
    assert_eq!(emulator.field("SDK id"), sdk_id);
    assert!(
        emulator.field("key file").contains("team-public.pem"),
        "{}",
        emulator.banner
    );

    let team = emulator.client(sdk_id, &private);
    let created = team
        .create_session()
        .body(CreateSessionPayload::default())
        .send()
        .await;
    assert_eq!(created.unwrap().status(), 201);
    // The demo key no longer signs for the application.
    let demo = emulator.client(sdk_id, &demo_key());
    let refused = demo
        .create_session()
        .body(CreateSessionPayload::default())
        .send()
        .await;
    assert_eq!(refused.unwrap_err().status().map(|s| s.as_u16()), Some(401));
    // The warning about the published test key is for the demo key only.
    let output = emulator.whole_output();
    assert!(!output.contains("published test key"), "{output}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn the_same_seed_gives_the_same_ids() {
    let mut seen = Vec::new();
    for seed in ["7", "7", "8"] {
        let emulator = Running::start(&["--seed", seed, "--demo-session"]);
        let client = emulator.client(idv_emulator::DEFAULT_SDK_ID, &demo_key());
        let created = client
            .create_session()
            .body(CreateSessionPayload::default());
        let created = created.send().await.unwrap().into_inner();
        seen.push((
            emulator.field("bearer token"),
            emulator.field("demo session"),
            created.session_id,
            created.client_session_token,
        ));
    }
    assert_eq!(seen[0], seen[1]);
    assert_ne!(seen[0].0, seen[2].0);
    assert_ne!(seen[0].2, seen[2].2);
}

#[cfg(unix)]
#[test]
fn sigterm_stops_it_cleanly() {
    let mut emulator = Running::start(&[]);
    let pid = emulator.child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    let status = emulator.child.wait().unwrap();
    assert!(status.success(), "{status}");
    let mut stderr = String::new();
    let pipe = emulator.child.stderr.as_mut().unwrap();
    pipe.read_to_string(&mut stderr).unwrap();
    assert!(stderr.contains("idv-emulator: stopped"), "{stderr}");
}

#[test]
fn bad_arguments_say_what_is_wrong() {
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_idv-emulator"))
            .args(args)
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, stderr) = run(&["--public-key", "/no/such/key.pem"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("cannot read the public key file `/no/such/key.pem`"),
        "{stderr}"
    );

    let not_a_key =
        std::env::temp_dir().join(format!("idv-emulator-not-a-key-{}", std::process::id()));
    std::fs::write(&not_a_key, "hello").unwrap();
    let (code, stderr) = run(&["--public-key", not_a_key.to_str().unwrap(), "--port", "0"]);
    std::fs::remove_file(&not_a_key).unwrap();
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("cannot start: the application's public key does not load"),
        "{stderr}"
    );
    assert!(!stderr.contains("hello"), "{stderr}");

    let (code, stderr) = run(&["--port", "http"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("--port"), "{stderr}");
    let (code, stderr) = run(&["--host", "localhost:80"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("--host"), "{stderr}");
}
