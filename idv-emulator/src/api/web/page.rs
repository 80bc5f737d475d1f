//! The HTML of the end user's pages: small, plain and accessible (a language, a title, a
//! `main` landmark and a heading, a label for every control, nothing but the keyboard needed),
//! with no external resources and no script.

use serde_json::Value;

use super::{Outcome, Refused};
use crate::sessions::{PageData, sdk_config};

/// Yoti's web error codes that the Fail button offers, from its integration guide's error
/// handling table.
const ERROR_CODES: [(u32, &str); 6] = [
    (
        3000,
        "Yoti's services are down or unable to process the request",
    ),
    (
        2000,
        "Unauthorised request (wrong or expired session token)",
    ),
    (3002, "User has no network"),
    (4000, "The user did not grant permissions to the camera"),
    (5000, "No camera, and file upload is not allowed"),
    (6001, "Unexpected internal error"),
];

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1rem;line-height:1.5;color:#111;background:#fff}\
main{max-width:40rem}button{font-size:1rem;padding:.5rem 1rem;margin:.25rem .5rem .25rem 0}\
button:focus,select:focus{outline:3px solid #1a5fb4;outline-offset:2px}\
.swatch{display:inline-block;width:1em;height:1em;border:1px solid #333;vertical-align:middle}";

/// Escapes text for HTML content and quoted attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A whole page with this title and `main` content.
fn document(title: &str, main: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{title} - Yoti IDV emulator</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{main}\n</main>\n</body>\n</html>\n",
        title = esc(title)
    )
}

/// The journey page of session `id`, opened with `token`.
pub(super) fn journey(data: &PageData, id: &str, token: &str) -> String {
    let payload = &data.payload;
    let mut main = String::from(
        "<h1>Verify your identity</h1>\n<p>This is the Yoti IDV emulator's page for the end user. \
Nothing is captured: choose how the journey ends.</p>\n",
    );
    main += "<h2>Checks requested</h2>\n<ul>\n";
    for kind in types(payload, "requested_checks") {
        main += &format!("<li>{}</li>\n", esc(&kind));
    }
    main += "</ul>\n<h2>Tasks requested</h2>\n<ul>\n";
    for kind in types(payload, "requested_tasks") {
        main += &format!("<li>{}</li>\n", esc(&kind));
    }
    main += "</ul>\n<h2>Documents required</h2>\n<ul>\n";
    let required = payload.get("required_documents").and_then(Value::as_array);
    for document in required.into_iter().flatten() {
        let kind = document.get("type").and_then(Value::as_str).unwrap_or("?");
        let filter = document
            .get("filter")
            .map_or_else(String::new, |f| format!(": {f}"));
        main += &format!("<li>{}{}</li>\n", esc(kind), esc(&filter));
    }
    main += "</ul>\n";
    let config = sdk_config(payload);
    if !config.is_empty() {
        main += "<h2>Presentation (sdk_config)</h2>\n<dl>\n";
        for (key, value) in &config {
            let text = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned);
            let swatch = if key.ends_with("_colour") && is_colour(&text) {
                format!(
                    " <span class=\"swatch\" style=\"background:{}\"></span>",
                    esc(&text)
                )
            } else {
                String::new()
            };
            main += &format!("<dt>{}</dt><dd>{}{swatch}</dd>\n", esc(key), esc(&text));
        }
        main += "</dl>\n";
    }
    let query = format!(
        "sessionID={}&amp;sessionToken={}",
        esc(&encode(id)),
        esc(&encode(token))
    );
    main += &format!("<form method=\"post\" action=\"journey?{query}\">\n");
    // A choice only where the filter allows one.
    let choices = data
        .choices
        .iter()
        .filter(|c| c.countries.len() > 1 || c.types.len() > 1);
    for (n, choice) in choices.enumerate() {
        let i = choice.index;
        main += &format!("<h2>ID document {}</h2>\n", n + 1);
        main += &select(
            &format!("country_{i}"),
            "Issuing country",
            &choice.countries,
        );
        main += &select(&format!("type_{i}"), "Document type", &choice.types);
    }
    main += "<h2>Finish</h2>\n<p><button type=\"submit\" id=\"complete\" name=\"outcome\" value=\"complete\">Complete</button></p>\n";
    main += "<p><label for=\"yotiErrorCode\">Error</label>\n<select id=\"yotiErrorCode\" name=\"yotiErrorCode\">\n";
    for (code, text) in ERROR_CODES {
        main += &format!("<option value=\"{code}\">{code}: {}</option>\n", esc(text));
    }
    main += "</select>\n<button type=\"submit\" id=\"fail\" name=\"outcome\" value=\"fail\">Fail with this error</button></p>\n";
    main += "<p><button type=\"submit\" id=\"cancel\" name=\"outcome\" value=\"cancel\">Cancel</button></p>\n</form>";
    document("Verify your identity", &main)
}

/// A labelled choice among `values`, the first selected.
fn select(name: &str, label: &str, values: &[String]) -> String {
    let mut html = format!(
        "<p><label for=\"{name}\">{label}</label>\n<select id=\"{name}\" name=\"{name}\">\n"
    );
    for value in values {
        let value = esc(value);
        html += &format!("<option value=\"{value}\">{value}</option>\n");
    }
    html + "</select></p>\n"
}

/// The page saying how the journey ended, when the session has nowhere to send the browser.
pub(super) fn finished(outcome: &Outcome) -> String {
    let said = match outcome {
        Outcome::Complete(_) => {
            "You completed the journey. The session's checks now run.".to_owned()
        }
        Outcome::Fail(code) => format!("The journey failed with the error {code}."),
        Outcome::Cancel => "You cancelled the journey.".to_owned(),
    };
    let main = format!(
        "<h1>Journey finished</h1>\n<p>{}</p>\n<p>The session has no success_url or error_url to return to.</p>",
        esc(&said)
    );
    document("Journey finished", &main)
}

/// The page saying why the journey cannot be shown or finished.
pub(crate) fn refused(refused: &Refused) -> String {
    let main = format!(
        "<h1>This session cannot be shown</h1>\n<p>{}</p>\n<p>Status {} ({}).</p>",
        esc(&refused.message),
        refused.status.as_u16(),
        esc(refused.code)
    );
    document("Session unavailable", &main)
}

/// The `type` of each item of a payload's list.
fn types(payload: &Value, list: &str) -> Vec<String> {
    let items = payload
        .get(list)
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    items
        .filter_map(|i| i.get("type").and_then(Value::as_str).map(str::to_owned))
        .collect()
}

/// `#rgb` to `#rrggbbaa`: a colour safe to put in a style.
fn is_colour(text: &str) -> bool {
    text.strip_prefix('#').is_some_and(|hex| {
        matches!(hex.len(), 3 | 4 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit())
    })
}

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
