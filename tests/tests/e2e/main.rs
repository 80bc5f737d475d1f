//! idv-tests' one test binary. End-to-end tests: the generated `idv-api` client, with the
//! signing middleware, over real HTTP to the emulator on 127.0.0.1; and the conformance tests
//! against the official SDKs' data (`conformance_responses`, `signing_conformance`).

mod auth;
mod browser;
mod capture;
mod conformance_responses;
mod control;
mod data_model;
mod devices;
mod digital_ids;
mod error_statuses;
mod faults;
mod fidelity;
mod forward_compat;
mod identity_profiles;
mod instructions;
mod journey;
mod late_2026;
mod load;
mod media_streaming;
mod notifications;
mod operations;
mod refusals;
mod sandbox;
mod sandbox_config;
mod sandbox_selection;
mod sdk_requests;
mod self_check;
mod signing_conformance;
mod tokens;

use idv_api::idv_signing::{Signer, SigningKey};
use idv_api::types::{ApiError, CreateSessionPayload};
use idv_api::{Client, ResponseValue};
use idv_emulator::Emulator;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// An emulator, and a signed client for its sandbox base URL.
async fn start() -> (Emulator, Client) {
    let emulator = Emulator::start().await.expect("the emulator starts");
    let client = client(&emulator, &emulator.sandbox_url());
    (emulator, client)
}

/// A signed client for `base_url`, with the emulator's SDK id and key.
fn client(emulator: &Emulator, base_url: &str) -> Client {
    Client::builder(signer(emulator, base_url)).build().unwrap()
}

fn signer(emulator: &Emulator, base_url: &str) -> Signer {
    let key = SigningKey::from_pem_file(emulator.key_path()).expect("the test key loads");
    Signer::new(emulator.sdk_id(), key, base_url).unwrap()
}

/// A valid 2048-bit key that is not the emulator's: what it signs is refused with 401.
fn wrong_key() -> SigningKey {
    SigningKey::from_pem(include_str!("../data/other-rsa2048.pem")).unwrap()
}

/// A signer for the emulator's sandbox base URL and SDK id, with the wrong key.
fn wrong_signer(emulator: &Emulator) -> Signer {
    Signer::new(emulator.sdk_id(), wrong_key(), &emulator.sandbox_url()).unwrap()
}

/// A client for the emulator's sandbox that signs with the wrong key.
fn wrongly_signed(emulator: &Emulator) -> Client {
    Client::builder(wrong_signer(emulator)).build().unwrap()
}

/// Sends a request the generated client would not (a body it would never make, a header it
/// would not set), signed for the sandbox base URL; returns the status and the JSON body
/// (`null` when the body is not JSON).
async fn send_signed(
    emulator: &Emulator,
    method: reqwest::Method,
    path: &str,
    content_type: Option<&str>,
    body: Option<&str>,
) -> (u16, Value) {
    let http = reqwest::Client::new();
    let mut request = http.request(method, format!("{}{path}", emulator.sandbox_url()));
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    if let Some(body) = body {
        request = request.body(body.to_owned());
    }
    let mut request = request.build().unwrap();
    signer(emulator, &emulator.sandbox_url())
        .sign_request(&mut request)
        .unwrap();
    let response = http.execute(request).await.unwrap();
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, body)
}

/// A request to the sandbox base URL signed by hand, as an official SDK signs it: the caller
/// writes the whole `path_and_query` (its `sdkId`, `nonce` and `timestamp` included), and the
/// request carries the digest of it and of `body` (sent as JSON) with the emulator's key.
fn signed_as_an_sdk(
    emulator: &Emulator,
    method: &str,
    path_and_query: &str,
    body: Option<&[u8]>,
) -> reqwest::RequestBuilder {
    let key = SigningKey::from_pem_file(emulator.key_path()).expect("the test key loads");
    let message = idv_api::idv_signing::signed_message(method, path_and_query, body);
    let digest = key.sign(message.as_bytes()).unwrap();
    let url = format!("{}{path_and_query}", emulator.sandbox_url());
    let request = reqwest::Client::new()
        .request(method.parse().unwrap(), url)
        .header(idv_api::idv_signing::AUTH_DIGEST_HEADER, digest);
    match body {
        Some(body) => request
            .header("Content-Type", "application/json")
            .body(body.to_vec()),
        None => request,
    }
}

/// Serves `router` on 127.0.0.1 at a free port, for as long as the test's runtime runs: the
/// servers a test plays itself (a notification endpoint, a business's page).
async fn serve(router: axum::Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    addr
}

/// A generated type from JSON, to keep request bodies readable.
fn typed<T: DeserializeOwned>(json: Value) -> T {
    serde_json::from_value(json).expect("the JSON fits the generated type")
}

/// The `ApiError` of a documented error response, with its status.
#[track_caller]
fn api_error<T>(result: Result<T, idv_api::Error<ApiError>>) -> (u16, ApiError) {
    match result {
        Err(idv_api::Error::ErrorResponse(response)) => {
            let status = response.status().as_u16();
            (status, ResponseValue::into_inner(response))
        }
        Err(other) => panic!("expected a documented error response, got {other:?}"),
        Ok(_) => panic!("expected a documented error response, got a success"),
    }
}

/// The time `seconds` from now.
fn from_now(seconds: i64) -> chrono::DateTime<chrono::Utc> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    chrono::DateTime::from_timestamp(now.as_secs() as i64 + seconds, 0).unwrap()
}

/// Creates a session from a payload or its builder and returns its id.
async fn create<P>(client: &Client, payload: P) -> String
where
    P: TryInto<CreateSessionPayload>,
    P::Error: std::fmt::Display,
{
    let created = client.create_session().body(payload).send().await.unwrap();
    created.into_inner().session_id
}

/// The code of an `ApiError`.
fn code(error: &ApiError) -> &str {
    error.code.as_deref().unwrap_or_default()
}
