//! No progenitor or typify type is in idv-api's public API, in the spirit of smithy-rs's
//! `external-types.toml`: what users compile against is idv-api's own, so a generator upgrade
//! cannot change it. progenitor's runtime may still be called inside function bodies.
//!
//! The check reads every source file of the crate (generated and hand-written) and looks at
//! what a user can see: `pub use`, and the signatures, fields, aliases and trait impls of
//! `pub` items, wherever they are (a `pub` item of a private module may be re-exported).

use std::path::Path;

use quote::ToTokens;

/// The crates whose types must not be public, and the names a private `use` imported from
/// them.
const CRATES: [&str; 3] = ["progenitor_client", "typify", "progenitor"];

/// The public surface of `file` that names one of [`CRATES`]: one line per finding.
fn external_types(file: &syn::File) -> Vec<String> {
    let mut imported = Vec::new();
    collect_imports(&file.items, &mut imported);
    let mut findings = Vec::new();
    let mut surface = Vec::new();
    public_surface(&file.items, &mut surface);
    for text in surface {
        let words: Vec<&str> = text
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .collect();
        if let Some(bad) = words
            .iter()
            .find(|w| CRATES.contains(w) || imported.iter().any(|i| i == *w))
        {
            findings.push(format!("`{bad}` in `{text}`"));
        }
    }
    findings
}

/// The names private `use`s bring in from [`CRATES`] (`use progenitor_client::X as Y`: `Y`).
fn collect_imports(items: &[syn::Item], names: &mut Vec<String>) {
    fn leaves(tree: &syn::UseTree, names: &mut Vec<String>) {
        match tree {
            syn::UseTree::Path(p) => leaves(&p.tree, names),
            syn::UseTree::Name(n) => names.push(n.ident.to_string()),
            syn::UseTree::Rename(r) => names.push(r.rename.to_string()),
            syn::UseTree::Glob(_) => {}
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| leaves(t, names)),
        }
    }
    for item in items {
        match item {
            syn::Item::Use(u) if CRATES.iter().any(|c| tokens(&u.tree).starts_with(c)) => {
                leaves(&u.tree, names)
            }
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    collect_imports(items, names);
                }
            }
            _ => {}
        }
    }
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn is_test_module(m: &syn::ItemMod) -> bool {
    m.attrs
        .iter()
        .any(|a| a.path().is_ident("cfg") && tokens(&a.meta).contains("test"))
}

/// What users see of `items`, as token text.
fn public_surface(items: &[syn::Item], out: &mut Vec<String>) {
    for item in items {
        match item {
            syn::Item::Use(u) if is_pub(&u.vis) => out.push(tokens(&u.tree)),
            syn::Item::Fn(f) if is_pub(&f.vis) => out.push(tokens(&f.sig)),
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                out.push(tokens(&s.generics));
                for field in s.fields.iter().filter(|f| is_pub(&f.vis)) {
                    out.push(tokens(&field.ty));
                }
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => {
                out.push(tokens(&e.generics));
                out.extend(e.variants.iter().map(tokens));
            }
            syn::Item::Type(t) if is_pub(&t.vis) => out.push(tokens(t)),
            syn::Item::Const(c) if is_pub(&c.vis) => out.push(tokens(&c.ty)),
            syn::Item::Static(s) if is_pub(&s.vis) => out.push(tokens(&s.ty)),
            syn::Item::Trait(t) if is_pub(&t.vis) => out.push(tokens(t)),
            syn::Item::Impl(i) => {
                if let Some((path, _)) = &i.trait_ {
                    out.push(format!("impl {} for {}", tokens(path), tokens(&i.self_ty)));
                } else {
                    for f in &i.items {
                        if let syn::ImplItem::Fn(f) = f
                            && is_pub(&f.vis)
                        {
                            out.push(tokens(&f.sig));
                        }
                    }
                }
            }
            syn::Item::Mod(m) if !is_test_module(m) => {
                if let Some((_, items)) = &m.content {
                    public_surface(items, out);
                }
            }
            _ => {}
        }
    }
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_progenitor_or_typify_type_is_public() {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    assert!(files.iter().any(|f| f.ends_with("generated.rs")));
    let mut findings = Vec::new();
    for path in &files {
        let file = syn::parse_file(&std::fs::read_to_string(path).unwrap()).unwrap();
        for finding in external_types(&file) {
            findings.push(format!("{}: {finding}", path.display()));
        }
    }
    assert!(findings.is_empty(), "{findings:#?}");
}

/// The check finds each way a progenitor type could be public.
#[test]
fn the_check_finds_a_public_progenitor_type() {
    for (code, found) in [
        (
            "pub use progenitor_client::{ByteStream, ResponseValue};",
            "`progenitor_client` in `progenitor_client :: { ByteStream , ResponseValue }`",
        ),
        (
            "pub fn f() -> progenitor_client::ResponseValue<()> { todo!() }",
            "`progenitor_client` in `fn f () -> progenitor_client :: ResponseValue < () >`",
        ),
        (
            "use progenitor_client::ByteStream as Bytes; mod m { pub struct S { pub body: super::Bytes } }",
            "`Bytes` in `super :: Bytes`",
        ),
        (
            "use progenitor_client::ClientInfo; pub struct Client; impl ClientInfo<()> for Client {}",
            "`ClientInfo` in `impl ClientInfo < () > for Client`",
        ),
        (
            "use progenitor_client::Error; pub enum E { Upstream(Error<()>) }",
            "`Error` in `Upstream (Error < () >)`",
        ),
    ] {
        let file = syn::parse_file(code).unwrap();
        assert_eq!(external_types(&file), [found], "{code}");
    }
    // Inside a body, or private, it is not public.
    let file = syn::parse_file(
        "use progenitor_client::QueryParam; pub fn f() { let _ = QueryParam::new(\"a\", &1); } \
         pub(crate) fn g(_: QueryParam<'_, u8>) {}",
    )
    .unwrap();
    assert_eq!(external_types(&file), Vec::<String>::new());
}

/// The token text of a piece of syntax.
fn tokens(node: &impl ToTokens) -> String {
    node.to_token_stream().to_string()
}
