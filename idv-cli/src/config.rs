//! The settings every command shares: the SDK id, the key file, the base URL and the output
//! format, from flags or the official SDKs' environment variables.

use std::path::PathBuf;

use idv_api::idv_signing::{Signer, SigningKey};
use idv_api::{API_URL_ENV, Client, KEY_FILE_ENV, PRODUCTION_URL, SANDBOX_URL, SDK_ID_ENV};

/// A failure with the exit status to end with, and what to print (nothing when the command
/// has said it already).
#[derive(Debug)]
pub struct Failure(pub u8, pub String);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.1)
    }
}

impl std::error::Error for Failure {}

/// How a success is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON document.
    Json,
    /// A short view for people, where one helps (a session's checks); JSON otherwise.
    Table,
}

/// The options every command takes.
#[derive(Debug, clap::Args)]
pub struct Global {
    /// The application's SDK id, from the Yoti Hub
    #[arg(long, global = true, env = SDK_ID_ENV)]
    pub sdk_id: Option<String>,
    /// The application's PEM private key, from the Yoti Hub
    #[arg(long, global = true, env = KEY_FILE_ENV)]
    pub key_file: Option<PathBuf>,
    /// The API's base URL [default: the production API, or the sandbox with --sandbox]
    #[arg(long, global = true, env = API_URL_ENV)]
    pub base_url: Option<String>,
    /// Use the sandbox API unless --base-url is set.
    #[arg(
        long,
        global = true,
        help = "Use the sandbox API (https://api.yoti.com/sandbox/idverify/v1) unless --base-url is set"
    )]
    pub sandbox: bool,
    /// How to print a success
    #[arg(long, global = true, value_enum, default_value_t = Format::Json)]
    pub output: Format,
}

impl Global {
    /// The base URL requests go to.
    pub fn base_url(&self) -> String {
        match &self.base_url {
            Some(url) if !url.trim().is_empty() => url.trim().to_string(),
            _ if self.sandbox => SANDBOX_URL.to_string(),
            _ => PRODUCTION_URL.to_string(),
        }
    }

    /// The SDK id, or an error naming the flag and the variable.
    pub fn sdk_id(&self) -> anyhow::Result<&str> {
        match self.sdk_id.as_deref().map(str::trim) {
            Some(id) if !id.is_empty() => Ok(id),
            _ => Err(missing("the SDK id", "--sdk-id", SDK_ID_ENV)),
        }
    }

    /// The key file's path, or an error naming the flag and the variable.
    pub fn key_file(&self) -> anyhow::Result<&PathBuf> {
        self.key_file
            .as_ref()
            .filter(|p| !p.as_os_str().is_empty())
            .ok_or_else(|| missing("the key file", "--key-file", KEY_FILE_ENV))
    }

    /// A signer for the base URL, from the SDK id and the key file.
    pub fn signer(&self) -> anyhow::Result<Signer> {
        let sdk_id = self.sdk_id()?;
        let key_file = self.key_file()?;
        let key = SigningKey::from_pem_file(key_file).map_err(|e| {
            anyhow::Error::new(idv_api::ClientError::from(e))
                .context(format!("the key file {} is not usable", key_file.display()))
        })?;
        let signer = Signer::new(sdk_id, key, &self.base_url())
            .map_err(|e| anyhow::Error::new(idv_api::ClientError::from(e)))?;
        Ok(signer)
    }

    /// A signed client for the base URL.
    pub fn client(&self) -> anyhow::Result<Client> {
        Ok(Client::builder(self.signer()?).build()?)
    }
}

fn missing(what: &str, flag: &str, env: &str) -> anyhow::Error {
    anyhow::Error::new(Failure(
        crate::exit::NOT_SENT,
        format!("{what} is not set: pass {flag} or set {env} (the official SDKs' variable)"),
    ))
}
