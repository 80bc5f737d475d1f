//! Request bodies checked against the JSON schemas of `spec/idv.yaml`, read at start-up.
//!
//! OpenAPI 3.0 schemas are nearly JSON Schema. Three differences are bridged here: component
//! references (`#/components/schemas/X`) point into `$defs`, `nullable: true` becomes "or
//! null", and the boolean `exclusiveMinimum`/`exclusiveMaximum` become numbers. One thing is
//! added on purpose: every object with `properties` and no `additionalProperties` is closed
//! (`unevaluatedProperties: false`), so a misspelled field is caught. The spec leaves objects
//! open so that responses stay forward compatible; a request the emulator accepts must be one
//! the spec describes.
//!
//! Requests may also send `null` for any property: the real API reads it as absent, and the
//! official Python sandbox client sends `null` for every option it was not given. The server
//! drops them with [`without_nulls`] before it validates, so a `null` where a property is
//! required is reported as missing.

use std::collections::HashMap;

use jsonschema::error::ValidationErrorKind;
use jsonschema::paths::LocationSegment;
use jsonschema::{Draft, Validator};
use serde_json::{Map, Value};

/// One bad property of a request body: an `errors[]` entry of a `PAYLOAD_VALIDATION` error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FieldError {
    /// Where, e.g. `requested_checks[0].type`; empty for the body as a whole.
    pub property: String,
    /// What is wrong.
    pub message: String,
}

/// The request-body validators of every operation in the spec, by operationId.
pub(crate) struct Spec {
    validators: HashMap<String, Validator>,
}

impl Spec {
    /// Reads an OpenAPI 3.0 document (YAML or JSON) and compiles a validator for the JSON
    /// request body of each operation.
    #[cfg(test)]
    pub(crate) fn from_yaml(yaml: &str) -> Result<Spec, String> {
        let doc: Value = serde_yaml::from_str(yaml).map_err(|e| format!("not YAML: {e}"))?;
        Spec::from_doc(&doc)
    }

    /// As [`Spec::from_yaml`], for a document already parsed.
    pub(crate) fn from_doc(doc: &Value) -> Result<Spec, String> {
        let defs: Map<String, Value> = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .ok_or("no `components.schemas`")?
            .iter()
            .map(|(name, schema)| (name.clone(), convert(schema)))
            .collect();
        let paths = doc
            .get("paths")
            .and_then(Value::as_object)
            .ok_or("no `paths`")?;
        let mut validators = HashMap::new();
        for (path, item) in paths {
            for (method, operation) in item.as_object().into_iter().flatten() {
                let Some(schema) =
                    operation.pointer("/requestBody/content/application~1json/schema")
                else {
                    continue;
                };
                let id = operation
                    .get("operationId")
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        format!("{method} {path} has a request body but no operationId")
                    })?;
                let mut root = match convert(schema) {
                    Value::Object(root) => root,
                    _ => return Err(format!("{id}: the request body schema is not an object")),
                };
                root.insert("$defs".into(), Value::Object(defs.clone()));
                let validator = jsonschema::options()
                    .with_draft(Draft::Draft202012)
                    .should_validate_formats(true)
                    .build(&Value::Object(root))
                    .map_err(|e| format!("{id}: the request body schema does not compile: {e}"))?;
                validators.insert(id.to_owned(), validator);
            }
        }
        Ok(Spec { validators })
    }

    /// Checks `body` against the request schema of `operation_id`: one [`FieldError`] per bad
    /// property, in the order they were found. An operation without a schema accepts anything.
    pub(crate) fn validate(&self, operation_id: &str, body: &Value) -> Result<(), Vec<FieldError>> {
        let Some(validator) = self.validators.get(operation_id) else {
            return Ok(());
        };
        let mut found: Vec<FieldError> = Vec::new();
        for error in validator.iter_errors(body) {
            let at = property_path(error.instance_path().iter());
            match error.kind() {
                ValidationErrorKind::UnevaluatedProperties { unexpected }
                | ValidationErrorKind::AdditionalProperties { unexpected } => {
                    for name in unexpected {
                        add(
                            &mut found,
                            join(&at, name),
                            "is not a property the API knows",
                        );
                    }
                }
                ValidationErrorKind::Required { property } => {
                    let name = property.as_str().unwrap_or_default();
                    add(&mut found, join(&at, name), "is required");
                }
                ValidationErrorKind::Not { schema } => {
                    // `not: {required: [a, b]}`: a and b may not be used together. Blame the
                    // last one, and say why in the spec's own words when it has them.
                    let last = schema
                        .get("required")
                        .and_then(Value::as_array)
                        .and_then(|names| names.last())
                        .and_then(Value::as_str);
                    let property = last.map_or_else(|| at.clone(), |name| join(&at, name));
                    let message = schema
                        .get("description")
                        .and_then(Value::as_str)
                        .map_or_else(|| format!("is not allowed here: {error}"), str::to_owned);
                    add(&mut found, property, &message);
                }
                ValidationErrorKind::Enum { options } => {
                    add(&mut found, at, &enum_message(error.instance(), options));
                }
                _ => add(&mut found, at, &error.to_string()),
            }
        }
        if found.is_empty() { Ok(()) } else { Err(found) }
    }
}

