//! A session with one room: the current connection (swapped by the reconnect supervisor), the
//! publisher, the tokens, and the exchange every command goes through. `Client` is a handle on
//! it; the reconnect supervisor and pending conferences hold it too.

use crate::connection::{self, lock, Connection};
use crate::discovery::{discover, url_host, Discovery};
use crate::event::Event;
use crate::json::str_of;
use crate::options::{ConnectOptions, Credentials};
use crate::publish::Publisher;
use crate::secret::Secret;
use crate::state::{Aspect, Changes, RoomState};
use crate::{Error, Result};
use serde_json::{json, Map, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tracing::{debug, Instrument};

/// Tokens `auth` gave us.
struct Tokens {
    /// Re-authorizes after a reconnect.
    session: Option<Secret>,
    /// For the embedded HTTP server, and when it was issued.
    http: Option<(Secret, Instant)>,
}

pub(crate) struct Session {
    /// Swapped by the reconnect supervisor; every call takes the current one.
    conn: Mutex<Arc<Connection>>,
    pub(crate) publisher: Publisher,
    tokens: Mutex<Tokens>,
    ws_url: Mutex<String>,
    /// Where the embedded HTTP server is: the WebSocket's host, and the port discovery gave.
    http_host: Mutex<String>,
    discovered_http_port: Mutex<Option<u16>>,
    pub(crate) opts: ConnectOptions,
    /// Set by `close()`: no reconnect after that.
    pub(crate) closed: AtomicBool,
    /// For the embedded HTTP server, made on first use (keeps its connections for the next frame).
    http: std::sync::OnceLock<reqwest::Client>,
    /// Why reconnecting gave up (the final `disconnected`): what later requests fail with, rather
    /// than the drop that started it.
    gave_up: Mutex<Option<String>>,
}

/// What opening a link found.
struct Opened {
    conn: Arc<Connection>,
    ws_url: String,
    host: String,
    http_port: Option<u16>,
}

/// Finds the WebSocket (through discovery unless a port is given) and opens it, all within
/// `deadline`.
async fn open(opts: &ConnectOptions, publisher: &Publisher, deadline: Instant, adopted: bool) -> Result<Opened> {
    let left = || deadline.saturating_duration_since(Instant::now());
    let tls = opts.tls.as_ref().map(|t| t.client_config()).transpose()?;
    let (host, ws_port, http_port) = match opts.ws_port {
        Some(p) => (opts.host.clone(), p, None),
        None => {
            let how = Discovery { follow_other_host: opts.follow_other_host, tls: tls.clone() };
            let e = discover(&opts.host, opts.web_port, &opts.instance, left(), &how).await?;
            debug!(ws_port = e.ws_port, "discovered");
            (e.ws_host, e.ws_port, e.http_port)
        }
    };
    let scheme = if tls.is_some() { "wss" } else { "ws" };
    let ws_url = format!("{scheme}://{}:{ws_port}/", url_host(&host));
    let ws = connection::open(&ws_url, left(), tls).await?;
    let conn = Connection::start(ws, publisher.clone(), opts.reconnect.is_some(), adopted, opts.keepalive);
    Ok(Opened { conn, ws_url, host, http_port })
}

/// `setUsedApiVersion` (when asked for) and `auth` on a fresh connection. Returns the tokens.
async fn authorize(conn: &Connection, opts: &ConnectOptions, credentials: &Credentials, t: Duration) -> Result<Tokens> {
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
        Ok(reply) => Ok(Tokens {
            session: str_of(&reply, &["token"]).map(Secret::new),
            http: str_of(&reply, &["tokenForHttpServer"]).map(|t| (Secret::new(t), Instant::now())),
        }),
        Err(Error::Refused { message, raw, .. }) => {
            Err(Error::Auth { code: crate::json::i64_of(&raw, &["resultCode"]), message })
        }
        Err(e) => Err(e),
    }
}

/// Sets a connection flag; the change, if it was not set.
fn set_flag(flag: &mut bool) -> Changes {
    if std::mem::replace(flag, true) {
        Changes::NONE
    } else {
        Changes::of(Aspect::Connection)
    }
}

impl Session {
    /// Connects and authorizes within the options' connect time-out, then reads the room state.
    pub(crate) async fn connect(opts: ConnectOptions, publisher: Publisher) -> Result<Arc<Session>> {
        let span = tracing::info_span!("connect", host = %opts.host);
        async move {
            let deadline = Instant::now() + opts.connect_timeout;
            publisher.revive();
            publisher.set_state_events(opts.state_events);
            let opened = open(&opts, &publisher, deadline, true).await?;
            publisher.update(|s| set_flag(&mut s.connected));
            let left = deadline.saturating_duration_since(Instant::now());
            let tokens = match authorize(&opened.conn, &opts, &opts.credentials, left).await {
                Ok(t) => t,
                Err(e) => {
                    opened.conn.close("authorization failed").await;
                    return Err(e);
                }
            };
            publisher.update(|s| set_flag(&mut s.authorized));
            let session = Arc::new(Session {
                conn: Mutex::new(opened.conn),
                publisher,
                tokens: Mutex::new(tokens),
                ws_url: Mutex::new(opened.ws_url),
                http_host: Mutex::new(opened.host),
                discovered_http_port: Mutex::new(opened.http_port),
                opts,
                closed: AtomicBool::new(false),
                http: std::sync::OnceLock::new(),
                gave_up: Mutex::new(None),
            });
            session.read_participants_when_a_conference_begins();
            let left = deadline.saturating_duration_since(Instant::now());
            session.sync(left).await?;
            Ok(session)
        }
        .instrument(span)
        .await
    }

