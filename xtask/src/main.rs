//! `cargo xtask <command>`: see `cargo xtask --help`.

use std::process::ExitCode;

use clap::Parser;
use xtask::cli::{Cli, run};
use xtask::spec::workspace_root;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = run(
        &cli,
        &workspace_root(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    ExitCode::from(code)
}
