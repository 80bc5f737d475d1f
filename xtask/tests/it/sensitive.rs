//! `x-sensitive`: the check refuses an unmarked personal-data name, the generator redacts a
//! marked field in `Debug` (and in its builder's), and nothing else changes.

use serde_json::{Value, json};
use xtask::error::Error;
use xtask::generate::generate;
use xtask::validate::validate;

use crate::{edited, real_spec};

/// A small test spec: one object with the given properties (a YAML flow mapping's items).
fn test_spec(properties: &str) -> Value {
    let yaml = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\n\
         components:\n  schemas:\n    Person: {{type: object, properties: {{{properties}}}}}\n    \
         Ref: {{type: object}}\n"
    );
    serde_yaml::from_str(&yaml).unwrap()
}

/// The `pointer: message` lines of the rules `properties` break.
fn broken(properties: &str) -> Vec<String> {
    validate(&test_spec(properties))
        .iter()
        .map(|v| v.to_string())
        .collect()
}

#[test]
fn an_unmarked_full_name_fails_the_check_where_it_is() {
    let v = broken("id: {type: string}, full_name: {type: string}");
    assert_eq!(v.len(), 1, "{v:#?}");
    assert!(
        v[0].starts_with("/components/schemas/Person/properties/full_name: `full_name` is a known personal-data or secret name (xtask/src/sensitive.rs): add `x-sensitive: true`"),
        "{v:#?}"
    );
    // Marked either way, it passes: `false` is a decision the description explains.
    assert_eq!(
        broken("full_name: {type: string, x-sensitive: true}"),
        Vec::<String>::new()
    );
    assert_eq!(
        broken("full_name: {type: string, x-sensitive: false}"),
        Vec::<String>::new()
    );
}

#[test]
fn every_known_name_and_any_token_must_be_marked() {
    for name in [
        "date_of_birth",
        "document_number",
        "email",
        "phone_number",
        "api_key",
        "token",
        "refresh_token",
        "Given_Names",
        "address",
        "ip_address",
    ] {
        let v = broken(&format!("'{name}': {{type: string}}"));
        assert_eq!(v.len(), 1, "{name}: {v:#?}");
    }
    assert_eq!(
        broken("token_ttl: {type: integer}, session_id: {type: string}"),
        Vec::<String>::new()
    );
}

#[test]
fn a_mark_that_the_generator_cannot_honour_is_refused() {
    let cases = [
        (
            "a: {type: string, x-sensitive: 'yes'}",
            "/components/schemas/Person/properties/a/x-sensitive: must be `true` or `false`",
        ),
        (
            "a: {$ref: '#/components/schemas/Ref', x-sensitive: true}",
            "/components/schemas/Person/properties/a/x-sensitive: beside a `$ref` it is ignored",
        ),
        // `false` too: Redocly and Spectral refuse any sibling of a `$ref`.
        (
            "a: {$ref: '#/components/schemas/Ref', x-sensitive: false}",
            "/components/schemas/Person/properties/a/x-sensitive: beside a `$ref` it is ignored",
        ),
    ];
    for (properties, expected) in cases {
        let v = broken(properties);
        assert!(
            v.len() == 1 && v[0].starts_with(expected),
            "{properties}: {v:#?}"
        );
    }
    let mut spec = test_spec("a: {type: string}");
    spec["components"]["schemas"]["Person"]["x-sensitive"] = json!(true);
    let v: Vec<String> = validate(&spec).iter().map(|v| v.to_string()).collect();
    assert!(
        v.len() == 1 && v[0].starts_with("/components/schemas/Person/x-sensitive: only a property"),
        "{v:#?}"
    );
    // The mark beside `allOf: [{$ref}]` is what the rule asks for, `false` or `true`.
    for mark in ["false", "true"] {
        assert_eq!(
            broken(&format!(
                "a: {{allOf: [{{$ref: '#/components/schemas/Ref'}}], x-sensitive: {mark}}}"
            )),
            Vec::<String>::new()
        );
    }
}

#[test]
fn the_real_spec_with_an_unmarked_full_name_does_not_generate() {
    let spec = edited(|s| {
        s["components"]["schemas"]["IbvContactProfile"]["properties"]["full_name"] =
            json!({"type": "string"})
    });
    match generate(&spec) {
        Err(Error::Rules(v)) => {
            let v: Vec<String> = v.iter().map(|v| v.to_string()).collect();
            assert_eq!(v.len(), 1, "{v:#?}");
            assert!(
                v[0].starts_with("/components/schemas/IbvContactProfile/properties/full_name: "),
                "{v:#?}"
            );
        }
        Err(other) => panic!("expected the rule, got {other}"),
        Ok(_) => panic!("an unmarked `full_name` generated"),
    }
}

/// The text of the generated `impl ::std::fmt::Debug for <name>` (the first one: the type's,
/// not its builder's, which comes earlier in the file).
fn debug_impl<'a>(generated: &'a str, name: &str, nth: usize) -> &'a str {
    let head = format!("impl ::std::fmt::Debug for {name} {{");
    let (start, _) = generated
        .match_indices(&head)
        .nth(nth)
        .unwrap_or_else(|| panic!("no Debug impl #{nth} for {name}"));
    let rest = &generated[start..];
    &rest[..rest.find(".finish()").unwrap()]
}

#[test]
fn a_marked_field_is_redacted_in_debug_and_its_wire_form_is_untouched() {
    let marked = edited(|s| {
        s["components"]["schemas"]["IbvContactProfile"]["properties"]["full_name"] =
            json!({"type": "string", "x-sensitive": true})
    });
    let unmarked = edited(|s| {
        s["components"]["schemas"]["IbvContactProfile"]["properties"]["full_name"] =
            json!({"type": "string", "x-sensitive": false})
    });
    let (marked, unmarked) = (generate(&marked).unwrap(), generate(&unmarked).unwrap());
    // The builder's impl, then the type's.
    let builder = debug_impl(&marked, "IbvContactProfile", 0);
    let ty = debug_impl(&marked, "IbvContactProfile", 1);
    for text in [builder, ty] {
        assert!(text.contains(".field(\"full_name\", &Redacted)"), "{text}");
        assert!(text.contains(".field(\"email\", &Redacted)"), "{text}");
    }
    assert!(
        ty.contains(".field(\"extra\", &UnknownFieldNames(&self.extra))"),
        "{ty}"
    );
    // Unmarked, the field prints as derived.
    let ty = debug_impl(&unmarked, "IbvContactProfile", 1);
    assert!(
        ty.contains(".field(\"full_name\", &self.full_name)"),
        "{ty}"
    );
    // Only the Debug impl and the doc differ: the serde attributes and the field are the same.
    let field = "pub full_name: ::std::option::Option<::std::string::String>,";
    assert_eq!(marked.matches(field).count(), 1);
    assert_eq!(unmarked.matches(field).count(), 1);
    let serde_lines = |text: &str| {
        text.lines()
            .filter(|l| l.contains("#[serde"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(serde_lines(&marked), serde_lines(&unmarked));
}

#[test]
fn generation_with_marks_is_deterministic() {
    let spec = real_spec();
    assert_eq!(generate(&spec).unwrap(), generate(&spec).unwrap());
}
