//! The rules `spec/idv.yaml` must follow before it is generated.
//!
//! progenitor 0.15 `panic!`s, `todo!`s or silently mis-names types on several valid OpenAPI
//! patterns. Each rule here turns one of those, or one of the project's own conventions, into a
//! violation that names the offending node by JSON pointer. Validation reads the document as
//! plain JSON, so no shape of document can make it panic.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

use crate::spec::{escape, pointer};
use crate::{enums, names, sensitive};

mod cycles;
mod operations;

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

pub(crate) fn list(node: Option<&Value>) -> impl Iterator<Item = &Value> {
    node.and_then(Value::as_array).into_iter().flatten()
}
