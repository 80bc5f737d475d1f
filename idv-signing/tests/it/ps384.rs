//! PS384 (RSASSA-PSS, SHA-384, MGF1-SHA-384, 48-byte salt) on both backends, and the client
//! assertion built on it.
//!
//! PSS signatures are randomized, so there is no digest to compare: each signature is checked
//! by a verifier other than the code that made it. OpenSSL made the one in
//! `tests/data/ps384-assertion-openssl.jwt` (see `tests/data/README.md`).

use crate::common;

use base64::prelude::{BASE64_URL_SAFE_NO_PAD, Engine as _};
use common::{SDK_ID, key, read};
use idv_signing::{
    ASSERTION_LIFETIME_SECS, Backend, PublicKey, SigningKey, VerifyError, client_assertion,
};

const AUDIENCE: &str = "https://auth.api.yoti.com/v1/oauth/token";
const JTI: &str = "1c3a0a9e-7a4f-4d0e-9b59-5f3c2b7d8e10";
const IAT: u64 = 1_700_000_000;

fn public_key() -> PublicKey {
    PublicKey::from_pem(read("test-rsa2048-pub.pem")).unwrap()
}

/// A JWT's signing input (`header.claims`) and its decoded signature.
fn split(jwt: &str) -> (&str, Vec<u8>) {
    let (input, signature) = jwt.rsplit_once('.').unwrap();
    (input, BASE64_URL_SAFE_NO_PAD.decode(signature).unwrap())
}

/// A JWT part, decoded.
fn part(jwt: &str, index: usize) -> String {
    let part = jwt.split('.').nth(index).unwrap();
    String::from_utf8(BASE64_URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

#[test]
fn an_assertion_that_openssl_signed_verifies() {
    let jwt = String::from_utf8(read("ps384-assertion-openssl.jwt")).unwrap();
    let (input, signature) = split(jwt.trim());
    assert_eq!(
        public_key().verify_ps384(input.as_bytes(), &signature),
        Ok(())
    );
    // Our assertion for the same inputs has the same header and claims, byte for byte.
    let ours = client_assertion(&key(Backend::default()), SDK_ID, AUDIENCE, IAT, JTI).unwrap();
    assert_eq!(split(&ours).0, input);
}

#[test]
fn each_backend_signs_what_the_verifier_accepts_and_nothing_else() {
    let message = b"eyJhbGciOiJQUzM4NCJ9.eyJzdWIiOiJ4In0";
    for &backend in Backend::ALL {
        let key = key(backend);
        let signature = key.sign_ps384(message).unwrap();
        assert_eq!(signature.len(), 256, "{backend:?}");
        assert_eq!(public_key().verify_ps384(message, &signature), Ok(()));
        assert_eq!(key.public_key().verify_ps384(message, &signature), Ok(()));
        // Randomized: another signature of the same message, which verifies too.
        let again = key.sign_ps384(message).unwrap();
        assert_ne!(again, signature, "{backend:?}");
        assert_eq!(public_key().verify_ps384(message, &again), Ok(()));

        let mismatch = Err(VerifyError::Ps384Mismatch);
        assert_eq!(
            public_key().verify_ps384(b"another message", &signature),
            mismatch
        );
        let mut flipped = signature.clone();
        flipped[100] ^= 1;
        assert_eq!(public_key().verify_ps384(message, &flipped), mismatch);
        assert_eq!(
            public_key().verify_ps384(message, &signature[1..]),
            mismatch
        );
        // Not a PKCS#1 v1.5 signature, and not the digest the request signer makes.
        assert!(
            public_key()
                .verify_message(message, &base64_standard(&signature))
                .is_err()
        );
    }
}

fn base64_standard(bytes: &[u8]) -> String {
    base64::prelude::BASE64_STANDARD.encode(bytes)
}

#[test]
fn another_key_does_not_verify() {
    // The emulator tests' other key (a valid 2048-bit key that is not the test key).
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/tests/data/other-rsa2048.pem"
    );
    let other = SigningKey::from_pem_file(path).unwrap();
    let signature = other.sign_ps384(b"message").unwrap();
    assert_eq!(
        public_key().verify_ps384(b"message", &signature),
        Err(VerifyError::Ps384Mismatch)
    );
}

/// Each backend's signature checked by the other's library directly, not through this crate:
/// AWS-LC's by the `rsa` crate, the `rsa` crate's by AWS-LC.
#[cfg(feature = "aws-lc-rs")]
#[test]
fn each_backend_verifies_the_others_signature_in_its_own_library() {
    use rsa::pkcs8::DecodePublicKey as _;

    let message = b"header.claims";
    let pem = String::from_utf8(read("test-rsa2048-pub.pem")).unwrap();

    let by_aws_lc = key(Backend::AwsLc).sign_ps384(message).unwrap();
    let rsa_key = rsa::PublicKey::from_public_key_pem(&pem).unwrap();
    assert!(
        rsa_key
            .pss_verify::<sha2::Sha384>(message, &by_aws_lc)
            .is_ok()
    );

    let by_rsa = key(Backend::RustCrypto).sign_ps384(message).unwrap();
    let spki = read("test-rsa2048-pub.der");
    let aws_key = aws_lc_rs::signature::UnparsedPublicKey::new(
        &aws_lc_rs::signature::RSA_PSS_2048_8192_SHA384,
        &spki,
    );
    assert!(aws_key.verify(message, &by_rsa).is_ok());
}

#[test]
fn a_client_assertion_has_the_header_and_claims_the_official_sdks_send() {
    for &backend in Backend::ALL {
        let jwt = client_assertion(&key(backend), SDK_ID, AUDIENCE, IAT, JTI).unwrap();
        assert_eq!(jwt.split('.').count(), 3);
        assert!(!jwt.contains('='), "base64url without padding");
        assert_eq!(part(&jwt, 0), r#"{"alg":"PS384","typ":"JWT"}"#);
        assert_eq!(
            part(&jwt, 1),
            format!(
                r#"{{"iss":"sdk:{SDK_ID}","sub":"sdk:{SDK_ID}","jti":"{JTI}","aud":"{AUDIENCE}","exp":{},"iat":{IAT}}}"#,
                IAT + 300
            )
        );
        assert_eq!(ASSERTION_LIFETIME_SECS, 300);
        let (input, signature) = split(&jwt);
        assert_eq!(
            public_key().verify_ps384(input.as_bytes(), &signature),
            Ok(())
        );
    }
}

#[test]
fn claims_are_escaped_as_json() {
    let jwt = client_assertion(
        &key(Backend::default()),
        "a\"b\\c",
        "https://x/\u{1}",
        0,
        "j",
    )
    .unwrap();
    let claims: serde_json::Value = serde_json::from_str(&part(&jwt, 1)).unwrap();
    assert_eq!(claims["iss"], "sdk:a\"b\\c");
    assert_eq!(claims["aud"], "https://x/\u{1}");
    assert_eq!(claims["exp"], 300);
    // `exp` saturates rather than wrapping.
    let jwt = client_assertion(&key(Backend::default()), "s", "a", u64::MAX, "j").unwrap();
    let claims: serde_json::Value = serde_json::from_str(&part(&jwt, 1)).unwrap();
    assert_eq!(claims["exp"], u64::MAX);
}
