//! The end user's half: the page a browser opens, `{base}/web/index.html?sessionID=…&sessionToken=…`
//! under both base paths, and its form, `POST {base}/web/journey?sessionID=…&sessionToken=…`.
//! No signature: the browser has only the client session token.
//!
//! The page shows what the session asks for and lets the user finish: complete the flow, fail
//! with an error or cancel. Then the browser is sent (303) to the session's
//! `sdk_config.success_url`, or its `error_url` with a `yotiErrorCode` query parameter, as the
//! official SDKs' example apps expect; without those, a page says the outcome. A session that
//! cannot be shown gets a page saying why, and nothing changes: 400 without `sessionID` or
//! `sessionToken`, 404 for an unknown session, 403 for another token, 410 when the token has
//! expired (`client_session_token_ttl`, on the sessions' clock), 409 once the user has
//! finished (or, without `user_flow`, finished at once).
//!
//! [`finish`] is what the form calls, and what the control plane's
//! `POST /__emulator/sessions/{id}/complete` (and `/fail`, `/cancel`) calls.

pub(crate) mod control;
mod page;

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub use self::control::JourneyError;
use crate::error::ApiError;
use crate::server::{App, Unchecked};
use crate::sessions::Refusal;

/// The `yotiErrorCode` of a failure when none is chosen: 3000, "Yoti's services are down or
/// unable to process the request" in Yoti's table of web error codes.
pub(crate) const DEFAULT_ERROR_CODE: u32 = 3000;
/// The `yotiErrorCode` of a cancellation (the emulator's choice: Yoti's published table has
/// no code for it).
pub(crate) const CANCEL_CODE: u32 = 1000;

/// How the user finishes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The flow is completed, with these `(document index, country, type)` choices.
    Complete(Vec<(usize, String, String)>),
    /// The user leaves with this `yotiErrorCode`.
    Fail(u32),
    /// The user cancels.
    Cancel,
}

/// Why a journey request was refused: a status and a sentence.
#[derive(Debug)]
pub(crate) struct Refused {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

impl Refused {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Refused {
        Refused {
            status,
            code,
            message: message.into(),
        }
    }
}

impl From<Refused> for ApiError {
    fn from(refused: Refused) -> ApiError {
        ApiError::new(refused.status, refused.code, refused.message)
    }
}

/// The routes, to nest under `{base}/web`.
pub(crate) fn router() -> Router<Arc<App>> {
    Router::new()
        .route("/index.html", get(show))
        .route("/journey", post(journey))
        .route_layer(axum::middleware::from_fn(crate::log::log_request))
}

/// Finishes session `id`'s journey as `outcome` (with `token`, as the browser does; `None`
/// for the control plane), and answers where the browser goes next, if anywhere.
pub(crate) fn finish(
    app: &App,
    id: &str,
    token: Option<&str>,
    outcome: &Outcome,
) -> Result<Option<String>, Refused> {
    app.with_session(id, |session, _, now| {
        session.journey_open(token, now).map_err(refusal)?;
        let data = session.page_data();
        let config = crate::sessions::sdk_config(&data.payload);
        let url = |key: &str| config.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        Ok(match outcome {
            Outcome::Complete(choices) => {
                check_choices(&data, choices)?;
                session.complete_journey(choices, now);
                url("success_url")
            }
            Outcome::Fail(code) => {
                session.end_journey(*code);
                url("error_url").map(|u| code_url(&u, *code))
            }
            Outcome::Cancel => {
                session.end_journey(CANCEL_CODE);
                url("error_url").map(|u| code_url(&u, CANCEL_CODE))
            }
        })
    })
    .map_err(|_| not_found(id))
    .and_then(|finished| finished)
}

/// `url` with `yotiErrorCode={code}` added to its query.
fn code_url(url: &str, code: u32) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) => {
            parsed
                .query_pairs_mut()
                .append_pair("yotiErrorCode", &code.to_string());
            parsed.into()
        }
        Err(_) => {
            let join = if url.contains('?') { '&' } else { '?' };
            format!("{url}{join}yotiErrorCode={code}")
        }
    }
}

fn refusal(refusal: Refusal) -> Refused {
    match refusal {
        Refusal::WrongToken => Refused::new(
            StatusCode::FORBIDDEN,
            "INVALID_SESSION_TOKEN",
            "This link's session token is not the session's.",
        ),
        Refusal::TokenExpired => Refused::new(
            StatusCode::GONE,
            "SESSION_TOKEN_EXPIRED",
            "This session's token has expired (its client_session_token_ttl has passed).",
        ),
        Refusal::Finished => Refused::new(
            StatusCode::CONFLICT,
            "SESSION_FINISHED",
            "This session's user has finished already (without --user-flow, every session is completed as it is created).",
        ),
    }
}

