//! Forward-compatible enums, and the Rust names the generator gives spec items.
//!
//! typify turns a string enum into a closed Rust enum, and a value it does not list fails
//! deserialization, so one new check state from the server would fail a whole session. The
//! xtask therefore emits every enum component itself, with an `Unknown(String)` variant that
//! keeps any value the spec does not list, and tells progenitor to use it in place of its own
//! (`with_replacement`).

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::names::{self, type_name};

/// The Rust variant name of an enum value, or why there is none.
pub fn variant_name(value: &str) -> Result<String, String> {
    if !value.chars().any(char::is_alphanumeric) {
        return Err(format!(
            "`{value}` has no letters or digits to name a Rust variant"
        ));
    }
    let name = names::variant_name(value);
    if name == "Unknown" {
        return Err(format!(
            "`{value}` becomes the variant `Unknown`, which holds the values the spec does not list"
        ));
    }
    Ok(name)
}

/// An enum component schema.
pub struct OpenEnum {
    /// The schema's name, which is also the Rust type's name.
    pub name: String,
    /// The schema's description.
    pub description: Option<String>,
    /// The values, in the spec's order.
    pub values: Vec<String>,
}

impl OpenEnum {
    /// The Rust items for this enum: the type and its trait impls.
    pub fn tokens(&self) -> TokenStream {
        let name = Ident::new(&type_name(&self.name), Span::call_site());
        let variants: Vec<Ident> = self
            .values
            .iter()
            .map(|v| {
                // Validation has already rejected values without a variant name.
                let variant = variant_name(v).unwrap_or_else(|_| format!("V{}", v.len()));
                Ident::new(&variant, Span::call_site())
            })
            .collect();
        let values = &self.values;
        let value_docs = values.iter().map(|v| format!("`{v}`"));
        let description = self
            .description
            .as_deref()
            .unwrap_or(&self.name)
            .trim_end()
            .to_string();
        let forward = format!(
            "\n\nForward compatible: a value the spec does not list deserializes as \
             [`{name}::Unknown`], keeping the value, and serializes back unchanged. \
             Build a value from its wire form with `From<&str>`."
        );
        let expecting = format!("a {name} string");

        quote! {
            #[doc = #description]
            #[doc = #forward]
            #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #[non_exhaustive]
            pub enum #name {
                #( #[doc = #value_docs] #variants, )*
                /// A value this version of the spec does not list, kept exactly as received.
                Unknown(::std::string::String),
            }

            impl #name {
                /// The value as it appears on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #( Self::#variants => #values, )*
                        Self::Unknown(value) => value.as_str(),
                    }
                }

                /// Whether this is a value the spec does not list.
                pub fn is_unknown(&self) -> bool {
                    matches!(self, Self::Unknown(_))
                }
            }

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            impl ::std::convert::From<&str> for #name {
                fn from(value: &str) -> Self {
                    match value {
                        #( #values => Self::#variants, )*
                        other => Self::Unknown(other.to_owned()),
                    }
                }
            }

            impl ::std::convert::From<::std::string::String> for #name {
                fn from(value: ::std::string::String) -> Self {
                    match value.as_str() {
                        #( #values => Self::#variants, )*
                        _ => Self::Unknown(value),
                    }
                }
            }

            impl ::std::str::FromStr for #name {
                type Err = ::std::convert::Infallible;
                fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                    Ok(Self::from(value))
                }
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    struct Visitor;
                    impl ::serde::de::Visitor<'_> for Visitor {
                        type Value = #name;
                        fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                            f.write_str(#expecting)
                        }
                        fn visit_str<E: ::serde::de::Error>(self, value: &str) -> ::std::result::Result<#name, E> {
                            Ok(#name::from(value))
                        }
                        fn visit_string<E: ::serde::de::Error>(self, value: ::std::string::String) -> ::std::result::Result<#name, E> {
                            Ok(#name::from(value))
                        }
                    }
                    deserializer.deserialize_str(Visitor)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names_are_checked() {
        assert_eq!(
            variant_name("data_in_correct_position").as_deref(),
            Ok("DataInCorrectPosition")
        );
        assert_eq!(variant_name("3D").as_deref(), Ok("V3d"));
        assert!(variant_name("UNKNOWN").is_err());
        assert!(variant_name("--").is_err());
    }
}
