//! Sessions in memory.
//!
//! A created session behaves as if its user went through the flow at once. It has the
//! documents, liveness capture and face capture that its requested checks, tasks and required
//! documents call for, a task for each requested task, and a check for each requested check
//! (and for each check that a task generates). What the checks report, and what the text
//! extraction tasks extract, come from the sandbox response configuration in force when the
//! session is read: the session's own over the application's (the application's as it was
//! when the checks finished, once they have: a change to it does not rewrite finished results). Until the configured
//! `async_report_delay` has passed since creation, every check is `PENDING` without a report
//! and the session is locked (deleting it or its media answers 409).
//!
//! This file is the store: the sessions by id, their lifetimes, and the cached body. The
//! other concerns each have a file:
//! - [`flow`]: what the user's flow produces for a `POST /sessions` payload (documents,
//!   captures, tasks, checks);
//! - [`render`]: the `GET /sessions/{id}` body;
//! - [`sandbox`]: what the sandbox response configuration makes checks and tasks report;
//! - [`media`]: the session's media items and their content;
//! - [`profile`]: identity profiles, and the checks that search for the user elsewhere
//!   (watchlist and third-party checks);
//! - [`instructions`]: the in-branch verification instructions and their handlers;
//! - [`journey`]: the end user's journey, when sessions wait for it (`user_flow`).

mod configuration;
mod devices;
mod digital_id;
mod face_capture;
mod flow;
mod instructions;
mod journey;
mod media;
mod profile;
mod render;
mod sandbox;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::schema::FieldError;

use self::flow::Flow;
pub(crate) use self::flow::refusals;
pub(crate) use self::journey::{Journey, PageData, Refusal, sdk_config};
use self::media::MediaItem;
pub(crate) use self::media::{Content, generated};

/// `client_session_token_ttl` when the request gives none (the spec's default).
const DEFAULT_TTL: u64 = 600;
/// `resources_ttl` when the request gives none (the spec's default).
const DEFAULT_RESOURCES_TTL: u64 = 87_000;
/// The least time a session may give its user, in seconds: the spec's minimum of
/// `client_session_token_ttl`, which a `session_deadline` must leave too.
const MIN_TTL: i64 = 300;

/// What is wrong with a valid payload's `session_deadline` at `now`: one that leaves the user
/// less than [`MIN_TTL`] seconds (one in the past included). The request schema checks the
/// TTL's own minimum.
pub(crate) fn deadline_problem(payload: &Value, now: Duration) -> Option<FieldError> {
    let deadline = payload.get("session_deadline")?.as_str()?;
    let property = "session_deadline".to_owned();
    let Ok(deadline) = chrono::DateTime::parse_from_rfc3339(deadline) else {
        let message = format!("\"{deadline}\" is not an RFC 3339 date-time");
        return Some(FieldError { property, message });
    };
    let left = deadline
        .timestamp()
        .saturating_sub(i64::try_from(now.as_secs()).unwrap_or(i64::MAX));
    (left < MIN_TTL).then(|| FieldError {
        property,
        message: format!(
            "must leave the user at least {MIN_TTL} seconds to complete the session; it is {left} s from now"
        ),
    })
}

/// Where the emulator's ids come from: version 4 UUIDs drawn from a seeded generator
/// (SplitMix64), so that an emulator started with a seed (`--seed`) hands out the same ids
/// for the same requests made in the same order. Clones share one sequence.
#[derive(Clone, Debug)]
pub(crate) struct Ids {
    seed: u64,
    next: Arc<AtomicU64>,
}

