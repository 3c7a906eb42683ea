//! State shared by every task of one running emulator: configuration, the tariff, the
//! connection registry used for broadcasts, issued tokens.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Instant;

use serde_json::Value;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Utf8Bytes;

use crate::config::{AuthMode, EmulatorConfig};
use crate::faults::FaultState;
use crate::room::Room;

/// What a connection's writer task is asked to do.
pub(crate) enum Out {
    Text(Utf8Bytes),
    /// Push out queued control frames (a pong) even when no text follows.
    Flush,
    /// Send a close frame and stop writing.
    Close,
}

pub(crate) type Tx = mpsc::UnboundedSender<Out>;

/// Authorization level of a connection, shared between its session and the registry so that a
/// newer connection of the same role can de-authorize it.
pub(crate) const AUTH_NONE: u8 = 0;
pub(crate) const AUTH_USER: u8 = 1;
pub(crate) const AUTH_ADMIN: u8 = 2;

pub(crate) struct ConnEntry {
    pub tx: Tx,
    pub auth: Arc<AtomicU8>,
}

#[derive(Default)]
pub(crate) struct Registry {
    pub conns: HashMap<u64, ConnEntry>,
    /// Connection currently holding the user (index 0) and admin (index 1) role.
    pub role_holders: [Option<u64>; 2],
}

pub(crate) struct Shared {
    pub config: EmulatorConfig,
    pub http_port: u16,
    pub tariff: Mutex<Value>,
    pub registry: Mutex<Registry>,
    pub next_conn_id: AtomicU64,
    pub conf_counter: AtomicU32,
    pub tokens: Mutex<HashSet<String>>,
    pub http_tokens: Mutex<HashMap<String, HttpToken>>,
    pub faults: Arc<FaultState>,
    /// The one room every connection controls; `None` with `isolated_rooms`.
    pub room: Option<Arc<Mutex<Room>>>,
}

/// Locks ignoring poison: a panic elsewhere must not turn every later request into a panic.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub(crate) fn to_frame(v: &Value) -> Utf8Bytes {
    Utf8Bytes::from(v.to_string())
}

impl Shared {
    pub fn new(config: EmulatorConfig, http_port: u16) -> Arc<Shared> {
        let room = (!config.isolated_rooms).then(|| Arc::new(Mutex::new(Room::new(&config, Target::All))));
        Arc::new(Shared {
            tariff: Mutex::new(config.tariff.clone()),
            config,
            http_port,
            registry: Mutex::new(Registry::default()),
            next_conn_id: AtomicU64::new(1),
            conf_counter: AtomicU32::new(0x2c6),
            tokens: Mutex::new(HashSet::new()),
            http_tokens: Mutex::new(HashMap::new()),
            faults: Arc::new(FaultState::default()),
            room,
        })
    }

    pub fn tariff(&self) -> Value {
        lock(&self.tariff).clone()
    }

    /// Issues a token for the embedded HTTP server, bound to the room whose frames it opens.
    pub fn issue_http_token(&self, room: Weak<Mutex<Room>>) -> String {
        let token = format!("{:032x}", rand::random::<u128>());
        let mut tokens = lock(&self.http_tokens);
        tokens.retain(|_, t| self.http_token_alive(t));
        tokens.insert(token.clone(), HttpToken { issued: Instant::now(), room });
        token
    }

    /// The room of a live token; `None` for an unknown or expired one.
    pub fn http_token_room(&self, token: &str) -> Option<Weak<Mutex<Room>>> {
        lock(&self.http_tokens).get(token).filter(|t| self.http_token_alive(t)).map(|t| t.room.clone())
    }

    /// Every HTTP token issued so far stops working now.
    pub fn expire_http_tokens(&self) {
        lock(&self.http_tokens).clear();
    }

    // Under a PIN the room's tokens live until restart (PROTOCOL.md §10).
    fn http_token_alive(&self, t: &HttpToken) -> bool {
        matches!(self.config.auth, AuthMode::Pin(_)) || t.issued.elapsed() < self.config.http_token_lifetime
    }

    /// Sends frames, in order, to every authorized connection.
    pub fn broadcast_authorized(&self, frames: &[Utf8Bytes]) {
        let reg = lock(&self.registry);
        for c in reg.conns.values() {
            if c.auth.load(Ordering::Relaxed) != AUTH_NONE {
                for f in frames {
                    let _ = c.tx.send(Out::Text(f.clone()));
                }
            }
        }
    }

    /// Sends one message to every open connection, authorized or not.
    pub fn broadcast_all(&self, make: impl Fn() -> Out) {
        let reg = lock(&self.registry);
        for c in reg.conns.values() {
            let _ = c.tx.send(make());
        }
    }
}

/// A token of the embedded HTTP server.
pub(crate) struct HttpToken {
    issued: Instant,
    room: Weak<Mutex<Room>>,
}

/// Where a room's notifications go.
pub(crate) enum Target {
    /// Every authorized connection (the normal, single-room mode).
    All,
    /// One connection (isolated rooms).
    One { tx: Tx, auth: Arc<AtomicU8> },
}

impl Target {
    pub fn send(&self, shared: &Shared, frames: &[Utf8Bytes]) {
        if frames.is_empty() {
            return;
        }
        match self {
            Target::All => shared.broadcast_authorized(frames),
            Target::One { tx, auth } => {
                if auth.load(Ordering::Relaxed) != AUTH_NONE {
                    for f in frames {
                        let _ = tx.send(Out::Text(f.clone()));
                    }
                }
            }
        }
    }
}
