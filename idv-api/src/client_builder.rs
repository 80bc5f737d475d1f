//! [`ClientBuilder`]: how a [`Client`] authenticates, the middleware in front of that, the
//! HTTP client and its limits.

use std::sync::Arc;
use std::time::Duration;

use idv_signing::Signer;
use reqwest_middleware::Middleware;

use crate::middleware::Sign;
use crate::transport::Transport;
use crate::{Client, ClientError, bearer, token, trace};

/// How long connecting may take by default (the Go SDK uses 10 seconds).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the server may stay silent mid-response by default. There is no limit on a whole
/// response, so large media downloads are not cut off.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest JSON response body read by default: 10 MiB. A session's result, with every
/// check, task and media reference, is a few hundred kilobytes at most; media content is
/// streamed and has no cap. Change it with [`ClientBuilder::json_limit`].
pub const DEFAULT_JSON_LIMIT: usize = 10 * 1024 * 1024;

/// How a [`Client`] authenticates: it signs, sends a bearer token, or sends the tokens of a
/// token source.
pub(crate) enum Auth {
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
    pub(crate) fn new(auth: Auth) -> Self {
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
    /// timeouts and TLS settings apply; [`connect_timeout`](Self::connect_timeout) and
    /// [`read_timeout`](Self::read_timeout) do not.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// How long connecting may take, in the HTTP client the builder makes. Default:
    /// [`DEFAULT_CONNECT_TIMEOUT`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The longest the server may stay silent mid-response, in the HTTP client the builder
    /// makes. Default: [`DEFAULT_READ_TIMEOUT`].
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// The largest JSON response body the client reads; a larger one is an
    /// [`Error::InvalidResponse`](crate::Error::InvalidResponse) and is not read into memory. Default: [`DEFAULT_JSON_LIMIT`].
    pub fn json_limit(mut self, bytes: usize) -> Self {
        self.json_limit = bytes;
        self
    }

    /// An overall deadline for every request except those whose content is streamed (media
    /// content, the instructions PDF), from sending the request to the last byte of the
    /// response, so that a server that answers one byte at a time cannot hold a call for
    /// ever. Streamed content keeps streaming, bounded only by the read timeout. Default:
    /// none.
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
