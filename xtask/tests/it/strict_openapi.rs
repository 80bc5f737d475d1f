//! The spec says what strict OpenAPI 3.0 validators accept, and the generator still makes the
//! Rust types we want from it (issue 11, items 1 and 2).

use serde_json::Value;
use xtask::error::Which;
use xtask::generate::generate;
use xtask::spec::parse;

use crate::real_spec;

/// Every mapping of the document with its JSON pointer.
fn mappings<'v>(node: &'v Value, at: String, out: &mut Vec<(String, &'v Value)>) {
    match node {
        Value::Object(map) => {
            out.push((at.clone(), node));
            for (key, child) in map {
                mappings(child, format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                mappings(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Under OpenAPI 3.0.3, `nullable: true` allows `null` only beside a `type`: beside a bare
/// `allOf` (as `MediaContainer.media` had it) it allows nothing, and the `null` that the API
/// sends for ZOOM frames 4 to 7 failed every strict validator. `MediaContainer.media` is now
/// `anyOf` a `Media` or "only null", and still generates `Option<Media>`.
#[test]
fn nullable_always_has_a_type_and_media_is_still_an_option() {
    let spec = real_spec();
    let mut all = Vec::new();
    mappings(&spec.value, String::new(), &mut all);
    let untyped: Vec<&String> = all
        .iter()
        .filter(|(_, m)| m.get("nullable") == Some(&Value::Bool(true)) && m.get("type").is_none())
        .map(|(at, _)| at)
        .collect();
    assert!(
        untyped.is_empty(),
        "`nullable` without a `type` at {untyped:?}"
    );

    let media = &spec.value["components"]["schemas"]["MediaContainer"]["properties"]["media"];
    let choices = media["anyOf"].as_array().expect("media is anyOf");
    assert_eq!(choices[0]["$ref"], "#/components/schemas/Media");
    assert_eq!(choices[1]["enum"], serde_json::json!([null]));

    let code = generate(&spec).unwrap();
    let container = code.split("pub struct MediaContainer {").nth(1).unwrap();
    let container = &container[..container.find('}').unwrap()];
    assert!(
        container.contains("pub media: ::std::option::Option<Media>,"),
        "{container}"
    );
}

/// A 204 has no body, so the media download's 204 declares none. progenitor 0.15 needs one
/// success type, so the generator reads a bodiless 2xx beside raw bytes as raw bytes: the 204
/// arrives as an empty byte stream, as before.
#[test]
fn the_media_204_has_no_body_and_generates_the_empty_stream() {
    let spec = real_spec();
    let responses =
        &spec.value["paths"]["/sessions/{sessionId}/media/{mediaId}/content"]["get"]["responses"];
    assert!(
        responses["204"].get("content").is_none(),
        "{}",
        responses["204"]
    );
    assert!(responses["200"]["content"].get("*/*").is_some());

    let code = generate(&spec).unwrap();
    // Only the media download and the IBV instructions PDF answer with bytes, for a 200 and
    // for a 204.
    let pdf = &spec.value["paths"]["/sessions/{sessionId}/instructions/pdf"]["get"]["responses"];
    assert!(pdf["204"].get("content").is_none(), "{}", pdf["204"]);
    let stream = |status: &str| format!("{status}u16 => Ok(ResponseValue::stream(response))");
    assert_eq!(code.matches(&stream("200")).count(), 2);
    assert_eq!(code.matches(&stream("204")).count(), 2);

    // A bodiless 204 beside JSON still cannot be generated, and says so.
    let text = "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /x:\n    get:\n      operationId: x\n      tags: [x]\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: string}}}}\n        '204': {description: none}\n";
    let error = generate(&parse(text, Which::File("x.yaml".into())).unwrap())
        .unwrap_err()
        .to_string();
    assert!(error.contains("different types"), "{error}");
}
