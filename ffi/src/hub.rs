//! The meeting point of one client's threads: the jobs for its dispatcher thread, the
//! registered event callback and the count of its running tasks, under one mutex with one
//! condition variable; and the client's event queue, which is the core's own
//! ([`EventQueue`]: bounded, drop-oldest, `eventsLost` where the gap is). This face only
//! converts events to `tc_event` and routes them to the callback or the poll.
//!
//! Nothing here calls user code while a lock is held: callbacks, and the `free_user_data`
//! that dropping an [`EventCallback`] runs, are always invoked after the guard is gone. The
//! queue's readiness listener runs under the queue's lock and takes the descriptor's and then
//! the hub's lock; nothing takes the queue's lock while holding either, so the order is fixed.

use crate::cast::UserData;
use crate::error::FfiError;
use crate::event::tc_event;
use crate::status::tc_status;
use crate::wakefd::WakeFd;
use std::collections::VecDeque;
use std::ffi::c_void;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::time::Duration;
use tcroom_core::{Event, EventQueue, Pop};

/// Work for the dispatcher thread: one callback invocation, already bound to its arguments.
pub(crate) type Job = Box<dyn FnOnce() + Send>;

/// How many events the dispatcher takes from the queue at once.
const BATCH: usize = 64;

/// A registered event callback. Dropping the last reference calls `free_user_data` once.
pub(crate) struct EventCallback {
    pub callback: unsafe extern "C" fn(*mut c_void, *const tc_event),
    pub user_data: UserData,
    pub free_user_data: Option<unsafe extern "C" fn(*mut c_void)>,
}

impl EventCallback {
    pub(crate) fn call(&self, ev: &tc_event) {
        // SAFETY: a function pointer and user data the host registered for exactly this call.
        unsafe { (self.callback)(self.user_data.0, ev) }
    }
}

impl Drop for EventCallback {
    fn drop(&mut self) {
        if let Some(free) = self.free_user_data {
            // SAFETY: as registered; the header promises exactly one call after the last use.
            unsafe { free(self.user_data.0) }
        }
    }
}

/// What the dispatcher thread does next.
pub(crate) enum Dispatch {
    Job(Job),
    Events(Arc<EventCallback>, Vec<Arc<Event>>),
    Exit,
}

struct State {
    jobs: VecDeque<Job>,
    callback: Option<Arc<EventCallback>>,
    /// `tc_client_free` has begun: polls fail with `CLOSED`, events are no longer delivered.
    closing: bool,
    /// The dispatcher exits once its jobs are done.
    stopped: bool,
    /// Spawned tasks that may still post jobs.
    tasks: usize,
    /// Counts the queue becoming ready, so that the dispatcher never sleeps through one.
    signals: u64,
}

pub(crate) struct Hub {
    state: Mutex<State>,
    cond: Condvar,
    pub(crate) queue: Arc<EventQueue>,
    fd: Mutex<Option<WakeFd>>,
}

impl Hub {
    pub(crate) fn new(queue: Arc<EventQueue>) -> Arc<Hub> {
        // No connection yet: a poll says so at once rather than waiting.
        queue.end();
        let hub = Arc::new(Hub {
            state: Mutex::new(State {
                jobs: VecDeque::new(),
                callback: None,
                closing: false,
                stopped: false,
                tasks: 0,
                signals: 0,
            }),
            cond: Condvar::new(),
            queue,
            fd: Mutex::new(None),
        });
        let weak: Weak<Hub> = Arc::downgrade(&hub);
        hub.queue.set_listener(Box::new(move |ready| {
            if let Some(hub) = weak.upgrade() {
                hub.on_ready(ready);
            }
        }));
        hub
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // State stays consistent between statements; a panic elsewhere does not corrupt it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn fd(&self) -> MutexGuard<'_, Option<WakeFd>> {
        self.fd.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The queue's readiness changed (called under the queue's lock).
    fn on_ready(&self, ready: bool) {
        if let Some(fd) = self.fd().as_mut() {
            fd.set(ready);
        }
        if ready {
            let mut s = self.lock();
            s.signals = s.signals.wrapping_add(1);
            self.cond.notify_all();
        }
    }

