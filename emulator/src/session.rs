//! One control connection: envelope parsing, authorization, API version, dispatch, and the
//! order in which a reply and its notifications leave.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{json, Map, Value};
use tokio_tungstenite::tungstenite::Utf8Bytes;

use crate::config::AuthMode;
use crate::faults::ReplyFault;
use crate::params::{opt_str, req_str, Params};
use crate::room::{make_event, Ctx, Room};
use crate::shared::{lock, to_frame, Out, Shared, Target, Tx, AUTH_ADMIN, AUTH_NONE, AUTH_USER};

/// Every method the emulator answers; anything else is "unknown method".
const KNOWN: &[&str] = &[
    "auth",
    "setUsedApiVersion",
    "getAppState",
    "getTariffRestrictions",
    "getSystemInfo",
    "getConferences",
    "connectToServer",
    "login",
    "logout",
    "getLogin",
    "createConference",
    "setWaitingRoomState",
    "setParticipantPresenceInWaitingRoom",
    "getConferenceParticipants",
    "inviteToConference",
    "changeConferenceMode",
    "getSessionLink",
    "kickPeer",
    "hangUp",
    "call",
    "accept",
    "reject",
    "acceptPeer",
    "rejectPeer",
    // PROTOCOL.md §10
    "getConnected",
    "getTokenForHttpServer",
    "expandCallToMulti",
    "getCallHistory",
    "inviteToPodium",
    "kickFromPodium",
    "acceptRequestToPodium",
    "rejectRequestToPodium",
    "acceptInvitationToPodium",
    "rejectInvitationToPodium",
    "gotoPodium",
    "leavePodium",
    "turnRemoteMic",
    "turnRemoteCamera",
    "turnRemoteSpeaker",
    "setMicMute",
    "getMicMute",
    "setVideoMute",
    "getVideoMute",
    "setAudioMute",
    "getAudioMute",
    "getSettings",
    "setSettings",
    "getHardware",
    "setVideoCapturer",
    "setAudioCapturer",
    "setAudioRenderer",
    "getVideoMatrix",
    "changeVideoMatrixType",
    "changeVideoMatrix",
    "swapVideoSlots",
    "showVideoSlot",
    "hideVideoSlot",
    "getMonitorsInfo",
    "moveVideoSlotToMonitor",
    "removeVideoSlotFromMonitor",
    "changeCurrentMonitor",
    "changeWindowState",
    "restoreWindow",
    "getPtzControls",
    "ptzLeft",
    "ptzRight",
    "ptzUp",
    "ptzDown",
    "ptzZoomInc",
    "ptzZoomDec",
    "ptzStop",
    "setPanPos",
    "setTiltPos",
    "setZoomPos",
    "setPtzDefaults",
    "sendMessage",
    "sendGroupMessage",
    "sendCommand",
    "fireMyEvent",
    "startCapture",
    "stopCapture",
];

/// A method the emulator answers: the room's API, or a test-only `emulator.<action>`.
fn is_known(method: &str) -> bool {
    KNOWN.contains(&method) || method.strip_prefix("emulator.").is_some_and(crate::room::is_action)
}

/// What the connection should do after a frame.
#[derive(PartialEq, Eq)]
pub(crate) enum Flow {
    Continue,
    /// Drop the TCP connection without a close frame.
    Abort,
}

pub(crate) struct Session {
    shared: Arc<Shared>,
    id: u64,
    tx: Tx,
    auth: Arc<AtomicU8>,
    api: u8,
    room: Arc<Mutex<Room>>,
}

fn random_token() -> String {
    format!("{:032x}", rand::random::<u128>())
}

fn reply(method: &str, request_id: &Value, result: bool, fields: Map<String, Value>) -> Value {
    let mut m = Map::with_capacity(fields.len() + 3);
    m.insert("method".into(), Value::String(method.to_string()));
    m.insert("requestId".into(), request_id.clone());
    m.insert("result".into(), Value::Bool(result));
    m.extend(fields);
    Value::Object(m)
}

fn error_fields(error: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("error".into(), Value::String(error.to_string()));
    m
}

