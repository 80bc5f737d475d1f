//! Injected faults: an error status, a delay or a dropped connection for the next requests
//! to an operation (or to all), applied after routing and before authentication.
//!
//! The faults are tried in the order they were injected; the first that matches the
//! operation, has uses left and wins its draw (with a [`Fault::probability`]) applies, and
//! only that one. A fault with `times` is removed once used up; one without applies until
//! removed. Draws come from a small seeded generator ([`crate::Builder::seed`]), so the same
//! seed and the same requests give the same faults.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::Operations;
use crate::error::ApiError;
use crate::server::Unchecked;

/// The statuses a fault may answer.
const STATUSES: [u16; 4] = [429, 500, 502, 503];
/// The longest delay a fault may add.
const MAX_DELAY: Duration = Duration::from_secs(600);

/// A fault to inject with [`crate::Emulator::inject`]: what it does ([`Fault::status`],
/// [`Fault::delay`] or [`Fault::drop_connection`]), to which operation, how often.
///
/// ```
/// use idv_emulator::control::Fault;
///
/// // The next getSession answers 503, once.
/// let fault = Fault::status(503).operation("getSession").times(1);
/// // Every other request, whatever the operation, waits 200 ms more.
/// let slow = Fault::delay(std::time::Duration::from_millis(200)).probability(0.5);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Fault {
    /// The `operationId` it applies to; `None` for every operation (`"*"` in the JSON).
    pub operation: Option<String>,
    /// The status it answers instead of the operation: 429, 500, 502 or 503.
    pub status: Option<u16>,
    /// With 429, the `Retry-After` header's seconds (default 1).
    pub retry_after: Option<u64>,
    /// How long to wait before answering (or going on to the operation); at most 10 minutes.
    pub delay: Option<Duration>,
    /// Whether it closes the connection without a response.
    pub drop: bool,
    /// How many requests it applies to; `None` for every one, until removed.
    pub times: Option<u64>,
    /// The chance, from 0 to 1, that it applies to a matching request; `None` for always.
    pub probability: Option<f64>,
}

impl Fault {
    /// A fault that does nothing yet: [`Fault::checked`] refuses it as it is.
    pub(crate) fn new() -> Fault {
        Fault {
            operation: None,
            status: None,
            retry_after: None,
            delay: None,
            drop: false,
            times: None,
            probability: None,
        }
    }

    /// Answers `status` (429, 500, 502 or 503) with an `ApiError` body instead of the
    /// operation.
    pub fn status(status: u16) -> Fault {
        Fault {
            status: Some(status),
            ..Fault::new()
        }
    }

    /// Waits `delay`, then goes on to the operation.
    pub fn delay(delay: Duration) -> Fault {
        Fault::new().delayed(delay)
    }

    /// Closes the connection without a response: the client sees a transport error.
    pub fn drop_connection() -> Fault {
        Fault {
            drop: true,
            ..Fault::new()
        }
    }

    /// Only for the operation `operation_id` (e.g. `getSession`; `"*"` is every operation,
    /// the default).
    #[must_use]
    pub fn operation(mut self, operation_id: impl Into<String>) -> Self {
        self.operation = Some(operation_id.into());
        self
    }

    /// Only for the next `times` matching requests.
    #[must_use]
    pub fn times(mut self, times: u64) -> Self {
        self.times = Some(times);
        self
    }

    /// Only for each matching request with this chance, from 0 to 1.
    #[must_use]
    pub fn probability(mut self, probability: f64) -> Self {
        self.probability = Some(probability);
        self
    }

