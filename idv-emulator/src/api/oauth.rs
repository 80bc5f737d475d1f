//! Yoti's auth service: the OAuth 2.0 token endpoint (client credentials, with a client
//! assertion as RFC 7523 describes), at [`TOKEN_PATH`] beside the API.
//!
//! A request is form-encoded, with `grant_type=client_credentials`, `client_assertion_type`
//! `urn:ietf:params:oauth:client-assertion-type:jwt-bearer`, a non-empty `scope` and the
//! `client_assertion`: a JWT signed `PS384` by the application's key whose `iss` and `sub` are
//! `sdk:<sdkId>`, whose `aud` is this endpoint's URL, which has not expired and whose `jti` was
//! not used before. Yoti publishes no list of IDV scopes, so any scope is accepted and echoed
//! back. Each refusal is an RFC 6749 §5.2 error, `{"error", "error_description"}`, with 400,
//! or 401 for `invalid_client`.
//!
//! The assertion's `exp` and `iat` are read against the real clock, as request timestamps
//! are, so that advancing the emulator's clock does not stop a client from getting a new
//! token. The tokens it issues expire by the emulator's clock ([`App::now`]), so that a test
//! can expire them at once with `Emulator::advance`, or make them short-lived with
//! `Builder::token_lifetime`. The API accepts them in `Authorization: Bearer` until then.
//!
//! Neither the assertion nor a token is ever logged or put in an error.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::prelude::{BASE64_URL_SAFE_NO_PAD, Engine as _};
use serde_json::{Value, json};

use crate::auth::wall_clock;
use crate::server::App;

/// Where the token endpoint is, on the emulator's address: like Yoti's
/// (`https://auth.api.yoti.com/v1/oauth/token`), its path ends in `/v1/oauth/token`.
pub(crate) const TOKEN_PATH: &str = "/auth/v1/oauth/token";

/// The only client assertion type, RFC 7523's.
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The longest an assertion may be valid (`exp` − `iat`); the official SDKs make 5 minutes.
const MAX_ASSERTION_LIFETIME: u64 = 3600;

/// How far in the future an assertion's `iat` may be, for clocks that disagree a little.
const CLOCK_SKEW: u64 = 60;

/// An RFC 6749 §5.2 error response.
#[derive(Debug)]
pub(crate) struct OAuthError {
    status: StatusCode,
    error: &'static str,
    description: String,
}

impl OAuthError {
    fn new(error: &'static str, description: impl Into<String>) -> OAuthError {
        let status = if error == "invalid_client" {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::BAD_REQUEST
        };
        OAuthError {
            status,
            error,
            description: description.into(),
        }
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = json!({"error": self.error, "error_description": self.description});
        let mut response = (self.status, no_store(), Json(body)).into_response();
        let code = crate::log::ErrorCode(self.error.to_owned());
        response.extensions_mut().insert(code);
        response
    }
}

