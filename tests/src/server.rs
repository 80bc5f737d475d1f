//! The HTTP side: routes, authentication, handlers and error bodies.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use idv_signing::PublicKey;
use serde_json::{Map, Value, json};

use crate::schema::{FieldError, Spec};
use crate::sessions::{Content, Session, Store};

/// The largest request body the emulator reads.
const MAX_BODY: usize = 1 << 20;
/// A `timestamp` this large is in milliseconds (in seconds it would be after the year 5000).
const MILLISECONDS: u64 = 100_000_000_000;

/// Everything the handlers share.
pub(crate) struct App {
    pub(crate) sdk_id: String,
    pub(crate) public_key: PublicKey,
    pub(crate) tolerance: Duration,
    pub(crate) spec: Spec,
    store: Mutex<Store>,
    nonces: Mutex<Nonces>,
    /// How far tests have moved the sessions' clock forward, in milliseconds.
    advanced: AtomicU64,
    pub(crate) authenticated: AtomicU64,
    pub(crate) unauthorized: AtomicU64,
    pub(crate) replayed: AtomicU64,
}

impl App {
    pub(crate) fn new(
        sdk_id: String,
        public_key: PublicKey,
        tolerance: Duration,
        spec: Spec,
    ) -> App {
        App {
            sdk_id,
            public_key,
            tolerance,
            spec,
            store: Mutex::default(),
            nonces: Mutex::default(),
            advanced: AtomicU64::new(0),
            authenticated: AtomicU64::new(0),
            unauthorized: AtomicU64::new(0),
            replayed: AtomicU64::new(0),
        }
    }

    /// The store. A handler never panics while holding it, but if one did, the data would
    /// still be consistent enough for an emulator, so a poisoned lock is used anyway.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The sessions' clock: the system clock plus however far tests advanced it.
    pub(crate) fn now(&self) -> Duration {
        wall_clock() + Duration::from_millis(self.advanced.load(Ordering::Relaxed))
    }

    pub(crate) fn advance(&self, by: Duration) {
        let millis = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        let add = |advanced: u64| Some(advanced.saturating_add(millis));
        // The closure always returns `Some`, so this cannot fail.
        let _ = self
            .advanced
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, add);
    }

    /// Checks a request the way the API does; see the crate docs.
    fn authenticate(
        &self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(), ApiError> {
        let refuse = |code: &'static str, message: String| {
            ApiError::new(StatusCode::UNAUTHORIZED, code, message)
        };
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
        match param("sdkId") {
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
                Some(app) => check_app(self, app)?,
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

    /// The JSON body of a request, checked against the operation's schema in the spec.
    fn payload(&self, operation: &str, body: &[u8]) -> Result<Value, ApiError> {
        let value: Value = serde_json::from_slice(body).map_err(|e| {
            ApiError::invalid(vec![FieldError {
                property: String::new(),
                message: format!("the body is not JSON: {e}"),
            }])
        })?;
        self.spec
            .validate(operation, &value)
            .map_err(ApiError::invalid)?;
        Ok(value)
    }
}

fn wall_clock() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// The nonces seen, each until its timestamp leaves the tolerance window (after which a
/// replay is refused for its timestamp anyway).
#[derive(Default)]
struct Nonces {
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

/// An error response with an `ApiError` body.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: String,
    message: String,
    errors: Vec<FieldError>,
}

impl ApiError {
    fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code: code.to_owned(),
            message: message.into(),
            errors: Vec::new(),
        }
    }

    fn invalid(errors: Vec<FieldError>) -> ApiError {
        let message = "the request body does not match the API's schema".to_owned();
        ApiError {
            errors,
            ..ApiError::new(StatusCode::BAD_REQUEST, "PAYLOAD_VALIDATION", message)
        }
    }

    fn session_not_found(id: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "SESSION_NOT_FOUND",
            format!("there is no session `{id}`"),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({"code": self.code, "message": self.message});
        if !self.errors.is_empty() {
            let errors: Vec<Value> = self
                .errors
                .into_iter()
                .map(|e| json!({"property": e.property, "message": e.message}))
                .collect();
            body["errors"] = Value::Array(errors);
        }
        (self.status, Json(body)).into_response()
    }
}

