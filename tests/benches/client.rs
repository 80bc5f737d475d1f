//! Requests per second of the end-to-end signed client (`idv-api` with the signing
//! middleware, over HTTP) for `GET /sessions/{id}` with a full session body, at concurrency 1
//! and 16.
//!
//! ```text
//! cargo bench -p idv-tests --bench client
//! ```
//!
//! By itself it starts an emulator in this process and creates its demo session. To measure
//! against a standalone emulator, as `tests/bench/run.sh` does so that the official Node SDK
//! can be measured against the same server, set `IDV_BENCH_URL` (a base URL) and
//! `IDV_BENCH_SESSION` (a session id). `IDV_BENCH_SECONDS` sets how long each measurement
//! runs (default 10); `IDV_BENCH_RUNTIME=current_thread` runs the client on Tokio's
//! single-threaded runtime instead of the multi-threaded one.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use idv_api::Client;
use idv_api::idv_signing::{Signer, SigningKey};
use idv_emulator::Emulator;

fn main() -> ExitCode {
    let runtime = match std::env::var("IDV_BENCH_RUNTIME").as_deref() {
        Ok("current_thread") => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build(),
        _ => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build(),
    };
    let result = match runtime {
        Ok(runtime) => runtime.block_on(run()),
        Err(error) => Err(error.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bench failed: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let seconds: u64 = std::env::var("IDV_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    // Its SDK id and key are the standalone emulator's too.
    // What is measured is the client: the emulator does not check its own responses here,
    // as it did not when the README's numbers were taken.
    let emulator = Emulator::builder().check_responses(false).start().await?;
    let (base_url, session_id, where_) = match (
        std::env::var("IDV_BENCH_URL"),
        std::env::var("IDV_BENCH_SESSION"),
    ) {
        (Ok(url), Ok(session)) => (url, session, "a standalone emulator"),
        _ => (
            emulator.base_url(),
            emulator.demo_session(),
            "an in-process emulator",
        ),
    };
    let key = SigningKey::from_pem_file(emulator.key_path())?;
    let client = Client::builder(Signer::new(emulator.sdk_id(), key, &base_url)?).build()?;

    let body = client.get_session().session_id(&session_id).send().await?;
    let size = serde_json::to_vec(&*body)?.len();
    println!(
        "rust   idv-api {} against {where_} at {base_url}: GET /sessions/{{id}}, {} checks, ~{size} bytes",
        env!("CARGO_PKG_VERSION"),
        body.checks.len()
    );
    measure(&client, &session_id, 1, Duration::from_secs(1)).await?; // warm-up
    for concurrency in [1, 16] {
        let (requests, elapsed) = measure(
            &client,
            &session_id,
            concurrency,
            Duration::from_secs(seconds),
        )
        .await?;
        let rate = requests as f64 / elapsed.as_secs_f64();
        println!(
            "rust   concurrency {concurrency:>2}: {requests:>6} requests in {:.2} s = {rate:>7.0} requests/s",
            elapsed.as_secs_f64()
        );
    }
    Ok(())
}

/// Runs `concurrency` request loops for `duration`; returns how many requests completed, and
/// in how long.
async fn measure(
    client: &Client,
    session_id: &str,
    concurrency: usize,
    duration: Duration,
) -> Result<(u64, Duration), Box<dyn std::error::Error>> {
    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, id) = (client.clone(), session_id.to_owned());
            let (done, stop) = (done.clone(), stop.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    client.get_session().session_id(&id).send().await?;
                    done.fetch_add(1, Ordering::Relaxed);
                }
                Ok::<_, idv_api::Error<idv_api::types::ApiError>>(())
            })
        })
        .collect();
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.await??;
    }
    Ok((done.load(Ordering::Relaxed), start.elapsed()))
}
