//! Yoti authentication tokens: obtained from Yoti's auth service with a client assertion,
//! reused, and refreshed before they expire.
//!
//! A [`TokenSource`] holds the application's SDK id, key and scopes. On first use it signs a
//! client assertion ([`idv_signing::client_assertion`]) and POSTs it to the token endpoint,
//! form-encoded, as the official Java and PHP SDKs do:
//!
//! ```text
//! grant_type=client_credentials
//! &client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer
//! &scope=<the scopes, joined by spaces>&client_assertion=<the JWT>
//! ```
//!
//! and keeps the `access_token` of the answer until shortly before its `expires_in` runs out
//! (a tenth of its lifetime before, at most a minute). A client built with
//! [`Client::with_token_source`](crate::Client::with_token_source) sends it as
//! `Authorization: Bearer`; requests that find no usable token wait for one fetch between
//! them; a 401 on a token that was not fetched for that very request is retried once with a
//! fresh one.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::lock::Mutex;
use idv_signing::{NonceSource as _, SignerError, SigningKey, UuidNonces};
use reqwest::header::{ACCEPT, CONTENT_TYPE};

use crate::{BearerToken, ClientError, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT};

mod error;
mod middleware;
#[cfg(test)]
mod tests;
mod wire;

pub use error::TokenError;
pub(crate) use middleware::TokenAuth;
use wire::{MAX_TOKEN_RESPONSE, form_body, parse_token, read_capped, refusal};

/// Yoti's token endpoint, unless [`YOTI_AUTH_URL`](AUTH_URL_ENV) says otherwise.
pub const AUTH_URL: &str = "https://auth.api.yoti.com/v1/oauth/token";

/// The environment variable that, when set, is the token endpoint's URL instead of
/// [`AUTH_URL`] (the PHP SDK's variable; Java reads the `yoti.auth.url` property).
pub const AUTH_URL_ENV: &str = "YOTI_AUTH_URL";

/// A token is refreshed a tenth of its lifetime before it expires, and at most this long
/// before.
const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// The longest a whole token request may take.
const TOKEN_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Obtains Yoti authentication tokens for one application and set of scopes, reuses each
/// until shortly before it expires, and then obtains the next one. Build a client with it
/// with [`Client::with_token_source`](crate::Client::with_token_source) or
/// [`Client::token_builder`](crate::Client::token_builder).
///
/// Clones share the token. `Debug` shows the SDK id, the token URL and the scopes, never the
/// key, an assertion or a token.
///
/// ```no_run
/// use idv_api::idv_signing::SigningKey;
/// use idv_api::{Client, TokenSource};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let key = SigningKey::from_pem_file("keys/my-app.pem")?;
/// // The scopes Yoti gave your application.
/// let tokens = TokenSource::new("my-sdk-id", key, ["your:scope"])?;
/// tokens.token().await?; // optional: check the credentials now rather than on first use
/// let client = Client::with_token_source(idv_api::PRODUCTION_URL, tokens)?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct TokenSource {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    sdk_id: String,
    key: Arc<SigningKey>,
    /// The scopes, joined by spaces.
    scope: String,
    auth_url: reqwest::Url,
    http: reqwest::Client,
    state: Mutex<State>,
    /// Token requests finished, successful or not.
    fetches: AtomicU64,
}

#[derive(Default)]
struct State {
    token: Option<Cached>,
    /// The last token request's failure, with its number in `fetches`: the requests that
    /// waited for it get it too, rather than each asking again.
    failure: Option<(u64, TokenError)>,
}

struct Cached {
    token: BearerToken,
    /// When to get the next one; never, when the auth service did not say how long this one
    /// lasts (a 401 then says).
    refresh_at: Option<Instant>,
    /// Its number in `fetches`, so that a 401 invalidates this token and not a newer one.
    generation: u64,
}

/// The token for one request.
struct Current {
    token: BearerToken,
    generation: u64,
    /// Whether it was obtained for this request (then a 401 is not worth a retry).
    fetched: bool,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource")
            .field("sdk_id", &self.inner.sdk_id)
            .field("auth_url", &self.inner.auth_url.as_str())
            .field("scope", &self.inner.scope)
            .finish_non_exhaustive()
    }
}

