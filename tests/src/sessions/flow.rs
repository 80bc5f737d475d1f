//! The simulation of the user's flow: the documents, liveness and face captures, tasks and
//! checks that a `POST /sessions` payload calls for, made at once as if the user had just
//! finished.

use serde_json::Value;

use super::media::MediaContent;
use super::{Session, new_id};

pub(super) const ID_EXTRACTION: &str = "ID_DOCUMENT_TEXT_DATA_EXTRACTION";
pub(super) const SUPPLEMENTARY_EXTRACTION: &str = "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION";
pub(super) const ID_TEXT_CHECK: &str = "ID_DOCUMENT_TEXT_DATA_CHECK";
pub(super) const SUPPLEMENTARY_TEXT_CHECK: &str = "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK";
pub(super) const AUTHENTICITY: &str = "ID_DOCUMENT_AUTHENTICITY";
pub(super) const FACE_MATCH: &str = "ID_DOCUMENT_FACE_MATCH";
pub(super) const LIVENESS: &str = "LIVENESS";
pub(super) const COMPARISON: &str = "ID_DOCUMENT_COMPARISON";

#[derive(Default)]
pub(super) struct Flow {
    pub(super) documents: Vec<Document>,
    pub(super) liveness: Option<Liveness>,
    /// A face capture's id and image, when a face match has no liveness capture to use.
    pub(super) face: Option<(String, String)>,
    pub(super) checks: Vec<Check>,
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
}

impl Session {
    /// The resources, tasks and checks that `payload` asks for.
    pub(super) fn flow(&mut self, payload: &Value) -> Flow {
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
            let kind = payload
                .get("requested_checks")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|check| check.get("type").and_then(Value::as_str) == Some(LIVENESS))
                .find_map(|check| check.pointer("/config/liveness_type")?.as_str())
                .map(str::to_owned);
            flow.liveness = Some(Liveness {
                id: new_id(),
                kind,
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
}

/// The country and type of a document that satisfies a required document's filter (its
/// `country_restriction` and `type_restriction`, INCLUDE or EXCLUDE).
pub(super) fn choose_document(filter: Option<&Value>) -> (String, String) {
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
