//! What the emulator refuses, as the real API would, found by outside tools (issue 11): a
//! request body that is not JSON by its `Content-Type`, an `includeNonLatin` that is not a
//! boolean, a TTL or deadline below the minimum; and an enum error lists every accepted value.

use idv_api::types::{CheckType, CreateSessionPayload, RequestedCheck};
use serde_json::{Value, json};

use super::{api_error, code, send_signed as send, start, typed};

/// Every operation whose spec entry declares a 415 answers it to a body sent as text.
#[tokio::test]
async fn every_operation_that_declares_415_answers_it() {
    let (emulator, _) = start().await;
    let session = emulator.demo_session();
    let spec: Value = serde_yaml::from_str(include_str!("../../../spec/idv.yaml")).unwrap();
    let mut tested = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if operation.pointer("/responses/415").is_none() {
                continue;
            }
            let concrete = path
                .replace("{sessionId}", &session)
                .replace("{sdkId}", emulator.sdk_id())
                .replace("{resourceId}", "r");
            let method = method.to_uppercase().parse().unwrap();
            let (status, body) =
                send(&emulator, method, &concrete, Some("text/plain"), Some("{}")).await;
            let id = operation["operationId"].as_str().unwrap();
            assert_eq!(
                (status, &body["code"]),
                (415, &json!("UNSUPPORTED_MEDIA_TYPE")),
                "{id}"
            );
            tested.push(id.to_owned());
        }
    }
    tested.sort();
    assert_eq!(
        tested,
        [
            "createFaceCaptureResource",
            "createSession",
            "putApplicationResponseConfig",
            "putIbvInstructions",
            "putSessionResponseConfig",
        ]
    );
}

#[tokio::test]
async fn a_body_that_is_not_declared_json_gets_415() {
    let (emulator, _) = start().await;
    let post = reqwest::Method::POST;
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let (status, body) = send(
            &emulator,
            post.clone(),
            "/sessions",
            content_type,
            Some("{}"),
        )
        .await;
        assert_eq!(status, 415, "{content_type:?}: {body}");
        assert_eq!(body["code"], "UNSUPPORTED_MEDIA_TYPE", "{body}");
    }
    // Every other operation with a JSON body: every_operation_that_declares_415_answers_it.
    let app_config = format!("/apps/{}/response-config", emulator.sdk_id());

    // JSON with parameters, or as a `+json` type, is JSON.
    for content_type in [
        "application/json; charset=utf-8",
        "Application/JSON",
        "application/vnd.yoti+json",
    ] {
        let (status, body) = send(
            &emulator,
            post.clone(),
            "/sessions",
            Some(content_type),
            Some("{}"),
        )
        .await;
        assert_eq!(status, 201, "{content_type}: {body}");
    }
    let (status, _) = send(
        &emulator,
        reqwest::Method::PUT,
        &app_config,
        Some("application/json"),
        Some("{}"),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn include_non_latin_must_be_a_boolean() {
    let (emulator, _) = start().await;
    let get = reqwest::Method::GET;
    for value in ["notabool", "1", "null", "", "yes"] {
        let path = format!("/supported-documents?includeNonLatin={value}");
        let (status, body) = send(&emulator, get.clone(), &path, None, None).await;
        assert_eq!(status, 400, "{value:?}: {body}");
        assert_eq!(body["errors"][0]["property"], "includeNonLatin", "{body}");
        assert_eq!(
            body["errors"][0]["message"],
            format!("\"{value}\" is not one of \"true\" or \"false\""),
        );
    }
    let count = |body: &Value| body["supported_countries"].as_array().map(Vec::len);
    let (status, all) = send(
        &emulator,
        get.clone(),
        "/supported-documents?includeNonLatin=TRUE",
        None,
        None,
    )
    .await;
    assert_eq!(status, 200);
    let (status, latin) = send(
        &emulator,
        get.clone(),
        "/supported-documents?includeNonLatin=false",
        None,
        None,
    )
    .await;
    assert_eq!(status, 200);
    let (_, default) = send(&emulator, get, "/supported-documents", None, None).await;
    assert!(count(&all) > count(&latin), "{all} {latin}");
    assert_eq!(default, latin);
}

#[tokio::test]
async fn ttls_and_deadlines_below_the_minimum_are_refused() {
    let (_emulator, client) = start().await;
    let refused = |payload: Value, property: &'static str| {
        let client = client.clone();
        async move {
            let payload: CreateSessionPayload = typed(payload.clone());
            let (status, error) = api_error(client.create_session().body(payload).send().await);
            assert_eq!(
                (status, code(&error)),
                (400, "PAYLOAD_VALIDATION"),
                "{error:?}"
            );
            assert_eq!(error.errors.len(), 1, "{error:?}");
            assert_eq!(error.errors[0].property.as_deref(), Some(property));
            error.errors[0].message.clone().unwrap_or_default()
        }
    };
    let message = refused(
        json!({"client_session_token_ttl": -5}),
        "client_session_token_ttl",
    )
    .await;
    assert_eq!(message, "-5 is less than the minimum of 300");
    refused(
        json!({"client_session_token_ttl": 299}),
        "client_session_token_ttl",
    )
    .await;
    let past = super::from_now(-60).to_rfc3339();
    let message = refused(json!({"session_deadline": past}), "session_deadline").await;
    assert!(message.contains("at least 300 seconds"), "{message}");
    let too_soon = super::from_now(200).to_rfc3339();
    refused(json!({"session_deadline": too_soon}), "session_deadline").await;

    // At the minimum, and above it, the session is created with that TTL.
    let payload = CreateSessionPayload::builder().client_session_token_ttl(300);
    let created = client.create_session().body(payload).send().await.unwrap();
    assert_eq!(created.client_session_token_ttl, Some(300));
    let payload = CreateSessionPayload::builder().session_deadline(super::from_now(900));
    let created = client.create_session().body(payload).send().await.unwrap();
    assert!((899..=900).contains(&created.client_session_token_ttl.unwrap()));
}

#[tokio::test]
async fn an_enum_error_lists_every_accepted_value() {
    let (_emulator, client) = start().await;
    let misspelled = RequestedCheck::new(CheckType::from("WATCHLIST_SCREENNG"));
    let payload = CreateSessionPayload::builder().requested_checks([misspelled]);
    let (status, error) = api_error(client.create_session().body(payload).send().await);
    assert_eq!(status, 400);
    let message = error.errors[0].message.clone().unwrap();
    assert!(!message.contains("other candidates"), "{message}");
    let spec: serde_yaml::Value =
        serde_yaml::from_str(include_str!("../../../spec/idv.yaml")).unwrap();
    let values = spec["components"]["schemas"]["CheckType"]["enum"]
        .as_sequence()
        .unwrap();
    assert!(values.len() > 3);
    for value in values {
        let value = value.as_str().unwrap();
        assert!(
            message.contains(&format!("\"{value}\"")),
            "{value} missing from {message}"
        );
    }
    assert!(
        message.starts_with("\"WATCHLIST_SCREENNG\" is not one of "),
        "{message}"
    );
}
