//! Yoti authentication tokens (issue 16 §2): a client built with a `TokenSource` obtains a
//! token from the emulator's token endpoint, reuses it, refreshes it, shares one refresh
//! between concurrent requests and retries a 401 once; the endpoint refuses bad assertions
//! with RFC 6749 errors; and the whole quickstart flow runs on tokens alone.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use idv_api::idv_signing::{SigningKey, client_assertion};
use idv_api::types::{CheckType, CreateSessionPayload, RequestedCheck, RequestedTask, TaskType};
use idv_api::types::{RequiredDocument, RequiredDocumentType};
use idv_api::{Client, MediaContentExt, TokenSource};
use idv_emulator::Emulator;
use serde_json::{Value, json};

use super::wrong_key;

const SCOPES: [&str; 2] = ["idv:sessions", "idv:sandbox"];
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

fn key(emulator: &Emulator) -> SigningKey {
    SigningKey::from_pem_file(emulator.key_path()).expect("the test key loads")
}

/// A token source for the emulator's application and token endpoint.
fn source(emulator: &Emulator) -> TokenSource {
    TokenSource::new(emulator.sdk_id(), key(emulator), SCOPES)
        .unwrap()
        .with_auth_url(emulator.auth_url())
        .unwrap()
}

/// A client that authenticates with tokens from `source` only: it has no signer.
fn client(emulator: &Emulator, source: TokenSource) -> Client {
    Client::with_token_source(&emulator.sandbox_url(), source).unwrap()
}

async fn started(lifetime: Duration) -> Emulator {
    Emulator::builder()
        .token_lifetime(lifetime)
        .start()
        .await
        .unwrap()
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

async fn supported_documents(client: &Client) {
    client.get_supported_documents().send().await.unwrap();
}

#[tokio::test]
async fn a_token_is_obtained_on_first_use_and_reused() {
    let emulator = Emulator::start().await.unwrap();
    let client = client(&emulator, source(&emulator));
    assert_eq!(
        emulator.stats().tokens_issued,
        0,
        "none before the first request"
    );
    supported_documents(&client).await;
    let created = client
        .create_session()
        .body(CreateSessionPayload::default())
        .send()
        .await
        .unwrap();
    client
        .get_session()
        .session_id(&created.session_id)
        .send()
        .await
        .unwrap();
    let stats = emulator.stats();
    assert_eq!((stats.tokens_issued, stats.authenticated), (1, 3));
    assert_eq!(stats.unauthorized, 0);
}

#[tokio::test]
async fn a_token_is_refreshed_before_it_expires() {
    let emulator = started(Duration::from_secs(2)).await;
    let source = source(&emulator);
    let client = client(&emulator, source.clone());
    supported_documents(&client).await;
    supported_documents(&client).await;
    assert_eq!(emulator.stats().tokens_issued, 1);
    // The client refreshes a tenth of the lifetime early: by now it must have a new token.
    tokio::time::sleep(Duration::from_secs(2)).await;
    supported_documents(&client).await;
    let stats = emulator.stats();
    assert_eq!(stats.tokens_issued, 2);
    assert_eq!(stats.unauthorized, 0, "refreshed before the API refused it");
    // A clone of the source shares the token.
    source.token().await.unwrap();
    assert_eq!(emulator.stats().tokens_issued, 2);
}

#[tokio::test]
async fn concurrent_requests_share_one_token_request() {
    let emulator = Emulator::start().await.unwrap();
    let client = client(&emulator, source(&emulator));
    let calls = (0..16).map(|_| client.get_supported_documents().send());
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(emulator.stats().tokens_issued, 1);

    // The token expires on the emulator's clock while the client still holds it: every one
    // of the next 16 requests gets 401, and they share one new token for their retries.
    emulator.advance(Duration::from_secs(3601));
    let calls = (0..16).map(|_| client.get_supported_documents().send());
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    let stats = emulator.stats();
    assert_eq!(stats.tokens_issued, 2);
    assert_eq!(stats.unauthorized, 16);
    assert_eq!(stats.authenticated, 32);
}

#[tokio::test]
async fn a_401_for_an_expired_token_is_retried_once_with_a_new_token() {
    let emulator = Emulator::start().await.unwrap();
    let client = client(&emulator, source(&emulator));
    supported_documents(&client).await;
    emulator.advance(Duration::from_secs(3600));
    let created = client
        .create_session()
        .body(CreateSessionPayload::default())
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201, "the body was sent again");
    let stats = emulator.stats();
    assert_eq!((stats.tokens_issued, stats.unauthorized), (2, 1));
    assert_eq!(stats.authenticated, 2);
}

