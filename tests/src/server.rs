//! The HTTP side: the shared state, the routes and their handlers. Authentication is in
//! [`crate::auth`], error bodies in [`crate::error`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody as _};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use idv_signing::PublicKey;
use serde_json::{Map, Value};

use crate::auth::{Nonces, authenticate, wall_clock};
use crate::error::{ApiError, json_errors, not_found};
use crate::oauth::Tokens;
use crate::responses::{Responses, is_json};
use crate::schema::{FieldError, Spec};
use crate::sessions::{Content, Session, Store, generated};

/// The largest request body the emulator reads.
pub(crate) const MAX_BODY: usize = 1 << 20;

/// Everything the handlers share.
pub(crate) struct App {
    pub(crate) sdk_id: String,
    pub(crate) public_key: PublicKey,
    /// The bearer token it accepts in place of a signature.
    pub(crate) bearer_token: String,
    pub(crate) tolerance: Duration,
    pub(crate) spec: Spec,
    /// The response schemas every response is checked against, unless switched off.
    responses: Option<Responses>,
    /// The responses that failed that check.
    problems: Mutex<Vec<String>>,
    store: Mutex<Store>,
    pub(crate) nonces: Mutex<Nonces>,
    /// How far tests have moved the sessions' clock forward, in milliseconds.
    advanced: AtomicU64,
    pub(crate) authenticated: AtomicU64,
    pub(crate) unauthorized: AtomicU64,
    pub(crate) replayed: AtomicU64,
    /// The token endpoint's URL: what a client assertion's `aud` must be.
    pub(crate) auth_url: String,
    /// How long the tokens it issues are valid, on the sessions' clock.
    pub(crate) token_lifetime: Duration,
    pub(crate) tokens: Mutex<Tokens>,
    pub(crate) tokens_issued: AtomicU64,
}

impl App {
    pub(crate) fn new(
        sdk_id: String,
        public_key: PublicKey,
        bearer_token: String,
        tolerance: Duration,
        spec: Spec,
        responses: Option<Responses>,
    ) -> App {
        App {
            sdk_id,
            public_key,
            bearer_token,
            tolerance,
            spec,
            responses,
            problems: Mutex::default(),
            store: Mutex::default(),
            nonces: Mutex::default(),
            advanced: AtomicU64::new(0),
            authenticated: AtomicU64::new(0),
            unauthorized: AtomicU64::new(0),
            replayed: AtomicU64::new(0),
            auth_url: String::new(),
            token_lifetime: crate::DEFAULT_TOKEN_LIFETIME,
            tokens: Mutex::default(),
            tokens_issued: AtomicU64::new(0),
        }
    }

    /// The same, with a token endpoint at `auth_url` that issues tokens valid for `lifetime`.
    pub(crate) fn with_tokens(self, auth_url: String, lifetime: Duration) -> App {
        App {
            auth_url,
            token_lifetime: lifetime,
            ..self
        }
    }

    /// The store. A handler never panics while holding it, but if one did, the data would
    /// still be consistent enough for an emulator, so a poisoned lock is used anyway.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The responses that failed the check against the spec.
    pub(crate) fn response_problems(&self) -> MutexGuard<'_, Vec<String>> {
        self.problems.lock().unwrap_or_else(PoisonError::into_inner)
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

    /// Runs `f` on session `id`, with the application's sandbox configuration and the
    /// sessions' clock, under the store's lock: 404 `SESSION_NOT_FOUND` when there is no such
    /// session (or its resources have expired).
    pub(crate) fn with_session<T>(
        &self,
        id: &str,
        f: impl FnOnce(&mut Session, &Map<String, Value>, Duration) -> T,
    ) -> Result<T, ApiError> {
        let now = self.now();
        let mut store = self.store();
        let (session, config) = store
            .session(id, now)
            .ok_or_else(|| ApiError::session_not_found(id))?;
        Ok(f(session, config, now))
    }

