//! `tc_client`: the lifecycle (new, connect, close, free) and the plumbing every call shares:
//! the connection slot, time-outs, cancellation at free, and tasks that post to the dispatcher.

use crate::cast::{as_ref, from_raw, into_raw, out};
use crate::dispatcher;
use crate::error::FfiError;

use crate::hub::Hub;
use crate::options::{self, tc_client_options};
use crate::panic::ffi_status;
use crate::runtime;
use crate::status::tc_status;
use crate::strings::string_into_raw;
use std::future::Future;
use std::os::raw::{c_char, c_int};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Wake, Waker};
use std::thread::JoinHandle;
use std::time::Duration;
use tcroom_core::{Client, EventQueue};
use tokio::runtime::Handle;
use tokio::sync::watch;

/// Connect time-out when the caller passes 0.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long `tc_client_free` waits for the room to acknowledge the close frame.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Plain data behind these locks stays valid if a holder panicked.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// What tasks, blocking calls and the dispatcher share. Tasks hold it by `Arc`, so it outlives
/// the `tc_client` only until they have ended, which `tc_client_free` waits for.
pub(crate) struct Shared {
    pub(crate) rt: Handle,
    pub(crate) options: tc_client_options,
    pub(crate) hub: Arc<Hub>,
    conn: Mutex<Option<Client>>,
    connecting: AtomicBool,
    /// Becomes `true` when `tc_client_free` begins: every pending call ends with `CLOSED`.
    closing: watch::Sender<bool>,
    /// A frame fetched for a caller whose buffer was too small, kept for its next call.
    pub(crate) kept_frame: Mutex<Option<KeptFrame>>,
    /// What `tc_client_auto_answer` asked for: started on this connection and every later one.
    pub(crate) auto_answer_policy: Mutex<Option<tcroom_core::AutoAnswerPolicy>>,
    /// The auto-answer running on the current connection, if any.
    pub(crate) auto_answer: Mutex<Option<tcroom_core::AutoAnswer>>,
}

/// A frame a caller's buffer was too small for, with the slot and the time it was fetched.
pub(crate) struct KeptFrame {
    pub(crate) slot: String,
    pub(crate) bytes: Vec<u8>,
    pub(crate) at: std::time::Instant,
}

impl Shared {
    /// Starts the auto-answer asked for on the current connection (stopping the one running).
    pub(crate) fn restart_auto_answer(&self) {
        let policy = lock(&self.auto_answer_policy).clone();
        let running = match (policy, lock(&self.conn).clone()) {
            (Some(p), Some(core)) => {
                let _context = self.rt.enter();
                Some(core.auto_answer(p))
            }
            _ => None,
        };
        let old = std::mem::replace(&mut *lock(&self.auto_answer), running);
        drop(old);
    }

    /// What belonged to the connection that ends: its kept frame and its auto-answer.
    fn forget_connection(&self) {
        lock(&self.kept_frame).take();
        drop(lock(&self.auto_answer).take());
    }
}

/// Ends a future with `TIMEOUT` after `t`, naming `what` in the message.
pub(crate) async fn bounded<T>(
    t: Duration,
    what: &str,
    fut: impl Future<Output = tcroom_core::Result<T>>,
) -> Result<T, FfiError> {
    match tokio::time::timeout(t, fut).await {
        Ok(r) => r.map_err(FfiError::from),
        Err(_) => Err(FfiError::timeout(what, t)),
    }
}

/// Decrements the task count however the task ends (completed, or dropped unpolled).
struct TaskGuard(Arc<Hub>);

impl Drop for TaskGuard {
    fn drop(&mut self) {
        self.0.task_finished();
    }
}

impl Shared {
    /// The live connection, or `DISCONNECTED` before the first connect.
    pub(crate) fn core(&self) -> Result<Client, FfiError> {
        lock(&self.conn).clone().ok_or_else(FfiError::not_connected)
    }

    /// A caller's time-out: 0 (`TC_TIMEOUT_DEFAULT`) means the options' request time-out.
    pub(crate) fn timeout(&self, timeout_ms: u32) -> Duration {
        if timeout_ms == 0 {
            self.options.request_timeout
        } else {
            Duration::from_millis(u64::from(timeout_ms))
        }
    }

