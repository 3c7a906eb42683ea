//! Home Assistant MQTT discovery: one device per room, its entities bound to the room's topics.
//!
//! Every entity drives the generic command path: a switch publishes `{"mute":true}` to
//! `cmd/setMicMute`, a button `{}` to `cmd/accept`, the text entity `{"peerId": "<text>"}` to
//! `cmd/call`. So Home Assistant needs nothing the other MQTT clients do not have.
//! One config topic per entity (`<ha prefix>/<component>/<unique_id>/config`, the layout every
//! Home Assistant release understands), retained.

use crate::topics::{ha_id, RoomTopics};
use serde_json::{json, Map, Value};

/// One discovery config: where it goes and what it says.
#[derive(Debug, Clone)]
pub struct DiscoveryConfig {
    pub topic: String,
    pub payload: Value,
}

/// Whose entities these are.
pub struct DeviceInfo<'a> {
    pub ha_prefix: &'a str,
    pub topic_prefix: &'a str,
    pub room: &'a str,
    pub title: &'a str,
    pub qos: u8,
}

/// The configs of one room, in a fixed order.
pub fn configs(d: &DeviceInfo, t: &RoomTopics) -> Vec<DiscoveryConfig> {
    let device_id = format!("{}_{}", ha_id(d.topic_prefix), d.room);
    let device = json!({
        "identifiers": [device_id],
        "name": d.title,
        "manufacturer": "TrueConf",
        "model": "TrueConf Room",
    });
    let origin = json!({"name": "tcroom-bridge", "sw_version": env!("CARGO_PKG_VERSION")});
    let entity = |component: &str, key: &str, name: &str, icon: &str, specific: Value| {
        let unique_id = format!("{device_id}_{key}");
        let mut m = Map::new();
        m.insert("name".into(), json!(name));
        m.insert("unique_id".into(), json!(unique_id));
        m.insert("icon".into(), json!(icon));
        m.insert("availability_topic".into(), json!(t.availability()));
        m.insert("payload_available".into(), json!("online"));
        m.insert("payload_not_available".into(), json!("offline"));
        m.insert("qos".into(), json!(d.qos));
        m.insert("device".into(), device.clone());
        m.insert("origin".into(), origin.clone());
        if let Value::Object(extra) = specific {
            m.extend(extra);
        }
        DiscoveryConfig { topic: format!("{}/{component}/{unique_id}/config", d.ha_prefix), payload: Value::Object(m) }
    };
    let mute = |key: &str, name: &str, icon: &str, method: &str| {
        entity(
            "switch",
            key,
            name,
            icon,
            json!({
                "command_topic": t.command(method),
                "payload_on": r#"{"mute":true}"#,
                "payload_off": r#"{"mute":false}"#,
                "state_topic": t.small(key),
                "state_on": "true",
                "state_off": "false",
            }),
        )
    };
    let button = |key: &str, name: &str, icon: &str, method: &str, press: &str| {
        entity("button", key, name, icon, json!({"command_topic": t.command(method), "payload_press": press}))
    };
    vec![
        mute("mic_muted", "Microphone muted", "mdi:microphone-off", "setMicMute"),
        mute("camera_muted", "Camera muted", "mdi:video-off", "setVideoMute"),
        mute("speaker_muted", "Speaker muted", "mdi:volume-off", "setAudioMute"),
        entity(
            "sensor",
            "app_state",
            "App state",
            "mdi:monitor-dashboard",
            // The whole state JSON rides along as attributes (participants, conference...).
            json!({"state_topic": t.small("app_state"), "json_attributes_topic": t.state()}),
        ),
        entity(
            "binary_sensor",
            "in_call",
            "In call",
            "mdi:phone-in-talk",
            json!({"state_topic": t.small("in_call"), "payload_on": "true", "payload_off": "false"}),
        ),
        button("hang_up", "Hang up", "mdi:phone-hangup", "hangUp", r#"{"forAll":false}"#),
        button("answer", "Answer", "mdi:phone", "accept", "{}"),
        button("decline", "Decline", "mdi:phone-cancel", "reject", "{}"),
        entity(
            "text",
            "call",
            "Call",
            "mdi:phone-outgoing",
            json!({
                "command_topic": t.command("call"),
                // Home Assistant renders this with the typed text as `value`.
                "command_template": "{\"peerId\": {{ value | tojson }}}",
                "min": 1,
                "max": 255,
                "mode": "text",
            }),
        ),
    ]
}
