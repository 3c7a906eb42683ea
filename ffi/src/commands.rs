//! The commands of PROTOCOL.md §7 (and §4's `getAppState`) as blocking functions. Each takes
//! `timeout_ms` (`TC_TIMEOUT_DEFAULT`, 0, for the options' request time-out) and returns a
//! status; results come back through out-parameters written only on success.
//!
//! Commands the core types are called through it (so that its state mirror stays current);
//! the rest go through its generic request with the parameter names of PROTOCOL.md §7.

use crate::cast::{as_ref, c_str, into_raw, out, out_opt, Out};
use crate::client::tc_client;
use crate::error::FfiError;
use crate::panic::ffi_status;
use crate::participant::tc_participant_list;
use crate::status::tc_status;
use crate::strings::string_into_raw;
use serde_json::{json, Value};
use std::os::raw::{c_char, c_int};

/// Use the client's request time-out (`tc_client_options_set_request_timeout`).
pub const TC_TIMEOUT_DEFAULT: u32 = 0;

/// Default TrueConf server port for `tc_client_connect_to_server`.
const DEFAULT_SERVER_PORT: u16 = 4307;

fn client<'a>(p: *const tc_client) -> Result<&'a tc_client, FfiError> {
    // SAFETY: header contract for handles.
    unsafe { as_ref(p, "client") }
}

fn text<'a>(p: *const c_char, name: &str) -> Result<&'a str, FfiError> {
    // SAFETY: header contract for string arguments.
    unsafe { c_str(p, name) }
}

fn give_string(o: Out<*mut c_char>, s: &str) {
    // SAFETY: `Out` was checked non-NULL when the call began.
    unsafe { o.write(string_into_raw(s)) }
}

/// Writes an optional string out-parameter: NULL when there is no value.
fn give_opt_string(o: Option<Out<*mut c_char>>, s: Option<&str>) {
    if let Some(o) = o {
        // SAFETY: a non-NULL out-parameter.
        unsafe { o.write(s.map_or(std::ptr::null_mut(), string_into_raw)) }
    }
}

/// A command the core does not type: `method` with `params`, the reply discarded or kept.
fn raw(c: &tc_client, timeout_ms: u32, method: &'static str, params: Value) -> Result<Value, FfiError> {
    let t = c.shared().timeout(timeout_ms);
    c.shared().call(timeout_ms, method, |core| async move { core.request_timeout(method, params, t).await })
}

fn on(b: c_int) -> bool {
    b != 0
}

/// `getAppState`: the room's `appState` (0 none ... 3 normal, 5 conference; PROTOCOL.md §4).
#[no_mangle]
pub extern "C" fn tc_client_get_app_state(
    client: *const tc_client,
    timeout_ms: u32,
    out_app_state: *mut i32,
) -> tc_status {
    ffi_status(|| {
        let c = self::client(client)?;
        let o = out(out_app_state, "out_app_state")?;
        let info = c.shared().call(timeout_ms, "getAppState", |core| async move { core.get_app_state().await })?;
        let code = i32::try_from(info.app_state.code()).unwrap_or(-1);
        // SAFETY: checked non-NULL out-parameter.
        unsafe { o.write(code) };
        Ok(())
    })
}

/// `getTariffRestrictions`: the whole reply as JSON (`createMulti`, the schemas...).
/// Free with `tc_string_free`.
#[no_mangle]
pub extern "C" fn tc_client_get_tariff_restrictions(
    client: *const tc_client,
    timeout_ms: u32,
    out_json: *mut *mut c_char,
) -> tc_status {
    ffi_status(|| {
        let c = self::client(client)?;
        let o = out(out_json, "out_json")?;
        let t = c
            .shared()
            .call(timeout_ms, "getTariffRestrictions", |core| async move { core.get_tariff_restrictions().await })?;
        give_string(o, &t.raw.to_string());
        Ok(())
    })
}

/// `getSystemInfo`: the whole reply as JSON (`authInfo.peerId` is who we are).
#[no_mangle]
pub extern "C" fn tc_client_get_system_info(
    client: *const tc_client,
    timeout_ms: u32,
    out_json: *mut *mut c_char,
) -> tc_status {
    ffi_status(|| {
        let c = self::client(client)?;
        let o = out(out_json, "out_json")?;
        let info = c.shared().call(timeout_ms, "getSystemInfo", |core| async move { core.get_system_info().await })?;
        give_string(o, &info.raw.to_string());
        Ok(())
    })
}

