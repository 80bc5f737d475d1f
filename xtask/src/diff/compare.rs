//! The comparison: walks two specs side by side and records every change as an [`Entry`].
//!
//! Operations are matched by `operationId` (then by method and path, for a renamed
//! `operationId`), parameters by location and name, responses by status, properties by name.
//! `$ref`s are compared by what they point to, never by name: where both sides hold a `$ref`,
//! the two components are queued as a pair and compared once, under their own heading. So
//! a `$ref` retargeted at a structurally identical schema reports no change; the generated
//! type's new name is kept aside as a rename note.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    Components, Content, OpenAPI, Operation, Parameter, ParameterData, ParameterSchemaOrContent,
    ReferenceOr, RequestBody, Response, Schema, SchemaData, SchemaKind, Type,
};

use super::naming;
use super::rules::{Kind as Change, classify};
use super::view::{Kind, Limit, Node, View, field_is_option, json_text, rust_type, type_name};
use super::{Entry, Group, Usage};

/// Compares two parsed specs: the entries (unsorted) and the generated types renamed without
/// a change of shape, as `(old, new)`.
pub(crate) fn compare(base: &OpenAPI, head: &OpenAPI) -> (Vec<Entry>, BTreeSet<(String, String)>) {
    let mut diff = Diff {
        base,
        head,
        base_usage: usage(base),
        head_usage: usage(head),
        entries: Vec::new(),
        renames: BTreeSet::new(),
        queue: Vec::new(),
        seen: BTreeSet::new(),
        covered_base: BTreeSet::new(),
        covered_head: BTreeSet::new(),
    };
    diff.info();
    diff.operations();
    for name in schema_names(base).filter(|name| schema(head, name).is_some()) {
        diff.enqueue(name, name);
    }
    while let Some((b, h)) = diff.queue.pop() {
        diff.schema_pair(b, h);
    }
    for (name, covered, added) in schema_names(base)
        .map(|name| (name, &diff.covered_base, false))
        .chain(schema_names(head).map(|name| (name, &diff.covered_head, true)))
    {
        if covered.contains(name) {
            continue;
        }
        let usage = if added {
            diff.head_usage.get(name)
        } else {
            diff.base_usage.get(name)
        };
        let usage = usage.copied().unwrap_or_default();
        let group = Group::Schema {
            name: name.to_string(),
            was: None,
            usage,
        };
        let place = Place::root(
            group,
            usage,
            format!("`types::{}`", naming::pascal(name)),
            name,
            name,
        );
        let (kind, text) = if added {
            (Change::SchemaAdded, "schema added")
        } else {
            (Change::SchemaRemoved, "schema removed")
        };
        diff.entries.push(entry(&place, kind, text.into()));
    }
    (diff.entries, diff.renames)
}

struct Diff<'a> {
    base: &'a OpenAPI,
    head: &'a OpenAPI,
    base_usage: BTreeMap<&'a str, Usage>,
    head_usage: BTreeMap<&'a str, Usage>,
    entries: Vec<Entry>,
    renames: BTreeSet<(String, String)>,
    queue: Vec<(&'a str, &'a str)>,
    seen: BTreeSet<(&'a str, &'a str)>,
    covered_base: BTreeSet<&'a str>,
    covered_head: BTreeSet<&'a str>,
}

/// Where in the spec the walk is, and what an entry made here is about.
#[derive(Clone)]
struct Place {
    group: Group,
    usage: Usage,
    /// What holds the schema: "request body", "parameter `x` (query)"; empty in a schema group.
    prefix: String,
    /// The JSON path inside the schema: `a.b[].c`.
    path: String,
    /// The generated item an entry here changes, as Markdown.
    item: Option<String>,
    /// The generated type names that this place suggests, base and head.
    names: (String, String),
    /// Whether `names` are component names, which a `title` does not override.
    fixed: bool,
}

impl Place {
    fn root(group: Group, usage: Usage, item: String, base: &str, head: &str) -> Self {
        let names = (naming::pascal(base), naming::pascal(head));
        Place {
            group,
            usage,
            prefix: String::new(),
            path: String::new(),
            item: Some(item),
            names,
            fixed: true,
        }
    }

