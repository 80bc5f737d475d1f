//! The xtask binary refuses to run in another checkout than the one it was built for (issue
//! 16: worktrees sharing one target directory share `target/debug/xtask`, and the binary
//! another worktree built read that worktree's spec).

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
