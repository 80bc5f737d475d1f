//! The public items of the generated code, read with `syn` from what the generator really
//! produces: the types with their fields and `Default` impls, the enums with their variants,
//! and for each operation the client method, its builder's setters and what `send` returns.
//! This is what users of `idv-api` compile against, so it is what the diff names and compares
//! (as cargo-public-api and cargo-semver-checks do), instead of a model of typify's choices.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;

/// One generated type in `types`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TypeItem {
    /// A struct with named fields.
    Struct {
        /// Each field by its name on the wire (its `#[serde(rename)]`, else its Rust name),
        /// with its Rust type.
        fields: BTreeMap<String, String>,
        /// Whether it implements `Default`.
        default: bool,
        /// Whether it has a `new` constructor (added by `conveniences.rs` to a struct whose
        /// only required field is an enum) that fills every other field, so that struct
        /// literals can end in `..T::new(..)` as the README shows.
        constructor: bool,
    },
    /// A struct with one unnamed field: a newtype over the given type.
    Newtype(String),
    /// An enum, with its variants.
    Enum(Vec<String>),
}

/// One operation's generated API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Method {
    /// The `Client` method, e.g. `get_session`.
    pub name: String,
    /// The builder it returns, e.g. `GetSession`.
    pub builder: String,
    /// The builder's setters, each with the type its value converts into.
    pub setters: BTreeMap<String, String>,
    /// What a successful `send` holds: `T` of `Result<ResponseValue<T>, Error<E>>`.
    pub success: Option<String>,
    /// The error body type: `E` of `Result<ResponseValue<T>, Error<E>>`.
    pub error: Option<String>,
}

impl Method {
    /// The method and its builder, as a reviewer searches for them.
    pub(crate) fn markdown(&self) -> String {
        format!("`Client::{}`, `builder::{}`", self.name, self.builder)
    }
}

/// The public items of one generated file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Surface {
    /// The types in `types`, by name.
    pub types: BTreeMap<String, TypeItem>,
    /// The client's operations, by the name of their `Client` method (`get_session`:
    /// progenitor's snake case of the `operationId`, as in the generated `route` table).
    pub methods: BTreeMap<String, Method>,
}

impl Surface {
    /// Reads the public items of a generated file.
    pub(crate) fn of(file: &syn::File) -> Surface {
        let module = |name: &str| {
            file.items.iter().find_map(|item| match item {
                syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| items),
                _ => None,
            })
        };
        let mut surface = Surface::default();
        if let Some(items) = module("types") {
            surface.types = types(items);
        }
        // The operation builders, each under the `Client` method that returns it.
        let names = client_methods(&file.items);
        for mut method in
            module("builder").map_or_else(Vec::new, |items| builders(items, &surface.types))
        {
            if let Some(name) = names.get(&method.builder) {
                method.name = name.clone();
                surface.methods.insert(name.clone(), method);
            }
        }
        surface
    }

    /// The generated type a Rust type names, e.g. `types::Session`.
    pub(crate) fn item(&self, ty: &str) -> Option<&TypeItem> {
        self.types.get(named(ty)?)
    }
}

/// The name of the generated type `ty` is, without `types::`.
pub(crate) fn named(ty: &str) -> Option<&str> {
    ty.strip_prefix("types::")
        .filter(|name| !name.contains(['<', ':']))
}

/// `T` of `Option<T>`.
pub(crate) fn option_inner(ty: &str) -> Option<&str> {
    ty.strip_prefix("Option<")?.strip_suffix('>')
}

/// `ty` without one `Option<..>` around it.
pub(crate) fn strip_option(ty: &str) -> &str {
    option_inner(ty).unwrap_or(ty)
}

/// The element type of a `Vec<T>`, or the value type of a `BTreeMap<String, T>` or a
/// `serde_json::Map<String, T>`.
pub(crate) fn element(ty: &str) -> Option<&str> {
    if let Some(inner) = ty.strip_prefix("Vec<") {
        return inner.strip_suffix('>');
    }
    [
        "BTreeMap<String, ",
        "HashMap<String, ",
        "serde_json::Map<String, ",
    ]
    .iter()
    .find_map(|prefix| ty.strip_prefix(prefix)?.strip_suffix('>'))
}

/// A type's shape whatever the names of the generated types in it, and whatever is inside a
/// list or a map (compared at its own place): `types::_`, `Vec<_>`, `BTreeMap<String, _>`.
pub(crate) fn shape(ty: &str) -> String {
    let ty = strip_option(ty);
    if named(ty).is_some() {
        return "types::_".into();
    }
    match element(ty) {
        Some(inner) => format!("{}_>", &ty[..ty.len() - inner.len() - 1]),
        None => ty.to_string(),
    }
}