    /// With 429, this `Retry-After` in seconds.
    #[must_use]
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// Waits `delay` first too (before its status or drop).
    #[must_use]
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// The fault as it is injected (`"*"` read as every operation, 429's `Retry-After` of 1
    /// by default), or what is wrong with it.
    pub(super) fn checked(mut self, operations: &Operations) -> Result<Fault, ControlError> {
        let wrong = |message: String| Err(ControlError(message));
        if self.operation.as_deref() == Some("*") {
            self.operation = None;
        }
        if let Some(operation) = &self.operation {
            let ids = operations.ids();
            if !ids.contains(operation.as_str()) {
                let known = ids.into_iter().collect::<Vec<_>>().join(", ");
                return wrong(format!(
                    "`operation`: `{operation}` is not an operation of the spec; they are {known}, or \"*\" for every one"
                ));
            }
        }
        match self.status {
            Some(status) if !STATUSES.contains(&status) => {
                return wrong(format!(
                    "`status`: {status} is not one of 429, 500, 502 or 503"
                ));
            }
            Some(429) => self.retry_after = Some(self.retry_after.unwrap_or(1)),
            _ if self.retry_after.is_some() => {
                return wrong("`retry_after` goes only with `status` 429".into());
            }
            _ => {}
        }
        if self.status.is_some() && self.drop {
            return wrong("a fault answers a `status` or drops the connection, not both".into());
        }
        if self.status.is_none() && self.delay.is_none() && !self.drop {
            return wrong("a fault needs a `status`, a `delay_ms` or `\"drop\": true`".into());
        }
        if self.delay.is_some_and(|d| d > MAX_DELAY) {
            return wrong(format!(
                "`delay_ms`: at most {} (10 minutes)",
                MAX_DELAY.as_millis()
            ));
        }
        if self.times == Some(0) {
            return wrong("`times`: must be at least 1 (leave it out for every request)".into());
        }
        if let Some(p) = self.probability.filter(|p| !(0.0..=1.0).contains(p)) {
            return wrong(format!("`probability`: {p} is not from 0 to 1"));
        }
        Ok(self)
    }
}

/// An injected fault ([`crate::Emulator::faults`], `GET /__emulator/faults`).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct InjectedFault {
    /// Its id: in the journal's entries it applied to, and for removing it.
    pub id: u64,
    /// The fault, as injected.
    pub fault: Fault,
    /// How many more requests it applies to; `None` for every one.
    pub remaining: Option<u64>,
}

impl InjectedFault {
    /// The fault as the control plane's JSON shows it.
    pub(crate) fn to_json(&self) -> Value {
        let fault = &self.fault;
        json!({
            "id": self.id,
            "operation": fault.operation.as_deref().unwrap_or("*"),
            "status": fault.status,
            "retry_after": fault.retry_after,
            "delay_ms": fault.delay.map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            "drop": fault.drop,
            "times": fault.times,
            "probability": fault.probability,
            "remaining": self.remaining,
        })
    }
}

/// A control request that cannot be done, and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ControlError(pub(crate) String);

impl From<ControlError> for ApiError {
    fn from(error: ControlError) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "INVALID_CONTROL_REQUEST", error.0)
    }
}

/// The injected faults, and the generator of their draws.
pub(crate) struct Faults {
    list: Vec<InjectedFault>,
    next_id: u64,
    rng: SplitMix64,
}

/// A fault that fires for a request.
pub(crate) struct Fired {
    pub(crate) id: u64,
    fault: Fault,
}

/// Marks a response that a fault gave instead of the operation.
#[derive(Clone, Copy)]
pub(crate) struct Injected;

impl Faults {
    pub(crate) fn new(seed: u64) -> Faults {
        Faults {
            list: Vec::new(),
            next_id: 1,
            rng: SplitMix64(seed),
        }
    }

    /// Adds a checked fault.
    pub(crate) fn add(&mut self, fault: Fault) -> InjectedFault {
        let injected = InjectedFault {
            id: self.next_id,
            remaining: fault.times,
            fault,
        };
        self.next_id += 1;
        self.list.push(injected.clone());
        injected
    }

    pub(crate) fn list(&self) -> Vec<InjectedFault> {
        self.list.clone()
    }

    pub(crate) fn remove(&mut self, id: u64) -> bool {
        let before = self.list.len();
        self.list.retain(|f| f.id != id);
        self.list.len() != before
    }

    pub(crate) fn clear_list(&mut self) {
        self.list.clear();
    }

    /// Forgets every fault, and draws as from `seed` again.
    pub(crate) fn clear(&mut self, seed: u64) {
        *self = Faults::new(seed);
    }

