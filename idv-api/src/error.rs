//! The error every generated operation returns: [`Error`].

use std::error::Error as StdError;
use std::fmt;

use bytes::Bytes;
use reqwest::StatusCode;

use crate::{MiddlewareError, ResponseValue, types};

/// Why an operation failed.
///
/// idv-api owns this type (it is not progenitor's re-exported `Error`), so an upgrade of the
/// generator does not change it. Its `Display` is one bounded line that never contains
/// response content, which can carry personal data; the raw body of a response that could
/// not be read is reachable through [`Error::body`].
///
/// `E` is the body of a documented error status: [`types::ApiError`] for every operation.
#[non_exhaustive]
pub enum Error<E = types::ApiError> {
    /// A builder value is missing or invalid. Nothing was sent.
    InvalidRequest(String),
    /// A path parameter would change which resource the request addresses. Nothing was sent.
    InvalidPathParameter(PathParameterError),
    /// A middleware (the signer, or one of your own) refused the request. Nothing was sent.
    /// The [`MiddlewareError`] holds the middleware's own error; [`Error::signing_error`] and
    /// [`Error::token_error`] find the signer's or the token source's in it.
    NotSent(MiddlewareError),
    /// Connecting, sending, or receiving failed, or the deadline passed.
    CommunicationError(reqwest::Error),
    /// The API answered with a documented error status and its error body.
    ErrorResponse(ResponseValue<E>),
    /// The API answered, but the body is not what the status documents (empty, HTML from a
    /// proxy, or JSON of another shape), or it exceeded the size cap.
    InvalidResponse(InvalidResponse),
    /// The API answered with a status this operation does not document. The body is unread.
    UnexpectedResponse(reqwest::Response),
}

impl<E> Error<E> {
    /// The response's status, when there was a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::InvalidRequest(_) | Error::InvalidPathParameter(_) | Error::NotSent(_) => None,
            Error::CommunicationError(e) => e.status(),
            Error::ErrorResponse(rv) => Some(rv.status()),
            Error::InvalidResponse(r) => Some(r.status),
            Error::UnexpectedResponse(r) => Some(r.status()),
        }
    }

    /// Whether trying again may succeed: a communication failure, or a status of 408, 429,
    /// 502, 503 or 504. A request that was never sent, or one that was refused, is not.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::CommunicationError(_) => true,
            Error::InvalidRequest(_)
            | Error::InvalidPathParameter(_)
            | Error::NotSent(_)
            | Error::InvalidResponse(_) => false,
            Error::ErrorResponse(_) | Error::UnexpectedResponse(_) => self
                .status()
                .is_some_and(|s| matches!(s.as_u16(), 408 | 429 | 502 | 503 | 504)),
        }
    }

    /// The middleware error that stopped the request before it was sent, if one did.
    pub fn middleware_error(&self) -> Option<&MiddlewareError> {
        match self {
            Error::NotSent(e) => Some(e),
            _ => None,
        }
    }

    /// The signing error that stopped the request before it was sent, if one did, wherever
    /// it sits in the source chain (a retry middleware in front of the signer wraps it).
    pub fn signing_error(&self) -> Option<&idv_signing::SignError> {
        self.middleware_error()?.signing_error()
    }

    /// The token source's error that stopped the request before it was sent, when a client
    /// built with a [`TokenSource`](crate::TokenSource) could obtain no token.
    pub fn token_error(&self) -> Option<&crate::TokenError> {
        self.middleware_error()?.token_error()
    }

    /// The raw body of a response that could not be read as the operation documents it.
    /// It may contain personal data: handle it as such.
    pub fn body(&self) -> Option<&Bytes> {
        match self {
            Error::InvalidResponse(r) => r.body(),
            _ => None,
        }
    }
}

impl<E> From<reqwest::Error> for Error<E> {
    fn from(e: reqwest::Error) -> Self {
        Error::CommunicationError(e)
    }
}

impl<E> From<reqwest::header::InvalidHeaderValue> for Error<E> {
    fn from(_: reqwest::header::InvalidHeaderValue) -> Self {
        Error::InvalidRequest("a header parameter is not a valid header value".to_string())
    }
}

impl<E> From<PathParameterError> for Error<E> {
    fn from(e: PathParameterError) -> Self {
        Error::InvalidPathParameter(e)
    }
}

impl<E> From<InvalidResponse> for Error<E> {
    fn from(e: InvalidResponse) -> Self {
        Error::InvalidResponse(e)
    }
}

