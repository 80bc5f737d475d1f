//! What a successful operation returns: [`ResponseValue`], and [`ByteStream`] for the
//! operations whose content is streamed. Both are idv-api's own, so a generator upgrade does
//! not change them; and the capped JSON reader generated code calls for every JSON body.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::{Stream, TryStreamExt as _};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::error::{InvalidKind, InvalidResponse};
use crate::{Client, Error};

/// A response's value, with its status and headers. It dereferences to the value.
///
/// ```no_run
/// # async fn run(client: idv_api::Client) -> Result<(), idv_api::Error> {
/// let session = client.get_session().session_id("session-id").send().await?;
/// assert_eq!(session.status(), 200);
/// println!("{:?}", session.state); // a field of the `GetSessionResult` inside
/// let result: idv_api::types::GetSessionResult = session.into_inner();
/// # Ok(())
/// # }
/// ```
pub struct ResponseValue<T> {
    inner: T,
    status: StatusCode,
    headers: HeaderMap,
}

impl<T> ResponseValue<T> {
    /// A value with the status and headers it came with (for tests and fixtures).
    pub fn new(inner: T, status: StatusCode, headers: HeaderMap) -> Self {
        ResponseValue {
            inner,
            status,
            headers,
        }
    }

    /// The value.
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// The response's status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `Content-Length` header's value, when it is present and a number.
    pub fn content_length(&self) -> Option<u64> {
        self.headers
            .get(reqwest::header::CONTENT_LENGTH)?
            .to_str()
            .ok()?
            .parse()
            .ok()
    }
}

impl ResponseValue<ByteStream> {
    /// A streamed response: generated code calls this for content it does not read.
    pub(crate) fn stream(response: reqwest::Response) -> Self {
        let status = response.status();
        let headers = response.headers().clone();
        ResponseValue::new(
            ByteStream(Box::pin(response.bytes_stream())),
            status,
            headers,
        )
    }
}

impl ResponseValue<()> {
    /// A response without a body (`204 No Content`): generated code calls this.
    pub(crate) fn empty(response: reqwest::Response) -> Self {
        ResponseValue::new((), response.status(), response.headers().clone())
    }
}

impl<T> Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T> DerefMut for ResponseValue<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

impl<T> AsRef<T> for ResponseValue<T> {
    fn as_ref(&self) -> &T {
        &self.inner
    }
}

impl<T: fmt::Debug> fmt::Debug for ResponseValue<T> {
    /// The value's `Debug` (which redacts personal data).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

/// The bytes of a streamed response, as they arrive: a [`Stream`] of chunks. An item is an
/// error when the connection fails or goes silent mid-body.
///
/// [`MediaDownload`](crate::MediaDownload) holds one; read it whole with
/// [`MediaDownload::bytes`](crate::MediaDownload::bytes), or chunk by chunk with
/// [`futures_util::StreamExt::next`](https://docs.rs/futures-util/latest/futures_util/stream/trait.StreamExt.html#method.next).
pub struct ByteStream(Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send + Sync>>);

impl Stream for ByteStream {
    type Item = reqwest::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl fmt::Debug for ByteStream {
    /// The bytes are never shown: media content is personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").finish_non_exhaustive()
    }
}

impl Client {
    /// Reads a JSON response body of at most the configured size. Generated code calls this
    /// in place of progenitor's unbounded reader.
    pub(crate) async fn read_json<T: serde::de::DeserializeOwned, E>(
        &self,
        response: reqwest::Response,
    ) -> Result<ResponseValue<T>, Error<E>> {
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
