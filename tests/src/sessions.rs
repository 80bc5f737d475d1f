//! Sessions in memory.
//!
//! A created session behaves as if its user went through the flow at once. It has the
//! documents, liveness capture and face capture that its requested checks, tasks and required
//! documents call for, a task for each requested task, and a check for each requested check
//! (and for each check that a task generates). What the checks report, and what the text
//! extraction tasks extract, come from the sandbox response configuration in force when the
//! session is read: the session's own over the application's. Until the configured
//! `async_report_delay` has passed since creation, every check is `PENDING` without a report
//! and the session is locked (deleting it or its media answers 409).

use std::collections::HashMap;
use std::time::Duration;

use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::Media;

/// `client_session_token_ttl` when the request gives none (the spec's default).
const DEFAULT_TTL: u64 = 600;
/// `resources_ttl` when the request gives none (the spec's default).
const DEFAULT_RESOURCES_TTL: u64 = 87_000;

const ID_EXTRACTION: &str = "ID_DOCUMENT_TEXT_DATA_EXTRACTION";
const SUPPLEMENTARY_EXTRACTION: &str = "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION";
const ID_TEXT_CHECK: &str = "ID_DOCUMENT_TEXT_DATA_CHECK";
const SUPPLEMENTARY_TEXT_CHECK: &str = "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK";
const AUTHENTICITY: &str = "ID_DOCUMENT_AUTHENTICITY";
const FACE_MATCH: &str = "ID_DOCUMENT_FACE_MATCH";
const LIVENESS: &str = "LIVENESS";
const COMPARISON: &str = "ID_DOCUMENT_COMPARISON";

