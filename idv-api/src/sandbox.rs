//! Sandbox response configurations in a line or two.
//!
//! The sandbox's `PUT …/response-config` takes a [`types::ResponseConfig`]: for each kind of
//! check, the reports its checks give, and for each text extraction task, what it extracts.
//! Spelled out as struct literals, approving one check takes a dozen lines. [`SandboxConfig`]
//! says the common cases in the domain's words, as the official sandbox SDKs' builders do:
//!
//! ```no_run
//! use idv_api::sandbox::SandboxConfig;
//! use idv_api::types::CheckType;
//! # async fn run(client: idv_api::Client, session_id: &str) -> Result<(), idv_api::Error<idv_api::types::ApiError>> {
//! // Every check approves, except liveness, which rejects.
//! let config = SandboxConfig::approve_all().reject(CheckType::Liveness, "NOT_A_PERSON");
//! client.put_session_response_config().session_id(session_id).body(config).send().await?;
//! # Ok(())
//! # }
//! ```
//!
//! A `SandboxConfig` converts into the generated `ResponseConfig` (`ResponseConfig::try_from`,
//! or `.body(config)` directly), so anything it does not say can still be set on the result.

use serde_json::{Map, Value, json};

use crate::types::{
    self, CheckReport, CheckType, Recommendation, RecommendationValue, ResponseConfig,
};

/// The check types whose reports the sandbox configures: the properties of the spec's
/// `SandboxCheckReports` (a test keeps this list equal to them).
pub const CONFIGURABLE_CHECKS: [CheckType; 12] = [
    CheckType::IdDocumentAuthenticity,
    CheckType::IdDocumentTextDataCheck,
    CheckType::SupplementaryDocumentTextDataCheck,
    CheckType::IdDocumentFaceMatch,
    CheckType::Liveness,
    CheckType::IdDocumentComparison,
    CheckType::ThirdPartyIdentity,
    CheckType::FaceComparison,
    CheckType::SynecticsIdentityFraud,
    CheckType::ThirdPartyIdentityFraud1,
    CheckType::WatchlistScreening,
    CheckType::WatchlistAdvancedCa,
];

/// A sandbox response configuration, said a check type at a time.
///
/// Each method replaces what was configured for the check type it names; the report applies
/// to every check of that type (whatever its document or liveness type). For per-document
/// reports, build the generated [`types::SandboxCheckReports`] instead.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SandboxConfig {
    config: ResponseConfig,
    /// The first check type that could not be configured; reported on conversion.
    error: Option<SandboxConfigError>,
}

impl SandboxConfig {
    /// An empty configuration: the sandbox's defaults apply.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every check of every [configurable](CONFIGURABLE_CHECKS) type recommends `APPROVE`.
    pub fn approve_all() -> Self {
        CONFIGURABLE_CHECKS
            .into_iter()
            .fold(Self::new(), |config, check| config.approve(check))
    }

    /// The checks of type `check` recommend `APPROVE`.
    pub fn approve(self, check: CheckType) -> Self {
        self.recommend(check, RecommendationValue::Approve, None)
    }

    /// The checks of type `check` recommend `REJECT`, for `reason` (for example
    /// `NOT_GENUINE`).
    pub fn reject(self, check: CheckType, reason: impl Into<String>) -> Self {
        self.recommend(check, RecommendationValue::Reject, Some(reason.into()))
    }

    /// The checks of type `check` recommend `CONSIDER`, for `reason`.
    pub fn consider(self, check: CheckType, reason: impl Into<String>) -> Self {
        self.recommend(check, RecommendationValue::Consider, Some(reason.into()))
    }

    /// The checks of type `check` recommend `value`, with `reason` if given.
    pub fn recommend(
        self,
        check: CheckType,
        value: RecommendationValue,
        reason: Option<String>,
    ) -> Self {
        let recommendation = Recommendation {
            value: Some(value),
            reason,
            ..Default::default()
        };
        let report = CheckReport {
            recommendation: Some(recommendation),
            ..Default::default()
        };
        self.report(check, report)
    }

    /// The checks of type `check` give `report` (a recommendation, a breakdown, …).
    pub fn report(mut self, check: CheckType, report: CheckReport) -> Self {
        if self.error.is_none() {
            let reports = self.config.check_reports.get_or_insert_default();
            self.error = set_report(reports, &check, report).err();
        }
        self
    }

