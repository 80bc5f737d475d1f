//! The rules `spec/idv.yaml` must follow before it is generated.
//!
//! progenitor 0.15 `panic!`s, `todo!`s or silently mis-names types on several valid OpenAPI
//! patterns. Each rule here turns one of those, or one of the project's own conventions, into a
//! violation that names the offending node by JSON pointer. Validation reads the document as
//! plain JSON, so no shape of document can make it panic.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{Map, Value};

use crate::spec::{escape, pointer};
use crate::{enums, names, sensitive};

mod cycles;

pub use cycles::composition_cycles;

/// One broken rule, at one place in the spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Violation {
    /// JSON pointer to the offending node, e.g. `/paths/~1sessions/post/responses/200`.
    pub pointer: String,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// The schema every error response uses.
pub const API_ERROR_REF: &str = "#/components/schemas/ApiError";

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

/// Check every rule; the violations come back sorted by pointer.
pub fn validate(doc: &Value) -> Vec<Violation> {
    let mut v = Validator {
        doc,
        out: Vec::new(),
    };
    v.version();
    each_mapping(doc, "", &mut |map, at| {
        v.reference(map, at);
        v.enumeration(map, at);
        v.open_object(map, at);
        v.field_names(map, at);
        v.sensitive(map, at);
    });
    v.schema_names();
    v.out.extend(composition_cycles(doc));
    v.operations();
    v.out.sort();
    v.out.dedup();
    v.out
}

struct Validator<'a> {
    doc: &'a Value,
    out: Vec<Violation>,
}

impl<'a> Validator<'a> {
    fn report(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.out.push(Violation {
            pointer: pointer.into(),
            message: message.into(),
        });
    }

    fn version(&mut self) {
        match self.doc.get("openapi").and_then(Value::as_str) {
            Some(v) if v.trim().starts_with("3.0.") => {}
            Some(v) => self.report(
                "/openapi",
                format!("OpenAPI {v} is not supported: progenitor 0.15 reads 3.0.x only"),
            ),
            None => self.report(
                "/openapi",
                "missing: the document must say `openapi: 3.0.3`",
            ),
        }
    }

