//! Fault injection for tests: rules consulted by the sessions, and "now" actions on sockets.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Weak};
use std::time::Duration;

use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Utf8Bytes;

use crate::shared::{lock, Out, Shared};

#[derive(Default)]
struct Rules {
    delay: HashMap<String, VecDeque<Duration>>,
    drop: HashMap<String, usize>,
    close: HashMap<String, usize>,
}

impl Rules {
    fn is_empty(&self) -> bool {
        self.delay.is_empty() && self.drop.is_empty() && self.close.is_empty()
    }
}

/// What happens to one reply.
pub(crate) enum ReplyFault {
    None,
    Delay(Duration),
    Drop,
}

#[derive(Default)]
pub(crate) struct FaultState {
    /// Fast path: benchmarks send thousands of requests with no rule armed, skip the mutex then.
    armed: AtomicBool,
    shuffle: AtomicBool,
    rules: Mutex<Rules>,
}

fn take_count(map: &mut HashMap<String, usize>, method: &str) -> bool {
    match map.get_mut(method) {
        Some(n) => {
            *n -= 1;
            if *n == 0 {
                map.remove(method);
            }
            true
        }
        None => false,
    }
}

impl FaultState {
    fn arm(&self, f: impl FnOnce(&mut Rules)) {
        let mut r = lock(&self.rules);
        f(&mut r);
        self.armed.store(true, Ordering::Release);
    }

    fn take<T>(&self, f: impl FnOnce(&mut Rules) -> T, none: T) -> T {
        if !self.armed.load(Ordering::Acquire) {
            return none;
        }
        let mut r = lock(&self.rules);
        let out = f(&mut r);
        self.armed.store(!r.is_empty(), Ordering::Release);
        out
    }

    /// Consumes a `close_on` rule for `method`.
    pub fn take_close(&self, method: &str) -> bool {
        self.take(|r| take_count(&mut r.close, method), false)
    }

    /// Consumes a `drop_reply` or `delay_reply` rule for `method` (drop first).
    pub fn take_reply_fault(&self, method: &str) -> ReplyFault {
        self.take(
            |r| {
                if take_count(&mut r.drop, method) {
                    return ReplyFault::Drop;
                }
                let Some(q) = r.delay.get_mut(method) else { return ReplyFault::None };
                let d = q.pop_front();
                if q.is_empty() {
                    r.delay.remove(method);
                }
                d.map_or(ReplyFault::None, ReplyFault::Delay)
            },
            ReplyFault::None,
        )
    }

    pub fn shuffle(&self) -> bool {
        self.shuffle.load(Ordering::Relaxed)
    }
}

/// Fault injection handle. Each rule applies to the next matching request (one-shot) unless
/// stated; several calls for one method queue up.
#[derive(Clone)]
pub struct Faults {
    pub(crate) shared: Weak<Shared>,
}

impl Faults {
    fn state(&self, f: impl FnOnce(&FaultState)) {
        if let Some(s) = self.shared.upgrade() {
            f(&s.faults);
        }
    }

    /// The next reply to `method` is sent after `delay` (its notifications are not held back).
    pub fn delay_reply(&self, method: &str, delay: Duration) {
        self.state(|f| f.arm(|r| r.delay.entry(method.to_string()).or_default().push_back(delay)));
    }

    /// The next reply to `method` is never sent; its side effects still happen.
    pub fn drop_reply(&self, method: &str) {
        self.state(|f| f.arm(|r| *r.drop.entry(method.to_string()).or_default() += 1));
    }

    /// When `method` next arrives, the socket is dropped (no close frame) instead of replying.
    pub fn close_on(&self, method: &str) {
        self.state(|f| f.arm(|r| *r.close.entry(method.to_string()).or_default() += 1));
    }

    /// Sends `text` as a text frame to every connection, now.
    pub fn send_garbage(&self, text: &str) {
        if let Some(s) = self.shared.upgrade() {
            let frame = Utf8Bytes::from(text.to_string());
            s.broadcast_all(|| Out::Text(frame.clone()));
        }
    }

    /// Sends one valid event of roughly `bytes` bytes (a long address book) to every connection.
    pub fn send_huge_frame(&self, bytes: usize) {
        if let Some(s) = self.shared.upgrade() {
            let frame = Utf8Bytes::from(huge_event(bytes, &s.config.server));
            s.broadcast_all(|| Out::Text(frame.clone()));
        }
    }

    /// Persistent: a command's notifications go out before its reply, pairs of them swapped.
    pub fn set_shuffle(&self, on: bool) {
        self.state(|f| f.shuffle.store(on, Ordering::Relaxed));
    }

    /// Removes every rule and turns shuffling off.
    pub fn clear(&self) {
        self.state(|f| {
            *lock(&f.rules) = Rules::default();
            f.armed.store(false, Ordering::Release);
            f.shuffle.store(false, Ordering::Relaxed);
        });
    }
}

fn huge_event(bytes: usize, server: &str) -> String {
    let mut entries = Vec::new();
    let mut size = 64;
    let mut i = 0usize;
    while size < bytes {
        let e: Value = json!({"peerId": format!("user{i}@{server}"), "peerDn": format!("User number {i}"),
            "status": 1, "isEditable": true});
        size += e.to_string().len() + 1;
        entries.push(e);
        i += 1;
    }
    json!({"method": "event", "event": "addressBookUpdate", "addressBook": entries}).to_string()
}
