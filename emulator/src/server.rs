//! The control WebSocket: accepting, one reader task and one writer task per connection.
//!
//! tokio-tungstenite is used directly (not axum) so that faults can drop the TCP connection or
//! push raw frames.

use std::sync::atomic::AtomicU8;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, Notify};
use tokio::task::{AbortHandle, JoinSet};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use crate::room::Room;
use crate::session::{Flow, Session};
use crate::shared::{lock, ConnEntry, Out, Shared, Target, AUTH_NONE};

/// Most frames a writer feeds before it flushes; bounds latency under a flood of replies.
const BATCH: usize = 256;

/// How long a peer may take to answer our close frame.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

fn ws_config() -> WebSocketConfig {
    // Address books can be several MB; be generous, the client side is what is being tested.
    WebSocketConfig::default().max_message_size(Some(128 << 20)).max_frame_size(Some(64 << 20))
}

/// Accepts until `stop` is notified, then waits (bounded) for open connections to finish.
/// Dropping this future aborts every connection task, which is how `Emulator` drops them.
pub(crate) async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, stop: Arc<Notify>) {
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            _ = stop.notified() => break,
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) => {
                    let _ = tcp.set_nodelay(true);
                    conns.spawn(connection(tcp, shared.clone()));
                }
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
    drop(listener);
    let drain = async { while conns.join_next().await.is_some() {} };
    let _ = tokio::time::timeout(Duration::from_secs(2), drain).await;
}

/// Unregisters a connection however its task ends (normally, on error, or aborted).
struct ConnGuard {
    shared: Arc<Shared>,
    id: u64,
    writer: AbortHandle,
    own_room: Option<Arc<Mutex<Room>>>,
}

impl Drop for ConnGuard {
    fn drop(&mut self) {
        {
            let mut reg = lock(&self.shared.registry);
            reg.conns.remove(&self.id);
            for h in reg.role_holders.iter_mut() {
                if *h == Some(self.id) {
                    *h = None;
                }
            }
        }
        self.writer.abort();
        if let Some(r) = &self.own_room {
            lock(r).cancel_timers();
        }
        tracing::debug!(conn = self.id, "connection closed");
    }
}

async fn connection(tcp: TcpStream, shared: Arc<Shared>) {
    let ws = match tokio_tungstenite::accept_async_with_config(tcp, Some(ws_config())).await {
        Ok(ws) => ws,
        Err(e) => {
            tracing::debug!("WebSocket handshake failed: {e}");
            return;
        }
    };
    let (sink, mut stream) = ws.split();
    let (tx, rx) = mpsc::unbounded_channel();
    let auth = Arc::new(AtomicU8::new(AUTH_NONE));
    let id = shared.next_conn_id.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    lock(&shared.registry).conns.insert(id, ConnEntry { tx: tx.clone(), auth: auth.clone() });
    let closed = Arc::new(Notify::new());
    let writer = tokio::spawn(write_loop(sink, rx, closed.clone()));
    let own_room = match &shared.room {
        Some(_) => None,
        None => {
            Some(Arc::new(Mutex::new(Room::new(&shared.config, Target::One { tx: tx.clone(), auth: auth.clone() }))))
        }
    };
    let room = match (&shared.room, &own_room) {
        (Some(r), _) | (None, Some(r)) => r.clone(),
        (None, None) => return,
    };
    let _guard = ConnGuard { shared: shared.clone(), id, writer: writer.abort_handle(), own_room };
    tracing::debug!(conn = id, "connection open");
    let mut session = Session::new(shared, id, tx, auth, room);
    // After our close frame the peer gets a grace period to answer it, then the socket goes.
    let give_up = async {
        closed.notified().await;
        tokio::time::sleep(CLOSE_GRACE).await;
    };
    tokio::pin!(give_up);
    loop {
        let msg = tokio::select! {
            m = stream.next() => match m {
                Some(m) => m,
                None => break,
            },
            _ = &mut give_up => break,
        };
        match msg {
            Ok(Message::Text(t)) => {
                if session.handle_text(t.as_str()) == Flow::Abort {
                    return;
                }
            }
            Ok(Message::Binary(_)) => session.reject_frame("binary frames are not supported: send JSON text frames"),
            // tungstenite queues the pong itself; make sure it leaves even if nothing else does.
            Ok(Message::Ping(_)) => session.flush(),
            Ok(_) => {}
            Err(e) => {
                tracing::debug!(conn = id, "read error: {e}");
                break;
            }
        }
    }
}

type Sink = SplitSink<WebSocketStream<TcpStream>, Message>;

/// Feeds whatever is queued, then flushes once: one syscall batch for many replies.
async fn write_loop(mut sink: Sink, mut rx: mpsc::UnboundedReceiver<Out>, closed: Arc<Notify>) {
    while let Some(first) = rx.recv().await {
        let mut next = Some(first);
        let mut fed = 0;
        while let Some(out) = next.take() {
            match out {
                Out::Text(t) => {
                    if sink.feed(Message::Text(t)).await.is_err() {
                        return;
                    }
                }
                Out::Flush => {}
                Out::Close => {
                    let frame = CloseFrame { code: CloseCode::Normal, reason: "emulator closing".into() };
                    let _ = sink.send(Message::Close(Some(frame))).await;
                    closed.notify_one();
                    return;
                }
            }
            fed += 1;
            if fed < BATCH {
                next = rx.try_recv().ok();
            }
        }
        if sink.flush().await.is_err() {
            return;
        }
    }
}
