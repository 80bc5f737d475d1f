//! RSA keys: loading them (PEM or DER, PKCS#1 or PKCS#8), signing and verifying.

use std::fmt;
use std::path::{Path, PathBuf};

use base64::prelude::{BASE64_STANDARD, Engine as _};
use rsa::pkcs1::der::asn1::AnyRef;
use rsa::pkcs1::der::{Decode as _, Tag, Tagged as _, pem};
use rsa::pkcs1::{self, RsaPrivateKeyRef, RsaPublicKeyRef};
use rsa::pkcs8::{ObjectIdentifier, PrivateKeyInfoRef, SubjectPublicKeyInfoRef};
use zeroize::{ZeroizeOnDrop, Zeroizing};

use crate::{SignError, VerifyError};

/// The smallest RSA modulus, in bits, that a key may have.
pub const MIN_KEY_BITS: usize = 2048;
/// The largest RSA modulus, in bits, that both backends accept.
pub const MAX_KEY_BITS: usize = 8192;

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// The cryptography library that computes signatures.
///
/// Both give byte-identical signatures (RSA PKCS#1 v1.5 is deterministic); they differ in
/// speed and in what they are written in. See the crate's README for the numbers.
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
    /// The RSA key is shorter than [`MIN_KEY_BITS`].
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
    /// The input looks like a key but does not decode as one.
    #[error("the key is malformed ({reason}): download the .pem file from the Yoti Hub again")]
    Malformed {
        /// What the decoder found wrong (never any key bytes).
        reason: String,
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

fn malformed(reason: impl fmt::Display) -> KeyError {
    KeyError::Malformed {
        reason: reason.to_string(),
    }
}

/// An RSA private key that signs Yoti requests.
///
/// Load it from the PEM file the Yoti Hub gives you:
///
/// ```
/// use idv_signing::SigningKey;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let key = SigningKey::from_pem(include_str!("../tests/data/test-rsa2048-pkcs1.pem"))?;
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
    /// a certificate, not RSA, under 2048 bits, malformed).
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
    ///
    /// # Errors
    ///
    /// [`KeyError::File`] (with the path) when the file cannot be read, else as
    /// [`SigningKey::from_pem`].
    pub fn from_pem_file(path: impl AsRef<Path>) -> Result<Self, KeyError> {
        let path = path.as_ref();
        let bytes = Zeroizing::new(std::fs::read(path).map_err(|error| KeyError::File {
            path: path.to_owned(),
            error,
        })?);
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
            Backend::AwsLc => {
                Inner::AwsLc(aws_lc_rs::rsa::KeyPair::from_der(der).map_err(malformed)?)
            }
            Backend::RustCrypto => Inner::RustCrypto(Box::new(rsa::pkcs1v15::SigningKey::new(
                rsa::PrivateKey::try_from(key).map_err(malformed)?,
            ))),
        };
        Ok(SigningKey { inner, public })
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        self.public.clone()
    }

    /// The size of the key's modulus in bits.
    pub fn bits(&self) -> usize {
        self.public.bits
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
}

/// An RSA public key that checks signatures, e.g. in a mock server (see [`verify`](crate::verify)).
///
/// It verifies with aws-lc-rs when the `aws-lc-rs` feature is on, else with the `rsa` crate.
#[derive(Clone)]
pub struct PublicKey {
    bits: usize,
    #[cfg(feature = "aws-lc-rs")]
    key: aws_lc_rs::signature::ParsedPublicKey,
    #[cfg(not(feature = "aws-lc-rs"))]
    key: rsa::pkcs1v15::VerifyingKey<sha2::Sha256>,
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("bits", &self.bits)
            .finish_non_exhaustive()
    }
}

impl PublicKey {
    /// Loads a PEM public key: SubjectPublicKeyInfo (`BEGIN PUBLIC KEY`) or PKCS#1
    /// (`BEGIN RSA PUBLIC KEY`).
    ///
    /// ```
    /// let key = idv_signing::PublicKey::from_pem(include_str!("../tests/data/test-rsa2048-pub.pem"))?;
    /// assert_eq!(key.bits(), 2048);
    /// # Ok::<(), idv_signing::KeyError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`KeyError`]: not PEM, not RSA, under 2048 bits, malformed, or
    /// [`KeyError::Unsupported`] for a private key or certificate (for a private key, use
    /// [`SigningKey::public_key`]).
    pub fn from_pem(pem: impl AsRef<[u8]>) -> Result<Self, KeyError> {
        let block = pem_block(pem.as_ref())?;
        match block.label {
            "PUBLIC KEY" | "RSA PUBLIC KEY" => Self::from_der(&block.decode()?),
            label => Err(KeyError::Unsupported {
                what: format!(
                    "a PEM block `BEGIN {label}` where a public key (`BEGIN PUBLIC KEY` or \
                     `BEGIN RSA PUBLIC KEY`) was expected; for a private key use `SigningKey::public_key`"
                ),
            }),
        }
    }

