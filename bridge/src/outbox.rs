//! What one MQTT session has to publish, bounded whatever the broker does.
//!
//! Retained topics are slots holding only their latest payload: a slow or absent broker makes
//! them merge, never grow, and after a reconnect every slot is published again, so nothing the
//! bridge learned meanwhile is lost from retained state. Events and replies wait in a queue of
//! fixed capacity; when it is full the oldest is dropped, counted, and reported by one
//! `bridgeEventsDropped` event once the queue has room again.

use bytes::Bytes;
use rumqttc::v5::mqttbytes::v5::PublishProperties;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use tokio::sync::Notify;

/// Name of the event that reports dropped messages.
pub const DROPPED_EVENT: &str = "bridgeEventsDropped";

/// One message to publish.
#[derive(Debug, Clone)]
pub struct Message {
    pub topic: String,
    pub payload: Bytes,
    pub retain: bool,
    pub props: Option<PublishProperties>,
}

impl Message {
    pub fn transient(topic: String, payload: impl Into<Bytes>) -> Message {
        Message { topic, payload: payload.into(), retain: false, props: None }
    }
}

/// A retained slot, named by its index from [`Outbox::define`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot(usize);

struct RetainedSlot {
    topic: String,
    /// `None` until first set: nothing is published for it.
    payload: Option<Bytes>,
    dirty: bool,
}

struct Inner {
    slots: Vec<RetainedSlot>,
    queue: VecDeque<Message>,
    /// Dropped since the last report.
    unreported: u64,
}

pub struct Outbox {
    inner: Mutex<Inner>,
    capacity: usize,
    /// Where the drop report goes (`<prefix>/<room>/event/bridgeEventsDropped`).
    dropped_topic: Option<String>,
    dropped_total: AtomicU64,
    wake: Notify,
}

impl Outbox {
    pub fn new(capacity: usize, dropped_topic: Option<String>) -> Outbox {
        Outbox {
            inner: Mutex::new(Inner { slots: Vec::new(), queue: VecDeque::new(), unreported: 0 }),
            capacity: capacity.max(1),
            dropped_topic,
            dropped_total: AtomicU64::new(0),
            wake: Notify::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding this lock cannot leave the data inconsistent (every change is
        // one assignment), so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Declares a retained topic. Slots are published in the order they were defined.
    pub fn define(&self, topic: String) -> Slot {
        let mut g = self.lock();
        g.slots.push(RetainedSlot { topic, payload: None, dirty: false });
        Slot(g.slots.len() - 1)
    }

    /// Sets a retained payload; it goes out only if it differs from the last one.
    pub fn set(&self, slot: Slot, payload: impl Into<Bytes>) {
        let payload = payload.into();
        let changed = {
            let mut g = self.lock();
            match g.slots.get_mut(slot.0) {
                Some(s) if s.payload.as_ref() != Some(&payload) => {
                    s.payload = Some(payload);
                    s.dirty = true;
                    true
                }
                _ => false,
            }
        };
        if changed {
            self.wake.notify_one();
        }
    }

    /// Queues an event or a reply, dropping the oldest when full.
    pub fn push(&self, msg: Message) {
        {
            let mut g = self.lock();
            if g.queue.len() >= self.capacity {
                g.queue.pop_front();
                g.unreported += 1;
                self.dropped_total.fetch_add(1, Ordering::Relaxed);
            }
            g.queue.push_back(msg);
        }
        self.wake.notify_one();
    }

    /// After a (re)connect: the broker may have lost everything, so every slot goes out again.
    pub fn mark_all_dirty(&self) {
        {
            let mut g = self.lock();
            for s in g.slots.iter_mut() {
                s.dirty = s.payload.is_some();
            }
        }
        self.wake.notify_one();
    }

    /// The next message: dirty retained slots first (state before the events that explain it
    /// is acceptable; stale state behind a queue of events is not), then the queue.
    pub fn next(&self) -> Option<Message> {
        let mut g = self.lock();
        if let Some(s) = g.slots.iter_mut().find(|s| s.dirty) {
            s.dirty = false;
            let payload = s.payload.clone().unwrap_or_default();
            return Some(Message { topic: s.topic.clone(), payload, retain: true, props: None });
        }
        if let Some(m) = g.queue.pop_front() {
            return Some(m);
        }
        if g.unreported > 0 {
            if let Some(topic) = &self.dropped_topic {
                let n = std::mem::take(&mut g.unreported);
                let body =
                    serde_json::json!({"method": "event", "event": DROPPED_EVENT, "dropped": n, "synthetic": true});
                return Some(Message::transient(topic.clone(), body.to_string()));
            }
        }
        None
    }

    /// Resolves when something may have been added since the last [`next`](Self::next).
    pub async fn changed(&self) {
        self.wake.notified().await
    }

    /// Events and replies dropped since start.
    pub fn dropped_total(&self) -> u64 {
        self.dropped_total.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(o: &Outbox) -> Vec<(String, String, bool)> {
        std::iter::from_fn(|| o.next())
            .map(|m| (m.topic, String::from_utf8_lossy(&m.payload).into_owned(), m.retain))
            .collect()
    }

    #[test]
    fn retained_slots_merge_and_come_back_after_reconnect() {
        let o = Outbox::new(4, None);
        let a = o.define("a".into());
        let b = o.define("b".into());
        o.set(b, "1");
        o.set(a, "1");
        o.set(a, "2");
        assert_eq!(drain(&o), vec![("a".into(), "2".into(), true), ("b".into(), "1".into(), true)]);
        o.set(a, "2");
        assert!(drain(&o).is_empty(), "an unchanged value is not published again");
        o.mark_all_dirty();
        assert_eq!(drain(&o).len(), 2);
    }

    #[test]
    fn the_queue_is_bounded_and_drops_are_reported() {
        let o = Outbox::new(2, Some("p/r/event/bridgeEventsDropped".into()));
        for i in 0..5 {
            o.push(Message::transient("e".into(), i.to_string()));
        }
        let got = drain(&o);
        assert_eq!(got[0].1, "3");
        assert_eq!(got[1].1, "4");
        assert_eq!(got[2].0, "p/r/event/bridgeEventsDropped");
        assert!(got[2].1.contains("\"dropped\":3"), "{}", got[2].1);
        assert_eq!(o.dropped_total(), 3);
        assert!(drain(&o).is_empty());
    }
}
