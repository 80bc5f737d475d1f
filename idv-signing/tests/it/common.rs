//! Shared by the test modules: test data, the vectors and a pinned signer.

use std::path::PathBuf;

use idv_signing::{Backend, Signer, SigningKey};

pub const SDK_ID: &str = "a1b2c3d4-e5f6-7890-abcd-ef0123456789";
pub const NONCE: &str = "5f0c4a3e-7d1b-4c2a-9e8f-0123456789ab";
/// The vectors' pinned timestamp (milliseconds in the vectors; opaque to the signature).
pub const TIMESTAMP: u64 = 1_700_000_000_123;
pub const BASE: &str = "https://api.yoti.com/idverify/v1";
pub const SANDBOX_BASE: &str = "https://api.yoti.com/sandbox/idverify/v1";

pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

pub fn read(name: &str) -> Vec<u8> {
    std::fs::read(data(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub fn key(backend: Backend) -> SigningKey {
    SigningKey::from_pem_with_backend(read("test-rsa2048-pkcs1.pem"), backend).expect("test key")
}

/// A signer with the vectors' SDK id, nonce and timestamp.
pub fn pinned_signer(backend: Backend, base: &str) -> Signer {
    Signer::new(SDK_ID, key(backend), base)
        .expect("signer")
        .with_clock(|| TIMESTAMP)
        .with_nonce_source(|| NONCE.to_owned())
}

/// One entry of `official-sdk-vectors.json`.
#[derive(Debug, serde::Deserialize)]
pub struct Vector {
    /// Unique: the operation, and what sets this vector apart from the operation's others.
    pub name: String,
    pub key: String,
    pub method: String,
    pub path: String,
    pub query_in: String,
    pub body: Option<String>,
    /// A body that is not text (the multipart face capture upload), in standard base64.
    pub body_base64: Option<String>,
    /// `body` or the decoded `body_base64`, filled in by [`vectors`].
    #[serde(skip)]
    pub body_bytes: Option<Vec<u8>>,
    pub nonce: String,
    pub timestamp: String,
    pub signed_message: String,
    pub digest: String,
}

impl Vector {
    /// The path and query the SDKs signed: the caller's query, then nonce and timestamp.
    pub fn path_and_query(&self) -> String {
        let separator = if self.query_in.is_empty() { "" } else { "&" };
        format!(
            "{}?{}{separator}nonce={}&timestamp={}",
            self.path, self.query_in, self.nonce, self.timestamp
        )
    }

    /// The query of the URL a client builds: the SDKs' query without the `sdkId`, which the
    /// signer adds itself.
    pub fn client_query(&self) -> String {
        self.query_in
            .split('&')
            .filter(|pair| !pair.is_empty() && !pair.starts_with("sdkId="))
            .collect::<Vec<_>>()
            .join("&")
    }

    pub fn body(&self) -> Option<&[u8]> {
        self.body_bytes.as_deref()
    }
}

pub fn vectors() -> Vec<Vector> {
    use base64::Engine as _;
    let mut vectors: Vec<Vector> =
        serde_json::from_slice(&read("official-sdk-vectors.json")).expect("vectors parse");
    for v in &mut vectors {
        v.body_bytes = match (&v.body, &v.body_base64) {
            (Some(text), None) => Some(text.as_bytes().to_vec()),
            (None, Some(encoded)) => Some(
                base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .expect("body_base64 is base64"),
            ),
            (None, None) => None,
            (Some(_), Some(_)) => panic!("{}: both body and body_base64", v.name),
        };
    }
    vectors
}

/// The vector called `name`.
pub fn vector(name: &str) -> Vector {
    vectors()
        .into_iter()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("no vector named `{name}`"))
}
