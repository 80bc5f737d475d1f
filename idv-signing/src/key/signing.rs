//! The private key, which signs with either backend.

use std::fmt;
use std::path::Path;

use base64::prelude::{BASE64_STANDARD, Engine as _};
use rsa::pkcs1::der::Decode as _;
use rsa::pkcs1::{self, RsaPrivateKeyRef};
use rsa::pkcs8::PrivateKeyInfoRef;
use zeroize::ZeroizeOnDrop;

use super::error::{RSA_ENCRYPTION, algorithm_error, malformed, not_rsa};
use super::parse::{find, identify_der, pem_block, read_key_file};
use super::{Backend, KeyError, PublicKey};
use crate::SignError;

/// An RSA private key that signs Yoti requests.
///
/// Load it from the PEM file the Yoti Hub gives you:
///
/// ```
/// use idv_signing::SigningKey;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let key = SigningKey::from_pem(include_str!("../../tests/data/test-rsa2048-pkcs1.pem"))?;
/// let digest = key.sign(b"GET&/sessions?sdkId=x&nonce=y&timestamp=1")?;
/// assert_eq!(digest.len(), 344); // 256 bytes, in padded base64
/// # Ok(())
/// # }
/// ```
///
/// `Debug` shows only the key's size and backend, never key material.
///
/// # Zeroization
///
/// Dropping a `SigningKey` wipes the private key:
/// - [`Backend::RustCrypto`]: the `rsa` crate zeroizes the private exponent, the primes and
///   the precomputed CRT values when its key is dropped.
/// - `Backend::AwsLc`: the key lives in AWS-LC's memory, and AWS-LC (with its default
///   allocator) zeroes every allocation it frees (`OPENSSL_free` cleanses), so freeing the key
///   wipes it.
///
/// While loading, this crate keeps decoded key bytes (from PEM, or read from a file) in
/// buffers that are zeroized when dropped. What it cannot reach: the caller's own copy of the
/// PEM or DER input, and temporaries inside the backends' parsers (AWS-LC cleanses these on
/// free too; the `rsa` crate's big-integer arithmetic may leave some behind).
pub struct SigningKey {
    inner: Inner,
    public: PublicKey,
}

enum Inner {
    #[cfg(feature = "aws-lc-rs")]
    AwsLc(aws_lc_rs::rsa::KeyPair),
    RustCrypto(Box<rsa::pkcs1v15::SigningKey<sha2::Sha256>>),
}

