//! Errors as C sees them: a status plus a message kept per thread until the next failure.
//!
//! The message is copied into a caller buffer (`tc_last_error`) rather than handed out as a
//! pointer, so hosts such as Delphi, VB or C# never have to free anything to read it.

use crate::cast::{copy_to_buffer, non_null_mut};
use crate::panic::ffi_guard;
use crate::status::tc_status;
use std::cell::RefCell;
use std::os::raw::c_char;
use std::time::Duration;
use tcroom_core::{Error, ErrorKind};

/// A failed call: what to return, what to tell, and the room's reply when it refused.
#[derive(Debug, Clone)]
pub(crate) struct FfiError {
    pub status: tc_status,
    pub message: String,
    /// The whole `result:false` reply, for callers that want the room's own fields.
    pub reply: Option<serde_json::Value>,
}

impl FfiError {
    pub fn new(status: tc_status, message: impl Into<String>) -> Self {
        FfiError { status, message: message.into(), reply: None }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(tc_status::InvalidArgument, message)
    }

    pub fn closed() -> Self {
        Self::new(tc_status::Closed, "the client is being freed")
    }

    pub fn timeout(what: &str, after: Duration) -> Self {
        Error::Timeout { method: what.to_owned(), after }.into()
    }

    pub fn not_connected() -> Self {
        Self::new(tc_status::Disconnected, "not connected: call tc_client_connect first")
    }

    /// Stores the message as the calling thread's last error and returns the status.
    pub fn record(self) -> tc_status {
        set_last_error(&self.message);
        self.status
    }

    /// The text a callback is given: the room's own words for a refusal, else the message.
    pub fn short_message(&self) -> String {
        self.reply
            .as_ref()
            .and_then(|r| r.get("error"))
            .and_then(|e| e.as_str())
            .map_or_else(|| self.message.clone(), str::to_owned)
    }
}

impl From<Error> for FfiError {
    fn from(e: Error) -> Self {
        let status = match e.kind() {
            ErrorKind::InvalidArgument => tc_status::InvalidArgument,
            ErrorKind::Connection => tc_status::Connection,
            ErrorKind::Auth => tc_status::Auth,
            ErrorKind::Timeout => tc_status::Timeout,
            ErrorKind::Disconnected => tc_status::Disconnected,
            ErrorKind::Refused => tc_status::Refused,
            ErrorKind::Protocol => tc_status::Protocol,
            ErrorKind::Closed => tc_status::Closed,
        };
        let reply = match &e {
            Error::Refused { raw, .. } => Some(raw.clone()),
            _ => None,
        };
        FfiError { status, message: e.to_string(), reply }
    }
}

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

pub(crate) fn set_last_error(message: &str) {
    // A message with NUL would be cut short in C; keep what C can show.
    let clean = message.replace('\0', "\u{FFFD}");
    // `try_with`: during thread teardown the slot may be gone, and losing a message then is fine.
    let _ = LAST_ERROR.try_with(|slot| *slot.borrow_mut() = clean);
}

pub(crate) fn last_error() -> String {
    LAST_ERROR.try_with(|slot| slot.borrow().clone()).unwrap_or_default()
}

/// Copies the message of the calling thread's most recent failed `tc_` call into `buf`
/// (`len` bytes, NUL-terminated, truncated at a UTF-8 boundary if needed) and writes its full
/// length without the NUL to `*out_len` when `out_len` is not NULL. The message is empty when
/// nothing has failed on this thread yet. Successful calls do not clear it; this call never
/// changes it. `buf` may be NULL when `len` is 0, to ask for the length.
///
/// Returns `TC_STATUS_OK`, or `TC_STATUS_BUFFER_TOO_SMALL` when the message was truncated.
#[no_mangle]
pub extern "C" fn tc_last_error(buf: *mut c_char, len: usize, out_len: *mut usize) -> tc_status {
    ffi_guard(|| {
        let message = last_error();
        // SAFETY: the caller passes a writable buffer of `len` bytes (or NULL with 0) and an
        // optional writable `size_t`, as the header documents.
        unsafe {
            if let Ok(out) = non_null_mut(out_len, "out_len") {
                out.as_ptr().write(message.len());
            }
            match copy_to_buffer(&message, buf, len) {
                Ok(()) => tc_status::Ok,
                // Not recorded: reading the last error must not replace it.
                Err(e) => e.status,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_keep_the_reply_and_the_rooms_words() {
        let raw = serde_json::json!({"method":"x","result":false,"error":"not now"});
        let e: FfiError = Error::Refused { method: "x".into(), message: "not now".into(), raw }.into();
        assert_eq!(e.status, tc_status::Refused);
        assert_eq!(e.short_message(), "not now");
        assert!(e.message.contains("refused"));
    }

    #[test]
    fn last_error_round_trips_and_truncates() {
        assert_eq!(FfiError::invalid("bad \0 thing").record(), tc_status::InvalidArgument);
        let mut n = 0usize;
        assert_eq!(tc_last_error(std::ptr::null_mut(), 0, &mut n), tc_status::BufferTooSmall);
        assert_eq!(n, "bad \u{FFFD} thing".len());
        let mut buf = [0 as c_char; 5];
        assert_eq!(tc_last_error(buf.as_mut_ptr(), buf.len(), &mut n), tc_status::BufferTooSmall);
        let got = unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap();
        assert_eq!(got, "bad ");
        // Reading did not replace the message.
        assert!(last_error().starts_with("bad"));
    }
}
