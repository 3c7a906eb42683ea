//! The simulated room: application state machine, the current conference and its invitees.
//!
//! Handlers are synchronous and run under the room lock; the session sends their reply and
//! notifications while still holding it, so a timer firing meanwhile cannot overtake them.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use serde_json::{json, Map, Value};
use tokio::task::AbortHandle;

use crate::config::{Answer, EmulatorConfig};
use crate::params::{opt_bool, opt_str_list, opt_uint, req_bool, req_str, req_text, Params};
use crate::shared::{lock, to_frame, Shared, Target};

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

type Res = Result<Done, String>;

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
}

struct Conference {
    id: String,
    title: String,
    conf_type: u8,
    smart: bool,
    waiting_room: bool,
    mute_mic: bool,
    mute_cam: bool,
    max_participants: u64,
    max_podium: u64,
    join_url: String,
    rt_url: String,
    participants: Vec<Participant>,
    /// CallIds invited and not answered yet; an answer for anyone else is stale.
    pending: HashSet<String>,
    timers: Vec<AbortHandle>,
}

impl Conference {
    fn find(&self, id: &str) -> Option<usize> {
        self.participants
            .iter()
            .position(|p| p.peer_id == id)
            .or_else(|| self.participants.iter().position(|p| p.call_id.eq_ignore_ascii_case(id)))
    }
}

