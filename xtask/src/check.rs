//! `cargo xtask check`: the committed generated code matches the spec.

use similar::TextDiff;

/// A unified diff from the committed text to the freshly generated one, or `None` when they
/// are identical.
pub fn stale_diff(committed: &str, generated: &str, path: &str) -> Option<String> {
    if committed == generated {
        return None;
    }
    Some(
        TextDiff::from_lines(committed, generated)
            .unified_diff()
            .context_radius(3)
            .header(
                &format!("{path} (committed)"),
                &format!("{path} (generated from the spec)"),
            )
            .to_string(),
    )
}
