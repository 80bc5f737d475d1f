//! What a schema means on the wire: a uniform view of one schema, whatever shape `openapiv3`
//! parsed it into. The Rust types are read from the generated code (`surface.rs`), never
//! predicted from the schema.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

const SCHEMAS: &str = "#/components/schemas/";

/// A schema as it appears at one place: a `$ref` to a component (by name), or inline.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Node<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> Node<'a> {
    pub(crate) fn of(schema: &'a ReferenceOr<Schema>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => {
                Node::Ref(reference.strip_prefix(SCHEMAS).unwrap_or(reference))
            }
            ReferenceOr::Item(schema) => Node::Inline(schema),
        }
    }

    pub(crate) fn boxed(schema: &'a ReferenceOr<Box<Schema>>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => {
                Node::Ref(reference.strip_prefix(SCHEMAS).unwrap_or(reference))
            }
            ReferenceOr::Item(schema) => Node::Inline(schema),
        }
    }

    /// The node whose type the generator uses here: typify gives an `allOf` of a single schema
    /// (a common way to document a `$ref`) the type of that schema.
    pub(crate) fn typed(self) -> Self {
        match self {
            Node::Inline(Schema {
                schema_kind: SchemaKind::AllOf { all_of },
                ..
            }) if all_of.len() == 1 => all_of.first().map_or(self, Node::of),
            _ => self,
        }
    }

    /// Follows `$ref`s to the schema itself. `None` for a dangling reference or a cycle of bare
    /// references; the parser rejects both before any comparison, so this only guards.
    pub(crate) fn resolve(self, api: &'a OpenAPI) -> Option<&'a Schema> {
        let mut node = self;
        for _ in 0..32 {
            match node {
                Node::Inline(schema) => return Some(schema),
                Node::Ref(name) => node = Node::of(api.components.as_ref()?.schemas.get(name)?),
            }
        }
        None
    }
}

/// The kinds of schema the comparison tells apart. A change of kind is a retyping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    String,
    Integer,
    Number,
    Boolean,
    Enum,
    /// An object with properties: a generated struct.
    Struct,
    /// An object with only `additionalProperties`: a map.
    Map,
    /// An object with neither: a free-form JSON object.
    Object,
    Array,
    OneOf,
    AnyOf,
    Not,
    Any,
}

impl Kind {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Integer => "integer",
            Kind::Number => "number",
            Kind::Boolean => "boolean",
            Kind::Enum => "enum",
            Kind::Struct => "object",
            Kind::Map => "map",
            Kind::Object => "free-form object",
            Kind::Array => "array",
            Kind::OneOf => "oneOf",
            Kind::AnyOf => "anyOf",
            Kind::Not => "not",
            Kind::Any => "any value",
        }
    }
}

/// A bound or a rule on values, compared to tell tightening from loosening.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Limit {
    /// A lower bound, and whether it is exclusive.
    Lower(f64, bool),
    /// An upper bound, and whether it is exclusive.
    Upper(f64, bool),
    /// Any other rule (`pattern`, `format`, `multipleOf`, ...): a change may reject old values.
    Rule(String),
}

/// One schema, flattened: `allOf` members are merged into one struct, as typify merges them.
#[derive(Debug)]
pub(crate) struct View<'a> {
    pub kind: Kind,
    pub format: Option<String>,
    pub enum_values: BTreeSet<String>,
    pub limits: BTreeMap<&'static str, Limit>,
    pub properties: BTreeMap<&'a str, Node<'a>>,
    pub required: BTreeSet<&'a str>,
    pub items: Option<Node<'a>>,
    pub values: Option<Node<'a>>,
    pub variants: Vec<Node<'a>>,
}

impl<'a> View<'a> {
    fn new(kind: Kind) -> Self {
        View {
            kind,
            format: None,
            enum_values: BTreeSet::new(),
            limits: BTreeMap::new(),
            properties: BTreeMap::new(),
            required: BTreeSet::new(),
            items: None,
            values: None,
            variants: Vec::new(),
        }
    }

