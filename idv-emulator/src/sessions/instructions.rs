//! A session's in-branch verification (IBV) instructions, which only the Java SDK sets and
//! reads: `PUT`/`GET /sessions/{id}/instructions`, `GET …/instructions/contact-profile`,
//! `GET …/instructions/pdf` and `POST …/instructions/email`.
//!
//! The instructions are stored as the validated `PUT` body (the spec's schema checks it), on
//! any session: nothing in the Java SDK or Yoti's documentation limits them to sessions that
//! request IBV. The PDF is a one-page letter written from them.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, body::Bytes};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};
use serde_json::{Value, json};

use super::Session;
use crate::error::ApiError;
use crate::server::App;

type Answer = Result<Response, ApiError>;

impl Session {
    /// Sets the session's instructions (a validated `PUT` body), replacing any before.
    pub(crate) fn set_instructions(&mut self, instructions: Value) {
        self.instructions = Some(instructions);
    }

    /// The instructions as `GET` returns them: `contact_profile_exists` in place of the
    /// profile; `None` before any were set.
    pub(crate) fn instructions(&self) -> Option<Value> {
        let set = self.instructions.as_ref()?;
        let mut body = json!({"contact_profile_exists": set.get("contact_profile").is_some()});
        for field in ["documents", "branch"] {
            if let Some(value) = set.get(field) {
                body[field] = value.clone();
            }
        }
        Some(body)
    }

    /// The instructions' contact profile, if they have one.
    pub(crate) fn contact_profile(&self) -> Option<&Value> {
        self.instructions.as_ref()?.get("contact_profile")
    }

    /// The instructions as a one-page PDF letter; `None` before any were set.
    pub(crate) fn instructions_pdf(&self) -> Option<Vec<u8>> {
        let set = self.instructions.as_ref()?;
        let mut lines = vec![
            "Your in-branch identity verification".to_owned(),
            String::new(),
        ];
        if let Some(profile) = set.get("contact_profile") {
            lines.push(format!(
                "For: {} {}",
                text(profile.get("first_name")),
                text(profile.get("last_name"))
            ));
        }
        if let Some(branch) = set.get("branch") {
            lines.push(format!("Go to: {}", text(branch.get("name"))));
            lines.push(format!(
                "{}, {}",
                text(branch.get("address")),
                text(branch.get("post_code"))
            ));
        }
        lines.push("Bring:".to_owned());
        for document in set
            .get("documents")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let document = document.get("document");
            lines.push(format!(
                "- {} ({})",
                text(document.and_then(|d| d.get("document_type"))),
                text(document.and_then(|d| d.get("country_code")))
            ));
        }
        Some(letter(&lines))
    }
}

/// A string field's text for the letter, `-` when it is absent.
fn text(value: Option<&Value>) -> &str {
    value.and_then(Value::as_str).unwrap_or("-")
}

/// A one-page A4 PDF with `lines` in Helvetica. Characters beyond ASCII, which the standard
/// encoding of the base fonts does not have, are written as `?`.
fn letter(lines: &[String]) -> Vec<u8> {
    let (catalog, pages, page, font, contents) = (
        Ref::new(1),
        Ref::new(2),
        Ref::new(3),
        Ref::new(4),
        Ref::new(5),
    );
    let font_name = Name(b"F1");
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).kids([page]).count(1);
    let mut writer = pdf.page(page);
    writer.media_box(Rect::new(0.0, 0.0, 595.0, 842.0));
    writer.parent(pages);
    writer.contents(contents);
    writer.resources().fonts().pair(font_name, font);
    writer.finish();
    pdf.type1_font(font).base_font(Name(b"Helvetica"));
    let mut content = Content::new();
    content.begin_text();
    content.set_font(font_name, 12.0);
    content.set_leading(18.0);
    content.next_line(72.0, 770.0);
    for line in lines {
        let ascii: Vec<u8> = line
            .chars()
            .map(|c| {
                if c.is_ascii() && !c.is_ascii_control() {
                    c as u8
                } else {
                    b'?'
                }
            })
            .collect();
        content.show(Str(&ascii));
        content.next_line_using_leading();
    }
    content.end_text();
    pdf.stream(contents, &content.finish());
    pdf.finish()
}

fn instructions_not_found(id: &str) -> ApiError {
    let message = format!("session `{id}` has no in-branch verification instructions");
    ApiError::new(StatusCode::NOT_FOUND, "INSTRUCTIONS_NOT_FOUND", message)
}

fn contact_profile_not_found(id: &str) -> ApiError {
    let message = format!("the instructions of session `{id}` have no contact profile");
    ApiError::new(StatusCode::NOT_FOUND, "CONTACT_PROFILE_NOT_FOUND", message)
}

/// `PUT /sessions/{sessionId}/instructions`.
pub(crate) async fn put(
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
pub(crate) async fn get(State(app): State<Arc<App>>, Path(id): Path<String>) -> Answer {
    let body = app
        .with_session(&id, |session, _, _| session.instructions())?
        .ok_or_else(|| instructions_not_found(&id))?;
    Ok(Json(body).into_response())
}

/// `GET /sessions/{sessionId}/instructions/contact-profile`.
pub(crate) async fn contact_profile(State(app): State<Arc<App>>, Path(id): Path<String>) -> Answer {
    let profile = app
        .with_session(&id, |session, _, _| session.contact_profile().cloned())?
        .ok_or_else(|| contact_profile_not_found(&id))?;
    Ok(Json(profile).into_response())
}

/// `GET /sessions/{sessionId}/instructions/pdf`: 204 before the instructions are set.
pub(crate) async fn pdf(State(app): State<Arc<App>>, Path(id): Path<String>) -> Answer {
    Ok(
        match app.with_session(&id, |session, _, _| session.instructions_pdf())? {
            Some(pdf) => ([(header::CONTENT_TYPE, "application/pdf")], pdf).into_response(),
            None => StatusCode::NO_CONTENT.into_response(),
        },
    )
}

/// `POST /sessions/{sessionId}/instructions/email`: no body; 404 without a contact profile.
pub(crate) async fn email(State(app): State<Arc<App>>, Path(id): Path<String>) -> Answer {
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
