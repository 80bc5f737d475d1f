//! `spec/idv.yaml` → `idv-cli/src/generated_cli.rs`: one `idv` command per operation.
//!
//! progenitor's `Generator::cli` writes a clap command and an executor per operation, calling
//! the generated client of `idv-api`. Its output is then adjusted for this API:
//!
//! - progenitor bounds every printed type by `schemars::JsonSchema`, which idv-api's types do
//!   not derive (the bounds are dropped: the CLI prints JSON through `serde`);
//! - a raw-bytes success (media content, the instructions PDF) is a `todo!()` in progenitor's
//!   output: it becomes a call to `CliConfig::success_raw`, which streams the bytes;
//! - `--json-body` is read before the body's flags are applied, so that a flag sets its field
//!   on the file's body instead of being dropped when the file replaces the body;
//! - `--json-body -` reads the body from stdin (`crate::output::read_json_body`), and
//!   progenitor's `--json-body-template`, which does nothing yet, is left out;
//! - a path parameter is a positional argument in path order (`idv media get-content
//!   <SESSION_ID> <MEDIA_ID>`), not a `--flag`;
//! - `CliCommand::tag` and `CliCommand::name` place each command in the tree: the spec tag
//!   is the group (`sessions`, `media`, `sandbox`, `supported-documents`), and the name is
//!   the kebab-case `operationId` without the tag's noun (`getSession` → `get`);
//!   `CliCommand::operation` names the operation and `CliCommand::example` shows a call, for
//!   each command's `--help`.
//!
//! Generation fails when the adjusted output still holds a `todo!`, `unimplemented!` or
//! `unwrap`, so no command can panic on what a user or a server gives it.

use heck::ToKebabCase;
use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle, TypeImpl};
use serde_json::Value;
use syn::visit_mut::VisitMut;

use crate::error::Error;
use crate::names::{snake_name, type_name};
use crate::spec::Spec;

/// Where the generated CLI goes, relative to the workspace root.
pub const CLI_PATH: &str = "idv-cli/src/generated_cli.rs";

/// One operation as the command tree sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliOperation {
    /// The spec's `operationId`.
    pub operation_id: String,
    /// The first tag: the command's group.
    pub tag: String,
    /// The command's name inside its group.
    pub name: String,
    /// The path parameters, in the order the path template names them.
    pub path_params: Vec<String>,
    /// `GET /sessions/{sessionId}`.
    pub route: String,
    /// Whether the request has a JSON body.
    pub json_body: bool,
}

/// Every operation of the spec, with its group, name and path parameters, in spec order.
pub fn operations(spec: &Value) -> Vec<CliOperation> {
    let mut out = Vec::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            if !["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                continue;
            }
            let tag = op
                .pointer("/tags/0")
                .and_then(Value::as_str)
                .unwrap_or("other")
                .to_string();
            let path_params = path
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split('}').next())
                .map(str::to_string)
                .collect();
            let json_body = op
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
                .is_some_and(|c| c.keys().any(|m| m.starts_with("application/json")));
            out.push(CliOperation {
                route: format!("{} {path}", method.to_uppercase()),
                json_body,
                operation_id: id.to_string(),
                name: command_name(id, &tag),
                tag,
                path_params,
            });
        }
    }
    out
}

/// The kebab-case `operationId` without the first occurrence of each word of the tag (in the
/// singular too): `getSession` in `sessions` is `get`, `getMediaContent` in `media` is
/// `get-content`.
pub fn command_name(operation_id: &str, tag: &str) -> String {
    let mut words: Vec<String> = operation_id
        .to_kebab_case()
        .split('-')
        .map(str::to_string)
        .collect();
    for tag_word in tag.to_kebab_case().split('-') {
        let singular = tag_word.strip_suffix('s').unwrap_or(tag_word);
        if let Some(i) = words
            .iter()
            .skip(1)
            .position(|w| w == tag_word || w == singular)
        {
            words.remove(i + 1);
        }
    }
    words.join("-")
}

