//! The client: connect and authorize, then every command of the catalogue (a typed method each,
//! generated from the table), commands by name, raw requests, events and the live room state.

use crate::catalogue::replies::*;
use crate::catalogue::{self, client_methods, command_rows, Command};
use crate::conference::PendingConference;
use crate::model::*;
use crate::options::{CallOptions, ConnectOptions};
use crate::params::CreateConference;
use crate::publish::Publisher;
use crate::queue::EventQueue;
use crate::secret::Secret;
use crate::session::Session;
use crate::state::RoomState;
use crate::stream::{EventStream, Primary};
use crate::watch::StateWatch;
use crate::{Error, Result};
use serde_json::{Map, Value};
use std::sync::Arc;
use std::time::Duration;
use tracing::info;

/// A connected, authorized room. Cheap to clone: clones share one connection.
///
/// Calls need a tokio runtime (any flavour). Dropping the last clone closes the connection.
#[derive(Clone)]
pub struct Client {
    pub(crate) session: Arc<Session>,
    /// Overrides the default reply time-out for calls through this handle.
    timeout: Option<Duration>,
}

fn object(params: Value) -> Result<Map<String, Value>> {
    match params {
        Value::Object(m) => Ok(m),
        Value::Null => Ok(Map::new()),
        other => Err(Error::InvalidArgument(format!("command parameters must be a JSON object, not {other}"))),
    }
}

impl Client {
    async fn start(opts: ConnectOptions, primary: Primary) -> Result<Client> {
        opts.validate()?;
        let publisher = Publisher::new(primary, opts.event_capacity);
        let session = Session::connect(opts, publisher).await?;
        if session.opts.reconnect.is_some() {
            crate::reconnect::supervise(&session);
        }
        info!(url = %session.url(), "connected");
        Ok(Client { session, timeout: None })
    }

    /// Discovers the room (unless `ws_port` is set), opens the WebSocket, authorizes and reads
    /// the room state, all within `connect_timeout`. Notifications reach [`subscribe`]
    /// streams and [`watch`](Self::watch) from then on.
    ///
    /// [`subscribe`]: Self::subscribe
    pub async fn connect(opts: ConnectOptions) -> Result<Client> {
        Client::start(opts, Primary::Nobody).await
    }

    /// Like [`connect`](Self::connect), with an event stream that misses nothing from the
    /// moment the socket opened. The stream is unbounded: drain it, or drop it.
    pub async fn connect_subscribed(opts: ConnectOptions) -> Result<(Client, EventStream)> {
        let (primary, stream) = Primary::stream();
        Ok((Client::start(opts, primary).await?, stream))
    }

    /// Like [`connect`](Self::connect), with a bounded event queue (the options'
    /// `event_capacity` and `event_max_bytes`) that has every event from the moment the socket
    /// opened; when full it drops the oldest and says so with `eventsLost`.
    pub async fn connect_queued(opts: ConnectOptions) -> Result<(Client, Arc<EventQueue>)> {
        opts.validate()?;
        let queue = EventQueue::new(opts.event_capacity, opts.event_max_bytes)?;
        Ok((Client::connect_with_queue(opts, queue.clone()).await?, queue))
    }

    /// Like [`connect_queued`](Self::connect_queued) into a queue of the caller's (one that
    /// outlives connections: the C face keeps one per `tc_client`).
    pub async fn connect_with_queue(opts: ConnectOptions, queue: Arc<EventQueue>) -> Result<Client> {
        Client::start(opts, Primary::Queue(queue)).await
    }

    /// A new subscription to notifications, from now on. It may fall behind by
    /// `ConnectOptions::event_capacity` events before it is told how many it missed. That
    /// bound counts events, not bytes (events are shared, not copied, between subscribers):
    /// for a reader that may fall far behind a room sending large events, the byte-bounded
    /// [`connect_queued`](Self::connect_queued) is the safer choice.
    pub fn subscribe(&self) -> EventStream {
        self.session.publisher.subscribe()
    }

