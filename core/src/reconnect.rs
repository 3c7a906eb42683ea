//! The reconnect supervisor: one task per client with reconnect on, asleep until the link drops.

use crate::event::Event;
use crate::session::Session;
use crate::ErrorKind;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use tracing::{info, warn};

/// Starts the supervisor. It holds the session weakly: dropping the last client handle ends it.
pub(crate) fn supervise(session: &Arc<Session>) {
    let weak = Arc::downgrade(session);
    tokio::spawn(async move {
        loop {
            // Only the signal is held while waiting, not the connection or the session.
            let down = match weak.upgrade() {
                Some(s) => s.conn().down.clone(),
                None => return,
            };
            down.notified().await;
            if !repair(&weak).await {
                return;
            }
        }
    });
}

/// Reconnects with back-off. False when the client is gone, closed, or we gave up; then the
/// one final `disconnected` has been published, with the real reason.
async fn repair(weak: &Weak<Session>) -> bool {
    let Some(session) = weak.upgrade() else { return false };
    if session.closed.load(Ordering::SeqCst) {
        return false;
    }
    let Some(policy) = session.opts.reconnect.clone() else { return false };
    let lost = session.conn().down_reason();
    drop(session);
    let mut delay = policy.initial_delay;
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(policy.max_delay);
        let Some(session) = weak.upgrade() else { return false };
        if session.closed.load(Ordering::SeqCst) {
            return false;
        }
        match session.reopen().await {
            Ok(()) => {
                info!(attempt, "reconnected");
                session.publisher.publish(Event::reconnected(attempt));
                return true;
            }
            Err(e) if e.kind() == ErrorKind::Closed => return false,
            Err(e) => {
                warn!(attempt, error = %e, "reconnect attempt failed");
                // The room answered and refused the credentials: trying again cannot help.
                let hopeless = e.kind() == ErrorKind::Auth;
                if hopeless || (policy.max_attempts != 0 && attempt >= policy.max_attempts) {
                    let reason = if hopeless {
                        format!("{lost}; cannot authorize again: {e}")
                    } else {
                        format!("{lost}; gave up after {attempt} reconnect attempts, the last: {e}")
                    };
                    session.give_up(&reason);
                    return false;
                }
            }
        }
    }
}
