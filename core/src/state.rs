//! The live room state: what the client knows of the room, kept current from every notification
//! and from the replies to the getters (`getAppState`, `getHardware`, `getMicMute`...), and
//! filled by those getters after every connect and reconnect.
//!
//! Every change is reported as a set of [`Aspect`]s, so that `watch()` subscribers learn what
//! changed without comparing snapshots.

use crate::event::{Event, EventKind};
use crate::json::str_of;
use crate::model::*;
use crate::record::Record;
use serde::Serialize;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex, MutexGuard};

/// A part of the room state, for change reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Aspect {
    /// `connected`, `authorized`.
    Connection,
    /// `app_state`, `in_call`, `http_port`.
    AppState,
    /// `conference` (the call or conference we are in).
    Conference,
    /// `participants`.
    Participants,
    /// `tariff`.
    Tariff,
    /// `own_peer_id`, `login`.
    Login,
    /// `mic_muted`, `camera_muted`, `speaker_muted`.
    OwnMedia,
    /// `volume`.
    Volume,
    /// `hardware`.
    Devices,
    /// `video_matrix`.
    Layout,
    /// `monitors`, `window`.
    Monitors,
    /// `ptz`.
    Ptz,
    /// `incoming_call`, `join_requests`.
    Incoming,
    /// `podium_invitation`, `podium_requests`.
    Podium,
    /// `server_state`, `server`.
    Server,
    /// `content`.
    Content,
}

impl Aspect {
    /// Every aspect, in a fixed order.
    pub const ALL: [Aspect; 16] = [
        Aspect::Connection,
        Aspect::AppState,
        Aspect::Conference,
        Aspect::Participants,
        Aspect::Tariff,
        Aspect::Login,
        Aspect::OwnMedia,
        Aspect::Volume,
        Aspect::Devices,
        Aspect::Layout,
        Aspect::Monitors,
        Aspect::Ptz,
        Aspect::Incoming,
        Aspect::Podium,
        Aspect::Server,
        Aspect::Content,
    ];

    /// The aspect's name as a `stateChanged` event lists it (`"own_media"`).
    pub fn name(self) -> &'static str {
        match self {
            Aspect::Connection => "connection",
            Aspect::AppState => "app_state",
            Aspect::Conference => "conference",
            Aspect::Participants => "participants",
            Aspect::Tariff => "tariff",
            Aspect::Login => "login",
            Aspect::OwnMedia => "own_media",
            Aspect::Volume => "volume",
            Aspect::Devices => "devices",
            Aspect::Layout => "layout",
            Aspect::Monitors => "monitors",
            Aspect::Ptz => "ptz",
            Aspect::Incoming => "incoming",
            Aspect::Podium => "podium",
            Aspect::Server => "server",
            Aspect::Content => "content",
        }
    }
}

/// A set of [`Aspect`]s.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes(u32);

impl Changes {
    /// The empty set.
    pub const NONE: Changes = Changes(0);
    /// Every aspect.
    pub const ALL: Changes = Changes((1 << Aspect::ALL.len()) - 1);

    /// The set of `a` alone.
    pub fn of(a: Aspect) -> Changes {
        Changes(1 << a as u8)
    }
    /// Adds `a`.
    pub fn add(&mut self, a: Aspect) {
        self.0 |= 1 << a as u8;
    }
    /// Adds `a` when `changed`.
    pub fn add_if(&mut self, changed: bool, a: Aspect) {
        if changed {
            self.add(a);
        }
    }
    /// Adds every aspect of `other`.
    pub fn merge(&mut self, other: Changes) {
        self.0 |= other.0;
    }
    /// Whether `a` is in the set.
    pub fn contains(self, a: Aspect) -> bool {
        self.0 & (1 << a as u8) != 0
    }
    /// Whether the set has no aspect.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// The aspects in the set, in the order of [`Aspect::ALL`].
    pub fn aspects(self) -> impl Iterator<Item = Aspect> {
        Aspect::ALL.into_iter().filter(move |a| self.contains(*a))
    }
    /// The aspects' names, in a fixed order.
    pub fn names(self) -> Vec<&'static str> {
        self.aspects().map(Aspect::name).collect()
    }
}

