//! Reading a session's results in the domain's terms, as the official SDKs do.

use crate::types;

impl types::GetSessionResult {
    /// The checks of one type, e.g. every `ID_DOCUMENT_AUTHENTICITY` check.
    pub fn checks_of_type<'a>(
        &'a self,
        check_type: &'a types::CheckType,
    ) -> impl Iterator<Item = &'a types::Check> + 'a {
        self.checks
            .iter()
            .filter(move |c| c.type_.as_ref() == Some(check_type))
    }

    /// Every media id the session refers to (document pages and fields, faces, frames,
    /// checks' generated media, previews: anywhere in the result), sorted, once each: the ids
    /// to pass to `get_media_content` or `delete_media_content`.
    pub fn media_ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        if let Ok(value) = serde_json::to_value(self) {
            collect_media_ids(&value, &mut ids);
        }
        ids.sort();
        ids.dedup();
        ids
    }
}

/// Every `id` of an object under a `media` key, or in a `generated_media` list.
fn collect_media_ids(value: &serde_json::Value, ids: &mut Vec<String>) {
    let id_of = |v: &serde_json::Value| v.get("id").and_then(|id| id.as_str()).map(String::from);
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                if key == "media" {
                    ids.extend(id_of(v));
                }
                if key == "generated_media" {
                    ids.extend(v.as_array().into_iter().flatten().filter_map(id_of));
                }
                collect_media_ids(v, ids);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_media_ids(v, ids)),
        _ => {}
    }
}

impl types::Check {
    /// The check's recommendation (`APPROVE`, `REJECT`, `NOT_AVAILABLE`), once it has one.
    pub fn recommendation(&self) -> Option<&types::RecommendationValue> {
        self.report
            .as_ref()?
            .recommendation
            .as_ref()?
            .value
            .as_ref()
    }
}
