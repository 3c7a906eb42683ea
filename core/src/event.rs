//! Notifications from the room (`{"method":"event","event":...}`), typed, with the raw JSON kept.

use crate::json::{bool_of, i64_of, str_of};
use crate::model::{AppStateInfo, Conference, Participant, TariffRestrictions};
use serde_json::Value;

/// One notification. `name` is the wire name (`"conferenceCreated"`), `raw` the whole object.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub name: String,
    pub kind: EventKind,
    pub raw: Value,
}

/// The typed content of an [`Event`]. Notifications this version does not model, or that are
/// missing a field their type needs, arrive as [`EventKind::Unknown`] with nothing lost.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum EventKind {
    AppStateChanged(AppStateInfo),
    ConferenceCreated(Conference),
    ConferenceDeleted {
        conf_id: Option<String>,
    },
    NewParticipant {
        conf_id: Option<String>,
        participant: Participant,
    },
    ParticipantLeft {
        conf_id: Option<String>,
        peer_id: String,
    },
    /// To the owner and moderators: someone entered or left the waiting room.
    ParticipantPresenceInWaitingRoomChanged {
        conf_id: Option<String>,
        call_id: String,
        in_waiting_room: bool,
    },
    /// To us as a regular participant.
    MyStateInWaitingRoomChanged {
        conf_id: Option<String>,
        in_waiting_room: bool,
    },
    WaitingRoomStateChanged {
        conf_id: Option<String>,
        enabled: bool,
    },
    SmartMeetingModeChanged {
        conf_id: Option<String>,
        is_smart_meeting: bool,
    },
    TariffRestrictionsChanged(TariffRestrictions),
    /// The connection lost its authorization (cause 1: another client took the role; see §3).
    AuthorizationNeeded {
        cause: Option<i64>,
    },
    InviteSent {
        conf_id: Option<String>,
        peer_id: Option<String>,
    },
    /// An invitee declined or could not be reached; `cause` per PROTOCOL.md §6 (2 busy, 16 no answer…).
    RejectReceived {
        conf_id: Option<String>,
        peer_id: Option<String>,
        cause: Option<i64>,
    },
    RequestInviteReceived {
        conf_id: Option<String>,
        peer_id: Option<String>,
    },
    InviteReceived {
        conf_id: Option<String>,
        peer_id: Option<String>,
    },
    Login {
        result: Option<bool>,
    },
    Logout,
    /// Synthetic (not from the room): the connection is gone for good. Always the last event.
    Disconnected {
        reason: String,
    },
    /// Synthetic: the connection dropped and the client is reconnecting (only with
    /// [`ConnectOptions::reconnect`](crate::ConnectOptions::reconnect)); requests fail meanwhile.
    ConnectionLost {
        reason: String,
    },
    /// Synthetic: connected and authorized again after `connectionLost`; the state mirror has
    /// been refreshed from the room.
    Reconnected {
        attempts: u32,
    },
    /// Synthetic: the room sent a frame that is not a JSON object; `raw` holds the text.
    Malformed {
        error: String,
    },
    Unknown,
}

/// Name of the synthetic event that ends every event stream.
pub const DISCONNECTED: &str = "disconnected";
/// Name of the synthetic event for a dropped connection that is being re-established.
pub const CONNECTION_LOST: &str = "connectionLost";
/// Name of the synthetic event for a connection re-established after `connectionLost`.
pub const RECONNECTED: &str = "reconnected";
/// Name of the synthetic event for a frame the room sent that could not be understood.
pub const MALFORMED: &str = "malformedMessage";

impl Event {
    /// Types a notification object (its `method` is already known to be `"event"`).
    pub fn from_json(raw: Value) -> Event {
        let name = str_of(&raw, &["event"]).unwrap_or_default();
        let kind = parse_kind(&name, &raw).unwrap_or(EventKind::Unknown);
        Event { name, kind, raw }
    }

    pub(crate) fn disconnected(reason: &str) -> Event {
        Event {
            name: DISCONNECTED.to_owned(),
            kind: EventKind::Disconnected { reason: reason.to_owned() },
            raw: serde_json::json!({"method": "event", "event": DISCONNECTED, "reason": reason, "synthetic": true}),
        }
    }