/// Finds a `T` in `error`'s source chain, looking inside the `anyhow::Error` a
/// `reqwest_middleware::Error::Middleware` holds (whose `source` skips the error itself).
pub(crate) fn find<'a, T: StdError + 'static>(
    mut error: Option<&'a (dyn StdError + 'static)>,
) -> Option<&'a T> {
    while let Some(e) = error {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        if let Some(reqwest_middleware::Error::Middleware(inner)) =
            e.downcast_ref::<reqwest_middleware::Error>()
        {
            return find(Some(inner.as_ref()));
        }
        error = e.source();
    }
    None
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(s) => write!(f, "invalid request, not sent: {s}"),
            Error::InvalidPathParameter(e) => write!(f, "{e}"),
            Error::NotSent(e) => write!(f, "{e}"),
            Error::CommunicationError(e) => {
                write!(f, "communication with the API failed: {e}")?;
                let mut source = e.source();
                while let Some(s) = source {
                    write!(f, ": {s}")?;
                    source = s.source();
                }
                Ok(())
            }
            Error::ErrorResponse(rv) => {
                write!(f, "the API answered {}: {}", rv.status(), rv.as_ref())
            }
            Error::InvalidResponse(r) => write!(f, "{r}"),
            Error::UnexpectedResponse(r) => {
                write!(
                    f,
                    "the API answered {}, which the operation does not document",
                    r.status()
                )?;
                describe_body(f, r.headers(), r.content_length())
            }
        }
    }
}

/// ` (text/html, 1234 bytes)`, from the headers alone.
fn describe_body(
    f: &mut fmt::Formatter<'_>,
    headers: &reqwest::header::HeaderMap,
    length: Option<u64>,
) -> fmt::Result {
    let content_type = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .filter(|v| v.len() <= 100);
    match (content_type, length) {
        (Some(t), Some(n)) => write!(f, " ({t}, {n} bytes)"),
        (Some(t), None) => write!(f, " ({t})"),
        (None, Some(n)) => write!(f, " ({n} bytes)"),
        (None, None) => Ok(()),
    }
}

impl<E: fmt::Display> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let variant = match self {
            Error::InvalidRequest(_) => "InvalidRequest",
            Error::InvalidPathParameter(_) => "InvalidPathParameter",
            Error::NotSent(_) => "NotSent",
            Error::CommunicationError(_) => "CommunicationError",
            Error::ErrorResponse(_) => "ErrorResponse",
            Error::InvalidResponse(_) => "InvalidResponse",
            Error::UnexpectedResponse(_) => "UnexpectedResponse",
        };
        write!(f, "{variant}({self})")
    }
}

impl<E: fmt::Display> StdError for Error<E> {
    /// The reqwest error of a communication failure, or the error of the middleware that
    /// refused the request. Nothing else: a JSON error can quote the response.
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::CommunicationError(e) => Some(e),
            Error::NotSent(e) => Some(e),
            Error::InvalidPathParameter(e) => Some(e),
            _ => None,
        }
    }
}

/// A path parameter that would change which resource a request addresses: empty, a dot
/// segment (`.`, `..`, also percent-encoded), or containing `/`, `\`, `?` or `#`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the path parameter {name} {reason}, so the request was not sent")]
pub struct PathParameterError {
    name: &'static str,
    reason: &'static str,
}

impl PathParameterError {
    /// The parameter's name, as its builder method is named (e.g. `session_id`).
    pub fn name(&self) -> &'static str {
        self.name
    }
}

/// `value`, percent-encoded as one path segment, or an error naming the parameter when it
/// would address another resource. Generated code calls this for every path parameter.
pub(crate) fn path_segment(name: &'static str, value: &str) -> Result<String, PathParameterError> {
    let refuse = |reason| Err(PathParameterError { name, reason });
    if value.is_empty() {
        return refuse("is empty");
    }
    if let Some(c) = value.chars().find(|c| matches!(c, '/' | '\\' | '?' | '#')) {
        return refuse(match c {
            '/' => "contains '/'",
            '\\' => "contains '\\'",
            '?' => "contains '?'",
            _ => "contains '#'",
        });
    }
    let decoded = value.to_ascii_lowercase().replace("%2e", ".");
    if decoded == "." || decoded == ".." {
        return refuse("is a dot segment");
    }
    if ["%2f", "%5c", "%3f", "%23"]
        .iter()
        .any(|e| decoded.contains(e))
    {
        return refuse("contains a percent-encoded '/', '\\', '?' or '#'");
    }
    Ok(progenitor_client::encode_path(value))
}

