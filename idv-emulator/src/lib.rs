//! A local emulator of the Yoti IDV API and its sandbox.
//!
//! The emulator is a real HTTP server on 127.0.0.1. It serves the API under `/idverify/v1`
//! (like production: the sandbox's response-config operations answer 404 there) and under
//! `/sandbox/idverify/v1` (with them). Both share one application and one set of sessions.
//!
//! - **Authentication**, as the service does it: every request must carry the
//!   `sdkId`, `nonce` and `timestamp` query parameters and an `X-Yoti-Auth-Digest` that
//!   [`idv_signing::verify`] accepts with the application's public key. A missing or bad
//!   signature, another SDK id, a nonce already seen and a timestamp more than the tolerance
//!   (5 minutes by default) from the clock each get 401 with an `ApiError` body that says
//!   which. Timestamps may be Unix seconds (as the API reference says) or milliseconds (as the
//!   official SDKs send), and `GET /supported-documents` needs no `sdkId` (the official SDKs
//!   send none). Instead of a signature, `Authorization: Bearer` with the token the emulator
//!   printed ([`Emulator::bearer_token`]) is accepted, and so is one from its token endpoint.
//! - **Authentication tokens**, as Yoti's auth service issues them: `POST` a client
//!   assertion (a JWT signed `PS384` with the application's key) to [`Emulator::auth_url`], a
//!   path ending in `/v1/oauth/token`, and get a bearer token valid for
//!   [`Builder::token_lifetime`] on the sessions' clock. Any non-empty scope is accepted and
//!   echoed. The assertion's signature, `iss`, `sub`, `aud`, `exp` and `jti` (never reused) are
//!   checked, and each refusal is an RFC 6749 error (`invalid_client` with 401,
//!   `invalid_grant`, `invalid_scope`, `invalid_request` or `unsupported_grant_type` with
//!   400). An expired token gets 401 `TOKEN_EXPIRED` from the API.
//! - **Notifications**, sent for real to a session's notification endpoint for each
//!   subscribed topic as the session changes, with the configured `Authorization` header. The
//!   endpoint must be on 127.0.0.1, `::1` or `localhost`; unlike the real API, `http://` is
//!   accepted there.
//! - **Validation** against the request schemas of `spec/idv.yaml`, read when the emulator
//!   starts (the file named by [`SPEC_ENV`] if set, else the spec this crate was built with).
//!   Objects are closed: a property the spec does not describe is an error, so a misspelled
//!   field is caught. A bad body gets 400 `PAYLOAD_VALIDATION` with one `errors[]` entry per bad
//!   property, e.g. `{"property": "requested_checks[0].type", "message": "is required"}`.
//! - **Sessions** in memory. A new session behaves as if its user went through the flow at
//!   once: it has the documents, liveness and face captures that its requested checks, tasks
//!   and required documents need, a task for each requested task and a check for each requested
//!   check. Checks report what the sandbox response configuration says (the session's own over
//!   the application's, check type by check type), or approve; extraction tasks extract the
//!   configured `document_fields` (served as their JSON media). Until `async_report_delay` has
//!   passed, checks are `PENDING` and deleting the session (or its media) answers 409. Images
//!   are a 1x1 PNG, supplementary documents a one-page PDF, and a ZOOM facemap is held back
//!   (204). Unknown ids get 404 with an `ApiError`.
//!
//! - **The end user's page**, `{base}/web/index.html?sessionID=…&sessionToken=…`, where a
//!   browser completes, fails or cancels a session's journey and is sent back to its
//!   `success_url` or `error_url`. By default sessions complete at once, as above; with
//!   [`Builder::user_flow`] they wait for the page, or for [`Emulator::complete_session`].
//!
//! - **Refusals** as the real API's: a JSON body whose `Content-Type` is not JSON gets 415,
//!   an `includeNonLatin` other than `true` or `false` gets 400, and so does a TTL under 300
//!   seconds or a `session_deadline` that leaves less (see the spec's descriptions).
//! - **Its own responses checked** against the spec's response schemas, strictly (closed
//!   objects, OpenAPI 3.0.3's `nullable`): one that fails is answered with 500 and fails the
//!   test when the [`Emulator`] is dropped. See [`Builder::check_responses`].
//! - **A control plane** under `/__emulator/`, with no authentication, for tests in any
//!   language: health, reset, the clock, a journal of the requests and injected faults (error
//!   statuses, delays, dropped connections). [`Emulator::reset`], [`Emulator::requests`],
//!   [`Emulator::inject`] and the others do the same in Rust; see [`control`].
//!
//! Every error response, axum's own included, has an `ApiError` JSON body. The emulator
//! never panics on a request.
//!
//! # Example
//!
//! ```
//! use idv_api::types::{CheckType, CreateSessionPayload, RequestedCheck};
//! use idv_emulator::Emulator;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = Emulator::start().await?;
//! let client = idv_api::Client::from_key_file(
//!     &emulator.sandbox_url(),
//!     emulator.sdk_id(),
//!     emulator.key_path(),
//! )?;
//!
//! let check = RequestedCheck::new(CheckType::IdDocumentAuthenticity);
//! let payload = CreateSessionPayload::builder().requested_checks(vec![check]);
//! let created = client.create_session().body(payload).send().await?;
//!
//! let session = client.get_session().session_id(&created.session_id).send().await?;
//! assert_eq!(session.checks[0].type_, Some(CheckType::IdDocumentAuthenticity));
//! # Ok(())
//! # }
//! ```
//!
//! Standalone, `cargo run -p idv-emulator` prints its base URLs, its SDK id and the PEM key a
//! client should sign with; see the crate's README.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod api;
mod auth;
mod builder;
pub mod control;
mod demo;
mod documents;
mod error;
mod log;
mod notify;
mod responses;
mod schema;
mod server;
mod sessions;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use bytes::Bytes;
use serde_json::{Value, json};