    /// The JSON body of a request, checked against the operation's schema in the spec: first
    /// that its `Content-Type` says JSON (415 otherwise; see the spec's 415 responses).
    pub(crate) fn payload(
        &self,
        operation: &str,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Value, ApiError> {
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        if !content_type.as_deref().is_some_and(is_json_request) {
            let given = content_type.map_or_else(|| "none".to_owned(), |t| format!("`{t}`"));
            let message = format!(
                "the request body must be JSON, with the Content-Type `application/json`; it has {given}"
            );
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UNSUPPORTED_MEDIA_TYPE",
                message,
            ));
        }
        let value: Value = serde_json::from_slice(body).map_err(|e| {
            ApiError::invalid(vec![FieldError {
                property: String::new(),
                message: format!("the body is not JSON: {e}"),
            }])
        })?;
        let value = crate::schema::without_nulls(value);
        let checked = if operation == "createSession" {
            std::borrow::Cow::Owned(crate::notify::relaxed(value.clone()))
        } else {
            std::borrow::Cow::Borrowed(&value)
        };
        self.spec
            .validate(operation, &checked)
            .map_err(ApiError::invalid)?;
        Ok(value)
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
            "/sessions/{session_id}/configuration",
            get(crate::capture::get_configuration),
        )
        .route(
            "/sessions/{session_id}/resources/face-capture",
            post(crate::capture::create_face_capture),
        )
        .route(
            "/sessions/{session_id}/resources/face-capture/{resource_id}/image",
            axum::routing::put(crate::capture::upload_face_image),
        )
        .route(
            "/sessions/{session_id}/tracked-devices",
            get(crate::capture::get_tracked_devices).delete(crate::capture::delete_tracked_devices),
        )
        .route(
            "/sessions/{session_id}/instructions",
            get(crate::sessions::instructions::get).put(crate::sessions::instructions::put),
        )
        .route(
            "/sessions/{session_id}/instructions/contact-profile",
            get(crate::sessions::instructions::contact_profile),
        )
        .route(
            "/sessions/{session_id}/instructions/pdf",
            get(crate::sessions::instructions::pdf),
        )
        .route(
            "/sessions/{session_id}/instructions/email",
            post(crate::sessions::instructions::email),
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
    let log = middleware::from_fn(crate::log::log_request);
    // The auth service answers in OAuth's terms, not the API's: its errors are not `ApiError`s,
    // and its responses are not in the spec. So it is merged in after those layers.
    let oauth = Router::new()
        .route(crate::oauth::TOKEN_PATH, post(crate::oauth::token))
        .route_layer(log.clone());
    Router::new()
        .nest(
            "/idverify/v1",
            api.route_layer(auth.clone()).route_layer(log.clone()),
        )
        .nest(
            "/sandbox/idverify/v1",
            sandbox.route_layer(auth).route_layer(log),
        )
        .fallback(not_found)
        .layer(middleware::map_response(json_errors))
        .layer(middleware::from_fn_with_state(app.clone(), check_response))
        .merge(oauth)
        .with_state(app)
}

/// A response that is not checked against the spec: a session body a test inserted.
#[derive(Clone, Copy)]
struct Unchecked;

/// Checks every response against the spec ([`crate::responses`]) unless that is switched off;
/// one that fails is logged, kept, and answered with 500 instead.
async fn check_response(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let Some(responses) = &app.responses else {
        return next.run(request).await;
    };
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if response.extensions().get::<Unchecked>().is_some() {
        return response;
    }
    let relative = ["/sandbox/idverify/v1", "/idverify/v1"]
        .iter()
        .find_map(|base| {
            path.strip_prefix(base)
                .filter(|rest| rest.is_empty() || rest.starts_with('/'))
        });
    let (parts, body) = response.into_parts();
    let status = parts.status.as_u16();
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let checked = if content_type.as_deref().is_some_and(is_json) {
        // The emulator's own JSON: small, so read whole.
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        let checked = responses.check(&method, relative, status, content_type.as_deref(), &bytes);
        checked.map(|()| Response::from_parts(parts, Body::from(bytes)))
    } else {
        // Media may be large and is streamed: only whether there is a body matters.
        let empty = body.size_hint().exact() == Some(0);
        let probe: &[u8] = if empty { b"" } else { b"..." };
        let checked = responses.check(&method, relative, status, content_type.as_deref(), probe);
        checked.map(|()| Response::from_parts(parts, body))
    };
    checked.unwrap_or_else(|problem| {
        // Not the problem itself: it can quote the response's values.
        tracing::error!(
            method = method.as_str(),
            status,
            "a response does not match the spec; answered 500 instead, whose message says where"
        );
        let message = format!("the emulator's response does not match the spec: {problem}");
        app.response_problems().push(problem);
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "EMULATOR_RESPONSE_INVALID",
            message,
        )
        .into_response()
    })
}

