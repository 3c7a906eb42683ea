//! Waiting for the room to confirm what it accepted. A reply only says "accepted for execution"
//! (PROTOCOL.md §2); the outcome comes as notifications, so commands subscribe before sending
//! and then read the notifications until the one that settles it, a deadline or Ctrl-C.

use crate::exit::{Failure, CONNECT, ERROR};
use tcroom_core::{Event, EventKind, EventStream, StreamItem};
use tokio::time::Instant;

/// How a wait ended.
pub enum Waited<T> {
    /// The notification that settles it.
    Got(T),
    /// The deadline passed first.
    Deadline,
    /// The operator pressed Ctrl-C.
    Interrupted,
}

/// Reads `events` until `pick` returns a value, `deadline` passes or Ctrl-C. Fails when the
/// connection ends.
pub async fn until<T>(
    events: &mut EventStream,
    deadline: Instant,
    mut pick: impl FnMut(&Event) -> Option<T>,
) -> Result<Waited<T>, Failure> {
    loop {
        let item = tokio::select! {
            item = tokio::time::timeout_at(deadline, events.recv()) => match item {
                Ok(item) => item,
                Err(_) => return Ok(Waited::Deadline),
            },
            _ = crate::interrupt::pressed(1) => return Ok(Waited::Interrupted),
        };
        let ev = match item {
            Some(StreamItem::Event(ev)) => ev,
            // A flood we fell behind in: what we wait for may be among the missed, and then the
            // deadline (and the caller's fallback) settles it.
            Some(StreamItem::Lagged(_)) => continue,
            None => return Err(ended("")),
        };
        match &ev.kind {
            EventKind::Disconnected { reason } => return Err(ended(reason)),
            EventKind::AuthorizationNeeded { cause } => return Err(deauthorized(*cause)),
            _ => {}
        }
        if let Some(v) = pick(ev.as_ref()) {
            return Ok(Waited::Got(v));
        }
    }
}

/// The connection to the room ended while waiting.
pub fn ended(reason: &str) -> Failure {
    if reason.is_empty() {
        Failure::new(ERROR, "the connection to the room ended")
    } else {
        Failure::new(ERROR, format!("the connection to the room ended: {reason}"))
    }
}

/// The room took this connection's authorization (`authorizationNeeded`, PROTOCOL.md §3).
pub fn deauthorized(cause: Option<i64>) -> Failure {
    let why = match cause {
        Some(1) => "another client took this control role (the room authorizes one connection per role; \
             run the long-lived command with --role user)"
            .to_owned(),
        Some(c) => format!("cause {c}"),
        None => "no cause given".to_owned(),
    };
    Failure::new(CONNECT, format!("the room no longer authorizes this connection: {why}"))
}

/// Ctrl-C while waiting.
pub fn interrupted(what: &str) -> Failure {
    Failure::new(ERROR, format!("interrupted {what}"))
}

/// What one notification says about the outcome being waited for.
pub enum Sign<T> {
    /// It settles it.
    Final(T),
    /// It says how it went, but a notification with the details may follow (the room sends
    /// `appStateChanged` and `conferenceCreated` in an undocumented order).
    Likely(T),
}

/// How long a `Likely` outcome waits for its details.
pub const SETTLE: std::time::Duration = std::time::Duration::from_secs(2);

/// Like [`until`], for outcomes announced twice: the first `Final` wins; a `Likely` one is
/// taken if no `Final` follows within [`SETTLE`] (or before `deadline`, if that is sooner).
pub async fn settle<T>(
    events: &mut EventStream,
    deadline: Instant,
    mut classify: impl FnMut(&Event) -> Option<Sign<T>>,
) -> Result<Waited<T>, Failure> {
    let mut deadline = deadline;
    let mut likely: Option<T> = None;
    loop {
        match until(events, deadline, &mut classify).await? {
            Waited::Got(Sign::Final(v)) => return Ok(Waited::Got(v)),
            Waited::Got(Sign::Likely(v)) => {
                if likely.is_none() {
                    likely = Some(v);
                    deadline = deadline.min(Instant::now() + SETTLE);
                }
            }
            Waited::Deadline => return Ok(likely.map_or(Waited::Deadline, Waited::Got)),
            Waited::Interrupted => return Ok(Waited::Interrupted),
        }
    }
}