    /// The view of `schema`; `api` resolves the members of an `allOf`.
    pub(crate) fn of(api: &'a OpenAPI, schema: &'a Schema) -> Self {
        Self::build(api, schema, &mut BTreeSet::new())
    }

    /// `merged`: the components already merged into this view through `allOf`, each merged once.
    fn build(api: &'a OpenAPI, schema: &'a Schema, merged: &mut BTreeSet<&'a str>) -> Self {
        let mut v = View::new(Kind::Any);
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                v.kind = Kind::String;
                v.format = format(&s.format);
                v.enum_values = s
                    .enumeration
                    .iter()
                    .map(|e| e.clone().unwrap_or_else(|| "null".into()))
                    .collect();
                v.rule("pattern", s.pattern.clone());
                v.bound("minLength", s.min_length.map(|n| n as f64), false, true);
                v.bound("maxLength", s.max_length.map(|n| n as f64), false, false);
            }
            SchemaKind::Type(Type::Integer(i)) => {
                v.kind = Kind::Integer;
                v.format = format(&i.format);
                v.enum_values = i
                    .enumeration
                    .iter()
                    .map(|e| json_text(&serde_json::json!(e)))
                    .collect();
                v.bound(
                    "minimum",
                    i.minimum.map(|n| n as f64),
                    i.exclusive_minimum,
                    true,
                );
                v.bound(
                    "maximum",
                    i.maximum.map(|n| n as f64),
                    i.exclusive_maximum,
                    false,
                );
                v.rule("multipleOf", i.multiple_of.map(|n| n.to_string()));
            }
            SchemaKind::Type(Type::Number(n)) => {
                v.kind = Kind::Number;
                v.format = format(&n.format);
                v.enum_values = n
                    .enumeration
                    .iter()
                    .map(|e| json_text(&serde_json::json!(e)))
                    .collect();
                v.bound("minimum", n.minimum, n.exclusive_minimum, true);
                v.bound("maximum", n.maximum, n.exclusive_maximum, false);
                v.rule("multipleOf", n.multiple_of.map(|n| n.to_string()));
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                v.kind = Kind::Boolean;
                v.enum_values = b
                    .enumeration
                    .iter()
                    .map(|e| json_text(&serde_json::json!(e)))
                    .collect();
            }
            SchemaKind::Type(Type::Object(o)) => {
                v.kind = Kind::Struct;
                v.properties = o
                    .properties
                    .iter()
                    .map(|(k, s)| (k.as_str(), Node::boxed(s)))
                    .collect();
                v.required = o.required.iter().map(String::as_str).collect();
                v.additional(o.additional_properties.as_ref());
                v.bound(
                    "minProperties",
                    o.min_properties.map(|n| n as f64),
                    false,
                    true,
                );
                v.bound(
                    "maxProperties",
                    o.max_properties.map(|n| n as f64),
                    false,
                    false,
                );
            }
            SchemaKind::Type(Type::Array(a)) => {
                v.kind = Kind::Array;
                v.items = a.items.as_ref().map(Node::boxed);
                v.bound("minItems", a.min_items.map(|n| n as f64), false, true);
                v.bound("maxItems", a.max_items.map(|n| n as f64), false, false);
                v.rule("uniqueItems", a.unique_items.then(|| "true".into()));
            }
            SchemaKind::OneOf { one_of } => v.composite(Kind::OneOf, one_of),
            SchemaKind::AnyOf { any_of } => v.composite(Kind::AnyOf, any_of),
            SchemaKind::Not { not } => v.composite(Kind::Not, std::slice::from_ref(not)),
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                if let Some(member) = all_of.first().and_then(|m| Node::of(m).resolve(api)) {
                    return Self::build(api, member, merged);
                }
            }
            SchemaKind::AllOf { all_of } => {
                v.kind = Kind::Struct;
                for member in all_of.iter().map(Node::of) {
                    if let Node::Ref(name) = member
                        && !merged.insert(name)
                    {
                        continue;
                    }
                    let Some(member) = member.resolve(api) else {
                        continue;
                    };
                    let m = Self::build(api, member, merged);
                    v.properties.extend(m.properties);
                    v.required.extend(m.required);
                    v.values = v.values.or(m.values);
                    v.limits.extend(m.limits);
                }
            }
            SchemaKind::Any(a) => {
                v.kind = match a.typ.as_deref() {
                    _ if !a.one_of.is_empty() => Kind::OneOf,
                    _ if !a.any_of.is_empty() => Kind::AnyOf,
                    Some("string") => Kind::String,
                    Some("integer") => Kind::Integer,
                    Some("number") => Kind::Number,
                    Some("boolean") => Kind::Boolean,
                    Some("array") => Kind::Array,
                    Some("object") => Kind::Struct,
                    None if !a.properties.is_empty() || a.additional_properties.is_some() => {
                        Kind::Struct
                    }
                    None if a.items.is_some() => Kind::Array,
                    _ => Kind::Any,
                };
                v.format = a.format.clone();
                v.enum_values = a.enumeration.iter().map(json_text).collect();
                v.properties = a
                    .properties
                    .iter()
                    .map(|(k, s)| (k.as_str(), Node::boxed(s)))
                    .collect();
                v.required = a.required.iter().map(String::as_str).collect();
                v.items = a.items.as_ref().map(Node::boxed);
                v.variants = a.one_of.iter().chain(&a.any_of).map(Node::of).collect();
                v.additional(a.additional_properties.as_ref());
                v.rule("pattern", a.pattern.clone());
                v.rule("multipleOf", a.multiple_of.map(|n| n.to_string()));
                v.bound(
                    "minimum",
                    a.minimum,
                    a.exclusive_minimum.unwrap_or(false),
                    true,
                );
                v.bound(
                    "maximum",
                    a.maximum,
                    a.exclusive_maximum.unwrap_or(false),
                    false,
                );
                v.bound("minLength", a.min_length.map(|n| n as f64), false, true);
                v.bound("maxLength", a.max_length.map(|n| n as f64), false, false);
                v.bound("minItems", a.min_items.map(|n| n as f64), false, true);
                v.bound("maxItems", a.max_items.map(|n| n as f64), false, false);
            }
        }
        if !v.enum_values.is_empty() {
            v.kind = Kind::Enum;
        }
        if v.kind == Kind::Struct && v.properties.is_empty() {
            v.kind = if v.values.is_some() {
                Kind::Map
            } else {
                Kind::Object
            };
        }
        if let Some(format) = &v.format {
            v.limits.insert("format", Limit::Rule(format.clone()));
        }
        v
    }

    fn bound(&mut self, name: &'static str, value: Option<f64>, exclusive: bool, lower: bool) {
        if let Some(value) = value {
            let limit = if lower {
                Limit::Lower(value, exclusive)
            } else {
                Limit::Upper(value, exclusive)
            };
            self.limits.insert(name, limit);
        }
    }

    fn rule(&mut self, name: &'static str, value: Option<String>) {
        if let Some(value) = value {
            self.limits.insert(name, Limit::Rule(value));
        }
    }

    fn additional(&mut self, additional: Option<&'a AdditionalProperties>) {
        match additional {
            Some(AdditionalProperties::Schema(s)) => self.values = Some(Node::of(s)),
            Some(AdditionalProperties::Any(false)) => {
                self.rule("additionalProperties", Some("false".into()))
            }
            Some(AdditionalProperties::Any(true)) | None => {}
        }
    }

    fn composite(&mut self, kind: Kind, variants: &'a [ReferenceOr<Schema>]) {
        self.kind = kind;
        self.variants = variants.iter().map(Node::of).collect();
    }
}

fn format<T: serde::Serialize>(format: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match serde_json::to_value(format) {
        Ok(Value::String(s)) => Some(s),
        _ => None,
    }
}

/// A JSON value as it reads in a report: strings bare, everything else as JSON.
pub(crate) fn json_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