    pub(crate) fn connection_lost(reason: &str) -> Event {
        Event {
            name: CONNECTION_LOST.to_owned(),
            kind: EventKind::ConnectionLost { reason: reason.to_owned() },
            raw: serde_json::json!({"method": "event", "event": CONNECTION_LOST, "reason": reason, "synthetic": true}),
        }
    }

    pub(crate) fn reconnected(attempts: u32) -> Event {
        Event {
            name: RECONNECTED.to_owned(),
            kind: EventKind::Reconnected { attempts },
            raw: serde_json::json!({"method": "event", "event": RECONNECTED, "attempts": attempts, "synthetic": true}),
        }
    }

    pub(crate) fn malformed(text: &str, error: &str) -> Event {
        // Keep a bounded sample: a hostile room could send megabytes of garbage.
        let sample: String = text.chars().take(4096).collect();
        Event {
            name: MALFORMED.to_owned(),
            kind: EventKind::Malformed { error: error.to_owned() },
            raw: serde_json::json!({"method": "event", "event": MALFORMED, "error": error, "text": sample, "synthetic": true}),
        }
    }

    /// `confId` of the notification, when it has one.
    pub fn conf_id(&self) -> Option<String> {
        str_of(&self.raw, &["confId"])
    }

    /// `peerId` (or `callId`) of the notification, when it has one.
    pub fn peer_id(&self) -> Option<String> {
        str_of(&self.raw, &["peerId", "callId"])
    }
}

fn parse_kind(name: &str, v: &Value) -> Option<EventKind> {
    let conf_id = || str_of(v, &["confId"]);
    let peer = || str_of(v, &["peerId", "callId"]);
    Some(match name {
        "appStateChanged" => EventKind::AppStateChanged(AppStateInfo::from_json(v)?),
        "conferenceCreated" => EventKind::ConferenceCreated(Conference::from_json(v)?),
        "conferenceDeleted" => EventKind::ConferenceDeleted { conf_id: conf_id() },
        "newParticipantInConference" => {
            EventKind::NewParticipant { conf_id: conf_id(), participant: Participant::from_json(v)? }
        }
        "participantLeftConference" => EventKind::ParticipantLeft { conf_id: conf_id(), peer_id: peer()? },
        "participantPresenceInWaitingRoomChanged" => EventKind::ParticipantPresenceInWaitingRoomChanged {
            conf_id: conf_id(),
            call_id: peer()?,
            in_waiting_room: bool_of(v, &["isInWaitingRoom", "inWaitingRoom"])?,
        },
        "myStateInWaitingRoomChanged" => EventKind::MyStateInWaitingRoomChanged {
            conf_id: conf_id(),
            in_waiting_room: bool_of(v, &["isInWaitingRoom", "inWaitingRoom"])?,
        },
        "waitingRoomStateChanged" => EventKind::WaitingRoomStateChanged {
            conf_id: conf_id(),
            enabled: bool_of(v, &["isWaitingRoomEnabled", "enabled", "enable", "isEnabled"])?,
        },
        "smartMeetingModeChanged" => EventKind::SmartMeetingModeChanged {
            conf_id: conf_id(),
            is_smart_meeting: bool_of(v, &["isSmartMeeting", "enabled"])?,
        },
        "tariffRestrictionsChanged" => EventKind::TariffRestrictionsChanged(TariffRestrictions::from_json(v)),
        "authorizationNeeded" => EventKind::AuthorizationNeeded { cause: i64_of(v, &["cause"]) },
        "inviteSent" => EventKind::InviteSent { conf_id: conf_id(), peer_id: peer() },
        "rejectReceived" => {
            EventKind::RejectReceived { conf_id: conf_id(), peer_id: peer(), cause: i64_of(v, &["cause"]) }
        }
        "requestInviteReceived" => EventKind::RequestInviteReceived { conf_id: conf_id(), peer_id: peer() },
        "inviteReceived" => EventKind::InviteReceived { conf_id: conf_id(), peer_id: peer() },
        "login" => EventKind::Login { result: bool_of(v, &["result"]) },
        "logout" => EventKind::Logout,
        _ => return None,
    })
}

/// Text for a `rejectReceived` cause (PROTOCOL.md §6).
pub fn reject_cause_text(cause: i64) -> &'static str {
    match cause {
        0 => "rejected",
        1 => "conference is full",
        2 => "busy",
        3 => "not available",
        5 => "user not found",
        14 => "user rejected",
        16 => "no answer",
        _ => "other reason",
    }
}
