//! The control plane: what a test does to the emulator itself, over HTTP under `/__emulator/`
//! (outside the API's base paths, with no authentication, from any language) and through the
//! typed methods on [`Emulator`]. Both call the same functions here, so they cannot drift.
//!
//! | HTTP | Rust | what |
//! |---|---|---|
//! | `GET /__emulator/health` | | `{"status":"ok"}` once it serves |
//! | `POST /__emulator/reset` | [`Emulator::reset`] | forget every session, configuration, fault and request |
//! | `POST /__emulator/clock/advance` `{"seconds": N}` | [`Emulator::advance`] | move the sessions' clock |
//! | `GET /__emulator/requests` | [`Emulator::requests`] | the request journal ([`JournalEntry`]) |
//! | `POST`/`GET`/`DELETE /__emulator/faults` | [`Emulator::inject`], [`Emulator::faults`], [`Emulator::clear_faults`] | injected faults ([`Fault`]) |
//! | `DELETE /__emulator/faults/{id}` | [`Emulator::remove_fault`] | one fault |
//! | `POST /__emulator/sessions/{id}/complete` | [`Emulator::complete_session`] | complete a session's journey as its user would ([`Builder::user_flow`]) |
//! | `POST /__emulator/sessions/{id}/fail` `{"yoti_error_code": N}` | [`Emulator::fail_session`] | fail it with an error (body optional, default 3000) |
//! | `POST /__emulator/sessions/{id}/cancel` | [`Emulator::cancel_session`] | cancel it |
//!
//! A bad control request gets 400 with an `ApiError` body whose message says what is wrong;
//! an unknown control path 404. The control plane never changes how the API validates.
//! The crate's README has a curl line for each endpoint.

mod faults;
mod journal;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde_json::Value;

use self::faults::Faults;
pub use self::faults::{ControlError, Fault, InjectedFault};
use self::journal::Journal;
pub(crate) use self::journal::record;
pub use self::journal::{Auth, JournalEntry, RequestFilter};
pub use crate::api::web::JourneyError;
use crate::server::App;
use crate::{Builder, Emulator};

/// How many requests the journal keeps, unless [`Builder::journal_capacity`] says otherwise.
pub const DEFAULT_JOURNAL_CAPACITY: usize = 1000;

/// The API's base paths, which the spec's paths are relative to.
const BASES: [&str; 2] = ["/sandbox/idverify/v1", "/idverify/v1"];

/// The control plane's settings, from the [`Builder`].
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    journal_capacity: usize,
    pub(crate) seed: Option<u64>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            journal_capacity: DEFAULT_JOURNAL_CAPACITY,
            seed: None,
        }
    }
}

/// The control plane's state, in [`App`].
pub(crate) struct Control {
    pub(crate) operations: Operations,
    seed: u64,
    journal: Mutex<Journal>,
    faults: Mutex<Faults>,
    /// Bumped by each reset: a session's notifications stop when it changes.
    generation: AtomicU64,
}

impl Control {
    /// The control plane of an emulator serving the OpenAPI document `spec`.
    pub(crate) fn new(settings: Settings, spec: &Value) -> Control {
        let seed = settings
            .seed
            .unwrap_or_else(|| uuid::Uuid::new_v4().as_u64_pair().0);
        Control {
            operations: Operations::from_doc(spec),
            seed,
            journal: Mutex::new(Journal::new(settings.journal_capacity)),
            faults: Mutex::new(Faults::new(seed)),
            generation: AtomicU64::new(0),
        }
    }

    /// How many resets there have been.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    pub(crate) fn journal(&self) -> MutexGuard<'_, Journal> {
        self.journal.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn faults(&self) -> MutexGuard<'_, Faults> {
        self.faults.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Forgets every session (with its media and configuration), the application's sandbox
/// configuration, the clock's advance, every fault and journal entry and the [`crate::Stats`];
/// the sessions' pending notifications are not sent. The nonces seen are kept: they are about
/// the real clock, and forgetting them would let a replay through.
pub(crate) fn reset(app: &App) {
    // First, so that a notification task that finds its session gone knows why.
    app.control.generation.fetch_add(1, Ordering::SeqCst);
    // The ids start again from the seed, so a reset run repeats a fresh one's ids.
    *app.store() = crate::sessions::Store::new(crate::sessions::Ids::new(Some(app.control.seed)));
    app.advanced.store(0, Ordering::Relaxed);
    for counter in [
        &app.authenticated,
        &app.unauthorized,
        &app.replayed,
        &app.tokens_issued,
    ] {
        counter.store(0, Ordering::Relaxed);
    }
    app.control.journal().clear();
    app.control.faults().clear(app.control.seed);
}

/// How far the sessions' clock is ahead of the real one.
pub(crate) fn clock_offset(app: &App) -> Duration {
    Duration::from_millis(app.advanced.load(Ordering::Relaxed))
}

/// Validates `fault` and injects it.
pub(crate) fn inject(app: &App, fault: Fault) -> Result<InjectedFault, ControlError> {
    let fault = fault.checked(&app.control.operations)?;
    Ok(app.control.faults().add(fault))
}

/// The spec's operations by method and path, to name the operation a request matched.
pub(crate) struct Operations(Vec<Route>);

struct Route {
    method: String,
    /// The path's segments, `None` for a parameter.
    segments: Vec<Option<String>>,
    id: String,
}

impl Operations {
    fn from_doc(spec: &Value) -> Operations {
        let paths = spec.get("paths").and_then(Value::as_object);
        let mut routes = Vec::new();
        for (path, item) in paths.into_iter().flatten() {
            for (method, operation) in item.as_object().into_iter().flatten() {
                if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                    routes.push(Route {
                        method: method.to_ascii_uppercase(),
                        segments: segments(path),
                        id: id.to_owned(),
                    });
                }
            }
        }
        Operations(routes)
    }

