//! What Home Assistant requires of an MQTT discovery config, written from its MQTT
//! documentation (integrations/mqtt "Discovery" and the switch, sensor, binary_sensor, button
//! and text platform pages):
//!
//! - topic `<discovery_prefix>/<component>/[<node_id>/]<object_id>/config`, ids in `[a-zA-Z0-9_-]`;
//!   retained, so Home Assistant finds it after its own restart;
//! - a JSON object; `device` needs at least one of `identifiers` / `connections`, and ties the
//!   entity to the device only together with a `unique_id`; `origin` needs a `name`;
//! - `availability_topic` and `availability` exclude each other; topics are valid (no wildcards
//!   where Home Assistant publishes, none empty); `qos` is 0, 1 or 2;
//! - per platform the required keys (`command_topic` for switch, button and text; `state_topic`
//!   for sensor and binary_sensor) and only documented keys (Home Assistant drops unknown keys
//!   silently, so a typo would go unnoticed there: here it fails);
//! - text: `min` < `max` <= 255, `mode` text or password.

use serde_json::Value;

const COMMON: &[&str] = &[
    "availability",
    "availability_mode",
    "availability_template",
    "availability_topic",
    "payload_available",
    "payload_not_available",
    "device",
    "origin",
    "enabled_by_default",
    "entity_category",
    "entity_picture",
    "icon",
    "json_attributes_template",
    "json_attributes_topic",
    "name",
    "object_id",
    "default_entity_id",
    "unique_id",
    "qos",
    "encoding",
    "platform",
];

const DEVICE_KEYS: &[&str] = &[
    "identifiers",
    "connections",
    "manufacturer",
    "model",
    "model_id",
    "name",
    "hw_version",
    "serial_number",
    "sw_version",
    "suggested_area",
    "via_device",
    "configuration_url",
];

/// (platform, required keys, other documented keys)
const PLATFORMS: &[(&str, &[&str], &[&str])] = &[
    (
        "switch",
        &["command_topic"],
        &[
            "command_template",
            "device_class",
            "optimistic",
            "payload_off",
            "payload_on",
            "retain",
            "state_off",
            "state_on",
            "state_topic",
            "value_template",
        ],
    ),
    (
        "sensor",
        &["state_topic"],
        &[
            "device_class",
            "expire_after",
            "force_update",
            "last_reset_value_template",
            "options",
            "suggested_display_precision",
            "state_class",
            "unit_of_measurement",
            "value_template",
        ],
    ),
    (
        "binary_sensor",
        &["state_topic"],
        &["device_class", "expire_after", "force_update", "off_delay", "payload_off", "payload_on", "value_template"],
    ),
    ("button", &["command_topic"], &["command_template", "device_class", "payload_press", "retain"]),
    (
        "text",
        &["command_topic"],
        &["command_template", "max", "min", "mode", "pattern", "retain", "state_topic", "value_template"],
    ),
];

