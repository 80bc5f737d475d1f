//! The complete session behind [`Emulator::demo_session`](crate::Emulator::demo_session).

use serde_json::{Value, json};

/// The `POST /sessions` payload behind [`crate::Emulator::demo_session`].
pub(crate) fn payload() -> Value {
    json!({
        "client_session_token_ttl": 600,
        "resources_ttl": 90_000,
        "user_tracking_id": "demo-user",
        "requested_checks": [
            {"type": "ID_DOCUMENT_AUTHENTICITY", "config": {"manual_check": "NEVER"}},
            {"type": "ID_DOCUMENT_FACE_MATCH", "config": {"manual_check": "FALLBACK"}},
            {"type": "LIVENESS"}
        ],
        "requested_tasks": [
            {"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION", "config": {"manual_check": "FALLBACK"}},
            {"type": "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION", "config": {"manual_check": "NEVER"}}
        ],
        "required_documents": [{"type": "ID_DOCUMENT"}]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EMBEDDED_SPEC;
    use crate::schema::Spec;

    #[test]
    fn the_demo_payload_is_valid() {
        let spec = Spec::from_yaml(EMBEDDED_SPEC).unwrap();
        assert_eq!(spec.validate("createSession", &payload()), Ok(()));
    }
}
