//! The end user's journey without a browser: the page and its form over plain HTTP, and the
//! control plane finishing a session as the user would (`Builder::user_flow(true)`).

use idv_api::Client;
use idv_api::types::{CreateSessionPayload, ResponseConfig, SessionState};
use idv_emulator::Emulator;
use idv_emulator::control::JourneyError;
use reqwest::StatusCode;
use serde_json::json;

use super::{client, typed};

/// An emulator whose sessions wait for their user, and a signed sandbox client.
async fn start_waiting() -> (Emulator, Client) {
    let emulator = Emulator::builder().user_flow(true).start().await.unwrap();
    let client = client(&emulator, &emulator.sandbox_url());
    (emulator, client)
}

/// A plain HTTP client that does not follow redirects, as a test browser.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn payload(extra: serde_json::Value) -> CreateSessionPayload {
    let mut body = json!({
        "requested_checks": [{"type": "ID_DOCUMENT_AUTHENTICITY"}, {"type": "LIVENESS"}],
        "required_documents": [{"type": "ID_DOCUMENT", "filter": {
            "type": "ORTHOGONAL_RESTRICTIONS",
            "country_restriction": {"inclusion": "INCLUDE", "country_codes": ["GBR", "FRA"]},
            "type_restriction": {"inclusion": "INCLUDE", "document_types": ["PASSPORT", "NATIONAL_ID"]}
        }}],
    });
    if let (Some(b), serde_json::Value::Object(e)) = (body.as_object_mut(), extra) {
        b.extend(e);
    }
    typed(body)
}

/// Creates a session and returns its id and the page's URL under `base`.
async fn create(client: &Client, base: &str, payload: CreateSessionPayload) -> (String, String) {
    let created = client.create_session().body(payload).send().await.unwrap();
    let (id, token) = (&created.session_id, &created.client_session_token);
    let page = format!("{base}/web/index.html?sessionID={id}&sessionToken={token}");
    (id.clone(), page)
}

/// A form body (the values need no escaping).
fn form(fields: &[(&str, &str)]) -> String {
    let pairs: Vec<String> = fields.iter().map(|(n, v)| format!("{n}={v}")).collect();
    pairs.join("&")
}

fn journey_url(page: &str) -> String {
    page.replace("/web/index.html?", "/web/journey?")
}

