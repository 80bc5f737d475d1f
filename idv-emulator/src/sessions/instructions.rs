//! A session's in-branch verification (IBV) instructions, which only the Java SDK sets and
//! reads: `PUT`/`GET /sessions/{id}/instructions`, `GET …/instructions/contact-profile`,
//! `GET …/instructions/pdf` and `POST …/instructions/email`.
//!
//! The instructions are stored as the validated `PUT` body (the spec's schema checks it), on
//! any session: nothing in the Java SDK or Yoti's documentation limits them to sessions that
//! request IBV. The PDF is a one-page letter written from them. The handlers are in
//! `crate::api`.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};
use serde_json::{Value, json};

use super::Session;

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