/// `application/json` or `application/*+json`, with any parameters, in any case.
fn is_json_request(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    let essence = essence.to_ascii_lowercase();
    essence == "application/json"
        || essence
            .strip_prefix("application/")
            .is_some_and(|subtype| subtype.ends_with("+json"))
}

async fn supported_documents(Query(query): Query<Vec<(String, String)>>) -> Answer {
    let mut non_latin = false;
    for (_, value) in query.iter().filter(|(name, _)| name == "includeNonLatin") {
        non_latin = match value.to_ascii_lowercase().as_str() {
            "true" => true,
            "false" => false,
            _ => {
                let message = format!("\"{value}\" is not one of \"true\" or \"false\"");
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "INVALID_QUERY_PARAMETER",
                    "the query does not match the API's schema",
                )
                .with_errors(vec![FieldError {
                    property: "includeNonLatin".to_owned(),
                    message,
                }]));
            }
        };
    }
    Ok(Json(crate::documents::supported(non_latin)).into_response())
}

async fn create_session(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Answer {
    let payload = app.payload("createSession", &headers, &body)?;
    let now = app.now();
    let mut refused = crate::sessions::refusals(&payload);
    refused.extend(crate::sessions::deadline_problem(&payload, now));
    if !refused.is_empty() {
        return Err(ApiError::invalid(refused));
    }
    let (id, session) = Session::create(&payload, now);
    let created = session.created_body(&id);
    app.store().sessions.insert(id.clone(), session);
    if let Some(subscription) = crate::notify::Subscription::of(&payload) {
        crate::notify::spawn(&app, id, subscription);
    }
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

async fn get_session(State(app): State<Arc<App>>, Path(id): Path<String>) -> Answer {
    let (raw, body) = app.with_session(&id, |session, config, now| {
        (session.is_raw(), session.body(&id, config, now))
    })?;
    let mut response = ([(header::CONTENT_TYPE, "application/json")], body).into_response();
    if raw {
        response.extensions_mut().insert(Unchecked);
    }
    Ok(response)
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
    let content = app.with_session(&id, |session, config, _| {
        session.media_content(&media_id, config)
    })?;
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

async fn delete_media(
    State(app): State<Arc<App>>,
    Path((id, media_id)): Path<(String, String)>,
) -> Answer {
    app.with_session(&id, |session, config, now| {
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
        Ok(())
    })??;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(crate) fn check_app(app: &App, sdk_id: &str) -> Result<(), ApiError> {
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
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Map<String, Value>, ApiError> {
    match app.payload(operation, headers, body)? {
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
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    check_app(&app, &sdk_id)?;
    let config = response_config(&app, "putApplicationResponseConfig", &headers, &body)?;
    app.store().configure_app(config);
    Ok(StatusCode::OK.into_response())
}

async fn get_session_config(State(app): State<Arc<App>>, Path(id): Path<String>) -> Answer {
    let config = app.with_session(&id, |session, config, _| session.effective_config(config))?;
    Ok(Json(config).into_response())
}

async fn put_session_config(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let config = response_config(&app, "putSessionResponseConfig", &headers, &body)?;
    app.with_session(&id, |session, _, _| session.configure(config))?;
    Ok(StatusCode::OK.into_response())
}
