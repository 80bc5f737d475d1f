//! Session notifications, sent for real: when a session's `notifications` name an endpoint,
//! the emulator POSTs `{session_id, topic, …}` to it for each subscribed topic as the session
//! changes, with the `Authorization` header the reference describes.
//!
//! What happened is read from the session as the API reports it (its `GET` body), so every
//! change that body shows is notified, in this order at each moment (resources in the body's
//! order):
//! - `resource_update`: a resource appeared or changed (a face capture created, its image
//!   uploaded);
//! - `task_completion`: a task is `DONE`;
//! - `check_completion`: a check is `DONE` (after `async_report_delay`);
//! - `session_completion`: the session is `COMPLETED`;
//! - the topics of events the body does not show, as they were recorded
//!   ([`crate::sessions::Session::notice`]);
//! - `client_session_token_deleted`: the session is gone (deleted, or its resources expired;
//!   not when a reset of the emulator forgot it: then nothing more is sent).
//!
//! One task per session delivers them one at a time, in order; a delivery that fails is
//! retried with back-off and then logged and dropped, so a dead endpoint never blocks or
//! breaks the emulator. The reference requires `https://`; the emulator also accepts an
//! `http://` loopback endpoint, and sends to nothing but loopback.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Weak};
use std::time::Duration;

use base64::Engine as _;
use serde_json::{Value, json};

use crate::server::App;

/// How often a session is looked at for changes.
const POLL: Duration = Duration::from_millis(100);
/// The waits before each retry of a failed delivery.
const BACKOFF: [Duration; 4] = [
    Duration::from_millis(250),
    Duration::from_millis(500),
    Duration::from_secs(1),
    Duration::from_secs(2),
];
/// How long one delivery may take.
const TIMEOUT: Duration = Duration::from_secs(5);

/// Where and how a session's notifications go.
#[derive(Clone, Debug)]
pub(crate) struct Subscription {
    endpoint: reqwest::Url,
    /// The subscribed topics, in the payload's lower case.
    topics: Vec<String>,
    authorization: Option<String>,
}

impl Subscription {
    /// The subscription of a validated `POST /sessions` payload: `None` without
    /// `notifications`, and (logged) when the endpoint is not on this machine.
    pub(crate) fn of(payload: &Value) -> Option<Subscription> {
        let config = payload.get("notifications")?;
        let endpoint = config.get("endpoint")?.as_str()?;
        let Some(endpoint) = reqwest::Url::parse(endpoint).ok().filter(is_loopback) else {
            tracing::warn!(
                "not sending this session's notifications: the emulator sends only to 127.0.0.1, ::1 or localhost"
            );
            return None;
        };
        let topics = config
            .get("topics")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_ascii_lowercase)
            .collect();
        let authorization = config
            .get("auth_token")
            .and_then(Value::as_str)
            .map(
                |token| match config.get("auth_type").and_then(Value::as_str) {
                    Some("BEARER") => format!("Bearer {token}"),
                    _ => format!(
                        "Basic {}",
                        base64::engine::general_purpose::STANDARD.encode(token)
                    ),
                },
            );
        Some(Subscription {
            endpoint,
            topics,
            authorization,
        })
    }
}

/// Whether `url` is `http` or `https` on a loopback address or `localhost`.
fn is_loopback(url: &reqwest::Url) -> bool {
    let host = match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    host && matches!(url.scheme(), "http" | "https")
}

/// The payload as the spec's schema can check it, for what the API accepts in `notifications`
/// that the schema cannot say: an `http://` loopback endpoint is read as `https://` (the
/// emulator's relaxation; the spec's pattern is the real API's `^https://`), and a topic in
/// lower case as in upper case (Yoti's own examples for every SDK subscribe with
/// `withTopic('client_session_token_deleted')`, which the SDKs send as given).
pub(crate) fn relaxed(mut payload: Value) -> Value {
    if let Some(Value::Array(topics)) = payload.pointer_mut("/notifications/topics") {
        for topic in topics {
            if let Some(name) = topic.as_str() {
                *topic = json!(name.to_ascii_uppercase());
            }
        }
    }
    if let Some(endpoint) = payload.pointer_mut("/notifications/endpoint")
        && let Some(url) = endpoint.as_str()
        && url.starts_with("http://")
        && reqwest::Url::parse(url).is_ok_and(|u| is_loopback(&u))
    {
        *endpoint = json!(format!("https://{}", &url["http://".len()..]));
    }
    payload
}

