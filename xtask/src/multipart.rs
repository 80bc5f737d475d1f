//! The generator setting for `multipart/form-data` request bodies, which progenitor cannot
//! generate.
//!
//! The signature covers the exact body bytes, and the signing middleware refuses streaming
//! bodies, so a multipart body is built as bytes by the caller (see `idv_api::face_capture`).
//! Before generation, each `multipart/form-data` body becomes an `application/octet-stream`
//! body (`{type: string, format: binary}`, a method taking `B: Into<reqwest::Body>`), and the
//! operation gains a required `Content-Type` header parameter for the
//! `multipart/form-data; boundary=…` value. progenitor sets a body's content type before the
//! header parameters, and reqwest's `RequestBuilder::headers` replaces a header already set,
//! so the parameter is what is sent. The spec itself keeps saying `multipart/form-data`.

use serde_json::{Value, json};

const MULTIPART: &str = "multipart/form-data";

/// Rewrites every `multipart/form-data` request body of `spec`'s operations as described above.
pub fn as_bytes(spec: &mut Value) {
    let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for operation in item.values_mut() {
            let content = operation.pointer_mut("/requestBody/content");
            let Some(content) = content.and_then(Value::as_object_mut) else {
                continue;
            };
            if content.remove(MULTIPART).is_none() {
                continue;
            }
            content.insert(
                "application/octet-stream".into(),
                json!({"schema": {"type": "string", "format": "binary"}}),
            );
            let header = json!({
                "name": "Content-Type",
                "in": "header",
                "required": true,
                "description": "`multipart/form-data; boundary=…`, with the boundary the body uses.",
                "schema": {"type": "string"},
            });
            match operation
                .get_mut("parameters")
                .and_then(Value::as_array_mut)
            {
                Some(parameters) => parameters.push(header),
                None => operation["parameters"] = json!([header]),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multipart_body_becomes_bytes_and_a_content_type_header() {
        let mut spec = json!({"paths": {"/a": {
            "parameters": [{"$ref": "#/components/parameters/SessionId"}],
            "put": {"requestBody": {"content": {"multipart/form-data": {"schema": {"$ref": "#/x"}}}}},
            "post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/y"}}}}}
        }}});
        as_bytes(&mut spec);
        let put = &spec["paths"]["/a"]["put"];
        assert_eq!(
            put["requestBody"]["content"],
            json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}})
        );
        assert_eq!(put["parameters"][0]["name"], "Content-Type");
        assert_eq!(put["parameters"][0]["required"], true);
        let post = &spec["paths"]["/a"]["post"];
        assert!(
            post["requestBody"]["content"]
                .get("application/json")
                .is_some()
        );
        assert!(post.get("parameters").is_none());
    }
}
