//! The xtask's commands driven in-process, in one test binary: `diff`'s classifications, from
//! spec pairs to exact report lines (`diff/`), `generate` and `check` (`generate.rs`),
//! `x-sensitive` (`sensitive.rs`), what strict validators require of the spec
//! (`strict_openapi.rs`), `diff` over git revisions (`diff_git.rs`), and the checkout a binary
//! belongs to (`workspace.rs`).

mod diff;
mod diff_git;
mod generate;
mod sensitive;
mod strict_openapi;
mod workspace;

use serde_json::Value;
use xtask::error::Which;
use xtask::spec::{SPEC_PATH, Spec, load, parse, workspace_root};

/// The workspace's spec, as `cargo xtask generate` reads it.
fn real_spec() -> Spec {
    load(&workspace_root()).unwrap()
}

/// The real spec with `edit` applied, as a spec the generator reads.
fn edited(edit: impl FnOnce(&mut Value)) -> Spec {
    let mut value = real_spec().value;
    edit(&mut value);
    parse(
        &serde_yaml::to_string(&value).unwrap(),
        Which::File(SPEC_PATH.into()),
    )
    .unwrap()
}