use crate::server::App;
use crate::sessions::Session;

/// The environment variable that names a spec file to use instead of the built-in one.
pub const SPEC_ENV: &str = "IDV_EMULATOR_SPEC";

/// The SDK id of the emulator's application, unless [`Builder::sdk_id`] says otherwise.
pub const DEFAULT_SDK_ID: &str = "7f2a6c1e-5b3d-4e8f-9a0b-1c2d3e4f5a6b";

/// How far a request's timestamp may be from the clock, unless
/// [`Builder::timestamp_tolerance`] says otherwise.
pub const DEFAULT_TIMESTAMP_TOLERANCE: Duration = Duration::from_secs(300);

/// How long the tokens of the token endpoint are valid, unless [`Builder::token_lifetime`]
/// says otherwise.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

/// The spec this crate was built with: the workspace's `spec/idv.yaml`, copied into the crate
/// by `cargo xtask generate` (`cargo xtask check` fails when the copy differs).
pub(crate) const EMBEDDED_SPEC: &str = include_str!("../spec/idv.yaml");

/// The demo key pair: the public key the application verifies with unless
/// [`Builder::public_key_pem`] says otherwise, and its private key, for clients to sign with.
/// It is the workspace's published test key (`idv-signing/tests/data/test-rsa2048-*`).
const PUBLIC_KEY: &str = include_str!("../keys/demo-rsa2048-pub.pem");
const PRIVATE_KEY: &str = include_str!("../keys/demo-rsa2048-pkcs1.pem");
const KEY_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/keys/demo-rsa2048-pkcs1.pem");

pub use crate::builder::Builder;

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The spec file named by [`SPEC_ENV`] could not be read.
    #[error("cannot read the spec file `{}` (named by {SPEC_ENV}): {source}", path.display())]
    SpecFile {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The spec is not a usable OpenAPI document.
    #[error("the spec cannot be used: {0}")]
    Spec(String),
    /// The application's public key did not load.
    #[error("the application's public key does not load: {0}")]
    Key(#[from] idv_signing::KeyError),
    /// The address is taken or not this machine's.
    #[error("cannot listen on {host}:{port}: {source}")]
    Bind {
        /// The host address asked for.
        host: IpAddr,
        /// The port asked for (0 for any).
        port: u16,
        /// Why.
        source: std::io::Error,
    },
}

/// Media content that a test adds to a session with [`Emulator::add_media`].
#[derive(Clone, Debug)]
pub enum Media {
    /// These bytes, served with this content type.
    Bytes {
        /// The `Content-Type` to answer with.
        content_type: String,
        /// The content.
        bytes: Bytes,
    },
    /// `len` bytes made as the client reads them, never held in memory whole: the byte at
    /// offset `i` is `(i % 251) as u8`. For testing that large media streams.
    Generated {
        /// The `Content-Type` to answer with.
        content_type: String,
        /// How many bytes.
        len: u64,
    },
    /// Media that regulations prevent the API from returning: 204 No Content.
    HeldBack,
}

/// What the emulator has seen, for tests to assert on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Requests that passed authentication.
    pub authenticated: u64,
    /// Requests refused with 401, replays included.
    pub unauthorized: u64,
    /// Requests refused because their nonce had been used before.
    pub replayed_nonces: u64,
    /// Tokens the token endpoint issued.
    pub tokens_issued: u64,
}

/// A running emulator. Dropping it stops the server.
pub struct Emulator {
    addr: SocketAddr,
    app: Arc<App>,
    key_path: PathBuf,
    server: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .field("sdk_id", &self.app.sdk_id)
            .finish_non_exhaustive()
    }
}

