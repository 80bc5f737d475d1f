//! `cargo xtask diff`: a semantic diff of `spec/idv.yaml` between a git revision and the working
//! tree, that says what the change means for users of the generated `idv-api` client.
//!
//! The pure core is [`diff_specs`]: it parses two specs, runs the real generator on each
//! ([`crate::generate::generate_file`], in memory), reads the public items of both outputs with
//! `syn`, and walks the two specs side by side with them. The spec says what the wire means
//! (required-ness, enum values, limits, statuses); the generated code says what users compile
//! against (types, fields, `Default` impls, methods, setters). It returns a [`Report`] of
//! classified [`Entry`]s, grouped by operation and by schema. [`Report::to_markdown`] renders
//! it for a pull request; [`Report::summary`] counts the classes and names the semver bump.
//! [`run`] adds the git plumbing.
//!
//! The classification rules are in `diff/rules.rs`, the reading of the generated code in
//! `diff/surface.rs`, the reading of a schema in `diff/wire.rs`.

mod compare;
mod git;
mod rules;
mod surface;
mod wire;

use std::fmt;
use std::io::Write;
use std::path::Path;

use crate::error::{Error, Which};
use crate::generate::generate_file;
use crate::spec::{self, SPEC_PATH};
use surface::Surface;

pub use git::{default_base, spec_at};

/// The options of `cargo xtask diff`.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct DiffArgs {
    /// The git revision whose spec is compared with the working tree's [default: the
    /// merge-base of HEAD and main, or HEAD when on main]
    #[arg(long, value_name = "GIT-REV")]
    pub base: Option<String>,
    /// Exit with status 1 when any change is breaking (the report is printed all the same)
    #[arg(long)]
    pub fail_on_breaking: bool,
}

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
    /// The specs whose code could not be generated, with why: their generated types are not
    /// compared, only what the spec says.
    pub ungenerated: Vec<(Which, String)>,
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
        for (which, why) in &self.ungenerated {
            let label = if *which == Which::Base {
                base_label
            } else {
                head_label
            };
            out += &format!(
                "> The code could not be generated from `{SPEC_PATH}` at {label}, so its generated \
                 types are not compared: {why}\n\n"
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

/// Compares two specs given as YAML. `base_yaml` is `None` when the base revision has no spec:
/// then everything in `head_yaml` is reported as added.
pub fn diff_specs(base_yaml: Option<&str>, head_yaml: &str) -> Result<Report, Error> {
    // Parsing, generating and comparing recurse once per level of schema nesting. serde_yaml
    // bounds the nesting (at 128), but a debug build's frames are large: a thread with a large
    // stack keeps every spec that parses within bounds, whichever thread calls this.
    std::thread::scope(|scope| {
        let work = || diff_on_this_thread(base_yaml, head_yaml);
        match std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn_scoped(scope, work)
        {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => diff_on_this_thread(base_yaml, head_yaml),
        }
    })
}

fn diff_on_this_thread(base_yaml: Option<&str>, head_yaml: &str) -> Result<Report, Error> {
    let read = |yaml: &str, which: Which| {
        let spec = spec::parse(yaml, which)?;
        let api = spec.openapi()?;
        Ok::<_, Error>((spec, api))
    };
    let base = base_yaml.map(|yaml| read(yaml, Which::Base)).transpose()?;
    let (head_spec, head_api) = read(head_yaml, Which::Head)?;
    let mut ungenerated = Vec::new();
    let mut generated = |spec: &spec::Spec, which: Which| match generate_file(spec) {
        Ok(file) => Surface::of(&file),
        Err(e) => {
            // One line, to sit in the report's quote.
            let why: Vec<String> = e
                .to_string()
                .lines()
                .map(|l| l.trim().to_string())
                .collect();
            ungenerated.push((which, why.join(" ")));
            Surface::default()
        }
    };
    let head_surface = generated(&head_spec, Which::Head);
    // A missing base is an empty API with the same `info`, so that only additions show.
    let (base_api, base_surface) = match &base {
        Some((spec, api)) => (api.clone(), generated(spec, Which::Base)),
        None => (
            openapiv3::OpenAPI {
                info: head_api.info.clone(),
                ..Default::default()
            },
            Surface::default(),
        ),
    };
    ungenerated.sort_by_key(|(which, _)| *which != Which::Base);
    let (mut entries, renames) = compare::compare(
        compare::Side {
            api: &base_api,
            surface: &base_surface,
        },
        compare::Side {
            api: &head_api,
            surface: &head_surface,
        },
    );
    entries.sort_by(|a, b| (&a.group, &a.at, &a.change).cmp(&(&b.group, &b.at, &b.change)));
    entries.dedup();
    Ok(Report {
        entries,
        renamed_types: renames.into_iter().collect(),
        base_absent: base_yaml.is_none(),
        ungenerated,
    })
}

/// Runs the command for the workspace at `root`: prints the report to `out` and errors to
/// `err`, and returns the exit status (0; 1 for breaking changes with `--fail-on-breaking`;
/// 2 for a git or spec error).
pub fn run(root: &Path, args: &DiffArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match report(root, args.base.as_deref()) {
        Ok((report, base_label)) => {
            let _ = out.write_all(report.to_markdown(&base_label, "working tree").as_bytes());
            report.summary().exit_code(args.fail_on_breaking)
        }
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            2
        }
    }
}

/// Builds the report of the working tree against `base` (default: see [`default_base`]),
/// with the label of the base; errors come back rendered with that label.
fn report(root: &Path, base: Option<&str>) -> Result<(Report, String), String> {
    let (rev, name) = match base {
        Some(rev) => (rev.to_string(), rev.to_string()),
        None => match default_base(root).map_err(|e| e.to_string())? {
            rev if rev == "HEAD" => (rev.clone(), rev),
            rev => (rev, "the merge-base with main".to_string()),
        },
    };
    let (base_yaml, short) = spec_at(root, &rev).map_err(|e| e.to_string())?;
    let base_label = if short.starts_with(&name) {
        short
    } else {
        format!("{name} ({short})")
    };
    let head_path = root.join(SPEC_PATH);
    let head_yaml = std::fs::read_to_string(&head_path).map_err(|source| {
        Error::Io {
            action: "read",
            path: head_path,
            source,
        }
        .to_string()
    })?;
    let report = diff_specs(base_yaml.as_deref(), &head_yaml)
        .map_err(|e| e.describe(&base_label, "the working tree"))?;
    Ok((report, base_label))
}
