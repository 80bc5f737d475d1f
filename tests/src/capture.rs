//! The handlers of the operations that the official SDKs call beyond the API reference:
//! the session's configuration. Their session logic is in [`crate::sessions`].

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::server::App;

/// `GET /sessions/{sessionId}/configuration`.
pub(crate) async fn get_configuration(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let now = app.now();
    let mut store = app.store();
    let (session, config) = store
        .session(&id, now)
        .ok_or_else(|| ApiError::session_not_found(&id))?;
    Ok(Json(session.configuration(&id, config, now)).into_response())
}