impl Session {
    pub fn new(shared: Arc<Shared>, id: u64, tx: Tx, auth: Arc<AtomicU8>, room: Arc<Mutex<Room>>) -> Session {
        Session { shared, id, tx, auth, api: 1, room }
    }

    pub fn flush(&self) {
        let _ = self.tx.send(Out::Flush);
    }

    /// Answers a frame that cannot carry a request at all.
    pub fn reject_frame(&self, error: &str) {
        self.send_reply("", reply("", &Value::String(String::new()), false, error_fields(error)));
    }

    pub fn handle_text(&mut self, text: &str) -> Flow {
        let empty = Value::String(String::new());
        let req: Params = match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(m)) => m,
            Ok(_) => {
                self.reject_frame("malformed request: expected a JSON object");
                return Flow::Continue;
            }
            Err(e) => {
                self.reject_frame(&format!("malformed JSON: {e}"));
                return Flow::Continue;
            }
        };
        let rid = req.get("requestId").filter(|v| !v.is_null()).unwrap_or(&empty).clone();
        let method = match req.get("method") {
            Some(Value::String(m)) => m.as_str(),
            None => return self.fail("", &rid, "missing 'method'"),
            Some(_) => return self.fail("", &rid, "parameter 'method' must be a string"),
        };
        if self.shared.faults.take_close(method) {
            tracing::info!(method, "fault: dropping the connection");
            return Flow::Abort;
        }
        if !is_known(method) {
            return self.fail(method, &rid, &format!("unknown method '{method}'"));
        }
        let _span = tracing::debug_span!("request", conn = self.id, method).entered();
        match method {
            "auth" => self.auth(&rid, &req),
            "setUsedApiVersion" => match req_str(&req, "version") {
                Ok(v @ ("1" | "2")) => {
                    self.api = if v == "1" { 1 } else { 2 };
                    self.ok(method, &rid, Map::new())
                }
                Ok(v) => self.fail(method, &rid, &format!("unsupported API version '{v}' (supported: \"1\", \"2\")")),
                Err(e) => self.fail(method, &rid, &e),
            },
            _ if self.auth.load(Ordering::Relaxed) == AUTH_NONE => {
                self.fail(method, &rid, "not authorized: send auth first")
            }
            "getTariffRestrictions" => {
                let t = match self.shared.tariff() {
                    Value::Object(m) => m,
                    _ => Map::new(),
                };
                self.ok(method, &rid, t)
            }
            "getSystemInfo" => {
                let f = self.system_info();
                self.ok(method, &rid, f)
            }
            _ => self.room_command(method, &rid, &req),
        }
    }

    fn ok(&self, method: &str, rid: &Value, fields: Map<String, Value>) -> Flow {
        self.send_reply(method, reply(method, rid, true, fields));
        Flow::Continue
    }

    fn fail(&self, method: &str, rid: &Value, error: &str) -> Flow {
        tracing::debug!(method, error, "request refused");
        self.send_reply(method, reply(method, rid, false, error_fields(error)));
        Flow::Continue
    }

    fn send_reply(&self, method: &str, reply: Value) {
        match self.shared.faults.take_reply_fault(method) {
            ReplyFault::None => {
                let _ = self.tx.send(Out::Text(to_frame(&reply)));
            }
            ReplyFault::Drop => tracing::info!(method, "fault: reply dropped"),
            ReplyFault::Delay(d) => {
                tracing::info!(method, delay_ms = d.as_millis() as u64, "fault: reply delayed");
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(d).await;
                    let _ = tx.send(Out::Text(to_frame(&reply)));
                });
            }
        }
    }

    fn room_command(&self, method: &str, rid: &Value, req: &Params) -> Flow {
        let room_arc = self.room.clone();
        let mut room = lock(&room_arc);
        let ctx = Ctx { shared: &self.shared, room: &room_arc, api: self.api };
        match room.handle(&ctx, method, req) {
            None => self.fail(method, rid, &format!("unknown method '{method}'")),
            Some(Err(e)) => self.fail(method, rid, &e),
            Some(Ok(done)) => {
                let mut events: Vec<Utf8Bytes> = done.events.iter().map(to_frame).collect();
                let r = reply(method, rid, true, done.fields);
                self.deliver(method, r, &mut events, room.target());
                Flow::Continue
            }
        }
    }

    /// Reply first, then notifications; under shuffle the reverse, with neighbours swapped.
    fn deliver(&self, method: &str, reply: Value, events: &mut [Utf8Bytes], target: &Target) {
        if self.shared.faults.shuffle() {
            for pair in events.chunks_mut(2) {
                pair.reverse();
            }
            target.send(&self.shared, events);
            self.send_reply(method, reply);
        } else {
            self.send_reply(method, reply);
            target.send(&self.shared, events);
        }
    }

    fn system_info(&self) -> Map<String, Value> {
        let c = &self.shared.config;
        let state = json!({
            "authInfo": {"peerId": c.own_id, "peerDn": c.display_name},
            "version": concat!("5.0.0 (tcroom-emulator ", env!("CARGO_PKG_VERSION"), ")"),
            "productName": "TrueConf Room",
            "apiVersions": ["1", "2"],
            "serverInfo": {"server": c.server, "port": 4307},
            "embeddedHttpPort": self.shared.http_port,
        });
        match state {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    fn auth(&mut self, rid: &Value, req: &Params) -> Flow {
        let (kind, creds, role) = match (req_str(req, "type"), opt_str(req, "credentials"), opt_str(req, "role")) {
            (Ok(k), Ok(c), Ok(r)) => (k, c, r),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return self.fail("auth", rid, &e),
        };
        let level = match role {
            None | Some("admin") => AUTH_ADMIN,
            Some("user") => AUTH_USER,
            Some(r) => {
                return self.fail("auth", rid, &format!("parameter 'role' must be 'admin' or 'user' (got '{r}')"))
            }
        };
        let ok = match (kind, &self.shared.config.auth) {
            ("unsecured", AuthMode::Unsecured) | ("secured", AuthMode::Unsecured) => true,
            ("unsecured", _) => false,
            ("secured", AuthMode::Pin(secret) | AuthMode::Password(secret)) => match creds {
                Some(c) => c == secret || lock(&self.shared.tokens).contains(c),
                None => false,
            },
            (k, _) => {
                return self.fail(
                    "auth",
                    rid,
                    &format!("parameter 'type' must be 'secured' or 'unsecured' (got '{k}')"),
                )
            }
        };
        if !ok {
            tracing::info!(conn = self.id, "auth failed");
            let mut f = error_fields("wrong credentials");
            f.insert("resultCode".into(), json!(3));
            self.send_reply("auth", reply("auth", rid, false, f));
            return Flow::Continue;
        }
        let token = random_token();
        let http_token = self.shared.issue_http_token(Arc::downgrade(&self.room));
        lock(&self.shared.tokens).insert(token.clone());
        if !self.shared.config.isolated_rooms {
            self.take_role(level);
        }
        self.auth.store(level, Ordering::Relaxed);
        tracing::info!(conn = self.id, role = if level == AUTH_ADMIN { "admin" } else { "user" }, "auth ok");
        let f = json!({"previleges": level, "token": token, "tokenForHttpServer": http_token, "resultCode": 0});
        self.ok(
            "auth",
            rid,
            match f {
                Value::Object(m) => m,
                _ => Map::new(),
            },
        )
    }

    /// One authorized connection per role: the previous holder is told and de-authorized.
    fn take_role(&self, level: u8) {
        let mut reg = lock(&self.shared.registry);
        let idx = usize::from(level == AUTH_ADMIN);
        // Re-authorizing under the other role frees the one held before.
        if reg.role_holders[1 - idx] == Some(self.id) {
            reg.role_holders[1 - idx] = None;
        }
        if let Some(old) = reg.role_holders[idx].filter(|&o| o != self.id) {
            if let Some(entry) = reg.conns.get(&old) {
                entry.auth.store(AUTH_NONE, Ordering::Relaxed);
                let ev = make_event("authorizationNeeded", json!({"cause": 1}));
                let _ = entry.tx.send(Out::Text(to_frame(&ev)));
                tracing::info!(conn = old, "de-authorized by a newer connection");
            }
        }
        reg.role_holders[idx] = Some(self.id);
    }
}