    pub(crate) fn conn(&self) -> Arc<Connection> {
        lock(&self.conn).clone()
    }

    pub(crate) fn url(&self) -> String {
        lock(&self.ws_url).clone()
    }

    pub(crate) fn session_token(&self) -> Option<Secret> {
        lock(&self.tokens).session.clone()
    }

    /// Sends `method` and waits for its reply (the state has learnt from it by then: the
    /// connection applies replies in the order they arrive).
    pub(crate) async fn request(&self, method: &str, params: Map<String, Value>, timeout: Duration) -> Result<Value> {
        let span = tracing::debug_span!("request", method);
        match self.conn().request(method, params, timeout).instrument(span).await {
            Err(Error::Disconnected { reason }) => {
                let reason = lock(&self.gave_up).clone().unwrap_or(reason);
                Err(Error::Disconnected { reason })
            }
            other => other,
        }
    }

    /// Reconnecting has given up, for `reason`: the client is disconnected for good.
    pub(crate) fn give_up(&self, reason: &str) {
        *lock(&self.gave_up) = Some(reason.to_owned());
        self.publisher.publish(Event::disconnected(reason));
    }

    /// Re-establishes a dropped link: opens, authorizes (token first, then the original
    /// credentials), swaps the new connection in and reads the room state again.
    pub(crate) async fn reopen(&self) -> Result<()> {
        let deadline = Instant::now() + self.opts.connect_timeout;
        let opened = open(&self.opts, &self.publisher, deadline, false).await?;
        let token = self.session_token();
        let left = || deadline.saturating_duration_since(Instant::now());
        let mut result = match &token {
            Some(t) => authorize(&opened.conn, &self.opts, &Credentials::Secured(t.clone()), left()).await,
            None => Err(Error::Auth { code: None, message: "no token".into() }),
        };
        if matches!(result, Err(Error::Auth { .. })) && !opened.conn.is_down() {
            debug!("token refused; trying the original credentials");
            result = authorize(&opened.conn, &self.opts, &self.opts.credentials, left()).await;
        }
        let tokens = match result {
            Ok(t) => t,
            Err(e) => {
                opened.conn.close_quietly().await;
                return Err(e);
            }
        };
        if self.closed.load(Ordering::SeqCst) {
            opened.conn.close_quietly().await;
            return Err(Error::Closed);
        }
        *lock(&self.tokens) = tokens;
        *lock(&self.ws_url) = opened.ws_url;
        *lock(&self.http_host) = opened.host;
        *lock(&self.discovered_http_port) = opened.http_port;
        self.publisher.update(|s| {
            let mut c = set_flag(&mut s.connected);
            c.merge(set_flag(&mut s.authorized));
            c
        });
        opened.conn.adopt();
        *lock(&self.conn) = opened.conn;
        let before = self.publisher.state().snapshot();
        if let Err(e) = self.sync(left()).await {
            debug!(error = %e, "resync after reconnect failed");
        }
        self.reconcile(&before);
        self.publisher.resynced();
        Ok(())
    }

    /// After a resync: the notifications that tell a host what changed while the link was down
    /// (a conference that ended, participants who came or went, a new app state), so that its
    /// view of the room never jumps silently. Each carries `"reconciled": true`.
    fn reconcile(&self, before: &RoomState) {
        let after = self.publisher.state().snapshot();
        let publish = |name: &str, fields: Value| self.publisher.publish(Event::reconciled(name, fields));
        let same_conference = match (&before.conference, &after.conference) {
            (Some(a), Some(b)) => a.conf_id == b.conf_id,
            _ => false,
        };
        if let Some(old) = &before.conference {
            if !same_conference {
                publish("conferenceDeleted", json!({ "confId": old.conf_id }));
            }
        }
        if same_conference {
            let conf_id = after.conference.as_ref().map(|c| c.conf_id.clone());
            for p in before.participants.iter().filter(|p| after.participant(&p.peer_id).is_none()) {
                publish("participantLeftConference", json!({ "peerId": p.peer_id, "confId": conf_id }));
            }
            for p in after.participants.iter().filter(|p| before.participant(&p.peer_id).is_none()) {
                let mut fields = p.raw.clone();
                if let Value::Object(m) = &mut fields {
                    m.insert("confId".into(), json!(conf_id));
                }
                publish("newParticipantInConference", fields);
            }
        }
        if before.app_state != after.app_state {
            if let Some(state) = after.app_state {
                publish("appStateChanged", json!({ "appState": state.code() }));
            }
        }
    }

