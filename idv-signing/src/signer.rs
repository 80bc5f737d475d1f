//! The pure signing core: the query parameters, the message and the digest for one request.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use url::Url;

use crate::message::message_from_parts;
use crate::{Backend, SigningKey};

/// The source of the `timestamp` query parameter.
///
/// Two clocks come with the crate: [`SystemClock`], the default, gives Unix time in seconds,
/// as the API reference documents; [`SystemClockMillis`] gives Unix time in milliseconds,
/// which is what every official Yoti SDK sends. The API accepts both. The timestamp is signed
/// as it is sent, so either gives a valid signature.
///
/// Any `Fn() -> u64` closure is a clock, which makes tests easy:
///
/// ```
/// # use idv_signing::{Signer, SigningKey};
/// # let key = SigningKey::from_pem(include_str!("../tests/data/test-rsa2048-pkcs1.pem")).unwrap();
/// let signer = Signer::new("sdk-id", key, "https://api.yoti.com/idverify/v1")?
///     .with_clock(|| 1_480_509_893);
/// # Ok::<(), idv_signing::SignerError>(())
/// ```
pub trait Clock: Send + Sync + 'static {
    /// The timestamp to sign. The API documents Unix time in seconds.
    fn timestamp(&self) -> u64;
}

impl<F: Fn() -> u64 + Send + Sync + 'static> Clock for F {
    fn timestamp(&self) -> u64 {
        self()
    }
}

/// The default [`Clock`]: the system clock, in Unix seconds.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn timestamp(&self) -> u64 {
        since_epoch().as_secs()
    }
}

/// A [`Clock`] in Unix milliseconds, as every official Yoti SDK sends (`Date.now()` in Node,
/// `time.time() * 1000` in Python...). Use it to send byte for byte what they send:
///
/// ```
/// # use idv_signing::{Signer, SigningKey, SystemClockMillis};
/// # let key = SigningKey::from_pem(include_str!("../tests/data/test-rsa2048-pkcs1.pem")).unwrap();
/// let signer = Signer::new("sdk-id", key, "https://api.yoti.com/idverify/v1")?
///     .with_clock(SystemClockMillis);
/// # Ok::<(), idv_signing::SignerError>(())
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClockMillis;

impl Clock for SystemClockMillis {
    fn timestamp(&self) -> u64 {
        u64::try_from(since_epoch().as_millis()).unwrap_or(u64::MAX)
    }
}

/// The time since the Unix epoch. A clock set before 1970 gives 0, which the API will reject:
/// better than a panic.
fn since_epoch() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// The source of the `nonce` query parameter: a fresh value for every request and retry.
///
/// Any `Fn() -> String` closure is a nonce source.
pub trait NonceSource: Send + Sync + 'static {
    /// A new nonce.
    fn nonce(&self) -> String;
}

impl<F: Fn() -> String + Send + Sync + 'static> NonceSource for F {
    fn nonce(&self) -> String {
        self()
    }
}

/// The default [`NonceSource`]: a random UUID v4 in lowercase hyphenated form, as the
/// official SDKs send.
#[derive(Clone, Copy, Debug, Default)]
pub struct UuidNonces;

impl NonceSource for UuidNonces {
    fn nonce(&self) -> String {
        uuid::Uuid::new_v4().to_string()
    }
}

/// Why a [`Signer`] could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignerError {
    /// The base URL does not parse, or cannot have paths under it.
    #[error(
        "invalid base URL `{url}`: {reason} (expected e.g. `https://api.yoti.com/idverify/v1` \
         or `https://api.yoti.com/sandbox/idverify/v1`)"
    )]
    InvalidBaseUrl {
        /// The base URL that was given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The SDK id is empty, or only whitespace.
    #[error("the SDK id is empty: pass the SDK id from the Yoti Hub (YOTI_CLIENT_SDK_ID)")]
    EmptySdkId,
}

/// Why a request could not be signed. It is then never sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The request URL is not under the signer's base URL (scheme, host, port and path
    /// prefix must all match), so there is no relative path to sign.
    #[error(
        "cannot sign a request to `{url}`: it is not under the signer's base URL `{base}` \
         (build request URLs from that base, or make a Signer for this base)"
    )]
    OutsideBase {
        /// The request URL.
        url: String,
        /// The signer's base URL.
        base: String,
    },
    /// The request's query already has a parameter that the signer adds: `sdkId`, `nonce` or
    /// `timestamp`. Sending it twice would sign a query the API reads differently.
    #[error(
        "the request's query already has `{name}`, which the signer adds itself: remove it \
         from the URL (the signer adds sdkId, a fresh nonce and the timestamp)"
    )]
    ReservedQueryParameter {
        /// The parameter: `sdkId`, `nonce` or `timestamp`.
        name: &'static str,
    },
    /// The request body is a stream, so its bytes cannot be signed.
    #[error(
        "cannot sign a request with a streaming body: the signature covers the exact body bytes, \
         so give the body as bytes (e.g. a Vec<u8> or a String)"
    )]
    StreamingBody,
    /// A value the signer made cannot go in an HTTP header. (The digest is base64, so this does
    /// not happen; it is an error rather than a panic.)
    #[error("the {header} value is not a valid HTTP header value")]
    InvalidHeaderValue {
        /// The header.
        header: &'static str,
    },
    /// The cryptographic backend failed.
    #[error("RSA signing failed in the {backend:?} backend")]
    Signing {
        /// The backend that failed.
        backend: Backend,
    },
}

