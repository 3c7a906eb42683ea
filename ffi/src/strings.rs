//! Strings handed to C: NUL-terminated copies, owned either by a library object (borrowed
//! `const char*`) or by the caller (`char*` freed with `tc_string_free`).

use crate::cast::free_c_string;
use crate::panic::ffi_guard;
use std::ffi::CString;
use std::os::raw::c_char;

/// A C copy of `s`. JSON text never contains NUL, but field values decoded from it can
/// (`"\u0000"`); C would silently cut them there, so the character is replaced instead.
pub(crate) fn to_cstring(s: &str) -> CString {
    CString::new(s).unwrap_or_else(|_| {
        let clean = s.replace('\0', "\u{FFFD}");
        // No NUL is left, so this cannot fail; an empty string is the harmless fallback.
        CString::new(clean).unwrap_or_default()
    })
}

pub(crate) fn opt_cstring(s: Option<&str>) -> Option<CString> {
    s.map(to_cstring)
}

/// The pointer C sees for an optional string: NULL when absent.
pub(crate) fn opt_ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(std::ptr::null(), |c| c.as_ptr())
}

/// A caller-owned copy of `s`, to be released with `tc_string_free`.
pub(crate) fn string_into_raw(s: &str) -> *mut c_char {
    to_cstring(s).into_raw()
}

/// Frees a string the library returned through a `char**` out-parameter. NULL is ignored.
/// Never pass it to `free()`, and never pass this function a string the library lent
/// (`const char*` results).
#[no_mangle]
pub extern "C" fn tc_string_free(s: *mut c_char) {
    ffi_guard(|| {
        // SAFETY: `s` came from `string_into_raw` (header contract) or is NULL.
        unsafe { free_c_string(s) }
    })
}
