//! The official SDKs' vectors for our test key: exact messages and digests with every
//! backend and both PEM encodings of the key.

use crate::common;

use common::{BASE, NONCE, pinned_signer, vectors};
use idv_signing::{Backend, SigningKey, Url, signed_message, verify};

#[test]
fn there_are_twenty_five_named_vectors_all_for_our_key() {
    let vectors = vectors();
    assert_eq!(vectors.len(), 25);
    assert!(vectors.iter().all(|v| v.key == "test-rsa2048-pkcs1.pem"));
    let mut names: Vec<_> = vectors.iter().map(|v| v.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 25, "names are unique");
}

#[test]
fn every_vector_gives_its_message_and_digest_with_every_backend_and_encoding() {
    let vectors = vectors();
    for encoding in ["test-rsa2048-pkcs1.pem", "test-rsa2048-pkcs8.pem"] {
        for &backend in Backend::ALL {
            let key = SigningKey::from_pem_with_backend(common::read(encoding), backend).unwrap();
            assert_eq!(key.backend(), backend);
            for v in &vectors {
                let context = format!("{} with {encoding} and {backend:?}", v.name);
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

/// Through the whole signer, from the URL a client builds (no `sdkId`, no nonce, no
/// timestamp): every vector, so every operation of the spec, gives the official SDKs' URL,
/// message and digest. The signer adds `sdkId` where they do, and leaves it out where they do.
#[test]
fn the_signer_reproduces_every_vector_from_the_clients_url() {
    for &backend in Backend::ALL {
        for v in vectors() {
            assert_eq!(
                (v.nonce.as_str(), v.timestamp.as_str()),
                (NONCE, "1700000000123")
            );
            let signer = pinned_signer(backend, BASE);
            let query = v.client_query();
            let separator = if query.is_empty() { "" } else { "?" };
            let url = Url::parse(&format!("{BASE}{}{separator}{query}", v.path)).unwrap();
            let parts = signer.sign_parts(&v.method, &url, v.body()).unwrap();
            assert_eq!(
                parts.url.as_str(),
                format!("{BASE}{}", v.path_and_query()),
                "{}",
                v.name
            );
            assert_eq!(parts.message, v.signed_message, "{}", v.name);
            assert_eq!(parts.digest, v.digest, "{} with {backend:?}", v.name);
        }
    }
}
