//! Notifications, the other direction: the emulator POSTs them to an endpoint the test starts
//! on 127.0.0.1, which verifies them with `idv_api::notifications`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode, header};
use idv_api::notifications::{self, NotificationAuth};
use idv_api::types::{
    CreateSessionPayload, IbvContactProfile, IbvInstructions, NotificationAuthType,
    NotificationConfig, NotificationTopic, ResponseConfig, SessionNotification,
    SessionNotificationTopic,
};
use tokio::sync::mpsc;

use super::{create, serve, start, typed};

/// One notification as the endpoint received it.
struct Received {
    authorization: Option<Vec<u8>>,
    body: Vec<u8>,
}

/// An endpoint on 127.0.0.1 that answers `fail_first` requests with 503, then 200, and
/// hands on every request it received. Returns its URL.
async fn endpoint(fail_first: usize) -> (String, mpsc::UnboundedReceiver<Received>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let failures = Arc::new(Mutex::new(fail_first));
    let hook = move |headers: HeaderMap, body: axum::body::Bytes| {
        let tx = tx.clone();
        let failures = failures.clone();
        async move {
            let authorization = headers
                .get(header::AUTHORIZATION)
                .map(|v| v.as_bytes().to_vec());
            tx.send(Received {
                authorization,
                body: body.to_vec(),
            })
            .ok();
            let mut failures = failures.lock().unwrap();
            if *failures > 0 {
                *failures -= 1;
                StatusCode::SERVICE_UNAVAILABLE
            } else {
                StatusCode::OK
            }
        }
    };
    let router = axum::Router::new().route("/yoti/updates", axum::routing::post(hook));
    let url = format!("http://{}/yoti/updates", serve(router).await);
    (url, rx)
}

/// The next notification, verified and read; fails the test after 10 s without one.
async fn next(
    rx: &mut mpsc::UnboundedReceiver<Received>,
    auth: &NotificationAuth,
) -> SessionNotification {
    let received = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("a notification within 10 s")
        .expect("the endpoint is up");
    auth.verify(received.authorization.as_deref())
        .expect("the Authorization header verifies");
    notifications::parse(&received.body).expect("the body is a session notification")
}

/// Nothing more arrives within half a second.
async fn quiet(rx: &mut mpsc::UnboundedReceiver<Received>) {
    let more = tokio::time::timeout(Duration::from_millis(500), rx.recv()).await;
    assert!(more.is_err(), "no further notification");
}

/// A subscription to every topic the emulator sends, at `endpoint`, without auth.
fn every_topic(endpoint: impl Into<String>) -> NotificationConfig {
    NotificationConfig {
        endpoint: endpoint.into(),
        topics: vec![
            NotificationTopic::ResourceUpdate,
            NotificationTopic::TaskCompletion,
            NotificationTopic::CheckCompletion,
            NotificationTopic::SessionCompletion,
            NotificationTopic::ClientSessionTokenDeleted,
        ],
        auth_token: None,
        auth_type: None,
        extra: Default::default(),
    }
}

fn payload(notifications: NotificationConfig) -> CreateSessionPayload {
    typed(serde_json::json!({
        "requested_checks": [{"type": "ID_DOCUMENT_AUTHENTICITY"}, {"type": "LIVENESS"}],
        "requested_tasks": [{"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION"}],
        "notifications": notifications,
    }))
}

#[tokio::test]
async fn a_sandbox_session_notifies_each_subscribed_topic_in_order_with_basic_auth() {
    let (emulator, client) = start().await;
    // The checks finish 30 s after creation, on the emulator's clock.
    let delay: ResponseConfig =
        typed(serde_json::json!({"check_reports": {"async_report_delay": 30}}));
    client
        .put_application_response_config()
        .sdk_id(emulator.sdk_id())
        .body(delay)
        .send()
        .await
        .unwrap();
    let (url, mut rx) = endpoint(0).await;
    let config = NotificationConfig {
        auth_token: Some("username:password".into()),
        ..every_topic(url)
    };
    let id = create(&client, payload(config)).await;
    let auth = NotificationAuth::basic("username:password");

    // The user's flow: the document and the liveness capture, then the extraction task.
    let session = client.get_session().session_id(&id).send().await.unwrap();
    let resources = session.resources.as_ref().unwrap();
    let document = &resources.id_documents[0];
    let mut expected = vec![
        (
            SessionNotificationTopic::ResourceUpdate,
            document.id.clone(),
        ),
        (
            SessionNotificationTopic::ResourceUpdate,
            resources.liveness_capture[0].id.clone(),
        ),
        (
            SessionNotificationTopic::TaskCompletion,
            document.tasks[0].id.clone(),
        ),
    ];
    // Then, when the checks finish, each check and the session.
    expected.extend(
        session
            .checks
            .iter()
            .map(|c| (SessionNotificationTopic::CheckCompletion, c.id.clone())),
    );
    expected.push((SessionNotificationTopic::SessionCompletion, None));

    let mut got = Vec::new();
    for _ in 0..3 {
        got.push(next(&mut rx, &auth).await);
    }
    quiet(&mut rx).await;
    emulator.advance(Duration::from_secs(31));
    for _ in 3..expected.len() {
        got.push(next(&mut rx, &auth).await);
    }
    let seen: Vec<_> = got
        .iter()
        .map(|n| {
            assert_eq!(n.session_id, id);
            let subject = n
                .resource_id
                .clone()
                .or(n.task_id.clone())
                .or(n.check_id.clone());
            (n.topic.clone(), subject)
        })
        .collect();
    assert_eq!(seen, expected);
    assert!(got.iter().all(|n| n.extra.is_empty()));

    client
        .delete_session()
        .session_id(&id)
        .send()
        .await
        .unwrap();
    let deleted = next(&mut rx, &auth).await;
    assert_eq!(
        (deleted.topic, deleted.session_id),
        (SessionNotificationTopic::ClientSessionTokenDeleted, id)
    );
    quiet(&mut rx).await;
}