pub(crate) struct Room {
    app_state: u8,
    login: Option<String>,
    server: Option<(String, u64)>,
    conf: Option<Conference>,
    target: Target,
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

/// PeerId, CallId or InstanceId → CallId (PROTOCOL.md §6).
fn to_call_id(peer: &str, server: &str) -> String {
    let base = peer.split('/').next().unwrap_or(peer);
    if base.contains('@') {
        base.to_string()
    } else {
        format!("{base}@{server}")
    }
}

impl Room {
    pub fn new(config: &EmulatorConfig, target: Target) -> Room {
        let logged_in = config.initial_app_state >= 3;
        let user = config.own_id.split('@').next().unwrap_or(&config.own_id).to_string();
        Room {
            app_state: config.initial_app_state,
            login: logged_in.then_some(user),
            server: (config.initial_app_state >= 2).then(|| (config.server.clone(), 4307)),
            conf: None,
            target,
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
    }

    /// `None` when `method` is not a room command.
    pub fn handle(&mut self, ctx: &Ctx<'_>, method: &str, req: &Params) -> Option<Res> {
        Some(match method {
            "getAppState" => Ok(Done { fields: self.app_state_fields(ctx.shared), events: vec![] }),
            "connectToServer" => self.connect_to_server(ctx, req),
            "login" => self.login(ctx, req),
            "logout" => self.logout(ctx),
            "getLogin" => Ok(Done {
                fields: fields(json!({"login": self.login, "server": self.server.as_ref().map(|s| &s.0)})),
                events: vec![],
            }),
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
            "call" => self.call(req),
            "accept" | "reject" => Ok(Done::default()),
            "acceptPeer" | "rejectPeer" => req_text(req, "peerId").map(|_| Done::default()),
            _ => return None,
        })
    }

    fn app_state_fields(&self, shared: &Shared) -> Map<String, Value> {
        let ext_status = match self.app_state {
            0..=2 => 0,
            3 => 1,
            _ => 2,
        };
        fields(json!({
            "appState": self.app_state,
            "embeddedHttpPort": shared.http_port,
            "extStatus": ext_status,
            "desktopSharing": {"running": false},
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
        d.events.push(event("login", json!({"result": true, "login": login, "peerId": ctx.shared.config.own_id})));
        self.set_state(ctx.shared, 3, &mut d.events);
        Ok(d)
    }

    fn logout(&mut self, ctx: &Ctx<'_>) -> Res {
        if self.app_state != 3 {
            return Err(format!("cannot log out in appState {} (needs 3: normal)", self.app_state));
        }
        self.login = None;
        let mut d = Done::default();
        d.events.push(event("logout", json!({"result": true})));
        self.set_state(ctx.shared, 2, &mut d.events);
        Ok(d)
    }

    fn call(&mut self, req: &Params) -> Res {
        req_text(req, "peerId")?;
        if self.app_state != 3 {
            return Err(format!("cannot call in appState {} (needs 3: normal)", self.app_state));
        }
        // Calls are not simulated: accepted and forgotten.
        Ok(Done::default())
    }

    fn get_conferences(&self, ctx: &Ctx<'_>) -> Done {
        let list: Vec<Value> = self
            .conf
            .iter()
            .map(|c| {
                let mut v = json!({
                    "confId": c.id, "confTitle": c.title, "confType": c.conf_type,
                    "conferenceOwner": ctx.shared.config.own_id, "joinUrl": c.join_url,
                    "isSmartMeeting": c.smart, "isWaitingRoomEnabled": c.waiting_room,
                    "participantsCount": c.participants.len(),
                });
                if ctx.api >= 2 {
                    v["id"] = Value::String(c.id.clone());
                }
                v
            })
            .collect();
        Done { fields: fields(json!({"conferences": list})), events: vec![] }
    }

    fn create_conference(&mut self, ctx: &Ctx<'_>, req: &Params) -> Res {
        let title = req_text(req, "title")?;
        let conf_type_name = req_str(req, "confType")?;
        let (conf_type, schema_key, max_key) = match conf_type_name {
            "symmetric" => (1u8, "symmetricSchema", "symMaxNumber"),
            "asymmetric" => (2, "asymmetricSchema", "asymMaxNumber"),
            "role" => (3, "roleSchema", "roleMaxNumber"),
            other => {
                return Err(format!("parameter 'confType' must be 'symmetric', 'asymmetric' or 'role' (got '{other}')"))
            }
        };
        opt_bool(req, "autoAccept")?;
        let use_waiting = opt_bool(req, "useWaitingRoom")?;
        let mute_cam = opt_bool(req, "muteCamOnJoin")?.unwrap_or(false);
        let mute_mic = opt_bool(req, "muteMicOnJoin")?.unwrap_or(false);
        let smart = opt_bool(req, "smartMeeting")?.unwrap_or(false);
        let invites = opt_str_list(req, "inviteList")?;
        let casters = opt_uint(req, "castersCount")?;
        if self.app_state != 3 {
            return Err(format!("cannot create a conference in appState {} (needs 3: normal)", self.app_state));
        }
        let tariff = ctx.shared.tariff();
        if tariff.get("createMulti") != Some(&Value::Bool(true)) {
            return Err("the tariff does not allow group conferences (createMulti is false)".into());
        }
        if smart && conf_type != 3 {
            return Err("smartMeeting needs confType 'role'".into());
        }
        if let (true, Some(n)) = (smart, casters) {
            if n < 4 {
                return Err(format!("smartMeeting needs castersCount >= 4 (got {n})"));
            }
        }
        let schema_key = if smart { "smartMeetingSchema" } else { schema_key };
        let rows: Vec<(u64, u64)> = tariff
            .get(schema_key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|r| Some((r.get("maxCasters")?.as_u64()?, r.get("maxParticipants")?.as_u64()?)))
                    .collect()
            })
            .unwrap_or_default();
        let (max_podium, max_participants) = match casters {
            Some(n) => *rows.iter().find(|r| r.0 == n).ok_or_else(|| {
                let allowed: Vec<String> = rows.iter().map(|r| r.0.to_string()).collect();
                format!("castersCount {n} is not allowed for {schema_key} (allowed: {})", allowed.join(", "))
            })?,
            None => rows.first().copied().unwrap_or_else(|| {
                // Tariffs without schemas still name a participant limit.
                let max = tariff.get(max_key).and_then(Value::as_u64).unwrap_or(36);
                (if conf_type == 1 { max } else { 1 }, max)
            }),
        };
        if smart && max_podium < 4 {
            return Err(format!("smartMeeting needs castersCount >= 4 (got {max_podium})"));
        }

        let cfg = &ctx.shared.config;
        let n = ctx.shared.conf_counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let hex = format!("{n:08x}");
        let conf = Conference {
            id: format!("{hex}@{}#vcs", cfg.server),
            title: title.to_string(),
            conf_type,
            smart,
            waiting_room: use_waiting.unwrap_or(cfg.waiting_room_default),
            mute_mic,
            mute_cam,
            max_participants,
            max_podium,
            join_url: format!("http://{}/c/{hex}", cfg.server),
            rt_url: format!("http://{}/c/{hex}/manage", cfg.server),
            participants: vec![Participant {
                peer_id: format!("{}/{}", cfg.own_id, random_hex8()),
                call_id: cfg.own_id.clone(),
                dn: cfg.display_name.clone(),
                role: 2,
                mic: 2,
                video: 2,
                broadcast: true,
                in_waiting: false,
                moderator: true,
            }],
            pending: HashSet::new(),
            timers: Vec::new(),
        };
        let created = event(
            "conferenceCreated",
            json!({
                "confId": conf.id, "confTitle": conf.title, "confType": conf.conf_type,
                "isSmartMeeting": conf.smart, "conferenceOwner": cfg.own_id, "joinUrl": conf.join_url,
                "realTimeConferenceManagmentUrl": conf.rt_url, "peerId": "",
                "isWaitingRoomSwitchingSupported": true, "isWaitingRoomEnabled": conf.waiting_room,
                "maxParticipants": conf.max_participants, "maxParticipantsOnPodium": conf.max_podium,
            }),
        );
        tracing::info!(conf_id = %conf.id, conf_type, invitees = invites.len(), "conference created");
        self.conf = Some(conf);
        let mut d = Done::default();
        match cfg.created_order {
            crate::config::CreatedOrder::AppStateFirst => {
                self.set_state(ctx.shared, 5, &mut d.events);
                d.events.push(created);
            }
            crate::config::CreatedOrder::ConferenceCreatedFirst => {
                d.events.push(created);
                self.set_state(ctx.shared, 5, &mut d.events);
            }
        }
        for peer in &invites {
            // The request was accepted; a bad entry only loses that invitee, as on a real room.
            if let Err(e) = self.invite(ctx, peer, &mut d.events) {
                tracing::warn!(peer = %peer, "invitee skipped: {e}");
            }
        }
        Ok(d)
    }

    fn invite(&mut self, ctx: &Ctx<'_>, peer: &str, events: &mut Vec<Value>) -> Result<(), String> {
        let cfg = &ctx.shared.config;
        if peer.trim().is_empty() {
            return Err("parameter 'peerId' must not be empty".into());
        }
        let call_id = to_call_id(peer.trim(), &cfg.server);
        if call_id.eq_ignore_ascii_case(&cfg.own_id) {
            return Err("cannot invite yourself".into());
        }
        let conf = self.conf_mut()?;
        if conf.participants.iter().any(|p| p.call_id.eq_ignore_ascii_case(&call_id)) {
            return Err(format!("{call_id} is already in the conference"));
        }
        if !conf.pending.insert(call_id.clone()) {
            return Err(format!("{call_id} is already invited"));
        }
        let user = cfg.users.iter().find(|u| u.id.eq_ignore_ascii_case(&call_id));
        let dn =
            user.map_or_else(|| call_id.split('@').next().unwrap_or(&call_id).to_string(), |u| u.display_name.clone());
        let answer = user.map_or_else(|| cfg.default_answer.clone(), |u| u.answer.clone());
        let moderator = user.is_some_and(|u| u.moderator);
        events.push(event("inviteSent", json!({"peerId": call_id, "confId": conf.id})));
        let delay = match answer {
            Answer::Join { delay } | Answer::Reject { delay, .. } => delay,
            Answer::NoAnswer => return Ok(()),
        };
        let (room, shared, conf_id) = (ctx.room.clone(), ctx.shared.clone(), conf.id.clone());
        let timer = tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let invitee = Invitee { call_id, dn, moderator, answer };
            lock(&room).answer_arrived(&shared, &conf_id, invitee);
        });
        conf.timers.push(timer.abort_handle());
        Ok(())
    }