    /// Runs `fut` unless and until `tc_client_free` begins, which ends it with `CLOSED`.
    pub(crate) async fn cancellable<T>(&self, fut: impl Future<Output = Result<T, FfiError>>) -> Result<T, FfiError> {
        let mut closing = self.closing.subscribe();
        let result = tokio::select! {
            biased;
            _ = closing.wait_for(|c| *c) => Err(FfiError::closed()),
            r = fut => r,
        };
        // `free` may begin while `fut` runs its last steps within the same poll (after the check
        // above): a failure then is the free's doing (its close of the socket), so report it as
        // such. A success that won the race stays a success.
        match result {
            Err(e) if e.status != tc_status::Closed && *self.closing.borrow() => Err(FfiError::closed()),
            other => other,
        }
    }

    /// Runs `fut` on the calling thread until it completes or the client is freed.
    pub(crate) fn block<T>(&self, fut: impl Future<Output = Result<T, FfiError>>) -> Result<T, FfiError> {
        runtime::block_on(&self.rt, self.cancellable(fut))?
    }

    /// The shape of every blocking command: take the connection with the caller's time-out
    /// (the core applies it to each reply), bound the whole call by it too, and block.
    pub(crate) fn call<T, F, Fut>(&self, timeout_ms: u32, what: &str, f: F) -> Result<T, FfiError>
    where
        F: FnOnce(Client) -> Fut,
        Fut: Future<Output = tcroom_core::Result<T>>,
    {
        let t = self.timeout(timeout_ms);
        let client = self.core()?.with_timeout(t);
        self.block(bounded(t, what, f(client)))
    }

    /// Starts a task that `tc_client_free` will wait for (it must end once the client is
    /// closing: wrap its work in [`cancellable`](Self::cancellable)). Its first steps run on the
    /// calling thread, so that what it can do at once (sending a request, above all) is done
    /// before this returns; each later step runs on the client's dispatcher thread when the task
    /// is woken. A task of a callback API ends in a callback, which runs on that thread anyway:
    /// the reply's wake-up goes straight to the thread that calls back (one thread wake-up, as
    /// for a blocking call), instead of through a runtime worker that then wakes the dispatcher.
    /// Its steps are short (no blocking), so events and other callbacks wait no longer than
    /// they would behind any callback.
    pub(crate) fn spawn_eager(&self, fut: impl Future<Output = ()> + Send + 'static) {
        self.hub.task_started();
        let guard = TaskGuard(self.hub.clone());
        let task: Task = Box::pin(async move {
            let _guard = guard;
            fut.await
        });
        let driven = Arc::new(Driven {
            task: Mutex::new(Some(task)),
            queued: AtomicBool::new(false),
            hub: self.hub.clone(),
            rt: self.rt.clone(),
        });
        driven.step();
    }
}

type Task = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A task of [`Shared::spawn_eager`]: polled where it is woken from no more, but on the
/// dispatcher thread, one step per wake-up.
struct Driven {
    /// `None` once it has ended.
    task: Mutex<Option<Task>>,
    /// A step is queued on the dispatcher: more wake-ups before it runs add nothing.
    queued: AtomicBool,
    hub: Arc<Hub>,
    rt: Handle,
}

impl Driven {
    /// Polls the task once (on whichever thread calls: the caller's first, the dispatcher's then).
    fn step(self: &Arc<Self>) {
        // Cleared before the poll: a wake-up during it queues the next step.
        self.queued.store(false, Ordering::Release);
        let mut slot = lock(&self.task);
        let Some(task) = slot.as_mut() else { return };
        let waker = Waker::from(self.clone());
        let mut cx = Context::from_waker(&waker);
        let polled = {
            // Timers and sockets need the runtime's context. Entering it is allowed on any
            // thread, also one that runs another runtime (where `block_on` would panic).
            let _context = self.rt.enter();
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| task.as_mut().poll(&mut cx)))
        };
        // Ended, or panicked (never to be polled again): dropped now, which tells
        // `tc_client_free` it has ended.
        if !matches!(polled, Ok(std::task::Poll::Pending)) {
            let done = slot.take();
            drop(slot);
            drop(done);
        }
    }
}

impl Wake for Driven {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if !self.queued.swap(true, Ordering::AcqRel) {
            let me = self.clone();
            // After `tc_client_free` has stopped the dispatcher nothing is posted, but no task
            // is left by then: free waits for them all first.
            self.hub.post(Box::new(move || me.step()));
        }
    }
}

