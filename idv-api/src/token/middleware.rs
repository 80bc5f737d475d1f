//! The middleware that sends a [`TokenSource`]'s tokens.

use reqwest::StatusCode;
use reqwest::header::AUTHORIZATION;
use reqwest_middleware::Middleware;

use super::TokenSource;

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