/// A response body that is not what its status documents, or that exceeded the size cap.
pub struct InvalidResponse {
    pub(crate) status: StatusCode,
    pub(crate) content_type: Option<String>,
    pub(crate) kind: InvalidKind,
}

pub(crate) enum InvalidKind {
    TooLarge {
        limit: usize,
    },
    NotJson {
        body: Bytes,
        error: serde_json::Error,
    },
}

impl InvalidResponse {
    /// The response's status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The raw body, unless it exceeded the size cap. It may contain personal data.
    pub fn body(&self) -> Option<&Bytes> {
        match &self.kind {
            InvalidKind::NotJson { body, .. } => Some(body),
            InvalidKind::TooLarge { .. } => None,
        }
    }

    /// The JSON error. Its text can quote the body, so it may contain personal data.
    pub fn json_error(&self) -> Option<&serde_json::Error> {
        match &self.kind {
            InvalidKind::NotJson { error, .. } => Some(error),
            InvalidKind::TooLarge { .. } => None,
        }
    }

    /// Whether the body exceeded the size cap.
    pub fn is_too_large(&self) -> bool {
        matches!(self.kind, InvalidKind::TooLarge { .. })
    }
}

impl fmt::Display for InvalidResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.status;
        let ct = self.content_type.as_deref().unwrap_or("no content type");
        match &self.kind {
            InvalidKind::TooLarge { limit } => write!(
                f,
                "the API answered {status} with a body over the {limit}-byte cap ({ct}); it was not read"
            ),
            InvalidKind::NotJson { body, error } => {
                write!(
                    f,
                    "the API answered {status} with a body that is not the documented JSON ({ct}, {} bytes): ",
                    body.len()
                )?;
                write!(f, "{}", json_problem(error))
            }
        }
    }
}

/// The name of the required field serde found missing, if that is the error. serde writes
/// "missing field `name`" with the name of a field of the Rust type, never response content.
fn missing_field(error: &serde_json::Error) -> Option<String> {
    let message = error.to_string();
    let name = message.strip_prefix("missing field `")?.split('`').next()?;
    let is_identifier = !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    is_identifier.then(|| name.to_string())
}

impl InvalidResponse {
    /// The name of the required field the body lacks, when that is why it could not be read
    /// (e.g. `session_id` in a create-session response).
    pub fn missing_field(&self) -> Option<String> {
        match &self.kind {
            InvalidKind::NotJson { error, .. } => missing_field(error),
            InvalidKind::TooLarge { .. } => None,
        }
    }
}

impl fmt::Debug for InvalidResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "InvalidResponse({self})")
    }
}

impl fmt::Display for types::ApiError {
    /// One sentence: `NOT_FOUND: Session not found (requested_checks[0].type: unknown)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.code, &self.message) {
            (Some(code), Some(message)) => write!(f, "{code}: {message}")?,
            (Some(code), None) => write!(f, "{code}")?,
            (None, Some(message)) => write!(f, "{message}")?,
            (None, None) => write!(f, "an error with no code or message")?,
        }
        for (i, e) in self.errors.iter().enumerate() {
            f.write_str(if i == 0 { " (" } else { "; " })?;
            match (&e.property, &e.message) {
                (Some(p), Some(m)) => write!(f, "{p}: {m}")?,
                (Some(p), None) => write!(f, "{p}")?,
                (None, Some(m)) => write!(f, "{m}")?,
                (None, None) => write!(f, "unspecified")?,
            }
        }
        if !self.errors.is_empty() {
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// What is wrong with a JSON body and where, without serde's message, which quotes values
/// (and so can carry personal data).
pub(crate) fn json_problem(error: &serde_json::Error) -> String {
    // A missing field's name comes from the spec, not the response, so it may be quoted.
    if let Some(field) = missing_field(error) {
        return format!(
            "the required field `{field}` is missing at line {} column {}",
            error.line(),
            error.column()
        );
    }
    let what = match error.classify() {
        serde_json::error::Category::Io => "unreadable",
        serde_json::error::Category::Syntax => "not JSON",
        serde_json::error::Category::Data => "a value of the wrong type or a missing field",
        serde_json::error::Category::Eof => "cut short",
    };
    format!("{what} at line {} column {}", error.line(), error.column())
}
