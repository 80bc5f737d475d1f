//! The tasks that are not one operation: `session create` with flags, `media pull`, and
//! `sandbox approve|reject`.

use std::path::{Path, PathBuf};

use clap::{Arg, ArgAction, ArgMatches, Command};
use futures_util::TryStreamExt;
use idv_api::MediaContentExt;
use idv_api::types::{CreateSessionPayload, ResponseConfig};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

use crate::config::{Failure, Format, Global};

/// The checks a session requests when `--check` is not given.
const DEFAULT_CHECKS: [&str; 3] = [
    "ID_DOCUMENT_AUTHENTICITY",
    "LIVENESS",
    "ID_DOCUMENT_FACE_MATCH",
];

/// The check reports `sandbox approve|reject` sets.
const SANDBOX_CHECKS: [&str; 4] = [
    "ID_DOCUMENT_AUTHENTICITY",
    "ID_DOCUMENT_TEXT_DATA_CHECK",
    "ID_DOCUMENT_FACE_MATCH",
    "LIVENESS",
];

/// `idv session create`'s command line.
pub fn create_command() -> Command {
    let create = Command::new("create")
        .about("Create a session with the common checks and documents; print its id, token and URL")
        .after_help(
            "Example:\n  idv --sandbox session create --check LIVENESS --check ID_DOCUMENT_AUTHENTICITY \\\n    --document PASSPORT --country GBR --success-url https://example.com/done --open",
        )
        .arg(many("check", "CHECK", "A check to request, such as LIVENESS or ID_DOCUMENT_FACE_MATCH [default: ID_DOCUMENT_AUTHENTICITY, LIVENESS, ID_DOCUMENT_FACE_MATCH]"))
        .arg(many("task", "TASK", "A task to request, such as ID_DOCUMENT_TEXT_DATA_EXTRACTION"))
        .arg(many("document", "TYPE", "An ID document type to accept, such as PASSPORT or DRIVING_LICENCE"))
        .arg(many("country", "ISO3", "A country whose documents to accept, such as GBR"))
        .arg(one("liveness-type", "TYPE", "The liveness type of a LIVENESS check [default: ZOOM]"))
        .arg(one("success-url", "URL", "Where the user goes after a success"))
        .arg(one("error-url", "URL", "Where the user goes after an error"))
        .arg(one("user-tracking-id", "ID", "Your reference for the user"))
        .arg(
            Arg::new("ttl")
                .long("ttl")
                .value_name("SECONDS")
                .value_parser(clap::value_parser!(i64))
                .help("How long the user has to finish (client_session_token_ttl)"),
        )
        .arg(
            Arg::new("open")
                .long("open")
                .action(ArgAction::SetTrue)
                .help("Open the session's URL in the browser"),
        );
    Command::new("session")
        .about("Tasks on sessions (the operations themselves are under `idv sessions`)")
        .subcommand_required(true)
        .subcommand(create)
}

fn many(name: &'static str, value: &'static str, help: &'static str) -> Arg {
    Arg::new(name)
        .long(name)
        .value_name(value)
        .action(ArgAction::Append)
        .help(help)
}

fn one(name: &'static str, value: &'static str, help: &'static str) -> Arg {
    Arg::new(name).long(name).value_name(value).help(help)
}

fn strings<'a>(m: &'a ArgMatches, name: &str) -> Vec<&'a str> {
    m.get_many::<String>(name)
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect()
}

/// The payload `session create` sends, from its flags.
pub fn payload(m: &ArgMatches) -> Value {
    let mut checks = strings(m, "check");
    if checks.is_empty() {
        checks = DEFAULT_CHECKS.to_vec();
    }
    let liveness = m
        .get_one::<String>("liveness-type")
        .map_or("ZOOM", String::as_str);
    let checks: Vec<Value> = checks
        .iter()
        .map(|&check| match check {
            "LIVENESS" => {
                json!({"type": check, "config": {"liveness_type": liveness, "max_retries": 1}})
            }
            "ID_DOCUMENT_FACE_MATCH" => {
                json!({"type": check, "config": {"manual_check": "FALLBACK"}})
            }
            _ => json!({"type": check}),
        })
        .collect();
    let tasks: Vec<Value> = strings(m, "task")
        .iter()
        .map(|task| json!({"type": task}))
        .collect();
    let (documents, countries) = (strings(m, "document"), strings(m, "country"));
    let mut payload = json!({"requested_checks": checks, "requested_tasks": tasks});
    if !documents.is_empty() || !countries.is_empty() {
        let mut restriction = json!({});
        if !documents.is_empty() {
            restriction["document_types"] = json!(documents);
        }
        if !countries.is_empty() {
            restriction["country_codes"] = json!(countries);
        }
        payload["required_documents"] = json!([{
            "type": "ID_DOCUMENT",
            "filter": {"type": "DOCUMENT_RESTRICTIONS", "inclusion": "WHITELIST", "documents": [restriction]}
        }]);
    }
    let mut sdk_config = json!({});
    for (flag, field) in [("success-url", "success_url"), ("error-url", "error_url")] {
        if let Some(url) = m.get_one::<String>(flag) {
            sdk_config[field] = json!(url);
        }
    }
    if sdk_config != json!({}) {
        payload["sdk_config"] = sdk_config;
    }
    if let Some(id) = m.get_one::<String>("user-tracking-id") {
        payload["user_tracking_id"] = json!(id);
    }
    if let Some(ttl) = m.get_one::<i64>("ttl") {
        payload["client_session_token_ttl"] = json!(ttl);
    }
    payload
}

