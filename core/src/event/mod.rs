//! Notifications from the room (`{"method":"event","event":...}`), typed, with the raw JSON kept.
//! Which notifications exist, their stable ids and payload types are in `table.rs`.

mod table;

pub use table::{EventId, NOTIFICATIONS};

use crate::json::{bool_of, i64_of, str_of};
use crate::model::*;
use serde_json::Value;

/// One notification. `name` is the wire name (`"conferenceCreated"`), `raw` the whole object.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The wire name (`event`), or the synthetic event's name ([`DISCONNECTED`]...).
    pub name: String,
    /// The typed content; [`EventKind::Unknown`] when this version cannot read it.
    pub kind: EventKind,
    /// The whole notification object, unknown fields included.
    pub raw: Value,
    /// About how many bytes it took on the wire (event queues are bounded in bytes too).
    size: usize,
}

/// The typed content of an [`Event`]. Notifications this version does not model, or that are
/// missing a field their type needs, arrive as [`EventKind::Unknown`] with nothing lost.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum EventKind {
    /// The application state changed (`appStateChanged`).
    AppStateChanged(AppStateInfo),
    /// A conference or call started, ours or one we joined (`conferenceCreated`).
    ConferenceCreated(Conference),
    /// Our conference or call ended (`conferenceDeleted`).
    ConferenceDeleted {
        /// `confId`: the conference that ended.
        conf_id: Option<String>,
    },
    /// Someone joined the conference (`newParticipantInConference`).
    NewParticipant {
        /// `confId`: the conference joined.
        conf_id: Option<String>,
        /// Who joined, with their media and role.
        participant: Participant,
    },
    /// Someone left the conference or was removed (`participantLeftConference`).
    ParticipantLeft {
        /// `confId`: the conference left.
        conf_id: Option<String>,
        /// `peerId` (or `callId`): the InstanceId of who left.
        peer_id: String,
    },
    /// To the owner and moderators: someone entered or left the waiting room.
    ParticipantPresenceInWaitingRoomChanged {
        /// `confId`: the conference.
        conf_id: Option<String>,
        /// `callId` (or `peerId`): the InstanceId of who moved.
        call_id: String,
        /// `isInWaitingRoom`: true when they are now waiting.
        in_waiting_room: bool,
    },
    /// To us as a regular participant.
    MyStateInWaitingRoomChanged {
        /// `confId`: the conference.
        conf_id: Option<String>,
        /// `isInWaitingRoom`: true when we are now waiting.
        in_waiting_room: bool,
    },
    /// The waiting room was turned on or off (`waitingRoomStateChanged`).
    WaitingRoomStateChanged {
        /// `confId`: the conference.
        conf_id: Option<String>,
        /// `isWaitingRoomEnabled` (or `enabled`): whether the waiting room is now on.
        enabled: bool,
    },
    /// Smart meeting mode was turned on or off (`smartMeetingModeChanged`).
    SmartMeetingModeChanged {
        /// `confId`: the conference.
        conf_id: Option<String>,
        /// `isSmartMeeting`: whether the mode is now on.
        is_smart_meeting: bool,
    },
    /// The licence changed (`tariffRestrictionsChanged`).
    TariffRestrictionsChanged(TariffRestrictions),
    /// The connection lost its authorization (cause 1: another client took the role; see §3).
    AuthorizationNeeded {
        /// `cause`: 1 another client took the role; 2..8 protection reset, credentials changed,
        /// licence, PIN changed, token expired (PROTOCOL.md §3).
        cause: Option<i64>,
    },
    /// An invitation (or call) was sent (`inviteSent`).
    InviteSent {
        /// `confId`: the conference invited to.
        conf_id: Option<String>,
        /// `peerId`: who was invited.
        peer_id: Option<String>,
    },
    /// An invitee declined or could not be reached; `cause` per PROTOCOL.md §6 (2 busy, 16 no answer…).
    RejectReceived {
        /// `confId`: the conference invited to.
        conf_id: Option<String>,
        /// `peerId`: who declined.
        peer_id: Option<String>,
        /// `cause`: 0 rejected, 1 conference full, 2 busy, 3 not available, 16 no answer...
        /// ([`reject_cause_text`]).
        cause: Option<i64>,
    },
    /// Someone asks to join our conference: `accept_peer` / `reject_peer` with `peer_id`.
    RequestInviteReceived {
        /// `confId`: our conference.
        conf_id: Option<String>,
        /// `peerId`: who asks (the id to answer with).
        peer_id: Option<String>,
    },
    /// An incoming call or invitation: `accept` or `reject`.
    InviteReceived(IncomingCall),
    /// The room logged in to its server: `result` true (or 0 on the wire) is success.
    Login {
        /// `result`: true on success; `None` when the room did not say.
        result: Option<bool>,
    },
    /// The room logged out of its server (`logout`).
    Logout,
    /// We declined a call or a request to join (`rejectSent`).
    RejectSent(Rejection),
    /// Ringing stopped before a call started (`stopCalling`).
    StopCalling(CallStopped),
    /// A peer accepted our call, or our `accept_peer` took effect (`peerAccepted`).
    PeerAccepted(PeerRef),
    /// Our call reached a conference's owner as a request to join (`inviteRequestSent`).
    InviteRequestSent(PeerRef),
    /// A podium request, invitation or answer (`roleEventOccured`, misspelled on the wire).
    RoleEventOccured(RoleEvent),
    /// Our pending invitation to the podium is gone (`incomingPodiumInvitationRemoved`).
    PodiumInvitationRemoved(PodiumInvitationRemoved),
    /// We answered someone's request for the podium (`incomingRequestToPodiumAnswered`).
    PodiumRequestAnswered(PodiumRequestAnswered),
    /// Our microphone (`audioCapturerMute`).
    MicMute(MuteState),
    /// Our camera (`videoCapturerMute`).
    CameraMute(MuteState),
    /// Our speaker (`audioRendererMute`).
    SpeakerMute(MuteState),
    /// A moderator muted or unmuted our microphone (`micStateChangedByConferenceOwner`).
    MicMutedByOwner(MuteState),
    /// A moderator turned our camera off or on (`cameraStateChangedByConferenceOwner`).
    CameraMutedByOwner(MuteState),
    /// A participant's microphone or camera changed (`deviceStatusReceived`).
    DeviceStatusReceived(DeviceStatus),
    /// A setting changed (`settingsChanged`; the volume is `audioPlayLevel`).
    SettingsChanged(Setting),
    /// Devices were plugged, unplugged or selected (`hardwareChanged`).
    HardwareChanged(Hardware),
    /// The layout changed (`videoMatrixChanged`).
    VideoMatrixChanged(VideoMatrix),
    /// Monitors changed, or the main window moved to another one (`monitorsInfoUpdated`).
    MonitorsInfoUpdated(Monitors),
    /// A video slot moved to a monitor of its own (`videoSlotMovedToMonitor`).
    VideoSlotMovedToMonitor(ExternSlot),
    /// A video slot came back from its monitor (`videoSlotRemovedFromMonitor`).
    VideoSlotRemovedFromMonitor(ExternSlot),
    /// The main window was minimized, maximized or restored (`windowStateChanged`).
    WindowStateChanged(WindowState),
    /// The camera's pan, tilt or zoom changed (`ptzControlsChanged`).
    PtzControlsChanged(PtzControls),
    /// A chat message to us (`incomingChatMessage`).
    IncomingChatMessage(ChatMessage),
    /// A chat message to the conference (`incomingGroupChatMessage`).
    IncomingGroupChatMessage(ChatMessage),
    /// Our chat message was sent (`chatMessageSent`).
    ChatMessageSent(ChatMessage),
    /// Our group chat message was sent (`groupChatMessageSent`).
    GroupChatMessageSent(ChatMessage),
    /// An app-defined command from a participant (`commandReceived`).
    CommandReceived(AppCommand),
    /// Our app-defined command was sent (`commandSent`).
    CommandSent(AppCommand),
    /// What a `fire_my_event` sent, on every control connection of the room (`myEvent`).
    MyEvent(MyEvent),
    /// Content sharing started (`dsStarted`).
    ContentStarted(ContentCapture),
    /// Content sharing stopped (`dsStopped`).
    ContentStopped(ContentCapture),
    /// The room connected to its server (`serverConnected`).
    ServerConnected(ServerInfo),
    /// The room lost its server (`serverDisconnected`).
    ServerDisconnected(ServerInfo),
    /// Synthetic (not from the room): the connection is gone for good. Always the last event.
    Disconnected {
        /// Why, as text.
        reason: String,
    },
    /// Synthetic: the connection dropped and the client is reconnecting (only with
    /// [`ConnectOptions::reconnect`](crate::ConnectOptions::reconnect)); requests fail meanwhile.
    ConnectionLost {
        /// Why the link dropped, as text.
        reason: String,
    },
    /// Synthetic: connected and authorized again after `connectionLost`; the state mirror has
    /// been refreshed from the room.
    Reconnected {
        /// How many attempts it took (1 for the first).
        attempts: u32,
    },
    /// Synthetic: the room sent a frame that is not a JSON object; `raw` holds the text.
    Malformed {
        /// What was wrong with it.
        error: String,
    },
    /// Synthetic: `count` events were dropped for a reader that fell behind.
    EventsLost {
        /// How many events this reader missed here.
        count: u64,
    },
    /// Synthetic: the room state changed (`changed`: the parts; `full`: read all of it).
    StateChanged {
        /// The [`Aspect`](crate::Aspect) names that changed (`"own_media"`...).
        changed: Vec<&'static str>,
        /// True after a reconnect: everything may have changed.
        full: bool,
    },
    /// A notification this version does not model, or could not read: see [`Event::raw`].
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
/// Name of the synthetic event telling a reader how many events it missed (`count`).
pub const EVENTS_LOST: &str = "eventsLost";
/// Name of the synthetic event telling that the room state changed (`changed`, `full`).
pub const STATE_CHANGED: &str = "stateChanged";

