//! The devices and events seen for a session (`GET`/`DELETE /sessions/{id}/tracked-devices`).
//!
//! The emulated user's one device loads the session's configuration and creates its resources
//! when the session is created: a `CONFIG_FIRST_LOADED` event, then a `RESOURCE_CREATED` event
//! for each document, liveness and face capture that the flow made. `DELETE` clears them.

use serde_json::{Value, json};

use super::{Body, Session, time};

impl Session {
    /// The session's device events, oldest first.
    pub(crate) fn tracked_devices(&self) -> Value {
        let Body::Flow(flow) = &self.body else {
            return json!([]);
        };
        if self.devices_deleted {
            return json!([]);
        }
        let device = json!({
            "ip_address": "203.0.113.7",
            "ip_iso_country_code": "GBR",
            "manufacture_name": "Apple",
            "model_name": "iPhone15,2",
            "os_name": "iOS",
            "os_version": "17.4.1",
            "browser_name": "Mobile Safari",
            "browser_version": "17.4",
            "locale": "en-GB",
            "client_version": "2.12.0",
        });
        let created = time(self.created);
        let resources = (flow.documents.iter().map(|d| &d.id))
            .chain(flow.liveness.iter().map(|l| &l.id))
            .chain(
                flow.face
                    .iter()
                    .filter(|(_, i)| i.is_some())
                    .map(|(id, _)| id),
            );
        let mut events = vec![json!({
            "event": "CONFIG_FIRST_LOADED",
            "created": created,
            "device": device,
        })];
        events.extend(resources.map(|id| {
            json!({
                "event": "RESOURCE_CREATED",
                "resource_id": id,
                "created": created,
                "device": device,
            })
        }));
        Value::Array(events)
    }

    /// Deletes the session's device events.
    pub(crate) fn delete_tracked_devices(&mut self) {
        self.devices_deleted = true;
    }
}