impl TokenSource {
    /// A token source for the application `sdk_id` with its `key`, asking for `scopes`, from
    /// the token endpoint [`YOTI_AUTH_URL`](AUTH_URL_ENV) names, else [`AUTH_URL`]. Nothing is
    /// sent until the first token is needed.
    ///
    /// Whitespace around the SDK id is removed. A scope is one word of printable ASCII without
    /// `"` or `\` (RFC 6749); Yoti publishes no list of IDV scopes, so use those it gave you.
    ///
    /// # Errors
    ///
    /// [`ClientError::Signer`] when the SDK id is empty, [`ClientError::Scopes`] when there
    /// are no scopes or one is not a scope, [`ClientError::AuthUrl`] when `YOTI_AUTH_URL` is
    /// not an `http` or `https` URL, and [`ClientError::Http`] when the HTTP client cannot be
    /// built.
    pub fn new(
        sdk_id: impl Into<String>,
        key: impl Into<Arc<SigningKey>>,
        scopes: impl IntoIterator<Item: Into<String>>,
    ) -> Result<Self, ClientError> {
        let auth_url = match std::env::var(AUTH_URL_ENV) {
            Ok(url) if !url.trim().is_empty() => parse_auth_url(url.trim(), true)?,
            _ => parse_auth_url(AUTH_URL, false)?,
        };
        let sdk_id = sdk_id.into().trim().to_owned();
        if sdk_id.is_empty() {
            return Err(SignerError::EmptySdkId.into());
        }
        let scopes: Vec<String> = scopes.into_iter().map(Into::into).collect();
        if scopes.is_empty() {
            return Err(ClientError::Scopes {
                reason: "none was given".into(),
            });
        }
        for scope in &scopes {
            let valid = |c: char| c.is_ascii_graphic() && c != '"' && c != '\\';
            if scope.is_empty() || !scope.chars().all(valid) {
                return Err(ClientError::Scopes {
                    reason: format!(
                        "the scope {scope:?} is empty or has a space, a `\"`, a `\\` or a \
                         character that is not printable ASCII (give each scope on its own)"
                    ),
                });
            }
        }
        Self::build(sdk_id, key.into(), scopes.join(" "), auth_url)
    }

    /// The same source, for the token endpoint at `auth_url` instead (a test server, say), with
    /// no token yet.
    ///
    /// # Errors
    ///
    /// [`ClientError::AuthUrl`] when `auth_url` is not an `http` or `https` URL, and
    /// [`ClientError::Http`] when the HTTP client cannot be built.
    pub fn with_auth_url(self, auth_url: &str) -> Result<Self, ClientError> {
        let url = parse_auth_url(auth_url, false)?;
        let inner = &self.inner;
        Self::build(
            inner.sdk_id.clone(),
            inner.key.clone(),
            inner.scope.clone(),
            url,
        )
    }

