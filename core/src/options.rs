//! How to reach and authorize with a room.

use crate::secret::Secret;
use std::time::Duration;

/// Which control role to take (PROTOCOL.md §3). Only one connection per role is authorized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    User,
}

impl Role {
    pub fn as_wire(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::User => "user",
        }
    }
}

/// How `auth` proves who we are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// `type: unsecured`: the room has no protection for the role.
    Unsecured,
    /// `type: secured` with a PIN, a password, or a token from an earlier `auth`.
    Secured(Secret),
}

impl Credentials {
    pub fn pin(pin: impl Into<String>) -> Self {
        Credentials::Secured(Secret::new(pin))
    }
    pub fn password(password: impl Into<String>) -> Self {
        Credentials::Secured(Secret::new(password))
    }
    pub fn token(token: impl Into<String>) -> Self {
        Credentials::Secured(Secret::new(token))
    }
}

/// Automatic reconnection: when the link drops (not when the client closes it or loses its
/// authorization), the client reconnects with the token from `auth` (falling back to the
/// original credentials), refreshes the state mirror and publishes `reconnected`. Requests made
/// while it is down fail at once with `disconnected`: they are never replayed, since the room
/// may already have acted on them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconnect {
    /// Attempts before giving up with a final `disconnected` (0: never give up).
    pub max_attempts: u32,
    /// Wait before the first attempt; it doubles after each failure, up to `max_delay`.
    pub initial_delay: Duration,
    pub max_delay: Duration,
}

impl Default for Reconnect {
    fn default() -> Self {
        Reconnect { max_attempts: 10, initial_delay: Duration::from_millis(200), max_delay: Duration::from_secs(5) }
    }
}

/// Everything `Client::connect` needs. Start from [`ConnectOptions::new`] and set what differs.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub host: String,
    /// The web manager's port, for discovery through `config.json`.
    pub web_port: u16,
    /// The control WebSocket port: when set, discovery is skipped.
    pub ws_port: Option<u16>,
    /// The path segment of `/public/<instance>/config.json` (a second instance uses another).
    pub instance: String,
    pub credentials: Credentials,
    /// When set, the room checks that the credentials are for this role.
    pub role: Option<Role>,
    /// Bounds discovery, the WebSocket handshake and each step of authorization.
    pub connect_timeout: Duration,
    /// The default time to wait for any reply; each call can override it.
    pub request_timeout: Duration,
    /// Sends `setUsedApiVersion` before `auth` when set ("1" or "2").
    pub api_version: Option<String>,
    /// How many events a slow [`Client::subscribe`](crate::Client::subscribe) stream may fall
    /// behind before it is told it lagged (the stream of `connect_subscribed` never lags). The
    /// ring is allocated per client, so a thousand sessions want it modest.
    pub event_capacity: usize,
    /// Reconnect automatically when set (off by default: a drop ends the client).
    pub reconnect: Option<Reconnect>,
}

impl ConnectOptions {
    pub fn new(host: impl Into<String>) -> Self {
        ConnectOptions {
            host: host.into(),
            web_port: 80,
            ws_port: None,
            instance: "default".into(),
            credentials: Credentials::Unsecured,
            role: None,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(10),
            api_version: None,
            event_capacity: 256,
            reconnect: None,
        }
    }
    pub fn web_port(mut self, port: u16) -> Self {
        self.web_port = port;
        self
    }
    pub fn ws_port(mut self, port: u16) -> Self {
        self.ws_port = Some(port);
        self
    }
    pub fn pin(mut self, pin: impl Into<String>) -> Self {
        self.credentials = Credentials::pin(pin);
        self
    }
    pub fn credentials(mut self, c: Credentials) -> Self {
        self.credentials = c;
        self
    }
    pub fn role(mut self, role: Role) -> Self {
        self.role = Some(role);
        self
    }
    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.connect_timeout = t;
        self
    }
    pub fn request_timeout(mut self, t: Duration) -> Self {
        self.request_timeout = t;
        self
    }
    pub fn reconnect(mut self, policy: Reconnect) -> Self {
        self.reconnect = Some(policy);
        self
    }
    pub fn api_version(mut self, v: impl Into<String>) -> Self {
        self.api_version = Some(v.into());
        self
    }
}
