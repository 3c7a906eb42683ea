//! Calls both ways, joining simulated conferences, join requests, expanding a call, history
//! (PROTOCOL.md §10 "calls").

use std::collections::HashSet;

use serde_json::{json, Value};
use tokio::task::AbortHandle;

use super::{
    directory, event, new_conf_id, schema_limits, to_call_id, unix_now, Conference, Ctx, Done, Participant, Res, Room,
};
use crate::config::{Answer, EmulatorConfig, PodiumAnswer, SimConference};
use crate::params::{opt_str, opt_str_list, opt_uint, req_text, req_uint, Params};

/// A call ringing (appState 4).
pub(super) struct Ringing {
    id: u64,
    pub outgoing: bool,
    /// The other side's CallId.
    pub peer: String,
    dn: String,
    moderator: bool,
    podium_answer: PodiumAnswer,
    /// 0 for a call; 1..3 for an invitation into the caller's group conference.
    conf_type: u8,
    title: String,
    /// The id the call or conference will have once answered.
    conf_id: String,
    history: usize,
    pub timers: Vec<AbortHandle>,
}

fn sim_conf_id(c: &SimConference, server: &str) -> String {
    if c.id.contains('@') {
        c.id.clone()
    } else {
        format!("{}@{server}#vcs", c.id)
    }
}

/// A simulated conference by what the room calls: its id, `\c\id`, `c\id`, `/c/id` or its confId.
fn find_sim_conference<'a>(cfg: &'a EmulatorConfig, peer: &str) -> Option<&'a SimConference> {
    let p = peer.trim();
    let bare = p.strip_prefix("\\c\\").or_else(|| p.strip_prefix("c\\")).or_else(|| p.strip_prefix("/c/")).unwrap_or(p);
    cfg.conferences.iter().find(|c| c.id.eq_ignore_ascii_case(bare) || sim_conf_id(c, &cfg.server) == p)
}

/// The owner of a conference the room joins: on the podium, a moderator.
fn owner_participant(cfg: &EmulatorConfig, call_id: &str) -> Participant {
    let (dn, _, _, podium_answer) = directory(cfg, call_id);
    let mut p = Participant::user(call_id, &dn, true, podium_answer);
    p.role = 2;
    p.broadcast = true;
    p
}

impl Room {
    fn next_call_id(&mut self) -> u64 {
        self.next_call += 1;
        self.next_call
    }

    /// Ends the ringing, cancelling its timers.
    pub(super) fn take_ringing(&mut self) -> Option<Ringing> {
        let mut r = self.ringing.take()?;
        for t in r.timers.drain(..) {
            t.abort();
        }
        Some(r)
    }

    fn require_idle(&self, what: &str) -> Result<(), String> {
        if self.app_state != 3 {
            return Err(format!("cannot {what} in appState {} (needs 3: normal)", self.app_state));
        }
        Ok(())
    }

    pub(super) fn call(&mut self, ctx: &Ctx<'_>, req: &Params) -> Res {
        let peer = req_text(req, "peerId")?;
        let pin = opt_str(req, "pin")?;
        self.require_idle("call")?;
        let cfg = &ctx.shared.config;
        if let Some(sc) = find_sim_conference(cfg, peer) {
            return Ok(self.join_sim_conference(ctx, sc, pin));
        }
        let call_id = to_call_id(peer.trim(), &cfg.server);
        if call_id.eq_ignore_ascii_case(&self.own_id) {
            return Err("cannot call yourself".into());
        }
        if ctx.shared.tariff().get("p2p") == Some(&Value::Bool(false)) {
            return Err("the tariff does not allow calls (p2p is false)".into());
        }
        let (dn, answer, moderator, podium_answer) = directory(cfg, &call_id);
        let (conf_id, _) = new_conf_id(ctx.shared);
        let history = self.record_call(1, None, (&call_id, &dn), &conf_id);
        let id = self.next_call_id();
        let mut timers = vec![Room::after(ctx, cfg.ring_time, move |room, ctx| room.call_refused(ctx, id, 16))];
        match answer {
            Answer::Join { delay } => {
                timers.push(Room::after(ctx, delay, move |room, ctx| room.call_answered(ctx, id)))
            }
            Answer::Reject { cause, delay } => {
                timers.push(Room::after(ctx, delay, move |room, ctx| room.call_refused(ctx, id, cause)))
            }
            Answer::NoAnswer => {}
        }
        let mut d = Done::default();
        d.events.push(event("inviteSent", json!({"peerId": call_id, "peerDn": dn, "confType": 0, "confId": conf_id})));
        self.set_state(ctx.shared, 4, &mut d.events);
        tracing::info!(peer = %call_id, "calling");
        self.ringing = Some(Ringing {
            id,
            outgoing: true,
            peer: call_id,
            dn,
            moderator,
            podium_answer,
            conf_type: 0,
            title: String::new(),
            conf_id,
            history,
            timers,
        });
        Ok(d)
    }

