//! Making a [`Client`]: the base URLs, the environment variables, and the constructors for
//! each way of authenticating.

use std::path::Path;

use idv_signing::{Signer, SigningKey};

use crate::client_builder::{Auth, ClientBuilder};
use crate::{BearerToken, Client, ClientError, TokenSource, bearer, token};

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
    ///     .connect_timeout(std::time::Duration::from_secs(5))
    ///     .read_timeout(std::time::Duration::from_secs(60))
    ///     .build()?;
    /// assert_eq!(client.base_url(), idv_api::SANDBOX_URL);
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
    /// [`Error::NotSent`](crate::Error::NotSent), and [`Error::token_error`](crate::Error::token_error) says why.
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

    /// The base URL requests go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.baseurl
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
