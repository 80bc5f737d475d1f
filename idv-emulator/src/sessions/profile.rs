//! What a session gets beyond documents and captures: identity profiles (simple and
//! advanced) with their report and preview, and the checks that search for the user in other
//! sources (watchlist screening, advanced ComplyAdvantage and third-party checks) with their
//! generated profile, raw results and watchlist summary.

use serde_json::{Map, Value, json};

use super::Session;
use super::flow::Check;
use super::media::MediaContent;
use super::sandbox::default_report;

const SCREENING: &str = "WATCHLIST_SCREENING";
const ADVANCED_CA: &str = "WATCHLIST_ADVANCED_CA";
const SCHEME_VALIDITY: &str = "DOCUMENT_SCHEME_VALIDITY_CHECK";

/// Whether a check of this type searches for the person on the ID documents elsewhere, and so
/// has a generated profile.
pub(super) fn searches_for_the_user(kind: &str) -> bool {
    matches!(
        kind,
        SCREENING
            | ADVANCED_CA
            | "THIRD_PARTY_IDENTITY"
            | "THIRD_PARTY_IDENTITY_FRAUD_1"
            | "SYNECTICS_IDENTITY_FRAUD"
    )
}

/// The media of a check that searches for the user.
pub(super) struct CheckMedia {
    /// The profile the search used (JSON).
    generated_profile: String,
    /// The hits (JSON), for watchlist checks.
    raw_results: Option<String>,
}

/// What an identity-profile session asked for, and the media it produces.
pub(super) struct IdentityProfile {
    advanced: bool,
    requirements: Value,
    subject_id: Option<String>,
    preview_asked: bool,
    report: String,
    preview: Option<String>,
}

impl IdentityProfile {
    /// The identity profile that a `POST /sessions` payload asks for, if any (its media are
    /// made by [`Session::with_media`]).
    pub(super) fn requested(payload: &Value) -> Option<IdentityProfile> {
        let (advanced, requirements) = match (
            payload.get("identity_profile_requirements"),
            payload.get("advanced_identity_profile_requirements"),
        ) {
            (_, Some(advanced)) => (true, advanced.clone()),
            (Some(simple), None) => (false, simple.clone()),
            (None, None) => return None,
        };
        let subject_id = payload
            .pointer("/subject/subject_id")
            .and_then(Value::as_str)
            .map(str::to_owned);
        Some(IdentityProfile {
            advanced,
            requirements,
            subject_id,
            preview_asked: payload.get("create_identity_profile_preview")
                == Some(&Value::Bool(true)),
            report: String::new(),
            preview: None,
        })
    }

    /// The `(trust framework, schemes)` pairs the requirements name.
    fn frameworks(&self) -> Vec<(Value, Vec<Value>)> {
        let scheme_fields = |scheme: &Value| {
            let mut scheme = scheme.clone();
            if let Some(s) = scheme.as_object_mut() {
                s.remove("config");
            }
            scheme
        };
        if self.advanced {
            let profiles = self.requirements.get("profiles").and_then(Value::as_array);
            profiles
                .into_iter()
                .flatten()
                .map(|p| {
                    let schemes = p.get("schemes").and_then(Value::as_array);
                    let schemes = schemes.into_iter().flatten().map(scheme_fields).collect();
                    (
                        p.get("trust_framework").cloned().unwrap_or_default(),
                        schemes,
                    )
                })
                .collect()
        } else {
            let framework = self.requirements.get("trust_framework").cloned();
            let scheme = self.requirements.get("scheme").map(scheme_fields);
            vec![(framework.unwrap_or_default(), scheme.into_iter().collect())]
        }
    }

    /// The session body's key for this profile's result, and for its preview.
    pub(super) fn keys(&self) -> (&'static str, &'static str) {
        if self.advanced {
            (
                "advanced_identity_profile",
                "advanced_identity_profile_preview",
            )
        } else {
            ("identity_profile", "identity_profile_preview")
        }
    }

    /// The result, once the session's checks are done: met when every check approves, else
    /// failed with the first check that did not.
    pub(super) fn result(&self, checks: &[Value], media: &dyn Fn(&str) -> Value) -> Value {
        let failed = checks.iter().find(|c| {
            c.pointer("/report/recommendation/value")
                .and_then(Value::as_str)
                != Some("APPROVE")
        });
        let met = failed.is_none();
        let compliance = |schemes: &[Value]| -> Vec<Value> {
            schemes
                .iter()
                .map(|scheme| {
                    let mut entry = json!({"scheme": scheme, "requirements_met": met});
                    if !met {
                        entry["requirements_not_met_info"] =
                            json!("A check that the scheme needs did not approve.");
                    }
                    entry
                })
                .collect()
        };
        let frameworks = self.frameworks();
        let mut report = if self.advanced {
            let compliance: Vec<Value> = frameworks
                .iter()
                .map(|(framework, schemes)| {
                    json!({"trust_framework": framework, "schemes_compliance": compliance(schemes)})
                })
                .collect();
            json!({"compliance": compliance})
        } else {
            let (framework, schemes) = frameworks.into_iter().next().unwrap_or_default();
            json!({"trust_framework": framework, "schemes_compliance": compliance(&schemes)})
        };
        report["media"] = media(&self.report);
        let mut result = json!({
            "subject_id": self.subject_id.as_deref().unwrap_or_default(),
            "result": if met { "DONE" } else { "FAIL" },
            "identity_profile_report": report,
        });
        if let Some(check) = failed {
            result["failure_reason"] = json!({
                "reason_code": "MANDATORY_DOCUMENT_COULD_NOT_BE_PROVIDED",
                "requirements_not_met_details": [{
                    "failure_type": check.get("type"),
                    "audit_id": check.get("id"),
                    "details": check.pointer("/report/recommendation/reason")
                        .and_then(Value::as_str)
                        .unwrap_or("NOT_APPROVED"),
                }],
            });
        }
        result
    }