    /// The poll: an event, or why there is none.
    pub(crate) fn next_event(&self, timeout: Option<Duration>) -> Result<tc_event, FfiError> {
        {
            let s = self.lock();
            if s.closing {
                return Err(FfiError::closed());
            }
            if s.callback.is_some() {
                return Err(FfiError::new(
                    tc_status::Busy,
                    "events go to the registered callback; unregister it to poll",
                ));
            }
        }
        match self.queue.pop_timeout(timeout) {
            Pop::Event(ev) => Ok(tc_event::from_core(ev)),
            Pop::Woken if self.lock().closing => Err(FfiError::closed()),
            Pop::Woken => Err(FfiError::new(tc_status::Interrupted, "woken by tc_client_wake")),
            Pop::TimedOut => Err(FfiError::new(tc_status::Timeout, "no event within the time-out")),
            Pop::Ended => Err(FfiError::new(tc_status::Disconnected, "no event waiting and not connected")),
        }
    }

    pub(crate) fn wake(&self) {
        self.queue.wake();
    }

    /// The read end of the wake-up socket, made on first use.
    pub(crate) fn event_fd(&self) -> Result<i32, FfiError> {
        let made = {
            let mut fd = self.fd();
            match fd.as_ref() {
                Some(f) => return Ok(f.raw()),
                None => {
                    let f = WakeFd::new().map_err(|e| {
                        let status = if e.kind() == std::io::ErrorKind::Unsupported {
                            tc_status::Unsupported
                        } else {
                            tc_status::Internal
                        };
                        FfiError::new(status, format!("cannot make the event descriptor: {e}"))
                    })?;
                    let raw = f.raw();
                    *fd = Some(f);
                    raw
                }
            }
        };
        // Outside the descriptor's lock: the listener takes it, under the queue's.
        self.queue.refresh_listener();
        Ok(made)
    }

    /// Installs (or with `None` removes) the event callback; returns the previous one, which
    /// the caller drops after this returns, outside the lock.
    #[must_use]
    pub(crate) fn set_callback(&self, cb: Option<Arc<EventCallback>>) -> Option<Arc<EventCallback>> {
        let mut s = self.lock();
        let old = std::mem::replace(&mut s.callback, cb);
        s.signals = s.signals.wrapping_add(1);
        self.cond.notify_all();
        old
    }

    /// Queues a job for the dispatcher; dropped if the dispatcher is gone.
    pub(crate) fn post(&self, job: Job) {
        let mut s = self.lock();
        if s.stopped {
            return;
        }
        s.jobs.push_back(job);
        // Woken after the unlock, the dispatcher does not wake only to wait for this lock.
        drop(s);
        self.cond.notify_all();
    }

    /// Blocks the dispatcher thread until it has something to do.
    pub(crate) fn next_dispatch(&self) -> Dispatch {
        loop {
            let (seen, callback) = {
                let mut s = self.lock();
                if let Some(job) = s.jobs.pop_front() {
                    return Dispatch::Job(job);
                }
                if s.stopped {
                    return Dispatch::Exit;
                }
                (s.signals, if s.closing { None } else { s.callback.clone() })
            };
            // The queue is looked at without the hub's lock (see the module's lock order).
            if let Some(cb) = callback {
                let batch = self.queue.pop_batch(BATCH);
                if !batch.is_empty() {
                    return Dispatch::Events(cb, batch);
                }
            }
            let mut s = self.lock();
            while s.signals == seen && s.jobs.is_empty() && !s.stopped {
                s = self.cond.wait(s).unwrap_or_else(|e| e.into_inner());
            }
        }
    }

