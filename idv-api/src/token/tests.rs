//! The token source's own rules, tested without a server.

use base64::prelude::{BASE64_URL_SAFE_NO_PAD, Engine as _};

use reqwest::StatusCode;
use serde_json::Value;

use super::wire::{form_body, parse_token, refusal};
use super::*;

const KEY: &str = include_str!("../../../idv-signing/tests/data/test-rsa2048-pkcs1.pem");

fn decoded(part: &str) -> Value {
    serde_json::from_slice(&BASE64_URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

#[test]
fn the_form_body_has_the_official_sdks_fields_in_their_order() {
    assert_eq!(
        form_body("scope1 scope2 scope3:read", "h.c.s"),
        "grant_type=client_credentials\
         &client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer\
         &scope=scope1+scope2+scope3%3Aread&client_assertion=h.c.s"
    );
}

#[test]
fn the_assertion_is_a_ps384_jwt_with_the_claims_the_issue_lists() {
    let key = SigningKey::from_pem(KEY).unwrap();
    let source = TokenSource::new(" my-sdk-id\n", key, ["a", "b"])
        .unwrap()
        .with_auth_url("https://auth.example/v1/oauth/token")
        .unwrap();
    let inner = &source.inner;
    assert_eq!(inner.scope, "a b");
    let jwt = idv_signing::client_assertion(
        &inner.key,
        &inner.sdk_id,
        inner.auth_url.as_str(),
        1_700_000_000,
        &UuidNonces.nonce(),
    )
    .unwrap();
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3);
    assert_eq!(
        decoded(parts[0]),
        serde_json::json!({"alg": "PS384", "typ": "JWT"})
    );
    let claims = decoded(parts[1]);
    assert_eq!(claims["iss"], "sdk:my-sdk-id");
    assert_eq!(claims["sub"], "sdk:my-sdk-id");
    assert_eq!(claims["aud"], "https://auth.example/v1/oauth/token");
    assert_eq!(claims["iat"], 1_700_000_000);
    assert_eq!(claims["exp"], 1_700_000_300);
    let jti = claims["jti"].as_str().unwrap();
    let hex: Vec<usize> = jti.split('-').map(str::len).collect();
    assert_eq!(hex, [8, 4, 4, 4, 12], "a hyphenated UUID: {jti}");
    assert_eq!(jti.as_bytes()[14], b'4', "version 4: {jti}");
    let signature = BASE64_URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    let signed = format!("{}.{}", parts[0], parts[1]);
    assert!(
        inner
            .key
            .public_key()
            .verify_ps384(signed.as_bytes(), &signature)
            .is_ok()
    );
}

#[test]
fn a_token_answer_is_read_and_a_bad_one_refused_without_quoting_it() {
    let (token, expires_in) =
        parse_token(br#"{"access_token":"t0k","token_type":"Bearer","expires_in":60,"scope":"a"}"#)
            .unwrap();
    assert_eq!(format!("{token:?}"), "BearerToken(<redacted>)");
    assert_eq!(expires_in, Some(Duration::from_secs(60)));
    assert_eq!(parse_token(br#"{"access_token":"t"}"#).unwrap().1, None);
    for (body, reason) in [
        (&br#"["secret-1"]"#[..], "it is not a JSON object"),
        (
            br#"{"token_type":"Bearer"}"#,
            "it has no access_token string",
        ),
        (
            br#"{"access_token":"two words secret-2"}"#,
            "its access_token is empty or not one word of printable ASCII",
        ),
        (
            br#"{"access_token":"secret-3","token_type":"mac"}"#,
            "its token_type is not Bearer",
        ),
        (
            br#"{"access_token":"secret-4","expires_in":"secret-5"}"#,
            "its expires_in is not a whole number of seconds",
        ),
        (
            br#"{"access_token":"secret-6","expires_in":-1}"#,
            "its expires_in is not a whole number of seconds",
        ),
    ] {
        assert_eq!(parse_token(body).err(), Some(reason));
    }
}

#[test]
fn a_refusal_names_the_url_and_code_and_bounds_the_description() {
    let url = "http://127.0.0.1:9/auth/v1/oauth/token";
    let long = "x".repeat(1000);
    let body = serde_json::json!({"error": "invalid_client", "error_description": long});
    let error = refusal(url, StatusCode::UNAUTHORIZED, body.to_string().as_bytes());
    assert_eq!(error.oauth_error(), Some("invalid_client"));
    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
    let text = error.to_string();
    assert!(text.starts_with(
        "the Yoti auth service at `http://127.0.0.1:9/auth/v1/oauth/token` refused the \
         token request (401 Unauthorized): invalid_client: xxx"
    ));
    // 300 characters of the description, then the hint.
    let cut = format!(": {}… (check the SDK id, and that the key", "x".repeat(300));
    assert!(text.contains(&cut), "{text}");
    let html = refusal(url, StatusCode::BAD_GATEWAY, b"<html>");
    assert_eq!(
        html.to_string(),
        "the Yoti auth service at `http://127.0.0.1:9/auth/v1/oauth/token` answered \
         502 Bad Gateway without an OAuth error: check the URL (YOTI_AUTH_URL)"
    );
}

#[test]
fn unusable_settings_are_refused_with_what_is_wrong() {
    let key = || SigningKey::from_pem(KEY).unwrap();
    let err = TokenSource::new(" ", key(), ["a"]).unwrap_err();
    assert!(matches!(err, ClientError::Signer(SignerError::EmptySdkId)));
    let err = TokenSource::new("id", key(), Vec::<String>::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the token scopes are not usable: none was given (use the scopes Yoti gave your \
         application)"
    );
    let err = TokenSource::new("id", key(), ["a", "b c"]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the token scopes are not usable: the scope \"b c\" is empty or has a space, a \
         `\"`, a `\\` or a character that is not printable ASCII (give each scope on its \
         own) (use the scopes Yoti gave your application)"
    );
    let source = TokenSource::new("id", key(), ["a"]).unwrap();
    let err = source
        .with_auth_url("ftp://auth.example/token")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid auth URL `ftp://auth.example/token`: it is not an http or https URL \
         (expected e.g. `https://auth.api.yoti.com/v1/oauth/token`)"
    );
}

#[test]
fn a_token_is_refreshed_a_tenth_of_its_lifetime_early_and_at_most_a_minute() {
    let now = Instant::now();
    let at = |seconds| refresh_at(now, Duration::from_secs(seconds));
    assert_eq!(at(0), Some(now));
    assert_eq!(at(2), Some(now + Duration::from_millis(1800)));
    assert_eq!(at(100), Some(now + Duration::from_secs(90)));
    assert_eq!(at(3600), Some(now + Duration::from_secs(3540)));
    // An absurd lifetime from the auth service is "never", not an overflow.
    assert_eq!(at(u64::MAX), None);
}
