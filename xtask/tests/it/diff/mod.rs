//! `cargo xtask diff`: each classification, from a spec before and after, to the exact report
//! lines (`fields.rs`, `operations.rs`). Specs are small inline OpenAPI 3.0.3 documents; the
//! larger pair under `tests/fixtures/diff/` is the README's example.

mod fields;
mod operations;

use xtask::diff::{Bump, Summary, diff_specs};
use xtask::error::{Error, Which};

/// The spec error's side, location and message.
fn spec_error(error: &Error) -> (Which, &str, &str) {
    match error {
        Error::Spec {
            which,
            location,
            message,
        } => (which.clone(), location, message),
        other => panic!("expected a spec error, got {other}"),
    }
}

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

pub(crate) const TYPE_CHANGES: &str =
    "the generated Rust type changes: code that uses it no longer compiles";
pub(crate) const LITERALS: &str = "struct literals of the type no longer compile: it has no `Default` or `new` to fill in the new field";
/// One case: its name, the spec before and after, and the report lines expected.
type Case = (&'static str, String, String, Vec<String>);

/// Runs every case, and fails naming each case whose report differs.
fn check(cases: &[Case]) {
    let mut failures = Vec::new();
    for (name, base, head, expected) in cases {
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
    let before = include_str!("../../fixtures/diff/before.yaml");
    let reordered = include_str!("../../fixtures/diff/before-reordered.yaml");
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
    let base = include_str!("../../fixtures/diff/before.yaml");
    let head = include_str!("../../fixtures/diff/after.yaml");
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
    let base = include_str!("../../fixtures/diff/before.yaml");
    let head = include_str!("../../fixtures/diff/after.yaml");
    let report = diff_specs(Some(base), head).expect("fixtures parse");
    assert_eq!(
        report.summary(),
        Summary {
            breaking: 6,
            additive: 2,
            docs_only: 2
        }
    );
    assert_eq!(
        report.to_markdown("before", "after"),
        include_str!("../../fixtures/diff/report.md")
    );
}

#[test]
fn a_missing_base_reports_everything_as_added() {
    let head = include_str!("../../fixtures/diff/before.yaml");
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
        (spec_error(&error).0, spec_error(&error).1),
        (Which::Base, "line 3 column 1")
    );
    assert_eq!(
        error.describe("HEAD~1 (0123456789)", "the working tree"),
        "`spec/idv.yaml` at HEAD~1 (0123456789) is not a valid spec, line 3 column 1: \
         did not find expected ',' or '}', while parsing a flow mapping at line 2 column 7"
    );

    let error = diff_specs(Some(&good), broken_yaml).expect_err("broken head");
    assert_eq!(
        (spec_error(&error).0, spec_error(&error).1),
        (Which::Head, "line 3 column 1")
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
    assert_eq!(spec_error(&error).0, Which::Head);
    assert_eq!(spec_error(&error).1, "line 2 column 7");
    assert_eq!(spec_error(&error).2, "info: missing field `version`");

    // A dangling $ref, located by its JSON pointer.
    let dangling =
        schemas(&["In: {type: object, properties: {a: {$ref: '#/components/schemas/Nope'}}}"]);
    let error = diff_specs(Some(&dangling), &good).expect_err("dangling");
    assert_eq!(
        (spec_error(&error).0, spec_error(&error).1),
        (Which::Base, "/components/schemas/In/properties/a/$ref")
    );
    assert_eq!(
        spec_error(&error).2,
        "`$ref: #/components/schemas/Nope` points to nothing"
    );

    // A cycle of bare references.
    let cycle = schemas(&[
        "In: {$ref: '#/components/schemas/Loop'}",
        "Loop: {$ref: '#/components/schemas/In'}",
    ]);
    let error = diff_specs(Some(&good), &cycle).expect_err("cycle");
    assert_eq!(
        (spec_error(&error).0, spec_error(&error).1),
        (
            Which::Head,
            "/paths/~1sessions/post/requestBody/content/application~1json/schema/$ref"
        )
    );
    assert_eq!(
        spec_error(&error).2,
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
    // typify cannot generate such a schema, so the report says its types are not compared.
    let markdown = diff_specs(Some(&base), &head)
        .expect("parses")
        .to_markdown("base", "head");
    assert!(
        markdown.contains(
            "> The code could not be generated from `spec/idv.yaml` at base, so its generated \
             types are not compared: the spec breaks 1 rule(s): /components/schemas/In: `In` \
             contains itself through allOf"
        ),
        "{markdown}"
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
    assert_eq!(spec_error(&error).0, Which::Base);
    assert!(
        spec_error(&error).2.starts_with("recursion limit exceeded"),
        "{error}"
    );
}
