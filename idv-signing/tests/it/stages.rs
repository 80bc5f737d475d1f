//! The signer checked stage by stage (in the style of aws-sigv4's tests): for each request,
//! the final URL (the query the signer adds), the message, and the digest, each on its own.
//!
//! Digests not found in `official-sdk-vectors.json` were computed with the `openssl` CLI
//! (see tests/data/README.md).

use crate::common;

use common::{BASE, NONCE, SANDBOX_BASE, SDK_ID, TIMESTAMP, pinned_signer, vector};
use idv_signing::{Backend, SignError, Url, signed_message};

const SESSION: &str = "8f6a9b1c-2d3e-4f50-8a9b-0c1d2e3f4a5b";

struct Case<'a> {
    method: &'a str,
    base: &'a str,
    url: String,
    body: Option<&'a [u8]>,
    final_url: String,
    message: String,
    digest: String,
}

/// Checks each stage of `case`, with every backend.
fn check(case: &Case<'_>) {
    for &backend in Backend::ALL {
        let signer = pinned_signer(backend, case.base);
        let url = Url::parse(&case.url).unwrap();
        let parts = signer.sign_parts(case.method, &url, case.body).unwrap();
        // Stage 1: the query parameters appended to the URL.
        assert_eq!(parts.url.as_str(), case.final_url, "URL of {}", case.url);
        // Stage 2: the message, from the method, the path below the base, the query and the body.
        assert_eq!(parts.message, case.message, "message of {}", case.url);
        // Stage 3: the digest of that message.
        assert_eq!(
            parts.digest, case.digest,
            "digest of {} with {backend:?}",
            case.url
        );
        // And the stages agree with the pure functions.
        let relative = parts.url.as_str().strip_prefix(case.base).unwrap();
        assert_eq!(
            signed_message(case.method, relative, case.body),
            parts.message
        );
        assert_eq!(
            signer.key().sign(parts.message.as_bytes()).unwrap(),
            parts.digest
        );
    }
}

fn added() -> String {
    format!("sdkId={SDK_ID}&nonce={NONCE}&timestamp={TIMESTAMP}")
}

#[test]
fn get() {
    let v = &vector("getSession");
    check(&Case {
        method: "GET",
        base: BASE,
        url: format!("{BASE}/sessions/{SESSION}"),
        body: None,
        final_url: format!("{BASE}/sessions/{SESSION}?{}", added()),
        message: format!("GET&/sessions/{SESSION}?{}", added()),
        digest: v.digest.clone(),
    });
    assert_eq!(
        v.signed_message,
        format!("GET&/sessions/{SESSION}?{}", added())
    );
}

#[test]
fn post_with_a_body() {
    let v = &vector("createSession");
    let body = v.body.as_deref().unwrap();
    check(&Case {
        method: "POST",
        base: BASE,
        url: format!("{BASE}/sessions"),
        body: Some(body.as_bytes()),
        final_url: format!("{BASE}/sessions?{}", added()),
        message: format!(
            "POST&/sessions?{}&eyJjbGllbnRfc2Vzc2lvbl90b2tlbl90dGwiOjYwMCwicmVzb3VyY2VzX3R0bCI6OTAwMDAsInVzZXJfdHJhY2tpbmdfaWQiOiJ1c2VyLTEyMyJ9",
            added()
        ),
        digest: v.digest.clone(),
    });
}

