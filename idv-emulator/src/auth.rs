//! Authentication, as the service does it: the `sdkId`, `nonce` and `timestamp` query
//! parameters and the `X-Yoti-Auth-Digest` header, verified with the application's public key;
//! each refusal is a 401 that says why.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;
use std::sync::PoisonError;
use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::api::oauth::TokenState;
use crate::error::ApiError;
use crate::server::{App, MAX_BODY};

/// A `timestamp` this large is in milliseconds (in seconds it would be after the year 5000).
const MILLISECONDS: u64 = 100_000_000_000;

impl App {
    /// Checks a request the way the API does; see the crate docs.
    pub(crate) fn authenticate(
        &self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(), ApiError> {
        let refuse = |code: &'static str, message: String| {
            ApiError::new(StatusCode::UNAUTHORIZED, code, message)
        };
        if let Some(authorization) = headers.get(header::AUTHORIZATION) {
            return self.authenticate_bearer(authorization.as_bytes());
        }
        let query: Vec<(String, String)> = Query::try_from_uri(uri)
            .map(|Query(q)| q)
            .unwrap_or_default();
        let param = |name: &str| {
            query
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };

        let digest = headers
            .get(idv_signing::AUTH_DIGEST_HEADER)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| {
                refuse(
                    "MISSING_SIGNATURE",
                    "the X-Yoti-Auth-Digest header is missing".into(),
                )
            })?;
        // The Go SDK spells it `sdkID`; the real API accepts both.
        match param("sdkId").or_else(|| param("sdkID")) {
            Some(id) if id == self.sdk_id => {}
            Some(id) => {
                let message = format!(
                    "no application has the SDK id `{id}`; this emulator's is `{}`",
                    self.sdk_id
                );
                return Err(refuse("UNKNOWN_SDK_ID", message));
            }
            // The official SDKs send no sdkId here, nor where the path names the application.
            None if uri.path() == "/supported-documents" => {}
            None => match uri
                .path()
                .strip_prefix("/apps/")
                .and_then(|p| p.split('/').next())
            {
                // The application, and so the key to verify with, comes from the path: an
                // unknown one is the 404 APP_NOT_FOUND that the spec lists for these paths.
                Some(app) => crate::api::check_app(self, app)?,
                None => {
                    return Err(refuse(
                        "MISSING_SDK_ID",
                        "the sdkId query parameter is missing".into(),
                    ));
                }
            },
        }
        let nonce = param("nonce").filter(|n| !n.is_empty()).ok_or_else(|| {
            refuse(
                "MISSING_NONCE",
                "the nonce query parameter is missing".into(),
            )
        })?;
        let timestamp = param("timestamp").ok_or_else(|| {
            refuse(
                "MISSING_TIMESTAMP",
                "the timestamp query parameter is missing".into(),
            )
        })?;
        let Ok(timestamp) = timestamp.parse::<u64>() else {
            let message = format!(
                "the timestamp `{timestamp}` is not a Unix time in seconds or milliseconds"
            );
            return Err(refuse("INVALID_TIMESTAMP", message));
        };
        let seconds = if timestamp >= MILLISECONDS {
            timestamp / 1000
        } else {
            timestamp
        };
        let now = wall_clock().as_secs();
        let tolerance = self.tolerance.as_secs();
        if now.abs_diff(seconds) > tolerance {
            let message = format!(
                "the timestamp {timestamp} is {} s away from the server's clock ({now}); at most {tolerance} s is accepted",
                now.abs_diff(seconds)
            );
            return Err(refuse("TIMESTAMP_OUT_OF_RANGE", message));
        }
        let path_and_query = uri.path_and_query().map_or("", |p| p.as_str());
        if idv_signing::verify(
            &self.public_key,
            method.as_str(),
            path_and_query,
            Some(body),
            digest,
        )
        .is_err()
        {
            let body = if body.is_empty() {
                String::new()
            } else {
                format!("&<base64 of the {} body bytes>", body.len())
            };
            let message = format!(
                "the X-Yoti-Auth-Digest does not verify with the application's public key; the signed message should be `{method}&{path_and_query}{body}`"
            );
            return Err(refuse("INVALID_SIGNATURE", message));
        }
        let mut nonces = self.nonces.lock().unwrap_or_else(PoisonError::into_inner);
        if !nonces.insert(nonce, seconds.saturating_add(tolerance), now) {
            self.replayed.fetch_add(1, Ordering::Relaxed);
            return Err(refuse(
                "NONCE_REUSED",
                format!("the nonce `{nonce}` was already used"),
            ));
        }
        Ok(())
    }
}

