//! The simulation of the user's flow: the documents, liveness and face captures, tasks and
//! checks that a `POST /sessions` payload calls for, made at once as if the user had just
//! finished.

use serde_json::Value;

use super::Session;
use super::media::MediaContent;
use crate::schema::FieldError;

pub(super) const ID_EXTRACTION: &str = "ID_DOCUMENT_TEXT_DATA_EXTRACTION";
pub(super) const SUPPLEMENTARY_EXTRACTION: &str = "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION";
pub(super) const ID_TEXT_CHECK: &str = "ID_DOCUMENT_TEXT_DATA_CHECK";
pub(super) const SUPPLEMENTARY_TEXT_CHECK: &str = "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK";
pub(super) const AUTHENTICITY: &str = "ID_DOCUMENT_AUTHENTICITY";
pub(super) const FACE_MATCH: &str = "ID_DOCUMENT_FACE_MATCH";
pub(super) const LIVENESS: &str = "LIVENESS";
pub(super) const COMPARISON: &str = "ID_DOCUMENT_COMPARISON";
pub(super) const FACE_COMPARISON: &str = "FACE_COMPARISON";

/// The check types that may be reviewed in branch (`manual_check: IBV`); the spec's
/// `ManualCheck` lists IBV for them, and the API refuses it for every other check or task.
const IN_BRANCH_REVIEWED: [&str; 2] = ["DOCUMENT_SCHEME_VALIDITY_CHECK", "IBV_VISUAL_REVIEW_CHECK"];

/// What a valid `POST /sessions` payload asks for that the API still refuses: `manual_check`
/// IBV on a check or task that cannot be reviewed in branch, and `enforce_handoff` without
/// `allow_handoff` (Yoti's answer in getyoti/yoti-node-sdk PR #599: "you need `allow_handoff`
/// to be able to use `enforce_handoff`").
pub(crate) fn refusals(payload: &Value) -> Vec<FieldError> {
    let mut refused = Vec::new();
    let sdk_config = |key: &str| payload.pointer(&format!("/sdk_config/{key}"));
    if sdk_config("enforce_handoff") == Some(&Value::Bool(true))
        && sdk_config("allow_handoff") != Some(&Value::Bool(true))
    {
        refused.push(FieldError {
            property: "sdk_config.enforce_handoff".to_owned(),
            message: "may be true only when allow_handoff is true".to_owned(),
        });
    }
    for list in ["requested_checks", "requested_tasks"] {
        let items = payload.get(list).and_then(Value::as_array);
        for (i, item) in items.into_iter().flatten().enumerate() {
            let kind = item.get("type").and_then(Value::as_str).unwrap_or_default();
            let manual = item.pointer("/config/manual_check").and_then(Value::as_str);
            if manual == Some("IBV")
                && (list == "requested_tasks" || !IN_BRANCH_REVIEWED.contains(&kind))
            {
                refused.push(FieldError {
                    property: format!("{list}[{i}].config.manual_check"),
                    message: format!(
                        "\"IBV\" is allowed only for {} checks, not for {kind}",
                        IN_BRANCH_REVIEWED.join(" and ")
                    ),
                });
            }
        }
    }
    refused
}

#[derive(Default)]
pub(super) struct Flow {
    pub(super) documents: Vec<Document>,
    pub(super) liveness: Option<Liveness>,
    /// The face capture requirement's id, when a face match has no liveness capture to use
    /// (the user's capture, with its image) or a face comparison asks the relying business
    /// for one (no image: the business creates the resource and uploads it through the API;
    /// see [`Flow::waits_for_face`]).
    pub(super) face: Option<(String, Option<String>)>,
    pub(super) checks: Vec<Check>,
    /// What an identity-profile session asked for, and its media.
    pub(super) identity_profile: Option<super::profile::IdentityProfile>,
}

pub(super) struct Document {
    pub(super) id: String,
    pub(super) supplementary: bool,
    pub(super) document_type: String,
    pub(super) country: String,
    /// The page image (for an ID document) or the file (a PDF, for a supplementary one).
    pub(super) page: String,
    /// A frame of the page and the photo on it (ID documents only).
    pub(super) frame_and_photo: Option<(String, String)>,
    pub(super) fields: Option<String>,
    pub(super) task: Option<Task>,
    /// What its filter allows: a share from a Digital ID provider instead of a scan.
    pub(super) digital_id: Option<super::digital_id::DigitalId>,
}