    /// The ID documents' text extraction task extracts `fields` (for example `full_name` and
    /// `date_of_birth`), and their text data checks report them: for every ID document that
    /// no [`document_fields`](Self::document_fields) filter selects.
    pub fn id_document_fields(self, fields: Map<String, Value>) -> Self {
        self.extraction(None, fields)
    }

    /// The text extraction of the ID documents `filter` selects (by issuing country, by
    /// document type) extracts `fields`, as the official sandbox SDKs' `withDocumentFilter`
    /// says; other documents extract what [`id_document_fields`](Self::id_document_fields)
    /// says. A later call with the same filter replaces an earlier one.
    ///
    /// ```
    /// use idv_api::sandbox::SandboxConfig;
    /// use idv_api::types::SandboxDocumentFilter;
    /// use serde_json::json;
    ///
    /// let french = SandboxDocumentFilter { country_codes: vec!["FRA".into()], ..Default::default() };
    /// let fields = |name: &str| json!({"full_name": name}).as_object().cloned().unwrap();
    /// let config = SandboxConfig::approve_all()
    ///     .document_fields(french, fields("Marie Curie"))
    ///     .id_document_fields(fields("Ada Lovelace"));
    /// ```
    pub fn document_fields(
        self,
        filter: types::SandboxDocumentFilter,
        fields: Map<String, Value>,
    ) -> Self {
        self.extraction(Some(filter), fields)
    }

    /// Sets the ID document text extraction for the documents `filter` selects (all, for
    /// `None`). The sandbox uses the first task whose filter selects a document, so filtered
    /// tasks stay ahead of the one without a filter.
    fn extraction(
        mut self,
        filter: Option<types::SandboxDocumentFilter>,
        fields: Map<String, Value>,
    ) -> Self {
        let tasks = &mut (self.config.task_results.get_or_insert_default())
            .id_document_text_data_extraction;
        tasks.retain(|task| task.document_filter != filter);
        let at = match filter {
            Some(_) => tasks
                .iter()
                .take_while(|t| t.document_filter.is_some())
                .count(),
            None => tasks.len(),
        };
        let task = types::SandboxTextExtractionTask {
            document_filter: filter,
            result: Some(types::SandboxTextExtractionResult {
                document_fields: fields,
                ..Default::default()
            }),
            ..Default::default()
        };
        tasks.insert(at, task);
        self
    }

    /// Every check stays `PENDING`, without a report, for `seconds` after its session is
    /// created.
    pub fn async_report_delay(mut self, seconds: i64) -> Self {
        let mut reports = self.config.check_reports.take().unwrap_or_default();
        reports.async_report_delay = Some(seconds);
        self.config.check_reports = Some(reports);
        self
    }
}

/// Sets one report for every check of type `check` in `reports`, whether the spec lists that
/// type's reports (most) or has one object for them (`THIRD_PARTY_IDENTITY`, say).
fn set_report(
    reports: &mut types::SandboxCheckReports,
    check: &CheckType,
    report: CheckReport,
) -> Result<(), SandboxConfigError> {
    let refused = || SandboxConfigError(check.to_string());
    let (Ok(Value::Object(base)), Ok(report)) = (
        serde_json::to_value(&*reports),
        serde_json::to_value(report),
    ) else {
        return Err(refused());
    };
    let entry = json!({"result": {"report": report}});
    for configured in [Value::Array(vec![entry.clone()]), entry] {
        let mut candidate = base.clone();
        candidate.insert(check.to_string(), configured);
        if let Ok(parsed) = serde_json::from_value::<types::SandboxCheckReports>(candidate.into())
            && !parsed.extra.contains_key(check.as_str())
        {
            *reports = parsed;
            return Ok(());
        }
    }
    Err(refused())
}

/// A check type that the sandbox's response configuration has no reports for.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the sandbox configures no reports for {0} checks; it configures {configurable}",
    configurable = configurable()
)]
pub struct SandboxConfigError(String);

fn configurable() -> String {
    let names: Vec<&str> = CONFIGURABLE_CHECKS.iter().map(CheckType::as_str).collect();
    names.join(", ")
}

impl TryFrom<SandboxConfig> for ResponseConfig {
    type Error = SandboxConfigError;

