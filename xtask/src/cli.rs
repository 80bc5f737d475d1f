//! The command line: `cargo xtask <command>`, parsed with clap.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use clap::{Parser, Subcommand};

use crate::check::stale_diff;
use crate::diff::DiffArgs;
use crate::error::Error;
use crate::generate::{GENERATED_PATH, generate};
use crate::spec::{SPEC_PATH, load};

/// Maintainer tasks for yoti-idv-rust: generate `idv-api` from `spec/idv.yaml`, check that the
/// committed code is current, and review spec changes.
#[derive(Debug, Parser)]
#[command(name = "xtask", bin_name = "cargo xtask")]
pub struct Cli {
    /// The task to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The tasks.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Regenerate idv-api/src/generated.rs and idv-cli/src/generated_cli.rs from spec/idv.yaml, and copy the spec into the emulator
    ///
    /// The copy (idv-emulator/spec/idv.yaml) lets the emulator crate be packaged on its own.
    /// Checks the spec's rules first (see xtask/src/validate.rs); any violation stops
    /// generation and is printed with its JSON pointer. Generation is deterministic: the same
    /// spec always gives the same bytes.
    Generate,
    /// Fail if spec/idv.yaml breaks a rule, or idv-api/src/generated.rs, idv-cli/src/generated_cli.rs or the emulator's copy of the spec is stale
    ///
    /// Generates in memory and compares with the committed files, printing a unified diff when
    /// they differ. CI runs this.
    Check,
    /// Report the API changes between a git revision's spec and the working tree's
    ///
    /// Runs the generator on both specs and compares the generated public items (types,
    /// fields, `Default` impls, enum variants, methods, setters) and what the wire means
    /// (required-ness, enum values, limits, statuses). Prints a Markdown report in which each
    /// change is breaking, additive or docs only for users of idv-api, and the semver bump
    /// it needs.
    ///
    /// Exit status: 0 on success, 1 for breaking changes with --fail-on-breaking, 2 on errors.
    Diff(DiffArgs),
}

/// Runs `cli` for the workspace at `root`, writing to `out` and `err`; returns the exit status.
pub fn run(cli: &Cli, root: &Path, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let result = match &cli.command {
        Command::Generate => generate_command(root, out),
        Command::Check => check_command(root, out),
        Command::Diff(args) => return crate::diff::run(root, args, out, err),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "error: {}", e.to_string().trim_end());
            1
        }
    }
}

/// Parses `args` (the program name first) and runs them: clap's help goes to `out` with status
/// 0, a usage error to `err` with status 2.
pub fn run_args<I, S>(args: I, root: &Path, out: &mut dyn Write, err: &mut dyn Write) -> u8
where
    I: IntoIterator<Item = S>,
    S: Into<std::ffi::OsString> + Clone,
{
    match Cli::try_parse_from(args) {
        Ok(cli) => run(&cli, root, out, err),
        Err(e) => {
            let text = e.render().to_string();
            if e.use_stderr() {
                let _ = err.write_all(text.as_bytes());
                2
            } else {
                let _ = out.write_all(text.as_bytes());
                0
            }
        }
    }
}

/// Where the emulator crate keeps its copy of the spec, so that it can be packaged on its own.
pub const EMULATOR_SPEC_PATH: &str = "idv-emulator/spec/idv.yaml";

/// What `generate` writes and `check` compares: the generated client, the generated CLI
/// commands, and the emulator's copy of the spec, each with its path.
fn outputs(root: &Path) -> Result<[(&'static str, String); 3], Error> {
    let loaded = load(root)?;
    let code = generate(&loaded)?;
    let cli = crate::cli_gen::generate_cli(&loaded)?;
    let path = root.join(SPEC_PATH);
    let spec = std::fs::read_to_string(&path).map_err(|source| Error::Io {
        action: "read",
        path,
        source,
    })?;
    Ok([
        (GENERATED_PATH, code),
        (crate::cli_gen::CLI_PATH, cli),
        (EMULATOR_SPEC_PATH, spec),
    ])
}

fn generate_command(root: &Path, out: &mut dyn Write) -> Result<u8, Error> {
    let started = Instant::now();
    for (file, text) in outputs(root)? {
        let path = root.join(file);
        let lines = text.lines().count();
        if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
            let _ = writeln!(out, "{file} is up to date ({lines} lines)");
            continue;
        }
        std::fs::write(&path, &text).map_err(|source| Error::Io {
            action: "write",
            path,
            source,
        })?;
        let ms = started.elapsed().as_millis();
        let _ = writeln!(out, "wrote {file} ({lines} lines) in {ms} ms");
    }
    Ok(0)
}

fn check_command(root: &Path, out: &mut dyn Write) -> Result<u8, Error> {
    let mut stale = Vec::new();
    for (file, text) in outputs(root)? {
        let path = root.join(file);
        let committed = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(source) => {
                return Err(Error::Io {
                    action: "read",
                    path,
                    source,
                });
            }
        };
        if let Some(diff) = stale_diff(&committed, &text, file) {
            let _ = writeln!(out, "{diff}");
            stale.push(file);
        }
    }
    if stale.is_empty() {
        let _ = writeln!(
            out,
            "{SPEC_PATH} follows every rule, and {GENERATED_PATH}, {} and {EMULATOR_SPEC_PATH} are up to date",
            crate::cli_gen::CLI_PATH
        );
        return Ok(0);
    }
    Err(Error::Stale(format!(
        "{} do(es) not match {SPEC_PATH}.\n\
         Do not edit by hand: run `cargo xtask generate` and commit the result.",
        stale.join(" and ")
    )))
}