    /// The room state as a subscription: the current state first, then every change (what
    /// changed, and the new state); after a reconnect, the whole state again.
    ///
    /// ```no_run
    /// # async fn demo(room: &tcroom_core::Client) {
    /// let mut watch = room.watch();
    /// while let Some(change) = watch.next().await {
    ///     if change.full || change.changed().contains(&"participants") {
    ///         println!("{} participants", change.state.participants.len());
    ///     }
    /// }
    /// // The client is gone for good: the watch has ended.
    /// # }
    /// ```
    pub fn watch(&self) -> StateWatch {
        self.session.publisher.watch()
    }

    /// A copy of the room state.
    pub fn state(&self) -> RoomState {
        (*self.session.publisher.state().snapshot()).clone()
    }

    /// The room state, shared (no copy).
    pub fn snapshot(&self) -> Arc<RoomState> {
        self.session.publisher.state().snapshot()
    }

    /// The current app state as last seen (from a reply or an event).
    pub fn app_state(&self) -> Option<AppState> {
        self.session.publisher.state().read(|s| s.app_state)
    }

    /// Whether the control connection is up now (false while reconnecting, and once it is gone).
    pub fn is_connected(&self) -> bool {
        !self.session.conn().is_down()
    }

    /// The token from `auth`, to connect again with [`Credentials::Secured`] without the PIN.
    ///
    /// [`Credentials::Secured`]: crate::Credentials::Secured
    pub fn token(&self) -> Option<Secret> {
        self.session.session_token()
    }

    /// The default reply time-out.
    pub fn default_timeout(&self) -> Duration {
        self.timeout.unwrap_or(self.session.opts.request_timeout)
    }

    /// A handle on the same connection whose calls wait `timeout` for their replies, e.g.
    /// `client.with_timeout(Duration::from_secs(60)).get_conference_participants()`.
    pub fn with_timeout(&self, timeout: Duration) -> Client {
        Client { session: self.session.clone(), timeout: Some(timeout) }
    }

    /// The WebSocket URL in use.
    pub fn url(&self) -> String {
        self.session.url()
    }

    fn timeout_of(&self, opts: &CallOptions) -> Duration {
        opts.timeout.unwrap_or_else(|| self.default_timeout())
    }

    /// Sends a command of the catalogue and returns its typed reply. Its parameters are checked
    /// first (their rules, and what needs the room state), so a bad call costs no round trip.
    ///
    /// ```no_run
    /// # async fn demo(room: &tcroom_core::Client) -> tcroom_core::Result<()> {
    /// use tcroom_core::cmd;
    /// room.send(&cmd::SetMicMute { mute: true }).await?; // what room.set_mic_mute(true) does
    /// let muted: bool = room.send(&cmd::GetMicMute {}).await?;
    /// # Ok(()) }
    /// ```
    pub async fn send<C: Command>(&self, cmd: &C) -> Result<<C::Reply as ReplyType>::Out> {
        self.send_with(cmd, &CallOptions::default()).await
    }

    /// [`send`](Self::send) with options for this call.
    pub async fn send_with<C: Command>(&self, cmd: &C, opts: &CallOptions) -> Result<<C::Reply as ReplyType>::Out> {
        let spec = &C::SPEC;
        let params = cmd.encode();
        self.session.publisher.state().read(|s| catalogue::check(spec, &params, s))?;
        let reply = self.session.request(spec.wire, params, self.timeout_of(opts)).await?;
        C::Reply::decode(reply).map_err(|e| Error::Protocol(format!("reply to '{}': {e}", spec.wire)))
    }

    /// Sends the command `name` (its Rust/Python name, like `set_mic_mute`, or its wire name)
    /// with arguments by name, checked like [`send`](Self::send), and returns the typed reply
    /// as JSON. For faces and tools that work from the catalogue at run time.
    ///
    /// ```no_run
    /// # async fn demo(room: &tcroom_core::Client) -> tcroom_core::Result<()> {
    /// use tcroom_core::serde_json::{Map, Value};
    /// let mut args = Map::new();
    /// args.insert("mute".into(), Value::Bool(true));
    /// room.command("set_mic_mute", args).await?;
    /// let muted = room.command("getMicMute", Map::new()).await?; // Value::Bool
    /// # Ok(()) }
    /// ```
    pub async fn command(&self, name: &str, args: Map<String, Value>) -> Result<Value> {
        self.command_with(name, args, &CallOptions::default()).await
    }

