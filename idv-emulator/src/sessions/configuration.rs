//! The `GET /sessions/{id}/configuration` body: what a session's own specification (its
//! `POST /sessions` payload) requires, and the state of each requirement.
//!
//! The emulated user finishes the flow at once, so every requirement that the flow fulfils is
//! `COMPLETE`. A requirement's id is the id of the resource that fulfils it.

use std::time::Duration;

use serde_json::{Map, Value, json};

use super::flow::ID_EXTRACTION;
use super::sandbox::liveness_type;
use super::{Body, Session};

/// The capture methods a document may use when `sdk_config` names none.
const DEFAULT_CAPTURE_METHODS: &str = "CAMERA_AND_UPLOAD";

impl Session {
    /// The configuration of the session `id` at `now`.
    pub(crate) fn configuration(&self, id: &str, app: &Map<String, Value>, now: Duration) -> Value {
        let elapsed = now.saturating_sub(self.created).as_secs();
        let mut configuration = json!({
            "client_session_token_ttl": self.ttl.saturating_sub(elapsed),
            "session_id": id,
            "requested_checks": [],
            "capture": {"required_resources": []},
        });
        let Body::Flow(flow) = &self.body else {
            configuration["capture"]["biometric_consent"] = json!("NOT_REQUIRED");
            return configuration;
        };
        let spec = &self.spec;
        let list = |key: &str| -> Vec<&Value> {
            spec.get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .collect()
        };
        let requested_checks: Vec<&str> = list("requested_checks")
            .into_iter()
            .filter_map(|c| c.get("type").and_then(Value::as_str))
            .collect();
        let required = |kind: &str| -> Vec<&Value> {
            list("required_documents")
                .into_iter()
                .filter(|r| r.get("type").and_then(Value::as_str) == Some(kind))
                .collect()
        };
        let (id_required, supplementary_required) =
            (required("ID_DOCUMENT"), required("SUPPLEMENTARY_DOCUMENT"));
        let end_user = json!([{"type": "END_USER"}]);

        let mut resources = Vec::new();
        let (mut id_index, mut supplementary_index) = (0, 0);
        for document in &flow.documents {
            let tasks: Vec<Value> = document
                .task
                .iter()
                .map(|t| json!({"type": t.kind, "state": "COMPLETE"}))
                .collect();
            if document.supplementary {
                let required = supplementary_required.get(supplementary_index).copied();
                supplementary_index += 1;
                let strings = |key: &str| -> Value {
                    required
                        .and_then(|r| r.get(key))
                        .cloned()
                        .unwrap_or_else(|| json!([]))
                };
                let mut resource = json!({
                    "type": "SUPPLEMENTARY_DOCUMENT",
                    "id": document.id,
                    "state": "COMPLETE",
                    "allowed_sources": end_user,
                    "requested_tasks": tasks,
                    "document_types": strings("document_types"),
                    "country_codes": strings("country_codes"),
                });
                if let Some(objective) = required.and_then(|r| r.get("objective")) {
                    resource["objective"] = objective.clone();
                }
                resources.push(resource);
            } else {
                let filter = id_required.get(id_index).and_then(|r| r.get("filter"));
                id_index += 1;
                let methods = spec
                    .pointer("/sdk_config/allowed_capture_methods")
                    .and_then(Value::as_str)
                    .unwrap_or(DEFAULT_CAPTURE_METHODS);
                let attempts = spec
                    .pointer("/sdk_config/attempts_configuration")
                    .and_then(|a| a.get(ID_EXTRACTION))
                    .cloned()
                    .unwrap_or_else(|| json!({}));
                resources.push(json!({
                    "type": "ID_DOCUMENT",
                    "id": document.id,
                    "state": "COMPLETE",
                    "allowed_sources": end_user,
                    "requested_tasks": tasks,
                    "supported_countries": supported_countries(filter),
                    "allowed_capture_methods": methods,
                    "attempts_remaining": attempts,
                }));
            }
        }
        if let Some(liveness) = &flow.liveness {
            // The type the session asked for, as `GET /sessions/{id}` says, else the one the
            // sandbox configuration's reports are for.
            let kind = (liveness.kind.clone())
                .unwrap_or_else(|| liveness_type(&self.effective_config(app)));
            resources.push(json!({
                "type": "LIVENESS",
                "id": liveness.id,
                "state": "COMPLETE",
                "allowed_sources": end_user,
                "liveness_type": kind,
            }));
        }
        if let Some((face, image)) = &flow.face {
            // The user's own capture is complete; a face comparison's is the relying
            // business's to upload, and required until it has.
            let (source, state) = match image {
                Some(_) => ("END_USER", "COMPLETE"),
                None if flow.waits_for_face(&self.captures) => ("RELYING_BUSINESS", "REQUIRED"),
                None => ("RELYING_BUSINESS", "COMPLETE"),
            };
            resources.push(json!({
                "type": "FACE_CAPTURE",
                "id": face,
                "state": state,
                "allowed_sources": [{"type": source}],
            }));
        }
        configuration["requested_checks"] = json!(requested_checks);
        configuration["capture"]["required_resources"] = Value::Array(resources);
        configuration["capture"]["biometric_consent"] = json!(self.consent_state(flow));
        configuration
    }

