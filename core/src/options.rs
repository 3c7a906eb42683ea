//! How to reach and authorize with a room.

use crate::secret::Secret;
use std::time::Duration;

/// Which control role to take (PROTOCOL.md §3). Only one connection per role is authorized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `admin`: the administrator's role.
    Admin,
    /// `user`: the user's role.
    User,
}

impl Role {
    /// The string `auth` takes in `role` (`"admin"`, `"user"`).
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
    /// A PIN.
    pub fn pin(pin: impl Into<String>) -> Self {
        Credentials::Secured(Secret::new(pin))
    }
    /// A password.
    pub fn password(password: impl Into<String>) -> Self {
        Credentials::Secured(Secret::new(password))
    }
    /// A `token` from an earlier successful `auth` (lives 24 h under a PIN, 30 days otherwise).
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
    /// The longest wait between two attempts.
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
    /// The room's host name or address.
    pub host: String,
    /// The web manager's port, for discovery through `config.json`.
    pub web_port: u16,
    /// The control WebSocket port: when set, discovery is skipped.
    pub ws_port: Option<u16>,
    /// The path segment of `/public/<instance>/config.json` (a second instance uses another).
    pub instance: String,
    /// How to authorize (default: unsecured).
    pub credentials: Credentials,
    /// When set, the room checks that the credentials are for this role.
    pub role: Option<Role>,
    /// Bounds the whole connect: discovery, the WebSocket handshake, authorization and the
    /// first reading of the room state, together.
    pub connect_timeout: Duration,
    /// The default time to wait for any reply; each call can override it.
    pub request_timeout: Duration,
    /// Sends `setUsedApiVersion` before `auth` when set ("1" or "2").
    pub api_version: Option<String>,
    /// How many events an event queue holds (`connect_queued`, the C and Python faces) before
    /// it drops the oldest and reports them as `eventsLost`; also how far a
    /// [`Client::subscribe`](crate::Client::subscribe) stream may fall behind before it is told
    /// it lagged. The stream of `connect_subscribed` never drops anything.
    pub event_capacity: usize,
    /// How many bytes (as on the wire) an event queue holds, whatever the count.
    pub event_max_bytes: usize,
    /// Reconnect automatically when set (off by default: a drop ends the client).
    pub reconnect: Option<Reconnect>,
    /// Read the whole room state (devices, mute, layout, login...) after connecting and after
    /// every reconnect (on by default). Off, only the app state and tariff are read.
    pub sync_state: bool,
    /// Queue a `stateChanged` event (what changed) after every change of the room state.
    pub state_events: bool,
    /// The embedded HTTP server's port, when known better than the room tells.
    pub http_port: Option<u16>,
    /// Follow a `config.json` that names another host for the WebSocket, or a discovery
    /// redirect to another host. Off by default: credentials never leave `host` silently.
    pub follow_other_host: bool,
    /// Talk TLS to the room (`wss://`, `https://` discovery and frames), for a room published
    /// behind a TLS proxy. `None` (the default): plain `ws://` and `http://`.
    pub tls: Option<crate::tls::Tls>,
    /// Keep-alive, checked once per interval: a room silent for half of it or more is pinged,
    /// and the link is given up when that ping is still unanswered at the next check
    /// (`connectionLost` and a reconnect, or `disconnected`). On by default (5 s: a frozen room
    /// or a dead link is noticed 10 to 12.5 s after its last frame; an idle link costs one ping
    /// per interval); `None` turns it off.
    pub keepalive: Option<Duration>,
}

/// Options of one call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallOptions {
    /// How long to wait for the reply (default: the client's request time-out).
    pub timeout: Option<Duration>,
}

impl CallOptions {
    /// Wait `t` for the reply.
    pub fn timeout(t: Duration) -> CallOptions {
        CallOptions { timeout: Some(t) }
    }
}