fn types(items: &[syn::Item]) -> BTreeMap<String, TypeItem> {
    let local: BTreeSet<String> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            syn::Item::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut types = BTreeMap::new();
    let mut defaults = BTreeSet::new();
    let mut constructors = BTreeSet::new();
    for item in items {
        match item {
            syn::Item::Struct(s) if is_public(&s.vis) => {
                let item = match &s.fields {
                    syn::Fields::Named(fields) => TypeItem::Struct {
                        fields: fields
                            .named
                            .iter()
                            .map(|f| (wire_name(f), render(&f.ty, &local)))
                            .collect(),
                        default: derives(&s.attrs, "Default"),
                        constructor: false,
                    },
                    syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                        let inner = fields.unnamed.first().map(|f| render(&f.ty, &local));
                        TypeItem::Newtype(inner.unwrap_or_default())
                    }
                    _ => TypeItem::Newtype(String::new()),
                };
                types.insert(s.ident.to_string(), item);
            }
            syn::Item::Enum(e) if is_public(&e.vis) => {
                let variants = e.variants.iter().map(|v| v.ident.to_string()).collect();
                types.insert(e.ident.to_string(), TypeItem::Enum(variants));
            }
            syn::Item::Type(t) if is_public(&t.vis) => {
                types.insert(
                    t.ident.to_string(),
                    TypeItem::Newtype(render(&t.ty, &local)),
                );
            }
            syn::Item::Impl(i) => {
                let is_default = i
                    .trait_
                    .as_ref()
                    .and_then(|(path, _)| path.segments.last())
                    .is_some_and(|s| s.ident == "Default");
                if is_default && let syn::Type::Path(p) = &*i.self_ty {
                    defaults.extend(p.path.segments.last().map(|s| s.ident.to_string()));
                }
                let has_new = i.trait_.is_none()
                    && i.items.iter().any(|item| {
                        matches!(item, syn::ImplItem::Fn(f) if is_public(&f.vis) && f.sig.ident == "new")
                    });
                if has_new && let syn::Type::Path(p) = &*i.self_ty {
                    constructors.extend(p.path.segments.last().map(|s| s.ident.to_string()));
                }
            }
            _ => {}
        }
    }
    for name in defaults {
        if let Some(TypeItem::Struct { default, .. }) = types.get_mut(&name) {
            *default = true;
        }
    }
    for name in constructors {
        if let Some(TypeItem::Struct { constructor, .. }) = types.get_mut(&name) {
            *constructor = true;
        }
    }
    types
}

fn is_public(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// Whether `#[derive(..)]` among `attrs` names `name`.
fn derives(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            a.parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            )
            .is_ok_and(|paths| paths.iter().any(|p| p.is_ident(name)))
        })
}

/// A field's name on the wire: its `#[serde(rename = "..")]`, else its Rust name.
fn wire_name(field: &syn::Field) -> String {
    let mut name = field
        .ident
        .as_ref()
        .map(|i| i.to_string().trim_start_matches("r#").to_string())
        .unwrap_or_default();
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                name = meta.value()?.parse::<syn::LitStr>()?.value();
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    name
}

/// Every operation builder in the top-level `builder` module: each `impl` with a `send`.
fn builders(items: &[syn::Item], types: &BTreeMap<String, TypeItem>) -> Vec<Method> {
    let local: BTreeSet<String> = types.keys().cloned().collect();
    let mut out = Vec::new();
    for item in items {
        let syn::Item::Impl(imp) = item else { continue };
        let syn::Type::Path(self_ty) = &*imp.self_ty else {
            continue;
        };
        let Some(builder) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        let mut method = Method {
            name: String::new(),
            builder,
            setters: BTreeMap::new(),
            success: None,
            error: None,
        };
        let mut sends = false;
        for f in imp.items.iter().filter_map(|i| match i {
            syn::ImplItem::Fn(f) if is_public(&f.vis) => Some(f),
            _ => None,
        }) {
            let name = f.sig.ident.to_string();
            if name == "send" {
                sends = true;
                (method.success, method.error) = send_types(&f.sig.output, &local);
            } else if name != "new" {
                method.setters.insert(name, setter_type(&f.sig, &local));
            }
        }
        if sends {
            out.push(method);
        }
    }
    out
}

/// `T` and `E` of `-> Result<ResponseValue<T>, Error<E>>`.
fn send_types(
    output: &syn::ReturnType,
    local: &BTreeSet<String>,
) -> (Option<String>, Option<String>) {
    let syn::ReturnType::Type(_, ty) = output else {
        return (None, None);
    };
    let args = generic_types(ty);
    let inner = |ty: Option<&syn::Type>| {
        ty.and_then(|t| generic_types(t).first().map(|t| render(t, local)))
    };
    (inner(args.first().copied()), inner(args.get(1).copied()))
}