    /// Calling a simulated conference: appState 4, then the PIN decides at once.
    fn join_sim_conference(&mut self, ctx: &Ctx<'_>, sc: &SimConference, pin: Option<&str>) -> Done {
        let cfg = &ctx.shared.config;
        let conf_id = sim_conf_id(sc, &cfg.server);
        let history = self.record_call(1, Some((&conf_id, &sc.title)), (&sc.owner, &sc.title), &conf_id);
        let mut d = Done::default();
        self.set_state(ctx.shared, 4, &mut d.events);
        let cause = match (&sc.pin, pin) {
            (None, _) => None,
            (Some(_), None) => Some(12),
            (Some(want), Some(got)) if want != got => Some(13),
            (Some(_), Some(_)) => None,
        };
        if let Some(cause) = cause {
            tracing::info!(conf = %sc.id, cause, "conference refused the room");
            d.events.push(event(
                "rejectReceived",
                json!({"peerId": conf_id, "peerDn": sc.title, "cause": cause, "confId": conf_id}),
            ));
            self.set_state(ctx.shared, 3, &mut d.events);
            return d;
        }
        let conf = self.joined_group(ctx, sc.title.clone(), sc.conf_type, &sc.owner, String::new(), conf_id, history);
        self.start_session(ctx, conf, &mut d.events);
        d
    }

    /// A group conference of someone else's that the room has just joined: the room and the
    /// owner in it, limits from the tariff's schema for its type.
    #[allow(clippy::too_many_arguments)]
    fn joined_group(
        &self,
        ctx: &Ctx<'_>,
        title: String,
        conf_type: u8,
        owner: &str,
        peer: String,
        id: String,
        history: usize,
    ) -> Conference {
        let cfg = &ctx.shared.config;
        let (max_podium, max_participants) = schema_limits(&ctx.shared.tariff(), conf_type);
        let hex = id.split('@').next().unwrap_or(&id).to_string();
        Conference {
            title,
            conf_type,
            smart: false,
            waiting_room: false,
            mute_mic: false,
            mute_cam: false,
            auto_accept: false,
            max_participants,
            max_podium,
            join_url: format!("http://{}/c/{hex}", cfg.server),
            rt_url: String::new(),
            owner: owner.to_owned(),
            peer,
            participants: vec![self.self_participant(false), owner_participant(cfg, owner)],
            pending: HashSet::new(),
            requests: Vec::new(),
            podium_invited: false,
            history: Some(history),
            started: unix_now(),
            timers: Vec::new(),
            id,
        }
    }

    fn ringing_call(&self, id: u64) -> bool {
        self.ringing.as_ref().is_some_and(|r| r.id == id)
    }

    /// The callee answered: the call starts.
    fn call_answered(&mut self, ctx: &Ctx<'_>, id: u64) -> Vec<Value> {
        let mut events = Vec::new();
        if !self.ringing_call(id) {
            return events;
        }
        let Some(r) = self.take_ringing() else { return events };
        let mut other = Participant::user(&r.peer, &r.dn, r.moderator, r.podium_answer);
        other.broadcast = true;
        let conf = self.p2p(r, self.own_id.clone(), other, true);
        self.start_session(ctx, conf, &mut events);
        events
    }

    fn p2p(&self, r: Ringing, owner: String, other: Participant, we_own: bool) -> Conference {
        Conference {
            title: String::new(),
            conf_type: 0,
            smart: false,
            waiting_room: false,
            mute_mic: false,
            mute_cam: false,
            auto_accept: false,
            max_participants: 2,
            max_podium: 2,
            join_url: String::new(),
            rt_url: String::new(),
            owner,
            peer: r.peer,
            participants: vec![self.self_participant(we_own), other],
            pending: HashSet::new(),
            requests: Vec::new(),
            podium_invited: false,
            history: Some(r.history),
            started: unix_now(),
            timers: Vec::new(),
            id: r.conf_id,
        }
    }

