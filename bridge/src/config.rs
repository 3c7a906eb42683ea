//! The bridge's TOML file: the broker, the rooms, and how often and how much to publish.
//!
//! Secrets (the broker password, room PINs) are never literal values in the file: they come from
//! an environment variable or a file named in it, so the file itself can be shared and logged.

use crate::error::{BridgeError, Result};
use crate::topics;
use serde::Deserialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tcroom_core::Secret;

/// Everything in the file, validated. Start from [`Config::from_toml`] or [`Config::load`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub mqtt: MqttConfig,
    #[serde(default)]
    pub bridge: BridgeSettings,
    #[serde(default)]
    pub home_assistant: HomeAssistant,
    /// The default reconnect policy of every room (a room may override it).
    #[serde(default)]
    pub reconnect: ReconnectPolicy,
    #[serde(default)]
    pub rooms: Vec<RoomConfig>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MqttConfig {
    /// `mqtt://host[:1883]` or `mqtts://host[:8883]`.
    pub url: String,
    /// Each room connects as `<client_id>.<room>`, the bridge itself as `<client_id>`: give every
    /// bridge process its own.
    #[serde(default = "default_client_id")]
    pub client_id: String,
    /// Not a secret, so it may be literal; `username_env` reads it from the environment instead.
    pub username: Option<String>,
    pub username_env: Option<String>,
    pub password_env: Option<String>,
    pub password_file: Option<PathBuf>,
    /// PEM file of the CA that signed the broker's certificate (`mqtts://` only); default: the
    /// system's roots.
    pub ca_file: Option<PathBuf>,
    /// First level(s) of every topic: `<prefix>/<room>/...`.
    #[serde(default = "default_prefix")]
    pub topic_prefix: String,
    /// QoS of everything the bridge publishes and subscribes to.
    #[serde(default = "default_qos")]
    pub qos: u8,
    #[serde(default = "default_keep_alive")]
    pub keep_alive_s: u64,
    /// Back-off between attempts to reach the broker.
    #[serde(default = "default_broker_reconnect")]
    pub reconnect: ReconnectPolicy,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BridgeSettings {
    /// `state` (and the small topics derived from it) is republished at most this often; a change
    /// after a quiet period goes out at once, changes within the interval are merged into one.
    #[serde(default = "default_state_interval")]
    pub state_interval_ms: u64,
    /// Per room: events and replies waiting for the broker. When full, the oldest is dropped and
    /// counted (see `event/bridgeEventsDropped`). Retained topics never queue: only their latest
    /// value is kept, so they cost nothing while the broker is away.
    #[serde(default = "default_queue")]
    pub queue: usize,
    /// Per room: commands running at once; more are refused with a `busy` reply.
    #[serde(default = "default_inflight")]
    pub max_commands_in_flight: usize,
    /// How long a command may wait for the room's reply.
    #[serde(default = "default_command_timeout")]
    pub command_timeout_ms: u64,
    /// Answer `cmd/...` for rooms this bridge does not serve with an error. Turn it off in every
    /// bridge when several share one topic prefix (each would answer for the others' rooms).
    #[serde(default = "yes")]
    pub reply_unknown_rooms: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomeAssistant {
    #[serde(default = "yes")]
    pub discovery: bool,
    #[serde(default = "default_ha_prefix")]
    pub prefix: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReconnectPolicy {
    /// First wait after a failure; it doubles after each further failure, up to `max_ms`.
    #[serde(default = "default_initial_ms")]
    pub initial_ms: u64,
    #[serde(default = "default_max_ms")]
    pub max_ms: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoomConfig {
    /// The topic level and Home Assistant id: letters, digits, `_` and `-`, starting with a
    /// letter or digit.
    pub name: String,
    /// Shown in Home Assistant; default: `name`.
    pub title: Option<String>,
    pub host: String,
    /// Web manager port, for discovery (default 80).
    pub web_port: Option<u16>,
    /// Control WebSocket port: skips discovery.
    pub ws_port: Option<u16>,
    /// The `config.json` path segment of a second instance on one host.
    pub instance: Option<String>,
    pub pin_env: Option<String>,
    pub pin_file: Option<PathBuf>,
    /// `admin` or `user`: checked by the room when set.
    pub role: Option<String>,
    pub reconnect: Option<ReconnectPolicy>,
}

fn yes() -> bool {
    true
}
fn default_client_id() -> String {
    "tcroom-bridge".into()
}
fn default_prefix() -> String {
    "tcroom".into()
}
fn default_qos() -> u8 {
    1
}
fn default_keep_alive() -> u64 {
    30
}
fn default_broker_reconnect() -> ReconnectPolicy {
    ReconnectPolicy { initial_ms: 200, max_ms: 5_000 }
}
fn default_state_interval() -> u64 {
    250
}
fn default_queue() -> usize {
    256
}
fn default_inflight() -> usize {
    32
}
fn default_command_timeout() -> u64 {
    10_000
}
fn default_ha_prefix() -> String {
    "homeassistant".into()
}
fn default_initial_ms() -> u64 {
    500
}
fn default_max_ms() -> u64 {
    30_000
}

impl Default for BridgeSettings {
    fn default() -> Self {
        BridgeSettings {
            state_interval_ms: default_state_interval(),
            queue: default_queue(),
            max_commands_in_flight: default_inflight(),
            command_timeout_ms: default_command_timeout(),
            reply_unknown_rooms: true,
        }
    }
}

impl Default for HomeAssistant {
    fn default() -> Self {
        HomeAssistant { discovery: true, prefix: default_ha_prefix() }
    }
}

impl Default for ReconnectPolicy {
    fn default() -> Self {
        ReconnectPolicy { initial_ms: default_initial_ms(), max_ms: default_max_ms() }
    }
}

impl ReconnectPolicy {
    pub fn initial(&self) -> Duration {
        Duration::from_millis(self.initial_ms)
    }
    pub fn max(&self) -> Duration {
        Duration::from_millis(self.max_ms)
    }
}

impl BridgeSettings {
    pub fn state_interval(&self) -> Duration {
        Duration::from_millis(self.state_interval_ms)
    }
    pub fn command_timeout(&self) -> Duration {
        Duration::from_millis(self.command_timeout_ms)
    }
}

impl RoomConfig {
    pub fn title(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.name)
    }

    /// The PIN, read now from the environment or the file (so a rotated PIN is picked up at the
    /// next reconnect). `None`: the room is unsecured.
    pub fn pin(&self) -> Result<Option<Secret>> {
        let what = format!("PIN of room '{}'", self.name);
        read_secret(&what, self.pin_env.as_deref(), self.pin_file.as_deref())
    }

    pub fn reconnect_policy(&self, default: ReconnectPolicy) -> ReconnectPolicy {
        self.reconnect.unwrap_or(default)
    }
}

impl MqttConfig {
    /// `(username, password)`: the password only with a username.
    pub fn credentials(&self) -> Result<Option<(String, Secret)>> {
        let user = match (&self.username, &self.username_env) {
            (Some(u), None) => Some(u.clone()),
            (None, Some(var)) => Some(std::env::var(var).map_err(|_| {
                BridgeError::Config(format!("mqtt.username_env: the environment variable {var} is not set"))
            })?),
            (None, None) => None,
            (Some(_), Some(_)) => {
                return Err(BridgeError::Config("mqtt: set username or username_env, not both".into()))
            }
        };
        let password = read_secret("broker password", self.password_env.as_deref(), self.password_file.as_deref())?;
        match (user, password) {
            (Some(u), p) => Ok(Some((u, p.unwrap_or_else(|| Secret::new(""))))),
            (None, None) => Ok(None),
            (None, Some(_)) => Err(BridgeError::Config("mqtt: a password is configured without a username".into())),
        }
    }
}

/// A secret from an environment variable or a file (trailing newline removed). The error names
/// where it looked, never what it found.
fn read_secret(what: &str, env: Option<&str>, file: Option<&Path>) -> Result<Option<Secret>> {
    match (env, file) {
        (Some(_), Some(_)) => Err(BridgeError::Config(format!("{what}: set the _env or the _file key, not both"))),
        (Some(var), None) => match std::env::var(var) {
            Ok(v) => Ok(Some(Secret::new(v))),
            Err(_) => Err(BridgeError::Config(format!("{what}: the environment variable {var} is not set"))),
        },
        (None, Some(path)) => match std::fs::read_to_string(path) {
            Ok(text) => Ok(Some(Secret::new(text.trim_end_matches(['\r', '\n'])))),
            Err(e) => Err(BridgeError::Config(format!("{what}: cannot read {}: {e}", path.display()))),
        },
        (None, None) => Ok(None),
    }
}

impl Config {
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| BridgeError::Config(format!("cannot read {}: {e}", path.display())))?;
        Config::from_toml(&text).map_err(|e| match e {
            BridgeError::Config(m) => BridgeError::Config(format!("{}: {m}", path.display())),
            other => other,
        })
    }

    pub fn from_toml(text: &str) -> Result<Config> {
        let config: Config = toml::from_str(text).map_err(|e| BridgeError::Config(toml_error(text, &e)))?;
        config.validate()?;
        Ok(config)
    }

    /// Checks what serde cannot: names usable as topic levels, one port kind per room, sane
    /// numbers. Secrets are not read here (they are read when used).
    pub fn validate(&self) -> Result<()> {
        let bad = |m: String| Err(BridgeError::Config(m));
        let url = crate::mqtt::BrokerUrl::parse(&self.mqtt.url)?;
        if self.mqtt.ca_file.is_some() && !url.tls {
            return bad("mqtt.ca_file is set but the URL is not mqtts://".into());
        }
        topics::check_prefix("mqtt.topic_prefix", &self.mqtt.topic_prefix)?;
        topics::check_prefix("home_assistant.prefix", &self.home_assistant.prefix)?;
        if self.mqtt.client_id.trim().is_empty() || self.mqtt.client_id.contains(['+', '#']) {
            return bad(format!("mqtt.client_id '{}' must be non-empty, without + or #", self.mqtt.client_id));
        }
        if self.mqtt.qos > 2 {
            return bad(format!("mqtt.qos must be 0, 1 or 2, not {}", self.mqtt.qos));
        }
        if self.mqtt.keep_alive_s < 5 || self.mqtt.keep_alive_s > 65_535 {
            return bad(format!("mqtt.keep_alive_s must be 5..65535, not {}", self.mqtt.keep_alive_s));
        }
        if self.bridge.queue == 0 || self.bridge.max_commands_in_flight == 0 {
            return bad("bridge.queue and bridge.max_commands_in_flight must be at least 1".into());
        }
        if self.bridge.command_timeout_ms == 0 {
            return bad("bridge.command_timeout_ms must be positive".into());
        }
        for (what, p) in [("reconnect", &self.reconnect), ("mqtt.reconnect", &self.mqtt.reconnect)] {
            check_policy(what, p)?;
        }
        let mut names = HashSet::new();
        for room in &self.rooms {
            topics::check_room_name(&room.name)?;
            if !names.insert(room.name.as_str()) {
                return bad(format!("room '{}' is listed twice", room.name));
            }
            if room.host.trim().is_empty() {
                return bad(format!("room '{}': host is empty", room.name));
            }
            if room.web_port.is_some() && room.ws_port.is_some() {
                return bad(format!("room '{}': set web_port (discovery) or ws_port, not both", room.name));
            }
            if room.pin_env.is_some() && room.pin_file.is_some() {
                return bad(format!("room '{}': set pin_env or pin_file, not both", room.name));
            }
            if let Some(role) = &room.role {
                if role != "admin" && role != "user" {
                    return bad(format!("room '{}': role must be admin or user, not '{role}'", room.name));
                }
            }
            if let Some(p) = &room.reconnect {
                check_policy(&format!("room '{}' reconnect", room.name), p)?;
            }
        }
        Ok(())
    }
}

/// The parser's message with a line and column, but not its usual quote of the offending line:
/// that line could hold a secret someone wrote in literally (`pin = "..."`).
fn toml_error(text: &str, e: &toml::de::Error) -> String {
    let mut msg = e.message().trim_end().to_owned();
    if let Some(span) = e.span() {
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        msg = format!("line {line}, column {column}: {msg}");
    }
    if msg.contains("unknown field `pin`") || msg.contains("unknown field `password`") {
        msg.push_str(" (secrets are never literal: use pin_env / pin_file, password_env / password_file)");
    }
    msg
}

fn check_policy(what: &str, p: &ReconnectPolicy) -> Result<()> {
    if p.initial_ms == 0 || p.max_ms < p.initial_ms {
        return Err(BridgeError::Config(format!(
            "{what}: initial_ms must be positive and max_ms at least initial_ms (got {} and {})",
            p.initial_ms, p.max_ms
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
        [mqtt]
        url = "mqtt://127.0.0.1:1883"
        [[rooms]]
        name = "lobby"
        host = "127.0.0.1"
        ws_port = 8765
    "#;

    #[test]
    fn defaults() {
        let c = Config::from_toml(MINIMAL).unwrap();
        assert_eq!(c.mqtt.topic_prefix, "tcroom");
        assert_eq!(c.mqtt.qos, 1);
        assert!(c.home_assistant.discovery);
        assert_eq!(c.rooms[0].title(), "lobby");
        assert!(c.rooms[0].pin().unwrap().is_none());
    }

    #[test]
    fn literal_secrets_are_refused() {
        let with_pin = MINIMAL.replace("ws_port = 8765", "ws_port = 8765\npin = \"1234\"");
        let e = Config::from_toml(&with_pin).unwrap_err().to_string();
        assert!(e.contains("unknown field `pin`"), "{e}");
        assert!(!e.contains("1234"), "the value must not be echoed: {e}");
        let with_pw = MINIMAL.replace("url = ", "password = \"hunter2\"\nurl = ");
        let e = Config::from_toml(&with_pw).unwrap_err().to_string();
        assert!(e.contains("unknown field `password`"), "{e}");
    }

    #[test]
    fn bad_values_are_named() {
        for (edit, expect) in [
            (("name = \"lobby\"", "name = \"lo/bby\""), "room name"),
            (("ws_port = 8765", "ws_port = 8765\nweb_port = 80"), "not both"),
            (("mqtt://127.0.0.1:1883", "http://127.0.0.1"), "mqtt:// or mqtts://"),
            (("url = \"mqtt://127.0.0.1:1883\"", "url = \"mqtt://127.0.0.1:1883\"\nqos = 3"), "qos"),
            (("url = \"mqtt://127.0.0.1:1883\"", "url = \"mqtt://127.0.0.1:1883\"\ntopic_prefix = \"a/+\""), "prefix"),
        ] {
            let e = Config::from_toml(&MINIMAL.replace(edit.0, edit.1)).unwrap_err().to_string();
            assert!(e.contains(expect), "{edit:?}: {e}");
        }
        let twice = format!("{MINIMAL}\n[[rooms]]\nname = \"lobby\"\nhost = \"127.0.0.1\"\n");
        assert!(Config::from_toml(&twice).unwrap_err().to_string().contains("twice"));
    }

    #[test]
    fn secrets_from_file_and_env() {
        let dir = std::env::temp_dir().join(format!("tcroom-bridge-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let pin = dir.join("pin");
        std::fs::write(&pin, "4321\n").unwrap();
        let text =
            MINIMAL.replace("ws_port = 8765", &format!("ws_port = 8765\npin_file = {:?}", pin.display().to_string()));
        let c = Config::from_toml(&text).unwrap();
        assert_eq!(c.rooms[0].pin().unwrap().unwrap().expose(), "4321");
        let missing = MINIMAL.replace("ws_port = 8765", "ws_port = 8765\npin_env = \"TCROOM_BRIDGE_TEST_UNSET_VAR\"");
        let e = Config::from_toml(&missing).unwrap().rooms[0].pin().unwrap_err().to_string();
        assert!(e.contains("TCROOM_BRIDGE_TEST_UNSET_VAR"), "{e}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn the_sample_config_is_valid() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/bridge.toml");
        let c = Config::load(&path).unwrap();
        assert!(!c.rooms.is_empty());
    }
}
