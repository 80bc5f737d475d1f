//! The classification table: how one kind of spec change affects users of the generated client.
//!
//! The point of view is a Rust program that depends on `idv-api`: it builds requests with the
//! generated builders, reads response fields, and matches on enums. A change is **breaking**
//! when such a program may stop compiling, or a call or a response parse that worked may now
//! fail or behave differently; **additive** when the program keeps compiling and working;
//! **docs only** when only text changes. A change in the generated Rust type of a field is always
//! breaking, whatever the wire says; the types are read from the generated code.
//!
//! Struct literals are covered as the README recommends writing them: a generated struct that
//! implements `Default` is built with `..Default::default()`, and one with a `new` constructor
//! (its one required field an enum, see `conveniences.rs`) with `..T::new(..)`, so a new
//! optional field does not break either; a struct with neither must name every field, so any
//! new field breaks its literals.
//! Losing the `Default` impl is breaking. Exhaustive destructuring (`let T { a, b } = t;`
//! without `..`) is not covered: write `..`.

use super::{Class, Usage};

/// One kind of change found by the comparison. `retyped` says whether the generated Rust type
/// of the field changes with it (for example `T` becoming `Option<T>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    OpAdded,
    OpRemoved,
    OpRenamed,
    OpMoved,
    ParamAdded {
        required: bool,
    },
    ParamRemoved,
    ParamMadeRequired,
    ParamMadeOptional,
    BodyAdded,
    BodyRemoved,
    BodyMadeRequired,
    BodyMadeOptional,
    MediaTypeChanged,
    StatusAdded,
    StatusRemoved,
    SchemaAdded,
    SchemaRemoved,
    /// `literal`: the struct has no `Default` and no `new`, so its literals must name the new
    /// field.
    FieldAdded {
        required: bool,
        literal: bool,
    },
    DefaultAdded,
    DefaultRemoved,
    FieldRemoved,
    FieldMadeRequired {
        retyped: bool,
    },
    FieldMadeOptional {
        retyped: bool,
    },
    Retyped,
    VariantsChanged,
    EnumValueAdded,
    EnumValueRemoved,
    /// A constraint now rejects values it accepted. The generated client checks none of them
    /// when it parses (see `generate::prepare`), so only requests can be affected.
    Tightened,
    Loosened,
    DefaultChanged {
        retyped: bool,
    },
    NullableChanged {
        retyped: bool,
    },
    /// The property gained `x-sensitive: true`: `Debug` now redacts it.
    MadeSensitive,
    /// The property lost `x-sensitive: true`: `Debug` now prints its value.
    MadeNotSensitive,
    Docs,
}

/// Which way a schema's values travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dir {
    Request,
    Response,
}

use Class::{Additive, Breaking, DocsOnly};

/// Classifies `kind` for a schema used as `usage` says. A schema used both ways, or by no
/// operation at all (its type is generated all the same), gets the worse of the two verdicts.
pub(crate) fn classify(kind: Kind, usage: Usage) -> (Class, &'static str) {
    let request = rule(kind, Dir::Request);
    let response = rule(kind, Dir::Response);
    match (usage.request, usage.response) {
        (true, false) => request,
        (false, true) => response,
        _ if response.0 > request.0 => response,
        _ => request,
    }
}

