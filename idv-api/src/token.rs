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

use futures_util::TryStreamExt as _;
use futures_util::lock::Mutex;
use idv_signing::{NonceSource as _, SignError, SignerError, SigningKey, UuidNonces};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest_middleware::Middleware;
use serde_json::Value;

use crate::{BearerToken, ClientError, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT};

/// Yoti's token endpoint, unless [`YOTI_AUTH_URL`](AUTH_URL_ENV) says otherwise.
pub const AUTH_URL: &str = "https://auth.api.yoti.com/v1/oauth/token";

/// The environment variable that, when set, is the token endpoint's URL instead of
/// [`AUTH_URL`] (the PHP SDK's variable; Java reads the `yoti.auth.url` property).
pub const AUTH_URL_ENV: &str = "YOTI_AUTH_URL";

/// The `client_assertion_type` of every token request (RFC 7523).
const CLIENT_ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// A token is refreshed a tenth of its lifetime before it expires, and at most this long
/// before.
const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// The longest a whole token request may take.
const TOKEN_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest token response read. A token response is a few hundred bytes.
const MAX_TOKEN_RESPONSE: usize = 64 * 1024;

/// The longest `error_description` kept from the auth service, so that an error stays one
/// bounded line.
const MAX_DESCRIPTION: usize = 300;

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

struct Inner {
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

/// The form body of a token request, in the official SDKs' order.
fn form_body(scope: &str, assertion: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "client_credentials")
        .append_pair("client_assertion_type", CLIENT_ASSERTION_TYPE)
        .append_pair("scope", scope)
        .append_pair("client_assertion", assertion)
        .finish()
}

/// The body, or `None` when it is over [`MAX_TOKEN_RESPONSE`].
async fn read_capped(response: reqwest::Response) -> reqwest::Result<Option<Vec<u8>>> {
    if response
        .content_length()
        .is_some_and(|n| n > MAX_TOKEN_RESPONSE as u64)
    {
        return Ok(None);
    }
    let mut body = Vec::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.try_next().await? {
        if body.len() + chunk.len() > MAX_TOKEN_RESPONSE {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

/// The token and its lifetime from a successful answer, or what is wrong with it (never
/// quoting it: it holds the token).
fn parse_token(body: &[u8]) -> Result<(BearerToken, Option<Duration>), &'static str> {
    let Ok(Value::Object(answer)) = serde_json::from_slice::<Value>(body) else {
        return Err("it is not a JSON object");
    };
    let token = match answer.get("access_token") {
        Some(Value::String(token)) => BearerToken::new(token)
            .map_err(|_| "its access_token is empty or not one word of printable ASCII")?,
        _ => return Err("it has no access_token string"),
    };
    match answer.get("token_type") {
        Some(Value::String(kind)) if kind.eq_ignore_ascii_case("bearer") => {}
        None => {}
        Some(_) => return Err("its token_type is not Bearer"),
    }
    let expires_in = match answer.get("expires_in") {
        None | Some(Value::Null) => None,
        Some(value) => Some(Duration::from_secs(
            value
                .as_u64()
                .ok_or("its expires_in is not a whole number of seconds")?,
        )),
    };
    Ok((token, expires_in))
}

/// The error for an answer with an error status: the OAuth error when the body is one.
fn refusal(url: &str, status: StatusCode, body: &[u8]) -> TokenError {
    let answer = serde_json::from_slice::<Value>(body).ok();
    let field = |name: &str| answer.as_ref()?.get(name)?.as_str().map(str::to_owned);
    match field("error") {
        Some(error) => TokenError::Refused {
            url: url.to_owned(),
            status,
            error: bounded(error),
            description: field("error_description").map(bounded),
        },
        None => TokenError::Status {
            url: url.to_owned(),
            status,
        },
    }
}

/// `text` cut to [`MAX_DESCRIPTION`] characters, on one line.
fn bounded(text: String) -> String {
    let mut text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_DESCRIPTION + 1)
        .collect();
    if text.chars().count() > MAX_DESCRIPTION {
        text = text.chars().take(MAX_DESCRIPTION).collect();
        text.push('…');
    }
    text
}

/// Why no token could be obtained. The request that needed it was not sent.
///
/// Every message names the token endpoint's URL and, when the auth service refused, its
/// OAuth error code. None holds the key, the client assertion or a token.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The auth service refused with an OAuth error (RFC 6749 §5.2).
    #[error(
        "the Yoti auth service at `{url}` refused the token request ({status}): {error}{}{}",
        description.as_ref().map(|d| format!(": {d}")).unwrap_or_default(),
        hint(error)
    )]
    Refused {
        /// The token endpoint's URL.
        url: String,
        /// The status it answered with.
        status: StatusCode,
        /// The OAuth error code: `invalid_client`, `invalid_grant`, `invalid_scope`, ...
        error: String,
        /// The service's `error_description`, if it gave one (at most 300 characters).
        description: Option<String>,
    },
    /// The auth service answered with an error status but no OAuth error.
    #[error(
        "the Yoti auth service at `{url}` answered {status} without an OAuth error: check the \
         URL ({AUTH_URL_ENV})"
    )]
    Status {
        /// The token endpoint's URL.
        url: String,
        /// The status it answered with.
        status: StatusCode,
    },
    /// The auth service answered with success, but not with a usable token.
    #[error("the Yoti auth service at `{url}` answered {status} without a usable token: {reason}")]
    InvalidResponse {
        /// The token endpoint's URL.
        url: String,
        /// The status it answered with.
        status: StatusCode,
        /// What is wrong with the answer.
        reason: String,
    },
    /// The auth service could not be reached, or did not answer in time.
    #[error("cannot get a token from the Yoti auth service at `{url}`")]
    Transport {
        /// The token endpoint's URL.
        url: String,
        /// The HTTP client's error.
        #[source]
        source: Arc<reqwest::Error>,
    },
    /// The client assertion could not be signed.
    #[error("cannot sign the client assertion for a token: {0}")]
    Signing(#[source] Arc<SignError>),
}

