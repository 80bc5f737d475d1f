//! Generator settings that route every generated operation through `idv-api`'s own code:
//!
//! - its own error type (`idv_api::Error`) instead of progenitor's, so the errors say what
//!   happened, keep their status, stay bounded, and a progenitor upgrade does not change them;
//! - a size-capped JSON reader (`Client::read_json`) instead of progenitor's unbounded one;
//! - a checked path segment (`idv_api::path_segment`) instead of `encode_path`, so no path
//!   parameter can retarget a request (`..`, `/`, `\`, `?`, `#`, empty);
//! - no public `new_with_client`, no public `ClientInfo` (its `client()` hands out an unsigned
//!   `reqwest::Client`), and none of progenitor's `pre`/`post` hooks, which idv-api leaves empty;
//! - no progenitor type in the public API (`own_call_surface`): `ResponseValue`, `ByteStream`
//!   and the `exec` hook are idv-api's own, the operation builders' `new(&Client)` is private,
//!   and the builders' conversion messages name types as Rust programmers write them;
//! - the list of operations whose response is streamed (`STREAMED_OPERATIONS`), which have no
//!   overall deadline;
//! - a `Client` doc written for users, in place of the spec's description.
//!
//! Each rewrite matches progenitor 0.15's output and fails generation when it finds nothing
//! to rewrite, so an upgrade that changes the output cannot silently drop a guarantee.

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::visit_mut::VisitMut;

use crate::error::Error;

/// Applies every rewrite to the generated file.
pub fn harden(file: &mut syn::File) -> Result<(), Error> {
    own_call_surface(file)?;
    let mut rewrite = Rewrite::default();
    rewrite.visit_file_mut(file);
    if rewrite.json_reads == 0 {
        return Err(missing("`ResponseValue::from_response(response)`"));
    }
    // Every path parameter of a URL is checked; a spec may have none (the diff's fixtures).
    if rewrite.path_segments != rewrite.path_placeholders {
        return Err(missing(
            "`encode_path(&<param>.to_string())` for each `/{}` of a URL's `format!`",
        ));
    }
    if rewrite.sends == 0 {
        return Err(missing("`async fn send`"));
    }
    if !rewrite.new_with_client {
        return Err(missing("`Client::new_with_client`"));
    }
    if rewrite.builder_news != rewrite.sends {
        return Err(missing(
            "`pub fn new(client: &'a super::Client)` in every operation builder",
        ));
    }
    if !rewrite.client_doc {
        return Err(missing("`pub struct Client`"));
    }
    let streamed = &rewrite.streamed;
    file.items.push(syn::parse_quote! {
        /// The operations whose success response is streamed (`ResponseValue<ByteStream>`), by
        /// the name their requests carry: the client's deadline does not cut them off.
        pub(crate) const STREAMED_OPERATIONS: &[&str] = &[#(#streamed),*];
    });
    Ok(())
}

/// What the generated code uses of progenitor's runtime, in place of progenitor's own: the
/// re-export of its `ResponseValue`, `ByteStream` and `Error` becomes a private import of
/// idv-api's types, and its `ClientInfo` and `ClientHooks` impls go (`Client::exec`, an
/// inherent method, takes the hook's place). The rest of progenitor's runtime the generated
/// code calls (`QueryParam`) stays inside function bodies.
fn own_call_surface(file: &mut syn::File) -> Result<(), Error> {
    let mut found_use = false;
    let mut removed_impls = 0;
    let mut items = Vec::with_capacity(file.items.len() + 1);
    for item in std::mem::take(&mut file.items) {
        if is_progenitor_reexport(&item) {
            found_use = true;
            items.push(syn::parse_quote!(
                #[allow(unused_imports)]
                use crate::{ByteStream, Error, OperationInfo, ResponseValue};
            ));
        } else if is_progenitor_use(&item) {
            // `encode_path` is replaced by `path_segment`, `ClientInfo`/`ClientHooks` go.
        } else if is_client_info_impl(&item) || is_client_hooks_assertion(&item) {
            removed_impls += 1;
        } else {
            items.push(item);
        }
    }
    file.items = items;
    if !found_use {
        return Err(missing("`pub use progenitor_client::{.., Error, ..}`"));
    }
    if removed_impls != 2 {
        return Err(missing(
            "`impl ClientInfo<..> for Client` and the `ClientHooks` assertion",
        ));
    }
    let mut imports = 0;
    for item in &mut file.items {
        if let syn::Item::Mod(m) = item
            && let Some((_, items)) = &mut m.content
        {
            for item in items {
                if let syn::Item::Use(u) = item
                    && u.tree
                        .to_token_stream()
                        .to_string()
                        .starts_with("super :: {")
                    && u.tree.to_token_stream().to_string().contains("ClientHooks")
                {
                    u.tree =
                        syn::parse_quote!(super::{ByteStream, Error, OperationInfo, ResponseValue});
                    imports += 1;
                }
            }
        }
    }
    if imports == 0 {
        return Err(missing(
            "`use super::{.., ClientHooks, ..}` in the `builder` module",
        ));
    }
    Ok(())
}

/// A private `use progenitor_client::..;`.
fn is_progenitor_use(item: &syn::Item) -> bool {
    matches!(item, syn::Item::Use(u)
        if u.tree.to_token_stream().to_string().starts_with("progenitor_client"))
}

/// `impl ClientInfo<..> for Client`.
fn is_client_info_impl(item: &syn::Item) -> bool {
    matches!(item, syn::Item::Impl(i) if i.trait_.as_ref().is_some_and(|(path, _)| {
        path.segments.last().is_some_and(|s| s.ident == "ClientInfo")
    }))
}

/// `const _: () = { fn assert_client_hooks() where Client: ClientHooks<..> {} };`.
fn is_client_hooks_assertion(item: &syn::Item) -> bool {
    matches!(item, syn::Item::Const(c)
        if c.to_token_stream().to_string().contains("assert_client_hooks"))
}

/// The `Client` doc, for the people who use it. (The spec's description is for the people who
/// maintain the spec, and stays in the spec.)
const CLIENT_DOC: &[&str] = &[
    " The client of the Yoti Identity Verification (IDV) API.",
    "",
    " Make one with [`Client::production`], [`Client::sandbox`], [`Client::from_env`], or a",
    " [`ClientBuilder`](crate::ClientBuilder) ([`Client::builder`], [`Client::bearer_builder`],",
    " [`Client::token_builder`]). Every operation is a method that returns a builder: set its",
    " parameters, then `send()` it.",
    "",
    " A `Client` is cheap to clone (the HTTP client and its connections are shared) and can be",
    " used from many tasks at once.",
    "",
    " ```no_run",
    " # async fn run() -> Result<(), Box<dyn std::error::Error>> {",
    " let client = idv_api::Client::sandbox(\"my-sdk-id\", \"keys/my-sandbox-app.pem\")?;",
    " let session = client.get_session().session_id(\"session-id\").send().await?;",
    " println!(\"{:?}\", session.state);",
    " # Ok(())",
    " # }",
    " ```",
];

/// A conversion message of an operation builder, `conversion to `:: std :: string :: String`
/// for sdk_id failed`, with the type as Rust programmers write it: `String`.
fn readable_conversion(message: &str) -> Option<String> {
    if !message.starts_with("conversion to `") || !message.contains("::") {
        return None;
    }
    let mut text = message
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" ::", "::");
    for prefix in [
        "::std::string::",
        "::std::vec::",
        "::std::option::",
        "::std::collections::",
        "::serde_json::",
        "::std::",
    ] {
        text = text.replace(prefix, "");
    }
    Some(text)
}

