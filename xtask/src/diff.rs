//! `cargo xtask diff`: a semantic diff of `spec/idv.yaml` between a git revision and the working
//! tree, that says what the change means for users of the generated `idv-api` client.
//!
//! The pure core is [`diff_specs`]: it parses two specs with `openapiv3`, resolves `$ref`s,
//! and returns a [`Report`] of classified [`Entry`]s, grouped by operation and by schema.
//! [`Report::to_markdown`] renders it for a pull request; [`Report::summary`] counts the
//! classes and names the semver bump. [`run`] adds the git plumbing and the command line.
//!
//! The classification rules are in `diff/rules.rs`, the generated names in `diff/naming.rs`.

mod compare;
mod naming;
mod rules;
mod view;

use std::fmt;
use std::io::Write;
use std::path::Path;
use std::process::{Command, ExitCode};

use serde_yaml::Value;

/// The spec file, relative to the workspace root.
pub const SPEC_PATH: &str = "spec/idv.yaml";

const USAGE: &str = "\
Usage: cargo xtask diff [--base <git-rev>] [--fail-on-breaking]

Compares spec/idv.yaml at <git-rev> with the working tree and prints a Markdown report of
the API changes, each classified as breaking, additive or docs only for users of idv-api.

Options:
  --base <git-rev>     the revision to compare with (default: the merge-base of HEAD and
                       main, or HEAD when on main)
  --fail-on-breaking   exit with status 1 when any change is breaking
  -h, --help           print this help

Exit status: 0 on success, 1 for breaking changes with --fail-on-breaking, 2 on errors.
";

/// How a change affects users of the generated client, from the least to the most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Only text changes: descriptions, summaries, titles, examples.
    DocsOnly,
    /// Existing code keeps compiling and working.
    Additive,
    /// Existing code may stop compiling, or a call or a parse that worked may now fail or
    /// behave differently.
    Breaking,
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Class::DocsOnly => "docs only",
            Class::Additive => "additive",
            Class::Breaking => "breaking",
        })
    }
}

/// Which way a schema's values travel: in requests, in responses, or both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Usage {
    /// Reached from a request body or a parameter.
    pub request: bool,
    /// Reached from a response body.
    pub response: bool,
}

impl Usage {
    /// Used in requests only.
    pub const REQUEST: Usage = Usage {
        request: true,
        response: false,
    };
    /// Used in responses only.
    pub const RESPONSE: Usage = Usage {
        request: false,
        response: true,
    };
    /// Used both ways.
    pub const BOTH: Usage = Usage {
        request: true,
        response: true,
    };
}

impl std::ops::BitOr for Usage {
    type Output = Usage;
    fn bitor(self, other: Usage) -> Usage {
        Usage {
            request: self.request || other.request,
            response: self.response || other.response,
        }
    }
}

impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match (self.request, self.response) {
            (true, false) => "used in requests",
            (false, true) => "used in responses",
            (true, true) => "used in requests and responses",
            (false, false) => "used by no operation",
        })
    }
}

/// What an entry is grouped under in the report.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// The API as a whole (`info`).
    Api,
    /// One operation, by `operationId` (head side), with its `METHOD /path`.
    Operation {
        /// The `operationId`.
        id: String,
        /// `METHOD /path`.
        endpoint: String,
    },
    /// One component schema, by its head name.
    Schema {
        /// The component's name.
        name: String,
        /// The base name it is compared with, when the two differ.
        was: Option<String>,
        /// Where the schema is used, base and head together; it decides the classification.
        usage: Usage,
    },
}

/// One change, classified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// What the entry is grouped under.
    pub group: Group,
    /// Where in the group: a JSON path such as `` `notifications.endpoint` ``, or a part of an
    /// operation such as ``parameter `x` (query)``; empty for the group itself.
    pub at: String,
    /// What changed, e.g. ``minimum 86700 → 90000``.
    pub change: String,
    /// How it affects users of the generated client.
    pub class: Class,
    /// Why, from their point of view.
    pub reason: &'static str,
    /// The generated item it changes (Markdown), e.g. `` `types::Session` ``.
    pub item: Option<String>,
}

impl Entry {
    /// The entry as one Markdown list item.
    pub fn to_markdown(&self) -> String {
        let at = if self.at.is_empty() {
            String::new()
        } else {
            format!("{}: ", self.at)
        };
        format!("- **{}** {at}{} — {}", self.class, self.change, self.reason)
    }
}

/// The release `idv-api` needs, under the pre-1.0 convention: breaking → minor, else patch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// No API change.
    None,
    /// `0.x.y` → `0.x.(y+1)`: additive or docs-only changes.
    Patch,
    /// `0.x.y` → `0.(x+1).0`: breaking changes.
    Minor,
}

