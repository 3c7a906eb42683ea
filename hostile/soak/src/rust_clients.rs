//! Clients of the Rust core: workers sending commands as fast as the room answers, a reader
//! accounting for the storms.

use crate::account::{Kind, Outcomes, Storms, STORM};
use crate::rng::Rng;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tcroom_core::{Client, Error, EventKind, EventQueue, CONNECTION_LOST, DISCONNECTED, RECONNECTED};

/// How long a request may wait for its reply.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(2);
/// A request without an outcome this long after its time-out is lost.
pub const SLACK: Duration = Duration::from_secs(5);

/// One command of the mix: its wire name and parameters.
pub fn command(rng: &mut Rng) -> (&'static str, Value) {
    match rng.below(12) {
        0 | 1 => ("getAppState", Value::Null),
        2 => ("getTariffRestrictions", Value::Null),
        3 => ("getSystemInfo", Value::Null),
        4 => ("getMicMute", Value::Null),
        5 => ("setMicMute", json!({ "mute": rng.below(2) == 1 })),
        6 => ("getConferences", Value::Null),
        7 => ("getHardware", Value::Null),
        8 => ("getSettings", Value::Null),
        9 => ("getLogin", Value::Null),
        10 => ("fireMyEvent", json!({ "data": format!("soak {}", rng.below(1000)) })),
        // Refused by the room: an outcome like any other.
        _ => ("noSuchCommand", Value::Null),
    }
}

pub fn kind_of(r: &Result<Value, Error>) -> Kind {
    match r {
        Ok(_) => Kind::Ok,
        Err(Error::Refused { .. }) => Kind::Refused,
        Err(Error::Timeout { .. }) => Kind::Timeout,
        Err(Error::Disconnected { .. }) => Kind::Disconnected,
        Err(_) => Kind::Other,
    }
}

/// Sends commands until `stop`; every request gets its outcome counted, or is counted lost.
pub async fn worker(client: Client, outcomes: Arc<Outcomes>, stop: Arc<AtomicBool>, seed: u64) {
    let mut rng = Rng::new(seed);
    while !stop.load(Ordering::Relaxed) {
        let (method, params) = command(&mut rng);
        outcomes.request();
        let call = client.request_timeout(method, params, REQUEST_TIMEOUT);
        match tokio::time::timeout(REQUEST_TIMEOUT + SLACK, call).await {
            Ok(result) => {
                let kind = kind_of(&result);
                if std::env::var_os("SOAK_DEBUG").is_some() && kind != Kind::Ok && rng.below(2000) == 0 {
                    eprintln!("soak: {method}: {:?}", result.as_ref().err());
                }
                outcomes.outcome(kind);
                if kind == Kind::Disconnected {
                    // The link is down: a reconnect is under way. Do not spin meanwhile.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
            Err(_) => {
                outcomes.lost.fetch_add(1, Ordering::Relaxed);
                eprintln!("soak: LOST: '{method}' had no outcome {:?} after its time-out", SLACK);
            }
        }
    }
}

/// Reads the client's queue until it ends, accounting for storms and losses.
pub async fn reader(queue: Arc<EventQueue>, storms: Arc<Mutex<Storms>>) {
    while let Some(batch) = queue.next_batch(1024).await {
        let mut s = crate::account::lock(&storms);
        for ev in batch {
            match &ev.kind {
                EventKind::EventsLost { count } => s.lost(*count),
                _ if ev.name == STORM => {
                    if let Some(seq) = ev.raw.get("seq").and_then(Value::as_u64) {
                        s.storm(seq);
                    }
                }
                _ if [CONNECTION_LOST, RECONNECTED, DISCONNECTED].contains(&ev.name.as_str()) => s.connection(&ev.name),
                _ => {}
            }
        }
    }
}