    /// Follow a local `$ref`, if it resolves.
    fn resolve(&self, reference: &str) -> Option<&'a Value> {
        reference
            .strip_prefix('#')
            .and_then(|p| self.doc.pointer(p))
    }

    /// The node itself, or the node its `$ref` points at (one level, as OpenAPI allows for
    /// parameters, request bodies and responses).
    fn deref(&self, node: &'a Value) -> Option<&'a Value> {
        match node.get("$ref") {
            Some(Value::String(r)) => self.resolve(r),
            Some(_) => None,
            None => Some(node),
        }
    }

    /// A `$ref` is local and resolves.
    fn reference(&mut self, map: &Map<String, Value>, at: &str) {
        let Some(r) = map.get("$ref") else { return };
        let here = format!("{at}/$ref");
        match r.as_str() {
            Some(r) if !r.starts_with("#/") => self.report(
                here,
                format!("`{r}` is not a local reference; only `#/...` references are supported"),
            ),
            Some(r) if self.resolve(r).is_none() => self.report(
                here,
                format!("dangling $ref: `{r}` does not resolve to anything in the document"),
            ),
            Some(_) => {}
            None => self.report(here, "$ref must be a string"),
        }
    }

    /// An enum is a named component schema of strings, whose values make distinct variants.
    fn enumeration(&mut self, map: &Map<String, Value>, at: &str) {
        let Some(values) = map.get("enum") else {
            return;
        };
        // `nullable: true` with `enum: [null]` is not an enum: it is how OpenAPI 3.0 writes
        // the value `null` (`anyOf: [X, that]` generates `Option<X>`).
        if values
            .as_array()
            .is_some_and(|v| v.iter().all(Value::is_null))
            && map.get("nullable") == Some(&Value::Bool(true))
        {
            return;
        }
        let named = at
            .strip_prefix("/components/schemas/")
            .is_some_and(|rest| !rest.contains('/'));
        if named {
            self.enum_values(map, values, at);
        } else {
            self.report(
                format!("{at}/enum"),
                "inline enum: make it a named schema under /components/schemas and $ref it, \
                 so that it generates one forward-compatible Rust enum",
            );
        }
    }

    fn enum_values(&mut self, schema: &Map<String, Value>, values: &Value, at: &str) {
        if schema.get("type").and_then(Value::as_str) != Some("string") {
            self.report(
                format!("{at}/type"),
                "an enum schema must be `type: string`",
            );
        }
        let Some(values) = values.as_array() else {
            self.report(format!("{at}/enum"), "`enum` must be a list");
            return;
        };
        if values.is_empty() {
            self.report(format!("{at}/enum"), "`enum` must list at least one value");
        }
        let mut variants: BTreeMap<String, String> = BTreeMap::new();
        for (i, value) in values.iter().enumerate() {
            let here = format!("{at}/enum/{i}");
            let Some(value) = value.as_str() else {
                self.report(here, "enum values must be strings");
                continue;
            };
            match enums::variant_name(value) {
                Err(why) => self.report(here, why),
                Ok(variant) => {
                    if let Some(first) = variants.insert(variant.clone(), value.to_string()) {
                        self.report(
                            here,
                            format!(
                                "`{value}` and `{first}` both become the Rust variant `{variant}`"
                            ),
                        );
                    }
                }
            }
        }
    }

    /// No object schema forbids unknown properties: the generated type would reject responses
    /// that carry fields the spec does not know yet.
    fn open_object(&mut self, map: &Map<String, Value>, at: &str) {
        if map.get("additionalProperties") == Some(&Value::Bool(false)) {
            self.report(
                format!("{at}/additionalProperties"),
                "`additionalProperties: false` would make the generated type reject fields \
                 the spec does not know; remove it (the emulator validates requests strictly anyway)",
            );
        }
    }

    /// Property names become Rust field names; two properties of one object must not become
    /// the same field (typify would emit a struct that does not compile).
    fn field_names(&mut self, map: &Map<String, Value>, at: &str) {
        let Some(properties) = map.get("properties").and_then(Value::as_object) else {
            return;
        };
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for name in properties.keys() {
            let field = names::snake_name(name);
            if let Some(first) = seen.insert(field.clone(), name) {
                self.report(
                    format!("{at}/properties/{}", escape(name)),
                    format!(
                        "properties `{first}` and `{name}` both become the Rust field `{field}`"
                    ),
                );
            }
        }
    }

    /// Personal data and secrets are marked: see [`sensitive::violations`].
    fn sensitive(&mut self, map: &Map<String, Value>, at: &str) {
        self.out.extend(sensitive::violations(map, at));
    }

    /// Schema names become Rust type names; two names must not become the same type.
    fn schema_names(&mut self) {
        let Some(schemas) = self
            .doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        else {
            return;
        };
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for name in schemas.keys() {
            let rust = names::type_name(name);
            let at = pointer(["components", "schemas", name.as_str()]);
            if rust.is_empty() {
                self.report(at, format!("`{name}` does not make a Rust type name"));
            } else if let Some(first) = seen.insert(rust.clone(), name) {
                self.report(
                    at,
                    format!("`{name}` and `{first}` both become the Rust type `{rust}`"),
                );
            }
        }
    }

    fn operations(&mut self) {
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

/// Calls `visit` for every mapping in the document, with its JSON pointer. What is under
/// `enum`, `example` and `default` is data, not part of the spec's structure, and is skipped.
fn each_mapping<'v>(
    node: &'v Value,
    at: &str,
    visit: &mut dyn FnMut(&'v Map<String, Value>, &str),
) {
    match node {
        Value::Object(map) => {
            visit(map, at);
            for (key, child) in map {
                if !matches!(key.as_str(), "enum" | "example" | "default") {
                    each_mapping(child, &format!("{at}/{}", escape(key)), visit);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                each_mapping(child, &format!("{at}/{i}"), visit);
            }
        }
        _ => {}
    }
}

fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.starts_with("application/json;")
}

pub(crate) fn list(node: Option<&Value>) -> impl Iterator<Item = &Value> {
    node.and_then(Value::as_array).into_iter().flatten()
}
