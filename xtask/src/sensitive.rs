//! Sensitive fields: personal data and secrets, marked in the spec with `x-sensitive: true`
//! on a schema property, and kept out of the generated types' `Debug`.
//!
//! - [`PERSONAL_NAMES`] is the one list of property names that always hold personal data or a
//!   secret. `cargo xtask check` refuses a property with such a name that carries no
//!   `x-sensitive` ([`violations`], one of the spec's rules): `true`, or `false` with its
//!   description saying why.
//! - [`mark`] runs on the copy of the spec progenitor sees: a marked property's description
//!   gets the [`MARKER`] sentence, so the generated field's doc says it is redacted, and the
//!   post-processing below finds the field by it (typify keeps a property's description as
//!   its field's doc, and nothing else of an extension).
//! - [`redact_debug`] replaces the derived `Debug` of every generated struct (and its builder)
//!   that has a marked field with one that prints [`REDACTED`] for that field and everything
//!   else as the derive would. `Serialize` and `Deserialize` are untouched: the wire is not.
//!   Generation fails unless every marked property ([`count`]) reached a redacted field.
//!
//! The unknown fields (`extra`) of a type with a marked field print their names only: the API
//! may add a field there that holds more of the same personal data (a middle name beside
//! `first_name`), and the generated client cannot know until the spec does. Elsewhere they
//! print in full, as they are what a user debugging a new API field needs to see.

use std::collections::BTreeMap;

use proc_macro2::Ident;
use serde_json::{Map, Value};
use syn::punctuated::Punctuated;

use crate::spec::escape;
use crate::validate::Violation;

/// The extension that marks a property as sensitive.
pub const EXTENSION: &str = "x-sensitive";

/// What `Debug` prints for a sensitive field: the AWS SDK for Rust's wording (smithy-rs
/// `@sensitive`), so users who know it recognise it.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// The sentence added to a marked field's doc comment; the generator finds marked fields by it.
pub const MARKER: &str = "Sensitive (`x-sensitive` in the spec): personal data or a secret. \
                          `Debug` prints `*** Sensitive Data Redacted ***` in its place.";

/// Property names that hold personal data or a secret wherever they appear. A property with one
/// of these names must carry `x-sensitive` (`cargo xtask check`). Matching ignores case; a name
/// ending `_token` matches too (see [`is_personal_name`]).
///
/// This catches the obvious misses only: a property is sensitive for what it holds, not for its
/// name, so a new property is thought through when it is added (CONTRIBUTING.md).
pub const PERSONAL_NAMES: &[&str] = &[
    // Names of the person.
    "full_name",
    "given_names",
    "first_name",
    "middle_name",
    "last_name",
    "family_name",
    "name_prefix",
    // Dates of birth.
    "date_of_birth",
    "dob",
    // Documents and their content.
    "document_number",
    "personal_number",
    "document_fields",
    "mrz",
    // Contact and location.
    "email",
    "email_address",
    "phone_number",
    "mobile_number",
    "address",
    "structured_postal_address",
    "postal_address",
    "post_code",
    "postcode",
    "ip_address",
    // Secrets.
    "api_key",
    "auth_token",
    "token",
    "password",
    "secret",
    "private_key",
];

/// Whether a property of this name must carry `x-sensitive`: it is in [`PERSONAL_NAMES`]
/// (ignoring case), or it ends in `_token` (`client_session_token`, `auth_token`, ...).
pub fn is_personal_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    PERSONAL_NAMES.contains(&name.as_str()) || name.ends_with("_token")
}

/// Whether a schema (a property's) is marked sensitive.
pub fn is_marked(schema: &Value) -> bool {
    schema.get(EXTENSION) == Some(&Value::Bool(true))
}

/// The rule `cargo xtask check` applies to every mapping `map` of the spec (at JSON pointer
/// `at`): a property whose name is in [`PERSONAL_NAMES`] (or ends in `_token`) carries
/// `x-sensitive`, `true` or `false` (a decision, with the description saying why). The mark is
/// a boolean, on a property schema, and not beside a `$ref` (OpenAPI 3.0 ignores what is,
/// so the generator would not see it, and Redocly and Spectral refuse it).
pub fn violations(map: &Map<String, Value>, at: &str) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut report = |pointer: String, message: &str| {
        out.push(Violation {
            pointer,
            message: message.to_string(),
        })
    };
    if let Some(mark) = map.get(EXTENSION) {
        let here = format!("{at}/{EXTENSION}");
        let is_property = at
            .rsplit_once('/')
            .is_some_and(|(parent, _)| parent.ends_with("/properties"));
        if !mark.is_boolean() {
            report(here, "must be `true` or `false`");
        } else if map.contains_key("$ref") {
            report(
                here,
                "beside a `$ref` it is ignored (OpenAPI 3.0) and linters refuse it \
                 (no-$ref-siblings): write `allOf: [{$ref: ...}]` with the mark beside it",
            );
        } else if !is_property {
            report(
                here,
                "only a property (under `properties`) can be marked; the generator redacts fields",
            );
        }
    }
    let properties = map.get("properties").and_then(Value::as_object);
    for (name, property) in properties.into_iter().flatten() {
        if is_personal_name(name) && property.get(EXTENSION).is_none() {
            report(
                format!("{at}/properties/{}", escape(name)),
                &format!(
                    "`{name}` is a known personal-data or secret name (xtask/src/sensitive.rs): \
                     add `x-sensitive: true` so `Debug` redacts it, or `x-sensitive: false` \
                     with the description saying why it holds no personal data"
                ),
            );
        }
    }
    out
}

