//! Media content: what [`Client::get_media_content`](crate::Client::get_media_content) and the
//! other streamed operations return, read as [`MediaDownload`].

use std::fmt;

use bytes::{Bytes, BytesMut};
use futures_util::TryStreamExt as _;

use crate::{ByteStream, ResponseValue};

/// The most memory [`MediaDownload::bytes`] reserves before the body arrives, whatever the
/// server's `Content-Length` says: a larger body still grows as it arrives.
const MAX_RESERVE: u64 = 64 * 1024 * 1024;

/// The content of a media item, from [`Client::get_media_content`](crate::Client::get_media_content).
pub struct MediaDownload {
    /// The media's `Content-Type`, e.g. `image/jpeg` or `application/json`.
    pub content_type: Option<String>,
    /// The media's length in bytes, when the server says.
    pub content_length: Option<u64>,
    /// The media's bytes, as they arrive.
    pub body: ByteStream,
}

impl fmt::Debug for MediaDownload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MediaDownload")
            .field("content_type", &self.content_type)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

impl MediaDownload {
    /// Reads the whole body into memory, once: each chunk is copied into one buffer as it
    /// arrives. Stream [`body`](Self::body) instead for large media.
    ///
    /// # Errors
    ///
    /// The `reqwest::Error` of a connection that failed or went silent mid-body.
    pub async fn bytes(self) -> Result<Bytes, reqwest::Error> {
        let reserve = self.content_length.unwrap_or(0).min(MAX_RESERVE);
        let mut body = self.body;
        let Some(first) = body.try_next().await? else {
            return Ok(Bytes::new());
        };
        let Some(second) = body.try_next().await? else {
            // One chunk is the whole body: no copy at all.
            return Ok(first);
        };
        let capacity = usize::try_from(reserve)
            .unwrap_or(0)
            .max(first.len() + second.len());
        let mut all = BytesMut::with_capacity(capacity);
        all.extend_from_slice(&first);
        all.extend_from_slice(&second);
        while let Some(chunk) = body.try_next().await? {
            all.extend_from_slice(&chunk);
        }
        Ok(all.freeze())
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
