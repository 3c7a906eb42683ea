//! The table of commands. One row per command:
//!
//! ```text
//! /// One line of documentation (more lines welcome).
//! [Area, Mark, api N, Needs] Faces Struct rust_name = "wireName"
//!     (param: Type = "wireKey" [default "json"], ...) -> ReplyType, example "{json}";
//! ```
//!
//! - `Area`, `Mark` ([doc]/[seen]/[guess] of PROTOCOL.md), `api` (first API version that has
//!   it), `Needs` (who may send it) are documentation; `Faces` is `Generated` (every face is
//!   generated from the row) or `HandWritten` (each face has its own function of that name).
//! - Parameter types are in `args.rs`; a dotted wire key nests (`settings.audioPlayLevel`).
//! - Reply types are in `replies.rs`; `Reply<Record>` reads the reply into a record of `model/`.
//! - Checks that need the room state (a PTZ position against the camera's range) are in
//!   `checks.rs`, by wire name.
//! - The example is a valid set of parameters; `docs/commands.md` shows it.
//!
//! After changing it: `cargo run -p tcroom-codegen` regenerates the C and Python faces and the
//! reference, then give the emulator a handler and write the tests.

macro_rules! command_rows {
    ($cb:ident) => {
        $cb! {
            // ---- session and state ----

            /// The room's application state (PROTOCOL.md §4) and the embedded HTTP server's port.
            [Session, Doc, api 1, Anyone] Generated GetAppState get_app_state = "getAppState" ()
                -> AppStateReply, example "{}";

            /// What the room's licence allows: group conferences, podium seats per schema.
            [Session, Doc, api 1, Anyone] Generated GetTariffRestrictions get_tariff_restrictions = "getTariffRestrictions" ()
                -> TariffReply, example "{}";

            /// Who the room is (`authInfo.peerId`) and what it runs on.
            [Session, Doc, api 1, Anyone] Generated GetSystemInfo get_system_info = "getSystemInfo" ()
                -> SystemInfoReply, example "{}";

            /// The conferences the room lists.
            [Session, Doc, api 1, Anyone] Generated GetConferences get_conferences = "getConferences" ()
                -> ConferenceList, example "{}";

            /// A token for the embedded HTTP server (frames). The client fetches and refreshes it
            /// for `frame()` itself; this is for callers that build URLs of their own.
            [HttpServer, Doc, api 1, Anyone] Generated GetTokenForHttpServer get_token_for_http_server = "getTokenForHttpServer" ()
                -> TokenReply, example "{}";

            // ---- group conferences ----

            /// Creates a group conference with the room as its owner. Accepted at once; it has
            /// started when `conferenceCreated` (or `appStateChanged` to 5) arrives.
            [Conference, Doc, api 1, Anyone] HandWritten CreateConference create_conference = "createConference" (
                /// The conference's title.
                title: Id = "title",
                /// `symmetric` (all on screen), `asymmetric` (video lecture) or `role` (podium).
                conf_type: Id = "confType",
                /// Participants may join without the owner's approval.
                auto_accept: Flag = "autoAccept" default "false",
                /// PeerIds, CallIds or InstanceIds to invite (not the room itself).
                invite: IdList = "inviteList" default "[]",
                /// Podium seats: one of the tariff schema's `maxCasters`.
                casters: OptCount = "castersCount",
                use_waiting_room: Flag = "useWaitingRoom" default "false",
                mute_cam_on_join: Flag = "muteCamOnJoin" default "false",
                mute_mic_on_join: Flag = "muteMicOnJoin" default "false",
                /// Role conferences with at least 4 podium seats only.
                smart_meeting: Flag = "smartMeeting" default "false"
            ) -> Accepted, example r#"{"title":"Code review","confType":"role","autoAccept":false,"inviteList":["user1@some.server"]}"#;

            /// Turns the waiting room on or off. When turning it off, `users_must_be_invited`
            /// true admits everyone waiting, false removes them.
            [Conference, Doc, api 1, Moderator] Generated SetWaitingRoomState set_waiting_room_state = "setWaitingRoomState" (
                enable: Flag = "enable",
                users_must_be_invited: Flag = "isUsersMustBeInvited" default "true"
            ) -> ConfId, example r#"{"enable":true,"isUsersMustBeInvited":true}"#;

            /// Moves a participant (InstanceId) into the waiting room, or lets them in.
            /// Moderators cannot be moved there.
            [Conference, Doc, api 1, Moderator] Generated SetParticipantPresenceInWaitingRoom set_participant_presence_in_waiting_room = "setParticipantPresenceInWaitingRoom" (
                call_id: Id = "callId",
                in_waiting_room: Flag = "inWaitingRoom"
            ) -> ConfId, example r#"{"callId":"user1@some.server/5f0c2a91","inWaitingRoom":false}"#;

            /// The participants of the current conference, the room itself included.
            [Conference, Doc, api 1, Anyone] Generated GetConferenceParticipants get_conference_participants = "getConferenceParticipants" ()
                -> Participants, example "{}";

            /// Invites a PeerId, CallId or InstanceId into the current conference; the answer
            /// comes as `inviteSent`, then `newParticipantInConference` or `rejectReceived`.
            [Conference, Doc, api 1, Moderator] Generated InviteToConference invite_to_conference = "inviteToConference" (
                peer_id: Id = "peerId"
            ) -> Ack, example r#"{"peerId":"user2@some.server"}"#;

            /// Switches a role conference into or out of smart meeting mode.
            [Conference, Seen, api 1, Moderator] Generated ChangeConferenceMode change_conference_mode = "changeConferenceMode" (
                is_smart_meeting: Flag = "isSmartMeeting"
            ) -> Ack, example r#"{"isSmartMeeting":false}"#;

            /// The link others use to join the current conference.
            [Conference, Guess, api 1, Anyone] Generated GetSessionLink get_session_link = "getSessionLink" ()
                -> Link, example "{}";

            // ---- calls ----

            /// Calls a peer (PeerId, CallId or InstanceId), or joins a conference by its id;
            /// `pin` is the conference's password. Accepted at once: `inviteSent`, then
            /// `conferenceCreated` when answered or `rejectReceived` when not.
            [Calls, Doc, api 1, Anyone] Generated Call call = "call" (
                peer_id: Id = "peerId",
                /// The conference password, when joining a protected conference.
                pin: OptText = "pin"
            ) -> Ack, example r#"{"peerId":"user1@some.server"}"#;

            /// Answers the incoming call or invitation (after `inviteReceived`).
            [Calls, Seen, api 1, Anyone] Generated Accept accept = "accept" ()
                -> Ack, example "{}";

            /// Declines the incoming call or invitation.
            [Calls, Seen, api 1, Anyone] Generated Reject reject = "reject" ()
                -> Ack, example "{}";

            /// Leaves the call or conference, or ends it for everyone (`for_all`, owner or
            /// moderator only).
            [Calls, Doc, api 1, Anyone] Generated HangUp hang_up = "hangUp" (
                for_all: Flag = "forAll" default "false"
            ) -> Ack, example r#"{"forAll":true}"#;

            /// Lets in someone who asked to join our conference (`requestInviteReceived`).
            [Calls, Doc, api 1, Owner] Generated AcceptPeer accept_peer = "acceptPeer" (
                /// Their InstanceId, from `requestInviteReceived`.
                peer_id: Id = "peerId"
            ) -> Ack, example r#"{"peerId":"user3@some.server/0a1b2c3d"}"#;

            /// Turns away someone who asked to join our conference.
            [Calls, Doc, api 1, Owner] Generated RejectPeer reject_peer = "rejectPeer" (
                peer_id: Id = "peerId"
            ) -> Ack, example r#"{"peerId":"user3@some.server/0a1b2c3d"}"#;

            /// Removes a participant (InstanceId) from the conference.
            [Calls, Doc, api 1, Moderator] Generated KickPeer kick_peer = "kickPeer" (
                peer_id: Id = "peerId"
            ) -> Ack, example r#"{"peerId":"user1@some.server/5f0c2a91"}"#;

            /// Turns the current call into an all-on-screen conference and invites more people
            /// (the other side of the call comes along).
            [Calls, Doc, api 1, Anyone] Generated ExpandCallToMulti expand_call_to_multi = "expandCallToMulti" (
                title: Id = "title",
                invite: IdList = "inviteList" default "[]"
            ) -> Ack, example r#"{"title":"Escalation","inviteList":["user2@some.server"]}"#;

            /// The latest calls, newest first.
            [Calls, Doc, api 1, Anyone] Generated GetCallHistory get_call_history = "getCallHistory" (
                /// How many entries at most.
                count: Count = "count" default "20"
            ) -> Reply<CallHistory>, example r#"{"count":20}"#;

            // ---- podium (role-based conferences) ----

            /// Invites a participant (InstanceId) to the podium.
            [Podium, Seen, api 1, Moderator] Generated InviteToPodium invite_to_podium = "inviteToPodium" (
                peer_id: Id = "peerId"
            ) -> Ack, example r#"{"peerId":"user1@some.server/5f0c2a91"}"#;

            /// Sends a participant (InstanceId) off the podium.
            [Podium, Doc, api 1, Moderator] Generated KickFromPodium kick_from_podium = "kickFromPodium" (
                peer_id: Id = "peerId"
            ) -> Ack, example r#"{"peerId":"user1@some.server/5f0c2a91"}"#;

            /// Grants a participant's request for the podium.
            [Podium, Doc, api 1, Moderator] Generated AcceptRequestToPodium accept_request_to_podium = "acceptRequestToPodium" (
                peer_id: Id = "peerId"
            ) -> Ack, example r#"{"peerId":"user1@some.server/5f0c2a91"}"#;

            /// Declines a participant's request for the podium.
            [Podium, Doc, api 1, Moderator] Generated RejectRequestToPodium reject_request_to_podium = "rejectRequestToPodium" (
                peer_id: Id = "peerId"
            ) -> Ack, example r#"{"peerId":"user1@some.server/5f0c2a91"}"#;

            /// Accepts the pending invitation to the podium.
            [Podium, Seen, api 1, Anyone] Generated AcceptInvitationToPodium accept_invitation_to_podium = "acceptInvitationToPodium" ()
                -> Ack, example "{}";

            /// Declines the pending invitation to the podium.
            [Podium, Seen, api 1, Anyone] Generated RejectInvitationToPodium reject_invitation_to_podium = "rejectInvitationToPodium" ()
                -> Ack, example "{}";

            /// Asks for the podium (the owner takes it at once).
            [Podium, Seen, api 1, Anyone] Generated GotoPodium goto_podium = "gotoPodium" ()
                -> Ack, example "{}";

            /// Leaves the podium.
            [Podium, Seen, api 1, Anyone] Generated LeavePodium leave_podium = "leavePodium" ()
                -> Ack, example "{}";

            // ---- remote media (moderators) ----

            /// Turns a participant's microphone on or off.
            [RemoteMedia, Doc, api 1, Moderator] Generated TurnRemoteMic turn_remote_mic = "turnRemoteMic" (
                peer_id: Id = "peerId",
                /// True turns it on (unmutes).
                on: Flag = "on"
            ) -> Ack, example r#"{"peerId":"user1@some.server/5f0c2a91","on":false}"#;

            /// Turns a participant's camera on or off.
            [RemoteMedia, Doc, api 1, Moderator] Generated TurnRemoteCamera turn_remote_camera = "turnRemoteCamera" (
                peer_id: Id = "peerId",
                on: Flag = "on"
            ) -> Ack, example r#"{"peerId":"user1@some.server/5f0c2a91","on":false}"#;

            /// Turns a participant's speaker on or off.
            [RemoteMedia, Doc, api 1, Moderator] Generated TurnRemoteSpeaker turn_remote_speaker = "turnRemoteSpeaker" (
                peer_id: Id = "peerId",
                on: Flag = "on"
            ) -> Ack, example r#"{"peerId":"user1@some.server/5f0c2a91","on":true}"#;

            // ---- own media and volume ----

            /// Mutes or unmutes the room's microphone; `audioCapturerMute` follows.
            [OwnMedia, Seen, api 1, Anyone] Generated SetMicMute set_mic_mute = "setMicMute" (
                mute: Flag = "mute"
            ) -> Ack, example r#"{"mute":true}"#;

            /// Whether the room's microphone is muted.
            [OwnMedia, Seen, api 1, Anyone] Generated GetMicMute get_mic_mute = "getMicMute" ()
                -> Mute, example "{}";

            /// Turns the room's camera off (mute) or on; `videoCapturerMute` follows.
            [OwnMedia, Seen, api 1, Anyone] Generated SetVideoMute set_video_mute = "setVideoMute" (
                mute: Flag = "mute"
            ) -> Ack, example r#"{"mute":true}"#;

            /// Whether the room's camera is off.
            [OwnMedia, Seen, api 1, Anyone] Generated GetVideoMute get_video_mute = "getVideoMute" ()
                -> Mute, example "{}";

            /// Mutes or unmutes the room's speaker (playback); `audioRendererMute` follows.
            [OwnMedia, Seen, api 1, Anyone] Generated SetAudioMute set_audio_mute = "setAudioMute" (
                mute: Flag = "mute"
            ) -> Ack, example r#"{"mute":false}"#;

            /// Whether the room's speaker is muted.
            [OwnMedia, Seen, api 1, Anyone] Generated GetAudioMute get_audio_mute = "getAudioMute" ()
                -> Mute, example "{}";

            /// Every setting of the room, as name and value.
            [OwnMedia, Doc, api 1, Anyone] Generated GetSettings get_settings = "getSettings" ()
                -> Reply<Settings>, example "{}";

            /// Changes settings (`settings`: names to values); `settingsChanged` follows for each.
            [OwnMedia, Doc, api 1, Anyone] Generated SetSettings set_settings = "setSettings" (
                settings: Object = "settings"
            ) -> Ack, example r#"{"settings":{"audioPlayLevel":0.55}}"#;

            /// The speaker volume, 0.0 to 1.0 (the `audioPlayLevel` setting).
            [OwnMedia, Doc, api 1, Anyone] Generated GetVolume get_volume = "getSettings" ()
                -> Volume, example "{}";

            /// Sets the speaker volume, 0.0 to 1.0 (the `audioPlayLevel` setting).
            [OwnMedia, Doc, api 1, Anyone] Generated SetVolume set_volume = "setSettings" (
                level: Level = "settings.audioPlayLevel"
            ) -> Ack, example r#"{"settings":{"audioPlayLevel":0.55}}"#;

            // ---- devices ----

            /// The microphones, speakers and cameras present, the ones in use, and what can be
            /// shared as content.
            [Devices, Doc, api 1, Anyone] Generated GetHardware get_hardware = "getHardware" ()
                -> Reply<Hardware>, example "{}";

            /// Selects the camera (`name` from `get_hardware`; `none` for no camera).
            [Devices, Seen, api 1, Anyone] Generated SetVideoCapturer set_video_capturer = "setVideoCapturer" (
                name: Id = "name",
                /// The device's `description` (its system id), to tell same-named devices apart.
                description: OptText = "description"
            ) -> Ack, example r#"{"name":"Logitech BRIO","description":"/dev/video0"}"#;

            /// Selects the microphone.
            [Devices, Seen, api 1, Anyone] Generated SetAudioCapturer set_audio_capturer = "setAudioCapturer" (
                name: Id = "name",
                description: OptText = "description"
            ) -> Ack, example r#"{"name":"Ceiling array","description":"usb-0001"}"#;

            /// Selects the speaker.
            [Devices, Seen, api 1, Anyone] Generated SetAudioRenderer set_audio_renderer = "setAudioRenderer" (
                name: Id = "name",
                description: OptText = "description"
            ) -> Ack, example r#"{"name":"HDMI audio","description":"hdmi-0"}"#;

            // ---- layout, monitors, window ----

            /// The layout of the main window: its type and the video slots.
            [Layout, Doc, api 1, Anyone] Generated GetVideoMatrix get_video_matrix = "getVideoMatrix" ()
                -> Reply<VideoMatrix>, example "{}";

            /// Changes the layout type (0 one window ... 5; slots keep their places).
            [Layout, Doc, api 1, Anyone] Generated ChangeVideoMatrixType change_video_matrix_type = "changeVideoMatrixType" (
                matrix_type: Index = "matrixType"
            ) -> Ack, example r#"{"matrixType":1}"#;

            /// Sets the layout type and the order of the slots (slot ids; the first is the
            /// large one; our own camera is `#self:0`).
            [Layout, Seen, api 1, Anyone] Generated ChangeVideoMatrix change_video_matrix = "changeVideoMatrix" (
                matrix_type: Index = "matrixType",
                participants: IdList = "participants"
            ) -> Ack, example r##"{"matrixType":2,"participants":["user1@some.server/5f0c2a91","#self:0"]}"##;

            /// Swaps two video slots.
            [Layout, Doc, api 1, Anyone] Generated SwapVideoSlots swap_video_slots = "swapVideoSlots" (
                call_id1: Id = "callId1",
                call_id2: Id = "callId2"
            ) -> Ack, example r##"{"callId1":"user1@some.server/5f0c2a91","callId2":"#self:0"}"##;

            /// Shows a hidden video slot.
            [Layout, Seen, api 1, Anyone] Generated ShowVideoSlot show_video_slot = "showVideoSlot" (
                call_id: Id = "callId"
            ) -> Ack, example r##"{"callId":"#self:0"}"##;

            /// Hides a video slot.
            [Layout, Seen, api 1, Anyone] Generated HideVideoSlot hide_video_slot = "hideVideoSlot" (
                call_id: Id = "callId"
            ) -> Ack, example r##"{"callId":"#self:0"}"##;

            /// The monitors of the room's computer and the one showing the main window.
            [Layout, Doc, api 1, Anyone] Generated GetMonitorsInfo get_monitors_info = "getMonitorsInfo" ()
                -> Reply<Monitors>, example "{}";

            /// Moves a video slot to a monitor of its own.
            [Layout, Doc, api 1, Anyone] Generated MoveVideoSlotToMonitor move_video_slot_to_monitor = "moveVideoSlotToMonitor" (
                call_id: Id = "callId",
                monitor_index: Index = "monitorIndex"
            ) -> Ack, example r#"{"callId":"user1@some.server/5f0c2a91","monitorIndex":1}"#;

            /// Brings the slot shown on a monitor back into the main window.
            [Layout, Seen, api 1, Anyone] Generated RemoveVideoSlotFromMonitor remove_video_slot_from_monitor = "removeVideoSlotFromMonitor" (
                monitor_index: Index = "monitorIndex"
            ) -> Ack, example r#"{"monitorIndex":1}"#;

            /// Moves the main window to another monitor.
            [Layout, Seen, api 1, Anyone] Generated ChangeCurrentMonitor change_current_monitor = "changeCurrentMonitor" (
                monitor_index: Index = "monitorIndex"
            ) -> Ack, example r#"{"monitorIndex":0}"#;

            /// Changes the main window: 0 normal, 1 minimized, 2 maximized (full screen).
            [Layout, Seen, api 1, Anyone] Generated ChangeWindowState change_window_state = "changeWindowState" (
                window_state: Index = "windowState",
                stay_on_top: Flag = "stayOnTop" default "false"
            ) -> Ack, example r#"{"windowState":2,"stayOnTop":false}"#;

            /// Brings the main window back to its normal state (from minimized or full
            /// screen); then `windowStateChanged`.
            [Layout, Seen, api 1, Anyone] Generated RestoreWindow restore_window = "restoreWindow" ()
                -> Ack, example "{}";

            // ---- camera PTZ ----

            /// Pan, tilt and zoom of the camera in use: support, range, current value.
            [Ptz, Doc, api 1, Anyone] Generated GetPtzControls get_ptz_controls = "getPtzControls" ()
                -> Reply<PtzControls>, example "{}";

            /// Pans the camera left (until `ptz_stop` on continuous cameras).
            [Ptz, Seen, api 1, Anyone] Generated PtzLeft ptz_left = "ptzLeft" () -> Ack, example "{}";

            /// Pans the camera right.
            [Ptz, Seen, api 1, Anyone] Generated PtzRight ptz_right = "ptzRight" () -> Ack, example "{}";

            /// Tilts the camera up.
            [Ptz, Seen, api 1, Anyone] Generated PtzUp ptz_up = "ptzUp" () -> Ack, example "{}";

            /// Tilts the camera down.
            [Ptz, Seen, api 1, Anyone] Generated PtzDown ptz_down = "ptzDown" () -> Ack, example "{}";

            /// Zooms in.
            [Ptz, Seen, api 1, Anyone] Generated PtzZoomInc ptz_zoom_inc = "ptzZoomInc" () -> Ack, example "{}";

            /// Zooms out.
            [Ptz, Seen, api 1, Anyone] Generated PtzZoomDec ptz_zoom_dec = "ptzZoomDec" () -> Ack, example "{}";

            /// Stops a continuous move.
            [Ptz, Seen, api 1, Anyone] Generated PtzStop ptz_stop = "ptzStop" () -> Ack, example "{}";

            /// Pans to a position within the camera's range (checked against the last known
            /// `get_ptz_controls`).
            [Ptz, Seen, api 1, Anyone] Generated SetPanPos set_pan_pos = "setPanPos" (
                pos: Int = "pos"
            ) -> Ack, example r#"{"pos":0}"#;

            /// Tilts to a position within the camera's range.
            [Ptz, Seen, api 1, Anyone] Generated SetTiltPos set_tilt_pos = "setTiltPos" (
                pos: Int = "pos"
            ) -> Ack, example r#"{"pos":0}"#;

            /// Zooms to a position within the camera's range.
            [Ptz, Seen, api 1, Anyone] Generated SetZoomPos set_zoom_pos = "setZoomPos" (
                pos: Int = "pos"
            ) -> Ack, example r#"{"pos":100}"#;

            /// Moves the camera back to its default pan, tilt and zoom.
            [Ptz, Seen, api 1, Anyone] Generated SetPtzDefaults set_ptz_defaults = "setPtzDefaults" ()
                -> Ack, example "{}";

            // ---- chat and app messages ----

            /// Sends a chat message to a user (PeerId or CallId, not an InstanceId).
            [Chat, Doc, api 1, Anyone] Generated SendMessage send_message = "sendMessage" (
                peer_id: Id = "peerId",
                message: Text = "message"
            ) -> Ack, example r#"{"peerId":"user1@some.server","message":"Starting in 5 minutes"}"#;

            /// Sends a chat message to everyone in the conference.
            [Chat, Seen, api 1, Anyone] Generated SendGroupMessage send_group_message = "sendGroupMessage" (
                message: Text = "message"
            ) -> Ack, example r#"{"message":"Hello, everyone"}"#;

            /// Sends an app-defined command to a participant (InstanceId) during a call or
            /// conference; it arrives as `commandReceived`, never in the chat.
            [Chat, Doc, api 1, Anyone] Generated SendCommand send_command = "sendCommand" (
                peer_id: Id = "peerId",
                command: Text = "command"
            ) -> Ack, example r#"{"peerId":"user1@some.server/5f0c2a91","command":"lights:off"}"#;

            /// Sends `data` to every control connection of the room (ours included) as `myEvent`.
            [Chat, Seen, api 1, Anyone] Generated FireMyEvent fire_my_event = "fireMyEvent" (
                data: Text = "data"
            ) -> Ack, example r#"{"data":"panel:refresh"}"#;

            // ---- content ----

            /// Starts sharing a window or screen (an id of `Hardware::capture_sources`).
            [Content, Seen, api 1, Anyone] Generated StartCapture start_capture = "startCapture" (
                capture_id: Int = "captureId"
            ) -> Ack, example r#"{"captureId":132268}"#;

            /// Stops sharing content.
            [Content, Seen, api 1, Anyone] Generated StopCapture stop_capture = "stopCapture" ()
                -> Ack, example "{}";

            // ---- server and login ----

            /// Connects the room to a TrueConf server (appState 0 to 2 only).
            [Server, Doc, api 1, Admin] Generated ConnectToServer connect_to_server = "connectToServer" (
                server: Id = "server",
                port: Port = "port" default "4307"
            ) -> Ack, example r#"{"server":"tc.example.com","port":4307}"#;

            /// Logs the room in to its server (appState 2). The password is sent as is and never
            /// logged.
            [Server, Doc, api 1, Admin] Generated Login login = "login" (
                login: Id = "login",
                password: Text = "password",
                /// False (the default) is required for LDAP and Active Directory accounts.
                encrypt_password: Flag = "encryptPassword" default "false"
            ) -> Ack, example r#"{"login":"room","password":"…","encryptPassword":false}"#;

            /// Logs the room out of its server.
            [Server, Seen, api 1, Admin] Generated Logout logout = "logout" ()
                -> Ack, example "{}";

            /// Whether the room is logged in, and as whom.
            [Server, Seen, api 1, Anyone] Generated GetLogin get_login = "getLogin" ()
                -> Reply<LoginInfo>, example "{}";

            /// The link between the room and its server: 0 not connected, 1 connecting,
            /// 2 connected, and the server.
            [Server, Doc, api 1, Anyone] Generated GetConnected get_connected = "getConnected" ()
                -> Reply<ConnectionInfo>, example "{}";
        }
    };
}

pub(crate) use command_rows;