/// About how many bytes a JSON value takes as text, without writing it out.
fn json_size(v: &Value) -> usize {
    match v {
        Value::Null | Value::Bool(_) => 5,
        Value::Number(_) => 8,
        Value::String(s) => s.len() + 2,
        Value::Array(a) => 2 + a.iter().map(|x| json_size(x) + 1).sum::<usize>(),
        Value::Object(m) => 2 + m.iter().map(|(k, x)| k.len() + 4 + json_size(x)).sum::<usize>(),
    }
}

impl Event {
    /// Types a notification object (its `method` is already known to be `"event"`).
    pub fn from_json(raw: Value) -> Event {
        let name = str_of(&raw, &["event"]).unwrap_or_default();
        let kind = match table::parse_record(&name, &raw) {
            Some(kind) => kind,
            None => parse_legacy(&name, &raw),
        }
        .unwrap_or(EventKind::Unknown);
        let size = json_size(&raw);
        Event { name, kind, raw, size }
    }

    fn synthetic(name: &str, kind: EventKind, mut fields: Value) -> Event {
        if let Value::Object(m) = &mut fields {
            m.insert("method".into(), "event".into());
            m.insert("event".into(), name.into());
            m.insert("synthetic".into(), true.into());
        }
        let size = json_size(&fields);
        Event { name: name.to_owned(), kind, raw: fields, size }
    }

