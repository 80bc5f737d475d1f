//! Operations, their parameters, bodies and responses; component schemas on their own; `$ref`s.

use super::{CREATE, Case, TYPE_CHANGES, check, doc, get_session, schemas};

#[test]
fn operation_and_reference_changes_give_the_expected_report_lines() {
    let get_op = get_session("getSession", "");
    let cases: Vec<Case> = vec![
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
        // What the generated code changes where the spec walk sees no cause is reported too.
        (
            "unknown fields typed: the generated struct changes",
            schemas(&["Out: {type: object, properties: {a: {type: string}}}"]),
            schemas(&["Out: {type: object, properties: {a: {type: string}}, additionalProperties: {type: string}}"]),
            vec![
                "#### `Out` (used in responses)".into(),
                format!(
                    "- **breaking** generated `types::Out` changed: `struct {{ a: Option<String>, extra: \
                     serde_json::Map<String, serde_json::Value> }} + Default` → `struct {{ a: Option<String>, \
                     extra: BTreeMap<String, String> }} + Default` — {TYPE_CHANGES}"
                ),
            ],
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
    check(&cases);
}
