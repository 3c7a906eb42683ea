//! The meeting point of one client's threads: its event queue, the jobs for its dispatcher
//! thread, the registered event callback and the count of its running tasks, all under one
//! mutex with one condition variable, so that no wake-up can fall between two locks.
//!
//! Nothing here calls user code while the lock is held: callbacks, and the `free_user_data`
//! that dropping an [`EventCallback`] runs, are always invoked after the guard is gone.

use crate::cast::UserData;
use crate::error::FfiError;
use crate::event::tc_event;
use crate::status::tc_status;
use crate::wakefd::WakeFd;
use std::collections::VecDeque;
use std::ffi::c_void;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Work for the dispatcher thread: one callback invocation, already bound to its arguments.
pub(crate) type Job = Box<dyn FnOnce() + Send>;

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
    Event(Arc<EventCallback>, tc_event),
    Exit,
}

struct State {
    events: VecDeque<tc_event>,
    capacity: usize,
    /// Events dropped since the last `eventsLost` marker was queued.
    lost: u64,
    /// A connection is up (its `disconnected` event not yet queued).
    live: bool,
    /// Which connection is current: a late `disconnected` of an earlier one must not mark a
    /// newer one down.
    generation: u64,
    /// `tc_client_wake` was called and no poll has returned `INTERRUPTED` for it yet.
    wake: bool,
    jobs: VecDeque<Job>,
    callback: Option<Arc<EventCallback>>,
    /// `tc_client_free` has begun: polls fail with `CLOSED`, events are no longer delivered.
    closing: bool,
    /// The dispatcher exits once its jobs are done.
    stopped: bool,
    /// Spawned tasks that may still post jobs.
    tasks: usize,
    fd: Option<WakeFd>,
}

impl State {
    fn sync_fd(&mut self) {
        let readable = !self.events.is_empty() || self.wake;
        if let Some(fd) = self.fd.as_mut() {
            fd.set(readable);
        }
    }

    /// Queues the `eventsLost` marker if events were dropped and there is room again.
    fn flush_lost(&mut self) {
        if self.lost > 0 && self.events.len() < self.capacity {
            self.events.push_back(tc_event::events_lost(self.lost));
            self.lost = 0;
        }
    }

    fn pop_event(&mut self) -> Option<tc_event> {
        let ev = self.events.pop_front();
        if ev.is_some() {
            self.flush_lost();
            self.sync_fd();
        }
        ev
    }
}

pub(crate) struct Hub {
    state: Mutex<State>,
    cond: Condvar,
}

impl Hub {
    pub(crate) fn new(capacity: usize) -> Hub {
        Hub {
            state: Mutex::new(State {
                events: VecDeque::new(),
                capacity: capacity.max(1),
                lost: 0,
                live: false,
                generation: 0,
                wake: false,
                jobs: VecDeque::new(),
                callback: None,
                closing: false,
                stopped: false,
                tasks: 0,
                fd: None,
            }),
            cond: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // State stays consistent between statements; a panic elsewhere does not corrupt it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues an event. When the queue is full, events are counted instead and reported by
    /// one `eventsLost` marker; `disconnected` is never dropped, since it ends the stream.
    pub(crate) fn push_event(&self, ev: tc_event, generation: u64) {
        let mut s = self.lock();
        if s.closing {
            return;
        }
        let ends = ev.is_disconnected();
        if !ends && s.events.len() >= s.capacity {
            s.lost += 1;
            return;
        }
        if ends && s.lost > 0 {
            let n = std::mem::take(&mut s.lost);
            s.events.push_back(tc_event::events_lost(n));
        }
        s.flush_lost();
        s.events.push_back(ev);
        if ends && generation == s.generation {
            s.live = false;
        }
        s.sync_fd();
        self.cond.notify_all();
    }

    /// The core dropped `n` events before we could take them.
    pub(crate) fn add_lost(&self, n: u64) {
        let mut s = self.lock();
        s.lost = s.lost.saturating_add(n);
        s.flush_lost();
        s.sync_fd();
        self.cond.notify_all();
    }

    /// A new connection is up; returns its generation, for its events.
    pub(crate) fn connection_up(&self) -> u64 {
        let mut s = self.lock();
        s.generation += 1;
        s.live = true;
        self.cond.notify_all();
        s.generation
    }

    /// The poll: an event, or why there is none.
    pub(crate) fn next_event(&self, timeout: Option<Duration>) -> Result<tc_event, FfiError> {
        let deadline = timeout.map(|t| Instant::now() + t);
        let mut s = self.lock();
        loop {
            if s.closing {
                return Err(FfiError::closed());
            }
            if s.callback.is_some() {
                return Err(FfiError::new(
                    tc_status::Busy,
                    "events go to the registered callback; unregister it to poll",
                ));
            }
            if s.wake {
                s.wake = false;
                s.sync_fd();
                return Err(FfiError::new(tc_status::Interrupted, "woken by tc_client_wake"));
            }
            if let Some(ev) = s.pop_event() {
                return Ok(ev);
            }
            if !s.live {
                return Err(FfiError::new(tc_status::Disconnected, "no event waiting and not connected"));
            }
            s = match deadline {
                None => self.cond.wait(s).unwrap_or_else(|e| e.into_inner()),
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return Err(FfiError::new(tc_status::Timeout, "no event within the time-out"));
                    }
                    self.cond.wait_timeout(s, d - now).unwrap_or_else(|e| e.into_inner()).0
                }
            };
        }
    }

