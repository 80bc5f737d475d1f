//! `idv-emulator`: the local Yoti IDV emulator, standalone.
//!
//! ```text
//! cargo run -p idv-emulator -- [--port PORT] [--demo-session] [--no-response-check]
//!     [--token-lifetime SECONDS]
//! ```

use std::process::ExitCode;

use idv_emulator::Emulator;

const USAGE: &str = "usage: idv-emulator [--port PORT] [--demo-session] [--no-response-check]
                   [--token-lifetime SECONDS]

Runs the local Yoti IDV emulator on 127.0.0.1 until stopped (Ctrl-C).
  --port PORT           listen on PORT (default: any free port)
  --demo-session        also create a complete session and print its id
  --no-response-check   do not check responses against the spec (by default one that fails
                        is answered with 500 and logged)
  --token-lifetime SECONDS
                        how long the tokens of the token endpoint (auth URL) are valid
                        (default 3600)";

#[tokio::main]
async fn main() -> ExitCode {
    // The log (each request's operation and status, notifications that were not delivered)
    // goes to stderr, `RUST_LOG` choosing what (default `info`); the banner is on stdout.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let mut port = 0;
    let mut demo = false;
    let mut check_responses = true;
    let mut token_lifetime = idv_emulator::DEFAULT_TOKEN_LIFETIME;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => match args.next().and_then(|p| p.parse().ok()) {
                Some(p) => port = p,
                None => return usage("--port needs a port number"),
            },
            "--demo-session" => demo = true,
            "--no-response-check" => check_responses = false,
            "--token-lifetime" => match args.next().and_then(|s| s.parse().ok()) {
                Some(seconds) if seconds > 0 => {
                    token_lifetime = std::time::Duration::from_secs(seconds);
                }
                _ => return usage("--token-lifetime needs a number of seconds, at least 1"),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => return usage(&format!("unknown argument `{other}`")),
        }
    }
    let builder = Emulator::builder()
        .port(port)
        .check_responses(check_responses)
        .token_lifetime(token_lifetime);
    let emulator = match builder.start().await {
        Ok(emulator) => emulator,
        Err(error) => {
            tracing::error!(%error, "cannot start");
            return ExitCode::FAILURE;
        }
    };
    println!("Yoti IDV emulator (Ctrl-C stops it)");
    println!("base URL:     {}", emulator.base_url());
    println!("sandbox URL:  {}", emulator.sandbox_url());
    println!("SDK id:       {}", emulator.sdk_id());
    println!("key file:     {}", emulator.key_path().display());
    println!("bearer token: {}", emulator.bearer_token());
    println!(
        "auth URL:     {}  (YOTI_AUTH_URL; tokens valid {} s)",
        emulator.auth_url(),
        token_lifetime.as_secs()
    );
    if demo {
        println!("demo session: {}", emulator.demo_session());
    }
    println!();
    let key = emulator.key_path().display().to_string();
    println!(
        "{}",
        sdk_settings(
            &emulator.sandbox_url(),
            emulator.auth_url(),
            emulator.sdk_id(),
            &key
        )
    );
    std::future::pending::<()>().await;
    ExitCode::SUCCESS
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
Without its setting an SDK calls the real Yoti API, signed with this test key.
Never use the key file for anything real: it is the workspace's published test key."
    )
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("idv-emulator: {problem}\n\n{USAGE}");
    ExitCode::from(2)
}
