//! What the C face adds beside the catalogue's commands: frames from the room's embedded HTTP
//! server, and auto-answer. The live room state is `tc_client_state_json` plus the
//! `stateChanged` events on the client's queue.

use crate::cast::{c_str, c_str_array, out};
use crate::client::KeptFrame;
use crate::command::client_ref;
use crate::error::FfiError;
use crate::panic::ffi_status;
use crate::status::tc_status;
use std::os::raw::c_char;
use tcroom_core::{AutoAnswerPolicy, CallOptions};

/// How `tc_client_auto_answer` answers incoming calls and invitations.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum tc_auto_answer {
    /// Stop answering (the default).
    Off = 0,
    /// Accept every call.
    All = 1,
    /// Reject every call.
    Nobody = 2,
    /// Accept the peers given, reject the rest.
    List = 3,
}

/// How long a frame fetched for a too-small buffer waits for the call that copies it: long
/// enough for a size query and an allocation, short enough that it is never an old picture.
const KEEP_FRAME: std::time::Duration = std::time::Duration::from_secs(5);

/// Copies one still of video slot `slot_id` (`#self:0` is the room's camera; other ids come
/// from `tc_client_get_video_matrix`) from the room's embedded HTTP server into `buf`, `len`
/// bytes: the bytes of a JPEG. `*out_len` (required) gets the frame's size. With `buf` NULL or
/// `len` too small the call returns `TC_STATUS_BUFFER_TOO_SMALL` and keeps the frame: the next
/// call for the same slot within 5 seconds, on the same connection, gets that same frame
/// without fetching again (so a size query and then a copy cost one fetch, and report the same
/// size). A frame is kept for one slot at a time; a call for another slot, a later one, or
/// `tc_client_close` forgets it. The token for the HTTP server is fetched and refreshed by the
/// library. Blocks up to `timeout_ms` (`TC_TIMEOUT_DEFAULT`: the request time-out).
#[no_mangle]
pub extern "C" fn tc_client_get_frame(
    client: *const crate::client::tc_client,
    slot_id: *const c_char,
    timeout_ms: u32,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> tc_status {
    ffi_status(|| {
        let c = client_ref(client)?;
        // SAFETY: header contract for string arguments.
        let slot = unsafe { c_str(slot_id, "slot_id") }?.to_owned();
        let o = out(out_len, "out_len")?;
        let shared = c.shared();
        let kept = {
            let mut k = shared.kept_frame.lock().unwrap_or_else(|e| e.into_inner());
            match k.take() {
                Some(f) if f.slot == slot && f.at.elapsed() < KEEP_FRAME => Some(f.bytes),
                _ => None,
            }
        };
        let bytes = match kept {
            Some(b) => b,
            None => {
                let t = shared.timeout(timeout_ms);
                let s = slot.clone();
                shared.call(timeout_ms, "frame", move |core| async move {
                    core.frame_with(&s, &CallOptions::timeout(t)).await
                })?
            }
        };
        // SAFETY: checked non-NULL out-parameter.
        unsafe { o.write(bytes.len()) };
        if buf.is_null() || len < bytes.len() {
            let needed = bytes.len();
            let at = std::time::Instant::now();
            *shared.kept_frame.lock().unwrap_or_else(|e| e.into_inner()) = Some(KeptFrame { slot, bytes, at });
            return Err(FfiError::new(
                tc_status::BufferTooSmall,
                format!("the frame is {needed} bytes; the buffer holds {len} (the frame is kept for the next call)"),
            ));
        }
        // SAFETY: `buf` is writable for `len` >= `bytes.len()` bytes (header contract).
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), buf, bytes.len()) };
        Ok(())
    })
}

/// Answers incoming calls and invitations (`inviteReceived`) from now on, by `mode` (a
/// `tc_auto_answer` value): `accept` for every call (`TC_AUTO_ANSWER_ALL`), none
/// (`TC_AUTO_ANSWER_NOBODY`: `reject` them all), or the `count` peers in `peers` (PeerIds or
/// CallIds; a bare name matches any server) with the rest rejected (`TC_AUTO_ANSWER_LIST`).
/// `TC_AUTO_ANSWER_OFF` stops. What it does shows as the usual events (`conferenceCreated`,
/// `rejectSent`). Replaces any earlier setting. The setting belongs to the client: it answers
/// on the current connection (across automatic reconnects) and again after every later
/// `tc_client_connect`, until changed; made while disconnected, it starts with the next
/// connection.
#[no_mangle]
pub extern "C" fn tc_client_auto_answer(
    client: *const crate::client::tc_client,
    mode: i32,
    peers: *const *const c_char,
    count: usize,
) -> tc_status {
    ffi_status(|| {
        let c = client_ref(client)?;
        let policy = match mode {
            0 => None,
            1 => Some(AutoAnswerPolicy::All),
            2 => Some(AutoAnswerPolicy::Nobody),
            // SAFETY: header contract: `count` valid strings.
            3 => Some(AutoAnswerPolicy::Only(unsafe { c_str_array(peers, count, "peers") }?)),
            other => {
                return Err(FfiError::invalid(format!("unknown auto-answer mode {other} (a tc_auto_answer value)")))
            }
        };
        let shared = c.shared();
        *shared.auto_answer_policy.lock().unwrap_or_else(|e| e.into_inner()) = policy;
        shared.restart_auto_answer();
        Ok(())
    })
}
