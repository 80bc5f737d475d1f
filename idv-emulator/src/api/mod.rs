//! The emulator's HTTP handlers, all in this module tree: one module per tag of the spec, the
//! control plane under `/__emulator/` ([`control`], no authentication, acting on
//! [`crate::control`]) and the end user's page under `{base}/web` ([`web`], no
//! authentication), and the router that serves them under both base paths. The session model
//! they act on is in [`crate::sessions`]; authentication in [`crate::auth`].

pub(crate) mod control;
mod documents;
mod media;
pub(crate) mod oauth;
mod sandbox;
mod sessions;
pub(crate) mod web;

use std::sync::Arc;

use axum::Router;
use axum::middleware;
use axum::response::Response;
use axum::routing::{get, post};

use crate::auth::authenticate;
use crate::error::{ApiError, json_errors, not_found};
use crate::server::{App, check_response};

pub(crate) use self::sandbox::check_app;

/// What a handler answers: its response, or an error with an `ApiError` body.
pub(crate) type Answer = Result<Response, ApiError>;

/// The API under `/idverify/v1`, and under `/sandbox/idverify/v1` with the sandbox's
/// response-config operations too.
pub(crate) fn router(app: Arc<App>) -> Router {
    let api = Router::new()
        .route("/supported-documents", get(documents::supported_documents))
        .route("/sessions", post(sessions::create_session))
        .route(
            "/sessions/{session_id}",
            get(sessions::get_session).delete(sessions::delete_session),
        )
        .route(
            "/sessions/{session_id}/configuration",
            get(sessions::capture::get_configuration),
        )
        .route(
            "/sessions/{session_id}/resources/face-capture",
            post(sessions::capture::create_face_capture),
        )
        .route(
            "/sessions/{session_id}/resources/face-capture/{resource_id}/image",
            axum::routing::put(sessions::capture::upload_face_image),
        )
        .route(
            "/sessions/{session_id}/tracked-devices",
            get(sessions::capture::get_tracked_devices)
                .delete(sessions::capture::delete_tracked_devices),
        )
        .route(
            "/sessions/{session_id}/instructions",
            get(sessions::instructions::get).put(sessions::instructions::put),
        )
        .route(
            "/sessions/{session_id}/instructions/contact-profile",
            get(sessions::instructions::contact_profile),
        )
        .route(
            "/sessions/{session_id}/instructions/pdf",
            get(sessions::instructions::pdf),
        )
        .route(
            "/sessions/{session_id}/instructions/email",
            post(sessions::instructions::email),
        )
        .route(
            "/sessions/{session_id}/media/{media_id}/content",
            get(media::get_media).delete(media::delete_media),
        );
    let sandbox = api
        .clone()
        .route(
            "/apps/{sdk_id}/response-config",
            get(sandbox::get_app_config).put(sandbox::put_app_config),
        )
        .route(
            "/sessions/{session_id}/response-config",
            get(sandbox::get_session_config).put(sandbox::put_session_config),
        );
    let auth = middleware::from_fn_with_state(app.clone(), authenticate);
    let log = middleware::from_fn(crate::log::log_request);
    // The auth service answers in OAuth's terms, not the API's: its errors are not `ApiError`s,
    // and its responses are not in the spec. So it is merged in after those layers.
    let oauth = Router::new()
        .route(oauth::TOKEN_PATH, post(oauth::token))
        .route_layer(log.clone());
    // Between the log and authentication: faults apply before authentication, and the log
    // shows what they answered.
    let journal = middleware::from_fn_with_state(app.clone(), crate::control::record);
    Router::new()
        .nest(
            "/idverify/v1",
            api.route_layer(auth.clone())
                .route_layer(journal.clone())
                .route_layer(log.clone())
                .nest("/web", crate::api::web::router()),
        )
        .nest(
            "/sandbox/idverify/v1",
            sandbox
                .route_layer(auth)
                .route_layer(journal)
                .route_layer(log)
                .nest("/web", crate::api::web::router()),
        )
        .nest("/__emulator", control::router())
        .fallback(not_found)
        .layer(middleware::map_response(json_errors))
        .layer(middleware::from_fn_with_state(app.clone(), check_response))
        .merge(oauth)
        .with_state(app)
}
