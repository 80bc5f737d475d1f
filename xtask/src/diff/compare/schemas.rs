//! Schemas: a component pair, or the schemas at one place of an operation, compared with
//! the generated types at the same place.

use std::collections::BTreeSet;

use openapiv3::SchemaData;

use super::{Change, Diff, Place, item};
use crate::diff::surface::{TypeItem, element, named, option_inner, shape, strip_option};
use crate::diff::wire::{Kind, Limit, Node, View, json_text};

/// The two schemas at one place, resolved: base first, head second.
struct Sides<'a> {
    data: (&'a SchemaData, &'a SchemaData),
    views: (View<'a>, View<'a>),
}

/// The generated fields at a property, base and head, when the generated code has them.
type Fields = (Option<String>, Option<String>);

impl<'a> Diff<'a> {
    /// Compares the schemas at one place. `field` holds, for a property, the generated field's
    /// type on each side (with the `Option` of an optional field).
    pub(super) fn node(
        &mut self,
        place: &Place,
        base: Node<'a>,
        head: Node<'a>,
        field: Option<Fields>,
        depth: usize,
    ) {
        if depth > 256 {
            return;
        }
        if let (Node::Ref(b), Node::Ref(h)) = (base.typed(), head.typed()) {
            // Only an `allOf` wrapper around a `$ref` has text of its own here.
            let none = SchemaData::default();
            let text = |node: Node<'a>| match node {
                Node::Inline(schema) => &schema.schema_data,
                Node::Ref(_) => &none,
            };
            self.docs(place, text(base), text(head));
            self.rename(&place.types);
            self.enqueue(b, h);
            return;
        }
        let (Some(bs), Some(hs)) = (base.resolve(self.base), head.resolve(self.head)) else {
            return;
        };
        let sides = Sides {
            data: (&bs.schema_data, &hs.schema_data),
            views: (View::of(self.base, bs), View::of(self.head, hs)),
        };
        // A retype changes the generated type of the enclosing item (the struct with the
        // field), so it is reported there, not on the type the place now names.
        let enclosing = place.clone();
        let mut place = place.clone();
        if let Some(ty) = place.types.1.as_deref().map(strip_option)
            && named(ty).is_some()
        {
            place.item = Some(item(ty));
        }
        let (bt, ht) = place.types.clone();
        let generated = match (&bt, &ht) {
            (Some(b), Some(h)) => format!(" (generated `{b}` → `{h}`)"),
            _ => String::new(),
        };
        let (bv, hv) = &sides.views;
        if bv.kind != hv.kind {
            // A different kind of schema: the retype says it all (a description that came
            // with the new schema is not a change of its own), and a component on one side
            // only was not compared with anything, so it is reported as added or removed.
            let (b, h) = (bv.kind.label(), hv.kind.label());
            let text = format!("retyped `{b}` → `{h}`{generated}");
            self.push(&enclosing, Change::Retyped, text);
            return;
        }
        // The components compared here are accounted for (a moved schema is not "added").
        for (node, covered) in [
            (base, &mut self.covered_base),
            (head, &mut self.covered_head),
        ] {
            if let Node::Ref(name) = node {
                covered.insert(name);
            }
        }
        self.docs(&place, sides.data.0, sides.data.1);
        let limits = limits(bv, hv);
        let retyped = match (&bt, &ht) {
            (Some(b), Some(h)) => shape(b) != shape(h),
            _ => false,
        };
        if retyped {
            // One entry tells the change of generated type, with what caused it.
            let causes: Vec<&str> = limits.iter().map(|(_, text)| text.as_str()).collect();
            let causes = if causes.is_empty() {
                String::new()
            } else {
                format!(" ({})", causes.join("; "))
            };
            let (b, h) = (bt.unwrap_or_default(), ht.unwrap_or_default());
            let text = format!("retyped{causes}: generated `{b}` → `{h}`");
            self.push(&enclosing, Change::Retyped, text);
        } else {
            self.rename(&place.types);
            for (kind, text) in limits {
                self.push(&place, kind, text);
            }
        }
        self.default_impl(&place);
        self.values(&place, &sides, field);
        self.inner(&place, &sides, depth);
    }

    /// Whether the generated struct here gained or lost its `Default` impl.
    fn default_impl(&mut self, place: &Place) {
        let base = self.structure(place.types.0.as_deref(), false);
        let head = self.structure(place.types.1.as_deref(), true);
        match (base.map(|s| s.1), head.map(|s| s.1)) {
            (Some(true), Some(false)) => self.push(
                place,
                Change::DefaultRemoved,
                "no longer implements `Default`",
            ),
            (Some(false), Some(true)) => {
                self.push(place, Change::DefaultAdded, "now implements `Default`")
            }
            _ => {}
        }
    }

    /// Nullability, default and enum values.
    fn values(&mut self, place: &Place, sides: &Sides<'a>, field: Option<Fields>) {
        let (bdata, hdata) = sides.data;
        // How a change of nullability or default changes the generated type, if it does.
        let retyped = |field: &Option<Fields>| match field {
            Some((Some(b), Some(h))) if b != h => Some(format!(" (generated field `{b}` → `{h}`)")),
            Some(_) => None,
            None => match &place.types {
                (Some(b), Some(h)) if b != h => Some(format!(" (generated `{b}` → `{h}`)")),
                _ => None,
            },
        };
        if bdata.nullable != hdata.nullable {
            let suffix = retyped(&field);
            let text = if hdata.nullable {
                "made nullable"
            } else {
                "no longer nullable"
            };
            let kind = Change::NullableChanged {
                retyped: suffix.is_some(),
            };
            self.push(place, kind, format!("{text}{}", suffix.unwrap_or_default()));
        }
        if bdata.default != hdata.default {
            let suffix = retyped(&field.clone().or(Some((None, None))));
            let text = match (&bdata.default, &hdata.default) {
                (None, Some(d)) => format!("default `{}` added", json_text(d)),
                (Some(d), None) => format!("default `{}` removed", json_text(d)),
                (Some(b), Some(h)) => format!("default `{}` → `{}`", json_text(b), json_text(h)),
                (None, None) => String::new(),
            };
            let kind = Change::DefaultChanged {
                retyped: suffix.is_some(),
            };
            self.push(place, kind, format!("{text}{}", suffix.unwrap_or_default()));
        }
        let (bv, hv) = &sides.views;
        for value in hv.enum_values.difference(&bv.enum_values) {
            let text = format!("enum value `{value}` added");
            self.push(place, Change::EnumValueAdded, text);
        }
        for value in bv.enum_values.difference(&hv.enum_values) {
            let text = format!("enum value `{value}` removed");
            self.push(place, Change::EnumValueRemoved, text);
        }
    }

    /// The schemas inside: properties, items, map values, variants.
    fn inner(&mut self, place: &Place, sides: &Sides<'a>, depth: usize) {
        let (bv, hv) = &sides.views;
        match bv.kind {
            Kind::Struct => self.properties(place, bv, hv, depth),
            Kind::Array | Kind::Map => {
                let (b, h, segment, separator) = match bv.kind {
                    Kind::Array => (bv.items, hv.items, "[]", ""),
                    _ => (bv.values, hv.values, "*", "."),
                };
                let types = (
                    self.element(place.types.0.as_deref(), false),
                    self.element(place.types.1.as_deref(), true),
                );
                let child = place.child(segment, separator, types);
                let generated = match &place.types {
                    (Some(b), Some(h)) => format!(": generated `{b}` → `{h}`"),
                    _ => String::new(),
                };
                match (b, h) {
                    (Some(b), Some(h)) => self.node(&child, b, h, None, depth + 1),
                    (None, Some(_)) => {
                        let text = format!("schema added{generated}");
                        self.push(&child, Change::Retyped, text);
                    }
                    (Some(_), None) => {
                        let text = format!("schema removed{generated}");
                        self.push(&child, Change::Retyped, text);
                    }
                    (None, None) => {}
                }
            }
            Kind::OneOf | Kind::AnyOf | Kind::Not => {
                let label = bv.kind.label();
                let (b, h) = (bv.variants.len(), hv.variants.len());
                if b != h {
                    let text = format!("`{label}` variants {b} → {h}");
                    self.push(place, Change::VariantsChanged, text);
                }
                for (i, (b, h)) in bv.variants.iter().zip(&hv.variants).enumerate() {
                    // The variants' generated types are not told apart here.
                    let child = place.child(&format!("{label}[{i}]"), ".", (None, None));
                    self.node(&child, *b, *h, None, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// The element type of the list or map type `ty` is, or wraps in a newtype.
    fn element(&self, ty: Option<&str>, head: bool) -> Option<String> {
        let ty = strip_option(ty?);
        if let Some(inner) = element(ty) {
            return Some(inner.to_string());
        }
        let surface = if head { self.gen_head } else { self.gen_base };
        match surface.item(ty)? {
            TypeItem::Newtype(inner) => element(strip_option(inner)).map(str::to_string),
            _ => None,
        }
    }

    fn properties(&mut self, place: &Place, bv: &View<'a>, hv: &View<'a>, depth: usize) {
        let names: BTreeSet<&str> = bv
            .properties
            .keys()
            .chain(hv.properties.keys())
            .copied()
            .collect();
        let base_struct = self.structure(place.types.0.as_deref(), false);
        let head_struct = self.structure(place.types.1.as_deref(), true);
        for name in names {
            let fields: Fields = (
                base_struct.and_then(|(f, _)| f.get(name).cloned()),
                head_struct.and_then(|(f, _)| f.get(name).cloned()),
            );
            let (breq, hreq) = (bv.required.contains(name), hv.required.contains(name));
            match (bv.properties.get(name), hv.properties.get(name)) {
                (None, Some(&h)) => {
                    let types = (None, node_type(fields.1.as_deref(), h, self.head));
                    let child = place.child(name, ".", types);
                    let text = if hreq {
                        "field added (required)"
                    } else {
                        "field added (optional)"
                    };
                    // A struct literal must name every field unless it can fill the rest
                    // from `Default` or from its `new` constructor.
                    let literal = base_struct.is_some() && !self.fillable(place.types.0.as_deref());
                    let kind = Change::FieldAdded {
                        required: hreq,
                        literal,
                    };
                    self.push(&child, kind, text);
                }
                (Some(&b), None) => {
                    let types = (node_type(fields.0.as_deref(), b, self.base), None);
                    let child = place.child(name, ".", types);
                    self.push(&child, Change::FieldRemoved, "field removed");
                }
                (Some(&b), Some(&h)) => {
                    let types = (
                        node_type(fields.0.as_deref(), b, self.base),
                        node_type(fields.1.as_deref(), h, self.head),
                    );
                    let child = place.child(name, ".", types);
                    match (sensitive(b), sensitive(h)) {
                        (false, true) => self.push(
                            &child,
                            Change::MadeSensitive,
                            "now sensitive (`x-sensitive`)",
                        ),
                        (true, false) => self.push(
                            &child,
                            Change::MadeNotSensitive,
                            "no longer sensitive (`x-sensitive`)",
                        ),
                        _ => {}
                    }
                    let mut compared = fields.clone();
                    if breq != hreq {
                        let retyped = match &fields {
                            (Some(b), Some(h)) => b != h,
                            _ => false,
                        };
                        let (kind, text) = if hreq {
                            (Change::FieldMadeRequired { retyped }, "made required")
                        } else {
                            (Change::FieldMadeOptional { retyped }, "made optional")
                        };
                        let text = match &fields {
                            (Some(before), Some(after)) if retyped => {
                                format!("{text} (generated field `{before}` → `{after}`)")
                            }
                            _ => text.to_string(),
                        };
                        self.push(&child, kind, text);
                        // The field's type change is told once, here.
                        compared = (fields.0.clone(), fields.0.clone());
                    }
                    self.node(&child, b, h, Some(compared), depth + 1);
                }
                (None, None) => {}
            }
        }
    }

    fn docs(&mut self, place: &Place, b: &SchemaData, h: &SchemaData) {
        for (what, changed) in [
            ("description", b.description != h.description),
            ("title", b.title != h.title),
            ("example", b.example != h.example),
        ] {
            if changed {
                self.push(place, Change::Docs, format!("{what} changed"));
            }
        }
        if b.deprecated != h.deprecated {
            self.push(
                place,
                Change::Docs,
                if h.deprecated {
                    "marked deprecated"
                } else {
                    "no longer deprecated"
                },
            );
        }
    }
}

/// Whether the property is marked `x-sensitive: true` (on a `$ref`, OpenAPI 3.0 ignores the
/// mark, and so do the parser and the generator).
fn sensitive(node: Node<'_>) -> bool {
    matches!(node, Node::Inline(schema)
        if schema.schema_data.extensions.get(crate::sensitive::EXTENSION)
            == Some(&serde_json::Value::Bool(true)))
}

/// The generated type of the schema at a property, from the field's type: without the
/// `Option` typify adds to a field that may be absent, with the one it adds for `nullable`.
fn node_type(field: Option<&str>, node: Node<'_>, api: &openapiv3::OpenAPI) -> Option<String> {
    let field = field?;
    let nullable = node.resolve(api).is_some_and(|s| s.schema_data.nullable);
    match option_inner(field) {
        Some(inner) if !nullable => Some(inner.to_string()),
        _ => Some(field.to_string()),
    }
}

/// The limits that changed, each as tightened or loosened, with its text.
fn limits(b: &View<'_>, h: &View<'_>) -> Vec<(Change, String)> {
    let keys: BTreeSet<&&str> = b.limits.keys().chain(h.limits.keys()).collect();
    let mut out = Vec::new();
    for key in keys {
        let tightened = Change::Tightened;
        let change = match (b.limits.get(*key), h.limits.get(*key)) {
            (None, Some(new)) => (tightened, format!("{key} {} added", show(new))),
            (Some(old), None) => (Change::Loosened, format!("{key} {} removed", show(old))),
            (Some(old), Some(new)) if old != new => {
                let tighter = match (old, new) {
                    (Limit::Lower(o, oe), Limit::Lower(n, ne)) => n > o || (n == o && *ne && !oe),
                    (Limit::Upper(o, oe), Limit::Upper(n, ne)) => n < o || (n == o && *ne && !oe),
                    _ => true,
                };
                (
                    if tighter { tightened } else { Change::Loosened },
                    format!("{key} {} → {}", show(old), show(new)),
                )
            }
            _ => continue,
        };
        out.push(change);
    }
    out
}

fn show(limit: &Limit) -> String {
    let number = |v: f64, exclusive: bool| {
        let v = if v.fract() == 0.0 && v.abs() < 1e15 {
            format!("{}", v as i64)
        } else {
            v.to_string()
        };
        if exclusive {
            format!("{v} (exclusive)")
        } else {
            v
        }
    };
    match limit {
        Limit::Lower(v, e) | Limit::Upper(v, e) => number(*v, *e),
        Limit::Rule(rule) => format!("`{rule}`"),
    }
}