/// Everything the signer produced for one request: each stage on its own.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignedParts {
    /// The URL to send: the request URL with `sdkId` (except on the paths that take none, see
    /// [`Signer::sign_parts`]), `nonce` and `timestamp` appended to its query.
    pub url: Url,
    /// The exact string that was signed (see [`signed_message`](crate::signed_message)).
    pub message: String,
    /// The signature, in standard padded base64: the `X-Yoti-Auth-Digest` header value.
    pub digest: String,
}

/// The query parameters that the signer adds, and so refuses to find in a request's query.
const SIGNING_PARAMETERS: [&str; 3] = ["sdkId", "nonce", "timestamp"];

/// Whether a request to `relative_path` carries `sdkId` in its query. The official SDKs send
/// it on every operation but two: `GET /supported-documents`, which is not tied to an
/// application, and the sandbox's `/apps/{sdkId}/response-config`, whose path names the
/// application already. The digest covers the query, so sending it there too would give a
/// signature that differs from theirs.
fn takes_sdk_id(relative_path: &str) -> bool {
    relative_path != "/supported-documents" && !relative_path.starts_with("/apps/")
}

/// Signs requests for one SDK id and API base URL.
///
/// The core is pure: [`Signer::sign_parts`] takes a method, URL and body and returns the
/// final URL, the message and the digest, with the clock and the nonce source injected.
/// With the `reqwest` feature (on by default), `Signer::sign_request` applies that to a
/// `reqwest::Request`, and `SigningMiddleware` does so for every request a client sends.
///
/// ```
/// use idv_signing::{Signer, SigningKey, Url};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let key = SigningKey::from_pem(include_str!("../tests/data/test-rsa2048-pkcs1.pem"))?;
/// let signer = Signer::new("my-sdk-id", key, "https://api.yoti.com/idverify/v1")?
///     .with_clock(|| 1_480_509_893)
///     .with_nonce_source(|| "b88ad843-13cc-44ba-a3e0-053f71d89b1f".to_owned());
///
/// let url = Url::parse("https://api.yoti.com/idverify/v1/sessions")?;
/// let parts = signer.sign_parts("POST", &url, Some(b"{}"))?;
/// assert_eq!(
///     parts.url.as_str(),
///     "https://api.yoti.com/idverify/v1/sessions?sdkId=my-sdk-id\
///      &nonce=b88ad843-13cc-44ba-a3e0-053f71d89b1f&timestamp=1480509893"
/// );
/// assert_eq!(
///     parts.message,
///     "POST&/sessions?sdkId=my-sdk-id&nonce=b88ad843-13cc-44ba-a3e0-053f71d89b1f\
///      &timestamp=1480509893&e30="
/// );
/// # Ok(())
/// # }
/// ```
///
/// A `Signer` is `Send + Sync`; clones share the key.
#[derive(Clone)]
pub struct Signer {
    sdk_id: String,
    key: Arc<SigningKey>,
    base: Url,
    clock: Arc<dyn Clock>,
    nonces: Arc<dyn NonceSource>,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("sdk_id", &self.sdk_id)
            .field("base_url", &self.base.as_str())
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// A signer for `sdk_id` with `key`, for requests under `base_url`, e.g.
    /// `https://api.yoti.com/idverify/v1`, `https://api.yoti.com/sandbox/idverify/v1` or
    /// `http://127.0.0.1:8080/idverify/v1`. The base path is not part of what is signed.
    ///
    /// Whitespace around `sdk_id` is removed: an id read from a file or an environment
    /// variable often ends in a newline, which the API would answer with a 401.
    ///
    /// It uses the [`SystemClock`] (Unix seconds) and [`UuidNonces`]; see
    /// [`Signer::with_clock`] and [`Signer::with_nonce_source`].
    ///
    /// # Errors
    ///
    /// [`SignerError::EmptySdkId`] when `sdk_id` is empty or only whitespace, or
    /// [`SignerError::InvalidBaseUrl`] when `base_url` does not parse, cannot have paths under
    /// it, or has a query or fragment.
    pub fn new(
        sdk_id: impl Into<String>,
        key: SigningKey,
        base_url: &str,
    ) -> Result<Self, SignerError> {
        let mut sdk_id = sdk_id.into();
        if sdk_id.trim().len() != sdk_id.len() {
            sdk_id = sdk_id.trim().to_owned();
        }
        if sdk_id.is_empty() {
            return Err(SignerError::EmptySdkId);
        }
        let invalid = |reason: &str| SignerError::InvalidBaseUrl {
            url: base_url.to_owned(),
            reason: reason.to_owned(),
        };
        let base = Url::parse(base_url).map_err(|error| invalid(&error.to_string()))?;
        if base.cannot_be_a_base() || base.host().is_none() {
            return Err(invalid("it has no host to send requests to"));
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(invalid("a base URL has no query or fragment"));
        }
        Ok(Signer {
            sdk_id,
            key: Arc::new(key),
            base,
            clock: Arc::new(SystemClock),
            nonces: Arc::new(UuidNonces),
        })
    }

