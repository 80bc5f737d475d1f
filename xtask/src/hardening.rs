//! Generator settings that route every generated operation through `idv-api`'s own code:
//!
//! - its own error type (`idv_api::Error`) instead of progenitor's, so the errors say what
//!   happened, keep their status, stay bounded, and a progenitor upgrade does not change them;
//! - a size-capped JSON reader (`Client::read_json`) instead of progenitor's unbounded one;
//! - a checked path segment (`idv_api::path_segment`) instead of `encode_path`, so no path
//!   parameter can retarget a request (`..`, `/`, `\`, `?`, `#`, empty);
//! - no public `new_with_client`, no public `ClientInfo` (its `client()` hands out an unsigned
//!   `reqwest::Client`), and none of progenitor's `pre`/`post` hooks, which idv-api leaves empty.
//!
//! Each rewrite matches progenitor 0.15's output and fails generation when it finds nothing
//! to rewrite, so an upgrade that changes the output cannot silently drop a guarantee.

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::visit_mut::VisitMut;

use crate::error::Error;

/// Applies every rewrite to the generated file.
pub fn harden(file: &mut syn::File) -> Result<(), Error> {
    let mut found_use = false;
    let mut items = Vec::with_capacity(file.items.len() + 2);
    for item in std::mem::take(&mut file.items) {
        if is_progenitor_reexport(&item) {
            found_use = true;
            items.push(syn::parse_quote!(
                pub use progenitor_client::{ByteStream, ResponseValue};
            ));
            items.push(syn::parse_quote!(
                pub use crate::Error;
            ));
            items.push(syn::parse_quote!(
                use progenitor_client::ClientInfo;
            ));
        } else {
            items.push(item);
        }
    }
    file.items = items;
    if !found_use {
        return Err(missing("`pub use progenitor_client::{.., Error, ..}`"));
    }
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
    Ok(())
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
        if f.sig.ident == "new_with_client" {
            f.vis = syn::parse_quote!(pub(crate));
            self.new_with_client = true;
        }
        syn::visit_mut::visit_impl_item_fn_mut(self, f);
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
