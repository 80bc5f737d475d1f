//! `idv notifications listen`: receives a session's notifications, verifies each with
//! `idv_api::notifications`, and prints it.

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use clap::{Arg, ArgAction, ArgMatches, Command};
use idv_api::notifications::{self, NotificationAuth};
use tokio::sync::mpsc;

/// `idv notifications`'s command line.
pub fn command() -> Command {
    let listen = Command::new("listen")
        .about("Receive notifications, verify them, and print each as one JSON line")
        .long_about(
            "Listens for the POSTs Yoti (or the emulator) sends to a session's notification \
             endpoint, on any path. Each request's Authorization header is checked against \
             --auth-token (Basic, or Bearer with --auth-type bearer) and its body read as a \
             SessionNotification; a valid one is printed on stdout and answered 200, anything \
             else is answered 401 or 400 and reported on stderr.",
        )
        .after_help(
            "Example:\n  idv notifications listen --port 8080 --auth-token username:password",
        )
        .arg(
            Arg::new("port")
                .long("port")
                .value_parser(clap::value_parser!(u16))
                .default_value("8080")
                .help("The port to listen on (0: any free port, printed on stderr)"),
        )
        .arg(
            Arg::new("host")
                .long("host")
                .default_value("127.0.0.1")
                .help("The address to listen on"),
        )
        .arg(
            Arg::new("auth-token")
                .long("auth-token")
                .required(true)
                .help("The session's notifications auth_token"),
        )
        .arg(
            Arg::new("auth-type")
                .long("auth-type")
                .value_parser(["basic", "bearer"])
                .default_value("basic")
                .help("The session's notifications auth_type"),
        )
        .arg(
            Arg::new("count")
                .long("count")
                .value_parser(clap::value_parser!(u64))
                .action(ArgAction::Set)
                .help("Exit after this many valid notifications"),
        );
    Command::new("notifications")
        .about("Receive the notifications Yoti sends about sessions")
        .subcommand_required(true)
        .subcommand(listen)
}

struct State {
    auth: NotificationAuth,
    received: mpsc::UnboundedSender<()>,
}

async fn receive(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let authorization = headers.get(header::AUTHORIZATION).map(|v| v.as_bytes());
    if let Err(e) = state.auth.verify(authorization) {
        eprintln!("refused a notification (401): {e}");
        return StatusCode::UNAUTHORIZED;
    }
    match notifications::parse(&body) {
        Ok(notification) => {
            match serde_json::to_string(&notification) {
                Ok(line) => println!("{line}"),
                Err(e) => eprintln!("a notification could not be written as JSON: {e}"),
            }
            let _ = state.received.send(());
            StatusCode::OK
        }
        Err(e) => {
            eprintln!("refused a notification (400): {e}");
            StatusCode::BAD_REQUEST
        }
    }
}

/// `idv notifications listen`.
pub async fn run(m: &ArgMatches) -> anyhow::Result<()> {
    let Some(("listen", m)) = m.subcommand() else {
        return Ok(());
    };
    let token = m.get_one::<String>("auth-token").map_or("", String::as_str);
    let auth = match m.get_one::<String>("auth-type").map(String::as_str) {
        Some("bearer") => NotificationAuth::bearer(token),
        _ => NotificationAuth::basic(token),
    };
    let host = m
        .get_one::<String>("host")
        .map_or("127.0.0.1", String::as_str);
    let port = m.get_one::<u16>("port").copied().unwrap_or(8080);
    let count = m.get_one::<u64>("count").copied();
    let (sender, mut received) = mpsc::unbounded_channel();
    let state = Arc::new(State {
        auth,
        received: sender,
    });
    let app = axum::Router::new()
        .fallback(axum::routing::post(receive))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind((host, port)).await?;
    eprintln!("listening on http://{}", listener.local_addr()?);
    let stop = async move {
        let mut seen = 0;
        while received.recv().await.is_some() {
            seen += 1;
            if count.is_some_and(|n| seen >= n) {
                return;
            }
        }
    };
    axum::serve(listener, app)
        .with_graceful_shutdown(stop)
        .await?;
    Ok(())
}