/// A 1x1 PNG: the content of every emulated image.
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\
\0\0\0\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\0\x05\0\x01\xff\x89\x99=\x1d\0\0\0\0IEND\xaeB`\x82";
/// A one-page PDF: the content of every emulated PDF.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n\
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// RFC 3339 in UTC, to the second.
fn time(at: Duration) -> String {
    i64::try_from(at.as_secs())
        .ok()
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// What the emulator holds.
#[derive(Default)]
pub(crate) struct Store {
    pub(crate) sessions: HashMap<String, Session>,
    /// The application-level sandbox response configuration.
    app_config: Map<String, Value>,
}

impl Store {
    /// The session and the application's configuration, unless there is no such session or
    /// its resources have expired (then it is gone).
    pub(crate) fn session(
        &mut self,
        id: &str,
        now: Duration,
    ) -> Option<(&mut Session, &Map<String, Value>)> {
        if self.sessions.get(id).is_some_and(|s| s.expired(now)) {
            self.sessions.remove(id);
        }
        let app = &self.app_config;
        self.sessions.get_mut(id).map(|session| (session, app))
    }

    /// The application-level sandbox response configuration.
    pub(crate) fn app_config(&self) -> &Map<String, Value> {
        &self.app_config
    }

    /// Sets the application-level sandbox response configuration.
    pub(crate) fn configure_app(&mut self, config: Map<String, Value>) {
        self.app_config = config;
        for session in self.sessions.values_mut() {
            session.rendered = None;
        }
    }
}

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

enum MediaContent {
    Image,
    Pdf,
    HeldBack,
    /// The fields extracted from a document; for a check's media, what the check's own
    /// configuration says, when it says anything.
    Fields {
        document: usize,
        check: bool,
    },
    Added(Media),
}

struct MediaItem {
    kind: &'static str,
    content: MediaContent,
    deleted: bool,
}

/// One session.
pub(crate) struct Session {
    token: String,
    created: Duration,
    ttl: u64,
    /// The session is deleted this long after creation; never for raw sessions.
    resources_ttl: Option<u64>,
    user_tracking_id: Option<String>,
    biometric_consent: bool,
    body: Body,
    /// The session-level sandbox response configuration.
    config: Option<Map<String, Value>>,
    media: HashMap<String, MediaItem>,
    /// The last body rendered, and the whole seconds since creation it was rendered at.
    rendered: Option<(u64, Bytes)>,
}

enum Body {
    Flow(Box<Flow>),
    /// A session body that a test inserted, served as it is.
    Raw(Value),
}

#[derive(Default)]
struct Flow {
    documents: Vec<Document>,
    liveness: Option<Liveness>,
    /// A face capture's id and image, when a face match has no liveness capture to use.
    face: Option<(String, String)>,
    checks: Vec<Check>,
}

struct Document {
    id: String,
    supplementary: bool,
    document_type: String,
    country: String,
    /// The page image (for an ID document) or the file (a PDF, for a supplementary one).
    page: String,
    /// A frame of the page and the photo on it (ID documents only).
    frame_and_photo: Option<(String, String)>,
    fields: Option<String>,
    task: Option<Task>,
}

struct Task {
    id: String,
    kind: &'static str,
    media: String,
    /// The check it generates: its id and type.
    check: (String, &'static str),
}

struct Liveness {
    id: String,
    facemap: String,
    frames: [String; 3],
    image: String,
}

struct Check {
    id: String,
    kind: String,
    resources: Vec<String>,
    document: Option<usize>,
    media: Option<String>,
}

impl Session {
    /// The session that a validated `POST /sessions` payload creates at `now`, and its id.
    pub(crate) fn create(payload: &Value, now: Duration) -> (String, Session) {
        let ttl = match payload.get("session_deadline").and_then(Value::as_str) {
            Some(deadline) => chrono::DateTime::parse_from_rfc3339(deadline)
                .ok()
                .and_then(|d| u64::try_from(d.timestamp()).ok())
                .map_or(0, |d| d.saturating_sub(now.as_secs())),
            None => payload
                .get("client_session_token_ttl")
                .and_then(Value::as_u64)
                .unwrap_or(DEFAULT_TTL),
        };
        let resources_ttl = payload.get("resources_ttl").and_then(Value::as_u64);
        let mut session = Session {
            token: new_id(),
            created: now,
            ttl,
            resources_ttl: Some(resources_ttl.unwrap_or(DEFAULT_RESOURCES_TTL)),
            user_tracking_id: payload
                .get("user_tracking_id")
                .and_then(Value::as_str)
                .map(str::to_owned),
            biometric_consent: payload.get("block_biometric_consent") != Some(&Value::Bool(true)),
            body: Body::Raw(Value::Null),
            config: None,
            media: HashMap::new(),
            rendered: None,
        };
        session.body = Body::Flow(Box::new(session.flow(payload)));
        (new_id(), session)
    }

    /// A session whose body is `body`, served as it is.
    pub(crate) fn raw(body: Value, now: Duration) -> Session {
        Session {
            token: new_id(),
            created: now,
            ttl: DEFAULT_TTL,
            resources_ttl: None,
            user_tracking_id: None,
            biometric_consent: false,
            body: Body::Raw(body),
            config: None,
            media: HashMap::new(),
            rendered: None,
        }
    }

    /// The body of the `POST /sessions` response.
    pub(crate) fn created_body(&self, id: &str) -> Value {
        json!({
            "session_id": id,
            "client_session_token": self.token,
            "client_session_token_ttl": self.ttl,
        })
    }

    fn expired(&self, now: Duration) -> bool {
        self.resources_ttl
            .is_some_and(|ttl| now > self.created.saturating_add(Duration::from_secs(ttl)))
    }

    fn add_media(&mut self, kind: &'static str, content: MediaContent) -> String {
        let id = new_id();
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

    /// The resources, tasks and checks that `payload` asks for.
    fn flow(&mut self, payload: &Value) -> Flow {
        let types = |list: &str| -> Vec<String> {
            let items = payload
                .get(list)
                .and_then(Value::as_array)
                .into_iter()
                .flatten();
            items
                .filter_map(|item| item.get("type").and_then(Value::as_str).map(str::to_owned))
                .collect()
        };
        let checks = types("requested_checks");
        let tasks = types("requested_tasks");
        let asked = |kind: &str| checks.iter().chain(&tasks).any(|k| k == kind);

        let mut filters: Vec<Option<&Value>> = payload
            .get("required_documents")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|r| r.get("type").and_then(Value::as_str) == Some("ID_DOCUMENT"))
            .map(|r| r.get("filter"))
            .collect();
        let uses_id_document = [
            AUTHENTICITY,
            ID_TEXT_CHECK,
            FACE_MATCH,
            COMPARISON,
            ID_EXTRACTION,
        ];
        if filters.is_empty() && uses_id_document.into_iter().any(asked) {
            filters.push(None);
        }
        if asked(COMPARISON) && filters.len() < 2 {
            filters.push(None);
        }

        let mut flow = Flow::default();
        for filter in filters {
            let (country, document_type) = choose_document(filter);
            let index = flow.documents.len();
            let document =
                self.document(index, false, country, document_type, asked(ID_EXTRACTION));
            flow.documents.push(document);
        }
        if asked(SUPPLEMENTARY_EXTRACTION) || asked(SUPPLEMENTARY_TEXT_CHECK) {
            let (index, extraction) = (flow.documents.len(), asked(SUPPLEMENTARY_EXTRACTION));
            let (country, document_type) = ("GBR".to_owned(), "UTILITY_BILL".to_owned());
            let document = self.document(index, true, country, document_type, extraction);
            flow.documents.push(document);
        }
        if asked(LIVENESS) {
            flow.liveness = Some(Liveness {
                id: new_id(),
                facemap: self.add_media("BINARY", MediaContent::HeldBack),
                frames: [(); 3].map(|()| self.add_media("IMAGE", MediaContent::Image)),
                image: self.add_media("IMAGE", MediaContent::Image),
            });
        } else if asked(FACE_MATCH) {
            flow.face = Some((new_id(), self.add_media("IMAGE", MediaContent::Image)));
        }
        let face = (flow.liveness.as_ref().map(|l| &l.id))
            .or(flow.face.as_ref().map(|(id, _)| id))
            .cloned();

        // Each requested check, once for each resource it applies to: (document, resources).
        fn id_documents(documents: &[Document]) -> impl Iterator<Item = (usize, &Document)> {
            documents
                .iter()
                .enumerate()
                .filter(|(_, d)| !d.supplementary)
        }
        for kind in &checks {
            let documents = &flow.documents;
            let targets: Vec<(Option<usize>, Vec<String>)> = match kind.as_str() {
                AUTHENTICITY => id_documents(documents)
                    .map(|(i, d)| (Some(i), vec![d.id.clone()]))
                    .collect(),
                FACE_MATCH => id_documents(documents)
                    .map(|(i, d)| {
                        (
                            Some(i),
                            [Some(d.id.clone()), face.clone()]
                                .into_iter()
                                .flatten()
                                .collect(),
                        )
                    })
                    .collect(),
                // A document with an extraction task gets this check from its task.
                ID_TEXT_CHECK | SUPPLEMENTARY_TEXT_CHECK => {
                    let supplementary = kind == SUPPLEMENTARY_TEXT_CHECK;
                    documents
                        .iter()
                        .enumerate()
                        .filter(|(_, d)| d.supplementary == supplementary && d.task.is_none())
                        .map(|(i, d)| (Some(i), vec![d.id.clone()]))
                        .collect()
                }
                LIVENESS => vec![(None, face.clone().into_iter().collect())],
                COMPARISON => vec![(
                    id_documents(documents).last().map(|(i, _)| i),
                    id_documents(documents).map(|(_, d)| d.id.clone()).collect(),
                )],
                _ => vec![(None, Vec::new())],
            };
            for (document, resources) in targets {
                let text_check = [ID_TEXT_CHECK, SUPPLEMENTARY_TEXT_CHECK].contains(&kind.as_str());
                let media = document.filter(|_| text_check).map(|document| {
                    self.add_media(
                        "JSON",
                        MediaContent::Fields {
                            document,
                            check: true,
                        },
                    )
                });
                let (id, kind) = (new_id(), kind.clone());
                flow.checks.push(Check {
                    id,
                    kind,
                    resources,
                    document,
                    media,
                });
            }
        }
        for (index, document) in flow.documents.iter().enumerate() {
            if let Some(Task {
                check: (id, kind), ..
            }) = &document.task
            {
                let media = self.add_media(
                    "JSON",
                    MediaContent::Fields {
                        document: index,
                        check: true,
                    },
                );
                flow.checks.push(Check {
                    id: id.clone(),
                    kind: (*kind).to_owned(),
                    resources: vec![document.id.clone()],
                    document: Some(index),
                    media: Some(media),
                });
            }
        }
        flow
    }

    fn document(
        &mut self,
        index: usize,
        supplementary: bool,
        country: String,
        document_type: String,
        extraction: bool,
    ) -> Document {
        let page = if supplementary {
            self.add_media("PDF", MediaContent::Pdf)
        } else {
            self.add_media("IMAGE", MediaContent::Image)
        };
        let frame_and_photo = (!supplementary).then(|| {
            let frame = self.add_media("IMAGE", MediaContent::Image);
            (frame, self.add_media("IMAGE", MediaContent::Image))
        });
        let fields = MediaContent::Fields {
            document: index,
            check: false,
        };
        let fields = extraction.then(|| self.add_media("JSON", fields));
        let task = extraction.then(|| Task {
            id: new_id(),
            kind: if supplementary {
                SUPPLEMENTARY_EXTRACTION
            } else {
                ID_EXTRACTION
            },
            media: self.add_media(
                "JSON",
                MediaContent::Fields {
                    document: index,
                    check: false,
                },
            ),
            check: (
                new_id(),
                if supplementary {
                    SUPPLEMENTARY_TEXT_CHECK
                } else {
                    ID_TEXT_CHECK
                },
            ),
        });
        Document {
            id: new_id(),
            supplementary,
            document_type,
            country,
            page,
            frame_and_photo,
            fields,
            task,
        }
    }

    /// The sandbox configuration in force: the session's own over the application's, section
    /// by section (`task_results`, `check_reports`) and key by key within a section.
    pub(crate) fn effective_config(&self, app: &Map<String, Value>) -> Map<String, Value> {
        let mut merged = app.clone();
        for (section, own) in self.config.iter().flatten() {
            match (merged.get_mut(section), own) {
                (Some(Value::Object(base)), Value::Object(own)) => {
                    base.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
                _ => {
                    merged.insert(section.clone(), own.clone());
                }
            }
        }
        merged
    }

    /// Whether the checks are still held back by `async_report_delay` at `now`.
    pub(crate) fn locked(&self, app: &Map<String, Value>, now: Duration) -> bool {
        match &self.body {
            Body::Flow(flow) => {
                !flow.checks.is_empty() && !self.checks_done(&self.effective_config(app), now)
            }
            Body::Raw(_) => false,
        }
    }

    /// When the checks finish: `async_report_delay` seconds after creation.
    fn checks_finish(&self, config: &Map<String, Value>) -> Duration {
        let delay = config
            .get("check_reports")
            .and_then(|c| c.get("async_report_delay"))
            .and_then(Value::as_u64)
            .unwrap_or(0);
        self.created.saturating_add(Duration::from_secs(delay))
    }

    fn checks_done(&self, config: &Map<String, Value>, now: Duration) -> bool {
        now >= self.checks_finish(config)
    }

    /// The body of `GET /sessions/{id}`, as JSON bytes.
    ///
    /// What the session looks like depends only on the configuration and on the whole
    /// seconds since its creation, so a body is rendered once and served until either changes
    /// (see [`Session::configure`] and [`Store::configure_app`]).
    pub(crate) fn body(&mut self, id: &str, app: &Map<String, Value>, now: Duration) -> Bytes {
        let age = now.saturating_sub(self.created).as_secs();
        match &self.rendered {
            Some((rendered_at, body)) if *rendered_at == age => body.clone(),
            _ => {
                let body = Bytes::from(self.render(id, app, now).to_string());
                self.rendered = Some((age, body.clone()));
                body
            }
        }
    }

    /// Sets the session-level sandbox response configuration.
    pub(crate) fn configure(&mut self, config: Map<String, Value>) {
        self.config = Some(config);
        self.rendered = None;
    }

    fn render(&self, id: &str, app: &Map<String, Value>, now: Duration) -> Value {
        let flow = match &self.body {
            Body::Raw(body) => return body.clone(),
            Body::Flow(flow) => flow,
        };
        let config = self.effective_config(app);
        let done = self.checks_done(&config, now);
        let created = time(self.created);
        let finished = time(self.checks_finish(&config));
        let media = |id: &str| -> Value {
            self.media.get(id).map_or(
                Value::Null,
                |m| json!({"id": id, "type": m.kind, "created": created, "last_updated": created}),
            )
        };
        let resource = |id: &str, fields: Value| -> Value {
            let mut resource = json!({
                "id": id,
                "source": {"type": "END_USER"},
                "created_at": created,
                "last_updated": created,
                "tasks": [],
            });
            if let (Value::Object(r), Value::Object(f)) = (&mut resource, fields) {
                r.extend(f);
            }
            resource
        };
        let document = |d: &Document| -> Value {
            let tasks: Vec<Value> = d
                .task
                .iter()
                .map(|t| {
                    json!({
                        "id": t.id,
                        "type": t.kind,
                        "state": "DONE",
                        "created": created,
                        "last_updated": created,
                        "generated_media": [{"id": t.media, "type": "JSON"}],
                        "generated_checks": [{"id": t.check.0, "type": t.check.1}],
                    })
                })
                .collect();
            let mut fields = json!({
                "document_type": d.document_type,
                "issuing_country": d.country,
                "tasks": tasks,
            });
            if d.supplementary {
                fields["file"] = json!({"media": media(&d.page)});
            } else if let Some((frame, photo)) = &d.frame_and_photo {
                fields["pages"] = json!([{
                    "capture_method": "CAMERA",
                    "media": media(&d.page),
                    "frames": [{"media": media(frame)}],
                }]);
                fields["document_id_photo"] = json!({"media": media(photo)});
            }
            if let Some(id) = &d.fields {
                fields["document_fields"] = json!({"media": media(id)});
            }
            resource(&d.id, fields)
        };
        let documents = |supplementary: bool| -> Vec<Value> {
            flow.documents
                .iter()
                .filter(|d| d.supplementary == supplementary)
                .map(document)
                .collect()
        };
        let liveness_type = liveness_type(&config);
        let liveness: Vec<Value> = flow
            .liveness
            .iter()
            .map(|l| {
                let fields = if liveness_type == "ZOOM" {
                    let captured = l.frames.iter().map(|f| json!({"media": media(f)}));
                    // Frames 4 to 7 may have no media.
                    let frames: Vec<Value> = captured
                        .chain(std::iter::repeat_n(json!({"media": null}), 4))
                        .collect();
                    let facemap = json!({"media": media(&l.facemap)});
                    json!({"liveness_type": "ZOOM", "facemap": facemap, "frames": frames})
                } else {
                    let image = json!({"media": media(&l.image)});
                    json!({"liveness_type": liveness_type, "image": image})
                };
                resource(&l.id, fields)
            })
            .collect();
        let faces: Vec<Value> = flow
            .face
            .iter()
            .map(|(id, image)| resource(id, json!({"image": {"media": media(image)}})))
            .collect();
        let checks: Vec<Value> = flow
            .checks
            .iter()
            .map(|c| {
                let generated: Vec<Value> = c
                    .media
                    .iter()
                    .map(|m| json!({"id": m, "type": "JSON"}))
                    .collect();
                let mut check = json!({
                    "id": c.id,
                    "type": c.kind,
                    "state": if done { "DONE" } else { "PENDING" },
                    "resources_used": c.resources,
                    "generated_media": generated,
                    "created": created,
                    "last_updated": if done { &finished } else { &created },
                });
                if done {
                    let document = c.document.and_then(|i| flow.documents.get(i));
                    let configured = configured(
                        &config,
                        "check_reports",
                        &c.kind,
                        document,
                        Some(&liveness_type),
                    );
                    check["report"] = configured
                        .and_then(|result| result.get("report"))
                        .cloned()
                        .unwrap_or_else(|| default_report(&c.kind));
                }
                check
            })
            .collect();

        let elapsed = now.saturating_sub(self.created).as_secs();
        let mut session = json!({
            "session_id": id,
            "client_session_token": self.token,
            "client_session_token_ttl": self.ttl.saturating_sub(elapsed),
            "state": if done || checks.is_empty() { "COMPLETED" } else { "ONGOING" },
            "resources": {
                "id_documents": documents(false),
                "supplementary_documents": documents(true),
                "liveness_capture": liveness,
                "face_capture": faces,
            },
            "checks": checks,
        });
        if let Some(user) = &self.user_tracking_id {
            session["user_tracking_id"] = json!(user);
        }
        if self.biometric_consent && (flow.liveness.is_some() || flow.face.is_some()) {
            session["biometric_consent"] = json!(created);
        }
        session
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

    fn document_fields(&self, config: &Map<String, Value>, index: usize, check: bool) -> Value {
        let Body::Flow(flow) = &self.body else {
            return json!({});
        };
        let Some(document) = flow.documents.get(index) else {
            return json!({});
        };
        let (task, check_kind) = if document.supplementary {
            (SUPPLEMENTARY_EXTRACTION, SUPPLEMENTARY_TEXT_CHECK)
        } else {
            (ID_EXTRACTION, ID_TEXT_CHECK)
        };
        let fields = |section: &str, kind: &str| {
            configured(config, section, kind, Some(document), None)
                .and_then(|result| result.get("document_fields"))
                .cloned()
        };
        check
            .then(|| fields("check_reports", check_kind))
            .flatten()
            .or_else(|| fields("task_results", task))
            .unwrap_or_else(|| default_fields(document))
    }
}

/// The `result` of the first configured entry of `section.kind` that applies to `document`
/// (its `document_filter` or `secondary_document_filter` allows it) or to `liveness_type`.
/// `THIRD_PARTY_IDENTITY` is configured as one object rather than a list.
fn configured<'c>(
    config: &'c Map<String, Value>,
    section: &str,
    kind: &str,
    document: Option<&Document>,
    liveness_type: Option<&str>,
) -> Option<&'c Value> {
    let entries = config.get(section)?.get(kind)?;
    let entries = match entries {
        Value::Array(entries) => entries.as_slice(),
        entry => std::slice::from_ref(entry),
    };
    let allows =
        |filter: &Value, key: &str, value: &str| match filter.get(key).and_then(Value::as_array) {
            Some(list) if !list.is_empty() => list.iter().any(|v| v.as_str() == Some(value)),
            _ => true,
        };
    let applies = |entry: &&Value| {
        let filter = entry
            .get("document_filter")
            .or(entry.get("secondary_document_filter"));
        let document_ok = match (filter, document) {
            (Some(filter), Some(d)) => {
                allows(filter, "country_codes", &d.country)
                    && allows(filter, "document_types", &d.document_type)
            }
            _ => true,
        };
        let liveness_ok = match entry.get("liveness_type").and_then(Value::as_str) {
            Some(wanted) => liveness_type.is_none_or(|t| t == wanted),
            None => true,
        };
        document_ok && liveness_ok
    };
    entries.iter().find(applies)?.get("result")
}

/// The liveness type that the configuration's `LIVENESS` reports are for, else `ZOOM`.
fn liveness_type(config: &Map<String, Value>) -> String {
    config
        .get("check_reports")
        .and_then(|c| c.get(LIVENESS))
        .and_then(Value::as_array)
        .and_then(|entries| {
            entries
                .iter()
                .find_map(|e| e.get("liveness_type")?.as_str())
        })
        .unwrap_or("ZOOM")
        .to_owned()
}

/// An approving report with the sub-checks that the kind of check usually has.
fn default_report(kind: &str) -> Value {
    let sub_checks: &[&str] = match kind {
        AUTHENTICITY => &[
            "document_in_date",
            "fraud_list_check",
            "hologram",
            "no_sign_of_tampering",
            "real_document",
        ],
        ID_TEXT_CHECK | SUPPLEMENTARY_TEXT_CHECK => &["text_data_readable"],
        FACE_MATCH => &["ai_face_match"],
        LIVENESS => &["liveness_auth"],
        COMPARISON => &["document_comparison"],
        _ => &[],
    };
    let breakdown: Vec<Value> = sub_checks
        .iter()
        .map(|s| json!({"sub_check": s, "result": "PASS", "details": []}))
        .collect();
    json!({"recommendation": {"value": "APPROVE"}, "breakdown": breakdown})
}

fn default_fields(document: &Document) -> Value {
    if document.supplementary {
        return json!({
            "full_name": "Jane Sandbox Doe",
            "address": "1 Sandbox Street, London, SW1A 1AA",
            "issue_date": "2024-01-15",
        });
    }
    json!({
        "full_name": "Jane Sandbox Doe",
        "given_names": "Jane Sandbox",
        "family_name": "Doe",
        "date_of_birth": "1990-01-01",
        "nationality": document.country,
        "issuing_country": document.country,
        "document_type": document.document_type,
        "document_number": "123456789",
        "expiration_date": "2035-01-01",
    })
}

/// The country and type of a document that satisfies a required document's filter (its
/// `country_restriction` and `type_restriction`, INCLUDE or EXCLUDE).
fn choose_document(filter: Option<&Value>) -> (String, String) {
    let choose = |restriction: &str, key: &str, defaults: Vec<&'static str>| -> String {
        let restriction = filter.and_then(|f| f.get(restriction));
        let listed: Vec<&str> = restriction
            .and_then(|r| r.get(key))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let include = restriction
            .and_then(|r| r.get("inclusion"))
            .and_then(Value::as_str)
            .is_none_or(|i| {
                i.eq_ignore_ascii_case("INCLUDE") || i.eq_ignore_ascii_case("WHITELIST")
            });
        match (include, listed.first()) {
            (true, Some(first)) => (*first).to_owned(),
            _ => defaults
                .into_iter()
                .find(|d| !listed.contains(d))
                .unwrap_or("GBR")
                .to_owned(),
        }
    };
    (
        choose(
            "country_restriction",
            "country_codes",
            crate::documents::countries().collect(),
        ),
        choose(
            "type_restriction",
            "document_types",
            vec![
                "PASSPORT",
                "DRIVING_LICENCE",
                "NATIONAL_ID",
                "RESIDENCE_PERMIT",
            ],
        ),
    )
}
