//! One WebSocket to the room: request/reply matching by `requestId`, and the reader task that
//! routes replies to their callers and notifications to subscribers.
//!
//! Writes go straight from the calling task through a locked sink (no writer task): a round trip
//! then costs one task wake-up more than a bare client, the reply's hand-off from the reader.
//! Requests sent while others are in flight are batched by a flusher task (see `Connection::write`).

use crate::event::Event;
use crate::publish::Publisher;
use crate::redact::redacted;
use crate::{Error, Result};
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Map, Value};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use tracing::{debug, trace, warn};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;
type Reply = Result<Value>;

/// Requests in flight and whether the link is still up, under one lock so that a request can
/// never be registered after the reader has failed everything on disconnect.
#[derive(Default)]
struct Pending {
    /// By requestId: the method (to place replies whose requestId is unusable) and the waiter.
    waiting: HashMap<u64, (String, oneshot::Sender<Reply>)>,
    /// `Some(reason)` once the connection is gone: new requests fail at once with it.
    down: Option<String>,
}

pub(crate) struct Connection {
    pending: Mutex<Pending>,
    next_id: AtomicU64,
    sink: tokio::sync::Mutex<SplitSink<Ws, Message>>,
    /// Wakes the flusher task (see `write`).
    kick: Arc<tokio::sync::Notify>,
    flusher: Mutex<Option<tokio::task::JoinHandle<()>>>,
    /// Set by `close`: the reason the link is going, and that no reconnect follows.
    closing: Mutex<Option<(String, Option<bool>)>>,
    /// Frames waiting for whoever holds `sink` next (see `write`).
    outbox: Mutex<VecDeque<Message>>,
    publisher: Publisher,
    reader: Mutex<Option<tokio::task::JoinHandle<()>>>,
    /// Whether a drop is final (`disconnected`) or will be repaired (`connectionLost`).
    reconnecting: bool,
    /// The link is the client's (not a reconnect attempt still authorizing): only then does
    /// its end concern the client's events.
    adopted: std::sync::atomic::AtomicBool,
    /// Signalled once when the link goes down, for the reconnect supervisor.
    pub(crate) down: Arc<tokio::sync::Notify>,
    /// When the room was last heard from (any frame), in milliseconds since `started`.
    heard: AtomicU64,
    /// Frames heard so far: whether anything came after a ping, whatever the clock says.
    frames_heard: AtomicU64,
    started: std::time::Instant,
    keeper: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

/// How long `close` waits for the room to answer its close frame.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

/// The largest message accepted from the room. Address books can be several MB.
const MAX_MESSAGE: usize = 64 << 20;

/// Opens `url` (`ws://` or, with a TLS configuration, `wss://`) within `timeout`.
pub(crate) async fn open(url: &str, timeout: Duration, tls: Option<Arc<rustls::ClientConfig>>) -> Result<Ws> {
    // The read buffer is allocated up front per connection (128 KiB by default): small, it keeps
    // a thousand idle sessions cheap; it still grows for large messages.
    let config = WebSocketConfig::default()
        .read_buffer_size(16 * 1024)
        .max_message_size(Some(MAX_MESSAGE))
        .max_frame_size(Some(MAX_MESSAGE));
    let connector = tls.map(tokio_tungstenite::Connector::Rustls);
    let attempt = tokio_tungstenite::connect_async_tls_with_config(url, Some(config), true, connector);
    match tokio::time::timeout(timeout, attempt).await {
        Ok(Ok((ws, _response))) => Ok(ws),
        Ok(Err(e)) => Err(Error::Connect { url: url.to_owned(), reason: e.to_string() }),
        Err(_) => Err(Error::Connect { url: url.to_owned(), reason: format!("no answer within {timeout:?}") }),
    }
}

impl Connection {
    /// Starts the reader and the flusher, and with `keepalive` the task that pings a quiet room
    /// and gives the link up when the room stays silent for twice that.
    pub(crate) fn start(
        ws: Ws,
        publisher: Publisher,
        reconnecting: bool,
        adopted: bool,
        keepalive: Option<Duration>,
    ) -> Arc<Connection> {
        let (sink, stream) = ws.split();
        let conn = Arc::new(Connection {
            pending: Mutex::new(Pending::default()),
            next_id: AtomicU64::new(1),
            sink: tokio::sync::Mutex::new(sink),
            outbox: Mutex::new(VecDeque::new()),
            closing: Mutex::new(None),
            kick: Arc::new(tokio::sync::Notify::new()),
            flusher: Mutex::new(None),
            publisher,
            reader: Mutex::new(None),
            reconnecting,
            adopted: std::sync::atomic::AtomicBool::new(adopted),
            down: Arc::new(tokio::sync::Notify::new()),
            heard: AtomicU64::new(0),
            frames_heard: AtomicU64::new(0),
            started: std::time::Instant::now(),
            keeper: Mutex::new(None),
        });
        // The reader holds only a weak reference: dropping the last client handle closes the link.
        let task = tokio::spawn(read_loop(Arc::downgrade(&conn), stream));
        *lock(&conn.reader) = Some(task);
        let task = tokio::spawn(flush_loop(Arc::downgrade(&conn), conn.kick.clone()));
        *lock(&conn.flusher) = Some(task);
        if let Some(interval) = keepalive.filter(|i| !i.is_zero()) {
            let task = tokio::spawn(keep_alive(Arc::downgrade(&conn), interval));
            *lock(&conn.keeper) = Some(task);
        }
        conn
    }

