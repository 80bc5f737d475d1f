//! The one error type of every xtask command.

use std::fmt;
use std::path::PathBuf;

use crate::validate::Violation;

/// Which spec an [`Error::Spec`] is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Which {
    /// A file, by its path relative to the workspace root.
    File(String),
    /// The spec at the base revision of a diff.
    Base,
    /// The newer spec of a diff (the working tree).
    Head,
}

/// Why a command failed.
#[derive(Debug)]
pub enum Error {
    /// A file could not be read or written.
    Io {
        /// `"read"` or `"write"`.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A spec is not a YAML mapping, not an OpenAPI 3.0 document `openapiv3` can read, or
    /// holds a `$ref` that does not resolve.
    Spec {
        /// Which spec.
        which: Which,
        /// `line L column C` for a YAML or schema error, a JSON pointer for a bad `$ref`;
        /// empty when the parser gives no location.
        location: String,
        /// What is wrong.
        message: String,
    },
    /// The spec breaks one or more rules of [`crate::validate`].
    Rules(Vec<Violation>),
    /// progenitor returned an error, panicked, or produced tokens that are not Rust.
    Generator(String),
    /// The committed generated code is not what the spec generates.
    Stale(String),
    /// git could not be run, failed, or the revision does not exist.
    Git(String),
}

impl Error {
    /// The error, naming a diff's two specs with the given labels.
    pub fn describe(&self, base_label: &str, head_label: &str) -> String {
        let Error::Spec {
            which,
            location,
            message,
        } = self
        else {
            return self.to_string();
        };
        let location = if location.is_empty() {
            String::new()
        } else {
            format!(", {location}")
        };
        let name = match which {
            Which::File(path) => format!("`{path}`"),
            Which::Base => format!("`{}` at {base_label}", crate::spec::SPEC_PATH),
            Which::Head => format!("`{}` at {head_label}", crate::spec::SPEC_PATH),
        };
        format!("{name} is not a valid spec{location}: {message}")
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io {
                action,
                path,
                source,
            } => write!(f, "cannot {action} {}: {source}", path.display()),
            Error::Spec { .. } => {
                f.write_str(&self.describe("the base revision", "the working tree"))
            }
            Error::Rules(violations) => {
                writeln!(f, "the spec breaks {} rule(s):", violations.len())?;
                for v in violations {
                    writeln!(f, "  {v}")?;
                }
                Ok(())
            }
            Error::Generator(message) | Error::Stale(message) | Error::Git(message) => {
                f.write_str(message)
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
