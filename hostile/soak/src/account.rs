//! Bookkeeping: outcomes of requests, and the storm events each client saw.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// The name of the storm events the soak emits (a notification no catalogue knows: kept raw).
pub const STORM: &str = "soakStorm";

/// How requests ended, over every client.
#[derive(Default)]
pub struct Outcomes {
    pub requests: AtomicU64,
    pub ok: AtomicU64,
    pub refused: AtomicU64,
    pub timeout: AtomicU64,
    pub disconnected: AtomicU64,
    pub other: AtomicU64,
    /// No outcome (a Rust call outlived its time-out by the slack; a C callback never came).
    pub lost: AtomicU64,
    /// More than one outcome (a C callback called twice).
    pub duplicated: AtomicU64,
}

/// The families outcomes are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Ok,
    Refused,
    Timeout,
    Disconnected,
    Other,
}

impl Outcomes {
    pub fn request(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
    }

    pub fn outcome(&self, kind: Kind) {
        let counter = match kind {
            Kind::Ok => &self.ok,
            Kind::Refused => &self.refused,
            Kind::Timeout => &self.timeout,
            Kind::Disconnected => &self.disconnected,
            Kind::Other => &self.other,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn outcomes(&self) -> u64 {
        [&self.ok, &self.refused, &self.timeout, &self.disconnected, &self.other]
            .iter()
            .map(|c| c.load(Ordering::Relaxed))
            .sum()
    }
}

/// One client's view of the storms: every storm event carries the next number of one global
/// sequence, so a gap is an event this client did not get. A gap is fine when the client said so
/// (an `eventsLost` marker before it, counting at least as many) or when its link was down
/// meanwhile (`connectionLost`/`reconnected` before it: events sent to a dead link are gone).
#[derive(Default)]
pub struct Storms {
    last: Option<u64>,
    /// Losses reported since the last storm event.
    reported_budget: u64,
    /// A connection event since the last storm event.
    excused: bool,
    pub seen: u64,
    pub reported_lost: u64,
    pub unreported_lost: u64,
    pub reordered: u64,
    pub disconnected: u64,
}

impl Storms {
    pub fn storm(&mut self, seq: u64) {
        self.seen += 1;
        if let Some(last) = self.last {
            if seq <= last {
                self.reordered += 1;
                return;
            }
            let gap = seq - last - 1;
            if gap > 0 && !self.excused {
                if self.reported_budget >= gap {
                    self.reported_budget -= gap;
                } else {
                    self.unreported_lost += gap - self.reported_budget;
                    self.reported_budget = 0;
                }
            }
        }
        self.last = Some(seq);
        self.excused = false;
        self.reported_budget = 0;
    }

    pub fn lost(&mut self, count: u64) {
        self.reported_lost += count;
        self.reported_budget += count;
    }

    pub fn connection(&mut self, name: &str) {
        self.excused = true;
        if name == tcroom_core::DISCONNECTED {
            self.disconnected += 1;
        }
    }
}

/// Every client's storms, summed at the end.
#[derive(Default)]
pub struct AllStorms(pub Mutex<Vec<std::sync::Arc<Mutex<Storms>>>>);

impl AllStorms {
    pub fn add(&self) -> std::sync::Arc<Mutex<Storms>> {
        let s = std::sync::Arc::new(Mutex::new(Storms::default()));
        lock(&self.0).push(s.clone());
        s
    }

    /// (seen, reported lost, unreported lost, reordered, disconnected)
    pub fn totals(&self) -> (u64, u64, u64, u64, u64) {
        let all = lock(&self.0);
        all.iter().fold((0, 0, 0, 0, 0), |t, s| {
            let s = lock(s);
            (t.0 + s.seen, t.1 + s.reported_lost, t.2 + s.unreported_lost, t.3 + s.reordered, t.4 + s.disconnected)
        })
    }
}

pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_fine_only_when_reported_or_across_a_drop() {
        let mut s = Storms::default();
        s.storm(1);
        s.storm(2);
        s.lost(5);
        s.storm(6); // 3 missing, 5 reported
        assert_eq!(s.unreported_lost, 0);
        s.storm(9); // 2 missing, nothing reported
        assert_eq!(s.unreported_lost, 2);
        s.connection(tcroom_core::CONNECTION_LOST);
        s.storm(20); // across a drop
        assert_eq!(s.unreported_lost, 2);
        s.storm(20);
        assert_eq!(s.reordered, 1);
    }
}