impl App {
    /// Checks an `Authorization` header: it must be `Bearer` and the token printed in the
    /// banner, or one that the token endpoint ([`crate::api::oauth`]) issued and that has not
    /// expired. A request with one is not checked for a signature (the Java SDK's bearer
    /// authentication sends none).
    fn authenticate_bearer(&self, authorization: &[u8]) -> Result<(), ApiError> {
        let refuse = |code: &'static str, message: &str| {
            ApiError::new(StatusCode::UNAUTHORIZED, code, message.to_owned())
        };
        let Some((scheme, token)) = authorization.split_at_checked(6) else {
            return Err(refuse(
                "UNSUPPORTED_AUTHORIZATION",
                "the Authorization header is not `Bearer <token>`",
            ));
        };
        if !scheme.eq_ignore_ascii_case(b"Bearer") || !token.starts_with(b" ") {
            return Err(refuse(
                "UNSUPPORTED_AUTHORIZATION",
                "the Authorization header is not `Bearer <token>`",
            ));
        }
        let token = token.trim_ascii();
        if token == self.bearer_token.as_bytes() {
            return Ok(());
        }
        match self.token_state(token) {
            TokenState::Valid => Ok(()),
            TokenState::Expired => Err(refuse(
                "TOKEN_EXPIRED",
                "the bearer token has expired: get a new one from the token endpoint",
            )),
            TokenState::Unknown => Err(refuse(
                "INVALID_TOKEN",
                "the bearer token is neither the one printed in the banner nor one that this \
                 emulator's token endpoint issued",
            )),
        }
    }
}

pub(crate) fn wall_clock() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// The nonces seen, each until its timestamp leaves the tolerance window (after which a
/// replay is refused for its timestamp anyway).
#[derive(Default)]
pub(crate) struct Nonces {
    seen: HashMap<String, u64>,
    pruned_at: u64,
}

impl Nonces {
    /// Records `nonce`; `false` when it was seen before.
    fn insert(&mut self, nonce: &str, forget_after: u64, now: u64) -> bool {
        if now > self.pruned_at {
            self.seen.retain(|_, until| *until >= now);
            self.pruned_at = now;
        }
        match self.seen.entry(nonce.to_owned()) {
            Entry::Occupied(_) => false,
            Entry::Vacant(entry) => {
                entry.insert(forget_after);
                true
            }
        }
    }
}

/// Authenticates every request to an operation; see [`App::authenticate`]. Runs inside the
/// nested routers, so the path it sees is relative to the base URL, as the signature's is.
pub(crate) async fn authenticate(
    State(app): State<Arc<App>>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
        let message = format!("the request body could not be read, or is over {MAX_BODY} bytes");
        return ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", message)
            .into_response();
    };
    if let Err(error) = app.authenticate(&parts.method, &parts.uri, &parts.headers, &body) {
        app.unauthorized.fetch_add(1, Ordering::Relaxed);
        return error.into_response();
    }
    app.authenticated.fetch_add(1, Ordering::Relaxed);
    // For the journal: how the request was let through.
    let how = if parts.headers.contains_key(header::AUTHORIZATION) {
        crate::control::Auth::Bearer
    } else {
        crate::control::Auth::Signature
    };
    let mut response = next.run(Request::from_parts(parts, Body::from(body))).await;
    response.extensions_mut().insert(how);
    response
}
