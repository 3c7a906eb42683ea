//! The adapter: the one module that reads a room through tcroom-core. The rest of the bridge sees
//! only this: the room's state as a JSON object with snake_case keys, a stream of updates
//! ("an event arrived", "the state changed", "the room is gone") and raw commands.
//!
//! Today the state is the core's `State` mirror re-read after every event. When the core offers
//! a live `RoomState` with `watch()`, only this file changes: `snapshot` returns the watched
//! value and `RoomUpdates` turns watch notifications into `StateChanged`. The keys the rest of
//! the bridge reads are listed in `crate::derive`.

use serde_json::Value;
use std::collections::VecDeque;
use std::time::Duration;
use tcroom_core::{Client, ConnectOptions, EventKind, EventStream, StreamItem};

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
    link: RoomLink,
    events: EventStream,
    last: Value,
    queued: VecDeque<RoomUpdate>,
    lost: bool,
}

/// Connects and authorizes. Notifications are caught from the moment the socket opens.
pub async fn connect(opts: ConnectOptions) -> tcroom_core::Result<(RoomLink, RoomUpdates)> {
    let (client, events) = Client::connect_subscribed(opts).await?;
    let link = RoomLink { client };
    let last = link.snapshot();
    let updates = RoomUpdates { link: link.clone(), events, last, queued: VecDeque::new(), lost: false };
    Ok((link, updates))
}

impl RoomLink {
    /// The room's state now: a JSON object with snake_case keys.
    pub fn snapshot(&self) -> Value {
        let mut v = serde_json::to_value(self.client.state()).unwrap_or_default();
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
            match self.events.recv().await {
                Some(StreamItem::Event(ev)) => {
                    self.queued.push_back(RoomUpdate::Event { name: ev.name.clone(), payload: ev.raw.clone() });
                    let now = self.link.snapshot();
                    if now != self.last {
                        self.last = now;
                        self.queued.push_back(RoomUpdate::StateChanged);
                    }
                    let reason = match &ev.kind {
                        EventKind::Disconnected { reason } => Some(reason.clone()),
                        // Another controller took our role: the socket stays, but every command
                        // would be refused. Treat it as the room going away (the bridge retries).
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
                // The stream of connect_subscribed never lags; a subscription that did would
                // still be followed by fresh state.
                Some(StreamItem::Lagged(_)) => {}
                None => {
                    self.lost = true;
                    self.queued.push_back(RoomUpdate::Lost { reason: "the event stream ended".into() });
                }
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