    fn build(
        sdk_id: String,
        key: Arc<SigningKey>,
        scope: String,
        auth_url: reqwest::Url,
    ) -> Result<Self, ClientError> {
        let http = reqwest::Client::builder()
            .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
            .read_timeout(DEFAULT_READ_TIMEOUT)
            .timeout(TOKEN_REQUEST_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .build()
            .map_err(ClientError::Http)?;
        let inner = Inner {
            sdk_id,
            key,
            scope,
            auth_url,
            http,
            state: Mutex::default(),
            fetches: AtomicU64::new(0),
        };
        Ok(TokenSource {
            inner: Arc::new(inner),
        })
    }

    /// The token endpoint's URL.
    pub fn auth_url(&self) -> &str {
        self.inner.auth_url.as_str()
    }

    /// The current token: the one held, or a new one when none is held or it is about to
    /// expire. Clients call this for every request; call it yourself to check the
    /// credentials at start-up.
    ///
    /// # Errors
    ///
    /// A [`TokenError`] when no token could be obtained.
    pub async fn token(&self) -> Result<BearerToken, TokenError> {
        Ok(self.inner.current().await?.token)
    }
}

/// The token endpoint URL, checked. `from_env` says where it came from, for the error.
fn parse_auth_url(url: &str, from_env: bool) -> Result<reqwest::Url, ClientError> {
    let bad = |reason: &str| ClientError::AuthUrl {
        url: url.to_owned(),
        reason: if from_env {
            format!("{reason}; it is the value of {AUTH_URL_ENV}")
        } else {
            reason.to_owned()
        },
    };
    let parsed = reqwest::Url::parse(url).map_err(|e| bad(&e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(bad("it is not an http or https URL"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(bad("it has a query or a fragment"));
    }
    Ok(parsed)
}

impl Inner {
    /// The token to send: see [`TokenSource::token`].
    async fn current(&self) -> Result<Current, TokenError> {
        let seen = self.fetches.load(Ordering::Acquire);
        let mut state = self.state.lock().await;
        if let Some(cached) = &state.token
            && cached.refresh_at.is_none_or(|at| Instant::now() < at)
        {
            return Ok(Current {
                token: cached.token.clone(),
                generation: cached.generation,
                fetched: false,
            });
        }
        // A request that finished while this one waited for the lock failed: so would ours.
        if let Some((number, failure)) = &state.failure
            && *number > seen
        {
            return Err(failure.clone());
        }
        let result = self.fetch().await;
        let number = self.fetches.fetch_add(1, Ordering::AcqRel) + 1;
        match result {
            Ok((token, refresh_at)) => {
                state.failure = None;
                state.token = Some(Cached {
                    token: token.clone(),
                    refresh_at,
                    generation: number,
                });
                Ok(Current {
                    token,
                    generation: number,
                    fetched: true,
                })
            }
            Err(error) => {
                state.token = None;
                state.failure = Some((number, error.clone()));
                Err(error)
            }
        }
    }

    /// Forgets the token numbered `generation`, which the API refused; a newer one is kept.
    async fn invalidate(&self, generation: u64) {
        let mut state = self.state.lock().await;
        if state
            .token
            .as_ref()
            .is_some_and(|t| t.generation == generation)
        {
            state.token = None;
        }
    }

    /// Asks the auth service for a token: the token, and when to refresh it.
    async fn fetch(&self) -> Result<(BearerToken, Option<Instant>), TokenError> {
        let url = self.auth_url.as_str();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let assertion =
            idv_signing::client_assertion(&self.key, &self.sdk_id, url, now, &UuidNonces.nonce())
                .map_err(|e| TokenError::Signing(Arc::new(e)))?;
        let transport = |error: reqwest::Error| TokenError::Transport {
            url: url.to_owned(),
            source: Arc::new(error),
        };
        let response = self
            .http
            .post(self.auth_url.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body(form_body(&self.scope, &assertion))
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        let Some(body) = read_capped(response).await.map_err(transport)? else {
            return Err(TokenError::InvalidResponse {
                url: url.to_owned(),
                status,
                reason: format!("its body is over {MAX_TOKEN_RESPONSE} bytes"),
            });
        };
        let received = Instant::now();
        if !status.is_success() {
            return Err(refusal(url, status, &body));
        }
        let (token, expires_in) =
            parse_token(&body).map_err(|reason| TokenError::InvalidResponse {
                url: url.to_owned(),
                status,
                reason: reason.to_owned(),
            })?;
        crate::trace::token_refreshed(expires_in);
        Ok((
            token,
            expires_in.and_then(|life| refresh_at(received, life)),
        ))
    }
}

/// When to refresh a token received at `received` that lasts `lifetime`: a tenth of its
/// lifetime before it expires, at most [`MAX_REFRESH_MARGIN`] before. `None` (never: a 401
/// will say) when that is beyond what the clock can count.
fn refresh_at(received: Instant, lifetime: Duration) -> Option<Instant> {
    let margin = (lifetime / 10).min(MAX_REFRESH_MARGIN);
    received.checked_add(lifetime - margin)
}
