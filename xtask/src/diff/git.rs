//! The git plumbing of `cargo xtask diff`: which revision to compare with, and its spec.

use std::path::Path;
use std::process::Command;

use crate::error::Error;
use crate::spec::SPEC_PATH;

/// The default base revision: the merge-base of `HEAD` and `main`, or `HEAD` on `main`.
pub fn default_base(root: &Path) -> Result<String, Error> {
    if git(root, &["rev-parse", "--abbrev-ref", "HEAD"])?.trim() == "main" {
        return Ok("HEAD".into());
    }
    git(root, &["merge-base", "HEAD", "main"])
        .map(|sha| sha.trim().to_string())
        .map_err(|e| {
            Error::Git(format!(
                "{e}\nhint: pass `--base <git-rev>` when there is no `main` branch"
            ))
        })
}

/// The spec at revision `rev` (`None` when the file does not exist there) and the revision's
/// commit, abbreviated to 10 digits.
pub fn spec_at(root: &Path, rev: &str) -> Result<(Option<String>, String), Error> {
    if rev.starts_with('-') {
        return Err(Error::Git(format!("`{rev}` is not a git revision")));
    }
    let sha = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|_| Error::Git(format!("`{rev}` is not a commit in this repository")))?;
    let sha = sha.trim();
    let short = sha.get(..10).unwrap_or(sha).to_string();
    let object = format!("{sha}:./{SPEC_PATH}");
    if git(root, &["cat-file", "-e", &object]).is_err() {
        return Ok((None, short));
    }
    let yaml = git(root, &["show", &object])?;
    Ok((Some(yaml), short))
}

/// Runs git in `root` and returns its standard output.
fn git(root: &Path, args: &[&str]) -> Result<String, Error> {
    let output = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|e| Error::Git(format!("cannot run git: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(Error::Git(format!(
            "`git {}` failed: {}",
            args.join(" "),
            stderr.trim()
        )));
    }
    String::from_utf8(output.stdout).map_err(|_| {
        Error::Git(format!(
            "`git {}` printed text that is not UTF-8",
            args.join(" ")
        ))
    })
}