/// Whether we are in a call or conference, and which (see [`ConferenceMark::began`]).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ConferenceMark {
    in_conference: bool,
    conf_id: Option<String>,
}

impl ConferenceMark {
    /// A call or conference has begun (or another replaced it) between `self` and `after`, so
    /// its participants should be read: the room announces the joins that come later, not who
    /// was there already.
    pub(crate) fn began(&self, after: &ConferenceMark) -> bool {
        let replaced = matches!((&self.conf_id, &after.conf_id), (Some(a), Some(b)) if a != b);
        after.in_conference && (!self.in_conference || replaced)
    }
}

/// A snapshot of what the client knows of the room. Every field is `None` (or empty) until the
/// room has told; after connect and after every reconnect the client asks the room for all of
/// it, so it is right from the first read.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RoomState {
    /// The control connection is up.
    pub connected: bool,
    /// It is authorized (`auth` succeeded and no `authorizationNeeded` since).
    pub authorized: bool,
    /// The application state (`appState`: 3 normal, 4 calling, 5 in a call...).
    pub app_state: Option<AppState>,
    /// In a call or conference: `app_state` is 5 and `conference` says which one. The room
    /// sends `appStateChanged` 5 and `conferenceCreated` in either order; this turns true with
    /// the second, so a host that waits for it can read the conference at once.
    pub in_call: bool,
    /// The embedded HTTP server's port (frames), from `getAppState`.
    pub http_port: Option<u16>,
    /// The call or conference we are in, from `conferenceCreated` (a call has `conf_type`
    /// `None` and the other side in `peer_id`).
    pub conference: Option<Conference>,
    /// Participants of the current call or conference with their microphone, camera, role and
    /// podium seat, as the room lists them (the room itself included): read with
    /// `getConferenceParticipants` when the call or conference begins (and at connect), then
    /// kept current by join, leave, device and role notifications.
    pub participants: Vec<Participant>,
    /// What the licence allows, from `getTariffRestrictions` and `tariffRestrictionsChanged`.
    pub tariff: Option<TariffRestrictions>,
    /// Our own CallId.
    pub own_peer_id: Option<String>,
    /// Whether the room is logged in to its server, and as whom.
    pub login: Option<LoginInfo>,
    /// Our microphone is muted.
    pub mic_muted: Option<bool>,
    /// Our camera is off.
    pub camera_muted: Option<bool>,
    /// Our speaker is muted.
    pub speaker_muted: Option<bool>,
    /// Speaker volume, 0.0 to 1.0.
    pub volume: Option<f64>,
    /// Devices present and in use.
    pub hardware: Option<Hardware>,
    /// The layout of the video slots, from `getVideoMatrix` and `videoMatrixChanged`.
    pub video_matrix: Option<VideoMatrix>,
    /// The monitors and the one the main window is on, from `getMonitorsInfo` and
    /// `monitorsInfoUpdated`.
    pub monitors: Option<Monitors>,
    /// The main window (known once it has changed: the room has no getter for it).
    pub window: Option<WindowState>,
    /// The camera's pan, tilt and zoom, from `getPtzControls` and `ptzControlsChanged`.
    pub ptz: Option<PtzControls>,
    /// A call or invitation waiting for `accept` or `reject`.
    pub incoming_call: Option<IncomingCall>,
    /// People asking to join our conference, waiting for `accept_peer` or `reject_peer`.
    pub join_requests: Vec<PeerRef>,
    /// An invitation to the podium waiting for `accept_invitation_to_podium`.
    pub podium_invitation: Option<RoleEvent>,
    /// Participants asking for the podium, waiting for `accept_request_to_podium`.
    pub podium_requests: Vec<RoleEvent>,
    /// The link to the TrueConf server: 0 not connected, 1 connecting, 2 connected.
    pub server_state: Option<i64>,
    /// The TrueConf server the room is (or was last) connected to, from `getConnected` and
    /// `serverConnected`.
    pub server: Option<ServerInfo>,
    /// Content being shared.
    pub content: Option<ContentCapture>,
}

