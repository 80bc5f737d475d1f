//! The `sandbox` tag: the response configuration of the application and of a session.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde_json::{Map, Value};

use super::Answer;
use crate::error::ApiError;
use crate::schema::FieldError;
use crate::server::App;

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

pub(super) async fn get_app_config(
    State(app): State<Arc<App>>,
    Path(sdk_id): Path<String>,
) -> Answer {
    check_app(&app, &sdk_id)?;
    Ok(Json(app.store().app_config().clone()).into_response())
}

pub(super) async fn put_app_config(
    State(app): State<Arc<App>>,
    Path(sdk_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    check_app(&app, &sdk_id)?;
    let config = response_config(&app, "putApplicationResponseConfig", &headers, &body)?;
    let now = app.now();
    app.store().configure_app(config, now);
    Ok(StatusCode::OK.into_response())
}

pub(super) async fn get_session_config(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Answer {
    let config = app.with_session(&id, |session, config, _| session.effective_config(config))?;
    Ok(Json(config).into_response())
}

pub(super) async fn put_session_config(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let config = response_config(&app, "putSessionResponseConfig", &headers, &body)?;
    app.with_session(&id, |session, _, _| session.configure(config))?;
    Ok(StatusCode::OK.into_response())
}
