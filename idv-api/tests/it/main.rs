//! idv-api's integration tests, in one binary (linking one binary per file dominated the
//! test step's time). Each module is one concern; `common` holds what they share.

mod bearer;
mod common;
mod constructors;
mod data_model;
mod external_types;
mod forward_compat;
mod hardening;
#[cfg(any(feature = "rustls", feature = "native-tls"))]
mod https;
mod middleware_errors;
mod operations;
mod readme;
mod redaction;
mod request_values;
mod results;
mod retry;
mod tokens;
#[cfg(feature = "tracing")]
mod traces;
