//! The comparison: walks two specs side by side, with the code generated from each, and
//! records every change as an [`Entry`].
//!
//! The spec says what the wire means: which fields and parameters are required, the enum
//! values, the limits, the statuses. The generated code says what users compile against: the
//! Rust type at each place is read from it (`surface.rs`), never predicted.
//!
//! Operations are matched by `operationId` (then by method and path, for a renamed
//! `operationId`), parameters by location and name, responses by status, properties by name.
//! `$ref`s are compared by what they point to, never by name: where both sides hold a `$ref`,
//! the two components are queued as a pair and compared once, under their own heading. So
//! a `$ref` retargeted at a structurally identical schema reports no change; the generated
//! type's new name is kept aside as a rename note.
//!
//! `operations.rs` walks operations, `schemas.rs` schemas, `index.rs` finds things in a spec,
//! and `generated.rs` reports what the generated code changed where the walk found no cause.

mod generated;
mod index;
mod operations;
mod schemas;

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::OpenAPI;

use super::rules::{Kind as Change, classify};
use super::surface::{Surface, TypeItem, named, strip_option};
use super::wire::Node;
use super::{Entry, Group, Usage};
use crate::names::type_name;
use index::{schema, schema_names, usage};

/// One side of the comparison: the spec and the public items generated from it (empty when
/// the generator could not run).
pub(crate) struct Side<'a> {
    pub api: &'a OpenAPI,
    pub surface: &'a Surface,
}

/// Compares two parsed specs: the entries (unsorted) and the generated types renamed without
/// a change of shape, as `(old, new)`.
pub(crate) fn compare(base: Side<'_>, head: Side<'_>) -> (Vec<Entry>, BTreeSet<(String, String)>) {
    let mut diff = Diff {
        base: base.api,
        head: head.api,
        gen_base: base.surface,
        gen_head: head.surface,
        base_usage: usage(base.api),
        head_usage: usage(head.api),
        entries: Vec::new(),
        renames: BTreeSet::new(),
        queue: Vec::new(),
        seen: BTreeSet::new(),
        covered_base: BTreeSet::new(),
        covered_head: BTreeSet::new(),
    };
    diff.info();
    diff.operations();
    for name in schema_names(base.api).filter(|name| schema(head.api, name).is_some()) {
        diff.enqueue(name, name);
    }
    while let Some((b, h)) = diff.queue.pop() {
        diff.schema_pair(b, h);
    }
    for (name, added) in schema_names(base.api)
        .filter(|name| !diff.covered_base.contains(name))
        .map(|name| (name, false))
        .chain(
            schema_names(head.api)
                .filter(|name| !diff.covered_head.contains(name))
                .map(|name| (name, true)),
        )
        .collect::<Vec<_>>()
    {
        let (usage, surface) = if added {
            (diff.head_usage.get(name), diff.gen_head)
        } else {
            (diff.base_usage.get(name), diff.gen_base)
        };
        let usage = usage.copied().unwrap_or_default();
        let group = Group::Schema {
            name: name.to_string(),
            was: None,
            usage,
        };
        let ty = component_type(surface, name);
        let place = Place::root(group, usage, ty.as_deref().map(item), (ty.clone(), ty));
        let (kind, text) = if added {
            (Change::SchemaAdded, "schema added")
        } else {
            (Change::SchemaRemoved, "schema removed")
        };
        diff.push(&place, kind, text);
    }
    diff.unexplained();
    (diff.entries, diff.renames)
}

/// The generated type of a component schema, when the generated code has it.
fn component_type(surface: &Surface, name: &str) -> Option<String> {
    let ty = type_name(name);
    surface
        .types
        .contains_key(&ty)
        .then(|| format!("types::{ty}"))
}

/// A generated type as the report names it.
fn item(ty: &str) -> String {
    format!("`{ty}`")
}

struct Diff<'a> {
    base: &'a OpenAPI,
    head: &'a OpenAPI,
    gen_base: &'a Surface,
    gen_head: &'a Surface,
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
    /// The generated Rust type here, base and head, as the generated code has it; `None`
    /// where the generated code has no such place.
    types: (Option<String>, Option<String>),
}

impl Place {
    fn root(
        group: Group,
        usage: Usage,
        item: Option<String>,
        types: (Option<String>, Option<String>),
    ) -> Self {
        Place {
            group,
            usage,
            prefix: String::new(),
            path: String::new(),
            item,
            types,
        }
    }

    fn at(&self) -> String {
        match (self.prefix.is_empty(), self.path.is_empty()) {
            (_, true) => self.prefix.clone(),
            (true, false) => format!("`{}`", self.path),
            (false, false) => format!("{} `{}`", self.prefix, self.path),
        }
    }

    fn child(
        &self,
        segment: &str,
        separator: &str,
        types: (Option<String>, Option<String>),
    ) -> Self {
        let path = if self.path.is_empty() {
            segment.to_string()
        } else {
            format!("{}{separator}{segment}", self.path)
        };
        Place {
            path,
            types,
            ..self.clone()
        }
    }

    fn part(&self, prefix: String, usage: Usage, types: (Option<String>, Option<String>)) -> Self {
        Place {
            prefix,
            usage,
            types,
            path: String::new(),
            ..self.clone()
        }
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

    /// The generated struct a type names, on the base (`head == false`) or head side.
    /// Whether a struct literal of the generated struct a type names, on the base side, can
    /// leave fields out: it implements `Default`, or has a `new` constructor that fills them.
    fn fillable(&self, ty: Option<&str>) -> bool {
        let Some(ty) = ty else { return false };
        matches!(
            self.gen_base.item(strip_option(ty)),
            Some(TypeItem::Struct { default, constructor, .. }) if *default || *constructor
        )
    }

    fn structure(
        &self,
        ty: Option<&str>,
        head: bool,
    ) -> Option<(&'a BTreeMap<String, String>, bool)> {
        let surface = if head { self.gen_head } else { self.gen_base };
        match surface.item(strip_option(ty?))? {
            TypeItem::Struct {
                fields, default, ..
            } => Some((fields, *default)),
            _ => None,
        }
    }

    fn info(&mut self) {
        let (b, h) = (&self.base.info, &self.head.info);
        let place = Place::root(Group::Api, Usage::BOTH, None, (None, None));
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
        let types = (
            component_type(self.gen_base, b),
            component_type(self.gen_head, h),
        );
        let shown = types
            .1
            .clone()
            .unwrap_or_else(|| format!("types::{}", type_name(h)));
        let place = Place::root(group, usage, Some(item(&shown)), types);
        self.node(&place, Node::of(bs), Node::of(hs), None, 0);
    }

    /// Records `(old, new)` when the types at a place are generated types of different names.
    fn rename(&mut self, types: &(Option<String>, Option<String>)) {
        if let (Some(b), Some(h)) = types
            && let (Some(b), Some(h)) = (named(strip_option(b)), named(strip_option(h)))
            && b != h
        {
            self.renames.insert((b.to_string(), h.to_string()));
        }
    }
}