    fn heard_now(&self) {
        let ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.heard.store(ms, Ordering::Relaxed);
        self.frames_heard.fetch_add(1, Ordering::Relaxed);
    }

    /// How long the room has been silent.
    fn silence(&self) -> Duration {
        let heard = Duration::from_millis(self.heard.load(Ordering::Relaxed));
        self.started.elapsed().saturating_sub(heard)
    }

    /// Sends `method` with `params` and waits for the reply with the same `requestId`.
    /// A reply with `result:false` becomes [`Error::Refused`] carrying the room's text.
    pub(crate) async fn request(&self, method: &str, params: Map<String, Value>, timeout: Duration) -> Result<Value> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut frame = params;
        frame.insert("method".into(), Value::String(method.to_owned()));
        frame.insert("requestId".into(), Value::String(id.to_string()));
        let frame = Value::Object(frame);
        let text = serde_json::to_string(&frame).map_err(|e| Error::InvalidArgument(e.to_string()))?;

        let (tx, mut rx) = oneshot::channel();
        let alone = {
            let mut p = lock(&self.pending);
            if let Some(reason) = &p.down {
                return Err(Error::Disconnected { reason: reason.clone() });
            }
            p.waiting.insert(id, (method.to_owned(), tx));
            p.waiting.len() == 1
        };
        // Whatever happens from here (time-out, error, the caller dropping this future), the
        // entry is removed exactly once.
        let _forget = Forget { conn: self, id };
        trace!(id, frame = %redacted(&frame), "send");

        // One deadline for both halves: a room that stops reading can block the write too.
        let exchange = async {
            let write = self.write(Message::Text(text.into()), alone);
            // The link can go down (a close, the keep-alive) while the write is stuck on a room
            // that stopped reading: the request ends then, not at its time-out.
            tokio::select! {
                written = write => written.map_err(|e| {
                    let reason = format!("cannot send '{method}': {e}");
                    self.shut_down(&reason);
                    Error::Disconnected { reason }
                })?,
                early = &mut rx => return match early {
                    Ok(reply) => reply,
                    Err(_) => Err(Error::Disconnected { reason: self.down_reason() }),
                },
            }
            match rx.await {
                Ok(reply) => reply,
                // The sender is dropped only by shut_down after it has sent the reason, so
                // this is the narrow window where the link went down between the two.
                Err(_) => Err(Error::Disconnected { reason: self.down_reason() }),
            }
        };
        let reply = match tokio::time::timeout(timeout, exchange).await {
            Ok(reply) => reply?,
            Err(_) => return Err(Error::Timeout { method: method.to_owned(), after: timeout }),
        };
        match reply.get("result") {
            Some(Value::Bool(true)) => Ok(reply),
            Some(Value::Bool(false)) => {
                Err(Error::Refused { method: method.to_owned(), message: refusal_text(&reply), raw: reply })
            }
            // Some replies (queries on older versions) omit `result`; the data is what counts.
            None => Ok(reply),
            Some(other) => Err(Error::Protocol(format!("reply to '{method}' has result {other}, not a boolean"))),
        }
    }

    /// Sends `msg`. Alone in flight, a request goes straight out from its own task: no hop
    /// between tasks, for the lowest round trip. With others in flight it is queued for the
    /// flusher task, which sends everything queued by then with one flush: a hundred requests
    /// in flight then cost a few system calls rather than a hundred.
    async fn write(&self, msg: Message, alone: bool) -> Result<(), WsError> {
        lock(&self.outbox).push_back(msg);
        if alone {
            self.flush_outbox().await
        } else {
            self.kick.notify_one();
            Ok(())
        }
    }