/// Adds [`MARKER`] to the description of every marked property in the prepared copy.
pub fn mark(node: &mut Value) {
    each_properties(node, &mut |properties| {
        for property in properties.values_mut() {
            if is_marked(property)
                && let Value::Object(p) = property
            {
                let text = match p.get("description").and_then(Value::as_str) {
                    Some(d) => format!("{}\n\n{MARKER}", d.trim_end()),
                    None => MARKER.to_string(),
                };
                p.insert("description".into(), Value::String(text));
            }
        }
    });
}

/// How many properties are marked: the generated types must have as many redacted fields.
pub fn count(node: &Value) -> usize {
    let mut node = node.clone();
    let mut n = 0;
    each_properties(&mut node, &mut |properties| {
        n += properties.values().filter(|p| is_marked(p)).count();
    });
    n
}

/// Calls `visit` with every `properties` mapping of the spec's schemas. What is under `enum`,
/// `example` and `default` is data, and what is under an `x-` extension (the emulator's own
/// properties) is not generated: both are skipped.
fn each_properties(node: &mut Value, visit: &mut dyn FnMut(&mut Map<String, Value>)) {
    match node {
        Value::Object(map) => {
            if let Some(Value::Object(properties)) = map.get_mut("properties") {
                visit(properties);
            }
            for (key, child) in map.iter_mut() {
                if !matches!(key.as_str(), "enum" | "example" | "default") && !key.starts_with("x-")
                {
                    each_properties(child, visit);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| each_properties(v, visit)),
        _ => {}
    }
}

/// Whether a field's doc comment carries [`MARKER`].
fn field_is_marked(field: &syn::Field) -> bool {
    field.attrs.iter().any(|attr| match &attr.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => matches!(&nv.value,
            syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) if s.value().contains(MARKER)),
        _ => false,
    })
}

