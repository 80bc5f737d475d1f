//! The one rule that generation checks even when it skips the others: no schema may contain
//! itself through composition alone.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{Violation, list};
use crate::spec::pointer;

/// Component schemas that contain themselves through `allOf`, `oneOf`, `anyOf`, `not` and
/// `$ref`s alone, with no property, list or map in between: typify recurses on them until the
/// stack overflows, which no `catch_unwind` can stop. Generation checks this even when it skips
/// the other rules (for `cargo xtask diff`).
pub fn composition_cycles(doc: &Value) -> Vec<Violation> {
    fn composed(node: &Value, out: &mut Vec<String>) {
        if let Some(name) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
        {
            out.push(name.replace("~1", "/").replace("~0", "~"));
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            list(node.get(key)).for_each(|member| composed(member, out));
        }
        if let Some(not) = node.get("not") {
            composed(not, out);
        }
    }
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    let edges: BTreeMap<&str, Vec<String>> = schemas
        .iter()
        .map(|(name, schema)| {
            let mut out = Vec::new();
            composed(schema, &mut out);
            (name.as_str(), out)
        })
        .collect();
    let mut violations = Vec::new();
    for start in edges.keys() {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&str> = edges[start].iter().map(String::as_str).collect();
        while let Some(name) = todo.pop() {
            if name == *start {
                violations.push(Violation {
                    pointer: pointer(["components", "schemas", start]),
                    message: format!(
                        "`{start}` contains itself through allOf/oneOf/anyOf/$ref with no property \
                         in between; the generator cannot name such a type (typify recurses on it \
                         without end)"
                    ),
                });
                break;
            }
            if seen.insert(name) {
                todo.extend(edges.get(name).into_iter().flatten().map(String::as_str));
            }
        }
    }
    violations
}
