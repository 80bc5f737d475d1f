//! The `sessions` tag: sessions created, read and deleted, and their configuration; face
//! capture and tracked devices in [`capture`], the in-branch instructions in [`instructions`].

pub(super) mod capture;
pub(super) mod instructions;

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;

use super::Answer;
use crate::error::ApiError;
use crate::server::{App, Unchecked};
use crate::sessions::Session;

pub(super) async fn create_session(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let payload = app.payload("createSession", &headers, &body)?;
    let now = app.now();
    let mut refused = crate::sessions::refusals(&payload);
    refused.extend(crate::sessions::deadline_problem(&payload, now));
    if !refused.is_empty() {
        return Err(ApiError::invalid(refused));
    }
    let mut store = app.store();
    let (id, mut session) = Session::create(&payload, now, &store.ids);
    if app.user_flow.load(std::sync::atomic::Ordering::Relaxed) {
        session.await_user();
    }
    let created = session.created_body(&id);
    store.sessions.insert(id.clone(), session);
    drop(store);
    if let Some(subscription) = crate::notify::Subscription::of(&payload) {
        crate::notify::spawn(&app, id, subscription);
    }
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

pub(super) async fn get_session(State(app): State<Arc<App>>, Path(id): Path<String>) -> Answer {
    let (raw, body) = app.with_session(&id, |session, config, now| {
        (session.is_raw(), session.body(&id, config, now))
    })?;
    let mut response = ([(header::CONTENT_TYPE, "application/json")], body).into_response();
    if raw {
        response.extensions_mut().insert(Unchecked);
    }
    Ok(response)
}

pub(super) async fn delete_session(State(app): State<Arc<App>>, Path(id): Path<String>) -> Answer {
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