    /// The state of the user's biometric consent: `NOT_REQUIRED` when the flow captures no
    /// face of the user or the session was created with `block_biometric_consent` (Yoti's
    /// docs show `"NOT_REQUIRED"` for a session without liveness or face capture), else
    /// `COMPLETE`, since the emulated user consents as it finishes the flow.
    fn consent_state(&self, flow: &super::flow::Flow) -> &'static str {
        if self.biometric_consent && flow.captures_the_users_face() {
            "COMPLETE"
        } else {
            "NOT_REQUIRED"
        }
    }
}

/// The countries and documents of `GET /supported-documents` that a required ID document's
/// filter allows.
fn supported_countries(filter: Option<&Value>) -> Value {
    let all = crate::documents::supported(false);
    let countries = all["supported_countries"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let allowed: Vec<Value> = countries
        .into_iter()
        .filter_map(|mut country| {
            let code = country["code"].as_str().unwrap_or_default().to_owned();
            let documents = country["supported_documents"].as_array_mut()?;
            documents.retain(|d| allows(filter, &code, d["type"].as_str().unwrap_or_default()));
            (!documents.is_empty()).then_some(country)
        })
        .collect();
    Value::Array(allowed)
}

/// Whether a document filter allows a document of `kind` from `country`: its
/// `country_restriction` and `type_restriction` (ORTHOGONAL_RESTRICTIONS), or its `documents`
/// (DOCUMENT_RESTRICTIONS), each included or excluded.
fn allows(filter: Option<&Value>, country: &str, kind: &str) -> bool {
    let Some(filter) = filter else {
        return true;
    };
    let included = |inclusion: Option<&Value>| {
        inclusion.and_then(Value::as_str).is_none_or(|i| {
            i.eq_ignore_ascii_case("INCLUDE") || i.eq_ignore_ascii_case("WHITELIST")
        })
    };
    let lists = |restriction: &Value, key: &str, value: &str| -> Option<bool> {
        let list = restriction.get(key)?.as_array()?;
        (!list.is_empty()).then(|| list.iter().any(|v| v.as_str() == Some(value)))
    };
    if filter.get("type").and_then(Value::as_str) == Some("DOCUMENT_RESTRICTIONS") {
        let documents = filter.get("documents").and_then(Value::as_array);
        let listed = documents.into_iter().flatten().any(|d| {
            lists(d, "country_codes", country).unwrap_or(true)
                && lists(d, "document_types", kind).unwrap_or(true)
        });
        return listed == included(filter.get("inclusion"));
    }
    let passes = |restriction: &str, key: &str, value: &str| match filter.get(restriction) {
        Some(r) => lists(r, key, value).is_none_or(|listed| listed == included(r.get("inclusion"))),
        None => true,
    };
    passes("country_restriction", "country_codes", country)
        && passes("type_restriction", "document_types", kind)
}
