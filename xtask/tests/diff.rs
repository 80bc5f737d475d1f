//! `cargo xtask diff`: each classification, from a spec before and after, to the exact report
//! lines. Specs are small inline OpenAPI 3.0.3 documents; the larger pair under
//! `tests/fixtures/diff/` is the README's example.

use xtask::diff::{Bump, Side, Summary, diff_specs};

/// `POST /sessions`: its body is the schema `In`, its 200 response the schema `Out`.
const CREATE: &str = "/sessions: {post: {operationId: createSession, \
    requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/In'}}}}, \
    responses: {'200': {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/Out'}}}}}}}";

/// `GET /sessions/{id}` with the given extra parameters (a YAML flow sequence's items).
fn get_session(id: &str, params: &str) -> String {
    format!(
        "/sessions/{{id}}: {{get: {{operationId: {id}, \
         parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}{params}], \
         responses: {{'200': {{description: OK, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Out'}}}}}}}}}}}}}}"
    )
}

/// A spec with these paths and component schemas (one YAML line each); `In` and `Out` default
/// to an empty object.
fn doc(paths: &[&str], schemas: &[&str]) -> String {
    let mut out = String::from("openapi: 3.0.3\ninfo: {title: IDV, version: '1'}\npaths:\n");
    for path in paths {
        out += &format!("  {path}\n");
    }
    out += "components:\n  schemas:\n";
    for name in ["In", "Out"] {
        if !schemas.iter().any(|s| s.starts_with(&format!("{name}:"))) {
            out += &format!("    {name}: {{type: object}}\n");
        }
    }
    for schema in schemas {
        out += &format!("    {schema}\n");
    }
    out
}

/// A spec with `POST /sessions` and these component schemas.
fn schemas(schemas: &[&str]) -> String {
    doc(&[CREATE], schemas)
}

/// The lines of the report that carry information: group headings and entries.
fn report_lines(base: &str, head: &str) -> Vec<String> {
    let report = match diff_specs(Some(base), head) {
        Ok(report) => report,
        Err(e) => panic!("diff failed: {e}"),
    };
    let markdown = report.to_markdown("base", "head");
    markdown
        .lines()
        .filter(|l| l.starts_with("#### ") || l.starts_with("- **"))
        .map(String::from)
        .collect()
}

const TYPE_CHANGES: &str = "the generated Rust type changes: code that uses it no longer compiles";

