//! The public key, which verifies signatures.

use std::fmt;

use base64::prelude::{BASE64_STANDARD, Engine as _};
use rsa::pkcs1::RsaPublicKeyRef;
use rsa::pkcs1::der::Decode as _;
use rsa::pkcs8::SubjectPublicKeyInfoRef;

use super::error::{RSA_ENCRYPTION, algorithm_error, malformed};
use super::parse::pem_block;
use super::{KeyError, MAX_KEY_BITS, MIN_KEY_BITS};
use crate::VerifyError;

/// An RSA public key that checks signatures, e.g. in a mock server (see [`verify`](crate::verify)).
///
/// It verifies with aws-lc-rs when the `aws-lc-rs` feature is on, else with the `rsa` crate.
#[derive(Clone)]
pub struct PublicKey {
    bits: usize,
    #[cfg(feature = "aws-lc-rs")]
    key: aws_lc_rs::signature::ParsedPublicKey,
    /// The same key, for PS384 (AWS-LC binds a parsed key to one algorithm).
    #[cfg(feature = "aws-lc-rs")]
    pss: aws_lc_rs::signature::ParsedPublicKey,
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
    /// let key = idv_signing::PublicKey::from_pem(include_str!("../../tests/data/test-rsa2048-pub.pem"))?;
    /// assert_eq!(key.bits(), 2048);
    /// # Ok::<(), idv_signing::KeyError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`KeyError`]: not PEM, not RSA, under 2048 bits, malformed, or
    /// [`KeyError::Unsupported`] for a private key or certificate (for a private key, use
    /// [`SigningKey::public_key`](super::SigningKey::public_key)).
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

    pub(super) fn from_pkcs1(key: RsaPublicKeyRef<'_>) -> Result<Self, KeyError> {
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
        // Both backends (AWS-LC and the `rsa` crate) take public exponents of at most 33 bits.
        let exponent = key.public_exponent.as_bytes();
        let exponent_bits = match exponent.first() {
            Some(&top) => (exponent.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
            None => 0,
        };
        if exponent_bits > 33 {
            return Err(KeyError::Unsupported {
                what: format!(
                    "an RSA key whose public exponent has {exponent_bits} bits; the most supported \
                     is 33 (Yoti keys use 65537): use the key from the Yoti Hub"
                ),
            });
        }
        #[cfg(feature = "aws-lc-rs")]
        {
            use aws_lc_rs::signature::{
                ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PSS_2048_8192_SHA384,
            };
            let der = rsa::pkcs1::der::Encode::to_der(&key).map_err(malformed)?;
            let key = ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &der).map_err(malformed)?;
            let pss = ParsedPublicKey::new(&RSA_PSS_2048_8192_SHA384, &der).map_err(malformed)?;
            Ok(PublicKey { bits, key, pss })
        }
        #[cfg(not(feature = "aws-lc-rs"))]
        {
            let key = rsa::PublicKey::try_from(key).map_err(malformed)?;
            let key = rsa::pkcs1v15::VerifyingKey::new(key);
            Ok(PublicKey { bits, key })
        }
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

    /// Checks that `signature` (raw bytes) is this key's `PS384` signature of `message`:
    /// RSASSA-PSS over SHA-384 with MGF1 over SHA-384 and a 48-byte salt, as
    /// [`SigningKey::sign_ps384`](super::SigningKey::sign_ps384) makes and JSON Web Algorithms
    /// define (RFC 7518 §3.5). A signature with another salt length does not verify.
    ///
    /// # Errors
    ///
    /// [`VerifyError::Ps384Mismatch`].
    pub fn verify_ps384(&self, message: &[u8], signature: &[u8]) -> Result<(), VerifyError> {
        #[cfg(feature = "aws-lc-rs")]
        let verified = self.pss.verify_sig(message, signature).is_ok();
        #[cfg(not(feature = "aws-lc-rs"))]
        let verified = AsRef::<rsa::PublicKey>::as_ref(&self.key)
            .pss_verify::<sha2::Sha384>(message, signature)
            .is_ok();
        if verified {
            Ok(())
        } else {
            Err(VerifyError::Ps384Mismatch)
        }
    }
}
