//! The official SDKs' vectors for our test key: exact messages and digests with every
//! backend and both PEM encodings of the key.

mod common;

use common::{BASE, NONCE, TIMESTAMP, vectors};
use idv_signing::{Backend, SigningKey, Url, signed_message, verify};

#[test]
fn there_are_thirteen_vectors_all_for_our_key() {
    let vectors = vectors();
    assert_eq!(vectors.len(), 13);
    assert!(vectors.iter().all(|v| v.key == "test-rsa2048-pkcs1.pem"));
}

#[test]
fn every_vector_gives_its_message_and_digest_with_every_backend_and_encoding() {
    let vectors = vectors();
    for encoding in ["test-rsa2048-pkcs1.pem", "test-rsa2048-pkcs8.pem"] {
        for &backend in Backend::ALL {
            let key = SigningKey::from_pem_with_backend(common::read(encoding), backend).unwrap();
            assert_eq!(key.backend(), backend);
            for v in &vectors {
                let context = format!("{} with {encoding} and {backend:?}", v.name());
                let message = signed_message(&v.method, &v.path_and_query(), v.body());
                assert_eq!(message, v.signed_message, "message for {context}");
                assert_eq!(
                    key.sign(message.as_bytes()).unwrap(),
                    v.digest,
                    "digest for {context}"
                );
                verify(
                    &key.public_key(),
                    &v.method,
                    &v.path_and_query(),
                    v.body(),
                    &v.digest,
                )
                .unwrap_or_else(|e| panic!("verify {context}: {e}"));
            }
        }
    }
}

/// Through the whole signer, from a request URL: the vectors whose caller already put
/// `sdkId` in the query (the signer then adds only `nonce` and `timestamp`, as the SDKs did).
#[test]
fn the_signer_reproduces_every_vector_that_has_an_sdk_id() {
    let vectors = vectors();
    let with_sdk_id: Vec<_> = vectors
        .iter()
        .filter(|v| v.query_in.contains("sdkId="))
        .collect();
    assert_eq!(with_sdk_id.len(), 9);
    for &backend in Backend::ALL {
        // A different SDK id: the one in the URL wins.
        let signer = idv_signing::Signer::new("not-used", common::key(backend), BASE)
            .unwrap()
            .with_clock(|| TIMESTAMP)
            .with_nonce_source(|| NONCE.to_owned());
        for v in &with_sdk_id {
            assert_eq!(
                (v.nonce.as_str(), v.timestamp.as_str()),
                (NONCE, "1700000000123")
            );
            let url = Url::parse(&format!("{BASE}{}?{}", v.path, v.query_in)).unwrap();
            let parts = signer.sign_parts(&v.method, &url, v.body()).unwrap();
            assert_eq!(
                parts.url.as_str(),
                format!("{BASE}{}", v.path_and_query()),
                "{}",
                v.name()
            );
            assert_eq!(parts.message, v.signed_message, "{}", v.name());
            assert_eq!(parts.digest, v.digest, "{} with {backend:?}", v.name());
        }
    }
}
