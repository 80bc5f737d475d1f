//! The emulator's answer to `GET /supported-documents`: a realistic sample of countries and
//! their documents, some of them not strictly Latin.

use serde_json::{Value, json};

/// A document type, whether it is strictly Latin, and the date it is accepted from, if any.
type Document = (&'static str, bool, Option<&'static str>);

const COUNTRIES: &[(&str, &[Document])] = &[
    (
        "GBR",
        &[
            ("PASSPORT", true, None),
            ("DRIVING_LICENCE", true, None),
            ("RESIDENCE_PERMIT", true, None),
        ],
    ),
    (
        "IRL",
        &[
            ("PASSPORT", true, None),
            ("PASSPORT_CARD", true, Some("2015-10-05")),
            ("DRIVING_LICENCE", true, None),
        ],
    ),
    (
        "USA",
        &[
            ("PASSPORT", true, None),
            ("DRIVING_LICENCE", true, None),
            ("STATE_ID", true, None),
        ],
    ),
    (
        "FRA",
        &[
            ("PASSPORT", true, None),
            ("NATIONAL_ID", true, None),
            ("DRIVING_LICENCE", true, None),
            ("RESIDENCE_PERMIT", true, None),
        ],
    ),
    (
        "DEU",
        &[
            ("PASSPORT", true, None),
            ("NATIONAL_ID", true, None),
            ("DRIVING_LICENCE", true, None),
        ],
    ),
    (
        "ESP",
        &[
            ("PASSPORT", true, None),
            ("NATIONAL_ID", true, None),
            ("DRIVING_LICENCE", true, None),
        ],
    ),
    (
        "ITA",
        &[
            ("PASSPORT", true, None),
            ("NATIONAL_ID", true, None),
            ("DRIVING_LICENCE", true, None),
        ],
    ),
    (
        "IND",
        &[
            ("PASSPORT", true, None),
            ("NATIONAL_ID", false, None),
            ("DRIVING_LICENCE", true, None),
        ],
    ),
    (
        "GRC",
        &[("PASSPORT", true, None), ("NATIONAL_ID", false, None)],
    ),
    (
        "UKR",
        &[("PASSPORT", false, None), ("NATIONAL_ID", false, None)],
    ),
    ("RUS", &[("PASSPORT", false, None)]),
    (
        "JPN",
        &[("PASSPORT", true, None), ("DRIVING_LICENCE", false, None)],
    ),
    (
        "CHN",
        &[("PASSPORT", true, None), ("NATIONAL_ID", false, None)],
    ),
    (
        "SAU",
        &[("PASSPORT", true, None), ("NATIONAL_ID", false, None)],
    ),
];

/// The response body. Without `include_non_latin`, documents that are not strictly Latin are
/// left out, and so is a country left with none.
pub(crate) fn supported(include_non_latin: bool) -> Value {
    let countries: Vec<Value> = COUNTRIES
        .iter()
        .filter_map(|(code, documents)| {
            let documents: Vec<Value> = documents
                .iter()
                .filter(|(_, latin, _)| include_non_latin || *latin)
                .map(|(kind, latin, from)| {
                    let mut document = json!({"type": kind, "is_strictly_latin": latin});
                    if let Some(from) = from {
                        document["requirements"] = json!({"date_from": from});
                    }
                    document
                })
                .collect();
            (!documents.is_empty()).then(|| json!({"code": code, "supported_documents": documents}))
        })
        .collect();
    json!({ "supported_countries": countries })
}

/// The countries a session's document may come from when its filter names none, in order of
/// preference.
pub(crate) fn countries() -> impl Iterator<Item = &'static str> {
    COUNTRIES.iter().map(|(code, _)| *code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(body: &Value) -> (usize, usize) {
        let countries = body["supported_countries"].as_array().unwrap();
        let documents = countries
            .iter()
            .map(|c| c["supported_documents"].as_array().unwrap().len())
            .sum();
        (countries.len(), documents)
    }

    #[test]
    fn non_latin_documents_only_when_asked_for() {
        let latin = supported(false);
        let all = supported(true);
        assert!(count(&latin).1 < count(&all).1);
        assert!(
            count(&latin).0 < count(&all).0,
            "RUS has only a non-Latin passport"
        );
        assert!(!latin.to_string().contains("\"is_strictly_latin\":false"));
        assert!(all.to_string().contains("\"is_strictly_latin\":false"));
    }
}