type Answer = Result<Response, ApiError>;

/// The API under `/idverify/v1`, and under `/sandbox/idverify/v1` with the sandbox's
/// response-config operations too.
pub(crate) fn router(app: Arc<App>) -> Router {
    let api = Router::new()
        .route("/supported-documents", get(supported_documents))
        .route("/sessions", post(create_session))
        .route(
            "/sessions/{session_id}",
            get(get_session).delete(delete_session),
        )
        .route(
            "/sessions/{session_id}/media/{media_id}/content",
            get(get_media).delete(delete_media),
        );
    let sandbox = api
        .clone()
        .route(
            "/apps/{sdk_id}/response-config",
            get(get_app_config).put(put_app_config),
        )
        .route(
            "/sessions/{session_id}/response-config",
            get(get_session_config).put(put_session_config),
        );
    let auth = middleware::from_fn_with_state(app.clone(), authenticate);
    Router::new()
        .nest("/idverify/v1", api.route_layer(auth.clone()))
        .nest("/sandbox/idverify/v1", sandbox.route_layer(auth))
        .fallback(not_found)
        .layer(middleware::map_response(json_errors))
        .with_state(app)
}

/// Authenticates every request to an operation; see [`App::authenticate`]. Runs inside the
/// nested routers, so the path it sees is relative to the base URL, as the signature's is.
async fn authenticate(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
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
    next.run(Request::from_parts(parts, Body::from(body))).await
}

/// Gives every error response that is not JSON yet (axum's own rejections, 405s) an
/// `ApiError` body.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let text = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let reason = status.canonical_reason().unwrap_or("error");
    let code = reason.to_uppercase().replace([' ', '-'], "_");
    let message = if text.is_empty() {
        reason.to_owned()
    } else {
        text
    };
    ApiError::new(status, &code, message).into_response()
}

async fn not_found(method: Method, uri: Uri) -> ApiError {
    let message = format!(
        "no operation {method} {}: the API is under /idverify/v1 and /sandbox/idverify/v1, and the response-config operations only under the sandbox",
        uri.path()
    );
    ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", message)
}

async fn supported_documents(Query(query): Query<HashMap<String, String>>) -> Response {
    let non_latin = query
        .get("includeNonLatin")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    Json(crate::documents::supported(non_latin)).into_response()
}

async fn create_session(State(app): State<Arc<App>>, body: Bytes) -> Answer {
    let payload = app.payload("createSession", &body)?;
    let (id, session) = Session::create(&payload, app.now());
    let created = session.created_body(&id);
    app.store().sessions.insert(id, session);
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

async fn get_session(State(app): State<Arc<App>>, Path(id): Path<String>) -> Answer {
    let now = app.now();
    let mut store = app.store();
    let (session, config) = store
        .session(&id, now)
        .ok_or_else(|| ApiError::session_not_found(&id))?;
    let body = session.body(&id, config, now);
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

async fn delete_session(State(app): State<Arc<App>>, Path(id): Path<String>) -> Answer {
    let now = app.now();
    let mut store = app.store();
    let (session, config) = store
        .session(&id, now)
        .ok_or_else(|| ApiError::session_not_found(&id))?;
    if session.locked(config, now) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "SESSION_LOCKED",
            "The checks are not finished",
        ));
    }
    store.sessions.remove(&id);
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn get_media(
    State(app): State<Arc<App>>,
    Path((id, media_id)): Path<(String, String)>,
) -> Answer {
    let now = app.now();
    let content = {
        let mut store = app.store();
        let (session, config) = store
            .session(&id, now)
            .ok_or_else(|| ApiError::session_not_found(&id))?;
        session.media_content(&media_id, config)
    };
    Ok(match content {
        Content::Missing => return Err(media_not_found(&id, &media_id)),
        Content::HeldBack => StatusCode::NO_CONTENT.into_response(),
        Content::Bytes(content_type, bytes) => {
            ([(header::CONTENT_TYPE, content_type)], bytes).into_response()
        }
        Content::Generated(content_type, len) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CONTENT_LENGTH, len.to_string()),
            ],
            Body::from_stream(generated(len)),
        )
            .into_response(),
    })
}

