//! The safety net: public items the generated code changed where the spec walk found no cause.
//!
//! The walk explains what it reports from the spec. When the generator itself names or shapes
//! something differently (a progenitor upgrade, a generator setting, a `title` renaming an
//! inline type's fields), the two generated files still differ: every type present on both
//! sides, and every method on both sides, is compared here, and a difference that no entry
//! already points at is reported, so that nothing in the generated API changes unreported.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;

use super::index::operations;
use super::{Change, Diff, Place, item};
use crate::diff::surface::{Method, TypeItem};
use crate::diff::{Group, Usage};
use crate::names::type_name;

/// A Rust type with the names of the generated types in it left out: `Vec<types::_>`.
fn anonymous(ty: &str) -> String {
    let mut out = String::new();
    let mut rest = ty;
    while let Some(at) = rest.find("types::") {
        out += &rest[..at];
        out += "types::_";
        rest = rest[at + "types::".len()..]
            .trim_start_matches(|c: char| c.is_alphanumeric() || c == '_');
    }
    out + rest
}

/// A type with the names of the generated types in it left out, as a rename is not a change.
fn outline(ty: &TypeItem) -> String {
    match ty {
        TypeItem::Struct {
            fields, default, ..
        } => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(name, ty)| format!("{name}: {}", anonymous(ty)))
                .collect();
            let default = if *default { " + Default" } else { "" };
            format!("struct {{ {} }}{default}", fields.join(", "))
        }
        TypeItem::Newtype(inner) => format!("newtype({})", anonymous(inner)),
        TypeItem::Enum(variants) => {
            // In any order: the spec's order of values is not part of the API.
            let variants: BTreeSet<&str> = variants.iter().map(String::as_str).collect();
            let variants: Vec<&str> = variants.into_iter().collect();
            format!("enum {{ {} }}", variants.join(", "))
        }
    }
}

/// A method's name, builder and setters.
fn outline_method(method: &Method) -> String {
    let setters: Vec<&str> = method.setters.keys().map(String::as_str).collect();
    format!("{}({})", method.markdown(), setters.join(", "))
}

impl Diff<'_> {
    pub(super) fn unexplained(&mut self) {
        let reported: BTreeSet<String> =
            self.entries.iter().filter_map(|e| e.item.clone()).collect();
        // Types, under the component they are generated from when there is one.
        let components: BTreeMap<String, &str> = self
            .head
            .components
            .iter()
            .flat_map(|c| c.schemas.keys())
            .map(|name| (type_name(name), name.as_str()))
            .collect();
        let changed: Vec<(String, String, String)> = self
            .gen_base
            .types
            .iter()
            .filter_map(|(name, base)| {
                let head = self.gen_head.types.get(name)?;
                let (b, h) = (outline(base), outline(head));
                (b != h && !reported.contains(&item(&format!("types::{name}"))))
                    .then(|| (name.clone(), b, h))
            })
            .collect();
        for (name, b, h) in changed {
            let component = components.get(&name).copied().unwrap_or(&name);
            let usage = self.head_usage.get(component).copied().unwrap_or_default();
            let group = Group::Schema {
                name: component.to_string(),
                was: None,
                usage,
            };
            let ty = format!("types::{name}");
            let place = Place::root(group, usage, Some(item(&ty)), (None, None));
            let text = format!("generated `{ty}` changed: `{b}` → `{h}`");
            self.push(&place, Change::Retyped, text);
        }
        // Methods, by name.
        let ops = operations(self.head);
        let changed: Vec<(String, String, String)> = self
            .gen_base
            .methods
            .iter()
            .filter_map(|(name, base)| {
                let head = self.gen_head.methods.get(name)?;
                let (b, h) = (outline_method(base), outline_method(head));
                let told = [base, head]
                    .iter()
                    .any(|m| reported.contains(&m.markdown()));
                (b != h && !told).then(|| (name.clone(), b, h))
            })
            .collect();
        for (name, b, h) in changed {
            let Some(op) = ops.values().find(|op| op.id.to_snake_case() == name) else {
                continue;
            };
            let item = self.gen_head.methods.get(&name).map(Method::markdown);
            let place = Place::root(op.group(), Usage::BOTH, item, (None, None));
            let text = format!("generated method changed: {b} → {h}");
            self.push(&place, Change::Retyped, text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::anonymous;

    #[test]
    fn generated_names_are_left_out() {
        assert_eq!(
            anonymous("BTreeMap<String, Vec<types::Media>>"),
            "BTreeMap<String, Vec<types::_>>"
        );
        assert_eq!(anonymous("Option<types::A_b>"), "Option<types::_>");
        assert_eq!(anonymous("i64"), "i64");
    }
}
