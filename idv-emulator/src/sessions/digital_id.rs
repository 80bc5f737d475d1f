//! Digital IDs as ID documents: a required ID document whose filter has `allow_digital_ids`
//! may be shared from a Digital ID provider instead of scanned. The emulator-only sandbox
//! option `digital_id_share` (see `ResponseConfig` in the spec) decides whether the user
//! shares one, from which provider, as which document, or that the share fails.

use serde_json::{Map, Value, json};

use super::Ids;
use super::flow::{Document, Flow};

/// What a document's filter allows: its id for a share, and the providers it names.
pub(super) struct DigitalId {
    share: String,
    providers: Vec<String>,
}

/// The Digital ID a required ID document's `filter` allows, if it allows one.
pub(super) fn allowed(filter: Option<&Value>, ids: &Ids) -> Option<DigitalId> {
    let filter = filter?;
    if filter.get("allow_digital_ids") != Some(&Value::Bool(true)) {
        return None;
    }
    let providers = (filter.get("allowed_providers").and_then(Value::as_array))
        .into_iter()
        .flatten()
        .filter_map(|p| p.get("name").and_then(Value::as_str))
        .map(str::to_owned)
        .collect();
    Some(DigitalId {
        share: ids.next(),
        providers,
    })
}

/// The Digital ID share of a session under the sandbox configuration `config`.
pub(super) struct Share<'a> {
    id: &'a str,
    /// The ID document shared, unless the share failed.
    pub(super) document: Option<&'a str>,
    pub(super) provider: String,
    pub(super) document_type: String,
    pub(super) country: String,
    error: Option<&'a Value>,
}

/// The providers of the spec's `DigitalIdProvider`.
const KNOWN_PROVIDERS: [&str; 2] = ["DIGILOCKER", "EPHIL_ID_QR"];

/// The document type and country a provider's Digital IDs have, unless configured.
fn provider_default(provider: &str) -> (&'static str, &'static str) {
    match provider {
        "EPHIL_ID_QR" => ("EPHIL_ID", "PHL"),
        _ => ("DIGITAL_AADHAAR", "IND"),
    }
}

/// The share that the configured `digital_id_share` makes of the first ID document that allows
/// Digital IDs; none when the option is absent or no document allows one.
pub(super) fn share<'a>(config: &'a Map<String, Value>, flow: &'a Flow) -> Option<Share<'a>> {
    let configured = config.get("digital_id_share")?;
    let (document, digital_id) = flow
        .documents
        .iter()
        .filter(|d| !d.supplementary)
        .find_map(|d| Some((d, d.digital_id.as_ref()?)))?;
    let text = |key: &str| configured.get(key).and_then(Value::as_str);
    // The response names a provider the spec lists (the option's is checked against it).
    let known = |p: &&String| KNOWN_PROVIDERS.contains(&p.as_str());
    let allowed = digital_id.providers.iter().find(known).map(String::as_str);
    let provider = text("provider")
        .or(allowed)
        .unwrap_or("DIGILOCKER")
        .to_owned();
    let (document_type, country) = provider_default(&provider);
    let error = configured.get("error");
    Some(Share {
        id: &digital_id.share,
        document: error.is_none().then_some(document.id.as_str()),
        document_type: text("document_type").unwrap_or(document_type).to_owned(),
        country: text("issuing_country").unwrap_or(country).to_owned(),
        provider,
        error,
    })
}

impl Share<'_> {
    /// Whether `document` was shared as this Digital ID (and so not scanned).
    pub(super) fn shared(&self, document: &Document) -> bool {
        self.document == Some(document.id.as_str())
    }

    /// The share as `digital_id_shares` lists it, created and last updated at `at`.
    pub(super) fn render(&self, at: &str) -> Value {
        let mut share = json!({
            "id": self.id,
            "document_type": self.document_type,
            "issuing_country": self.country,
            "provider": self.provider,
            "created_at": at,
            "last_updated": at,
        });
        if let Some(document) = self.document {
            share["resource_id"] = json!(document);
        }
        if let Some(error) = self.error {
            share["error"] = error.clone();
        }
        share
    }
}
