//! One line gives a signed production or sandbox client, from arguments or from the
//! conventional environment variables; each thing that can be wrong says what to do.
//!
//! One test function, because it sets process environment variables.

use idv_api::idv_signing::KeyError;
use idv_api::{Client, ClientError, KEY_FILE_ENV, PRODUCTION_URL, SANDBOX_URL, SDK_ID_ENV};

const KEY_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../idv-signing/tests/data/test-rsa2048-pkcs1.pem"
);

#[test]
fn constructors_pick_the_base_url_and_report_what_is_missing() {
    assert_eq!(
        Client::production("sdk-id", KEY_FILE).unwrap().base_url(),
        PRODUCTION_URL
    );
    assert_eq!(
        Client::sandbox("sdk-id", KEY_FILE).unwrap().base_url(),
        SANDBOX_URL
    );
    let local = Client::from_key_file("http://127.0.0.1:8080/", "sdk-id", KEY_FILE).unwrap();
    assert_eq!(
        local.base_url(),
        "http://127.0.0.1:8080",
        "no trailing slash, so paths join cleanly"
    );

    // No part of the key shows in the client's Debug output.
    let pem = std::fs::read_to_string(KEY_FILE).unwrap();
    let shown = format!("{:?}", Client::sandbox("sdk-id", KEY_FILE).unwrap());
    for line in pem.lines().filter(|l| !l.starts_with("-----")) {
        assert!(!shown.contains(line), "key material in Debug: {shown}");
    }

    let missing = Client::sandbox("sdk-id", "/no/such/key.pem").unwrap_err();
    assert!(
        matches!(missing, ClientError::Key(KeyError::File { .. })),
        "{missing:?}"
    );
    assert!(
        missing.to_string().contains("/no/such/key.pem"),
        "{missing}"
    );

    let empty_id = Client::sandbox("", KEY_FILE).unwrap_err();
    assert!(matches!(empty_id, ClientError::Signer(_)), "{empty_id:?}");

    // SAFETY: this test binary has one test, so nothing reads the environment concurrently.
    unsafe {
        std::env::remove_var(SDK_ID_ENV);
        std::env::set_var(KEY_FILE_ENV, KEY_FILE);
    }
    let err = Client::from_env(SANDBOX_URL).unwrap_err();
    assert!(
        matches!(err, ClientError::MissingEnv { name: SDK_ID_ENV }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("YOTI_CLIENT_SDK_ID is not set"),
        "{err}"
    );

    unsafe { std::env::set_var(SDK_ID_ENV, "sdk-id") };
    assert_eq!(
        Client::from_env(SANDBOX_URL).unwrap().base_url(),
        SANDBOX_URL
    );

    // The Node SDK's base URL variable, when set, wins over the argument.
    unsafe { std::env::set_var(idv_api::API_URL_ENV, "http://127.0.0.1:9/idverify/v1\n") };
    assert_eq!(
        Client::from_env(SANDBOX_URL).unwrap().base_url(),
        "http://127.0.0.1:9/idverify/v1"
    );
    unsafe { std::env::remove_var(idv_api::API_URL_ENV) };

    unsafe { std::env::set_var(KEY_FILE_ENV, "  ") };
    let err = Client::from_env(SANDBOX_URL).unwrap_err();
    assert!(
        matches!(err, ClientError::MissingEnv { name: KEY_FILE_ENV }),
        "{err:?}"
    );
}
