//! `idv-emulator`: the local Yoti IDV emulator, standalone. `idv-emulator --help` lists the
//! options; the crate's README says how to point each official SDK at it.

use std::io::Write as _;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use idv_emulator::Emulator;

/// Runs the local Yoti IDV emulator until Ctrl-C or SIGTERM stops it.
///
/// It prints its base URLs, SDK id, key file and bearer token, then how to point each
/// official SDK at it. The log (each request's operation and status) goes to stderr, with
/// `RUST_LOG` choosing what (default `info`).
#[derive(Parser, Debug)]
#[command(name = "idv-emulator", version)]
struct Args {
    /// The address to listen on. Anything but loopback exposes an API that accepts a
    /// published test key, so it prints a warning.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// The port to listen on (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The SDK id of the emulated application: your sandbox application's, so that your
    /// configuration only needs a new base URL.
    #[arg(long, default_value = idv_emulator::DEFAULT_SDK_ID)]
    sdk_id: String,
    /// Verify signatures with this PEM public key (`BEGIN PUBLIC KEY` or `BEGIN RSA PUBLIC
    /// KEY`): your own key pair's. Default: the demo key's, whose private key file it prints.
    #[arg(long, value_name = "FILE")]
    public_key: Option<PathBuf>,
    /// Accept this bearer token in place of a signature (default: a random one, printed).
    #[arg(long, value_name = "TOKEN")]
    bearer_token: Option<String>,
    /// Also create a complete session and print its id.
    #[arg(long)]
    demo_session: bool,
    /// How long the tokens of the token endpoint (the auth URL) are valid, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 3600,
          value_parser = clap::value_parser!(u64).range(1..))]
    token_lifetime: u64,
    /// Do not check responses against the spec (by default one that fails is answered with
    /// 500 and logged).
    #[arg(long)]
    no_response_check: bool,
    /// Make sessions wait for their end user: ONGOING with nothing captured until the user
    /// finishes on the page {base}/web/index.html?sessionID=…&sessionToken=… (or a test, with
    /// POST /__emulator/sessions/{id}/complete). By default a session completes at once.
    #[arg(long)]
    user_flow: bool,
    /// Make ids, the bearer token and faults injected with a probability reproducible: the
    /// same requests in the same order get the same ids and faults (default: a random seed,
    /// printed).
    #[arg(long)]
    seed: Option<u64>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();

    let mut builder = Emulator::builder()
        .host(args.host)
        .port(args.port)
        .sdk_id(&args.sdk_id)
        .check_responses(!args.no_response_check)
        .token_lifetime(std::time::Duration::from_secs(args.token_lifetime))
        .user_flow(args.user_flow);
    if let Some(path) = &args.public_key {
        match std::fs::read_to_string(path) {
            Ok(pem) => builder = builder.public_key_pem(pem),
            Err(error) => {
                let path = path.display();
                eprintln!("idv-emulator: cannot read the public key file `{path}`: {error}");
                return ExitCode::from(2);
            }
        }
    }
    if let Some(token) = &args.bearer_token {
        builder = builder.bearer_token(token);
    }
    if let Some(seed) = args.seed {
        builder = builder.seed(seed);
    }
    if !args.host.is_loopback() {
        tracing::warn!(
            host = %args.host,
            "listening beyond loopback: anyone who can reach this address can use the emulator, \
             and the demo key that signs for it is published"
        );
    }
    let emulator = match builder.start().await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("idv-emulator: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    // Listen for the stop signals before the banner says the emulator is ready, so a signal
    // sent as soon as the banner appears is never missed.
    let stop = stopped();
    // The private key to sign with: the demo key's file, or the user's own.
    let key = match &args.public_key {
        Some(path) => format!("the private key of {}", path.display()),
        None => emulator.key_path().display().to_string(),
    };
    let mut text = banner(&emulator, &key, args.token_lifetime);
    if args.demo_session {
        text += &format!("demo session: {}\n", emulator.demo_session());
    }
    text += &format!(
        "\n{}\n",
        sdk_settings(
            &emulator.sandbox_url(),
            emulator.auth_url(),
            emulator.sdk_id(),
            &key
        )
    );
    if args.public_key.is_none() {
        text +=
            "Never use the key file for anything real: it is the workspace's published test key.\n";
    }
    // Whoever started it may stop reading once it has the URLs: a closed stdout is no error.
    let mut stdout = std::io::stdout();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    stop.await;
    drop(emulator);
    let _ = writeln!(std::io::stderr(), "idv-emulator: stopped");
    ExitCode::SUCCESS
}