    /// The preview's `{media}`, when one was asked for.
    pub(super) fn preview(&self, media: &dyn Fn(&str) -> Value) -> Option<Value> {
        self.preview
            .as_deref()
            .map(|id| json!({"media": media(id)}))
    }

    /// The content of the report media: the requirements the profile was checked against.
    fn report_content(&self) -> Value {
        let frameworks: Vec<Value> = self
            .frameworks()
            .into_iter()
            .map(|(framework, schemes)| json!({"trust_framework": framework, "schemes": schemes}))
            .collect();
        json!({
            "subject_id": self.subject_id,
            "verification_report": {
                "trust_framework": frameworks,
                "assurance_process": {
                    "level_of_assurance": "MEDIUM",
                    "policy": "GPG45",
                    "procedure": "M1C",
                },
            },
        })
    }
}

impl Session {
    /// `profile` with its report media (JSON) and, when asked for, its preview (a PDF).
    pub(super) fn with_media(&mut self, mut profile: IdentityProfile) -> IdentityProfile {
        profile.report = self.add_media("JSON", MediaContent::Json(profile.report_content()));
        if profile.preview_asked {
            profile.preview = Some(self.add_media("PDF", MediaContent::Pdf));
        }
        profile
    }

    /// The media of a check that searches for the user.
    pub(super) fn check_media(&mut self, kind: &str, config: &Value) -> CheckMedia {
        let generated_profile = json!({
            "given_names": "Jane Sandbox",
            "family_name": "Doe",
            "full_name": "Jane Sandbox Doe",
            "date_of_birth": "1990-01-01",
        });
        let generated_profile = self.add_media("JSON", MediaContent::Json(generated_profile));
        let raw_results = matches!(kind, SCREENING | ADVANCED_CA).then(|| {
            let hits: Vec<Value> = categories(kind, config)
                .iter()
                .take(1)
                .map(|category| {
                    json!({
                        "name": "Jane Sandbox Doe",
                        "match_types": ["name_exact", "year_of_birth"],
                        "types": [category.to_lowercase()],
                        "countries": ["GBR"],
                    })
                })
                .collect();
            self.add_media(
                "JSON",
                MediaContent::Json(json!({"total_hits": hits.len(), "hits": hits})),
            )
        });
        CheckMedia {
            generated_profile,
            raw_results,
        }
    }
}

/// The categories a watchlist check searches: what it was asked for, else both.
fn categories(kind: &str, config: &Value) -> Vec<String> {
    let asked: Vec<String> = config
        .get("categories")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    if asked.is_empty() || kind == ADVANCED_CA {
        vec!["ADVERSE-MEDIA".to_owned(), "SANCTIONS".to_owned()]
    } else {
        asked
    }
}

/// The report of a check that the sandbox configuration says nothing about. A watchlist
/// check finds the sample person in its first category, so it is to be considered.
pub(super) fn unconfigured_report(check: &Check) -> Value {
    if !matches!(check.kind.as_str(), SCREENING | ADVANCED_CA) {
        return default_report(&check.kind);
    }
    let categories = categories(&check.kind, &check.config);
    let breakdown: Vec<Value> = categories
        .iter()
        .enumerate()
        .map(|(i, category)| {
            let hits = if i == 0 { 1 } else { 0 };
            json!({
                "sub_check": category.to_lowercase().replace('-', "_"),
                "result": if hits > 0 { "FAIL" } else { "PASS" },
                "details": [{"name": "number_of_hits", "value": hits.to_string()}],
            })
        })
        .collect();
    json!({
        "recommendation": {"value": "CONSIDER", "reason": "POTENTIAL_MATCH"},
        "breakdown": breakdown,
        "watchlist_summary": {"total_hits": 1, "associated_country_codes": ["GBR"]},
    })
}

/// Adds what a check has beyond its report: a searching check's generated profile and, for a
/// watchlist check, the search its summary describes and its raw results; a scheme validity
/// check's scheme.
pub(super) fn extend(check: &Check, rendered: &mut Value, media: &dyn Fn(&str) -> Value) {
    if check.kind == SCHEME_VALIDITY
        && let Some(scheme) = check.config.get("scheme")
    {
        rendered["scheme"] = scheme.clone();
    }
    let Some(searched) = &check.profile else {
        return;
    };
    rendered["generated_profile"] = json!({"media": media(&searched.generated_profile)});
    let Some(Value::Object(report)) = rendered.get_mut("report") else {
        return;
    };
    let Some(raw_results) = &searched.raw_results else {
        return;
    };
    let summary = report
        .entry("watchlist_summary")
        .or_insert_with(|| json!({"total_hits": 0, "associated_country_codes": []}));
    if let Value::Object(summary) = summary {
        summary
            .entry("raw_results")
            .or_insert_with(|| json!({"media": media(raw_results)}));
        summary
            .entry("search_config")
            .or_insert_with(|| search_config(check));
    }
}

/// The search a watchlist check ran: its requested configuration (screening: the categories).
fn search_config(check: &Check) -> Value {
    if check.kind == SCREENING {
        return json!({"categories": categories(&check.kind, &check.config)});
    }
    let mut config: Map<String, Value> = check.config.as_object().cloned().unwrap_or_default();
    config
        .entry("type")
        .or_insert_with(|| json!("WITH_YOTI_ACCOUNT"));
    Value::Object(config)
}