/// The old name of [`RoomState`].
pub type State = RoomState;

impl RoomState {
    /// Participants waiting in the waiting room.
    pub fn waiting(&self) -> impl Iterator<Item = &Participant> {
        self.participants.iter().filter(|p| p.in_waiting_room)
    }

    /// The participant that `peer` names (InstanceId, or the CallId it extends).
    pub fn participant(&self, peer: &str) -> Option<&Participant> {
        self.participants.iter().find(|p| names(peer, &p.peer_id))
    }
}

/// `peer` and `id` name the same participant: the same InstanceId, or a CallId that the
/// InstanceId extends.
pub(crate) fn names(peer: &str, id: &str) -> bool {
    fn call_id(s: &str) -> &str {
        s.split('/').next().unwrap_or(s)
    }
    peer == id || (call_id(peer).eq_ignore_ascii_case(call_id(id)) && (!peer.contains('/') || !id.contains('/')))
}

/// Sets `slot` to `new` and says whether that changed it.
fn set<T: PartialEq>(slot: &mut T, new: T) -> bool {
    if *slot == new {
        false
    } else {
        *slot = new;
        true
    }
}

impl RoomState {
    /// Applies a notification; returns what changed.
    pub(crate) fn apply(&mut self, ev: &Event) -> Changes {
        let mut c = self.apply_event(ev);
        c.merge(self.settle_in_call());
        c
    }

    /// `in_call` from the app state and the conference (see its documentation).
    fn settle_in_call(&mut self) -> Changes {
        let now = self.app_state == Some(AppState::Conference) && self.conference.is_some();
        let mut c = Changes::NONE;
        c.add_if(set(&mut self.in_call, now), Aspect::AppState);
        c
    }

    /// Where we are, to tell when a call or conference begins.
    pub(crate) fn conference_mark(&self) -> ConferenceMark {
        ConferenceMark {
            in_conference: self.app_state == Some(AppState::Conference),
            conf_id: self.conference.as_ref().map(|c| c.conf_id.clone()),
        }
    }

