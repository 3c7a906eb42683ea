//! The panic boundary. Unwinding into C is undefined behaviour, so every export runs its body
//! through [`ffi_guard`] (values) or [`ffi_status`] (fallible calls): a panic becomes a value
//! the caller can see (`TC_STATUS_PANIC`, NULL, 0) and a last-error message.

use crate::error::{set_last_error, FfiError};
use crate::status::tc_status;
use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// What an export returns when its body panicked.
pub(crate) trait OnPanic {
    fn on_panic() -> Self;
}

impl OnPanic for tc_status {
    fn on_panic() -> Self {
        tc_status::Panic
    }
}

impl<T> OnPanic for *const T {
    fn on_panic() -> Self {
        std::ptr::null()
    }
}

impl<T> OnPanic for *mut T {
    fn on_panic() -> Self {
        std::ptr::null_mut()
    }
}

impl OnPanic for () {
    fn on_panic() -> Self {}
}

macro_rules! zero_on_panic {
    ($($t:ty),*) => { $(impl OnPanic for $t { fn on_panic() -> Self { 0 } })* };
}
zero_on_panic!(i32, u32, i64, u64, usize);

fn panic_text(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic payload".to_owned())
}

/// Runs an export's body; a panic returns `R::on_panic()` and is recorded as the last error.
///
/// The closure is asserted unwind-safe: after a panic the library only guarantees it did not
/// unwind into the caller, which is all `catch_unwind` is for here.
pub(crate) fn ffi_guard<R: OnPanic>(f: impl FnOnce() -> R) -> R {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            set_last_error(&format!("internal error (panic): {}", panic_text(&*payload)));
            R::on_panic()
        }
    }
}

/// Runs a fallible export's body: `Ok` is `TC_STATUS_OK`, an error is recorded as the calling
/// thread's last error and its status returned.
pub(crate) fn ffi_status(f: impl FnOnce() -> Result<(), FfiError>) -> tc_status {
    ffi_guard(|| match f() {
        Ok(()) => tc_status::Ok,
        Err(e) => e.record(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_status_and_a_message() {
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let s = ffi_status(|| panic!("boom"));
        std::panic::set_hook(hook);
        assert_eq!(s, tc_status::Panic);
        assert!(crate::error::last_error().contains("boom"));
        let p: *const u8 = ffi_guard(|| panic!("again"));
        assert!(p.is_null());
    }
}