#[test]
fn each_classification_gives_the_expected_report_lines() {
    let get_op = get_session("getSession", "");
    let cases: Vec<(&str, String, String, Vec<String>)> = vec![
        // Request fields.
        (
            "request field added, required",
            schemas(&["In: {type: object, properties: {a: {type: string}}}"]),
            schemas(&["In: {type: object, required: [b], properties: {a: {type: string}, b: {type: string}}}"]),
            vec![
                "#### `In` (used in requests)".into(),
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
                    "- **breaking** `at`: retyped (format `date` → `date-time`): generated `chrono::NaiveDate` → \
                     `chrono::DateTime<chrono::Utc>` — {TYPE_CHANGES}"
                ),
            ],
        ),
        (
            "response field made optional",
            schemas(&["Out: {type: object, required: [a], properties: {a: {type: string}}}"]),
            schemas(&["Out: {type: object, properties: {a: {type: string}}}"]),
            vec![
                "#### `Out` (used in responses)".into(),
                format!("- **breaking** `a`: made optional (generated field `String` → `Option<String>`) — {TYPE_CHANGES}"),
            ],
        ),
        (
            "response field made required",
            schemas(&["Out: {type: object, properties: {a: {$ref: '#/components/schemas/Doc'}}}", "Doc: {type: object}"]),
            schemas(&["Out: {type: object, required: [a], properties: {a: {$ref: '#/components/schemas/Doc'}}}", "Doc: {type: object}"]),
            vec![
                "#### `Out` (used in responses)".into(),
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
        // Operations.
        (
            "operation added",
            doc(&[CREATE], &[]),
            doc(&[CREATE, &get_op], &[]),
            vec![
                "#### `getSession` (`GET /sessions/{id}`)".into(),
                "- **additive** operation added (`GET /sessions/{id}`) — new method".into(),
            ],
        ),
        (
            "operation removed",
            doc(&[CREATE, &get_op], &[]),
            doc(&[CREATE], &[]),
            vec![
                "#### `getSession` (`GET /sessions/{id}`)".into(),
                "- **breaking** operation removed (`GET /sessions/{id}`) — the method is gone: calls to it no longer compile".into(),
            ],
        ),
        (
            "operationId renamed",
            doc(&[&get_op], &[]),
            doc(&[&get_session("fetchSession", "")], &[]),
            vec![
                "#### `fetchSession` (`GET /sessions/{id}`)".into(),
                "- **breaking** operationId `getSession` → `fetchSession` (was `Client::get_session`, `builder::GetSession`) — \
                 the method is renamed: calls to the old name no longer compile"
                    .into(),
            ],
        ),
        (
            "parameter added, required",
            doc(&[&get_op], &[]),
            doc(&[&get_session("getSession", ", {name: q, in: query, required: true, schema: {type: string}}")], &[]),
            vec![
                "#### `getSession` (`GET /sessions/{id}`)".into(),
                "- **breaking** parameter `q` (query): added (required) — calls that do not set it now fail".into(),
            ],
        ),
        (
            "parameter added, optional",
            doc(&[&get_op], &[]),
            doc(&[&get_session("getSession", ", {name: q, in: query, schema: {type: string}}")], &[]),
            vec![
                "#### `getSession` (`GET /sessions/{id}`)".into(),
                "- **additive** parameter `q` (query): added (optional) — new optional builder setter".into(),
            ],
        ),
        (
            "parameter removed",
            doc(&[&get_session("getSession", ", {name: X-Meta, in: header, schema: {type: string}}")], &[]),
            doc(&[&get_op], &[]),
            vec![
                "#### `getSession` (`GET /sessions/{id}`)".into(),
                "- **breaking** parameter `X-Meta` (header): removed — its builder setter is gone: calls to it no longer compile".into(),
            ],
        ),
        (
            "parameter made required",
            doc(&[&get_session("getSession", ", {name: q, in: query, schema: {type: string}}")], &[]),
            doc(&[&get_session("getSession", ", {name: q, in: query, required: true, schema: {type: string}}")], &[]),
            vec![
                "#### `getSession` (`GET /sessions/{id}`)".into(),
                "- **breaking** parameter `q` (query): made required — calls that do not set it now fail".into(),
            ],
        ),
        (
            "parameter made optional",
            doc(&[&get_session("getSession", ", {name: q, in: query, required: true, schema: {type: string}}")], &[]),
            doc(&[&get_session("getSession", ", {name: q, in: query, schema: {type: string}}")], &[]),
            vec![
                "#### `getSession` (`GET /sessions/{id}`)".into(),
                "- **additive** parameter `q` (query): made optional — calls may leave it unset; the setter is unchanged".into(),
            ],
        ),
        (
            "parameter maximum lowered",
            doc(&[&get_session("getSession", ", {name: limit, in: query, schema: {type: integer, maximum: 100}}")], &[]),
            doc(&[&get_session("getSession", ", {name: limit, in: query, schema: {type: integer, maximum: 50}}")], &[]),
            vec![
                "#### `getSession` (`GET /sessions/{id}`)".into(),
                "- **breaking** parameter `limit` (query): maximum 100 → 50 — a value that was accepted may now be rejected".into(),
            ],
        ),
        (
            "request body media type changed",
            doc(&[CREATE], &[]),
            doc(&[&CREATE.replacen("application/json", "application/x-www-form-urlencoded", 1)], &[]),
            vec![
                "#### `createSession` (`POST /sessions`)".into(),
                "- **breaking** request body: media type `application/json` → `application/x-www-form-urlencoded` — \
                 the method sends or decodes a different media type"
                    .into(),
            ],
        ),
        (
            "response status added",
            doc(&[&get_op], &[]),
            doc(&[&get_op.replace("responses: {", "responses: {'404': {description: Not found}, ")], &[]),
            vec![
                "#### `getSession` (`GET /sessions/{id}`)".into(),
                "- **additive** response 404: added — the client decodes one more documented status".into(),
            ],
        ),
        (
            "response status removed",
            doc(&[&get_op.replace("responses: {", "responses: {'404': {description: Not found}, ")], &[]),
            doc(&[&get_op], &[]),
            vec![
                "#### `getSession` (`GET /sessions/{id}`)".into(),
                "- **breaking** response 404: removed — the client no longer decodes this status: it becomes an unexpected response"
                    .into(),
            ],
        ),
        (
            "inline response schema field added",
            doc(&[&get_op.replace("{$ref: '#/components/schemas/Out'}", "{type: object, properties: {a: {type: string}}}")], &[]),
            doc(
                &[&get_op
                    .replace("{$ref: '#/components/schemas/Out'}", "{type: object, properties: {a: {type: string}, b: {type: string}}}")],
                &[],
            ),
            vec![
                "#### `getSession` (`GET /sessions/{id}`)".into(),
                "- **additive** response 200 `b`: field added (optional) — new field to read".into(),
            ],
        ),
        (
            "operation summary changed",
            doc(&[&get_op.replace("get: {", "get: {summary: Get, ")], &[]),
            doc(&[&get_op.replace("get: {", "get: {summary: Fetch, ")], &[]),
            vec!["#### `getSession` (`GET /sessions/{id}`)".into(), "- **docs only** summary changed — only doc comments change".into()],
        ),
        // Component schemas on their own.
        (
            "schema added and removed",
            schemas(&["Old: {type: object}"]),
            schemas(&["New: {type: object}"]),
            vec![
                "#### `New` (used by no operation)".into(),
                "- **additive** schema added — new generated type".into(),
                "#### `Old` (used by no operation)".into(),
                "- **breaking** schema removed — the generated type is gone: code that names it no longer compiles".into(),
            ],
        ),
        // $refs are compared by what they point to: cycles terminate and are reported once.
        (
            "self-referencing schema",
            schemas(&[
                "In: {type: object, properties: {root: {$ref: '#/components/schemas/Tree'}}}",
                "Tree: {type: object, properties: {children: {type: array, items: {$ref: '#/components/schemas/Tree'}}}}",
            ]),
            schemas(&[
                "In: {type: object, properties: {root: {$ref: '#/components/schemas/Tree'}}}",
                "Tree: {type: object, properties: {label: {type: string}, children: {type: array, items: {$ref: '#/components/schemas/Tree'}}}}",
            ]),
            vec![
                "#### `Tree` (used in requests)".into(),
                "- **additive** `label`: field added (optional) — callers may leave it unset".into(),
            ],
        ),
        (
            "mutually referencing schemas",
            schemas(&[
                "Out: {type: object, properties: {a: {$ref: '#/components/schemas/A'}}}",
                "A: {type: object, properties: {b: {$ref: '#/components/schemas/B'}}}",
                "B: {type: object, properties: {a: {$ref: '#/components/schemas/A'}}}",
            ]),
            schemas(&[
                "Out: {type: object, properties: {a: {$ref: '#/components/schemas/A'}}}",
                "A: {type: object, properties: {b: {$ref: '#/components/schemas/B'}}}",
                "B: {type: object, properties: {a: {$ref: '#/components/schemas/A'}, n: {type: integer}}}",
            ]),
            vec!["#### `B` (used in responses)".into(), "- **additive** `n`: field added (optional) — new field to read".into()],
        ),
        (
            "a changed schema reached through a retargeted $ref is compared with the old target",
            schemas(&["In: {type: object, properties: {addr: {$ref: '#/components/schemas/Address'}}}", "Address: {type: object, properties: {line: {type: string}}}"]),
            schemas(&["In: {type: object, properties: {addr: {$ref: '#/components/schemas/Location'}}}", "Location: {type: object, properties: {lines: {type: string}}}"]),
            vec![
                "#### `Location`, was `Address` (used in requests)".into(),
                "- **breaking** `line`: field removed — code that sets it no longer compiles".into(),
                "- **additive** `lines`: field added (optional) — callers may leave it unset".into(),
            ],
        ),
    ];
    let mut failures = Vec::new();
    for (name, base, head, expected) in &cases {
        let actual = report_lines(base, head);
        if &actual != expected {
            failures.push(format!(
                "{name}:\n  expected {expected:#?}\n  actual   {actual:#?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn reordering_yaml_keys_reports_no_change() {
    let before = include_str!("fixtures/diff/before.yaml");
    let reordered = include_str!("fixtures/diff/before-reordered.yaml");
    assert_ne!(before, reordered);
    let report = diff_specs(Some(before), reordered).expect("fixtures parse");
    assert_eq!(report.entries, []);
    assert_eq!(report.renamed_types, Vec::<(String, String)>::new());
    assert!(report.to_markdown("a", "b").contains("\nNo API changes.\n"));
    // Lists that are sets (`required`, `enum`) may be reordered too.
    let base = schemas(&[
        "In: {type: object, required: [a, b], properties: {a: {type: string}, b: {$ref: '#/components/schemas/E'}}}",
        "E: {type: string, enum: [X, Y]}",
    ]);
    let head = schemas(&[
        "E: {enum: [Y, X], type: string}",
        "In: {properties: {b: {$ref: '#/components/schemas/E'}, a: {type: string}}, required: [b, a], type: object}",
    ]);
    assert_eq!(report_lines(&base, &head), Vec::<String>::new());
}

#[test]
fn a_structurally_identical_ref_target_reports_no_change() {
    let address = "{type: object, required: [line], properties: {line: {type: string}, country: {type: string, enum: [GBR, USA]}}}";
    // The component is renamed, and the reference follows it.
    let base = schemas(&[
        "In: {type: object, properties: {addr: {$ref: '#/components/schemas/Address'}}}",
        &format!("Address: {address}"),
    ]);
    let head = schemas(&[
        "In: {type: object, properties: {addr: {$ref: '#/components/schemas/Location'}}}",
        &format!("Location: {address}"),
    ]);
    let report = diff_specs(Some(&base), &head).expect("specs parse");
    assert_eq!(report.entries, []);
    assert_eq!(report.summary(), Summary::default());
    assert_eq!(
        report.renamed_types,
        [
            ("Address".into(), "Location".into()),
            ("AddressCountry".into(), "LocationCountry".into())
        ]
    );
    let markdown = report.to_markdown("base", "head");
    assert!(markdown.contains("\nNo API changes.\n"), "{markdown}");
    assert!(
        markdown
            .contains("- `types::Address` → `types::Location`: renamed, same shape (not counted;"),
        "{markdown}"
    );
    assert!(
        markdown.ends_with("**Total:** 0 breaking, 0 additive, 0 docs only.\n"),
        "{markdown}"
    );

    // Both targets exist on both sides, and the reference moves from one to the other.
    let both = [format!("A: {address}"), format!("B: {address}")];
    let with = |target: &str| {
        let field = format!(
            "In: {{type: object, properties: {{addr: {{$ref: '#/components/schemas/{target}'}}}}}}"
        );
        schemas(&[field.as_str(), both[0].as_str(), both[1].as_str()])
    };
    let report = diff_specs(Some(&with("A")), &with("B")).expect("specs parse");
    assert_eq!(report.entries, []);

    // An inline schema moved into a component of its own.
    let base = schemas(&[&format!(
        "In: {{type: object, properties: {{addr: {address}}}}}"
    )]);
    let head = schemas(&[
        "In: {type: object, properties: {addr: {$ref: '#/components/schemas/Address'}}}",
        &format!("Address: {address}"),
    ]);
    let report = diff_specs(Some(&base), &head).expect("specs parse");
    assert_eq!(report.entries, []);
    assert_eq!(report.renamed_types[0], ("InAddr".into(), "Address".into()));
}

#[test]
fn generated_items_are_named_as_the_generator_names_them() {
    let base = include_str!("fixtures/diff/before.yaml");
    let head = include_str!("fixtures/diff/after.yaml");
    let markdown = diff_specs(Some(base), head)
        .expect("fixtures parse")
        .to_markdown("before", "after");
    let items: Vec<&str> = markdown
        .split("### Generated items to review\n\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .expect("an items section")
        .lines()
        .collect();
    assert_eq!(
        items,
        [
            "- `Client::get_media_content`, `builder::GetMediaContent`: additive",
            "- `Client::get_session`, `builder::GetSession`: docs only",
            "- `types::CreateSessionPayload`: breaking",
            "- `types::NotificationConfig`: breaking",
            "- `types::SessionResourcesIdDocumentsItem`: docs only",
            "- `types::Session`: breaking",
            "- `types::Topic`: additive",
        ]
    );
}

#[test]
fn the_readme_example_report_is_stable() {
    let base = include_str!("fixtures/diff/before.yaml");
    let head = include_str!("fixtures/diff/after.yaml");
    let report = diff_specs(Some(base), head).expect("fixtures parse");
    assert_eq!(
        report.summary(),
        Summary {
            breaking: 4,
            additive: 4,
            docs_only: 2
        }
    );
    assert_eq!(
        report.to_markdown("before", "after"),
        include_str!("fixtures/diff/report.md")
    );
}

#[test]
fn a_missing_base_reports_everything_as_added() {
    let head = include_str!("fixtures/diff/before.yaml");
    let report = diff_specs(None, head).expect("fixture parses");
    let summary = report.summary();
    assert_eq!((summary.breaking, summary.docs_only), (0, 0));
    // 4 operations and 8 component schemas.
    assert_eq!(summary.additive, 12);
    let markdown = report.to_markdown("HEAD~1 (0123456789)", "working tree");
    assert!(markdown.contains("> `spec/idv.yaml` does not exist at HEAD~1 (0123456789): everything is reported as added.\n"));
}

#[test]
fn malformed_specs_name_the_side_and_the_location() {
    let good = schemas(&[]);
    let broken_yaml = "openapi: 3.0.3\ninfo: {title: IDV, version: '1'\npaths: {}\n";
    let error = diff_specs(Some(broken_yaml), &good).expect_err("broken base");
    assert_eq!(
        (error.side, error.location.as_str()),
        (Side::Base, "line 3 column 1")
    );
    assert_eq!(
        error.describe("HEAD~1 (0123456789)", "the working tree"),
        "`spec/idv.yaml` at HEAD~1 (0123456789) is not a valid spec, line 3 column 1: \
         did not find expected ',' or '}', while parsing a flow mapping at line 2 column 7"
    );

    let error = diff_specs(Some(&good), broken_yaml).expect_err("broken head");
    assert_eq!(
        (error.side, error.location.as_str()),
        (Side::Head, "line 3 column 1")
    );
    assert!(
        error
            .describe("HEAD", "the working tree")
            .starts_with("`spec/idv.yaml` at the working tree is not a valid spec, line 3")
    );

    // Valid YAML, but not an OpenAPI document.
    let error = diff_specs(
        Some(&good),
        "openapi: 3.0.3\ninfo: {title: IDV}\npaths: {}\n",
    )
    .expect_err("no version");
    assert_eq!(error.side, Side::Head);
    assert_eq!(error.location, "line 2 column 7");
    assert_eq!(error.message, "info: missing field `version`");

    // A dangling $ref, located by its JSON pointer.
    let dangling =
        schemas(&["In: {type: object, properties: {a: {$ref: '#/components/schemas/Nope'}}}"]);
    let error = diff_specs(Some(&dangling), &good).expect_err("dangling");
    assert_eq!(
        (error.side, error.location.as_str()),
        (Side::Base, "/components/schemas/In/properties/a/$ref")
    );
    assert_eq!(
        error.message,
        "`$ref: #/components/schemas/Nope` points to nothing"
    );

    // A cycle of bare references.
    let cycle = schemas(&[
        "In: {$ref: '#/components/schemas/Loop'}",
        "Loop: {$ref: '#/components/schemas/In'}",
    ]);
    let error = diff_specs(Some(&good), &cycle).expect_err("cycle");
    assert_eq!(
        (error.side, error.location.as_str()),
        (
            Side::Head,
            "/paths/~1sessions/post/requestBody/content/application~1json/schema/$ref"
        )
    );
    assert_eq!(
        error.message,
        "`$ref: #/components/schemas/In` is part of a cycle of references"
    );

    // Nothing at all, and not a mapping.
    for text in ["", "[1, 2]", "openapi: [", "\u{0}"] {
        assert!(
            diff_specs(Some(text), &good).is_err(),
            "{text:?} should not parse"
        );
    }
}

#[test]
fn fail_on_breaking_decides_the_exit_status() {
    let breaking = Summary {
        breaking: 1,
        additive: 2,
        docs_only: 3,
    };
    let additive = Summary {
        breaking: 0,
        additive: 2,
        docs_only: 0,
    };
    let docs = Summary {
        breaking: 0,
        additive: 0,
        docs_only: 1,
    };
    assert_eq!(breaking.exit_code(true), 1);
    assert_eq!(breaking.exit_code(false), 0);
    assert_eq!(additive.exit_code(true), 0);
    assert_eq!(Summary::default().exit_code(true), 0);
    assert_eq!(
        [breaking, additive, docs, Summary::default()].map(|s| s.semver_bump()),
        [Bump::Minor, Bump::Patch, Bump::Patch, Bump::None]
    );
}

#[test]
fn cycles_and_deep_nesting_terminate() {
    // An allOf that includes itself.
    let base = schemas(&[
        "In: {allOf: [{$ref: '#/components/schemas/In'}, {type: object, properties: {x: {type: string}}}]}",
    ]);
    let head = schemas(&[
        "In: {allOf: [{$ref: '#/components/schemas/In'}, {type: object, properties: {y: {type: string}}}]}",
    ]);
    assert_eq!(
        report_lines(&base, &head),
        [
            "#### `In` (used in requests)",
            "- **breaking** `x`: field removed — code that sets it no longer compiles",
            "- **additive** `y`: field added (optional) — callers may leave it unset",
        ]
    );

    // 30 levels of allOf, each including the next twice: merged once each, not 2^30 times.
    let chain = |leaf: &str| {
        let mut defs: Vec<String> = (0..30)
            .map(|i| format!("L{i}: {{allOf: [{{$ref: '#/components/schemas/L{0}'}}, {{$ref: '#/components/schemas/L{0}'}}]}}", i + 1))
            .collect();
        defs.push(format!("L30: {{type: object, properties: {{z: {leaf}}}}}"));
        defs.push("In: {type: object, properties: {l: {$ref: '#/components/schemas/L0'}}}".into());
        schemas(&defs.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let report =
        diff_specs(Some(&chain("{type: string}")), &chain("{type: boolean}")).expect("parses");
    assert_eq!(report.summary().breaking, 31);

    // Inline objects nested 60 deep: the change at the bottom is found.
    let nested = |depth: usize, leaf: &str| {
        let mut schema = leaf.to_string();
        for _ in 0..depth {
            schema = format!("{{type: object, properties: {{p: {schema}}}}}");
        }
        schemas(&[&format!("Out: {schema}")])
    };
    let report = diff_specs(
        Some(&nested(60, "{type: string}")),
        &nested(60, "{type: integer}"),
    )
    .expect("parses");
    assert_eq!(report.entries.len(), 1);
    assert_eq!(
        report.entries[0].at,
        format!("`{}`", vec!["p"; 60].join("."))
    );

    // Deeper than the YAML parser allows: an error, not a stack overflow.
    let error = diff_specs(Some(&nested(200, "{type: string}")), "").expect_err("too deep");
    assert_eq!(error.side, Side::Base);
    assert!(
        error.message.starts_with("recursion limit exceeded"),
        "{error}"
    );
}
