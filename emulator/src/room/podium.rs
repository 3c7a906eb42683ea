//! The podium of role conferences (PROTOCOL.md §10 "podium"), signalled by `roleEventOccured`.

use serde_json::{json, Value};

use super::{event, Conference, Done, Participant, Res, Room};
use crate::config::PodiumAnswer;
use crate::params::{req_text, Params};

fn role_event(p: &Participant, role: u8, kind: u8, result: u8, broadcast: bool, conf_id: &str) -> Value {
    event(
        "roleEventOccured",
        json!({"peerId": p.peer_id, "peerDn": p.dn, "role": role, "type": kind, "result": result,
               "broadcast": broadcast, "confId": conf_id}),
    )
}

fn role_conf(conf: &mut Conference) -> Result<&mut Conference, String> {
    if conf.conf_type != 3 {
        return Err(format!("the podium exists in role conferences only (this one has confType {})", conf.conf_type));
    }
    Ok(conf)
}

fn seat_free(conf: &Conference) -> Result<(), String> {
    if conf.on_podium() >= conf.max_podium {
        return Err(format!("the podium is full ({} of {} seats taken)", conf.on_podium(), conf.max_podium));
    }
    Ok(())
}

fn not_smart(conf: &Conference, what: &str) -> Result<(), String> {
    if conf.smart {
        return Err(format!("{what} is unavailable in a smart meeting (the podium follows the speaker)"));
    }
    Ok(())
}

impl Room {
    /// The room's own role conference (it must be the owner) and participant `who`.
    fn podium_target(&mut self, what: &str, req: &Params) -> Result<(&mut Conference, usize), String> {
        let who = req_text(req, "peerId")?;
        let conf = role_conf(self.owned_group_mut(what)?)?;
        let i = conf.find_other(who)?;
        if conf.participants[i].in_waiting {
            return Err(format!("'{who}' is in the waiting room"));
        }
        Ok((conf, i))
    }

    pub(super) fn invite_to_podium(&mut self, req: &Params) -> Res {
        let (conf, i) = self.podium_target("inviteToPodium", req)?;
        not_smart(conf, "inviteToPodium")?;
        if conf.participants[i].broadcast {
            return Err(format!("'{}' is already on the podium", conf.participants[i].peer_id));
        }
        seat_free(conf)?;
        let p = &mut conf.participants[i];
        p.role = 1;
        let ev = match p.podium_answer {
            PodiumAnswer::Accept => {
                p.broadcast = true;
                role_event(p, 1, 1, 0, true, &conf.id)
            }
            PodiumAnswer::Decline => role_event(p, 1, 1, 3, false, &conf.id),
        };
        Ok(Done::events(vec![ev]))
    }

    pub(super) fn kick_from_podium(&mut self, req: &Params) -> Res {
        let (conf, i) = self.podium_target("kickFromPodium", req)?;
        not_smart(conf, "kickFromPodium")?;
        let p = &mut conf.participants[i];
        if !p.broadcast {
            return Err(format!("'{}' is not on the podium", p.peer_id));
        }
        p.broadcast = false;
        Ok(Done::events(vec![role_event(p, 1, 3, 0, false, &conf.id)]))
    }

    /// Test action: a participant of the room's role conference asks for the podium.
    pub(super) fn request_podium(&mut self, req: &Params) -> Res {
        let auto = self.setting_bool("autoAllowPartToTakePodium");
        let (conf, i) = self.podium_target("a podium request", req)?;
        let p = &conf.participants[i];
        if p.broadcast {
            return Err(format!("'{}' is already on the podium", p.peer_id));
        }
        if p.role == 3 {
            return Err(format!("'{}' already asked for the podium", p.peer_id));
        }
        if auto {
            seat_free(conf)?;
            let p = &mut conf.participants[i];
            p.broadcast = true;
            return Ok(Done::events(vec![role_event(p, 1, 1, 0, true, &conf.id)]));
        }
        let p = &mut conf.participants[i];
        p.role = 3;
        Ok(Done::events(vec![role_event(p, 3, 0, 0, false, &conf.id)]))
    }

