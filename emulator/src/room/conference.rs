//! Group conferences (PROTOCOL.md §6-§8): creation, invitees, the waiting room, kicking, hanging up.

use std::collections::HashSet;

use serde_json::{json, Value};

use super::{
    directory, event, fields, new_conf_id, presence_event, random_hex8, to_call_id, unix_now, Conference, Ctx, Done,
    HistoryEntry, Participant, Res, Room,
};
use crate::config::{Answer, PodiumAnswer};
use crate::params::{opt_bool, opt_str_list, opt_uint, req_bool, req_str, req_text, Params};

/// A simulated invitee whose answer is due.
pub(super) struct Invitee {
    call_id: String,
    dn: String,
    moderator: bool,
    podium_answer: PodiumAnswer,
    answer: Answer,
}

impl Room {
    pub(super) fn get_conferences(&self, ctx: &Ctx<'_>) -> Done {
        let list: Vec<Value> = self
            .conf
            .iter()
            .map(|c| {
                let mut v = json!({
                    "confId": c.id, "confTitle": c.title, "confType": c.conf_type,
                    "conferenceOwner": c.owner, "joinUrl": c.join_url,
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

    /// The room's own entry in a conference it joins or creates.
    pub(super) fn self_participant(&self, owner: bool) -> Participant {
        Participant {
            peer_id: format!("{}/{}", self.own_id, random_hex8()),
            call_id: self.own_id.clone(),
            dn: self.own_dn.clone(),
            role: if owner { 2 } else { 1 },
            mic: 2,
            video: 2,
            broadcast: owner,
            in_waiting: false,
            moderator: owner,
            is_self: true,
            speaker: true,
            podium_answer: PodiumAnswer::Accept,
        }
    }

    /// A new entry of the call history; returns its index.
    pub(super) fn record_call(
        &mut self,
        kind: u8,
        conf: Option<(&str, &str)>,
        peer: (&str, &str),
        stream: &str,
    ) -> usize {
        self.history.push(HistoryEntry {
            kind,
            group: conf.is_some(),
            peer_id: peer.0.to_string(),
            peer_dn: peer.1.to_string(),
            start: unix_now(),
            duration: 0,
            viewed: kind != 2,
            stream_id: stream.to_string(),
            conf_id: conf.map(|c| c.0.to_string()).unwrap_or_default(),
            conf_title: conf.map(|c| c.1.to_string()).unwrap_or_default(),
        });
        self.history.len() - 1
    }

    pub(super) fn create_conference(&mut self, ctx: &Ctx<'_>, req: &Params) -> Res {
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
        let auto_accept = opt_bool(req, "autoAccept")?.unwrap_or(false);
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
        let (id, hex) = new_conf_id(ctx.shared);
        let history = self.record_call(1, Some((&id, title)), (&self.own_id.clone(), &self.own_dn.clone()), &id);
        let conf = Conference {
            title: title.to_string(),
            conf_type,
            smart,
            waiting_room: use_waiting.unwrap_or(cfg.waiting_room_default),
            mute_mic,
            mute_cam,
            auto_accept,
            max_participants,
            max_podium,
            join_url: format!("http://{}/c/{hex}", cfg.server),
            rt_url: format!("http://{}/c/{hex}/manage", cfg.server),
            owner: self.own_id.clone(),
            peer: String::new(),
            participants: vec![self.self_participant(true)],
            pending: HashSet::new(),
            requests: Vec::new(),
            podium_invited: false,
            history: Some(history),
            started: unix_now(),
            timers: Vec::new(),
            id,
        };
        tracing::info!(invitees = invites.len(), "conference created");
        let mut d = Done::default();
        self.start_session(ctx, conf, &mut d.events);
        for peer in &invites {
            // The request was accepted; a bad entry only loses that invitee, as on a real room.
            if let Err(e) = self.invite(ctx, peer, &mut d.events) {
                tracing::warn!(peer = %peer, "invitee skipped: {e}");
            }
        }
        Ok(d)
    }

    pub(super) fn invite(&mut self, ctx: &Ctx<'_>, peer: &str, events: &mut Vec<Value>) -> Result<(), String> {
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
        let (dn, answer, moderator, podium_answer) = directory(cfg, &call_id);
        events.push(event(
            "inviteSent",
            json!({"peerId": call_id, "peerDn": dn, "confType": conf.conf_type, "confId": conf.id}),
        ));
        let delay = match answer {
            Answer::Join { delay } | Answer::Reject { delay, .. } => delay,
            Answer::NoAnswer => return Ok(()),
        };
        let conf_id = conf.id.clone();
        let invitee = Invitee { call_id, dn, moderator, podium_answer, answer };
        let timer = Room::after(ctx, delay, move |room, _| room.answer_arrived(&conf_id, invitee));
        conf.timers.push(timer);
        Ok(())
    }

    fn answer_arrived(&mut self, conf_id: &str, inv: Invitee) -> Vec<Value> {
        let mut events = Vec::new();
        let Some(conf) = self.conf.as_mut().filter(|c| c.id == conf_id) else { return events };
        if !conf.pending.remove(&inv.call_id) {
            return events;
        }
        let reject = |cause: i64| {
            event("rejectReceived", json!({"peerId": inv.call_id, "peerDn": inv.dn, "cause": cause, "confId": conf_id}))
        };
        match inv.answer {
            Answer::Reject { cause, .. } => events.push(reject(cause)),
            Answer::Join { .. } if conf.participants.len() as u64 >= conf.max_participants => events.push(reject(1)),
            Answer::Join { .. } => {
                let mut p = Participant::user(&inv.call_id, &inv.dn, inv.moderator, inv.podium_answer);
                p.mic = if conf.mute_mic { 1 } else { 2 };
                p.video = if conf.mute_cam { 1 } else { 2 };
                p.in_waiting = conf.waiting_room && !inv.moderator;
                self.join(p, &mut events);
            }
            Answer::NoAnswer => {}
        }
        events
    }

    /// A participant enters the current conference: `newParticipantInConference`, then the
    /// waiting-room notice or the new video slot.
    pub(super) fn join(&mut self, p: Participant, events: &mut Vec<Value>) {
        self.join_then(p, None, events);
    }

    /// [`Room::join`] with `then` right after `newParticipantInConference`.
    pub(super) fn join_then(&mut self, p: Participant, then: Option<Value>, events: &mut Vec<Value>) {
        let before = self.matrix();
        let Some(conf) = self.conf.as_mut() else { return };
        events.push(event(
            "newParticipantInConference",
            json!({"confId": conf.id, "peerId": p.peer_id, "peerDn": p.dn, "mic": p.mic, "video": p.video,
                   "role": p.role, "broadcast": p.broadcast, "isInWaitingRoom": p.in_waiting}),
        ));
        events.extend(then);
        if p.in_waiting {
            events.push(presence_event(&p.peer_id, true, &conf.id));
        }
        conf.participants.push(p);
        self.matrix_changed_since(&before, events);
    }

    /// A participant leaves: `participantLeftConference`, then the video slot goes.
    pub(super) fn leave(&mut self, index: usize, events: &mut Vec<Value>) {
        let before = self.matrix();
        let Some(conf) = self.conf.as_mut() else { return };
        let p = conf.participants.remove(index);
        events.push(event("participantLeftConference", json!({"peerId": p.peer_id, "confId": conf.id})));
        self.matrix_changed_since(&before, events);
    }

    pub(super) fn set_waiting_room_state(&mut self, req: &Params) -> Res {
        let enable = req_bool(req, "enable")?;
        // When disabling without saying, admitting is the less destructive reading.
        let admit = opt_bool(req, "isUsersMustBeInvited")?.unwrap_or(true);
        let before = self.matrix();
        let conf = self.owned_group_mut("setWaitingRoomState")?;
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
        self.matrix_changed_since(&before, &mut d.events);
        Ok(d)
    }

    pub(super) fn set_presence(&mut self, req: &Params) -> Res {
        let who = req_text(req, "callId")?;
        let inside = req_bool(req, "inWaitingRoom")?;
        let before = self.matrix();
        let conf = self.owned_group_mut("setParticipantPresenceInWaitingRoom")?;
        let i = conf.find(who).ok_or_else(|| format!("no participant '{who}' in the conference"))?;
        let p = &mut conf.participants[i];
        if inside && (p.moderator || p.role == 2) {
            return Err(format!("'{}' is a moderator and cannot be moved to the waiting room", p.peer_id));
        }
        p.in_waiting = inside;
        let ev = presence_event(&p.peer_id, inside, &conf.id);
        let mut d = Done { fields: fields(json!({"confId": conf.id})), events: vec![ev] };
        self.matrix_changed_since(&before, &mut d.events);
        Ok(d)
    }

    pub(super) fn get_participants(&self, ctx: &Ctx<'_>) -> Res {
        let conf = self.conf()?;
        let list: Vec<Value> = conf.participants.iter().map(|p| self.participant_json(p, ctx.api)).collect();
        Ok(Done { fields: fields(json!({"confId": conf.id, "participants": list})), events: vec![] })
    }

    pub(super) fn invite_to_conference(&mut self, ctx: &Ctx<'_>, req: &Params) -> Res {
        let peer = req_text(req, "peerId")?;
        let conf_id = self.owned_group_mut("inviteToConference")?.id.clone();
        let mut d = Done { fields: fields(json!({"confId": conf_id})), events: vec![] };
        self.invite(ctx, peer, &mut d.events)?;
        Ok(d)
    }

    pub(super) fn change_mode(&mut self, req: &Params) -> Res {
        let smart = req_bool(req, "isSmartMeeting")?;
        let conf = self.owned_group_mut("changeConferenceMode")?;
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

    pub(super) fn kick_peer(&mut self, req: &Params) -> Res {
        let who = req_text(req, "peerId")?;
        let conf = self.owned_group_mut("kickPeer")?;
        let i = conf.find(who).ok_or_else(|| format!("no participant '{who}' in the conference"))?;
        if conf.participants[i].role == 2 || conf.participants[i].is_self {
            return Err("cannot kick the conference owner".into());
        }
        let mut d = Done::reply(json!({"confId": conf.id}));
        self.leave(i, &mut d.events);
        Ok(d)
    }

    pub(super) fn hang_up(&mut self, ctx: &Ctx<'_>, req: &Params) -> Res {
        let for_all = opt_bool(req, "forAll")?.unwrap_or(false);
        if let Some(r) = &self.ringing {
            return if r.outgoing { Ok(self.stop_calling(ctx, 0)) } else { self.reject(ctx) };
        }
        let conf = self.conf()?;
        if for_all && conf.is_group() && !self.is_owner(conf) {
            return Err(format!("only the owner can end the conference for everyone ({} owns it)", conf.owner));
        }
        let mut d = Done::default();
        self.end_session(ctx, &mut d.events);
        Ok(d)
    }
}
