//! Receiving the notifications Yoti sends about a session.
//!
//! When a session's [`NotificationConfig`](crate::types::NotificationConfig) names an
//! `endpoint` and `topics`, Yoti POSTs a JSON [`SessionNotification`] to the endpoint for each
//! subscribed topic as the session changes. With an `auth_token`, the request carries
//! `Authorization: Basic <base64 of auth_token>` (`auth_type` BASIC, the default) or
//! `Authorization: Bearer <auth_token>` (BEARER: the token is sent unchanged).
//!
//! This module is framework-neutral: [`NotificationAuth::verify`] takes the header's bytes and
//! [`parse`] the body's, so it works in any web framework.
//!
//! ```
//! use idv_api::notifications::{self, NotificationAuth};
//! use idv_api::types::SessionNotificationTopic;
//!
//! // The auth_token the session was created with, with auth_type BASIC.
//! let auth = NotificationAuth::basic("username:password");
//! // What Yoti sends: "Basic " and the base64 of the token.
//! auth.verify(Some(b"Basic dXNlcm5hbWU6cGFzc3dvcmQ="))?;
//! assert!(auth.verify(Some(b"Basic d3Jvbmc6dG9rZW4=")).is_err());
//!
//! let body = br#"{"session_id": "04f3b176", "topic": "session_completion"}"#;
//! let notification = notifications::parse(body)?;
//! assert_eq!(notification.topic, SessionNotificationTopic::SessionCompletion);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use base64::Engine as _;
use subtle::ConstantTimeEq as _;

use crate::types::SessionNotification;

/// The `Authorization` header a notification endpoint expects, from the session's
/// `auth_token` and `auth_type`. Its `Debug` output never shows the token.
#[derive(Clone)]
pub struct NotificationAuth {
    scheme: &'static str,
    credentials: Vec<u8>,
}

impl std::fmt::Debug for NotificationAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NotificationAuth")
            .field("scheme", &self.scheme)
            .field("credentials", &"<redacted>")
            .finish()
    }
}

impl NotificationAuth {
    /// For `auth_type` BASIC (the default): Yoti sends `Authorization: Basic ` and the standard
    /// base64 of `auth_token`. With a `username:password` token, that is ordinary HTTP Basic
    /// authentication.
    pub fn basic(auth_token: impl AsRef<[u8]>) -> Self {
        let encoded = base64::engine::general_purpose::STANDARD.encode(auth_token);
        NotificationAuth {
            scheme: "Basic",
            credentials: encoded.into_bytes(),
        }
    }

    /// For `auth_type` BEARER: Yoti sends `Authorization: Bearer ` and `auth_token` unchanged.
    pub fn bearer(auth_token: impl AsRef<[u8]>) -> Self {
        NotificationAuth {
            scheme: "Bearer",
            credentials: auth_token.as_ref().to_vec(),
        }
    }

    /// Checks a notification's `Authorization` header (`None` when it has none). The scheme's
    /// name may be in any case, as HTTP allows; the credentials are compared in constant time.
    ///
    /// # Errors
    ///
    /// [`NotificationAuthError`] says whether the header is missing, has another scheme, or
    /// has other credentials. It never contains the header or the token.
    pub fn verify(&self, authorization: Option<&[u8]>) -> Result<(), NotificationAuthError> {
        let header = authorization.ok_or(NotificationAuthError::Missing)?;
        let header = header.trim_ascii();
        let split = header.iter().position(|b| *b == b' ');
        let (scheme, credentials) = match split {
            Some(at) => (&header[..at], header[at + 1..].trim_ascii_start()),
            None => (header, &[][..]),
        };
        if !scheme.eq_ignore_ascii_case(self.scheme.as_bytes()) {
            return Err(NotificationAuthError::WrongScheme {
                expected: self.scheme,
            });
        }
        if bool::from(credentials.ct_eq(&self.credentials)) {
            Ok(())
        } else {
            Err(NotificationAuthError::Mismatch {
                scheme: self.scheme,
            })
        }
    }
}

/// Why a notification's `Authorization` header was not accepted. Answer such a request with
/// 401; none of these carry the header's or the token's content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotificationAuthError {
    /// The request has no `Authorization` header.
    #[error("the notification has no Authorization header")]
    Missing,
    /// The header's scheme is not the one configured.
    #[error(
        "the notification's Authorization header does not use the {expected} scheme that the session's auth_type asks for"
    )]
    WrongScheme {
        /// The scheme expected: `Basic` or `Bearer`.
        expected: &'static str,
    },
    /// The header's credentials are not the configured token.
    #[error("the notification's {scheme} credentials do not match the session's auth_token")]
    Mismatch {
        /// The scheme: `Basic` or `Bearer`.
        scheme: &'static str,
    },
}

/// Reads a notification's JSON body. A topic or a field the spec does not know is kept, as
/// everywhere in this crate.
///
/// # Errors
///
/// [`NotificationError`] when the body is not a notification. Its message gives the place and
/// the kind of problem, never the body's content.
pub fn parse(body: &[u8]) -> Result<SessionNotification, NotificationError> {
    serde_json::from_slice(body).map_err(|error| NotificationError {
        len: body.len(),
        error,
    })
}

/// A notification body that is not a [`SessionNotification`]. Neither its `Display` nor its
/// `Debug` quotes the body: `serde_json::Error`'s own can (`invalid type: string "..."`), so
/// `Debug` shows the same place and kind of problem as `Display`.
#[derive(thiserror::Error)]
#[error(
    "the {len}-byte body is not a session notification: {}",
    crate::error::json_problem(error)
)]
pub struct NotificationError {
    len: usize,
    error: serde_json::Error,
}

impl std::fmt::Debug for NotificationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NotificationError")
            .field("len", &self.len)
            .field("error", &crate::error::json_problem(&self.error))
            .finish()
    }
}

impl NotificationError {
    /// The JSON error. Its text can quote the body.
    pub fn json_error(&self) -> &serde_json::Error {
        &self.error
    }
}
