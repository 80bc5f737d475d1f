//! Signing conformance against other projects' data, read from `shared/conformance` at test
//! time and never copied here: the official SDKs' vectors for their test key
//! (`yoti-sdk-test.pem`), and the fixed vectors from the SDK repositories' own tests.
//! Without that folder these tests skip with a message (and fail under `CI=true`).

use std::path::Path;

use idv_signing::{Backend, PublicKey, Signer, SigningKey, Url, signed_message, verify};
use serde_json::Value;

fn json(dir: &Path, file: &str) -> Vec<Value> {
    let text =
        std::fs::read(dir.join("signing").join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    serde_json::from_slice(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn field<'v>(value: &'v Value, name: &str) -> &'v str {
    value[name]
        .as_str()
        .unwrap_or_else(|| panic!("`{name}` missing in {value}"))
}

fn sdk_test_pem(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join("keys/yoti-sdk-test.pem")).expect("keys/yoti-sdk-test.pem")
}

/// The SDKs' test key, once with each backend.
fn sdk_test_keys(dir: &Path) -> Vec<SigningKey> {
    let pem = sdk_test_pem(dir);
    Backend::ALL
        .iter()
        .map(|&backend| {
            SigningKey::from_pem_with_backend(&pem, backend).expect("yoti-sdk-test.pem loads")
        })
        .collect()
}

#[test]
fn official_sdk_vectors_for_the_sdk_test_key() {
    let Some(dir) = idv_emulator::conformance::dir("official_sdk_vectors_for_the_sdk_test_key")
    else {
        return;
    };
    let vectors: Vec<Value> = json(&dir, "official-sdk-vectors.json")
        .into_iter()
        .filter(|v| field(v, "key") == "yoti-sdk-test.pem")
        .collect();
    assert_eq!(vectors.len(), 13);
    for key in sdk_test_keys(&dir) {
        for v in &vectors {
            let (method, path, query_in) =
                (field(v, "method"), field(v, "path"), field(v, "query_in"));
            let body = v["body"].as_str().map(str::as_bytes);
            let separator = if query_in.is_empty() { "" } else { "&" };
            let path_and_query = format!(
                "{path}?{query_in}{separator}nonce={}&timestamp={}",
                field(v, "nonce"),
                field(v, "timestamp")
            );
            let context = format!("{method} {path}?{query_in} with {:?}", key.backend());
            let message = signed_message(method, &path_and_query, body);
            assert_eq!(message, field(v, "signed_message"), "message for {context}");
            assert_eq!(
                key.sign(message.as_bytes()).unwrap(),
                field(v, "digest"),
                "digest for {context}"
            );
            verify(
                &key.public_key(),
                method,
                &path_and_query,
                body,
                field(v, "digest"),
            )
            .unwrap();

            // Through the whole signer too, when the caller's query already has the sdkId.
            if query_in.contains("sdkId=") {
                let nonce = field(v, "nonce").to_owned();
                let timestamp: u64 = field(v, "timestamp").parse().unwrap();
                let base = "https://api.yoti.com/idverify/v1";
                let key =
                    SigningKey::from_pem_with_backend(sdk_test_pem(&dir), key.backend()).unwrap();
                let signer = Signer::new("unused", key, base)
                    .unwrap()
                    .with_nonce_source(move || nonce.clone())
                    .with_clock(move || timestamp);
                let url = Url::parse(&format!("{base}{path}?{query_in}")).unwrap();
                let parts = signer.sign_parts(method, &url, body).unwrap();
                assert_eq!(
                    (parts.message.as_str(), parts.digest.as_str()),
                    (field(v, "signed_message"), field(v, "digest")),
                    "{context}"
                );
            }
        }
    }
}

#[test]
fn sdk_repository_signature_vectors() {
    let Some(dir) = idv_emulator::conformance::dir("sdk_repository_signature_vectors") else {
        return;
    };
    let vectors: Vec<Value> = json(&dir, "sdk-repo-vectors.json")
        .into_iter()
        .filter(|v| v.get("digest").is_some())
        .collect();
    assert_eq!(vectors.len(), 3);
    for key in sdk_test_keys(&dir) {
        let public_key: PublicKey = key.public_key();
        for v in &vectors {
            let message = field(v, "message");
            assert_eq!(
                key.sign(message.as_bytes()).unwrap(),
                field(v, "digest"),
                "{message} with {:?}",
                key.backend()
            );
            public_key
                .verify_message(message.as_bytes(), field(v, "digest"))
                .unwrap();
            assert!(
                public_key
                    .verify_message(format!("{message} ").as_bytes(), field(v, "digest"))
                    .is_err()
            );
        }
    }
    // The POST vector's message is built from its body as the signer builds it.
    let post = vectors
        .iter()
        .find(|v| v.get("body").is_some())
        .expect("the AML POST vector");
    let message = field(post, "message");
    let (head, _) = message.rsplit_once('&').unwrap();
    let (method, path_and_query) = head.split_once('&').unwrap();
    assert_eq!(
        signed_message(method, path_and_query, Some(field(post, "body").as_bytes())),
        message
    );
}

#[test]
fn go_sdk_message_vector() {
    let Some(dir) = idv_emulator::conformance::dir("go_sdk_message_vector") else {
        return;
    };
    let vectors = json(&dir, "sdk-repo-vectors.json");
    let go = vectors
        .iter()
        .find(|v| v.get("endpoint").is_some())
        .expect("the Go vector");
    let message = signed_message(
        field(go, "method"),
        field(go, "endpoint"),
        Some(field(go, "body").as_bytes()),
    );
    assert_eq!(message, field(go, "message"));
}
