//! Request bodies exactly as the official SDKs' builders make them (`data/sdk-requests/`), sent
//! byte for byte and signed as the SDKs sign them; the Go SDK's `sdkID` parameter; and what
//! only the Java SDK's builders send.

use std::time::{SystemTime, UNIX_EPOCH};

use idv_api::types::{CheckType, CreateSessionPayload, ResponseConfig};
use idv_emulator::Emulator;
use serde_json::{Value, json};

use super::data_model::{checks_of, session};
use super::{signed_as_an_sdk, start, typed};

/// The bodies the official SDKs' own builders produced (see `data/sdk-requests/`).
fn sdk_body(file: &str) -> Value {
    let path = format!(
        "{}/tests/data/sdk-requests/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Sends `body`'s exact bytes, signed as an official SDK signs it, with the SDK id in the
/// query parameter `sdk_param` (the Go SDK calls it `sdkID`).
async fn send_raw(
    emulator: &Emulator,
    method: &str,
    path: &str,
    body: Option<&[u8]>,
    sdk_param: &str,
) -> (u16, Value) {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let path_and_query = format!(
        "{path}?{sdk_param}={}&nonce={}&timestamp={millis}",
        emulator.sdk_id(),
        uuid::Uuid::new_v4()
    );
    let response = signed_as_an_sdk(emulator, method, &path_and_query, body)
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_official_sdks_builder_payloads_are_accepted_as_sent() {
    let (emulator, client) = start().await;
    let node = sdk_body("node-create-session.json");
    let python = sdk_body("python-create-session.json");
    let bodies = [
        ("node checks and documents", &node["checks_and_documents"]),
        ("node identity profile", &node["identity_profile"]),
        (
            "node advanced identity profile",
            &node["advanced_identity_profile"],
        ),
        ("python checks and documents", &python),
    ];
    for (name, body) in bodies {
        let bytes = serde_json::to_vec(body).unwrap();
        let (status, created) =
            send_raw(&emulator, "POST", "/sessions", Some(&bytes), "sdkId").await;
        assert_eq!(status, 201, "{name}: {created}");
        let id = created["session_id"].as_str().unwrap();
        let read = session(&client, id).await;
        assert!(read.extra.is_empty(), "{name}: {:?}", read.extra.keys());
    }

    // The Python sandbox client sends `null` for every option it was not given.
    let approve = sdk_body("python-sandbox-approve.json");
    assert!(approve.to_string().contains("null"));
    let path = format!("/apps/{}/response-config", emulator.sdk_id());
    let bytes = serde_json::to_vec(&approve).unwrap();
    let (status, error) = send_raw(&emulator, "PUT", &path, Some(&bytes), "sdkId").await;
    assert_eq!(status, 200, "{error}");
    let stored = client
        .get_application_response_config()
        .sdk_id(emulator.sdk_id())
        .send()
        .await
        .unwrap()
        .into_inner();
    let check_reports = stored.check_reports.unwrap();
    let recommendation = check_reports.id_document_authenticity[0]
        .result
        .as_ref()
        .and_then(|r| r.report.as_ref())
        .and_then(|r| r.recommendation.clone())
        .unwrap();
    assert_eq!(recommendation.reason, None, "a null is read as absent");
    assert_eq!(check_reports.async_report_delay, None);

    // A null where a value is required is still refused.
    let body = br#"{"requested_checks": [{"type": null}]}"#;
    let (status, error) = send_raw(&emulator, "POST", "/sessions", Some(body), "sdkId").await;
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["errors"][0]["property"], "requested_checks[0].type");
}

#[tokio::test]
async fn the_go_sdks_sdk_id_parameter_is_accepted() {
    let (emulator, _) = start().await;
    let (status, created) = send_raw(&emulator, "POST", "/sessions", Some(b"{}"), "sdkID").await;
    assert_eq!(status, 201, "{created}");
    let path = format!("/sessions/{}", created["session_id"].as_str().unwrap());
    let (status, _) = send_raw(&emulator, "GET", &path, None, "sdkID").await;
    assert_eq!(status, 200);
    let (status, error) = send_raw(&emulator, "GET", &path, None, "sdkid").await;
    assert_eq!(
        (status, error["code"].as_str()),
        (401, Some("MISSING_SDK_ID"))
    );
}

/// What the Java SDK's builders send that the Node and Python SDKs do not, built field by
/// field from its sources (`SessionSpec`, `IbvOptions`, `SdkConfig`, the sandbox's
/// `SandboxCheckReports` and `SandboxDocumentTextDataExtractionTask`).
#[tokio::test]
async fn the_java_sdks_extra_options_are_accepted() {
    let (emulator, client) = start().await;
    let payload = json!({
        "client_session_token_ttl": 900,
        "resources_ttl": 100000,
        "import_token": {"ttl": 3600},
        "create_identity_profile_preview": false,
        "ibv_options": {"support": "MANDATORY", "guidance_url": "https://example.com/ibv", "user_price": {"amount": "5.99", "currency": "GBP"}},
        "resources": {"applicant_profile": {"full_name": "Ada Lovelace", "date_of_birth": "1815-12-10"}},
        "ephemeral_media": true,
        "sdk_config": {"dark_mode": "AUTO", "primary_colour_dark_mode": "#ffffff", "allow_handoff": true},
        "notifications": {"endpoint": "https://example.com/hook", "topics": ["FIRST_BRANCH_VISIT", "SESSION_COMPLETION"], "auth_type": "BEARER"},
        "requested_checks": [
            {"type": "DOCUMENT_SCHEME_VALIDITY_CHECK", "config": {"manual_check": "IBV", "scheme": "UK_DBS"}},
            {"type": "IBV_VISUAL_REVIEW_CHECK", "config": {"manual_check": "IBV"}},
            {"type": "PROFILE_DOCUMENT_MATCH", "config": {}}
        ]
    });
    let bytes = serde_json::to_vec(&payload).unwrap();
    let (status, created) = send_raw(&emulator, "POST", "/sessions", Some(&bytes), "sdkId").await;
    assert_eq!(status, 201, "{created}");
    let typed_payload: CreateSessionPayload = typed(payload);
    assert_eq!(
        typed_payload
            .ibv_options
            .unwrap()
            .user_price
            .unwrap()
            .amount,
        "5.99"
    );
    let id = created["session_id"].as_str().unwrap();
    let read = session(&client, id).await;
    let validity = checks_of(&read, CheckType::DocumentSchemeValidityCheck)[0];
    assert_eq!(validity.scheme.as_deref(), Some("UK_DBS"));
    for kind in [
        CheckType::IbvVisualReviewCheck,
        CheckType::ProfileDocumentMatch,
    ] {
        let checks = checks_of(&read, kind.clone());
        assert_eq!(checks.len(), 1, "{kind:?}");
        let value = checks[0]
            .report
            .as_ref()
            .and_then(|r| r.recommendation.as_ref());
        assert_eq!(
            value.and_then(|r| r.value.as_ref()).map(|v| v.as_str()),
            Some("APPROVE")
        );
    }

    let delayed = |result: Value| json!({"result": result, "response_delay": 2, "result_template": "ALWAYS_APPROVE"});
    let approve = json!({"report": {"recommendation": {"value": "APPROVE"}}, "report_template": "APPROVE_ALL"});
    let config = json!({
        "task_results": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": [delayed(json!({
            "document_fields": {"full_name": "Ada Lovelace"},
            "detected_country": "GBR",
            "detected_document_type": "PASSPORT",
            "document_id_photo": {"content_type": "image/png", "data": "iVBORw0KGgo="}
        }))]},
        "check_reports": {
            "LIVENESS": [{"liveness_type": "STATIC", "response_delay": 3, "result": approve}],
            "FACE_COMPARISON": {"result": approve},
            "SYNECTICS_IDENTITY_FRAUD": [{"result": approve}],
            "THIRD_PARTY_IDENTITY_FRAUD_1": {"result": approve},
            "WATCHLIST_SCREENING": {"result": approve},
            "WATCHLIST_ADVANCED_CA": [
                {"sources_filter": {"type": "TYPE_LIST", "types": ["pep"]}, "result": approve},
                {"sources_filter": {"type": "PROFILE", "search_profile": "p"}, "result": approve}
            ],
            "async_report_delay": 0
        }
    });
    let bytes = serde_json::to_vec(&config).unwrap();
    let path = format!("/sessions/{id}/response-config");
    let (status, error) = send_raw(&emulator, "PUT", &path, Some(&bytes), "sdkId").await;
    assert_eq!(status, 200, "{error}");
    let typed_config: ResponseConfig = typed(config);
    let reports = typed_config.check_reports.unwrap();
    assert_eq!(reports.watchlist_advanced_ca.len(), 2);
    assert!(reports.extra.is_empty());
}
