//! The request journal: one entry per request to an operation of the API, recorded by a route
//! layer once the response is ready, with the fault it applied if any.
//!
//! An entry says what a test needs to assert on and nothing personal: never a body, a header
//! (the signature, a token), the query (`sdkId`, `nonce`, `timestamp`) or the peer's address.
//! The path's ids (sessions, media) are not personal data.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::SystemTime;

use axum::extract::{MatchedPath, OriginalUri, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{Value, json};

use crate::server::App;

/// How a request was authenticated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Auth {
    /// Its `X-Yoti-Auth-Digest` signature verified (`"signature"`).
    Signature,
    /// Its bearer token was the emulator's (`"bearer"`).
    Bearer,
    /// Authentication refused it (`"refused"`): the response is the refusal.
    Refused,
    /// It was not checked (`"none"`): a fault answered first.
    None,
}

impl Auth {
    /// The name the journal's JSON uses: `signature`, `bearer`, `refused` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            Auth::Signature => "signature",
            Auth::Bearer => "bearer",
            Auth::Refused => "refused",
            Auth::None => "none",
        }
    }
}

/// One request in the journal ([`crate::Emulator::requests`], `GET /__emulator/requests`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct JournalEntry {
    /// Its number: 1 for the first request since the start (or the last reset), then on; a
    /// gap at the start of the journal is the requests it dropped.
    pub seq: u64,
    /// When the request arrived, on the real clock (RFC 3339 in the JSON).
    pub time: SystemTime,
    /// The HTTP method.
    pub method: String,
    /// The path, with its base path and without the query: `/sandbox/idverify/v1/sessions/…`.
    pub path: String,
    /// The spec's `operationId`, e.g. `getSession`.
    pub operation: String,
    /// The session id in the path, when it has one.
    pub session: Option<String>,
    /// The status answered; `None` when a fault dropped the connection.
    pub status: Option<u16>,
    /// How it was authenticated.
    pub auth: Auth,
    /// The id of the fault applied to it, if any ([`crate::control::InjectedFault::id`]).
    pub fault: Option<u64>,
}

impl JournalEntry {
    /// The entry as `GET /__emulator/requests` lists it.
    pub(crate) fn to_json(&self) -> Value {
        let time = chrono::DateTime::<chrono::Utc>::from(self.time)
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        json!({
            "seq": self.seq,
            "time": time,
            "method": self.method,
            "path": self.path,
            "operation": self.operation,
            "session": self.session,
            "status": self.status,
            "auth": self.auth.as_str(),
            "fault": self.fault,
        })
    }
}

/// Which journal entries to list: [`RequestFilter::all`], narrowed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestFilter {
    /// Only requests to this operation (an `operationId`).
    pub operation: Option<String>,
    /// Only requests whose path names this session.
    pub session: Option<String>,
}

impl RequestFilter {
    /// Every request.
    pub fn all() -> RequestFilter {
        RequestFilter::default()
    }

    /// Only requests to `operation` (an `operationId`, e.g. `getSession`).
    #[must_use]
    pub fn operation(mut self, operation: impl Into<String>) -> Self {
        self.operation = Some(operation.into());
        self
    }

    /// Only requests whose path names session `id`.
    #[must_use]
    pub fn session(mut self, id: impl Into<String>) -> Self {
        self.session = Some(id.into());
        self
    }

    fn selects(&self, entry: &JournalEntry) -> bool {
        self.operation
            .as_ref()
            .is_none_or(|o| *o == entry.operation)
            && (self.session.is_none() || self.session == entry.session)
    }
}

/// The last requests, at most `capacity`.
pub(crate) struct Journal {
    entries: VecDeque<JournalEntry>,
    capacity: usize,
    next_seq: u64,
    dropped: u64,
}

impl Journal {
    pub(crate) fn new(capacity: usize) -> Journal {
        Journal {
            entries: VecDeque::new(),
            capacity,
            next_seq: 1,
            dropped: 0,
        }
    }

    /// Adds an entry (its `seq` is given here), dropping the oldest beyond the capacity.
    fn push(&mut self, mut entry: JournalEntry) {
        entry.seq = self.next_seq;
        self.next_seq += 1;
        self.entries.push_back(entry);
        while self.entries.len() > self.capacity {
            self.entries.pop_front();
            self.dropped += 1;
        }
    }

