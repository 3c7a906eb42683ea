//! The adapter: the one module that reads a room through tcroom-core. The rest of the bridge sees
//! only this: the room's state as a JSON object with snake_case keys, a stream of updates
//! ("an event arrived", "the state changed", "the room is gone") and raw commands.
//!
//! The state is the core's live `RoomState` (snake_case keys; what `crate::derive` reads): a
//! `StateChanged` update follows each change `watch()` reports. Events come from the core's
//! bounded event queue (the oldest dropped first, reported as `eventsLost`), so a room that
//! floods while the broker is slow cannot grow the bridge's memory.

use serde_json::Value;
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;
use tcroom_core::{Client, ConnectOptions, EventKind, EventQueue, StateWatch};

/// A connected room. Cheap to clone.
#[derive(Clone)]
pub struct RoomLink {
    client: Client,
}

/// What the room did.
#[derive(Debug, Clone, PartialEq)]
pub enum RoomUpdate {
    /// A notification: its wire name and the whole JSON object as received.
    Event { name: String, payload: Value },
    /// [`RoomLink::snapshot`] differs from what it was at the previous update.
    StateChanged,
    /// The room is unreachable or no longer lets us in; the link is dead. Always the last update.
    Lost { reason: String },
}

/// Updates of one link, in order.
pub struct RoomUpdates {
    events: Arc<EventQueue>,
    watch: StateWatch,
    queued: VecDeque<RoomUpdate>,
    lost: bool,
}

/// Connects and authorizes. Notifications are caught from the moment the socket opens.
pub async fn connect(opts: ConnectOptions) -> tcroom_core::Result<(RoomLink, RoomUpdates)> {
    let (client, events) = Client::connect_queued(opts).await?;
    let watch = client.watch();
    let link = RoomLink { client };
    let updates = RoomUpdates { events, watch, queued: VecDeque::new(), lost: false };
    Ok((link, updates))
}

impl RoomLink {
    /// The room's state now: a JSON object with snake_case keys.
    pub fn snapshot(&self) -> Value {
        let mut v = serde_json::to_value(&*self.client.snapshot()).unwrap_or_default();
        strip_raw(&mut v);
        v
    }

    /// Any command by wire name; the whole reply, or the room's refusal as
    /// `tcroom_core::Error::Refused`.
    pub async fn request(&self, method: &str, params: Value, timeout: Duration) -> tcroom_core::Result<Value> {
        self.client.request_timeout(method, params, timeout).await
    }

    pub async fn close(&self) {
        self.client.close().await;
    }
}

/// The mirror keeps every raw notification next to the typed fields; the published state carries
/// only the typed fields (the raw ones are in `event/...`), which keeps it small.
fn strip_raw(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("raw");
            m.values_mut().for_each(strip_raw);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_raw),
        _ => {}
    }
}

impl RoomUpdates {
    /// The next update; after `Lost`, `Lost` again.
    pub async fn next(&mut self) -> RoomUpdate {
        loop {
            if let Some(u) = self.queued.pop_front() {
                return u;
            }
            if self.lost {
                return RoomUpdate::Lost { reason: "the link is closed".into() };
            }
            // Events first: the core updates the state before it delivers the event that
            // changed it, so an event and then its state change is the order a host expects.
            tokio::select! {
                biased;
                ev = self.events.next() => match ev {
                    Some(ev) => {
                        self.queued.push_back(RoomUpdate::Event { name: ev.name.clone(), payload: ev.raw.clone() });
                        let reason = match &ev.kind {
                            EventKind::Disconnected { reason } => Some(reason.clone()),
                            // Another controller took our role: the socket stays, but every
                            // command would be refused. Treat it as the room going away (the
                            // bridge retries).
                            EventKind::AuthorizationNeeded { cause } => {
                                Some(format!("the room asks to authorize again (cause {})", cause.unwrap_or(-1)))
                            }
                            _ => None,
                        };
                        if let Some(reason) = reason {
                            self.lost = true;
                            self.queued.push_back(RoomUpdate::Lost { reason });
                        }
                    }
                    None => {
                        self.lost = true;
                        self.queued.push_back(RoomUpdate::Lost { reason: "the event stream ended".into() });
                    }
                },
                // `None`: the client is gone for good; `disconnected` is on its way in the queue.
                change = self.watch.next() => if change.is_some() {
                    self.queued.push_back(RoomUpdate::StateChanged);
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn raw_copies_are_dropped_everywhere() {
        let mut v =
            json!({"a": 1, "raw": {}, "participants": [{"peer_id": "x", "raw": {"k": 1}}], "c": {"raw": 2, "d": 3}});
        strip_raw(&mut v);
        assert_eq!(v, json!({"a": 1, "participants": [{"peer_id": "x"}], "c": {"d": 3}}));
    }
}
