//! RSA keys: the backends, the key types, reading PEM and DER, and what goes wrong.
//!
//! - [`error`]: [`KeyError`], one variant per thing a key input can be instead of a usable key;
//! - [`parse`]: finding the PEM block, naming a DER structure, reading a key file (capped);
//! - [`signing`]: [`SigningKey`], which signs with either backend;
//! - [`public`]: [`PublicKey`], which verifies.

mod error;
mod parse;
mod public;
mod signing;

pub use error::KeyError;
pub use public::PublicKey;
pub use signing::SigningKey;

/// The smallest RSA modulus, in bits, that a key may have.
pub const MIN_KEY_BITS: usize = 2048;
/// The largest RSA modulus, in bits, that both backends accept.
pub const MAX_KEY_BITS: usize = 8192;
/// The most bytes [`SigningKey::from_pem_file`] reads: 1 MiB. A Yoti key file is under 2 KiB,
/// and an 8192-bit key with a chain of certificates is still far below this.
pub const MAX_KEY_FILE_BYTES: u64 = 1 << 20;

/// The cryptography library that computes signatures.
///
/// Both give byte-identical request signatures (RSA PKCS#1 v1.5 is deterministic); they differ
/// in speed and in what they are written in. See the crate's README for the numbers. Both sign
/// PS384 too ([`SigningKey::sign_ps384`]), whose signatures are randomized.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// [aws-lc-rs](https://docs.rs/aws-lc-rs) (AWS-LC, C and assembly): about OpenSSL's speed.
    /// Needs the `aws-lc-rs` feature, which is on by default.
    #[cfg(feature = "aws-lc-rs")]
    AwsLc,
    /// The pure-Rust [`rsa`](https://docs.rs/rsa) crate (RustCrypto): always available,
    /// several times slower.
    RustCrypto,
}

impl Backend {
    /// Every backend compiled into this build, the default one first.
    pub const ALL: &'static [Backend] = &[
        #[cfg(feature = "aws-lc-rs")]
        Backend::AwsLc,
        Backend::RustCrypto,
    ];
}

impl Default for Backend {
    /// `Backend::AwsLc` when the `aws-lc-rs` feature is on, else [`Backend::RustCrypto`].
    fn default() -> Self {
        Backend::ALL.first().copied().unwrap_or(Backend::RustCrypto)
    }
}
