//! What a [`Client`](crate::Client) tells `tracing` (the default-on `tracing` feature): one
//! span per operation, and events for retries, refused requests, failed requests, error
//! statuses and token refreshes.
//!
//! Every field is written here and nowhere else, and each is one of: the operation's
//! `operationId`, HTTP method and path *template* (from the spec, through the generated
//! `route` table: never the concrete path, which holds session and media ids), a status code,
//! an attempt number, an elapsed time, or a fixed word naming a kind of failure. No URL,
//! query (it carries `sdkId`, `nonce` and `timestamp`), header, body, key, token, signature or
//! error message ever goes in: those can carry personal data or secrets.
//!
//! | what | level | fields |
//! |---|---|---|
//! | span `idv_api` | INFO | `operation_id`, `method`, `path`, then `status`, `attempt`, `elapsed_ms` |
//! | `response` | DEBUG | `status` |
//! | `error status` | INFO | `status` |
//! | `retrying` | INFO | `attempt`, and `previous_status` or `previous_error` |
//! | `refused before sending` | WARN | `refused_by` (`signer`, `token source` or `middleware`), `reason` |
//! | `request failed` | WARN | `error` (`timeout`, `connect`, `body`, `decode`, `request`, `other`) |
//! | `a middleware failed the call after the response` | WARN | `status` |
//! | `token refreshed` | INFO | `expires_in_s` |
//!
//! `elapsed_ms` runs from the start of the call until the response's headers arrive (or the
//! call fails); reading the body comes after. `attempt` counts the requests that reached the
//! signer: more than 1 when a retry middleware ran the chain again, 0 when a middleware of
//! your own stopped the request before it.

use std::sync::Arc;
use std::time::Duration;

use idv_signing::SignError;
use reqwest_middleware::Middleware;

/// Where an operation goes: the spec's `operationId`, the HTTP method and the path template
/// relative to the base URL. The generated `route` function has one for each operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "tracing"), allow(dead_code))]
pub(crate) struct Route {
    /// The spec's `operationId`, e.g. `getSession`.
    pub(crate) operation_id: &'static str,
    /// The HTTP method, e.g. `GET`.
    pub(crate) method: &'static str,
    /// The path template, e.g. `/sessions/{sessionId}`.
    pub(crate) path: &'static str,
}

