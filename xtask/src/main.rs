//! `cargo xtask <command>`: see `cargo xtask help`.

use std::process::ExitCode;
use std::time::Instant;

use xtask::check::stale_diff;
use xtask::generate::{GENERATED_PATH, generate};
use xtask::spec::{SPEC_PATH, load, workspace_root};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  generate   regenerate idv-api/src/generated.rs from spec/idv.yaml
  check      fail if spec/idv.yaml breaks a rule or idv-api/src/generated.rs is stale
  diff       summarise the API changes between a git revision's spec and the working tree
             (cargo xtask diff --help)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("generate") => generate_command(),
        Some("check") => check_command(),
        Some("diff") => xtask::diff::cli(&args[1..]),
        Some("help" | "--help" | "-h") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprint!("unknown command `{other}`\n\n{USAGE}");
            ExitCode::from(2)
        }
        None => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The freshly generated code, or the error printed.
fn regenerate() -> Result<String, ExitCode> {
    let root = workspace_root();
    let spec = load(&root.join(SPEC_PATH), SPEC_PATH).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::FAILURE
    })?;
    generate(&spec).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::FAILURE
    })
}

fn generate_command() -> ExitCode {
    let started = Instant::now();
    let code = match regenerate() {
        Ok(code) => code,
        Err(exit) => return exit,
    };
    let path = workspace_root().join(GENERATED_PATH);
    if std::fs::read_to_string(&path).is_ok_and(|old| old == code) {
        println!(
            "{GENERATED_PATH} is up to date ({} lines)",
            code.lines().count()
        );
        return ExitCode::SUCCESS;
    }
    if let Err(e) = std::fs::write(&path, &code) {
        eprintln!("error: cannot write {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    println!(
        "wrote {GENERATED_PATH} ({} lines) in {} ms",
        code.lines().count(),
        started.elapsed().as_millis()
    );
    ExitCode::SUCCESS
}

fn check_command() -> ExitCode {
    let code = match regenerate() {
        Ok(code) => code,
        Err(exit) => return exit,
    };
    let path = workspace_root().join(GENERATED_PATH);
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    match stale_diff(&committed, &code, GENERATED_PATH) {
        None => {
            println!("{SPEC_PATH} follows every rule and {GENERATED_PATH} is up to date");
            ExitCode::SUCCESS
        }
        Some(diff) => {
            println!("{diff}");
            eprintln!(
                "error: {GENERATED_PATH} does not match {SPEC_PATH}.\n\
                 Do not edit it by hand: run `cargo xtask generate` and commit the result."
            );
            ExitCode::FAILURE
        }
    }
}
