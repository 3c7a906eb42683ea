//! The one event queue of every face: bounded in count and in bytes; when full, the oldest
//! event is dropped and the reader is told how many were dropped, by one `eventsLost` event
//! where the gap is. The room state is kept current whatever the queue drops, so a reader that
//! fell behind catches up by reading the state.
//!
//! It serves blocking readers (the C poll and dispatcher threads), async readers (the Python
//! asyncio face, Rust) and a readiness listener (the C face's pollable descriptor), and it is
//! fed straight by the client's publisher: no task in between.

use crate::event::{Event, EventKind};
use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Default maximum number of queued events.
pub const DEFAULT_EVENT_CAPACITY: usize = 1024;
/// Default maximum of queued bytes (as the events took on the wire).
pub const DEFAULT_EVENT_MAX_BYTES: usize = 64 << 20;

/// Called with the queue's readiness (an event, the end or a wake is waiting) whenever it
/// changes, under the queue's lock: it must be quick and must not call the queue.
pub type Listener = Box<dyn Fn(bool) + Send + Sync>;

struct Inner {
    items: VecDeque<Arc<Event>>,
    bytes: usize,
    /// Dropped since the last marker; reported before what is still queued.
    lost: u64,
    /// A `stateChanged` was among the dropped ones.
    lost_state: bool,
    /// The `eventsLost` marker was read and a full `stateChanged` follows it.
    resync: bool,
    /// `disconnected` was queued: once it is read, readers are told the queue has ended.
    ended: bool,
    /// A `wake` not yet reported.
    woken: bool,
    readable: bool,
    capacity: usize,
    max_bytes: usize,
    /// Threads blocked in `pop_timeout`: only then does a push pay for waking the condition
    /// variable (a system call each time, even with nobody waiting).
    sleepers: usize,
}

impl Inner {
    /// A read would return at once with an event or a wake (what the listener is told; the
    /// end of the queue does not count, so a pollable descriptor goes quiet after it).
    fn is_ready(&self) -> bool {
        !self.items.is_empty() || self.lost > 0 || self.resync || self.woken
    }

    fn pop(&mut self) -> Option<Arc<Event>> {
        if self.lost > 0 {
            self.resync = std::mem::take(&mut self.lost_state);
            return Some(Arc::new(Event::events_lost(std::mem::take(&mut self.lost))));
        }
        if std::mem::take(&mut self.resync) {
            // Some dropped events were state changes: the next one says "take all of it", as
            // `watch()` does after a gap, so a host that follows `stateChanged` reads the
            // whole state once instead of guessing what it missed.
            return Some(Arc::new(Event::state_changed(crate::state::Changes::ALL.names(), true)));
        }
        let ev = self.items.pop_front()?;
        self.bytes = self.bytes.saturating_sub(ev.size());
        Some(ev)
    }
}

/// What a blocking read got.
#[derive(Debug)]
pub enum Pop {
    /// The next event.
    Event(Arc<Event>),
    /// `wake` was called.
    Woken,
    /// Nothing came within the time-out.
    TimedOut,
    /// The queue is empty and ended (after `disconnected`).
    Ended,
}

/// A bounded queue of events: when full, the oldest are dropped and one `eventsLost` event
/// tells the reader how many, where the gap is. Read it blocking ([`pop_timeout`]) or async
/// ([`next`]); it ends after `disconnected`.
///
/// ```no_run
/// # async fn demo() -> tcroom_core::Result<()> {
/// use tcroom_core::{Client, ConnectOptions, EventKind};
/// let (room, events) = Client::connect_queued(ConnectOptions::new("192.0.2.10").pin("1234")).await?;
/// while let Some(ev) = events.next().await {
///     match &ev.kind {
///         EventKind::InviteReceived(call) => println!("{} is calling", call.peer_id),
///         EventKind::EventsLost { count } => println!("missed {count} events; the state is current"),
///         _ => println!("{}", ev.name),
///     }
/// }
/// # drop(room);
/// # Ok(()) }
/// ```
///
/// [`pop_timeout`]: EventQueue::pop_timeout
/// [`next`]: EventQueue::next
pub struct EventQueue {
    inner: Mutex<Inner>,
    cond: Condvar,
    notify: tokio::sync::Notify,
    listener: Mutex<Option<Listener>>,
}

impl std::fmt::Debug for EventQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let q = self.lock();
        f.debug_struct("EventQueue").field("len", &q.items.len()).field("capacity", &q.capacity).finish()
    }
}