#[tokio::test]
async fn an_issued_token_is_accepted_until_it_expires_on_the_emulators_clock() {
    let emulator = Emulator::start().await.unwrap();
    let (status, answer) = obtain(
        &emulator,
        &assertion(&emulator, &key(&emulator), now()),
        "s",
    )
    .await;
    assert_eq!(status, 200);
    let token = answer["access_token"].as_str().unwrap();
    let bearer = Client::with_bearer_token(&emulator.sandbox_url(), token).unwrap();
    bearer.get_supported_documents().send().await.unwrap();
    emulator.advance(Duration::from_secs(3599));
    bearer.get_supported_documents().send().await.unwrap();
    emulator.advance(Duration::from_secs(1));
    let (status, error) = super::api_error(bearer.get_supported_documents().send().await);
    assert_eq!((status, super::code(&error)), (401, "TOKEN_EXPIRED"));
    let unknown = Client::with_bearer_token(&emulator.sandbox_url(), "not-issued").unwrap();
    let (status, error) = super::api_error(unknown.get_supported_documents().send().await);
    assert_eq!((status, super::code(&error)), (401, "INVALID_TOKEN"));
}

/// The quickstart's flow (create, configure the sandbox, read, download media, delete), on
/// tokens alone, with a token that lives two seconds: it is refreshed along the way.
#[tokio::test]
async fn the_whole_quickstart_flow_runs_on_tokens_and_refreshes() {
    let emulator = started(Duration::from_secs(2)).await;
    let client = client(&emulator, source(&emulator));
    let payload = CreateSessionPayload {
        requested_checks: vec![RequestedCheck::new(CheckType::IdDocumentAuthenticity)],
        requested_tasks: vec![RequestedTask::new(TaskType::IdDocumentTextDataExtraction)],
        required_documents: vec![RequiredDocument::new(RequiredDocumentType::IdDocument)],
        ..Default::default()
    };
    let created = client.create_session().body(payload).send().await.unwrap();
    let id = created.session_id.clone();
    let config: idv_api::types::ResponseConfig = super::typed(json!({
        "task_results": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": [
            {"result": {"document_fields": {"full_name": "Jane Doe"}}}
        ]},
        "check_reports": {"async_report_delay": 0}
    }));
    client
        .put_session_response_config()
        .session_id(&id)
        .body(config)
        .send()
        .await
        .unwrap();
    client
        .get_application_response_config()
        .sdk_id(emulator.sdk_id())
        .send()
        .await
        .unwrap();
    assert_eq!(emulator.stats().tokens_issued, 1);

    tokio::time::sleep(Duration::from_secs(2)).await;
    let session = client.get_session().session_id(&id).send().await.unwrap();
    let authenticity = Some(CheckType::IdDocumentAuthenticity);
    assert!(session.checks.iter().any(|c| c.type_ == authenticity));
    let media_id =
        serde_json::to_value(&*session).unwrap()["resources"]["id_documents"][0]["document_fields"]
            ["media"]["id"]
            .as_str()
            .expect("the extracted fields' media")
            .to_owned();
    let media = client
        .get_media_content()
        .session_id(&id)
        .media_id(&media_id)
        .send()
        .await
        .unwrap();
    let fields = media.into_media().unwrap().bytes().await.unwrap();
    assert!(String::from_utf8_lossy(&fields).contains("Jane Doe"));
    let deleted = client
        .delete_session()
        .session_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status().as_u16(), 204);

    let stats = emulator.stats();
    assert_eq!(stats.tokens_issued, 2, "one refresh");
    assert_eq!((stats.authenticated, stats.unauthorized), (6, 0));
}

/// The error a client gets when no token can be obtained, and what the source's own
/// `token()` says.
async fn refused(emulator: &Emulator, source: TokenSource) -> idv_api::Error {
    let error = source.token().await.unwrap_err();
    let client = client(emulator, source);
    let call = client.get_supported_documents().send().await.unwrap_err();
    assert_eq!(
        call.token_error().map(|e| e.to_string()),
        Some(error.to_string())
    );
    call
}

