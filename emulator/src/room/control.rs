//! Test-only actions: what simulated users and the world around the room do. Reached as
//! `emulator.<action>` on any authorized connection, `Emulator::control` and scenario scripts;
//! not part of the room's API (a real room answers "unknown method").

use serde_json::json;

use super::{Ctx, Done, Res, Room};
use crate::params::{only_keys, Params};

/// Every action and the parameters it takes.
const ACTIONS: &[(&str, &[&str])] = &[
    ("incomingCall", &["peerId", "confType", "title"]),
    ("cancelCall", &["peerId"]),
    ("remoteHangUp", &["peerId"]),
    ("requestJoin", &["peerId"]),
    ("requestPodium", &["peerId"]),
    ("invitePodium", &[]),
    ("muteByOwner", &["mic", "camera"]),
    ("userMessage", &["peerId", "message", "group"]),
    ("userCommand", &["peerId", "command"]),
    ("plugDevice", &["kind", "name", "description"]),
    ("unplugDevice", &["name", "kind"]),
    ("expireHttpTokens", &[]),
    ("dropServer", &[]),
];

pub(crate) fn is_action(name: &str) -> bool {
    ACTIONS.iter().any(|(n, _)| *n == name)
}

/// The action exists and every parameter is one it takes.
pub(crate) fn check_action(name: &str, params: &Params) -> Result<(), String> {
    let Some((_, allowed)) = ACTIONS.iter().find(|(n, _)| *n == name) else {
        let names: Vec<&str> = ACTIONS.iter().map(|(n, _)| *n).collect();
        return Err(format!("unknown emulator action '{name}' (actions: {})", names.join(", ")));
    };
    only_keys(params, allowed)
}

impl Room {
    pub(super) fn control(&mut self, ctx: &Ctx<'_>, action: &str, req: &Params) -> Res {
        check_action(action, req)?;
        match action {
            "incomingCall" => self.incoming_call(ctx, req),
            "cancelCall" => self.cancel_call(ctx, req),
            "remoteHangUp" => self.remote_hang_up(ctx, req),
            "requestJoin" => self.request_join(ctx, req),
            "requestPodium" => self.request_podium(req),
            "invitePodium" => self.invite_podium(),
            "muteByOwner" => self.mute_by_owner(req),
            "userMessage" => self.user_message(ctx, req),
            "userCommand" => self.user_command(req),
            "plugDevice" => self.plug_device(req),
            "unplugDevice" => self.unplug_device(req),
            "expireHttpTokens" => {
                ctx.shared.expire_http_tokens();
                Ok(Done::default())
            }
            "dropServer" => self.drop_server(ctx),
            other => Err(format!("unknown emulator action '{other}'")),
        }
    }
}

/// Runs an action on a room from outside any connection (the library handle, scripts):
/// notifications go out, the reply fields are returned.
pub(crate) fn run(
    shared: &std::sync::Arc<crate::shared::Shared>,
    room: &std::sync::Arc<std::sync::Mutex<Room>>,
    action: &str,
    params: serde_json::Value,
) -> Result<serde_json::Value, String> {
    let params = match params {
        serde_json::Value::Object(m) => m,
        serde_json::Value::Null => Params::new(),
        _ => return Err("action parameters must be a JSON object".into()),
    };
    let mut guard = crate::shared::lock(room);
    let ctx = Ctx { shared, room, api: 1 };
    let done = guard.control(&ctx, action, &params)?;
    guard.send_now(shared, &done.events);
    let mut reply = done.fields;
    reply.insert("result".into(), json!(true));
    Ok(serde_json::Value::Object(reply))
}