/// `getConferences`: a JSON array of the conferences the room lists.
#[no_mangle]
pub extern "C" fn tc_client_get_conferences(
    client: *const tc_client,
    timeout_ms: u32,
    out_json: *mut *mut c_char,
) -> tc_status {
    ffi_status(|| {
        let c = self::client(client)?;
        let o = out(out_json, "out_json")?;
        let list = c.shared().call(timeout_ms, "getConferences", |core| async move { core.get_conferences().await })?;
        let array = Value::Array(list.into_iter().map(|s| s.raw).collect());
        give_string(o, &array.to_string());
        Ok(())
    })
}

/// `setWaitingRoomState`: turn the waiting room on or off. When turning it off,
/// `users_must_be_invited` non-zero admits everyone waiting, 0 removes them.
/// `*out_conf_id` (optional: may be NULL) gets the conference id or NULL.
#[no_mangle]
pub extern "C" fn tc_client_set_waiting_room_state(
    client: *const tc_client,
    enable: c_int,
    users_must_be_invited: c_int,
    timeout_ms: u32,
    out_conf_id: *mut *mut c_char,
) -> tc_status {
    ffi_status(|| {
        let c = self::client(client)?;
        let o = out_opt(out_conf_id);
        let id = c.shared().call(timeout_ms, "setWaitingRoomState", |core| async move {
            core.set_waiting_room_state(on(enable), on(users_must_be_invited)).await
        })?;
        give_opt_string(o, id.as_deref());
        Ok(())
    })
}

/// `setParticipantPresenceInWaitingRoom`: move `call_id` (an InstanceId) into the waiting
/// room (`in_waiting_room` non-zero) or let them in (0). `*out_conf_id` as above.
#[no_mangle]
pub extern "C" fn tc_client_set_participant_presence_in_waiting_room(
    client: *const tc_client,
    call_id: *const c_char,
    in_waiting_room: c_int,
    timeout_ms: u32,
    out_conf_id: *mut *mut c_char,
) -> tc_status {
    ffi_status(|| {
        let c = self::client(client)?;
        let call_id = text(call_id, "call_id")?.to_owned();
        let o = out_opt(out_conf_id);
        let id = c.shared().call(timeout_ms, "setParticipantPresenceInWaitingRoom", |core| async move {
            core.set_participant_presence_in_waiting_room(&call_id, on(in_waiting_room)).await
        })?;
        give_opt_string(o, id.as_deref());
        Ok(())
    })
}

/// `hangUp`: leave the conference, or end it for everyone (`for_all` non-zero; owner or
/// moderator only).
#[no_mangle]
pub extern "C" fn tc_client_hang_up(client: *const tc_client, for_all: c_int, timeout_ms: u32) -> tc_status {
    ffi_status(|| {
        let c = self::client(client)?;
        c.shared().call(timeout_ms, "hangUp", |core| async move { core.hang_up(on(for_all)).await })
    })
}

/// `getConferenceParticipants`: the participants, the caller's list to free with
/// `tc_participant_list_free`.
#[no_mangle]
pub extern "C" fn tc_client_get_conference_participants(
    client: *const tc_client,
    timeout_ms: u32,
    out_list: *mut *mut tc_participant_list,
) -> tc_status {
    ffi_status(|| {
        let c = self::client(client)?;
        let o = out(out_list, "out_list")?;
        let (conf_id, list) = c.shared().call(timeout_ms, "getConferenceParticipants", |core| async move {
            core.get_conference_participants().await
        })?;
        // SAFETY: checked non-NULL out-parameter.
        unsafe { o.write(into_raw(tc_participant_list::new(conf_id, list))) };
        Ok(())
    })
}

/// `inviteToConference`: invite a PeerId, CallId or InstanceId (moderators only); the
/// answer comes as `inviteSent`, then `newParticipantInConference` or `rejectReceived`.
#[no_mangle]
pub extern "C" fn tc_client_invite_to_conference(
    client: *const tc_client,
    peer_id: *const c_char,
    timeout_ms: u32,
) -> tc_status {
    ffi_status(|| {
        let c = self::client(client)?;
        let peer = text(peer_id, "peer_id")?.to_owned();
        c.shared().call(timeout_ms, "inviteToConference", |core| async move { core.invite_to_conference(&peer).await })
    })
}

/// `changeConferenceMode`: switch a role conference into (non-zero) or out of (0) smart
/// meeting mode; `smartMeetingModeChanged` follows.
#[no_mangle]
pub extern "C" fn tc_client_change_conference_mode(
    client: *const tc_client,
    is_smart_meeting: c_int,
    timeout_ms: u32,
) -> tc_status {
    ffi_status(|| {
        let c = self::client(client)?;
        c.shared().call(timeout_ms, "changeConferenceMode", |core| async move {
            core.change_conference_mode(on(is_smart_meeting)).await
        })
    })
}

