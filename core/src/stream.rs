//! A subscriber's view of the notifications: every event in order, gaps reported, a clear end.

use crate::event::{Event, EventKind};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::{self, error::RecvError, error::TryRecvError};

/// What a subscriber receives.
#[derive(Debug, Clone)]
pub enum StreamItem {
    Event(Arc<Event>),
    /// The subscriber fell behind and this many events were dropped for it (only for it).
    Lagged(u64),
}

/// Notifications from one client, in the order the room sent them. Ends (`None`) after the
/// synthetic `disconnected` event, which is always delivered last. With reconnect on, a drop
/// shows as `connectionLost` then `reconnected`, and the stream goes on.
pub struct EventStream {
    rx: broadcast::Receiver<Arc<Event>>,
    ended: bool,
}

impl EventStream {
    pub(crate) fn new(rx: broadcast::Receiver<Arc<Event>>) -> Self {
        EventStream { rx, ended: false }
    }

    fn note(&mut self, ev: Arc<Event>) -> StreamItem {
        if matches!(ev.kind, EventKind::Disconnected { .. }) {
            self.ended = true;
        }
        StreamItem::Event(ev)
    }

    /// The next item; `None` once the stream has ended.
    pub async fn recv(&mut self) -> Option<StreamItem> {
        if self.ended {
            return None;
        }
        match self.rx.recv().await {
            Ok(ev) => Some(self.note(ev)),
            Err(RecvError::Lagged(n)) => Some(StreamItem::Lagged(n)),
            Err(RecvError::Closed) => {
                self.ended = true;
                None
            }
        }
    }

    /// Like [`recv`](Self::recv), giving up after `timeout` with `Err(())`.
    pub async fn recv_timeout(&mut self, timeout: Duration) -> Result<Option<StreamItem>, ()> {
        tokio::time::timeout(timeout, self.recv()).await.map_err(|_| ())
    }

    /// An item if one is waiting, without blocking.
    pub fn try_recv(&mut self) -> Option<StreamItem> {
        if self.ended {
            return None;
        }
        match self.rx.try_recv() {
            Ok(ev) => Some(self.note(ev)),
            Err(TryRecvError::Lagged(n)) => Some(StreamItem::Lagged(n)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Closed) => {
                self.ended = true;
                None
            }
        }
    }

    pub fn is_ended(&self) -> bool {
        self.ended
    }
}
