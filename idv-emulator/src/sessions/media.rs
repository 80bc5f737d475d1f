//! A session's media: the items its flow made or a test added, and their content. Images
//! are a 1x1 PNG, supplementary documents a one-page PDF, a ZOOM facemap is held back (204),
//! and extracted document fields are JSON (see [`super::sandbox`]).

use std::convert::Infallible;

use bytes::Bytes;
use serde_json::{Map, Value};

use super::Session;
use crate::Media;

/// A 1x1 PNG: the content of every emulated image.
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\
\0\0\0\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\0\x05\0\x01\xff\x89\x99=\x1d\0\0\0\0IEND\xaeB`\x82";
/// A one-page PDF: the content of every emulated PDF.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n\
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// The answer to a media content request.
pub(crate) enum Content {
    /// There is no such media, or it was deleted.
    Missing,
    /// Regulations prevent returning it: 204.
    HeldBack,
    /// These bytes, with this content type.
    Bytes(String, Bytes),
    /// This many bytes of [`Media::Generated`]'s pattern, with this content type.
    Generated(String, u64),
}

pub(super) enum MediaContent {
    Image,
    Pdf,
    HeldBack,
    /// The fields extracted from a document; for a check's media, what the check's own
    /// configuration says, when it says anything.
    Fields {
        document: usize,
        check: bool,
    },
    /// The photo on an ID document: what its extraction task's configured `document_id_photo`
    /// says, when it says anything, else the sample image.
    Photo {
        document: usize,
    },
    /// JSON made with the session: a generated profile, raw results, a profile report.
    Json(Value),
    Added(Media),
}

pub(super) struct MediaItem {
    pub(super) kind: &'static str,
    pub(super) content: MediaContent,
    pub(super) deleted: bool,
}

impl Session {
    pub(super) fn add_media(&mut self, kind: &'static str, content: MediaContent) -> String {
        let id = self.ids.next();
        let item = MediaItem {
            kind,
            content,
            deleted: false,
        };
        self.media.insert(id.clone(), item);
        id
    }

    /// Adds media content that a test made, and returns its id.
    pub(crate) fn add_test_media(&mut self, media: Media) -> String {
        let kind = match &media {
            Media::Bytes { content_type, .. } | Media::Generated { content_type, .. } => {
                match content_type.as_str() {
                    t if t.starts_with("image/") => "IMAGE",
                    "application/json" => "JSON",
                    "application/pdf" => "PDF",
                    _ => "BINARY",
                }
            }
            Media::HeldBack => "BINARY",
        };
        self.add_media(kind, MediaContent::Added(media))
    }

    /// The content of one media item.
    pub(crate) fn media_content(&self, id: &str, app: &Map<String, Value>) -> Content {
        let Some(item) = self.media.get(id).filter(|m| !m.deleted) else {
            return Content::Missing;
        };
        match &item.content {
            MediaContent::Image => Content::Bytes("image/png".into(), Bytes::from_static(PNG)),
            MediaContent::Pdf => Content::Bytes("application/pdf".into(), Bytes::from_static(PDF)),
            MediaContent::HeldBack | MediaContent::Added(Media::HeldBack) => Content::HeldBack,
            MediaContent::Fields { document, check } => {
                let json = self.document_fields(&self.effective_config(app), *document, *check);
                Content::Bytes("application/json".into(), json.to_string().into())
            }
            MediaContent::Photo { document } => self
                .document_id_photo(&self.effective_config(app), *document)
                .map_or_else(
                    || Content::Bytes("image/png".into(), Bytes::from_static(PNG)),
                    |(content_type, bytes)| Content::Bytes(content_type, bytes.into()),
                ),
            MediaContent::Json(json) => {
                Content::Bytes("application/json".into(), json.to_string().into())
            }
            MediaContent::Added(Media::Bytes {
                content_type,
                bytes,
            }) => Content::Bytes(content_type.clone(), bytes.clone()),
            MediaContent::Added(Media::Generated { content_type, len }) => {
                Content::Generated(content_type.clone(), *len)
            }
        }
    }

    /// Deletes one media item's content; `false` when there is no such media.
    pub(crate) fn delete_media(&mut self, id: &str) -> bool {
        match self.media.get_mut(id).filter(|m| !m.deleted) {
            Some(item) => {
                item.deleted = true;
                true
            }
            None => false,
        }
    }
}

/// `len` bytes of [`crate::Media::Generated`]'s pattern, made chunk by chunk as the client reads:
/// every chunk is a slice of one shared 64 KiB buffer, so memory stays flat.
pub(crate) fn generated(len: u64) -> impl futures_util::Stream<Item = Result<Bytes, Infallible>> {
    const CHUNK: u64 = 64 * 1024;
    let pattern: Bytes = (0..CHUNK + 251)
        .map(|i| (i % 251) as u8)
        .collect::<Vec<u8>>()
        .into();
    futures_util::stream::unfold(0u64, move |offset| {
        let pattern = pattern.clone();
        async move {
            let size = CHUNK.min(len.checked_sub(offset).filter(|left| *left > 0)?);
            let start = offset % 251;
            // Both bounds are below CHUNK + 251, the pattern's length.
            let chunk = pattern.slice(start as usize..(start + size) as usize);
            Some((Ok(chunk), offset + size))
        }
    })
}
