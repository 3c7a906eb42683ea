//! Emulator configuration: the simulated room, its directory of users, and scenario files.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};

/// How control connections must authenticate (PROTOCOL.md §3).
#[derive(Clone, PartialEq, Eq)]
pub enum AuthMode {
    /// `type: unsecured` is accepted, and so is any `secured` credential.
    Unsecured,
    /// `type: secured` with this PIN or a token the emulator issued.
    Pin(String),
    /// `type: secured` with this password or a token the emulator issued.
    Password(String),
}

// Hand-written so that a PIN never ends up in a log line through `{:?}`.
impl std::fmt::Debug for AuthMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuthMode::Unsecured => f.write_str("Unsecured"),
            AuthMode::Pin(_) => f.write_str("Pin(<redacted>)"),
            AuthMode::Password(_) => f.write_str("Password(<redacted>)"),
        }
    }
}

/// A simulated user's scripted answer to an invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Joins after `delay` (into the waiting room when it is on and the user is no moderator).
    Join { delay: Duration },
    /// Sends `rejectReceived` with `cause` after `delay`.
    Reject { cause: i64, delay: Duration },
    /// Never answers.
    NoAnswer,
}

/// An entry of the simulated directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimUser {
    /// CallId (`user@server`).
    pub id: String,
    pub display_name: String,
    pub answer: Answer,
    /// Moderators skip the waiting room and cannot be moved into it.
    pub moderator: bool,
}

impl SimUser {
    /// A non-moderator whose display name is the user part of `id`.
    pub fn new(id: &str, answer: Answer) -> Self {
        let display_name = id.split('@').next().unwrap_or(id).to_string();
        SimUser { id: id.to_string(), display_name, answer, moderator: false }
    }
}

/// Order of the two notifications that announce a new conference; the real order is undocumented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreatedOrder {
    #[default]
    AppStateFirst,
    ConferenceCreatedFirst,
}

/// Everything that shapes one emulated room. `Default` is a logged-in, unsecured room.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// Address all three ports bind to (127.0.0.1).
    pub host: IpAddr,
    /// Web manager port serving discovery; 0 = any free port.
    pub web_port: u16,
    /// Control WebSocket port; 0 = any free port.
    pub ws_port: u16,
    /// Embedded HTTP server port; 0 = any free port.
    pub http_port: u16,
    pub auth: AuthMode,
    /// Our CallId ("room@some.server"): `authInfo.peerId`, `conferenceOwner`.
    pub own_id: String,
    pub display_name: String,
    /// appState at start (3); 0 or 2 exercise `connectToServer` / `login`.
    pub initial_app_state: u8,
    /// Every `getTariffRestrictions` field; see [`default_tariff`].
    pub tariff: Value,
    /// The directory; ids not listed get `default_answer`.
    pub users: Vec<SimUser>,
    pub default_answer: Answer,
    /// Whether a conference has the waiting room on when `useWaitingRoom` is absent.
    pub waiting_room_default: bool,
    pub created_order: CreatedOrder,
    /// Every WebSocket connection gets its own room; the one-connection-per-role rule is off.
    pub isolated_rooms: bool,
    /// Path segment of `/public/<instance>/config.json`.
    pub instance: String,
    /// Domain used for ids and join URLs.
    pub server: String,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            web_port: 0,
            ws_port: 0,
            http_port: 0,
            auth: AuthMode::Unsecured,
            own_id: "room@some.server".to_string(),
            display_name: "Room".to_string(),
            initial_app_state: 3,
            tariff: default_tariff(),
            users: Vec::new(),
            default_answer: Answer::Join { delay: Duration::from_millis(50) },
            waiting_room_default: false,
            created_order: CreatedOrder::AppStateFirst,
            isolated_rooms: false,
            instance: "default".to_string(),
            server: "some.server".to_string(),
        }
    }
}

fn schema(rows: &[(u32, u32)]) -> Value {
    Value::Array(rows.iter().map(|&(c, p)| json!({"maxCasters": c, "maxParticipants": p})).collect())
}