    fn apply_event(&mut self, ev: &Event) -> Changes {
        use Aspect as A;
        let mut c = Changes::NONE;
        match &ev.kind {
            EventKind::AppStateChanged(info) => c.merge(self.set_app_state(info)),
            EventKind::ConferenceCreated(conf) => {
                if self.conference.as_ref().map(|old| &old.conf_id) != Some(&conf.conf_id) {
                    c.add_if(!self.participants.is_empty(), A::Participants);
                    self.participants.clear();
                }
                c.add_if(set(&mut self.conference, Some(conf.clone())), A::Conference);
                c.add_if(set(&mut self.incoming_call, None), A::Incoming);
            }
            EventKind::ConferenceDeleted { conf_id } => {
                let ours = match (&self.conference, conf_id) {
                    (Some(conf), Some(id)) => &conf.conf_id == id,
                    _ => true,
                };
                if ours {
                    c.merge(self.leave_conference());
                }
            }
            EventKind::NewParticipant { participant, .. } => {
                match self.participants.iter_mut().find(|p| p.peer_id == participant.peer_id) {
                    Some(p) => c.add_if(set(p, participant.clone()), A::Participants),
                    None => {
                        self.participants.push(participant.clone());
                        c.add(A::Participants);
                    }
                }
                let before = self.join_requests.len();
                self.join_requests.retain(|r| !names(&participant.peer_id, &r.peer_id));
                c.add_if(before != self.join_requests.len(), A::Incoming);
            }
            EventKind::ParticipantLeft { peer_id, .. } => {
                let before = self.participants.len();
                self.participants.retain(|p| !names(peer_id, &p.peer_id));
                c.add_if(before != self.participants.len(), A::Participants);
                let before = self.podium_requests.len();
                self.podium_requests.retain(|r| !r.peer_id.as_deref().is_some_and(|id| names(peer_id, id)));
                c.add_if(before != self.podium_requests.len(), A::Podium);
            }
            EventKind::ParticipantPresenceInWaitingRoomChanged { call_id, in_waiting_room, .. } => {
                match self.participants.iter_mut().find(|p| names(call_id, &p.peer_id)) {
                    Some(p) => c.add_if(set(&mut p.in_waiting_room, *in_waiting_room), A::Participants),
                    None => {
                        self.participants.push(Participant {
                            peer_id: call_id.clone(),
                            display_name: None,
                            mic: None,
                            video: None,
                            role: None,
                            broadcast: None,
                            in_waiting_room: *in_waiting_room,
                            raw: ev.raw.clone(),
                        });
                        c.add(A::Participants);
                    }
                }
            }
            EventKind::MyStateInWaitingRoomChanged { in_waiting_room, .. } => {
                if let Some(conf) = self.conference.as_mut() {
                    c.add_if(set(&mut conf.in_waiting_room, Some(*in_waiting_room)), A::Conference);
                }
            }
            EventKind::WaitingRoomStateChanged { enabled, .. } => {
                if let Some(conf) = self.conference.as_mut() {
                    c.add_if(set(&mut conf.waiting_room_enabled, *enabled), A::Conference);
                }
            }
            EventKind::SmartMeetingModeChanged { is_smart_meeting, .. } => {
                if let Some(conf) = self.conference.as_mut() {
                    c.add_if(set(&mut conf.is_smart_meeting, *is_smart_meeting), A::Conference);
                }
            }
            EventKind::TariffRestrictionsChanged(t) => c.add_if(set(&mut self.tariff, Some(t.clone())), A::Tariff),
            EventKind::AuthorizationNeeded { .. } => c.add_if(set(&mut self.authorized, false), A::Connection),
            EventKind::InviteReceived(call) => c.add_if(set(&mut self.incoming_call, Some(call.clone())), A::Incoming),
            EventKind::RequestInviteReceived { conf_id, peer_id: Some(peer) }
                if !self.join_requests.iter().any(|r| &r.peer_id == peer) =>
            {
                let display_name = str_of(&ev.raw, &["peerDn"]);
                let raw = ev.raw.clone();
                self.join_requests.push(PeerRef { peer_id: peer.clone(), display_name, conf_id: conf_id.clone(), raw });
                c.add(A::Incoming);
            }
            EventKind::RejectSent(r) => {
                // We declined a call (the incoming one) or a join request (that peer's).
                let before = self.join_requests.len();
                if let Some(peer) = &r.peer_id {
                    self.join_requests.retain(|j| !names(peer, &j.peer_id));
                }
                let request = before != self.join_requests.len();
                c.add_if(request, A::Incoming);
                if !request {
                    c.add_if(set(&mut self.incoming_call, None), A::Incoming);
                }
            }
            EventKind::StopCalling(_) => c.add_if(set(&mut self.incoming_call, None), A::Incoming),
            EventKind::RoleEventOccured(r) => c.merge(self.apply_role_event(r)),
            EventKind::PodiumInvitationRemoved(_) => c.add_if(set(&mut self.podium_invitation, None), A::Podium),
            EventKind::PodiumRequestAnswered(a) => {
                let before = self.podium_requests.len();
                if let Some(peer) = &a.peer_id {
                    self.podium_requests.retain(|r| !r.peer_id.as_deref().is_some_and(|id| names(peer, id)));
                }
                c.add_if(before != self.podium_requests.len(), A::Podium);
            }
            EventKind::MicMute(m) | EventKind::MicMutedByOwner(m) => {
                c.add_if(set(&mut self.mic_muted, Some(m.mute)), A::OwnMedia)
            }
            EventKind::CameraMute(m) | EventKind::CameraMutedByOwner(m) => {
                c.add_if(set(&mut self.camera_muted, Some(m.mute)), A::OwnMedia)
            }
            EventKind::SpeakerMute(m) => c.add_if(set(&mut self.speaker_muted, Some(m.mute)), A::OwnMedia),
            EventKind::DeviceStatusReceived(d) => {
                if let Some(p) = self.participants.iter_mut().find(|p| names(&d.peer_id, &p.peer_id)) {
                    let mut changed = false;
                    if d.mic.is_some() {
                        changed |= set(&mut p.mic, d.mic);
                    }
                    if d.video.is_some() {
                        changed |= set(&mut p.video, d.video);
                    }
                    c.add_if(changed, A::Participants);
                }
            }
            EventKind::SettingsChanged(s) if s.name == VOLUME_SETTING => {
                let level = s.value.as_ref().and_then(|v| <f64 as crate::record::FieldType>::read(Some(v)));
                c.add_if(set(&mut self.volume, level), A::Volume);
            }
            EventKind::HardwareChanged(h) => c.add_if(set(&mut self.hardware, Some(h.clone())), A::Devices),
            EventKind::VideoMatrixChanged(m) => c.add_if(set(&mut self.video_matrix, Some(m.clone())), A::Layout),
            EventKind::MonitorsInfoUpdated(m) => c.add_if(set(&mut self.monitors, Some(m.clone())), A::Monitors),
            EventKind::WindowStateChanged(w) => c.add_if(set(&mut self.window, Some(w.clone())), A::Monitors),
            EventKind::PtzControlsChanged(p) => c.add_if(set(&mut self.ptz, Some(p.clone())), A::Ptz),
            EventKind::ContentStarted(cap) => c.add_if(set(&mut self.content, Some(cap.clone())), A::Content),
            EventKind::ContentStopped(_) => c.add_if(set(&mut self.content, None), A::Content),
            EventKind::ServerConnected(s) => {
                c.add_if(set(&mut self.server_state, Some(2)), A::Server);
                c.add_if(set(&mut self.server, Some(s.clone())), A::Server);
            }
            EventKind::ServerDisconnected(_) => c.add_if(set(&mut self.server_state, Some(0)), A::Server),
            EventKind::Login { result: Some(true) } => {
                let peer_id = str_of(&ev.raw, &["peerId"]);
                let display_name = str_of(&ev.raw, &["peerDn"]);
                if peer_id.is_some() {
                    c.add_if(set(&mut self.own_peer_id, peer_id.clone()), A::Login);
                }
                let login = LoginInfo { is_logged_in: Some(true), peer_id, display_name, raw: ev.raw.clone() };
                c.add_if(set(&mut self.login, Some(login)), A::Login);
            }
            EventKind::Logout => {
                let login =
                    LoginInfo { is_logged_in: Some(false), peer_id: None, display_name: None, raw: ev.raw.clone() };
                c.add_if(set(&mut self.login, Some(login)), A::Login);
            }
            EventKind::Disconnected { .. } | EventKind::ConnectionLost { .. } => {
                c.add_if(set(&mut self.connected, false), A::Connection);
                c.add_if(set(&mut self.authorized, false), A::Connection);
            }
            _ => {}
        }
        c
    }

