//! The one tokio runtime behind every client: created with the first client, shared, and
//! stopped only by `tc_shutdown` once no client is left.
//!
//! Host threads never become tokio workers: blocking calls `block_on` from the caller's own
//! thread, and callbacks run on each client's dispatcher thread, so user code never runs where
//! a nested `block_on` would panic or starve the reactor.

use crate::error::FfiError;
use crate::panic::ffi_status;
use crate::status::tc_status;
use std::future::Future;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use tokio::runtime::{Builder, Handle, Runtime};

/// Two workers: the library is I/O bound and shares the machine with its host.
const WORKER_THREADS: usize = 2;
/// How long `tc_shutdown` waits for tasks and worker threads to stop.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

struct Global {
    runtime: Option<Runtime>,
    /// Live `tc_client`s: the runtime cannot stop under them.
    clients: usize,
}

static GLOBAL: Mutex<Global> = Mutex::new(Global { runtime: None, clients: 0 });

fn global() -> MutexGuard<'static, Global> {
    // A panic while holding this lock left plain counters behind; they are still usable.
    GLOBAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// A handle for a new client, starting the runtime if needed. Pair with [`release`].
pub(crate) fn acquire() -> Result<Handle, FfiError> {
    let mut g = global();
    let handle = match &g.runtime {
        Some(rt) => rt.handle().clone(),
        None => {
            let rt = Builder::new_multi_thread()
                .worker_threads(WORKER_THREADS)
                .thread_name("tcroom-rt")
                // I/O and timers only: no signal driver, a host's signals are its own business.
                .enable_io()
                .enable_time()
                .build()
                .map_err(|e| FfiError::new(tc_status::Internal, format!("cannot start the runtime: {e}")))?;
            let h = rt.handle().clone();
            g.runtime = Some(rt);
            h
        }
    };
    g.clients += 1;
    Ok(handle)
}

/// The client that [`acquire`]d is gone.
pub(crate) fn release() {
    let mut g = global();
    g.clients = g.clients.saturating_sub(1);
}

/// Whether the calling thread is inside some tokio runtime, where blocking would panic.
fn in_async_context() -> bool {
    Handle::try_current().is_ok()
}

/// Runs `f` to completion on the calling thread, its I/O driven by the shared workers.
pub(crate) fn block_on<F: Future>(handle: &Handle, f: F) -> Result<F::Output, FfiError> {
    if in_async_context() {
        return Err(FfiError::new(
            tc_status::Busy,
            "a blocking tc_ function was called from a thread that runs an async runtime",
        ));
    }
    Ok(handle.block_on(f))
}

/// Stops the library's internal runtime and joins its threads, so that a host (or a leak
/// checker) sees no library thread left. Call it last, after every client has been freed.
/// Returns `TC_STATUS_BUSY` while any client exists. Optional: a process may just exit.
/// The next `tc_client_new` starts a fresh runtime.
#[no_mangle]
pub extern "C" fn tc_shutdown() -> tc_status {
    ffi_status(|| {
        if in_async_context() {
            return Err(FfiError::new(tc_status::Busy, "tc_shutdown was called from an async runtime thread"));
        }
        let runtime = {
            let mut g = global();
            if g.clients > 0 {
                return Err(FfiError::new(
                    tc_status::Busy,
                    format!("{} client(s) still exist: free them first", g.clients),
                ));
            }
            g.runtime.take()
        };
        if let Some(rt) = runtime {
            rt.shutdown_timeout(SHUTDOWN_GRACE);
        }
        Ok(())
    })
}
