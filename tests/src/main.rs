//! `idv-emulator`: the local Yoti IDV emulator, standalone.
//!
//! ```text
//! cargo run -p idv-emulator -- [--port PORT] [--demo-session]
//! ```

use std::process::ExitCode;

use idv_emulator::Emulator;

const USAGE: &str = "usage: idv-emulator [--port PORT] [--demo-session]

Runs the local Yoti IDV emulator on 127.0.0.1 until stopped (Ctrl-C).
  --port PORT      listen on PORT (default: any free port)
  --demo-session   also create a complete session and print its id";

#[tokio::main]
async fn main() -> ExitCode {
    let mut port = 0;
    let mut demo = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => match args.next().and_then(|p| p.parse().ok()) {
                Some(p) => port = p,
                None => return usage("--port needs a port number"),
            },
            "--demo-session" => demo = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => return usage(&format!("unknown argument `{other}`")),
        }
    }
    let emulator = match Emulator::builder().port(port).start().await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("idv-emulator: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("Yoti IDV emulator (Ctrl-C stops it)");
    println!("base URL:     {}", emulator.base_url());
    println!("sandbox URL:  {}", emulator.sandbox_url());
    println!("SDK id:       {}", emulator.sdk_id());
    println!("key file:     {}", emulator.key_path().display());
    if demo {
        println!("demo session: {}", emulator.demo_session());
    }
    println!();
    println!(
        "For the official SDKs: YOTI_IDV_API_URL={} YOTI_CLIENT_SDK_ID={} YOTI_KEY_FILE_PATH={}",
        emulator.sandbox_url(),
        emulator.sdk_id(),
        emulator.key_path().display()
    );
    std::future::pending::<()>().await;
    ExitCode::SUCCESS
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("idv-emulator: {problem}\n\n{USAGE}");
    ExitCode::from(2)
}
