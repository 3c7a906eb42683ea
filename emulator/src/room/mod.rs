//! The simulated room: application state machine, the current call or conference, its own
//! media, devices, layout, and the simulated users around it.
//!
//! Handlers are synchronous and run under the room lock; the session sends their reply and
//! notifications while still holding it, so a timer firing meanwhile cannot overtake them.
//! Each area of PROTOCOL.md §10 has its own submodule with an `impl Room` block.

mod calls;
mod conference;
mod control;
mod devices;
mod layout;
mod media;
mod messages;
mod podium;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Map, Value};
use tokio::task::AbortHandle;

use crate::config::{Answer, EmulatorConfig, PodiumAnswer};
use crate::params::{opt_bool, opt_uint, req_str, req_text, Params};
use crate::shared::{lock, to_frame, Shared, Target};

pub(crate) use control::{check_action, is_action, run as run_action};

pub(crate) struct Ctx<'a> {
    pub shared: &'a Arc<Shared>,
    pub room: &'a Arc<Mutex<Room>>,
    pub api: u8,
}

/// A successful command: reply fields and the notifications it causes, in order.
#[derive(Default)]
pub(crate) struct Done {
    pub fields: Map<String, Value>,
    pub events: Vec<Value>,
}

impl Done {
    fn reply(v: Value) -> Done {
        Done { fields: fields(v), events: Vec::new() }
    }

    fn events(events: Vec<Value>) -> Done {
        Done { fields: Map::new(), events }
    }
}

type Res = Result<Done, String>;

/// The slot id of the room's own camera in the video matrix and the frames endpoint.
pub(crate) const SELF_SLOT: &str = "#self:0";

struct Participant {
    peer_id: String,
    call_id: String,
    dn: String,
    role: u8,
    mic: u8,
    video: u8,
    broadcast: bool,
    in_waiting: bool,
    moderator: bool,
    /// The room itself: its mic and video follow the room's own mute state and devices.
    is_self: bool,
    /// Its loudspeaker (turnRemoteSpeaker); not on the wire.
    speaker: bool,
    podium_answer: PodiumAnswer,
}

impl Participant {
    fn user(call_id: &str, dn: &str, moderator: bool, podium_answer: PodiumAnswer) -> Participant {
        Participant {
            peer_id: format!("{call_id}/{}", random_hex8()),
            call_id: call_id.to_string(),
            dn: dn.to_string(),
            role: 1,
            mic: 2,
            video: 2,
            broadcast: false,
            in_waiting: false,
            moderator,
            is_self: false,
            speaker: true,
            podium_answer,
        }
    }
}

struct Conference {
    id: String,
    title: String,
    /// 0 p2p call, 1 symmetric, 2 asymmetric, 3 role.
    conf_type: u8,
    smart: bool,
    waiting_room: bool,
    mute_mic: bool,
    mute_cam: bool,
    auto_accept: bool,
    max_participants: u64,
    max_podium: u64,
    join_url: String,
    rt_url: String,
    /// CallId of the owner: the room for its own conferences, a simulated user otherwise.
    owner: String,
    /// `conferenceCreated.peerId`: the other side of a p2p call, "" for group conferences.
    peer: String,
    participants: Vec<Participant>,
    /// CallIds invited and not answered yet; an answer for anyone else is stale.
    pending: HashSet<String>,
    /// Join requests (`requestInviteReceived`) waiting for `acceptPeer` / `rejectPeer`.
    requests: Vec<Participant>,
    /// The owner invited the room to the podium and it has not answered yet.
    podium_invited: bool,
    /// Index into the call history and when the session started (unix seconds).
    history: Option<usize>,
    started: u64,
    timers: Vec<AbortHandle>,
}

impl Conference {
    /// A participant by InstanceId, CallId or PeerId (a bare user name).
    fn find(&self, id: &str) -> Option<usize> {
        let user = |p: &Participant| p.call_id.split('@').next().unwrap_or(&p.call_id).eq_ignore_ascii_case(id);
        self.participants
            .iter()
            .position(|p| p.peer_id == id)
            .or_else(|| self.participants.iter().position(|p| p.call_id.eq_ignore_ascii_case(id)))
            .or_else(|| (!id.contains('@')).then(|| self.participants.iter().position(user)).flatten())
    }

