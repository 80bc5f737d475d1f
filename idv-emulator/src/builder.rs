//! [`Builder`]: an emulator's settings, and starting it.

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::serve::ListenerExt;
use idv_signing::PublicKey;
use serde_json::Value;

use crate::responses::Responses;
use crate::schema::Spec;
use crate::server::App;
use crate::sessions::Ids;
use crate::{
    DEFAULT_SDK_ID, DEFAULT_TIMESTAMP_TOLERANCE, DEFAULT_TOKEN_LIFETIME, EMBEDDED_SPEC, Emulator,
    KEY_FILE, PRIVATE_KEY, PUBLIC_KEY, SPEC_ENV, StartError, api, control,
};

/// Configures an [`Emulator`]; from [`Emulator::builder`].
#[derive(Clone, Debug)]
pub struct Builder {
    sdk_id: String,
    public_key: Option<String>,
    bearer_token: Option<String>,
    tolerance: Duration,
    spec: Option<String>,
    host: IpAddr,
    port: u16,
    check_responses: bool,
    user_flow: bool,
    pub(crate) control: control::Settings,
    token_lifetime: Duration,
}

impl Builder {
    /// The defaults; from [`Emulator::builder`].
    pub(crate) fn new() -> Builder {
        Builder {
            sdk_id: DEFAULT_SDK_ID.to_owned(),
            public_key: None,
            bearer_token: None,
            tolerance: DEFAULT_TIMESTAMP_TOLERANCE,
            spec: None,
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            check_responses: true,
            user_flow: false,
            control: control::Settings::default(),
            token_lifetime: DEFAULT_TOKEN_LIFETIME,
        }
    }

    /// The SDK id of the emulator's application (default [`DEFAULT_SDK_ID`]).
    #[must_use]
    pub fn sdk_id(mut self, sdk_id: impl Into<String>) -> Self {
        self.sdk_id = sdk_id.into();
        self
    }

    /// The application's public key, PEM (`BEGIN PUBLIC KEY` or `BEGIN RSA PUBLIC KEY`), that
    /// signatures are verified with: your own sandbox key pair's, so that your application
    /// only needs a new base URL (default: the demo key's, whose private key is at
    /// [`Emulator::key_path`]). [`Builder::start`] fails when it does not load.
    #[must_use]
    pub fn public_key_pem(mut self, pem: impl Into<String>) -> Self {
        self.public_key = Some(pem.into());
        self
    }

