//! The client assertion: the signed JWT with which an application obtains a Yoti
//! authentication token (OAuth 2.0 client credentials, RFC 7523 client authentication).

use base64::prelude::{BASE64_URL_SAFE_NO_PAD, Engine as _};
use serde_json::Value;

use crate::{SignError, SigningKey};

/// How long a client assertion is valid, in seconds: `exp` is `iat` plus this, 5 minutes as
/// in the official SDKs.
pub const ASSERTION_LIFETIME_SECS: u64 = 300;

/// The JOSE header of every client assertion.
const HEADER: &str = r#"{"alg":"PS384","typ":"JWT"}"#;

/// Makes the client assertion that the Yoti auth service takes in exchange for a token: a JWT
/// signed `PS384` ([`SigningKey::sign_ps384`]) with the application's key, whose header is
/// `{"alg":"PS384","typ":"JWT"}` and whose claims are
///
/// | claim | value |
/// |---|---|
/// | `iss`, `sub` | `sdk:<sdk_id>` |
/// | `jti` | `jwt_id`: a fresh UUID for each assertion (the service refuses one it has seen) |
/// | `aud` | `audience`: the token endpoint's URL, e.g. `https://auth.api.yoti.com/v1/oauth/token` |
/// | `exp` | `issued_at` + [`ASSERTION_LIFETIME_SECS`] |
/// | `iat` | `issued_at`, in Unix seconds |
///
/// as the official Java (`AuthenticationTokenGenerator`) and PHP SDKs make it.
///
/// ```
/// use idv_signing::{SigningKey, client_assertion};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let key = SigningKey::from_pem(include_str!("../tests/data/test-rsa2048-pkcs1.pem"))?;
/// let jwt = client_assertion(
///     &key,
///     "my-sdk-id",
///     "https://auth.api.yoti.com/v1/oauth/token",
///     1_700_000_000,
///     "1c3a0a9e-7a4f-4d0e-9b59-5f3c2b7d8e10",
/// )?;
/// let parts: Vec<&str> = jwt.split('.').collect();
/// assert_eq!(parts[0], "eyJhbGciOiJQUzM4NCIsInR5cCI6IkpXVCJ9"); // {"alg":"PS384","typ":"JWT"}
/// assert_eq!(parts.len(), 3);
/// # Ok(())
/// # }
/// ```
///
/// The JWT is built here (three base64url parts without padding, joined by `.`) rather than by
/// a JWT crate: `jsonwebtoken`, the well-kept one, signs only with a key it parses itself from
/// the PEM or DER bytes, through a process-wide crypto provider. That would parse the
/// application's key a second way beside [`SigningKey`], keep a second copy of it, and tie the
/// backend to that crate's own choice rather than this crate's two.
///
/// # Errors
///
/// [`SignError::Signing`] if the backend fails.
pub fn client_assertion(
    key: &SigningKey,
    sdk_id: &str,
    audience: &str,
    issued_at: u64,
    jwt_id: &str,
) -> Result<String, SignError> {
    // `Value::from(..).to_string()` writes a JSON string, escaped.
    let text = |s: &str| Value::from(s).to_string();
    let subject = text(&format!("sdk:{sdk_id}"));
    let claims = format!(
        r#"{{"iss":{subject},"sub":{subject},"jti":{},"aud":{},"exp":{},"iat":{issued_at}}}"#,
        text(jwt_id),
        text(audience),
        issued_at.saturating_add(ASSERTION_LIFETIME_SECS),
    );
    let mut jwt = BASE64_URL_SAFE_NO_PAD.encode(HEADER);
    jwt.push('.');
    BASE64_URL_SAFE_NO_PAD.encode_string(claims, &mut jwt);
    let signature = key.sign_ps384(jwt.as_bytes())?;
    jwt.push('.');
    BASE64_URL_SAFE_NO_PAD.encode_string(signature, &mut jwt);
    Ok(jwt)
}
