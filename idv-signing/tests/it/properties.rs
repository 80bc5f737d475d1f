//! Properties over arbitrary input: nothing panics, sign-then-verify round-trips, and any
//! change to the digest, the body or a query value fails verification.
//!
//! Case counts are modest: each signing case costs an RSA signature.

use crate::common;

use std::sync::LazyLock;

use common::BASE;
use idv_signing::{
    Backend, PublicKey, SignedParts, Signer, SigningKey, Url, signed_message, verify,
};
use proptest::prelude::*;

static SIGNER: LazyLock<Signer> =
    LazyLock::new(|| Signer::new(common::SDK_ID, common::key(Backend::default()), BASE).unwrap());
static PUBLIC: LazyLock<PublicKey> = LazyLock::new(|| SIGNER.key().public_key());

/// What a server under `/idverify/v1` would verify: the path below the base, and the query.
fn received_path_and_query(parts: &SignedParts) -> String {
    let path = parts.url.path().strip_prefix("/idverify/v1").unwrap();
    format!("{path}?{}", parts.url.query().unwrap())
}

fn method() -> impl Strategy<Value = String> {
    prop_oneof![
        "GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS",
        "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}",
        ".{0,12}"
    ]
}

fn body() -> impl Strategy<Value = Option<Vec<u8>>> {
    proptest::option::of(proptest::collection::vec(any::<u8>(), 0..300))
}

const SIGNING_PARAMETERS: [&str; 3] = ["sdkId", "nonce", "timestamp"];

/// How many times each of `sdkId`, `nonce` and `timestamp` is in `url`'s query.
fn signing_parameter_counts(url: &Url) -> [usize; 3] {
    SIGNING_PARAMETERS.map(|name| url.query_pairs().filter(|(k, _)| k == name).count())
}

/// A request URL under the base, from arbitrary path and query text (the URL parser encodes
/// what needs encoding, as reqwest's would), without the parameters that the signer adds.
fn url_under_base() -> impl Strategy<Value = Url> {
    ("(/[^?#]{0,16}){0,4}", proptest::option::of("[^#]{0,40}")).prop_filter_map(
        "unparseable URL, or one with a signing parameter",
        |(path, query)| {
            let query = query.map(|q| format!("?{q}")).unwrap_or_default();
            Url::parse(&format!("{BASE}{path}{query}"))
                .ok()
                .filter(|url| signing_parameter_counts(url) == [0; 3])
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn sign_then_verify_round_trips(method in method(), url in url_under_base(), body in body()) {
        let parts = SIGNER.sign_parts(&method, &url, body.as_deref()).unwrap();
        let path_and_query = received_path_and_query(&parts);
        prop_assert_eq!(&parts.message, &signed_message(&method, &path_and_query, body.as_deref()));
        prop_assert_eq!(verify(&PUBLIC, &method, &path_and_query, body.as_deref(), &parts.digest), Ok(()));
    }

    #[test]
    fn a_changed_digest_body_or_query_value_fails(
        url in url_under_base(),
        body in proptest::collection::vec(any::<u8>(), 1..300),
        position in any::<prop::sample::Index>(),
    ) {
        let parts = SIGNER.sign_parts("POST", &url, Some(&body)).unwrap();
        let path_and_query = received_path_and_query(&parts);
        let check = |pq: &str, body: &[u8], digest: &str| verify(&PUBLIC, "POST", pq, Some(body), digest);
        prop_assert!(check(&path_and_query, &body, &parts.digest).is_ok());

        // A corrupted digest: one base64 character changed (the padding is left alone).
        let mut digest = parts.digest.clone().into_bytes();
        let i = position.index(digest.len() - 4);
        digest[i] = if digest[i] == b'A' { b'B' } else { b'A' };
        prop_assert!(check(&path_and_query, &body, std::str::from_utf8(&digest).unwrap()).is_err());

        // A changed body byte.
        let mut changed = body.clone();
        let i = position.index(changed.len());
        changed[i] ^= 1;
        prop_assert!(check(&path_and_query, &changed, &parts.digest).is_err());

        // A changed query value: the timestamp, which ends the query.
        let timestamp = path_and_query.rsplit('=').next().unwrap();
        let later = format!("{}{}", path_and_query.strip_suffix(timestamp).unwrap(), timestamp.parse::<u64>().unwrap() + 1);
        prop_assert!(check(&later, &body, &parts.digest).is_err());
    }

    #[test]
    fn both_backends_give_identical_digests(message in proptest::collection::vec(any::<u8>(), 0..200)) {
        let digests: Vec<String> = KEYS.iter().map(|key| key.sign(&message).unwrap()).collect();
        prop_assert!(digests.windows(2).all(|pair| pair[0] == pair[1]));
    }
}

static KEYS: LazyLock<Vec<SigningKey>> =
    LazyLock::new(|| Backend::ALL.iter().map(|&b| common::key(b)).collect());

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Any method and any URL, inside the base or not: a result, never a panic.
    #[test]
    fn arbitrary_requests_never_panic(
        method in method(),
        prefix in prop::sample::select(vec![BASE, "https://api.yoti.com", "http://127.0.0.1:1/idverify/v1", "https://[::1]", "", "data:"]),
        tail in "\\PC{0,40}|/[a-z]{0,8}\\?((sdkId|nonce|timestamp|%6Eonce|[a-z]{1,5})=[^&#]{0,4}&?){0,4}",
        body in body(),
    ) {
        let url = format!("{prefix}{tail}");
        if let Ok(url) = Url::parse(&url) {
            // And a signed URL has each signing parameter once (sdkId at most once).
            if let Ok(parts) = SIGNER.sign_parts(&method, &url, body.as_deref()) {
                let [sdk_id, nonce, timestamp] = signing_parameter_counts(&parts.url);
                prop_assert!(sdk_id <= 1 && nonce == 1 && timestamp == 1, "{}", parts.url);
            }
        }
        let _ = signed_message(&method, &url, body.as_deref());
    }

    #[test]
    fn arbitrary_digests_never_panic(digest in "\\PC{0,400}", pq in "\\PC{0,40}") {
        prop_assert!(verify(&PUBLIC, "GET", &pq, None, &digest).is_err());
    }

    #[test]
    fn arbitrary_key_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = SigningKey::from_der(&bytes);
        let _ = SigningKey::from_pem(&bytes);
        let _ = PublicKey::from_der(&bytes);
        let _ = PublicKey::from_pem(&bytes);
    }

    /// PEM-like text made of the pieces the block finder looks for.
    #[test]
    fn arbitrary_pem_like_text_never_panics(
        text in "(-----BEGIN |-----END |-----|RSA |PRIVATE KEY|PUBLIC KEY|CERTIFICATE|Proc-Type: 4,ENCRYPTED|\r?\n|[A-Za-z0-9+/=]{0,12}){0,24}"
    ) {
        for &backend in Backend::ALL {
            let _ = SigningKey::from_pem_with_backend(&text, backend);
        }
        let _ = PublicKey::from_pem(&text);
    }

    /// Mutations of a real key's DER: still no panic with either backend.
    #[test]
    fn mutated_key_der_never_panics(position in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<prop::sample::Index>()) {
        let mut der = common::read("test-rsa2048-pkcs8.der");
        let i = position.index(der.len());
        der[i] = byte;
        der.truncate(cut.index(der.len() + 1).max(i));
        for &backend in Backend::ALL {
            if let Ok(key) = SigningKey::from_der_with_backend(&der, backend) {
                let _ = key.sign(b"message");
            }
        }
    }
}