#[tokio::test]
async fn a_bad_key_is_refused_as_invalid_client_naming_the_url_and_never_the_assertion() {
    let emulator = Emulator::start().await.unwrap();
    let source = TokenSource::new(emulator.sdk_id(), wrong_key(), SCOPES)
        .unwrap()
        .with_auth_url(emulator.auth_url())
        .unwrap();
    let error = refused(&emulator, source).await;
    assert!(matches!(error, idv_api::Error::NotSent(_)), "{error}");
    let token_error = error.token_error().unwrap();
    assert_eq!(token_error.oauth_error(), Some("invalid_client"));
    assert_eq!(token_error.status().map(|s| s.as_u16()), Some(401));
    let text = error.to_string();
    assert_eq!(
        text,
        format!(
            "the get_supported_documents request was not sent: the Yoti auth service at `{}` \
             refused the token request (401 Unauthorized): invalid_client: the client \
             assertion's signature does not verify with the application's public key: sign it \
             PS384 with the application's private key (check the SDK id, and that the key is \
             the application's PEM key from the Yoti Hub)",
            emulator.auth_url()
        )
    );
    // A JWT starts `eyJ` (base64url of `{"`); nothing like one is in the error.
    for shown in [text, format!("{error:?}"), format!("{token_error:?}")] {
        assert!(!shown.contains("eyJ"), "{shown}");
    }
    let stats = emulator.stats();
    assert_eq!((stats.tokens_issued, stats.authenticated), (0, 0));
}

#[tokio::test]
async fn a_wrong_sdk_id_is_refused_as_invalid_client() {
    let emulator = Emulator::start().await.unwrap();
    let source = TokenSource::new("not-this-app", key(&emulator), SCOPES)
        .unwrap()
        .with_auth_url(emulator.auth_url())
        .unwrap();
    let error = refused(&emulator, source).await;
    let token_error = error.token_error().unwrap();
    assert_eq!(token_error.oauth_error(), Some("invalid_client"));
    assert!(
        error.to_string().contains(
            "the client assertion's iss is `sdk:not-this-app`, which names no application"
        ),
        "{error}"
    );
}

#[tokio::test]
async fn a_url_that_is_no_token_endpoint_is_an_error_naming_it() {
    let emulator = Emulator::start().await.unwrap();
    let url = format!("http://{}/auth/v2/nothing", emulator.addr());
    let source = source(&emulator).with_auth_url(&url).unwrap();
    let error = refused(&emulator, source).await;
    assert_eq!(
        error.token_error().unwrap().to_string(),
        format!(
            "the Yoti auth service at `{url}` answered 404 Not Found without an OAuth error: \
             check the URL (YOTI_AUTH_URL)"
        )
    );
}

/// A client assertion for the emulator's application, signed with `key`, issued at `iat`.
fn assertion(emulator: &Emulator, key: &SigningKey, iat: u64) -> String {
    let jti = uuid_like();
    client_assertion(key, emulator.sdk_id(), emulator.auth_url(), iat, &jti).unwrap()
}

fn uuid_like() -> String {
    use idv_api::idv_signing::NonceSource as _;
    idv_api::idv_signing::UuidNonces.nonce()
}

/// POSTs a token request made by hand: the status and the JSON answer.
async fn post_form(emulator: &Emulator, fields: &[(&str, &str)]) -> (u16, Value) {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let response = reqwest::Client::new()
        .post(emulator.auth_url())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// A well-formed token request with this assertion and scope.
async fn obtain(emulator: &Emulator, assertion: &str, scope: &str) -> (u16, Value) {
    let fields = [
        ("grant_type", "client_credentials"),
        ("client_assertion_type", ASSERTION_TYPE),
        ("scope", scope),
        ("client_assertion", assertion),
    ];
    post_form(emulator, &fields).await
}

/// The `error` of an OAuth error answer, with its status.
fn oauth((status, answer): (u16, Value)) -> (u16, String) {
    let error = answer["error"].as_str().unwrap_or("?").to_owned();
    assert!(
        answer["error_description"]
            .as_str()
            .is_some_and(|d| !d.is_empty()),
        "{answer}"
    );
    (status, error)
}

#[tokio::test]
async fn the_token_endpoint_answers_as_yoti_documents() {
    let emulator = Emulator::builder()
        .token_lifetime(Duration::from_secs(120))
        .start()
        .await
        .unwrap();
    assert!(emulator.auth_url().ends_with("/v1/oauth/token"));
    let jwt = assertion(&emulator, &key(&emulator), now());
    let (status, answer) = obtain(&emulator, &jwt, "any:scope  another").await;
    assert_eq!(status, 200);
    assert_eq!(answer["token_type"], "Bearer");
    assert_eq!(answer["expires_in"], 120);
    assert_eq!(answer["scope"], "any:scope another", "echoed");
    let object = answer.as_object().unwrap();
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["access_token", "expires_in", "scope", "token_type"]);
    assert_eq!(emulator.stats().tokens_issued, 1);
}

