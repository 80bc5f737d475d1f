//! The sandbox response configuration: which one is in force for a session, when its checks
//! finish, and what its checks report and its extraction tasks extract (else an approval and
//! a sample person's fields).

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::flow::{
    AUTHENTICITY, COMPARISON, Document, FACE_MATCH, Flow, ID_EXTRACTION, ID_TEXT_CHECK, LIVENESS,
    SUPPLEMENTARY_EXTRACTION, SUPPLEMENTARY_TEXT_CHECK,
};
use super::{Body, Session};

impl Session {
    /// The sandbox configuration in force: the session's own over the application's, section
    /// by section (`task_results`, `check_reports`) and key by key within a section. The
    /// application's is `app`, unless it changed after the session's checks finished: then
    /// the one they finished under.
    pub(crate) fn effective_config(&self, app: &Map<String, Value>) -> Map<String, Value> {
        let mut merged = self.app_config.as_ref().unwrap_or(app).clone();
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

    /// When the checks finish: `async_report_delay` seconds after creation (after the user
    /// completed the flow, when the session waited for the user).
    pub(super) fn checks_finish(&self, config: &Map<String, Value>) -> Duration {
        let delay = config
            .get("check_reports")
            .and_then(|c| c.get("async_report_delay"))
            .and_then(Value::as_u64)
            .unwrap_or(0);
        self.flow_started()
            .saturating_add(Duration::from_secs(delay))
    }

    pub(super) fn checks_done(&self, config: &Map<String, Value>, now: Duration) -> bool {
        now >= self.checks_finish(config)
    }
    /// The configured `document_id_photo` of an ID document's extraction task: its content type
    /// and bytes.
    pub(super) fn document_id_photo(
        &self,
        config: &Map<String, Value>,
        index: usize,
    ) -> Option<(String, Vec<u8>)> {
        use base64::Engine as _;
        let Body::Flow(flow) = &self.body else {
            return None;
        };
        let document = flow.documents.get(index)?;
        let photo = configured(config, "task_results", ID_EXTRACTION, Some(document), None)?
            .get("document_id_photo")?;
        let content_type = photo.get("content_type")?.as_str()?.to_owned();
        let data = photo.get("data")?.as_str()?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data)
            .ok()?;
        Some((content_type, bytes))
    }

    pub(super) fn document_fields(
        &self,
        config: &Map<String, Value>,
        index: usize,
        check: bool,
    ) -> Value {
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
/// (its `document_filter` or `secondary_document_filter` allows it), to `liveness_type`, or
/// to the `sources` an advanced watchlist check searched (its `sources_filter`).
/// `THIRD_PARTY_IDENTITY` and some newer check types are configured as one object rather than
/// a list.
pub(super) fn configured<'c>(
    config: &'c Map<String, Value>,
    section: &str,
    kind: &str,
    document: Option<&Document>,
    liveness_type: Option<&str>,
) -> Option<&'c Value> {
    configured_entry(config, section, kind, document, liveness_type, None)?.get("result")
}

/// The first configured entry of `section.kind` that applies; see [`configured`].
pub(super) fn configured_entry<'c>(
    config: &'c Map<String, Value>,
    section: &str,
    kind: &str,
    document: Option<&Document>,
    liveness_type: Option<&str>,
    sources: Option<&Value>,
) -> Option<&'c Value> {
    applicable(config, section, kind, document, liveness_type, sources)
        .next()
        .map(|(_, entry)| entry)
}

/// The configured report for each of `flow`'s checks, in order. A report with a
/// `handled_check_limit` answers that many checks of its kind, and then the next configured
/// report that applies takes over ("the number of times this check report configuration will
/// be used by the sandbox before moving to the next configured response", in the Go SDK's
/// words); a check that no report is left for gets the unconfigured report.
pub(super) fn check_reports<'c>(
    config: &'c Map<String, Value>,
    flow: &Flow,
    liveness_type: &str,
) -> Vec<Option<&'c Value>> {
    let mut used: HashMap<(&str, usize), u64> = HashMap::new();
    let mut reports = Vec::with_capacity(flow.checks.len());
    for check in &flow.checks {
        let document = check.document.and_then(|i| flow.documents.get(i));
        let sources = check.config.get("sources");
        let kind = check.kind.as_str();
        let chosen = applicable(
            config,
            "check_reports",
            kind,
            document,
            Some(liveness_type),
            sources,
        )
        .find(|(index, entry)| {
            let limit = entry.get("handled_check_limit").and_then(Value::as_u64);
            limit.is_none_or(|limit| used.get(&(kind, *index)).copied().unwrap_or(0) < limit)
        });
        if let Some((index, _)) = chosen {
            *used.entry((kind, index)).or_default() += 1;
        }
        reports.push(chosen.map(|(_, entry)| entry));
    }
    reports
}

/// The configured entries of `section.kind` that apply, with their positions in the list.
fn applicable<'c, 'a>(
    config: &'c Map<String, Value>,
    section: &str,
    kind: &str,
    document: Option<&'a Document>,
    liveness_type: Option<&'a str>,
    sources: Option<&'a Value>,
) -> impl Iterator<Item = (usize, &'c Value)> + use<'c, 'a> {
    let entries = match config.get(section).and_then(|s| s.get(kind)) {
        Some(Value::Array(entries)) => entries.as_slice(),
        Some(entry) => std::slice::from_ref(entry),
        None => &[],
    };
    let allows =
        |filter: &Value, key: &str, value: &str| match filter.get(key).and_then(Value::as_array) {
            Some(list) if !list.is_empty() => list.iter().any(|v| v.as_str() == Some(value)),
            _ => true,
        };
    let applies = move |entry: &Value| {
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
        let sources_ok = match (entry.get("sources_filter"), sources) {
            (Some(filter), Some(searched)) => {
                filter.get("type") == searched.get("type")
                    && ["types", "search_profile"]
                        .iter()
                        .all(|key| filter.get(key).is_none_or(|v| searched.get(key) == Some(v)))
            }
            (Some(_), None) => false,
            (None, _) => true,
        };
        document_ok && liveness_ok && sources_ok
    };
    entries
        .iter()
        .enumerate()
        .filter(move |(_, entry)| applies(entry))
}

/// The liveness type that the configuration's `LIVENESS` reports are for, else `ZOOM`.
pub(super) fn liveness_type(config: &Map<String, Value>) -> String {
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
pub(super) fn default_report(kind: &str) -> Value {
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