    fn at(&self) -> String {
        match (self.prefix.is_empty(), self.path.is_empty()) {
            (_, true) => self.prefix.clone(),
            (true, false) => format!("`{}`", self.path),
            (false, false) => format!("{} `{}`", self.prefix, self.path),
        }
    }

    fn child(&self, segment: &str, separator: &str, names: (String, String)) -> Self {
        let path = if self.path.is_empty() {
            segment.to_string()
        } else {
            format!("{}{separator}{segment}", self.path)
        };
        Place {
            path,
            names,
            fixed: false,
            ..self.clone()
        }
    }

    fn part(&self, prefix: String, usage: Usage, names: (String, String)) -> Self {
        Place {
            prefix,
            usage,
            names,
            fixed: true,
            path: String::new(),
            ..self.clone()
        }
    }
}

/// A generated type's shape when it is a named type (struct, enum, newtype), whatever its name.
const NAMED: &str = "types::_";

/// The two schemas at one place, resolved: base first, head second.
struct Sides<'a> {
    nodes: (Node<'a>, Node<'a>),
    data: (&'a SchemaData, &'a SchemaData),
    views: (View<'a>, View<'a>),
    /// The generated type names this place gives them.
    names: (String, String),
    /// Their full generated Rust types, for the report.
    rust: (String, String),
}

impl Sides<'_> {
    /// The generated types without names, items or `Option`: what decides a retyping here.
    fn own_types(&self) -> (String, String) {
        let own = |node: Node<'_>, view: &View<'_>| match node.typed() {
            Node::Ref(_) => NAMED.to_string(),
            Node::Inline(_) => view.own_type(None),
        };
        (
            own(self.nodes.0, &self.views.0),
            own(self.nodes.1, &self.views.1),
        )
    }
}

fn entry(place: &Place, kind: Change, change: String) -> Entry {
    let (class, reason) = classify(kind, place.usage);
    Entry {
        group: place.group.clone(),
        at: place.at(),
        change,
        class,
        reason,
        item: place.item.clone(),
    }
}

impl<'a> Diff<'a> {
    fn push(&mut self, place: &Place, kind: Change, change: impl Into<String>) {
        self.entries.push(entry(place, kind, change.into()));
    }

    fn enqueue(&mut self, base: &'a str, head: &'a str) {
        self.covered_base.insert(base);
        self.covered_head.insert(head);
        if self.seen.insert((base, head)) {
            self.queue.push((base, head));
        }
    }

    fn info(&mut self) {
        let (b, h) = (&self.base.info, &self.head.info);
        let place = Place {
            item: None,
            ..Place::root(Group::Api, Usage::BOTH, String::new(), "", "")
        };
        if b.title != h.title {
            self.push(
                &place,
                Change::Docs,
                format!("title `{}` → `{}`", b.title, h.title),
            );
        }
        if b.version != h.version {
            self.push(
                &place,
                Change::Docs,
                format!("version `{}` → `{}`", b.version, h.version),
            );
        }
        if b.description != h.description {
            self.push(&place, Change::Docs, "description changed");
        }
    }

    fn operations(&mut self) {
        let (mut base, mut head) = (operations(self.base), operations(self.head));
        let common: Vec<String> = base
            .keys()
            .filter(|id| head.contains_key(*id))
            .cloned()
            .collect();
        let mut pairs: Vec<(Op<'a>, Op<'a>)> = Vec::new();
        for id in common {
            if let (Some(b), Some(h)) = (base.remove(&id), head.remove(&id)) {
                pairs.push((b, h));
            }
        }
        // An operationId changed on the same endpoint is a renamed method, not a new one.
        let renamed: Vec<(String, String)> = base
            .iter()
            .filter_map(|(bid, b)| {
                let (hid, _) = head
                    .iter()
                    .find(|(_, h)| (h.method, h.path) == (b.method, b.path))?;
                Some((bid.clone(), hid.clone()))
            })
            .collect();
        for (bid, hid) in renamed {
            if let (Some(b), Some(h)) = (base.remove(&bid), head.remove(&hid)) {
                pairs.push((b, h));
            }
        }
        for (b, h) in &pairs {
            self.operation(b, h);
        }
        for (op, added) in base
            .values()
            .map(|op| (op, false))
            .chain(head.values().map(|op| (op, true)))
        {
            let place = Place::root(
                op.group(),
                Usage::BOTH,
                naming::method(&op.id),
                &op.id,
                &op.id,
            );
            let (kind, verb) = if added {
                (Change::OpAdded, "added")
            } else {
                (Change::OpRemoved, "removed")
            };
            let text = format!("operation {verb} (`{} {}`)", op.method, op.path);
            self.push(&place, kind, text);
        }
    }