    /// Loads a DER public key: SubjectPublicKeyInfo or PKCS#1 `RSAPublicKey`.
    ///
    /// # Errors
    ///
    /// As [`PublicKey::from_pem`].
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        if der.first() != Some(&0x30) {
            return Err(KeyError::NotDer);
        }
        if let Ok(spki) = SubjectPublicKeyInfoRef::from_der(der) {
            if spki.algorithm.oid != RSA_ENCRYPTION {
                return Err(algorithm_error(spki.algorithm.oid));
            }
            let bits = spki
                .subject_public_key
                .as_bytes()
                .ok_or_else(|| malformed("unaligned key"))?;
            return Self::from_pkcs1(RsaPublicKeyRef::from_der(bits).map_err(malformed)?);
        }
        Self::from_pkcs1(RsaPublicKeyRef::from_der(der).map_err(malformed)?)
    }

    fn from_pkcs1(key: RsaPublicKeyRef<'_>) -> Result<Self, KeyError> {
        let modulus = key.modulus.as_bytes();
        let bits = match modulus.first() {
            Some(&top) => (modulus.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
            None => return Err(malformed("empty modulus")),
        };
        if bits < MIN_KEY_BITS {
            return Err(KeyError::TooSmall { bits });
        }
        if bits > MAX_KEY_BITS {
            return Err(KeyError::Unsupported {
                what: format!("an RSA key of {bits} bits; the most supported is {MAX_KEY_BITS}"),
            });
        }
        #[cfg(feature = "aws-lc-rs")]
        let key = aws_lc_rs::signature::ParsedPublicKey::new(
            &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
            rsa::pkcs1::der::Encode::to_der(&key).map_err(malformed)?,
        )
        .map_err(malformed)?;
        #[cfg(not(feature = "aws-lc-rs"))]
        let key =
            rsa::pkcs1v15::VerifyingKey::new(rsa::PublicKey::try_from(key).map_err(malformed)?);
        Ok(PublicKey { bits, key })
    }

    /// The size of the key's modulus in bits.
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// Checks that `digest` (padded base64, as in `X-Yoti-Auth-Digest`) is this key's RSA
    /// PKCS#1 v1.5 SHA-256 signature of `message`.
    ///
    /// # Errors
    ///
    /// [`VerifyError::NotBase64`] or [`VerifyError::Mismatch`].
    pub fn verify_message(&self, message: &[u8], digest: &str) -> Result<(), VerifyError> {
        // Room for an 8192-bit signature, on the stack.
        let mut buffer = [0u8; MAX_KEY_BITS / 8];
        let len = BASE64_STANDARD
            .decode_slice(digest, &mut buffer)
            .map_err(|_| VerifyError::NotBase64)?;
        let signature = buffer.get(..len).ok_or(VerifyError::Mismatch)?;
        #[cfg(feature = "aws-lc-rs")]
        let verified = self.key.verify_sig(message, signature).is_ok();
        #[cfg(not(feature = "aws-lc-rs"))]
        let verified = rsa::pkcs1v15::Signature::try_from(signature).is_ok_and(|signature| {
            rsa::signature::Verifier::verify(&self.key, message, &signature).is_ok()
        });
        if verified {
            Ok(())
        } else {
            Err(VerifyError::Mismatch)
        }
    }
}

fn not_rsa(algorithm: &str) -> KeyError {
    KeyError::NotRsa {
        algorithm: algorithm.into(),
    }
}

