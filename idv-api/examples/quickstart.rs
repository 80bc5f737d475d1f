//! The whole IDV flow, step by step: create a session, show the URL the end user opens,
//! configure the sandbox's results, (against the emulator) go through that page as the user
//! would, read the session's checks, fetch a media item, and delete the session.
//!
//! ```text
//! cargo run -p idv-api --example quickstart
//! ```
//!
//! With `YOTI_CLIENT_SDK_ID` and `YOTI_KEY_FILE_PATH` set, it talks to the Yoti sandbox.
//! Without them, it starts the local emulator (`idv-emulator`) in-process and talks to that.
//! With `RUST_LOG` set (e.g. `RUST_LOG=idv_api=debug`), it prints the client's trace on stderr.

use std::error::Error;
use std::process::ExitCode;

use idv_api::sandbox::SandboxConfig;
use idv_api::types::{
    CheckType, CreateSessionPayload, GetSessionResult, ManualCheck, RequestedCheck,
    RequestedCheckConfig, RequestedTask, RequestedTaskConfig, RequiredDocument,
    RequiredDocumentType, SdkConfig, TaskType,
};
use idv_api::{Client, KEY_FILE_ENV, MediaContentExt, SANDBOX_URL, SDK_ID_ENV};
use idv_emulator::Emulator;

type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;

#[tokio::main]
async fn main() -> ExitCode {
    // `RUST_LOG=idv_api=debug` shows the client's spans and events on stderr (see the README).
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .init();
    }
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nerror: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<()> {
    println!("Yoti IDV quickstart\n");
    // Keep the emulator (when there is one) alive until the end.
    let (client, emulator) = connect().await?;

    step(1, "Create a session", "POST /sessions");
    let payload = session_payload();
    let created = client.create_session().body(payload).send().await?;
    let (session_id, token) = (&created.session_id, &created.client_session_token);
    println!("   session id:           {session_id}");
    match created.client_session_token_ttl {
        Some(ttl) => println!("   client session token: {token} (valid for {ttl} s)"),
        None => println!("   client session token: {token}"),
    }
    // The web flow is served under the API's base URL: the emulator serves its own page
    // there, which completes the session as the user would.
    let web = match &emulator {
        Some(emulator) => emulator.base_url(),
        None => SANDBOX_URL.to_owned(),
    };
    let page = format!("{web}/web/index.html?sessionID={session_id}&sessionToken={token}");
    println!("   The end user opens this page to capture their document and face:");
    println!("   {page}");

    step(
        2,
        "Configure this session's sandbox results",
        "PUT /sessions/{id}/response-config",
    );
    client
        .put_session_response_config()
        .session_id(session_id)
        .body(sandbox_results())
        .send()
        .await?;
    println!("   every check approves; text extraction finds Jane Doe");

    if emulator.is_some() {
        step(
            3,
            "The end user goes through the page",
            "GET the page, POST its form",
        );
        // The emulator's sessions wait for their user (`user_flow`): do what a browser does.
        complete_as_the_user(&page).await?;
        println!("   the page answered, the user pressed Complete, and was sent to success_url");
    }

    step(4, "Fetch the session", "GET /sessions/{id}");
    let session = client.get_session().session_id(session_id).send().await?;
    print_session(&session);

    step(
        5,
        "Fetch a media item",
        "GET /sessions/{id}/media/{mediaId}/content",
    );
    match first_media(&session) {
        None => {
            println!("   the session has no media yet (the end user has not captured anything)")
        }
        Some((what, media_id)) => {
            let response = client
                .get_media_content()
                .session_id(session_id)
                .media_id(&media_id)
                .send()
                .await?;
            match response.into_media() {
                None => println!("   {what}: held back (204): regulations prevent returning it"),
                Some(media) => {
                    let content_type = media.content_type.clone().unwrap_or_default();
                    let bytes = media.bytes().await?;
                    println!("   {what}: {content_type}, {} bytes", bytes.len());
                    if content_type.starts_with("application/json") {
                        println!("   {}", String::from_utf8_lossy(&bytes));
                    }
                }
            }
        }
    }

    step(6, "Delete the session", "DELETE /sessions/{id}");
    let deleted = client
        .delete_session()
        .session_id(session_id)
        .send()
        .await?;
    println!("   deleted ({})", deleted.status());
    println!("\nDone.");
    Ok(())
}

/// A sandbox client from the environment, or one for an emulator started here.
async fn connect() -> Result<(Client, Option<Emulator>)> {
    let configured = [SDK_ID_ENV, KEY_FILE_ENV]
        .iter()
        .any(|v| std::env::var_os(v).is_some());
    if configured {
        println!("Using the Yoti sandbox at {SANDBOX_URL} ({SDK_ID_ENV}, {KEY_FILE_ENV})");
        return Ok((Client::from_env(SANDBOX_URL)?, None));
    }
    // Its sessions wait for the end user on the emulator's page, as Yoti's do.
    let emulator = Emulator::builder().user_flow(true).start().await?;
    println!("{SDK_ID_ENV} and {KEY_FILE_ENV} are not set, so this runs against the local");
    println!("emulator, started in-process at {}", emulator.sandbox_url());
    println!("(set both to your sandbox app's SDK id and key file to use the Yoti sandbox)");
    let client = Client::from_key_file(
        &emulator.sandbox_url(),
        emulator.sdk_id(),
        emulator.key_path(),
    )?;
    Ok((client, Some(emulator)))
}