#[test]
fn post_with_an_empty_body_has_no_trailing_ampersand() {
    let case = |body| {
        Case {
        method: "POST",
        base: BASE,
        url: format!("{BASE}/sessions"),
        body,
        final_url: format!("{BASE}/sessions?{}", added()),
        message: format!("POST&/sessions?{}", added()),
        digest: "NTOPmNeudkIDgs40ws83yi0XrV0cl4qNxaT4plmlCcjvOtQMxXhYHkz6TyAssTQMM0L4+Sz/JvX2jdRRNK3qKGKpXdFQhydrKU7fH1mul83Uw6LZ+hbAOAxzJiDmjEdTC7DPnLi5AvHkUIw0mx9AKzZlwnQDvGMjWdP+wzG2vlk1Uj2sd09LdU/3adT1gQtXtJuUv+ynpOzjmjRSrg7sVzCQlZ4ujt/nrtktx+9XylJ0UctLL3Q3BvrCQSwfDiuvmO5ZRabwqa4yMsrRhKlSmpmRsRiW4E3Sb36oBifFG6LUxq1dI0SPv97PDOdpPhzW6BZ2aXkVRbkq9DgdpgMTvg==".into(),
    }
    };
    check(&case(Some(b"")));
    check(&case(None));
}

#[test]
fn a_query_that_has_a_parameter_the_signer_adds_is_refused() {
    let signer = pinned_signer(Backend::default(), BASE);
    for (query, name) in [
        (format!("sdkId={SDK_ID}"), "sdkId"),
        ("nonce=n".to_owned(), "nonce"),
        ("a=1&timestamp=1".to_owned(), "timestamp"),
        // Compared as the API reads them: after percent-decoding.
        ("%6Eonce=n".to_owned(), "nonce"),
    ] {
        let url = Url::parse(&format!("{BASE}/sessions/{SESSION}?{query}")).unwrap();
        let error = signer.sign_parts("GET", &url, None).unwrap_err();
        assert!(
            matches!(error, SignError::ReservedQueryParameter { name: n } if n == name),
            "{query}: {error:?}"
        );
        assert!(error.to_string().contains(&format!("`{name}`")), "{error}");
    }
    // Names that only contain them are the caller's own.
    let url = Url::parse(&format!("{BASE}/sessions?nonces=1&my_timestamp=2")).unwrap();
    let parts = signer.sign_parts("GET", &url, None).unwrap();
    assert_eq!(
        parts.url.query(),
        Some(format!("nonces=1&my_timestamp=2&{}", added()).as_str())
    );
}

/// The official SDKs send no `sdkId` where the operation is not tied to an application, or
/// where the path names it; the signer matches them (and so their digests).
#[test]
fn no_sdk_id_on_supported_documents_and_app_paths() {
    for name in [
        "getSupportedDocuments",
        "getSupportedDocuments includeNonLatin",
        "getApplicationResponseConfig",
        "putApplicationResponseConfig",
    ] {
        let v = vector(name);
        assert!(!v.query_in.contains("sdkId"), "{name}");
        let query = v.client_query();
        let separator = if query.is_empty() { "" } else { "?" };
        check(&Case {
            method: &v.method,
            base: SANDBOX_BASE,
            url: format!("{SANDBOX_BASE}{}{separator}{query}", v.path),
            body: v.body(),
            final_url: format!("{SANDBOX_BASE}{}", v.path_and_query()),
            message: v.signed_message.clone(),
            digest: v.digest.clone(),
        });
    }
}

#[test]
fn percent_encoded_query_values_are_signed_as_sent() {
    let query = "user_tracking_id=a%20b%2Fc&name=Zo%C3%AB";
    let digest = "P9WPNQk9LDTx1CodnyvnJYDQjX9FqAbUdZMa4ShdE8LovyYFy5jxxmHX0/APgY3G5Eb/QsV/W8lcXHBScuK3132ZjRxgKCqUhVZYpGaNKG+7hwHDu/+Vl2HxrKgM5FOORNqgdoseEORa70eAKZQBXnpdvZEj4GjiNWrxerQWY5yG/CBII6en/I74XEC6jVzEmeGu3azf4Wrugt14QloyCUzilgCPsbt1T7eKJS9JGsj0McLaurBCBJbpy6+7xXeS8/VuVt9RbMirj8Z6rA9p8H3WiRPa+pcdEfeyxU9XRUzvuFbH7JducDweSZg3ZA+JJoHApd8KE6SErpgg/puGTQ==";
    // Given encoded, and given raw: the URL encodes the raw one as it goes on the wire, and
    // that is what is signed.
    for given in [query, "user_tracking_id=a b%2Fc&name=Zoë"] {
        check(&Case {
            method: "GET",
            base: BASE,
            url: format!("{BASE}/sessions?{given}"),
            body: None,
            final_url: format!("{BASE}/sessions?{query}&{}", added()),
            message: format!("GET&/sessions?{query}&{}", added()),
            digest: digest.into(),
        });
    }
}

