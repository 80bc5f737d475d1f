//! Maintainer tasks for the workspace: generating `idv-api` from `spec/`, checking that the
//! committed code is current, and diffing spec revisions.

pub mod diff;
