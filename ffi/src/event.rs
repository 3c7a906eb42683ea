//! `tc_event`: one notification from the room (or a synthetic one from the library), with its
//! name, raw JSON and typed accessors. The event is the core's, shared, not copied: its C
//! strings are made on first use and kept with it, so that accessors lend pointers that live as
//! long as the event, and an event whose JSON nobody asks for never costs its serialization.

use crate::cast::{as_ref, c_str, copy_to_buffer, from_raw, getter, into_raw, out};
use crate::conference::tc_conference;
use crate::error::FfiError;
use crate::panic::{ffi_guard, ffi_status};
use crate::participant::tc_participant;
use crate::status::tc_status;
use crate::strings::{opt_cstring, opt_ptr, to_cstring};
use std::ffi::CString;
use std::os::raw::{c_char, c_int};
use std::sync::{Arc, OnceLock};
use tcroom_core::json;
use tcroom_core::{Event, EventKind};

pub use crate::generated::events::tc_event_kind;

impl crate::panic::OnPanic for tc_event_kind {
    fn on_panic() -> Self {
        tc_event_kind::Unknown
    }
}

/// One event (opaque). Lent to an event callback for the duration of the call; returned by
/// `tc_client_next_event` or `tc_event_copy` to the caller, who frees it with `tc_event_free`.
#[derive(Clone)]
pub struct tc_event {
    ev: Arc<Event>,
    kind: tc_event_kind,
    name: OnceLock<CString>,
    json: OnceLock<CString>,
    conf_id: OnceLock<Option<CString>>,
    peer_id: OnceLock<Option<CString>>,
    // Boxed: most events have neither, and queued events should stay small.
    conference: OnceLock<Option<Box<tc_conference>>>,
    participant: OnceLock<Option<Box<tc_participant>>>,
}

impl tc_event {
    pub(crate) fn from_core(ev: Arc<Event>) -> tc_event {
        tc_event {
            kind: tc_event_kind::from_id(ev.id()),
            ev,
            name: OnceLock::new(),
            json: OnceLock::new(),
            conf_id: OnceLock::new(),
            peer_id: OnceLock::new(),
            conference: OnceLock::new(),
            participant: OnceLock::new(),
        }
    }

    fn name(&self) -> &CString {
        self.name.get_or_init(|| to_cstring(&self.ev.name))
    }

    fn json(&self) -> &CString {
        self.json.get_or_init(|| to_cstring(&self.ev.raw.to_string()))
    }

    fn conf_id(&self) -> &Option<CString> {
        self.conf_id.get_or_init(|| opt_cstring(self.ev.conf_id().as_deref()))
    }

    fn peer_id(&self) -> &Option<CString> {
        self.peer_id.get_or_init(|| opt_cstring(self.ev.peer_id().as_deref()))
    }

    fn conference(&self) -> Option<&tc_conference> {
        let made = self.conference.get_or_init(|| match &self.ev.kind {
            EventKind::ConferenceCreated(c) => Some(Box::new(tc_conference::new(c.clone()))),
            _ => None,
        });
        made.as_deref()
    }

    fn participant(&self) -> Option<&tc_participant> {
        let made = self.participant.get_or_init(|| match &self.ev.kind {
            EventKind::NewParticipant { participant, .. } => Some(Box::new(tc_participant::new(participant.clone()))),
            _ => None,
        });
        made.as_deref()
    }
}

/// The event's wire name (`"conferenceCreated"`, or `"disconnected"`, `"malformedMessage"`,
/// `"eventsLost"` for the synthetic ones). NULL only when `event` is NULL.
#[no_mangle]
pub extern "C" fn tc_event_name(event: *const tc_event) -> *const c_char {
    getter(event, std::ptr::null(), |e| e.name().as_ptr())
}

/// The `tc_event_kind` of the event (`TC_EVENT_KIND_UNKNOWN` for NULL).
#[no_mangle]
pub extern "C" fn tc_event_get_kind(event: *const tc_event) -> tc_event_kind {
    getter(event, tc_event_kind::Unknown, |e| e.kind)
}

/// The whole notification as JSON text.
#[no_mangle]
pub extern "C" fn tc_event_json(event: *const tc_event) -> *const c_char {
    getter(event, std::ptr::null(), |e| e.json().as_ptr())
}

/// `confId`, or NULL when the event has none.
#[no_mangle]
pub extern "C" fn tc_event_conf_id(event: *const tc_event) -> *const c_char {
    getter(event, std::ptr::null(), |e| opt_ptr(e.conf_id()))
}