#[test]
fn the_sandbox_base_path_is_not_signed() {
    let v = &vector("putSessionResponseConfig");
    let body = v.body.as_deref().unwrap();
    check(&Case {
        method: "PUT",
        base: SANDBOX_BASE,
        url: format!("{SANDBOX_BASE}{}", v.path),
        body: Some(body.as_bytes()),
        final_url: format!("{SANDBOX_BASE}{}", v.path_and_query()),
        message: v.signed_message.clone(),
        digest: v.digest.clone(),
    });
}

#[test]
fn a_loopback_base_with_a_trailing_slash_works_the_same() {
    let v = &vector("getSession");
    for base in [
        "http://127.0.0.1:8080/idverify/v1/",
        "http://127.0.0.1:8080/idverify/v1",
    ] {
        let signer = pinned_signer(Backend::default(), base);
        let url = Url::parse(&format!(
            "http://127.0.0.1:8080/idverify/v1/sessions/{SESSION}"
        ))
        .unwrap();
        let parts = signer.sign_parts("GET", &url, None).unwrap();
        assert_eq!(
            (parts.message.as_str(), parts.digest.as_str()),
            (v.signed_message.as_str(), v.digest.as_str())
        );
    }
}

#[test]
fn a_url_outside_the_base_is_an_error_naming_both_urls() {
    let signer = pinned_signer(Backend::default(), BASE);
    for outside in [
        "https://api.yoti.com/sandbox/idverify/v1/sessions", // another base path
        "https://api.yoti.com/idverify/v10/sessions",        // not on a segment boundary
        "https://api.yoti.com/idverify",                     // above the base
        "http://api.yoti.com/idverify/v1/sessions",          // another scheme
        "https://api.yoti.com:8443/idverify/v1/sessions",    // another port
        "https://evil.example/idverify/v1/sessions",         // another host
    ] {
        let url = Url::parse(outside).unwrap();
        let error = signer.sign_parts("GET", &url, None).unwrap_err();
        assert!(
            matches!(&error, SignError::OutsideBase { url, base } if url == outside && base == BASE),
            "{outside}: {error:?}"
        );
        let message = error.to_string();
        assert!(
            message.contains(outside) && message.contains(BASE),
            "{message}"
        );
    }
    // The base itself and the explicit default port are inside.
    for inside in [BASE, "https://api.yoti.com:443/idverify/v1/sessions"] {
        assert!(
            signer
                .sign_parts("GET", &Url::parse(inside).unwrap(), None)
                .is_ok(),
            "{inside}"
        );
    }
}

#[test]
fn the_default_signer_uses_fresh_uuid_nonces_and_the_clock_in_seconds() {
    let signer = idv_signing::Signer::new(SDK_ID, common::key(Backend::default()), BASE).unwrap();
    let url = Url::parse(&format!("{BASE}/sessions")).unwrap();
    let query = |parts: &idv_signing::SignedParts| -> Vec<(String, String)> {
        parts
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    };
    let (first, second) = (
        signer.sign_parts("GET", &url, None).unwrap(),
        signer.sign_parts("GET", &url, None).unwrap(),
    );
    let (first, second) = (query(&first), query(&second));
    let names: Vec<_> = first.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["sdkId", "nonce", "timestamp"]);
    let nonce = &first[1].1;
    let parsed = uuid::Uuid::parse_str(nonce).unwrap();
    assert_eq!(
        (parsed.get_version_num(), nonce.clone()),
        (4, parsed.hyphenated().to_string())
    );
    assert_eq!(nonce.to_lowercase(), *nonce);
    assert_ne!(first[1].1, second[1].1, "a fresh nonce every time");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let timestamp: u64 = first[2].1.parse().unwrap();
    // Seconds, not milliseconds: within a day of now.
    assert!(timestamp.abs_diff(now) < 86_400, "{timestamp} vs {now}");
}