    /// Writes everything queued, including what is queued while it writes, then flushes.
    async fn flush_outbox(&self) -> Result<(), WsError> {
        let mut sink = self.sink.lock().await;
        // Cancelled half-way (a caller's time-out, say), this leaves frames queued or fed but
        // unflushed: the guard hands them to the flusher.
        let mut guard = Unfinished { conn: self, done: false };
        loop {
            let mut batch = Requeue { conn: self, msgs: std::mem::take(&mut *lock(&self.outbox)) };
            if batch.msgs.is_empty() {
                break;
            }
            while let Some(m) = batch.msgs.pop_front() {
                sink.feed(m).await?;
            }
        }
        let flushed = sink.flush().await;
        guard.done = true;
        flushed
    }

    pub(crate) fn is_down(&self) -> bool {
        lock(&self.pending).down.is_some()
    }

    pub(crate) fn down_reason(&self) -> String {
        lock(&self.pending).down.clone().unwrap_or_else(|| "connection closed".to_owned())
    }

    /// Marks the link down, fails every pending request, publishes `disconnected` (or
    /// `connectionLost` when a reconnect will follow). Runs once; later calls do nothing.
    pub(crate) fn shut_down(&self, reason: &str) {
        let closing = lock(&self.closing).clone();
        match closing {
            Some((ours, announce)) => self.shut_down_as(&ours, announce),
            None if !self.adopted.load(Ordering::SeqCst) => self.shut_down_as(reason, None),
            None => self.shut_down_as(reason, Some(self.reconnecting)),
        }
    }

    /// The link becomes the client's: from now on its end is announced.
    pub(crate) fn adopt(&self) {
        self.adopted.store(true, Ordering::SeqCst);
    }

    /// Marks the link down and fails what is pending; `announce` says which event to publish
    /// (`Some(true)`: `connectionLost`, `Some(false)`: `disconnected`, `None`: nothing, for a
    /// link that never became the client's).
    fn shut_down_as(&self, reason: &str, announce: Option<bool>) {
        let waiting = {
            let mut p = lock(&self.pending);
            if p.down.is_some() {
                return;
            }
            p.down = Some(reason.to_owned());
            std::mem::take(&mut p.waiting)
        };
        if !waiting.is_empty() {
            debug!(count = waiting.len(), reason, "failing pending requests");
        }
        for (_, (_, tx)) in waiting {
            let _ = tx.send(Err(Error::Disconnected { reason: reason.to_owned() }));
        }
        match announce {
            Some(true) => self.publisher.publish(Event::connection_lost(reason)),
            Some(false) => self.publisher.publish(Event::disconnected(reason)),
            None => {}
        }
        self.down.notify_one();
        if let Some(task) = lock(&self.reader).take() {
            task.abort();
        }
        if let Some(task) = lock(&self.flusher).take() {
            task.abort();
        }
        if let Some(task) = lock(&self.keeper).take() {
            task.abort();
        }
    }

    /// Closes for good (no reconnect follows): sends a close frame, then keeps reading until
    /// the room answers it (at most `CLOSE_GRACE`), so that notifications already on their way,
    /// such as `conferenceDeleted` after a `hangUp` reply, are still delivered.
    pub(crate) async fn close(&self, reason: &str) {
        self.close_as(reason, Some(false)).await
    }

    /// Closes a link that failed to become the client's (a reconnect attempt): nothing is
    /// published, since the client goes on.
    pub(crate) async fn close_quietly(&self) {
        self.close_as("reconnect attempt abandoned", None).await
    }

    async fn close_as(&self, reason: &str, announce: Option<bool>) {
        if !self.is_down() {
            *lock(&self.closing) = Some((reason.to_owned(), announce));
            // Taken so that the reader's own shut_down does not abort it mid-drain.
            let reader = lock(&self.reader).take();
            // The lock is inside the time-out too: a writer stuck on a room that stopped
            // reading holds it, and close must not wait for that writer.
            let polite = async {
                let mut sink = self.sink.lock().await;
                let _ = sink.close().await;
            };
            // One grace for both halves: sending the close frame, then the room's answer.
            let deadline = tokio::time::Instant::now() + CLOSE_GRACE;
            let sent = tokio::time::timeout_at(deadline, polite).await.is_ok();
            if let Some(mut task) = reader {
                // Without our close frame on the wire, no answer is coming: do not wait for one.
                if !sent || tokio::time::timeout_at(deadline, &mut task).await.is_err() {
                    task.abort();
                }
            }
        }
        self.shut_down_as(reason, announce);
    }

