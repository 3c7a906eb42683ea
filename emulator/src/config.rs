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

/// How a simulated user answers an invitation to the podium (and, as the owner of a conference
/// the room joined, the room's own request for the podium).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PodiumAnswer {
    #[default]
    Accept,
    Decline,
}

/// An entry of the simulated directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimUser {
    /// CallId (`user@server`).
    pub id: String,
    pub display_name: String,
    /// The answer to an invitation into a conference and to a call from the room.
    pub answer: Answer,
    /// Moderators skip the waiting room and cannot be moved into it.
    pub moderator: bool,
    pub podium_answer: PodiumAnswer,
}

impl SimUser {
    /// A non-moderator whose display name is the user part of `id`.
    pub fn new(id: &str, answer: Answer) -> Self {
        let display_name = id.split('@').next().unwrap_or(id).to_string();
        SimUser { id: id.to_string(), display_name, answer, moderator: false, podium_answer: PodiumAnswer::Accept }
    }
}

/// A conference owned by a simulated user, which the room can join with `call`.
#[derive(Clone, PartialEq, Eq)]
pub struct SimConference {
    /// What the room calls: `demo` (also reached as `\c\demo`, `c\demo` or its confId).
    pub id: String,
    pub title: String,
    /// The owner's CallId; a user of the directory or not.
    pub owner: String,
    /// 1 symmetric, 2 asymmetric, 3 role (the default).
    pub conf_type: u8,
    /// Required to join when set: missing gives cause 12, wrong cause 13.
    pub pin: Option<String>,
}

impl SimConference {
    /// A role conference without a PIN.
    pub fn new(id: &str, title: &str, owner: &str) -> Self {
        SimConference { id: id.into(), title: title.into(), owner: owner.into(), conf_type: 3, pin: None }
    }
}

// Hand-written so that a PIN never ends up in a log line through `{:?}`.
impl std::fmt::Debug for SimConference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimConference")
            .field("id", &self.id)
            .field("title", &self.title)
            .field("owner", &self.owner)
            .field("conf_type", &self.conf_type)
            .field("pin", &self.pin.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// One timed step of a scenario script: a test-only action (emulator/README.md) run `at` after
/// the emulator started, on the shared room.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptStep {
    pub at: Duration,
    /// An action name without the `emulator.` prefix, e.g. `incomingCall`.
    pub action: String,
    /// Its parameters, an object.
    pub params: Value,
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
    /// Conferences of simulated users that the room can join with `call`.
    pub conferences: Vec<SimConference>,
    /// How long a call rings before it counts as unanswered (30 s), both ways.
    pub ring_time: Duration,
    /// Lifetime of an embedded HTTP server token (5 min); under a PIN tokens do not expire.
    pub http_token_lifetime: Duration,
    /// Timed test actions on the shared room.
    pub script: Vec<ScriptStep>,
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
            conferences: Vec::new(),
            ring_time: Duration::from_secs(30),
            http_token_lifetime: Duration::from_secs(300),
            script: Vec::new(),
        }
    }
}

impl EmulatorConfig {
    /// What `Emulator::start` refuses: script steps naming unknown actions or parameters, a
    /// script without a shared room, conferences with bad types.
    pub fn validate(&self) -> Result<(), String> {
        if !self.script.is_empty() && self.isolated_rooms {
            return Err("a script needs the shared room: isolated_rooms must be off".into());
        }
        for (i, step) in self.script.iter().enumerate() {
            let Value::Object(params) = &step.params else {
                return Err(format!("script step {i}: params must be an object"));
            };
            crate::room::check_action(&step.action, params).map_err(|e| format!("script step {i}: {e}"))?;
        }
        for c in &self.conferences {
            if !(1..=3).contains(&c.conf_type) {
                return Err(format!("conference '{}': conf_type must be 1, 2 or 3 (got {})", c.id, c.conf_type));
            }
            if c.id.trim().is_empty() {
                return Err("a conference needs a non-empty id".into());
            }
        }
        Ok(())
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
    #[serde(default)]
    podium_answer: PodiumAnswer,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum ScenarioConfType {
    Symmetric,
    Asymmetric,
    Role,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioConference {
    id: String,
    title: String,
    owner: String,
    pin: Option<String>,
    conf_type: Option<ScenarioConfType>,
}

/// `{"at_ms": 500, "action": "incomingCall", ...parameters of the action}`.
#[derive(Deserialize)]
struct ScenarioStep {
    at_ms: u64,
    action: String,
    #[serde(flatten)]
    params: serde_json::Map<String, Value>,
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
    conferences: Vec<ScenarioConference>,
    ring_time_ms: Option<u64>,
    http_token_lifetime_ms: Option<u64>,
    script: Vec<ScenarioStep>,
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
        su.podium_answer = u.podium_answer;
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
    for sc in s.conferences {
        let conf_type = match sc.conf_type.unwrap_or(ScenarioConfType::Role) {
            ScenarioConfType::Symmetric => 1,
            ScenarioConfType::Asymmetric => 2,
            ScenarioConfType::Role => 3,
        };
        c.conferences.push(SimConference { id: sc.id, title: sc.title, owner: sc.owner, conf_type, pin: sc.pin });
    }
    if let Some(ms) = s.ring_time_ms {
        c.ring_time = Duration::from_millis(ms);
    }
    if let Some(ms) = s.http_token_lifetime_ms {
        c.http_token_lifetime = Duration::from_millis(ms);
    }
    for step in s.script {
        c.script.push(ScriptStep {
            at: Duration::from_millis(step.at_ms),
            action: step.action,
            params: Value::Object(step.params),
        });
    }
    c.validate().map_err(|e| format!("invalid scenario: {e}"))?;
    Ok(c)
}