fn missing(what: &str) -> Error {
    Error::Generator(format!(
        "progenitor's output has no {what}: update xtask/src/hardening.rs to the new output"
    ))
}

fn is_progenitor_reexport(item: &syn::Item) -> bool {
    let syn::Item::Use(u) = item else {
        return false;
    };
    let text = u.tree.to_token_stream().to_string();
    matches!(u.vis, syn::Visibility::Public(_))
        && text.starts_with("progenitor_client")
        && text.contains("Error")
}

#[derive(Default)]
struct Rewrite {
    json_reads: usize,
    path_segments: usize,
    /// The `/{}` placeholders of the URL `format!`s: one per path parameter.
    path_placeholders: usize,
    new_with_client: bool,
    sends: usize,
    /// The operation builders' `new(&Client)`, made private.
    builder_news: usize,
    /// Whether `Client`'s doc was replaced.
    client_doc: bool,
    /// The operation whose `send` is being visited, from its `OperationInfo`.
    operation: Option<String>,
    /// The operations whose success is `ResponseValue::stream(..)`.
    streamed: Vec<String>,
}

/// `client.pre(..).await?;` or `client.post(..).await?;`.
fn is_hook_call(stmt: &syn::Stmt) -> bool {
    let text = stmt.to_token_stream().to_string();
    text.starts_with("client . pre (") || text.starts_with("client . post (")
}