/// The first lines: where the emulator is and what to sign with.
fn banner(emulator: &Emulator, key: &str, token_lifetime: u64) -> String {
    format!(
        "Yoti IDV emulator (Ctrl-C stops it)
base URL:     {}
sandbox URL:  {}
SDK id:       {}
key file:     {key}
bearer token: {}
auth URL:     {}  (YOTI_AUTH_URL; tokens valid {token_lifetime} s)
control:      {}/ (no signature)
seed:         {} (--seed repeats this run's ids and faults)
",
        emulator.base_url(),
        emulator.sandbox_url(),
        emulator.sdk_id(),
        emulator.bearer_token(),
        emulator.auth_url(),
        emulator.control_url(),
        emulator.seed()
    )
}

/// Installs the handlers now, and resolves on Ctrl-C, or SIGTERM on Unix (what `docker stop`
/// and CI runners send).
#[cfg(unix)]
fn stopped() -> impl Future<Output = ()> {
    use tokio::signal::unix::{Signal, SignalKind, signal};
    async fn next(signal: Option<Signal>) {
        match signal {
            Some(mut signal) => drop(signal.recv().await),
            None => std::future::pending().await,
        }
    }
    let interrupt = next(signal(SignalKind::interrupt()).ok());
    let terminate = next(signal(SignalKind::terminate()).ok());
    async move {
        tokio::select! {
            () = interrupt => {}
            () = terminate => {}
        }
    }
}

/// Resolves on Ctrl-C.
#[cfg(not(unix))]
fn stopped() -> impl Future<Output = ()> {
    let ctrl_c = tokio::signal::ctrl_c();
    async move {
        if ctrl_c.await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// How each official SDK is pointed at the emulator, from each SDK's source: Node's `yoti`
/// reads `YOTI_IDV_API_URL` when it loads, Python's `yoti` reads `YOTI_DOC_SCAN_API_URL` when
/// imported, Java reads the `yoti.docs.url` system property, Go, PHP and .NET read
/// `YOTI_DOC_SCAN_API_URL`; the sandbox clients take their URL in code (or Java's property).
/// Java's `yoti-sdk-auth` reads the `yoti.auth.url` property and PHP's `Yoti\Auth`
/// `YOTI_AUTH_URL`, as `idv_api::TokenSource` does.
fn sdk_settings(url: &str, auth_url: &str, sdk_id: &str, key: &str) -> String {
    format!(
        "Point the official SDKs at the emulator (SDK id {sdk_id}, key file {key}):
  Node, yoti:                 YOTI_IDV_API_URL={url}  or  new IDVClient(sdkId, pem, {{ apiUrl: '{url}' }})
  Node, @getyoti/sdk-sandbox: new SandboxIDVClientBuilder().withClientSdkId(sdkId).withPemString(pem).withSandboxUrl('{url}').build()
  Python, yoti:               YOTI_DOC_SCAN_API_URL={url}  (read on import)  or  DocScanClient(sdk_id, key_file, api_url='{url}')
  Python, yoti-sandbox:       DocScanSandboxClient(sdk_id, key_file, api_url='{url}')
  Java, both clients:         java -Dyoti.docs.url={url} ...
  Go, yoti-go-sdk/v3:         YOTI_DOC_SCAN_API_URL={url}  or  client.OverrideAPIURL(\"{url}\"); sandbox: sandbox.Client{{BaseURL: \"{url}\", ...}}
  PHP, yoti/yoti-php-sdk:     YOTI_DOC_SCAN_API_URL={url}  or  new DocScanClient($sdkId, $pem, ['api.url' => '{url}'])
  .NET, Yoti:                 YOTI_DOC_SCAN_API_URL={url}  or  new DocScanClient(sdkId, keyPair, httpClient, new Uri(\"{url}\"))
Authentication tokens, from the token endpoint:
  Rust, idv-api TokenSource:  YOTI_AUTH_URL={auth_url}  or  .with_auth_url(\"{auth_url}\")
  Java, yoti-sdk-auth:        java -Dyoti.auth.url={auth_url} ...
  PHP, Yoti\\Auth:             YOTI_AUTH_URL={auth_url}
Without its setting an SDK calls the real Yoti API, signed with this key."
    )
}