    fn answer_arrived(&mut self, shared: &Shared, conf_id: &str, inv: Invitee) {
        let Some(conf) = self.conf.as_mut().filter(|c| c.id == conf_id) else { return };
        if !conf.pending.remove(&inv.call_id) {
            return;
        }
        let mut events = Vec::new();
        let reject =
            |cause: i64| event("rejectReceived", json!({"peerId": inv.call_id, "cause": cause, "confId": conf_id}));
        match inv.answer {
            Answer::Reject { cause, .. } => events.push(reject(cause)),
            Answer::Join { .. } if conf.participants.len() as u64 >= conf.max_participants => events.push(reject(1)),
            Answer::Join { .. } => {
                let p = Participant {
                    peer_id: format!("{}/{}", inv.call_id, random_hex8()),
                    call_id: inv.call_id.clone(),
                    dn: inv.dn.clone(),
                    role: 1,
                    mic: if conf.mute_mic { 1 } else { 2 },
                    video: if conf.mute_cam { 1 } else { 2 },
                    broadcast: false,
                    in_waiting: conf.waiting_room && !inv.moderator,
                    moderator: inv.moderator,
                };
                events.push(event(
                    "newParticipantInConference",
                    json!({"confId": conf_id, "peerId": p.peer_id, "peerDn": p.dn, "mic": p.mic, "video": p.video,
                           "role": p.role, "broadcast": p.broadcast, "isInWaitingRoom": p.in_waiting}),
                ));
                if p.in_waiting {
                    events.push(presence_event(&p.peer_id, true, conf_id));
                }
                conf.participants.push(p);
            }
            Answer::NoAnswer => {}
        }
        let frames: Vec<_> = events.iter().map(to_frame).collect();
        self.target.send(shared, &frames);
    }