impl VisitMut for Rewrite {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        block.stmts.retain(|stmt| !is_hook_call(stmt));
        syn::visit_mut::visit_block_mut(self, block);
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::Call(call) = expr
            && let syn::Expr::Path(p) = &*call.func
            && p.path.to_token_stream().to_string() == "ResponseValue :: from_response"
            && call.args.len() == 1
        {
            let arg = &call.args[0];
            *expr = syn::parse_quote!(client.read_json(#arg));
            self.json_reads += 1;
            return;
        }
        if let syn::Expr::Struct(s) = expr
            && s.path.is_ident("OperationInfo")
        {
            self.operation = s.fields.iter().find_map(|f| match (&f.member, &f.expr) {
                (
                    syn::Member::Named(name),
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(id),
                        ..
                    }),
                ) if name == "operation_id" => Some(id.value()),
                _ => None,
            });
        }
        if let syn::Expr::Call(call) = expr
            && let syn::Expr::Path(p) = &*call.func
            && p.path.to_token_stream().to_string() == "ResponseValue :: stream"
            && let Some(operation) = &self.operation
            && !self.streamed.contains(operation)
        {
            self.streamed.push(operation.clone());
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if mac.path.is_ident("format") {
            if let Some(TokenTree::Literal(l)) = mac.tokens.clone().into_iter().next() {
                self.path_placeholders += l.to_string().matches("/{}").count();
            }
            mac.tokens = self.checked_segments(std::mem::take(&mut mac.tokens));
        }
        syn::visit_mut::visit_macro_mut(self, mac);
    }

    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        if f.sig.ident == "send" && f.sig.asyncness.is_some() {
            f.attrs.push(syn::parse_quote!(#[doc = ""]));
            f.attrs.push(syn::parse_quote!(#[doc = "# Errors"]));
            f.attrs.push(syn::parse_quote!(#[doc = ""]));
            f.attrs.push(syn::parse_quote!(#[doc = "An [`Error`] saying what happened: a builder value or path parameter refused \
                before sending, a request a middleware refused, a communication failure, a \
                documented error status with the API's error body, or a body that is not what \
                the status documents."]));
            self.sends += 1;
        }
        let takes_client = f.sig.inputs.len() == 1
            && f.sig.inputs.to_token_stream().to_string() == "client : & 'a super :: Client";
        if f.sig.ident == "new" && takes_client {
            f.vis = syn::parse_quote!(pub(crate));
            self.builder_news += 1;
        }
        if f.sig.ident == "new_with_client" {
            f.vis = syn::parse_quote!(pub(crate));
            self.new_with_client = true;
        }
        syn::visit_mut::visit_impl_item_fn_mut(self, f);
    }

    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        if let Some(text) = readable_conversion(&lit.value()) {
            *lit = syn::LitStr::new(&text, lit.span());
        }
    }

    fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
        if item.ident == "Client" && matches!(item.vis, syn::Visibility::Public(_)) {
            item.attrs.retain(|a| !a.path().is_ident("doc"));
            let doc = CLIENT_DOC.iter();
            item.attrs
                .splice(0..0, doc.map(|line| syn::parse_quote!(#[doc = #line])));
            self.client_doc = true;
        }
        syn::visit_mut::visit_item_struct_mut(self, item);
    }
}

impl Rewrite {
    /// `encode_path(&session_id.to_string())` → `crate::path_segment("session_id",
    /// &session_id.to_string())?`.
    fn checked_segments(&mut self, tokens: TokenStream) -> TokenStream {
        let mut out = Vec::new();
        let mut iter = tokens.into_iter().peekable();
        while let Some(tt) = iter.next() {
            let is_encode = matches!(&tt, TokenTree::Ident(i) if i == "encode_path");
            let args = match iter.peek() {
                Some(TokenTree::Group(g))
                    if is_encode && g.delimiter() == Delimiter::Parenthesis =>
                {
                    g.stream()
                }
                _ => {
                    out.push(tt);
                    continue;
                }
            };
            let name = args.clone().into_iter().find_map(|t| match t {
                TokenTree::Ident(i) => Some(i.to_string()),
                _ => None,
            });
            let Some(name) = name else {
                out.push(tt);
                continue;
            };
            iter.next();
            self.path_segments += 1;
            let mut call = TokenStream::new();
            call.extend([
                Literal::string(&name).into(),
                TokenTree::from(Punct::new(',', Spacing::Alone)),
            ]);
            call.extend(args);
            out.extend([
                TokenTree::from(Ident::new("crate", Span::call_site())),
                Punct::new(':', Spacing::Joint).into(),
                Punct::new(':', Spacing::Alone).into(),
                Ident::new("path_segment", Span::call_site()).into(),
                Group::new(Delimiter::Parenthesis, call).into(),
                Punct::new('?', Spacing::Alone).into(),
            ]);
        }
        out.into_iter().collect()
    }
}
