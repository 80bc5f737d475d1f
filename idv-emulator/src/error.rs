//! Error responses: every one has an `ApiError` JSON body, axum's own rejections included.

use axum::Json;
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::schema::FieldError;

/// An error response with an `ApiError` body.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: String,
    message: String,
    errors: Vec<FieldError>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code: code.to_owned(),
            message: message.into(),
            errors: Vec::new(),
        }
    }

    pub(crate) fn invalid(errors: Vec<FieldError>) -> ApiError {
        let message = "the request body does not match the API's schema";
        ApiError::new(StatusCode::BAD_REQUEST, "PAYLOAD_VALIDATION", message).with_errors(errors)
    }

    /// The same error, with one `errors[]` entry per bad property.
    pub(crate) fn with_errors(self, errors: Vec<FieldError>) -> ApiError {
        ApiError { errors, ..self }
    }

    pub(crate) fn session_not_found(id: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "SESSION_NOT_FOUND",
            format!("there is no session `{id}`"),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({"code": self.code, "message": self.message});
        if !self.errors.is_empty() {
            let errors: Vec<Value> = self
                .errors
                .into_iter()
                .map(|e| json!({"property": e.property, "message": e.message}))
                .collect();
            body["errors"] = Value::Array(errors);
        }
        let mut response = (self.status, Json(body)).into_response();
        response
            .extensions_mut()
            .insert(crate::log::ErrorCode(self.code));
        response
    }
}

/// Gives every error response that is not JSON yet (axum's own rejections, 405s) an
/// `ApiError` body; the end user's HTML pages ([`crate::api::web`]) stay HTML.
pub(crate) async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| {
            v.as_bytes().starts_with(b"application/json") || v.as_bytes().starts_with(b"text/html")
        });
    if json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let reason = status.canonical_reason().unwrap_or("error");
    let code = reason.to_uppercase().replace([' ', '-'], "_");
    let message = if text.is_empty() {
        reason.to_owned()
    } else {
        text
    };
    let mut error = ApiError::new(status, &code, message).into_response();
    // Keep what the headers said (a 405's `Allow`), but not about the old body.
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            error.headers_mut().insert(name, value.clone());
        }
    }
    error
}

pub(crate) async fn not_found(method: Method, uri: Uri) -> ApiError {
    let message = format!(
        "no operation {method} {}: the API is under /idverify/v1 and /sandbox/idverify/v1, and the response-config operations only under the sandbox; the token endpoint is POST /auth/v1/oauth/token",
        uri.path()
    );
    ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", message)
}
