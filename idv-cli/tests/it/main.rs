//! `idv` end to end: the installed binary, run as a user runs it, against an emulator the test
//! starts on 127.0.0.1. One test binary (linking is the slow part of CI).

mod commands;
mod doctor;
mod listen;
mod sign;
mod tasks;

use std::process::Output;

use assert_cmd::Command;
use idv_emulator::Emulator;
use serde_json::Value;

/// `idv` with no settings from the environment of the test run.
fn idv() -> Command {
    let mut cmd = Command::cargo_bin("idv").expect("the idv binary is built");
    for var in [
        "YOTI_CLIENT_SDK_ID",
        "YOTI_KEY_FILE_PATH",
        "YOTI_IDV_API_URL",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// `idv` set up, through the official SDKs' variables, for the emulator's sandbox.
fn idv_for(emulator: &Emulator) -> Command {
    let mut cmd = idv();
    cmd.env("YOTI_CLIENT_SDK_ID", emulator.sdk_id())
        .env("YOTI_KEY_FILE_PATH", emulator.key_path())
        .env("YOTI_IDV_API_URL", emulator.sandbox_url());
    cmd
}

/// Runs `cmd` off the async runtime, which keeps serving the emulator.
async fn run(mut cmd: Command) -> Output {
    tokio::task::spawn_blocking(move || cmd.output().expect("idv runs"))
        .await
        .expect("the command's thread")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The one JSON document a command printed on stdout, after checking that it succeeded.
#[track_caller]
fn json(output: &Output) -> Value {
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(output));
    serde_json::from_slice(&output.stdout).expect("stdout is one JSON document")
}

/// A signed client for the emulator's sandbox, to check what the commands did.
fn client(emulator: &Emulator) -> idv_api::Client {
    let key = idv_api::idv_signing::SigningKey::from_pem_file(emulator.key_path()).unwrap();
    let signer =
        idv_api::idv_signing::Signer::new(emulator.sdk_id(), key, &emulator.sandbox_url()).unwrap();
    idv_api::Client::builder(signer).build().unwrap()
}
