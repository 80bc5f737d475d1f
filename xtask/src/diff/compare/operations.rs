//! Operations: matched by `operationId`, then by endpoint; their parameters, bodies and
//! responses, each compared with the generated method, setters and `send` types.

use std::collections::BTreeSet;

use openapiv3::Content;

use super::index::{Op, operations, param_schema};
use super::{Change, Diff, Place};
use crate::diff::Usage;
use crate::diff::surface::{Method, Surface};
use crate::diff::wire::Node;
use crate::names::snake_name;
use heck::ToSnakeCase;

/// The generated method of an operation, found by its name.
fn method<'s>(surface: &'s Surface, op: &Op<'_>) -> Option<&'s Method> {
    surface.methods.get(&op.id.to_snake_case())
}

impl<'a> Diff<'a> {
    pub(super) fn operations(&mut self) {
        let (mut base, mut head) = (operations(self.base), operations(self.head));
        let common: Vec<String> = base
            .keys()
            .filter(|id| head.contains_key(*id))
            .cloned()
            .collect();
        let mut pairs: Vec<(Op<'a>, Op<'a>)> = Vec::new();
        for id in common {
            if let (Some(b), Some(h)) = (base.remove(&id), head.remove(&id)) {
                pairs.push((b, h));
            }
        }
        // An operationId changed on the same endpoint is a renamed method, not a new one.
        let renamed: Vec<(String, String)> = base
            .iter()
            .filter_map(|(bid, b)| {
                let (hid, _) = head
                    .iter()
                    .find(|(_, h)| (h.method, h.path) == (b.method, b.path))?;
                Some((bid.clone(), hid.clone()))
            })
            .collect();
        for (bid, hid) in renamed {
            if let (Some(b), Some(h)) = (base.remove(&bid), head.remove(&hid)) {
                pairs.push((b, h));
            }
        }
        for (b, h) in &pairs {
            self.operation(b, h);
        }
        for (op, added) in base
            .values()
            .map(|op| (op, false))
            .chain(head.values().map(|op| (op, true)))
        {
            let surface = if added { self.gen_head } else { self.gen_base };
            let item = method(surface, op).map(Method::markdown);
            let place = Place::root(op.group(), Usage::BOTH, item, (None, None));
            let (kind, verb) = if added {
                (Change::OpAdded, "added")
            } else {
                (Change::OpRemoved, "removed")
            };
            let text = format!("operation {verb} (`{} {}`)", op.method, op.path);
            self.push(&place, kind, text);
        }
    }

    fn operation(&mut self, b: &Op<'a>, h: &Op<'a>) {
        let (bm, hm) = (method(self.gen_base, b), method(self.gen_head, h));
        let item = hm.or(bm).map(Method::markdown);
        let place = Place::root(h.group(), Usage::BOTH, item, (None, None));
        if b.id != h.id {
            let was = bm
                .map(|m| format!(" (was {})", m.markdown()))
                .unwrap_or_default();
            let text = format!("operationId `{}` → `{}`{was}", b.id, h.id);
            self.push(&place, Change::OpRenamed, text);
        }
        if (b.method, b.path) != (h.method, h.path) {
            let text = format!(
                "endpoint `{} {}` → `{} {}`",
                b.method, b.path, h.method, h.path
            );
            self.push(&place, Change::OpMoved, text);
        }
        for (what, before, after) in [
            ("summary", &b.op.summary, &h.op.summary),
            ("description", &b.op.description, &h.op.description),
        ] {
            if before != after {
                self.push(&place, Change::Docs, format!("{what} changed"));
            }
        }
        if b.op.deprecated != h.op.deprecated {
            self.push(
                &place,
                Change::Docs,
                if h.op.deprecated {
                    "marked deprecated"
                } else {
                    "no longer deprecated"
                },
            );
        }
        self.parameters(&place, b, h);
        let setter = |m: Option<&Method>, name: &str| m.and_then(|m| m.setters.get(name).cloned());
        let types = (setter(bm, "body"), setter(hm, "body"));
        let body = place.part("request body".into(), Usage::REQUEST, types);
        match (b.body(self.base), h.body(self.head)) {
            (None, None) => {}
            (None, Some(hb)) => {
                let required = if hb.required { "required" } else { "optional" };
                self.push(&body, Change::BodyAdded, format!("added ({required})"));
            }
            (Some(_), None) => self.push(&body, Change::BodyRemoved, "removed"),
            (Some(bb), Some(hb)) => {
                if bb.required != hb.required {
                    let (kind, text) = if hb.required {
                        (Change::BodyMadeRequired, "made required")
                    } else {
                        (Change::BodyMadeOptional, "made optional")
                    };
                    self.push(&body, kind, text);
                }
                if bb.description != hb.description {
                    self.push(&body, Change::Docs, "description changed");
                }
                self.content(&body, &bb.content, &hb.content);
            }
        }
        let (base_responses, head_responses) = (b.responses(self.base), h.responses(self.head));
        let statuses: BTreeSet<&String> =
            base_responses.keys().chain(head_responses.keys()).collect();
        for status in statuses {
            // progenitor gives every success one type, and every error another.
            let success = status.starts_with('2') || status.as_str() == "default";
            let body = |m: Option<&Method>| {
                m.and_then(|m| {
                    if success {
                        m.success.clone()
                    } else {
                        m.error.clone()
                    }
                })
            };
            let types = (body(bm), body(hm));
            let response = place.part(format!("response {status}"), Usage::RESPONSE, types);
            match (base_responses.get(status), head_responses.get(status)) {
                (Some(br), Some(hr)) => {
                    if br.description != hr.description {
                        self.push(&response, Change::Docs, "description changed");
                    }
                    self.content(&response, &br.content, &hr.content);
                }
                (None, _) => self.push(&response, Change::StatusAdded, "added"),
                (_, None) => self.push(&response, Change::StatusRemoved, "removed"),
            }
        }
    }