/// A client (opaque): one connection to a room at a time, its event queue and its
/// dispatcher thread. Thread-safe: every function taking `const tc_client*` may be called
/// from any thread, including from the client's own callbacks.
pub struct tc_client {
    shared: Arc<Shared>,
    dispatcher: Mutex<Option<JoinHandle<()>>>,
}

impl tc_client {
    pub(crate) fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    fn connect(&self, timeout_ms: u32) -> Result<(), FfiError> {
        let shared = &self.shared;
        if shared.connecting.swap(true, Ordering::SeqCst) {
            return Err(FfiError::new(tc_status::Busy, "another tc_client_connect is in progress"));
        }
        struct Reset<'a>(&'a AtomicBool);
        impl Drop for Reset<'_> {
            fn drop(&mut self) {
                self.0.store(false, Ordering::SeqCst);
            }
        }
        let _reset = Reset(&shared.connecting);
        if lock(&shared.conn).as_ref().is_some_and(Client::is_connected) {
            return Err(FfiError::new(tc_status::Busy, "already connected: call tc_client_close first"));
        }
        let t = if timeout_ms == 0 { DEFAULT_CONNECT_TIMEOUT } else { Duration::from_millis(u64::from(timeout_ms)) };
        let opts = shared.options.to_core(t);
        let queue = shared.hub.queue.clone();
        // The core bounds the whole connect by `t` and says which step ran out of time; the
        // outer bound is only a safety net, so it must not win that race.
        let net = t + Duration::from_millis(500);
        match shared.block(bounded(net, "connect", Client::connect_with_queue(opts, queue))) {
            Ok(client) => {
                let old = lock(&shared.conn).replace(client);
                drop(old);
                shared.forget_connection();
                shared.restart_auto_answer();
                Ok(())
            }
            Err(e) => {
                // No connection delivers into the queue: once empty, a poll says so at once.
                shared.hub.queue.end();
                Err(e)
            }
        }
    }

    fn close(&self) -> Result<(), FfiError> {
        self.shared.forget_connection();
        let client = lock(&self.shared.conn).clone();
        match client {
            Some(c) => self.shared.block(async move {
                c.close().await;
                Ok(())
            }),
            None => Ok(()),
        }
    }

    /// Everything `tc_client_free` does before the memory goes, in the documented order.
    fn shut_down(&self) {
        let shared = &self.shared;
        shared.closing.send_replace(true);
        shared.hub.begin_close();
        // Holds a handle on the connection: it goes first.
        drop(lock(&shared.auto_answer).take());
        let conn = lock(&shared.conn).take();
        if let Some(c) = conn {
            // Best effort: a polite close frame. Dropping the client closes the socket anyway.
            let _ = runtime::block_on(&shared.rt, async move {
                let _ = tokio::time::timeout(CLOSE_GRACE, c.close()).await;
            });
        }
        shared.hub.wait_tasks();
        shared.hub.stop();
        if let Some(handle) = lock(&self.dispatcher).take() {
            // A panic on the dispatcher was already contained per job; nothing to report.
            let _ = handle.join();
        }
        // After the last callback: the event callback's free_user_data runs here, once.
        drop(shared.hub.take_callback());
        shared.hub.finish();
    }
}

/// Makes a client from `options` (copied; NULL means the defaults). No connection yet:
/// register an event callback first if you want one, then `tc_client_connect`. Starts the
/// client's dispatcher thread.
#[no_mangle]
pub extern "C" fn tc_client_new(options: *const tc_client_options, out_client: *mut *mut tc_client) -> tc_status {
    ffi_status(|| {
        let o = out(out_client, "out_client")?;
        let opts = if options.is_null() { tc_client_options::default() } else { options::read(options)? };
        let queue = EventQueue::new(opts.event_capacity, opts.event_max_bytes).map_err(FfiError::from)?;
        let rt = runtime::acquire()?;
        let hub = Hub::new(queue);
        let (closing, _) = watch::channel(false);
        let handle = match dispatcher::start(hub.clone()) {
            Ok(h) => h,
            Err(e) => {
                runtime::release();
                return Err(e);
            }
        };
        let client = tc_client {
            dispatcher: Mutex::new(Some(handle)),
            shared: Arc::new(Shared {
                rt,
                options: opts,
                hub,
                conn: Mutex::new(None),
                connecting: AtomicBool::new(false),
                closing,
                kept_frame: Mutex::new(None),
                auto_answer_policy: Mutex::new(None),
                auto_answer: Mutex::new(None),
            }),
        };
        // SAFETY: checked non-NULL out-parameter.
        unsafe { o.write(into_raw(client)) };
        Ok(())
    })
}