impl Ids {
    /// A sequence from `seed`, or from a random seed.
    pub(crate) fn new(seed: Option<u64>) -> Ids {
        let seed = seed.unwrap_or_else(|| uuid::Uuid::new_v4().as_u64_pair().0);
        Ids {
            seed,
            next: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The next id, a UUID in its hyphenated form.
    pub(crate) fn next(&self) -> String {
        self.next_uuid().to_string()
    }

    /// The next id, as a UUID.
    pub(crate) fn next_uuid(&self) -> uuid::Uuid {
        const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let state = self
            .seed
            .wrapping_add(n.wrapping_mul(2).wrapping_mul(GOLDEN));
        let mix = |mut z: u64| {
            z = z.wrapping_add(GOLDEN);
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        let mut bytes = [0; 16];
        bytes[..8].copy_from_slice(&mix(state).to_le_bytes());
        bytes[8..].copy_from_slice(&mix(state.wrapping_add(GOLDEN)).to_le_bytes());
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }
}

/// RFC 3339 in UTC, to the second.
fn time(at: Duration) -> String {
    i64::try_from(at.as_secs())
        .ok()
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// What the emulator holds.
pub(crate) struct Store {
    /// Where every id comes from.
    pub(crate) ids: Ids,
    pub(crate) sessions: HashMap<String, Session>,
    /// The application-level sandbox response configuration.
    app_config: Map<String, Value>,
}

impl Store {
    /// An empty store whose ids come from `ids`.
    pub(crate) fn new(ids: Ids) -> Store {
        Store {
            ids,
            sessions: HashMap::new(),
            app_config: Map::new(),
        }
    }

    /// The session and the application's configuration, unless there is no such session or
    /// its resources have expired (then it is gone).
    pub(crate) fn session(
        &mut self,
        id: &str,
        now: Duration,
    ) -> Option<(&mut Session, &Map<String, Value>)> {
        if self.sessions.get(id).is_some_and(|s| s.expired(now)) {
            self.sessions.remove(id);
        }
        let app = &self.app_config;
        self.sessions.get_mut(id).map(|session| (session, app))
    }

    /// The application-level sandbox response configuration.
    pub(crate) fn app_config(&self) -> &Map<String, Value> {
        &self.app_config
    }

    /// Sets the application-level sandbox response configuration at `now`. It applies to the
    /// sessions whose checks are still to finish; a session whose checks have finished keeps
    /// the results it has, so it keeps the application configuration they came from.
    pub(crate) fn configure_app(&mut self, config: Map<String, Value>, now: Duration) {
        let old = std::mem::replace(&mut self.app_config, config);
        for session in self.sessions.values_mut() {
            if session.app_config.is_none()
                && !session.is_raw()
                && session.checks_done(&session.effective_config(&old), now)
            {
                session.app_config = Some(old.clone());
            }
            session.rendered = None;
        }
    }
}

/// One session.
pub(crate) struct Session {
    /// Where the ids of its resources, media, tasks and checks come from.
    ids: Ids,
    token: String,
    created: Duration,
    ttl: u64,
    /// The session is deleted this long after creation; never for raw sessions.
    resources_ttl: Option<u64>,
    user_tracking_id: Option<String>,
    biometric_consent: bool,
    /// The validated `POST /sessions` payload (`null` for a raw session).
    spec: Value,
    body: Body,
    /// The session-level sandbox response configuration.
    config: Option<Map<String, Value>>,
    /// The application-level configuration that was in force when the session's checks
    /// finished, once the application's has changed since (see [`Store::configure_app`]).
    app_config: Option<Map<String, Value>>,
    media: HashMap<String, MediaItem>,
    /// The face capture resources created through the API.
    captures: Vec<face_capture::FaceCapture>,
    /// Whether `DELETE /sessions/{id}/tracked-devices` cleared the device events.
    devices_deleted: bool,
    /// The in-branch verification instructions, as the last `PUT` set them.
    instructions: Option<Value>,
    /// Notification topics of events that the session body does not show (an email
    /// requested, say), in the order they happened; see [`crate::notify`].
    notices: Vec<&'static str>,
    /// The last body rendered, and the whole seconds since creation it was rendered at.
    rendered: Option<(u64, Bytes)>,
    /// The user's journey when the session waits for it (`user_flow`); `None` when the user
    /// finished at once.
    journey: Option<Journey>,
}

enum Body {
    Flow(Box<Flow>),
    /// A session body that a test inserted, served as it is.
    Raw(Value),
}

impl Session {
    /// The session that a validated `POST /sessions` payload creates at `now`, and its id.
    pub(crate) fn create(payload: &Value, now: Duration, ids: &Ids) -> (String, Session) {
        let ttl = match payload.get("session_deadline").and_then(Value::as_str) {
            Some(deadline) => chrono::DateTime::parse_from_rfc3339(deadline)
                .ok()
                .and_then(|d| u64::try_from(d.timestamp()).ok())
                .map_or(0, |d| d.saturating_sub(now.as_secs())),
            None => payload
                .get("client_session_token_ttl")
                .and_then(Value::as_u64)
                .unwrap_or(DEFAULT_TTL),
        };
        let resources_ttl = payload.get("resources_ttl").and_then(Value::as_u64);
        let mut session = Session {
            ids: ids.clone(),
            token: ids.next(),
            created: now,
            ttl,
            resources_ttl: Some(resources_ttl.unwrap_or(DEFAULT_RESOURCES_TTL)),
            user_tracking_id: payload
                .get("user_tracking_id")
                .and_then(Value::as_str)
                .map(str::to_owned),
            biometric_consent: payload.get("block_biometric_consent") != Some(&Value::Bool(true)),
            spec: payload.clone(),
            body: Body::Raw(Value::Null),
            config: None,
            app_config: None,
            media: HashMap::new(),
            captures: Vec::new(),
            devices_deleted: false,
            instructions: None,
            notices: Vec::new(),
            rendered: None,
            journey: None,
        };
        session.body = Body::Flow(Box::new(session.flow(payload)));
        (ids.next(), session)
    }

    /// A session whose body is `body`, served as it is.
    pub(crate) fn raw(body: Value, now: Duration, ids: &Ids) -> Session {
        Session {
            ids: ids.clone(),
            token: ids.next(),
            created: now,
            ttl: DEFAULT_TTL,
            resources_ttl: None,
            user_tracking_id: None,
            biometric_consent: false,
            spec: Value::Null,
            body: Body::Raw(body),
            config: None,
            app_config: None,
            media: HashMap::new(),
            captures: Vec::new(),
            devices_deleted: false,
            instructions: None,
            notices: Vec::new(),
            rendered: None,
            journey: None,
        }
    }

    /// The body of the `POST /sessions` response.
    pub(crate) fn created_body(&self, id: &str) -> Value {
        json!({
            "session_id": id,
            "client_session_token": self.token,
            "client_session_token_ttl": self.ttl,
        })
    }

    /// Whether the body is one a test inserted ([`Session::raw`]).
    pub(crate) fn is_raw(&self) -> bool {
        matches!(self.body, Body::Raw(_))
    }

    fn expired(&self, now: Duration) -> bool {
        self.resources_ttl
            .is_some_and(|ttl| now > self.created.saturating_add(Duration::from_secs(ttl)))
    }

    /// The body of `GET /sessions/{id}`, as JSON bytes.
    ///
    /// What the session looks like depends only on the configuration and on the whole
    /// seconds since its creation, so a body is rendered once and served until either changes
    /// (see [`Session::configure`] and [`Store::configure_app`]).
    pub(crate) fn body(&mut self, id: &str, app: &Map<String, Value>, now: Duration) -> Bytes {
        let age = now.saturating_sub(self.created).as_secs();
        match &self.rendered {
            Some((rendered_at, body)) if *rendered_at == age => body.clone(),
            _ => {
                let body = Bytes::from(self.render(id, app, now).to_string());
                self.rendered = Some((age, body.clone()));
                body
            }
        }
    }

    /// Records an event that the session body does not show, for its notifications.
    pub(crate) fn notice(&mut self, topic: &'static str) {
        self.notices.push(topic);
    }

    /// The events recorded by [`Session::notice`], oldest first.
    pub(crate) fn notices(&self) -> &[&'static str] {
        &self.notices
    }

    /// Sets the session-level sandbox response configuration.
    pub(crate) fn configure(&mut self, config: Map<String, Value>) {
        self.config = Some(config);
        self.rendered = None;
    }
}
