//! The spec: where it lives, how it is read, and how places in it are named.
//!
//! Every command reads `spec/idv.yaml` through [`load`] or [`parse`], so a spec that is not
//! YAML, not an OpenAPI 3.0 document or holds a dangling `$ref` fails the same way everywhere,
//! with a line and column or a JSON pointer.

use std::path::{Path, PathBuf};

use serde_yaml::Value as Yaml;
use sha2::{Digest, Sha256};

use crate::error::{Error, Which};

/// The spec's path relative to the workspace root.
pub const SPEC_PATH: &str = "spec/idv.yaml";

/// The workspace root (the parent of the xtask crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The workspace that `dir` is in: the nearest directory at or above it that has both the
/// spec and the xtask crate, if any.
pub fn workspace_of(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(SPEC_PATH).is_file() && d.join("xtask/Cargo.toml").is_file())
        .map(Path::to_path_buf)
}

/// Why this binary must not run from `cwd`: it was built for the workspace `built_for`, and
/// `cwd` is in another one. Several checkouts (git worktrees) sharing one `CARGO_TARGET_DIR`
/// share its `target/debug/xtask`, so `cargo xtask` in one may run the binary another just
/// built, which would read and write that other checkout's spec and generated code.
pub fn foreign_workspace(built_for: &Path, cwd: &Path) -> Option<String> {
    let here = workspace_of(cwd)?;
    let same = match (here.canonicalize(), built_for.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => here == built_for,
    };
    (!same).then(|| {
        format!(
            "this xtask binary was built for {} but runs in {}; another checkout sharing the \
             target directory built it last. Rebuild it here (`touch xtask/src/main.rs`, then \
             `cargo xtask ...` again).",
            built_for.display(),
            here.display()
        )
    })
}

/// A spec read as YAML: its text, its JSON value and its digest.
pub struct Spec {
    /// Where the spec was read from, relative to the workspace root when possible.
    pub path: String,
    /// Which spec this is, for errors.
    pub which: Which,
    /// The YAML text.
    pub text: String,
    /// The document as JSON, for validation by JSON pointer.
    pub value: serde_json::Value,
    /// Lowercase hex SHA-256 of the YAML text.
    pub sha256: String,
    /// The document as YAML, in document order.
    yaml: Yaml,
}

/// Read `spec/idv.yaml` in the workspace at `root` as YAML.
pub fn load(root: &Path) -> Result<Spec, Error> {
    let path = root.join(SPEC_PATH);
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
        action: "read",
        path,
        source,
    })?;
    parse(&text, Which::File(SPEC_PATH.to_string()))
}

/// Parse spec text as a YAML mapping. `which` names the spec in errors. Whether it is an
/// OpenAPI document is [`Spec::openapi`]'s question, asked after the rules are checked.
pub fn parse(text: &str, which: Which) -> Result<Spec, Error> {
    let yaml: Yaml = serde_yaml::from_str(text).map_err(|e| yaml_error(&which, e))?;
    if !yaml.is_mapping() {
        return Err(Error::Spec {
            which,
            location: String::new(),
            message: "the document must be a mapping with `openapi`, `info` and `paths`".into(),
        });
    }
    let value = serde_json::to_value(&yaml).map_err(|e| Error::Spec {
        which: which.clone(),
        location: String::new(),
        message: e.to_string(),
    })?;
    let sha256 = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let path = match &which {
        Which::File(path) => path.clone(),
        Which::Base | Which::Head => SPEC_PATH.to_string(),
    };
    Ok(Spec {
        path,
        which,
        text: text.to_string(),
        value,
        sha256,
        yaml,
    })
}

impl Spec {
    /// The document as `openapiv3` reads it, once every `$ref` is checked: local, resolving,
    /// not part of a cycle of bare references.
    pub fn openapi(&self) -> Result<openapiv3::OpenAPI, Error> {
        let openapi = serde_yaml::from_str(&self.text).map_err(|e| yaml_error(&self.which, e))?;
        check_references(&self.yaml, &self.yaml, &mut String::new()).map_err(
            |(location, message)| Error::Spec {
                which: self.which.clone(),
                location,
                message,
            },
        )?;
        Ok(openapi)
    }
}

fn yaml_error(which: &Which, e: serde_yaml::Error) -> Error {
    let location = e
        .location()
        .map(|l| format!("line {} column {}", l.line(), l.column()))
        .unwrap_or_default();
    let message = e.to_string().replacen(&format!(" at {location}"), "", 1);
    Error::Spec {
        which: which.clone(),
        location,
        message,
    }
}

/// Escape one JSON pointer token (RFC 6901).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Unescape one JSON pointer token (RFC 6901).
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Build a JSON pointer from tokens.
pub fn pointer<I, S>(tokens: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    tokens
        .into_iter()
        .map(|t| format!("/{}", escape(t.as_ref())))
        .collect()
}

/// Checks every `$ref` under `node`, in document order: local, existing, not a cycle of bare
/// references. The error holds the JSON pointer of the `$ref` and what is wrong with it.
fn check_references(root: &Yaml, node: &Yaml, at: &mut String) -> Result<(), (String, String)> {
    let visit = |at: &mut String, token: &str, child: &Yaml| {
        let len = at.len();
        at.push('/');
        at.push_str(&escape(token));
        let result = check_references(root, child, at);
        at.truncate(len);
        result
    };
    match node {
        Yaml::Mapping(map) => {
            if let Some(Yaml::String(target)) = map.get("$ref") {
                check_reference(root, target).map_err(|message| (format!("{at}/$ref"), message))?;
            }
            for (key, child) in map {
                visit(at, &key_text(key), child)?;
            }
        }
        Yaml::Sequence(items) => {
            for (i, child) in items.iter().enumerate() {
                visit(at, &i.to_string(), child)?;
            }
        }
        Yaml::Tagged(tagged) => check_references(root, &tagged.value, at)?,
        _ => {}
    }
    Ok(())
}

fn check_reference(root: &Yaml, reference: &str) -> Result<(), String> {
    let mut target = reference;
    for _ in 0..32 {
        let Some(path) = target.strip_prefix("#/") else {
            return Err(format!(
                "`$ref: {target}` is not a reference inside this file (`#/...`)"
            ));
        };
        let mut node = root;
        for token in path.split('/') {
            let token = unescape(token);
            let child = match node {
                Yaml::Mapping(map) => map
                    .iter()
                    .find(|(k, _)| key_text(k) == token)
                    .map(|(_, v)| v),
                Yaml::Sequence(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            node = child.ok_or_else(|| format!("`$ref: {target}` points to nothing"))?;
        }
        match node.get("$ref") {
            Some(Yaml::String(next)) => target = next,
            _ => return Ok(()),
        }
    }
    Err(format!(
        "`$ref: {reference}` is part of a cycle of references"
    ))
}

fn key_text(key: &Yaml) -> String {
    match key {
        Yaml::String(s) => s.clone(),
        Yaml::Number(n) => n.to_string(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Null => "null".into(),
        other => format!("{other:?}"),
    }
}
