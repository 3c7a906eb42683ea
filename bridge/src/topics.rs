//! Topic names: one place that knows the layout `<prefix>/<room>/...` and what a level may hold.

use crate::error::{BridgeError, Result};

/// The retained topics every room has, besides `availability`, `state` and discovery.
pub const SMALL_TOPICS: [&str; 7] =
    ["app_state", "in_call", "mic_muted", "camera_muted", "speaker_muted", "participants_count", "incoming_call"];

/// Topics of one room.
#[derive(Debug, Clone)]
pub struct RoomTopics {
    base: String,
}

impl RoomTopics {
    pub fn new(prefix: &str, room: &str) -> Self {
        RoomTopics { base: format!("{prefix}/{room}") }
    }
    pub fn base(&self) -> &str {
        &self.base
    }
    pub fn availability(&self) -> String {
        format!("{}/availability", self.base)
    }
    pub fn state(&self) -> String {
        format!("{}/state", self.base)
    }
    pub fn small(&self, name: &str) -> String {
        format!("{}/{name}", self.base)
    }
    pub fn event(&self, name: &str) -> String {
        format!("{}/event/{}", self.base, level(name))
    }
    pub fn command(&self, method: &str) -> String {
        format!("{}/cmd/{method}", self.base)
    }
    /// What the bridge subscribes to for this room.
    pub fn command_filter(&self) -> String {
        format!("{}/cmd/+", self.base)
    }
    pub fn reply(&self, method: &str) -> String {
        format!("{}/reply/{}", self.base, level(method))
    }
}

/// The bridge's own status topic (the `_` keeps it apart from room names).
pub fn bridge_status(prefix: &str, client_id: &str) -> String {
    format!("{prefix}/_bridge/{}/availability", level(client_id))
}

/// What the bridge-wide session subscribes to, to answer commands for rooms it does not serve.
pub fn any_command_filter(prefix: &str) -> String {
    format!("{prefix}/+/cmd/+")
}

/// Splits `<prefix>/<room>/cmd/<method>` into room and method.
pub fn parse_command<'a>(prefix: &str, topic: &'a str) -> Option<(&'a str, &'a str)> {
    let rest = topic.strip_prefix(prefix)?.strip_prefix('/')?;
    let (room, rest) = rest.split_once('/')?;
    let method = rest.strip_prefix("cmd/")?;
    (!room.is_empty() && !method.contains('/')).then_some((room, method))
}

/// A string made safe as one topic level: `/`, `+`, `#` and NUL become `_`; empty becomes `_`.
pub fn level(s: &str) -> String {
    if s.is_empty() {
        return "_".into();
    }
    s.chars().map(|c| if matches!(c, '/' | '+' | '#' | '\0') { '_' } else { c }).collect()
}

/// Whether `t` may be published to: non-empty, no wildcards, no NUL, not too long.
pub fn is_publishable(t: &str) -> bool {
    !t.is_empty() && t.len() <= 65_535 && !t.contains(['+', '#', '\0'])
}

/// A prefix: one or more non-empty levels, no wildcards.
pub fn check_prefix(what: &str, p: &str) -> Result<()> {
    if p.is_empty() || !is_publishable(p) || p.split('/').any(str::is_empty) {
        return Err(BridgeError::Config(format!(
            "{what} '{p}' must be non-empty levels separated by '/', without + or # (and no leading or trailing '/')"
        )));
    }
    Ok(())
}

/// Room names are topic levels and Home Assistant ids at once: `[A-Za-z0-9][A-Za-z0-9_-]*`.
pub fn check_room_name(name: &str) -> Result<()> {
    let mut chars = name.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(BridgeError::Config(format!(
            "room name '{name}' must be letters, digits, '_' or '-', starting with a letter or digit"
        )))
    }
}

/// `s` reduced to `[a-zA-Z0-9_-]`, the character class of Home Assistant discovery ids.
pub fn ha_id(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_topics() {
        assert_eq!(parse_command("tcroom", "tcroom/lobby/cmd/getAppState"), Some(("lobby", "getAppState")));
        assert_eq!(parse_command("a/b", "a/b/lobby/cmd/x"), Some(("lobby", "x")));
        assert_eq!(parse_command("tcroom", "tcroom/lobby/state"), None);
        assert_eq!(parse_command("tcroom", "tcroomx/lobby/cmd/x"), None);
        assert_eq!(parse_command("tcroom", "tcroom/lobby/cmd/x/y"), None);
    }

    #[test]
    fn levels() {
        assert_eq!(level("a/b+c#"), "a_b_c_");
        assert_eq!(level(""), "_");
        assert!(check_room_name("room-1_a").is_ok());
        assert!(check_room_name("_bridge").is_err());
        assert!(check_room_name("a b").is_err());
        assert!(check_prefix("p", "site/tcroom").is_ok());
        assert!(check_prefix("p", "site/").is_err());
        assert_eq!(ha_id("site/tc room"), "site_tc_room");
    }
}