    fn operation(&mut self, b: &Op<'a>, h: &Op<'a>) {
        let place = Place::root(h.group(), Usage::BOTH, naming::method(&h.id), &h.id, &h.id);
        if b.id != h.id {
            let text = format!(
                "operationId `{}` → `{}` (was {})",
                b.id,
                h.id,
                naming::method(&b.id)
            );
            self.push(&place, Change::OpRenamed, text);
        }
        if (b.method, b.path) != (h.method, h.path) {
            let text = format!(
                "endpoint `{} {}` → `{} {}`",
                b.method, b.path, h.method, h.path
            );
            self.push(&place, Change::OpMoved, text);
        }
        for (what, before, after) in [
            ("summary", &b.op.summary, &h.op.summary),
            ("description", &b.op.description, &h.op.description),
        ] {
            if before != after {
                self.push(&place, Change::Docs, format!("{what} changed"));
            }
        }
        if b.op.deprecated != h.op.deprecated {
            self.push(
                &place,
                Change::Docs,
                if h.op.deprecated {
                    "marked deprecated"
                } else {
                    "no longer deprecated"
                },
            );
        }
        self.parameters(&place, b, h);
        let names = (
            naming::operation_part(&b.id, "body"),
            naming::operation_part(&h.id, "body"),
        );
        let body = place.part("request body".into(), Usage::REQUEST, names);
        match (b.body(self.base), h.body(self.head)) {
            (None, None) => {}
            (None, Some(hb)) => {
                let required = if hb.required { "required" } else { "optional" };
                self.push(&body, Change::BodyAdded, format!("added ({required})"));
            }
            (Some(_), None) => self.push(&body, Change::BodyRemoved, "removed"),
            (Some(bb), Some(hb)) => {
                if bb.required != hb.required {
                    let (kind, text) = if hb.required {
                        (Change::BodyMadeRequired, "made required")
                    } else {
                        (Change::BodyMadeOptional, "made optional")
                    };
                    self.push(&body, kind, text);
                }
                if bb.description != hb.description {
                    self.push(&body, Change::Docs, "description changed");
                }
                self.content(&body, &bb.content, &hb.content);
            }
        }
        let (base_responses, head_responses) = (b.responses(self.base), h.responses(self.head));
        let statuses: BTreeSet<&String> =
            base_responses.keys().chain(head_responses.keys()).collect();
        let names = (
            naming::operation_part(&b.id, "response"),
            naming::operation_part(&h.id, "response"),
        );
        for status in statuses {
            let response = place.part(format!("response {status}"), Usage::RESPONSE, names.clone());
            match (base_responses.get(status), head_responses.get(status)) {
                (Some(br), Some(hr)) => {
                    if br.description != hr.description {
                        self.push(&response, Change::Docs, "description changed");
                    }
                    self.content(&response, &br.content, &hr.content);
                }
                (None, _) => self.push(&response, Change::StatusAdded, "added"),
                (_, None) => self.push(&response, Change::StatusRemoved, "removed"),
            }
        }
    }

