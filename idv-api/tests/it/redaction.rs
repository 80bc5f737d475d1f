//! Personal data and secrets never show in `Debug` (`{:?}` and `{:#?}`), while ids, states and
//! check types still do; and the redaction changes nothing on the wire.
//!
//! Every value below is parsed from JSON holding each kind of personal data and secret the
//! spec marks `x-sensitive`. Each test lists its needles explicitly: the secrets that must not
//! appear and the plain values that must, so that no test passes by printing nothing.

use idv_api::face_capture::FaceCaptureImage;
use idv_api::notifications::{self, NotificationAuth};
use idv_api::types::{
    self, CreateSessionPayload, CreateSessionResponse, GetSessionResult, IbvInstructions,
    ResponseConfig, TrackedDevices,
};
use idv_api::{BearerToken, BearerTokenError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Asserts that neither `{:?}` nor `{:#?}` of `value` shows any of `hidden`, and both show
/// every one of `shown`.
fn assert_redacted(what: &str, value: &impl std::fmt::Debug, hidden: &[&str], shown: &[&str]) {
    assert!(
        !hidden.is_empty() && !shown.is_empty(),
        "{what}: no needles"
    );
    for text in [format!("{value:?}"), format!("{value:#?}")] {
        for needle in hidden {
            assert!(
                !text.contains(needle),
                "{what}: `{needle}` appears in Debug:\n{text}"
            );
        }
        for needle in shown {
            assert!(
                text.contains(needle),
                "{what}: `{needle}` is missing from Debug:\n{text}"
            );
        }
    }
}

/// Parses `json` as `T`, and checks that serializing it gives the same JSON back: the
/// redaction is `Debug`'s alone.
fn parse<T: DeserializeOwned + Serialize>(json: Value) -> T {
    let value: T = serde_json::from_value(json.clone()).expect("the fixture parses");
    assert_eq!(
        serde_json::to_value(&value).unwrap(),
        json,
        "the wire form changed"
    );
    value
}

/// The applicant's personal data, as an applicant profile or extracted document fields hold it.
fn person() -> Value {
    json!({
        "full_name": "Jane Quinta Doe",
        "given_names": "Jane Quinta",
        "family_name": "Doe",
        "date_of_birth": "1985-02-03",
        "document_number": "AB1234567",
        "structured_postal_address": {
            "building_number": "10",
            "address_line1": "10 Downing Street",
            "postal_code": "SW1A 2AA"
        }
    })
}

/// The needles of [`person`].
const PERSON: [&str; 7] = [
    "Jane",
    "Quinta",
    "Doe",
    "1985-02-03",
    "AB1234567",
    "Downing",
    "SW1A 2AA",
];

#[test]
fn a_session_result_hides_tokens_and_api_keys_and_shows_ids_states_and_check_types() {
    let session: GetSessionResult = parse(json!({
        "session_id": "sess-0001",
        "state": "COMPLETED",
        "client_session_token": "cst-secret-7f3a",
        "client_session_token_ttl": 599,
        "user_tracking_id": "track-0001",
        "resources": {
            "id_documents": [{
                "id": "doc-0001",
                "document_type": "PASSPORT",
                "issuing_country": "GBR",
                "document_fields": {"media": {"id": "media-fields-0001", "type": "JSON"}}
            }]
        },
        "checks": [{
            "id": "check-0001",
            "type": "WATCHLIST_ADVANCED_CA",
            "state": "DONE",
            "report": {
                "recommendation": {"value": "CONSIDER"},
                "watchlist_summary": {
                    "total_hits": 2,
                    "search_config": {
                        "type": "WITH_CUSTOM_ACCOUNT",
                        "api_key": "ca-api-key-9c1d",
                        "monitoring": true,
                        "client_ref": "ref-0001",
                        // A field the spec does not know yet, beside a secret: its name shows,
                        // its value does not.
                        "account_password": "ca-password-55e2"
                    }
                }
            }
        }]
    }));
    assert_redacted(
        "GetSessionResult",
        &session,
        &["cst-secret-7f3a", "ca-api-key-9c1d", "ca-password-55e2"],
        &[
            "sess-0001",
            "Completed",
            "doc-0001",
            "PASSPORT",
            "media-fields-0001",
            "check-0001",
            "WatchlistAdvancedCa",
            "Consider",
            "ref-0001",
            "account_password",
            "*** Sensitive Data Redacted ***",
        ],
    );
}

#[test]
fn a_created_session_hides_its_client_session_token() {
    let created: CreateSessionResponse = parse(json!({
        "session_id": "sess-0002",
        "client_session_token": "cst-secret-0b9e",
        "client_session_token_ttl": 600
    }));
    assert_redacted(
        "CreateSessionResponse",
        &created,
        &["cst-secret-0b9e"],
        &["sess-0002", "600"],
    );
}

/// A session request with an applicant profile, a notification auth token and a custom
/// ComplyAdvantage account.
fn create_session_payload() -> CreateSessionPayload {
    parse(json!({
        "user_tracking_id": "track-0003",
        "notifications": {
            "endpoint": "https://example.com/yoti",
            "topics": ["SESSION_COMPLETION"],
            "auth_token": "notify-secret-4d2c",
            "auth_type": "BEARER"
        },
        "requested_checks": [{
            "type": "WATCHLIST_ADVANCED_CA",
            "config": {"type": "WITH_CUSTOM_ACCOUNT", "api_key": "ca-api-key-77aa", "client_ref": "ref-0003"}
        }],
        "resources": {"applicant_profile": person()}
    }))
}

#[test]
fn a_session_request_hides_the_applicant_profile_and_every_secret() {
    let payload = create_session_payload();
    let mut hidden = PERSON.to_vec();
    hidden.extend(["notify-secret-4d2c", "ca-api-key-77aa"]);
    let shown = [
        "track-0003",
        "https://example.com/yoti",
        "SessionCompletion",
        "Bearer",
        "WatchlistAdvancedCa",
        "ref-0003",
    ];
    assert_redacted("CreateSessionPayload", &payload, &hidden, &shown);
    // The same values in a builder, and in the operation's builder that holds it.
    let builder = types::builder::CreateSessionPayload::from(payload.clone());
    assert_redacted(
        "builder::CreateSessionPayload",
        &builder,
        &hidden,
        &["track-0003"],
    );
    let client = crate::common::builder("sdk-0001", "http://127.0.0.1:9/idverify/v1")
        .build()
        .unwrap();
    let request = client.create_session().body(payload);
    assert_redacted("builder::CreateSession", &request, &hidden, &["track-0003"]);
}

#[test]
fn the_ibv_contact_profile_and_branch_are_hidden() {
    let instructions: IbvInstructions = parse(json!({
        "contact_profile": {
            "first_name": "Jane",
            "last_name": "Doe",
            "email": "jane.doe@example.com",
            // A field the spec does not know yet: its name shows, its value does not.
            "phone_number": "+447700900123"
        },
        "documents": [{
            "requirement_id": "req-0001",
            "document": {"type": "ID_DOCUMENT", "country_code": "GBR", "document_type": "PASSPORT"}
        }],
        "branch": {
            "type": "UK_POST_OFFICE",
            "fad_code": "1234567",
            "name": "Westminster",
            "address": "10 Downing Street",
            "post_code": "SW1A 2AA",
            "location": {"latitude": 51.5034, "longitude": -0.1276}
        }
    }));
    assert_redacted(
        "IbvInstructions",
        &instructions,
        &[
            "Jane",
            "Doe",
            "jane.doe@example.com",
            "+447700900123",
            "Downing",
            "SW1A 2AA",
            "51.5034",
            "-0.1276",
        ],
        &[
            "req-0001",
            "PASSPORT",
            "GBR",
            "phone_number",
            "1234567",
            "Westminster",
        ],
    );
}

#[test]
fn a_tracked_device_hides_its_ip_address() {
    let devices: TrackedDevices = parse(json!([{
        "event": "CONFIG_FIRST_LOADED",
        "resource_id": "res-0001",
        "created": "2026-12-04T10:00:00Z",
        "device": {
            "ip_address": "203.0.113.7",
            "ip_iso_country_code": "GBR",
            "browser_name": "Firefox",
            "os_name": "Linux"
        }
    }]));
    assert_redacted(
        "TrackedDevices",
        &devices,
        &["203.0.113.7"],
        &["CONFIG_FIRST_LOADED", "res-0001", "GBR", "Firefox", "Linux"],
    );
}

#[test]
fn the_sandbox_s_document_fields_and_id_photo_are_hidden() {
    let config: ResponseConfig = parse(json!({
        "task_results": {
            "ID_DOCUMENT_TEXT_DATA_EXTRACTION": [{
                "document_filter": {"document_types": ["PASSPORT"], "country_codes": ["GBR"]},
                "result": {
                    "document_fields": person(),
                    "detected_country": "GBR",
                    "document_id_photo": {"content_type": "image/jpeg", "data": "RkFDRS1JTUFHRS1CWVRFUw=="}
                }
            }]
        },
        "check_reports": {
            "ID_DOCUMENT_TEXT_DATA_CHECK": [{
                "result": {
                    "report": {"recommendation": {"value": "APPROVE"}},
                    "document_fields": person()
                }
            }],
            "async_report_delay": 5
        }
    }));
    let mut hidden = PERSON.to_vec();
    hidden.push("RkFDRS1JTUFHRS1CWVRFUw==");
    assert_redacted(
        "ResponseConfig",
        &config,
        &hidden,
        &["PASSPORT", "GBR", "image/jpeg", "Approve"],
    );
}

#[test]
fn hand_written_types_hide_tokens_keys_faces_and_bodies() {
    let face = FaceCaptureImage::new("image/jpeg", b"FACE-IMAGE-BYTES-3e1f").unwrap();
    assert_redacted(
        "FaceCaptureImage",
        &face,
        &["FACE-IMAGE-BYTES-3e1f"],
        &["multipart/form-data", "body_len"],
    );
    let auth = NotificationAuth::bearer("notify-secret-91ab");
    assert_redacted(
        "NotificationAuth",
        &auth,
        &["notify-secret-91ab"],
        &["Bearer"],
    );
    let token = BearerToken::new("bearer-secret-2f6d").unwrap();
    assert_redacted(
        "BearerToken",
        &token,
        &["bearer-secret-2f6d"],
        &["BearerToken"],
    );
    // A token source holds the application's key: its Debug shows the settings only.
    let pem = crate::common::KEY;
    let key = idv_api::idv_signing::SigningKey::from_pem(pem).unwrap();
    let source = idv_api::TokenSource::new("sdk-0005", key, ["scope:0005"]).unwrap();
    let key_line = pem.lines().nth(1).unwrap();
    assert_redacted(
        "TokenSource",
        &source,
        &[key_line, "PRIVATE"],
        &["sdk-0005", "scope:0005", "auth_url"],
    );
    let error: BearerTokenError = BearerToken::new("bearer secret").unwrap_err();
    assert_redacted(
        "BearerTokenError",
        &error,
        &["secret"],
        &["InvalidCharacter"],
    );
    // A body that is not a notification: serde_json's own Debug would quote "Jane Doe".
    let error = notifications::parse(br#"{"session_id": 7, "topic": "Jane Doe"}"#).unwrap_err();
    assert_redacted(
        "NotificationError",
        &error,
        &["Jane", "Doe"],
        &["NotificationError", "line 1"],
    );
    // A notification itself is ids and a topic.
    let notification = notifications::parse(
        br#"{"session_id": "sess-0004", "topic": "CHECK_COMPLETION", "check_id": "check-0004"}"#,
    )
    .unwrap();
    assert_redacted(
        "SessionNotification",
        &notification,
        &["*** Sensitive"],
        &["sess-0004", "check-0004"],
    );
}

/// The secrets in a conformance response file replaced by distinct needles (the files reuse one
/// placeholder uuid for ids and tokens alike), so the needles can only come from those fields.
fn with_needles(value: &mut Value, needles: &mut Vec<String>) {
    const SECRETS: [&str; 3] = ["client_session_token", "api_key", "auth_token"];
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if SECRETS.contains(&key.as_str()) && child.is_string() {
                    let needle = format!("secret-{key}-{}", needles.len());
                    *child = Value::String(needle.clone());
                    needles.push(needle);
                } else {
                    with_needles(child, needles);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| with_needles(v, needles)),
        _ => {}
    }
}

/// The official SDKs' richest response fixtures (read from `../shared/conformance/responses/`;
/// never committed here).
#[test]
fn the_official_sdks_response_fixtures_hide_their_tokens() {
    let Some(dir) = idv_tests::conformance_dir("redaction") else {
        return;
    };
    let files = [
        "01_python_get_session_full.json",
        "02_php_get_session_full.json",
        "05_go_get_session_identity_profile.json",
        "06_go_get_session_advanced_identity_profile.json",
        "09_php_get_session_identity_profile.json",
        "14_python_create_session_response.json",
    ];
    let mut total = 0;
    for file in files {
        let text = std::fs::read_to_string(dir.join("responses").join(file)).unwrap();
        let mut json: Value = serde_json::from_str(&text).unwrap();
        let mut needles = Vec::new();
        with_needles(&mut json, &mut needles);
        total += needles.len();
        let hidden: Vec<&str> = needles.iter().map(String::as_str).collect();
        let session_id = json["session_id"]
            .as_str()
            .expect("a session id")
            .to_string();
        let shown = [session_id.as_str()];
        if file.contains("create_session") {
            let value: CreateSessionResponse = serde_json::from_value(json).unwrap();
            assert_redacted(file, &value, &hidden, &shown);
        } else {
            let value: GetSessionResult = serde_json::from_value(json).unwrap();
            assert_redacted(file, &value, &hidden, &shown);
            let state = format!("{:?}", value.state.as_ref().expect("a state"));
            assert!(format!("{value:?}").contains(&state), "{file}: no state");
        }
    }
    // Each of the six files has a client session token.
    assert!(
        total >= files.len(),
        "{total} needles in {} files",
        files.len()
    );
}