    pub(super) fn answer_podium_request(&mut self, req: &Params, allow: bool) -> Res {
        let what = if allow { "acceptRequestToPodium" } else { "rejectRequestToPodium" };
        let (conf, i) = self.podium_target(what, req)?;
        if conf.participants[i].role != 3 {
            return Err(format!("'{}' has not asked for the podium", conf.participants[i].peer_id));
        }
        if allow {
            seat_free(conf)?;
        }
        let p = &mut conf.participants[i];
        p.role = 1;
        let mut events = vec![event(
            "incomingRequestToPodiumAnswered",
            json!({"peerId": p.peer_id, "allow": allow, "confId": conf.id}),
        )];
        if allow {
            p.broadcast = true;
            events.push(role_event(p, 1, 1, 0, true, &conf.id));
        }
        Ok(Done::events(events))
    }

    /// The room's own entry in a role conference it takes part in.
    fn self_in_role_conf(&mut self) -> Result<(&mut Conference, usize), String> {
        let conf = role_conf(self.conf_mut()?)?;
        let i = conf.self_index().ok_or("the room has no entry in this conference")?;
        Ok((conf, i))
    }

    /// Test action: the owner of the conference the room joined invites it to the podium.
    pub(super) fn invite_podium(&mut self) -> Res {
        let auto = self.setting_bool("autoAcceptPodiumFromOwner");
        if let Some(c) = &self.conf {
            if self.is_owner(c) {
                return Err("the room owns this conference: nobody can invite it to the podium".into());
            }
        }
        let (conf, i) = self.self_in_role_conf()?;
        if conf.participants[i].broadcast {
            return Err("the room is already on the podium".into());
        }
        if conf.podium_invited {
            return Err("the room is already invited to the podium".into());
        }
        conf.podium_invited = true;
        let p = &mut conf.participants[i];
        p.role = 4;
        let mut events = vec![role_event(p, 4, 0, 0, false, &conf.id)];
        if auto {
            events.extend(self.answer_podium_invitation(true)?.events);
        }
        Ok(Done::events(events))
    }

    pub(super) fn answer_podium_invitation(&mut self, accept: bool) -> Res {
        let what = if accept { "accept" } else { "reject" };
        let (conf, i) = self.self_in_role_conf()?;
        if !conf.podium_invited {
            return Err(format!("no podium invitation to {what}"));
        }
        conf.podium_invited = false;
        let p = &mut conf.participants[i];
        p.role = 1;
        let reason = if accept { 0 } else { 1 };
        let mut events = vec![event("incomingPodiumInvitationRemoved", json!({"confId": conf.id, "reason": reason}))];
        if accept {
            p.broadcast = true;
            events.push(role_event(p, 1, 1, 0, true, &conf.id));
        }
        Ok(Done::events(events))
    }

    /// The owner takes a seat at once; a participant asks the owner, who answers by their
    /// `podium_answer`.
    pub(super) fn goto_podium(&mut self) -> Res {
        let own = self.conf.as_ref().is_some_and(|c| self.is_owner(c));
        let (conf, i) = self.self_in_role_conf()?;
        if conf.participants[i].broadcast {
            return Err("the room is already on the podium".into());
        }
        seat_free(conf)?;
        if own {
            let p = &mut conf.participants[i];
            p.broadcast = true;
            return Ok(Done::events(vec![role_event(p, 2, 1, 0, true, &conf.id)]));
        }
        let owner_answer =
            conf.participants.iter().find(|p| p.role == 2).map_or(PodiumAnswer::Accept, |p| p.podium_answer);
        let p = &mut conf.participants[i];
        conf.podium_invited = false;
        let mut events = vec![role_event(p, 3, 0, 0, false, &conf.id)];
        p.role = 1;
        events.push(match owner_answer {
            PodiumAnswer::Accept => {
                p.broadcast = true;
                role_event(p, 1, 1, 0, true, &conf.id)
            }
            PodiumAnswer::Decline => role_event(p, 1, 1, 3, false, &conf.id),
        });
        Ok(Done::events(events))
    }

    pub(super) fn leave_podium(&mut self) -> Res {
        let (conf, i) = self.self_in_role_conf()?;
        let p = &mut conf.participants[i];
        if !p.broadcast {
            return Err("the room is not on the podium".into());
        }
        p.broadcast = false;
        let role = if p.role == 2 { 2 } else { 1 };
        Ok(Done::events(vec![role_event(p, role, 3, 0, false, &conf.id)]))
    }
}