/// `peerId` (or `callId`, which waiting-room events use), or NULL when the event has none.
#[no_mangle]
pub extern "C" fn tc_event_peer_id(event: *const tc_event) -> *const c_char {
    getter(event, std::ptr::null(), |e| opt_ptr(e.peer_id()))
}

/// For `conferenceCreated`: the conference, lent for as long as the event lives; else NULL.
#[no_mangle]
pub extern "C" fn tc_event_conference(event: *const tc_event) -> *const tc_conference {
    getter(event, std::ptr::null(), |e| e.conference().map_or(std::ptr::null(), |c| c as *const tc_conference))
}

/// For `newParticipantInConference`: the participant, lent for as long as the event lives;
/// else NULL.
#[no_mangle]
pub extern "C" fn tc_event_participant(event: *const tc_event) -> *const tc_participant {
    getter(event, std::ptr::null(), |e| e.participant().map_or(std::ptr::null(), |p| p as *const tc_participant))
}

/// Borrows the event and a field name for the `tc_event_get_*` family.
fn field_of<'a>(event: *const tc_event, field: *const c_char) -> Result<(&'a tc_event, &'a str), FfiError> {
    // SAFETY: header contract for handles and strings.
    unsafe { Ok((as_ref(event, "event")?, c_str(field, "field")?)) }
}

fn absent(field: &str, what: &str) -> FfiError {
    FfiError::new(tc_status::NotFound, format!("the event has no {what} field '{field}'"))
}

/// Copies top-level field `field` as text (numbers and booleans are formatted) into `buf`
/// (`len` bytes, NUL-terminated); `*out_len`, when not NULL, gets the full length without
/// the NUL even when the buffer is too small. `TC_STATUS_NOT_FOUND` when absent or not a
/// scalar; `TC_STATUS_BUFFER_TOO_SMALL` when truncated.
#[no_mangle]
pub extern "C" fn tc_event_get_string(
    event: *const tc_event,
    field: *const c_char,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> tc_status {
    ffi_status(|| {
        let (ev, name) = field_of(event, field)?;
        let value = json::str_of(&ev.ev.raw, &[name]).ok_or_else(|| absent(name, "text"))?;
        if let Some(o) = crate::cast::out_opt(out_len) {
            // SAFETY: a non-NULL out-parameter (header contract).
            unsafe { o.write(value.len()) };
        }
        // SAFETY: `buf` is writable for `len` bytes (header contract).
        unsafe { copy_to_buffer(&value, buf, len) }
    })
}

/// Reads top-level field `field` as an integer (numeric strings accepted) into `*out_value`.
/// `TC_STATUS_NOT_FOUND` when absent or not a number.
#[no_mangle]
pub extern "C" fn tc_event_get_int(event: *const tc_event, field: *const c_char, out_value: *mut i64) -> tc_status {
    ffi_status(|| {
        let (ev, name) = field_of(event, field)?;
        let o = out(out_value, "out_value")?;
        let v = json::i64_of(&ev.ev.raw, &[name]).ok_or_else(|| absent(name, "integer"))?;
        // SAFETY: checked non-NULL out-parameter.
        unsafe { o.write(v) };
        Ok(())
    })
}

/// Reads top-level field `field` as a boolean (0/1 and "true"/"false" accepted) into
/// `*out_value` (0 or 1). `TC_STATUS_NOT_FOUND` when absent or not a boolean.
#[no_mangle]
pub extern "C" fn tc_event_get_bool(event: *const tc_event, field: *const c_char, out_value: *mut c_int) -> tc_status {
    ffi_status(|| {
        let (ev, name) = field_of(event, field)?;
        let o = out(out_value, "out_value")?;
        let v = json::bool_of(&ev.ev.raw, &[name]).ok_or_else(|| absent(name, "boolean"))?;
        // SAFETY: checked non-NULL out-parameter.
        unsafe { o.write(c_int::from(v)) };
        Ok(())
    })
}

/// Copies an event (for example one lent to a callback) into `*out_event`; free it with
/// `tc_event_free`.
#[no_mangle]
pub extern "C" fn tc_event_copy(event: *const tc_event, out_event: *mut *mut tc_event) -> tc_status {
    ffi_status(|| {
        // SAFETY: header contract for handles and out-parameters.
        let ev = unsafe { as_ref(event, "event") }?;
        let o = out(out_event, "out_event")?;
        unsafe { o.write(into_raw(ev.clone())) };
        Ok(())
    })
}

/// Frees an event the caller owns. NULL is ignored. Never pass one lent to a callback.
#[no_mangle]
pub extern "C" fn tc_event_free(event: *mut tc_event) {
    ffi_guard(|| {
        // SAFETY: `event` came from this library and is not used again (header contract).
        drop(unsafe { from_raw(event) });
    })
}