/// RFC 6749 §5.1: a token response, or an error, is not to be cached.
fn no_store() -> [(header::HeaderName, &'static str); 2] {
    [
        (header::CACHE_CONTROL, "no-store"),
        (header::PRAGMA, "no-cache"),
    ]
}

/// The tokens issued, each with when it expires on the emulator's clock, and the assertion
/// ids seen, each until its assertion expires (after which it is refused as expired anyway).
#[derive(Default)]
pub(crate) struct Tokens {
    issued: HashMap<String, Duration>,
    jtis: HashMap<String, u64>,
}

/// Whether an issued token may be used now.
pub(crate) enum TokenState {
    Valid,
    Expired,
    Unknown,
}

impl App {
    /// What becomes of an `Authorization: Bearer` token that is not the banner's.
    pub(crate) fn token_state(&self, token: &[u8]) -> TokenState {
        let tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        let expiry = std::str::from_utf8(token)
            .ok()
            .and_then(|t| tokens.issued.get(t));
        match expiry {
            Some(&expiry) if self.now() < expiry => TokenState::Valid,
            Some(_) => TokenState::Expired,
            None => TokenState::Unknown,
        }
    }

    /// Checks a token request and issues a token; see the module docs.
    fn issue_token(&self, headers: &HeaderMap, body: &[u8]) -> Result<Value, OAuthError> {
        let form_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                v.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            });
        if !form_type {
            return Err(OAuthError::new(
                "invalid_request",
                "the body must be form-encoded, with the Content-Type \
                 application/x-www-form-urlencoded",
            ));
        }
        let mut form: HashMap<String, String> = HashMap::new();
        for (name, value) in url::form_urlencoded::parse(body) {
            if form.insert(name.to_string(), value.into_owned()).is_some() {
                let message = format!("the parameter `{name}` is given more than once");
                return Err(OAuthError::new("invalid_request", message));
            }
        }
        let field = |name: &str| form.get(name).map(String::as_str);
        let required = |name: &'static str| {
            field(name).filter(|v| !v.is_empty()).ok_or_else(|| {
                OAuthError::new(
                    "invalid_request",
                    format!("the parameter `{name}` is missing"),
                )
            })
        };

        match required("grant_type")? {
            "client_credentials" => {}
            other => {
                let message =
                    format!("the grant type `{other}` is not supported; use client_credentials");
                return Err(OAuthError::new("unsupported_grant_type", message));
            }
        }
        let assertion_type = required("client_assertion_type")?;
        if assertion_type != JWT_BEARER {
            let message = format!("the client assertion type must be `{JWT_BEARER}`");
            return Err(OAuthError::new("invalid_client", message));
        }
        let scope = field("scope").unwrap_or_default();
        let scopes: Vec<&str> = scope.split(' ').filter(|s| !s.is_empty()).collect();
        if scopes.is_empty() {
            return Err(OAuthError::new(
                "invalid_scope",
                "the scope is empty: give one or more scopes, separated by spaces",
            ));
        }
        let assertion = required("client_assertion")?;
        let claims = self.verify_assertion(assertion)?;
        self.check_claims(&claims)?;

        let token = format!("idv-emulator-at-{}", uuid::Uuid::new_v4().simple());
        let lifetime = self.token_lifetime.as_secs().max(1);
        let expiry = self.now() + Duration::from_secs(lifetime);
        let mut tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        // Tokens that expired a day ago are forgotten: they are then merely unknown.
        let forget_before = self.now().saturating_sub(Duration::from_secs(86_400));
        tokens.issued.retain(|_, expiry| *expiry > forget_before);
        tokens.issued.insert(token.clone(), expiry);
        self.tokens_issued.fetch_add(1, Ordering::Relaxed);
        Ok(json!({
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": lifetime,
            "scope": scopes.join(" "),
        }))
    }

    /// The claims of a well-formed `PS384` JWT that the application's key signed.
    fn verify_assertion(&self, jwt: &str) -> Result<serde_json::Map<String, Value>, OAuthError> {
        let malformed = |what: &str| {
            let message = format!("the client assertion is not a JWT: {what}");
            OAuthError::new("invalid_client", message)
        };
        let mut parts = jwt.split('.');
        let (Some(header), Some(claims), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed("it does not have three parts separated by `.`"));
        };
        let object = |part: &str, name: &str| {
            BASE64_URL_SAFE_NO_PAD
                .decode(part)
                .ok()
                .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
                .and_then(|value| match value {
                    Value::Object(map) => Some(map),
                    _ => None,
                })
                .ok_or_else(|| malformed(&format!("its {name} is not base64url of a JSON object")))
        };
        let header_fields = object(header, "header")?;
        match header_fields.get("alg").and_then(Value::as_str) {
            Some("PS384") => {}
            alg => {
                let message = format!(
                    "the client assertion's alg is {}; it must be PS384",
                    alg.map_or("missing".into(), |a| format!("`{a}`"))
                );
                return Err(OAuthError::new("invalid_client", message));
            }
        }
        let claims_fields = object(claims, "claims")?;
        let signature = BASE64_URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| malformed("its signature is not base64url"))?;
        // The application, and so the key, is the one the assertion names.
        let expected = format!("sdk:{}", self.sdk_id);
        for claim in ["iss", "sub"] {
            let value = claims_fields.get(claim).and_then(Value::as_str);
            if value != Some(expected.as_str()) {
                let message = format!(
                    "the client assertion's {claim} is {}, which names no application; this \
                     emulator's is `{expected}`",
                    value.map_or("missing".into(), |v| format!("`{v}`"))
                );
                return Err(OAuthError::new("invalid_client", message));
            }
        }
        let signed = &jwt[..header.len() + 1 + claims.len()];
        if self
            .public_key
            .verify_ps384(signed.as_bytes(), &signature)
            .is_err()
        {
            return Err(OAuthError::new(
                "invalid_client",
                "the client assertion's signature does not verify with the application's public \
                 key: sign it PS384 with the application's private key",
            ));
        }
        Ok(claims_fields)
    }

    /// `aud`, `exp`, `iat` and `jti`; see the module docs.
    fn check_claims(&self, claims: &serde_json::Map<String, Value>) -> Result<(), OAuthError> {
        let grant = |message: String| OAuthError::new("invalid_grant", message);
        let audience_ok = match claims.get("aud") {
            Some(Value::String(aud)) => *aud == self.auth_url,
            Some(Value::Array(auds)) => auds.iter().any(|a| a.as_str() == Some(&self.auth_url)),
            _ => false,
        };
        if !audience_ok {
            return Err(grant(format!(
                "the client assertion's aud must be this token endpoint's URL, `{}`",
                self.auth_url
            )));
        }
        let number = |name: &str| {
            claims.get(name).and_then(Value::as_u64).ok_or_else(|| {
                grant(format!(
                    "the client assertion's {name} is missing or not a number of seconds"
                ))
            })
        };
        let (exp, iat) = (number("exp")?, number("iat")?);
        let now = wall_clock().as_secs();
        if exp <= now {
            return Err(grant(format!(
                "the client assertion expired {} s ago (exp {exp}, now {now}): make a new one",
                now - exp
            )));
        }
        if iat > now + CLOCK_SKEW || exp < iat || exp - iat > MAX_ASSERTION_LIFETIME {
            return Err(grant(format!(
                "the client assertion's iat {iat} and exp {exp} are not a lifetime of at most \
                 {MAX_ASSERTION_LIFETIME} s starting by now ({now})"
            )));
        }
        let jti = claims
            .get("jti")
            .and_then(Value::as_str)
            .filter(|j| !j.is_empty())
            .ok_or_else(|| grant("the client assertion has no jti".into()))?;
        let mut tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        tokens.jtis.retain(|_, until| *until >= now);
        if tokens.jtis.insert(jti.to_owned(), exp).is_some() {
            return Err(grant(
                "the client assertion's jti was used before: make a new assertion, with a new \
                 jti, for each token request"
                    .into(),
            ));
        }
        Ok(())
    }
}

/// `POST /auth/v1/oauth/token`.
pub(crate) async fn token(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match app.issue_token(&headers, &body) {
        Ok(token) => (StatusCode::OK, no_store(), Json(token)).into_response(),
        Err(error) => error.into_response(),
    }
}