fn media_not_found(id: &str, media_id: &str) -> ApiError {
    let message = format!("session `{id}` has no media `{media_id}`");
    ApiError::new(StatusCode::NOT_FOUND, "MEDIA_NOT_FOUND", message)
}

/// `len` bytes of [`crate::Media::Generated`]'s pattern, made chunk by chunk as the client reads:
/// every chunk is a slice of one shared 64 KiB buffer, so memory stays flat.
fn generated(len: u64) -> impl futures_util::Stream<Item = Result<Bytes, Infallible>> {
    const CHUNK: u64 = 64 * 1024;
    let pattern: Bytes = (0..CHUNK + 251)
        .map(|i| (i % 251) as u8)
        .collect::<Vec<u8>>()
        .into();
    futures_util::stream::unfold(0u64, move |offset| {
        let pattern = pattern.clone();
        async move {
            let size = CHUNK.min(len.checked_sub(offset).filter(|left| *left > 0)?);
            let start = offset % 251;
            // Both bounds are below CHUNK + 251, the pattern's length.
            let chunk = pattern.slice(start as usize..(start + size) as usize);
            Some((Ok(chunk), offset + size))
        }
    })
}

async fn delete_media(
    State(app): State<Arc<App>>,
    Path((id, media_id)): Path<(String, String)>,
) -> Answer {
    let now = app.now();
    let mut store = app.store();
    let (session, config) = store
        .session(&id, now)
        .ok_or_else(|| ApiError::session_not_found(&id))?;
    if session.locked(config, now) {
        let message = "Resource is locked (session in progress with checks triggered)";
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "RESOURCE_LOCKED",
            message,
        ));
    }
    if !session.delete_media(&media_id) {
        return Err(media_not_found(&id, &media_id));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn check_app(app: &App, sdk_id: &str) -> Result<(), ApiError> {
    if sdk_id == app.sdk_id {
        return Ok(());
    }
    let message = format!(
        "there is no application `{sdk_id}`; this emulator's is `{}`",
        app.sdk_id
    );
    Err(ApiError::new(
        StatusCode::NOT_FOUND,
        "APP_NOT_FOUND",
        message,
    ))
}

/// A validated response configuration (the schema makes it an object).
fn response_config(
    app: &App,
    operation: &str,
    body: &[u8],
) -> Result<Map<String, Value>, ApiError> {
    match app.payload(operation, body)? {
        Value::Object(config) => Ok(config),
        _ => Err(ApiError::invalid(vec![FieldError {
            property: String::new(),
            message: "must be an object".into(),
        }])),
    }
}

async fn get_app_config(State(app): State<Arc<App>>, Path(sdk_id): Path<String>) -> Answer {
    check_app(&app, &sdk_id)?;
    Ok(Json(app.store().app_config().clone()).into_response())
}

async fn put_app_config(
    State(app): State<Arc<App>>,
    Path(sdk_id): Path<String>,
    body: Bytes,
) -> Answer {
    check_app(&app, &sdk_id)?;
    let config = response_config(&app, "putApplicationResponseConfig", &body)?;
    app.store().configure_app(config);
    Ok(StatusCode::OK.into_response())
}

async fn get_session_config(State(app): State<Arc<App>>, Path(id): Path<String>) -> Answer {
    let now = app.now();
    let mut store = app.store();
    let (session, config) = store
        .session(&id, now)
        .ok_or_else(|| ApiError::session_not_found(&id))?;
    Ok(Json(session.effective_config(config)).into_response())
}

async fn put_session_config(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let config = response_config(&app, "putSessionResponseConfig", &body)?;
    let now = app.now();
    let mut store = app.store();
    let (session, _) = store
        .session(&id, now)
        .ok_or_else(|| ApiError::session_not_found(&id))?;
    session.configure(config);
    Ok(StatusCode::OK.into_response())
}
