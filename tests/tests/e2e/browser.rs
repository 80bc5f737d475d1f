//! The end user's journey in a real browser: Chromium, headless, driven through chromedriver
//! (WebDriver) by `fantoccini`. The relying business's page, on a server the test starts on
//! 127.0.0.1, embeds the emulator's page in an iframe, as Yoti's integration guide and the
//! official SDKs' example apps do; the user finishes there, and the iframe is sent to the
//! session's `success_url` or `error_url` on that server.
//!
//! They need Debian's `chromium` and `chromium-driver` (`/usr/bin/chromedriver`): without
//! them a local `cargo test` skips these tests saying so, and under `CI=true` they fail.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::{get, post};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client as Browser, ClientBuilder, Locator};
use idv_api::types::{CreateSessionPayload, ResponseConfig, SessionState};
use idv_emulator::Emulator;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::{client, serve, typed};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// The page's accessibility, checked in the browser: a language, a title, a `main` landmark
/// and a heading, and an accessible name for every control. Returns the problems found.
const A11Y_CHECK: &str = r#"
const problems = [];
if (!document.documentElement.lang) problems.push('no <html lang>');
if (!document.title.trim()) problems.push('no <title>');
if (!document.querySelector('main')) problems.push('no <main>');
if (!document.querySelector('h1')) problems.push('no <h1>');
for (const el of document.querySelectorAll('input, select, button, textarea')) {
  const label = el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]');
  const name = (label && label.textContent.trim()) || el.getAttribute('aria-label')
    || (el.tagName === 'BUTTON' && el.textContent.trim());
  if (!name) problems.push('no accessible name: ' + el.outerHTML);
}
return problems;
"#;

/// chromedriver on a free port of 127.0.0.1, killed on drop.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// chromedriver, started; `None` (the test is skipped, saying why) when it is not installed
/// outside CI. Under `CI=true` a missing browser fails the test.
fn driver() -> Option<Driver> {
    let installed =
        std::path::Path::new(CHROMEDRIVER).exists() && std::path::Path::new(CHROMIUM).exists();
    if !installed {
        let message = "the browser tests need Chromium and chromedriver: `apt-get install chromium chromium-driver` (.ci/run installs them)";
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{message}");
        eprintln!("skipped: {message}");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    Some(Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    })
}

