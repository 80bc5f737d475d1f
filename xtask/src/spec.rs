//! Reading `spec/idv.yaml`.

use std::fmt;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The spec as read from disk: its text, its JSON value and its digest.
pub struct Spec {
    /// Where the spec was read from, relative to the workspace root when possible.
    pub path: String,
    /// The YAML text.
    pub text: String,
    /// The document as JSON, for validation by JSON pointer.
    pub value: serde_json::Value,
    /// Lowercase hex SHA-256 of the YAML text.
    pub sha256: String,
}

/// Why the spec could not be read.
#[derive(Debug)]
pub enum LoadError {
    /// The file could not be read.
    Io(PathBuf, std::io::Error),
    /// The file is not valid YAML, or not a YAML mapping.
    Yaml(String, String),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io(path, e) => write!(f, "cannot read {}: {e}", path.display()),
            LoadError::Yaml(path, e) => write!(f, "{path}: not a valid YAML document: {e}"),
        }
    }
}

impl std::error::Error for LoadError {}

/// The workspace root (the parent of the xtask crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The spec's path relative to the workspace root.
pub const SPEC_PATH: &str = "spec/idv.yaml";

/// Read the spec at `path`, naming it `label` in messages.
pub fn load(path: &Path, label: &str) -> Result<Spec, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|e| LoadError::Io(path.to_path_buf(), e))?;
    parse(&text, label)
}

/// Parse spec text, naming it `label` in messages.
pub fn parse(text: &str, label: &str) -> Result<Spec, LoadError> {
    let value: serde_json::Value = serde_yaml::from_str(text)
        .map_err(|e| LoadError::Yaml(label.to_string(), e.to_string()))?;
    if !value.is_object() {
        return Err(LoadError::Yaml(
            label.to_string(),
            "the document must be a mapping with `openapi`, `info` and `paths`".to_string(),
        ));
    }
    let sha256 = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Spec {
        path: label.to_string(),
        text: text.to_string(),
        value,
        sha256,
    })
}

/// Escape one JSON pointer token (RFC 6901).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
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
