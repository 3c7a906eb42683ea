//! Shared helpers: an emulator per test, a connected client, waiting for events without sleeps.
#![allow(dead_code)]

use std::time::Duration;
use tcroom_core::{Client, ConnectOptions, Event, EventKind, EventStream, StreamItem};
use tcroom_emulator::{Emulator, EmulatorConfig};

pub const WAIT: Duration = Duration::from_secs(10);

pub async fn emulator(config: EmulatorConfig) -> Emulator {
    Emulator::start(config).await.expect("emulator starts")
}

pub fn options(emu: &Emulator) -> ConnectOptions {
    ConnectOptions::new("127.0.0.1").web_port(emu.web_port()).connect_timeout(WAIT).request_timeout(WAIT)
}

pub async fn connect(emu: &Emulator) -> (Client, EventStream) {
    Client::connect_subscribed(options(emu)).await.expect("connects")
}

/// The next event matching `pred`, failing the test after `WAIT`.
pub async fn next_matching(events: &mut EventStream, what: &str, pred: impl Fn(&Event) -> bool) -> Event {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Err(_) => panic!("no {what} within {WAIT:?}"),
            Ok(None) => panic!("event stream ended while waiting for {what}"),
            Ok(Some(StreamItem::Lagged(n))) => panic!("lagged by {n} while waiting for {what}"),
            Ok(Some(StreamItem::Event(ev))) if pred(&ev) => return (*ev).clone(),
            Ok(Some(StreamItem::Event(_))) => {}
        }
    }
}

pub async fn next_named(events: &mut EventStream, name: &str) -> Event {
    next_matching(events, name, |e| e.name == name).await
}

pub fn is_joined(e: &Event) -> bool {
    matches!(e.kind, EventKind::NewParticipant { .. })
}
