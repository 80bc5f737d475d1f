//! Why a key could not be loaded.

use std::fmt;
use std::path::PathBuf;

use rsa::pkcs8::ObjectIdentifier;

/// The OID of `rsaEncryption`, the algorithm of a plain RSA key in PKCS#8 and SPKI.
pub(super) const RSA_ENCRYPTION: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// Why a key could not be loaded. No variant ever holds or prints key material.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The input is not PEM at all.
    #[error(
        "the key is not PEM: expected text starting `-----BEGIN RSA PRIVATE KEY-----` or \
         `-----BEGIN PRIVATE KEY-----` (the .pem file from the Yoti Hub); for binary DER use `from_der`"
    )]
    NotPem,
    /// The input is not DER at all (DER starts with an ASN.1 SEQUENCE).
    #[error(
        "the key is not DER: expected a binary PKCS#1 or PKCS#8 RSA private key; \
         for text starting `-----BEGIN` use `from_pem`"
    )]
    NotDer,
    /// The key is encrypted with a password (`BEGIN ENCRYPTED PRIVATE KEY`, or a legacy PEM
    /// with `Proc-Type: 4,ENCRYPTED`).
    #[error(
        "the private key is encrypted with a password: decrypt it first \
         (e.g. `openssl pkey -in encrypted.pem -out key.pem`) and keep the result as safe as the original"
    )]
    Encrypted,
    /// A public key was given where a private key is needed.
    #[error(
        "this is a public key, but signing needs the private key: \
         use the private key .pem file downloaded from the Yoti Hub"
    )]
    PublicKey,
    /// A certificate was given where a private key is needed.
    #[error(
        "this is a certificate, but signing needs the private key: \
         use the private key .pem file downloaded from the Yoti Hub"
    )]
    Certificate,
    /// The key is not an RSA key.
    #[error(
        "this is not an RSA key but {algorithm}, and Yoti requests are signed with RSA: \
         use the RSA private key .pem file downloaded from the Yoti Hub"
    )]
    NotRsa {
        /// The key's algorithm (e.g. `EC`, `Ed25519`).
        algorithm: String,
    },
    /// The RSA key is shorter than [`MIN_KEY_BITS`](crate::MIN_KEY_BITS).
    #[error(
        "the RSA key has {bits} bits, but at least 2048 are needed: \
         use the key from the Yoti Hub (2048 bits or more)"
    )]
    TooSmall {
        /// The size of the key's modulus in bits.
        bits: usize,
    },
    /// A well-formed key or format this crate does not support.
    #[error("unsupported key: {what}")]
    Unsupported {
        /// What is unsupported, and what to do instead.
        what: String,
    },
    /// The key decodes, but its numbers do not fit together (e.g. its stored CRT values are not
    /// those of its primes): the file is damaged. Both backends refuse it.
    #[error(
        "the RSA key is inconsistent ({reason}): the file is damaged; download the .pem file \
         from the Yoti Hub again"
    )]
    Inconsistent {
        /// What does not fit (never any key bytes).
        reason: String,
    },
    /// The input looks like a key but does not decode as one.
    #[error("the key is malformed ({reason}): download the .pem file from the Yoti Hub again")]
    Malformed {
        /// What the decoder found wrong (never any key bytes).
        reason: String,
    },
    /// The key file is larger than [`MAX_KEY_FILE_BYTES`](crate::MAX_KEY_FILE_BYTES): not a key
    /// file (or a device such as `/dev/zero`). Only that much was read.
    #[error(
        "the key file `{}` is larger than {limit} bytes, so it is not a key file (a Yoti key \
         is under 2 KiB): check the path, e.g. YOTI_KEY_FILE_PATH",
        path.display()
    )]
    FileTooLarge {
        /// The path that was given.
        path: PathBuf,
        /// The most bytes read from a key file.
        limit: u64,
    },
    /// The key file could not be read.
    #[error(
        "cannot read the key file `{}`: {error} (check the path, e.g. YOTI_KEY_FILE_PATH)",
        path.display()
    )]
    File {
        /// The path that was given.
        path: PathBuf,
        /// Why it could not be read.
        error: std::io::Error,
    },
}

pub(super) fn malformed(reason: impl fmt::Display) -> KeyError {
    KeyError::Malformed {
        reason: reason.to_string(),
    }
}

pub(super) fn not_rsa(algorithm: &str) -> KeyError {
    KeyError::NotRsa {
        algorithm: algorithm.into(),
    }
}

pub(super) fn algorithm_error(oid: ObjectIdentifier) -> KeyError {
    match oid.to_string().as_str() {
        "1.2.840.10045.2.1" => not_rsa("EC"),
        "1.3.101.112" => not_rsa("Ed25519"),
        "1.3.101.113" => not_rsa("Ed448"),
        "1.3.101.110" => not_rsa("X25519"),
        "1.3.101.111" => not_rsa("X448"),
        "1.2.840.10040.4.1" => not_rsa("DSA"),
        "1.2.840.113549.1.1.10" => KeyError::Unsupported {
            what: "an RSA key restricted to RSA-PSS: Yoti needs a plain RSA key (PKCS#1 v1.5 signatures)"
                .into(),
        },
        other => not_rsa(&format!("the algorithm with OID {other}")),
    }
}