    pub(crate) fn disconnected(reason: &str) -> Event {
        let kind = EventKind::Disconnected { reason: reason.to_owned() };
        Event::synthetic(DISCONNECTED, kind, serde_json::json!({ "reason": reason }))
    }

    pub(crate) fn connection_lost(reason: &str) -> Event {
        let kind = EventKind::ConnectionLost { reason: reason.to_owned() };
        Event::synthetic(CONNECTION_LOST, kind, serde_json::json!({ "reason": reason }))
    }

    pub(crate) fn reconnected(attempts: u32) -> Event {
        Event::synthetic(RECONNECTED, EventKind::Reconnected { attempts }, serde_json::json!({ "attempts": attempts }))
    }

    pub(crate) fn malformed(text: &str, error: &str) -> Event {
        // Keep a bounded sample: a hostile room could send megabytes of garbage.
        let sample: String = text.chars().take(4096).collect();
        let kind = EventKind::Malformed { error: error.to_owned() };
        Event::synthetic(MALFORMED, kind, serde_json::json!({ "error": error, "text": sample }))
    }

    /// A notification the client made after a reconnect, to tell what changed while the link
    /// was down: read like the room's own, marked `"synthetic"` and `"reconciled"`.
    pub(crate) fn reconciled(name: &str, fields: Value) -> Event {
        let mut v = fields;
        if let Value::Object(m) = &mut v {
            m.insert("method".into(), "event".into());
            m.insert("event".into(), name.into());
            m.insert("synthetic".into(), true.into());
            m.insert("reconciled".into(), true.into());
        }
        Event::from_json(v)
    }