    fn try_from(config: SandboxConfig) -> Result<Self, Self::Error> {
        match config.error {
            Some(error) => Err(error),
            None => Ok(config.config),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_of(config: SandboxConfig) -> Value {
        serde_json::to_value(ResponseConfig::try_from(config).unwrap()).unwrap()
    }

    #[test]
    fn approve_all_configures_every_check_type_in_the_shape_the_spec_gives_it() {
        let approve = json!({"result": {"report": {"recommendation": {"value": "APPROVE"}}}});
        let reports = &json_of(SandboxConfig::approve_all())["check_reports"];
        let reports = reports.as_object().unwrap();
        assert_eq!(reports.len(), CONFIGURABLE_CHECKS.len());
        for check in CONFIGURABLE_CHECKS {
            let single = matches!(
                check,
                CheckType::ThirdPartyIdentity
                    | CheckType::FaceComparison
                    | CheckType::ThirdPartyIdentityFraud1
                    | CheckType::WatchlistScreening
            );
            let expected = if single {
                approve.clone()
            } else {
                json!([approve])
            };
            assert_eq!(reports[check.as_str()], expected, "{check}");
        }
    }

    #[test]
    fn a_later_call_replaces_what_an_earlier_one_said_for_its_check_type() {
        let config = SandboxConfig::approve_all()
            .reject(CheckType::Liveness, "NOT_A_PERSON")
            .consider(CheckType::ThirdPartyIdentity, "MANUAL_REVIEW")
            .async_report_delay(5);
        let json = json_of(config);
        assert_eq!(
            json["check_reports"]["LIVENESS"],
            json!([{"result": {"report": {"recommendation": {"value": "REJECT", "reason": "NOT_A_PERSON"}}}}])
        );
        assert_eq!(
            json["check_reports"]["THIRD_PARTY_IDENTITY"],
            json!({"result": {"report": {"recommendation": {"value": "CONSIDER", "reason": "MANUAL_REVIEW"}}}})
        );
        assert_eq!(json["check_reports"]["async_report_delay"], 5);
        assert_eq!(
            json["check_reports"]["ID_DOCUMENT_AUTHENTICITY"][0]["result"]["report"]["recommendation"]
                ["value"],
            "APPROVE"
        );
    }

    #[test]
    fn document_fields_are_what_the_id_document_extraction_returns() {
        let fields: Map<String, Value> = serde_json::from_value(
            json!({"full_name": "Ada Lovelace", "date_of_birth": "1815-12-10"}),
        )
        .unwrap();
        let json = json_of(SandboxConfig::new().id_document_fields(fields));
        assert_eq!(
            json,
            json!({"task_results": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": [
                {"result": {"document_fields": {"full_name": "Ada Lovelace", "date_of_birth": "1815-12-10"}}}
            ]}})
        );
    }

    #[test]
    fn a_documents_fields_come_before_the_other_documents_whatever_the_order_of_the_calls() {
        let object = |value: Value| value.as_object().cloned().unwrap();
        let filter = |country: &str| types::SandboxDocumentFilter {
            country_codes: vec![country.into()],
            ..Default::default()
        };
        let config = SandboxConfig::new()
            .id_document_fields(object(json!({"full_name": "Ada Lovelace"})))
            .document_fields(filter("FRA"), object(json!({"full_name": "Old"})))
            .document_fields(filter("ITA"), object(json!({"full_name": "Enrico Fermi"})))
            .document_fields(filter("FRA"), object(json!({"full_name": "Marie Curie"})))
            .id_document_fields(object(json!({"full_name": "Grace Hopper"})));
        assert_eq!(
            json_of(config),
            json!({"task_results": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": [
                {"document_filter": {"country_codes": ["ITA"]},
                 "result": {"document_fields": {"full_name": "Enrico Fermi"}}},
                {"document_filter": {"country_codes": ["FRA"]},
                 "result": {"document_fields": {"full_name": "Marie Curie"}}},
                {"result": {"document_fields": {"full_name": "Grace Hopper"}}}
            ]}})
        );
    }

    #[test]
    fn a_check_type_the_sandbox_does_not_configure_is_an_error_on_conversion() {
        let config = SandboxConfig::approve_all()
            .approve(CheckType::IbvVisualReviewCheck)
            .approve(CheckType::from("SOMETHING_NEW"));
        let error = ResponseConfig::try_from(config).unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with(
                "the sandbox configures no reports for IBV_VISUAL_REVIEW_CHECK checks; \
                 it configures ID_DOCUMENT_AUTHENTICITY, "
            ),
            "{message}"
        );
        assert!(message.ends_with(", WATCHLIST_ADVANCED_CA"), "{message}");
    }
}
