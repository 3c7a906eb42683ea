//! The table of notifications. One row per notification:
//!
//! ```text
//! /// Documentation.
//! code Variant = "wireName" [Area, Mark] form [Payload], example "{json}";
//! ```
//!
//! - `code` is the stable number of the notification in every face (the C `tc_event_kind`):
//!   never reuse or change one.
//! - `Variant` names the `EventId` and the `EventKind` variant.
//! - `form`: `record Payload` (the event's fields read into a record of `model/`, carried as
//!   `EventKind::Variant(Payload)`); `legacy [Payload]` (read by hand in `event.rs`);
//!   `synthetic` (made by the client, never read from the wire).
//!
//! This is the notification half of the protocol catalogue (the commands are in
//! `catalogue/commands.rs`). After changing it: `cargo run -p tcroom-codegen`.

macro_rules! notification_rows {
    ($cb:ident) => {
        $cb! {
            // ---- connection (synthetic: made by the client) ----

            /// The connection is gone for good (`reason`). Always a client's last event.
            18 Disconnected = "disconnected" [Session, Guess] synthetic, example r#"{"reason":"the room closed the connection"}"#;
            /// With reconnect on: the link dropped (`reason`) and the client is reconnecting.
            21 ConnectionLost = "connectionLost" [Session, Guess] synthetic, example r#"{"reason":"connection lost"}"#;
            /// With reconnect on: connected and authorized again after `attempts` attempts; the
            /// room state has been read again.
            22 Reconnected = "reconnected" [Session, Guess] synthetic, example r#"{"attempts":1}"#;
            /// The room sent a frame that is not a JSON object (`error`, `text`: a sample).
            19 Malformed = "malformedMessage" [Session, Guess] synthetic, example r#"{"error":"malformed JSON","text":"{oops"}"#;
            /// `count` events were dropped because the reader fell behind; the room state is
            /// always current, read it to catch up (when state changes were among the dropped,
            /// a `stateChanged` with `full` true follows).
            20 EventsLost = "eventsLost" [Session, Guess] synthetic, example r#"{"count":12}"#;
            /// The room state changed: `changed` lists the parts, `full` is true after a
            /// reconnect or an `eventsLost` gap (read the whole state).
            23 StateChanged = "stateChanged" [Session, Guess] synthetic, example r#"{"changed":["own_media"],"full":false}"#;

            // ---- session ----

            /// The application state changed (0 none ... 3 normal, 4 calling, 5 in a call or
            /// conference, 6 closing).
            1 AppStateChanged = "appStateChanged" [Session, Doc] legacy AppStateInfo, example r#"{"appState":5}"#;
            /// The licence changed.
            10 TariffRestrictionsChanged = "tariffRestrictionsChanged" [Session, Doc] legacy TariffRestrictions, example r#"{"tariffName":"Enterprise","createMulti":true}"#;
            /// This connection must authorize again (`cause` 1: another client took the role).
            11 AuthorizationNeeded = "authorizationNeeded" [Session, Doc] legacy, example r#"{"cause":1}"#;

            // ---- group conferences ----

            /// A conference (or a call: `confType` 0) started, ours or one we joined.
            2 ConferenceCreated = "conferenceCreated" [Conference, Doc] legacy Conference, example r#"{"confId":"000002c6@some.server#vcs","confTitle":"Code review","confType":3}"#;
            /// Our conference or call ended.
            3 ConferenceDeleted = "conferenceDeleted" [Conference, Seen] legacy, example r#"{"confId":"000002c6@some.server#vcs"}"#;
            /// Someone joined the conference.
            4 NewParticipant = "newParticipantInConference" [Conference, Doc] legacy Participant, example r#"{"peerId":"user1@some.server/5f0c2a91","peerDn":"User 1","mic":2,"video":2,"role":1}"#;
            /// Someone left the conference (or was removed).
            5 ParticipantLeft = "participantLeftConference" [Conference, Seen] legacy, example r#"{"peerId":"user1@some.server/5f0c2a91","confId":"000002c6@some.server#vcs"}"#;
            /// To moderators: someone entered or left the waiting room.
            6 ParticipantPresenceInWaitingRoomChanged = "participantPresenceInWaitingRoomChanged" [Conference, Doc] legacy, example r#"{"callId":"user1@some.server/5f0c2a91","isInWaitingRoom":true}"#;
            /// To us as a participant: we entered or left the waiting room.
            7 MyStateInWaitingRoomChanged = "myStateInWaitingRoomChanged" [Conference, Guess] legacy, example r#"{"isInWaitingRoom":false}"#;
            /// The waiting room was turned on or off.
            8 WaitingRoomStateChanged = "waitingRoomStateChanged" [Conference, Guess] legacy, example r#"{"isWaitingRoomEnabled":true}"#;
            /// Smart meeting mode was turned on or off.
            9 SmartMeetingModeChanged = "smartMeetingModeChanged" [Conference, Guess] legacy, example r#"{"isSmartMeeting":true}"#;

            // ---- calls ----

            /// An invitation (or call) was sent to `peerId`.
            12 InviteSent = "inviteSent" [Calls, Doc] legacy, example r#"{"peerId":"user1@some.server","confId":"000002c6@some.server#vcs"}"#;
            /// `peerId` declined or could not be reached (`cause`: 2 busy, 16 no answer...).
            13 RejectReceived = "rejectReceived" [Calls, Doc] legacy, example r#"{"peerId":"user1@some.server","cause":2}"#;
            /// Someone asks to join our conference: answer with `accept_peer` / `reject_peer`.
            14 RequestInviteReceived = "requestInviteReceived" [Calls, Doc] legacy, example r#"{"peerId":"user3@some.server/0a1b2c3d","peerDn":"User 3"}"#;
            /// An incoming call or invitation: answer with `accept` / `reject`.
            15 InviteReceived = "inviteReceived" [Calls, Doc] record IncomingCall, example r#"{"peerId":"user1@some.server","peerDn":"User 1","type":0}"#;
            /// We declined a call or a request to join.
            24 RejectSent = "rejectSent" [Calls, Doc] record Rejection, example r#"{"peerId":"user1@some.server","cause":0}"#;
            /// Ringing stopped before a call started (`side` 0 us, 1 them).
            25 StopCalling = "stopCalling" [Calls, Doc] record CallStopped, example r#"{"peerId":"user1@some.server","side":1}"#;
            /// A peer accepted (our call, or our `accept_peer`).
            26 PeerAccepted = "peerAccepted" [Calls, Seen] record PeerRef, example r#"{"peerId":"user1@some.server/5f0c2a91"}"#;
            /// Our call reached a conference's owner as a request to join.
            27 InviteRequestSent = "inviteRequestSent" [Calls, Seen] record PeerRef, example r#"{"peerId":"owner@some.server"}"#;

            // ---- podium ----

            /// Podium request, invitation or answer (`role`, `type`, `result`: see `RoleEvent`).
            28 RoleEventOccured = "roleEventOccured" [Podium, Doc] record RoleEvent, example r#"{"peerId":"user1@some.server/5f0c2a91","role":3,"type":0}"#;
            /// Our pending invitation to the podium is gone (`reason` 0 accepted, 1 declined,
            /// 2 timed out, 3 conference ending).
            29 PodiumInvitationRemoved = "incomingPodiumInvitationRemoved" [Podium, Doc] record PodiumInvitationRemoved, example r#"{"reason":0}"#;
            /// We answered someone's request for the podium.
            30 PodiumRequestAnswered = "incomingRequestToPodiumAnswered" [Podium, Doc] record PodiumRequestAnswered, example r#"{"peerId":"user1@some.server/5f0c2a91","allow":true}"#;

            // ---- media ----

            /// Our microphone was muted or unmuted.
            31 MicMute = "audioCapturerMute" [OwnMedia, Seen] record MuteState, example r#"{"mute":true}"#;
            /// Our camera was turned off or on.
            32 CameraMute = "videoCapturerMute" [OwnMedia, Seen] record MuteState, example r#"{"mute":true}"#;
            /// Our speaker was muted or unmuted.
            33 SpeakerMute = "audioRendererMute" [OwnMedia, Seen] record MuteState, example r#"{"mute":false}"#;
            /// A moderator muted or unmuted our microphone.
            34 MicMutedByOwner = "micStateChangedByConferenceOwner" [RemoteMedia, Doc] record MuteState, example r#"{"mute":true}"#;
            /// A moderator turned our camera off or on.
            35 CameraMutedByOwner = "cameraStateChangedByConferenceOwner" [RemoteMedia, Seen] record MuteState, example r#"{"mute":true}"#;
            /// A participant's microphone or camera changed (0 none, 1 muted, 2 on).
            36 DeviceStatusReceived = "deviceStatusReceived" [RemoteMedia, Doc] record DeviceStatus, example r#"{"peerId":"user1@some.server/5f0c2a91","mic":1,"video":2}"#;
            /// A setting changed (the volume is `audioPlayLevel`).
            37 SettingsChanged = "settingsChanged" [OwnMedia, Doc] record Setting, example r#"{"name":"audioPlayLevel","value":0.55}"#;

            // ---- devices, layout, window, PTZ ----

            /// Devices were plugged, unplugged or selected.
            38 HardwareChanged = "hardwareChanged" [Devices, Doc] record Hardware, example r#"{"audioCapturers":[],"audioRenderers":[],"videoCapturers":[]}"#;
            /// The layout changed.
            39 VideoMatrixChanged = "videoMatrixChanged" [Layout, Doc] record VideoMatrix, example r##"{"matrixType":1,"participants":[{"peerId":"#self:0"}]}"##;
            /// Monitors changed, or the main window moved to another one.
            40 MonitorsInfoUpdated = "monitorsInfoUpdated" [Layout, Doc] record Monitors, example r#"{"monitors":[{"index":0,"primary":true}],"currentMonitor":0}"#;
            /// A video slot moved to a monitor of its own.
            41 VideoSlotMovedToMonitor = "videoSlotMovedToMonitor" [Layout, Seen] record ExternSlot, example r#"{"callId":"user1@some.server/5f0c2a91","monitorIdx":1}"#;
            /// A video slot came back from its monitor.
            42 VideoSlotRemovedFromMonitor = "videoSlotRemovedFromMonitor" [Layout, Seen] record ExternSlot, example r#"{"callId":"user1@some.server/5f0c2a91","monitorIdx":1}"#;
            /// The main window was minimized, maximized or restored.
            43 WindowStateChanged = "windowStateChanged" [Layout, Seen] record WindowState, example r#"{"windowState":2,"stayOnTop":false}"#;
            /// The camera's pan, tilt or zoom changed.
            44 PtzControlsChanged = "ptzControlsChanged" [Ptz, Seen] record PtzControls, example r#"{"pan":{"support":true,"currentValue":0}}"#;

            // ---- chat, app messages, content ----

            /// A chat message to us.
            45 IncomingChatMessage = "incomingChatMessage" [Chat, Doc] record ChatMessage, example r#"{"peerId":"user1@some.server","message":"Hi","time":1700000000}"#;
            /// A chat message to the conference.
            46 IncomingGroupChatMessage = "incomingGroupChatMessage" [Chat, Doc] record ChatMessage, example r#"{"peerId":"user1@some.server","message":"Hi all"}"#;
            /// Our chat message was sent.
            47 ChatMessageSent = "chatMessageSent" [Chat, Seen] record ChatMessage, example r#"{"peerId":"user1@some.server","message":"Hi"}"#;
            /// Our group chat message was sent.
            48 GroupChatMessageSent = "groupChatMessageSent" [Chat, Seen] record ChatMessage, example r#"{"message":"Hi all"}"#;
            /// An app-defined command from a participant.
            49 CommandReceived = "commandReceived" [Chat, Seen] record AppCommand, example r#"{"peerId":"user1@some.server","command":"lights:off"}"#;
            /// Our app-defined command was sent.
            50 CommandSent = "commandSent" [Chat, Seen] record AppCommand, example r#"{"peerId":"user1@some.server/5f0c2a91","command":"lights:off"}"#;
            /// What a `fire_my_event` sent, on every control connection of the room.
            51 MyEvent = "myEvent" [Chat, Seen] record MyEvent, example r#"{"data":"panel:refresh"}"#;
            /// Content sharing started.
            52 ContentStarted = "dsStarted" [Content, Doc] record ContentCapture, example r#"{"captureId":132268,"name":"Desktop"}"#;
            /// Content sharing stopped.
            53 ContentStopped = "dsStopped" [Content, Seen] record ContentCapture, example r#"{"captureId":132268}"#;

            // ---- server and login ----

            /// The room connected to its server.
            54 ServerConnected = "serverConnected" [Server, Seen] record ServerInfo, example r#"{"server":"tc.example.com","port":4307}"#;
            /// The room lost its server.
            55 ServerDisconnected = "serverDisconnected" [Server, Seen] record ServerInfo, example r#"{"server":"tc.example.com","port":4307}"#;
            /// The room logged in (`result` 0 or true: success).
            16 Login = "login" [Server, Doc] legacy, example r#"{"result":0,"peerId":"room@some.server"}"#;
            /// The room logged out.
            17 Logout = "logout" [Server, Seen] legacy, example r#"{"result":0}"#;
        }
    };
}

