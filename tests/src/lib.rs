#![forbid(unsafe_code)]

//! The workspace's end-to-end tests (in `tests/`), and their one piece of support: finding
//! `../shared/conformance`, the data that belongs to other projects.
//!
//! The official SDKs' response files, `yoti-sdk-test.pem` and `sdk-repo-vectors.json` are
//! never committed here. Tests read them from the `shared/` folder beside the checkout. In a
//! user's clone that folder is absent and those tests skip with a message; under CI
//! (`CI=true`) its absence is a failure, so CI can never silently test less.

use std::io::Write as _;
use std::path::PathBuf;

/// The `shared/conformance` folder beside the workspace, or `None` (with a message on
/// stderr) when it is absent outside CI.
///
/// # Panics
///
/// When the folder is absent and the `CI` environment variable is `true`: CI must run
/// every conformance test. This is test support; only tests call it.
pub fn conformance_dir(test: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance");
    if dir.is_dir() {
        return Some(dir);
    }
    let shown = dir.display();
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: {shown} is missing, and CI=true requires the shared conformance data");
    }
    // Straight to stderr: the test harness captures `eprintln!`, and would hide the skip.
    let _ = writeln!(
        std::io::stderr(),
        "skipping {test}: {shown} is absent (it holds other projects' data and is never committed)"
    );
    None
}
