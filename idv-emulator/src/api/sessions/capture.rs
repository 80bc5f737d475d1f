//! The session's capture requirements, its face capture resources and its tracked devices:
//! operations the official SDKs call beyond the API reference. Their session logic is in
//! [`crate::sessions`].

use std::sync::Arc;

use axum::Json;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use bytes::Bytes;
use serde_json::{Value, json};

use crate::api::Answer;
use crate::error::ApiError;
use crate::server::App;

/// The one part of a face capture image upload.
const IMAGE_PART: &str = "binary-content";

/// `GET /sessions/{sessionId}/configuration`.
pub(in crate::api) async fn get_configuration(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Answer {
    let body = app.with_session(&id, |session, config, now| {
        session.configuration(&id, config, now)
    })?;
    Ok(Json(body).into_response())
}

/// `POST /sessions/{sessionId}/resources/face-capture`.
pub(in crate::api) async fn create_face_capture(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let payload = app.payload("createFaceCaptureResource", &headers, &body)?;
    let requirement = payload
        .get("requirement_id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let created = app.with_session(&id, |session, _, _| {
        session.create_face_capture(requirement)
    })?;
    let resource = created.ok_or_else(|| {
        let message =
            format!("session `{id}` has no FACE_CAPTURE required resource `{requirement}`");
        ApiError::new(StatusCode::NOT_FOUND, "REQUIREMENT_NOT_FOUND", message)
    })?;
    let body = json!({"id": resource, "frames": 1});
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

fn bad_upload(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "INVALID_UPLOAD", message)
}

/// `PUT /sessions/{sessionId}/resources/face-capture/{resourceId}/image`: one multipart part
/// named `binary-content`, whose bytes (not empty) and content type become the resource's
/// image. Nothing is stored unless the whole upload is good.
pub(in crate::api) async fn upload_face_image(
    State(app): State<Arc<App>>,
    Path((id, resource)): Path<(String, String)>,
    request: Request,
) -> Answer {
    let mut multipart = Multipart::from_request(request, &()).await.map_err(|e| {
        bad_upload(format!(
            "the body is not multipart/form-data: {}",
            e.body_text()
        ))
    })?;
    let mut names = Vec::new();
    let mut image = None;
    loop {
        let field = multipart.next_field().await.map_err(|e| {
            bad_upload(format!(
                "the multipart body is malformed: {}",
                e.body_text()
            ))
        })?;
        let Some(field) = field else { break };
        let name = field.name().unwrap_or_default().to_owned();
        if name != IMAGE_PART || image.is_some() {
            names.push(name);
            continue;
        }
        let content_type = field.content_type().map(str::to_owned);
        let bytes = field.bytes().await.map_err(|e| {
            bad_upload(format!(
                "the `{IMAGE_PART}` part is malformed: {}",
                e.body_text()
            ))
        })?;
        image = Some((content_type, bytes));
    }
    let Some((content_type, bytes)) = image else {
        return Err(bad_upload(format!(
            "the body has no `{IMAGE_PART}` part (its parts: {names:?})"
        )));
    };
    let content_type = content_type
        .ok_or_else(|| bad_upload(format!("the `{IMAGE_PART}` part has no Content-Type")))?;
    if bytes.is_empty() {
        return Err(bad_upload(format!("the `{IMAGE_PART}` part is empty")));
    }
    let uploaded = app.with_session(&id, |session, _, _| {
        session.upload_face_image(&resource, content_type, bytes)
    })?;
    if !uploaded {
        let message = format!("session `{id}` has no face capture resource `{resource}`");
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "RESOURCE_NOT_FOUND",
            message,
        ));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /sessions/{sessionId}/tracked-devices`.
pub(in crate::api) async fn get_tracked_devices(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Answer {
    let devices = app.with_session(&id, |session, _, _| session.tracked_devices())?;
    Ok(Json(devices).into_response())
}

/// `DELETE /sessions/{sessionId}/tracked-devices`.
pub(in crate::api) async fn delete_tracked_devices(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Answer {
    app.with_session(&id, |session, _, _| session.delete_tracked_devices())?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
