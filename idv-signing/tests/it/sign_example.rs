//! The `sign` debugging example, run through the same `run` function its `main` calls.

use crate::common;

#[allow(dead_code)] // The example's `main` is not called here.
#[path = "../../examples/sign.rs"]
mod example;

use std::ffi::OsString;

use common::{NONCE, SDK_ID, TIMESTAMP, vector};

fn run(args: &[&str]) -> Result<String, String> {
    example::run(args.iter().map(OsString::from))
}

fn key_file() -> String {
    common::data("test-rsa2048-pkcs8.pem").display().to_string()
}

#[test]
fn prints_the_message_url_and_digest_of_a_vector() {
    let v = &vector("createSession");
    let body_file =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("sign-example-body.json");
    std::fs::write(&body_file, v.body.as_deref().unwrap()).unwrap();
    let url = "https://api.yoti.com/idverify/v1/sessions";
    let output = run(&[
        "--key",
        &key_file(),
        "--sdk-id",
        SDK_ID,
        "--method",
        "POST",
        "--url",
        url,
        "--body-file",
        body_file.to_str().unwrap(),
        "--nonce",
        NONCE,
        "--timestamp",
        &TIMESTAMP.to_string(),
    ])
    .unwrap();
    let expected = format!(
        "message: {}\nurl: https://api.yoti.com/idverify/v1/sessions?sdkId={SDK_ID}&nonce={NONCE}&timestamp={TIMESTAMP}\ndigest: {}\n",
        v.signed_message, v.digest
    );
    assert_eq!(output, expected);
}

#[test]
fn a_sandbox_url_signs_the_path_below_the_sandbox_base() {
    let v = &vector("getSession");
    let url = format!("https://api.yoti.com/sandbox/idverify/v1{}", v.path);
    let output = run(&[
        "--key",
        &key_file(),
        "--sdk-id",
        SDK_ID,
        "--method",
        "GET",
        "--url",
        &url,
        "--nonce",
        NONCE,
        "--timestamp",
        "1700000000123",
    ])
    .unwrap();
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines[0], format!("message: {}", v.signed_message));
    assert_eq!(
        lines[1],
        format!(
            "url: https://api.yoti.com/sandbox/idverify/v1{}",
            v.path_and_query()
        )
    );
    assert_eq!(lines[2], format!("digest: {}", v.digest));
}

#[test]
fn without_nonce_and_timestamp_they_are_fresh() {
    let url = "http://127.0.0.1:9/idverify/v1/sessions";
    let args = [
        "--key",
        &key_file(),
        "--sdk-id",
        SDK_ID,
        "--method",
        "GET",
        "--url",
        url,
    ];
    let (first, second) = (run(&args).unwrap(), run(&args).unwrap());
    assert_eq!(first.lines().count(), 3);
    assert!(first.starts_with(&format!("message: GET&/sessions?sdkId={SDK_ID}&nonce=")));
    assert_ne!(first, second);
}

#[test]
fn bad_input_is_an_error_message_not_a_panic() {
    let key = key_file();
    let base = ["--key", key.as_str(), "--sdk-id", SDK_ID, "--method", "GET"];
    let with = |extra: &[&'static str]| run(&[&base[..], extra].concat()).unwrap_err();
    assert!(with(&[]).contains("--url is required"));
    assert!(with(&["--url"]).contains("--url needs a value"));
    assert!(with(&["--url", "nope"]).contains("is not a URL"));
    assert!(with(&["--url", "https://api.yoti.com/v2/x"]).contains("--base-url"));
    assert!(
        with(&[
            "--url",
            "https://api.yoti.com/idverify/v1/x",
            "--timestamp",
            "soon"
        ])
        .contains("whole number")
    );
    assert!(
        with(&[
            "--url",
            "https://api.yoti.com/idverify/v1/x",
            "--body-file",
            "/nonexistent"
        ])
        .contains("--body-file")
    );
    assert!(
        with(&[
            "--url",
            "https://api.yoti.com/idverify/v1/x",
            "--base-url",
            "https://other.example/v1"
        ])
        .contains("not under")
    );
    assert!(with(&["--frobnicate"]).contains("unknown argument"));
    assert!(with(&["--method", "POST"]).contains("given twice"));
    let missing_key = run(&[
        "--key",
        "/nonexistent.pem",
        "--sdk-id",
        "s",
        "--method",
        "GET",
        "--url",
        "https://api.yoti.com/idverify/v1/x",
    ]);
    assert!(missing_key.unwrap_err().contains("/nonexistent.pem"));
    assert!(run(&["--help"]).unwrap().starts_with("usage:"));
}