/// Starts delivering the notifications of session `id`, until a reset of the emulator.
pub(crate) fn spawn(app: &Arc<App>, id: String, subscription: Subscription) {
    let generation = app.control.generation();
    let app = Arc::downgrade(app);
    tokio::spawn(async move { deliver_all(app, id, subscription, generation).await });
}

/// What has been notified: the state of each resource, task and check by id, and the session.
#[derive(Default)]
struct Seen {
    resources: HashMap<String, String>,
    tasks: Vec<String>,
    checks: Vec<String>,
    completed: bool,
    /// How many of the session's notices have been sent.
    notices: usize,
    /// The session body last read.
    body: bytes::Bytes,
}

async fn deliver_all(app: Weak<App>, id: String, subscription: Subscription, generation: u64) {
    let http = match reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .build()
    {
        Ok(http) => http,
        Err(error) => {
            tracing::error!(%error, "cannot send notifications: no HTTP client");
            return;
        }
    };
    let mut seen = Seen::default();
    loop {
        let Some(current) = app.upgrade() else { return };
        let state = current
            .with_session(&id, |session, config, now| {
                let notices = session
                    .notices()
                    .get(seen.notices..)
                    .unwrap_or_default()
                    .to_vec();
                (session.body(&id, config, now), notices)
            })
            .ok();
        // A reset forgot the session: nothing more is sent for it, not even its deletion.
        if current.control.generation() != generation {
            return;
        }
        drop(current);
        let (events, gone) = match state {
            Some((body, notices)) => {
                // The body is rendered once per change and then served as it is, so one that
                // is the same as last time has nothing new to notify: skip reading it.
                let mut events = if seen.body == body {
                    Vec::new()
                } else {
                    serde_json::from_slice::<Value>(&body)
                        .map(|session| seen.changes(&session))
                        .unwrap_or_default()
                };
                seen.body = body;
                seen.notices += notices.len();
                events.extend(notices.into_iter().map(|topic| (topic, None)));
                (events, false)
            }
            None => (vec![("client_session_token_deleted", None)], true),
        };
        for (topic, subject) in events {
            if !subscription.topics.iter().any(|t| t == topic) {
                continue;
            }
            let mut payload = json!({"session_id": id, "topic": topic});
            if let Some((key, value)) = subject {
                payload[key] = json!(value);
            }
            deliver(&http, &subscription, &payload).await;
        }
        if gone {
            return;
        }
        tokio::time::sleep(POLL).await;
    }
}

impl Seen {
    /// What changed in `session` (a `GET /sessions/{id}` body) since last time, in order.
    fn changes(&mut self, session: &Value) -> Vec<(&'static str, Option<(&'static str, String)>)> {
        let mut events = Vec::new();
        let mut tasks_done = Vec::new();
        let groups = session.get("resources").and_then(Value::as_object);
        for resource in groups.into_iter().flat_map(|g| g.values()) {
            let list = match resource {
                Value::Array(list) => list.as_slice(),
                other => std::slice::from_ref(other),
            };
            for resource in list {
                let Some(rid) = resource.get("id").and_then(Value::as_str) else {
                    continue;
                };
                let state = resource.to_string();
                if self.resources.get(rid) != Some(&state) {
                    self.resources.insert(rid.to_owned(), state);
                    events.push(("resource_update", Some(("resource_id", rid.to_owned()))));
                }
                let tasks = resource.get("tasks").and_then(Value::as_array);
                for task in tasks.into_iter().flatten() {
                    if let Some(tid) = done(task)
                        && !self.tasks.iter().any(|t| t == tid)
                    {
                        self.tasks.push(tid.to_owned());
                        tasks_done.push(("task_completion", Some(("task_id", tid.to_owned()))));
                    }
                }
            }
        }
        events.extend(tasks_done);
        let checks = session.get("checks").and_then(Value::as_array);
        for check in checks.into_iter().flatten() {
            if let Some(cid) = done(check)
                && !self.checks.iter().any(|c| c == cid)
            {
                self.checks.push(cid.to_owned());
                events.push(("check_completion", Some(("check_id", cid.to_owned()))));
            }
        }
        if !self.completed && session.get("state").and_then(Value::as_str) == Some("COMPLETED") {
            self.completed = true;
            events.push(("session_completion", None));
        }
        events
    }
}