fn is_id(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn publish_topic_ok(t: &str) -> bool {
    !t.is_empty() && !t.contains(['+', '#', '\0'])
}

/// Checks one discovery message; returns the platform. Panics with what is wrong.
pub fn check(discovery_prefix: &str, topic: &str, retained: bool, payload: &str) -> String {
    let fail = |why: String| -> ! { panic!("discovery config {topic}: {why}\n{payload}") };
    if !retained {
        fail("not retained".into());
    }
    let rest = topic
        .strip_prefix(discovery_prefix)
        .and_then(|r| r.strip_prefix('/'))
        .unwrap_or_else(|| fail("wrong prefix".into()));
    let levels: Vec<&str> = rest.split('/').collect();
    if !(levels.len() == 3 || levels.len() == 4) || levels.last() != Some(&"config") {
        fail("topic is not <prefix>/<component>/[<node_id>/]<object_id>/config".into());
    }
    let platform = levels[0];
    let Some((_, required, documented)) = PLATFORMS.iter().find(|(p, ..)| *p == platform) else {
        fail(format!("unexpected component '{platform}'"));
    };
    for id in &levels[1..levels.len() - 1] {
        if !is_id(id) {
            fail(format!("id '{id}' is not in [a-zA-Z0-9_-]"));
        }
    }
    let v: Value = serde_json::from_str(payload).unwrap_or_else(|e| fail(format!("not JSON: {e}")));
    let obj = v.as_object().unwrap_or_else(|| fail("not a JSON object".into()));
    for key in obj.keys() {
        if !COMMON.contains(&key.as_str()) && !documented.contains(&key.as_str()) && !required.contains(&key.as_str()) {
            fail(format!("'{key}' is not a documented option of {platform}"));
        }
    }
    for key in *required {
        match obj.get(*key).and_then(Value::as_str) {
            Some(t) if publish_topic_ok(t) => {}
            _ => fail(format!("required '{key}' missing or not a valid topic")),
        }
    }
    for (key, value) in obj {
        if key.ends_with("_topic") {
            let t = value.as_str().unwrap_or_else(|| fail(format!("'{key}' is not a string")));
            if !publish_topic_ok(t) {
                fail(format!("'{key}' is not a valid topic"));
            }
        }
        let must_be_string = [
            "name",
            "unique_id",
            "icon",
            "payload_on",
            "payload_off",
            "state_on",
            "state_off",
            "payload_press",
            "payload_available",
            "payload_not_available",
            "command_template",
            "value_template",
            "mode",
        ];
        if must_be_string.contains(&key.as_str()) && !value.is_string() {
            fail(format!("'{key}' must be a string"));
        }
    }
    if obj.contains_key("availability_topic") && obj.contains_key("availability") {
        fail("availability_topic and availability exclude each other".into());
    }
    if let Some(q) = obj.get("qos") {
        if !matches!(q.as_u64(), Some(0..=2)) {
            fail("qos must be 0, 1 or 2".into());
        }
    }
    if let Some(icon) = obj.get("icon").and_then(Value::as_str) {
        if !icon.contains(':') {
            fail("icon must be prefix:name, e.g. mdi:phone".into());
        }
    }
    if let Some(device) = obj.get("device") {
        let d = device.as_object().unwrap_or_else(|| fail("device is not an object".into()));
        for key in d.keys() {
            if !DEVICE_KEYS.contains(&key.as_str()) {
                fail(format!("device.{key} is not documented"));
            }
        }
        let has = |k: &str| match d.get(k) {
            Some(Value::Array(a)) => !a.is_empty(),
            Some(Value::String(s)) => !s.is_empty(),
            _ => false,
        };
        if !has("identifiers") && !has("connections") {
            fail("device needs identifiers or connections".into());
        }
        let unique_id = obj.get("unique_id").and_then(Value::as_str).unwrap_or_default();
        if unique_id.is_empty() {
            fail("an entity with a device needs a unique_id".into());
        }
    }
    if let Some(origin) = obj.get("origin") {
        if !origin.get("name").is_some_and(Value::is_string) {
            fail("origin needs a name".into());
        }
    }
    if platform == "text" {
        let min = obj
            .get("min")
            .map(|v| v.as_u64().unwrap_or_else(|| fail("min is not a positive integer".into())))
            .unwrap_or(0);
        let max = obj
            .get("max")
            .map(|v| v.as_u64().unwrap_or_else(|| fail("max is not a positive integer".into())))
            .unwrap_or(255);
        if min >= max || max > 255 {
            fail(format!("text needs min < max <= 255 (got {min}, {max})"));
        }
        if let Some(mode) = obj.get("mode").and_then(Value::as_str) {
            if mode != "text" && mode != "password" {
                fail(format!("text mode '{mode}'"));
            }
        }
    }
    platform.to_owned()
}

/// Renders the `command_template` forms used by the bridge the way Home Assistant would for the
/// typed `value` (`{{ value | tojson }}` is the only expression allowed here).
pub fn render_command_template(template: &str, value: &str) -> String {
    let expr = "{{ value | tojson }}";
    assert!(template.matches("{{").count() == 1 && template.contains(expr), "unsupported template: {template}");
    template.replace(expr, &serde_json::to_string(value).expect("a string serializes"))
}
