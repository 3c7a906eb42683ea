//! `<prefix>/<room>/cmd/<method>`: run the command, answer on the MQTT v5 response topic (with the
//! request's correlation data) or on `<prefix>/<room>/reply/<method>`.
//!
//! Whatever arrives, something is answered and nothing panics: bad JSON, an offline or unknown
//! room, too many commands at once each get an error reply with a stable `kind`.

use crate::outbox::{Message, Outbox};
use crate::room::RoomLink;
use crate::topics::{self, RoomTopics};
use bytes::Bytes;
use rumqttc::v5::mqttbytes::v5::{Publish, PublishProperties};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tcroom_core::ErrorKind;
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tracing::debug;

/// Where and how to answer one request.
pub struct ReplyTo {
    topic: String,
    correlation: Option<Bytes>,
}

impl ReplyTo {
    /// The response topic when the request names a usable one, else the room's reply topic.
    pub fn of(p: &Publish, fallback: String) -> ReplyTo {
        let props = p.properties.as_ref();
        let topic =
            props.and_then(|pr| pr.response_topic.clone()).filter(|t| topics::is_publishable(t)).unwrap_or(fallback);
        ReplyTo { topic, correlation: props.and_then(|pr| pr.correlation_data.clone()) }
    }

    pub fn message(self, body: Value) -> Message {
        let props = PublishProperties {
            payload_format_indicator: Some(1),
            correlation_data: self.correlation,
            content_type: Some("application/json".into()),
            ..Default::default()
        };
        Message { topic: self.topic, payload: Bytes::from(body.to_string()), retain: false, props: Some(props) }
    }
}

pub fn ok_body(room: &str, method: &str, reply: Value) -> Value {
    json!({"ok": true, "room": room, "method": method, "reply": reply})
}

pub fn error_body(room: &str, method: &str, kind: &str, error: impl Into<String>) -> Value {
    json!({"ok": false, "room": room, "method": method, "kind": kind, "error": error.into()})
}

fn core_kind(k: ErrorKind) -> &'static str {
    match k {
        ErrorKind::InvalidArgument => "invalid_argument",
        ErrorKind::Connection => "connection",
        ErrorKind::Auth => "auth",
        ErrorKind::Timeout => "timeout",
        ErrorKind::Disconnected => "disconnected",
        ErrorKind::Refused => "refused",
        ErrorKind::Protocol => "protocol",
        ErrorKind::Closed => "closed",
    }
}

/// The parameters: an empty payload is no parameters; otherwise a JSON object (or null).
pub fn parse_params(payload: &[u8]) -> Result<Value, String> {
    if payload.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    match serde_json::from_slice::<Value>(payload) {
        Ok(v @ (Value::Object(_) | Value::Null)) => Ok(v),
        Ok(other) => Err(format!("the payload must be a JSON object, not {}", kind_of(&other))),
        Err(e) => Err(format!("the payload is not JSON: {e}")),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Runs the commands of one room.
pub struct Commands {
    pub room: String,
    pub topics: RoomTopics,
    pub outbox: Arc<Outbox>,
    pub link: watch::Receiver<Option<RoomLink>>,
    pub permits: Arc<Semaphore>,
    /// What `permits` started with (for the `busy` message).
    pub max_in_flight: usize,
    pub timeout: Duration,
}

impl Commands {
    /// Handles one `cmd/<method>` publish; the command itself runs on its own task.
    pub fn handle(&self, p: Publish) {
        let topic = String::from_utf8_lossy(&p.topic);
        let method = topic.rsplit('/').next().unwrap_or_default().to_owned();
        let reply_to = ReplyTo::of(&p, self.topics.reply(&method));
        match self.admit(&p.payload) {
            Ok((link, params, permit)) => {
                let (room, outbox, timeout) = (self.room.clone(), self.outbox.clone(), self.timeout);
                tokio::spawn(async move {
                    let body = match link.request(&method, params, timeout).await {
                        Ok(reply) => ok_body(&room, &method, reply),
                        Err(e) => error_body(&room, &method, core_kind(e.kind()), e.to_string()),
                    };
                    outbox.push(reply_to.message(body));
                    drop(permit);
                });
            }
            Err((kind, text)) => {
                debug!(room = %self.room, method, kind, "command refused by the bridge: {text}");
                self.outbox.push(reply_to.message(error_body(&self.room, &method, kind, text)));
            }
        }
    }

    /// What the command needs to run, or why it cannot.
    fn admit(&self, payload: &[u8]) -> Result<(RoomLink, Value, OwnedSemaphorePermit), (&'static str, String)> {
        let params = parse_params(payload).map_err(|text| ("bad_json", text))?;
        let link = self.link.borrow().clone().ok_or_else(|| ("offline", format!("room '{}' is offline", self.room)))?;
        let permit = self
            .permits
            .clone()
            .try_acquire_owned()
            .map_err(|_| ("busy", format!("room '{}' already runs {} commands", self.room, self.max_in_flight)))?;
        Ok((link, params, permit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params() {
        assert_eq!(parse_params(b""), Ok(Value::Null));
        assert_eq!(parse_params(b"  \n"), Ok(Value::Null));
        assert_eq!(parse_params(b"{\"mute\":true}"), Ok(json!({"mute": true})));
        assert!(parse_params(b"[1]").unwrap_err().contains("an array"));
        assert!(parse_params(b"{oops").unwrap_err().contains("not JSON"));
    }

    #[test]
    fn replies_go_to_the_response_topic_with_the_correlation_data() {
        let mut p = Publish::new("t/r/cmd/x", rumqttc::v5::mqttbytes::QoS::AtLeastOnce, "", None);
        p.properties = Some(PublishProperties {
            response_topic: Some("me/replies".into()),
            correlation_data: Some(Bytes::from_static(b"42")),
            ..Default::default()
        });
        let m = ReplyTo::of(&p, "t/r/reply/x".into()).message(json!({}));
        assert_eq!(m.topic, "me/replies");
        assert_eq!(m.props.unwrap().correlation_data.unwrap(), Bytes::from_static(b"42"));
        p.properties = Some(PublishProperties { response_topic: Some("bad/+".into()), ..Default::default() });
        assert_eq!(ReplyTo::of(&p, "t/r/reply/x".into()).message(json!({})).topic, "t/r/reply/x");
    }
}
