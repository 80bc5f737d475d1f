//! Face capture resources that the relying business creates through the API
//! (`POST /sessions/{id}/resources/face-capture`) and whose image it uploads
//! (`PUT …/face-capture/{resourceId}/image`).

use bytes::Bytes;

use super::{Body, Session};
use crate::Media;

/// A face capture resource created through the API, and its image's media id once uploaded.
pub(crate) struct FaceCapture {
    pub(super) id: String,
    pub(super) image: Option<String>,
}

impl Session {
    /// Creates a face capture resource for the `FACE_CAPTURE` required resource `requirement`
    /// of the session's configuration, and returns its id; `None` when the session has no such
    /// requirement.
    pub(crate) fn create_face_capture(&mut self, requirement: &str) -> Option<String> {
        let Body::Flow(flow) = &self.body else {
            return None;
        };
        flow.face.as_ref().filter(|(id, _)| id == requirement)?;
        let id = self.ids.next();
        self.captures.push(FaceCapture {
            id: id.clone(),
            image: None,
        });
        self.rendered = None;
        Some(id)
    }

    /// Stores `bytes` as the image of the face capture resource `resource`; `false` when the
    /// session has no face capture resource created through the API with that id.
    pub(crate) fn upload_face_image(
        &mut self,
        resource: &str,
        content_type: String,
        bytes: Bytes,
    ) -> bool {
        let Some(index) = self.captures.iter().position(|c| c.id == resource) else {
            return false;
        };
        let media = self.add_test_media(Media::Bytes {
            content_type,
            bytes,
        });
        // A new image replaces the old one, as a second upload does in the API.
        if let Some(old) = self.captures[index].image.replace(media) {
            self.media.remove(&old);
        }
        self.rendered = None;
        true
    }
}
