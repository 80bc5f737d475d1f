//! `idv sign`: a signed request as a curl command, to compare a signature with another
//! client's.

use std::io::Read;
use std::path::PathBuf;

use clap::{Arg, ArgMatches, Command};
use idv_api::idv_signing::{
    AUTH_DIGEST_HEADER, SDK, SDK_HEADER, SDK_VERSION, SDK_VERSION_HEADER, Url,
};

use crate::config::{Failure, Global};

/// `idv sign`'s command line.
pub fn command() -> Command {
    Command::new("sign")
        .about("Print a signed request as a curl command")
        .long_about(
            "Signs a request as every idv request is signed (sdkId, nonce and timestamp in the \
             query, X-Yoti-Auth-Digest over the method, path, query and body) and prints it as \
             one curl command, with the message that was signed on stderr. Run it as it is, or \
             compare the signature with another client's.",
        )
        .after_help("Example:\n  idv --sandbox sign --method GET --url https://api.yoti.com/sandbox/idverify/v1/sessions/<SESSION_ID>")
        .arg(Arg::new("method").long("method").required(true).help("The HTTP method, such as GET"))
        .arg(
            Arg::new("url")
                .long("url")
                .required(true)
                .help("The full URL, under the base URL (or a path, such as /sessions/ID)"),
        )
        .arg(
            Arg::new("body")
                .long("body")
                .value_name("FILE")
                .value_parser(clap::value_parser!(PathBuf))
                .help("The request body (JSON), or - for stdin"),
        )
}

/// `idv sign`.
pub fn run(global: &Global, m: &ArgMatches) -> anyhow::Result<()> {
    let method = m
        .get_one::<String>("method")
        .map_or("GET", String::as_str)
        .to_uppercase();
    let url = m.get_one::<String>("url").map_or("", String::as_str);
    let base = global.base_url();
    let full = if url.starts_with('/') {
        format!("{}{url}", base.trim_end_matches('/'))
    } else {
        url.to_string()
    };
    let url = Url::parse(&full)
        .map_err(|e| Failure(crate::exit::NOT_SENT, format!("`{full}` is not a URL: {e}")))?;
    let body = match m.get_one::<PathBuf>("body") {
        None => None,
        Some(p) if p.as_os_str() == "-" => {
            let mut body = Vec::new();
            std::io::stdin().read_to_end(&mut body)?;
            Some(body)
        }
        Some(p) => Some(std::fs::read(p).map_err(|e| {
            Failure(
                crate::exit::FAILED,
                format!("cannot read {}: {e}", p.display()),
            )
        })?),
    };
    let parts = global
        .signer()?
        .sign_parts(&method, &url, body.as_deref())
        .map_err(|e| Failure(crate::exit::NOT_SENT, format!("cannot sign: {e}")))?;
    let mut curl = format!(
        "curl -sS -X {method} {} -H {} -H {} -H {}",
        quote(parts.url.as_str()),
        quote(&format!("{AUTH_DIGEST_HEADER}: {}", parts.digest)),
        quote(&format!("{SDK_HEADER}: {SDK}")),
        quote(&format!("{SDK_VERSION_HEADER}: {SDK_VERSION}")),
    );
    if let Some(body) = &body {
        let text = String::from_utf8(body.clone()).map_err(|_| {
            Failure(
                crate::exit::FAILED,
                "the body is not UTF-8 text; curl's --data-binary @FILE sends it as it is"
                    .to_string(),
            )
        })?;
        curl.push_str(&format!(
            " -H {} --data-binary {}",
            quote("Content-Type: application/json"),
            quote(&text)
        ));
    }
    eprintln!("signed message: {}", parts.message);
    println!("{curl}");
    Ok(())
}

/// `s` in single quotes for a POSIX shell.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}