impl EventQueue {
    /// A queue holding at most `capacity` events and `max_bytes` bytes. Memory is taken as
    /// events arrive, not up front. Both limits must be at least 1.
    pub fn new(capacity: usize, max_bytes: usize) -> crate::Result<Arc<EventQueue>> {
        if capacity == 0 || max_bytes == 0 {
            return Err(crate::Error::InvalidArgument(format!(
                "event queue limits must be at least 1 (capacity {capacity}, max bytes {max_bytes})"
            )));
        }
        Ok(Arc::new(EventQueue {
            inner: Mutex::new(Inner {
                items: VecDeque::new(),
                bytes: 0,
                lost: 0,
                lost_state: false,
                resync: false,
                ended: false,
                woken: false,
                readable: false,
                capacity,
                max_bytes,
                sleepers: 0,
            }),
            cond: Condvar::new(),
            notify: tokio::sync::Notify::new(),
            listener: Mutex::new(None),
        }))
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // The queue's invariants hold between statements; a panic elsewhere leaves it usable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Tells readers and the listener that something changed (call with the lock held).
    fn signal(&self, q: &mut Inner) {
        let ready = q.is_ready();
        if ready != q.readable {
            q.readable = ready;
            if let Some(l) = self.listener.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
                l(ready);
            }
        }
        if ready || q.ended {
            if q.sleepers > 0 {
                self.cond.notify_all();
            }
            self.notify.notify_waiters();
        }
    }

    /// Queues an event, dropping the oldest ones while over either limit.
    pub fn push(&self, ev: Arc<Event>) {
        let mut q = self.lock();
        let ends = matches!(ev.kind, EventKind::Disconnected { .. });
        q.bytes += ev.size();
        q.items.push_back(ev);
        while q.items.len() > 1 && (q.items.len() > q.capacity || q.bytes > q.max_bytes) {
            if let Some(old) = q.items.pop_front() {
                q.bytes = q.bytes.saturating_sub(old.size());
                q.lost += 1;
                q.lost_state |= matches!(old.kind, EventKind::StateChanged { .. });
            }
        }
        if ends {
            q.ended = true;
        }
        self.signal(&mut q);
    }

    /// A new connection delivers into this queue: it has not ended any more.
    pub fn revive(&self) {
        self.lock().ended = false;
    }

    /// No connection delivers into this queue (before the first connect): once empty, readers
    /// are told it has ended instead of waiting.
    pub fn end(&self) {
        let mut q = self.lock();
        q.ended = true;
        self.signal(&mut q);
    }

    /// Makes the current (or next) blocking read return [`Pop::Woken`].
    pub fn wake(&self) {
        let mut q = self.lock();
        q.woken = true;
        self.signal(&mut q);
    }

    /// Installs the readiness listener (replacing any), and calls it once with the current
    /// readiness.
    pub fn set_listener(&self, listener: Listener) {
        let mut q = self.lock();
        listener(q.is_ready());
        q.readable = q.is_ready();
        *self.listener.lock().unwrap_or_else(|e| e.into_inner()) = Some(listener);
    }

