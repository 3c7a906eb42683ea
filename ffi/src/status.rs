//! The one status enum every fallible export returns, and its static descriptions.
//!
//! The codes are generated into the header from this enum alone, so a code cannot be defined
//! twice or drift from its description. New codes go at the end: values are ABI.

use crate::panic::ffi_guard;
use std::os::raw::c_char;

/// Result of every fallible `tc_` function. `TC_STATUS_OK` is 0; the text of the last failure
/// on the calling thread is available from `tc_last_error`.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum tc_status {
    Ok = 0,
    /// An argument has a value the function does not accept (an unknown enum value, a bad JSON
    /// text, an empty title...).
    InvalidArgument = 1,
    /// A required pointer argument was NULL.
    NullPointer = 2,
    /// A string argument is not valid UTF-8.
    InvalidUtf8 = 3,
    /// Discovery or the WebSocket connection failed.
    Connection = 4,
    /// The room rejected the credentials (wrong PIN, password or token).
    Auth = 5,
    /// No answer within the time-out.
    Timeout = 6,
    /// The connection is gone (or was never made): connect again.
    Disconnected = 7,
    /// The room answered `result: false`; its own error text is in the message.
    Refused = 8,
    /// The room sent something that does not follow the protocol.
    Protocol = 9,
    /// The client is being freed: pending work ends with this status.
    Closed = 10,
    /// The call is not allowed from inside this client's own callback (`tc_client_free`).
    InCallback = 11,
    /// The operation conflicts with the client's current mode (polling while a callback is
    /// registered, connecting while connected, shutting down while clients exist).
    Busy = 12,
    /// `tc_client_wake` interrupted `tc_client_next_event`.
    Interrupted = 13,
    /// The caller's buffer was too small; the text was truncated and the needed length reported.
    BufferTooSmall = 14,
    /// The requested field is absent or not of the requested type.
    NotFound = 15,
    /// Not available on this platform.
    Unsupported = 16,
    /// The library could not get a resource it needs (a thread, a socket pair).
    Internal = 17,
    /// A bug: the library panicked. The call had no effect that can be relied on.
    Panic = 18,
}

/// Every status, in code order; `tc_status_str` and the tests walk it.
pub(crate) const ALL: [tc_status; 19] = [
    tc_status::Ok,
    tc_status::InvalidArgument,
    tc_status::NullPointer,
    tc_status::InvalidUtf8,
    tc_status::Connection,
    tc_status::Auth,
    tc_status::Timeout,
    tc_status::Disconnected,
    tc_status::Refused,
    tc_status::Protocol,
    tc_status::Closed,
    tc_status::InCallback,
    tc_status::Busy,
    tc_status::Interrupted,
    tc_status::BufferTooSmall,
    tc_status::NotFound,
    tc_status::Unsupported,
    tc_status::Internal,
    tc_status::Panic,
];

macro_rules! cstr {
    ($s:expr) => {
        concat!($s, "\0")
    };
}

impl tc_status {
    /// The code as an integer, as C sees it.
    pub fn code(self) -> i32 {
        self as i32
    }

    /// Looks a raw integer up; C may pass any value, so this never transmutes.
    pub fn from_code(code: i32) -> Option<tc_status> {
        ALL.iter().copied().find(|s| s.code() == code)
    }

    /// Static, NUL-terminated description.
    pub(crate) fn text(self) -> &'static str {
        match self {
            tc_status::Ok => cstr!("ok"),
            tc_status::InvalidArgument => cstr!("invalid argument"),
            tc_status::NullPointer => cstr!("NULL pointer argument"),
            tc_status::InvalidUtf8 => cstr!("string is not valid UTF-8"),
            tc_status::Connection => cstr!("cannot connect to the room"),
            tc_status::Auth => cstr!("authorization failed"),
            tc_status::Timeout => cstr!("timed out"),
            tc_status::Disconnected => cstr!("not connected"),
            tc_status::Refused => cstr!("the room refused the command"),
            tc_status::Protocol => cstr!("protocol error"),
            tc_status::Closed => cstr!("the client is closed"),
            tc_status::InCallback => cstr!("not allowed inside the client's own callback"),
            tc_status::Busy => cstr!("busy: conflicts with the client's current mode"),
            tc_status::Interrupted => cstr!("interrupted by tc_client_wake"),
            tc_status::BufferTooSmall => cstr!("buffer too small"),
            tc_status::NotFound => cstr!("not found"),
            tc_status::Unsupported => cstr!("not supported on this platform"),
            tc_status::Internal => cstr!("internal resource failure"),
            tc_status::Panic => cstr!("internal error (panic)"),
        }
    }
}

/// A static, NUL-terminated English description of `status` (a `tc_status` value). Never NULL:
/// unknown values give "unknown status". Do not free.
#[no_mangle]
pub extern "C" fn tc_status_str(status: i32) -> *const c_char {
    ffi_guard(|| {
        let text = tc_status::from_code(status).map_or(cstr!("unknown status"), tc_status::text);
        text.as_ptr().cast::<c_char>()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn codes_are_dense_unique_and_in_order() {
        for (i, s) in ALL.iter().enumerate() {
            assert_eq!(s.code(), i as i32, "{s:?}");
            assert_eq!(tc_status::from_code(s.code()), Some(*s));
        }
        assert_eq!(tc_status::from_code(ALL.len() as i32), None);
        assert_eq!(tc_status::from_code(-1), None);
        // A new variant must be added to ALL, or the match in `text` stops compiling while
        // this count silently lies: keep the two in step.
        assert_eq!(tc_status::Panic.code() as usize + 1, ALL.len());
    }

    #[test]
    fn every_status_has_a_distinct_description() {
        let mut seen = std::collections::HashSet::new();
        for s in ALL {
            let p = tc_status_str(s.code());
            let text = unsafe { CStr::from_ptr(p) }.to_str().unwrap();
            assert!(!text.is_empty(), "{s:?}");
            assert!(seen.insert(text.to_owned()), "duplicate description {text}");
        }
        let unknown = unsafe { CStr::from_ptr(tc_status_str(999)) };
        assert_eq!(unknown.to_str().unwrap(), "unknown status");
    }
}