/// The whole text of `generated_cli.rs` for `spec` (whose rules `generate` has checked).
pub fn generate_cli(spec: &Spec) -> Result<String, Error> {
    let (prepared, enums) = crate::generate::prepare(&spec.value);
    let ops = operations(&spec.value);
    let openapi: openapiv3::OpenAPI = serde_json::from_value(prepared).map_err(|e| {
        Error::Generator(format!("the prepared spec is not an OpenAPI document: {e}"))
    })?;
    // The same type settings as generate.rs, so that the names match idv-api's; the
    // forward-compatible enums are idv-api's own.
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_map_type("::std::collections::BTreeMap");
    for e in &enums {
        settings.with_replacement(
            type_name(&e.name),
            format!("idv_api::types::{}", type_name(&e.name)),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    let tokens =
        crate::generate::quiet_catch_unwind(|| Generator::new(&settings).cli(&openapi, "idv_api"))
            .map_err(|e| Error::Generator(format!("progenitor's CLI generator panicked: {e}")))?
            .map_err(|e| Error::Generator(format!("progenitor cannot generate the CLI: {e}")))?;
    let mut file: syn::File = syn::parse2(tokens)
        .map_err(|e| Error::Generator(format!("progenitor's CLI is invalid Rust: {e}")))?;

    Adjust { ops: &ops }.visit_file_mut(&mut file);
    add_success_raw(&mut file)?;
    file.items.push(placement(&ops));

    let text = prettyplease::unparse(&file);
    for bad in ["todo!", "unimplemented!", ".unwrap()", "schemars"] {
        if text.contains(bad) {
            return Err(Error::Generator(format!(
                "the generated CLI still contains `{bad}`; adjust xtask/src/cli_gen.rs"
            )));
        }
    }
    Ok(format!(
        "// @generated by `cargo xtask generate` from {} (sha256 {}).\n\
         // Do not edit. Change the spec, or the generator settings in xtask/src/cli_gen.rs,\n\
         // then run `cargo xtask generate`. `cargo xtask check` fails when this file is stale.\n\n{}",
        spec.path, spec.sha256, text
    ))
}

/// progenitor's help for `--json-body`.
const JSON_BODY_HELP: &str = "Path to a file that contains the full json body.";

/// The rewrites of progenitor's CLI output listed in the module docs.
struct Adjust<'a> {
    ops: &'a [CliOperation],
}

impl VisitMut for Adjust<'_> {
    fn visit_type_param_mut(&mut self, param: &mut syn::TypeParam) {
        param.bounds = strip_json_schema(&param.bounds);
        syn::visit_mut::visit_type_param_mut(self, param);
    }

    fn visit_predicate_type_mut(&mut self, pred: &mut syn::PredicateType) {
        pred.bounds = strip_json_schema(&pred.bounds);
        syn::visit_mut::visit_predicate_type_mut(self, pred);
    }

    fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
        let is_ok = matches!(&arm.pat, syn::Pat::TupleStruct(t) if t.path.is_ident("Ok"));
        if is_ok && is_todo(&arm.body) {
            *arm.body = syn::parse_quote!({ self.config.success_raw(r).await });
        }
        syn::visit_mut::visit_arm_mut(self, arm);
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        // progenitor's `--json-body-template` flag does nothing: drop it.
        if let syn::Expr::MethodCall(call) = expr
            && call.method == "arg"
            && quote::quote!(#call)
                .to_string()
                .contains("\"json-body-template\"")
        {
            *expr = (*call.receiver).clone();
        }
        // `--json-body -` reads stdin.
        if let syn::Expr::Call(call) = expr
            && let syn::Expr::Path(path) = &*call.func
            && quote::quote!(#path).to_string().replace(' ', "") == "std::fs::read_to_string"
        {
            call.func = syn::parse_quote!(crate::output::read_json_body);
        }
        if let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) = expr
            && s.value() == JSON_BODY_HELP
        {
            *s = syn::LitStr::new(
                "A file that holds the whole JSON body, or - for stdin",
                s.span(),
            );
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        let name = f.sig.ident.to_string();
        if let Some(op) = name.strip_prefix("cli_").and_then(|id| {
            self.ops
                .iter()
                .find(|op| snake_name(&op.operation_id) == id)
        }) {
            Positional { op }.visit_block_mut(&mut f.block);
        }
        // progenitor applies the body's flags, then `--json-body`, which replaces the whole
        // body and so drops them. Read the file first: the flags then set fields on it.
        if name.starts_with("execute_") {
            let stmts = &mut f.block.stmts;
            let json_body = stmts.iter().position(|stmt| {
                quote::quote!(#stmt)
                    .to_string()
                    .contains("get_one :: < std :: path :: PathBuf > (\"json-body\")")
            });
            if let Some(i) = json_body.filter(|&i| i > 1) {
                let stmt = stmts.remove(i);
                stmts.insert(1, stmt);
            }
        }
        syn::visit_mut::visit_impl_item_fn_mut(self, f);
    }
}

type Bounds = syn::punctuated::Punctuated<syn::TypeParamBound, syn::Token![+]>;

fn strip_json_schema(bounds: &Bounds) -> Bounds {
    bounds
        .iter()
        .filter(|b| {
            !matches!(b, syn::TypeParamBound::Trait(t)
                if t.path.segments.last().is_some_and(|s| s.ident == "JsonSchema"))
        })
        .cloned()
        .collect()
}

fn is_todo(expr: &syn::Expr) -> bool {
    let syn::Expr::Block(block) = expr else {
        return false;
    };
    matches!(block.block.stmts.as_slice(), [syn::Stmt::Macro(m)] if m.mac.path.is_ident("todo"))
        || matches!(block.block.stmts.as_slice(), [syn::Stmt::Expr(syn::Expr::Macro(m), _)]
            if m.mac.path.is_ident("todo"))
}

/// `.long("session-id")` of a path parameter becomes `.index(n)`: a positional argument.
struct Positional<'a> {
    op: &'a CliOperation,
}

impl VisitMut for Positional<'_> {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        syn::visit_mut::visit_expr_method_call_mut(self, call);
        if call.method != "long" {
            return;
        }
        let Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        })) = call.args.first()
        else {
            return;
        };
        let value = s.value();
        if let Some(i) = self
            .op
            .path_params
            .iter()
            .position(|p| p.to_kebab_case() == value)
        {
            let index = syn::LitInt::new(&(i + 1).to_string(), call.method.span());
            call.method = syn::Ident::new("index", call.method.span());
            call.args = syn::parse_quote!(#index);
        }
    }
}