    /// [`command`](Self::command) with options for this call.
    pub async fn command_with(&self, name: &str, args: Map<String, Value>, opts: &CallOptions) -> Result<Value> {
        let spec = catalogue::command(name).ok_or_else(|| {
            Error::InvalidArgument(format!("no command '{name}' in the catalogue (use request for others)"))
        })?;
        let params = catalogue::bind(spec, args)?;
        self.session.publisher.state().read(|s| catalogue::check(spec, &params, s))?;
        let reply = self.session.request(spec.wire, params, self.timeout_of(opts)).await?;
        (spec.reply.decode_json)(reply).map_err(|e| match e {
            Error::Protocol(m) => Error::Protocol(format!("reply to '{}': {m}", spec.wire)),
            other => other,
        })
    }

    /// Sends any command (`params` a JSON object or null) and returns the whole reply.
    pub async fn request(&self, method: &str, params: Value) -> Result<Value> {
        self.request_timeout(method, params, self.default_timeout()).await
    }

    /// [`request`](Self::request) with its own time-out.
    pub async fn request_timeout(&self, method: &str, params: Value, timeout: Duration) -> Result<Value> {
        if method.is_empty() {
            return Err(Error::InvalidArgument("the method name is empty".into()));
        }
        if method == "event" {
            return Err(Error::InvalidArgument("'event' is the name of notifications, not a command".into()));
        }
        let params = object(params)?;
        if params.contains_key("method") || params.contains_key("requestId") {
            return Err(Error::InvalidArgument("'method' and 'requestId' are set by the client, not in params".into()));
        }
        self.session.request(method, params, timeout).await
    }

    /// [`request`](Self::request) with options for this call.
    pub async fn request_with(&self, method: &str, params: Value, opts: &CallOptions) -> Result<Value> {
        self.request_timeout(method, params, self.timeout_of(opts)).await
    }

    /// Closes the connection for good (pending requests fail with `disconnected`; no reconnect).
    /// Returns within a few seconds whatever the room does.
    pub async fn close(&self) {
        self.session.close().await;
    }

    /// Sends `createConference` and returns once the room has accepted it. Await
    /// [`PendingConference::wait`] for the start. Parameters are checked first (and
    /// `castersCount` against the known tariff), so a bad call costs no round trip.
    pub async fn create_conference(&self, params: &CreateConference) -> Result<PendingConference> {
        self.create_conference_timeout(params, self.default_timeout()).await
    }

    /// [`create_conference`](Self::create_conference) with its own time-out for the acceptance
    /// (and for the participant list a room that does not announce details is asked for).
    pub async fn create_conference_timeout(
        &self,
        params: &CreateConference,
        timeout: Duration,
    ) -> Result<PendingConference> {
        self.session.publisher.state().read(|s| params.validate(s.tariff.as_ref()))?;
        // Subscribe before sending: the start may be announced before the reply arrives.
        let events = self.subscribe();
        let reply = self.session.request("createConference", params.encode(), timeout).await?;
        Ok(PendingConference::new(self.session.clone(), timeout, events, reply, params.clone()))
    }

    /// Creates a conference and waits until it has started, all within `timeout`.
    pub async fn create_conference_and_wait(&self, params: &CreateConference, timeout: Duration) -> Result<Conference> {
        let deadline = tokio::time::Instant::now() + timeout;
        let pending = self.create_conference_timeout(params, timeout).await?;
        pending.wait(deadline.saturating_duration_since(tokio::time::Instant::now())).await
    }
}

// Every other command: one typed method per row of the catalogue (`catalogue/commands.rs`).
command_rows!(client_methods);
