//! The names the generator (progenitor 0.15 + typify 0.8, builder interface, merged tags) gives
//! to what a spec defines, so that a report can point at the generated items.
//!
//! - A component schema `FooBar` is the type `types::FooBar`, sanitized to Pascal case.
//! - An inline schema that needs a named type (an object with properties, an enum, a `oneOf`,
//!   a string with a `pattern` or a length limit) is named after where it sits: property `baz` of
//!   `FooBar` gives `FooBarBaz`, the items of an array named `Foo` give `FooItem`, the values of
//!   a map `Foo` give `FooValue`; a `title` wins over all of these. Inline request bodies are
//!   `<OperationId>Body`, inline responses `<OperationId>Response` and inline parameter types
//!   `<OperationId><ParamName>`. Types inside a `oneOf`/`anyOf` variant are attributed to the
//!   enclosing type.
//! - An operation `createSession` is the method `Client::create_session` and its builder
//!   `builder::CreateSession`.
//!
//! typify's own rules are in `typify-impl/src/{util,structs,convert}.rs`; these follow them for
//! the constructs our spec uses. Identifiers are sanitized as typify does, except that Unicode
//! identifier classes are approximated by `char::is_alphanumeric`.

use heck::{ToPascalCase, ToSnakeCase};

/// typify's `sanitize(name, Case::Pascal)`.
pub(crate) fn pascal(name: &str) -> String {
    sanitize(name, |s| s.to_pascal_case())
}

/// progenitor's `sanitize(name, Case::Snake)`.
pub(crate) fn snake(name: &str) -> String {
    sanitize(name, |s| s.to_snake_case())
}

fn sanitize(input: &str, case: impl Fn(&str) -> String) -> String {
    let cleaned: String = input
        .replace('\'', "")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let out = case(&cleaned);
    let out = match out.chars().next() {
        None => case("x"),
        Some(c) if c.is_alphabetic() || c == '_' => out,
        Some(_) => format!("{}{out}", case("x")),
    };
    if is_keyword(&out) {
        format!("{out}_")
    } else {
        out
    }
}

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

/// The generated name of property `prop` of the type named `parent`.
pub(crate) fn property(parent: &str, prop: &str) -> String {
    pascal(&format!("{parent}_{}", prop.to_snake_case()))
}

/// The generated name of an operation's inline type, e.g. `("createSession", "body")`.
pub(crate) fn operation_part(operation_id: &str, part: &str) -> String {
    pascal(&format!("{operation_id}-{part}"))
}

/// The generated method and builder of an operation, as a reviewer searches for them.
pub(crate) fn method(operation_id: &str) -> String {
    format!(
        "`Client::{}`, `builder::{}`",
        snake(operation_id),
        pascal(operation_id)
    )
}

/// The Rust integer type typify picks for an `integer` schema (`convert_integer`): the format
/// when the bounds fit it, else the type whose range the bounds match exactly, else `i64`.
/// A minimum of 1 picks a `NonZero` type.
pub(crate) fn integer(
    format: Option<&str>,
    min: Option<f64>,
    max: Option<f64>,
    multiple_of: bool,
) -> String {
    // (format, type, non-zero type, min, max), from the most to the least restrictive.
    const FORMATS: &[(&str, &str, &str, f64, f64)] = &[
        (
            "int8",
            "i8",
            "std::num::NonZeroU8",
            i8::MIN as f64,
            i8::MAX as f64,
        ),
        ("uint8", "u8", "std::num::NonZeroU8", 0.0, u8::MAX as f64),
        (
            "int16",
            "i16",
            "std::num::NonZeroU16",
            i16::MIN as f64,
            i16::MAX as f64,
        ),
        (
            "uint16",
            "u16",
            "std::num::NonZeroU16",
            0.0,
            u16::MAX as f64,
        ),
        (
            "int",
            "i32",
            "std::num::NonZeroU32",
            i32::MIN as f64,
            i32::MAX as f64,
        ),
        (
            "int32",
            "i32",
            "std::num::NonZeroU32",
            i32::MIN as f64,
            i32::MAX as f64,
        ),
        ("uint", "u32", "std::num::NonZeroU32", 0.0, u32::MAX as f64),
        (
            "uint32",
            "u32",
            "std::num::NonZeroU32",
            0.0,
            u32::MAX as f64,
        ),
        (
            "int64",
            "i64",
            "std::num::NonZeroU64",
            i64::MIN as f64,
            i64::MAX as f64,
        ),
        (
            "uint64",
            "u64",
            "std::num::NonZeroU64",
            0.0,
            u64::MAX as f64,
        ),
    ];
    let (mut min, mut max) = (min, max);
    if let Some(&(_, ty, nz, fmin, fmax)) = FORMATS.iter().find(|row| Some(row.0) == format) {
        if !multiple_of && min.is_none_or(|m| m >= fmin) && max.is_none_or(|m| m <= fmax) {
            return if min == Some(1.0) { nz } else { ty }.to_string();
        }
        min = min.or(Some(fmin));
        max = max.or(Some(fmax));
    }
    let close = |a: f64, b: f64| (a - b).abs() <= f64::EPSILON;
    let found = FORMATS
        .iter()
        .rev()
        .find_map(|&(_, ty, nz, fmin, fmax)| match (min, max) {
            (Some(1.0), _) => Some(nz),
            (None, Some(max)) if close(fmax, max) => Some(ty),
            (Some(min), None) if close(fmin, min) => Some(ty),
            (Some(min), Some(max)) if close(fmin, min) && close(fmax, max) => Some(ty),
            _ => None,
        });
    found.unwrap_or("i64").to_string()
}