/// What to check for an OAuth error code.
fn hint(error: &str) -> &'static str {
    match error {
        "invalid_client" => {
            " (check the SDK id, and that the key is the application's PEM key from the Yoti Hub)"
        }
        "invalid_grant" => {
            " (check that this machine's clock is right, and that the auth URL is the token \
             endpoint's own)"
        }
        "invalid_scope" => " (check the scopes: use those Yoti gave your application)",
        _ => "",
    }
}

impl TokenError {
    /// The OAuth error code, when the auth service refused with one.
    pub fn oauth_error(&self) -> Option<&str> {
        match self {
            TokenError::Refused { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The status the auth service answered with, when it answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            TokenError::Refused { status, .. }
            | TokenError::Status { status, .. }
            | TokenError::InvalidResponse { status, .. } => Some(*status),
            TokenError::Transport { .. } | TokenError::Signing(_) => None,
        }
    }
}

/// The middleware that sends the token source's token, last in the stack as the signer is.
/// It sends it only to URLs under the client's base URL.
pub(crate) struct TokenAuth {
    pub(crate) source: TokenSource,
    pub(crate) base_url: reqwest::Url,
}

#[async_trait::async_trait]
impl Middleware for TokenAuth {
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: reqwest_middleware::Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        crate::bearer::check_under(&self.base_url, &request)?;
        let inner = &self.source.inner;
        let retry = request.try_clone();
        let current = inner
            .current()
            .await
            .map_err(reqwest_middleware::Error::middleware)?;
        let header = current.token.header_value();
        request.headers_mut().insert(AUTHORIZATION, header);
        let response = next.clone().run(request, extensions).await?;
        // A 401 on a token fetched for this request would come again; on an older one, the
        // token may have expired early or been revoked: one more try with a new token.
        let (StatusCode::UNAUTHORIZED, false, Some(mut retry)) =
            (response.status(), current.fetched, retry)
        else {
            return Ok(response);
        };
        drop(response);
        inner.invalidate(current.generation).await;
        let token = inner
            .current()
            .await
            .map_err(reqwest_middleware::Error::middleware)?
            .token;
        retry
            .headers_mut()
            .insert(AUTHORIZATION, token.header_value());
        next.run(retry, extensions).await
    }
}

#[cfg(test)]
mod tests {
    use base64::prelude::{BASE64_URL_SAFE_NO_PAD, Engine as _};

    use super::*;

    const KEY: &str = include_str!("../../idv-signing/tests/data/test-rsa2048-pkcs1.pem");