// Both inner keys wipe themselves when dropped (see the type's documentation).
impl ZeroizeOnDrop for SigningKey {}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("bits", &self.bits())
            .field("backend", &self.backend())
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// Loads a PEM private key: PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8
    /// (`BEGIN PRIVATE KEY`), with the default [`Backend`].
    ///
    /// Text around the PEM block is ignored. When the input holds several PEM blocks, the
    /// first private key among them is used.
    ///
    /// # Errors
    ///
    /// A [`KeyError`] that says what the input is instead (not PEM, encrypted, a public key,
    /// a certificate, not RSA, under 2048 bits, malformed, inconsistent).
    pub fn from_pem(pem: impl AsRef<[u8]>) -> Result<Self, KeyError> {
        Self::from_pem_with_backend(pem, Backend::default())
    }

    /// [`SigningKey::from_pem`] with the given [`Backend`].
    ///
    /// # Errors
    ///
    /// As [`SigningKey::from_pem`].
    pub fn from_pem_with_backend(
        pem: impl AsRef<[u8]>,
        backend: Backend,
    ) -> Result<Self, KeyError> {
        let block = pem_block(pem.as_ref())?;
        match block.label {
            "RSA PRIVATE KEY" => Self::from_pkcs1_der(&block.decode()?, backend),
            "PRIVATE KEY" => Self::from_pkcs8_der(&block.decode()?, backend),
            "ENCRYPTED PRIVATE KEY" => Err(KeyError::Encrypted),
            "EC PRIVATE KEY" => Err(not_rsa("EC")),
            "DSA PRIVATE KEY" => Err(not_rsa("DSA")),
            "OPENSSH PRIVATE KEY" => Err(KeyError::Unsupported {
                what: "an OpenSSH private key: convert it to PEM \
                       (`ssh-keygen -p -m PKCS8 -f <copy of the file>`) or use the .pem file from the Yoti Hub"
                    .into(),
            }),
            "PUBLIC KEY" | "RSA PUBLIC KEY" => Err(KeyError::PublicKey),
            label if label.ends_with("CERTIFICATE") => Err(KeyError::Certificate),
            label => Err(KeyError::Unsupported {
                what: format!("a PEM block `BEGIN {label}`, which is not an RSA private key"),
            }),
        }
    }

    /// Loads a DER private key: PKCS#1 `RSAPrivateKey` or PKCS#8 `PrivateKeyInfo`, with the
    /// default [`Backend`].
    ///
    /// # Errors
    ///
    /// A [`KeyError`] that says what the input is instead.
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        Self::from_der_with_backend(der, Backend::default())
    }

    /// [`SigningKey::from_der`] with the given [`Backend`].
    ///
    /// # Errors
    ///
    /// As [`SigningKey::from_der`].
    pub fn from_der_with_backend(der: &[u8], backend: Backend) -> Result<Self, KeyError> {
        if der.first() != Some(&0x30) {
            return Err(KeyError::NotDer);
        }
        if PrivateKeyInfoRef::from_der(der).is_ok() {
            return Self::from_pkcs8_der(der, backend);
        }
        if RsaPrivateKeyRef::from_der(der).is_ok() {
            return Self::from_pkcs1_der(der, backend);
        }
        Err(identify_der(der))
    }

    /// Reads a key file: PEM as [`SigningKey::from_pem`], or DER as [`SigningKey::from_der`].
    /// At most [`MAX_KEY_FILE_BYTES`](crate::MAX_KEY_FILE_BYTES) are read.
    ///
    /// # Errors
    ///
    /// [`KeyError::File`] (with the path) when the file cannot be read,
    /// [`KeyError::FileTooLarge`] when it is over the cap, else as [`SigningKey::from_pem`].
    pub fn from_pem_file(path: impl AsRef<Path>) -> Result<Self, KeyError> {
        let bytes = read_key_file(path.as_ref())?;
        if find(&bytes, b"-----BEGIN ").is_none() && bytes.first() == Some(&0x30) {
            Self::from_der(&bytes)
        } else {
            Self::from_pem(&*bytes)
        }
    }

    fn from_pkcs8_der(der: &[u8], backend: Backend) -> Result<Self, KeyError> {
        let info = PrivateKeyInfoRef::from_der(der).map_err(malformed)?;
        if info.algorithm.oid != RSA_ENCRYPTION {
            return Err(algorithm_error(info.algorithm.oid));
        }
        Self::from_pkcs1_der(info.private_key.as_bytes(), backend)
    }

    fn from_pkcs1_der(der: &[u8], backend: Backend) -> Result<Self, KeyError> {
        let key = RsaPrivateKeyRef::from_der(der).map_err(malformed)?;
        if key.version() != pkcs1::Version::TwoPrime {
            return Err(KeyError::Unsupported {
                what: "a multi-prime RSA key: use a standard two-prime RSA key".into(),
            });
        }
        let public = PublicKey::from_pkcs1(key.public_key())?;
        let inner = match backend {
            #[cfg(feature = "aws-lc-rs")]
            Backend::AwsLc => match aws_lc_rs::rsa::KeyPair::from_der(der) {
                Ok(pair) => Inner::AwsLc(pair),
                // AWS-LC only says "UnexpectedError": find out what is wrong.
                Err(_) => return Err(why_aws_lc_refuses(key)),
            },
            Backend::RustCrypto => {
                let private = rsa::PrivateKey::try_from(key.clone()).map_err(malformed)?;
                check_crt_values(&key, &private)?;
                Inner::RustCrypto(Box::new(rsa::pkcs1v15::SigningKey::new(private)))
            }
        };
        Ok(SigningKey { inner, public })
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        self.public.clone()
    }

    /// The size of the key's modulus in bits.
    pub fn bits(&self) -> usize {
        self.public.bits()
    }

    /// The backend that signs with this key.
    pub fn backend(&self) -> Backend {
        match self.inner {
            #[cfg(feature = "aws-lc-rs")]
            Inner::AwsLc(_) => Backend::AwsLc,
            Inner::RustCrypto(_) => Backend::RustCrypto,
        }
    }

    /// Signs `message` with RSA PKCS#1 v1.5 over SHA-256 and returns the signature in
    /// standard padded base64: the `X-Yoti-Auth-Digest` value.
    ///
    /// # Errors
    ///
    /// [`SignError::Signing`] if the backend fails (it does not for a key that loaded).
    pub fn sign(&self, message: &[u8]) -> Result<String, SignError> {
        let failed = || SignError::Signing {
            backend: self.backend(),
        };
        let signature = match &self.inner {
            #[cfg(feature = "aws-lc-rs")]
            Inner::AwsLc(key) => {
                let mut signature = vec![0; key.public_modulus_len()];
                let rng = aws_lc_rs::rand::SystemRandom::new();
                key.sign(
                    &aws_lc_rs::signature::RSA_PKCS1_SHA256,
                    &rng,
                    message,
                    &mut signature,
                )
                .map_err(|_| failed())?;
                signature
            }
            Inner::RustCrypto(key) => {
                use rsa::signature::{SignatureEncoding as _, Signer as _};
                key.try_sign(message).map_err(|_| failed())?.to_vec()
            }
        };
        Ok(BASE64_STANDARD.encode(signature))
    }

    /// Signs `message` with `PS384`: RSASSA-PSS over SHA-384, with MGF1 over SHA-384 and a
    /// 48-byte salt (the hash's length), as JSON Web Algorithms require (RFC 7518 §3.5). Yoti's
    /// auth service takes client assertions signed so; see
    /// [`client_assertion`](crate::client_assertion). Returns the raw signature, as long as the
    /// modulus.
    ///
    /// The salt is random, so each call gives another signature; every one of them verifies
    /// ([`PublicKey::verify_ps384`]). Both backends sign it, with the key loaded once.
    ///
    /// # Errors
    ///
    /// [`SignError::Signing`] if the backend fails (it does not for a key that loaded).
    pub fn sign_ps384(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        let failed = || SignError::Signing {
            backend: self.backend(),
        };
        match &self.inner {
            #[cfg(feature = "aws-lc-rs")]
            Inner::AwsLc(key) => {
                let mut signature = vec![0; key.public_modulus_len()];
                let rng = aws_lc_rs::rand::SystemRandom::new();
                key.sign(
                    &aws_lc_rs::signature::RSA_PSS_SHA384,
                    &rng,
                    message,
                    &mut signature,
                )
                .map_err(|_| failed())?;
                Ok(signature)
            }
            // Blinded, with the operating system's random numbers for the salt and blinding.
            Inner::RustCrypto(key) => {
                let private: &rsa::PrivateKey = (**key).as_ref();
                private
                    .pss_sign::<sha2::Sha384>(message)
                    .map_err(|_| failed())
            }
        }
    }
}