    fn set_app_state(&mut self, info: &AppStateInfo) -> Changes {
        use Aspect as A;
        let mut c = Changes::NONE;
        let was = self.app_state;
        c.add_if(set(&mut self.app_state, Some(info.app_state)), A::AppState);
        if info.embedded_http_port.is_some() {
            c.add_if(set(&mut self.http_port, info.embedded_http_port), A::AppState);
        }
        if matches!(info.app_state, AppState::None | AppState::Connect | AppState::Login | AppState::Normal) {
            c.merge(self.leave_conference());
        }
        // Ringing ends when the room leaves the calling state (answered, declined, stopped); an
        // invitation that arrives during a conference stays until it is answered.
        let ringing_over = was == Some(AppState::Wait) && info.app_state != AppState::Wait;
        if ringing_over || info.app_state != AppState::Wait && info.app_state != AppState::Conference {
            c.add_if(set(&mut self.incoming_call, None), A::Incoming);
        }
        c
    }

    /// The call or conference is over: nothing of it stays.
    fn leave_conference(&mut self) -> Changes {
        use Aspect as A;
        let mut c = Changes::NONE;
        c.add_if(set(&mut self.conference, None), A::Conference);
        c.add_if(set(&mut self.participants, Vec::new()), A::Participants);
        c.add_if(set(&mut self.join_requests, Vec::new()), A::Incoming);
        c.add_if(set(&mut self.podium_invitation, None), A::Podium);
        c.add_if(set(&mut self.podium_requests, Vec::new()), A::Podium);
        c
    }