/// Checks that each chosen country and type is one the session's filter allows.
fn check_choices(
    data: &crate::sessions::PageData,
    choices: &[(usize, String, String)],
) -> Result<(), Refused> {
    for (index, country, kind) in choices {
        let Some(choice) = data.choices.iter().find(|c| c.index == *index) else {
            return Err(bad(format!(
                "the session has no ID document {index} to choose for"
            )));
        };
        if !choice.countries.contains(country) {
            let allowed = choice.countries.join(", ");
            return Err(bad(format!(
                "the country `{country}` is not one the session allows ({allowed})"
            )));
        }
        if !choice.types.contains(kind) {
            let allowed = choice.types.join(", ");
            return Err(bad(format!(
                "the document type `{kind}` is not one the session allows ({allowed})"
            )));
        }
    }
    Ok(())
}

fn bad(message: String) -> Refused {
    Refused::new(StatusCode::BAD_REQUEST, "INVALID_FORM", message)
}

/// The `sessionID` and `sessionToken` of the query.
fn link(query: &[(String, String)]) -> Result<(&str, &str), Refused> {
    let get = |name: &str| {
        query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| bad(format!("the link has no `{name}`: open {{base}}/web/index.html?sessionID=…&sessionToken=…")))
    };
    Ok((get("sessionID")?, get("sessionToken")?))
}

async fn show(State(app): State<Arc<App>>, Query(query): Query<Vec<(String, String)>>) -> Response {
    let shown = link(&query).and_then(|(id, token)| {
        app.with_session(id, |session, _, now| {
            session.journey_open(Some(token), now).map_err(refusal)?;
            Ok(page::journey(&session.page_data(), id, token))
        })
        .map_err(|_| not_found(id))
        .and_then(|shown| shown)
    });
    html(shown)
}

async fn journey(
    State(app): State<Arc<App>>,
    Query(query): Query<Vec<(String, String)>>,
    body: Bytes,
) -> Response {
    let done = link(&query).and_then(|(id, token)| {
        let outcome = outcome(&body)?;
        let redirect = finish(&app, id, Some(token), &outcome)?;
        Ok((outcome, redirect))
    });
    match done {
        Ok((_, Some(url))) => {
            let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, url)]).into_response();
            response.extensions_mut().insert(Unchecked);
            response
        }
        Ok((outcome, None)) => html(Ok(page::finished(&outcome))),
        Err(refused) => html(Err(refused)),
    }
}

fn not_found(id: &str) -> Refused {
    Refused::new(
        StatusCode::NOT_FOUND,
        "SESSION_NOT_FOUND",
        format!("There is no session `{id}`."),
    )
}

/// The form's outcome and choices: `outcome` is `complete`, `fail` (with `yotiErrorCode`) or
/// `cancel`; `country_{i}` and `type_{i}` choose ID document `i`'s country and type.
fn outcome(body: &[u8]) -> Result<Outcome, Refused> {
    let mut outcome = None;
    let mut code = DEFAULT_ERROR_CODE;
    let mut choices: Vec<(usize, Option<String>, Option<String>)> = Vec::new();
    for (name, value) in url::form_urlencoded::parse(body) {
        let mut choose = |index: &str, country: Option<String>, kind: Option<String>| {
            let index: usize = index
                .parse()
                .map_err(|_| bad(format!("`{name}` is not a field of the form")))?;
            match choices.iter_mut().find(|c| c.0 == index) {
                Some(c) => {
                    c.1 = country.or(c.1.take());
                    c.2 = kind.or(c.2.take());
                }
                None => choices.push((index, country, kind)),
            }
            Ok::<(), Refused>(())
        };
        match name.as_ref() {
            "outcome" => outcome = Some(value.into_owned()),
            "yotiErrorCode" => {
                code = value.parse().map_err(|_| {
                    bad(format!("`yotiErrorCode` must be a number; it is `{value}`"))
                })?;
            }
            other => {
                if let Some(i) = other.strip_prefix("country_") {
                    choose(i, Some(value.into_owned()), None)?;
                } else if let Some(i) = other.strip_prefix("type_") {
                    choose(i, None, Some(value.into_owned()))?;
                } else {
                    return Err(bad(format!("`{other}` is not a field of the form")));
                }
            }
        }
    }
    match outcome.as_deref() {
        Some("complete") => {
            let mut complete = Vec::new();
            for (index, country, kind) in choices {
                match (country, kind) {
                    (Some(c), Some(k)) => complete.push((index, c, k)),
                    _ => {
                        return Err(bad(format!(
                            "ID document {index} needs both `country_{index}` and `type_{index}`"
                        )));
                    }
                }
            }
            Ok(Outcome::Complete(complete))
        }
        Some("fail") => Ok(Outcome::Fail(code)),
        Some("cancel") => Ok(Outcome::Cancel),
        _ => Err(bad("`outcome` must be complete, fail or cancel".to_owned())),
    }
}

/// An HTML answer, not checked against the API's spec: the page, or a page saying why not.
fn html(page: Result<String, Refused>) -> Response {
    let (status, body) = match page {
        Ok(body) => (StatusCode::OK, body),
        Err(refused) => (refused.status, page::refused(&refused)),
    };
    let mut response = (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            // The link carries the session token: it goes to no other site.
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        body,
    )
        .into_response();
    response.extensions_mut().insert(Unchecked);
    response
}