    fn complete(&self, reply: Value) {
        let id = match reply.get("requestId") {
            Some(Value::String(s)) => s.parse::<u64>().ok(),
            Some(Value::Number(n)) => n.as_u64(),
            _ => None,
        };
        let mut p = lock(&self.pending);
        if let Some((method, tx)) = id.and_then(|id| p.waiting.remove(&id)) {
            drop(p);
            self.learn(&method, &reply);
            let _ = tx.send(Ok(reply));
            return;
        }
        if id.is_some() {
            // A late reply to a request that timed out or was cancelled.
            debug!(method = ?reply.get("method"), request_id = ?reply.get("requestId"), "reply matches no pending request");
            return;
        }
        // No usable requestId (missing, empty, an object...): the reply still names its method,
        // and the oldest request of that method is the one it answers. Rather than letting that
        // caller wait out its time-out, it gets this reply (a refusal stays a refusal).
        let method = reply.get("method").and_then(Value::as_str).unwrap_or("");
        let oldest = p.waiting.iter().filter(|(_, (m, _))| m == method).map(|(id, _)| *id).min();
        match oldest.and_then(|id| p.waiting.remove(&id)) {
            Some((method, tx)) => {
                drop(p);
                warn!(method, request_id = ?reply.get("requestId"), "a reply without a usable requestId: given to the oldest request of its method");
                self.learn(&method, &reply);
                let _ = tx.send(Ok(reply));
            }
            None => {
                drop(p);
                warn!(method, "a reply that matches no request");
                self.publish(Event::malformed(&reply.to_string(), "a reply that matches no pending request"));
            }
        }
    }

    fn publish(&self, ev: Event) {
        self.publisher.publish(ev);
    }

    /// The room state learns from a reply here, on the reader, in the order of the wire: a
    /// notification that came after the reply (a participant who joined after the room
    /// answered `getConferenceParticipants`) is applied after it, never overwritten by it.
    fn learn(&self, method: &str, reply: &Value) {
        if reply.get("result") != Some(&Value::Bool(false)) {
            self.publisher.reply(method, reply);
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        // Wakes the supervisor so that it notices the client is gone and ends.
        self.down.notify_one();
        if let Some(task) = lock(&self.flusher).take() {
            task.abort();
        }
        if let Some(task) = lock(&self.reader).take() {
            task.abort();
        }
        if let Some(task) = lock(&self.keeper).take() {
            task.abort();
        }
    }
}

/// Pings a quiet room, and gives the link up when a ping stays unanswered for a whole interval:
/// a room that froze, or a link that died without a word, would otherwise read as connected for
/// ever (and no reconnect would start). One wake-up per interval; a frozen room is given up
/// between two and two and a half intervals after its last frame.
async fn keep_alive(conn: std::sync::Weak<Connection>, interval: Duration) {
    // The count of frames heard when the unanswered ping left. A count, not a clock: an answer
    // that comes a millisecond after the ping must not look like silence at the next tick
    // (comparing times with the tick's rounding gave a healthy link up after three intervals
    // once the answer took more than a millisecond).
    let mut ping: Option<u64> = None;
    loop {
        tokio::time::sleep(interval).await;
        // Held only between sleeps: a dropped client is not kept alive by this task.
        let Some(conn) = conn.upgrade() else { return };
        if conn.is_down() {
            return;
        }
        let heard = conn.frames_heard.load(Ordering::Relaxed);
        if ping.take() == Some(heard) {
            let silence = conn.silence();
            warn!(?silence, "the room stopped answering (keep-alive)");
            conn.shut_down(&format!("the room has not answered for {} s (keep-alive)", silence.as_secs()));
            return;
        }
        // Quiet for half an interval: ask. A room that talks on its own is never pinged.
        if conn.silence() >= interval / 2 {
            // Through the flusher: a room that stopped reading must not block this task.
            lock(&conn.outbox).push_back(Message::Ping(Default::default()));
            conn.kick.notify_one();
            ping = Some(heard);
        }
    }
}

/// Puts back what a cancelled writer had taken but not yet fed, so that other callers' frames
/// are not lost with it.
struct Requeue<'a> {
    conn: &'a Connection,
    msgs: VecDeque<Message>,
}

impl Drop for Requeue<'_> {
    fn drop(&mut self) {
        if !self.msgs.is_empty() {
            let mut outbox = lock(&self.conn.outbox);
            while let Some(m) = self.msgs.pop_back() {
                outbox.push_front(m);
            }
        }
    }
}

/// See `flush_outbox`.
struct Unfinished<'a> {
    conn: &'a Connection,
    done: bool,
}