/// Checks the CRT values that a PKCS#1 key stores (`exponent1`, `exponent2`, `coefficient`)
/// against those of its primes and private exponent. AWS-LC refuses a key whose stored values
/// are wrong, while the `rsa` crate ignores them and computes its own; checking them here
/// makes both backends load the same keys.
fn check_crt_values(stored: &RsaPrivateKeyRef<'_>, key: &rsa::PrivateKey) -> Result<(), KeyError> {
    use rsa::traits::PrivateKeyParts as _;
    let same = |stored: &[u8], computed: Option<&rsa::BoxedUint>| {
        computed.is_some_and(|computed| {
            let bytes = zeroize::Zeroizing::new(computed.to_be_bytes());
            let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
            let stored_start = stored.iter().position(|&b| b != 0).unwrap_or(stored.len());
            bytes.get(start..) == stored.get(stored_start..)
        })
    };
    let coefficient = key.crt_coefficient();
    if same(stored.exponent1.as_bytes(), key.dp())
        && same(stored.exponent2.as_bytes(), key.dq())
        && same(stored.coefficient.as_bytes(), coefficient.as_ref())
    {
        Ok(())
    } else {
        Err(KeyError::Inconsistent {
            reason: "its CRT values (exponent1, exponent2 and coefficient) are not those of its \
                     primes and private exponent"
                .into(),
        })
    }
}

/// Why AWS-LC refused a key that parsed as a two-prime RSA key of a supported size.
#[cfg(feature = "aws-lc-rs")]
fn why_aws_lc_refuses(key: RsaPrivateKeyRef<'_>) -> KeyError {
    match rsa::PrivateKey::try_from(key.clone()) {
        // The `rsa` crate checks that n = pq, that d inverts e, and e's range: the same error
        // as with `Backend::RustCrypto`.
        Err(error) => malformed(error),
        Ok(private) => check_crt_values(&key, &private).err().unwrap_or_else(|| {
            KeyError::Unsupported {
                what: "an RSA key that AWS-LC's key check refuses, although its numbers are \
                       consistent: load it with `Backend::RustCrypto`, or use the key from the Yoti Hub"
                    .into(),
            }
        }),
    }
}