    /// The bearer token it accepts in place of a signature (default: a new random one each
    /// start, from [`Emulator::bearer_token`]).
    #[must_use]
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(token.into());
        self
    }

    /// How long the tokens the token endpoint issues are valid, in whole seconds, at least
    /// one (default [`DEFAULT_TOKEN_LIFETIME`]). They expire by the sessions' clock, which
    /// [`Emulator::advance`] moves: a test sees a token refreshed in seconds with a short
    /// lifetime, or at once by advancing the clock.
    #[must_use]
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// How far a request's timestamp may be from the clock (default
    /// [`DEFAULT_TIMESTAMP_TOLERANCE`]).
    #[must_use]
    pub fn timestamp_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// The OpenAPI document (YAML) whose request schemas bodies are checked against, instead
    /// of the file named by [`SPEC_ENV`] or the built-in spec.
    #[must_use]
    pub fn spec(mut self, yaml: impl Into<String>) -> Self {
        self.spec = Some(yaml.into());
        self
    }

    /// Whether every response is checked against the spec's response schemas (default: yes).
    ///
    /// Objects are closed and `nullable` reads as OpenAPI 3.0.3 defines it. A response that
    /// fails is answered with 500 instead, logged to stderr, and kept until
    /// [`Emulator::take_response_problems`]; dropping the emulator with problems kept panics,
    /// which fails the test that ran it. Session bodies from [`Emulator::insert_session`] are
    /// not checked. Switch it off when a spec of your own describes less than the emulator
    /// sends.
    #[must_use]
    pub fn check_responses(mut self, check: bool) -> Self {
        self.check_responses = check;
        self
    }

    /// Whether new sessions wait for their end user (default: no).
    ///
    /// By default a session behaves as if its user went through the flow at once, as it was
    /// created. With `user_flow(true)`, a session is `ONGOING` with nothing captured and its
    /// checks `CREATED` until its user finishes on the emulator's page,
    /// `{base}/web/index.html?sessionID=…&sessionToken=…`, or a test finishes it as the user
    /// would ([`Emulator::complete_session`], `POST /__emulator/sessions/{id}/complete`).
    /// The command line's `--user-flow`.
    #[must_use]
    pub fn user_flow(mut self, wait: bool) -> Self {
        self.user_flow = wait;
        self
    }

    /// The address to listen on (default 127.0.0.1). Only loopback is safe: the emulator
    /// accepts requests signed with a published test key.
    #[must_use]
    pub fn host(mut self, host: IpAddr) -> Self {
        self.host = host;
        self
    }

    /// The port to listen on (default 0: one the system chooses).
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Starts the server on the current Tokio runtime. It stops when the [`Emulator`] is
    /// dropped.
    ///
    /// # Errors
    ///
    /// A [`StartError`] when the spec or the key cannot be used or the port is taken.
    pub async fn start(self) -> Result<Emulator, StartError> {
        let yaml = match (self.spec, std::env::var_os(SPEC_ENV)) {
            (Some(yaml), _) => Some(yaml),
            (None, Some(path)) => {
                let path = PathBuf::from(path);
                let read = std::fs::read_to_string(&path);
                Some(read.map_err(|source| StartError::SpecFile { path, source })?)
            }
            (None, None) => None,
        };
        let compiled = match yaml {
            Some(yaml) => compile(&yaml).map_err(StartError::Spec)?,
            None => embedded().map_err(StartError::Spec)?,
        };
        let responses = self.check_responses.then(|| compiled.responses.clone());
        let public_key = PublicKey::from_pem(self.public_key.as_deref().unwrap_or(PUBLIC_KEY))?;
        // One seed for the ids and the faults' random choices, shown by `Emulator::seed`.
        let mut control = self.control;
        let seed = *control
            .seed
            .get_or_insert_with(|| uuid::Uuid::new_v4().as_u64_pair().0);
        let ids = Ids::new(Some(seed));
        let bearer_token = self
            .bearer_token
            .unwrap_or_else(|| format!("idv-emulator-{}", ids.next_uuid().simple()));
        let bind = |source| StartError::Bind {
            host: self.host,
            port: self.port,
            source,
        };
        let listener = tokio::net::TcpListener::bind((self.host, self.port))
            .await
            .map_err(bind)?;
        let addr = listener.local_addr().map_err(bind)?;
        let app = App::new(
            self.sdk_id,
            public_key,
            bearer_token,
            self.tolerance,
            compiled.spec.clone(),
            responses,
            ids,
            control::Control::new(control, &compiled.doc),
        )
        .with_tokens(
            format!("http://{addr}{}", api::oauth::TOKEN_PATH),
            self.token_lifetime,
        );
        app.user_flow
            .store(self.user_flow, std::sync::atomic::Ordering::Relaxed);
        let app = Arc::new(app);
        // Replies go out as soon as they are written, as from a real API server.
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let router = api::router(app.clone());
        let server = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, router).await {
                tracing::error!(%error, "the server stopped");
            }
        });
        let key_path = demo_key_file();
        Ok(Emulator {
            addr,
            app,
            key_path,
            server,
        })
    }
}

/// A spec, parsed once: the document, its request validators and its response validators.
#[derive(Clone)]
struct Compiled {
    doc: Arc<Value>,
    spec: Arc<Spec>,
    responses: Arc<Responses>,
}

/// Compiles a spec's validators, from one parse of its YAML.
fn compile(yaml: &str) -> Result<Compiled, String> {
    let doc: Value = serde_yaml::from_str(yaml).map_err(|e| format!("not YAML: {e}"))?;
    let spec = Arc::new(Spec::from_doc(&doc)?);
    let responses = Arc::new(Responses::from_doc(&doc)?);
    Ok(Compiled {
        doc: Arc::new(doc),
        spec,
        responses,
    })
}

/// The built-in spec, compiled once per process however many emulators start.
fn embedded() -> Result<Compiled, String> {
    static EMBEDDED: std::sync::OnceLock<Result<Compiled, String>> = std::sync::OnceLock::new();
    EMBEDDED.get_or_init(|| compile(EMBEDDED_SPEC)).clone()
}

/// Where the demo private key is: the crate's file when its sources are still there (a
/// checkout, or `cargo install --path`), else a copy written to the temporary directory once
/// (an installed binary whose sources were cleaned up).
fn demo_key_file() -> PathBuf {
    let file = Path::new(KEY_FILE);
    if let Ok(path) = file.canonicalize() {
        return path;
    }
    let copy = std::env::temp_dir().join("idv-emulator-demo-rsa2048-pkcs1.pem");
    if std::fs::read_to_string(&copy).ok().as_deref() != Some(PRIVATE_KEY)
        && let Err(error) = std::fs::write(&copy, PRIVATE_KEY)
    {
        tracing::warn!(%error, "cannot write the demo key file to the temporary directory");
        return file.to_owned();
    }
    copy
}
