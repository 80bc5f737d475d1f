//! Every operation of the spec has a command, under its tag, that names it in its `--help`.

use std::collections::BTreeSet;

use crate::{idv, stdout};

/// `(operationId (METHOD path), tag)` of every operation in spec/idv.yaml.
fn spec_operations() -> BTreeSet<(String, String)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/idv.yaml");
    let spec: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut out = BTreeSet::new();
    for (path, item) in spec["paths"].as_mapping().unwrap() {
        for (method, op) in item.as_mapping().unwrap() {
            let Some(id) = op["operationId"].as_str() else {
                continue;
            };
            let method = method.as_str().unwrap().to_uppercase();
            let described = format!("{id} ({method} {})", path.as_str().unwrap());
            out.insert((described, op["tags"][0].as_str().unwrap().to_string()));
        }
    }
    out
}

/// The subcommand names a `--help` lists.
fn subcommands(help: &str) -> Vec<String> {
    help.split("Commands:\n")
        .nth(1)
        .unwrap_or_default()
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.strip_prefix("  "))
        .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn every_operation_has_a_command_under_its_tag() {
    let expected = spec_operations();
    assert!(expected.len() >= 20, "the spec's operations: {expected:#?}");
    let tags: BTreeSet<&str> = expected.iter().map(|(_, tag)| tag.as_str()).collect();
    let mut found = BTreeSet::new();
    for tag in tags {
        let help = stdout(&idv().args([tag, "--help"]).output().unwrap());
        for name in subcommands(&help) {
            let output = idv().args([tag, &name, "--help"]).output().unwrap();
            assert_eq!(output.status.code(), Some(0));
            let help = stdout(&output);
            assert!(
                help.contains("Example:\n  idv "),
                "{tag} {name} has an example: {help}"
            );
            if let Some(operation) = help.split("Operation: ").nth(1) {
                let operation = operation.lines().next().unwrap().to_string();
                assert!(
                    found.insert((operation, tag.to_string())),
                    "{tag} {name} repeats an operation"
                );
            }
        }
    }
    assert_eq!(
        found, expected,
        "commands naming an operation vs the spec's operations"
    );
}

#[test]
fn path_parameters_are_positional_in_path_order() {
    let help = stdout(
        &idv()
            .args(["media", "get-content", "--help"])
            .output()
            .unwrap(),
    );
    assert!(
        help.contains("Usage: idv media get-content [OPTIONS] <session-id> <media-id>"),
        "{help}"
    );
}

#[test]
fn usage_errors_exit_2_and_missing_settings_exit_4_without_sending() {
    let output = idv().args(["sessions", "get"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = idv()
        .args(["sessions", "get", "some-session"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: the SDK id is not set: pass --sdk-id or set YOTI_CLIENT_SDK_ID (the official SDKs' variable)\n"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let output = idv().args(["completions", shell]).output().unwrap();
        assert_eq!(output.status.code(), Some(0));
        let script = stdout(&output);
        assert!(script.contains("get-content"), "{shell}: {script}");
        assert!(script.contains("doctor"), "{shell}");
    }
}
