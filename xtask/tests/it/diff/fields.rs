//! Fields, enums, limits, defaults and docs of component schemas.

use super::{Case, LITERALS, TYPE_CHANGES, check, schemas};

#[test]
fn schema_changes_give_the_expected_report_lines() {
    let cases: Vec<Case> = vec![
        // Request fields.
        (
            "request field added, required",
            schemas(&["In: {type: object, properties: {a: {type: string}}}"]),
            schemas(&["In: {type: object, required: [b], properties: {a: {type: string}, b: {type: string}}}"]),
            vec![
                "#### `In` (used in requests)".into(),
                "- **breaking** no longer implements `Default` — `T::default()` and struct literals with `..Default::default()` no longer compile".into(),
                "- **breaking** `b`: field added (required) — every request must now set it".into(),
            ],
        ),
        (
            "request field added, optional",
            schemas(&["In: {type: object, properties: {a: {type: string}}}"]),
            schemas(&["In: {type: object, properties: {a: {type: string}, b: {type: string}}}"]),
            vec![
                "#### `In` (used in requests)".into(),
                "- **additive** `b`: field added (optional) — callers may leave it unset".into(),
            ],
        ),
        // Struct literals: a struct without `Default` must name every field.
        (
            "request field added, optional, to a struct without Default",
            schemas(&["In: {type: object, required: [a], properties: {a: {type: string}}}"]),
            schemas(&["In: {type: object, required: [a], properties: {a: {type: string}, b: {type: string}}}"]),
            vec![
                "#### `In` (used in requests)".into(),
                format!("- **breaking** `b`: field added (optional) — {LITERALS}"),
            ],
        ),
        (
            "response field added, optional, to a struct without Default",
            schemas(&["Out: {type: object, required: [a], properties: {a: {type: string}}}"]),
            schemas(&["Out: {type: object, required: [a], properties: {a: {type: string}, b: {type: string}}}"]),
            vec![
                "#### `Out` (used in responses)".into(),
                format!("- **breaking** `b`: field added (optional) — {LITERALS}"),
            ],
        ),
        // ... unless it has a `new` constructor (its one required field an enum): literals end
        // in `..T::new(..)`, which fills the new field (issue 16's DocumentFilter).
        (
            "request field added, optional, to a struct with a new constructor",
            schemas(&[
                "In: {type: object, required: [kind], properties: {kind: {$ref: '#/components/schemas/Kind'}}}",
                "Kind: {type: string, enum: [A, B]}",
            ]),
            schemas(&[
                "In: {type: object, required: [kind], properties: {kind: {$ref: '#/components/schemas/Kind'}, b: {type: boolean}}}",
                "Kind: {type: string, enum: [A, B]}",
            ]),
            vec![
                "#### `In` (used in requests)".into(),
                "- **additive** `b`: field added (optional) — callers may leave it unset".into(),
            ],
        ),
        (
            "nested inline struct without Default gains a field",
            schemas(&["Out: {type: object, properties: {doc: {type: object, required: [id], properties: {id: {type: string}}}}}"]),
            schemas(&["Out: {type: object, properties: {doc: {type: object, required: [id], properties: {id: {type: string}, n: {type: integer}}}}}"]),
            vec![
                "#### `Out` (used in responses)".into(),
                format!("- **breaking** `doc.n`: field added (optional) — {LITERALS}"),
            ],
        ),
        (
            "a list field made optional: the struct keeps its Default and its type",
            schemas(&["In: {type: object, required: [a], properties: {a: {type: array, items: {type: string}}, b: {type: string}}}"]),
            schemas(&["In: {type: object, properties: {a: {type: array, items: {type: string}}, b: {type: string}}}"]),
            vec![
                "#### `In` (used in requests)".into(),
                "- **additive** `a`: made optional — callers may leave it unset; the generated type is unchanged".into(),
            ],
        ),
        (
            "request field removed",
            schemas(&["In: {type: object, properties: {a: {type: string}, b: {type: string}}}"]),
            schemas(&["In: {type: object, properties: {a: {type: string}}}"]),
            vec![
                "#### `In` (used in requests)".into(),
                "- **breaking** `b`: field removed — code that sets it no longer compiles".into(),
            ],
        ),
        (
            "request field retyped",
            schemas(&["In: {type: object, properties: {a: {type: string}}}"]),
            schemas(&["In: {type: object, properties: {a: {type: integer}}}"]),
            vec![
                "#### `In` (used in requests)".into(),
                format!("- **breaking** `a`: retyped `string` → `integer` (generated `String` → `i64`) — {TYPE_CHANGES}"),
            ],
        ),
        (
            "request field made optional changes its type",
            schemas(&["In: {type: object, required: [a], properties: {a: {type: string}}}"]),
            schemas(&["In: {type: object, properties: {a: {type: string}}}"]),
            vec![
                "#### `In` (used in requests)".into(),
                "- **additive** now implements `Default` — `T::default()` and `..Default::default()` now work".into(),
                format!("- **breaking** `a`: made optional (generated field `String` → `Option<String>`) — {TYPE_CHANGES}"),
            ],
        ),
        (
            "request array field made optional keeps its type",
            schemas(&["In: {type: object, required: [a], properties: {a: {type: array, items: {type: string}}}}"]),
            schemas(&["In: {type: object, properties: {a: {type: array, items: {type: string}}}}"]),
            vec![
                "#### `In` (used in requests)".into(),
                "- **additive** `a`: made optional — callers may leave it unset; the generated type is unchanged".into(),
            ],
        ),
        (
            "request array field made required",
            schemas(&["In: {type: object, properties: {a: {type: array, items: {type: string}}}}"]),
            schemas(&["In: {type: object, required: [a], properties: {a: {type: array, items: {type: string}}}}"]),
            vec![
                "#### `In` (used in requests)".into(),
                "- **breaking** `a`: made required — requests that leave it unset now fail".into(),
            ],
        ),
        // Response fields.
        (
            "response field added, required",
            schemas(&["Out: {type: object, properties: {a: {type: string}}}"]),
            schemas(&["Out: {type: object, required: [b], properties: {a: {type: string}, b: {type: string}}}"]),
            vec![
                "#### `Out` (used in responses)".into(),
                "- **breaking** no longer implements `Default` — `T::default()` and struct literals with `..Default::default()` no longer compile".into(),
                "- **additive** `b`: field added (required) — new field to read".into(),
            ],
        ),
        (
            "response field added, optional",
            schemas(&["Out: {type: object, properties: {a: {type: string}}}"]),
            schemas(&["Out: {type: object, properties: {a: {type: string}, b: {type: string}}}"]),
            vec![
                "#### `Out` (used in responses)".into(),
                "- **additive** `b`: field added (optional) — new field to read".into(),
            ],
        ),
        (
            "response field removed",
            schemas(&["Out: {type: object, properties: {a: {type: string}, b: {type: string}}}"]),
            schemas(&["Out: {type: object, properties: {a: {type: string}}}"]),
            vec![
                "#### `Out` (used in responses)".into(),
                "- **breaking** `b`: field removed — code that reads it no longer compiles".into(),
            ],
        ),
        (
            "response field retyped by its format",
            schemas(&["Out: {type: object, properties: {at: {type: string, format: date}}}"]),
            schemas(&["Out: {type: object, properties: {at: {type: string, format: date-time}}}"]),
            vec![
                "#### `Out` (used in responses)".into(),
                format!(
                    "- **breaking** `at`: retyped (format `date` → `date-time`): generated `chrono::naive::NaiveDate` → \
                     `chrono::DateTime<chrono::offset::Utc>` — {TYPE_CHANGES}"
                ),
            ],
        ),
        (
            "response field made optional",
            schemas(&["Out: {type: object, required: [a], properties: {a: {type: string}}}"]),
            schemas(&["Out: {type: object, properties: {a: {type: string}}}"]),
            vec![
                "#### `Out` (used in responses)".into(),
                "- **additive** now implements `Default` — `T::default()` and `..Default::default()` now work".into(),
                format!("- **breaking** `a`: made optional (generated field `String` → `Option<String>`) — {TYPE_CHANGES}"),
            ],
        ),
        (
            "response field made required",
            schemas(&["Out: {type: object, properties: {a: {$ref: '#/components/schemas/Doc'}}}", "Doc: {type: object}"]),
            schemas(&["Out: {type: object, required: [a], properties: {a: {$ref: '#/components/schemas/Doc'}}}", "Doc: {type: object}"]),
            vec![
                "#### `Out` (used in responses)".into(),
                "- **breaking** no longer implements `Default` — `T::default()` and struct literals with `..Default::default()` no longer compile".into(),
                format!("- **breaking** `a`: made required (generated field `Option<types::Doc>` → `types::Doc`) — {TYPE_CHANGES}"),
            ],
        ),
        (
            "response array field made required keeps its type",
            schemas(&["Out: {type: object, properties: {a: {type: array, items: {type: string}}}}"]),
            schemas(&["Out: {type: object, required: [a], properties: {a: {type: array, items: {type: string}}}}"]),
            vec![
                "#### `Out` (used in responses)".into(),
                "- **additive** `a`: made required — always sent now; the generated type is unchanged".into(),
            ],
        ),
        (
            "response field made nullable",
            schemas(&["Out: {type: object, required: [a], properties: {a: {type: string}}}"]),
            schemas(&["Out: {type: object, required: [a], properties: {a: {type: string, nullable: true}}}"]),
            vec![
                "#### `Out` (used in responses)".into(),
                "- **additive** now implements `Default` — `T::default()` and `..Default::default()` now work".into(),
                format!("- **breaking** `a`: made nullable (generated field `String` → `Option<String>`) — {TYPE_CHANGES}"),
            ],
        ),
        (
            "optional response field made nullable keeps its type",
            schemas(&["Out: {type: object, properties: {a: {type: string}}}"]),
            schemas(&["Out: {type: object, properties: {a: {type: string, nullable: true}}}"]),
            vec![
                "#### `Out` (used in responses)".into(),
                "- **additive** `a`: made nullable — the generated field is an `Option` either way and `None` is not sent".into(),
            ],
        ),
        // Enums, each a named component as the spec's conventions want.
        (
            "request enum value added",
            schemas(&["In: {type: object, properties: {topic: {$ref: '#/components/schemas/Topic'}}}", "Topic: {type: string, enum: [A, B]}"]),
            schemas(&["In: {type: object, properties: {topic: {$ref: '#/components/schemas/Topic'}}}", "Topic: {type: string, enum: [A, B, C]}"]),
            vec![
                "#### `Topic` (used in requests)".into(),
                "- **additive** enum value `C` added — new variant; the generated enums are non-exhaustive and keep unknown values".into(),
            ],
        ),
        (
            "request enum value removed",
            schemas(&["In: {type: object, properties: {topic: {$ref: '#/components/schemas/Topic'}}}", "Topic: {type: string, enum: [A, B]}"]),
            schemas(&["In: {type: object, properties: {topic: {$ref: '#/components/schemas/Topic'}}}", "Topic: {type: string, enum: [A]}"]),
            vec![
                "#### `Topic` (used in requests)".into(),
                "- **breaking** enum value `B` removed — the variant is gone and the server rejects the value".into(),
            ],
        ),
        (
            "response enum value added",
            schemas(&["Out: {type: object, properties: {state: {$ref: '#/components/schemas/State'}}}", "State: {type: string, enum: [A, B]}"]),
            schemas(&["Out: {type: object, properties: {state: {$ref: '#/components/schemas/State'}}}", "State: {type: string, enum: [A, B, C]}"]),
            vec![
                "#### `State` (used in responses)".into(),
                "- **additive** enum value `C` added — new variant; the generated enums are non-exhaustive and keep unknown values".into(),
            ],
        ),
        (
            "response enum value removed",
            schemas(&["Out: {type: object, properties: {state: {$ref: '#/components/schemas/State'}}}", "State: {type: string, enum: [A, B]}"]),
            schemas(&["Out: {type: object, properties: {state: {$ref: '#/components/schemas/State'}}}", "State: {type: string, enum: [A]}"]),
            vec![
                "#### `State` (used in responses)".into(),
                "- **breaking** enum value `B` removed — the variant is gone: code that matches it no longer compiles \
                 (the value would parse as unknown)"
                    .into(),
            ],
        ),
        (
            "enum used both ways takes the request verdict",
            schemas(&[
                "In: {type: object, properties: {kind: {$ref: '#/components/schemas/Kind'}}}",
                "Out: {type: object, properties: {kind: {$ref: '#/components/schemas/Kind'}}}",
                "Kind: {type: string, enum: [A, B]}",
            ]),
            schemas(&[
                "In: {type: object, properties: {kind: {$ref: '#/components/schemas/Kind'}}}",
                "Out: {type: object, properties: {kind: {$ref: '#/components/schemas/Kind'}}}",
                "Kind: {type: string, enum: [A]}",
            ]),
            vec![
                "#### `Kind` (used in requests and responses)".into(),
                "- **breaking** enum value `B` removed — the variant is gone and the server rejects the value".into(),
            ],
        ),
        // Patterns, bounds, formats and defaults.
        (
            "request pattern changed",
            schemas(&["In: {type: object, properties: {url: {type: string, pattern: '^https?://'}}}"]),
            schemas(&["In: {type: object, properties: {url: {type: string, pattern: '^https://'}}}"]),
            vec![
                "#### `In` (used in requests)".into(),
                "- **breaking** `url`: pattern `^https?://` → `^https://` — a value that was accepted may now be rejected".into(),
            ],
        ),
        (
            "response pattern changed is not checked when parsing",
            schemas(&["Out: {type: object, properties: {url: {type: string, pattern: '^https?://'}}}"]),
            schemas(&["Out: {type: object, properties: {url: {type: string, pattern: '^https://'}}}"]),
            vec![
                "#### `Out` (used in responses)".into(),
                "- **additive** `url`: pattern `^https?://` → `^https://` — narrower values; the client does not check this".into(),
            ],
        ),
        (
            "pattern removed from a request field: the field stays a String",
            schemas(&["In: {type: object, properties: {url: {type: string, pattern: '^https://'}}}"]),
            schemas(&["In: {type: object, properties: {url: {type: string}}}"]),
            vec![
                "#### `In` (used in requests)".into(),
                "- **additive** `url`: pattern `^https://` removed — more values are accepted".into(),
            ],
        ),
        (
            "request maximum length added to a checked string",
            schemas(&["In: {type: object, properties: {id: {type: string, pattern: '^[a-z]+$'}}}"]),
            schemas(&["In: {type: object, properties: {id: {type: string, pattern: '^[a-z]+$', maxLength: 64}}}"]),
            vec![
                "#### `In` (used in requests)".into(),
                "- **breaking** `id`: maxLength 64 added — a value that was accepted may now be rejected".into(),
            ],
        ),
        (
            "request minimum raised",
            schemas(&["In: {type: object, properties: {ttl: {type: integer, minimum: 86700}}}"]),
            schemas(&["In: {type: object, properties: {ttl: {type: integer, minimum: 90000}}}"]),
            vec![
                "#### `In` (used in requests)".into(),
                "- **breaking** `ttl`: minimum 86700 → 90000 — a value that was accepted may now be rejected".into(),
            ],
        ),
        (
            "request minimum lowered",
            schemas(&["In: {type: object, properties: {ttl: {type: integer, minimum: 90000}}}"]),
            schemas(&["In: {type: object, properties: {ttl: {type: integer, minimum: 86700}}}"]),
            vec!["#### `In` (used in requests)".into(), "- **additive** `ttl`: minimum 90000 → 86700 — more values are accepted".into()],
        ),
        (
            "response minimum raised is not checked",
            schemas(&["Out: {type: object, properties: {ttl: {type: integer, minimum: 86700}}}"]),
            schemas(&["Out: {type: object, properties: {ttl: {type: integer, minimum: 90000}}}"]),
            vec![
                "#### `Out` (used in responses)".into(),
                "- **additive** `ttl`: minimum 86700 → 90000 — narrower values; the client does not check this".into(),
            ],
        ),
        (
            "minimum 0 makes the integer unsigned",
            schemas(&["Out: {type: object, properties: {count: {type: integer}}}"]),
            schemas(&["Out: {type: object, properties: {count: {type: integer, minimum: 0}}}"]),
            vec![
                "#### `Out` (used in responses)".into(),
                format!("- **breaking** `count`: retyped (minimum 0 added): generated `i64` → `u64` — {TYPE_CHANGES}"),
            ],
        ),
        (
            "request format changed without a change of type",
            schemas(&["In: {type: object, properties: {mail: {type: string, format: email}}}"]),
            schemas(&["In: {type: object, properties: {mail: {type: string, format: idn-email}}}"]),
            vec![
                "#### `In` (used in requests)".into(),
                "- **breaking** `mail`: format `email` → `idn-email` — a value that was accepted may now be rejected".into(),
            ],
        ),
        (
            "request default changed",
            schemas(&["In: {type: object, properties: {ttl: {type: integer, default: 87000}}}"]),
            schemas(&["In: {type: object, properties: {ttl: {type: integer, default: 90000}}}"]),
            vec![
                "#### `In` (used in requests)".into(),
                "- **breaking** `ttl`: default `87000` → `90000` — when the caller leaves it unset, the server applies a different value".into(),
            ],
        ),
        (
            "default added to an optional field: the field stays an Option, unset is not sent",
            schemas(&["In: {type: object, properties: {ttl: {type: integer}}}"]),
            schemas(&["In: {type: object, properties: {ttl: {type: integer, default: 87000}}}"]),
            vec![
                "#### `In` (used in requests)".into(),
                "- **breaking** `ttl`: default `87000` added — when the caller leaves it unset, the server applies a different value".into(),
            ],
        ),
        (
            "response default changed",
            schemas(&["Out: {type: object, properties: {ttl: {type: integer, default: 87000}}}"]),
            schemas(&["Out: {type: object, properties: {ttl: {type: integer, default: 90000}}}"]),
            vec![
                "#### `Out` (used in responses)".into(),
                "- **breaking** `ttl`: default `87000` → `90000` — when the server omits it, it means a different value (the field reads `None` either way)".into(),
            ],
        ),
        // Sensitivity: what `Debug` prints, so what users' logs show.
        (
            "a field made sensitive",
            schemas(&["Out: {type: object, properties: {a: {type: string}, b: {type: string}}}"]),
            schemas(&["Out: {type: object, properties: {a: {type: string, x-sensitive: true}, b: {type: string}}}"]),
            vec![
                "#### `Out` (used in responses)".into(),
                "- **additive** `a`: now sensitive (`x-sensitive`) — `Debug` now prints `*** Sensitive Data Redacted ***` for it: logs that showed the value no longer do; code and wire are unchanged".into(),
            ],
        ),
        (
            "a field no longer sensitive",
            schemas(&["In: {type: object, properties: {a: {type: string, x-sensitive: true}}}"]),
            schemas(&["In: {type: object, properties: {a: {type: string, x-sensitive: false}}}"]),
            vec![
                "#### `In` (used in requests)".into(),
                "- **breaking** `a`: no longer sensitive (`x-sensitive`) — `Debug` now prints its value: programs that log this type with `{:?}` start writing what was redacted (personal data or a secret) to their logs".into(),
            ],
        ),
        (
            "a nested free-form map made sensitive",
            schemas(&["Out: {type: object, properties: {doc: {type: object, properties: {fields: {type: object, additionalProperties: {}}}}}}"]),
            schemas(&["Out: {type: object, properties: {doc: {type: object, properties: {fields: {type: object, additionalProperties: {}, x-sensitive: true}}}}}"]),
            vec![
                "#### `Out` (used in responses)".into(),
                "- **additive** `doc.fields`: now sensitive (`x-sensitive`) — `Debug` now prints `*** Sensitive Data Redacted ***` for it: logs that showed the value no longer do; code and wire are unchanged".into(),
            ],
        ),
        // Docs.
        (
            "description-only changes",
            schemas(&["In: {type: object, description: old, properties: {a: {type: string, description: old}}}"]),
            schemas(&["In: {type: object, description: new, properties: {a: {type: string, description: new}}}"]),
            vec![
                "#### `In` (used in requests)".into(),
                "- **docs only** description changed — only doc comments change".into(),
                "- **docs only** `a`: description changed — only doc comments change".into(),
            ],
        ),
        (
            "a $ref wrapped in allOf to document it keeps its type",
            schemas(&["Out: {type: object, properties: {a: {$ref: '#/components/schemas/Doc'}}}", "Doc: {type: string, enum: [A]}"]),
            schemas(&[
                "Out: {type: object, properties: {a: {allOf: [{$ref: '#/components/schemas/Doc'}], description: The doc.}}}",
                "Doc: {type: string, enum: [A]}",
            ]),
            vec!["#### `Out` (used in responses)".into(), "- **docs only** `a`: description changed — only doc comments change".into()],
        ),
        // Nested inline schemas are reported under their component, by JSON path.
        (
            "nested inline field added",
            schemas(&["Out: {type: object, properties: {docs: {type: array, items: {type: object, properties: {a: {type: string}}}}}}"]),
            schemas(&[
                "Out: {type: object, properties: {docs: {type: array, items: {type: object, properties: {a: {type: string}, b: {type: string}}}}}}",
            ]),
            vec!["#### `Out` (used in responses)".into(), "- **additive** `docs[].b`: field added (optional) — new field to read".into()],
        ),
        // A list of strings becomes a list of a new named enum (issue 16's suppressed screens):
        // one breaking entry on the field, and the enum reported as a new schema; the retype
        // is not reported a second time as an unexplained change of the generated struct.
        (
            "request list items retyped to a new enum",
            schemas(&["In: {type: object, properties: {screens: {type: array, items: {type: string}}}}"]),
            schemas(&[
                "In: {type: object, properties: {screens: {type: array, items: {$ref: '#/components/schemas/Screen'}}}}",
                "Screen: {type: string, description: A screen., enum: [A, B]}",
            ]),
            vec![
                "#### `In` (used in requests)".into(),
                format!("- **breaking** `screens[]`: retyped `string` → `enum` (generated `String` → `types::Screen`) — {TYPE_CHANGES}"),
                "#### `Screen` (used in requests)".into(),
                "- **additive** schema added — new generated type".into(),
            ],
        ),
    ];
    check(&cases);
}

/// The review list names the struct whose field changed as breaking, and the new enum as
/// additive (issue 16: the new enum was listed as breaking, and the struct twice).
#[test]
fn a_field_retyped_to_a_new_enum_is_reviewed_on_its_struct() {
    let base = schemas(&[
        "In: {type: object, properties: {screens: {type: array, items: {type: string}}}}",
    ]);
    let head = schemas(&[
        "In: {type: object, properties: {screens: {type: array, items: {$ref: '#/components/schemas/Screen'}}}}",
        "Screen: {type: string, enum: [A, B]}",
    ]);
    let report = xtask::diff::diff_specs(Some(&base), &head).expect("specs parse");
    let markdown = report.to_markdown("base", "head");
    let review: Vec<&str> = markdown
        .lines()
        .skip_while(|l| !l.starts_with("### Generated items to review"))
        .filter(|l| l.starts_with("- `"))
        .collect();
    assert_eq!(
        review,
        ["- `types::In`: breaking", "- `types::Screen`: additive"]
    );
    assert!(
        markdown.contains("**Total:** 1 breaking, 1 additive, 0 docs only."),
        "{markdown}"
    );
}
