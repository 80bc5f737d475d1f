//! `cargo xtask diff` end to end: the command line over a throwaway git repository made under
//! the system's temporary directory, with its own identity and no global configuration.

use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::cli::run_args;

const BEFORE: &str = include_str!("../fixtures/diff/before.yaml");
const AFTER: &str = include_str!("../fixtures/diff/after.yaml");

/// A git repository that is deleted when dropped.
struct Repo(PathBuf);

impl Repo {
    fn new(name: &str) -> Repo {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir =
            std::env::temp_dir().join(format!("xtask-diff-{name}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(dir.join("spec")).expect("temp dir");
        let repo = Repo(dir);
        repo.git(&["init", "--quiet", "--initial-branch=main"]);
        repo
    }

    fn git(&self, args: &[&str]) -> String {
        let output = Command::new("git")
            .args([
                "-c",
                "user.name=xtask test",
                "-c",
                "user.email=xtask@example.invalid",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(&self.0)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_DATE", "2025-01-01T00:00:00Z")
            .env("GIT_COMMITTER_DATE", "2025-01-01T00:00:00Z")
            .output()
            .expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn write(&self, path: &str, text: &str) {
        std::fs::write(self.0.join(path), text).expect("write");
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "--all"]);
        self.git(&["commit", "--quiet", "--message", message]);
    }

    /// Runs `cargo xtask diff <args>` here: (exit status, stdout, stderr).
    fn diff(&self, args: &[&str]) -> (u8, String, String) {
        let args = ["cargo-xtask", "diff"].iter().chain(args);
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run_args(args, &self.0, &mut out, &mut err);
        (
            code,
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
        )
    }

    fn short_head(&self) -> String {
        self.git(&["rev-parse", "HEAD"])
            .trim()
            .chars()
            .take(10)
            .collect()
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn total(report: &str) -> &str {
    report.lines().last().unwrap_or_default()
}

#[test]
fn compares_a_revision_with_the_working_tree() {
    let repo = Repo::new("tree");
    repo.write("spec/idv.yaml", BEFORE);
    repo.commit("spec");
    repo.write("spec/idv.yaml", AFTER);
    let short = repo.short_head();

    let (code, out, err) = repo.diff(&["--base", "HEAD"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(
        out.starts_with(&format!(
            "## API diff: `spec/idv.yaml`, HEAD ({short}) → working tree\n"
        )),
        "{out}"
    );
    assert_eq!(
        total(&out),
        "**Total:** 6 breaking, 2 additive, 2 docs only."
    );
    // The body is the README example's.
    let example = include_str!("../fixtures/diff/report.md");
    assert_eq!(
        out.split_once('\n').map(|x| x.1),
        example.split_once('\n').map(|x| x.1)
    );

    let (code, _, _) = repo.diff(&["--fail-on-breaking", &format!("--base={short}")]);
    assert_eq!(code, 1);

    // On main, the default base is HEAD.
    let (code, out, _) = repo.diff(&["--fail-on-breaking"]);
    assert_eq!(code, 1);
    assert!(
        out.starts_with(&format!(
            "## API diff: `spec/idv.yaml`, HEAD ({short}) → working tree\n"
        )),
        "{out}"
    );

    // On a branch, it is the merge-base with main.
    repo.git(&["checkout", "--quiet", "-b", "feature"]);
    repo.commit("change the spec");
    let (code, out, _) = repo.diff(&[]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with(&format!(
            "## API diff: `spec/idv.yaml`, the merge-base with main ({short}) → working tree\n"
        )),
        "{out}"
    );
    assert_eq!(
        total(&out),
        "**Total:** 6 breaking, 2 additive, 2 docs only."
    );

    // Without changes, --fail-on-breaking passes.
    let (code, out, _) = repo.diff(&["--base", "feature", "--fail-on-breaking"]);
    assert_eq!(code, 0);
    assert!(out.contains("\nNo API changes.\n"), "{out}");
}

#[test]
fn a_spec_missing_at_the_base_revision_is_all_added() {
    let repo = Repo::new("absent");
    repo.write("README.md", "nothing yet\n");
    repo.commit("start");
    repo.write("spec/idv.yaml", BEFORE);
    let (code, out, err) = repo.diff(&["--base", "HEAD", "--fail-on-breaking"]);
    assert_eq!((code, err.as_str()), (0, ""));
    let short = repo.short_head();
    assert!(
        out.contains(&format!(
            "> `spec/idv.yaml` does not exist at HEAD ({short}): everything is reported as added.\n"
        )),
        "{out}"
    );
    assert_eq!(
        total(&out),
        "**Total:** 0 breaking, 12 additive, 0 docs only."
    );
}

#[test]
fn errors_name_the_revision_and_the_location() {
    let repo = Repo::new("errors");
    repo.write(
        "spec/idv.yaml",
        "openapi: 3.0.3\ninfo: {title: IDV, version: '1'\npaths: {}\n",
    );
    repo.commit("broken spec");
    repo.write("spec/idv.yaml", BEFORE);
    let short = repo.short_head();

    let (code, out, err) = repo.diff(&["--base", "HEAD"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        format!(
            "error: `spec/idv.yaml` at HEAD ({short}) is not a valid spec, line 3 column 1: \
             did not find expected ',' or '}}', while parsing a flow mapping at line 2 column 7\n"
        )
    );

    repo.write(
        "spec/idv.yaml",
        "openapi: 3.0.3\ninfo: {title: IDV}\npaths: {}\n",
    );
    let (code, _, err) = repo.diff(&["--base", "HEAD"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with(&format!(
            "error: `spec/idv.yaml` at HEAD ({short}) is not a valid spec, line 3 column 1"
        )),
        "{err}"
    );

    repo.git(&["checkout", "--quiet", "--", "spec/idv.yaml"]);
    repo.write(
        "spec/idv.yaml",
        "openapi: 3.0.3\ninfo: {title: IDV}\npaths: {}\n",
    );
    repo.commit("valid YAML");
    repo.write(
        "spec/idv.yaml",
        "openapi: 3.0.3\ninfo: {title: IDV}\npaths: {}\n",
    );
    let (code, _, err) = repo.diff(&["--base", "HEAD"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("is not a valid spec, line 2 column 7: info: missing field `version`"),
        "{err}"
    );

    let (code, _, err) = repo.diff(&["--base", "no-such-branch"]);
    assert_eq!(
        (code, err.as_str()),
        (
            2,
            "error: `no-such-branch` is not a commit in this repository\n"
        )
    );
    // An option is not a revision: clap says `--base` has no value, and a value that looks
    // like an option is refused before git sees it.
    let (code, _, err) = repo.diff(&["--base", "--fail-on-breaking"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: a value is required for '--base <GIT-REV>'"),
        "{err}"
    );
    let (code, _, err) = repo.diff(&["--base=--fail-on-breaking"]);
    assert_eq!(
        (code, err.as_str()),
        (2, "error: `--fail-on-breaking` is not a git revision\n")
    );

    std::fs::remove_file(repo.0.join("spec/idv.yaml")).expect("remove");
    let (code, _, err) = repo.diff(&["--base", "HEAD"]);
    assert_eq!(code, 2);
    let path = repo.0.join("spec/idv.yaml");
    assert!(
        err.starts_with(&format!("error: cannot read {}: ", path.display())),
        "{err}"
    );
}

#[test]
fn usage_errors_and_help() {
    let dir = Path::new("/nonexistent");
    let run = |args: &[&str]| {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let args = ["cargo-xtask"].iter().chain(args);
        let code = run_args(args, dir, &mut out, &mut err);
        (
            code,
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
        )
    };
    let (code, out, _) = run(&["diff", "--help"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("\nUsage: cargo xtask diff [OPTIONS]\n"),
        "{out}"
    );
    for option in [
        "--base <GIT-REV>",
        "--fail-on-breaking",
        "Exit status: 0 on success",
    ] {
        assert!(out.contains(option), "{option} in {out}");
    }
    let (code, out, _) = run(&["--help"]);
    assert_eq!(code, 0);
    for command in ["generate", "check", "diff"] {
        assert!(
            out.contains(&format!("\n  {command} ")),
            "{command} in {out}"
        );
    }
    for (args, message) in [
        (
            &["diff", "--bogus"][..],
            "error: unexpected argument '--bogus' found",
        ),
        (
            &["diff", "--base"],
            "error: a value is required for '--base <GIT-REV>'",
        ),
        (&["diff", "HEAD"], "error: unexpected argument 'HEAD' found"),
        (&["bogus"], "error: unrecognized subcommand 'bogus'"),
    ] {
        let (code, out, err) = run(args);
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}");
        assert!(err.starts_with(message), "{args:?}: {err}");
    }
    // No command: the help, as an error.
    let (code, out, err) = run(&[]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("Usage: cargo xtask <COMMAND>"), "{err}");
}
