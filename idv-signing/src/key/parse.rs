//! Reading key input: finding the PEM block, naming a DER structure, reading a key file.

use std::fs::File;
use std::io::Read as _;
use std::path::Path;

use rsa::pkcs1::RsaPublicKeyRef;
use rsa::pkcs1::der::asn1::AnyRef;
use rsa::pkcs1::der::{Decode as _, Tag, Tagged as _, pem};
use rsa::pkcs8::SubjectPublicKeyInfoRef;
use zeroize::Zeroizing;

use super::error::{malformed, not_rsa};
use super::{KeyError, MAX_KEY_FILE_BYTES};

/// Reads a key file, at most [`MAX_KEY_FILE_BYTES`] of it, into a buffer that is zeroized
/// when dropped. The buffer is sized from the file's length up front, so that the key bytes
/// are not left behind by a reallocation (a device or pipe, which has no length, may grow it).
pub(super) fn read_key_file(path: &Path) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let file_error = |error| KeyError::File {
        path: path.to_owned(),
        error,
    };
    let file = File::open(path).map_err(file_error)?;
    let len = file.metadata().map_or(0, |metadata| metadata.len());
    let capacity = usize::try_from(len.min(MAX_KEY_FILE_BYTES) + 1).unwrap_or(0);
    let mut bytes = Zeroizing::new(Vec::with_capacity(capacity));
    file.take(MAX_KEY_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(file_error)?;
    if bytes.len() as u64 > MAX_KEY_FILE_BYTES {
        return Err(KeyError::FileTooLarge {
            path: path.to_owned(),
            limit: MAX_KEY_FILE_BYTES,
        });
    }
    Ok(bytes)
}

/// Names a DER structure that is not a private key we can use.
pub(super) fn identify_der(der: &[u8]) -> KeyError {
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
pub(super) struct PemBlock<'a> {
    pub(super) label: &'a str,
    text: &'a [u8],
}

impl PemBlock<'_> {
    /// The DER inside, in a buffer that is zeroized when dropped.
    pub(super) fn decode(&self) -> Result<Zeroizing<Vec<u8>>, KeyError> {
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
pub(super) fn pem_block(input: &[u8]) -> Result<PemBlock<'_>, KeyError> {
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
pub(super) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
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
