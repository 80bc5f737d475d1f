//! What several test files share.

use idv_api::ClientBuilder;
use idv_api::idv_signing::{Signer, SigningKey};

/// The committed test key (our own data: never use it for anything real).
pub const KEY: &str = include_str!("../../../idv-signing/tests/data/test-rsa2048-pkcs1.pem");

/// A client builder that signs for `base` as `sdk_id` with the test key.
pub fn builder(sdk_id: &str, base: &str) -> ClientBuilder {
    let key = SigningKey::from_pem(KEY).expect("the test key parses");
    idv_api::Client::builder(Signer::new(sdk_id, key, base).expect("a valid base URL"))
}