impl Drop for Unfinished<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.conn.kick.notify_one();
        }
    }
}

async fn flush_loop(conn: std::sync::Weak<Connection>, kick: Arc<tokio::sync::Notify>) {
    loop {
        // Holds only the signal while idle, so a dropped client is not kept alive.
        kick.notified().await;
        let Some(conn) = conn.upgrade() else { return };
        if let Err(e) = conn.flush_outbox().await {
            conn.shut_down(&format!("cannot send: {e}"));
            return;
        }
    }
}

struct Forget<'a> {
    conn: &'a Connection,
    id: u64,
}

impl Drop for Forget<'_> {
    fn drop(&mut self) {
        lock(&self.conn.pending).waiting.remove(&self.id);
    }
}

async fn read_loop(conn: std::sync::Weak<Connection>, mut stream: SplitStream<Ws>) {
    let reason = loop {
        let msg = stream.next().await;
        let Some(conn) = conn.upgrade() else { return };
        if matches!(msg, Some(Ok(_))) {
            conn.heard_now();
        }
        match msg {
            Some(Ok(Message::Text(text))) => dispatch(&conn, text.as_str()),
            Some(Ok(Message::Binary(b))) => {
                warn!(len = b.len(), "the room sent a binary frame");
                conn.publish(Event::malformed(
                    &String::from_utf8_lossy(&b),
                    "binary frame where JSON text was expected",
                ));
            }
            Some(Ok(Message::Close(frame))) => {
                break match frame {
                    Some(f) if !f.reason.is_empty() => {
                        format!("the room closed the connection ({}: {})", u16::from(f.code), f.reason)
                    }
                    Some(f) => format!("the room closed the connection ({})", u16::from(f.code)),
                    None => "the room closed the connection".to_owned(),
                };
            }
            Some(Ok(_)) => {} // ping/pong are answered by tungstenite
            Some(Err(e)) => break format!("connection lost: {e}"),
            None => break "connection lost: the socket was closed".to_owned(),
        }
    };
    if let Some(conn) = conn.upgrade() {
        debug!(%reason, "reader stopped");
        conn.shut_down(&reason);
        // Answer the room's close (or drop our half) now rather than when the last client
        // handle goes: a room waits for that before it lets the connection go. On its own task,
        // since shut_down has just aborted this one.
        tokio::spawn(async move {
            let _ = tokio::time::timeout(CLOSE_GRACE, async {
                let mut sink = conn.sink.lock().await;
                let _ = sink.close().await;
            })
            .await;
        });
    }
}

fn dispatch(conn: &Connection, text: &str) {
    let value: Value = match serde_json::from_str(text) {
        Ok(v @ Value::Object(_)) => v,
        Ok(_) => {
            warn!("the room sent JSON that is not an object");
            return conn.publish(Event::malformed(text, "JSON value is not an object"));
        }
        Err(e) => {
            warn!(error = %e, "the room sent malformed JSON");
            return conn.publish(Event::malformed(text, &format!("malformed JSON: {e}")));
        }
    };
    trace!(frame = %redacted(&value), "recv");
    // `login`/`logout` are both replies and notifications: `method == "event"` decides.
    if value.get("method").and_then(Value::as_str) == Some("event") {
        // The names the client gives its own events (`disconnected`, `reconnected`...) are not
        // the room's to use: a host that stops on `disconnected` must not be stopped by a room.
        let name = value.get("event").and_then(Value::as_str).unwrap_or_default();
        if crate::event::NOTIFICATIONS.iter().any(|n| n.synthetic && n.wire == name) {
            warn!(event = name, "the room sent an event with the name of one the client makes");
            let why = format!("the room may not send \"{name}\": the client makes that event itself");
            return conn.publish(Event::malformed(text, &why));
        }
        conn.publish(Event::from_json(value));
    } else {
        conn.complete(value);
    }
}

/// The room's words for a refusal: `error` (or `message`...) as text, or the text inside an
/// `error` object, or that object itself.
fn refusal_text(reply: &Value) -> String {
    if let Some(s) = crate::json::str_of(reply, &["error", "message", "errorDescription", "description"]) {
        return s;
    }
    match reply.get("error") {
        Some(obj @ Value::Object(_)) => {
            crate::json::str_of(obj, &["message", "text", "description", "error"]).unwrap_or_else(|| obj.to_string())
        }
        Some(Value::Array(a)) if !a.is_empty() => Value::Array(a.clone()).to_string(),
        _ => "no reason given".to_owned(),
    }
}

/// Poisoning only means another thread panicked mid-update of plain data; keep going.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
