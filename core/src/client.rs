//! The client: connect and authorize, then typed calls for the commands of PROTOCOL.md §6-§7.

use crate::conference::PendingConference;
use crate::connection::{self, lock, Connection};
use crate::discovery::{discover, url_host};
use crate::json::str_of;
use crate::model::{
    AppState, AppStateInfo, Conference, ConferenceSummary, Participant, SystemInfo, TariffRestrictions,
};
use crate::options::{ConnectOptions, Credentials};
use crate::params::CreateConference;
use crate::secret::Secret;
use crate::state::{State, StateMirror};
use crate::stream::{EventStream, Publisher};
use crate::{Error, Result};
use serde_json::{json, Map, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing::{debug, info, Instrument};

/// A connected, authorized room. Cheap to clone: clones share one connection.
///
/// Calls need a tokio runtime (any flavour). Dropping the last clone closes the connection.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
    /// Overrides the default reply time-out for calls through this handle.
    timeout: Option<Duration>,
}

pub(crate) struct Inner {
    /// Swapped by the reconnect supervisor; every call takes the current one.
    conn: Mutex<Arc<Connection>>,
    pub(crate) events: Publisher,
    pub(crate) state: StateMirror,
    /// The token `auth` returned, to re-authorize after a reconnect.
    token: Mutex<Option<Secret>>,
    ws_url: Mutex<String>,
    pub(crate) opts: ConnectOptions,
    /// Set by `close()`: no reconnect after that.
    pub(crate) closed: AtomicBool,
}

impl Inner {
    pub(crate) fn conn(&self) -> Arc<Connection> {
        lock(&self.conn).clone()
    }
}

fn object(params: Value) -> Result<Map<String, Value>> {
    match params {
        Value::Object(m) => Ok(m),
        Value::Null => Ok(Map::new()),
        other => Err(Error::InvalidArgument(format!("command parameters must be a JSON object, not {other}"))),
    }
}

/// Finds the WebSocket (through discovery unless a port is given) and opens it.
async fn open(opts: &ConnectOptions, events: &Publisher, state: &StateMirror) -> Result<(Arc<Connection>, String)> {
    let (ws_host, ws_port) = match opts.ws_port {
        Some(p) => (opts.host.clone(), p),
        None => {
            let e = discover(&opts.host, opts.web_port, &opts.instance, opts.connect_timeout).await?;
            debug!(ws_port = e.ws_port, "discovered");
            (e.ws_host, e.ws_port)
        }
    };
    let ws_url = format!("ws://{}:{ws_port}/", url_host(&ws_host));
    let ws = connection::open(&ws_url, opts.connect_timeout).await?;
    let conn = Connection::start(ws, events.clone(), state.clone(), opts.reconnect.is_some());
    Ok((conn, ws_url))
}

/// `setUsedApiVersion` (when asked for) and `auth` on a fresh connection. Returns the token.
async fn authorize(conn: &Connection, opts: &ConnectOptions, credentials: &Credentials) -> Result<Option<Secret>> {
    let t = opts.connect_timeout;
    if let Some(v) = &opts.api_version {
        let mut params = Map::new();
        params.insert("version".into(), json!(v));
        conn.request("setUsedApiVersion", params, t).await?;
    }
    let mut auth = Map::new();
    match credentials {
        Credentials::Unsecured => {
            auth.insert("type".into(), json!("unsecured"));
        }
        Credentials::Secured(secret) => {
            auth.insert("type".into(), json!("secured"));
            auth.insert("credentials".into(), json!(secret.expose()));
        }
    }
    if let Some(role) = opts.role {
        auth.insert("role".into(), json!(role.as_wire()));
    }
    match conn.request("auth", auth, t).await {
        Ok(reply) => Ok(str_of(&reply, &["token"]).map(Secret::new)),
        Err(Error::Refused { message, raw, .. }) => {
            Err(Error::Auth { code: crate::json::i64_of(&raw, &["resultCode"]), message })
        }
        Err(e) => Err(e),
    }
}

impl Client {
    pub(crate) fn from_inner(inner: Arc<Inner>) -> Client {
        Client { inner, timeout: None }
    }

