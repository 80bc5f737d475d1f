//! The control plane over HTTP, under `/__emulator/`: no authentication, JSON in and out
//! (whatever the request's `Content-Type`, so that `curl -d` works), and an `ApiError` body
//! that says what is wrong for a bad request.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::{Map, Value, json};

use crate::control::{ControlError, Fault, RequestFilter};
use crate::error::ApiError;
use crate::server::{App, Unchecked};

type Answer = Result<Response, ApiError>;

/// How far ahead the sessions' clock may be moved over HTTP: 100 years, far from the dates'
/// limits.
const MAX_OFFSET: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// The control plane's routes, to nest under `/__emulator`.
pub(crate) fn router() -> Router<Arc<App>> {
    Router::new()
        .route("/health", get(health))
        .route("/reset", post(reset))
        .route("/clock/advance", post(advance))
        .route("/requests", get(requests))
        .route("/faults", get(faults).post(inject).delete(clear_faults))
        .route("/faults/{id}", delete(remove_fault))
        .route(
            "/sessions/{id}/complete",
            post(crate::api::web::control::complete),
        )
        .route("/sessions/{id}/fail", post(crate::api::web::control::fail))
        .route(
            "/sessions/{id}/cancel",
            post(crate::api::web::control::cancel),
        )
        .fallback(unknown)
}

/// A JSON answer, not checked against the API's spec (it is no operation of the API).
fn answer(status: StatusCode, body: Value) -> Response {
    let mut response = (status, Json(body)).into_response();
    response.extensions_mut().insert(Unchecked);
    response
}

/// 204, not checked against the API's spec either.
fn no_content() -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.extensions_mut().insert(Unchecked);
    response
}

async fn health() -> Response {
    answer(StatusCode::OK, json!({"status": "ok"}))
}

async fn reset(State(app): State<Arc<App>>) -> Response {
    crate::control::reset(&app);
    no_content()
}

/// `{"seconds": N}`: answers the clock's new offset and the sessions' time.
async fn advance(State(app): State<Arc<App>>, body: Bytes) -> Answer {
    let mut seconds = None;
    for (name, value) in object(&body, r#"{"seconds": 60}"#)? {
        match name.as_str() {
            "seconds" => seconds = Some(integer(&name, &value)?),
            _ => return Err(unknown_field(&name, "seconds").into()),
        }
    }
    let seconds = seconds.ok_or_else(|| ControlError("`seconds` is missing".into()))?;
    let ahead = crate::control::clock_offset(&app);
    if Duration::from_secs(seconds) > MAX_OFFSET.saturating_sub(ahead) {
        let message = format!(
            "`seconds`: the clock may be at most {} s ahead, and it is {} s ahead already",
            MAX_OFFSET.as_secs(),
            ahead.as_secs()
        );
        return Err(ControlError(message).into());
    }
    app.advance(Duration::from_secs(seconds));
    let offset = crate::control::clock_offset(&app);
    let offset_ms = u64::try_from(offset.as_millis()).unwrap_or(u64::MAX);
    let now = i64::try_from(app.now().as_millis())
        .ok()
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
    Ok(answer(
        StatusCode::OK,
        json!({"offset_ms": offset_ms, "now": now}),
    ))
}

/// The journal as a JSON array, with `X-Emulator-Dropped`: how many entries went to stay
/// within its capacity. `?operation=` and `?session=` filter it.
async fn requests(
    State(app): State<Arc<App>>,
    Query(query): Query<Vec<(String, String)>>,
) -> Answer {
    let mut filter = RequestFilter::all();
    for (name, value) in query {
        match name.as_str() {
            "operation" => {
                let ids = app.control.operations.ids();
                if !ids.contains(value.as_str()) {
                    let known = ids.into_iter().collect::<Vec<_>>().join(", ");
                    let message = format!(
                        "`operation`: `{value}` is not an operation of the spec; they are {known}"
                    );
                    return Err(ControlError(message).into());
                }
                filter = filter.operation(value);
            }
            "session" => filter = filter.session(value),
            _ => {
                let message =
                    format!("`{name}` is not a filter of the journal; they are operation, session");
                return Err(ControlError(message).into());
            }
        }
    }
    let (entries, dropped) = {
        let journal = app.control.journal();
        (journal.entries(&filter), journal.dropped())
    };
    let entries: Vec<Value> = entries
        .iter()
        .map(crate::control::JournalEntry::to_json)
        .collect();
    let mut response = answer(StatusCode::OK, Value::Array(entries));
    response
        .headers_mut()
        .insert("x-emulator-dropped", dropped.into());
    Ok(response)
}

