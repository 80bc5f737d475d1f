//! `cargo xtask <command>`: see `cargo xtask --help`.

use std::process::ExitCode;

use clap::Parser;
use xtask::cli::{Cli, run};
use xtask::spec::{foreign_workspace, workspace_root};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    if let Ok(cwd) = std::env::current_dir()
        && let Some(problem) = foreign_workspace(&root, &cwd)
    {
        eprintln!("error: {problem}");
        return ExitCode::from(2);
    }
    let code = run(
        &cli,
        &root,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    ExitCode::from(code)
}