    /// Discovers the room (unless `ws_port` is set), opens the WebSocket and authorizes.
    /// When it returns, the room's `appState` is known (see [`Client::state`]).
    pub async fn connect(opts: ConnectOptions) -> Result<Client> {
        Ok(Self::connect_subscribed(opts).await?.0)
    }

    /// Like [`connect`](Self::connect), with an event stream that misses nothing from the
    /// moment the socket opened. The stream is unbounded: drain it, or drop it.
    pub async fn connect_subscribed(opts: ConnectOptions) -> Result<(Client, EventStream)> {
        let span = tracing::info_span!("connect", host = %opts.host);
        async move {
            let (events, stream) = Publisher::new(opts.event_capacity);
            let state = StateMirror::default();
            let (conn, ws_url) = open(&opts, &events, &state).await?;
            state.update(|s| s.connected = true);
            let token = match authorize(&conn, &opts, &opts.credentials).await {
                Ok(token) => token,
                Err(e) => {
                    conn.close("authorization failed").await;
                    return Err(e);
                }
            };
            state.update(|s| s.authorized = true);
            let client = Client {
                timeout: None,
                inner: Arc::new(Inner {
                    conn: Mutex::new(conn),
                    events,
                    state,
                    token: Mutex::new(token),
                    ws_url: Mutex::new(ws_url),
                    opts,
                    closed: AtomicBool::new(false),
                }),
            };
            client.sync().await?;
            if client.inner.opts.reconnect.is_some() {
                crate::reconnect::supervise(&client);
            }
            info!(url = %client.url(), "connected");
            Ok((client, stream))
        }
        .instrument(span)
        .await
    }

    /// Re-establishes a dropped link: opens, authorizes (token first, then the original
    /// credentials), swaps the new connection in and refreshes the mirror.
    pub(crate) async fn reopen(&self) -> Result<()> {
        let inner = &self.inner;
        let (conn, ws_url) = open(&inner.opts, &inner.events, &inner.state).await?;
        let token = lock(&inner.token).clone();
        let mut result = match &token {
            Some(t) => authorize(&conn, &inner.opts, &Credentials::Secured(t.clone())).await,
            None => Err(Error::Auth { code: None, message: "no token".into() }),
        };
        if matches!(result, Err(Error::Auth { .. })) && !conn.is_down() {
            debug!("token refused; trying the original credentials");
            result = authorize(&conn, &inner.opts, &inner.opts.credentials).await;
        }
        let token = match result {
            Ok(t) => t,
            Err(e) => {
                conn.close("reconnect failed").await;
                return Err(e);
            }
        };
        if inner.closed.load(Ordering::SeqCst) {
            conn.close("closed by the client").await;
            return Err(Error::Closed);
        }
        *lock(&inner.token) = token;
        *lock(&inner.ws_url) = ws_url;
        inner.state.update(|s| {
            s.connected = true;
            s.authorized = true;
        });
        *lock(&inner.conn) = conn;
        if let Err(e) = self.sync().await {
            debug!(error = %e, "resync after reconnect failed");
        }
        Ok(())
    }

    /// Reads what the mirror needs from the room: app state, tariff and, in a conference, the
    /// participants.
    async fn sync(&self) -> Result<()> {
        let t = self.inner.opts.connect_timeout;
        let info = self.get_app_state_timeout(t).await?;
        // Known restrictions let `create_conference` catch a bad castersCount without a round
        // trip; a room that will not tell is no reason to fail the connection.
        match self.request_timeout("getTariffRestrictions", Value::Null, t).await {
            Ok(reply) => {
                let tariff = TariffRestrictions::from_json(&reply);
                self.inner.state.update(|s| s.tariff = Some(tariff));
            }
            Err(e @ (Error::Disconnected { .. } | Error::Closed)) => return Err(e),
            Err(e) => debug!(error = %e, "no tariff restrictions"),
        }
        if info.app_state == AppState::Conference && self.inner.state.read(|s| s.conference.is_some()) {
            if let Err(e) = self.get_conference_participants().await {
                debug!(error = %e, "cannot refresh participants");
            }
        } else if info.app_state != AppState::Conference {
            self.inner.state.update(|s| {
                s.conference = None;
                s.participants.clear();
            });
        }
        Ok(())
    }