/// `idv session create`.
pub async fn create(global: &Global, m: &ArgMatches) -> anyhow::Result<()> {
    let Some(("create", m)) = m.subcommand() else {
        return Ok(());
    };
    let payload: CreateSessionPayload = serde_json::from_value(payload(m)).map_err(|e| {
        Failure(
            crate::exit::NOT_SENT,
            format!("the session's flags do not make a valid session: {e}"),
        )
    })?;
    let client = global.client()?;
    let created = client
        .create_session()
        .body(payload)
        .send()
        .await?
        .into_inner();
    let url = format!(
        "{}/web/index.html?sessionID={}&sessionToken={}",
        global.base_url().trim_end_matches('/'),
        created.session_id,
        created.client_session_token
    );
    let out = json!({
        "session_id": created.session_id,
        "client_session_token": created.client_session_token,
        "url": url,
    });
    if global.output == Format::Table {
        println!(
            "session  {}\ntoken    {}\nurl      {url}",
            created.session_id, created.client_session_token
        );
    } else {
        crate::output::print(&out, Format::Json);
    }
    if m.get_flag("open") {
        open(&url);
    }
    Ok(())
}

/// Opens `url` with the platform's opener; says so when it cannot.
fn open(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if let Err(e) = std::process::Command::new(opener.0).args(&opener.1).spawn() {
        eprintln!(
            "could not open a browser ({}: {e}); open the URL above yourself",
            opener.0
        );
    }
}

/// `idv sandbox approve|reject`'s command line.
pub fn verdict_command(verdict: &'static str) -> Command {
    let (about, example) = if verdict == "approve" {
        (
            "Make a sandbox session's common checks recommend APPROVE",
            "idv --sandbox sandbox approve <SESSION_ID>",
        )
    } else {
        (
            "Make a sandbox session's common checks recommend REJECT",
            "idv --sandbox sandbox reject <SESSION_ID> --reason FRAUD_SUSPECTED",
        )
    };
    let command = Command::new(verdict)
        .about(about)
        .long_about(format!(
            "{about}: sets the session's response config (PUT /sessions/{{id}}/response-config) so that its {} checks report it.",
            SANDBOX_CHECKS.join(", ")
        ))
        .after_help(format!("Example:\n  {example}"))
        .arg(Arg::new("session-id").required(true).help("The session"));
    if verdict == "reject" {
        command.arg(one(
            "reason",
            "REASON",
            "The recommendation's reason, such as FRAUD_SUSPECTED",
        ))
    } else {
        command
    }
}

/// The response config `sandbox approve|reject` puts.
pub fn verdict_config(verdict: &str, reason: Option<&str>) -> Value {
    let mut recommendation =
        json!({"value": if verdict == "approve" { "APPROVE" } else { "REJECT" }});
    if let Some(reason) = reason {
        recommendation["reason"] = json!(reason);
    }
    let report = json!([{"result": {"report": {"recommendation": recommendation}}}]);
    let reports: serde_json::Map<String, Value> = SANDBOX_CHECKS
        .iter()
        .map(|check| (check.to_string(), report.clone()))
        .collect();
    json!({"check_reports": reports})
}

/// `idv sandbox approve|reject <SESSION_ID>`.
pub async fn verdict(global: &Global, verdict: &str, m: &ArgMatches) -> anyhow::Result<()> {
    let session_id = m.get_one::<String>("session-id").map_or("", String::as_str);
    let reason = m
        .try_get_one::<String>("reason")
        .ok()
        .flatten()
        .map(String::as_str);
    let json = verdict_config(verdict, reason);
    let config: ResponseConfig = serde_json::from_value(json.clone())?;
    let client = global.client()?;
    client
        .put_session_response_config()
        .session_id(session_id)
        .body(config)
        .send()
        .await?;
    // The API answers with no body: print the config that is now in force.
    crate::output::print(&json, Format::Json);
    Ok(())
}

/// `idv media pull`'s command line.
pub fn pull_command() -> Command {
    Command::new("pull")
        .about("Download every media of a session into a directory, named by kind and id")
        .after_help("Example:\n  idv media pull <SESSION_ID> --out ./media")
        .arg(Arg::new("session-id").required(true).help("The session"))
        .arg(
            Arg::new("out")
                .long("out")
                .value_name("DIR")
                .required(true)
                .value_parser(clap::value_parser!(PathBuf))
                .help("The directory to write into (made if missing)"),
        )
}

