//! The end user's journey, when sessions wait for it (`Builder::user_flow`): until the user
//! (or the control plane, as the user would) finishes on the emulator's page, the session is
//! `ONGOING` with nothing captured and its checks `CREATED`. Completing it makes the flow's
//! resources and starts its checks' clock (`async_report_delay` counts from then); failing or
//! cancelling it leaves it as it was, and ends the journey.

use std::time::Duration;

use serde_json::{Map, Value, json};

use super::{Body, Session, time};

/// Where the user's journey is. Sessions made without `user_flow` have none: their user
/// finished at once, as they were created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Journey {
    /// The user has not finished yet.
    Waiting,
    /// The user completed the flow at this time on the sessions' clock.
    Completed(Duration),
    /// The user left with this `yotiErrorCode` (a failure, or a cancellation).
    Ended(u32),
}

/// What the page needs of a session.
pub(crate) struct PageData {
    /// The validated `POST /sessions` payload.
    pub(crate) payload: Value,
    /// For each ID document the flow needs: its index in the flow, the countries and the
    /// document types the user may choose from (the first is the default).
    pub(crate) choices: Vec<DocumentChoice>,
}

/// The country and type of one ID document the user may choose among.
pub(crate) struct DocumentChoice {
    /// The document's index in the flow (the form's `country_{index}`, `type_{index}`).
    pub(crate) index: usize,
    /// The countries its filter allows, the default first.
    pub(crate) countries: Vec<String>,
    /// The document types its filter allows, the default first.
    pub(crate) types: Vec<String>,
}

/// Why the journey cannot be shown or finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The token is not the session's.
    WrongToken,
    /// The client session token's TTL has passed on the sessions' clock.
    TokenExpired,
    /// The user has finished already (or, without `user_flow`, finished at once).
    Finished,
}

impl Session {
    /// Makes the session wait for its user (`user_flow`).
    pub(crate) fn await_user(&mut self) {
        if matches!(self.body, Body::Flow(_)) {
            self.journey = Some(Journey::Waiting);
            self.rendered = None;
        }
    }

    /// When the flow's clock starts: the user's completion, else the session's creation.
    pub(super) fn flow_started(&self) -> Duration {
        match self.journey {
            Some(Journey::Completed(at)) => at,
            _ => self.created,
        }
    }

    /// Whether `token` may open the journey now (`None` checks the state only, for the
    /// control plane).
    pub(crate) fn journey_open(&self, token: Option<&str>, now: Duration) -> Result<(), Refusal> {
        if token.is_some_and(|t| t != self.token) {
            return Err(Refusal::WrongToken);
        }
        let deadline = self.created.saturating_add(Duration::from_secs(self.ttl));
        if token.is_some() && now > deadline {
            return Err(Refusal::TokenExpired);
        }
        match self.journey {
            Some(Journey::Waiting) => Ok(()),
            _ => Err(Refusal::Finished),
        }
    }

    /// What the page shows, and the choices it offers.
    pub(crate) fn page_data(&self) -> PageData {
        let mut choices = Vec::new();
        if let Body::Flow(flow) = &self.body {
            let filters = (self
                .spec
                .get("required_documents")
                .and_then(Value::as_array))
            .into_iter()
            .flatten()
            .filter(|r| r.get("type").and_then(Value::as_str) == Some("ID_DOCUMENT"))
            .map(|r| r.get("filter"));
            let documents = flow.documents.iter().enumerate();
            let id_documents = documents.filter(|(_, d)| !d.supplementary);
            let mut filters = filters.chain(std::iter::repeat(None));
            for (index, document) in id_documents {
                let filter = filters.next().flatten();
                choices.push(DocumentChoice {
                    index,
                    countries: allowed(
                        filter,
                        "country_restriction",
                        "country_codes",
                        &document.country,
                    ),
                    types: allowed(
                        filter,
                        "type_restriction",
                        "document_types",
                        &document.document_type,
                    ),
                });
            }
        }
        PageData {
            payload: self.spec.clone(),
            choices,
        }
    }

    /// The user completes the flow at `now`, with these `(index, country, type)` choices
    /// (already checked against [`Session::page_data`]).
    pub(crate) fn complete_journey(&mut self, choices: &[(usize, String, String)], now: Duration) {
        if let Body::Flow(flow) = &mut self.body {
            for (index, country, kind) in choices {
                if let Some(document) = flow.documents.get_mut(*index) {
                    document.country.clone_from(country);
                    document.document_type.clone_from(kind);
                }
            }
        }
        self.journey = Some(Journey::Completed(now));
        self.rendered = None;
    }

    /// The user leaves with this `yotiErrorCode`.
    pub(crate) fn end_journey(&mut self, code: u32) {
        self.journey = Some(Journey::Ended(code));
        self.rendered = None;
    }

    /// The body while the user has not completed the flow: `ONGOING`, no resources, every
    /// check `CREATED` with no report. `None` once completed, or without a journey.
    pub(super) fn render_waiting(&self, id: &str, now: Duration) -> Option<Value> {
        if !matches!(self.journey, Some(Journey::Waiting | Journey::Ended(_))) {
            return None;
        }
        let Body::Flow(flow) = &self.body else {
            return None;
        };
        let created = time(self.created);
        let checks: Vec<Value> = (flow.checks.iter())
            .map(|c| {
                json!({
                    "id": c.id, "type": c.kind, "state": "CREATED", "resources_used": [],
                    "generated_media": [], "created": created, "last_updated": created,
                })
            })
            .collect();
        let elapsed = now.saturating_sub(self.created).as_secs();
        let mut body = json!({
            "session_id": id,
            "client_session_token": self.token,
            "client_session_token_ttl": self.ttl.saturating_sub(elapsed),
            "state": "ONGOING",
            "resources": {
                "id_documents": [], "supplementary_documents": [],
                "liveness_capture": [], "face_capture": [],
            },
            "checks": checks,
        });
        if let Some(user) = &self.user_tracking_id {
            body["user_tracking_id"] = json!(user);
        }
        Some(body)
    }
}

/// The values of a filter's restriction that a user may choose (`key` of `restriction`, or of
/// the first `documents` entry of a `DOCUMENT_RESTRICTIONS` filter) when it includes a list;
/// else only `chosen`, the flow's default. The default comes first.
fn allowed(filter: Option<&Value>, restriction: &str, key: &str, chosen: &str) -> Vec<String> {
    let by_document =
        filter.and_then(|f| f.get("type")).and_then(Value::as_str) == Some("DOCUMENT_RESTRICTIONS");
    let (restriction, inclusion) = if by_document {
        let first = filter.and_then(|f| f.pointer("/documents/0"));
        (first, filter.and_then(|f| f.get("inclusion")))
    } else {
        let r = filter.and_then(|f| f.get(restriction));
        (r, r.and_then(|r| r.get("inclusion")))
    };
    let includes = inclusion
        .and_then(Value::as_str)
        .is_none_or(|i| i.eq_ignore_ascii_case("INCLUDE") || i.eq_ignore_ascii_case("WHITELIST"));
    let listed = (restriction
        .and_then(|r| r.get(key))
        .and_then(Value::as_array))
    .into_iter()
    .flatten()
    .filter_map(Value::as_str);
    let mut values = vec![chosen.to_owned()];
    if includes {
        values.extend(listed.filter(|v| *v != chosen).map(str::to_owned));
    }
    values
}

/// The `sdk_config` of a payload, as a map (empty without one).
pub(crate) fn sdk_config(payload: &Value) -> Map<String, Value> {
    payload
        .get("sdk_config")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}