/// Removes `Debug` from a struct's `#[derive(..)]`; whether it was there.
fn drop_derived_debug(item: &mut syn::ItemStruct) -> bool {
    let mut found = false;
    for attr in &mut item.attrs {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let Ok(derives) =
            attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        let kept: Punctuated<syn::Path, syn::Token![,]> = derives
            .iter()
            .filter(|d| !d.is_ident("Debug"))
            .cloned()
            .collect();
        if kept.len() != derives.len() {
            found = true;
            *attr = syn::parse_quote!(#[derive(#kept)]);
        }
    }
    found
}

/// How one field prints in the hand-made `Debug`.
enum Shown {
    AsIs,
    Redacted,
    Names,
}

/// The `Debug` impl for `item`, printing each field as `shown` says.
fn debug_impl(item: &syn::ItemStruct, shown: impl Fn(&Ident) -> Shown) -> Option<syn::Item> {
    let syn::Fields::Named(fields) = &item.fields else {
        return None;
    };
    let name = &item.ident;
    let label = name.to_string();
    let calls = fields
        .named
        .iter()
        .filter_map(|f| f.ident.as_ref())
        .map(|ident| {
            let key = ident.to_string();
            match shown(ident) {
                Shown::AsIs => quote::quote!(.field(#key, &self.#ident)),
                Shown::Redacted => quote::quote!(.field(#key, &Redacted)),
                Shown::Names => quote::quote!(.field(#key, &UnknownFieldNames(&self.#ident))),
            }
        });
    Some(syn::parse_quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label) #( #calls )* .finish()
            }
        }
    })
}

/// Replaces the derived `Debug` of every struct in `items` (the `types` module) with a marked
/// field, and of its builder in the `builder` submodule, with one that redacts. Adds the two
/// helpers the impls use when any struct needs them. Returns how many marked fields the
/// `types` module's structs have.
pub fn redact_debug(items: &mut Vec<syn::Item>) -> usize {
    let mut found = 0;
    let mut marked: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut added = Vec::new();
    for item in items.iter_mut() {
        let syn::Item::Struct(s) = item else { continue };
        let sensitive: Vec<String> = s
            .fields
            .iter()
            .filter(|f| field_is_marked(f))
            .filter_map(|f| f.ident.as_ref().map(Ident::to_string))
            .collect();
        found += sensitive.len();
        if sensitive.is_empty() || !drop_derived_debug(s) {
            continue;
        }
        let is_extra = |f: &syn::Field| {
            f.attrs.iter().any(|a| {
                a.path().is_ident("serde")
                    && a.parse_args::<syn::Path>()
                        .is_ok_and(|p| p.is_ident("flatten"))
            })
        };
        let extra: Vec<String> = s
            .fields
            .iter()
            .filter(|f| is_extra(f))
            .filter_map(|f| f.ident.as_ref().map(Ident::to_string))
            .collect();
        added.extend(debug_impl(s, |ident| {
            let ident = ident.to_string();
            if sensitive.contains(&ident) {
                Shown::Redacted
            } else if extra.contains(&ident) {
                Shown::Names
            } else {
                Shown::AsIs
            }
        }));
        // The builder holds the same values, and its unknown fields in a `Result`: redact them.
        marked.insert(s.ident.to_string(), [sensitive, extra].concat());
    }
    if marked.is_empty() {
        return found;
    }
    let builders = items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => m.content.as_mut(),
        _ => None,
    });
    if let Some((_, builders)) = builders {
        let mut impls = Vec::new();
        for item in builders.iter_mut() {
            let syn::Item::Struct(s) = item else { continue };
            let Some(redacted) = marked.get(&s.ident.to_string()) else {
                continue;
            };
            if drop_derived_debug(s) {
                impls.extend(debug_impl(s, |ident| {
                    if redacted.contains(&ident.to_string()) {
                        Shown::Redacted
                    } else {
                        Shown::AsIs
                    }
                }));
            }
        }
        builders.push(syn::parse_quote!(
            use super::Redacted;
        ));
        builders.extend(impls);
    }
    let redacted = REDACTED;
    items.push(syn::parse_quote! {
        /// What `Debug` prints for a field marked `x-sensitive` in the spec.
        struct Redacted;
    });
    items.push(syn::parse_quote! {
        impl ::std::fmt::Debug for Redacted {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(#redacted)
            }
        }
    });
    items.push(syn::parse_quote! {
        /// The unknown fields of a type that holds personal data, as `Debug` prints them: their
        /// names, never their values.
        struct UnknownFieldNames<'a>(&'a ::serde_json::Map<::std::string::String, ::serde_json::Value>);
    });
    items.push(syn::parse_quote! {
        impl ::std::fmt::Debug for UnknownFieldNames<'_> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_map().entries(self.0.keys().map(|k| (k, &Redacted))).finish()
            }
        }
    });
    items.extend(added);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn the_name_list_matches_ignoring_case_and_every_token() {
        for name in [
            "full_name",
            "Date_Of_Birth",
            "api_key",
            "token",
            "client_session_token",
        ] {
            assert!(is_personal_name(name), "{name}");
        }
        for name in ["id", "session_id", "state", "token_ttl", "document_type"] {
            assert!(!is_personal_name(name), "{name}");
        }
    }

    #[test]
    fn a_marked_field_and_its_builder_print_redacted_and_the_rest_as_derived() {
        let mut file: syn::File = syn::parse_quote! {
            #[derive(Clone, Debug, PartialEq)]
            pub struct Person {
                pub id: String,
                #[doc = "Their name.\n\nSensitive (`x-sensitive` in the spec): personal data or a secret. `Debug` prints `*** Sensitive Data Redacted ***` in its place."]
                pub full_name: String,
                #[serde(flatten)]
                pub extra: ::serde_json::Map<String, ::serde_json::Value>,
            }
            #[derive(Clone, Debug)]
            pub struct Plain { pub id: String }
            pub mod builder {
                #[derive(Clone, Debug)]
                pub struct Person { id: Result<String, String>, full_name: Result<String, String>, extra: Result<(), String> }
            }
        };
        redact_debug(&mut file.items);
        let text = file.to_token_stream().to_string();
        assert!(
            text.contains("# [derive (Clone , PartialEq)] pub struct Person"),
            "{text}"
        );
        assert!(
            text.contains("# [derive (Clone , Debug)] pub struct Plain"),
            "{text}"
        );
        assert!(text.contains(". field (\"id\" , & self . id) . field (\"full_name\" , & Redacted) . field (\"extra\" , & UnknownFieldNames (& self . extra))"), "{text}");
        // The builder: the marked field and the unknown fields redacted.
        assert!(text.contains(". field (\"id\" , & self . id) . field (\"full_name\" , & Redacted) . field (\"extra\" , & Redacted)"), "{text}");
    }
}
