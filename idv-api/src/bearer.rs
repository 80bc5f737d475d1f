//! Bearer-token authentication: `Authorization: Bearer <token>` in place of a signature.

use reqwest::header::{AUTHORIZATION, HeaderValue};
use reqwest_middleware::Middleware;

/// A bearer token issued by Yoti, for [`Client::with_bearer_token`](crate::Client::with_bearer_token)
/// and [`Client::bearer_builder`](crate::Client::bearer_builder). Its `Debug` output never
/// shows the token.
///
/// ```
/// let token = idv_api::BearerToken::new("eyJhbGciOi...")?;
/// assert_eq!(format!("{token:?}"), "BearerToken(<redacted>)");
/// # Ok::<(), idv_api::BearerTokenError>(())
/// ```
#[derive(Clone)]
pub struct BearerToken(HeaderValue);

impl std::fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BearerToken(<redacted>)")
    }
}

impl BearerToken {
    /// The token, with surrounding whitespace (a trailing newline from a file, say) removed.
    ///
    /// # Errors
    ///
    /// [`BearerTokenError`] when the token is empty or has a character that an HTTP header
    /// cannot carry. The error does not contain the token.
    pub fn new(token: impl AsRef<str>) -> Result<Self, BearerTokenError> {
        let token = token.as_ref().trim();
        if token.is_empty() {
            return Err(BearerTokenError::Empty);
        }
        if let Some(at) = token.find(|c: char| !c.is_ascii_graphic()) {
            return Err(BearerTokenError::InvalidCharacter { at });
        }
        let mut value = HeaderValue::try_from(format!("Bearer {token}"))
            .map_err(|_| BearerTokenError::InvalidCharacter { at: 0 })?;
        value.set_sensitive(true);
        Ok(BearerToken(value))
    }

    /// The `Authorization` header value, `Bearer <token>`, marked sensitive.
    pub(crate) fn header_value(&self) -> HeaderValue {
        self.0.clone()
    }
}

/// Why a bearer token cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BearerTokenError {
    /// The token is empty, or only whitespace.
    #[error("the bearer token is empty: pass the token Yoti issued")]
    Empty,
    /// The token has a space, a control character or a non-ASCII character.
    #[error(
        "the bearer token has a character at byte {at} that is not printable ASCII; a token is one word of printable ASCII"
    )]
    InvalidCharacter {
        /// The byte offset of the first such character (after trimming).
        at: usize,
    },
}

/// The middleware that authenticates with a bearer token, last in the stack as the signer is.
/// It sends the token only to URLs under the client's base URL.
pub(crate) struct Bearer {
    pub(crate) token: BearerToken,
    pub(crate) base_url: reqwest::Url,
}

/// A request that the bearer middleware refused: its URL is not under the base URL.
#[derive(Debug, thiserror::Error)]
#[error("the bearer token is not sent to `{url}`: it is not under the client's base URL `{base}`")]
struct OutsideBase {
    url: String,
    base: String,
}

/// Refuses a request whose URL is not under `base`, by the signer's rule: the same scheme,
/// host and port, and a path under the base's. A token goes nowhere else.
pub(crate) fn check_under(
    base: &reqwest::Url,
    request: &reqwest::Request,
) -> reqwest_middleware::Result<()> {
    if idv_signing::path_under(base, request.url()).is_some() {
        return Ok(());
    }
    let mut url = request.url().clone();
    url.set_query(None);
    Err(reqwest_middleware::Error::middleware(OutsideBase {
        url: url.to_string(),
        base: base.to_string(),
    }))
}

#[async_trait::async_trait]
impl Middleware for Bearer {
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: reqwest_middleware::Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        check_under(&self.base_url, &request)?;
        request
            .headers_mut()
            .insert(AUTHORIZATION, self.token.header_value());
        next.run(request, extensions).await
    }
}