    fn parameters(&mut self, place: &Place, b: &Op<'a>, h: &Op<'a>) {
        let keys: BTreeSet<&(&str, &str)> = b.params.keys().chain(h.params.keys()).collect();
        let (bm, hm) = (method(self.gen_base, b), method(self.gen_head, h));
        for key @ (location, name) in keys {
            // A parameter's setter is named as typify names a field.
            let setter =
                |m: Option<&Method>| m.and_then(|m| m.setters.get(&snake_name(name)).cloned());
            let param = place.part(
                format!("parameter `{name}` ({location})"),
                Usage::REQUEST,
                (setter(bm), setter(hm)),
            );
            match (b.params.get(key), h.params.get(key)) {
                (None, Some(hp)) => {
                    let required = if hp.required { "required" } else { "optional" };
                    self.push(
                        &param,
                        Change::ParamAdded {
                            required: hp.required,
                        },
                        format!("added ({required})"),
                    );
                }
                (Some(_), None) => self.push(&param, Change::ParamRemoved, "removed"),
                (Some(bp), Some(hp)) => {
                    if bp.required != hp.required {
                        let (kind, text) = if hp.required {
                            (Change::ParamMadeRequired, "made required")
                        } else {
                            (Change::ParamMadeOptional, "made optional")
                        };
                        self.push(&param, kind, text);
                    }
                    if bp.description != hp.description {
                        self.push(&param, Change::Docs, "description changed");
                    }
                    if bp.deprecated.unwrap_or(false) != hp.deprecated.unwrap_or(false) {
                        self.push(&param, Change::Docs, "deprecation changed");
                    }
                    if let (Some(bs), Some(hs)) = (param_schema(bp), param_schema(hp)) {
                        self.node(&param, bs, hs, None, 0);
                    }
                }
                (None, None) => {}
            }
        }
    }

    fn content(&mut self, place: &Place, base: &'a Content, head: &'a Content) {
        let (bkeys, hkeys): (BTreeSet<&String>, BTreeSet<&String>) =
            (base.keys().collect(), head.keys().collect());
        if bkeys != hkeys {
            let list = |keys: &BTreeSet<&String>| {
                if keys.is_empty() {
                    "none".to_string()
                } else {
                    keys.iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            };
            self.push(
                place,
                Change::MediaTypeChanged,
                format!("media type {} → {}", list(&bkeys), list(&hkeys)),
            );
        }
        let several = bkeys.len() > 1;
        for key in bkeys.intersection(&hkeys) {
            let here = if several {
                Place {
                    prefix: format!("{} (`{key}`)", place.prefix),
                    ..place.clone()
                }
            } else {
                place.clone()
            };
            let (Some(bm), Some(hm)) = (base.get(*key), head.get(*key)) else {
                continue;
            };
            match (&bm.schema, &hm.schema) {
                (Some(bs), Some(hs)) => self.node(&here, Node::of(bs), Node::of(hs), None, 0),
                (None, Some(_)) => self.push(&here, Change::Retyped, "schema added"),
                (Some(_), None) => self.push(&here, Change::Retyped, "schema removed"),
                (None, None) => {}
            }
        }
    }
}
