//! Chat, commands between applications, `myEvent`, and content sharing (PROTOCOL.md §10
//! "chat and app messages", "content").

use serde_json::json;

use super::{directory, event, to_call_id, unix_now, Ctx, Done, Res, Room};
use crate::params::{opt_bool, req_int, req_str, req_text, Params};

impl Room {
    fn logged_in(&self, what: &str) -> Result<(), String> {
        if self.app_state < 3 {
            return Err(format!("{what} needs the room logged in (appState {})", self.app_state));
        }
        Ok(())
    }

    pub(super) fn send_message(&mut self, ctx: &Ctx<'_>, req: &Params) -> Res {
        let peer = req_text(req, "peerId")?;
        let message = req_text(req, "message")?;
        self.logged_in("sendMessage")?;
        let call_id = to_call_id(peer.trim(), &ctx.shared.config.server);
        if call_id.eq_ignore_ascii_case(&self.own_id) {
            return Err("cannot send a message to the room itself".into());
        }
        Ok(Done::events(vec![event("chatMessageSent", json!({"peerId": call_id, "message": message}))]))
    }

    pub(super) fn send_group_message(&mut self, req: &Params) -> Res {
        let message = req_text(req, "message")?;
        let conf = self.conf()?;
        if !conf.is_group() {
            return Err("sendGroupMessage needs a group conference (this is a p2p call)".into());
        }
        Ok(Done::events(vec![event("groupChatMessageSent", json!({"message": message, "confId": conf.id}))]))
    }

    pub(super) fn send_command(&mut self, req: &Params) -> Res {
        let peer = req_text(req, "peerId")?;
        let command = req_str(req, "command")?;
        let conf = self.conf().map_err(|e| format!("sendCommand needs a call or conference: {e}"))?;
        let p = &conf.participants[conf.find_other(peer)?];
        Ok(Done::events(vec![event(
            "commandSent",
            json!({"peerId": p.peer_id, "command": command, "confId": conf.id}),
        )]))
    }

    pub(super) fn fire_my_event(&mut self, req: &Params) -> Res {
        let data = req_str(req, "data")?;
        Ok(Done::events(vec![event("myEvent", json!({"data": data}))]))
    }

    /// Test action: a simulated user writes to the room, or to the conference with `group`.
    pub(super) fn user_message(&mut self, ctx: &Ctx<'_>, req: &Params) -> Res {
        let peer = req_text(req, "peerId")?;
        let message = req_str(req, "message")?;
        let group = opt_bool(req, "group")?.unwrap_or(false);
        let time = unix_now();
        if group {
            let conf = self.conf()?;
            if !conf.is_group() {
                return Err("a group message needs a group conference (this is a p2p call)".into());
            }
            let p = &conf.participants[conf.find_other(peer)?];
            return Ok(Done::events(vec![event(
                "incomingGroupChatMessage",
                json!({"peerId": p.call_id, "peerDn": p.dn, "chatId": conf.id, "message": message, "time": time,
                       "confId": conf.id}),
            )]));
        }
        self.logged_in("a chat message")?;
        let cfg = &ctx.shared.config;
        let call_id = to_call_id(peer.trim(), &cfg.server);
        if call_id.eq_ignore_ascii_case(&self.own_id) {
            return Err("the room cannot write to itself".into());
        }
        let (dn, ..) = directory(cfg, &call_id);
        Ok(Done::events(vec![event(
            "incomingChatMessage",
            json!({"peerId": call_id, "peerDn": dn, "chatId": call_id, "message": message, "time": time}),
        )]))
    }

    /// Test action: a participant's application sends the room a command.
    pub(super) fn user_command(&mut self, req: &Params) -> Res {
        let peer = req_text(req, "peerId")?;
        let command = req_str(req, "command")?;
        let conf = self.conf().map_err(|e| format!("a command needs a call or conference: {e}"))?;
        let p = &conf.participants[conf.find_other(peer)?];
        Ok(Done::events(vec![event("commandReceived", json!({"peerId": p.call_id, "command": command}))]))
    }

    /// Starting while sharing switches the source: `dsStopped` for the old one first.
    pub(super) fn start_capture(&mut self, ctx: &Ctx<'_>, req: &Params) -> Res {
        let id = req_int(req, "captureId")?;
        let name =
            self.devices.capture(id).ok_or_else(|| format!("no capture source {id} in DSCaptureList"))?.to_string();
        let mut d = Done::default();
        if let Some((old, _)) = self.capture.take() {
            d.events.push(event("dsStopped", json!({"captureId": old})));
        }
        d.events.push(event("dsStarted", json!({"captureId": id, "name": name})));
        self.capture = Some((id, name));
        self.set_state(ctx.shared, self.app_state, &mut d.events);
        Ok(d)
    }

    pub(super) fn stop_capture(&mut self, ctx: &Ctx<'_>) -> Res {
        let (id, _) = self.capture.take().ok_or("content sharing is not running")?;
        let mut d = Done::events(vec![event("dsStopped", json!({"captureId": id}))]);
        self.set_state(ctx.shared, self.app_state, &mut d.events);
        Ok(d)
    }
}