/// The type arguments of the last segment of a path type.
fn generic_types(ty: &syn::Type) -> Vec<&syn::Type> {
    let syn::Type::Path(p) = ty else {
        return Vec::new();
    };
    match p.path.segments.last().map(|s| &s.arguments) {
        Some(syn::PathArguments::AngleBracketed(args)) => args
            .args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The type a setter's value converts into: `T` of its `V: TryInto<T>` bound, else the whole
/// signature (a `body_map` closure, say).
fn setter_type(sig: &syn::Signature, local: &BTreeSet<String>) -> String {
    let bound = sig
        .generics
        .where_clause
        .iter()
        .flat_map(|w| &w.predicates)
        .find_map(|p| {
            let syn::WherePredicate::Type(p) = p else {
                return None;
            };
            p.bounds.iter().find_map(|b| match b {
                syn::TypeParamBound::Trait(t) => {
                    let last = t.path.segments.last()?;
                    if last.ident != "TryInto" {
                        return None;
                    }
                    match &last.arguments {
                        syn::PathArguments::AngleBracketed(args) => {
                            args.args.iter().find_map(|a| match a {
                                syn::GenericArgument::Type(t) => Some(render(t, local)),
                                _ => None,
                            })
                        }
                        _ => None,
                    }
                }
                _ => None,
            })
        });
    bound.unwrap_or_else(|| sig.to_token_stream().to_string())
}

/// The `Client` methods: builder name → method name.
fn client_methods(items: &[syn::Item]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for item in items {
        let syn::Item::Impl(imp) = item else { continue };
        let is_client = imp.trait_.is_none()
            && matches!(&*imp.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"));
        if !is_client {
            continue;
        }
        for f in imp.items.iter().filter_map(|i| match i {
            syn::ImplItem::Fn(f) => Some(f),
            _ => None,
        }) {
            if let syn::ReturnType::Type(_, ty) = &f.sig.output
                && let syn::Type::Path(p) = &**ty
                && p.path.segments.len() == 2
                && p.path.segments[0].ident == "builder"
            {
                out.insert(
                    p.path.segments[1].ident.to_string(),
                    f.sig.ident.to_string(),
                );
            }
        }
    }
    out
}

/// A Rust type as a report shows it: `Option<String>`, `Vec<types::Check>`,
/// `chrono::DateTime<chrono::offset::Utc>`. Paths lose their leading `::`, the prelude types
/// their `std::` path, and the generated types are always `types::Name`.
pub(crate) fn render(ty: &syn::Type, local: &BTreeSet<String>) -> String {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => {
            let idents: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            let full = idents.join("::");
            let name = match full.as_str() {
                "std::option::Option" => "Option".to_string(),
                "std::string::String" => "String".to_string(),
                "std::vec::Vec" => "Vec".to_string(),
                "std::boxed::Box" => "Box".to_string(),
                "std::collections::BTreeMap" => "BTreeMap".to_string(),
                "std::collections::HashMap" => "HashMap".to_string(),
                _ => match full.strip_prefix("crate::generated::types::") {
                    Some(rest) => format!("types::{rest}"),
                    None if idents.len() == 1 && local.contains(&full) => format!("types::{full}"),
                    None if full.starts_with("super::") => full.replacen("super::", "types::", 1),
                    None => full,
                },
            };
            let args = match p.path.segments.last().map(|s| &s.arguments) {
                Some(syn::PathArguments::AngleBracketed(args)) => {
                    let args: Vec<String> = args
                        .args
                        .iter()
                        .map(|a| match a {
                            syn::GenericArgument::Type(t) => render(t, local),
                            other => other.to_token_stream().to_string(),
                        })
                        .collect();
                    format!("<{}>", args.join(", "))
                }
                _ => String::new(),
            };
            format!("{name}{args}")
        }
        syn::Type::Reference(r) => format!("&{}", render(&r.elem, local)),
        syn::Type::Tuple(t) if t.elems.is_empty() => "()".into(),
        other => other.to_token_stream().to_string().replace(' ', ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_read_as_reports_show_them() {
        let local = BTreeSet::from(["Media".to_string()]);
        let ty = |s: &str| render(&syn::parse_str(s).unwrap(), &local);
        assert_eq!(
            ty("::std::option::Option<::std::vec::Vec<Media>>"),
            "Option<Vec<types::Media>>"
        );
        assert_eq!(
            ty(
                "::std::collections::BTreeMap<::std::string::String, crate::generated::types::Topic>"
            ),
            "BTreeMap<String, types::Topic>"
        );
        assert_eq!(
            ty("::chrono::DateTime<::chrono::offset::Utc>"),
            "chrono::DateTime<chrono::offset::Utc>"
        );
        assert_eq!(shape("Option<Vec<types::Media>>"), "Vec<_>");
        assert_eq!(shape("types::Media"), "types::_");
        assert_eq!(shape("i64"), "i64");
        assert_eq!(shape("BTreeMap<String, String>"), "BTreeMap<String, _>");
    }
}