#[tokio::test]
async fn a_waiting_session_is_ongoing_with_nothing_captured_until_the_user_completes_it() {
    let (emulator, client) = start_waiting().await;
    let success = "https://127.0.0.1:9/done?step=2";
    let (id, page) = create(
        &client,
        &emulator.base_url(),
        payload(json!({"sdk_config": {"success_url": success, "primary_colour": "#2d9fff"}})),
    )
    .await;
    let session = client.get_session().session_id(&id).send().await.unwrap();
    assert_eq!(session.state, Some(SessionState::Ongoing));
    assert!(session.resources.as_ref().unwrap().id_documents.is_empty());
    assert!(session.checks.iter().all(|c| c.report.is_none()));

    let http = browser();
    let shown = http.get(&page).send().await.unwrap();
    assert_eq!(shown.status(), StatusCode::OK);
    assert!(shown.headers().get("x-frame-options").is_none());
    let html = shown.text().await.unwrap();
    for expected in [
        "<html lang=\"en\">",
        "ID_DOCUMENT_AUTHENTICITY",
        "#2d9fff",
        "<label for=\"country_0\">",
        ">FRA</option>",
    ] {
        assert!(html.contains(expected), "the page has {expected}: {html}");
    }
    // A choice the filter does not allow is refused, and nothing changes.
    let refused = http
        .post(journey_url(&page))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[
            ("outcome", "complete"),
            ("country_0", "USA"),
            ("type_0", "PASSPORT"),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(refused.text().await.unwrap().contains("USA"));

    let done = http
        .post(journey_url(&page))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[
            ("outcome", "complete"),
            ("country_0", "FRA"),
            ("type_0", "NATIONAL_ID"),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(done.headers()["location"], success);
    let session = client.get_session().session_id(&id).send().await.unwrap();
    assert_eq!(session.state, Some(SessionState::Completed));
    let document = &session.resources.as_ref().unwrap().id_documents[0];
    assert_eq!(document.issuing_country.as_deref(), Some("FRA"));
    assert_eq!(document.document_type.as_deref(), Some("NATIONAL_ID"));
    assert!(session.checks.iter().all(|c| c.report.is_some()));

    // Finished: the page says so, and the journey cannot be finished again.
    assert_eq!(
        http.get(&page).send().await.unwrap().status(),
        StatusCode::CONFLICT
    );
    assert_eq!(emulator.complete_session(&id), Err(JourneyError::Finished));
}

#[tokio::test]
async fn the_page_refuses_unknown_sessions_wrong_and_expired_tokens() {
    let (emulator, client) = start_waiting().await;
    let http = browser();
    let (id, page) = create(&client, &emulator.sandbox_url(), payload(json!({}))).await;
    let status = |url: String| {
        let http = http.clone();
        async move { http.get(url).send().await.unwrap().status() }
    };
    assert_eq!(
        status(page.replace(&id, "no-such-session")).await,
        StatusCode::NOT_FOUND
    );
    let token = page.rsplit('=').next().unwrap().to_owned();
    assert_eq!(
        status(page.replace(&token, "not-the-token")).await,
        StatusCode::FORBIDDEN
    );
    let no_token = page.split("&sessionToken").next().unwrap().to_owned();
    assert_eq!(status(no_token).await, StatusCode::BAD_REQUEST);
    let html = http.get(&page).send().await.unwrap();
    assert_eq!(html.headers()["content-type"], "text/html; charset=utf-8");
    emulator.advance(std::time::Duration::from_secs(601));
    assert_eq!(status(page.clone()).await, StatusCode::GONE);
    // Nothing changed.
    let session = client.get_session().session_id(&id).send().await.unwrap();
    assert_eq!(session.state, Some(SessionState::Ongoing));
}

#[tokio::test]
async fn cancel_and_fail_send_the_browser_to_error_url_with_a_yoti_error_code() {
    let (emulator, client) = start_waiting().await;
    let http = browser();
    let config = json!({"sdk_config": {"success_url": "https://127.0.0.1:9/ok", "error_url": "https://127.0.0.1:9/error"}});
    let (id, page) = create(&client, &emulator.sandbox_url(), payload(config.clone())).await;
    let cancelled = http
        .post(journey_url(&page))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[("outcome", "cancel")]))
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        cancelled.headers()["location"],
        "https://127.0.0.1:9/error?yotiErrorCode=1000"
    );
    let session = client.get_session().session_id(&id).send().await.unwrap();
    assert_eq!(session.state, Some(SessionState::Ongoing));

    let (id, page) = create(&client, &emulator.sandbox_url(), payload(config)).await;
    let failed = http
        .post(journey_url(&page))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[("outcome", "fail"), ("yotiErrorCode", "4000")]))
        .send()
        .await
        .unwrap();
    assert_eq!(
        failed.headers()["location"],
        "https://127.0.0.1:9/error?yotiErrorCode=4000"
    );
    assert_eq!(emulator.cancel_session(&id), Err(JourneyError::Finished));

    // Without success_url, a page says the outcome.
    let (_, page) = create(&client, &emulator.sandbox_url(), payload(json!({}))).await;
    let done = http
        .post(journey_url(&page))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[("outcome", "complete")]))
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::OK);
    assert!(
        done.text()
            .await
            .unwrap()
            .contains("You completed the journey")
    );
}

#[tokio::test]
async fn the_control_plane_completes_a_session_as_the_user_would() {
    let (emulator, client) = start_waiting().await;
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
    let (id, _) = create(&client, &emulator.sandbox_url(), payload(json!({}))).await;
    let url = format!("{}/sessions/{id}/complete", emulator.control_url());
    let answer = reqwest::Client::new().post(&url).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(
        answer.json::<serde_json::Value>().await.unwrap(),
        json!({"redirect": null})
    );
    let session = client.get_session().session_id(&id).send().await.unwrap();
    assert_eq!(session.state, Some(SessionState::Completed));
    let report = session.checks[0].report.as_ref().unwrap();
    let value = report.recommendation.as_ref().and_then(|r| r.value.clone());
    assert_eq!(serde_json::to_value(value).unwrap(), json!("REJECT"));
    let again = reqwest::Client::new().post(&url).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let unknown = emulator.fail_session("nope", 3000);
    assert_eq!(unknown, Err(JourneyError::SessionNotFound("nope".into())));
}

#[tokio::test]
async fn without_user_flow_sessions_complete_at_once_and_the_page_says_so() {
    let (emulator, client) = super::start().await;
    let (id, page) = create(&client, &emulator.sandbox_url(), payload(json!({}))).await;
    let session = client.get_session().session_id(&id).send().await.unwrap();
    assert_eq!(session.state, Some(SessionState::Completed));
    let shown = browser().get(&page).send().await.unwrap();
    assert_eq!(shown.status(), StatusCode::CONFLICT);
    assert!(shown.text().await.unwrap().contains("--user-flow"));
}
