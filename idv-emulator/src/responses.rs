//! The emulator's check of its own responses against the spec, so that what it sends and what
//! the spec says cannot drift apart unnoticed: a misnamed field would otherwise pass every test,
//! since clients keep unknown fields in `extra`.
//!
//! Every response to an operation of the spec must have a status the operation declares, and
//! the body that status declares: none, JSON that its schema accepts, or any bytes for `*/*`.
//! Responses outside the spec's operations (an unknown path, a wrong method) must be an
//! `ApiError`. The schemas are read strictly: objects are closed, so every field sent must be in
//! the spec, and `nullable` is read as OpenAPI 3.0.3 defines it ([`Nulls::Strict`]).
//!
//! A failure names the JSON path: `GET /sessions/{sessionId} 200: /checks/0/stat: is not a
//! property the spec describes`. The server answers 500 instead, logs the failure to stderr,
//! and the [`Emulator`](crate::Emulator) fails the test when it is dropped. Session bodies a
//! test inserted and media a test added are not checked: they are there to be unusual.

use std::collections::HashMap;
use std::sync::Arc;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, Validator};
use serde_json::{Map, Value};

use crate::schema::{Nulls, convert_with};

/// What the spec allows an operation's response with one status to carry.
enum Body {
    /// No body at all.
    Empty,
    /// JSON that this validator accepts.
    Json(Arc<Validator>),
    /// Any bytes (`*/*` and other non-JSON media types).
    Bytes,
}

struct Operation {
    method: String,
    /// The path template's segments; `None` for a `{parameter}`.
    segments: Vec<Option<String>>,
    /// `GET /sessions/{sessionId}`, for messages.
    name: String,
    statuses: HashMap<u16, Body>,
}

/// The response schemas of every operation in the spec.
pub(crate) struct Responses {
    operations: Vec<Operation>,
    api_error: Arc<Validator>,
}

impl Responses {
    /// Compiles a validator for every JSON response body in the OpenAPI document `doc`.
    pub(crate) fn from_doc(doc: &Value) -> Result<Responses, String> {
        let defs: Map<String, Value> = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .ok_or("no `components.schemas`")?
            .iter()
            .map(|(name, schema)| (name.clone(), convert_with(schema, Nulls::Strict)))
            .collect();
        // One validator per distinct schema: most error responses share `ApiError`.
        let mut compiled: HashMap<String, Arc<Validator>> = HashMap::new();
        let mut validator = |schema: &Value| -> Result<Arc<Validator>, String> {
            let key = schema.to_string();
            if let Some(validator) = compiled.get(&key) {
                return Ok(validator.clone());
            }
            let Value::Object(mut root) = convert_with(schema, Nulls::Strict) else {
                return Err(format!("the response schema {key} is not an object"));
            };
            root.insert("$defs".into(), Value::Object(defs.clone()));
            let validator = jsonschema::options()
                .with_draft(Draft::Draft202012)
                .should_validate_formats(true)
                .build(&Value::Object(root))
                .map_err(|e| format!("the response schema {key} does not compile: {e}"))?;
            let validator = Arc::new(validator);
            compiled.insert(key, validator.clone());
            Ok(validator)
        };
        let api_error = validator(&serde_json::json!({"$ref": "#/components/schemas/ApiError"}))?;
        let mut operations = Vec::new();
        let paths = doc
            .get("paths")
            .and_then(Value::as_object)
            .ok_or("no `paths`")?;
        for (path, item) in paths {
            for (method, operation) in item.as_object().into_iter().flatten() {
                let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
                    continue;
                };
                let mut statuses = HashMap::new();
                for (status, response) in responses {
                    let Ok(status) = status.parse::<u16>() else {
                        continue;
                    };
                    let response = resolve(doc, response);
                    let content = response.get("content").and_then(Value::as_object);
                    let body = match content.filter(|c| !c.is_empty()) {
                        None => Body::Empty,
                        Some(content) => match content.get("application/json") {
                            Some(media) => {
                                let schema =
                                    media.get("schema").cloned().unwrap_or(Value::Bool(true));
                                Body::Json(validator(&schema)?)
                            }
                            None => Body::Bytes,
                        },
                    };
                    statuses.insert(status, body);
                }
                let segments = path
                    .split('/')
                    .skip(1)
                    .map(|s| (!(s.starts_with('{') && s.ends_with('}'))).then(|| s.to_owned()))
                    .collect();
                let method = method.to_uppercase();
                let name = format!("{method} {path}");
                operations.push(Operation {
                    method,
                    segments,
                    name,
                    statuses,
                });
            }
        }
        Ok(Responses {
            operations,
            api_error,
        })
    }

    /// Checks one response: `path` is relative to the base URL (`None` when the request was
    /// under neither base URL), `content_type` is the
    /// response's, `body` its bytes (for a body that is not JSON, only whether it is empty
    /// matters). The error names the operation, the status and the JSON path.
    pub(crate) fn check(
        &self,
        method: &str,
        path: Option<&str>,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<(), String> {
        let json = content_type.is_some_and(is_json);
        let segments: Vec<&str> = path
            .map(|p| p.split('/').skip(1).collect())
            .unwrap_or_default();
        let operation = self.operations.iter().filter(|_| path.is_some()).find(|o| {
            o.method == method
                && o.segments.len() == segments.len()
                && o.segments.iter().zip(&segments).all(|(template, actual)| {
                    template.as_deref().is_none_or(|literal| literal == *actual)
                })
        });
        let Some(operation) = operation else {
            // Not an operation of the spec: an error with an `ApiError` body.
            let outside = format!(
                "{method} {} (no operation of the spec) {status}",
                path.unwrap_or("?")
            );
            return check_json(&self.api_error, body, json).map_err(|e| format!("{outside}: {e}"));
        };
        let at = format!("{} {status}", operation.name);
        match operation.statuses.get(&status) {
            None => Err(format!(
                "{at}: the spec declares no response {status} for this operation"
            )),
            Some(Body::Empty) if !body.is_empty() => Err(format!(
                "{at}: the spec declares no body, and {} bytes were sent",
                body.len()
            )),
            Some(Body::Empty | Body::Bytes) => Ok(()),
            Some(Body::Json(validator)) => {
                check_json(validator, body, json).map_err(|e| format!("{at}: {e}"))
            }
        }
    }
}

