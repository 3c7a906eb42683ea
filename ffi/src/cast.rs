//! Every raw-pointer operation of the crate, so that the `unsafe` surface can be read in one
//! place. Each export checks its pointers through [`non_null`] before touching them.
//!
//! Safety contract shared by these helpers: a non-NULL pointer from C points to a valid,
//! properly aligned object of the stated type (for handles: one this library created and has
//! not freed), alive for the duration of the call. NULL is the one invalid value we can detect.

use crate::error::FfiError;
use crate::panic::{ffi_guard, OnPanic};
use crate::status::tc_status;
use std::ffi::CStr;
use std::os::raw::c_char;
use std::ptr::NonNull;

/// The NULL check: every pointer argument goes through here (or [`non_null_mut`]).
pub(crate) fn non_null<T>(p: *const T, name: &str) -> Result<NonNull<T>, FfiError> {
    NonNull::new(p.cast_mut()).ok_or_else(|| FfiError::new(tc_status::NullPointer, format!("'{name}' is NULL")))
}

pub(crate) fn non_null_mut<T>(p: *mut T, name: &str) -> Result<NonNull<T>, FfiError> {
    non_null(p.cast_const(), name)
}

/// Borrows a handle or struct passed by pointer.
///
/// # Safety
/// See the module contract; the borrow must not outlive the call.
pub(crate) unsafe fn as_ref<'a, T>(p: *const T, name: &str) -> Result<&'a T, FfiError> {
    Ok(non_null(p, name)?.as_ref())
}

/// Borrows a handle exclusively (`tc_x*` arguments of setters).
///
/// # Safety
/// See the module contract; no other thread uses the object during the call.
pub(crate) unsafe fn as_mut<'a, T>(p: *mut T, name: &str) -> Result<&'a mut T, FfiError> {
    Ok(non_null_mut(p, name)?.as_mut())
}

/// Borrows a NUL-terminated UTF-8 string argument.
///
/// # Safety
/// See the module contract; `p` is NUL-terminated.
pub(crate) unsafe fn c_str<'a>(p: *const c_char, name: &str) -> Result<&'a str, FfiError> {
    let p = non_null(p, name)?;
    CStr::from_ptr(p.as_ptr())
        .to_str()
        .map_err(|e| FfiError::new(tc_status::InvalidUtf8, format!("'{name}' is not valid UTF-8: {e}")))
}

/// Like [`c_str`], with NULL meaning "not given".
///
/// # Safety
/// See [`c_str`].
pub(crate) unsafe fn opt_c_str<'a>(p: *const c_char, name: &str) -> Result<Option<&'a str>, FfiError> {
    if p.is_null() {
        Ok(None)
    } else {
        c_str(p, name).map(Some)
    }
}

/// `count` strings from a `const char* const*` array; NULL is accepted when `count` is 0.
///
/// # Safety
/// `array` points to `count` valid string pointers.
pub(crate) unsafe fn c_str_array(
    array: *const *const c_char,
    count: usize,
    name: &str,
) -> Result<Vec<String>, FfiError> {
    if count == 0 {
        return Ok(Vec::new());
    }
    let base = non_null(array, name)?;
    (0..count).map(|i| c_str(*base.as_ptr().add(i), &format!("{name}[{i}]")).map(str::to_owned)).collect()
}

/// An out-parameter checked for NULL up front, written only once the call has succeeded.
pub(crate) struct Out<T>(NonNull<T>);

impl<T> Out<T> {
    /// # Safety
    /// The caller passed a pointer to writable storage for a `T` (module contract).
    pub unsafe fn write(self, v: T) {
        self.0.as_ptr().write(v);
    }
}

/// A required out-parameter.
pub(crate) fn out<T>(p: *mut T, name: &str) -> Result<Out<T>, FfiError> {
    non_null_mut(p, name).map(Out)
}

/// An optional out-parameter: NULL means the caller does not want the value.
pub(crate) fn out_opt<T>(p: *mut T) -> Option<Out<T>> {
    NonNull::new(p).map(Out)
}

/// Moves a value to the heap and hands C an owning pointer.
pub(crate) fn into_raw<T>(v: T) -> *mut T {
    Box::into_raw(Box::new(v))
}

