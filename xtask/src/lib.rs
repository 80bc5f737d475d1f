//! Maintainer tasks for the workspace: generating `idv-api` from `spec/`, checking that the
//! committed code is current, and diffing spec revisions.
//!
//! The binary (`cargo xtask <command>`) is a thin layer over [`cli`], so tests can drive
//! every command without a subprocess.
//!
//! - [`spec`]: where the spec lives and how it is read.
//! - [`validate`]: the rules the spec must follow.
//! - [`generate`]: the generation pipeline and every generator setting.
//! - [`hardening`]: the rewrites that route generated code through idv-api's errors and checks.
//! - [`names`] and [`enums`]: the Rust names of spec items, and the enums the xtask emits.
//! - [`conveniences`]: the constructors added to the generated types, by their shape.
//! - [`sensitive`]: personal data and secrets (`x-sensitive`), redacted from `Debug`.
//! - [`routes`]: each operation's `operationId`, method and path template, for tracing.
//! - [`cli_gen`]: the `idv` command line's per-operation commands, from the same spec.
//! - [`check`]: the staleness diff.
//! - [`diff`]: the semantic API diff between two revisions.
//! - [`error`]: the one error type.

pub mod check;
pub mod cli;
pub mod cli_gen;
pub mod conveniences;
pub mod diff;
pub mod enums;
pub mod error;
pub mod generate;
pub mod hardening;
pub mod multipart;
pub mod names;
pub mod routes;
pub mod sensitive;
pub mod spec;
pub mod validate;