/// Whether a response of this content type is checked as JSON.
pub(crate) fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
}

fn check_json(validator: &Validator, body: &[u8], json: bool) -> Result<(), String> {
    if !json {
        return Err("the body is not declared `application/json`".to_owned());
    }
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))?;
    let problems: Vec<String> = validator
        .iter_errors(&value)
        .flat_map(|error| {
            let at = error.instance_path().to_string();
            match error.kind() {
                ValidationErrorKind::UnevaluatedProperties { unexpected }
                | ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
                    .iter()
                    .map(|name| format!("{at}/{name}: is not a property the spec describes"))
                    .collect(),
                _ => vec![format!(
                    "{}: {error}",
                    if at.is_empty() { "/" } else { &at }
                )],
            }
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// A response object, or the one its `$ref` points at.
fn resolve<'d>(doc: &'d Value, node: &'d Value) -> &'d Value {
    node.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|pointer| doc.pointer(pointer))
        .unwrap_or(node)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn responses() -> Responses {
        let doc: Value = serde_yaml::from_str(crate::EMBEDDED_SPEC).unwrap();
        Responses::from_doc(&doc).unwrap()
    }

    fn check(method: &str, path: &str, status: u16, body: &Value) -> Result<(), String> {
        let bytes = body.to_string();
        responses().check(
            method,
            Some(path),
            status,
            Some("application/json"),
            bytes.as_bytes(),
        )
    }

    /// The demo session has a ZOOM liveness capture whose frames 4 to 7 have `"media": null`:
    /// a strict OpenAPI 3.0 reading accepts that only since `MediaContainer.media` is `anyOf`
    /// a `Media` or `null` (`nullable` beside `allOf` allowed no `null`).
    #[tokio::test]
    async fn the_demo_session_matches_the_spec_strictly() {
        let emulator = crate::Emulator::builder()
            .check_responses(false)
            .start()
            .await
            .unwrap();
        let id = emulator.demo_session();
        let now = emulator.app.now();
        let mut store = emulator.app.store();
        let (session, config) = store.session(&id, now).unwrap();
        let body: Value = serde_json::from_slice(&session.body(&id, config, now)).unwrap();
        assert!(body.to_string().contains(r#""media":null"#), "{body}");
        assert_eq!(check("GET", &format!("/sessions/{id}"), 200, &body), Ok(()));
    }

    /// The spec's links, which stateful testing follows past create, get and delete, point at
    /// real fields: in the demo session, each of getSession's links names a media item the
    /// session serves, and createSession's name the new session.
    #[tokio::test]
    async fn the_links_resolve_in_a_real_session() {
        let doc: Value = serde_yaml::from_str(crate::EMBEDDED_SPEC).unwrap();
        let links = |pointer: &str| {
            doc.pointer(pointer)
                .and_then(Value::as_object)
                .unwrap()
                .clone()
        };
        let emulator = crate::Emulator::start().await.unwrap();
        let id = emulator.demo_session();
        let now = emulator.app.now();
        let mut store = emulator.app.store();
        let (session, config) = store.session(&id, now).unwrap();
        let body: Value = serde_json::from_slice(&session.body(&id, config, now)).unwrap();

        let mut operations = std::collections::BTreeSet::new();
        for (name, link) in links("/paths/~1sessions~1{sessionId}/get/responses/200/links") {
            let expression = link["parameters"]["mediaId"].as_str().unwrap();
            let pointer = expression.strip_prefix("$response.body#").unwrap();
            let media = body.pointer(pointer).and_then(Value::as_str);
            let media = media.unwrap_or_else(|| panic!("{name}: nothing at {pointer} in {body}"));
            let content = session.media_content(media, config);
            assert!(
                !matches!(content, crate::sessions::Content::Missing),
                "{name}: {media}"
            );
            assert_eq!(link["parameters"]["sessionId"], "$request.path.sessionId");
            operations.insert(link["operationId"].as_str().unwrap().to_owned());
        }
        assert_eq!(
            operations,
            ["deleteMediaContent", "getMediaContent"]
                .map(String::from)
                .into()
        );

        let created = session.created_body(&id);
        let mut operations = std::collections::BTreeSet::new();
        for (_, link) in links("/paths/~1sessions/post/responses/201/links") {
            assert_eq!(
                link["parameters"]["sessionId"],
                "$response.body#/session_id"
            );
            assert_eq!(created["session_id"], json!(id));
            operations.insert(link["operationId"].as_str().unwrap().to_owned());
        }
        let expected = [
            "deleteSession",
            "deleteSessionTrackedDevices",
            "getSession",
            "getSessionConfiguration",
            "getSessionResponseConfig",
            "getSessionTrackedDevices",
            "putSessionResponseConfig",
        ];
        assert_eq!(operations, expected.map(String::from).into());
    }

    #[test]
    fn a_misnamed_or_mistyped_field_is_named_by_its_path() {
        let body = json!({"session_id": "s", "state": "COMPLETED", "checks": [{"id": "c", "stat": "DONE"}],
                          "client_session_token_ttl": "600"});
        let error = check("GET", "/sessions/s", 200, &body).unwrap_err();
        assert!(
            error.starts_with("GET /sessions/{sessionId} 200: "),
            "{error}"
        );
        assert!(
            error.contains("/checks/0/stat: is not a property the spec describes"),
            "{error}"
        );
        assert!(
            error.contains(r#"/client_session_token_ttl: "600" is not of type "integer""#),
            "{error}"
        );
        // `null` only where the spec says so.
        let body = json!({"resources": {"id_documents": [{"pages": [{"media": null}]}]}});
        let error = check("GET", "/sessions/s", 200, &body).unwrap_err();
        assert!(
            error.contains("/resources/id_documents/0/pages/0/media: null is not of type"),
            "{error}"
        );
    }

    #[test]
    fn statuses_and_bodies_are_those_the_spec_declares() {
        let r = responses();
        let media = Some("/sessions/s/media/m/content");
        assert_eq!(r.check("GET", media, 204, None, b""), Ok(()));
        assert!(
            r.check("GET", media, 204, Some("image/png"), b"x")
                .unwrap_err()
                .contains("no body")
        );
        assert_eq!(
            r.check("GET", media, 200, Some("image/png"), b"\x89PNG"),
            Ok(())
        );
        assert!(
            r.check("GET", media, 418, None, b"")
                .unwrap_err()
                .contains("no response 418")
        );
        let error = br#"{"code": "X", "message": "m"}"#;
        assert_eq!(
            r.check(
                "DELETE",
                Some("/sessions/s"),
                409,
                Some("application/json"),
                error
            ),
            Ok(())
        );
        assert!(
            r.check(
                "DELETE",
                Some("/sessions/s"),
                409,
                Some("text/plain"),
                error
            )
            .is_err()
        );
        // Outside the spec's operations: an ApiError.
        assert_eq!(
            r.check(
                "PATCH",
                Some("/sessions"),
                405,
                Some("application/json"),
                error
            ),
            Ok(())
        );
        let odd = br#"{"code": 5}"#;
        assert!(
            r.check("GET", None, 404, Some("application/json"), odd)
                .is_err()
        );
    }
}
