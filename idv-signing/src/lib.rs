// The README's examples use the middleware; without the `reqwest` feature the crate docs are
// a short summary instead.
#![cfg_attr(feature = "reqwest", doc = include_str!("../README.md"))]
#![cfg_attr(
    not(feature = "reqwest"),
    doc = "Request signing for the Yoti IDV API: the pure core (messages, keys, signing and \
           verifying), built without the `reqwest` feature. See the README for the whole crate."
)]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod assertion;
mod key;
mod message;
#[cfg(feature = "reqwest")]
mod middleware;
mod signer;

pub use assertion::{ASSERTION_LIFETIME_SECS, client_assertion};
pub use key::{
    Backend, KeyError, MAX_KEY_BITS, MAX_KEY_FILE_BYTES, MIN_KEY_BITS, PublicKey, SigningKey,
};
pub use message::{VerifyError, signed_message, verify};
#[cfg(feature = "reqwest")]
pub use middleware::SigningMiddleware;
pub use signer::{
    Clock, NonceSource, SignError, SignedParts, Signer, SignerError, SystemClock,
    SystemClockMillis, UuidNonces, path_under,
};
pub use url::Url;

/// The header that carries the signature. (`http` keeps header names in lowercase; HTTP
/// header names are case-insensitive.)
pub const AUTH_DIGEST_HEADER: &str = "x-yoti-auth-digest";
/// The header that names the SDK.
pub const SDK_HEADER: &str = "x-yoti-sdk";
/// The header that gives the SDK's version.
pub const SDK_VERSION_HEADER: &str = "x-yoti-sdk-version";
/// The value of [`SDK_HEADER`]: `Rust`.
pub const SDK: &str = "Rust";
/// The value of [`SDK_VERSION_HEADER`]: `Rust-` and this crate's version.
pub const SDK_VERSION: &str = concat!("Rust-", env!("CARGO_PKG_VERSION"));

// Compile-time checks: everything a client holds can be shared between threads.
const _: () = {
    const fn shareable<T: Send + Sync>() {}
    shareable::<SigningKey>();
    shareable::<PublicKey>();
    shareable::<Signer>();
    #[cfg(feature = "reqwest")]
    shareable::<SigningMiddleware>();
};