pub(super) struct Task {
    pub(super) id: String,
    pub(super) kind: &'static str,
    pub(super) media: String,
    /// The check it generates: its id and type.
    pub(super) check: (String, &'static str),
}

pub(super) struct Liveness {
    pub(super) id: String,
    /// The `config.liveness_type` of the requested `LIVENESS` check, if it names one.
    pub(super) kind: Option<String>,
    pub(super) facemap: String,
    pub(super) frames: [String; 3],
    pub(super) image: String,
}

pub(super) struct Check {
    pub(super) id: String,
    pub(super) kind: String,
    pub(super) resources: Vec<String>,
    pub(super) document: Option<usize>,
    pub(super) media: Option<String>,
    /// The `config` the check was requested with (`null` when it had none).
    pub(super) config: Value,
    /// The media of a watchlist or third-party check: its generated profile and raw results.
    pub(super) profile: Option<super::profile::CheckMedia>,
}

impl Flow {
    /// Whether the session waits for the relying business's face capture: it asked for a
    /// face comparison, and no image has been uploaded for it yet (`captures` are the face
    /// capture resources created through the API, with their images).
    pub(super) fn waits_for_face(&self, captures: &[super::face_capture::FaceCapture]) -> bool {
        matches!(self.face, Some((_, None))) && !captures.iter().any(|c| c.image.is_some())
    }

    /// Whether the user's face is captured (a liveness capture, or the user's own face
    /// capture), which is what biometric consent is asked for.
    pub(super) fn captures_the_users_face(&self) -> bool {
        self.liveness.is_some() || matches!(self.face, Some((_, Some(_))))
    }
}

impl Session {
    /// The resources, tasks and checks that `payload` asks for.
    pub(super) fn flow(&mut self, payload: &Value) -> Flow {
        let requested = |list: &str| -> Vec<(String, Value)> {
            let items = payload
                .get(list)
                .and_then(Value::as_array)
                .into_iter()
                .flatten();
            items
                .filter_map(|item| {
                    let kind = item.get("type").and_then(Value::as_str)?;
                    Some((
                        kind.to_owned(),
                        item.get("config").cloned().unwrap_or_default(),
                    ))
                })
                .collect()
        };
        let mut requested_checks = requested("requested_checks");
        let identity_profile = super::profile::IdentityProfile::requested(payload);
        if identity_profile.is_some() {
            // The service runs the checks an identity profile needs on its own.
            for kind in [AUTHENTICITY, FACE_MATCH] {
                if !requested_checks.iter().any(|(k, _)| k == kind) {
                    requested_checks.push((kind.to_owned(), Value::Null));
                }
            }
        }
        let checks: Vec<&String> = requested_checks.iter().map(|(kind, _)| kind).collect();
        let tasks: Vec<String> = requested("requested_tasks")
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        let asked = |kind: &str| checks.iter().copied().chain(&tasks).any(|k| k == kind);
        let required = |kind: &'static str| {
            payload
                .get("required_documents")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(move |r| r.get("type").and_then(Value::as_str) == Some(kind))
        };

        let mut filters: Vec<Option<&Value>> =
            required("ID_DOCUMENT").map(|r| r.get("filter")).collect();
        let uses_id_document = [
            AUTHENTICITY,
            ID_TEXT_CHECK,
            FACE_MATCH,
            COMPARISON,
            ID_EXTRACTION,
        ];
        let searches = checks
            .iter()
            .any(|k| super::profile::searches_for_the_user(k));
        if filters.is_empty() && (searches || uses_id_document.into_iter().any(asked)) {
            filters.push(None);
        }
        if asked(COMPARISON) && filters.len() < 2 {
            filters.push(None);
        }