    /// Calls the listener with the current readiness (after what it drives was replaced).
    pub fn refresh_listener(&self) {
        let q = self.lock();
        if let Some(l) = self.listener.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            l(q.is_ready());
        }
    }

    /// Removes the listener.
    pub fn clear_listener(&self) {
        let _q = self.lock();
        *self.listener.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    fn after_pop(&self, q: &mut Inner) {
        let ready = q.is_ready();
        if ready != q.readable {
            q.readable = ready;
            if let Some(l) = self.listener.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
                l(ready);
            }
        }
    }

    /// The next event if one is waiting (a pending loss report first).
    pub fn try_pop(&self) -> Option<Arc<Event>> {
        let mut q = self.lock();
        let ev = q.pop();
        self.after_pop(&mut q);
        ev
    }

    /// Up to `max` waiting events at once.
    pub fn pop_batch(&self, max: usize) -> Vec<Arc<Event>> {
        let mut q = self.lock();
        let mut out = Vec::with_capacity(max.min(q.items.len() + 1));
        while out.len() < max {
            match q.pop() {
                Some(ev) => out.push(ev),
                None => break,
            }
        }
        self.after_pop(&mut q);
        out
    }

    /// Waits up to `timeout` (`None`: without limit) for an event; a `wake` interrupts it.
    pub fn pop_timeout(&self, timeout: Option<Duration>) -> Pop {
        let deadline = timeout.map(|t| Instant::now() + t);
        let mut q = self.lock();
        loop {
            if q.woken {
                q.woken = false;
                self.after_pop(&mut q);
                return Pop::Woken;
            }
            if let Some(ev) = q.pop() {
                self.after_pop(&mut q);
                return Pop::Event(ev);
            }
            if q.ended {
                return Pop::Ended;
            }
            let left = match deadline {
                None => None,
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return Pop::TimedOut;
                    }
                    Some(d - now)
                }
            };
            q.sleepers += 1;
            q = match left {
                None => self.cond.wait(q).unwrap_or_else(|e| e.into_inner()),
                Some(left) => self.cond.wait_timeout(q, left).unwrap_or_else(|e| e.into_inner()).0,
            };
            q.sleepers -= 1;
        }
    }

    /// At least one and up to `max` events; `None` once the queue is empty and ended.
    /// Cancel-safe.
    pub async fn next_batch(&self, max: usize) -> Option<Vec<Arc<Event>>> {
        loop {
            // Registered before looking, so that a push between the look and the wait counts.
            let ready = self.notify.notified();
            tokio::pin!(ready);
            ready.as_mut().enable();
            {
                let mut q = self.lock();
                let mut out = Vec::new();
                while out.len() < max.max(1) {
                    match q.pop() {
                        Some(ev) => out.push(ev),
                        None => break,
                    }
                }
                self.after_pop(&mut q);
                if !out.is_empty() {
                    return Some(out);
                }
                if q.ended {
                    return None;
                }
            }
            ready.await;
        }
    }

    /// The next event; `None` once the queue is empty and ended. Cancel-safe.
    pub async fn next(&self) -> Option<Arc<Event>> {
        self.next_batch(1).await.and_then(|mut v| v.pop())
    }

    /// Events waiting (a pending loss report not counted).
    pub fn len(&self) -> usize {
        self.lock().items.len()
    }

    /// No event is waiting (a pending loss report not counted).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The queue has delivered `disconnected` and nothing is left.
    pub fn is_ended(&self) -> bool {
        let q = self.lock();
        q.ended && q.items.is_empty() && q.lost == 0 && !q.resync
    }

    /// Drops everything queued (a client being freed).
    pub fn clear(&self) {
        let mut q = self.lock();
        q.items.clear();
        q.bytes = 0;
        q.lost = 0;
        q.lost_state = false;
        q.resync = false;
        self.after_pop(&mut q);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ev(name: &str, i: usize) -> Arc<Event> {
        Arc::new(Event::from_json(json!({"method":"event","event":name,"i":i})))
    }

    fn names(q: &EventQueue) -> Vec<String> {
        std::iter::from_fn(|| q.try_pop()).map(|e| e.name.clone()).collect()
    }

    #[test]
    fn drops_the_oldest_and_reports_the_gap_where_it_is() {
        let q = EventQueue::new(2, usize::MAX).unwrap();
        for i in 0..5 {
            q.push(ev("tick", i));
        }
        let first = q.try_pop().unwrap();
        assert!(matches!(first.kind, EventKind::EventsLost { count: 3 }));
        assert_eq!(q.try_pop().unwrap().raw["i"], 3);
        q.push(Arc::new(Event::disconnected("bye")));
        q.push(ev("late", 9));
        // [4, disconnected, late] is one too many: 4 goes, and is reported where it was.
        assert_eq!(names(&q), ["eventsLost", "disconnected", "late"]);
        assert!(q.is_ended());
        assert!(matches!(q.pop_timeout(None), Pop::Ended));
    }

    #[test]
    fn a_gap_with_state_changes_in_it_is_followed_by_a_full_state_change() {
        let q = EventQueue::new(2, usize::MAX).unwrap();
        q.push(Arc::new(Event::state_changed(vec!["own_media"], false)));
        for i in 0..3 {
            q.push(ev("tick", i));
        }
        assert_eq!(names(&q), ["eventsLost", "stateChanged", "tick", "tick"]);
        // Without state changes in the gap, only the marker.
        for i in 0..4 {
            q.push(ev("tick", i));
        }
        assert_eq!(names(&q), ["eventsLost", "tick", "tick"]);
        let q = EventQueue::new(1, usize::MAX).unwrap();
        q.push(Arc::new(Event::state_changed(vec!["own_media"], false)));
        q.push(ev("tick", 0));
        q.try_pop();
        let full = q.try_pop().unwrap();
        assert!(matches!(&full.kind, EventKind::StateChanged { full: true, changed } if changed.len() == 16));
    }

    #[test]
    fn bounded_in_bytes_too() {
        let q = EventQueue::new(1000, 200).unwrap();
        for i in 0..10 {
            q.push(Arc::new(Event::from_json(json!({"method":"event","event":"big","blob":"x".repeat(90),"i":i}))));
        }
        assert!(q.len() <= 2, "{} events of ~110 bytes in 200 bytes", q.len());
        let first = q.try_pop().unwrap();
        assert_eq!(first.name, "eventsLost");
    }

    #[test]
    fn zero_limits_are_refused() {
        assert!(EventQueue::new(0, 1).is_err());
        assert!(EventQueue::new(1, 0).is_err());
    }

    #[test]
    fn wake_interrupts_a_blocking_read_and_the_listener_follows_readiness() {
        let q = EventQueue::new(8, usize::MAX).unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = seen.clone();
        q.set_listener(Box::new(move |r| s.lock().unwrap().push(r)));
        q.wake();
        assert!(matches!(q.pop_timeout(None), Pop::Woken));
        assert!(matches!(q.pop_timeout(Some(Duration::from_millis(1))), Pop::TimedOut));
        q.push(ev("a", 0));
        assert!(matches!(q.pop_timeout(Some(Duration::ZERO)), Pop::Event(_)));
        assert_eq!(*seen.lock().unwrap(), [false, true, false, true, false]);
    }
}
