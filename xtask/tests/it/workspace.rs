//! The xtask binary refuses to run in another checkout than the one it was built for (issue
//! 16: worktrees sharing one target directory share `target/debug/xtask`, and the binary
//! another worktree built read that worktree's spec), and `check` covers the emulator's copy of
//! the spec.

use std::fs;
use std::path::{Path, PathBuf};

use xtask::spec::{foreign_workspace, workspace_of};

/// A fresh directory with a checkout's marker files: the spec and the xtask crate.
fn checkout(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-workspace-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    for file in ["spec/idv.yaml", "xtask/Cargo.toml"] {
        let path = dir.join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, "").unwrap();
    }
    fs::create_dir_all(dir.join("tests/src")).unwrap();
    dir
}

#[test]
fn a_binary_built_for_another_checkout_is_refused() {
    let (one, other) = (checkout("one"), checkout("other"));
    let inside = one.join("tests/src");
    assert_eq!(workspace_of(&inside).as_deref(), Some(one.as_path()));
    assert_eq!(foreign_workspace(&one, &inside), None);
    assert_eq!(foreign_workspace(&one, &one), None);
    let problem = foreign_workspace(&other, &inside).expect("another checkout is refused");
    assert!(problem.contains(&other.display().to_string()), "{problem}");
    assert!(problem.contains(&one.display().to_string()), "{problem}");
    // Outside any checkout (a CI runner's home, say) it runs on its own root.
    assert_eq!(foreign_workspace(&one, Path::new("/")), None);
    for dir in [one, other] {
        fs::remove_dir_all(dir).unwrap();
    }
}

/// The emulator packages its own copy of the spec: `generate` writes it, and `check` fails,
/// naming it, when it differs from `spec/idv.yaml` (issue 18).
#[test]
fn the_emulators_copy_of_the_spec_is_kept_in_step() {
    let root = workspace_of(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    let dir = checkout("emulator-spec");
    for file in [
        "spec/idv.yaml",
        "idv-api/src/generated.rs",
        "idv-cli/src/generated_cli.rs",
        "idv-emulator/spec/idv.yaml",
    ] {
        std::fs::create_dir_all(dir.join(file).parent().unwrap()).unwrap();
        std::fs::copy(root.join(file), dir.join(file)).unwrap();
    }
    let run = |command: &str| {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = xtask::cli::run_args(["xtask", command], &dir, &mut out, &mut err);
        let text = String::from_utf8(out).unwrap() + &String::from_utf8(err).unwrap();
        (code, text)
    };
    assert_eq!(run("check").0, 0);

    let copy = dir.join("idv-emulator/spec/idv.yaml");
    let spec = std::fs::read_to_string(&copy).unwrap();
    std::fs::write(&copy, spec.replace("title:", "title: drifted")).unwrap();
    let (code, text) = run("check");
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("idv-emulator/spec/idv.yaml do(es) not match spec/idv.yaml"),
        "{text}"
    );
    assert_eq!(run("generate").0, 0);
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), spec);
    assert_eq!(run("check").0, 0);

    // The CLI's per-operation commands are generated and drift-checked the same way (issue 21).
    let cli = dir.join("idv-cli/src/generated_cli.rs");
    let generated = std::fs::read_to_string(&cli).unwrap();
    std::fs::write(&cli, generated.replace("\"get\"", "\"fetch\"")).unwrap();
    let (code, text) = run("check");
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("+            CliCommand::GetSession => \"get\","),
        "{text}"
    );
    assert!(text.contains("idv-cli/src/generated_cli.rs"), "{text}");
    assert_eq!(run("generate").0, 0);
    assert_eq!(std::fs::read_to_string(&cli).unwrap(), generated);
    std::fs::remove_dir_all(dir).unwrap();
}