/// Adds `success_raw` to the `CliConfig` trait: how a raw-bytes success is written out.
fn add_success_raw(file: &mut syn::File) -> Result<(), Error> {
    let config = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Trait(t) if t.ident == "CliConfig" => Some(t),
        _ => None,
    });
    let Some(config) = config else {
        return Err(Error::Generator(
            "progenitor's CLI has no `CliConfig` trait".to_string(),
        ));
    };
    config.items.insert(
        0,
        syn::parse_quote! {
            /// Writes out a raw-bytes success (media content, a PDF) as it streams in.
            fn success_raw(
                &self,
                value: ResponseValue<ByteStream>,
            ) -> impl ::std::future::Future<Output = anyhow::Result<()>>;
        },
    );
    Ok(())
}

/// `CliCommand::tag` and `CliCommand::name`: where each command sits in `idv`'s tree.
fn placement(ops: &[CliOperation]) -> syn::Item {
    let variants: Vec<syn::Ident> = ops
        .iter()
        .map(|op| syn::Ident::new(&type_name(&op.operation_id), proc_macro2::Span::call_site()))
        .collect();
    let tags = ops.iter().map(|op| &op.tag);
    let names = ops.iter().map(|op| &op.name);
    let operations = ops
        .iter()
        .map(|op| format!("{} ({})", op.operation_id, op.route));
    let examples = ops.iter().map(|op| {
        let mut example = format!("idv {} {}", op.tag, op.name);
        for p in &op.path_params {
            example.push_str(&format!(" <{}>", p.to_kebab_case()));
        }
        if op.json_body {
            example.push_str(" --json-body body.json");
        }
        example
    });
    syn::parse_quote! {
        impl CliCommand {
            /// The spec tag of the operation: the command's group, such as `sessions`.
            pub fn tag(&self) -> &'static str {
                match self {
                    #( CliCommand::#variants => #tags, )*
                }
            }

            /// The command's name inside its group, such as `get`.
            pub fn name(&self) -> &'static str {
                match self {
                    #( CliCommand::#variants => #names, )*
                }
            }

            /// The spec's `operationId`, method and path: `getSession (GET /sessions/{sessionId})`.
            pub fn operation(&self) -> &'static str {
                match self {
                    #( CliCommand::#variants => #operations, )*
                }
            }

            /// A command line that runs the operation.
            pub fn example(&self) -> &'static str {
                match self {
                    #( CliCommand::#variants => #examples, )*
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::command_name;

    #[test]
    fn a_command_is_its_operation_id_without_the_tags_noun() {
        let cases = [
            ("getSession", "sessions", "get"),
            ("createSession", "sessions", "create"),
            (
                "getSessionTrackedDevices",
                "sessions",
                "get-tracked-devices",
            ),
            ("getMediaContent", "media", "get-content"),
            ("getSupportedDocuments", "supported-documents", "get"),
            (
                "putSessionResponseConfig",
                "sandbox",
                "put-session-response-config",
            ),
        ];
        for (operation_id, tag, name) in cases {
            assert_eq!(
                command_name(operation_id, tag),
                name,
                "{operation_id} in {tag}"
            );
        }
    }
}