    fn decoded(part: &str) -> Value {
        serde_json::from_slice(&BASE64_URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
    }

    #[test]
    fn the_form_body_has_the_official_sdks_fields_in_their_order() {
        assert_eq!(
            form_body("scope1 scope2 scope3:read", "h.c.s"),
            "grant_type=client_credentials\
             &client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer\
             &scope=scope1+scope2+scope3%3Aread&client_assertion=h.c.s"
        );
    }

    #[test]
    fn the_assertion_is_a_ps384_jwt_with_the_claims_the_issue_lists() {
        let key = SigningKey::from_pem(KEY).unwrap();
        let source = TokenSource::new(" my-sdk-id\n", key, ["a", "b"])
            .unwrap()
            .with_auth_url("https://auth.example/v1/oauth/token")
            .unwrap();
        let inner = &source.inner;
        assert_eq!(inner.scope, "a b");
        let jwt = idv_signing::client_assertion(
            &inner.key,
            &inner.sdk_id,
            inner.auth_url.as_str(),
            1_700_000_000,
            &UuidNonces.nonce(),
        )
        .unwrap();
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(
            decoded(parts[0]),
            serde_json::json!({"alg": "PS384", "typ": "JWT"})
        );
        let claims = decoded(parts[1]);
        assert_eq!(claims["iss"], "sdk:my-sdk-id");
        assert_eq!(claims["sub"], "sdk:my-sdk-id");
        assert_eq!(claims["aud"], "https://auth.example/v1/oauth/token");
        assert_eq!(claims["iat"], 1_700_000_000);
        assert_eq!(claims["exp"], 1_700_000_300);
        let jti = claims["jti"].as_str().unwrap();
        let hex: Vec<usize> = jti.split('-').map(str::len).collect();
        assert_eq!(hex, [8, 4, 4, 4, 12], "a hyphenated UUID: {jti}");
        assert_eq!(jti.as_bytes()[14], b'4', "version 4: {jti}");
        let signature = BASE64_URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
        let signed = format!("{}.{}", parts[0], parts[1]);
        assert!(
            inner
                .key
                .public_key()
                .verify_ps384(signed.as_bytes(), &signature)
                .is_ok()
        );
    }

    #[test]
    fn a_token_answer_is_read_and_a_bad_one_refused_without_quoting_it() {
        let (token, expires_in) = parse_token(
            br#"{"access_token":"t0k","token_type":"Bearer","expires_in":60,"scope":"a"}"#,
        )
        .unwrap();
        assert_eq!(format!("{token:?}"), "BearerToken(<redacted>)");
        assert_eq!(expires_in, Some(Duration::from_secs(60)));
        assert_eq!(parse_token(br#"{"access_token":"t"}"#).unwrap().1, None);
        for (body, reason) in [
            (&br#"["secret-1"]"#[..], "it is not a JSON object"),
            (
                br#"{"token_type":"Bearer"}"#,
                "it has no access_token string",
            ),
            (
                br#"{"access_token":"two words secret-2"}"#,
                "its access_token is empty or not one word of printable ASCII",
            ),
            (
                br#"{"access_token":"secret-3","token_type":"mac"}"#,
                "its token_type is not Bearer",
            ),
            (
                br#"{"access_token":"secret-4","expires_in":"secret-5"}"#,
                "its expires_in is not a whole number of seconds",
            ),
            (
                br#"{"access_token":"secret-6","expires_in":-1}"#,
                "its expires_in is not a whole number of seconds",
            ),
        ] {
            assert_eq!(parse_token(body).err(), Some(reason));
        }
    }

    #[test]
    fn a_refusal_names_the_url_and_code_and_bounds_the_description() {
        let url = "http://127.0.0.1:9/auth/v1/oauth/token";
        let long = "x".repeat(1000);
        let body = serde_json::json!({"error": "invalid_client", "error_description": long});
        let error = refusal(url, StatusCode::UNAUTHORIZED, body.to_string().as_bytes());
        assert_eq!(error.oauth_error(), Some("invalid_client"));
        assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
        let text = error.to_string();
        assert!(text.starts_with(
            "the Yoti auth service at `http://127.0.0.1:9/auth/v1/oauth/token` refused the \
             token request (401 Unauthorized): invalid_client: xxx"
        ));
        // 300 characters of the description, then the hint.
        let cut = format!(": {}… (check the SDK id, and that the key", "x".repeat(300));
        assert!(text.contains(&cut), "{text}");
        let html = refusal(url, StatusCode::BAD_GATEWAY, b"<html>");
        assert_eq!(
            html.to_string(),
            "the Yoti auth service at `http://127.0.0.1:9/auth/v1/oauth/token` answered \
             502 Bad Gateway without an OAuth error: check the URL (YOTI_AUTH_URL)"
        );
    }

    #[test]
    fn unusable_settings_are_refused_with_what_is_wrong() {
        let key = || SigningKey::from_pem(KEY).unwrap();
        let err = TokenSource::new(" ", key(), ["a"]).unwrap_err();
        assert!(matches!(err, ClientError::Signer(SignerError::EmptySdkId)));
        let err = TokenSource::new("id", key(), Vec::<String>::new()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the token scopes are not usable: none was given (use the scopes Yoti gave your \
             application)"
        );
        let err = TokenSource::new("id", key(), ["a", "b c"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the token scopes are not usable: the scope \"b c\" is empty or has a space, a \
             `\"`, a `\\` or a character that is not printable ASCII (give each scope on its \
             own) (use the scopes Yoti gave your application)"
        );
        let source = TokenSource::new("id", key(), ["a"]).unwrap();
        let err = source
            .with_auth_url("ftp://auth.example/token")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid auth URL `ftp://auth.example/token`: it is not an http or https URL \
             (expected e.g. `https://auth.api.yoti.com/v1/oauth/token`)"
        );
    }

    #[test]
    fn a_token_is_refreshed_a_tenth_of_its_lifetime_early_and_at_most_a_minute() {
        let now = Instant::now();
        let at = |seconds| refresh_at(now, Duration::from_secs(seconds));
        assert_eq!(at(0), Some(now));
        assert_eq!(at(2), Some(now + Duration::from_millis(1800)));
        assert_eq!(at(100), Some(now + Duration::from_secs(90)));
        assert_eq!(at(3600), Some(now + Duration::from_secs(3540)));
        // An absurd lifetime from the auth service is "never", not an overflow.
        assert_eq!(at(u64::MAX), None);
    }
}
