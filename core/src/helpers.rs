//! What users of room APIs write by hand otherwise: waiting for a state, and auto-answer.

use crate::event::EventKind;
use crate::model::IncomingCall;
use crate::state::RoomState;
use crate::stream::StreamItem;
use crate::{Client, Error, Result};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tracing::warn;

impl Client {
    /// Waits until the room state satisfies `predicate` (checked at once, then at every
    /// change), up to `timeout`; returns that state. For example
    /// `room.wait_for(|s| s.in_call, Duration::from_secs(30))`.
    ///
    /// ```no_run
    /// # async fn demo(room: &tcroom_core::Client) -> tcroom_core::Result<()> {
    /// use std::time::Duration;
    /// room.call("user1@some.server", None).await?;
    /// let state = room.wait_for(|s| s.in_call, Duration::from_secs(30)).await?;
    /// println!("in a call with {:?}", state.conference.as_ref().and_then(|c| c.peer_id.clone()));
    /// # Ok(()) }
    /// ```
    pub async fn wait_for(&self, predicate: impl Fn(&RoomState) -> bool, timeout: Duration) -> Result<Arc<RoomState>> {
        let mut watch = self.watch();
        let wait = async {
            while let Some(change) = watch.next().await {
                if predicate(&change.state) {
                    return Ok(change.state);
                }
            }
            Err(Error::Disconnected { reason: "the client disconnected while waiting for a state".into() })
        };
        match tokio::time::timeout(timeout, wait).await {
            Ok(r) => r,
            Err(_) => Err(Error::Timeout { method: "wait_for (room state)".into(), after: timeout }),
        }
    }

    /// Answers incoming calls and invitations by `policy` until the returned handle is stopped
    /// or dropped: `accept` for the peers it allows, `reject` for the rest.
    pub fn auto_answer(&self, policy: AutoAnswerPolicy) -> AutoAnswer {
        let (tx, rx) = mpsc::channel(64);
        let client = self.clone();
        let mut events = self.subscribe();
        let task = tokio::spawn(async move {
            while let Some(item) = events.recv().await {
                let StreamItem::Event(ev) = item else { continue };
                let EventKind::InviteReceived(call) = &ev.kind else { continue };
                let accept = policy.allows(&call.peer_id);
                let result = if accept { client.accept().await } else { client.reject().await };
                if let Err(e) = &result {
                    warn!(peer = %call.peer_id, accept, error = %e, "auto-answer failed");
                }
                let decision =
                    Decision { call: call.clone(), accepted: accept, error: result.err().map(|e| e.to_string()) };
                // Nobody reading decisions is fine: they are for those who want them.
                let _ = tx.try_send(decision);
            }
        });
        AutoAnswer { task: task.abort_handle(), decisions: rx }
    }
}

/// Whom auto-answer accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AutoAnswerPolicy {
    /// Accept every call.
    All,
    /// Reject every call.
    Nobody,
    /// Accept these peers (PeerId, CallId; a bare name matches any server), reject the rest.
    Only(Vec<String>),
}

impl AutoAnswerPolicy {
    /// Whether a call from `peer` is accepted.
    pub fn allows(&self, peer: &str) -> bool {
        fn call_id(s: &str) -> &str {
            s.split('/').next().unwrap_or(s)
        }
        match self {
            AutoAnswerPolicy::All => true,
            AutoAnswerPolicy::Nobody => false,
            AutoAnswerPolicy::Only(list) => list.iter().any(|allowed| {
                let (a, p) = (call_id(allowed.trim()), call_id(peer));
                a.eq_ignore_ascii_case(p)
                    || (!a.contains('@') && p.split('@').next().is_some_and(|u| u.eq_ignore_ascii_case(a)))
            }),
        }
    }
}

/// What auto-answer did with one call.
#[derive(Debug, Clone)]
pub struct Decision {
    /// The call or invitation, as `inviteReceived` told it.
    pub call: IncomingCall,
    /// True when it was accepted, false when rejected.
    pub accepted: bool,
    /// Why sending the answer failed, if it did.
    pub error: Option<String>,
}

/// A running auto-answer; stops when dropped.
pub struct AutoAnswer {
    task: tokio::task::AbortHandle,
    decisions: mpsc::Receiver<Decision>,
}

impl AutoAnswer {
    /// The next decision (the last 64 are kept while nobody reads).
    pub async fn next_decision(&mut self) -> Option<Decision> {
        self.decisions.recv().await
    }

    /// Stops answering calls (as dropping it does); decisions already made can still be read.
    pub fn stop(&self) {
        self.task.abort();
    }
}

impl Drop for AutoAnswer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_match_peers_leniently() {
        let p = AutoAnswerPolicy::Only(vec!["alice".into(), "bob@corp.example".into()]);
        assert!(p.allows("alice@some.server/1234"));
        assert!(p.allows("BOB@corp.example"));
        assert!(!p.allows("bob@other.example"));
        assert!(!p.allows("mallory@some.server"));
        assert!(AutoAnswerPolicy::All.allows("x") && !AutoAnswerPolicy::Nobody.allows("x"));
    }
}
