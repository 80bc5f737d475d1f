//! Typed, signed client for the Yoti Identity Verification (IDV) API, generated from its
//! OpenAPI description.
//!
//! Every operation is a method on [`Client`] that returns a builder: set its parameters, then
//! `send()`. Request and response types are in [`types`]; every request is signed by
//! [`idv_signing`], byte-identical to the official SDKs, or carries a bearer token: one Yoti
//! issued ([`Client::with_bearer_token`]), or those a [`TokenSource`] obtains and refreshes
//! ([`Client::with_token_source`]).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = idv_api::Client::sandbox("my-sdk-id", "keys/my-sandbox-app.pem")?;
//! let session = client.get_session().session_id("session-id").send().await?;
//! println!("{:?}", session.state);
//! # Ok(())
//! # }
//! ```
//!
//! Errors are one [`Error`] type owned by this crate: each prints one bounded line that says
//! what happened (sent or not, the status, what came back) and never response content, which
//! can carry personal data. Path parameters that would address another resource are refused
//! before sending; redirects are not followed; JSON responses are capped
//! ([`DEFAULT_JSON_LIMIT`]); [`ClientBuilder::deadline`] bounds every call but media
//! downloads.
//!
//! The [README](https://docs.rs/crate/idv-api/latest) has the full guide: creating sessions,
//! media, the sandbox, retries and timeouts.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod bearer;
pub mod face_capture;
pub mod notifications;
pub mod sandbox;

// Everything in `generated` comes from spec/idv.yaml by `cargo xtask generate`.
// progenitor's builders carry no docs of their own, and its code predates some lints.
#[allow(missing_docs, clippy::all, clippy::pedantic, unused_qualifications)]
#[rustfmt::skip]
mod generated;
mod error;
mod results;
mod token;
mod trace;

/// The README's examples, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// What users cannot reach: the only way to a [`Client`] is through its signed constructors.
///
/// progenitor's `new_with_client` takes the middleware stack, which only the builder makes:
///
/// ```compile_fail
/// let _ = idv_api::Client::new_with_client;
/// ```
///
/// The stack's type is not public:
///
/// ```compile_fail
/// fn stack(_: idv_api::Transport) {}
/// ```
///
/// progenitor's `ClientInfo` trait, whose `client()` returns the unsigned `reqwest::Client`
/// requests are built with, is not re-exported. progenitor's `ClientHooks` requires the
/// impl, so a program that depends on `progenitor-client` itself can still call it; what it
/// gets holds no key or signer (the signer is in the private stack), so its requests go
/// unsigned and the API refuses them.
///
/// ```compile_fail
/// use idv_api::ClientInfo;
/// ```
#[cfg(doctest)]
struct UnreachableDoctests;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

pub use bearer::{BearerToken, BearerTokenError};
pub use error::{Error, InvalidResponse, PathParameterError, path_segment};
pub use generated::*;
pub use idv_signing;
pub use token::{AUTH_URL, AUTH_URL_ENV, TokenError, TokenSource};

use bytes::Bytes;
use futures_util::TryStreamExt;
use idv_signing::{KeyError, SignError, Signer, SignerError, SigningKey};
use progenitor_client::{ClientHooks, OperationInfo};
use reqwest_middleware::{ClientWithMiddleware, Middleware};

/// The production API's base URL.
pub const PRODUCTION_URL: &str = "https://api.yoti.com/idverify/v1";

/// The sandbox API's base URL. The response-config operations exist only here.
pub const SANDBOX_URL: &str = "https://api.yoti.com/sandbox/idverify/v1";

/// The environment variable that holds the SDK id from the Yoti Hub.
pub const SDK_ID_ENV: &str = "YOTI_CLIENT_SDK_ID";

/// The environment variable that holds the path of the PEM private key from the Yoti Hub.
pub const KEY_FILE_ENV: &str = "YOTI_KEY_FILE_PATH";

/// The environment variable that, when set, overrides the base URL given to
/// [`Client::from_env`] (the Node SDK reads it too).
pub const API_URL_ENV: &str = "YOTI_IDV_API_URL";