fn rule(kind: Kind, dir: Dir) -> (Class, &'static str) {
    use Dir::{Request, Response};
    use Kind::*;
    const TYPE_CHANGES: &str =
        "the generated Rust type changes: code that uses it no longer compiles";
    match (kind, dir) {
        (OpAdded, _) => (Additive, "new method"),
        (OpRemoved, _) => (
            Breaking,
            "the method is gone: calls to it no longer compile",
        ),
        (OpRenamed, _) => (
            Breaking,
            "the method is renamed: calls to the old name no longer compile",
        ),
        (OpMoved, _) => (Breaking, "the method now sends a different HTTP request"),
        (ParamAdded { required: true }, _) => (Breaking, "calls that do not set it now fail"),
        (ParamAdded { required: false }, _) => (Additive, "new optional builder setter"),
        (ParamRemoved, _) => (
            Breaking,
            "its builder setter is gone: calls to it no longer compile",
        ),
        (ParamMadeRequired, _) => (Breaking, "calls that do not set it now fail"),
        (ParamMadeOptional, _) => (
            Additive,
            "calls may leave it unset; the setter is unchanged",
        ),
        (BodyAdded, _) => (
            Breaking,
            "calls that do not set the new body fail: progenitor's builders always require a body",
        ),
        (BodyRemoved, _) => (
            Breaking,
            "the body setter is gone: calls to it no longer compile",
        ),
        (BodyMadeRequired | BodyMadeOptional, _) => (
            Additive,
            "progenitor's builders always require a body, so callers see no change",
        ),
        (MediaTypeChanged, _) => (
            Breaking,
            "the method sends or decodes a different media type",
        ),
        (StatusAdded, _) => (Additive, "the client decodes one more documented status"),
        (StatusRemoved, _) => (
            Breaking,
            "the client no longer decodes this status: it becomes an unexpected response",
        ),
        (SchemaAdded, _) => (Additive, "new generated type"),
        (SchemaRemoved, _) => (
            Breaking,
            "the generated type is gone: code that names it no longer compiles",
        ),
        (FieldAdded { required: true, .. }, Request) => (Breaking, "every request must now set it"),
        (FieldAdded { literal: true, .. }, _) => (
            Breaking,
            "struct literals of the type no longer compile: it has no `Default` or `new` to fill in the new field",
        ),
        (
            FieldAdded {
                required: false, ..
            },
            Request,
        ) => (Additive, "callers may leave it unset"),
        (FieldAdded { .. }, Response) => (Additive, "new field to read"),
        (FieldRemoved, Request) => (Breaking, "code that sets it no longer compiles"),
        (FieldRemoved, Response) => (Breaking, "code that reads it no longer compiles"),
        (FieldMadeRequired { retyped: true } | FieldMadeOptional { retyped: true }, _) => {
            (Breaking, TYPE_CHANGES)
        }
        (FieldMadeRequired { .. }, Request) => (Breaking, "requests that leave it unset now fail"),
        (FieldMadeRequired { .. }, Response) => {
            (Additive, "always sent now; the generated type is unchanged")
        }
        (FieldMadeOptional { .. }, Request) => (
            Additive,
            "callers may leave it unset; the generated type is unchanged",
        ),
        (FieldMadeOptional { .. }, Response) => (
            Additive,
            "may be absent now and then reads as its default; the generated type is unchanged",
        ),
        (DefaultAdded, _) => (
            Additive,
            "`T::default()` and `..Default::default()` now work",
        ),
        (DefaultRemoved, _) => (
            Breaking,
            "`T::default()` and struct literals with `..Default::default()` no longer compile",
        ),
        (Retyped, _) => (Breaking, TYPE_CHANGES),
        (VariantsChanged, _) => (Breaking, "the generated enum's variants change"),
        (EnumValueAdded, _) => (
            Additive,
            "new variant; the generated enums are non-exhaustive and keep unknown values",
        ),
        (EnumValueRemoved, Request) => (
            Breaking,
            "the variant is gone and the server rejects the value",
        ),
        (EnumValueRemoved, Response) => (
            Breaking,
            "the variant is gone: code that matches it no longer compiles (the value would parse as unknown)",
        ),
        (Tightened, Request) => (Breaking, "a value that was accepted may now be rejected"),
        (Tightened, Response) => (Additive, "narrower values; the client does not check this"),
        (Loosened, Request) => (Additive, "more values are accepted"),
        (Loosened, Response) => (Additive, "the client accepts more values"),
        (DefaultChanged { retyped: true } | NullableChanged { retyped: true }, _) => {
            (Breaking, TYPE_CHANGES)
        }
        (DefaultChanged { .. }, Request) => (
            Breaking,
            "when the caller leaves it unset, the server applies a different value",
        ),
        (DefaultChanged { .. }, Response) => (
            Breaking,
            "when the server omits it, it means a different value (the field reads `None` either way)",
        ),
        (NullableChanged { .. }, _) => (
            Additive,
            "the generated field is an `Option` either way and `None` is not sent",
        ),
        (MadeSensitive, _) => (
            Additive,
            "`Debug` now prints `*** Sensitive Data Redacted ***` for it: logs that showed the value no longer do; code and wire are unchanged",
        ),
        (MadeNotSensitive, _) => (
            Breaking,
            "`Debug` now prints its value: programs that log this type with `{:?}` start writing what was redacted (personal data or a secret) to their logs",
        ),
        (Docs, _) => (DocsOnly, "only doc comments change"),
    }
}
