//! idv-signing's integration tests, in one binary (one link instead of one per file): each
//! module checks one concern against the public API only.

mod common;
mod keys;
// The middleware needs the `reqwest` feature; the pure core is tested without it.
#[cfg(feature = "reqwest")]
mod middleware;
mod properties;
mod ps384;
mod sign_example;
mod stages;
mod vectors;