impl Client {
    /// A signed client for the production API, from an SDK id and the path of its PEM key.
    ///
    /// # Errors
    ///
    /// [`ClientError::Key`] when the key file cannot be read or is not a usable RSA key,
    /// [`ClientError::Signer`] when the SDK id is empty, and [`ClientError::Http`] when the
    /// HTTP client cannot be built.
    ///
    /// ```no_run
    /// let client = idv_api::Client::production("my-sdk-id", "keys/my-app.pem")?;
    /// # Ok::<(), idv_api::ClientError>(())
    /// ```
    pub fn production(
        sdk_id: impl Into<String>,
        key_file: impl AsRef<Path>,
    ) -> Result<Self, ClientError> {
        Self::from_key_file(PRODUCTION_URL, sdk_id, key_file)
    }

    /// A signed client for the sandbox API, from an SDK id and the path of its PEM key.
    ///
    /// # Errors
    ///
    /// [`ClientError::Key`] when the key file cannot be read or is not a usable RSA key,
    /// [`ClientError::Signer`] when the SDK id is empty, and [`ClientError::Http`] when the
    /// HTTP client cannot be built.
    ///
    /// ```no_run
    /// let client = idv_api::Client::sandbox("my-sdk-id", "keys/my-sandbox-app.pem")?;
    /// # Ok::<(), idv_api::ClientError>(())
    /// ```
    pub fn sandbox(
        sdk_id: impl Into<String>,
        key_file: impl AsRef<Path>,
    ) -> Result<Self, ClientError> {
        Self::from_key_file(SANDBOX_URL, sdk_id, key_file)
    }

    /// A signed client for `base_url` (for example [`PRODUCTION_URL`] or [`SANDBOX_URL`]) from
    /// the conventional environment variables [`YOTI_CLIENT_SDK_ID`](SDK_ID_ENV) and
    /// [`YOTI_KEY_FILE_PATH`](KEY_FILE_ENV). When [`YOTI_IDV_API_URL`](API_URL_ENV) is set (the
    /// Node SDK's variable), its value is the base URL instead of `base_url`.
    ///
    /// # Errors
    ///
    /// [`ClientError::MissingEnv`] when a variable is missing or empty, then the errors of
    /// [`Client::from_key_file`].
    ///
    /// ```no_run
    /// let client = idv_api::Client::from_env(idv_api::SANDBOX_URL)?;
    /// # Ok::<(), idv_api::ClientError>(())
    /// ```
    pub fn from_env(base_url: &str) -> Result<Self, ClientError> {
        let sdk_id = env_var(SDK_ID_ENV)?;
        let key_file = env_var(KEY_FILE_ENV)?;
        match env_var(API_URL_ENV) {
            Ok(url) => Self::from_key_file(url.trim(), sdk_id, key_file),
            Err(_) => Self::from_key_file(base_url, sdk_id, key_file),
        }
    }

    /// A signed client for `base_url` from an SDK id and the path of its PEM key.
    ///
    /// # Errors
    ///
    /// [`ClientError::Key`] when the key file cannot be read or is not a usable RSA key,
    /// [`ClientError::Signer`] when the SDK id is empty or the base URL is not usable, and [`ClientError::Http`] when the
    /// HTTP client cannot be built.
    pub fn from_key_file(
        base_url: &str,
        sdk_id: impl Into<String>,
        key_file: impl AsRef<Path>,
    ) -> Result<Self, ClientError> {
        let key = SigningKey::from_pem_file(key_file)?;
        Self::builder(Signer::new(sdk_id, key, base_url)?).build()
    }

    /// A [`ClientBuilder`] that signs with `signer`, for the base URL the signer signs for.
    ///
    /// Use it to put your own middleware (retries, tracing) in front of the signer, or to
    /// bring your own `reqwest::Client`.
    ///
    /// ```no_run
    /// use idv_api::idv_signing::{Signer, SigningKey};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let key = SigningKey::from_pem_file("keys/my-sandbox-app.pem")?;
    /// let signer = Signer::new("my-sdk-id", key, idv_api::SANDBOX_URL)?;
    /// let client = idv_api::Client::builder(signer)
    ///     .timeouts(std::time::Duration::from_secs(5), std::time::Duration::from_secs(60))
    ///     .build()?;
    /// assert_eq!(client.baseurl(), idv_api::SANDBOX_URL);
    /// # Ok(())
    /// # }
    /// ```
    pub fn builder(signer: Signer) -> ClientBuilder {
        ClientBuilder::new(Auth::Signed(signer))
    }