    fn parameters(&mut self, place: &Place, b: &Op<'a>, h: &Op<'a>) {
        let keys: BTreeSet<&(&str, &str)> = b.params.keys().chain(h.params.keys()).collect();
        for key @ (location, name) in keys {
            let names = (
                naming::operation_part(&b.id, name),
                naming::operation_part(&h.id, name),
            );
            let param = place.part(
                format!("parameter `{name}` ({location})"),
                Usage::REQUEST,
                names,
            );
            match (b.params.get(key), h.params.get(key)) {
                (None, Some(hp)) => {
                    let required = if hp.required { "required" } else { "optional" };
                    self.push(
                        &param,
                        Change::ParamAdded {
                            required: hp.required,
                        },
                        format!("added ({required})"),
                    );
                }
                (Some(_), None) => self.push(&param, Change::ParamRemoved, "removed"),
                (Some(bp), Some(hp)) => {
                    if bp.required != hp.required {
                        let (kind, text) = if hp.required {
                            (Change::ParamMadeRequired, "made required")
                        } else {
                            (Change::ParamMadeOptional, "made optional")
                        };
                        self.push(&param, kind, text);
                    }
                    if bp.description != hp.description {
                        self.push(&param, Change::Docs, "description changed");
                    }
                    if bp.deprecated.unwrap_or(false) != hp.deprecated.unwrap_or(false) {
                        self.push(&param, Change::Docs, "deprecation changed");
                    }
                    if let (Some(bs), Some(hs)) = (param_schema(bp), param_schema(hp)) {
                        self.node(&param, bs, hs, None, 0);
                    }
                }
                (None, None) => {}
            }
        }
    }

    fn content(&mut self, place: &Place, base: &'a Content, head: &'a Content) {
        let (bkeys, hkeys): (BTreeSet<&String>, BTreeSet<&String>) =
            (base.keys().collect(), head.keys().collect());
        if bkeys != hkeys {
            let list = |keys: &BTreeSet<&String>| {
                if keys.is_empty() {
                    "none".to_string()
                } else {
                    keys.iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            };
            self.push(
                place,
                Change::MediaTypeChanged,
                format!("media type {} → {}", list(&bkeys), list(&hkeys)),
            );
        }
        let several = bkeys.len() > 1;
        for key in bkeys.intersection(&hkeys) {
            let here = if several {
                Place {
                    prefix: format!("{} (`{key}`)", place.prefix),
                    ..place.clone()
                }
            } else {
                place.clone()
            };
            let (Some(bm), Some(hm)) = (base.get(*key), head.get(*key)) else {
                continue;
            };
            match (&bm.schema, &hm.schema) {
                (Some(bs), Some(hs)) => self.node(&here, Node::of(bs), Node::of(hs), None, 0),
                (None, Some(_)) => self.push(&here, Change::Retyped, "schema added"),
                (Some(_), None) => self.push(&here, Change::Retyped, "schema removed"),
                (None, None) => {}
            }
        }
    }

    fn schema_pair(&mut self, b: &'a str, h: &'a str) {
        let (Some(bs), Some(hs)) = (schema(self.base, b), schema(self.head, h)) else {
            return;
        };
        let usage = self.base_usage.get(b).copied().unwrap_or_default()
            | self.head_usage.get(h).copied().unwrap_or_default();
        let group = Group::Schema {
            name: h.to_string(),
            was: (b != h).then(|| b.to_string()),
            usage,
        };
        let place = Place::root(
            group,
            usage,
            format!("`types::{}`", naming::pascal(h)),
            b,
            h,
        );
        self.node(&place, Node::of(bs), Node::of(hs), None, 0);
    }

    /// Compares the schemas at one place. `field` holds, for a property, whether its generated
    /// field is an `Option` on each side.
    fn node(
        &mut self,
        place: &Place,
        base: Node<'a>,
        head: Node<'a>,
        field: Option<(bool, bool)>,
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
            if b != h {
                self.renames.insert((naming::pascal(b), naming::pascal(h)));
            }
            self.enqueue(b, h);
            return;
        }
        for (node, covered) in [
            (base, &mut self.covered_base),
            (head, &mut self.covered_head),
        ] {
            if let Node::Ref(name) = node {
                covered.insert(name);
            }
        }
        let (Some(bs), Some(hs)) = (base.resolve(self.base), head.resolve(self.head)) else {
            return;
        };
        let names = if place.fixed {
            place.names.clone()
        } else {
            (
                type_name(base, &place.names.0),
                type_name(head, &place.names.1),
            )
        };
        let sides = Sides {
            nodes: (base, head),
            data: (&bs.schema_data, &hs.schema_data),
            views: (View::of(self.base, bs), View::of(self.head, hs)),
            rust: (
                rust_type(self.base, base, &names.0, 0),
                rust_type(self.head, head, &names.1, 0),
            ),
            names,
        };
        let mut place = Place {
            names: sides.names.clone(),
            ..place.clone()
        };
        let (bown, hown) = sides.own_types();
        if hown == NAMED {
            place.item = Some(format!("`types::{}`", sides.names.1));
        }
        self.docs(&place, sides.data.0, sides.data.1);
        let (bv, hv) = &sides.views;
        if bv.kind != hv.kind {
            let (b, h) = (bv.kind.label(), hv.kind.label());
            let (brust, hrust) = &sides.rust;
            let text = format!("retyped `{b}` → `{h}` (generated `{brust}` → `{hrust}`)");
            self.push(&place, Change::Retyped, text);
            return;
        }
        if bown == NAMED && hown == NAMED && sides.names.0 != sides.names.1 {
            self.renames.insert(sides.names.clone());
        }
        let limits = limits(bv, hv);
        if bown != hown {
            // One entry tells the change of generated type, with what caused it.
            let causes: Vec<&str> = limits.iter().map(|(_, text)| text.as_str()).collect();
            let causes = if causes.is_empty() {
                String::new()
            } else {
                format!(" ({})", causes.join("; "))
            };
            let (brust, hrust) = &sides.rust;
            let text = format!("retyped{causes}: generated `{brust}` → `{hrust}`");
            self.push(&place, Change::Retyped, text);
        } else {
            for (kind, text) in limits {
                self.push(&place, kind, text);
            }
        }
        self.values(&place, &sides, field);
        self.inner(&place, &sides, depth);
    }