/// A headless Chromium session through `driver`, once chromedriver answers.
async fn browser(driver: &Driver) -> Browser {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({"binary": CHROMIUM, "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]}),
    );
    let mut last = None;
    // chromedriver takes a moment to listen: try for up to 20 s.
    for _ in 0..100 {
        match ClientBuilder::rustls()
            .expect("the WebDriver client's TLS roots load")
            .capabilities(capabilities.clone())
            .connect(&driver.url)
            .await
        {
            Ok(browser) => return browser,
            Err(error) => last = Some(error),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("chromedriver did not start a browser: {last:?}");
}

/// A return to the business: the path (`/success` or `/error`) and the query.
type Return = (String, Vec<(String, String)>);

/// What the relying business's server saw.
#[derive(Clone, Default)]
struct Business {
    /// The emulator page its `/embed` page puts in an iframe.
    page: Arc<Mutex<String>>,
    /// The paths and queries of the hits on `/success` and `/error`.
    returns: Option<mpsc::UnboundedSender<Return>>,
    notifications: Option<mpsc::UnboundedSender<Value>>,
}

/// The relying business's server on 127.0.0.1: `/embed`, `/success`, `/error` and the
/// notification endpoint `/hook`. Returns its address and what it receives.
async fn business() -> (
    SocketAddr,
    Business,
    mpsc::UnboundedReceiver<Return>,
    mpsc::UnboundedReceiver<Value>,
) {
    let (returns, returned) = mpsc::unbounded_channel();
    let (notifications, notified) = mpsc::unbounded_channel();
    let state = Business {
        page: Arc::default(),
        returns: Some(returns),
        notifications: Some(notifications),
    };
    async fn embed(State(b): State<Business>) -> Html<String> {
        let page = b.page.lock().unwrap().clone();
        Html(format!(
            "<!DOCTYPE html><html lang=\"en\"><head><title>Shop</title></head><body>\
<iframe id=\"yoti\" title=\"Verify your identity\" src=\"{page}\" allow=\"camera\" style=\"width:100%;height:900px\"></iframe></body></html>"
        ))
    }
    fn back(b: &Business, path: &str, query: Vec<(String, String)>) -> Html<&'static str> {
        if let Some(tx) = &b.returns {
            tx.send((path.to_owned(), query)).ok();
        }
        Html(
            "<!DOCTYPE html><html lang=\"en\"><head><title>Back</title></head><body>back</body></html>",
        )
    }
    let router = axum::Router::new()
        .route("/embed", get(embed))
        .route(
            "/success",
            get(
                |State(b): State<Business>, Query(q): Query<Vec<(String, String)>>| async move {
                    back(&b, "/success", q)
                },
            ),
        )
        .route(
            "/error",
            get(
                |State(b): State<Business>, Query(q): Query<Vec<(String, String)>>| async move {
                    back(&b, "/error", q)
                },
            ),
        )
        .route(
            "/hook",
            post(
                |State(b): State<Business>, body: axum::body::Bytes| async move {
                    if let (Some(tx), Ok(v)) = (&b.notifications, serde_json::from_slice(&body)) {
                        tx.send(v).ok();
                    }
                    axum::http::StatusCode::OK
                },
            ),
        )
        .with_state(state.clone());
    (serve(router).await, state, returned, notified)
}

/// The payload of a session whose user returns to `addr`, notified at `addr`'s `/hook`.
fn payload(addr: SocketAddr) -> CreateSessionPayload {
    typed(json!({
        "requested_checks": [{"type": "ID_DOCUMENT_AUTHENTICITY"}, {"type": "LIVENESS"}],
        "requested_tasks": [{"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION"}],
        "sdk_config": {
            "primary_colour": "#2d9fff",
            "success_url": format!("http://{addr}/success"),
            "error_url": format!("http://{addr}/error"),
        },
        "notifications": {
            "endpoint": format!("http://{addr}/hook"),
            "topics": ["RESOURCE_UPDATE", "TASK_COMPLETION", "CHECK_COMPLETION", "SESSION_COMPLETION"],
        },
    }))
}

/// Presses a key in the browser.
async fn press(browser: &Browser, key: char) {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    browser.perform_actions(keys).await.unwrap();
}

/// Opens the business's page, enters the iframe, checks the emulator's page's accessibility,
/// and moves the keyboard focus with Tab to the button `id`.
async fn open_and_focus(browser: &Browser, addr: SocketAddr, id: &str) {
    browser.goto(&format!("http://{addr}/embed")).await.unwrap();
    let frame = browser.find(Locator::Css("iframe#yoti")).await.unwrap();
    frame.enter_frame().await.unwrap();
    browser
        .find(Locator::Css("h1"))
        .await
        .expect("the emulator's page loads in the iframe");
    let problems = browser.execute(A11Y_CHECK, Vec::new()).await.unwrap();
    assert_eq!(problems, json!([]), "the page's accessibility problems");
    let focused = "return document.activeElement && document.activeElement.id";
    for _ in 0..30 {
        if browser.execute(focused, Vec::new()).await.unwrap() == json!(id) {
            return;
        }
        press(browser, '\u{e004}').await; // Tab
    }
    panic!("Tab never reaches the button `{id}`");
}

#[tokio::test]
async fn the_user_completes_the_journey_in_an_iframe_and_returns_to_success_url() {
    let Some(driver) = driver() else { return };
    let emulator = Emulator::builder().user_flow(true).start().await.unwrap();
    let client = client(&emulator, &emulator.sandbox_url());
    let reject: ResponseConfig = typed(
        json!({"check_reports": {"ID_DOCUMENT_AUTHENTICITY": [{"result": {"report": {
            "recommendation": {"value": "REJECT", "reason": "COUNTERFEIT"}, "breakdown": []
        }}}]}}),
    );
    client
        .put_application_response_config()
        .sdk_id(emulator.sdk_id())
        .body(reject)
        .send()
        .await
        .unwrap();
    let (addr, business, mut returned, mut notified) = business().await;
    let created = client
        .create_session()
        .body(payload(addr))
        .send()
        .await
        .unwrap();
    let id = created.session_id.clone();
    *business.page.lock().unwrap() = format!(
        "{}/web/index.html?sessionID={id}&sessionToken={}",
        emulator.base_url(),
        created.client_session_token
    );

    let browser = browser(&driver).await;
    open_and_focus(&browser, addr, "complete").await;
    press(&browser, '\u{e007}').await; // Enter
    let (path, _) = tokio::time::timeout(Duration::from_secs(30), returned.recv())
        .await
        .expect("the browser returns")
        .unwrap();
    assert_eq!(path, "/success");
    // The iframe went there; the business's page stays on top.
    let here = browser
        .execute("return location.pathname", Vec::new())
        .await
        .unwrap();
    assert_eq!(here, json!("/success"));
    browser.enter_parent_frame().await.unwrap();
    assert_eq!(browser.current_url().await.unwrap().path(), "/embed");
    browser.close().await.unwrap();

    let session = client.get_session().session_id(&id).send().await.unwrap();
    assert_eq!(session.state, Some(SessionState::Completed));
    let authenticity = session
        .checks
        .iter()
        .find(|c| {
            c.type_
                .as_ref()
                .is_some_and(|t| t.to_string() == "ID_DOCUMENT_AUTHENTICITY")
        })
        .unwrap();
    let recommendation = authenticity
        .report
        .as_ref()
        .and_then(|r| r.recommendation.as_ref())
        .and_then(|r| r.value.clone());
    assert_eq!(
        serde_json::to_value(recommendation).unwrap(),
        json!("REJECT")
    );
    // The notifications follow, the session's completion last.
    let mut topics = Vec::new();
    while topics.last().map(String::as_str) != Some("session_completion") {
        let note = tokio::time::timeout(Duration::from_secs(30), notified.recv())
            .await
            .expect("a notification")
            .unwrap();
        assert_eq!(note["session_id"], json!(id));
        topics.push(note["topic"].as_str().unwrap_or_default().to_owned());
    }
    for topic in ["resource_update", "task_completion", "check_completion"] {
        assert!(topics.iter().any(|t| t == topic), "{topic} in {topics:?}");
    }
}

#[tokio::test]
async fn the_user_cancels_and_returns_to_error_url_with_a_yoti_error_code() {
    let Some(driver) = driver() else { return };
    let emulator = Emulator::builder().user_flow(true).start().await.unwrap();
    let client = client(&emulator, &emulator.sandbox_url());
    let (addr, business, mut returned, _notified) = business().await;
    let created = client
        .create_session()
        .body(payload(addr))
        .send()
        .await
        .unwrap();
    *business.page.lock().unwrap() = format!(
        "{}/web/index.html?sessionID={}&sessionToken={}",
        emulator.sandbox_url(),
        created.session_id,
        created.client_session_token
    );
    let browser = browser(&driver).await;
    open_and_focus(&browser, addr, "cancel").await;
    press(&browser, '\u{e007}').await; // Enter
    let (path, query) = tokio::time::timeout(Duration::from_secs(30), returned.recv())
        .await
        .expect("the browser returns")
        .unwrap();
    browser.close().await.unwrap();
    assert_eq!(path, "/error");
    assert_eq!(query, vec![("yotiErrorCode".to_owned(), "1000".to_owned())]);
    let session = client
        .get_session()
        .session_id(&created.session_id)
        .send()
        .await
        .unwrap();
    assert_eq!(session.state, Some(SessionState::Ongoing));
}