    /// A new subscription to notifications, from now on. It may fall behind by
    /// `ConnectOptions::event_capacity` events before it is told how many it missed.
    pub fn subscribe(&self) -> EventStream {
        self.inner.events.subscribe()
    }

    /// A snapshot of the state mirror.
    pub fn state(&self) -> State {
        self.inner.state.snapshot()
    }

    pub fn is_connected(&self) -> bool {
        !self.inner.conn().is_down()
    }

    /// The token from `auth`, to connect again with [`Credentials::Secured`] without the PIN.
    pub fn token(&self) -> Option<Secret> {
        lock(&self.inner.token).clone()
    }

    /// The default reply time-out.
    pub fn default_timeout(&self) -> Duration {
        self.timeout.unwrap_or(self.inner.opts.request_timeout)
    }

    /// A handle on the same connection whose calls wait `timeout` for their replies, e.g.
    /// `client.with_timeout(Duration::from_secs(60)).get_conference_participants()`.
    pub fn with_timeout(&self, timeout: Duration) -> Client {
        Client { inner: self.inner.clone(), timeout: Some(timeout) }
    }

    /// The WebSocket URL in use.
    pub fn url(&self) -> String {
        lock(&self.inner.ws_url).clone()
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
        let params = object(params)?;
        if params.contains_key("method") || params.contains_key("requestId") {
            return Err(Error::InvalidArgument("'method' and 'requestId' are set by the client, not in params".into()));
        }
        let span = tracing::debug_span!("request", method);
        self.inner.conn().request(method, params, timeout).instrument(span).await
    }

    /// Closes the connection for good (pending requests fail with `disconnected`; no reconnect).
    pub async fn close(&self) {
        self.inner.closed.store(true, Ordering::SeqCst);
        self.inner.conn().close("closed by the client").await;
    }

    // ---- typed commands ----

    pub async fn get_app_state(&self) -> Result<AppStateInfo> {
        self.get_app_state_timeout(self.default_timeout()).await
    }

    async fn get_app_state_timeout(&self, t: Duration) -> Result<AppStateInfo> {
        let reply = self.request_timeout("getAppState", Value::Null, t).await?;
        let info = AppStateInfo::from_json(&reply)
            .ok_or_else(|| Error::Protocol("getAppState reply has no appState".into()))?;
        self.inner.state.update(|s| s.app_state = Some(info.app_state));
        Ok(info)
    }

    pub async fn get_tariff_restrictions(&self) -> Result<TariffRestrictions> {
        let reply = self.request("getTariffRestrictions", Value::Null).await?;
        let t = TariffRestrictions::from_json(&reply);
        self.inner.state.update(|s| s.tariff = Some(t.clone()));
        Ok(t)
    }

    pub async fn get_system_info(&self) -> Result<SystemInfo> {
        let reply = self.request("getSystemInfo", Value::Null).await?;
        let info = SystemInfo::from_json(&reply);
        if let Some(id) = &info.peer_id {
            self.inner.state.update(|s| s.own_peer_id = Some(id.clone()));
        }
        Ok(info)
    }

    pub async fn get_conferences(&self) -> Result<Vec<ConferenceSummary>> {
        let reply = self.request("getConferences", Value::Null).await?;
        let list = reply
            .get("conferences")
            .or_else(|| reply.get("list"))
            .and_then(Value::as_array)
            .map(|a| a.iter().map(ConferenceSummary::from_json).collect())
            .unwrap_or_default();
        Ok(list)
    }

    /// Sends `createConference` and returns once the room has accepted it. Await
    /// [`PendingConference::wait`] for the start. Parameters are checked first (and
    /// `castersCount` against the known tariff), so a bad call costs no round trip.
    pub async fn create_conference(&self, params: &CreateConference) -> Result<PendingConference> {
        self.create_conference_timeout(params, self.default_timeout()).await
    }

