//! The rules for paths and operations: unique operation ids and tags, parameters (never the
//! signing layer's), one media type and a named schema per body, one success type, and the
//! shared `ApiError` body for every error status.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::{API_ERROR_REF, Validator, list};
use crate::names;
use crate::spec::{escape, pointer};

/// Query parameters the signing layer adds to every request.
const SIGNING_PARAMS: [&str; 3] = ["sdkId", "nonce", "timestamp"];

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Request body media types progenitor can generate.
const BODY_TYPES: [&str; 5] = [
    "application/json",
    // Generated as bytes plus a `Content-Type` header parameter: see `crate::multipart`.
    "multipart/form-data",
    "application/x-www-form-urlencoded",
    "application/octet-stream",
    "text/plain",
];

impl<'a> Validator<'a> {
    pub(super) fn operations(&mut self) {
        let Some(paths) = self.doc.get("paths").and_then(Value::as_object) else {
            self.report("/paths", "missing: the document must have `paths`");
            return;
        };
        let mut operation_ids: BTreeMap<String, String> = BTreeMap::new();
        for (path, item) in paths {
            let at = pointer(["paths", path.as_str()]);
            if item.get("$ref").is_some() {
                self.report(
                    format!("{at}/$ref"),
                    "a path item $ref is not supported by progenitor; write the path item inline",
                );
                continue;
            }
            let Some(item) = item.as_object() else {
                self.report(at, "a path item must be a mapping");
                continue;
            };
            let shared: Vec<(String, &Value)> = list(item.get("parameters"))
                .enumerate()
                .map(|(i, p)| (format!("{at}/parameters/{i}"), p))
                .collect();
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let op_at = format!("{at}/{method}");
                self.operation(path, op, &op_at, &shared, &mut operation_ids);
            }
        }
    }

    fn operation(
        &mut self,
        path: &str,
        op: &'a Value,
        at: &str,
        shared: &[(String, &'a Value)],
        operation_ids: &mut BTreeMap<String, String>,
    ) {
        match op.get("operationId").and_then(Value::as_str) {
            None => self.report(
                format!("{at}/operationId"),
                "missing: every operation needs a stable operationId (it names the generated method)",
            ),
            Some(id) => {
                let method = names::snake_name(id);
                if let Some(first) = operation_ids.insert(method.clone(), format!("{at}/operationId"))
                {
                    self.report(
                        format!("{at}/operationId"),
                        format!("duplicate operationId `{id}` (method `{method}`): {first} has it too"),
                    );
                }
            }
        }
        if list(op.get("tags")).next().is_none() {
            self.report(format!("{at}/tags"), "missing: every operation needs a tag");
        }
        self.parameters(path, op, at, shared);
        self.request_body(op, at);
        self.responses(op, at);
    }

    fn parameters(&mut self, path: &str, op: &'a Value, at: &str, shared: &[(String, &'a Value)]) {
        let own = list(op.get("parameters"))
            .enumerate()
            .map(|(i, p)| (format!("{at}/parameters/{i}"), p));
        let mut path_params = BTreeSet::new();
        for (p_at, param) in shared.iter().cloned().chain(own) {
            let Some(param) = self.deref(param) else {
                continue; // reported by `reference`
            };
            let name = param.get("name").and_then(Value::as_str).unwrap_or("");
            let location = param.get("in").and_then(Value::as_str).unwrap_or("");
            if param.get("schema").is_none() {
                self.report(&p_at, format!("parameter `{name}` needs a `schema`"));
            }
            match location {
                "query" if SIGNING_PARAMS.contains(&name) => self.report(
                    &p_at,
                    format!(
                        "`{name}` is added by the signing layer; declaring it would invite callers to set it"
                    ),
                ),
                "path" => {
                    path_params.insert(name.to_string());
                    if param.get("required") != Some(&Value::Bool(true)) {
                        self.report(&p_at, format!("path parameter `{name}` must be `required: true`"));
                    }
                    if !path.contains(&format!("{{{name}}}")) {
                        self.report(&p_at, format!("path parameter `{name}` is not in the path `{path}`"));
                    }
                }
                "query" | "header" => {}
                other => self.report(
                    &p_at,
                    format!("parameters `in: {other}` are not supported; use query, header or path"),
                ),
            }
        }
        for segment in path.split('/') {
            if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}'))
                && !path_params.contains(name)
            {
                self.report(
                    at,
                    format!("the path has `{{{name}}}` but no path parameter declares it"),
                );
            }
        }
    }

    fn request_body(&mut self, op: &'a Value, at: &str) {
        let Some(body) = op.get("requestBody") else {
            return;
        };
        let Some(body) = self.deref(body) else { return };
        let at = format!("{at}/requestBody/content");
        let content = body.get("content").and_then(Value::as_object);
        let Some((media_type, media)) = content.and_then(|c| single(c, &at, self)) else {
            return;
        };
        let media_at = format!("{at}/{}", escape(media_type));
        if !BODY_TYPES.contains(&media_type.as_str()) {
            self.report(
                &media_at,
                format!(
                    "request bodies of `{media_type}` are not supported; use one of {BODY_TYPES:?}"
                ),
            );
        }
        self.media_schema(media, &media_at);
    }

    fn media_schema(&mut self, media: &Value, at: &str) -> Option<String> {
        if media
            .get("encoding")
            .and_then(Value::as_object)
            .is_some_and(|e| !e.is_empty())
        {
            self.report(
                format!("{at}/encoding"),
                "`encoding` is not supported by progenitor",
            );
        }
        let Some(schema) = media.get("schema") else {
            self.report(at, "a body needs a `schema`");
            return None;
        };
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) if r.starts_with("#/components/schemas/") => Some(r.to_string()),
            _ => {
                self.report(
                    format!("{at}/schema"),
                    "inline body schema: make it a named schema under /components/schemas and $ref it \
                     (progenitor would invent a type name from the operationId)",
                );
                None
            }
        }
    }

    fn responses(&mut self, op: &'a Value, at: &str) {
        let at = format!("{at}/responses");
        let Some(responses) = op.get("responses").and_then(Value::as_object) else {
            self.report(at, "missing: every operation needs `responses`");
            return;
        };
        if responses.contains_key("default") && responses.len() > 1 {
            self.report(
                format!("{at}/default"),
                "a `default` response beside explicit statuses makes progenitor treat it as both a \
                 success and an error; list each status instead",
            );
        }
        let mut success: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (status, response) in responses {
            let r_at = format!("{at}/{}", escape(status));
            let code = match status.parse::<u16>() {
                Ok(code @ 100..=599) => code,
                _ if status == "default" => continue,
                _ => {
                    self.report(&r_at, format!("`{status}` is not an HTTP status code"));
                    continue;
                }
            };
            let Some(response) = self.deref(response) else {
                continue;
            };
            let content = response.get("content").and_then(Value::as_object);
            let kind = match content.filter(|c| !c.is_empty()) {
                None => "no body".to_string(),
                Some(c) => {
                    let c_at = format!("{r_at}/content");
                    match single(c, &c_at, self) {
                        None => continue,
                        Some((media_type, media)) => {
                            let m_at = format!("{c_at}/{}", escape(media_type));
                            let schema = self.media_schema(media, &m_at);
                            if is_json(media_type) {
                                format!("JSON {}", schema.unwrap_or_default())
                            } else {
                                "raw bytes".to_string()
                            }
                        }
                    }
                }
            };
            if (200..300).contains(&code) {
                success.entry(kind).or_default().push(status.clone());
            } else if code >= 400 && kind != format!("JSON {API_ERROR_REF}") {
                self.report(
                    &r_at,
                    format!("error status {code} must have an `application/json` body of `{API_ERROR_REF}` (it has {kind})"),
                );
            }
        }
        // A bodiless 2xx beside raw bytes (media that may be withheld with a 204) generates
        // as the raw bytes: see `generate::bodiless_success_as_raw`.
        if success.len() == 2
            && success.contains_key("no body")
            && success.contains_key("raw bytes")
        {
            success.remove("no body");
        }
        if success.len() > 1 {
            let kinds: Vec<String> = success
                .iter()
                .map(|(kind, statuses)| format!("{} → {kind}", statuses.join(", ")))
                .collect();
            self.report(
                at,
                format!(
                    "the success responses have different types ({}); progenitor 0.15 panics on this. \
                     Give every 2xx the same body (a bodiless 204 may stand beside raw bytes)",
                    kinds.join("; ")
                ),
            );
        }
    }
}

/// The one media type of a `content` map, reporting when there are several.
fn single<'v>(
    content: &'v Map<String, Value>,
    at: &str,
    v: &mut Validator<'_>,
) -> Option<(&'v String, &'v Value)> {
    let mut entries = content.iter();
    let first = entries.next();
    if content.len() > 1 {
        let types: Vec<&String> = content.keys().collect();
        v.report(
            at,
            format!("one media type per body is supported, found {types:?}"),
        );
        return None;
    }
    if first.is_none() {
        v.report(at, "`content` is empty");
    }
    first
}

fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.starts_with("application/json;")
}