    pub(crate) fn task_started(&self) {
        self.lock().tasks += 1;
    }

    pub(crate) fn task_finished(&self) {
        let mut s = self.lock();
        s.tasks = s.tasks.saturating_sub(1);
        self.cond.notify_all();
    }

    /// First step of `tc_client_free`: stop delivering events, fail polls, drop queued events.
    pub(crate) fn begin_close(&self) {
        {
            let mut s = self.lock();
            s.closing = true;
            self.cond.notify_all();
        }
        self.queue.clear();
        // Interrupts a poll blocked in the queue; it then sees `closing`.
        self.queue.wake();
    }

    /// Waits until every task has ended (they end quickly once the client is closing).
    pub(crate) fn wait_tasks(&self) {
        let mut s = self.lock();
        while s.tasks > 0 {
            s = self.cond.wait(s).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Tells the dispatcher to exit once its queued jobs have run.
    pub(crate) fn stop(&self) {
        self.lock().stopped = true;
        self.cond.notify_all();
    }

    #[must_use]
    pub(crate) fn take_callback(&self) -> Option<Arc<EventCallback>> {
        self.lock().callback.take()
    }

    /// The last step of `tc_client_free`: the queue's listener holds the hub only weakly, but
    /// the descriptor is closed here rather than whenever the last reference goes.
    pub(crate) fn finish(&self) {
        self.queue.clear_listener();
        self.fd().take();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ev(name: &str) -> Arc<Event> {
        Arc::new(Event::from_json(json!({"method": "event", "event": name})))
    }

    fn name(e: &tc_event) -> String {
        let p = crate::event::tc_event_name(e);
        unsafe { std::ffi::CStr::from_ptr(p) }.to_str().unwrap().to_owned()
    }

    fn status(r: Result<tc_event, FfiError>) -> tc_status {
        r.map(|_| tc_status::Ok).unwrap_or_else(|e| e.status)
    }

    #[test]
    fn a_full_queue_drops_the_oldest_and_reports_them_before_the_rest() {
        let hub = Hub::new(EventQueue::new(2, usize::MAX).unwrap());
        hub.queue.revive();
        for _ in 0..5 {
            hub.queue.push(ev("inviteSent"));
        }
        // The connection's end (the core queues `disconnected` and marks the queue ended).
        hub.queue.end();
        let names: Vec<String> =
            std::iter::from_fn(|| hub.next_event(Some(Duration::ZERO)).ok()).map(|e| name(&e)).collect();
        assert_eq!(names, ["eventsLost", "inviteSent", "inviteSent"]);
        // Queue empty and the connection gone: the poll ends at once.
        assert_eq!(status(hub.next_event(None)), tc_status::Disconnected);
    }

    #[test]
    fn before_any_connection_the_poll_ends_at_once() {
        let hub = Hub::new(EventQueue::new(8, usize::MAX).unwrap());
        assert_eq!(status(hub.next_event(None)), tc_status::Disconnected);
    }

    #[test]
    fn wake_callback_and_close_change_what_the_poll_says() {
        let hub = Hub::new(EventQueue::new(8, usize::MAX).unwrap());
        hub.queue.revive();
        hub.wake();
        assert_eq!(status(hub.next_event(None)), tc_status::Interrupted);
        assert_eq!(status(hub.next_event(Some(Duration::from_millis(1)))), tc_status::Timeout);
        unsafe extern "C" fn cb(_: *mut c_void, _: *const tc_event) {}
        let reg =
            Arc::new(EventCallback { callback: cb, user_data: UserData(std::ptr::null_mut()), free_user_data: None });
        assert!(hub.set_callback(Some(reg)).is_none());
        assert_eq!(status(hub.next_event(None)), tc_status::Busy);
        drop(hub.set_callback(None));
        hub.begin_close();
        assert_eq!(status(hub.next_event(None)), tc_status::Closed);
    }
}