    fn apply_role_event(&mut self, r: &RoleEvent) -> Changes {
        use Aspect as A;
        let mut c = Changes::NONE;
        if let Some(peer) = &r.peer_id {
            if let Some(p) = self.participants.iter_mut().find(|p| names(peer, &p.peer_id)) {
                if let Some(role) = r.role.filter(|role| *role != 0) {
                    c.add_if(set(&mut p.role, Some(role)), A::Participants);
                }
                if r.broadcast.is_some() {
                    c.add_if(set(&mut p.broadcast, r.broadcast), A::Participants);
                }
            }
        }
        // A request (type 0): role 4 is an invitation to us, role 3 someone asking a moderator.
        if r.event_type == Some(0) {
            match r.role {
                Some(4) => c.add_if(set(&mut self.podium_invitation, Some(r.clone())), A::Podium),
                Some(3) => {
                    let known = self.podium_requests.iter().any(|q| q.peer_id == r.peer_id);
                    if !known && r.peer_id.is_some() {
                        self.podium_requests.push(r.clone());
                        c.add(A::Podium);
                    }
                }
                _ => {}
            }
        }
        c
    }

    /// Applies the reply to a getter (by its wire name); returns what changed.
    pub(crate) fn apply_reply(&mut self, wire: &str, reply: &Value) -> Changes {
        let mut c = self.apply_getter(wire, reply);
        c.merge(self.settle_in_call());
        c
    }