    /// The operationId of `method` on the router's path template `route` (a base path and a
    /// path of the spec, whatever its parameters are named): the method and the template when
    /// the spec has no such operation.
    fn name(&self, method: &str, route: &str) -> String {
        let relative = BASES
            .iter()
            .find_map(|base| route.strip_prefix(base))
            .unwrap_or(route);
        let method = if method == "HEAD" { "GET" } else { method };
        let segments = segments(relative);
        self.0
            .iter()
            .find(|r| r.method == method && r.segments == segments)
            .map_or_else(|| format!("{method} {route}"), |r| r.id.clone())
    }

    /// Every operationId, sorted.
    pub(crate) fn ids(&self) -> BTreeSet<&str> {
        self.0.iter().map(|r| r.id.as_str()).collect()
    }
}

fn segments(path: &str) -> Vec<Option<String>> {
    path.split('/')
        .skip(1)
        .map(|s| (!(s.starts_with('{') && s.ends_with('}'))).then(|| s.to_owned()))
        .collect()
}

impl Builder {
    /// Makes the emulator reproducible: the seed of every id it hands out (sessions,
    /// resources, media, checks, tokens), of its bearer token and of the random choices of
    /// faults with a [`Fault::probability`] (default: a new random one each start, from
    /// [`Emulator::seed`]). The same seed and the same requests in the same order give the
    /// same ids and the same faults.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.control.seed = Some(seed);
        self
    }

    /// How many requests the journal ([`Emulator::requests`]) keeps: the oldest go first
    /// (default [`DEFAULT_JOURNAL_CAPACITY`]).
    #[must_use]
    pub fn journal_capacity(mut self, capacity: usize) -> Self {
        self.control.journal_capacity = capacity;
        self
    }
}

/// The control plane, typed: the same as `/__emulator/` over HTTP ([`crate::control`]).
impl Emulator {
    /// The control plane's URL, e.g. `http://127.0.0.1:41234/__emulator`.
    pub fn control_url(&self) -> String {
        format!("http://{}/__emulator", self.addr)
    }

    /// Forgets every session (with its media and sandbox configuration), the application's
    /// sandbox configuration, how far [`Emulator::advance`] moved the clock, every fault and
    /// journal entry, and the [`Emulator::stats`]. Pending notifications are not sent. The
    /// nonces seen are kept, so a replay is still refused. `POST /__emulator/reset`.
    pub fn reset(&self) {
        reset(&self.app);
    }

    /// How far [`Emulator::advance`] has moved the sessions' clock ahead of the real one.
    pub fn clock_offset(&self) -> Duration {
        clock_offset(&self.app)
    }

    /// The requests to the API's operations that `filter` selects, oldest first, from the
    /// journal (at most [`Builder::journal_capacity`]). `GET /__emulator/requests`.
    pub fn requests(&self, filter: &RequestFilter) -> Vec<JournalEntry> {
        self.app.control.journal().entries(filter)
    }

    /// How many requests the journal has dropped, oldest first, to stay within its capacity.
    pub fn requests_dropped(&self) -> u64 {
        self.app.control.journal().dropped()
    }

    /// Injects a fault; `POST /__emulator/faults`.
    ///
    /// # Errors
    ///
    /// A [`ControlError`] saying what is wrong: a status other than 429, 500, 502 or 503, no
    /// status, delay or drop, `times(0)`, a probability out of 0 to 1, an unknown operation.
    pub fn inject(&self, fault: Fault) -> Result<InjectedFault, ControlError> {
        inject(&self.app, fault)
    }

    /// The faults still to apply, in the order they were injected. `GET /__emulator/faults`.
    pub fn faults(&self) -> Vec<InjectedFault> {
        self.app.control.faults().list()
    }

    /// Removes every fault. `DELETE /__emulator/faults`.
    pub fn clear_faults(&self) {
        self.app.control.faults().clear_list();
    }

    /// Removes the fault `id`; `false` when there is none (it may have been used up).
    /// `DELETE /__emulator/faults/{id}`.
    pub fn remove_fault(&self, id: u64) -> bool {
        self.app.control.faults().remove(id)
    }

    /// The seed of the ids and the faults' random choices ([`Builder::seed`]), to repeat a run.
    pub fn seed(&self) -> u64 {
        self.app.control.seed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_is_named_by_the_specs_operation_id() {
        let spec: Value = serde_yaml::from_str(crate::EMBEDDED_SPEC).unwrap();
        let operations = Operations::from_doc(&spec);
        let name = |method, route| operations.name(method, route);
        assert_eq!(
            name("GET", "/sandbox/idverify/v1/sessions/{session_id}"),
            "getSession"
        );
        assert_eq!(
            name("HEAD", "/idverify/v1/sessions/{session_id}"),
            "getSession"
        );
        assert_eq!(
            name("PUT", "/sandbox/idverify/v1/apps/{sdk_id}/response-config"),
            "putApplicationResponseConfig"
        );
        assert_eq!(
            name("GET", "/idverify/v1/sessions/{a}/media/{b}/content"),
            "getMediaContent"
        );
        assert_eq!(
            name("GET", "/idverify/v1/nothing"),
            "GET /idverify/v1/nothing"
        );
        assert_eq!(operations.ids().len(), 20);
    }
}
