//! Face capture images, and adding a face capture to a session in one call.
//!
//! `PUT /sessions/{sessionId}/resources/face-capture/{resourceId}/image` takes a
//! `multipart/form-data` body whose signature covers its exact bytes, so the body is built
//! here as bytes, framed as the official SDKs frame it (Go's `mime/multipart`, Node's
//! `form-data`): one part, `name="binary-content"`, `filename="face-capture-image"`, with the
//! image's own content type. The generated
//! [`Client::upload_face_capture_image`](crate::Client::upload_face_capture_image) sends it.

use crate::types::{ApiError, CreateFaceCaptureResourcePayload, RequiredResourceType};
use crate::{Client, Error};

/// The name of the upload's one part.
pub const PART_NAME: &str = "binary-content";
/// The file name of the upload's one part.
pub const FILE_NAME: &str = "face-capture-image";

/// A face capture image as a `multipart/form-data` body: its bytes and the `Content-Type`
/// (with the boundary) to send them with.
#[derive(Clone, PartialEq, Eq)]
pub struct FaceCaptureImage {
    content_type: String,
    body: Vec<u8>,
}

impl std::fmt::Debug for FaceCaptureImage {
    // The image is personal data: show only its size.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaceCaptureImage")
            .field("content_type", &self.content_type)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Why a face capture image or a face capture could not be made.
#[derive(Debug, thiserror::Error)]
pub enum FaceCaptureError {
    /// The image is empty; the API refuses an empty image.
    #[error("the face capture image is empty")]
    EmptyImage,
    /// The image's content type is not a valid single-line header value.
    #[error("the image content type {0:?} is not a valid header value")]
    InvalidContentType(String),
    /// The session's configuration has no `FACE_CAPTURE` required resource.
    #[error("session `{0}` requires no face capture")]
    NoFaceCaptureRequirement(String),
    /// The API created a face capture resource but did not say its id.
    #[error("the created face capture resource has no id")]
    MissingResourceId,
    /// The API answered the named operation with an error.
    #[error("{operation} failed: {source}")]
    Api {
        /// The operation that failed, for example `createFaceCaptureResource`.
        operation: &'static str,
        /// The error (boxed: it is large).
        #[source]
        source: Box<Error<ApiError>>,
    },
}

impl FaceCaptureImage {
    /// `image`, of MIME type `content_type` (for example `image/jpeg`), as a multipart body
    /// with a boundary that does not occur in the image.
    pub fn new(content_type: &str, image: &[u8]) -> Result<Self, FaceCaptureError> {
        let boundary = (0u64..)
            .map(|n| format!("idv-api-face-capture-{n:016x}"))
            .find(|b| !contains(image, format!("--{b}").as_bytes()))
            .unwrap_or_default();
        Self::with_boundary(&boundary, content_type, image)
    }

    /// As [`FaceCaptureImage::new`], with the given multipart boundary (for tests and
    /// comparisons with other implementations). The caller makes sure `--boundary` does not
    /// occur in the image.
    pub fn with_boundary(
        boundary: &str,
        content_type: &str,
        image: &[u8],
    ) -> Result<Self, FaceCaptureError> {
        if image.is_empty() {
            return Err(FaceCaptureError::EmptyImage);
        }
        let single_line = |s: &str| !s.is_empty() && !s.bytes().any(|b| b.is_ascii_control());
        if !single_line(content_type) || !single_line(boundary) {
            return Err(FaceCaptureError::InvalidContentType(
                content_type.to_owned(),
            ));
        }
        let mut body = Vec::with_capacity(image.len() + 200);
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        body.extend_from_slice(
            format!(
                "Content-Disposition: form-data; name=\"{PART_NAME}\"; filename=\"{FILE_NAME}\"\r\n\
                 Content-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(image);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        Ok(FaceCaptureImage {
            content_type: format!("multipart/form-data; boundary={boundary}"),
            body,
        })
    }

    /// The `Content-Type` to send the body with: `multipart/form-data; boundary=…`.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The body's bytes.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body's bytes, taken.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

impl Client {
    /// Adds a face capture to a session, as Go's `AddFaceCaptureResourceToSession` does:
    /// reads the session's configuration, creates a face capture resource for its first
    /// `FACE_CAPTURE` required resource, and uploads `image` (of MIME type `content_type`) as
    /// its image. Returns the new resource's id.
    ///
    /// ```no_run
    /// # async fn run(client: idv_api::Client, session_id: &str) -> Result<(), Box<dyn std::error::Error>> {
    /// let image = std::fs::read("face.jpg")?;
    /// let resource_id = client.add_face_capture(session_id, "image/jpeg", &image).await?;
    /// # Ok(()) }
    /// ```
    pub async fn add_face_capture(
        &self,
        session_id: &str,
        content_type: &str,
        image: &[u8],
    ) -> Result<String, FaceCaptureError> {
        let upload = FaceCaptureImage::new(content_type, image)?;
        let api = |operation| {
            move |source| FaceCaptureError::Api {
                operation,
                source: Box::new(source),
            }
        };
        let configuration = self
            .get_session_configuration()
            .session_id(session_id)
            .send()
            .await
            .map_err(api("getSessionConfiguration"))?
            .into_inner();
        let requirement = configuration
            .capture
            .iter()
            .flat_map(|c| &c.required_resources)
            .find(|r| r.type_ == Some(RequiredResourceType::FaceCapture))
            .and_then(|r| r.id.clone())
            .ok_or_else(|| FaceCaptureError::NoFaceCaptureRequirement(session_id.to_owned()))?;
        let created = self
            .create_face_capture_resource()
            .session_id(session_id)
            .body(CreateFaceCaptureResourcePayload::builder().requirement_id(requirement))
            .send()
            .await
            .map_err(api("createFaceCaptureResource"))?
            .into_inner();
        let resource_id = created.id.ok_or(FaceCaptureError::MissingResourceId)?;
        let content_type = upload.content_type().to_owned();
        self.upload_face_capture_image()
            .session_id(session_id)
            .resource_id(&resource_id)
            .content_type(content_type)
            .body(upload.into_body())
            .send()
            .await
            .map_err(api("uploadFaceCaptureImage"))?;
        Ok(resource_id)
    }
}
