//! The dispatcher: one plain thread per client that runs every callback of that client, one
//! at a time, in the order they were posted. Callbacks never run on tokio workers, so a
//! callback may call any blocking `tc_` function (which `block_on`s from this thread).

use crate::error::FfiError;
use crate::hub::{Dispatch, Hub};
use crate::panic::ffi_guard;
use crate::status::tc_status;
use std::cell::Cell;
use std::sync::Arc;
use std::thread::JoinHandle;

thread_local! {
    /// On a dispatcher thread, the address of the hub it serves (0 elsewhere). A plain
    /// address in a const-initialized cell: asking costs no allocation on the host's threads,
    /// unlike `std::thread::current()`, whose handle the main thread would never free.
    static SERVING: Cell<usize> = const { Cell::new(0) };
}

/// Whether the calling thread is a dispatcher thread (of any client): we are inside a callback.
pub(crate) fn in_callback() -> bool {
    SERVING.with(|s| s.get() != 0)
}

pub(crate) fn start(hub: Arc<Hub>) -> Result<JoinHandle<()>, FfiError> {
    std::thread::Builder::new()
        .name("tcroom-dispatch".to_owned())
        .spawn(move || {
            SERVING.with(|s| s.set(Arc::as_ptr(&hub) as usize));
            run(&hub)
        })
        .map_err(|e| FfiError::new(tc_status::Internal, format!("cannot start the dispatcher thread: {e}")))
}

fn run(hub: &Hub) {
    loop {
        match hub.next_dispatch() {
            // Each job is contained on its own: one failing job must not silence the rest.
            Dispatch::Job(job) => ffi_guard(job),
            Dispatch::Events(callback, events) => {
                for ev in events {
                    let event = crate::event::tc_event::from_core(ev);
                    ffi_guard(|| callback.call(&event));
                }
                // Dropped here, outside the hub's lock: if the callback was replaced meanwhile,
                // this was the last reference and runs free_user_data.
                drop(callback);
            }
            Dispatch::Exit => return,
        }
    }
}