/// `"X" is not one of "A", "B" or "C"`, naming every accepted value (the validator's own
/// message names two and counts the rest).
pub(crate) fn enum_message(instance: &Value, options: &Value) -> String {
    let options: Vec<String> = options
        .as_array()
        .map(|values| values.iter().map(Value::to_string).collect())
        .unwrap_or_default();
    let listed = match options.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => "nothing".to_owned(),
    };
    format!("{instance} is not one of {listed}")
}

/// Adds a message for `property`, merging it into that property's entry if it has one.
fn add(found: &mut Vec<FieldError>, property: String, message: &str) {
    match found.iter_mut().find(|e| e.property == property) {
        Some(entry) if !entry.message.contains(message) => {
            entry.message.push_str("; ");
            entry.message.push_str(message);
        }
        Some(_) => {}
        None => found.push(FieldError {
            property,
            message: message.to_owned(),
        }),
    }
}

/// `requested_checks[0].type` from the segments of an instance location.
fn property_path<'a>(segments: impl Iterator<Item = LocationSegment<'a>>) -> String {
    let mut path = String::new();
    for segment in segments {
        match segment {
            LocationSegment::Index(i) => path.push_str(&format!("[{i}]")),
            LocationSegment::Property(name) => path = join(&path, &name),
        }
    }
    path
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// How `nullable: true` is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Nulls {
    /// For requests: `null` is allowed wherever a schema says `nullable: true`, with a `type` or
    /// without (beside an `allOf`, say).
    Lenient,
    /// For responses, as OpenAPI 3.0.3 defines it: `nullable: true` adds `null` to the type
    /// that `type` names, and does nothing without a `type`; every other keyword (an `enum`,
    /// an `allOf`) still applies to the `null`.
    Strict,
}

/// The OpenAPI extension that lists an object's emulator-only properties: not Yoti's, so not
/// generated, but accepted (and sent back) by the emulator.
const EMULATOR_PROPERTIES: &str = "x-emulator-properties";

/// A request schema: see [`convert_with`].
fn convert(schema: &Value) -> Value {
    convert_with(schema, Nulls::Lenient)
}