    /// A client for `base_url` that authenticates with a bearer token issued by Yoti:
    /// `Authorization: Bearer <token>` on every request, and no `sdkId`, `nonce`, `timestamp`
    /// or signature (the Java SDK's `withAuthenticationToken`).
    ///
    /// # Errors
    ///
    /// [`ClientError::BearerToken`] when the token is empty or not one word of printable
    /// ASCII, [`ClientError::BaseUrl`] when the base URL is not an `http` or `https` URL, and
    /// [`ClientError::Http`] when the HTTP client cannot be built.
    ///
    /// ```no_run
    /// let token = std::env::var("YOTI_AUTH_TOKEN")?;
    /// let client = idv_api::Client::with_bearer_token(idv_api::PRODUCTION_URL, &token)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_bearer_token(base_url: &str, token: &str) -> Result<Self, ClientError> {
        Self::bearer_builder(base_url, BearerToken::new(token)?)?.build()
    }

    /// A [`ClientBuilder`] that authenticates with a bearer token, to add middleware or bring
    /// your own `reqwest::Client`, as [`Client::builder`] does for a signer. The token is
    /// sent only to URLs under `base_url`.
    ///
    /// # Errors
    ///
    /// [`ClientError::BaseUrl`] when the base URL is not an `http` or `https` URL.
    pub fn bearer_builder(
        base_url: &str,
        token: BearerToken,
    ) -> Result<ClientBuilder, ClientError> {
        Ok(ClientBuilder::new(Auth::Bearer(bearer::Bearer {
            token,
            base_url: parse_base_url(base_url)?,
        })))
    }

    /// A client for `base_url` that authenticates with Yoti authentication tokens from
    /// `source`: it obtains one on the first request, sends it as `Authorization: Bearer`
    /// (no `sdkId`, `nonce`, `timestamp` or signature), reuses it, and obtains the next before
    /// it expires. Requests that need a new token at the same time share one request for it. A
    /// 401 on a token that was not just obtained is retried once, with a new one.
    ///
    /// A request for which no token could be obtained is not sent: it fails with
    /// [`Error::NotSent`], and [`Error::token_error`] says why.
    ///
    /// # Errors
    ///
    /// [`ClientError::BaseUrl`] when the base URL is not an `http` or `https` URL, and
    /// [`ClientError::Http`] when the HTTP client cannot be built.
    ///
    /// ```no_run
    /// use idv_api::idv_signing::SigningKey;
    /// use idv_api::{Client, TokenSource};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let key = SigningKey::from_pem_file("keys/my-app.pem")?;
    /// let tokens = TokenSource::new("my-sdk-id", key, ["your:scope"])?;
    /// let client = Client::with_token_source(idv_api::PRODUCTION_URL, tokens)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_token_source(base_url: &str, source: TokenSource) -> Result<Self, ClientError> {
        Self::token_builder(base_url, source)?.build()
    }

    /// A [`ClientBuilder`] that authenticates with tokens from `source`, as
    /// [`Client::with_token_source`] does, to add middleware or bring your own
    /// `reqwest::Client`. The token is sent only to URLs under `base_url`.
    ///
    /// # Errors
    ///
    /// [`ClientError::BaseUrl`] when the base URL is not an `http` or `https` URL.
    pub fn token_builder(
        base_url: &str,
        source: TokenSource,
    ) -> Result<ClientBuilder, ClientError> {
        Ok(ClientBuilder::new(Auth::Token(token::TokenAuth {
            source,
            base_url: parse_base_url(base_url)?,
        })))
    }

    /// The base URL requests go to.
    pub fn baseurl(&self) -> &str {
        &self.baseurl
    }

    /// Reads a JSON response body of at most the configured size. Generated code calls this
    /// in place of progenitor's unbounded reader.
    pub(crate) async fn read_json<T: serde::de::DeserializeOwned, E>(
        &self,
        response: reqwest::Response,
    ) -> Result<ResponseValue<T>, Error<E>> {
        use error::{InvalidKind, InvalidResponse};
        let status = response.status();
        let headers = response.headers().clone();
        let content_type = headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .filter(|v| v.len() <= 100)
            .map(str::to_string);
        let limit = self.inner.json_limit;
        let too_large = || InvalidResponse {
            status,
            content_type: content_type.clone(),
            kind: InvalidKind::TooLarge { limit },
        };
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large().into());
        }
        let mut body = Vec::new();
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.try_next().await? {
            if body.len() + chunk.len() > limit {
                return Err(too_large().into());
            }
            body.extend_from_slice(&chunk);
        }
        match serde_json::from_slice(&body) {
            Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
            Err(error) => Err(InvalidResponse {
                status,
                content_type,
                kind: InvalidKind::NotJson {
                    body: body.into(),
                    error,
                },
            }
            .into()),
        }
    }
}