    /// Reads the room state: the app state (required), then every getter the state mirrors, at
    /// once. A getter the room refuses or does not know leaves its part unknown.
    async fn sync(&self, t: Duration) -> Result<()> {
        self.request("getAppState", Map::new(), t).await?;
        let in_call = self.publisher.state().read(|s| s.app_state == Some(crate::AppState::Conference));
        let mut getters = vec!["getTariffRestrictions"];
        if self.opts.sync_state {
            getters.extend([
                "getSystemInfo",
                "getLogin",
                "getConnected",
                "getMicMute",
                "getVideoMute",
                "getAudioMute",
                "getSettings",
                "getHardware",
                "getVideoMatrix",
                "getMonitorsInfo",
                "getPtzControls",
            ]);
        }
        if in_call {
            getters.push("getConferenceParticipants");
        }
        let reads_conferences = in_call && self.publisher.state().read(|s| s.conference.is_none());
        let results = futures_util::future::join_all(getters.iter().map(|g| self.request(g, Map::new(), t))).await;
        for (getter, result) in getters.iter().zip(results) {
            match result {
                Ok(_) => {}
                Err(e @ (Error::Disconnected { .. } | Error::Closed)) => return Err(e),
                Err(e) => debug!(getter, error = %e, "state left unknown"),
            }
        }
        // A call or conference that started before we connected: its details, once its id is known.
        if reads_conferences {
            if let Err(e) = self.request("getConferences", Map::new(), t).await {
                debug!(error = %e, "conference details left unknown");
            }
        }
        Ok(())
    }

    /// A token for the embedded HTTP server, fetched again when older than `max_age` (or when
    /// `stale` says the server refused it).
    pub(crate) async fn http_token(&self, max_age: Duration, stale: bool, t: Duration) -> Result<Secret> {
        if !stale {
            if let Some((token, at)) = &lock(&self.tokens).http {
                if at.elapsed() < max_age {
                    return Ok(token.clone());
                }
            }
        }
        let reply = self.request("getTokenForHttpServer", Map::new(), t).await?;
        let token = str_of(&reply, &["token", "tokenForHttpServer"])
            .map(Secret::new)
            .ok_or_else(|| Error::Protocol("getTokenForHttpServer reply has no token".into()))?;
        lock(&self.tokens).http = Some((token.clone(), Instant::now()));
        Ok(token)
    }

    /// Host and port of the embedded HTTP server.
    pub(crate) fn http_endpoint(&self) -> Result<(String, u16)> {
        let port = self
            .opts
            .http_port
            .or_else(|| self.publisher.state().read(|s| s.http_port))
            .or(*lock(&self.discovered_http_port))
            .ok_or_else(|| {
                Error::Protocol(
                    "the room did not tell the embedded HTTP server's port (getAppState.embeddedHttpPort)".into(),
                )
            })?;
        Ok((lock(&self.http_host).clone(), port))
    }

    /// The HTTP client for the embedded server.
    pub(crate) fn http(&self) -> Result<&reqwest::Client> {
        if let Some(c) = self.http.get() {
            return Ok(c);
        }
        let tls = match &self.opts.tls {
            Some(tls) => (*tls.client_config()?).clone(),
            None => crate::tls::no_tls()?,
        };
        let builder = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .tls_backend_preconfigured(tls);
        let client = builder.build().map_err(|e| Error::Protocol(format!("cannot make the HTTP client: {e}")))?;
        Ok(self.http.get_or_init(|| client))
    }

    /// `https` when the room is reached over TLS.
    pub(crate) fn http_scheme(&self) -> &'static str {
        if self.opts.tls.is_some() {
            "https"
        } else {
            "http"
        }
    }

    /// When we join a call or conference, the room announces the participants who join after
    /// us, not those already there (PROTOCOL.md §8 is silent on it): ask for them, so that the
    /// state's `participants` are right without the host asking. Ends with the session.
    fn read_participants_when_a_conference_begins(self: &Arc<Self>) {
        let (to, mut began) = mpsc::unbounded_channel();
        self.publisher.on_conference_began(Some(to));
        let session = Arc::downgrade(self);
        tokio::spawn(async move {
            while began.recv().await.is_some() {
                while began.try_recv().is_ok() {}
                let Some(session) = session.upgrade() else { break };
                if session.closed.load(Ordering::SeqCst) {
                    break;
                }
                let t = session.opts.request_timeout;
                if let Err(e) = session.request("getConferenceParticipants", Map::new(), t).await {
                    debug!(error = %e, "participants left to the join and leave notifications");
                }
            }
        });
    }

    /// Closes for good (pending requests fail; no reconnect follows).
    pub(crate) async fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.publisher.on_conference_began(None);
        self.conn().close("closed by the client").await;
    }
}
