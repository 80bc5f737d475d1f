//! The `GET /sessions/{id}` body: a session's flow as the API reports it, at a given time and
//! under a given sandbox configuration.

use std::time::Duration;

use serde_json::{Map, Value, json};

use super::digital_id;
use super::flow::Document;
use super::flow::FACE_COMPARISON;
use super::profile;
use super::sandbox::{check_reports, configured_entry, liveness_type};
use super::{Body, Session, time};

impl Session {
    pub(super) fn render(&self, id: &str, app: &Map<String, Value>, now: Duration) -> Value {
        let flow = match &self.body {
            Body::Raw(body) => return body.clone(),
            Body::Flow(flow) => flow,
        };
        if let Some(waiting) = self.render_waiting(id, now) {
            return waiting;
        }
        let config = self.effective_config(app);
        let done = self.checks_done(&config, now);
        let created = time(self.created);
        let finished = time(self.checks_finish(&config));
        let media = |id: &str| -> Value {
            self.media.get(id).map_or(
                Value::Null,
                |m| json!({"id": id, "type": m.kind, "created": created, "last_updated": created}),
            )
        };
        let resource = |source: &str, id: &str, fields: Value| -> Value {
            let mut resource = json!({
                "id": id,
                "source": {"type": source},
                "created_at": created,
                "last_updated": created,
                "tasks": [],
            });
            if let (Value::Object(r), Value::Object(f)) = (&mut resource, fields) {
                r.extend(f);
            }
            resource
        };
        let share = digital_id::share(&config, flow);
        let document = |d: &Document| -> Value {
            let tasks: Vec<Value> = d
                .task
                .iter()
                .map(|t| {
                    let mut task = json!({
                        "id": t.id,
                        "type": t.kind,
                        "state": "DONE",
                        "created": created,
                        "last_updated": created,
                        "generated_media": [{"id": t.media, "type": "JSON"}],
                        "generated_checks": [{"id": t.check.0, "type": t.check.1}],
                    });
                    let result =
                        configured_entry(&config, "task_results", t.kind, Some(d), None, None)
                            .and_then(|entry| entry.get("result"));
                    if let Some(recommendation) = result.and_then(|r| r.get("recommendation")) {
                        task["recommendation"] = recommendation.clone();
                    }
                    task
                })
                .collect();
            let mut fields = json!({
                "document_type": d.document_type,
                "issuing_country": d.country,
                "tasks": tasks,
            });
            if d.supplementary {
                fields["file"] = json!({"media": media(&d.page)});
            } else if let Some((frame, photo)) = &d.frame_and_photo {
                fields["pages"] = json!([{
                    "capture_method": "CAMERA",
                    "media": media(&d.page),
                    "frames": [{"media": media(frame)}],
                }]);
                fields["document_id_photo"] = json!({"media": media(photo)});
            }
            // A document shared as a Digital ID: from its provider, and not scanned.
            if let Some(share) = share.as_ref().filter(|s| s.shared(d)) {
                fields["document_type"] = json!(share.document_type);
                fields["issuing_country"] = json!(share.country);
                fields["provider"] = json!(share.provider);
                fields["pages"] = json!([{}]);
            }
            if let Some(id) = &d.fields {
                fields["document_fields"] = json!({"media": media(id)});
            }
            resource("END_USER", &d.id, fields)
        };
        let documents = |supplementary: bool| -> Vec<Value> {
            flow.documents
                .iter()
                .filter(|d| d.supplementary == supplementary)
                .map(document)
                .collect()
        };
        // The requested check's type, else the one the configuration's reports are for.
        let liveness_type = (flow.liveness.as_ref())
            .and_then(|l| l.kind.clone())
            .unwrap_or_else(|| liveness_type(&config));
        let liveness: Vec<Value> = flow
            .liveness
            .iter()
            .map(|l| {
                let fields = if liveness_type == "ZOOM" {
                    let captured = l.frames.iter().map(|f| json!({"media": media(f)}));
                    // Frames 4 to 7 may have no media.
                    let frames: Vec<Value> = captured
                        .chain(std::iter::repeat_n(json!({"media": null}), 4))
                        .collect();
                    let facemap = json!({"media": media(&l.facemap)});
                    json!({"liveness_type": "ZOOM", "facemap": facemap, "frames": frames})
                } else {
                    let image = json!({"media": media(&l.image)});
                    json!({"liveness_type": liveness_type, "image": image})
                };
                resource("END_USER", &l.id, fields)
            })
            .collect();
        // The user's own face capture, then those the relying business created.
        let faces: Vec<Value> = flow
            .face
            .iter()
            .filter_map(|(id, image)| {
                let image = json!({"image": {"media": media(image.as_deref()?)}});
                Some(resource("END_USER", id, image))
            })
            .chain(self.captures.iter().map(|c| {
                let fields = c.image.as_deref().map_or_else(
                    || json!({}),
                    |image| json!({"image": {"media": media(image)}}),
                );
                resource("RELYING_BUSINESS", &c.id, fields)
            }))
            .collect();
        let reports = check_reports(&config, flow, &liveness_type);
        // A face comparison runs once the relying business has uploaded its face capture, and
        // uses it.
        let waits_for_face = flow.waits_for_face(&self.captures);
        let uploaded: Vec<&String> = (self.captures.iter())
            .filter(|c| c.image.is_some())
            .map(|c| &c.id)
            .collect();
        let checks: Vec<Value> = flow
            .checks
            .iter()
            .zip(reports)
            .map(|(c, configured)| {
                let generated: Vec<Value> = c
                    .media
                    .iter()
                    .map(|m| json!({"id": m, "type": "JSON"}))
                    .collect();
                let comparison = c.kind == FACE_COMPARISON;
                let done = done && !(comparison && waits_for_face);
                let resources: Vec<&String> = (uploaded.iter().copied())
                    .filter(|_| comparison)
                    .chain(&c.resources)
                    .collect();
                let mut check = json!({
                    "id": c.id,
                    "type": c.kind,
                    "state": if done { "DONE" } else { "PENDING" },
                    "resources_used": resources,
                    "generated_media": generated,
                    "created": created,
                    "last_updated": if done { &finished } else { &created },
                });
                if done {
                    check["report"] = configured
                        .and_then(|entry| entry.pointer("/result/report"))
                        .cloned()
                        .unwrap_or_else(|| profile::unconfigured_report(c));
                }
                profile::extend(c, &mut check, &media);
                check
            })
            .collect();

        let elapsed = now.saturating_sub(self.created).as_secs();
        let mut session = json!({
            "session_id": id,
            "client_session_token": self.token,
            "client_session_token_ttl": self.ttl.saturating_sub(elapsed),
            "state": if (done && !waits_for_face) || checks.is_empty() {
                "COMPLETED"
            } else {
                "ONGOING"
            },
            "resources": {
                "id_documents": documents(false),
                "supplementary_documents": documents(true),
                "liveness_capture": liveness,
                "face_capture": faces,
            },
            "checks": checks,
        });
        if let Some(profile) = flow.identity_profile.as_ref().filter(|_| done) {
            let (result, preview) = profile.keys();
            session[result] = profile.result(&checks, &media);
            if let Some(value) = profile.preview(&media) {
                session[preview] = value;
            }
        }
        if let Some(share) = &share {
            session["digital_id_shares"] = json!([share.render(&created)]);
        }
        if let Some(user) = &self.user_tracking_id {
            session["user_tracking_id"] = json!(user);
        }
        if self.biometric_consent && flow.captures_the_users_face() {
            session["biometric_consent"] = json!(created);
        }
        session
    }
}