impl Drop for Emulator {
    /// Stops the server.
    ///
    /// # Panics
    ///
    /// When responses failed the check against the spec ([`Builder::check_responses`]) and
    /// nobody took the problems: so that the test that ran the emulator fails, naming them.
    fn drop(&mut self) {
        self.server.abort();
        let problems = self.take_response_problems();
        if !problems.is_empty() && !std::thread::panicking() {
            panic!(
                "the emulator sent {} response(s) that the spec does not allow:\n{}",
                problems.len(),
                problems.join("\n")
            );
        }
    }
}

impl Emulator {
    /// An emulator with the defaults, started: see [`Builder::start`].
    ///
    /// # Errors
    ///
    /// As [`Builder::start`].
    pub async fn start() -> Result<Emulator, StartError> {
        Emulator::builder().start().await
    }

    /// A [`Builder`] with the defaults.
    pub fn builder() -> Builder {
        Builder::new()
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The production-like base URL, e.g. `http://127.0.0.1:41234/idverify/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/idverify/v1", self.addr)
    }

    /// The sandbox base URL, e.g. `http://127.0.0.1:41234/sandbox/idverify/v1`.
    pub fn sandbox_url(&self) -> String {
        format!("http://{}/sandbox/idverify/v1", self.addr)
    }

    /// The URL of its auth service's token endpoint, e.g.
    /// `http://127.0.0.1:41234/auth/v1/oauth/token`: where a client obtains tokens with a
    /// client assertion (`idv_api::TokenSource`), as from Yoti's
    /// `https://auth.api.yoti.com/v1/oauth/token`. Its path ends in `/v1/oauth/token` as Yoti's
    /// does.
    pub fn auth_url(&self) -> &str {
        &self.app.auth_url
    }

    /// The SDK id of the emulator's application.
    pub fn sdk_id(&self) -> &str {
        &self.app.sdk_id
    }

    /// The bearer token it issued: a client that sends `Authorization: Bearer <token>` needs
    /// no signature (`idv_api::Client::with_bearer_token`). Any other bearer token gets 401.
    pub fn bearer_token(&self) -> &str {
        &self.app.bearer_token
    }

    /// The PEM private key to sign with: the demo key (the crate's `keys/demo-rsa2048-pkcs1.pem`),
    /// whose public key the emulator holds unless [`Builder::public_key_pem`] gave another
    /// (then sign with that key pair's private key instead).
    pub fn key_path(&self) -> &Path {
        &self.key_path
    }

    /// Inserts a session whose `GET` body is `body`, as it is: for testing what a client does
    /// with responses the spec does not describe. Its id is `body["session_id"]` if that is a
    /// string, else a new one (written into the body). Returns the id.
    pub fn insert_session(&self, mut body: Value) -> String {
        let mut store = self.app.store();
        let id = match body.get("session_id").and_then(Value::as_str) {
            Some(id) => id.to_owned(),
            None => {
                let id = store.ids.next();
                if let Value::Object(fields) = &mut body {
                    fields.insert("session_id".into(), json!(id));
                }
                id
            }
        };
        let session = Session::raw(body, self.app.now(), &store.ids);
        store.sessions.insert(id.clone(), session);
        id
    }

    /// Adds a media item to a session and returns its id, or `None` when there is no such
    /// session.
    pub fn add_media(&self, session_id: &str, media: Media) -> Option<String> {
        let now = self.app.now();
        let mut store = self.app.store();
        let (session, _) = store.session(session_id, now)?;
        Some(session.add_test_media(media))
    }

    /// Creates a session as complete as a real one after its user finished: an ID document
    /// with a page, a frame, its photo and extracted fields, a supplementary document, a ZOOM
    /// liveness capture, and authenticity, face match, liveness and text data checks. Returns
    /// its id. For demos and benchmarks (`idv-emulator --demo-session`).
    pub fn demo_session(&self) -> String {
        let payload = demo::payload();
        let mut store = self.app.store();
        let (id, session) = Session::create(&payload, self.app.now(), &store.ids);
        store.sessions.insert(id.clone(), session);
        id
    }

    /// Moves the sessions' clock forward: TTLs count down, checks held back by
    /// `async_report_delay` complete, and the token endpoint's tokens expire, without waiting.
    /// Authentication (request timestamps, client assertions) keeps the real clock.
    pub fn advance(&self, by: Duration) {
        self.app.advance(by);
    }

    /// The responses that failed the check against the spec so far (see
    /// [`Builder::check_responses`]), each naming the operation, the status and the JSON path;
    /// taken, so that dropping the emulator does not fail the test for them.
    pub fn take_response_problems(&self) -> Vec<String> {
        std::mem::take(&mut *self.app.response_problems())
    }

    /// What it has seen so far.
    pub fn stats(&self) -> Stats {
        Stats {
            authenticated: self.app.authenticated.load(Ordering::Relaxed),
            unauthorized: self.app.unauthorized.load(Ordering::Relaxed),
            replayed_nonces: self.app.replayed.load(Ordering::Relaxed),
            tokens_issued: self.app.tokens_issued.load(Ordering::Relaxed),
        }
    }
}
