//! The state every handler shares ([`App`]), and the check of every response against the
//! spec. The routes and handlers are in [`crate::api`], authentication in [`crate::auth`],
//! error bodies in [`crate::error`].

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::body::{Body, HttpBody as _};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use idv_signing::PublicKey;
use serde_json::{Map, Value};

use crate::api::oauth::Tokens;
use crate::auth::{Nonces, wall_clock};
use crate::error::ApiError;
use crate::responses::{Responses, is_json};
use crate::schema::{FieldError, Spec};
use crate::sessions::{Ids, Session, Store};

/// The largest request body the emulator reads.
pub(crate) const MAX_BODY: usize = 1 << 20;

/// Everything the handlers share.
pub(crate) struct App {
    pub(crate) sdk_id: String,
    pub(crate) public_key: PublicKey,
    /// The bearer token it accepts in place of a signature.
    pub(crate) bearer_token: String,
    pub(crate) tolerance: Duration,
    pub(crate) spec: Arc<Spec>,
    /// The response schemas every response is checked against, unless switched off.
    responses: Option<Arc<Responses>>,
    /// The responses that failed that check.
    problems: Mutex<Vec<String>>,
    store: Mutex<Store>,
    pub(crate) nonces: Mutex<Nonces>,
    /// How far tests have moved the sessions' clock forward, in milliseconds.
    pub(crate) advanced: AtomicU64,
    pub(crate) authenticated: AtomicU64,
    pub(crate) unauthorized: AtomicU64,
    pub(crate) replayed: AtomicU64,
    /// The token endpoint's URL: what a client assertion's `aud` must be.
    pub(crate) auth_url: String,
    /// How long the tokens it issues are valid, on the sessions' clock.
    pub(crate) token_lifetime: Duration,
    pub(crate) tokens: Mutex<Tokens>,
    pub(crate) tokens_issued: AtomicU64,
    /// The control plane under `/__emulator/`: the journal, the faults.
    pub(crate) control: crate::control::Control,
    /// Whether new sessions wait for their user's journey on the web page
    /// ([`crate::Builder::user_flow`]).
    pub(crate) user_flow: AtomicBool,
}

impl App {
    // One argument per setting of the `Builder`, which is the one caller.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        sdk_id: String,
        public_key: PublicKey,
        bearer_token: String,
        tolerance: Duration,
        spec: Arc<Spec>,
        responses: Option<Arc<Responses>>,
        ids: Ids,
        control: crate::control::Control,
    ) -> App {
        App {
            sdk_id,
            public_key,
            bearer_token,
            tolerance,
            spec,
            responses,
            problems: Mutex::default(),
            store: Mutex::new(Store::new(ids)),
            nonces: Mutex::default(),
            advanced: AtomicU64::new(0),
            authenticated: AtomicU64::new(0),
            unauthorized: AtomicU64::new(0),
            replayed: AtomicU64::new(0),
            auth_url: String::new(),
            token_lifetime: crate::DEFAULT_TOKEN_LIFETIME,
            tokens: Mutex::default(),
            tokens_issued: AtomicU64::new(0),
            control,
            user_flow: AtomicBool::new(false),
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

/// A response that is not checked against the spec: a session body a test inserted, the
/// control plane's.
#[derive(Clone, Copy)]
pub(crate) struct Unchecked;

/// Checks every response against the spec ([`crate::responses`]) unless that is switched off;
/// one that fails is logged, kept, and answered with 500 instead.
pub(crate) async fn check_response(
    State(app): State<Arc<App>>,
    request: Request,
    next: Next,
) -> Response {
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
