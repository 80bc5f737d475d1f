//! The token request and answer on the wire: the form body of the official SDKs, a capped
//! read, and what an answer means (never quoting its token).

use std::time::Duration;

use futures_util::TryStreamExt as _;
use reqwest::StatusCode;
use serde_json::Value;

use super::TokenError;
use crate::BearerToken;

/// The `client_assertion_type` of every token request (RFC 7523).
const CLIENT_ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// The largest token response read. A token response is a few hundred bytes.
pub(super) const MAX_TOKEN_RESPONSE: usize = 64 * 1024;

/// The longest `error_description` kept from the auth service, so that an error stays one
/// bounded line.
const MAX_DESCRIPTION: usize = 300;

/// The form body of a token request, in the official SDKs' order.
pub(super) fn form_body(scope: &str, assertion: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "client_credentials")
        .append_pair("client_assertion_type", CLIENT_ASSERTION_TYPE)
        .append_pair("scope", scope)
        .append_pair("client_assertion", assertion)
        .finish()
}

/// The body, or `None` when it is over [`MAX_TOKEN_RESPONSE`].
pub(super) async fn read_capped(response: reqwest::Response) -> reqwest::Result<Option<Vec<u8>>> {
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
pub(super) fn parse_token(body: &[u8]) -> Result<(BearerToken, Option<Duration>), &'static str> {
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
pub(super) fn refusal(url: &str, status: StatusCode, body: &[u8]) -> TokenError {
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
pub(super) fn bounded(text: String) -> String {
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
