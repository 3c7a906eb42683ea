//! A subscriber's view of the notifications: every event in order, gaps reported, a clear end.

use crate::event::{Event, EventKind};
use crate::queue::EventQueue;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::{self, error::RecvError, error::TryRecvError};
use tokio::sync::mpsc;

/// A client's primary consumer of events.
pub(crate) enum Primary {
    /// Nobody: `Client::connect` without a stream (use `subscribe()`).
    Nobody,
    /// The lossless stream of `connect_subscribed`.
    Stream(mpsc::UnboundedSender<Arc<Event>>),
    /// A bounded queue (the C and Python faces, `connect_queued`).
    Queue(Arc<EventQueue>),
}

impl Primary {
    /// A lossless stream and its sending side.
    pub(crate) fn stream() -> (Primary, EventStream) {
        let (tx, rx) = mpsc::unbounded_channel();
        (Primary::Stream(tx), EventStream { source: Source::Primary(rx), ended: false })
    }

    pub(crate) fn send(&self, ev: Arc<Event>) {
        match self {
            Primary::Nobody => {}
            Primary::Stream(tx) => {
                // A dropped stream is not an error: the caller did not want the events.
                let _ = tx.send(ev);
            }
            Primary::Queue(q) => q.push(ev),
        }
    }

    pub(crate) fn queue(&self) -> Option<&Arc<EventQueue>> {
        match self {
            Primary::Queue(q) => Some(q),
            _ => None,
        }
    }
}

enum Source {
    /// From `connect_subscribed`: unbounded, so nothing is ever lost; whoever asks for it is
    /// expected to drain it (the C and Python bindings pump it into their own queues).
    Primary(mpsc::UnboundedReceiver<Arc<Event>>),
    /// From `subscribe`: a bounded ring shared by all such subscribers; one that falls behind
    /// by more than the capacity is told how many it missed.
    Broadcast(broadcast::Receiver<Arc<Event>>),
}

/// What a subscriber receives.
#[derive(Debug, Clone)]
pub enum StreamItem {
    /// The next event.
    Event(Arc<Event>),
    /// The subscriber fell behind and this many events were dropped for it (only for it).
    Lagged(u64),
}

/// Notifications from one client, in the order the room sent them. The stream returned by
/// `Client::connect_subscribed` never loses an event; those of `Client::subscribe` report
/// [`StreamItem::Lagged`] when they fall too far behind. Ends (`None`) after the
/// synthetic `disconnected` event, which is always delivered last. With reconnect on, a drop
/// shows as `connectionLost` then `reconnected`, and the stream goes on.
pub struct EventStream {
    source: Source,
    ended: bool,
}

impl EventStream {
    pub(crate) fn broadcast(rx: broadcast::Receiver<Arc<Event>>) -> EventStream {
        EventStream { source: Source::Broadcast(rx), ended: false }
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
        let got = match &mut self.source {
            Source::Primary(rx) => rx.recv().await.ok_or(RecvError::Closed),
            Source::Broadcast(rx) => rx.recv().await,
        };
        match got {
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
        let got = match &mut self.source {
            Source::Primary(rx) => rx.try_recv().map_err(|e| match e {
                mpsc::error::TryRecvError::Empty => TryRecvError::Empty,
                mpsc::error::TryRecvError::Disconnected => TryRecvError::Closed,
            }),
            Source::Broadcast(rx) => rx.try_recv(),
        };
        match got {
            Ok(ev) => Some(self.note(ev)),
            Err(TryRecvError::Lagged(n)) => Some(StreamItem::Lagged(n)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Closed) => {
                self.ended = true;
                None
            }
        }
    }

    /// The stream has delivered `disconnected` (or its sender is gone): nothing more will come.
    pub fn is_ended(&self) -> bool {
        self.ended
    }
}