        let mut flow = Flow::default();
        for filter in filters {
            let (country, document_type) = choose_document(filter);
            let index = flow.documents.len();
            let mut document =
                self.document(index, false, country, document_type, asked(ID_EXTRACTION));
            document.digital_id = super::digital_id::allowed(filter, &self.ids);
            flow.documents.push(document);
        }
        // Each required supplementary document, of its first allowed type and country; or
        // one utility bill when only its task or check is asked for.
        let mut supplementary: Vec<(String, String)> = required("SUPPLEMENTARY_DOCUMENT")
            .map(|r| {
                let first = |key: &str, default: &str| {
                    let list = r.get(key).and_then(Value::as_array);
                    let first = list.and_then(|l| l.first()).and_then(Value::as_str);
                    first.unwrap_or(default).to_owned()
                };
                (
                    first("country_codes", "GBR"),
                    first("document_types", "UTILITY_BILL"),
                )
            })
            .collect();
        let supplementary_asked =
            asked(SUPPLEMENTARY_EXTRACTION) || asked(SUPPLEMENTARY_TEXT_CHECK);
        if supplementary.is_empty() && supplementary_asked {
            supplementary.push(("GBR".to_owned(), "UTILITY_BILL".to_owned()));
        }
        for (country, document_type) in supplementary {
            let (index, extraction) = (flow.documents.len(), asked(SUPPLEMENTARY_EXTRACTION));
            let document = self.document(index, true, country, document_type, extraction);
            flow.documents.push(document);
        }
        if asked(LIVENESS) {
            let kind = payload
                .get("requested_checks")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|check| check.get("type").and_then(Value::as_str) == Some(LIVENESS))
                .find_map(|check| check.pointer("/config/liveness_type")?.as_str())
                .map(str::to_owned);
            flow.liveness = Some(Liveness {
                id: self.ids.next(),
                kind,
                facemap: self.add_media("BINARY", MediaContent::HeldBack),
                frames: [(); 3].map(|()| self.add_media("IMAGE", MediaContent::Image)),
                image: self.add_media("IMAGE", MediaContent::Image),
            });
        }
        if asked(FACE_COMPARISON) {
            // Yoti's face comparison flow (the Node SDK's `examples/idv` face-comparison page,
            // the Java SDK's `FaceCaptureResourcePayload`): the business reads this requirement
            // from the configuration, creates a face capture resource for it and uploads the
            // image. Nothing is captured until then.
            flow.face = Some((self.ids.next(), None));
        } else if asked(FACE_MATCH) && flow.liveness.is_none() {
            let image = self.add_media("IMAGE", MediaContent::Image);
            flow.face = Some((self.ids.next(), Some(image)));
        }
        // The user's face: the liveness capture, else the user's own face capture.
        let face = (flow.liveness.as_ref().map(|l| &l.id))
            .or(flow
                .face
                .as_ref()
                .filter(|(_, image)| image.is_some())
                .map(|(id, _)| id))
            .cloned();

        // Each requested check, once for each resource it applies to: (document, resources).
        fn id_documents(documents: &[Document]) -> impl Iterator<Item = (usize, &Document)> {
            documents
                .iter()
                .enumerate()
                .filter(|(_, d)| !d.supplementary)
        }
        for (kind, config) in &requested_checks {
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
                // The relying business's face capture (added when rendered: it is uploaded
                // after the session is created) against the user's liveness capture.
                FACE_COMPARISON => {
                    vec![(None, flow.liveness.iter().map(|l| l.id.clone()).collect())]
                }
                // Watchlist and third-party checks search for the person on the ID documents.
                kind if super::profile::searches_for_the_user(kind) => vec![(
                    id_documents(documents).next().map(|(i, _)| i),
                    id_documents(documents).map(|(_, d)| d.id.clone()).collect(),
                )],
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
                let profile = super::profile::searches_for_the_user(kind)
                    .then(|| self.check_media(kind, config));
                let (id, kind) = (self.ids.next(), kind.clone());
                flow.checks.push(Check {
                    id,
                    kind,
                    resources,
                    document,
                    media,
                    config: config.clone(),
                    profile,
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
                    config: Value::Null,
                    profile: None,
                });
            }
        }
        flow.identity_profile = identity_profile.map(|profile| self.with_media(profile));
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
            (
                frame,
                self.add_media("IMAGE", MediaContent::Photo { document: index }),
            )
        });
        let fields = MediaContent::Fields {
            document: index,
            check: false,
        };
        let fields = extraction.then(|| self.add_media("JSON", fields));
        let task = extraction.then(|| Task {
            id: self.ids.next(),
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
                self.ids.next(),
                if supplementary {
                    SUPPLEMENTARY_TEXT_CHECK
                } else {
                    ID_TEXT_CHECK
                },
            ),
        });
        Document {
            id: self.ids.next(),
            supplementary,
            document_type,
            country,
            page,
            frame_and_photo,
            fields,
            task,
            digital_id: None,
        }
    }
}

/// The country and type of a document that satisfies a required document's filter: its
/// `country_restriction` and `type_restriction` (ORTHOGONAL_RESTRICTIONS), or the first of its
/// `documents` (DOCUMENT_RESTRICTIONS), included or excluded.
pub(super) fn choose_document(filter: Option<&Value>) -> (String, String) {
    let restricts_documents =
        filter.and_then(|f| f.get("type")).and_then(Value::as_str) == Some("DOCUMENT_RESTRICTIONS");
    let choose = |restriction: &str, key: &str, defaults: Vec<&'static str>| -> String {
        let restriction = if restricts_documents {
            // Only the first set of documents counts, for an inclusion and an exclusion alike.
            filter
                .and_then(|f| f.get("documents"))
                .and_then(Value::as_array)
                .and_then(|documents| documents.first())
        } else {
            filter.and_then(|f| f.get(restriction))
        };
        let listed: Vec<&str> = restriction
            .and_then(|r| r.get(key))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let inclusion = if restricts_documents {
            filter.and_then(|f| f.get("inclusion"))
        } else {
            restriction.and_then(|r| r.get("inclusion"))
        };
        let include = inclusion.and_then(Value::as_str).is_none_or(|i| {
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
