//! Typed values of the protocol: application state, conference types, participants, tariff.
//!
//! Every typed value read from the room keeps the JSON it came from in `raw`, so callers can
//! reach fields this version does not know.

use crate::json::{bool_of, i64_of, str_of, u32_of};
use serde::Serialize;
use serde_json::Value;
use std::fmt;
use std::str::FromStr;

/// `appState` of PROTOCOL.md §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "i64")]
pub enum AppState {
    /// 0: not connected to a TrueConf server.
    None,
    /// 1: connecting to the server.
    Connect,
    /// 2: connected, must log in.
    Login,
    /// 3: logged in and idle; conferences can be created only here.
    Normal,
    /// 4: calling or being called.
    Wait,
    /// 5: in a call or conference.
    Conference,
    /// 6: finishing a call or conference.
    Close,
    /// A value this version does not know.
    Other(i64),
}

impl AppState {
    /// The state for an `appState` number; unknown numbers become [`AppState::Other`].
    pub fn from_code(code: i64) -> Self {
        match code {
            0 => AppState::None,
            1 => AppState::Connect,
            2 => AppState::Login,
            3 => AppState::Normal,
            4 => AppState::Wait,
            5 => AppState::Conference,
            6 => AppState::Close,
            other => AppState::Other(other),
        }
    }
    /// The `appState` number.
    pub fn code(self) -> i64 {
        match self {
            AppState::None => 0,
            AppState::Connect => 1,
            AppState::Login => 2,
            AppState::Normal => 3,
            AppState::Wait => 4,
            AppState::Conference => 5,
            AppState::Close => 6,
            AppState::Other(c) => c,
        }
    }
    /// A lowercase name (`"normal"`, `"conference"`; `"unknown"` for [`AppState::Other`]).
    pub fn name(self) -> &'static str {
        match self {
            AppState::None => "none",
            AppState::Connect => "connect",
            AppState::Login => "login",
            AppState::Normal => "normal",
            AppState::Wait => "wait",
            AppState::Conference => "conference",
            AppState::Close => "close",
            AppState::Other(_) => "unknown",
        }
    }
}

impl From<AppState> for i64 {
    fn from(s: AppState) -> i64 {
        s.code()
    }
}

impl fmt::Display for AppState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.code(), self.name())
    }
}

/// The conference types `createConference` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ConfType {
    /// Everyone on screen.
    Symmetric,
    /// Video lecture: one speaker, many listeners.
    Asymmetric,
    /// Role-based: a podium and an audience.
    Role,
}

impl ConfType {
    /// The string `createConference` takes.
    pub fn as_wire(self) -> &'static str {
        match self {
            ConfType::Symmetric => "symmetric",
            ConfType::Asymmetric => "asymmetric",
            ConfType::Role => "role",
        }
    }
    /// The number `conferenceCreated` carries: 1 symmetric, 2 asymmetric, 3 role (0 is a p2p call).
    pub fn from_number(n: i64) -> Option<Self> {
        match n {
            1 => Some(ConfType::Symmetric),
            2 => Some(ConfType::Asymmetric),
            3 => Some(ConfType::Role),
            _ => None,
        }
    }
    /// The number `conferenceCreated` carries for this type.
    pub fn number(self) -> i64 {
        match self {
            ConfType::Symmetric => 1,
            ConfType::Asymmetric => 2,
            ConfType::Role => 3,
        }
    }
}

impl fmt::Display for ConfType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_wire())
    }
}

impl FromStr for ConfType {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "symmetric" => Ok(ConfType::Symmetric),
            "asymmetric" => Ok(ConfType::Asymmetric),
            "role" => Ok(ConfType::Role),
            other => Err(crate::Error::InvalidArgument(format!(
                "unknown conference type '{other}' (expected symmetric, asymmetric or role)"
            ))),
        }
    }
}

/// `getAppState` reply or `appStateChanged` notification.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppStateInfo {
    /// `appState` (or `state`).
    pub app_state: AppState,
    /// `embeddedHttpPort`: the port of the embedded HTTP server (frames).
    pub embedded_http_port: Option<u16>,
    /// The JSON object this was read from, unknown fields included.
    pub raw: Value,
}

