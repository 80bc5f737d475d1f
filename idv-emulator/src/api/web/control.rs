//! Finishing a session's journey "as the user would", without a browser: the control plane's
//! `POST /__emulator/sessions/{id}/complete`, `/fail` and `/cancel`, and the typed
//! [`Emulator::complete_session`], [`Emulator::fail_session`] and [`Emulator::cancel_session`].
//! Both call [`super::finish`], as the page's form does.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{DEFAULT_ERROR_CODE, Outcome, Refused, finish};
use crate::Emulator;
use crate::error::ApiError;
use crate::server::{App, Unchecked};

/// Why a session's journey could not be finished.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JourneyError {
    /// There is no such session (or its resources have expired).
    #[error("there is no session `{0}`")]
    SessionNotFound(String),
    /// The session's user has finished already, or never had to: without
    /// [`crate::Builder::user_flow`], every session is completed as it is created.
    #[error("the session's user has finished already (or the emulator runs without user_flow)")]
    Finished,
}

fn typed(id: &str, refused: Refused) -> JourneyError {
    match refused.status {
        StatusCode::NOT_FOUND => JourneyError::SessionNotFound(id.to_owned()),
        _ => JourneyError::Finished,
    }
}

/// The user's journey, finished as the user would: the same as the page's buttons.
impl Emulator {
    /// Completes session `id` as its user would on the page, with the default document
    /// choices: its resources are made as the sandbox configuration says, its checks start,
    /// its notifications follow. Returns where the browser would be sent (its
    /// `sdk_config.success_url`), if anywhere. `POST /__emulator/sessions/{id}/complete`.
    ///
    /// # Errors
    ///
    /// A [`JourneyError`] for an unknown session, or one whose user has finished.
    pub fn complete_session(&self, id: &str) -> Result<Option<String>, JourneyError> {
        finish(&self.app, id, None, &Outcome::Complete(Vec::new())).map_err(|r| typed(id, r))
    }

    /// Fails session `id`'s journey with this `yotiErrorCode` (e.g. 3000): nothing is
    /// captured, and the browser would go to its `error_url` with the code, which is returned.
    /// `POST /__emulator/sessions/{id}/fail`.
    ///
    /// # Errors
    ///
    /// As [`Emulator::complete_session`].
    pub fn fail_session(
        &self,
        id: &str,
        yoti_error_code: u32,
    ) -> Result<Option<String>, JourneyError> {
        finish(&self.app, id, None, &Outcome::Fail(yoti_error_code)).map_err(|r| typed(id, r))
    }

    /// Cancels session `id`'s journey as its user would (`yotiErrorCode` 1000 on its
    /// `error_url`, which is returned). `POST /__emulator/sessions/{id}/cancel`.
    ///
    /// # Errors
    ///
    /// As [`Emulator::complete_session`].
    pub fn cancel_session(&self, id: &str) -> Result<Option<String>, JourneyError> {
        finish(&self.app, id, None, &Outcome::Cancel).map_err(|r| typed(id, r))
    }
}

/// `POST /__emulator/sessions/{id}/complete`: `{"redirect": url or null}`.
pub(crate) async fn complete(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    answer(finish(&app, &id, None, &Outcome::Complete(Vec::new())))
}

/// `POST /__emulator/sessions/{id}/fail`, with an optional `{"yoti_error_code": N}` (default
/// 3000).
pub(crate) async fn fail(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut code = DEFAULT_ERROR_CODE;
    if !body.iter().all(u8::is_ascii_whitespace) {
        let value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let given = value.as_object().and_then(|o| {
            o.iter()
                .all(|(k, _)| k == "yoti_error_code")
                .then(|| o.get("yoti_error_code"))
        });
        code = match given {
            Some(None) => code,
            Some(Some(n)) => n
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(bad_fail)?,
            None => return Err(bad_fail()),
        };
    }
    answer(finish(&app, &id, None, &Outcome::Fail(code)))
}

/// `POST /__emulator/sessions/{id}/cancel`.
pub(crate) async fn cancel(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    answer(finish(&app, &id, None, &Outcome::Cancel))
}

fn bad_fail() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "INVALID_CONTROL_REQUEST",
        r#"the body must be empty or a JSON object such as {"yoti_error_code": 3000}"#,
    )
}

fn answer(finished: Result<Option<String>, Refused>) -> Result<Response, ApiError> {
    let redirect = finished?;
    let mut response = (StatusCode::OK, Json(json!({"redirect": redirect}))).into_response();
    response.extensions_mut().insert(Unchecked);
    Ok(response)
}