/// Opens the emulator's page for the end user and presses Complete, as a browser would: the
/// form posts to `web/journey` with the same query, and the answer sends the browser on to the
/// session's `success_url` (not followed here).
async fn complete_as_the_user(page: &str) -> Result<()> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    http.get(page).send().await?.error_for_status()?;
    let journey = page.replacen("/web/index.html?", "/web/journey?", 1);
    http.post(journey)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("outcome=complete")
        .send()
        .await?
        .error_for_status()?;
    Ok(())
}

/// An ID document that must be authentic and match the user's face, with its text read.
fn session_payload() -> CreateSessionPayload {
    let never = || {
        Some(RequestedCheckConfig {
            manual_check: Some(ManualCheck::Never),
            ..Default::default()
        })
    };
    CreateSessionPayload {
        client_session_token_ttl: Some(600),
        resources_ttl: Some(90_000),
        user_tracking_id: Some("quickstart-user".into()),
        requested_checks: vec![
            RequestedCheck {
                config: never(),
                ..RequestedCheck::new(CheckType::IdDocumentAuthenticity)
            },
            RequestedCheck {
                config: never(),
                ..RequestedCheck::new(CheckType::IdDocumentFaceMatch)
            },
        ],
        requested_tasks: vec![RequestedTask {
            config: Some(RequestedTaskConfig {
                manual_check: Some(ManualCheck::Never),
                ..Default::default()
            }),
            ..RequestedTask::new(TaskType::IdDocumentTextDataExtraction)
        }],
        required_documents: vec![RequiredDocument::new(RequiredDocumentType::IdDocument)],
        sdk_config: Some(SdkConfig {
            primary_colour: Some("#2d9fff".into()),
            locale: Some("en-GB".into()),
            success_url: Some("https://example.com/done".into()),
            error_url: Some("https://example.com/failed".into()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// What the sandbox should report for this session: every check approves, and the ID
/// document's text extraction finds Jane Doe.
fn sandbox_results() -> SandboxConfig {
    let fields = serde_json::json!({
        "full_name": "Jane Doe",
        "date_of_birth": "1990-04-01",
        "nationality": "GBR",
    });
    let fields = fields.as_object().cloned().unwrap_or_default();
    SandboxConfig::approve_all()
        .id_document_fields(fields)
        .async_report_delay(0)
}

fn print_session(session: &GetSessionResult) {
    let state = session.state.as_ref().map_or("?", |s| s.as_str());
    println!("   state: {state}");
    if let Some(resources) = &session.resources {
        for document in &resources.id_documents {
            println!(
                "   ID document: {} {}",
                document.issuing_country.as_deref().unwrap_or("?"),
                document.document_type.as_deref().unwrap_or("?")
            );
        }
        for liveness in &resources.liveness_capture {
            let kind = liveness.liveness_type.as_ref().map_or("?", |t| t.as_str());
            println!("   liveness capture: {kind}");
        }
        if !resources.face_capture.is_empty() {
            println!("   face captures: {}", resources.face_capture.len());
        }
    }
    if session.checks.is_empty() {
        println!("   no checks yet");
    }
    for check in &session.checks {
        let kind = check.type_.as_ref().map_or("?", |t| t.as_str());
        let state = check.state.as_ref().map_or("?", |s| s.as_str());
        let recommendation = check.recommendation().map_or("-", |v| v.as_str());
        println!("   check {kind:<28} {state:<8} recommendation: {recommendation}");
        let report = check.report.as_ref();
        for item in report.map(|r| r.breakdown.as_slice()).unwrap_or_default() {
            let result = item.result.as_ref().map_or("?", |r| r.as_str());
            println!(
                "       {:<26} {result}",
                item.sub_check.as_deref().unwrap_or("?")
            );
        }
    }
}

/// The extracted document fields if there are any, else the first page image.
fn first_media(session: &GetSessionResult) -> Option<(&'static str, String)> {
    let document = session.resources.as_ref()?.id_documents.first()?;
    let fields = document
        .document_fields
        .as_ref()
        .and_then(|f| f.media.as_ref()?.id.clone());
    let page = || document.pages.first()?.media.as_ref()?.id.clone();
    fields
        .map(|id| ("document fields", id))
        .or_else(|| page().map(|id| ("page image", id)))
}

fn step(number: u32, what: &str, operation: &str) {
    println!("\n{number}. {what}  ({operation})");
}
