//! Signing conformance against other projects' data, read from `shared/conformance` at test
//! time and never copied here: the official SDKs' vectors for their test key
//! (`yoti-sdk-test.pem`), and the fixed vectors from the SDK repositories' own tests.
//! Without that folder these tests skip with a message (and fail under `CI=true`).

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use idv_signing::{Backend, PublicKey, Signer, SigningKey, Url, signed_message, verify};
use serde_json::Value;

/// The SDK id in every vector's query.
const SDK_ID: &str = "a1b2c3d4-e5f6-7890-abcd-ef0123456789";

/// The query a client puts in its URL: the SDKs' query without the `sdkId`, which the signer
/// adds itself.
fn client_query(query_in: &str) -> String {
    let kept: Vec<&str> = query_in
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("sdkId="))
        .collect();
    kept.join("&")
}

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
    let Some(dir) = idv_tests::conformance_dir("official_sdk_vectors_for_the_sdk_test_key") else {
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

            // Through the whole signer too, from the URL a client builds: the signer adds
            // the sdkId where the SDKs did, and leaves it out where they did.
            let nonce = field(v, "nonce").to_owned();
            let timestamp: u64 = field(v, "timestamp").parse().unwrap();
            let base = "https://api.yoti.com/idverify/v1";
            let key = SigningKey::from_pem_with_backend(sdk_test_pem(&dir), key.backend()).unwrap();
            let signer = Signer::new(SDK_ID, key, base)
                .unwrap()
                .with_nonce_source(move || nonce.clone())
                .with_clock(move || timestamp);
            let url = Url::parse(&format!("{base}{path}?{}", client_query(query_in))).unwrap();
            let parts = signer.sign_parts(method, &url, body).unwrap();
            assert_eq!(
                (parts.message.as_str(), parts.digest.as_str()),
                (field(v, "signed_message"), field(v, "digest")),
                "{context}"
            );
        }
    }
}