/// `EventId`, every notification's spec, and the parser of the record-form ones.
macro_rules! notification_defs {
    ($(
        $(#[doc = $doc:literal])*
        $code:literal $Variant:ident = $wire:literal [$area:ident, $mark:ident] $form:ident $($payload:ident)?, example $example:literal;
    )*) => {
        /// Which notification an event is: one per row of the catalogue, plus `Unknown`. The
        /// numbers are stable (the C face's `tc_event_kind` has the same values).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
        #[repr(i32)]
        #[non_exhaustive]
        pub enum EventId {
            /// A notification this version does not know, or one it could not read.
            Unknown = 0,
            $(
                $(#[doc = $doc])*
                $Variant = $code,
            )*
        }

        impl EventId {
            /// Every id but `Unknown`, in the order of the table.
            pub const ALL: &'static [EventId] = &[$(EventId::$Variant),*];

            /// The variant's name (`"InviteReceived"`).
            pub fn name(self) -> &'static str {
                match self {
                    EventId::Unknown => "Unknown",
                    $(EventId::$Variant => stringify!($Variant),)*
                }
            }

            /// The wire name (`"inviteReceived"`); `None` for `Unknown`.
            pub fn wire(self) -> Option<&'static str> {
                match self {
                    EventId::Unknown => None,
                    $(EventId::$Variant => Some($wire),)*
                }
            }

            /// The stable number.
            pub fn code(self) -> i32 {
                self as i32
            }

            /// The id of a notification name (`Unknown` when not in the catalogue).
            pub fn from_wire(wire: &str) -> EventId {
                match wire {
                    $($wire => EventId::$Variant,)*
                    _ => EventId::Unknown,
                }
            }
        }

        /// Every notification, in the order of the table.
        pub static NOTIFICATIONS: &[$crate::spec::NotificationSpec] = &[$(
            $crate::spec::NotificationSpec {
                code: $code,
                name: stringify!($Variant),
                wire: $wire,
                mark: $crate::spec::Mark::$mark,
                area: $crate::spec::Area::$area,
                synthetic: notification_defs!(@synthetic $form),
                doc: $crate::__doc_text!($($doc)*),
                payload: $crate::__opt!($(stringify!($payload))?),
                record: notification_defs!(@record $form $($payload)?),
                example: $example,
            }
        ),*];

        /// The typed payload of a `record` row's event, as JSON (its fields by their Rust
        /// names); `None` for the others.
        pub(crate) fn payload_json(kind: &EventKind) -> Option<serde_json::Value> {
            $(notification_defs!(@payload $form $Variant kind);)*
            None
        }

        /// Reads a notification whose row has the `record` form; `None` for the others (and
        /// for a record that cannot be read).
        pub(crate) fn parse_record(name: &str, v: &serde_json::Value) -> Option<Option<EventKind>> {
            use $crate::record::Record;
            match name {
                $($wire => notification_defs!(@parse $form $Variant v $($payload)?),)*
                _ => None,
            }
        }
    };

    (@payload record $Variant:ident $kind:ident) => {
        if let EventKind::$Variant(p) = $kind {
            return serde_json::to_value(p).ok();
        }
    };
    (@payload $form:ident $Variant:ident $kind:ident) => {};
    (@synthetic synthetic) => { true };
    (@synthetic $other:ident) => { false };
    (@record record $payload:ident) => { Some(<$payload as $crate::record::Record>::SPEC) };
    (@record $form:ident $($payload:ident)?) => { None };
    // `Some(kind)`: handled here (kind `None`: unreadable); `None`: not a record row.
    (@parse record $Variant:ident $v:ident $payload:ident) => { Some($payload::from_json($v).map(EventKind::$Variant)) };
    (@parse $form:ident $Variant:ident $v:ident $($payload:ident)?) => { None };
}

use super::EventKind;
use crate::model::*;

notification_rows!(notification_defs);