/// `getSessionLink`: the link others use to join. Free with `tc_string_free`.
#[no_mangle]
pub extern "C" fn tc_client_get_session_link(
    client: *const tc_client,
    timeout_ms: u32,
    out_link: *mut *mut c_char,
) -> tc_status {
    ffi_status(|| {
        let c = self::client(client)?;
        let o = out(out_link, "out_link")?;
        let link =
            c.shared().call(timeout_ms, "getSessionLink", |core| async move { core.get_session_link().await })?;
        give_string(o, &link);
        Ok(())
    })
}

/// `connectToServer`: connect the room to a TrueConf server (`port` 0: 4307).
#[no_mangle]
pub extern "C" fn tc_client_connect_to_server(
    client: *const tc_client,
    server: *const c_char,
    port: u16,
    timeout_ms: u32,
) -> tc_status {
    ffi_status(|| {
        let c = self::client(client)?;
        let server = text(server, "server")?;
        let port = if port == 0 { DEFAULT_SERVER_PORT } else { port };
        raw(c, timeout_ms, "connectToServer", json!({"server": server, "port": port})).map(drop)
    })
}

/// `login`: log the room in to its server (the password is sent as is, never logged).
#[no_mangle]
pub extern "C" fn tc_client_login(
    client: *const tc_client,
    login: *const c_char,
    password: *const c_char,
    timeout_ms: u32,
) -> tc_status {
    ffi_status(|| {
        let c = self::client(client)?;
        let login = text(login, "login")?;
        let password = text(password, "password")?;
        let params = json!({"login": login, "password": password, "encryptPassword": false});
        raw(c, timeout_ms, "login", params).map(drop)
    })
}

/// `logout`: log the room out of its server.
#[no_mangle]
pub extern "C" fn tc_client_logout(client: *const tc_client, timeout_ms: u32) -> tc_status {
    ffi_status(|| raw(self::client(client)?, timeout_ms, "logout", Value::Null).map(drop))
}

/// `getLogin`: the whole reply as JSON (`login`, `server`). Free with `tc_string_free`.
#[no_mangle]
pub extern "C" fn tc_client_get_login(
    client: *const tc_client,
    timeout_ms: u32,
    out_json: *mut *mut c_char,
) -> tc_status {
    ffi_status(|| {
        let c = self::client(client)?;
        let o = out(out_json, "out_json")?;
        let reply = raw(c, timeout_ms, "getLogin", Value::Null)?;
        give_string(o, &reply.to_string());
        Ok(())
    })
}

/// `call`: call a peer (PeerId, CallId or InstanceId).
#[no_mangle]
pub extern "C" fn tc_client_call(client: *const tc_client, peer_id: *const c_char, timeout_ms: u32) -> tc_status {
    ffi_status(|| {
        let c = self::client(client)?;
        let peer = text(peer_id, "peer_id")?;
        raw(c, timeout_ms, "call", json!({ "peerId": peer })).map(drop)
    })
}

/// `accept`: answer an incoming call or invitation.
#[no_mangle]
pub extern "C" fn tc_client_accept(client: *const tc_client, timeout_ms: u32) -> tc_status {
    ffi_status(|| raw(self::client(client)?, timeout_ms, "accept", Value::Null).map(drop))
}

/// `reject`: decline an incoming call or invitation.
#[no_mangle]
pub extern "C" fn tc_client_reject(client: *const tc_client, timeout_ms: u32) -> tc_status {
    ffi_status(|| raw(self::client(client)?, timeout_ms, "reject", Value::Null).map(drop))
}

fn peer_command(client: *const tc_client, method: &'static str, peer_id: *const c_char, timeout_ms: u32) -> tc_status {
    ffi_status(|| {
        let c = self::client(client)?;
        let peer = text(peer_id, "peer_id")?;
        raw(c, timeout_ms, method, json!({ "peerId": peer })).map(drop)
    })
}

/// `acceptPeer`: let in someone who asked to join (`requestInviteReceived`).
#[no_mangle]
pub extern "C" fn tc_client_accept_peer(
    client: *const tc_client,
    peer_id: *const c_char,
    timeout_ms: u32,
) -> tc_status {
    peer_command(client, "acceptPeer", peer_id, timeout_ms)
}

/// `rejectPeer`: turn away someone who asked to join.
#[no_mangle]
pub extern "C" fn tc_client_reject_peer(
    client: *const tc_client,
    peer_id: *const c_char,
    timeout_ms: u32,
) -> tc_status {
    peer_command(client, "rejectPeer", peer_id, timeout_ms)
}

/// `kickPeer`: remove a participant from the conference.
#[no_mangle]
pub extern "C" fn tc_client_kick_peer(client: *const tc_client, peer_id: *const c_char, timeout_ms: u32) -> tc_status {
    peer_command(client, "kickPeer", peer_id, timeout_ms)
}
