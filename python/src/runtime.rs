//! The one tokio runtime of the process, created on first use.
//!
//! A runtime does not survive `fork()`: the child has its memory but none of its threads, and its
//! locks may be held forever by threads that no longer exist. So the runtime and every native
//! object remember the pid that made them; an object from the parent refuses to work in a child
//! (and is leaked rather than dropped there), while new objects in the child get a new runtime.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use tokio::runtime::{Handle, Runtime};

/// Why no runtime can be handed out.
pub enum Unavailable {
    /// [`shutdown`] ran (interpreter exit): nothing may start any more.
    ShutDown,
    Build(String),
}

struct Holder {
    pid: u32,
    runtime: Option<Runtime>,
}

static RUNTIME: Mutex<Option<Holder>> = Mutex::new(None);
static SHUT_DOWN: AtomicBool = AtomicBool::new(false);

/// How long interpreter exit waits for tasks that are mid-poll.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

pub fn pid() -> u32 {
    std::process::id()
}

/// True when an object made in process `owner` is being used in another (a fork child).
pub fn forked(owner: u32) -> bool {
    owner != pid()
}

fn build() -> Result<Runtime, Unavailable> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("tcroom-runtime")
        .enable_all()
        .on_thread_start(crate::logging::attach_to_thread)
        .build()
        .map_err(|e| Unavailable::Build(e.to_string()))
}

/// The runtime of this process, creating it if needed.
pub fn handle() -> Result<Handle, Unavailable> {
    if SHUT_DOWN.load(Ordering::Acquire) {
        return Err(Unavailable::ShutDown);
    }
    let mut slot = RUNTIME.lock().unwrap_or_else(|e| e.into_inner());
    match slot.as_mut() {
        Some(h) if h.pid == pid() => match &h.runtime {
            Some(rt) => return Ok(rt.handle().clone()),
            None => return Err(Unavailable::ShutDown),
        },
        Some(h) => {
            // The parent's runtime: its threads are gone in this child, so it cannot even be
            // shut down. Leak it and start over.
            if let Some(old) = h.runtime.take() {
                std::mem::forget(old);
            }
        }
        None => {}
    }
    let rt = build()?;
    let handle = rt.handle().clone();
    *slot = Some(Holder { pid: pid(), runtime: Some(rt) });
    Ok(handle)
}

/// Stops the runtime: tasks are dropped, which closes their sockets. Later calls fail with
/// [`Unavailable::ShutDown`]. Call without holding the GIL: a task may be waiting for it.
pub fn shutdown() {
    SHUT_DOWN.store(true, Ordering::Release);
    let holder = RUNTIME.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(mut h) = holder {
        if let Some(rt) = h.runtime.take() {
            if h.pid == pid() {
                rt.shutdown_timeout(SHUTDOWN_GRACE);
            } else {
                std::mem::forget(rt);
            }
        }
    }
}

/// Drops `value` somewhere safe: on a runtime thread (never with the GIL held, since dropping a
/// connection or an emulator takes locks that a task may hold while it waits for the GIL), or
/// not at all in a fork child, where its locks may belong to threads that no longer exist.
pub fn dispose<T: Send + 'static>(owner: u32, value: T) {
    if forked(owner) {
        std::mem::forget(value);
        return;
    }
    match handle() {
        Ok(h) => {
            h.spawn(async move { drop(value) });
        }
        // No runtime threads left: nothing can hold those locks any more.
        Err(_) => drop(value),
    }
}