/// How many entries of each class a report holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Breaking entries.
    pub breaking: usize,
    /// Additive entries.
    pub additive: usize,
    /// Docs-only entries.
    pub docs_only: usize,
}

impl Summary {
    /// Whether any entry is breaking.
    pub fn has_breaking(&self) -> bool {
        self.breaking > 0
    }

    /// The bump `idv-api` needs.
    pub fn semver_bump(&self) -> Bump {
        if self.breaking > 0 {
            Bump::Minor
        } else if self.additive + self.docs_only > 0 {
            Bump::Patch
        } else {
            Bump::None
        }
    }

    /// The process exit status for a successful run: 1 when `fail_on_breaking` and a breaking
    /// entry exists, else 0.
    pub fn exit_code(&self, fail_on_breaking: bool) -> u8 {
        u8::from(fail_on_breaking && self.has_breaking())
    }
}

/// The result of comparing two specs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Every change, sorted by group, place and text.
    pub entries: Vec<Entry>,
    /// Generated types renamed without a change of shape, as `(old, new)`: not counted.
    pub renamed_types: Vec<(String, String)>,
    /// The base revision had no spec, so everything is reported as added.
    pub base_absent: bool,
}

impl Report {
    /// Counts the entries of each class.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        for entry in &self.entries {
            *match entry.class {
                Class::Breaking => &mut summary.breaking,
                Class::Additive => &mut summary.additive,
                Class::DocsOnly => &mut summary.docs_only,
            } += 1;
        }
        summary
    }

    /// Renders the report as Markdown for a pull request. The labels name the two sides,
    /// e.g. `"HEAD~1 (1a2b3c4)"` and `"working tree"`.
    pub fn to_markdown(&self, base_label: &str, head_label: &str) -> String {
        let mut out = format!("## API diff: `{SPEC_PATH}`, {base_label} → {head_label}\n\n");
        if self.base_absent {
            out += &format!(
                "> `{SPEC_PATH}` does not exist at {base_label}: everything is reported as added.\n\n"
            );
        }
        if self.entries.is_empty() {
            out += "No API changes.\n\n";
        }
        let mut section = "";
        for group in self.entries.chunk_by(|a, b| a.group == b.group) {
            let Some(first) = group.first() else { continue };
            let (name, heading) = match &first.group {
                Group::Api => ("API", String::new()),
                Group::Operation { id, endpoint } => {
                    ("Operations", format!("#### `{id}` (`{endpoint}`)\n\n"))
                }
                Group::Schema {
                    name,
                    was: Some(was),
                    usage,
                } => (
                    "Schemas",
                    format!("#### `{name}`, was `{was}` ({usage})\n\n"),
                ),
                Group::Schema {
                    name,
                    was: None,
                    usage,
                } => ("Schemas", format!("#### `{name}` ({usage})\n\n")),
            };
            if name != section {
                out += &format!("### {name}\n\n");
                section = name;
            }
            out += &heading;
            for entry in group {
                out += &entry.to_markdown();
                out += "\n";
            }
            out += "\n";
        }
        let mut items = std::collections::BTreeMap::new();
        for entry in &self.entries {
            if let Some(item) = &entry.item {
                let class = items.entry(item.as_str()).or_insert(entry.class);
                *class = (*class).max(entry.class);
            }
        }
        if !items.is_empty() || !self.renamed_types.is_empty() {
            out += "### Generated items to review\n\n";
            for (item, class) in &items {
                out += &format!("- {item}: {class}\n");
            }
            for (old, new) in &self.renamed_types {
                out += &format!(
                    "- `types::{old}` → `types::{new}`: renamed, same shape (not counted; code that names `types::{old}` must use the new name)\n"
                );
            }
            out += "\n";
        }
        let summary = self.summary();
        out += &match summary.semver_bump() {
            Bump::Minor => "**Semver:** `idv-api` needs a **minor** bump (0.x → 0.(x+1)): it has breaking changes.".to_string(),
            Bump::Patch => "**Semver:** `idv-api` needs a **patch** bump (0.x.y → 0.x.(y+1)): nothing breaks.".to_string(),
            Bump::None => "**Semver:** no bump needed: the API did not change.".to_string(),
        };
        out += " Rule before 1.0: a breaking change bumps the minor version; additive and docs-only changes bump the patch version.";
        if !self.renamed_types.is_empty() && summary.semver_bump() < Bump::Minor {
            out +=
                " Renamed types are not counted: if users name them, treat the rename as breaking.";
        }
        out += &format!(
            "\n\n**Total:** {} breaking, {} additive, {} docs only.\n",
            summary.breaking, summary.additive, summary.docs_only
        );
        out
    }
}

