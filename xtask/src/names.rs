//! The Rust names the generator gives spec names: the one copy of typify's name cleanup.
//!
//! typify 0.8 (`typify-impl/src/util.rs`, `sanitize`) and progenitor, which calls it, name
//! every type, field, method and setter this way: drop `'`, turn every character that cannot
//! continue an identifier into `-`, convert the case with `heck`, prefix `x` when the result
//! cannot start an identifier, and append `_` to a keyword. The enums the xtask emits itself
//! ([`crate::enums`]) use the same cleanup with the prefix `V`. When progenitor is upgraded,
//! compare this file with typify's `sanitize`.

use heck::{ToPascalCase, ToSnakeCase};

/// The Rust type name typify gives a component schema (`Case::Pascal`).
pub fn type_name(schema: &str) -> String {
    sanitize(schema, str::to_pascal_case, "x")
}

/// The Rust method, field or setter name progenitor and typify give an `operationId`, a
/// property or a parameter (`Case::Snake`).
pub fn snake_name(name: &str) -> String {
    sanitize(name, str::to_snake_case, "x")
}

/// The variant name the xtask's own enums give a value: typify's cleanup with the prefix `V`
/// (and typify's `plus1` and `minus1` in Pascal case, as variants are).
pub fn variant_name(value: &str) -> String {
    let name = sanitize(value, str::to_pascal_case, "V");
    match value {
        "+1" | "-1" => name.to_pascal_case(),
        _ => name,
    }
}

fn sanitize(input: &str, case: fn(&str) -> String, prefix: &str) -> String {
    let out = match input {
        // typify's special cases: if every case were special then none of them would be.
        "+1" => "plus1".to_string(),
        "-1" => "minus1".to_string(),
        _ => {
            let cleaned: String = input
                .chars()
                .filter(|&c| c != '\'')
                .map(|c| {
                    if unicode_ident::is_xid_continue(c) {
                        c
                    } else {
                        '-'
                    }
                })
                .collect();
            case(&cleaned)
        }
    };
    let prefix = case(prefix);
    let out = match out.chars().next() {
        None => prefix,
        Some(c) if unicode_ident::is_xid_start(c) => out,
        Some(_) => format!("{prefix}{out}"),
    };
    if is_keyword(&out) {
        format!("{out}_")
    } else {
        out
    }
}

/// typify's `accept_as_ident`, negated: the words it appends `_` to.
fn is_keyword(ident: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "_", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
        "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
        "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv",
        "pub", "ref", "return", "Self", "self", "static", "struct", "super", "trait", "true",
        "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
    ];
    KEYWORDS.contains(&ident)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_typify() {
        assert_eq!(type_name("GetSessionResult"), "GetSessionResult");
        assert_eq!(type_name("3d-thing"), "X3dThing");
        assert_eq!(snake_name("createSession"), "create_session");
        assert_eq!(snake_name("type"), "type_");
        assert_eq!(snake_name("sdkId"), "sdk_id");
        // typify drops `'` rather than splitting the word there.
        assert_eq!(variant_name("DON'T_KNOW"), "DontKnow");
        assert_eq!(
            variant_name("ID_DOCUMENT_AUTHENTICITY"),
            "IdDocumentAuthenticity"
        );
        assert_eq!(variant_name("3D"), "V3d");
        assert_eq!(variant_name("+1"), "Plus1");
        assert_eq!(snake_name("+1"), "plus1");
    }
}
