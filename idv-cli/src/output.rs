//! How the generated commands print: one JSON document on stdout, raw media as bytes, and
//! `--output table` for a session's checks. Errors are left to `main`, which prints them on
//! stderr and picks the exit status.

use futures_util::TryStreamExt;
use idv_api::{ByteStream, Error, MediaContentExt, ResponseValue};
use serde_json::Value;
use tokio::io::AsyncWriteExt;

use crate::config::{Format, Global};
use crate::generated_cli::CliConfig;

/// The `CliConfig` of `idv`: prints successes on stdout.
#[derive(Debug)]
pub struct Printer {
    format: Format,
}

impl Printer {
    /// A printer in the format the command line asked for.
    pub fn new(global: &Global) -> Self {
        Printer {
            format: global.output,
        }
    }
}

/// The text of `--json-body FILE`, or of stdin for `-`.
pub fn read_json_body(path: &std::path::Path) -> std::io::Result<String> {
    if path.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(path)
    }
}

/// Prints `value` as pretty JSON, or as a table when asked and it is a session.
pub fn print(value: &Value, format: Format) {
    if format == Format::Table
        && let Some(table) = session_table(value)
    {
        print!("{table}");
        return;
    }
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("error: the response could not be written as JSON: {e}"),
    }
}

/// A session's state and its checks with their recommendations, one line each.
pub fn session_table(session: &Value) -> Option<String> {
    let checks = session.get("checks")?.as_array()?;
    let text = |v: &Value, pointer: &str| {
        v.pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or("-")
            .to_string()
    };
    let mut out = format!(
        "session {}  state {}\n{:<36} {:<10} {:<16} {}\n",
        text(session, "/session_id"),
        text(session, "/state"),
        "CHECK",
        "STATE",
        "RECOMMENDATION",
        "REASON"
    );
    for check in checks {
        out.push_str(&format!(
            "{:<36} {:<10} {:<16} {}\n",
            text(check, "/type"),
            text(check, "/state"),
            text(check, "/report/recommendation/value"),
            text(check, "/report/recommendation/reason"),
        ));
    }
    Some(out)
}

impl CliConfig for Printer {
    async fn success_raw(&self, value: ResponseValue<ByteStream>) -> anyhow::Result<()> {
        // A 204: the API may not return this content (regulations); nothing to write.
        let Some(media) = value.into_media() else {
            eprintln!("no content: the API answered 204 for this media");
            return Ok(());
        };
        let mut body = media.body;
        let mut stdout = tokio::io::stdout();
        while let Some(chunk) = body.try_next().await? {
            stdout.write_all(&chunk).await?;
        }
        stdout.flush().await?;
        Ok(())
    }

    fn success_item<T>(&self, value: &ResponseValue<T>)
    where
        T: serde::Serialize + std::fmt::Debug,
    {
        match serde_json::to_value(value.as_ref()) {
            Ok(json) => print(&json, self.format),
            Err(e) => eprintln!("error: the response could not be written as JSON: {e}"),
        }
    }

    fn success_no_item(&self, _value: &ResponseValue<()>) {}

    fn error<T>(&self, _value: &Error<T>)
    where
        T: serde::Serialize + std::fmt::Debug,
    {
    }

    fn list_start<T>(&self)
    where
        T: serde::Serialize + std::fmt::Debug,
    {
    }

    fn list_item<T>(&self, value: &T)
    where
        T: serde::Serialize + std::fmt::Debug,
    {
        if let Ok(json) = serde_json::to_value(value) {
            print(&json, self.format);
        }
    }

    fn list_end_success<T>(&self)
    where
        T: serde::Serialize + std::fmt::Debug,
    {
    }

    fn list_end_error<T>(&self, _value: &Error<T>)
    where
        T: serde::Serialize + std::fmt::Debug,
    {
    }
}