    /// Uses `clock` for the `timestamp` parameter, e.g. [`SystemClockMillis`].
    #[must_use]
    pub fn with_clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Uses `nonces` for the `nonce` parameter.
    #[must_use]
    pub fn with_nonce_source(mut self, nonces: impl NonceSource) -> Self {
        self.nonces = Arc::new(nonces);
        self
    }

    /// The SDK id that goes in the `sdkId` parameter (trimmed).
    pub fn sdk_id(&self) -> &str {
        &self.sdk_id
    }

    /// The base URL that request paths are relative to.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// The signing key.
    pub fn key(&self) -> &SigningKey {
        &self.key
    }

    /// Signs a request: appends `sdkId`, a fresh `nonce` and the `timestamp` to the URL's
    /// query, after any parameters it has, builds the message from the method, the path
    /// relative to the base URL, the query and the body, and signs it.
    ///
    /// As the official SDKs do, `sdkId` is left out on `/supported-documents` and on paths
    /// under `/apps/` (the sandbox's `/apps/{sdkId}/response-config`, whose path names the
    /// application already); every other path gets it.
    ///
    /// # Errors
    ///
    /// [`SignError::OutsideBase`] when `url` is not under the base URL;
    /// [`SignError::ReservedQueryParameter`] when its query already has `sdkId`, `nonce` or
    /// `timestamp` (compared after percent-decoding, as the API reads them);
    /// [`SignError::Signing`] if the backend fails.
    pub fn sign_parts(
        &self,
        method: &str,
        url: &Url,
        body: Option<&[u8]>,
    ) -> Result<SignedParts, SignError> {
        let path = self.relative_path(url)?;
        if url.query().is_some() {
            for (name, _) in url.query_pairs() {
                if let Some(&reserved) = SIGNING_PARAMETERS.iter().find(|&&p| p == name) {
                    return Err(SignError::ReservedQueryParameter { name: reserved });
                }
            }
        }
        // Appending to the query leaves the path, and so `path`, as it is.
        let mut url = url.clone();
        {
            let mut query = url.query_pairs_mut();
            if takes_sdk_id(path) {
                query.append_pair("sdkId", &self.sdk_id);
            }
            query
                .append_pair("nonce", &self.nonces.nonce())
                .append_pair("timestamp", &self.clock.timestamp().to_string());
        }
        let message =
            message_from_parts(method, [path, "?", url.query().unwrap_or_default()], body);
        let digest = self.key.sign(message.as_bytes())?;
        Ok(SignedParts {
            url,
            message,
            digest,
        })
    }

    /// The part of `url`'s path below the base URL's path (empty or starting with `/`).
    fn relative_path<'u>(&self, url: &'u Url) -> Result<&'u str, SignError> {
        path_under(&self.base, url).ok_or_else(|| SignError::OutsideBase {
            url: url.to_string(),
            base: self.base.to_string(),
        })
    }
}

/// The part of `url`'s path below `base` (empty or starting with `/`), when `url` is under
/// `base`: the same scheme, host and port, and a path that continues `base`'s at a `/`. This is
/// the rule by which a [`Signer`] refuses to sign a request to anywhere else; other
/// credentials (a bearer token, say) can be held to it too.
///
/// ```
/// use idv_signing::{Url, path_under};
///
/// let base = Url::parse("https://api.yoti.com/idverify/v1").unwrap();
/// let under = |url: &str| path_under(&base, &Url::parse(url).unwrap()).map(str::to_owned);
/// assert_eq!(under("https://api.yoti.com/idverify/v1/sessions/s1").as_deref(), Some("/sessions/s1"));
/// assert_eq!(under("https://api.yoti.com/idverify/v10/sessions"), None);
/// assert_eq!(under("https://elsewhere.example/idverify/v1/sessions"), None);
/// ```
pub fn path_under<'u>(base: &Url, url: &'u Url) -> Option<&'u str> {
    let base_path = base.path().trim_end_matches('/');
    (url.scheme() == base.scheme()
        && url.host() == base.host()
        && url.port_or_known_default() == base.port_or_known_default())
    .then(|| url.path().strip_prefix(base_path))
    .flatten()
    .filter(|rest| rest.is_empty() || rest.starts_with('/'))
}
