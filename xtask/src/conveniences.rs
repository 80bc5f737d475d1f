//! Constructors the xtask adds to the generated types, driven by their shape, so that the
//! common request values take one expression and no `.try_into()?`.
//!
//! typify's settings (`with_derive`, `with_patch`, the struct builder) cannot add
//! constructors or conversions, so these are generated here, from the structs typify emits:
//!
//! - A struct whose one required field is one of the spec's enums, every other field being
//!   optional (an `Option`, a list or a map), gets `new(<that enum>)` and `From<that enum>`:
//!   `RequestedCheck::new(CheckType::Liveness)`, `RequestedTask::from(TaskType::..)`,
//!   `RequiredDocument::new(RequiredDocumentType::IdDocument)`. No name list: a new schema of
//!   that shape gets them on its next generation.
//! - Every struct with a builder converts from its builder into an `Option` of itself, so a
//!   builder is accepted as is by a parent's setter of an optional field
//!   (`.config(RequestedCheckConfig::builder().manual_check(..))`), as it already is by a
//!   setter of a required one.

use proc_macro2::{Ident, Span};

use crate::enums::OpenEnum;
use crate::names::type_name;

/// The last path segment's name of a field type: `Option`, `Vec`, `CheckType`, ...
fn last_segment(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Whether a field is optional in the spec: an `Option`, or a list, map or the unknown
/// fields that deserialize from nothing (`#[serde(default)]`, `#[serde(flatten)]`). A list
/// the spec requires has neither, and stays a required argument.
fn optional(field: &syn::Field) -> bool {
    let serde_default = field.attrs.iter().any(|attr| {
        attr.path().is_ident("serde")
            && attr
                .parse_args_with(
                    syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
                )
                .is_ok_and(|args| {
                    args.iter()
                        .any(|a| a.path().is_ident("default") || a.path().is_ident("flatten"))
                })
    });
    serde_default || last_segment(&field.ty).as_deref() == Some("Option")
}

/// The items to add to the `types` module for `items` (the module's contents so far).
pub fn conveniences(items: &[syn::Item], enums: &[OpenEnum]) -> Vec<syn::Item> {
    let enum_names: Vec<String> = enums.iter().map(|e| type_name(&e.name)).collect();
    let builders: Vec<String> = items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "builder" => m.content.as_ref(),
            _ => None,
        })
        .into_iter()
        .flat_map(|(_, items)| items)
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for item in items {
        let syn::Item::Struct(s) = item else { continue };
        let name = &s.ident;
        if builders.contains(&name.to_string()) {
            let doc = format!(
                "A [`builder::{name}`] wherever an optional `{name}` goes, such as a parent \
                 builder's setter: it fails as the builder's own conversion does."
            );
            out.push(syn::parse_quote! {
                #[doc = #doc]
                impl ::std::convert::TryFrom<builder::#name> for ::std::option::Option<#name> {
                    type Error = error::ConversionError;
                    fn try_from(value: builder::#name) -> ::std::result::Result<Self, error::ConversionError> {
                        #name::try_from(value).map(Some)
                    }
                }
            });
        }
        let syn::Fields::Named(fields) = &s.fields else {
            continue;
        };
        let required: Vec<&syn::Field> = fields.named.iter().filter(|f| !optional(f)).collect();
        let [field] = required.as_slice() else {
            continue;
        };
        let Some(enum_name) = last_segment(&field.ty).filter(|t| enum_names.contains(t)) else {
            continue;
        };
        let Some(ident) = field.ident.as_ref() else {
            continue;
        };
        let ty = &field.ty;
        let enum_ident = Ident::new(&enum_name, Span::call_site());
        let others = fields
            .named
            .iter()
            .filter_map(|f| f.ident.as_ref())
            .filter(|i| *i != ident);
        let wire = ident.to_string().trim_end_matches('_').to_string();
        let new_doc = format!(
            "A `{name}` with this `{wire}` and every other field unset: \
             `{name}::new({enum_name}::..)`. Set more with struct update syntax: \
             `{name} {{ .., ..{name}::new(..) }}`."
        );
        let from_doc = format!("A `{name}` with this `{wire}` and every other field unset.");
        out.push(syn::parse_quote! {
            impl #name {
                #[doc = #new_doc]
                pub fn new(#ident: #ty) -> Self {
                    Self {
                        #ident,
                        #( #others: ::std::default::Default::default(), )*
                    }
                }
            }
        });
        out.push(syn::parse_quote! {
            #[doc = #from_doc]
            impl ::std::convert::From<#enum_ident> for #name {
                fn from(value: #enum_ident) -> Self {
                    Self::new(value)
                }
            }
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn kind() -> OpenEnum {
        OpenEnum {
            name: "Kind".into(),
            description: None,
            values: vec!["A".into()],
        }
    }

    /// The names of the constructors and conversions added for `module`'s items.
    fn added(module: syn::File) -> Vec<String> {
        conveniences(&module.items, &[kind()])
            .iter()
            .map(|item| match item {
                syn::Item::Impl(i) => {
                    let self_ty = i.self_ty.to_token_stream().to_string().replace(' ', "");
                    match &i.trait_ {
                        Some((path, _)) => {
                            let last = path.segments.last().unwrap().to_token_stream();
                            format!("{} for {self_ty}", last.to_string().replace(' ', ""))
                        }
                        None => format!("{self_ty}::new"),
                    }
                }
                other => panic!("{}", other.to_token_stream()),
            })
            .collect()
    }

    #[test]
    fn only_a_struct_whose_one_required_field_is_an_enum_gets_a_constructor() {
        let module: syn::File = syn::parse_quote! {
            pub struct Check {
                pub config: Option<Config>,
                #[serde(default, skip_serializing_if = "Vec::is_empty")]
                pub notes: Vec<String>,
                pub type_: crate::generated::types::Kind,
                #[serde(flatten)]
                pub extra: ::serde_json::Map<String, ::serde_json::Value>,
            }
            // The spec requires the list: no constructor would set it.
            pub struct Restriction { pub codes: Vec<String>, pub inclusion: Kind }
            // The one required field is not an enum.
            pub struct Named { pub name: String, pub note: Option<String> }
            // Two required fields.
            pub struct Pair { pub a: Kind, pub b: Kind }
            pub mod builder {
                pub struct Check {}
            }
        };
        assert_eq!(
            added(module),
            [
                "TryFrom<builder::Check> for ::std::option::Option<Check>",
                "Check::new",
                "From<Kind> for Check",
            ]
        );
    }
}