    /// A participant other than the room itself, by InstanceId or CallId.
    fn find_other(&self, id: &str) -> Result<usize, String> {
        match self.find(id) {
            Some(i) if !self.participants[i].is_self => Ok(i),
            Some(_) => Err(format!("'{id}' is the room itself")),
            None => Err(format!("no participant '{id}' in the conference")),
        }
    }

    fn self_index(&self) -> Option<usize> {
        self.participants.iter().position(|p| p.is_self)
    }

    fn is_group(&self) -> bool {
        self.conf_type != 0
    }

    fn on_podium(&self) -> u64 {
        self.participants.iter().filter(|p| p.broadcast).count() as u64
    }
}

/// One entry of `getCallHistory`.
struct HistoryEntry {
    /// 0 incoming, 1 outgoing, 2 missed.
    kind: u8,
    /// 0 call, 1 group.
    group: bool,
    peer_id: String,
    peer_dn: String,
    start: u64,
    duration: u64,
    viewed: bool,
    stream_id: String,
    conf_id: String,
    conf_title: String,
}

pub(crate) struct Room {
    own_id: String,
    own_dn: String,
    app_state: u8,
    login: Option<String>,
    server: Option<(String, u64)>,
    conf: Option<Conference>,
    /// A call ringing (appState 4), either way.
    ringing: Option<calls::Ringing>,
    next_call: u64,
    target: Target,
    media: media::OwnMedia,
    settings: Vec<(&'static str, Value)>,
    devices: devices::Devices,
    /// PTZ positions per camera name (pan, tilt, zoom).
    ptz: HashMap<String, [i64; 3]>,
    layout: layout::Layout,
    history: Vec<HistoryEntry>,
    last_view: u64,
    /// Content sharing: (captureId, name).
    capture: Option<(i64, String)>,
}

fn event(name: &str, fields: Value) -> Value {
    let mut m = Map::new();
    m.insert("method".into(), "event".into());
    m.insert("event".into(), name.into());
    if let Value::Object(f) = fields {
        m.extend(f);
    }
    Value::Object(m)
}

fn fields(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn random_hex8() -> String {
    format!("{:08x}", rand::random::<u32>())
}

fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// PeerId, CallId or InstanceId → CallId (PROTOCOL.md §6).
fn to_call_id(peer: &str, server: &str) -> String {
    let base = peer.split('/').next().unwrap_or(peer);
    if base.contains('@') {
        base.to_string()
    } else {
        format!("{base}@{server}")
    }
}

/// A fresh conference id and its hex part.
fn new_conf_id(shared: &Shared) -> (String, String) {
    let n = shared.conf_counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let hex = format!("{n:08x}");
    (format!("{hex}@{}#vcs", shared.config.server), hex)
}

/// (podium seats, participants) of a conference not made by `createConference`: the row of its type's
/// schema with the most podium seats (their owner chose; the most room is the useful guess).
fn schema_limits(tariff: &Value, conf_type: u8) -> (u64, u64) {
    let (schema, max_key) = match conf_type {
        1 => ("symmetricSchema", "symMaxNumber"),
        2 => ("asymmetricSchema", "asymMaxNumber"),
        _ => ("roleSchema", "roleMaxNumber"),
    };
    tariff
        .get(schema)
        .and_then(Value::as_array)
        .and_then(|a| {
            a.iter()
                .filter_map(|r| Some((r.get("maxCasters")?.as_u64()?, r.get("maxParticipants")?.as_u64()?)))
                .max_by_key(|r| r.0)
        })
        .unwrap_or_else(|| {
            let max = tariff.get(max_key).and_then(Value::as_u64).unwrap_or(36);
            (if conf_type == 1 { max } else { 1 }, max)
        })
}

/// The directory entry of a CallId: display name, answer, moderator, podium answer.
fn directory(cfg: &EmulatorConfig, call_id: &str) -> (String, Answer, bool, PodiumAnswer) {
    let user = cfg.users.iter().find(|u| u.id.eq_ignore_ascii_case(call_id));
    let dn = user.map_or_else(|| call_id.split('@').next().unwrap_or(call_id).to_string(), |u| u.display_name.clone());
    let answer = user.map_or_else(|| cfg.default_answer.clone(), |u| u.answer.clone());
    (dn, answer, user.is_some_and(|u| u.moderator), user.map_or(PodiumAnswer::Accept, |u| u.podium_answer))
}

impl Room {
    pub fn new(config: &EmulatorConfig, target: Target) -> Room {
        let logged_in = config.initial_app_state >= 3;
        let user = config.own_id.split('@').next().unwrap_or(&config.own_id).to_string();
        Room {
            own_id: config.own_id.clone(),
            own_dn: config.display_name.clone(),
            app_state: config.initial_app_state,
            login: logged_in.then_some(user),
            server: (config.initial_app_state >= 2).then(|| (config.server.clone(), 4307)),
            conf: None,
            ringing: None,
            next_call: 1,
            target,
            media: media::OwnMedia::default(),
            settings: media::default_settings(),
            devices: devices::Devices::default(),
            ptz: HashMap::new(),
            layout: layout::Layout::default(),
            history: Vec::new(),
            last_view: 0,
            capture: None,
        }
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    pub fn cancel_timers(&mut self) {
        if let Some(c) = &mut self.conf {
            for t in c.timers.drain(..) {
                t.abort();
            }
        }
        if let Some(r) = &mut self.ringing {
            for t in r.timers.drain(..) {
                t.abort();
            }
        }
    }

    /// Runs `f` on the room after `delay`, then sends the notifications it returns.
    fn after(
        ctx: &Ctx<'_>,
        delay: Duration,
        f: impl FnOnce(&mut Room, &Ctx<'_>) -> Vec<Value> + Send + 'static,
    ) -> AbortHandle {
        let (room, shared) = (ctx.room.clone(), ctx.shared.clone());
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let mut guard = lock(&room);
            let ctx = Ctx { shared: &shared, room: &room, api: 1 };
            let events = f(&mut guard, &ctx);
            guard.send_now(&shared, &events);
        })
        .abort_handle()
    }

    fn send_now(&self, shared: &Shared, events: &[Value]) {
        let frames: Vec<_> = events.iter().map(to_frame).collect();
        self.target.send(shared, &frames);
    }

    /// `None` when `method` is not a room command.
    pub fn handle(&mut self, ctx: &Ctx<'_>, method: &str, req: &Params) -> Option<Res> {
        if let Some(action) = method.strip_prefix("emulator.") {
            return Some(self.control(ctx, action, req));
        }
        Some(match method {
            "getAppState" => Ok(Done { fields: self.app_state_fields(ctx.shared), events: vec![] }),
            "connectToServer" => self.connect_to_server(ctx, req),
            "login" => self.login(ctx, req),
            "logout" => self.logout(ctx),
            "getLogin" => Ok(self.get_login()),
            "getConnected" => Ok(Done::reply(self.connected_fields())),
            "getTokenForHttpServer" => {
                Ok(Done::reply(json!({"token": ctx.shared.issue_http_token(Arc::downgrade(ctx.room))})))
            }
            // conferences (§6-§7)
            "getConferences" => Ok(self.get_conferences(ctx)),
            "createConference" => self.create_conference(ctx, req),
            "setWaitingRoomState" => self.set_waiting_room_state(req),
            "setParticipantPresenceInWaitingRoom" => self.set_presence(req),
            "getConferenceParticipants" => self.get_participants(ctx),
            "inviteToConference" => self.invite_to_conference(ctx, req),
            "changeConferenceMode" => self.change_mode(req),
            "getSessionLink" => self
                .conf()
                .map(|c| Done { fields: fields(json!({"confId": c.id, "link": c.join_url})), events: vec![] }),
            "kickPeer" => self.kick_peer(req),
            "hangUp" => self.hang_up(ctx, req),
            // calls
            "call" => self.call(ctx, req),
            "accept" => self.accept(ctx),
            "reject" => self.reject(ctx),
            "acceptPeer" => self.accept_peer(req),
            "rejectPeer" => self.reject_peer(req),
            "expandCallToMulti" => self.expand_call(ctx, req),
            "getCallHistory" => self.call_history(req),
            // podium
            "inviteToPodium" => self.invite_to_podium(req),
            "kickFromPodium" => self.kick_from_podium(req),
            "acceptRequestToPodium" => self.answer_podium_request(req, true),
            "rejectRequestToPodium" => self.answer_podium_request(req, false),
            "acceptInvitationToPodium" => self.answer_podium_invitation(true),
            "rejectInvitationToPodium" => self.answer_podium_invitation(false),
            "gotoPodium" => self.goto_podium(),
            "leavePodium" => self.leave_podium(),
            // media
            "turnRemoteMic" | "turnRemoteCamera" | "turnRemoteSpeaker" => self.turn_remote(method, req),
            "setMicMute" | "setVideoMute" | "setAudioMute" => self.set_mute(method, req),
            "getMicMute" => Ok(Done::reply(json!({"mute": self.media.mic}))),
            "getVideoMute" => Ok(Done::reply(json!({"mute": self.media.camera}))),
            "getAudioMute" => Ok(Done::reply(json!({"mute": self.media.speaker}))),
            "getSettings" => Ok(self.get_settings()),
            "setSettings" => self.set_settings(req),
            // devices and PTZ
            "getHardware" => Ok(Done::reply(self.hardware())),
            "setAudioCapturer" | "setAudioRenderer" | "setVideoCapturer" => self.select_device(method, req),
            "getPtzControls" => Ok(Done::reply(self.ptz_controls())),
            "ptzLeft" | "ptzRight" | "ptzUp" | "ptzDown" | "ptzZoomInc" | "ptzZoomDec" | "ptzStop" | "setPanPos"
            | "setTiltPos" | "setZoomPos" | "setPtzDefaults" => self.ptz(method, req),
            // layout, monitors, window
            "getVideoMatrix" => Ok(Done::reply(self.matrix())),
            "changeVideoMatrixType" => self.change_matrix_type(req),
            "changeVideoMatrix" => self.change_matrix(req),
            "swapVideoSlots" => self.swap_slots(req),
            "showVideoSlot" => self.show_slot(req, true),
            "hideVideoSlot" => self.show_slot(req, false),
            "getMonitorsInfo" => Ok(Done::reply(self.monitors())),
            "moveVideoSlotToMonitor" => self.move_slot(req),
            "removeVideoSlotFromMonitor" => self.remove_slot(req),
            "changeCurrentMonitor" => self.change_monitor(req),
            "changeWindowState" => self.change_window_state(req),
            "restoreWindow" => self.restore_window(),
            // messages and content
            "sendMessage" => self.send_message(ctx, req),
            "sendGroupMessage" => self.send_group_message(req),
            "sendCommand" => self.send_command(req),
            "fireMyEvent" => self.fire_my_event(req),
            "startCapture" => self.start_capture(ctx, req),
            "stopCapture" => self.stop_capture(ctx),
            _ => return None,
        })
    }

    fn app_state_fields(&self, shared: &Shared) -> Map<String, Value> {
        let ext_status = match self.app_state {
            0..=2 => 0,
            3 => 1,
            _ => 2,
        };
        let sharing = match &self.capture {
            Some((id, name)) => json!({"running": true, "sourceType": 0, "id": id, "windowName": name}),
            None => json!({"running": false}),
        };
        fields(json!({
            "appState": self.app_state,
            "embeddedHttpPort": shared.http_port,
            "extStatus": ext_status,
            "desktopSharing": sharing,
            "broadcastPicture": {"running": false},
            "audioCaptureTest": false,
            "recording": false,
        }))
    }

    fn set_state(&mut self, shared: &Shared, state: u8, events: &mut Vec<Value>) {
        self.app_state = state;
        events.push(event("appStateChanged", Value::Object(self.app_state_fields(shared))));
    }

    fn conf(&self) -> Result<&Conference, String> {
        self.conf.as_ref().ok_or_else(|| format!("not in a conference (appState {})", self.app_state))
    }

    fn conf_mut(&mut self) -> Result<&mut Conference, String> {
        let state = self.app_state;
        self.conf.as_mut().ok_or_else(|| format!("not in a conference (appState {state})"))
    }

    /// The current group conference, which the room must own (moderator commands).
    fn owned_group_mut(&mut self, what: &str) -> Result<&mut Conference, String> {
        let own = self.own_id.clone();
        let conf = self.conf_mut()?;
        if !conf.is_group() {
            return Err(format!("{what} needs a group conference (this is a p2p call)"));
        }
        if !conf.owner.eq_ignore_ascii_case(&own) {
            return Err(format!("{what} is for the conference owner ({} owns this one)", conf.owner));
        }
        Ok(conf)
    }

    fn is_owner(&self, conf: &Conference) -> bool {
        conf.owner.eq_ignore_ascii_case(&self.own_id)
    }

    /// The room's own participant entry as it is now: mic/video follow its devices and mute.
    fn participant_json(&self, p: &Participant, api: u8) -> Value {
        let (mic, video) = if p.is_self { (self.own_mic(), self.own_video()) } else { (p.mic, p.video) };
        let mut v = json!({
            "peerId": p.peer_id, "peerDn": p.dn, "mic": mic, "video": video, "slideShow": false,
            "role": p.role, "broadcast": p.broadcast, "leaderType": 0, "pinned": false,
            "isInWaitingRoom": p.in_waiting,
        });
        if api >= 2 {
            v["reaction"] = json!(0);
        }
        v
    }

    fn conference_created(&self, c: &Conference) -> Value {
        event(
            "conferenceCreated",
            json!({
                "confId": c.id, "confTitle": c.title, "confType": c.conf_type,
                "isSmartMeeting": c.smart, "conferenceOwner": c.owner, "joinUrl": c.join_url,
                "realTimeConferenceManagmentUrl": c.rt_url, "peerId": c.peer,
                "isWaitingRoomSwitchingSupported": c.is_group() && self.is_owner(c),
                "isWaitingRoomEnabled": c.waiting_room,
                "maxParticipants": c.max_participants, "maxParticipantsOnPodium": c.max_podium,
            }),
        )
    }

    /// Makes `conf` current: appState 5 and `conferenceCreated` (in the configured order), then
    /// `videoMatrixChanged` when participants other than the room are already there.
    fn start_session(&mut self, ctx: &Ctx<'_>, conf: Conference, events: &mut Vec<Value>) {
        let before = self.matrix();
        let created = self.conference_created(&conf);
        tracing::info!(conf_id = %conf.id, conf_type = conf.conf_type, "session started");
        self.conf = Some(conf);
        match ctx.shared.config.created_order {
            crate::config::CreatedOrder::AppStateFirst => {
                self.set_state(ctx.shared, 5, events);
                events.push(created);
            }
            crate::config::CreatedOrder::ConferenceCreatedFirst => {
                events.push(created);
                self.set_state(ctx.shared, 5, events);
            }
        }
        self.matrix_changed_since(&before, events);
    }

    /// Leaves the current call or conference: appState 6 and 3, `conferenceDeleted`, then
    /// `videoMatrixChanged` when other participants' slots disappear.
    fn end_session(&mut self, ctx: &Ctx<'_>, events: &mut Vec<Value>) {
        let before = self.matrix();
        if let Some(c) = &mut self.conf {
            for t in c.timers.drain(..) {
                t.abort();
            }
        }
        let Some(conf) = self.conf.take() else { return };
        tracing::info!(conf_id = %conf.id, "session ended");
        if let Some(h) = conf.history.and_then(|i| self.history.get_mut(i)) {
            h.duration = unix_now().saturating_sub(conf.started);
        }
        self.set_state(ctx.shared, 6, events);
        self.set_state(ctx.shared, 3, events);
        events.push(event("conferenceDeleted", json!({"confId": conf.id})));
        self.matrix_changed_since(&before, events);
    }

    fn connected_fields(&self) -> Value {
        match (&self.server, self.app_state) {
            (None, _) | (_, 0) => json!({"state": 0}),
            (Some((server, port)), state) => json!({
                "state": if state == 1 { 1 } else { 2 },
                "serverInfo": {"server": server, "port": port, "service": false, "domain": server},
            }),
        }
    }

    fn connect_to_server(&mut self, ctx: &Ctx<'_>, req: &Params) -> Res {
        let server = req_text(req, "server")?;
        let port = opt_uint(req, "port")?.unwrap_or(4307);
        if port == 0 || port > 65535 {
            return Err(format!("parameter 'port' must be 1..65535 (got {port})"));
        }
        if self.app_state >= 3 {
            return Err(format!(
                "cannot connect to a server in appState {} (needs 0..2; logout first)",
                self.app_state
            ));
        }
        self.server = Some((server.to_string(), port));
        let mut d = Done::default();
        self.set_state(ctx.shared, 1, &mut d.events);
        d.events.push(event(
            "serverConnected",
            json!({"service": false, "server": server, "port": port, "domain": ctx.shared.config.server}),
        ));
        self.set_state(ctx.shared, 2, &mut d.events);
        Ok(d)
    }

    fn login(&mut self, ctx: &Ctx<'_>, req: &Params) -> Res {
        let login = req_text(req, "login")?;
        req_str(req, "password")?;
        opt_bool(req, "encryptPassword")?;
        if self.app_state != 2 {
            return Err(format!("cannot log in in appState {} (needs 2: login)", self.app_state));
        }
        self.login = Some(login.to_string());
        let mut d = Done::default();
        d.events.push(event(
            "login",
            json!({"result": true, "login": login, "peerId": self.own_id, "peerDn": self.own_dn}),
        ));
        self.set_state(ctx.shared, 3, &mut d.events);
        Ok(d)
    }

    fn logout(&mut self, ctx: &Ctx<'_>) -> Res {
        if self.app_state != 3 {
            return Err(format!("cannot log out in appState {} (needs 3: normal)", self.app_state));
        }
        self.login = None;
        let mut d = Done::default();
        d.events.push(event("logout", json!({"result": true, "cause": 0})));
        self.set_state(ctx.shared, 2, &mut d.events);
        Ok(d)
    }

    fn get_login(&self) -> Done {
        let logged_in = self.login.is_some();
        Done::reply(json!({
            "isLoggedIn": logged_in,
            "peerId": if logged_in { self.own_id.as_str() } else { "" },
            "peerDn": if logged_in { self.own_dn.as_str() } else { "" },
            "login": self.login,
            "server": self.server.as_ref().map(|s| &s.0),
        }))
    }

    /// The server link goes down: whatever call or conference ends, then `serverDisconnected`
    /// and appState 0.
    fn drop_server(&mut self, ctx: &Ctx<'_>) -> Res {
        let Some((server, port)) = self.server.clone().filter(|_| self.app_state > 0) else {
            return Err("not connected to a server".into());
        };
        let mut d = Done::default();
        if self.conf.is_some() {
            self.end_session(ctx, &mut d.events);
        }
        if let Some(r) = self.take_ringing() {
            let side = if r.outgoing { 0 } else { 1 };
            d.events.push(event("stopCalling", json!({"peerId": r.peer, "side": side})));
        }
        self.server = None;
        self.login = None;
        d.events.push(event("serverDisconnected", json!({"service": false, "server": server, "port": port})));
        self.set_state(ctx.shared, 0, &mut d.events);
        Ok(d)
    }
}

fn presence_event(peer_id: &str, inside: bool, conf_id: &str) -> Value {
    event(
        "participantPresenceInWaitingRoomChanged",
        json!({"callId": peer_id, "isInWaitingRoom": inside, "confId": conf_id}),
    )
}

/// Builds a notification; shared with the session for events that are not about the room.
pub(crate) fn make_event(name: &str, fields: Value) -> Value {
    event(name, fields)
}