#[test]
fn sdk_repository_signature_vectors() {
    let Some(dir) = idv_tests::conformance_dir("sdk_repository_signature_vectors") else {
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
    let Some(dir) = idv_tests::conformance_dir("go_sdk_message_vector") else {
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

/// A vector's body: `body`, or `body_base64` for a body that is not text (the multipart upload).
fn body(v: &Value) -> Option<Vec<u8>> {
    if let Some(encoded) = v.get("body_base64").and_then(Value::as_str) {
        return Some(STANDARD.decode(encoded).expect("body_base64 is base64"));
    }
    v["body"].as_str().map(|body| body.as_bytes().to_vec())
}

/// The project's own vectors (`idv-signing/tests/data/official-sdk-vectors.json`, made by the
/// official Node, Python and Java SDKs with our test key) cover every operation of `spec/idv.yaml`,
/// and the signer reproduces each one from the URL the generated client builds: the SDKs' URL,
/// message and digest, with `sdkId` exactly where they send it.
#[test]
fn every_operation_of_the_spec_signs_as_the_official_sdks_do() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec: serde_yaml::Value =
        serde_yaml::from_slice(&std::fs::read(root.join("spec/idv.yaml")).unwrap()).unwrap();
    let data = root.join("idv-signing/tests/data");
    let vectors: Vec<Value> =
        serde_json::from_slice(&std::fs::read(data.join("official-sdk-vectors.json")).unwrap())
            .unwrap();
    let pem = std::fs::read(data.join("test-rsa2048-pkcs1.pem")).unwrap();

    let mut operations = Vec::new();
    for (path, item) in spec["paths"].as_mapping().expect("paths") {
        for (method, operation) in item.as_mapping().expect("path item") {
            if let Some(id) = operation.get("operationId").and_then(|id| id.as_str()) {
                let method = method.as_str().unwrap().to_uppercase();
                operations.push((id.to_owned(), method, path.as_str().unwrap().to_owned()));
            }
        }
    }
    assert_eq!(operations.len(), 20, "{operations:?}");

    for (id, method, template) in &operations {
        let of_operation: Vec<&Value> = vectors
            .iter()
            .filter(|v| field(v, "operation") == id)
            .collect();
        assert!(!of_operation.is_empty(), "no vector for {id}");
        for v in of_operation {
            let name = field(v, "name");
            let path = field(v, "path");
            assert_eq!(field(v, "method"), method, "{name}");
            assert!(
                matches_template(template, path),
                "{name}: {path} vs {template}"
            );
            // The SDKs send sdkId everywhere but on these two paths.
            let sdk_id_expected =
                !(template == "/supported-documents" || template.starts_with("/apps/{sdkId}/"));
            assert_eq!(
                field(v, "query_in").contains("sdkId="),
                sdk_id_expected,
                "{name}"
            );
            for &backend in Backend::ALL {
                let nonce = field(v, "nonce").to_owned();
                let timestamp: u64 = field(v, "timestamp").parse().unwrap();
                let base = "https://api.yoti.com/sandbox/idverify/v1";
                let key = SigningKey::from_pem_with_backend(&pem, backend).unwrap();
                let signer = Signer::new(SDK_ID, key, base)
                    .unwrap()
                    .with_nonce_source(move || nonce.clone())
                    .with_clock(move || timestamp);
                let query = client_query(field(v, "query_in"));
                let separator = if query.is_empty() { "" } else { "?" };
                let url = Url::parse(&format!("{base}{path}{separator}{query}")).unwrap();
                let body = body(v);
                let parts = signer.sign_parts(method, &url, body.as_deref()).unwrap();
                assert_eq!(parts.message, field(v, "signed_message"), "{name}");
                assert_eq!(parts.digest, field(v, "digest"), "{name} with {backend:?}");
            }
        }
    }
}

/// The face capture image upload's body is the multipart bytes that the official Node SDK built
/// (form-data, with its boundary randomness pinned): our client's builder makes exactly those
/// bytes, and the same `Content-Type`, from the same image and boundary, so the signature over
/// them is the SDK's (checked above for every vector).
#[test]
fn the_face_capture_upload_is_framed_byte_for_byte_as_the_node_sdk_frames_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let vectors: Vec<Value> = serde_json::from_slice(
        &std::fs::read(root.join("idv-signing/tests/data/official-sdk-vectors.json")).unwrap(),
    )
    .unwrap();
    let node = vectors
        .iter()
        .find(|v| field(v, "operation") == "uploadFaceCaptureImage")
        .expect("the Node SDK's upload vector");
    let content_type = field(node, "content_type");
    let (_, boundary) = content_type.split_once("boundary=").unwrap();
    // The 1x1 PNG that `official-sdks/node-ops.js` uploads.
    let png = STANDARD
        .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==")
        .unwrap();
    let ours = idv_api::face_capture::FaceCaptureImage::with_boundary(boundary, "image/png", &png)
        .unwrap();
    assert_eq!(ours.content_type(), content_type);
    assert_eq!(ours.body(), body(node).unwrap().as_slice());
}

/// Whether `path` is `template` with each `{parameter}` filled by one non-empty segment.
fn matches_template(template: &str, path: &str) -> bool {
    let (template, path): (Vec<_>, Vec<_>) =
        (template.split('/').collect(), path.split('/').collect());
    template.len() == path.len()
        && template
            .iter()
            .zip(&path)
            .all(|(t, p)| t == p || (t.starts_with('{') && t.ends_with('}') && !p.is_empty()))
}

/// The emulator is as lenient as the API: on the two operations where the official SDKs send
/// no `sdkId`, it accepts requests with it (as this crate sent before) and without it.
#[tokio::test]
async fn the_emulator_accepts_both_forms_where_the_sdks_send_no_sdk_id() {
    let emulator = idv_emulator::Emulator::start().await.unwrap();
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let app = format!("/apps/{}/response-config", emulator.sdk_id());
    for (path, query) in [
        ("/supported-documents", "includeNonLatin=true&"),
        ("/supported-documents", ""),
        (app.as_str(), ""),
    ] {
        for sdk_id in [String::new(), format!("sdkId={}&", emulator.sdk_id())] {
            let path_and_query = format!(
                "{path}?{query}{sdk_id}nonce={}&timestamp={seconds}",
                uuid::Uuid::new_v4()
            );
            let response = crate::signed_as_an_sdk(&emulator, "GET", &path_and_query, None)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "{path_and_query}");
        }
    }
}
