//! Every span and event the client records, captured with all its fields by a
//! `tracing_subscriber::Layer` of our own, and checked for what it says and for what it must
//! never hold (a personal value, key material, the SDK id, a token, a nonce, a timestamp, a
//! signature).

mod quickstart;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use idv_api::Client;
use idv_emulator::Emulator;
use reqwest_retry::RetryTransientMiddleware;
use reqwest_retry::policies::ExponentialBackoff;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// One captured span or event.
#[derive(Debug, Clone)]
struct Captured {
    /// `span` or `event`.
    kind: &'static str,
    name: String,
    target: String,
    /// The span's own id, or the span an event happened in.
    span: Option<u64>,
    fields: BTreeMap<String, String>,
}

/// Every field's value as text, however it was recorded.
struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .insert(field.name().to_string(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
}

/// Captures every span (with the fields recorded later) and every event, in order.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<Captured>>>);

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _: Context<'_, S>) {
        let mut fields = BTreeMap::new();
        attrs.record(&mut Fields(&mut fields));
        self.0.lock().unwrap().push(Captured {
            kind: "span",
            name: attrs.metadata().name().to_string(),
            target: attrs.metadata().target().to_string(),
            span: Some(id.into_u64()),
            fields,
        });
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        let mut all = self.0.lock().unwrap();
        let span = all
            .iter_mut()
            .rev()
            .find(|c| c.kind == "span" && c.span == Some(id.into_u64()));
        if let Some(span) = span {
            values.record(&mut Fields(&mut span.fields));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        self.0.lock().unwrap().push(Captured {
            kind: "event",
            name: event.metadata().name().to_string(),
            target: event.metadata().target().to_string(),
            span: ctx.event_span(event).map(|s| s.id().into_u64()),
            fields,
        });
    }
}

/// A request that cannot connect: each attempt's failure is a fixed word, never the error's
/// text (it quotes the URL, and with it the signed query).
#[tokio::test(flavor = "current_thread")]
async fn a_failed_connection_is_a_kind_of_failure_and_never_the_url() {
    let capture = Capture::default();
    let _default =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    // A port that was free a moment ago, and is closed now.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let base = format!("http://127.0.0.1:{port}/idverify/v1");
    let retries = ExponentialBackoff::builder()
        .retry_bounds(Duration::from_millis(1), Duration::from_millis(10))
        .build_with_max_retries(1);
    let client = crate::common::builder("sdk-id-not-to-be-logged", &base)
        .with(RetryTransientMiddleware::new_with_policy(retries))
        .build()
        .unwrap();
    let error = client
        .get_session()
        .session_id("session-id-not-to-be-logged")
        .send()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("127.0.0.1"), "{error}");

    let captured = capture.0.lock().unwrap().clone();
    let ours: Vec<&Captured> = captured.iter().filter(|c| c.target == "idv_api").collect();
    let fields = |c: &Captured| -> Vec<(String, String)> {
        c.fields
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    assert_eq!(ours.len(), 3, "{ours:#?}");
    let span = ours[0];
    assert_eq!(span.kind, "span");
    let mut span_fields = span.fields.clone();
    let elapsed: f64 = span_fields.remove("elapsed_ms").unwrap().parse().unwrap();
    assert!(elapsed >= 0.0);
    assert_eq!(
        span_fields.into_iter().collect::<Vec<_>>(),
        pairs(&[
            ("attempt", "2"),
            ("method", "GET"),
            ("operation_id", "getSession"),
            ("path", "/sessions/{sessionId}"),
        ])
    );
    assert_eq!(
        fields(ours[1]),
        pairs(&[
            ("attempt", "2"),
            ("message", "retrying"),
            ("previous_error", "connect"),
        ])
    );
    assert_eq!(
        fields(ours[2]),
        pairs(&[("error", "connect"), ("message", "request failed")])
    );
    // hyper-util's own TRACE events name the server's address (127.0.0.1:port), and ours do not.
    for record in &captured {
        let text = format!("{record:?}");
        let ours = record.target == "idv_api";
        let needles = [
            "sdk-id-not-to-be-logged",
            "session-id-not-to-be-logged",
            "nonce",
        ];
        for needle in needles.into_iter().chain(ours.then_some("127.0.0.1")) {
            assert!(!text.contains(needle), "`{needle}` in {record:?}");
        }
    }
}

/// A client on tokens: each token obtained is an event with its lifetime, a token refused is
/// a refusal by the token source, and neither the client nor the emulator records a token or
/// an assertion.
#[tokio::test(flavor = "current_thread")]
async fn tokens_are_traced_by_their_lifetime_and_never_shown() {
    let capture = Capture::default();
    let _default =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    let emulator = Emulator::start().await.unwrap();
    let source = |key: &str| {
        let key = idv_api::idv_signing::SigningKey::from_pem(key).unwrap();
        idv_api::TokenSource::new(emulator.sdk_id(), key, ["a:scope"])
            .unwrap()
            .with_auth_url(emulator.auth_url())
            .unwrap()
    };
    let client =
        Client::with_token_source(&emulator.sandbox_url(), source(crate::common::KEY)).unwrap();
    client.get_supported_documents().send().await.unwrap();
    // The token expires on the emulator's clock: a 401, then a new token.
    emulator.advance(Duration::from_secs(3600));
    client.get_supported_documents().send().await.unwrap();
    let other = crate::common::OTHER_KEY;
    let refused = Client::with_token_source(&emulator.sandbox_url(), source(other)).unwrap();
    let error = refused.get_supported_documents().send().await.unwrap_err();
    assert_eq!(
        error.token_error().and_then(|e| e.oauth_error()),
        Some("invalid_client")
    );
    assert_eq!(emulator.stats().tokens_issued, 2);

    let captured = capture.0.lock().unwrap().clone();
    let message = |e: &Captured| e.fields.get("message").cloned().unwrap_or_default();
    let ours: Vec<&Captured> = captured
        .iter()
        .filter(|c| c.kind == "event" && c.target == "idv_api")
        .collect();
    let refreshed: Vec<&String> = ours
        .iter()
        .filter(|e| message(e) == "token refreshed")
        .map(|e| &e.fields["expires_in_s"])
        .collect();
    assert_eq!(refreshed, ["3600", "3600"], "{ours:#?}");
    let refusal = ours
        .iter()
        .find(|e| message(e) == "refused before sending")
        .expect("the refused call's event");
    assert_eq!(refusal.fields["refused_by"], "token source");
    assert_eq!(
        refusal.fields["reason"],
        "the auth service refused the token request"
    );
    // The emulator logs each token request by its route, status and OAuth error code.
    let token_log = |status: &str, code: Option<&str>| {
        captured.iter().any(|c| {
            c.target.starts_with("idv_emulator")
                && c.fields.get("route").map(String::as_str) == Some("/auth/v1/oauth/token")
                && c.fields.get("status").map(String::as_str) == Some(status)
                && c.fields.get("code").map(String::as_str) == code
        })
    };
    assert!(token_log("200", None), "{captured:#?}");
    assert!(token_log("401", Some("invalid_client")), "{captured:#?}");

    // The emulator's tokens start `idv-emulator-at-`, and a JWT's header and claims `eyJ`
    // (base64url of `{"`): neither is anywhere, nor is the key.
    let key_line = crate::common::KEY.lines().nth(1).unwrap();
    for record in &captured {
        let text = format!("{record:?}");
        for needle in ["idv-emulator-at-", "eyJ", "Bearer", key_line] {
            assert!(!text.contains(needle), "`{needle}` in {record:?}");
        }
    }
}