#[test]
fn signer_construction_errors() {
    use idv_signing::{Signer, SignerError};
    let key = || common::key(Backend::default());
    assert!(matches!(
        Signer::new("", key(), BASE),
        Err(SignerError::EmptySdkId)
    ));
    for bad in [
        "not a url",
        "mailto:someone@example.com",
        "https://api.yoti.com/idverify/v1?x=1",
        "/idverify/v1",
    ] {
        let error = Signer::new(SDK_ID, key(), bad).unwrap_err();
        assert!(
            matches!(&error, SignerError::InvalidBaseUrl { url, .. } if url == bad),
            "{bad}: {error:?}"
        );
        assert!(error.to_string().contains(bad));
    }
}

#[test]
fn signer_debug_shows_no_key_material() {
    let signer = pinned_signer(Backend::default(), BASE);
    let debug = format!("{signer:?}");
    assert!(
        debug.contains(SDK_ID) && debug.contains("bits: 2048"),
        "{debug}"
    );
    let pem = String::from_utf8(common::read("test-rsa2048-pkcs1.pem")).unwrap();
    for line in pem.lines().filter(|line| !line.starts_with("-----")) {
        assert!(!debug.contains(line));
    }
}

#[test]
fn the_millisecond_clock_sends_what_the_official_sdks_send() {
    use idv_signing::{Clock as _, SystemClock, SystemClockMillis};
    let (seconds, millis) = (SystemClock.timestamp(), SystemClockMillis.timestamp());
    // Taken one after the other: the same instant to within a second, a thousand times finer.
    assert!(
        millis / 1000 >= seconds && millis / 1000 - seconds <= 1,
        "{seconds} {millis}"
    );
    let signer = idv_signing::Signer::new(SDK_ID, common::key(Backend::default()), BASE)
        .unwrap()
        .with_clock(SystemClockMillis);
    let url = Url::parse(&format!("{BASE}/sessions")).unwrap();
    let parts = signer.sign_parts("GET", &url, None).unwrap();
    let (_, timestamp) = parts.url.query_pairs().last().unwrap();
    let timestamp: u64 = timestamp.parse().unwrap();
    assert_eq!(timestamp.to_string().len(), 13, "{timestamp}");
    assert!(timestamp >= millis, "{timestamp} {millis}");
}

/// An SDK id read from a file or an environment variable often ends in a newline: it is
/// trimmed, so the request carries the id itself (and not `sdkId=id%0A`, which gets a 401).
#[test]
fn whitespace_around_the_sdk_id_is_trimmed() {
    use idv_signing::{Signer, SignerError};
    for given in [
        format!("{SDK_ID}\n"),
        format!(" {SDK_ID}\r\n"),
        format!("\t{SDK_ID}"),
    ] {
        let signer = Signer::new(given.clone(), common::key(Backend::default()), BASE)
            .unwrap()
            .with_clock(|| TIMESTAMP)
            .with_nonce_source(|| NONCE.to_owned());
        assert_eq!(signer.sdk_id(), SDK_ID, "{given:?}");
        let v = vector("getSession");
        let url = Url::parse(&format!("{BASE}{}", v.path)).unwrap();
        let parts = signer.sign_parts("GET", &url, None).unwrap();
        assert_eq!((parts.message, parts.digest), (v.signed_message, v.digest));
    }
    for blank in [" ", "\n", "\t \r\n"] {
        assert!(matches!(
            Signer::new(blank, common::key(Backend::default()), BASE),
            Err(SignerError::EmptySdkId)
        ));
    }
}