    pub async fn create_conference_timeout(
        &self,
        params: &CreateConference,
        timeout: Duration,
    ) -> Result<PendingConference> {
        self.inner.state.read(|s| params.validate(s.tariff.as_ref()))?;
        // Subscribe before sending: the start may be announced before the reply arrives.
        let events = self.subscribe();
        let reply = self.request_timeout("createConference", Value::Object(params.to_params()), timeout).await?;
        Ok(PendingConference::new(self.clone(), events, reply, params.clone()))
    }

    /// Creates a conference and waits until it has started, all within `timeout`.
    pub async fn create_conference_and_wait(&self, params: &CreateConference, timeout: Duration) -> Result<Conference> {
        let deadline = tokio::time::Instant::now() + timeout;
        let pending = self.create_conference_timeout(params, timeout).await?;
        pending.wait(deadline.saturating_duration_since(tokio::time::Instant::now())).await
    }

    /// Turns the waiting room on or off. When turning it off, `users_must_be_invited` true admits
    /// everyone waiting, false removes them. Returns the conference id.
    pub async fn set_waiting_room_state(&self, enable: bool, users_must_be_invited: bool) -> Result<Option<String>> {
        let reply = self
            .request("setWaitingRoomState", json!({"enable": enable, "isUsersMustBeInvited": users_must_be_invited}))
            .await?;
        Ok(str_of(&reply, &["confId"]))
    }

    /// Moves a participant (InstanceId) into the waiting room or lets them in. Returns the conference id.
    pub async fn set_participant_presence_in_waiting_room(
        &self,
        call_id: &str,
        in_waiting_room: bool,
    ) -> Result<Option<String>> {
        non_empty("callId", call_id)?;
        let reply = self
            .request(
                "setParticipantPresenceInWaitingRoom",
                json!({"callId": call_id, "inWaitingRoom": in_waiting_room}),
            )
            .await?;
        Ok(str_of(&reply, &["confId"]))
    }

    /// Leaves the conference, or ends it for everyone (owner or moderator only).
    pub async fn hang_up(&self, for_all: bool) -> Result<()> {
        self.request("hangUp", json!({ "forAll": for_all })).await.map(drop)
    }

    /// The participants of the current conference; also refreshes the state mirror.
    pub async fn get_conference_participants(&self) -> Result<(Option<String>, Vec<Participant>)> {
        let reply = self.request("getConferenceParticipants", Value::Null).await?;
        let conf_id = str_of(&reply, &["confId"]);
        let list: Vec<Participant> = reply
            .get("participants")
            .and_then(Value::as_array)
            .ok_or_else(|| Error::Protocol("getConferenceParticipants reply has no 'participants' array".into()))?
            .iter()
            .filter_map(Participant::from_json)
            .collect();
        self.inner.state.update(|s| s.participants = list.clone());
        Ok((conf_id, list))
    }

    /// Invites a PeerId, CallId or InstanceId into the current conference (moderators only).
    pub async fn invite_to_conference(&self, peer_id: &str) -> Result<()> {
        non_empty("peerId", peer_id)?;
        self.request("inviteToConference", json!({ "peerId": peer_id })).await.map(drop)
    }

    /// Switches a role conference into or out of smart meeting mode.
    pub async fn change_conference_mode(&self, is_smart_meeting: bool) -> Result<()> {
        self.request("changeConferenceMode", json!({ "isSmartMeeting": is_smart_meeting })).await.map(drop)
    }

    /// The link others use to join the current conference.
    pub async fn get_session_link(&self) -> Result<String> {
        let reply = self.request("getSessionLink", Value::Null).await?;
        str_of(&reply, &["link", "url", "joinUrl", "sessionLink"])
            .ok_or_else(|| Error::Protocol("getSessionLink reply has no link".into()))
    }

    /// The current app state as last seen (from a reply or an event).
    pub fn app_state(&self) -> Option<AppState> {
        self.inner.state.read(|s| s.app_state)
    }
}

fn non_empty(name: &str, v: &str) -> Result<()> {
    if v.trim().is_empty() {
        Err(Error::InvalidArgument(format!("'{name}' is empty")))
    } else {
        Ok(())
    }
}
