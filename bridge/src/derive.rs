//! The small retained topics panels bind to, derived from the state JSON of `crate::room`.
//!
//! Keys read (snake_case): `app_state` (number, PROTOCOL.md §4), `in_call` (bool), `mic_muted`,
//! `camera_muted`, `speaker_muted` (bool or null), `participants` (array), `incoming_call`
//! (object or null). A key that is absent or null publishes [`UNKNOWN`]; `in_call` falls back to
//! `app_state == 5` while the state has no such key.

use serde_json::Value;

/// Home Assistant's MQTT entities reset to "unknown" on the payload `None`; an empty payload is
/// ignored by them (and would delete the retained message, so late subscribers would get
/// nothing). So "not known" is published as `None`.
pub const UNKNOWN: &str = "None";

/// `(topic suffix, payload)` for each of `topics::SMALL_TOPICS`, in that order.
pub fn small_topics(state: &Value) -> Vec<(&'static str, String)> {
    let app_state = state.get("app_state").and_then(Value::as_i64);
    let in_call = match state.get("in_call").and_then(Value::as_bool) {
        Some(b) => Some(b),
        None => app_state.map(|s| s == 5),
    };
    vec![
        ("app_state", app_state.map(app_state_name).unwrap_or_else(|| UNKNOWN.into())),
        ("in_call", boolean(in_call)),
        ("mic_muted", boolean(state.get("mic_muted").and_then(Value::as_bool))),
        ("camera_muted", boolean(state.get("camera_muted").and_then(Value::as_bool))),
        ("speaker_muted", boolean(state.get("speaker_muted").and_then(Value::as_bool))),
        (
            "participants_count",
            state
                .get("participants")
                .and_then(Value::as_array)
                .map(|a| a.len().to_string())
                .unwrap_or_else(|| UNKNOWN.into()),
        ),
        ("incoming_call", incoming_call(state.get("incoming_call"))),
    ]
}

fn boolean(b: Option<bool>) -> String {
    match b {
        Some(true) => "true".into(),
        Some(false) => "false".into(),
        None => UNKNOWN.into(),
    }
}

/// The call as compact JSON while something rings, `null` when nothing does, unknown when the
/// state does not say.
fn incoming_call(v: Option<&Value>) -> String {
    match v {
        None => UNKNOWN.into(),
        Some(Value::Null) => "null".into(),
        Some(v) => v.to_string(),
    }
}

/// PROTOCOL.md §4 names; another number is published as it is.
pub fn app_state_name(n: i64) -> String {
    match n {
        0 => "none",
        1 => "connect",
        2 => "login",
        3 => "normal",
        4 => "wait",
        5 => "conference",
        6 => "close",
        other => return other.to_string(),
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn get(v: &[(&str, String)], k: &str) -> String {
        v.iter().find(|(n, _)| *n == k).map(|(_, p)| p.clone()).unwrap()
    }

    #[test]
    fn todays_state_mirror() {
        let s =
            json!({"connected": true, "authorized": true, "app_state": 5, "conference": {}, "participants": [{}, {}]});
        let t = small_topics(&s);
        assert_eq!(t.len(), crate::topics::SMALL_TOPICS.len());
        for ((name, _), expected) in t.iter().zip(crate::topics::SMALL_TOPICS) {
            assert_eq!(*name, expected);
        }
        assert_eq!(get(&t, "app_state"), "conference");
        assert_eq!(get(&t, "in_call"), "true");
        assert_eq!(get(&t, "mic_muted"), UNKNOWN);
        assert_eq!(get(&t, "participants_count"), "2");
        assert_eq!(get(&t, "incoming_call"), UNKNOWN);
    }

    #[test]
    fn live_room_state_keys() {
        let s = json!({"app_state": 4, "in_call": false, "mic_muted": true, "camera_muted": false, "speaker_muted": null,
            "participants": [], "incoming_call": {"peer_id": "user1@some.server"}});
        let t = small_topics(&s);
        assert_eq!(get(&t, "app_state"), "wait");
        assert_eq!(get(&t, "in_call"), "false");
        assert_eq!(get(&t, "mic_muted"), "true");
        assert_eq!(get(&t, "camera_muted"), "false");
        assert_eq!(get(&t, "speaker_muted"), UNKNOWN);
        assert_eq!(get(&t, "participants_count"), "0");
        assert_eq!(get(&t, "incoming_call"), r#"{"peer_id":"user1@some.server"}"#);
        assert_eq!(get(&small_topics(&json!({"incoming_call": null})), "incoming_call"), "null");
        assert_eq!(get(&small_topics(&json!({})), "in_call"), UNKNOWN);
    }
}
