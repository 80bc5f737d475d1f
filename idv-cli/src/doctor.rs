//! `idv doctor`: checks the settings and makes one harmless signed call, explaining in words
//! what failed.

use std::time::SystemTime;

use idv_api::idv_signing::SigningKey;
use idv_api::{Client, Error};

use crate::config::{Failure, Global};

/// The session the harmless call reads: no session has this id, so a working setup gets 404
/// `SESSION_NOT_FOUND`, which proves the server read and accepted the signature.
const NO_SUCH_SESSION: &str = "00000000-0000-4000-8000-000000000000";

/// Clock skew beyond this is reported as a problem: signed requests carry a timestamp.
const MAX_SKEW_SECS: i64 = 30;

/// `idv doctor`'s command line.
pub fn command() -> clap::Command {
    clap::Command::new("doctor")
        .about("Check the SDK id, key file, base URL and clock with one harmless signed call")
        .long_about(
            "Checks the SDK id, the key file, the base URL and the clock skew, then reads a \
             session that does not exist (GET /sessions/{id}). A working setup gets 404 \
             SESSION_NOT_FOUND: the server accepted the signature. Each other answer is \
             explained: an SDK id the server does not know (a production SDK id against the \
             sandbox, or the reverse), a key that is not the application's, a wrong base URL.",
        )
        .after_help(
            "Example:\n  YOTI_CLIENT_SDK_ID=... YOTI_KEY_FILE_PATH=key.pem idv --sandbox doctor",
        )
}

struct Report {
    failed: bool,
}

impl Report {
    fn ok(&mut self, what: &str, detail: impl std::fmt::Display) {
        println!("ok    {what}: {detail}");
    }

    fn fail(&mut self, what: &str, detail: impl std::fmt::Display) {
        self.failed = true;
        println!("FAIL  {what}: {detail}");
    }
}

/// Runs the checks; fails (exit status 1) when one does, after printing every result.
pub async fn run(global: &Global) -> anyhow::Result<()> {
    let mut report = Report { failed: false };
    let base_url = global.base_url();
    println!("base URL: {base_url}");
    let sdk_id = match global.sdk_id() {
        Ok(id) => {
            report.ok("SDK id", id);
            Some(id.to_string())
        }
        Err(e) => {
            report.fail("SDK id", e);
            None
        }
    };
    let key = match global.key_file() {
        Ok(path) => match SigningKey::from_pem_file(path) {
            Ok(key) => {
                report.ok(
                    "key file",
                    format!("{} is an RSA private key", path.display()),
                );
                Some(key)
            }
            Err(e) => {
                report.fail("key file", format!("{}: {e}", path.display()));
                None
            }
        },
        Err(e) => {
            report.fail("key file", e);
            None
        }
    };
    match url_problem(&base_url) {
        None => report.ok("base URL", "an absolute http(s) URL"),
        Some(problem) => report.fail("base URL", problem),
    }
    if let (Some(sdk_id), Some(key), false) = (sdk_id, key, report.failed) {
        match idv_api::idv_signing::Signer::new(sdk_id, key, &base_url)
            .map_err(anyhow::Error::from)
            .and_then(|signer| Ok(Client::builder(signer).build()?))
        {
            Ok(client) => call(&client, &base_url, &mut report).await,
            Err(e) => report.fail("client", format!("{e:#}")),
        }
    }
    if report.failed {
        return Err(Failure(crate::exit::FAILED, String::new()).into());
    }
    println!("everything works");
    Ok(())
}

fn url_problem(url: &str) -> Option<String> {
    let scheme = url.split("://").next().unwrap_or_default();
    if url.contains("://") && (scheme == "https" || scheme == "http") {
        None
    } else {
        Some(format!(
            "`{url}` is not an absolute http(s) URL, such as {}",
            idv_api::SANDBOX_URL
        ))
    }
}

/// The harmless signed call, and what its answer says about the setup.
async fn call(client: &Client, base_url: &str, report: &mut Report) {
    let what = "signed call";
    let result = client
        .get_session()
        .session_id(NO_SUCH_SESSION)
        .send()
        .await;
    let (status, code, date) = match &result {
        Ok(response) => {
            report.ok(
                what,
                "the server answered (a session with the probe's id exists)",
            );
            clock(date_of(response.headers()), report);
            return;
        }
        Err(Error::ErrorResponse(response)) => (
            response.status().as_u16(),
            response.as_ref().code.clone().unwrap_or_default(),
            date_of(response.headers()),
        ),
        Err(Error::UnexpectedResponse(response)) => (
            response.status().as_u16(),
            String::new(),
            date_of(response.headers()),
        ),
        Err(Error::InvalidResponse(invalid)) => (invalid.status().as_u16(), String::new(), None),
        Err(Error::CommunicationError(e)) => {
            report.fail(
                what,
                format!("no answer from {base_url}: {e} (check the base URL and the network)"),
            );
            return;
        }
        Err(e) => {
            report.fail(what, format!("the request was not sent: {e}"));
            return;
        }
    };
    let explained = match (status, code.as_str()) {
        (404, "SESSION_NOT_FOUND") => {
            report.ok(what, "the server accepted the signature (404 SESSION_NOT_FOUND for a probe session, as expected)");
            clock(date.clone(), report);
            return;
        }
        (_, "APP_NOT_FOUND" | "UNKNOWN_SDK_ID") => format!(
            "{status} {code}: this server has no application with this SDK id. A production \
             SDK id against the sandbox (or a sandbox one against production) does this: use \
             the SDK id and key of an application made for {base_url}"
        ),
        (401, c) if c.starts_with("TIMESTAMP") => format!(
            "{status} {code}: the server refused the request's timestamp: this computer's clock \
             is wrong; set it (NTP) and try again"
        ),
        (401 | 403, _) => format!(
            "{status} {code}: the server refused the signature: the key file is not the private \
             key of this SDK id's application (download the key of this application from the \
             Yoti Hub)"
        ),
        (404, _) => format!(
            "{status} {code}: there is no IDV API at {base_url}: the base URL is wrong (it \
             should be {} or {})",
            idv_api::PRODUCTION_URL,
            idv_api::SANDBOX_URL
        ),
        _ => format!("the server answered {status} {code}, which doctor does not expect"),
    };
    report.fail(what, explained);
    clock(date, report);
}

/// A response's `Date` header.
fn date_of(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers.get("date")?.to_str().ok().map(str::to_string)
}

/// Compares the server's `Date` header with this computer's clock.
fn clock(date: Option<String>, report: &mut Report) {
    let Some(server) = date.and_then(|d| chrono::DateTime::parse_from_rfc2822(&d).ok()) else {
        report.ok(
            "clock",
            "the server sent no Date to compare with (not checked)",
        );
        return;
    };
    let now = chrono::DateTime::<chrono::Utc>::from(SystemTime::now());
    let skew = now.signed_duration_since(server).num_seconds();
    if skew.abs() > MAX_SKEW_SECS {
        report.fail(
            "clock",
            format!("this computer's clock is {skew} s off the server's; set it (NTP)"),
        );
    } else {
        report.ok("clock", format!("{skew} s off the server's"));
    }
}
