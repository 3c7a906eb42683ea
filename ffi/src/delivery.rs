//! How events reach the host, over the client's one queue: a callback on the dispatcher
//! thread, or a poll (`tc_client_next_event`) with a descriptor for event loops and a wake
//! call. While a callback is registered it takes every event and polling is refused, so no
//! event is ever seen twice or by nobody.

use crate::cast::{as_ref, into_raw, out, UserData};
use crate::client::tc_client;
use crate::event::tc_event;
use crate::hub::EventCallback;
use crate::panic::ffi_status;
use std::ffi::c_void;
use std::sync::Arc;
use std::time::Duration;

/// Wait without limit in `tc_client_next_event`.
pub const TC_WAIT_FOREVER: u32 = u32::MAX;

/// Receives one event on the client's dispatcher thread. `event` is lent for the call only
/// (`tc_event_copy` keeps it).
pub type tc_event_callback = Option<unsafe extern "C" fn(user_data: *mut c_void, event: *const tc_event)>;

/// Releases user data once the library no longer needs it.
pub type tc_free_user_data = Option<unsafe extern "C" fn(user_data: *mut c_void)>;

fn client<'a>(p: *const tc_client) -> Result<&'a tc_client, crate::error::FfiError> {
    // SAFETY: header contract for handles.
    unsafe { as_ref(p, "client") }
}

/// Registers `callback` to receive every event, on the client's dispatcher thread, in order;
/// events already queued are delivered first. NULL `callback` unregisters, and events queue
/// up for `tc_client_next_event` again. The previous registration's `free_user_data` (if any)
/// runs once, after its last callback has returned; the new one's runs at the next
/// replacement or in `tc_client_free`. May be called from inside a callback.
#[no_mangle]
pub extern "C" fn tc_client_set_event_callback(
    client: *const tc_client,
    callback: tc_event_callback,
    user_data: *mut c_void,
    free_user_data: tc_free_user_data,
) -> crate::status::tc_status {
    ffi_status(|| {
        let c = self::client(client)?;
        let new =
            callback.map(|cb| Arc::new(EventCallback { callback: cb, user_data: UserData(user_data), free_user_data }));
        let old = c.shared().hub.set_callback(new);
        // Outside the hub's lock: this may run the old free_user_data.
        drop(old);
        Ok(())
    })
}

/// Takes the next event into `*out_event` (free it with `tc_event_free`), waiting up to
/// `timeout_ms` (0: do not wait; `TC_WAIT_FOREVER`: no limit). Returns `TC_STATUS_TIMEOUT`
/// when none came, `TC_STATUS_INTERRUPTED` after `tc_client_wake`, `TC_STATUS_DISCONNECTED`
/// at once when the queue is empty and no connection is up (so a loop ends after the
/// `disconnected` event), `TC_STATUS_BUSY` while an event callback is registered, and
/// `TC_STATUS_CLOSED` once `tc_client_free` has begun.
#[no_mangle]
pub extern "C" fn tc_client_next_event(
    client: *const tc_client,
    timeout_ms: u32,
    out_event: *mut *mut tc_event,
) -> crate::status::tc_status {
    ffi_status(|| {
        let c = self::client(client)?;
        let o = out(out_event, "out_event")?;
        let timeout = (timeout_ms != TC_WAIT_FOREVER).then(|| Duration::from_millis(u64::from(timeout_ms)));
        let ev = c.shared().hub.next_event(timeout)?;
        // SAFETY: checked non-NULL out-parameter.
        unsafe { o.write(into_raw(ev)) };
        Ok(())
    })
}

/// Makes the current (or next) `tc_client_next_event` of this client return
/// `TC_STATUS_INTERRUPTED`, and the event descriptor readable until then. Any thread may call
/// it (not a signal handler: it takes a lock).
#[no_mangle]
pub extern "C" fn tc_client_wake(client: *const tc_client) -> crate::status::tc_status {
    ffi_status(|| {
        self::client(client)?.shared().hub.wake();
        Ok(())
    })
}

/// Writes a descriptor to `*out_fd` that is readable exactly while `tc_client_next_event`
/// would return at once (an event waits, or a wake is pending): add it to select/poll/epoll
/// (level-triggered), a QSocketNotifier or a GSource, then call `tc_client_next_event` with
/// timeout 0. Owned by the client: do not read, write or close it. POSIX only
/// (`TC_STATUS_UNSUPPORTED` elsewhere).
#[no_mangle]
pub extern "C" fn tc_client_event_fd(client: *const tc_client, out_fd: *mut i32) -> crate::status::tc_status {
    ffi_status(|| {
        let c = self::client(client)?;
        let o = out(out_fd, "out_fd")?;
        let fd = c.shared().hub.event_fd()?;
        // SAFETY: checked non-NULL out-parameter.
        unsafe { o.write(fd) };
        Ok(())
    })
}
