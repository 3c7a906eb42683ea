//! The per-client event queue behind `client.events()`.
//!
//! The core's primary stream is lossless and unbounded, and expects to be drained. A pump task
//! drains it into this queue from the moment the client connects (so nothing is missed before
//! the first `events()` call), and the queue is bounded: when a program never reads events, the
//! oldest are dropped and counted, and the next reader is told how many (`eventsLost`).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use tcroom_core::{Event, EventStream, StreamItem};
use tokio::sync::Notify;

#[derive(Default)]
struct Items {
    events: VecDeque<Arc<Event>>,
    /// Dropped since the last read; reported before what is still queued, where the gap is.
    lost: u64,
    ended: bool,
}

pub struct EventQueue {
    items: Mutex<Items>,
    ready: Notify,
    capacity: usize,
}

impl EventQueue {
    /// A queue fed by `stream` until it ends. Call on the runtime (it spawns the pump).
    pub fn pump(mut stream: EventStream, capacity: usize) -> Arc<EventQueue> {
        let queue = Arc::new(EventQueue {
            items: Mutex::new(Items::default()),
            ready: Notify::new(),
            capacity: capacity.max(1),
        });
        let q = queue.clone();
        tokio::spawn(async move {
            while let Some(item) = stream.recv().await {
                q.push(item);
            }
            q.update(|i| i.ended = true);
        });
        queue
    }

    fn update(&self, f: impl FnOnce(&mut Items)) {
        f(&mut self.items.lock().unwrap_or_else(|e| e.into_inner()));
        self.ready.notify_waiters();
    }

    fn push(&self, item: StreamItem) {
        let capacity = self.capacity;
        self.update(|i| match item {
            StreamItem::Event(ev) => {
                if i.events.len() >= capacity {
                    i.events.pop_front();
                    i.lost += 1;
                }
                i.events.push_back(ev);
            }
            StreamItem::Lagged(n) => i.lost += n,
        });
    }

    fn take(&self) -> Option<Option<StreamItem>> {
        let mut i = self.items.lock().unwrap_or_else(|e| e.into_inner());
        if i.lost > 0 {
            return Some(Some(StreamItem::Lagged(std::mem::take(&mut i.lost))));
        }
        if let Some(ev) = i.events.pop_front() {
            return Some(Some(StreamItem::Event(ev)));
        }
        i.ended.then_some(None)
    }

    /// Up to `max` items at once (a pending loss report first); `None` once the stream has ended
    /// and the queue is empty, an empty list when nothing is queued yet.
    pub fn take_batch(&self, max: usize) -> Option<Vec<StreamItem>> {
        let mut i = self.items.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = Vec::with_capacity(i.events.len().min(max.max(1)) + 1);
        if i.lost > 0 {
            out.push(StreamItem::Lagged(std::mem::take(&mut i.lost)));
        }
        let n = i.events.len().min(max.max(1).saturating_sub(out.len()));
        out.extend(i.events.drain(..n).map(StreamItem::Event));
        if out.is_empty() && i.ended {
            return None;
        }
        Some(out)
    }

    /// At least one and up to `max` items; `None` once the stream has ended and the queue is
    /// empty. Cancel-safe.
    pub async fn next_batch(&self, max: usize) -> Option<Vec<StreamItem>> {
        loop {
            let ready = self.ready.notified();
            tokio::pin!(ready);
            ready.as_mut().enable();
            match self.take_batch(max) {
                None => return None,
                Some(v) if !v.is_empty() => return Some(v),
                Some(_) => {}
            }
            ready.await;
        }
    }

    /// The next item; `None` once the stream has ended and the queue is empty. Cancel-safe.
    pub async fn next(&self) -> Option<StreamItem> {
        loop {
            // Registered before looking, so a push between the look and the wait is not missed.
            let ready = self.ready.notified();
            tokio::pin!(ready);
            ready.as_mut().enable();
            if let Some(item) = self.take() {
                return item;
            }
            ready.await;
        }
    }
}