/// Which spec of the two an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The spec at the base revision.
    Base,
    /// The spec in the working tree (or the newer revision).
    Head,
}

/// A spec that cannot be compared: it does not parse, or a `$ref` in it does not resolve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffError {
    /// Which spec.
    pub side: Side,
    /// Where: `line L column C` for a YAML or schema error, a JSON pointer for a bad `$ref`;
    /// empty when the parser gives no location.
    pub location: String,
    /// What is wrong.
    pub message: String,
}

impl DiffError {
    /// The error, naming its side with the given labels.
    pub fn describe(&self, base_label: &str, head_label: &str) -> String {
        let label = match self.side {
            Side::Base => base_label,
            Side::Head => head_label,
        };
        let location = if self.location.is_empty() {
            String::new()
        } else {
            format!(", {}", self.location)
        };
        format!(
            "`{SPEC_PATH}` at {label} is not a valid spec{location}: {}",
            self.message
        )
    }
}

impl fmt::Display for DiffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe("the base revision", "the head revision"))
    }
}

impl std::error::Error for DiffError {}

/// Compares two specs given as YAML. `base_yaml` is `None` when the base revision has no spec:
/// then everything in `head_yaml` is reported as added.
pub fn diff_specs(base_yaml: Option<&str>, head_yaml: &str) -> Result<Report, DiffError> {
    // Parsing and comparing recurse once per level of schema nesting. serde_yaml bounds the
    // nesting (at 128), but a debug build's frames are large: a thread with a large stack keeps
    // every spec that parses within bounds, whichever thread calls this.
    std::thread::scope(|scope| {
        let work = || diff_on_this_thread(base_yaml, head_yaml);
        match std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn_scoped(scope, work)
        {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => diff_on_this_thread(base_yaml, head_yaml),
        }
    })
}

fn diff_on_this_thread(base_yaml: Option<&str>, head_yaml: &str) -> Result<Report, DiffError> {
    let base = base_yaml.map(|yaml| parse(yaml, Side::Base)).transpose()?;
    let head = parse(head_yaml, Side::Head)?;
    // A missing base is an empty API with the same `info`, so that only additions show.
    let base = base.unwrap_or_else(|| openapiv3::OpenAPI {
        info: head.info.clone(),
        ..Default::default()
    });
    let (mut entries, renames) = compare::compare(&base, &head);
    entries.sort_by(|a, b| (&a.group, &a.at, &a.change).cmp(&(&b.group, &b.at, &b.change)));
    entries.dedup();
    Ok(Report {
        entries,
        renamed_types: renames.into_iter().collect(),
        base_absent: base_yaml.is_none(),
    })
}

/// Parses a spec with `openapiv3` and checks that every `$ref` in it resolves.
fn parse(yaml: &str, side: Side) -> Result<openapiv3::OpenAPI, DiffError> {
    let yaml_error = |e: serde_yaml::Error| {
        let location = e
            .location()
            .map(|l| format!("line {} column {}", l.line(), l.column()))
            .unwrap_or_default();
        let message = e.to_string().replacen(&format!(" at {location}"), "", 1);
        DiffError {
            side,
            location,
            message,
        }
    };
    let raw: Value = serde_yaml::from_str(yaml).map_err(yaml_error)?;
    let api = serde_yaml::from_str(yaml).map_err(yaml_error)?;
    check_refs(&raw, &raw, &mut String::new()).map_err(|(location, message)| DiffError {
        side,
        location,
        message,
    })?;
    Ok(api)
}

/// Checks every `$ref` under `node`: local, existing, not a cycle of bare references.
/// The error holds the JSON pointer of the `$ref` and what is wrong with it.
fn check_refs(root: &Value, node: &Value, pointer: &mut String) -> Result<(), (String, String)> {
    let visit = |pointer: &mut String, segment: &str, child: &Value| {
        let len = pointer.len();
        pointer.push('/');
        pointer.push_str(&segment.replace('~', "~0").replace('/', "~1"));
        let result = check_refs(root, child, pointer);
        pointer.truncate(len);
        result
    };
    match node {
        Value::Mapping(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                check_ref(root, target).map_err(|message| (format!("{pointer}/$ref"), message))?;
            }
            for (key, child) in map {
                visit(pointer, &key_text(key), child)?;
            }
        }
        Value::Sequence(items) => {
            for (i, child) in items.iter().enumerate() {
                visit(pointer, &i.to_string(), child)?;
            }
        }
        Value::Tagged(tagged) => check_refs(root, &tagged.value, pointer)?,
        _ => {}
    }
    Ok(())
}