async fn faults(State(app): State<Arc<App>>) -> Response {
    let faults = app.control.faults().list();
    let faults = faults
        .iter()
        .map(crate::control::InjectedFault::to_json)
        .collect();
    answer(StatusCode::OK, Value::Array(faults))
}

async fn inject(State(app): State<Arc<App>>, body: Bytes) -> Answer {
    let fault = fault(&body)?;
    let injected = crate::control::inject(&app, fault)?;
    Ok(answer(StatusCode::CREATED, injected.to_json()))
}

async fn clear_faults(State(app): State<Arc<App>>) -> Response {
    app.control.faults().clear_list();
    no_content()
}

async fn remove_fault(State(app): State<Arc<App>>, Path(id): Path<String>) -> Answer {
    let removed = id.parse().is_ok_and(|id| app.control.faults().remove(id));
    if !removed {
        let message = format!("there is no fault `{id}` (a fault with `times` goes once used up)");
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "FAULT_NOT_FOUND",
            message,
        ));
    }
    Ok(no_content())
}

async fn unknown(method: Method, uri: Uri) -> ApiError {
    let message = format!(
        "no control endpoint {method} {}: there are GET /__emulator/health, POST /__emulator/reset, POST /__emulator/clock/advance, GET /__emulator/requests, GET, POST and DELETE /__emulator/faults, DELETE /__emulator/faults/{{id}}, POST /__emulator/sessions/{{id}}/complete, /fail and /cancel",
        uri.path()
    );
    ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", message)
}

/// A fault from its JSON, e.g. `{"operation": "getSession", "status": 503, "times": 1}`;
/// `null` is read as absent. Checked further by [`Fault::checked`].
fn fault(body: &[u8]) -> Result<Fault, ControlError> {
    let example = r#"{"operation": "getSession", "status": 503, "times": 1}"#;
    let mut fault = Fault::new();
    for (name, value) in object(body, example)? {
        match name.as_str() {
            "operation" => match value {
                Value::String(operation) => fault.operation = Some(operation),
                other => return Err(wrong_type(&name, "a string", &other)),
            },
            "status" => {
                let status = integer(&name, &value)?;
                let status = u16::try_from(status).map_err(|_| {
                    ControlError(format!(
                        "`status`: {status} is not one of 429, 500, 502 or 503"
                    ))
                })?;
                fault.status = Some(status);
            }
            "retry_after" => fault.retry_after = Some(integer(&name, &value)?),
            "delay_ms" => fault.delay = Some(Duration::from_millis(integer(&name, &value)?)),
            "drop" => match value {
                Value::Bool(drop) => fault.drop = drop,
                other => return Err(wrong_type(&name, "true or false", &other)),
            },
            "times" => fault.times = Some(integer(&name, &value)?),
            "probability" => match value.as_f64() {
                Some(p) => fault.probability = Some(p),
                None => return Err(wrong_type(&name, "a number from 0 to 1", &value)),
            },
            _ => {
                let known = "operation, status, retry_after, delay_ms, drop, times, probability";
                return Err(unknown_field(&name, known));
            }
        }
    }
    Ok(fault)
}

/// The body's fields (those that are not `null`), if it is a JSON object.
fn object(body: &[u8], example: &str) -> Result<Map<String, Value>, ControlError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ControlError(format!("the body is not JSON ({e}); e.g. {example}")))?;
    match value {
        Value::Object(mut fields) => {
            fields.retain(|_, v| !v.is_null());
            Ok(fields)
        }
        _ => Err(ControlError(format!(
            "the body must be a JSON object, e.g. {example}"
        ))),
    }
}

fn integer(name: &str, value: &Value) -> Result<u64, ControlError> {
    value
        .as_u64()
        .ok_or_else(|| wrong_type(name, "a non-negative integer", value))
}

fn wrong_type(name: &str, expected: &str, value: &Value) -> ControlError {
    ControlError(format!("`{name}`: must be {expected}; it is {value}"))
}

fn unknown_field(name: &str, known: &str) -> ControlError {
    ControlError(format!(
        "`{name}` is not a field here; the fields are {known}"
    ))
}