    /// Nullability, default and enum values.
    fn values(&mut self, place: &Place, sides: &Sides<'a>, field: Option<(bool, bool)>) {
        let (bdata, hdata) = sides.data;
        let (brust, hrust) = &sides.rust;
        // How a change of nullability or default changes the generated type, if it does.
        let retyped = |field: Option<(bool, bool)>| match field {
            Some((b, h)) if b != h => Some(format!(
                " (generated field `{}` → `{}`)",
                field_type(self.base, sides.nodes.0, &sides.names.0, b),
                field_type(self.head, sides.nodes.1, &sides.names.1, h)
            )),
            Some(_) => None,
            None => Some(format!(" (generated `{brust}` → `{hrust}`)")),
        };
        if bdata.nullable != hdata.nullable {
            let suffix = retyped(field);
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
            // typify uses a default only for a struct field.
            let suffix = retyped(field.or(Some((false, false))));
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
        let names = &sides.names;
        match bv.kind {
            Kind::Struct => self.properties(place, bv, hv, depth),
            Kind::Array | Kind::Map => {
                let (b, h, suffix, segment, separator) = match bv.kind {
                    Kind::Array => (bv.items, hv.items, "Item", "[]", ""),
                    _ => (bv.values, hv.values, "Value", "*", "."),
                };
                let names = (
                    format!("{}{suffix}", names.0),
                    format!("{}{suffix}", names.1),
                );
                let child = place.child(segment, separator, names);
                let (brust, hrust) = &sides.rust;
                match (b, h) {
                    (Some(b), Some(h)) => self.node(&child, b, h, None, depth + 1),
                    (None, Some(_)) => {
                        let text = format!("schema added: generated `{brust}` → `{hrust}`");
                        self.push(&child, Change::Retyped, text);
                    }
                    (Some(_), None) => {
                        let text = format!("schema removed: generated `{brust}` → `{hrust}`");
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
                    let child = place.child(&format!("{label}[{i}]"), ".", names.clone());
                    self.node(&child, *b, *h, None, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn properties(&mut self, place: &Place, bv: &View<'a>, hv: &View<'a>, depth: usize) {
        let names: BTreeSet<&str> = bv
            .properties
            .keys()
            .chain(hv.properties.keys())
            .copied()
            .collect();
        for name in names {
            let child_names = (
                naming::property(&place.names.0, name),
                naming::property(&place.names.1, name),
            );
            let child = place.child(name, ".", child_names);
            let (breq, hreq) = (bv.required.contains(name), hv.required.contains(name));
            match (bv.properties.get(name), hv.properties.get(name)) {
                (None, Some(_)) => {
                    let text = if hreq {
                        "field added (required)"
                    } else {
                        "field added (optional)"
                    };
                    self.push(&child, Change::FieldAdded { required: hreq }, text);
                }
                (Some(_), None) => self.push(&child, Change::FieldRemoved, "field removed"),
                (Some(&b), Some(&h)) => {
                    let (bo, ho) = (
                        field_is_option(self.base, b, breq),
                        field_is_option(self.head, h, hreq),
                    );
                    let mut flags = (bo, ho);
                    if breq != hreq {
                        let retyped = bo != ho;
                        let (kind, text) = if hreq {
                            (Change::FieldMadeRequired { retyped }, "made required")
                        } else {
                            (Change::FieldMadeOptional { retyped }, "made optional")
                        };
                        let text = if retyped {
                            let before = field_type(self.base, b, &child.names.0, bo);
                            let after = field_type(self.head, h, &child.names.1, ho);
                            format!("{text} (generated field `{before}` → `{after}`)")
                        } else {
                            text.to_string()
                        };
                        self.push(&child, kind, text);
                        // The field's type change is told once, here.
                        flags = (bo, bo);
                    }
                    self.node(&child, b, h, Some(flags), depth + 1);
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

/// The generated type of a field, with the `Option` typify adds when it may be absent.
fn field_type(api: &OpenAPI, node: Node<'_>, name: &str, option: bool) -> String {
    let ty = rust_type(api, node, name, 0);
    if option && !ty.starts_with("Option<") {
        format!("Option<{ty}>")
    } else {
        ty
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

fn schema<'a>(api: &'a OpenAPI, name: &str) -> Option<&'a ReferenceOr<Schema>> {
    api.components.as_ref()?.schemas.get(name)
}

fn schema_names(api: &OpenAPI) -> impl Iterator<Item = &str> {
    api.components
        .iter()
        .flat_map(|c| c.schemas.keys().map(String::as_str))
}

/// One operation, with its path-level parameters merged in.
struct Op<'a> {
    id: String,
    method: &'static str,
    path: &'a str,
    op: &'a Operation,
    params: BTreeMap<(&'static str, &'a str), &'a ParameterData>,
}

impl<'a> Op<'a> {
    fn group(&self) -> Group {
        Group::Operation {
            id: self.id.clone(),
            endpoint: format!("{} {}", self.method, self.path),
        }
    }

    fn body(&self, api: &'a OpenAPI) -> Option<&'a RequestBody> {
        lookup(
            api,
            self.op.request_body.as_ref()?,
            "requestBodies",
            |c, name| c.request_bodies.get(name),
        )
    }

    /// The responses by status (`200`, `4XX`, `default`).
    fn responses(&self, api: &'a OpenAPI) -> BTreeMap<String, &'a Response> {
        let responses = &self.op.responses;
        let coded = responses
            .responses
            .iter()
            .map(|(status, r)| (status.to_string(), r));
        coded
            .chain(responses.default.iter().map(|r| ("default".to_string(), r)))
            .filter_map(|(status, r)| {
                Some((
                    status,
                    lookup(api, r, "responses", |c, name| c.responses.get(name))?,
                ))
            })
            .collect()
    }
}

/// Every operation, keyed by `operationId` (or `METHOD /path` when it has none).
fn operations(api: &OpenAPI) -> BTreeMap<String, Op<'_>> {
    let mut out = BTreeMap::new();
    for (path, item) in api.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in item.iter() {
            let method = match method {
                "get" => "GET",
                "put" => "PUT",
                "post" => "POST",
                "delete" => "DELETE",
                "options" => "OPTIONS",
                "head" => "HEAD",
                "patch" => "PATCH",
                _ => "TRACE",
            };
            let mut params = BTreeMap::new();
            for param in item.parameters.iter().chain(&op.parameters) {
                if let Some(param) =
                    lookup(api, param, "parameters", |c, name| c.parameters.get(name))
                {
                    let location = match param {
                        Parameter::Query { .. } => "query",
                        Parameter::Header { .. } => "header",
                        Parameter::Path { .. } => "path",
                        Parameter::Cookie { .. } => "cookie",
                    };
                    let data = param.parameter_data_ref();
                    params.insert((location, data.name.as_str()), data);
                }
            }
            let fallback = format!("{method} {path}");
            let id = op.operation_id.clone().unwrap_or_else(|| fallback.clone());
            let id = if out.contains_key(&id) {
                format!("{id} ({fallback})")
            } else {
                id
            };
            out.insert(
                id.clone(),
                Op {
                    id,
                    method,
                    path,
                    op,
                    params,
                },
            );
        }
    }
    out
}

/// Follows a `$ref` to `#/components/<kind>/<name>`.
fn lookup<'a, T>(
    api: &'a OpenAPI,
    mut item: &'a ReferenceOr<T>,
    kind: &str,
    get: impl Fn(&'a Components, &str) -> Option<&'a ReferenceOr<T>>,
) -> Option<&'a T> {
    for _ in 0..32 {
        match item {
            ReferenceOr::Item(value) => return Some(value),
            ReferenceOr::Reference { reference } => {
                let name = reference
                    .strip_prefix("#/components/")?
                    .strip_prefix(kind)?
                    .strip_prefix('/')?;
                item = get(api.components.as_ref()?, name)?;
            }
        }
    }
    None
}

fn param_schema(data: &ParameterData) -> Option<Node<'_>> {
    match &data.format {
        ParameterSchemaOrContent::Schema(schema) => Some(Node::of(schema)),
        ParameterSchemaOrContent::Content(content) => {
            content.values().next()?.schema.as_ref().map(Node::of)
        }
    }
}

/// Which component schemas each direction reaches, following `$ref`s from every operation.
fn usage(api: &OpenAPI) -> BTreeMap<&str, Usage> {
    let mut usage = BTreeMap::new();
    for op in operations(api).values() {
        let params = op.params.values().filter_map(|p| param_schema(p));
        let body = op.body(api).into_iter().flat_map(|b| b.content.values());
        for node in params.chain(body.filter_map(|m| m.schema.as_ref().map(Node::of))) {
            mark(api, node, Usage::REQUEST, &mut usage, 0);
        }
        for response in op.responses(api).values() {
            for node in response
                .content
                .values()
                .filter_map(|m| m.schema.as_ref().map(Node::of))
            {
                mark(api, node, Usage::RESPONSE, &mut usage, 0);
            }
        }
    }
    usage
}

fn mark<'a>(
    api: &'a OpenAPI,
    node: Node<'a>,
    dir: Usage,
    usage: &mut BTreeMap<&'a str, Usage>,
    depth: usize,
) {
    if depth > 256 {
        return;
    }
    let schema = match node {
        Node::Ref(name) => {
            let seen = usage.entry(name).or_default();
            if (*seen | dir) == *seen {
                return;
            }
            *seen = *seen | dir;
            match schema(api, name) {
                Some(target) => return mark(api, Node::of(target), dir, usage, depth + 1),
                None => return,
            }
        }
        Node::Inline(schema) => schema,
    };
    for child in children(schema) {
        mark(api, child, dir, usage, depth + 1);
    }
}

/// The schemas directly inside `schema`.
fn children(schema: &Schema) -> Vec<Node<'_>> {
    fn additional(a: &Option<openapiv3::AdditionalProperties>) -> Option<Node<'_>> {
        match a {
            Some(openapiv3::AdditionalProperties::Schema(s)) => Some(Node::of(s)),
            _ => None,
        }
    }
    let mut out: Vec<Node<'_>> = Vec::new();
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => {
            out.extend(o.properties.values().map(Node::boxed));
            out.extend(additional(&o.additional_properties));
        }
        SchemaKind::Type(Type::Array(a)) => out.extend(a.items.as_ref().map(Node::boxed)),
        SchemaKind::Type(_) => {}
        SchemaKind::OneOf { one_of: all }
        | SchemaKind::AllOf { all_of: all }
        | SchemaKind::AnyOf { any_of: all } => {
            out.extend(all.iter().map(Node::of));
        }
        SchemaKind::Not { not } => out.push(Node::of(not)),
        SchemaKind::Any(a) => {
            out.extend(a.properties.values().map(Node::boxed));
            out.extend(additional(&a.additional_properties));
            out.extend(a.items.as_ref().map(Node::boxed));
            out.extend(
                a.one_of
                    .iter()
                    .chain(&a.all_of)
                    .chain(&a.any_of)
                    .map(Node::of),
            );
            out.extend(a.not.as_deref().map(Node::of));
        }
    }
    out
}
