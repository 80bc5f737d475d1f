//! Maintainer tasks for the workspace: generating `idv-api` from `spec/`, checking that the
//! committed code is current, and diffing spec revisions.
//!
//! The binary (`cargo xtask <command>`) is a thin layer over these modules, so tests can
//! drive every command without a subprocess.

pub mod check;
pub mod diff;
pub mod enums;
pub mod generate;
pub mod spec;
pub mod validate;