    /// The callee declined (or never answered: cause 16).
    fn call_refused(&mut self, ctx: &Ctx<'_>, id: u64, cause: i64) -> Vec<Value> {
        let mut events = Vec::new();
        if !self.ringing_call(id) {
            return events;
        }
        let Some(r) = self.take_ringing() else { return events };
        if !r.outgoing {
            // An incoming call nobody answered: the caller gives up.
            if let Some(h) = self.history.get_mut(r.history) {
                h.kind = 2;
                h.viewed = false;
            }
            events.push(event("stopCalling", json!({"peerId": r.peer, "side": 1})));
        } else {
            events.push(event(
                "rejectReceived",
                json!({"peerId": r.peer, "peerDn": r.dn, "cause": cause, "confId": r.conf_id}),
            ));
        }
        self.set_state(ctx.shared, 3, &mut events);
        events
    }

    /// The ringing stops before a session: `stopCalling {peerId, side}` and appState 3.
    pub(super) fn stop_calling(&mut self, ctx: &Ctx<'_>, side: u8) -> Done {
        let mut d = Done::default();
        let Some(r) = self.take_ringing() else { return d };
        if !r.outgoing && side == 1 {
            if let Some(h) = self.history.get_mut(r.history) {
                h.kind = 2;
                h.viewed = false;
            }
        }
        d.events.push(event("stopCalling", json!({"peerId": r.peer, "side": side})));
        self.set_state(ctx.shared, 3, &mut d.events);
        d
    }

    fn incoming(&self, what: &str) -> Result<(), String> {
        match &self.ringing {
            Some(r) if !r.outgoing => Ok(()),
            Some(_) => Err(format!("nothing to {what}: the room is calling out, not being called")),
            None => Err(format!("nothing to {what}: no incoming call (appState {})", self.app_state)),
        }
    }

    pub(super) fn accept(&mut self, ctx: &Ctx<'_>) -> Res {
        self.incoming("accept")?;
        let Some(r) = self.take_ringing() else { return Err("no incoming call".into()) };
        let cfg = &ctx.shared.config;
        let mut d = Done::default();
        let conf = if r.conf_type == 0 {
            let mut caller = owner_participant(cfg, &r.peer);
            caller.role = 1;
            self.p2p(r, caller.call_id.clone(), caller, false)
        } else {
            let peer = r.peer.clone();
            self.joined_group(ctx, r.title, r.conf_type, &r.peer, peer, r.conf_id, r.history)
        };
        self.start_session(ctx, conf, &mut d.events);
        Ok(d)
    }

    pub(super) fn reject(&mut self, ctx: &Ctx<'_>) -> Res {
        self.incoming("reject")?;
        let Some(r) = self.take_ringing() else { return Err("no incoming call".into()) };
        let mut d = Done::default();
        d.events.push(event("rejectSent", json!({"peerId": r.peer, "peerDn": r.dn, "cause": 0, "confId": r.conf_id})));
        self.set_state(ctx.shared, 3, &mut d.events);
        Ok(d)
    }

    /// Test action: a simulated user calls the room (or invites it into a group conference).
    pub(super) fn incoming_call(&mut self, ctx: &Ctx<'_>, req: &Params) -> Res {
        let peer = req_text(req, "peerId")?;
        let conf_type = opt_uint(req, "confType")?.unwrap_or(0);
        let title = opt_str(req, "title")?;
        if conf_type > 3 {
            return Err(format!("parameter 'confType' must be 0..3 (got {conf_type})"));
        }
        let conf_type = conf_type as u8;
        if self.app_state != 3 {
            return Err(format!("the room is busy (appState {}): a caller would get cause 2", self.app_state));
        }
        let cfg = &ctx.shared.config;
        let call_id = to_call_id(peer.trim(), &cfg.server);
        if call_id.eq_ignore_ascii_case(&self.own_id) {
            return Err("the room cannot call itself".into());
        }
        let (dn, _, moderator, podium_answer) = directory(cfg, &call_id);
        let (conf_id, _) = new_conf_id(ctx.shared);
        let title = if conf_type == 0 {
            String::new()
        } else {
            title.map_or_else(|| format!("{dn}'s conference"), str::to_string)
        };
        let group = (conf_type != 0).then_some((conf_id.as_str(), title.as_str()));
        let history = self.record_call(0, group, (&call_id, &dn), &conf_id);
        let id = self.next_call_id();
        let timers = vec![Room::after(ctx, cfg.ring_time, move |room, ctx| room.call_refused(ctx, id, 16))];
        let mut invite = json!({"peerId": call_id, "peerDn": dn, "type": conf_type});
        if conf_type != 0 {
            invite["confTitle"] = json!(title);
            invite["confId"] = json!(conf_id);
        }
        let mut d = Done::reply(json!({"peerId": call_id, "confId": conf_id}));
        d.events.push(event("inviteReceived", invite));
        self.set_state(ctx.shared, 4, &mut d.events);
        tracing::info!(peer = %call_id, conf_type, "incoming call");
        self.ringing = Some(Ringing {
            id,
            outgoing: false,
            peer: call_id,
            dn,
            moderator,
            podium_answer,
            conf_type,
            title,
            conf_id,
            history,
            timers,
        });
        Ok(d)
    }

