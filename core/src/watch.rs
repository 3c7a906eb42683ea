//! `watch()`: the room state as a subscription. The first item is the whole current state;
//! then each change, as what changed and the new snapshot. Changes that happen while the
//! subscriber is not reading are merged into one (it never falls behind, and never grows), and
//! after a reconnect the next item is a full snapshot again.

use crate::state::{Changes, RoomState, StateMirror};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

/// One item of a [`StateWatch`].
#[derive(Debug, Clone)]
pub struct StateChange {
    /// What changed since the previous item.
    pub changes: Changes,
    /// True for the first item and after a reconnect: take the whole state, not just the parts.
    pub full: bool,
    /// The state after the change.
    pub state: Arc<RoomState>,
}

impl StateChange {
    /// The names of the parts that changed (`"own_media"`, `"participants"`...).
    pub fn changed(&self) -> Vec<&'static str> {
        self.changes.names()
    }
}

#[derive(Default)]
struct Pending {
    changes: Changes,
    full: bool,
    /// The client is gone for good: after what is pending, the watch ends.
    ended: bool,
}

pub(crate) struct Slot {
    pending: Mutex<Pending>,
    notify: tokio::sync::Notify,
    /// For blocking readers.
    cond: std::sync::Condvar,
}

impl Slot {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The subscribers of one client.
#[derive(Default)]
pub(crate) struct Watchers(Mutex<List>);

#[derive(Default)]
struct List {
    slots: Vec<Weak<Slot>>,
    /// The client has ended: a watch made now gets the current state and then its end, rather
    /// than waiting for a change that cannot come.
    ended: bool,
}

impl Watchers {
    fn lock(&self) -> MutexGuard<'_, List> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn subscribe(&self, state: StateMirror) -> StateWatch {
        let mut list = self.lock();
        let slot = Arc::new(Slot {
            pending: Mutex::new(Pending { changes: Changes::ALL, full: true, ended: list.ended }),
            notify: tokio::sync::Notify::new(),
            cond: std::sync::Condvar::new(),
        });
        list.slots.push(Arc::downgrade(&slot));
        StateWatch { slot, state, done: false }
    }

    /// A new connection: watches made from now on live until it ends.
    pub(crate) fn revive(&self) {
        self.lock().ended = false;
    }

    /// Adds `changes` (and `full`, and the end) to every live subscriber.
    pub(crate) fn notify(&self, changes: Changes, full: bool, ended: bool) {
        let mut list = self.lock();
        list.ended |= ended;
        list.slots.retain(|w| match w.upgrade() {
            Some(slot) => {
                let mut p = slot.lock();
                p.changes.merge(changes);
                p.full |= full;
                p.ended |= ended;
                drop(p);
                slot.notify.notify_one();
                slot.cond.notify_all();
                true
            }
            None => false,
        });
    }
}

/// A subscription to the room state; see the module documentation. Ends (`None`) after the
/// client has disconnected for good.
pub struct StateWatch {
    slot: Arc<Slot>,
    state: StateMirror,
    done: bool,
}

impl StateWatch {
    fn take(&mut self) -> Option<Option<StateChange>> {
        if self.done {
            return Some(None);
        }
        let mut p = self.slot.lock();
        if p.changes.is_empty() && !p.full {
            if p.ended {
                self.done = true;
                return Some(None);
            }
            return None;
        }
        let changes = std::mem::take(&mut p.changes);
        let full = std::mem::take(&mut p.full);
        drop(p);
        Some(Some(StateChange { changes, full, state: self.state.snapshot() }))
    }

    /// The next change; `None` once the client is gone for good. Cancel-safe.
    pub async fn next(&mut self) -> Option<StateChange> {
        loop {
            let slot = self.slot.clone();
            let notified = slot.notify.notified();
            if let Some(item) = self.take() {
                return item;
            }
            notified.await;
        }
    }

    /// A change if one is waiting, without blocking.
    pub fn try_next(&mut self) -> Option<StateChange> {
        self.take().flatten()
    }

    /// Waits up to `timeout` for a change (for threads that do not run async code).
    /// `Err(Timeout)` when none came in time; `Ok(None)` once the watch has ended.
    pub fn next_blocking(&mut self, timeout: std::time::Duration) -> crate::Result<Option<StateChange>> {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            if let Some(item) = self.take() {
                return Ok(item);
            }
            let p = self.slot.lock();
            if !p.changes.is_empty() || p.full || p.ended {
                continue;
            }
            let now = std::time::Instant::now();
            if now >= deadline {
                return Err(crate::Error::Timeout { method: "watch".into(), after: timeout });
            }
            drop(self.slot.cond.wait_timeout(p, deadline - now).unwrap_or_else(|e| e.into_inner()));
        }
    }

    /// The current state, without waiting.
    pub fn current(&self) -> Arc<RoomState> {
        self.state.snapshot()
    }
}