    /// The entries `filter` selects, oldest first.
    pub(crate) fn entries(&self, filter: &RequestFilter) -> Vec<JournalEntry> {
        let selected = self.entries.iter().filter(|e| filter.selects(e));
        selected.cloned().collect()
    }

    /// How many entries were dropped to stay within the capacity.
    pub(crate) fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Forgets every entry, and starts numbering again.
    pub(crate) fn clear(&mut self) {
        *self = Journal::new(self.capacity);
    }
}

/// Applies the fault that fires for the request, if any, and records the request in the
/// journal. A route layer outside authentication: the operation is known (the route matched)
/// and a fault applies before the signature is checked.
pub(crate) async fn record(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let time = SystemTime::now();
    let method = request.method().as_str().to_owned();
    // The whole path: inside the nested router, the URI has lost its base path.
    let path = match request.extensions().get::<OriginalUri>() {
        Some(OriginalUri(uri)) => uri.path().to_owned(),
        None => request.uri().path().to_owned(),
    };
    let route = request.extensions().get::<MatchedPath>();
    let route = route.map_or("", MatchedPath::as_str).to_owned();
    let operation = app.control.operations.name(&method, &route);
    let fired = app.control.faults().fire(&operation);
    let fault = fired.as_ref().map(|f| f.id);
    let (response, dropped) = match fired {
        Some(fired) => match fired.apply().await {
            Some(answer) => (answer, fired.drops()),
            None => (next.run(request).await, false),
        },
        None => (next.run(request).await, false),
    };
    // The authentication layer marks the requests it let through; a fault's answer never
    // reached it.
    let auth = match response.extensions().get::<Auth>() {
        Some(auth) => *auth,
        None if response
            .extensions()
            .get::<super::faults::Injected>()
            .is_some() =>
        {
            Auth::None
        }
        None => Auth::Refused,
    };
    let entry = JournalEntry {
        seq: 0,
        time,
        method,
        session: session_in(&route, &path),
        path,
        operation,
        status: (!dropped).then(|| response.status().as_u16()),
        auth,
        fault,
    };
    app.control.journal().push(entry);
    response
}

/// The segment of `path` where the route template has `{session_id}`.
fn session_in(route: &str, path: &str) -> Option<String> {
    let at = route.split('/').position(|s| s == "{session_id}")?;
    path.split('/').nth(at).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(operation: &str, session: Option<&str>) -> JournalEntry {
        JournalEntry {
            seq: 0,
            time: SystemTime::UNIX_EPOCH,
            method: "GET".into(),
            path: "/idverify/v1/x".into(),
            operation: operation.into(),
            session: session.map(str::to_owned),
            status: Some(200),
            auth: Auth::Signature,
            fault: None,
        }
    }

    #[test]
    fn the_oldest_entries_go_first_and_are_counted() {
        let mut journal = Journal::new(2);
        for op in ["a", "b", "c"] {
            journal.push(entry(op, None));
        }
        let seqs: Vec<u64> = journal
            .entries(&RequestFilter::all())
            .iter()
            .map(|e| e.seq)
            .collect();
        assert_eq!(seqs, [2, 3]);
        assert_eq!(journal.dropped(), 1);
        journal.clear();
        assert_eq!(journal.entries(&RequestFilter::all()), []);
        assert_eq!(journal.dropped(), 0);
    }

    #[test]
    fn filters_select_by_operation_and_session() {
        let mut journal = Journal::new(10);
        journal.push(entry("getSession", Some("s1")));
        journal.push(entry("getSession", Some("s2")));
        journal.push(entry("createSession", None));
        let count = |f: RequestFilter| journal.entries(&f).len();
        assert_eq!(count(RequestFilter::all()), 3);
        assert_eq!(count(RequestFilter::all().operation("getSession")), 2);
        assert_eq!(count(RequestFilter::all().session("s2")), 1);
        let both = RequestFilter::all()
            .operation("createSession")
            .session("s1");
        assert_eq!(count(both), 0);
    }

    #[test]
    fn the_session_is_the_segment_the_route_names() {
        let route = "/idverify/v1/sessions/{session_id}/media/{media_id}/content";
        let path = "/idverify/v1/sessions/abc/media/m1/content";
        assert_eq!(session_in(route, path), Some("abc".into()));
        assert_eq!(
            session_in("/idverify/v1/sessions", "/idverify/v1/sessions"),
            None
        );
    }
}