/// `value` without the object members that are `null`, at every depth: what the API reads
/// from a request that sends `null` for an absent option. Array items are kept, so a `null`
/// in a list is still refused.
pub(crate) fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// An OpenAPI 3.0 schema as JSON Schema 2020-12, closed to unknown properties (see the module
/// docs). It walks only the keywords that hold schemas, so a property that happens to be named
/// `nullable` or `$ref` is left alone.
pub(crate) fn convert_with(schema: &Value, nulls: Nulls) -> Value {
    let convert = |schema: &Value| convert_with(schema, nulls);
    let Value::Object(object) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in object {
        let value = match (key.as_str(), value) {
            ("$ref", Value::String(reference)) => {
                Value::String(reference.replacen("#/components/schemas/", "#/$defs/", 1))
            }
            ("properties", Value::Object(properties)) => Value::Object(
                properties
                    .iter()
                    .map(|(name, schema)| (name.clone(), convert(schema)))
                    .collect(),
            ),
            ("items" | "additionalProperties" | "not", _) => convert(value),
            ("allOf" | "anyOf" | "oneOf", Value::Array(schemas)) => {
                Value::Array(schemas.iter().map(&convert).collect())
            }
            ("nullable", _) => continue,
            // Merged into `properties` below.
            (EMULATOR_PROPERTIES, _) => continue,
            ("exclusiveMinimum" | "exclusiveMaximum", Value::Bool(exclusive)) => {
                let bound = if key == "exclusiveMinimum" {
                    "minimum"
                } else {
                    "maximum"
                };
                match object.get(bound) {
                    Some(limit) if *exclusive => limit.clone(),
                    _ => continue,
                }
            }
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    // An exclusive bound replaces the inclusive one.
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if out.get(exclusive).is_some_and(Value::is_number)
            && object.get(exclusive).is_some_and(Value::is_boolean)
        {
            out.remove(bound);
        }
    }
    // Emulator-only properties (see `ResponseConfig` in the spec): the emulator accepts and
    // sends them; the generator ignores the extension, so the client has no field for them.
    if let Some(Value::Object(extra)) = object.get(EMULATOR_PROPERTIES) {
        let properties = out
            .entry("properties")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(properties) = properties {
            properties.extend(
                extra
                    .iter()
                    .map(|(name, schema)| (name.clone(), convert(schema))),
            );
        }
    }
    if out.contains_key("properties") && !out.contains_key("additionalProperties") {
        out.insert("unevaluatedProperties".into(), Value::Bool(false));
    }
    if object.get("nullable") == Some(&Value::Bool(true)) {
        match nulls {
            Nulls::Lenient => return serde_json::json!({"anyOf": [out, {"type": "null"}]}),
            Nulls::Strict => {
                if let Some(Value::String(kind)) = out.get("type") {
                    let kinds = serde_json::json!([kind, "null"]);
                    out.insert("type".into(), kinds);
                }
            }
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Spec {
        Spec::from_yaml(crate::EMBEDDED_SPEC).expect("the embedded spec compiles")
    }

    fn errors(operation: &str, body: Value) -> Vec<(String, String)> {
        spec()
            .validate(operation, &body)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.property, e.message))
            .collect()
    }

    #[test]
    fn a_valid_payload_passes() {
        let body = json!({
            "client_session_token_ttl": 600,
            "resources_ttl": 90000,
            "user_tracking_id": "u-1",
            "requested_checks": [{"type": "ID_DOCUMENT_AUTHENTICITY", "config": {"manual_check": "NEVER"}}],
            "requested_tasks": [{"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION", "config": {"manual_check": "ALWAYS"}}],
            "sdk_config": {"primary_colour": "#2d9fff", "locale": "en-GB",
                           "attempts_configuration": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": {"GENERIC": 3}}},
            "notifications": {"endpoint": "https://example.com/hook", "topics": ["SESSION_COMPLETION"]}
        });
        assert_eq!(errors("createSession", body), vec![]);
    }

    #[test]
    fn each_bad_property_gets_one_entry() {
        let found = errors(
            "createSession",
            json!({
                "user_trackng_id": "typo",
                "client_session_token_ttl": "600",
                "resources_ttl": 100,
                "requested_checks": [{"type": "ID_DOCUMENT_AUTHENTICITY", "config": {"manual_check": "SOMETIMES"}}, {}],
                "sdk_config": {"locale": "   ", "primary_colour": "blue"},
                "notifications": {"endpoint": "http://insecure"}
            }),
        );
        let properties: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        for expected in [
            "user_trackng_id",
            "client_session_token_ttl",
            "resources_ttl",
            "requested_checks[0].config.manual_check",
            "requested_checks[1].type",
            "sdk_config.locale",
            "sdk_config.primary_colour",
            "notifications.endpoint",
        ] {
            assert_eq!(
                properties.iter().filter(|p| **p == expected).count(),
                1,
                "{expected} in {found:#?}"
            );
        }
        assert_eq!(found.len(), 8, "{found:#?}");
        let message = |p: &str| &found.iter().find(|(q, _)| q == p).unwrap().1;
        assert_eq!(
            message("user_trackng_id"),
            "is not a property the API knows"
        );
        assert_eq!(message("requested_checks[1].type"), "is required");
        assert!(message("resources_ttl").contains("86700"), "{found:?}");
    }

    #[test]
    fn ttl_and_deadline_together_are_refused() {
        let found = errors(
            "createSession",
            json!({"client_session_token_ttl": 600, "session_deadline": "2030-01-01T00:00:00Z"}),
        );
        assert_eq!(
            found,
            vec![(
                "session_deadline".to_owned(),
                "client_session_token_ttl and session_deadline may not be used together."
                    .to_owned()
            )]
        );
        assert_eq!(
            errors(
                "createSession",
                json!({"session_deadline": "2030-01-01T00:00:00Z"})
            ),
            vec![]
        );
        let found = errors("createSession", json!({"session_deadline": "next tuesday"}));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "session_deadline");
    }

    #[test]
    fn response_config_is_closed_too() {
        assert_eq!(
            errors(
                "putSessionResponseConfig",
                json!({"check_reports": {"LIVENESS": [{"liveness_type": "ZOOM", "result": {"report": {"recommendation": {"value": "APPROVE"}}}}], "async_report_delay": 5}})
            ),
            vec![]
        );
        let found = errors("putApplicationResponseConfig", json!({"check_report": {}}));
        assert_eq!(
            found,
            vec![(
                "check_report".to_owned(),
                "is not a property the API knows".to_owned()
            )]
        );
    }

    #[test]
    fn openapi_quirks_are_converted() {
        let converted = convert(&json!({
            "type": "object",
            "properties": {
                "media": {"allOf": [{"$ref": "#/components/schemas/Media"}], "nullable": true},
                "nullable": {"type": "integer", "minimum": 1, "exclusiveMinimum": true}
            }
        }));
        assert_eq!(
            converted,
            json!({
                "type": "object",
                "properties": {
                    "media": {"anyOf": [{"allOf": [{"$ref": "#/$defs/Media"}]}, {"type": "null"}]},
                    "nullable": {"type": "integer", "exclusiveMinimum": 1}
                },
                "unevaluatedProperties": false
            })
        );
    }

    #[test]
    fn responses_read_nullable_as_openapi_3_0_3_does() {
        let strict = |schema: Value| convert_with(&schema, Nulls::Strict);
        assert_eq!(
            strict(json!({"type": "string", "nullable": true})),
            json!({"type": ["string", "null"]})
        );
        // Without a `type`, `nullable` allows nothing more.
        assert_eq!(
            strict(json!({"allOf": [{"$ref": "#/components/schemas/Media"}], "nullable": true})),
            json!({"allOf": [{"$ref": "#/$defs/Media"}]})
        );
        // Other keywords still apply to `null`: only `enum: [null]` lets it through an enum.
        assert_eq!(
            strict(json!({"type": "object", "nullable": true, "enum": [null]})),
            json!({"type": ["object", "null"], "enum": [null]})
        );
    }

    #[test]
    fn a_bad_spec_is_an_error_not_a_panic() {
        let body = |schema: &str| {
            format!(
                "components: {{schemas: {{}}}}\npaths: {{/x: {{post: {{operationId: x, \
                 requestBody: {{content: {{application/json: {{schema: {schema}}}}}}}}}}}}}"
            )
        };
        assert!(Spec::from_yaml(&body("{type: object}")).is_ok());
        for bad in [
            String::new(),
            "[1, 2]".into(),
            "paths: {}".into(),
            ":\n  - [".into(),
            body("{type: 7}"),
            body("{$ref: '#/components/schemas/Missing'}"),
            body("{type: string, pattern: '(unclosed'}"),
        ] {
            assert!(Spec::from_yaml(&bad).is_err(), "{bad:?}");
        }
    }
}