    /// Test action: the caller gives up before the room answers.
    pub(super) fn cancel_call(&mut self, ctx: &Ctx<'_>, req: &Params) -> Res {
        let peer = opt_str(req, "peerId")?;
        self.incoming("cancel")?;
        if let (Some(p), Some(r)) = (peer, &self.ringing) {
            if !to_call_id(p.trim(), &ctx.shared.config.server).eq_ignore_ascii_case(&r.peer) {
                return Err(format!("'{p}' is not calling the room ({} is)", r.peer));
            }
        }
        Ok(self.stop_calling(ctx, 1))
    }

    /// Test action: the other side hangs up. In a p2p call, or in someone else's conference
    /// without `peerId` (or with the owner's), the session ends; otherwise that participant leaves.
    pub(super) fn remote_hang_up(&mut self, ctx: &Ctx<'_>, req: &Params) -> Res {
        let peer = opt_str(req, "peerId")?;
        let conf = self.conf()?;
        let own = self.is_owner(conf);
        let server = &ctx.shared.config.server;
        // None: the session ends; Some(i): participant i leaves.
        let leaving = match peer {
            None if conf.is_group() && own => {
                return Err("name the participant who hangs up (parameter 'peerId')".into())
            }
            None => None,
            Some(p) if !conf.is_group() => {
                if !to_call_id(p.trim(), server).eq_ignore_ascii_case(&conf.peer) {
                    return Err(format!("'{p}' is not the other side of this call ({})", conf.peer));
                }
                None
            }
            Some(p) if !own && to_call_id(p.trim(), server).eq_ignore_ascii_case(&conf.owner) => None,
            Some(p) => Some(conf.find_other(p)?),
        };
        let mut d = Done::default();
        match leaving {
            None => self.end_session(ctx, &mut d.events),
            Some(i) => self.leave(i, &mut d.events),
        }
        Ok(d)
    }

    /// Test action: a simulated user asks to join the room's conference.
    pub(super) fn request_join(&mut self, ctx: &Ctx<'_>, req: &Params) -> Res {
        let peer = req_text(req, "peerId")?;
        let cfg = &ctx.shared.config;
        let call_id = to_call_id(peer.trim(), &cfg.server);
        if call_id.eq_ignore_ascii_case(&self.own_id) {
            return Err("the room is already in its conference".into());
        }
        let (dn, _, moderator, podium_answer) = directory(cfg, &call_id);
        let conf = self.owned_group_mut("a join request")?;
        if conf.participants.iter().any(|p| p.call_id.eq_ignore_ascii_case(&call_id)) {
            return Err(format!("{call_id} is already in the conference"));
        }
        if conf.requests.iter().any(|p| p.call_id.eq_ignore_ascii_case(&call_id)) {
            return Err(format!("{call_id} already asked to join"));
        }
        let mut p = Participant::user(&call_id, &dn, moderator, podium_answer);
        p.mic = if conf.mute_mic { 1 } else { 2 };
        p.video = if conf.mute_cam { 1 } else { 2 };
        let mut d = Done::reply(json!({"peerId": p.peer_id, "confId": conf.id}));
        if conf.auto_accept {
            if conf.participants.len() as u64 >= conf.max_participants {
                return Err(format!("the conference is full ({} participants)", conf.max_participants));
            }
            p.in_waiting = conf.waiting_room && !moderator;
            self.join(p, &mut d.events);
        } else {
            d.events
                .push(event("requestInviteReceived", json!({"peerId": p.peer_id, "peerDn": p.dn, "confId": conf.id})));
            conf.requests.push(p);
        }
        Ok(d)
    }

    fn take_request(&mut self, what: &str, req: &Params) -> Result<Participant, String> {
        let who = req_text(req, "peerId")?;
        let conf = self.owned_group_mut(what)?;
        let i = conf
            .requests
            .iter()
            .position(|p| p.peer_id == who || p.call_id.eq_ignore_ascii_case(who))
            .ok_or_else(|| format!("no join request from '{who}'"))?;
        if what == "acceptPeer" && conf.participants.len() as u64 >= conf.max_participants {
            return Err(format!("the conference is full ({} participants)", conf.max_participants));
        }
        Ok(conf.requests.remove(i))
    }

