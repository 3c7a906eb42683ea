//! `tc_participant` and `tc_participant_list`: who is in the conference, from
//! `getConferenceParticipants` or a `newParticipantInConference` event.

use crate::cast::{from_raw, getter};
use crate::panic::ffi_guard;
use crate::strings::{opt_cstring, opt_ptr, to_cstring};
use std::ffi::CString;
use std::os::raw::{c_char, c_int};
use tcroom_core::Participant;

/// One participant (opaque), lent by its list or event for as long as that lives.
#[derive(Clone)]
pub struct tc_participant {
    p: Participant,
    peer_id: CString,
    display_name: Option<CString>,
    json: CString,
}

impl tc_participant {
    pub(crate) fn new(p: Participant) -> tc_participant {
        tc_participant {
            peer_id: to_cstring(&p.peer_id),
            display_name: opt_cstring(p.display_name.as_deref()),
            json: to_cstring(&p.raw.to_string()),
            p,
        }
    }
}

/// The participants of a conference (opaque), owned by the caller: `tc_participant_list_free`.
pub struct tc_participant_list {
    conf_id: Option<CString>,
    items: Vec<tc_participant>,
}

impl tc_participant_list {
    pub(crate) fn new(conf_id: Option<String>, list: Vec<Participant>) -> tc_participant_list {
        tc_participant_list {
            conf_id: opt_cstring(conf_id.as_deref()),
            items: list.into_iter().map(tc_participant::new).collect(),
        }
    }
}

/// The participant's InstanceId (`peerId`). NULL only when `participant` is NULL.
#[no_mangle]
pub extern "C" fn tc_participant_peer_id(participant: *const tc_participant) -> *const c_char {
    getter(participant, std::ptr::null(), |p| p.peer_id.as_ptr())
}

/// The display name (`peerDn`), or NULL.
#[no_mangle]
pub extern "C" fn tc_participant_display_name(participant: *const tc_participant) -> *const c_char {
    getter(participant, std::ptr::null(), |p| opt_ptr(&p.display_name))
}

/// 1 while the participant waits in the waiting room, else 0.
#[no_mangle]
pub extern "C" fn tc_participant_in_waiting_room(participant: *const tc_participant) -> c_int {
    getter(participant, 0, |p| c_int::from(p.p.in_waiting_room))
}

/// `role`: 1 ordinary, 2 owner, 3 asked to speak, 4 invited to podium, 5 remark; -1 unknown.
#[no_mangle]
pub extern "C" fn tc_participant_role(participant: *const tc_participant) -> i64 {
    getter(participant, -1, |p| p.p.role.unwrap_or(-1))
}

/// The participant's whole JSON object.
#[no_mangle]
pub extern "C" fn tc_participant_json(participant: *const tc_participant) -> *const c_char {
    getter(participant, std::ptr::null(), |p| p.json.as_ptr())
}

/// How many participants the list holds (0 for NULL).
#[no_mangle]
pub extern "C" fn tc_participant_list_len(list: *const tc_participant_list) -> usize {
    getter(list, 0, |l| l.items.len())
}

/// The participant at `index`, lent for as long as the list lives; NULL when out of range.
#[no_mangle]
pub extern "C" fn tc_participant_list_get(list: *const tc_participant_list, index: usize) -> *const tc_participant {
    getter(list, std::ptr::null(), |l| l.items.get(index).map_or(std::ptr::null(), |p| p as *const tc_participant))
}

/// The conference the list belongs to (`confId`), or NULL.
#[no_mangle]
pub extern "C" fn tc_participant_list_conf_id(list: *const tc_participant_list) -> *const c_char {
    getter(list, std::ptr::null(), |l| opt_ptr(&l.conf_id))
}

/// Frees a list and every participant it lent. NULL is ignored.
#[no_mangle]
pub extern "C" fn tc_participant_list_free(list: *mut tc_participant_list) {
    ffi_guard(|| {
        // SAFETY: `list` came from this library and is not used again (header contract).
        drop(unsafe { from_raw(list) });
    })
}
