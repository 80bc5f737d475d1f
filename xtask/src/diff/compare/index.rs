//! Finding things in a spec: components, operations with their parameters, bodies and
//! responses, and which way each component schema's values travel.

use std::collections::BTreeMap;

use openapiv3::{
    Components, OpenAPI, Operation, Parameter, ParameterData, ParameterSchemaOrContent,
    ReferenceOr, RequestBody, Response, Schema, SchemaKind, Type,
};

use crate::diff::wire::Node;
use crate::diff::{Group, Usage};

pub(super) fn schema<'a>(api: &'a OpenAPI, name: &str) -> Option<&'a ReferenceOr<Schema>> {
    api.components.as_ref()?.schemas.get(name)
}

pub(super) fn schema_names(api: &OpenAPI) -> impl Iterator<Item = &str> {
    api.components
        .iter()
        .flat_map(|c| c.schemas.keys().map(String::as_str))
}

/// One operation, with its path-level parameters merged in.
pub(super) struct Op<'a> {
    pub id: String,
    pub method: &'static str,
    pub path: &'a str,
    pub op: &'a Operation,
    pub params: BTreeMap<(&'static str, &'a str), &'a ParameterData>,
}

impl<'a> Op<'a> {
    pub(super) fn group(&self) -> Group {
        Group::Operation {
            id: self.id.clone(),
            endpoint: format!("{} {}", self.method, self.path),
        }
    }

    pub(super) fn body(&self, api: &'a OpenAPI) -> Option<&'a RequestBody> {
        lookup(
            api,
            self.op.request_body.as_ref()?,
            "requestBodies",
            |c, name| c.request_bodies.get(name),
        )
    }

    /// The responses by status (`200`, `4XX`, `default`).
    pub(super) fn responses(&self, api: &'a OpenAPI) -> BTreeMap<String, &'a Response> {
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
pub(super) fn operations(api: &OpenAPI) -> BTreeMap<String, Op<'_>> {
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

pub(super) fn param_schema(data: &ParameterData) -> Option<Node<'_>> {
    match &data.format {
        ParameterSchemaOrContent::Schema(schema) => Some(Node::of(schema)),
        ParameterSchemaOrContent::Content(content) => {
            content.values().next()?.schema.as_ref().map(Node::of)
        }
    }
}

/// Which component schemas each direction reaches, following `$ref`s from every operation.
pub(super) fn usage(api: &OpenAPI) -> BTreeMap<&str, Usage> {
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
