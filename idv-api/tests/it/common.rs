//! What several test modules share.

use idv_api::ClientBuilder;
use idv_api::idv_signing::{Signer, SigningKey};

/// The committed test key (our own data: never use it for anything real).
pub const KEY: &str = include_str!("../../../idv-signing/tests/data/test-rsa2048-pkcs1.pem");

/// Another committed key, which no server in the tests knows: what signs as someone else.
pub const OTHER_KEY: &str = include_str!("../../../tests/tests/data/other-rsa2048.pem");

/// A client builder that signs for `base` as `sdk_id` with the test key.
pub fn builder(sdk_id: &str, base: &str) -> ClientBuilder {
    let key = SigningKey::from_pem(KEY).expect("the test key parses");
    idv_api::Client::builder(Signer::new(sdk_id, key, base).expect("a valid base URL"))
}

/// Starts `app` on 127.0.0.1 and returns its address, e.g. `127.0.0.1:49152`.
pub async fn serve(app: axum::Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// Starts `app` on 127.0.0.1 and returns the production base URL on it.
pub async fn serve_api(app: axum::Router) -> String {
    format!("http://{}/idverify/v1", serve(app).await)
}