/// Takes back a pointer made by [`into_raw`]; NULL gives `None`.
///
/// # Safety
/// `p` came from `into_raw::<T>` and is not used again by the caller.
pub(crate) unsafe fn from_raw<T>(p: *mut T) -> Option<Box<T>> {
    NonNull::new(p).map(|p| Box::from_raw(p.as_ptr()))
}

/// Frees a string made by `CString::into_raw`; NULL is ignored.
///
/// # Safety
/// `p` came from `CString::into_raw` and is not used again.
pub(crate) unsafe fn free_c_string(p: *mut c_char) {
    if let Some(p) = NonNull::new(p) {
        drop(std::ffi::CString::from_raw(p.as_ptr()));
    }
}

/// Copies `s` into a caller buffer of `len` bytes, always NUL-terminated when `len > 0`.
/// Truncation keeps whole UTF-8 characters and reports `TC_STATUS_BUFFER_TOO_SMALL`.
///
/// # Safety
/// `buf` is writable for `len` bytes, or NULL with `len == 0`.
pub(crate) unsafe fn copy_to_buffer(s: &str, buf: *mut c_char, len: usize) -> Result<(), FfiError> {
    let too_small = || FfiError::new(tc_status::BufferTooSmall, format!("{} bytes needed, {len} given", s.len() + 1));
    if len == 0 {
        return Err(too_small());
    }
    let buf = non_null_mut(buf, "buf")?;
    let mut n = s.len().min(len - 1);
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    std::ptr::copy_nonoverlapping(s.as_ptr(), buf.as_ptr().cast::<u8>(), n);
    buf.as_ptr().add(n).write(0);
    if n < s.len() {
        Err(too_small())
    } else {
        Ok(())
    }
}

/// Reads a versioned struct whose first field is its `size_t struct_size`: C says how many
/// bytes it has; fields past that keep the values of `defaults`, so a binary built against an
/// older header still works. Sizes below `min_size` (the first published layout) are refused.
///
/// # Safety
/// `p` points to at least `struct_size` readable bytes; `T` is plain data (integers and raw
/// pointers only), so any bytes are a valid `T`.
pub(crate) unsafe fn read_versioned<T: Copy>(
    p: *const T,
    name: &str,
    min_size: usize,
    defaults: T,
) -> Result<T, FfiError> {
    let p = non_null(p, name)?;
    let struct_size = p.cast::<usize>().as_ptr().read();
    if struct_size < min_size {
        return Err(FfiError::invalid(format!(
            "{name}->struct_size is {struct_size}, at least {min_size} expected: initialize the struct with its _init function"
        )));
    }
    let mut v = defaults;
    let n = struct_size.min(std::mem::size_of::<T>());
    std::ptr::copy_nonoverlapping(p.as_ptr().cast::<u8>(), (&mut v as *mut T).cast::<u8>(), n);
    Ok(v)
}

/// Writes the first `struct_size` bytes of `v` to `p` (an older caller's smaller struct).
///
/// # Safety
/// `p` points to at least `struct_size` writable bytes.
pub(crate) unsafe fn write_versioned<T: Copy>(p: *mut T, struct_size: usize, v: T) {
    let n = struct_size.min(std::mem::size_of::<T>());
    std::ptr::copy_nonoverlapping((&v as *const T).cast::<u8>(), p.cast::<u8>(), n);
}

/// A C `void* user_data`, carried to the thread that runs the callback.
#[derive(Clone, Copy)]
pub(crate) struct UserData(pub *mut std::ffi::c_void);

// SAFETY: the header tells callers that user data is handed to the library's dispatcher
// thread; the library itself never dereferences it.
unsafe impl Send for UserData {}
unsafe impl Sync for UserData {}

impl UserData {
    /// The pointer, taken through a method so that closures capture the whole `Send` wrapper
    /// (edition 2021 closures would otherwise capture the bare field).
    pub(crate) fn ptr(self) -> *mut std::ffi::c_void {
        self.0
    }
}

/// The boundary of an infallible accessor: `f` reads the object; NULL (or a panic) gives
/// `absent`. Accessors have no status to return, so a NULL handle is not an error for them.
pub(crate) fn getter<T, R: OnPanic>(p: *const T, absent: R, f: impl FnOnce(&T) -> R) -> R {
    ffi_guard(|| match non_null(p, "handle") {
        // SAFETY: module contract: a non-NULL handle is a live object of this library.
        Ok(p) => f(unsafe { p.as_ref() }),
        Err(_) => absent,
    })
}