    fn apply_getter(&mut self, wire: &str, reply: &Value) -> Changes {
        use Aspect as A;
        let mut c = Changes::NONE;
        let mute = || crate::json::bool_of(reply, &["mute", "muted"]);
        match wire {
            "getAppState" => {
                if let Some(info) = AppStateInfo::from_json(reply) {
                    c.merge(self.set_app_state(&info));
                }
            }
            "getTariffRestrictions" => {
                c.add_if(set(&mut self.tariff, Some(TariffRestrictions::from_json(reply))), A::Tariff)
            }
            "getSystemInfo" => {
                if let Some(id) = SystemInfo::from_json(reply).peer_id {
                    c.add_if(set(&mut self.own_peer_id, Some(id)), A::Login);
                }
            }
            "getConferenceParticipants" => {
                if let Some(list) = reply.get("participants").and_then(Value::as_array) {
                    let list: Vec<Participant> = list.iter().filter_map(Participant::from_json).collect();
                    c.add_if(set(&mut self.participants, list), A::Participants);
                }
                // In a call or conference that started before we connected, `conferenceCreated`
                // never came: its id is known from here (and more from `getConferences`).
                if self.app_state == Some(AppState::Conference) && self.conference.is_none() {
                    if let Some(conf) =
                        str_of(reply, &["confId"]).and_then(|id| Conference::from_json(&json!({ "confId": id })))
                    {
                        self.conference = Some(conf);
                        c.add(A::Conference);
                    }
                }
            }
            "getConferences" => {
                // Details of the conference we are in, when `conferenceCreated` did not give them.
                let list = reply.get("conferences").or_else(|| reply.get("list")).and_then(Value::as_array);
                if let (Some(list), Some(conf)) = (list, self.conference.as_mut()) {
                    let found =
                        list.iter().find(|e| str_of(e, &["confId", "id"]).as_deref() == Some(conf.conf_id.as_str()));
                    if let (Some(entry), None) = (found, &conf.title) {
                        if let Some(full) = Conference::from_json(entry) {
                            *conf = full;
                            c.add(A::Conference);
                        }
                    }
                }
            }
            "getMicMute" => c.add_if(mute().is_some() && set(&mut self.mic_muted, mute()), A::OwnMedia),
            "getVideoMute" => c.add_if(mute().is_some() && set(&mut self.camera_muted, mute()), A::OwnMedia),
            "getAudioMute" => c.add_if(mute().is_some() && set(&mut self.speaker_muted, mute()), A::OwnMedia),
            "getSettings" => {
                if let Some(level) = Settings::from_json(reply).and_then(|s| s.volume()) {
                    c.add_if(set(&mut self.volume, Some(level)), A::Volume);
                }
            }
            "getHardware" => c.add_if(set(&mut self.hardware, Hardware::from_json(reply)), A::Devices),
            "getVideoMatrix" => c.add_if(set(&mut self.video_matrix, VideoMatrix::from_json(reply)), A::Layout),
            "getMonitorsInfo" => c.add_if(set(&mut self.monitors, Monitors::from_json(reply)), A::Monitors),
            "getPtzControls" => c.add_if(set(&mut self.ptz, PtzControls::from_json(reply)), A::Ptz),
            "getLogin" => {
                if let Some(login) = LoginInfo::from_json(reply) {
                    if login.peer_id.is_some() {
                        c.add_if(set(&mut self.own_peer_id, login.peer_id.clone()), A::Login);
                    }
                    c.add_if(set(&mut self.login, Some(login)), A::Login);
                }
            }
            "getConnected" => {
                if let Some(info) = ConnectionInfo::from_json(reply) {
                    c.add_if(set(&mut self.server_state, Some(info.state)), A::Server);
                    if info.server_info.is_some() {
                        c.add_if(set(&mut self.server, info.server_info), A::Server);
                    }
                }
            }
            _ => {}
        }
        c
    }
}

/// The state shared by a client's tasks. Snapshots are cheap (`Arc`); an update copies the
/// state only while an older snapshot is still held somewhere.
#[derive(Clone, Default)]
pub(crate) struct StateMirror(Arc<Mutex<Arc<RoomState>>>);

