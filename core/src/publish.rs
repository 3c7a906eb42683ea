//! The one path every notification takes: applied to the room state first (so that whoever
//! receives it reads a state that already reflects it), then delivered to the client's primary
//! consumer (an [`EventQueue`] or the lossless stream of `connect_subscribed`) and to every
//! `subscribe()` stream, and the state change reported to `watch()` subscribers (and, when
//! asked, queued as a `stateChanged` event).

use crate::event::{Event, EventKind};
use crate::queue::EventQueue;
use crate::state::{Changes, RoomState, StateMirror};
use crate::stream::{EventStream, Primary};
use crate::watch::{StateWatch, Watchers};
use serde_json::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::{broadcast, mpsc};

/// Where a client's notifications go. Cheap to clone.
#[derive(Clone)]
pub(crate) struct Publisher(Arc<Inner>);

struct Inner {
    state: StateMirror,
    primary: Primary,
    /// Made by the first `subscribe()`: its ring of `capacity` slots is allocated up front, and
    /// most clients never subscribe (1,024 slots are 32 KiB per session).
    broadcast: OnceLock<broadcast::Sender<Arc<Event>>>,
    capacity: usize,
    watchers: Watchers,
    /// Queue a `stateChanged` event after each change.
    state_events: AtomicBool,
    /// Told when a call or conference begins: the session then reads who is in it.
    began: Mutex<Option<mpsc::UnboundedSender<()>>>,
}

impl Publisher {
    /// A publisher delivering to `primary`; `capacity` bounds how far `subscribe()` streams may
    /// fall behind.
    pub(crate) fn new(primary: Primary, capacity: usize) -> Publisher {
        Publisher(Arc::new(Inner {
            state: StateMirror::default(),
            primary,
            broadcast: OnceLock::new(),
            capacity: capacity.clamp(16, 1 << 16),
            watchers: Watchers::default(),
            state_events: AtomicBool::new(false),
            began: Mutex::new(None),
        }))
    }

    pub(crate) fn state(&self) -> &StateMirror {
        &self.0.state
    }

    /// A new connection begins: watches made from now on follow it.
    pub(crate) fn revive(&self) {
        self.0.watchers.revive();
        if let Some(q) = self.queue() {
            q.revive();
        }
    }

    pub(crate) fn set_state_events(&self, on: bool) {
        self.0.state_events.store(on, Ordering::Relaxed);
    }

    /// Where to say that a call or conference has begun (`None`: nowhere, the session is over).
    pub(crate) fn on_conference_began(&self, to: Option<mpsc::UnboundedSender<()>>) {
        *self.0.began.lock().unwrap_or_else(|e| e.into_inner()) = to;
    }

    /// Publishes a notification: state first, then the event, then the change report.
    pub(crate) fn publish(&self, ev: Event) {
        let mut began = false;
        let changes = self.0.state.update(|s| {
            let before = s.conference_mark();
            let changes = s.apply(&ev);
            began = before.began(&s.conference_mark());
            changes
        });
        if began {
            if let Some(to) = &*self.0.began.lock().unwrap_or_else(|e| e.into_inner()) {
                let _ = to.send(());
            }
        }
        if matches!(ev.kind, EventKind::Disconnected { .. }) {
            self.on_conference_began(None);
            // `disconnected` stays the last event of all.
            self.changed(changes, false, true);
            self.deliver(Arc::new(ev));
        } else {
            self.deliver(Arc::new(ev));
            self.changed(changes, false, false);
        }
    }

    /// A reply to a getter arrived: the state learns from it.
    pub(crate) fn reply(&self, wire: &str, reply: &Value) {
        let changes = self.0.state.update(|s| s.apply_reply(wire, reply));
        self.changed(changes, false, false);
    }

    /// Changes the state directly (connection flags, a resync).
    pub(crate) fn update(&self, f: impl FnOnce(&mut RoomState) -> Changes) {
        let changes = self.0.state.update(f);
        self.changed(changes, false, false);
    }

    /// The state was read again after a reconnect: subscribers should take all of it.
    pub(crate) fn resynced(&self) {
        self.changed(Changes::NONE, true, false);
    }

    fn deliver(&self, ev: Arc<Event>) {
        // Either side may have no receiver; that is not an error.
        if let Some(b) = self.0.broadcast.get() {
            let _ = b.send(ev.clone());
        }
        self.0.primary.send(ev);
    }

    fn changed(&self, changes: Changes, full: bool, ended: bool) {
        if changes.is_empty() && !full && !ended {
            return;
        }
        self.0.watchers.notify(changes, full, ended);
        if self.0.state_events.load(Ordering::Relaxed) && (!changes.is_empty() || full) {
            self.deliver(Arc::new(Event::state_changed(changes.names(), full)));
        }
    }

    pub(crate) fn subscribe(&self) -> EventStream {
        let b = self.0.broadcast.get_or_init(|| broadcast::channel(self.0.capacity).0);
        EventStream::broadcast(b.subscribe())
    }

    pub(crate) fn watch(&self) -> StateWatch {
        self.0.watchers.subscribe(self.0.state.clone())
    }

    /// The queue events go to, when the primary consumer is one.
    pub(crate) fn queue(&self) -> Option<&Arc<EventQueue>> {
        self.0.primary.queue()
    }
}