/// A base URL for a client that sends a token, checked.
fn parse_base_url(base_url: &str) -> Result<reqwest::Url, ClientError> {
    let bad = |reason: &str| ClientError::BaseUrl {
        url: base_url.to_string(),
        reason: reason.to_string(),
    };
    let url = reqwest::Url::parse(base_url).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(bad("it is not an http or https URL"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("it has a query or a fragment"));
    }
    Ok(url)
}

fn env_var(name: &'static str) -> Result<String, ClientError> {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => Ok(value),
        _ => Err(ClientError::MissingEnv { name }),
    }
}

/// How long connecting may take by default (the Go SDK uses 10 seconds).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the server may stay silent mid-response by default. There is no limit on a whole
/// response, so large media downloads are not cut off.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest JSON response body read by default: 10 MiB. A session's result, with every
/// check, task and media reference, is a few hundred kilobytes at most; media content is
/// streamed and has no cap. Change it with [`ClientBuilder::json_limit`].
pub const DEFAULT_JSON_LIMIT: usize = 10 * 1024 * 1024;

/// The operation whose response is streamed, and so has no overall deadline.
const STREAMED_OPERATION: &str = "get_media_content";

/// How a [`Client`] authenticates: it signs, sends a bearer token, or sends the tokens of a
/// token source.
enum Auth {
    Signed(Signer),
    Bearer(bearer::Bearer),
    Token(token::TokenAuth),
}

/// Builds a [`Client`]: how it authenticates (a signer, a bearer token or a token source), the
/// middleware in front of that, and the HTTP client.
pub struct ClientBuilder {
    auth: Auth,
    middleware: Vec<Arc<dyn Middleware>>,
    http: Option<reqwest::Client>,
    connect_timeout: Duration,
    read_timeout: Duration,
    json_limit: usize,
    deadline: Option<Duration>,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut f = f.debug_struct("ClientBuilder");
        match &self.auth {
            Auth::Signed(signer) => f.field("signer", signer),
            Auth::Bearer(bearer) => f
                .field("bearer_token", &bearer.token)
                .field("base_url", &bearer.base_url),
            Auth::Token(tokens) => f
                .field("token_source", &tokens.source)
                .field("base_url", &tokens.base_url),
        }
        .field("middleware", &self.middleware.len())
        .field("connect_timeout", &self.connect_timeout)
        .field("read_timeout", &self.read_timeout)
        .field("json_limit", &self.json_limit)
        .field("deadline", &self.deadline)
        .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    fn new(auth: Auth) -> Self {
        ClientBuilder {
            auth,
            middleware: Vec::new(),
            http: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            json_limit: DEFAULT_JSON_LIMIT,
            deadline: None,
        }
    }

    /// Adds a middleware in front of the signer (or the bearer token, or the token source).
    /// Middleware run in the order added, and the signer always runs last, so every attempt a
    /// retry middleware makes is signed afresh.
    pub fn with<M: Middleware>(mut self, middleware: M) -> Self {
        self.middleware.push(Arc::new(middleware));
        self
    }

    /// Sends requests with this `reqwest::Client` instead of one the builder makes. Its own
    /// timeouts and TLS settings apply; [`timeouts`](Self::timeouts) does not.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The connect timeout and the read timeout (the longest silence mid-response) of the
    /// HTTP client the builder makes. Defaults: [`DEFAULT_CONNECT_TIMEOUT`],
    /// [`DEFAULT_READ_TIMEOUT`].
    pub fn timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.connect_timeout = connect;
        self.read_timeout = read;
        self
    }

    /// The largest JSON response body the client reads; a larger one is an
    /// [`Error::InvalidResponse`] and is not read into memory. Default: [`DEFAULT_JSON_LIMIT`].
    pub fn json_limit(mut self, bytes: usize) -> Self {
        self.json_limit = bytes;
        self
    }

    /// An overall deadline for every request except media downloads, from sending the request
    /// to the last byte of the response, so that a server that answers one byte at a time
    /// cannot hold a call for ever. Media content keeps streaming, bounded only by the read
    /// timeout. Default: none.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The client.
    ///
    /// The HTTP client the builder makes follows no redirect (the API never redirects, and a
    /// redirect would carry the signed request elsewhere) and sends no `Referer`.
    ///
    /// # Errors
    ///
    /// [`ClientError::Http`] when the HTTP client cannot be built (no TLS backend starts).
    pub fn build(self) -> Result<Client, ClientError> {
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .read_timeout(self.read_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .referer(false)
                .build()
                .map_err(ClientError::Http)?,
        };
        let (base_url, last): (String, Arc<dyn Middleware>) = match self.auth {
            Auth::Signed(signer) => (signer.base_url().to_string(), Arc::new(Sign(signer))),
            Auth::Bearer(bearer) => (bearer.base_url.to_string(), Arc::new(bearer)),
            Auth::Token(tokens) => (tokens.base_url.to_string(), Arc::new(tokens)),
        };
        let base_url = base_url.trim_end_matches('/');
        let stack = self
            .middleware
            .into_iter()
            .chain(trace::attempt_counter())
            .chain([last])
            .fold(
                reqwest_middleware::ClientBuilder::new(http.clone()),
                |b, m| b.with_arc(m),
            )
            .build();
        Ok(Client::new_with_client(
            base_url,
            http,
            Transport {
                stack,
                json_limit: self.json_limit,
                deadline: self.deadline,
            },
        ))
    }
}