    pub(super) fn accept_peer(&mut self, req: &Params) -> Res {
        let p = self.take_request("acceptPeer", req)?;
        let conf_id = self.conf()?.id.clone();
        let accepted = event("peerAccepted", json!({"peerId": p.peer_id, "peerDn": p.dn, "confId": conf_id}));
        let mut d = Done::default();
        self.join_then(p, Some(accepted), &mut d.events);
        Ok(d)
    }

    pub(super) fn reject_peer(&mut self, req: &Params) -> Res {
        let p = self.take_request("rejectPeer", req)?;
        let conf_id = self.conf()?.id.clone();
        Ok(Done::events(vec![event(
            "rejectSent",
            json!({"peerId": p.peer_id, "peerDn": p.dn, "cause": 0, "confId": conf_id}),
        )]))
    }

    pub(super) fn expand_call(&mut self, ctx: &Ctx<'_>, req: &Params) -> Res {
        let title = req_text(req, "title")?;
        let invites = opt_str_list(req, "inviteList")?;
        match &self.conf {
            None => return Err(format!("expandCallToMulti needs a p2p call (appState {})", self.app_state)),
            Some(c) if c.is_group() => {
                return Err("expandCallToMulti needs a p2p call (this is a group conference)".into())
            }
            Some(_) => {}
        }
        let tariff = ctx.shared.tariff();
        if tariff.get("createMulti") != Some(&Value::Bool(true)) {
            return Err("the tariff does not allow group conferences (createMulti is false)".into());
        }
        let Some(mut old) = self.conf.take() else { return Err("not in a call".into()) };
        for t in old.timers.drain(..) {
            t.abort();
        }
        if let Some(h) = old.history.and_then(|i| self.history.get_mut(i)) {
            h.duration = unix_now().saturating_sub(old.started);
        }
        let cfg = &ctx.shared.config;
        let (id, hex) = new_conf_id(ctx.shared);
        let (max_podium, max_participants) = schema_limits(&tariff, 1);
        let history = self.record_call(1, Some((&id, title)), (&self.own_id.clone(), &self.own_dn.clone()), &id);
        let participants = old
            .participants
            .into_iter()
            .map(|mut p| {
                p.role = if p.is_self { 2 } else { 1 };
                p.moderator = p.is_self;
                p.broadcast = p.is_self;
                p
            })
            .collect();
        let conf = Conference {
            title: title.to_string(),
            conf_type: 1,
            smart: false,
            waiting_room: false,
            mute_mic: false,
            mute_cam: false,
            auto_accept: false,
            max_participants,
            max_podium,
            join_url: format!("http://{}/c/{hex}", cfg.server),
            rt_url: format!("http://{}/c/{hex}/manage", cfg.server),
            owner: self.own_id.clone(),
            peer: String::new(),
            participants,
            pending: HashSet::new(),
            requests: Vec::new(),
            podium_invited: false,
            history: Some(history),
            started: unix_now(),
            timers: Vec::new(),
            id,
        };
        let mut d = Done::default();
        d.events.push(self.conference_created(&conf));
        tracing::info!(conf_id = %conf.id, "call expanded to a conference");
        self.conf = Some(conf);
        for peer in &invites {
            if let Err(e) = self.invite(ctx, peer, &mut d.events) {
                tracing::warn!(peer = %peer, "invitee skipped: {e}");
            }
        }
        Ok(d)
    }

    /// Newest first, at most `count`; afterwards every entry counts as viewed.
    pub(super) fn call_history(&mut self, req: &Params) -> Res {
        let count = req_uint(req, "count")?;
        let calls: Vec<Value> = self
            .history
            .iter()
            .rev()
            .take(usize::try_from(count).unwrap_or(usize::MAX))
            .map(|h| {
                let mut v = json!({
                    "type": h.kind, "confType": u8::from(h.group), "peerId": h.peer_id, "peerDn": h.peer_dn,
                    "startTime": h.start, "duration": h.duration, "viewed": h.viewed, "streamId": h.stream_id,
                });
                if h.group {
                    v["confId"] = json!(h.conf_id);
                    v["confTitle"] = json!(h.conf_title);
                }
                v
            })
            .collect();
        let d = Done::reply(json!({"calls": calls, "lastView": self.last_view}));
        self.last_view = unix_now();
        for h in &mut self.history {
            h.viewed = true;
        }
        Ok(d)
    }
}
