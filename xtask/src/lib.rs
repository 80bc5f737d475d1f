//! Maintainer tasks for the workspace.