    pub(crate) fn wake(&self) {
        let mut s = self.lock();
        s.wake = true;
        s.sync_fd();
        self.cond.notify_all();
    }

    /// The read end of the wake-up socket, made on first use.
    pub(crate) fn event_fd(&self) -> Result<i32, FfiError> {
        let mut s = self.lock();
        if s.fd.is_none() {
            let fd = WakeFd::new().map_err(|e| {
                let status = if e.kind() == std::io::ErrorKind::Unsupported {
                    tc_status::Unsupported
                } else {
                    tc_status::Internal
                };
                FfiError::new(status, format!("cannot make the event descriptor: {e}"))
            })?;
            s.fd = Some(fd);
            s.sync_fd();
        }
        Ok(s.fd.as_ref().map_or(-1, WakeFd::raw))
    }

    /// Installs (or with `None` removes) the event callback; returns the previous one, which
    /// the caller drops after this returns, outside the lock.
    #[must_use]
    pub(crate) fn set_callback(&self, cb: Option<Arc<EventCallback>>) -> Option<Arc<EventCallback>> {
        let mut s = self.lock();
        let old = std::mem::replace(&mut s.callback, cb);
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
        let mut s = self.lock();
        loop {
            if let Some(job) = s.jobs.pop_front() {
                return Dispatch::Job(job);
            }
            if !s.closing {
                if let Some(cb) = s.callback.clone() {
                    if let Some(ev) = s.pop_event() {
                        return Dispatch::Event(cb, ev);
                    }
                }
            }
            if s.stopped {
                return Dispatch::Exit;
            }
            s = self.cond.wait(s).unwrap_or_else(|e| e.into_inner());
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
    pub(crate) fn begin_close(&self) -> VecDeque<tc_event> {
        let mut s = self.lock();
        s.closing = true;
        let dropped = std::mem::take(&mut s.events);
        s.sync_fd();
        self.cond.notify_all();
        dropped
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tcroom_core::Event;

    fn ev(name: &str) -> tc_event {
        tc_event::from_core(&Event::from_json(json!({"method": "event", "event": name})))
    }

    fn name(e: &tc_event) -> String {
        let p = crate::event::tc_event_name(e);
        unsafe { std::ffi::CStr::from_ptr(p) }.to_str().unwrap().to_owned()
    }

    fn status(r: Result<tc_event, FfiError>) -> tc_status {
        r.map(|_| tc_status::Ok).unwrap_or_else(|e| e.status)
    }

    #[test]
    fn a_full_queue_counts_losses_and_never_drops_disconnected() {
        let hub = Hub::new(2);
        let g = hub.connection_up();
        for _ in 0..5 {
            hub.push_event(ev("inviteSent"), g);
        }
        hub.push_event(ev("disconnected"), g);
        let names: Vec<String> =
            std::iter::from_fn(|| hub.next_event(Some(Duration::ZERO)).ok()).map(|e| name(&e)).collect();
        assert_eq!(names, ["inviteSent", "inviteSent", "eventsLost", "disconnected"]);
        // Queue empty and the connection gone: the poll ends at once.
        assert_eq!(status(hub.next_event(None)), tc_status::Disconnected);
    }

    #[test]
    fn a_late_disconnect_of_an_old_connection_keeps_the_new_one_live() {
        let hub = Hub::new(8);
        let old = hub.connection_up();
        let new = hub.connection_up();
        hub.push_event(ev("disconnected"), old);
        assert_eq!(name(&hub.next_event(Some(Duration::ZERO)).unwrap()), "disconnected");
        assert_eq!(status(hub.next_event(Some(Duration::ZERO))), tc_status::Timeout);
        hub.push_event(ev("disconnected"), new);
        hub.next_event(Some(Duration::ZERO)).unwrap();
        assert_eq!(status(hub.next_event(Some(Duration::ZERO))), tc_status::Disconnected);
    }

    #[test]
    fn wake_callback_and_close_change_what_the_poll_says() {
        let hub = Hub::new(8);
        hub.connection_up();
        hub.wake();
        assert_eq!(status(hub.next_event(None)), tc_status::Interrupted);
        assert_eq!(status(hub.next_event(Some(Duration::from_millis(1)))), tc_status::Timeout);
        unsafe extern "C" fn cb(_: *mut c_void, _: *const tc_event) {}
        let reg =
            Arc::new(EventCallback { callback: cb, user_data: UserData(std::ptr::null_mut()), free_user_data: None });
        assert!(hub.set_callback(Some(reg)).is_none());
        assert_eq!(status(hub.next_event(None)), tc_status::Busy);
        drop(hub.set_callback(None));
        drop(hub.begin_close());
        assert_eq!(status(hub.next_event(None)), tc_status::Closed);
    }
}