    /// The fault that applies to a request to `operation`, used once; see the module docs.
    pub(crate) fn fire(&mut self, operation: &str) -> Option<Fired> {
        let rng = &mut self.rng;
        let at = self.list.iter().position(|f| {
            f.fault.operation.as_deref().is_none_or(|o| o == operation)
                && f.fault.probability.is_none_or(|p| rng.unit() < p)
        })?;
        let injected = &mut self.list[at];
        let fired = Fired {
            id: injected.id,
            fault: injected.fault.clone(),
        };
        if let Some(remaining) = &mut injected.remaining {
            *remaining = remaining.saturating_sub(1);
            if *remaining == 0 {
                self.list.remove(at);
            }
        }
        Some(fired)
    }
}

impl Fired {
    /// Waits the fault's delay, then answers in place of the operation (`None`: go on).
    pub(crate) async fn apply(&self) -> Option<Response> {
        if let Some(delay) = self.fault.delay {
            tokio::time::sleep(delay).await;
        }
        let mut response = if self.fault.drop {
            dropped()
        } else {
            let status = StatusCode::from_u16(self.fault.status?).ok()?;
            self.error(status)
        };
        // Unchecked: the spec need not declare the status for the operation.
        response.extensions_mut().insert(Unchecked);
        response.extensions_mut().insert(Injected);
        Some(response)
    }

    /// Whether the answer is a dropped connection.
    pub(crate) fn drops(&self) -> bool {
        self.fault.drop
    }

    fn error(&self, status: StatusCode) -> Response {
        let reason = status.canonical_reason().unwrap_or("error");
        let code = reason.to_uppercase().replace([' ', '-'], "_");
        let message = format!(
            "{reason}: injected by the emulator's control plane (fault {})",
            self.id
        );
        let mut response = ApiError::new(status, &code, message).into_response();
        if let Some(seconds) = self.fault.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// A response whose body fails at once: hyper closes the connection before the head is sent,
/// so the client sees the connection closed without a response. Its status and `ErrorCode`
/// are for the log only; as JSON, no layer reads or replaces its body.
fn dropped() -> Response {
    let error = std::io::Error::new(
        std::io::ErrorKind::ConnectionAborted,
        "dropped by an injected fault",
    );
    let body = futures_util::stream::once(async move { Err::<Bytes, _>(error) });
    let mut response = Response::new(Body::from_stream(body));
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    let json = HeaderValue::from_static("application/json");
    response.headers_mut().insert(header::CONTENT_TYPE, json);
    let code = crate::log::ErrorCode("CONNECTION_DROPPED".to_owned());
    response.extensions_mut().insert(code);
    response
}

/// splitmix64: small, fast, and the same draws for the same seed everywhere.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A draw from [0, 1): 1.0 is never drawn, 0.0 can be (so probability 0 never fires).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_draws_as_its_reference() {
        // The reference implementation's first outputs for seed 1234567.
        let mut rng = SplitMix64(1_234_567);
        let first: Vec<u64> = (0..3).map(|_| rng.next()).collect();
        assert_eq!(
            first,
            [
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423
            ]
        );
    }

    #[test]
    fn a_fault_is_used_up_and_the_first_that_matches_applies() {
        let mut faults = Faults::new(1);
        let once = faults.add(Fault::status(503).operation("getSession").times(1));
        let always = faults.add(Fault::status(500));
        let fired = |faults: &mut Faults, op| faults.fire(op).map(|f| f.id);
        assert_eq!(fired(&mut faults, "getSession"), Some(once.id));
        assert_eq!(fired(&mut faults, "getSession"), Some(always.id));
        assert_eq!(fired(&mut faults, "createSession"), Some(always.id));
        assert_eq!(faults.list().len(), 1);
    }

    #[test]
    fn probabilities_zero_and_one_are_never_and_always() {
        let mut faults = Faults::new(42);
        faults.add(Fault::status(503).probability(0.0));
        assert!((0..1000).all(|_| faults.fire("getSession").is_none()));
        faults.add(Fault::status(502).probability(1.0));
        assert!((0..1000).all(|_| faults.fire("getSession").is_some()));
    }
}