/// Why a [`Client`] could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// An environment variable is missing or empty.
    #[error(
        "the environment variable {name} is not set: set {SDK_ID_ENV} to the SDK id and \
         {KEY_FILE_ENV} to the path of the PEM key, both from the Yoti Hub"
    )]
    MissingEnv {
        /// The variable's name.
        name: &'static str,
    },
    /// The private key could not be read.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The SDK id or base URL is not usable.
    #[error(transparent)]
    Signer(#[from] SignerError),
    /// The bearer token is not usable.
    #[error(transparent)]
    BearerToken(#[from] BearerTokenError),
    /// The scopes given to a [`TokenSource`] are not usable.
    #[error(
        "the token scopes are not usable: {reason} (use the scopes Yoti gave your application)"
    )]
    Scopes {
        /// What is wrong with them.
        reason: String,
    },
    /// The token endpoint's URL given to a [`TokenSource`] is not usable.
    #[error("invalid auth URL `{url}`: {reason} (expected e.g. `{AUTH_URL}`)")]
    AuthUrl {
        /// The URL that was given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The base URL given with a bearer token is not usable.
    #[error(
        "invalid base URL `{url}`: {reason} (expected e.g. `https://api.yoti.com/idverify/v1`)"
    )]
    BaseUrl {
        /// The base URL that was given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The HTTP client could not be built (for example, no TLS backend could start).
    #[error("cannot build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}

/// The middleware stack every request of a [`Client`] goes through: the caller's own
/// middleware, then the signer.
#[derive(Clone, Debug)]
pub(crate) struct Transport {
    stack: ClientWithMiddleware,
    json_limit: usize,
    deadline: Option<Duration>,
}

impl ClientHooks<Transport> for Client {
    /// Sends the request through the middleware stack.
    ///
    /// progenitor's generated code needs a `reqwest::Error` here, which a middleware's own
    /// error cannot become. So a middleware error travels as the source of a `reqwest::Error`
    /// and reaches the caller as [`Error::NotSent`].
    async fn exec(
        &self,
        mut request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        if let Some(deadline) = self.inner.deadline
            && info.operation_id != STREAMED_OPERATION
        {
            *request.timeout_mut() = Some(deadline);
        }
        let mut extensions = http::Extensions::new();
        let call = trace::Call::start(info.operation_id, &mut extensions);
        let sent = self
            .inner
            .stack
            .execute_with_extensions(request, &mut extensions);
        let result = call.instrument(sent).await;
        match result {
            Ok(response) => {
                call.finish(&extensions, trace::Outcome::Status(response.status()));
                Ok(response)
            }
            Err(reqwest_middleware::Error::Reqwest(e)) => {
                call.finish(&extensions, trace::Outcome::Failed(&e));
                Err(e)
            }
            Err(reqwest_middleware::Error::Middleware(error)) => {
                let operation = info.operation_id;
                let signing = extensions.remove::<Refused>().map(|r| r.0);
                let refusal = signing
                    .as_deref()
                    .or_else(|| error::find(Some(error.as_ref())));
                let outcome = match (refusal, error::find(Some(error.as_ref()))) {
                    (None, Some(token)) => trace::Outcome::NoToken(token),
                    _ => trace::Outcome::Refused(refusal),
                };
                call.finish(&extensions, outcome);
                let error = MiddlewareError {
                    operation,
                    error,
                    signing,
                };
                middleware_failure(error).await
            }
        }
    }
}

/// A middleware (the signer, or one of your own) stopped a request: it was not sent.
///
/// It reaches the caller as [`Error::NotSent`]; [`Error::middleware_error`] finds it.
#[derive(Debug, thiserror::Error)]
#[error("the {operation} request was not sent: {error:#}")]
pub struct MiddlewareError {
    operation: &'static str,
    error: anyhow::Error,
    signing: Option<Arc<SignError>>,
}

impl MiddlewareError {
    /// The operation whose request was stopped, e.g. `get_session`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The middleware's error.
    pub fn get_ref(&self) -> &anyhow::Error {
        &self.error
    }

    /// The token source's error, when no token could be obtained for the request.
    pub fn token_error(&self) -> Option<&TokenError> {
        error::find(Some(self.error.as_ref()))
    }

    /// The signing error, when the signer stopped the request.
    ///
    /// It is found however the middleware in front of the signer (a retry middleware, say)
    /// wrap the signer's error.
    pub fn signing_error(&self) -> Option<&SignError> {
        self.signing
            .as_deref()
            .or_else(|| error::find(Some(self.error.as_ref())))
    }
}

/// The signer, as idv-api runs it: last in the stack, and a refusal is also recorded in the
/// request's extensions, because a middleware in front may wrap the error in a type whose
/// `source` skips it (reqwest-retry's `#[error(transparent)]` does).
struct Sign(Signer);

/// The signer's refusal of the request, in its extensions.
#[derive(Clone)]
struct Refused(Arc<SignError>);

/// The signer's refusal, as the middleware chain carries it.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
struct SignRefusal(Arc<SignError>);

#[async_trait::async_trait]
impl Middleware for Sign {
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: reqwest_middleware::Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        match self.0.sign_request(&mut request) {
            Ok(()) => next.run(request, extensions).await,
            Err(e) => {
                let e = Arc::new(e);
                extensions.insert(Refused(e.clone()));
                Err(reqwest_middleware::Error::middleware(SignRefusal(e)))
            }
        }
    }
}