    /// The marker for `count` events dropped where it stands.
    pub fn events_lost(count: u64) -> Event {
        Event::synthetic(EVENTS_LOST, EventKind::EventsLost { count }, serde_json::json!({ "count": count }))
    }

    pub(crate) fn state_changed(changed: Vec<&'static str>, full: bool) -> Event {
        let fields = serde_json::json!({ "changed": changed, "full": full });
        Event::synthetic(STATE_CHANGED, EventKind::StateChanged { changed, full }, fields)
    }

    /// Which notification this is; `EventId::Unknown` when the catalogue does not have it or
    /// its fields could not be read (then `kind` is `Unknown` too, and `raw` has everything).
    pub fn id(&self) -> EventId {
        if matches!(self.kind, EventKind::Unknown) {
            EventId::Unknown
        } else {
            EventId::from_wire(&self.name)
        }
    }

    /// The typed payload of notifications read into a record (`inviteReceived` into
    /// `IncomingCall`...), as JSON with the record's field names; `None` for the others.
    pub fn payload_json(&self) -> Option<Value> {
        table::payload_json(&self.kind)
    }

    /// About how many bytes the notification took on the wire.
    pub fn size(&self) -> usize {
        self.size
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

/// Notifications read by hand (the `legacy` rows of the table).
fn parse_legacy(name: &str, v: &Value) -> Option<EventKind> {
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
        // The vendor documents `result` as a code where 0 is success; older rooms send a boolean.
        "login" => EventKind::Login {
            result: match v.get("result") {
                Some(Value::Bool(b)) => Some(*b),
                Some(other) => crate::json::as_int(other).map(|code| code == 0),
                None => None,
            },
        },
        "logout" => EventKind::Logout,
        _ => return None,
    })
}

/// Text for a `rejectReceived` / `rejectSent` cause (PROTOCOL.md §6, the vendor's list).
pub fn reject_cause_text(cause: i64) -> &'static str {
    match cause {
        0 => "rejected",
        1 => "conference is full",
        2 => "busy",
        3 => "not available",
        4 => "conference does not exist",
        5 => "user not found",
        6 => "call was not declined",
        7 => "insufficient funds",
        8 => "access denied",
        9 => "logged out",
        10 => "cannot complete the call",
        11 => "insufficient resources",
        12 => "password required",
        13 => "invalid password",
        14 => "user rejected",
        15 => "rating too low",
        16 => "no answer",
        17 => "conference not started",
        18 => "conference already ended",
        19 => "not found",
        20 => "cannot reach the remote server",
        21 => "federation not allowed",
        22 => "federation rejected",
        _ => "other reason",
    }
}