/// Connects and authorizes, blocking up to `timeout_ms` (0: 10 s): discovery through the
/// web port unless a WebSocket port is set, then `auth` with the PIN or unsecured. Events
/// are captured from the moment the socket opens. `TC_STATUS_BUSY` when already connected;
/// after a disconnection (or `tc_client_close`) it connects again.
#[no_mangle]
pub extern "C" fn tc_client_connect(client: *const tc_client, timeout_ms: u32) -> tc_status {
    ffi_status(|| {
        // SAFETY: header contract for handles.
        unsafe { as_ref(client, "client") }?.connect(timeout_ms)
    })
}

/// Closes the connection (blocking briefly for the close frame). Pending calls fail with
/// `TC_STATUS_DISCONNECTED`, and the `disconnected` event is queued. The client can connect
/// again. Closing a client that is not connected does nothing.
#[no_mangle]
pub extern "C" fn tc_client_close(client: *const tc_client) -> tc_status {
    ffi_status(|| {
        // SAFETY: header contract for handles.
        unsafe { as_ref(client, "client") }?.close()
    })
}

/// 1 while connected, else 0 (also for NULL).
#[no_mangle]
pub extern "C" fn tc_client_is_connected(client: *const tc_client) -> c_int {
    crate::cast::getter(client, 0, |c| c_int::from(lock(&c.shared.conn).as_ref().is_some_and(Client::is_connected)))
}

/// The live room state as JSON (free with `tc_string_free`), kept current from every event and
/// read again after every (re)connect: `connected`, `authorized`, `app_state`, `in_call`,
/// `http_port`, `conference`, `participants` (with `mic`, `video`, `role`, `broadcast`),
/// `tariff`, `own_peer_id`, `login`, `mic_muted`, `camera_muted`, `speaker_muted`, `volume`,
/// `hardware` (devices present and in use), `video_matrix`, `monitors`, `window`, `ptz`,
/// `incoming_call`, `join_requests`, `podium_invitation`, `podium_requests`, `server_state`,
/// `server`, `content`; `null` (or empty) where the room has not told. With state events on
/// (the default), a `stateChanged` event on the client's queue (`changed`: the parts) says
/// when to read it again; it is current even when the queue dropped events.
#[no_mangle]
pub extern "C" fn tc_client_state_json(client: *const tc_client, out_json: *mut *mut c_char) -> tc_status {
    ffi_status(|| {
        // SAFETY: header contract for handles.
        let c = unsafe { as_ref(client, "client") }?;
        let o = out(out_json, "out_json")?;
        let state = lock(&c.shared.conn).as_ref().map(Client::state).unwrap_or_default();
        let text = serde_json::to_string(&state).map_err(|e| FfiError::new(tc_status::Internal, e.to_string()))?;
        // SAFETY: checked non-NULL out-parameter.
        unsafe { o.write(string_into_raw(&text)) };
        Ok(())
    })
}

/// Frees the client. NULL is ignored. In order: pending calls and polls end with
/// `TC_STATUS_CLOSED`; queued events are dropped; the connection is closed; the final
/// callbacks of pending async calls run (with `TC_STATUS_CLOSED`); the dispatcher thread is
/// joined; the event callback's `free_user_data` runs. When it returns, no callback of this
/// client runs again. From inside any tcroom callback (this client's or another's) it does
/// nothing and returns `TC_STATUS_IN_CALLBACK`: two clients freeing each other from their
/// callbacks would otherwise wait for each other for ever. No other thread may use the client
/// once this is called.
#[no_mangle]
pub extern "C" fn tc_client_free(client: *mut tc_client) -> tc_status {
    ffi_status(|| {
        if client.is_null() {
            return Ok(());
        }
        // SAFETY: a live handle (header contract); only borrowed until `from_raw` below.
        let c = unsafe { as_ref(client.cast_const(), "client") }?;
        // From any client's callback, not only its own: two clients freeing each other from
        // their callbacks would each wait for the other's dispatcher thread for ever.
        if dispatcher::in_callback() {
            return Err(FfiError::new(
                tc_status::InCallback,
                "tc_client_free was called from inside a tcroom callback; free clients from your own threads",
            ));
        }
        c.shut_down();
        // SAFETY: the handle came from `tc_client_new`; the caller gives it up now.
        drop(unsafe { from_raw(client) });
        runtime::release();
        Ok(())
    })
}