/// The sample tariff of PROTOCOL.md §7 (a "Business" licence with every feature on).
pub fn default_tariff() -> Value {
    json!({
        "tariffName": "Business",
        "p2p": true,
        "createMulti": true,
        "symMaxNumber": 36,
        "asymMaxNumber": 36,
        "roleMaxNumber": 1500,
        "rlMaxNumber": 1500,
        "canUseSlideShow": true,
        "canUseDesktopSharing": true,
        "canChangeAddressBook": true,
        "canEditGroups": true,
        "canUseDialer": true,
        "p2pSchema": schema(&[(2, 2)]),
        "symmetricSchema": schema(&[(36, 36)]),
        "asymmetricSchema": schema(&[(1, 36), (2, 36), (3, 36), (4, 36), (5, 36), (6, 36)]),
        "roleSchema": schema(&[(1, 1500), (2, 900), (3, 600)]),
        "smartMeetingSchema": schema(&[(4, 450), (5, 450), (6, 420)]),
    })
}

// ---- scenario files -------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum ScenarioAuth {
    Unsecured,
    Pin(String),
    Password(String),
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum ScenarioAnswer {
    Join {
        #[serde(default)]
        delay_ms: u64,
    },
    Reject {
        cause: i64,
        #[serde(default)]
        delay_ms: u64,
    },
    NoAnswer,
}

impl From<ScenarioAnswer> for Answer {
    fn from(a: ScenarioAnswer) -> Self {
        match a {
            ScenarioAnswer::Join { delay_ms } => Answer::Join { delay: Duration::from_millis(delay_ms) },
            ScenarioAnswer::Reject { cause, delay_ms } => {
                Answer::Reject { cause, delay: Duration::from_millis(delay_ms) }
            }
            ScenarioAnswer::NoAnswer => Answer::NoAnswer,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioUser {
    id: String,
    display_name: Option<String>,
    answer: Option<ScenarioAnswer>,
    #[serde(default)]
    moderator: bool,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct Scenario {
    host: Option<IpAddr>,
    web_port: Option<u16>,
    ws_port: Option<u16>,
    http_port: Option<u16>,
    auth: Option<ScenarioAuth>,
    own_id: Option<String>,
    display_name: Option<String>,
    initial_app_state: Option<u8>,
    tariff: Option<serde_json::Map<String, Value>>,
    users: Vec<ScenarioUser>,
    default_answer: Option<ScenarioAnswer>,
    waiting_room_default: Option<bool>,
    created_order: Option<CreatedOrder>,
    isolated_rooms: Option<bool>,
    instance: Option<String>,
    server: Option<String>,
}

/// Parses a scenario file (format in emulator/README.md). Absent keys keep their defaults; `tariff`
/// keys are merged over [`default_tariff`]; users without `answer` get `default_answer`.
pub fn config_from_scenario(json: &str) -> Result<EmulatorConfig, String> {
    let s: Scenario = serde_json::from_str(json).map_err(|e| format!("invalid scenario: {e}"))?;
    let mut c = EmulatorConfig::default();
    if let Some(v) = s.host {
        c.host = v;
    }
    c.web_port = s.web_port.unwrap_or(c.web_port);
    c.ws_port = s.ws_port.unwrap_or(c.ws_port);
    c.http_port = s.http_port.unwrap_or(c.http_port);
    if let Some(a) = s.auth {
        c.auth = match a {
            ScenarioAuth::Unsecured => AuthMode::Unsecured,
            ScenarioAuth::Pin(p) => AuthMode::Pin(p),
            ScenarioAuth::Password(p) => AuthMode::Password(p),
        };
    }
    if let Some(v) = s.own_id {
        c.own_id = v;
    }
    if let Some(v) = s.display_name {
        c.display_name = v;
    }
    if let Some(v) = s.initial_app_state {
        if v > 6 {
            return Err(format!("invalid scenario: initial_app_state {v} is not 0..=6"));
        }
        c.initial_app_state = v;
    }
    if let Some(t) = s.tariff {
        if let Value::Object(base) = &mut c.tariff {
            base.extend(t);
        }
    }
    if let Some(a) = s.default_answer {
        c.default_answer = a.into();
    }
    for u in s.users {
        let mut su = SimUser::new(&u.id, c.default_answer.clone());
        if let Some(d) = u.display_name {
            su.display_name = d;
        }
        if let Some(a) = u.answer {
            su.answer = a.into();
        }
        su.moderator = u.moderator;
        c.users.push(su);
    }
    c.waiting_room_default = s.waiting_room_default.unwrap_or(c.waiting_room_default);
    c.created_order = s.created_order.unwrap_or(c.created_order);
    c.isolated_rooms = s.isolated_rooms.unwrap_or(c.isolated_rooms);
    if let Some(v) = s.instance {
        c.instance = v;
    }
    if let Some(v) = s.server {
        c.server = v;
    }
    Ok(c)
}