    fn set_waiting_room_state(&mut self, req: &Params) -> Res {
        let enable = req_bool(req, "enable")?;
        // When disabling without saying, admitting is the less destructive reading.
        let admit = opt_bool(req, "isUsersMustBeInvited")?.unwrap_or(true);
        let conf = self.conf_mut()?;
        conf.waiting_room = enable;
        let mut d = Done { fields: fields(json!({"confId": conf.id})), events: vec![] };
        d.events.push(event("waitingRoomStateChanged", json!({"isWaitingRoomEnabled": enable, "confId": conf.id})));
        if !enable {
            let conf_id = conf.id.clone();
            if admit {
                for p in conf.participants.iter_mut().filter(|p| p.in_waiting) {
                    p.in_waiting = false;
                    d.events.push(presence_event(&p.peer_id, false, &conf_id));
                }
            } else {
                conf.participants.retain(|p| {
                    if p.in_waiting {
                        d.events
                            .push(event("participantLeftConference", json!({"peerId": p.peer_id, "confId": conf_id})));
                    }
                    !p.in_waiting
                });
            }
        }
        Ok(d)
    }

    fn set_presence(&mut self, req: &Params) -> Res {
        let who = req_text(req, "callId")?;
        let inside = req_bool(req, "inWaitingRoom")?;
        let conf = self.conf_mut()?;
        let i = conf.find(who).ok_or_else(|| format!("no participant '{who}' in the conference"))?;
        let p = &mut conf.participants[i];
        if inside && (p.moderator || p.role == 2) {
            return Err(format!("'{}' is a moderator and cannot be moved to the waiting room", p.peer_id));
        }
        p.in_waiting = inside;
        let ev = presence_event(&p.peer_id, inside, &conf.id);
        Ok(Done { fields: fields(json!({"confId": conf.id})), events: vec![ev] })
    }

    fn get_participants(&self, ctx: &Ctx<'_>) -> Res {
        let conf = self.conf()?;
        let list: Vec<Value> = conf
            .participants
            .iter()
            .map(|p| {
                let mut v = json!({
                    "peerId": p.peer_id, "peerDn": p.dn, "mic": p.mic, "video": p.video, "slideShow": false,
                    "role": p.role, "broadcast": p.broadcast, "leaderType": 0, "pinned": false,
                    "isInWaitingRoom": p.in_waiting,
                });
                if ctx.api >= 2 {
                    v["reaction"] = json!(0);
                }
                v
            })
            .collect();
        Ok(Done { fields: fields(json!({"confId": conf.id, "participants": list})), events: vec![] })
    }

    fn invite_to_conference(&mut self, ctx: &Ctx<'_>, req: &Params) -> Res {
        let peer = req_text(req, "peerId")?;
        let conf_id = self.conf()?.id.clone();
        let mut d = Done { fields: fields(json!({"confId": conf_id})), events: vec![] };
        self.invite(ctx, peer, &mut d.events)?;
        Ok(d)
    }

    fn change_mode(&mut self, req: &Params) -> Res {
        let smart = req_bool(req, "isSmartMeeting")?;
        let conf = self.conf_mut()?;
        if conf.conf_type != 3 {
            return Err(format!("smart meeting needs a role conference (this one has confType {})", conf.conf_type));
        }
        if smart && conf.max_podium < 4 {
            return Err(format!(
                "smart meeting needs at least 4 podium seats (this conference has {})",
                conf.max_podium
            ));
        }
        conf.smart = smart;
        let ev = event("smartMeetingModeChanged", json!({"isSmartMeeting": smart, "confId": conf.id}));
        Ok(Done { fields: fields(json!({"confId": conf.id})), events: vec![ev] })
    }

    fn kick_peer(&mut self, req: &Params) -> Res {
        let who = req_text(req, "peerId")?;
        let conf = self.conf_mut()?;
        let i = conf.find(who).ok_or_else(|| format!("no participant '{who}' in the conference"))?;
        if conf.participants[i].role == 2 {
            return Err("cannot kick the conference owner".into());
        }
        let p = conf.participants.remove(i);
        let ev = event("participantLeftConference", json!({"peerId": p.peer_id, "confId": conf.id}));
        Ok(Done { fields: fields(json!({"confId": conf.id})), events: vec![ev] })
    }

    fn hang_up(&mut self, ctx: &Ctx<'_>, req: &Params) -> Res {
        opt_bool(req, "forAll")?;
        self.conf()?;
        self.cancel_timers();
        let Some(conf) = self.conf.take() else { return Err("not in a conference".into()) };
        tracing::info!(conf_id = %conf.id, "conference ended");
        let mut d = Done::default();
        self.set_state(ctx.shared, 6, &mut d.events);
        self.set_state(ctx.shared, 3, &mut d.events);
        d.events.push(event("conferenceDeleted", json!({"confId": conf.id})));
        Ok(d)
    }
}

struct Invitee {
    call_id: String,
    dn: String,
    moderator: bool,
    answer: Answer,
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