#[tokio::test]
async fn only_subscribed_topics_are_sent_with_bearer_auth_and_failures_are_retried() {
    let (_emulator, client) = start().await;
    // The endpoint fails twice before it accepts.
    let (url, mut rx) = endpoint(2).await;
    let config = NotificationConfig {
        topics: vec![NotificationTopic::SessionCompletion],
        auth_token: Some("s3cr3t-token".into()),
        auth_type: Some(NotificationAuthType::Bearer),
        ..every_topic(url)
    };
    let id = create(&client, payload(config)).await;

    // Bearer sends the token unchanged.
    let auth = NotificationAuth::bearer("s3cr3t-token");
    for attempt in 0..3 {
        let n = next(&mut rx, &auth).await;
        assert_eq!(
            (n.topic, n.session_id.as_str()),
            (SessionNotificationTopic::SessionCompletion, id.as_str()),
            "attempt {attempt}"
        );
    }
    quiet(&mut rx).await;
}

#[tokio::test]
async fn a_topic_subscribed_in_lower_case_as_yotis_examples_do_is_accepted_and_sent() {
    let (_emulator, client) = start().await;
    let (url, mut rx) = endpoint(0).await;
    let config = NotificationConfig {
        topics: vec![NotificationTopic::from("client_session_token_deleted")],
        auth_token: Some("u:p".into()),
        ..every_topic(url)
    };
    let id = create(&client, payload(config)).await;
    client
        .delete_session()
        .session_id(&id)
        .send()
        .await
        .unwrap();
    let n = next(&mut rx, &NotificationAuth::basic("u:p")).await;
    assert_eq!(
        (n.topic, n.session_id),
        (SessionNotificationTopic::ClientSessionTokenDeleted, id)
    );
    quiet(&mut rx).await;
}

#[tokio::test]
async fn an_endpoint_that_never_answers_does_not_hold_up_the_api() {
    let (_emulator, client) = start().await;
    // It accepts connections and never answers: each delivery waits for its timeout.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/silent", listener.local_addr().unwrap());
    let _held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            open.push(socket);
        }
    });
    let config = every_topic(url);
    // If a delivery were made inside a request, this would hang behind it.
    let calls = async {
        let id = create(&client, payload(config)).await;
        for _ in 0..3 {
            client.get_session().session_id(&id).send().await.unwrap();
        }
        client
            .delete_session()
            .session_id(&id)
            .send()
            .await
            .unwrap();
    };
    tokio::time::timeout(Duration::from_secs(4), calls)
        .await
        .expect("the API answers while deliveries wait");
}

#[tokio::test]
async fn endpoints_off_this_machine_are_accepted_but_never_called() {
    // That no delivery is started for them is shown without the network by the unit test
    // `notify::tests::only_loopback_endpoints_get_a_subscription`.
    let (_emulator, client) = start().await;
    let config = every_topic("https://example.com/yoti");
    let id = create(&client, payload(config)).await;
    client.get_session().session_id(&id).send().await.unwrap();

    // An http endpoint that is not loopback is refused, as the API refuses any http one.
    let config = every_topic("http://example.com/yoti");
    let (status, error) =
        super::api_error(client.create_session().body(payload(config)).send().await);
    assert_eq!(status, 400);
    assert_eq!(
        error.errors[0].property.as_deref(),
        Some("notifications.endpoint")
    );
}

#[tokio::test]
async fn instructions_notify_a_new_pdf_and_an_email_request() {
    let (_emulator, client) = start().await;
    let (url, mut rx) = endpoint(0).await;
    let config = NotificationConfig {
        topics: vec![
            NotificationTopic::NewPdfSupplied,
            NotificationTopic::InstructionsEmailRequested,
        ],
        ..every_topic(url)
    };
    let id = create(&client, payload(config)).await;
    let instructions = IbvInstructions {
        contact_profile: Some(IbvContactProfile {
            email: Some("ada@example.com".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    client
        .put_ibv_instructions()
        .session_id(&id)
        .body(instructions)
        .send()
        .await
        .unwrap();
    client
        .trigger_ibv_email_notification()
        .session_id(&id)
        .send()
        .await
        .unwrap();

    let mut topics = Vec::new();
    for _ in 0..2 {
        let received = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("a notification within 10 s")
            .expect("the endpoint is up");
        assert_eq!(received.authorization, None, "no auth_token, no header");
        let n = notifications::parse(&received.body).unwrap();
        assert_eq!(n.session_id, id);
        topics.push(n.topic);
    }
    assert_eq!(
        topics,
        [
            SessionNotificationTopic::NewPdfSupplied,
            SessionNotificationTopic::InstructionsEmailRequested
        ]
    );
    quiet(&mut rx).await;
}