impl StateMirror {
    fn lock(&self) -> MutexGuard<'_, Arc<RoomState>> {
        // Poisoning only means another thread panicked mid-update of plain data; keep going.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn snapshot(&self) -> Arc<RoomState> {
        self.lock().clone()
    }

    /// Reads a part of the state without copying the rest.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&RoomState) -> T) -> T {
        f(&self.lock())
    }

    pub(crate) fn update(&self, f: impl FnOnce(&mut RoomState) -> Changes) -> Changes {
        let mut guard = self.lock();
        f(Arc::make_mut(&mut guard))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ev(v: Value) -> Event {
        Event::from_json(v)
    }

    #[test]
    fn own_media_and_devices_follow_events_and_report_only_real_changes() {
        let mut s = RoomState::default();
        let c = s.apply(&ev(json!({"method":"event","event":"audioCapturerMute","mute":true})));
        assert_eq!((s.mic_muted, c.names()), (Some(true), vec!["own_media"]));
        let c = s.apply(&ev(json!({"method":"event","event":"audioCapturerMute","mute":true})));
        assert!(c.is_empty(), "the same value again is no change");
        let c = s.apply(&ev(json!({"method":"event","event":"settingsChanged","name":"audioPlayLevel","value":0.25})));
        assert_eq!((s.volume, c.names()), (Some(0.25), vec!["volume"]));
        s.apply(&ev(json!({"method":"event","event":"hardwareChanged","audioCapturers":[{"name":"Mic"}],"currentAudioCapturerName":"Mic"})));
        assert_eq!(s.hardware.unwrap().current_microphone.unwrap().name, "Mic");
    }

    #[test]
    fn an_incoming_call_is_pending_until_answered() {
        let mut s = RoomState::default();
        s.apply(&ev(json!({"method":"event","event":"inviteReceived","peerId":"u@s","peerDn":"U","type":0})));
        assert_eq!(s.incoming_call.as_ref().map(|c| c.peer_id.as_str()), Some("u@s"));
        s.apply(&ev(json!({"method":"event","event":"appStateChanged","appState":4})));
        assert!(s.incoming_call.is_some());
        let c = s.apply(&ev(json!({"method":"event","event":"appStateChanged","appState":5})));
        assert!(s.incoming_call.is_none() && !s.in_call, "not in the call until we know which");
        assert_eq!(c.names(), vec!["app_state", "incoming"]);
        let c = s.apply(&ev(json!({"method":"event","event":"conferenceCreated","confId":"c1","peerId":"u@s"})));
        assert!(s.in_call && s.conference.is_some());
        assert_eq!(c.names(), vec!["app_state", "conference"]);
    }

    #[test]
    fn in_call_means_the_conference_is_known_whichever_comes_first() {
        let created = ev(json!({"method":"event","event":"conferenceCreated","confId":"c1","confType":3}));
        let five = ev(json!({"method":"event","event":"appStateChanged","appState":5}));
        for order in [[&created, &five], [&five, &created]] {
            let mut s = RoomState::default();
            let before = s.conference_mark();
            s.apply(order[0]);
            assert!(!s.in_call);
            let middle = s.conference_mark();
            s.apply(order[1]);
            assert!(s.in_call && s.conference.as_ref().is_some_and(|c| c.conf_id == "c1"));
            // The participants are read once the room is in the conference, whichever came first.
            let began = [before.began(&middle), middle.began(&s.conference_mark())];
            assert_eq!(began.iter().filter(|b| **b).count(), 1, "{order:?}");
        }
        // Known from the participants' reply when `conferenceCreated` never comes.
        let mut s = RoomState::default();
        s.apply(&five);
        s.apply_reply("getConferenceParticipants", &json!({"confId":"c9","participants":[{"peerId":"a@s/1"}]}));
        assert!(s.in_call && s.participants.len() == 1);
        assert_eq!(s.conference.map(|c| c.conf_id), Some("c9".to_string()));
    }

    #[test]
    fn participants_follow_device_and_role_events() {
        let mut s = RoomState::default();
        s.apply(&ev(json!({"method":"event","event":"conferenceCreated","confId":"c1","confType":3})));
        s.apply(&ev(
            json!({"method":"event","event":"newParticipantInConference","peerId":"u@s/1","mic":2,"video":2,"role":1}),
        ));
        s.apply(&ev(json!({"method":"event","event":"deviceStatusReceived","peerId":"u@s/1","mic":1})));
        s.apply(&ev(json!({"method":"event","event":"roleEventOccured","peerId":"u@s/1","role":3,"type":0})));
        let p = s.participant("u@s").unwrap();
        assert_eq!((p.mic, p.video, p.role), (Some(1), Some(2), Some(3)));
        assert_eq!(s.podium_requests.len(), 1);
        s.apply(&ev(json!({"method":"event","event":"incomingRequestToPodiumAnswered","peerId":"u@s/1","allow":true})));
        assert!(s.podium_requests.is_empty());
        s.apply(&ev(json!({"method":"event","event":"conferenceDeleted","confId":"c1"})));
        assert!(s.participants.is_empty() && s.conference.is_none());
    }

    #[test]
    fn getters_fill_the_state() {
        let mut s = RoomState::default();
        assert!(s.apply_reply("getMicMute", &json!({"mute": false})).contains(Aspect::OwnMedia));
        s.apply_reply("getSettings", &json!({"settings":[{"name":"audioPlayLevel","value":1.0}]}));
        s.apply_reply("getConnected", &json!({"state":2,"serverInfo":{"server":"tc","port":4307}}));
        assert_eq!((s.mic_muted, s.volume, s.server_state), (Some(false), Some(1.0), Some(2)));
        assert!(s.apply_reply("getMicMute", &json!({})).is_empty());
    }
}
