//! The route of every operation, from the spec, for idv-api's tracing spans.
//!
//! progenitor tells the client's hooks only the operation's snake-case name
//! (`OperationInfo::operation_id`, e.g. `get_session`). A span must also say the spec's
//! `operationId`, the HTTP method and the path *template* (`/sessions/{sessionId}`, never the
//! concrete path, which holds ids), so the generator emits this lookup into `generated.rs`:
//!
//! ```text
//! pub(crate) fn route(name: &str) -> Option<crate::trace::Route>
//! ```
//!
//! Every name progenitor emitted must be in it, or generation fails: a span never goes
//! without its route because the table fell behind the spec.

use heck::ToSnakeCase;
use serde_json::Value;
use syn::visit::Visit;

use crate::error::Error;

/// The HTTP methods an OpenAPI path item may hold.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Appends the `route` lookup for `spec`'s operations to the generated `file`.
///
/// # Errors
///
/// [`Error::Generator`] when an operation progenitor generated is not in the spec's paths
/// (which would be a generator bug), or two operations share a name.
pub fn add_routes(file: &mut syn::File, spec: &Value) -> Result<(), Error> {
    let mut routes: Vec<(String, String, String, String)> = Vec::new();
    let paths = spec.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        for method in METHODS {
            let id = item.pointer(&format!("/{method}/operationId"));
            if let Some(id) = id.and_then(Value::as_str) {
                let name = id.to_snake_case();
                if routes.iter().any(|r| r.0 == name) {
                    return Err(Error::Generator(format!(
                        "two operations are named `{name}`; operationIds must be unique"
                    )));
                }
                let method = method.to_ascii_uppercase();
                routes.push((name, id.to_string(), method, path.clone()));
            }
        }
    }
    routes.sort();

    let mut names = OperationNames::default();
    names.visit_file(file);
    if let Some(missing) = names.0.iter().find(|n| !routes.iter().any(|r| &r.0 == *n)) {
        return Err(Error::Generator(format!(
            "progenitor generated the operation `{missing}`, which has no route in the spec's paths"
        )));
    }

    let arms = routes.iter().map(|(name, id, method, path)| {
        quote::quote! {
            #name => Some(crate::trace::Route { operation_id: #id, method: #method, path: #path }),
        }
    });
    file.items.push(syn::parse_quote! {
        /// The spec's `operationId`, HTTP method and path template of the operation progenitor
        /// names `name` (its `OperationInfo::operation_id`), for tracing spans.
        #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
        pub(crate) fn route(name: &str) -> Option<crate::trace::Route> {
            match name {
                #(#arms)*
                _ => None,
            }
        }
    });
    Ok(())
}

/// Every `operation_id: "…"` of an `OperationInfo` the generated code builds.
#[derive(Default)]
struct OperationNames(Vec<String>);

impl<'ast> Visit<'ast> for OperationNames {
    fn visit_expr_struct(&mut self, expr: &'ast syn::ExprStruct) {
        if expr.path.is_ident("OperationInfo") {
            for field in &expr.fields {
                let is_id = matches!(&field.member, syn::Member::Named(m) if m == "operation_id");
                if let (true, syn::Expr::Lit(lit)) = (is_id, &field.expr)
                    && let syn::Lit::Str(s) = &lit.lit
                {
                    self.0.push(s.value());
                }
            }
        }
        syn::visit::visit_expr_struct(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes_of(spec: Value, generated: &str) -> Result<String, Error> {
        let mut file: syn::File = syn::parse_str(generated).unwrap();
        add_routes(&mut file, &spec)?;
        Ok(prettyplease::unparse(&file))
    }

    #[test]
    fn each_operation_gets_its_id_method_and_path_template() {
        let spec = serde_json::json!({"paths": {
            "/sessions/{sessionId}": {
                "get": {"operationId": "getSession"},
                "delete": {"operationId": "deleteSession"},
                "parameters": [],
            },
        }});
        let generated = r#"fn f() { let info = OperationInfo { operation_id: "get_session" }; }"#;
        let code = routes_of(spec, generated).unwrap();
        assert!(
            code.contains(
                r#""get_session" => {
            Some(crate::trace::Route {
                operation_id: "getSession",
                method: "GET",
                path: "/sessions/{sessionId}",
            })
        }"#
            ),
            "{code}"
        );
        assert!(code.contains(r#"operation_id: "deleteSession""#), "{code}");
        assert!(code.contains(r#"method: "DELETE""#), "{code}");
    }

    #[test]
    fn a_generated_operation_without_a_route_fails_generation() {
        let spec = serde_json::json!({"paths": {"/a": {"get": {"operationId": "getA"}}}});
        let generated = r#"fn f() { let info = OperationInfo { operation_id: "get_b" }; }"#;
        let error = routes_of(spec, generated).unwrap_err().to_string();
        assert!(error.contains("`get_b`"), "{error}");
    }
}