fn algorithm_error(oid: ObjectIdentifier) -> KeyError {
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

/// Names a DER structure that is not a private key we can use.
fn identify_der(der: &[u8]) -> KeyError {
    if SubjectPublicKeyInfoRef::from_der(der).is_ok() || RsaPublicKeyRef::from_der(der).is_ok() {
        return KeyError::PublicKey;
    }
    let Ok(fields) = Vec::<AnyRef<'_>>::from_der(der) else {
        return malformed("not a PKCS#1 or PKCS#8 private key");
    };
    let tags: Vec<Tag> = fields.iter().map(|field| field.tag()).collect();
    match tags.as_slice() {
        // EncryptedPrivateKeyInfo: encryptionAlgorithm, encryptedData.
        [Tag::Sequence, Tag::OctetString] => KeyError::Encrypted,
        // Certificate: tbsCertificate, signatureAlgorithm, signatureValue.
        [Tag::Sequence, Tag::Sequence, Tag::BitString] => KeyError::Certificate,
        // SEC1 ECPrivateKey: version, privateKey, [0] parameters, [1] publicKey.
        [Tag::Integer, Tag::OctetString, ..] => not_rsa("EC"),
        _ => malformed("not a PKCS#1 or PKCS#8 private key"),
    }
}

/// One PEM block, from its `-----BEGIN` line to the end of its `-----END` line.
struct PemBlock<'a> {
    label: &'a str,
    text: &'a [u8],
}

impl PemBlock<'_> {
    /// The DER inside, in a buffer that is zeroized when dropped.
    fn decode(&self) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        if find(self.text, b"Proc-Type:").is_some() {
            return Err(if find(self.text, b"ENCRYPTED").is_some() {
                KeyError::Encrypted
            } else {
                malformed("PEM headers are not supported")
            });
        }
        let pem_error = |error: pem::Error| malformed(format_args!("invalid PEM: {error}"));
        let mut decoder = pem::Decoder::new_detect_wrap(self.text).map_err(pem_error)?;
        // Sized up front so that the secret bytes are never copied by a reallocation.
        let mut der = Zeroizing::new(vec![0; decoder.remaining_len()]);
        decoder.decode(&mut der).map_err(pem_error)?;
        if !decoder.is_finished() {
            return Err(malformed("invalid PEM: trailing data"));
        }
        Ok(der)
    }
}

/// Finds the PEM block to load: the first private key, else the first block of any kind.
fn pem_block(input: &[u8]) -> Result<PemBlock<'_>, KeyError> {
    let mut first = None;
    let mut rest = input;
    while let Some(start) = find(rest, b"-----BEGIN ") {
        let after_begin = rest.get(start + 11..).unwrap_or_default();
        let label = after_begin
            .get(..find(after_begin, b"-----").unwrap_or(after_begin.len()))
            .and_then(|label| std::str::from_utf8(label).ok())
            // A real label is short and has no line break; anything else must not be echoed
            // back in an error, as it could hold key material.
            .filter(|label| {
                label.len() <= 40
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b" 0123456789".contains(&b))
            })
            .ok_or_else(|| malformed("invalid PEM `-----BEGIN` line"))?;
        let end_line = format!("-----END {label}-----");
        let end = find(after_begin, end_line.as_bytes())
            .map_or(rest.len(), |end| start + 11 + end + end_line.len());
        let block = PemBlock {
            label,
            text: rest.get(start..end).unwrap_or_default(),
        };
        if label.ends_with("PRIVATE KEY") {
            return Ok(block);
        }
        first.get_or_insert(block);
        rest = rest.get(end..).unwrap_or_default();
    }
    first.ok_or(KeyError::NotPem)
}

/// The position of the first `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_private_key_among_several_blocks() {
        let input = b"junk\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n\
                      -----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----\ntrailer";
        let block = pem_block(input).map_err(|e| e.to_string());
        let block = block.as_ref().map(|b| (b.label, b.text));
        assert_eq!(
            block,
            Ok((
                "PRIVATE KEY",
                &b"-----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----"[..]
            ))
        );
    }

    #[test]
    fn a_broken_begin_line_is_not_echoed() {
        let input = b"-----BEGIN RSA PRIVATE KEY\nMIIEowIBAAKCAQEAspK62KozvEgrWbyzre\n-----END RSA PRIVATE KEY-----";
        let error = pem_block(input).err().map(|e| format!("{e} {e:?}"));
        assert!(error.is_some_and(|e| e.contains("BEGIN` line") && !e.contains("MIIE")));
    }

    #[test]
    fn find_handles_empty_and_short_input() {
        assert_eq!(find(b"", b"-----"), None);
        assert_eq!(find(b"--", b"-----"), None);
        assert_eq!(find(b"a-----", b"-----"), Some(1));
    }
}
