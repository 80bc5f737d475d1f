//! End-to-end tests: the generated `idv-api` client, with the signing middleware, over real
//! HTTP to the emulator on 127.0.0.1.

mod auth;
mod browser;
mod capture;
mod control;
mod data_model;
mod devices;
mod digital_ids;
mod faults;
mod fidelity;
mod forward_compat;
mod instructions;
mod journey;
mod late_2026;
mod load;
mod notifications;
mod operations;
mod refusals;
mod sandbox;
mod sandbox_config;
mod self_check;
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
