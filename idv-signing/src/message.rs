//! The message that is signed, and checking a signature over it.

use base64::prelude::{BASE64_STANDARD, Engine as _};

use crate::PublicKey;

/// Builds the exact string that Yoti signs for a request:
/// `METHOD&PATH?QUERY`, followed by `&` and the standard padded base64 of the body when the
/// body is non-empty.
///
/// `path_and_query` is relative to the API base URL (`/sessions/X?sdkId=...`, not
/// `/idverify/v1/sessions/X?...`) and exactly as sent on the wire, percent-encoding included.
///
/// ```
/// use idv_signing::signed_message;
///
/// assert_eq!(
///     signed_message("POST", "/sessions?nonce=n&timestamp=1", Some(b"{}")),
///     "POST&/sessions?nonce=n&timestamp=1&e30="
/// );
/// // No body, or an empty one: no trailing `&`.
/// assert_eq!(signed_message("GET", "/sessions?nonce=n", Some(b"")), "GET&/sessions?nonce=n");
/// ```
pub fn signed_message(method: &str, path_and_query: &str, body: Option<&[u8]>) -> String {
    message_from_parts(method, [path_and_query, "", ""], body)
}

/// [`signed_message`] with the path and query given in pieces that are joined as they are
/// copied in, so that the signer needs no separate allocation for the path and query.
pub(crate) fn message_from_parts(
    method: &str,
    path_and_query: [&str; 3],
    body: Option<&[u8]>,
) -> String {
    let body = body.filter(|body| !body.is_empty());
    let body_len = body.map_or(0, |body| {
        1 + base64::encoded_len(body.len(), true).unwrap_or(0)
    });
    let path_len: usize = path_and_query.iter().map(|part| part.len()).sum();
    let mut message = String::with_capacity(method.len() + 1 + path_len + body_len);
    message.push_str(method);
    message.push('&');
    for part in path_and_query {
        message.push_str(part);
    }
    if let Some(body) = body {
        message.push('&');
        BASE64_STANDARD.encode_string(body, &mut message);
    }
    message
}

/// Why a signature did not verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The digest is not standard padded base64 of at most 8192 bits.
    #[error("the X-Yoti-Auth-Digest is not a standard padded base64 RSA signature")]
    NotBase64,
    /// The signature does not match the request and key.
    #[error(
        "the signature does not match: the method, path, query or body differ from what was \
         signed, or another key signed it"
    )]
    Mismatch,
    /// A `PS384` signature ([`PublicKey::verify_ps384`]) does not match its message and key.
    #[error(
        "the PS384 signature does not match: the message differs from what was signed, or \
         another key signed it"
    )]
    Ps384Mismatch,
}

/// Checks a request's `X-Yoti-Auth-Digest`, as the Yoti API does: `digest` must be the RSA
/// PKCS#1 v1.5 SHA-256 signature, by `public_key`'s private key, of
/// [`signed_message(method, path_and_query, body)`](signed_message).
///
/// For mock servers and tests. `path_and_query` is relative to the API base URL, exactly as
/// received (percent-encoding included). The only allocation is the message itself.
///
/// ```
/// use idv_signing::{SigningKey, signed_message, verify};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let key = SigningKey::from_pem(include_str!("../tests/data/test-rsa2048-pkcs8.pem"))?;
/// let digest = key.sign(signed_message("GET", "/sessions?nonce=n", None).as_bytes())?;
///
/// assert!(verify(&key.public_key(), "GET", "/sessions?nonce=n", None, &digest).is_ok());
/// assert!(verify(&key.public_key(), "GET", "/sessions?nonce=m", None, &digest).is_err());
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// [`VerifyError::NotBase64`] or [`VerifyError::Mismatch`].
pub fn verify(
    public_key: &PublicKey,
    method: &str,
    path_and_query: &str,
    body: Option<&[u8]>,
    digest: &str,
) -> Result<(), VerifyError> {
    public_key.verify_message(
        signed_message(method, path_and_query, body).as_bytes(),
        digest,
    )
}