fn check_ref(root: &Value, reference: &str) -> Result<(), String> {
    let mut target = reference;
    for _ in 0..32 {
        let Some(path) = target.strip_prefix("#/") else {
            return Err(format!(
                "`$ref: {target}` is not a reference inside this file (`#/...`)"
            ));
        };
        let mut node = root;
        for segment in path.split('/') {
            let segment = segment.replace("~1", "/").replace("~0", "~");
            let child = match node {
                Value::Mapping(map) => map
                    .iter()
                    .find(|(k, _)| key_text(k) == segment)
                    .map(|(_, v)| v),
                Value::Sequence(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            node = child.ok_or_else(|| format!("`$ref: {target}` points to nothing"))?;
        }
        match node.get("$ref") {
            Some(Value::String(next)) => target = next,
            _ => return Ok(()),
        }
    }
    Err(format!(
        "`$ref: {reference}` is part of a cycle of references"
    ))
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        other => format!("{other:?}"),
    }
}

/// Runs `cargo xtask diff` with `args` (those after `diff`), for the workspace at the root
/// found from this crate's manifest directory. See [`run`].
pub fn cli(args: &[String]) -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let code = run(
        &root,
        args,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    ExitCode::from(code)
}

/// Runs the command for the workspace at `root`: prints the report to `out` and errors to
/// `err`, and returns the exit status (0; 1 for breaking changes with `--fail-on-breaking`;
/// 2 for a usage, git or spec error).
pub fn run(root: &Path, args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let mut base = None;
    let mut fail_on_breaking = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => {
                let _ = out.write_all(USAGE.as_bytes());
                return 0;
            }
            "--fail-on-breaking" => fail_on_breaking = true,
            "--base" => match args.next() {
                Some(rev) => base = Some(rev.clone()),
                None => return usage_error(err, "`--base` needs a git revision"),
            },
            other => match other.strip_prefix("--base=") {
                Some(rev) => base = Some(rev.to_string()),
                None => return usage_error(err, &format!("unknown argument `{other}`")),
            },
        }
    }
    match report(root, base.as_deref()) {
        Ok((report, base_label)) => {
            let _ = out.write_all(report.to_markdown(&base_label, "working tree").as_bytes());
            report.summary().exit_code(fail_on_breaking)
        }
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            2
        }
    }
}

fn usage_error(err: &mut dyn Write, message: &str) -> u8 {
    let _ = writeln!(err, "error: {message}\n\n{USAGE}");
    2
}

/// Builds the report of the working tree against `base` (default: see [`default_base`]),
/// with the label of the base.
fn report(root: &Path, base: Option<&str>) -> Result<(Report, String), String> {
    let (rev, name) = match base {
        Some(rev) => (rev.to_string(), rev.to_string()),
        None => match default_base(root)? {
            rev if rev == "HEAD" => (rev.clone(), rev),
            rev => (rev, "the merge-base with main".to_string()),
        },
    };
    let (base_yaml, short) = spec_at(root, &rev)?;
    let base_label = if short.starts_with(&name) {
        short
    } else {
        format!("{name} ({short})")
    };
    let head_path = root.join(SPEC_PATH);
    let head_yaml = std::fs::read_to_string(&head_path).map_err(|e| {
        format!(
            "cannot read `{SPEC_PATH}` in the working tree ({}): {e}",
            head_path.display()
        )
    })?;
    let report = diff_specs(base_yaml.as_deref(), &head_yaml)
        .map_err(|e| e.describe(&base_label, "the working tree"))?;
    Ok((report, base_label))
}

/// The default base revision: the merge-base of `HEAD` and `main`, or `HEAD` on `main`.
pub fn default_base(root: &Path) -> Result<String, String> {
    if git(root, &["rev-parse", "--abbrev-ref", "HEAD"])?.trim() == "main" {
        return Ok("HEAD".into());
    }
    git(root, &["merge-base", "HEAD", "main"])
        .map(|sha| sha.trim().to_string())
        .map_err(|e| format!("{e}\nhint: pass `--base <git-rev>` when there is no `main` branch"))
}

/// The spec at revision `rev` (`None` when the file does not exist there) and the revision's
/// commit, abbreviated to 10 digits.
pub fn spec_at(root: &Path, rev: &str) -> Result<(Option<String>, String), String> {
    if rev.starts_with('-') {
        return Err(format!("`{rev}` is not a git revision"));
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
    .map_err(|_| format!("`{rev}` is not a commit in this repository"))?;
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
fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "`git {}` failed: {}",
            args.join(" "),
            stderr.trim()
        ));
    }
    String::from_utf8(output.stdout)
        .map_err(|_| format!("`git {}` printed text that is not UTF-8", args.join(" ")))
}