/// How a call ended, as its span records it.
#[cfg_attr(not(feature = "tracing"), allow(dead_code))]
pub(crate) enum Outcome<'a> {
    /// The API answered with this status.
    Status(reqwest::StatusCode),
    /// The request failed on the way (connecting, timing out, ...).
    Failed(&'a reqwest::Error),
    /// A middleware stopped the request before it was sent; the signer's error when it was
    /// the signer.
    Refused(Option<&'a SignError>),
    /// No token could be obtained for the request, so it was not sent.
    NoToken(&'a crate::TokenError),
}

#[cfg(feature = "tracing")]
pub(crate) use on::{Call, attempt_counter};

#[cfg(not(feature = "tracing"))]
pub(crate) use off::{Call, attempt_counter};

/// Says that a token source fetched a new token, valid for `expires_in` when it says so.
/// Token sources call this after each refresh. Never pass the token itself: nothing of it
/// goes in the event.
pub(crate) fn token_refreshed(expires_in: Option<Duration>) {
    let expires_in_s = expires_in.map(|d| d.as_secs());
    #[cfg(feature = "tracing")]
    tracing::info!(target: "idv_api", expires_in_s, "token refreshed");
    #[cfg(not(feature = "tracing"))]
    let _ = expires_in_s;
}

#[cfg(feature = "tracing")]
mod on {
    use std::time::Instant;

    use tracing::Instrument;
    use tracing::field::Empty;

    use super::*;

    /// The target of every span and event, so that `RUST_LOG=idv_api=debug` selects them.
    const TARGET: &str = "idv_api";

    /// One operation's span, from the start of `exec` to its outcome.
    pub(crate) struct Call {
        span: tracing::Span,
        started: Instant,
    }

    impl Call {
        /// Opens the span of the operation progenitor names `name`, and puts the attempt
        /// counter in the request's `extensions`.
        pub(crate) fn start(name: &'static str, extensions: &mut http::Extensions) -> Call {
            let route = crate::generated::route(name).unwrap_or(Route {
                operation_id: name,
                method: "",
                path: "",
            });
            let span = tracing::info_span!(
                target: TARGET,
                "idv_api",
                operation_id = route.operation_id,
                method = route.method,
                path = route.path,
                status = Empty,
                attempt = Empty,
                elapsed_ms = Empty,
            );
            extensions.insert(Attempts::default());
            Call {
                span,
                started: Instant::now(),
            }
        }

        /// Runs `future` (the middleware chain) inside the span.
        pub(crate) fn instrument<F: Future>(
            &self,
            future: F,
        ) -> tracing::instrument::Instrumented<F> {
            future.instrument(self.span.clone())
        }

        /// Records how the call ended, and the event that says so.
        pub(crate) fn finish(self, extensions: &http::Extensions, outcome: Outcome<'_>) {
            let attempts = extensions.get::<Attempts>().copied().unwrap_or_default();
            // A middleware in front (a retry middleware, say) may turn the last attempt's
            // failure or response into an error of its own: say what the attempt met.
            let end = match (outcome, attempts.last) {
                (Outcome::Status(status), _) => End::Status(status.as_u16()),
                (Outcome::Failed(error), _) => End::Failed(failure(error)),
                (Outcome::Refused(Some(signing)), _) => End::Refused("signer", refusal(signing)),
                (Outcome::NoToken(error), _) => End::Refused("token source", no_token(error)),
                (Outcome::Refused(None), Some(Last::Failed(kind))) if kind != REFUSED => {
                    End::Failed(kind)
                }
                (Outcome::Refused(None), Some(Last::Status(status))) => End::Dropped(status),
                (Outcome::Refused(None), _) => End::Refused("middleware", "middleware error"),
            };
            let span = &self.span;
            if let End::Status(status) | End::Dropped(status) = end {
                span.record("status", status);
            }
            span.record("attempt", attempts.count);
            // Milliseconds, to the microsecond.
            let elapsed_us = self.started.elapsed().as_micros();
            span.record("elapsed_ms", elapsed_us as f64 / 1000.0);
            let _entered = span.enter();
            match end {
                End::Status(status) if status >= 400 => {
                    tracing::info!(target: TARGET, status, "error status");
                }
                End::Status(status) => tracing::debug!(target: TARGET, status, "response"),
                End::Failed(error) => tracing::warn!(target: TARGET, error, "request failed"),
                End::Refused(refused_by, reason) => {
                    tracing::warn!(target: TARGET, refused_by, reason, "refused before sending");
                }
                End::Dropped(status) => {
                    tracing::warn!(target: TARGET, status, "a middleware failed the call after the response");
                }
            }
        }
    }

    /// How a call ended, as far as its span and event say.
    #[derive(Clone, Copy)]
    enum End {
        /// A response with this status reached the caller.
        Status(u16),
        /// The request failed on the way, this kind of failure.
        Failed(&'static str),
        /// Refused before sending, by the signer or a middleware, for this reason.
        Refused(&'static str, &'static str),
        /// A response with this status came, and a middleware made the call an error.
        Dropped(u16),
    }

    /// How the attempt counter records an attempt that a middleware behind it refused.
    const REFUSED: &str = "refused";

    /// How many attempts reached the signer, and how the last one ended.
    #[derive(Clone, Copy, Default)]
    struct Attempts {
        count: u32,
        last: Option<Last>,
    }

    #[derive(Clone, Copy)]
    enum Last {
        Status(u16),
        Failed(&'static str),
    }

    /// The middleware just in front of the signer: it runs once per attempt, so it counts
    /// them, and says when an attempt is a retry.
    struct CountAttempts;

    #[async_trait::async_trait]
    impl Middleware for CountAttempts {
        async fn handle(
            &self,
            request: reqwest::Request,
            extensions: &mut http::Extensions,
            next: reqwest_middleware::Next<'_>,
        ) -> reqwest_middleware::Result<reqwest::Response> {
            if let Some(attempts) = extensions.get_mut::<Attempts>() {
                attempts.count += 1;
                if attempts.count > 1 {
                    let (previous_status, previous_error) = match attempts.last {
                        Some(Last::Status(status)) => (Some(status), None),
                        Some(Last::Failed(kind)) => (None, Some(kind)),
                        None => (None, None),
                    };
                    tracing::info!(
                        target: TARGET,
                        attempt = attempts.count,
                        previous_status,
                        previous_error,
                        "retrying"
                    );
                }
            }
            let result = next.run(request, extensions).await;
            if let Some(attempts) = extensions.get_mut::<Attempts>() {
                attempts.last = Some(match &result {
                    Ok(response) => Last::Status(response.status().as_u16()),
                    Err(reqwest_middleware::Error::Reqwest(e)) => Last::Failed(failure(e)),
                    Err(reqwest_middleware::Error::Middleware(_)) => Last::Failed(REFUSED),
                });
            }
            result
        }
    }

    /// The attempt counter, to run just in front of the signer (or the bearer token).
    pub(crate) fn attempt_counter() -> Option<Arc<dyn Middleware>> {
        Some(Arc::new(CountAttempts))
    }

    /// A fixed word for what went wrong: a `reqwest::Error`'s text holds the URL, and with
    /// it the signed query.
    fn failure(error: &reqwest::Error) -> &'static str {
        if error.is_timeout() {
            "timeout"
        } else if error.is_connect() {
            "connect"
        } else if error.is_body() {
            "body"
        } else if error.is_decode() {
            "decode"
        } else if error.is_request() {
            "request"
        } else {
            "other"
        }
    }

    /// A fixed phrase for why no token came: the messages quote the URL and the service.
    fn no_token(error: &crate::TokenError) -> &'static str {
        use crate::TokenError;
        match error {
            TokenError::Refused { .. } => "the auth service refused the token request",
            TokenError::Status { .. } | TokenError::InvalidResponse { .. } => {
                "the auth service gave no usable token"
            }
            TokenError::Transport { .. } => "the auth service could not be reached",
            TokenError::Signing(_) => "the client assertion could not be signed",
        }
    }

    /// A fixed phrase for why the signer refused: its messages quote the URL.
    fn refusal(error: &SignError) -> &'static str {
        match error {
            SignError::OutsideBase { .. } => "the URL is not under the signer's base URL",
            SignError::ReservedQueryParameter { .. } => {
                "the query already has sdkId, nonce or timestamp"
            }
            SignError::StreamingBody => "the body is a stream",
            SignError::InvalidHeaderValue { .. } => "a signed value is not a valid header value",
            SignError::Signing { .. } => "RSA signing failed",
            _ => "signing failed",
        }
    }
}

#[cfg(not(feature = "tracing"))]
mod off {
    use super::*;

    /// Without the `tracing` feature, a call records nothing.
    pub(crate) struct Call;

    impl Call {
        pub(crate) fn start(_name: &'static str, _extensions: &mut http::Extensions) -> Call {
            Call
        }

        pub(crate) fn instrument<F: Future>(&self, future: F) -> F {
            future
        }

        pub(crate) fn finish(self, _extensions: &http::Extensions, _outcome: Outcome<'_>) {}
    }

    pub(crate) fn attempt_counter() -> Option<Arc<dyn Middleware>> {
        None
    }
}

#[cfg(all(test, feature = "tracing"))]
mod tests {
    use std::sync::Mutex;

    use super::*;

    /// What a `fmt` subscriber writes, kept.
    #[derive(Clone, Default)]
    struct Written(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Written {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_token_refresh_is_an_info_event_with_its_lifetime_only() {
        let written = Written::default();
        let out = written.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .without_time()
            .with_writer(move || out.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            token_refreshed(Some(Duration::from_secs(3600)));
            token_refreshed(None);
        });
        let text = String::from_utf8(written.0.lock().unwrap().clone()).unwrap();
        assert_eq!(
            text,
            " INFO idv_api: token refreshed expires_in_s=3600\n INFO idv_api: token refreshed\n"
        );
    }
}