/// What `exec` hands progenitor for a request a middleware stopped: a body error whose
/// source is the [`MiddlewareError`].
///
/// reqwest has no public constructor for its error type, but a body whose stream fails yields
/// one, with the stream's error as its source, without any I/O.
async fn middleware_failure(error: MiddlewareError) -> reqwest::Result<reqwest::Response> {
    use http_body::Body as _;
    let mut body = reqwest::Body::wrap_stream(futures_util::stream::iter([Err::<Bytes, _>(error)]));
    match std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await {
        Some(Err(e)) => Err(e),
        // The stream's only item is the error, so this cannot happen; if it did, the caller
        // would get an unexpected empty 500 response rather than a panic.
        Some(Ok(_)) | None => {
            let mut empty = http::Response::new(Vec::<u8>::new());
            *empty.status_mut() = reqwest::StatusCode::INTERNAL_SERVER_ERROR;
            Ok(reqwest::Response::from(empty))
        }
    }
}

/// The content of a media item, from [`Client::get_media_content`].
pub struct MediaDownload {
    /// The media's `Content-Type`, e.g. `image/jpeg` or `application/json`.
    pub content_type: Option<String>,
    /// The media's length in bytes, when the server says.
    pub content_length: Option<u64>,
    /// The media's bytes, as they arrive.
    pub body: ByteStream,
}

impl std::fmt::Debug for MediaDownload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaDownload")
            .field("content_type", &self.content_type)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

impl MediaDownload {
    /// Reads the whole body into memory. Stream [`body`](Self::body) instead for large media.
    ///
    /// # Errors
    ///
    /// The `reqwest::Error` of a connection that failed or went silent mid-body.
    pub async fn bytes(self) -> Result<Bytes, reqwest::Error> {
        let chunks: Vec<Bytes> = self.body.into_inner().try_collect().await?;
        Ok(chunks.concat().into())
    }
}

/// Reading a media content response.
pub trait MediaContentExt {
    /// The media, or `None` when the API answered 204: regulations prevent it from returning
    /// the content. Like the official SDKs, a 204 is "no media", not an error.
    fn into_media(self) -> Option<MediaDownload>;
}

impl MediaContentExt for ResponseValue<ByteStream> {
    fn into_media(self) -> Option<MediaDownload> {
        if self.status() == reqwest::StatusCode::NO_CONTENT {
            return None;
        }
        let content_type = self
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let content_length = self.content_length();
        Some(MediaDownload {
            content_type,
            content_length,
            body: self.into_inner(),
        })
    }
}
