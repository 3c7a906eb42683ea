//! The reconnect supervisor: one task per client with reconnect on, asleep until the link drops.

use crate::client::{Client, Inner};
use crate::event::Event;
use crate::ErrorKind;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use tracing::{info, warn};

/// Starts the supervisor. It holds the client weakly: dropping the last handle ends it.
pub(crate) fn supervise(client: &Client) {
    let weak = Arc::downgrade(&client.inner);
    tokio::spawn(async move {
        loop {
            // Only the signal is held while waiting, not the connection or the client.
            let down = match weak.upgrade() {
                Some(inner) => inner.conn().down.clone(),
                None => return,
            };
            down.notified().await;
            if !repair(&weak).await {
                return;
            }
        }
    });
}

/// Reconnects with back-off. False when the client is gone, closed, or we gave up.
async fn repair(weak: &Weak<Inner>) -> bool {
    let Some(inner) = weak.upgrade() else { return false };
    if inner.closed.load(Ordering::SeqCst) {
        return false;
    }
    let Some(policy) = inner.opts.reconnect.clone() else { return false };
    let lost = inner.conn().down_reason();
    drop(inner);
    let mut delay = policy.initial_delay;
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(policy.max_delay);
        let Some(inner) = weak.upgrade() else { return false };
        if inner.closed.load(Ordering::SeqCst) {
            return false;
        }
        let client = Client::from_inner(inner);
        match client.reopen().await {
            Ok(()) => {
                info!(attempt, "reconnected");
                publish(&client, Event::reconnected(attempt));
                return true;
            }
            Err(e) if e.kind() == ErrorKind::Closed => return false,
            Err(e) => {
                warn!(attempt, error = %e, "reconnect failed");
                let hopeless = e.kind() == ErrorKind::Auth;
                if hopeless || (policy.max_attempts != 0 && attempt >= policy.max_attempts) {
                    let reason = if hopeless {
                        format!("{lost}; cannot re-authorize: {e}")
                    } else {
                        format!("{lost}; gave up after {attempt} reconnect attempts: {e}")
                    };
                    publish(&client, Event::disconnected(&reason));
                    return false;
                }
            }
        }
    }
}

fn publish(client: &Client, ev: Event) {
    client.inner.state.apply(&ev);
    client.inner.events.send(Arc::new(ev));
}