#[tokio::test]
async fn bad_token_requests_get_rfc_6749_errors() {
    let emulator = Emulator::start().await.unwrap();
    let key = key(&emulator);
    let fresh = || assertion(&emulator, &key, now());

    // An assertion that expired (issued 10 minutes ago, valid for 5), made with the same
    // signing core as the client's.
    let expired = assertion(&emulator, &key, now() - 600);
    assert_eq!(
        oauth(obtain(&emulator, &expired, "s").await),
        (400, "invalid_grant".into())
    );
    // A jti used before.
    let once = fresh();
    assert_eq!(obtain(&emulator, &once, "s").await.0, 200);
    assert_eq!(
        oauth(obtain(&emulator, &once, "s").await),
        (400, "invalid_grant".into())
    );
    // Another audience.
    let elsewhere = client_assertion(
        &key,
        emulator.sdk_id(),
        "https://auth.api.yoti.com/v1/oauth/token",
        now(),
        &uuid_like(),
    )
    .unwrap();
    assert_eq!(
        oauth(obtain(&emulator, &elsewhere, "s").await),
        (400, "invalid_grant".into())
    );
    // No scope, or only spaces.
    for scope in ["", "  "] {
        assert_eq!(
            oauth(obtain(&emulator, &fresh(), scope).await),
            (400, "invalid_scope".into())
        );
    }
    // Signed by another key; naming another application; not a JWT; not PS384.
    for jwt in [
        assertion(&emulator, &wrong_key(), now()),
        client_assertion(&key, "other", emulator.auth_url(), now(), &uuid_like()).unwrap(),
        "not.a-jwt".to_owned(),
        fresh().replacen(
            "eyJhbGciOiJQUzM4NCIsInR5cCI6IkpXVCJ9",
            "eyJhbGciOiJSUzI1NiJ9",
            1,
        ),
    ] {
        assert_eq!(
            oauth(obtain(&emulator, &jwt, "s").await),
            (401, "invalid_client".into())
        );
    }
    // Another grant type, or assertion type.
    let jwt = fresh();
    let grant = [
        ("grant_type", "password"),
        ("client_assertion_type", ASSERTION_TYPE),
        ("scope", "s"),
        ("client_assertion", jwt.as_str()),
    ];
    assert_eq!(
        oauth(post_form(&emulator, &grant).await),
        (400, "unsupported_grant_type".into())
    );
    let mut other_type = grant;
    other_type[0].1 = "client_credentials";
    other_type[1].1 = "urn:ietf:params:oauth:client-assertion-type:saml2-bearer";
    assert_eq!(
        oauth(post_form(&emulator, &other_type).await),
        (401, "invalid_client".into())
    );
    let missing = [("grant_type", "client_credentials")];
    assert_eq!(
        oauth(post_form(&emulator, &missing).await),
        (400, "invalid_request".into())
    );
    // Only the one good request got a token.
    assert_eq!(emulator.stats().tokens_issued, 1);
}

#[tokio::test]
async fn the_banner_token_still_works_beside_issued_ones() {
    let emulator = Emulator::start().await.unwrap();
    let bearer = Client::with_bearer_token(&emulator.sandbox_url(), emulator.bearer_token());
    bearer
        .unwrap()
        .get_supported_documents()
        .send()
        .await
        .unwrap();
    // The banner's token never expires, whatever the clock says.
    emulator.advance(Duration::from_secs(86_400));
    let bearer = Client::with_bearer_token(&emulator.sandbox_url(), emulator.bearer_token());
    bearer
        .unwrap()
        .get_supported_documents()
        .send()
        .await
        .unwrap();
}