/// Every media reference in a session: `(kind, id)`, the kind being the field that holds it
/// (`pages`, `frames`, `document_fields`, ...), in the order the session lists them.
pub fn media_refs(session: &Value) -> Vec<(String, String)> {
    fn walk(value: &Value, kind: &str, out: &mut Vec<(String, String)>) {
        match value {
            Value::Object(map) => {
                if let Some(id) = map
                    .get("media")
                    .and_then(|m| m.get("id"))
                    .and_then(Value::as_str)
                    && !out.iter().any(|(_, seen)| seen == id)
                {
                    out.push((kind.to_string(), id.to_string()));
                }
                for (key, child) in map {
                    let kind = if key == "media" { kind } else { key };
                    walk(child, kind, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|item| walk(item, kind, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(session, "media", &mut out);
    out
}

/// The file name of one media: `<kind>-<id>.<extension of its content type>`.
fn file_name(kind: &str, id: &str, content_type: Option<&str>) -> String {
    let ext = match content_type
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
    {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "application/json" => "json",
        "application/pdf" => "pdf",
        "video/mp4" => "mp4",
        _ => "bin",
    };
    let safe = |s: &str| {
        s.replace(
            |c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_',
            "_",
        )
    };
    format!("{}-{}.{ext}", safe(kind), safe(id))
}

/// `idv media pull <SESSION_ID> --out DIR`.
pub async fn pull(global: &Global, m: &ArgMatches) -> anyhow::Result<()> {
    let session_id = m.get_one::<String>("session-id").map_or("", String::as_str);
    let Some(dir) = m.get_one::<PathBuf>("out") else {
        return Ok(());
    };
    let client = global.client()?;
    let session = client
        .get_session()
        .session_id(session_id)
        .send()
        .await?
        .into_inner();
    let refs = media_refs(&serde_json::to_value(session)?);
    tokio::fs::create_dir_all(dir).await?;
    let mut written = Vec::new();
    for (kind, id) in refs {
        let response = client
            .get_media_content()
            .session_id(session_id)
            .media_id(&id)
            .send()
            .await?;
        let Some(media) = response.into_media() else {
            eprintln!("{kind} {id}: no content (the API may not return it)");
            continue;
        };
        let name = file_name(&kind, &id, media.content_type.as_deref());
        let bar = ProgressBar::new(media.content_length.unwrap_or(0)).with_message(name.clone());
        if let Ok(style) = ProgressStyle::with_template("{msg} {bar:30} {bytes}/{total_bytes}") {
            bar.set_style(style);
        }
        let path = dir.join(&name);
        save(media.body, &path, &bar).await?;
        bar.finish_and_clear();
        written.push(json!({"kind": kind, "media_id": id, "file": path.display().to_string()}));
    }
    crate::output::print(&Value::Array(written), Format::Json);
    Ok(())
}

/// Streams `body` to `path` through a `.part` file, renamed once complete, removed on failure:
/// a partial file is never left under the final name.
async fn save<S, E>(mut body: S, path: &Path, bar: &ProgressBar) -> anyhow::Result<()>
where
    S: futures_util::Stream<Item = Result<bytes::Bytes, E>> + Unpin,
    E: std::error::Error + Send + Sync + 'static,
{
    let part = path.with_extension("part");
    let result = async {
        let mut file = tokio::fs::File::create(&part).await?;
        while let Some(chunk) = body.try_next().await? {
            file.write_all(&chunk).await?;
            bar.inc(chunk.len() as u64);
        }
        file.flush().await?;
        file.sync_all().await?;
        tokio::fs::rename(&part, path).await?;
        anyhow::Ok(())
    }
    .await;
    if result.is_err() {
        let _ = tokio::fs::remove_file(&part).await;
    }
    result.map_err(|e| e.context(format!("downloading {}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(
        items: Vec<Result<&'static [u8], std::io::Error>>,
    ) -> impl futures_util::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Unpin {
        futures_util::stream::iter(
            items
                .into_iter()
                .map(|item| item.map(bytes::Bytes::from_static)),
        )
    }

    #[tokio::test]
    async fn a_download_is_renamed_when_complete_and_removed_when_it_fails() {
        let dir = std::env::temp_dir().join(format!("idv-save-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("pages-m1.jpg");
        let bar = ProgressBar::hidden();
        save(chunks(vec![Ok(b"ab"), Ok(b"cd")]), &path, &bar)
            .await
            .unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"abcd");
        assert_eq!(bar.position(), 4);

        let broken = dir.join("frames-m2.jpg");
        let cut = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "cut");
        let err = save(chunks(vec![Ok(b"ab"), Err(cut)]), &broken, &bar)
            .await
            .unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            format!("downloading {}: cut", broken.display())
        );
        let mut left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        left.sort();
        assert_eq!(left, ["pages-m1.jpg"], "no partial file under either name");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
