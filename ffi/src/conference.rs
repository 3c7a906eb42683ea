//! `tc_conference`: a started conference as `conferenceCreated` described it, with accessors
//! that lend strings for as long as the object lives.

use crate::cast::{as_ref, getter, into_raw, out};
use crate::panic::{ffi_guard, ffi_status};
use crate::status::tc_status;
use crate::strings::{opt_cstring, opt_ptr, to_cstring};
use std::ffi::CString;
use std::os::raw::{c_char, c_int};
use tcroom_core::{ConfType, Conference};

/// cbindgen:prefix-with-name=false
/// Conference types, as `createConference` takes them and `conferenceCreated` reports them.
/// The values are the room's own numbers.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum tc_conf_type {
    /// Not a group conference (a p2p call) or a type this version does not know.
    TcConfUnknown = 0,
    /// Everyone on screen.
    TcConfSymmetric = 1,
    /// Video lecture: one speaker, many listeners.
    TcConfAsymmetric = 2,
    /// Role-based: a podium and an audience.
    TcConfRole = 3,
}

impl tc_conf_type {
    pub(crate) fn from_core(t: Option<ConfType>) -> tc_conf_type {
        match t {
            Some(ConfType::Symmetric) => tc_conf_type::TcConfSymmetric,
            Some(ConfType::Asymmetric) => tc_conf_type::TcConfAsymmetric,
            Some(ConfType::Role) => tc_conf_type::TcConfRole,
            None => tc_conf_type::TcConfUnknown,
        }
    }

    /// A raw value from C; `None` for anything but the three creatable types.
    pub(crate) fn to_core(raw: i32) -> Option<ConfType> {
        match raw {
            1 => Some(ConfType::Symmetric),
            2 => Some(ConfType::Asymmetric),
            3 => Some(ConfType::Role),
            _ => None,
        }
    }
}

/// A started conference (opaque). One lent to a callback or by an event lives as long as
/// that call or event; one from `tc_create_conference_wait` or `tc_conference_copy` is the
/// caller's, freed with `tc_conference_free`.
#[derive(Clone)]
pub struct tc_conference {
    conf: Conference,
    conf_id: CString,
    title: Option<CString>,
    owner: Option<CString>,
    join_url: Option<CString>,
    management_url: Option<CString>,
    json: CString,
}

impl tc_conference {
    pub(crate) fn new(conf: Conference) -> tc_conference {
        tc_conference {
            conf_id: to_cstring(&conf.conf_id),
            title: opt_cstring(conf.title.as_deref()),
            owner: opt_cstring(conf.owner.as_deref()),
            join_url: opt_cstring(conf.join_url.as_deref()),
            management_url: opt_cstring(conf.management_url.as_deref()),
            json: to_cstring(&conf.raw.to_string()),
            conf,
        }
    }
}

/// The conference id (`confId`). NULL only when `conference` is NULL.
#[no_mangle]
pub extern "C" fn tc_conference_id(conference: *const tc_conference) -> *const c_char {
    getter(conference, std::ptr::null(), |c| c.conf_id.as_ptr())
}

/// The title (`confTitle`), or NULL when the room did not say.
#[no_mangle]
pub extern "C" fn tc_conference_title(conference: *const tc_conference) -> *const c_char {
    getter(conference, std::ptr::null(), |c| opt_ptr(&c.title))
}

/// A `tc_conf_type` value; `TC_CONF_UNKNOWN` for a p2p call or an unknown number.
#[no_mangle]
pub extern "C" fn tc_conference_type(conference: *const tc_conference) -> i32 {
    getter(conference, 0, |c| tc_conf_type::from_core(c.conf.conf_type) as i32)
}

/// The owner's CallId (`conferenceOwner`), or NULL.
#[no_mangle]
pub extern "C" fn tc_conference_owner(conference: *const tc_conference) -> *const c_char {
    getter(conference, std::ptr::null(), |c| opt_ptr(&c.owner))
}

/// The link others use to join (`joinUrl`), or NULL.
#[no_mangle]
pub extern "C" fn tc_conference_join_url(conference: *const tc_conference) -> *const c_char {
    getter(conference, std::ptr::null(), |c| opt_ptr(&c.join_url))
}

/// The real-time management page (`realTimeConferenceManagmentUrl` on the wire), or NULL.
#[no_mangle]
pub extern "C" fn tc_conference_management_url(conference: *const tc_conference) -> *const c_char {
    getter(conference, std::ptr::null(), |c| opt_ptr(&c.management_url))
}

/// 1 when the waiting room is on, else 0.
#[no_mangle]
pub extern "C" fn tc_conference_waiting_room_enabled(conference: *const tc_conference) -> c_int {
    getter(conference, 0, |c| c_int::from(c.conf.waiting_room_enabled))
}

/// 1 when the waiting room can be switched during the conference, else 0.
#[no_mangle]
pub extern "C" fn tc_conference_waiting_room_switchable(conference: *const tc_conference) -> c_int {
    getter(conference, 0, |c| c_int::from(c.conf.waiting_room_switching_supported))
}

/// 1 for a smart meeting, else 0.
#[no_mangle]
pub extern "C" fn tc_conference_is_smart_meeting(conference: *const tc_conference) -> c_int {
    getter(conference, 0, |c| c_int::from(c.conf.is_smart_meeting))
}

/// The most participants the conference admits (`maxParticipants`), 0 when unknown.
#[no_mangle]
pub extern "C" fn tc_conference_max_participants(conference: *const tc_conference) -> u32 {
    getter(conference, 0, |c| c.conf.max_participants.unwrap_or(0))
}

/// The most podium seats (`maxParticipantsOnPodium`), 0 when unknown.
#[no_mangle]
pub extern "C" fn tc_conference_max_podium(conference: *const tc_conference) -> u32 {
    getter(conference, 0, |c| c.conf.max_podium.unwrap_or(0))
}

/// The whole `conferenceCreated` notification as JSON ("null" when the room sent none).
#[no_mangle]
pub extern "C" fn tc_conference_json(conference: *const tc_conference) -> *const c_char {
    getter(conference, std::ptr::null(), |c| c.json.as_ptr())
}

/// Copies a conference (for example one lent to a callback) into `*out`, to keep after the
/// call; free it with `tc_conference_free`.
#[no_mangle]
pub extern "C" fn tc_conference_copy(
    conference: *const tc_conference,
    out_conference: *mut *mut tc_conference,
) -> tc_status {
    ffi_status(|| {
        // SAFETY: header contract for handles and out-parameters.
        let c = unsafe { as_ref(conference, "conference") }?;
        let o = out(out_conference, "out_conference")?;
        unsafe { o.write(into_raw(c.clone())) };
        Ok(())
    })
}

/// Frees a conference the caller owns. NULL is ignored. Never pass one lent by a callback or
/// an event.
#[no_mangle]
pub extern "C" fn tc_conference_free(conference: *mut tc_conference) {
    ffi_guard(|| {
        // SAFETY: `conference` came from this library and is not used again (header contract).
        drop(unsafe { crate::cast::from_raw(conference) });
    })
}
