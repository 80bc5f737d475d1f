//! The in-branch verification instructions of a session (`/sessions/{id}/instructions`):
//! set, read, the contact profile, the PDF letter and the email. What they are made of is in
//! `crate::sessions` (the instructions module).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::{Json, body::Bytes};

use crate::api::Answer;
use crate::error::ApiError;
use crate::server::App;

fn instructions_not_found(id: &str) -> ApiError {
    let message = format!("session `{id}` has no in-branch verification instructions");
    ApiError::new(StatusCode::NOT_FOUND, "INSTRUCTIONS_NOT_FOUND", message)
}

fn contact_profile_not_found(id: &str) -> ApiError {
    let message = format!("the instructions of session `{id}` have no contact profile");
    ApiError::new(StatusCode::NOT_FOUND, "CONTACT_PROFILE_NOT_FOUND", message)
}

/// `PUT /sessions/{sessionId}/instructions`.
pub(in crate::api) async fn put(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let payload = app.payload("putIbvInstructions", &headers, &body)?;
    app.with_session(&id, |session, _, _| {
        session.set_instructions(payload);
        // The instructions' PDF is new.
        session.notice("new_pdf_supplied");
    })?;
    Ok(StatusCode::OK.into_response())
}

/// `GET /sessions/{sessionId}/instructions`.
pub(in crate::api) async fn get(State(app): State<Arc<App>>, Path(id): Path<String>) -> Answer {
    let body = app
        .with_session(&id, |session, _, _| session.instructions())?
        .ok_or_else(|| instructions_not_found(&id))?;
    Ok(Json(body).into_response())
}

/// `GET /sessions/{sessionId}/instructions/contact-profile`.
pub(in crate::api) async fn contact_profile(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Answer {
    let profile = app
        .with_session(&id, |session, _, _| session.contact_profile().cloned())?
        .ok_or_else(|| contact_profile_not_found(&id))?;
    Ok(Json(profile).into_response())
}

/// `GET /sessions/{sessionId}/instructions/pdf`: 204 before the instructions are set.
pub(in crate::api) async fn pdf(State(app): State<Arc<App>>, Path(id): Path<String>) -> Answer {
    Ok(
        match app.with_session(&id, |session, _, _| session.instructions_pdf())? {
            Some(pdf) => ([(header::CONTENT_TYPE, "application/pdf")], pdf).into_response(),
            None => StatusCode::NO_CONTENT.into_response(),
        },
    )
}

/// `POST /sessions/{sessionId}/instructions/email`: no body; 404 without a contact profile.
pub(in crate::api) async fn email(State(app): State<Arc<App>>, Path(id): Path<String>) -> Answer {
    let requested = app.with_session(&id, |session, _, _| {
        let has_profile = session.contact_profile().is_some();
        if has_profile {
            session.notice("instructions_email_requested");
        }
        has_profile
    })?;
    if !requested {
        return Err(contact_profile_not_found(&id));
    }
    Ok(StatusCode::OK.into_response())
}
