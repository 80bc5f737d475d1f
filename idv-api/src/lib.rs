#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod face_capture;

// Everything in `generated` comes from spec/idv.yaml by `cargo xtask generate`.
// progenitor's builders carry no docs of their own, and its code predates some lints.
#[allow(missing_docs, clippy::all, clippy::pedantic, unused_qualifications)]
#[rustfmt::skip]
mod generated;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

pub use generated::*;
pub use idv_signing;

use bytes::Bytes;
use futures_util::TryStreamExt;
use idv_signing::{KeyError, Signer, SignerError, SigningKey, SigningMiddleware};
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

impl Client {
    /// A signed client for the production API, from an SDK id and the path of its PEM key.
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
    /// [`YOTI_KEY_FILE_PATH`](KEY_FILE_ENV).
    ///
    /// ```no_run
    /// let client = idv_api::Client::from_env(idv_api::SANDBOX_URL)?;
    /// # Ok::<(), idv_api::ClientError>(())
    /// ```
    pub fn from_env(base_url: &str) -> Result<Self, ClientError> {
        let sdk_id = env_var(SDK_ID_ENV)?;
        let key_file = env_var(KEY_FILE_ENV)?;
        Self::from_key_file(base_url, sdk_id, key_file)
    }

    /// A signed client for `base_url` from an SDK id and the path of its PEM key.
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
        ClientBuilder {
            signer,
            middleware: Vec::new(),
            http: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
        }
    }

    /// The base URL requests go to.
    pub fn baseurl(&self) -> &str {
        &self.baseurl
    }
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

/// Builds a [`Client`]: the signer, the middleware in front of it, and the HTTP client.
pub struct ClientBuilder {
    signer: Signer,
    middleware: Vec<Arc<dyn Middleware>>,
    http: Option<reqwest::Client>,
    connect_timeout: Duration,
    read_timeout: Duration,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("signer", &self.signer)
            .field("middleware", &self.middleware.len())
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Adds a middleware in front of the signer. Middleware run in the order added, and the
    /// signer always runs last, so every attempt a retry middleware makes is signed afresh.
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

    /// The client.
    pub fn build(self) -> Result<Client, ClientError> {
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .read_timeout(self.read_timeout)
                .build()
                .map_err(ClientError::Http)?,
        };
        let base_url = self
            .signer
            .base_url()
            .as_str()
            .trim_end_matches('/')
            .to_string();
        let stack = self
            .middleware
            .into_iter()
            .fold(
                reqwest_middleware::ClientBuilder::new(http.clone()),
                |b, m| b.with_arc(m),
            )
            .with(SigningMiddleware::new(self.signer))
            .build();
        Ok(Client::new_with_client(
            &base_url,
            http,
            Transport { stack },
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
    /// The HTTP client could not be built (for example, no TLS backend could start).
    #[error("cannot build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}

/// The middleware stack every request of a [`Client`] goes through: the caller's own
/// middleware, then the signer.
#[derive(Clone, Debug)]
pub struct Transport {
    stack: ClientWithMiddleware,
}

impl ClientHooks<Transport> for Client {
    /// Sends the request through the middleware stack.
    ///
    /// progenitor's generated code needs a `reqwest::Error` here, which a middleware's own
    /// error cannot become. So a middleware error travels as the source of a `reqwest::Error`
    /// and reaches the caller as [`Error::CommunicationError`]; [`ErrorExt`] recovers it.
    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        match self.inner.stack.execute(request).await {
            Ok(response) => Ok(response),
            Err(reqwest_middleware::Error::Reqwest(e)) => Err(e),
            Err(reqwest_middleware::Error::Middleware(error)) => {
                let operation = info.operation_id;
                middleware_failure(MiddlewareError { operation, error }).await
            }
        }
    }
}

/// A middleware (the signer, or one of your own) stopped a request: it was not sent.
///
/// It reaches the caller inside [`Error::CommunicationError`]; [`ErrorExt::middleware_error`]
/// finds it.
#[derive(Debug, thiserror::Error)]
#[error("the {operation} request was not sent: {error:#}")]
pub struct MiddlewareError {
    operation: &'static str,
    error: anyhow::Error,
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

    /// The signing error, when the signer stopped the request.
    pub fn signing_error(&self) -> Option<&idv_signing::SignError> {
        self.error.downcast_ref()
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

/// What a generated method's [`Error`] can tell beyond progenitor's variants.
pub trait ErrorExt {
    /// The middleware error that stopped the request before it was sent, if one did.
    fn middleware_error(&self) -> Option<&MiddlewareError>;

    /// The signing error that stopped the request before it was sent, if one did.
    fn signing_error(&self) -> Option<&idv_signing::SignError> {
        self.middleware_error()?.signing_error()
    }
}

impl<E> ErrorExt for Error<E> {
    fn middleware_error(&self) -> Option<&MiddlewareError> {
        let Error::CommunicationError(e) = self else {
            return None;
        };
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
        while let Some(s) = source {
            if let Some(found) = s.downcast_ref::<MiddlewareError>() {
                return Some(found);
            }
            source = s.source();
        }
        None
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
