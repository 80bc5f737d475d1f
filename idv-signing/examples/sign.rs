//! Shows exactly what idv-signing signs for one request: the tool for a 401 from the API.
//!
//! ```text
//! cargo run -p idv-signing --example sign -- --key K --sdk-id S --method M --url U \
//!     [--body-file F] [--nonce N] [--timestamp T] [--base-url B]
//! ```
//!
//! It prints three lines: `message:` (the exact string signed), `url:` (the URL with the
//! added query) and `digest:` (the `X-Yoti-Auth-Digest` header). Compare them with what your
//! code sends; pin `--nonce` and `--timestamp` to the values of the request that failed.

use std::ffi::OsString;
use std::io::Write as _;
use std::process::ExitCode;

use idv_signing::{Signer, SigningKey, Url};

const USAGE: &str = "\
usage: cargo run -p idv-signing --example sign -- --key K --sdk-id S --method M --url U \\
           [--body-file F] [--nonce N] [--timestamp T] [--base-url B]

  --key K          the private key PEM (or DER) file
  --sdk-id S       the SDK id from the Yoti Hub
  --method M       the HTTP method exactly as sent, e.g. GET
  --url U          the full request URL, under https://api.yoti.com/idverify/v1
                   or https://api.yoti.com/sandbox/idverify/v1
  --body-file F    a file holding the exact request body bytes (none: no body)
  --nonce N        the nonce to sign (default: a fresh UUID v4)
  --timestamp T    the timestamp to sign, a whole number (default: now, in Unix seconds)
  --base-url B     the API base URL, when U is under neither of the usual base paths

prints:
  message: <the exact string signed>
  url: <the URL with sdkId, nonce and timestamp added>
  digest: <the X-Yoti-Auth-Digest value>";

fn main() -> ExitCode {
    match run(std::env::args_os().skip(1)) {
        Ok(output) => match std::io::stdout().lock().write_all(output.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::FAILURE,
        },
        Err(error) => {
            eprintln!("error: {error}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Runs the tool on its arguments (without the program name) and returns what it prints:
/// the three lines, or the usage for `--help`.
///
/// # Errors
///
/// A message for the user: bad arguments, an unreadable key or body file, a bad key, or a
/// URL the signer cannot sign.
pub fn run(args: impl IntoIterator<Item = OsString>) -> Result<String, String> {
    let mut options = Options::default();
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let flag = flag
            .into_string()
            .map_err(|_| "arguments must be UTF-8".to_owned())?;
        if flag == "--help" || flag == "-h" {
            return Ok(format!("{USAGE}\n"));
        }
        let slot = match flag.as_str() {
            "--key" => &mut options.key,
            "--sdk-id" => &mut options.sdk_id,
            "--method" => &mut options.method,
            "--url" => &mut options.url,
            "--body-file" => &mut options.body_file,
            "--nonce" => &mut options.nonce,
            "--timestamp" => &mut options.timestamp,
            "--base-url" => &mut options.base_url,
            _ => return Err(format!("unknown argument `{flag}`")),
        };
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?
            .into_string()
            .map_err(|_| format!("the value of {flag} must be UTF-8"))?;
        if slot.replace(value).is_some() {
            return Err(format!("{flag} is given twice"));
        }
    }
    let required =
        |value: Option<String>, flag: &str| value.ok_or_else(|| format!("{flag} is required"));
    let key_file = required(options.key, "--key")?;
    let sdk_id = required(options.sdk_id, "--sdk-id")?;
    let method = required(options.method, "--method")?;
    let url = required(options.url, "--url")?;

    let url = Url::parse(&url).map_err(|e| format!("--url `{url}` is not a URL: {e}"))?;
    let base_url = match options.base_url {
        Some(base_url) => base_url,
        None => api_base_url(&url)?,
    };
    let key = SigningKey::from_pem_file(&key_file).map_err(|e| format!("--key: {e}"))?;
    let body = match options.body_file {
        Some(file) => Some(
            std::fs::read(&file).map_err(|e| format!("cannot read --body-file `{file}`: {e}"))?,
        ),
        None => None,
    };
    let mut signer = Signer::new(sdk_id, key, &base_url).map_err(|e| e.to_string())?;
    if let Some(nonce) = options.nonce {
        signer = signer.with_nonce_source(move || nonce.clone());
    }
    if let Some(timestamp) = options.timestamp {
        let timestamp: u64 = timestamp
            .parse()
            .map_err(|_| format!("--timestamp `{timestamp}` is not a whole number"))?;
        signer = signer.with_clock(move || timestamp);
    }
    let parts = signer
        .sign_parts(&method, &url, body.as_deref())
        .map_err(|e| e.to_string())?;
    Ok(format!(
        "message: {}\nurl: {}\ndigest: {}\n",
        parts.message, parts.url, parts.digest
    ))
}

#[derive(Default)]
struct Options {
    key: Option<String>,
    sdk_id: Option<String>,
    method: Option<String>,
    url: Option<String>,
    body_file: Option<String>,
    nonce: Option<String>,
    timestamp: Option<String>,
    base_url: Option<String>,
}

/// The production or sandbox API base that `url` is under (any host, so the local emulator
/// works too).
fn api_base_url(url: &Url) -> Result<String, String> {
    ["/sandbox/idverify/v1", "/idverify/v1"]
        .into_iter()
        .find(|base| {
            url.path()
                .strip_prefix(base)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
        .map(|base| format!("{}{base}", url.origin().ascii_serialization()))
        .ok_or_else(|| {
            format!("--url `{url}` is under neither /idverify/v1 nor /sandbox/idverify/v1; give --base-url")
        })
}