/// The id of a task or check that is `DONE`.
fn done(item: &Value) -> Option<&str> {
    (item.get("state").and_then(Value::as_str) == Some("DONE"))
        .then(|| item.get("id").and_then(Value::as_str))
        .flatten()
}

/// POSTs one notification, retrying a failure with back-off; logs it when every attempt
/// failed.
async fn deliver(http: &reqwest::Client, subscription: &Subscription, payload: &Value) {
    // What the log says of the last failure: a status or a kind, never the endpoint (its
    // query may hold a token) nor an error's text (it quotes the URL).
    let (mut status, mut error_kind) = (None, None);
    for wait in std::iter::once(Duration::ZERO).chain(BACKOFF) {
        tokio::time::sleep(wait).await;
        let mut request = http.post(subscription.endpoint.clone()).json(payload);
        if let Some(authorization) = &subscription.authorization {
            request = request.header(reqwest::header::AUTHORIZATION, authorization);
        }
        match request.send().await {
            Ok(response) if response.status().is_success() => return,
            Ok(response) => status = Some(response.status().as_u16()),
            Err(error) if error.is_timeout() => error_kind = Some("timeout"),
            Err(error) if error.is_connect() => error_kind = Some("connect"),
            Err(_) => error_kind = Some("other"),
        }
    }
    tracing::warn!(
        topic = payload["topic"].as_str().unwrap_or_default(),
        attempts = BACKOFF.len() + 1,
        status,
        error = error_kind,
        "a notification was not delivered after every attempt; dropped"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(url: &str) -> Value {
        json!({"notifications": {"endpoint": url, "topics": ["SESSION_COMPLETION"]}})
    }

    #[test]
    fn only_loopback_endpoints_get_a_subscription() {
        for url in [
            "http://127.0.0.1:8080/hook",
            "http://127.9.9.9/hook",
            "http://[::1]:8080/hook",
            "https://localhost/hook",
            "http://LOCALHOST:1/hook",
        ] {
            assert!(Subscription::of(&endpoint(url)).is_some(), "{url}");
        }
        for url in [
            "https://example.com/hook",
            "http://127.0.0.1.example.com/hook",
            "http://localhost.example.com/hook",
            "http://10.0.0.1/hook",
            "ftp://127.0.0.1/hook",
            "not a url",
        ] {
            assert!(Subscription::of(&endpoint(url)).is_none(), "{url}");
        }
        assert!(Subscription::of(&json!({})).is_none());
    }

    #[test]
    fn the_authorization_header_follows_auth_type() {
        let with = |config: Value| {
            let mut payload = endpoint("http://127.0.0.1/hook");
            if let (Some(Value::Object(n)), Value::Object(c)) =
                (payload.get_mut("notifications"), config)
            {
                n.extend(c);
            }
            Subscription::of(&payload).and_then(|s| s.authorization)
        };
        assert_eq!(with(json!({})), None);
        let basic = Some("Basic dXNlcm5hbWU6cGFzc3dvcmQ=".to_owned());
        assert_eq!(with(json!({"auth_token": "username:password"})), basic);
        let explicit = json!({"auth_token": "username:password", "auth_type": "BASIC"});
        assert_eq!(with(explicit), basic);
        let bearer = json!({"auth_token": "t0k", "auth_type": "BEARER"});
        assert_eq!(with(bearer), Some("Bearer t0k".to_owned()));
    }

    #[test]
    fn relaxed_reads_a_loopback_http_endpoint_and_lower_case_topics_as_the_schema_can() {
        let payload = json!({"notifications": {
            "endpoint": "http://127.0.0.1:9/hook",
            "topics": ["client_session_token_deleted", "RESOURCE_UPDATE"]
        }});
        assert_eq!(
            relaxed(payload),
            json!({"notifications": {
                "endpoint": "https://127.0.0.1:9/hook",
                "topics": ["CLIENT_SESSION_TOKEN_DELETED", "RESOURCE_UPDATE"]
            }})
        );
        let elsewhere = json!({"notifications": {"endpoint": "http://example.com/hook"}});
        assert_eq!(relaxed(elsewhere.clone()), elsewhere);
    }
}