impl ConnectOptions {
    /// The defaults for `host`: discovery on port 80 (instance `default`), unsecured, 10 s
    /// time-outs, the whole state read, keep-alive on, no reconnect, no TLS.
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
            event_capacity: crate::queue::DEFAULT_EVENT_CAPACITY,
            event_max_bytes: crate::queue::DEFAULT_EVENT_MAX_BYTES,
            reconnect: None,
            sync_state: true,
            state_events: false,
            http_port: None,
            follow_other_host: false,
            keepalive: Some(DEFAULT_KEEPALIVE),
            tls: None,
        }
    }
    /// The web manager's port for discovery (default 80).
    pub fn web_port(mut self, port: u16) -> Self {
        self.web_port = port;
        self
    }
    /// The control WebSocket port (skips discovery).
    pub fn ws_port(mut self, port: u16) -> Self {
        self.ws_port = Some(port);
        self
    }
    /// Authorize with a PIN (or a password: both go as `credentials`).
    pub fn pin(mut self, pin: impl Into<String>) -> Self {
        self.credentials = Credentials::pin(pin);
        self
    }
    /// How to authorize.
    pub fn credentials(mut self, c: Credentials) -> Self {
        self.credentials = c;
        self
    }
    /// Ask the room to check that the credentials are for `role`.
    pub fn role(mut self, role: Role) -> Self {
        self.role = Some(role);
        self
    }
    /// The bound on the whole connect (default 10 s).
    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.connect_timeout = t;
        self
    }
    /// The default wait for a reply (default 10 s).
    pub fn request_timeout(mut self, t: Duration) -> Self {
        self.request_timeout = t;
        self
    }
    /// Reconnect automatically with this policy.
    pub fn reconnect(mut self, policy: Reconnect) -> Self {
        self.reconnect = Some(policy);
        self
    }
    /// Select an API version with `setUsedApiVersion` (`"1"` or `"2"`).
    pub fn api_version(mut self, v: impl Into<String>) -> Self {
        self.api_version = Some(v.into());
        self
    }
    /// How many events an event queue holds.
    pub fn event_capacity(mut self, n: usize) -> Self {
        self.event_capacity = n;
        self
    }
    /// Queue a `stateChanged` event after every change of the room state.
    pub fn state_events(mut self, on: bool) -> Self {
        self.state_events = on;
        self
    }
    /// TLS to the room (see [`Tls`](crate::Tls)).
    pub fn tls(mut self, tls: crate::tls::Tls) -> Self {
        self.tls = Some(tls);
        self
    }
    /// The keep-alive interval (`None`: off).
    pub fn keepalive(mut self, interval: Option<Duration>) -> Self {
        self.keepalive = interval;
        self
    }
    /// Follow a discovery answer that names another host (off by default).
    pub fn follow_other_host(mut self, on: bool) -> Self {
        self.follow_other_host = on;
        self
    }

    /// Checks what can be checked before connecting.
    pub fn validate(&self) -> crate::Result<()> {
        let bad = |m: String| Err(crate::Error::InvalidArgument(m));
        if self.host.trim().is_empty() {
            return bad("the host is empty".into());
        }
        crate::discovery::check_host(&self.host).map_err(crate::Error::InvalidArgument)?;
        if self.event_capacity == 0 || self.event_max_bytes == 0 {
            return bad("event_capacity and event_max_bytes must be at least 1".into());
        }
        if self.event_capacity > MAX_EVENT_CAPACITY {
            return bad(format!("event_capacity {} is over the limit of {MAX_EVENT_CAPACITY}", self.event_capacity));
        }
        if self.connect_timeout.is_zero() || self.request_timeout.is_zero() {
            return bad("time-outs must be longer than zero".into());
        }
        if self.instance.is_empty() || self.instance.contains(['/', '?', '#', '\\']) {
            return bad(format!("instance '{}' is not a plain path segment", self.instance));
        }
        Ok(())
    }
}

/// The default keep-alive interval.
pub const DEFAULT_KEEPALIVE: Duration = Duration::from_secs(5);

/// The most events a queue may be asked to hold (memory is taken as they come, but a bound this
/// high is certainly a mistake).
pub const MAX_EVENT_CAPACITY: usize = 1 << 24;