impl AppStateInfo {
    /// Reads a reply or notification; `None` without an `appState` number.
    pub fn from_json(v: &Value) -> Option<Self> {
        let code = i64_of(v, &["appState", "state"])?;
        Some(AppStateInfo {
            app_state: AppState::from_code(code),
            embedded_http_port: i64_of(v, &["embeddedHttpPort"]).and_then(|p| u16::try_from(p).ok()),
            raw: v.clone(),
        })
    }
}

/// One row of a tariff schema: with `max_casters` podium seats, up to `max_participants` people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SchemaRow {
    /// `maxCasters`: podium seats (a value `castersCount` may take).
    pub max_casters: u32,
    /// `maxParticipants`: people allowed with that many seats.
    pub max_participants: u32,
}

fn schema_of(v: &Value, name: &str) -> Vec<SchemaRow> {
    v.get(name)
        .and_then(Value::as_array)
        .map(|rows| {
            rows.iter()
                .filter_map(|r| {
                    Some(SchemaRow {
                        max_casters: u32_of(r, &["maxCasters"])?,
                        max_participants: u32_of(r, &["maxParticipants"])?,
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `getTariffRestrictions` reply or `tariffRestrictionsChanged` notification.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TariffRestrictions {
    /// `tariffName`: the licence's name.
    pub tariff_name: Option<String>,
    /// `p2p`: whether point-to-point calls are allowed.
    pub p2p: Option<bool>,
    /// Whether group conferences may be created at all.
    pub create_multi: Option<bool>,
    /// `symMaxNumber`: most participants of a symmetric conference.
    pub sym_max_number: Option<u32>,
    /// `asymMaxNumber`: most participants of an asymmetric conference.
    pub asym_max_number: Option<u32>,
    /// `roleMaxNumber`: most participants of a role-based conference.
    pub role_max_number: Option<u32>,
    /// `p2pSchema`: seats and participants of a call (empty when absent).
    pub p2p_schema: Vec<SchemaRow>,
    /// `symmetricSchema`: seats and participants of a symmetric conference.
    pub symmetric_schema: Vec<SchemaRow>,
    /// `asymmetricSchema`: seats and participants of an asymmetric conference.
    pub asymmetric_schema: Vec<SchemaRow>,
    /// `roleSchema`: podium seats and participants of a role-based conference (1→1500, 2→900...).
    pub role_schema: Vec<SchemaRow>,
    /// `smartMeetingSchema`: podium seats and participants of a smart meeting (4→450...).
    pub smart_meeting_schema: Vec<SchemaRow>,
    /// The JSON object this was read from, unknown fields included.
    pub raw: Value,
}

impl TariffRestrictions {
    /// Reads a reply or notification; missing fields are `None` or empty.
    pub fn from_json(v: &Value) -> Self {
        TariffRestrictions {
            tariff_name: str_of(v, &["tariffName"]),
            p2p: bool_of(v, &["p2p"]),
            create_multi: bool_of(v, &["createMulti"]),
            sym_max_number: u32_of(v, &["symMaxNumber"]),
            asym_max_number: u32_of(v, &["asymMaxNumber"]),
            role_max_number: u32_of(v, &["roleMaxNumber"]),
            p2p_schema: schema_of(v, "p2pSchema"),
            symmetric_schema: schema_of(v, "symmetricSchema"),
            asymmetric_schema: schema_of(v, "asymmetricSchema"),
            role_schema: schema_of(v, "roleSchema"),
            smart_meeting_schema: schema_of(v, "smartMeetingSchema"),
            raw: v.clone(),
        }
    }

    /// The schema that governs a conference of this type (smart meetings have their own).
    pub fn schema_for(&self, conf_type: ConfType, smart_meeting: bool) -> &[SchemaRow] {
        if smart_meeting {
            return &self.smart_meeting_schema;
        }
        match conf_type {
            ConfType::Symmetric => &self.symmetric_schema,
            ConfType::Asymmetric => &self.asymmetric_schema,
            ConfType::Role => &self.role_schema,
        }
    }
}

/// A participant, from `getConferenceParticipants` or `newParticipantInConference`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Participant {
    /// InstanceId (`user@server/abcd1234`).
    pub peer_id: String,
    /// `peerDn`: the name shown.
    pub display_name: Option<String>,
    /// 0 none, 1 muted, 2 on.
    pub mic: Option<i64>,
    /// 0 none, 1 muted, 2 on.
    pub video: Option<i64>,
    /// 1 ordinary, 2 owner, 3 asked to speak, 4 invited to podium, 5 remark.
    pub role: Option<i64>,
    /// On the podium.
    pub broadcast: Option<bool>,
    /// `isInWaitingRoom`: waiting to be let in (false when absent).
    pub in_waiting_room: bool,
    /// The JSON object this was read from, unknown fields included.
    pub raw: Value,
}

impl Participant {
    /// Reads a participant; `None` without a `peerId` (or `callId`).
    pub fn from_json(v: &Value) -> Option<Self> {
        Some(Participant {
            peer_id: str_of(v, &["peerId", "callId", "id"])?,
            display_name: str_of(v, &["peerDn", "displayName"]),
            mic: i64_of(v, &["mic"]),
            video: i64_of(v, &["video"]),
            role: i64_of(v, &["role"]),
            broadcast: bool_of(v, &["broadcast"]),
            in_waiting_room: bool_of(v, &["isInWaitingRoom", "inWaitingRoom"]).unwrap_or(false),
            raw: v.clone(),
        })
    }
}

/// A started conference, as `conferenceCreated` describes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conference {
    /// `confId` (`000002c6@some.server#vcs`).
    pub conf_id: String,
    /// `confTitle`.
    pub title: Option<String>,
    /// `None` for a p2p call (0) or a number this version does not know (see `raw`).
    pub conf_type: Option<ConfType>,
    /// `conferenceOwner`: the owner's CallId.
    pub owner: Option<String>,
    /// `joinUrl`: the web link for joining.
    pub join_url: Option<String>,
    /// `realTimeConferenceManagmentUrl` (misspelled on the wire): the web page for managing it.
    pub management_url: Option<String>,
    /// `isSmartMeeting`: smart meeting mode is on.
    pub is_smart_meeting: bool,
    /// `isWaitingRoomSwitchingSupported`: the waiting room can be turned on and off.
    pub waiting_room_switching_supported: bool,
    /// `isWaitingRoomEnabled`: the waiting room is on.
    pub waiting_room_enabled: bool,
    /// Present when we joined someone else's conference and wait to be let in.
    pub in_waiting_room: Option<bool>,
    /// `maxParticipants`: most people the conference takes.
    pub max_participants: Option<u32>,
    /// `maxParticipantsOnPodium`: podium seats.
    pub max_podium: Option<u32>,
    /// For a call (`conf_type` `None`): the other side.
    pub peer_id: Option<String>,
    /// The JSON object this was read from, unknown fields included.
    pub raw: Value,
}

impl Conference {
    /// Reads `conferenceCreated`; `None` without a `confId`.
    pub fn from_json(v: &Value) -> Option<Self> {
        Some(Conference {
            conf_id: str_of(v, &["confId", "conferenceId", "id"])?,
            title: str_of(v, &["confTitle", "title"]),
            conf_type: i64_of(v, &["confType"]).and_then(ConfType::from_number),
            owner: str_of(v, &["conferenceOwner", "owner"]),
            join_url: str_of(v, &["joinUrl", "url"]),
            management_url: str_of(v, &["realTimeConferenceManagmentUrl", "realTimeConferenceManagementUrl"]),
            is_smart_meeting: bool_of(v, &["isSmartMeeting"]).unwrap_or(false),
            waiting_room_switching_supported: bool_of(v, &["isWaitingRoomSwitchingSupported"]).unwrap_or(false),
            waiting_room_enabled: bool_of(v, &["isWaitingRoomEnabled", "useWaitingRoom"]).unwrap_or(false),
            in_waiting_room: bool_of(v, &["isInWaitingRoom"]),
            max_participants: u32_of(v, &["maxParticipants"]),
            max_podium: u32_of(v, &["maxParticipantsOnPodium", "maxPodium"]),
            peer_id: str_of(v, &["peerId"]).filter(|p| !p.is_empty()),
            raw: v.clone(),
        })
    }
}

/// `getSystemInfo` reply: who we are, plus everything else in `raw`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SystemInfo {
    /// `authInfo.peerId`: our own CallId on the server.
    pub peer_id: Option<String>,
    /// `authInfo.peerDn`: our display name.
    pub display_name: Option<String>,
    /// The whole reply, unknown fields included.
    pub raw: Value,
}

impl SystemInfo {
    /// Reads a `getSystemInfo` reply.
    pub fn from_json(v: &Value) -> Self {
        let auth = v.get("authInfo").cloned().unwrap_or(Value::Null);
        SystemInfo {
            peer_id: str_of(&auth, &["peerId"]),
            display_name: str_of(&auth, &["peerDn", "displayName"]),
            raw: v.clone(),
        }
    }
}

/// One entry of `getConferences`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConferenceSummary {
    /// `confId` (or `id`).
    pub conf_id: Option<String>,
    /// `confTitle` (or `title`, `topic`).
    pub title: Option<String>,
    /// The JSON object this was read from, unknown fields included.
    pub raw: Value,
}

impl ConferenceSummary {
    /// Reads one entry of the `getConferences` list.
    pub fn from_json(v: &Value) -> Self {
        ConferenceSummary {
            conf_id: str_of(v, &["confId", "id", "conferenceId"]),
            title: str_of(v, &["confTitle", "title", "topic"]),
            raw: v.clone(),
        }
    }
}

mod calls;
mod chat;
mod hardware;
mod layout;
mod media;
mod podium;
mod ptz;
mod session;

pub use calls::{CallHistory, CallRecord, CallStopped, IncomingCall, PeerRef, Rejection};
pub use chat::{AppCommand, ChatMessage, ContentCapture, MyEvent};
pub use hardware::{CaptureSource, Device, Hardware};
pub use layout::{ExternSlot, Monitor, Monitors, Rect, SlotId, VideoMatrix, VideoSlot, WindowState};
pub use media::{DeviceStatus, MuteState, Setting, Settings, VOLUME_SETTING};
pub use podium::{PodiumInvitationRemoved, PodiumRequestAnswered, RoleEvent};
pub use ptz::{PtzAxis, PtzControls};
pub use session::{ConnectionInfo, LoginInfo, ServerInfo};

/// Every record of the protocol, for the generated faces (nested ones included).
pub static RECORDS: &[crate::record::RecordSpec] = {
    use crate::record::Record;
    &[
        IncomingCall::SPEC,
        PeerRef::SPEC,
        Rejection::SPEC,
        CallStopped::SPEC,
        CallRecord::SPEC,
        CallHistory::SPEC,
        RoleEvent::SPEC,
        PodiumInvitationRemoved::SPEC,
        PodiumRequestAnswered::SPEC,
        MuteState::SPEC,
        DeviceStatus::SPEC,
        Setting::SPEC,
        Settings::SPEC,
        Device::SPEC,
        CaptureSource::SPEC,
        Hardware::SPEC,
        VideoSlot::SPEC,
        ExternSlot::SPEC,
        VideoMatrix::SPEC,
        Rect::SPEC,
        Monitor::SPEC,
        Monitors::SPEC,
        WindowState::SPEC,
        PtzAxis::SPEC,
        PtzControls::SPEC,
        ChatMessage::SPEC,
        AppCommand::SPEC,
        MyEvent::SPEC,
        ContentCapture::SPEC,
        LoginInfo::SPEC,
        ServerInfo::SPEC,
        ConnectionInfo::SPEC,
    ]
};
