//! The `media` tag: a session's media content, downloaded or deleted.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;

use super::Answer;
use crate::error::ApiError;
use crate::server::App;
use crate::sessions::{Content, generated};

pub(super) async fn get_media(
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

pub(super) async fn delete_media(
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
