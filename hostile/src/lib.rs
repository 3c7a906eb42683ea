//! `tcroom-hostile`: a stand-in for a TrueConf Room that misbehaves on purpose, for reliability
//! tests of every face of tcroom (CLI, C library, Python, the core).
//!
//! It serves the two ports a client talks to, on 127.0.0.1: the web manager (discovery through
//! `GET /public/default/config.json`, a minimal HTTP/1.1 server written here so that it can
//! trickle, stream without end or redirect) and the control WebSocket (tokio-tungstenite, with
//! raw writes where a frame must be cut in half). Each [`Mode`] is one misbehaviour; everything
//! it does not concern behaves like a plain room that authorizes anyone.
//!
//! Requests are told apart by whether their method was already seen on the connection: the first
//! `getAppState` and the getters after it are the client's connect-time reading of the room; a
//! method seen again (a second `getAppState`, say) is the user's request, which most modes
//! answer badly.
//!
//! [`Proxy`] sits in front of a real room (the emulator) to freeze it or cut every connection.
//!
//! Credentials that reach a place they must not (a redirect or a `hostname` naming another host
//! that the client followed) are recorded as leaks ([`Server::leaks`]).

mod http;
mod proxy;
mod ws;

pub use proxy::Proxy;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// One misbehaviour of the room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Discovery answers; the WebSocket accepts the TCP connection and never answers the handshake.
    Silent,
    /// The web manager accepts the TCP connection and never answers.
    SilentHttp,
    /// Answers `auth`, then stops reading and writing (the socket stays open).
    FreezeAfterAuth,
    /// Answers the connect-time reading, then stops reading and writing at the user's request.
    FreezeAfterConnect,
    /// Answers the user's request with frames that are not JSON (text and binary), never a reply.
    Garbage,
    /// Answers the user's request with JSON that is not an object (arrays, numbers, strings, null).
    NonObject,
    /// Every reply's `requestId` is unusable: an object, an array, missing, null, a float, empty.
    BadRequestId,
    /// Refuses the user's request with `result:false` and `error` as an object.
    ErrorObject,
    /// An endless event flood from `auth` on (25 MB and 100,000 events a second); the user's
    /// request is answered after 6 s of it.
    Flood,
    /// Before answering the user's request: a 61 MB event; after: a 100 MB frame.
    HugeFrame,
    /// Before answering the user's request: 40 events of 8 MB each (320 MB nobody reads).
    BigEvents,
    /// Discovery trickles its response header, one byte every 200 ms, without end.
    SlowlorisHttp,
    /// Discovery streams a chunked `config.json` without end.
    EndlessConfig,
    /// Discovery sends a 50 MB `config.json` (with its length announced).
    BigConfig,
    /// Discovery redirects to another host (`localhost`).
    RedirectElsewhere,
    /// `config.json` names another host (`localhost`) for the WebSocket.
    HostnameElsewhere,
    /// `config.json` names `127.0.0.1/evil?x=` as the WebSocket's host.
    HostnameEvil,
    /// Sends half of the reply frame to the user's request, then closes the TCP connection.
    CloseMidReply,
    /// Refuses `auth` with `resultCode` 3.
    WrongPin,
    /// Drops every connection (no close frame) 300 ms after accepting it, and the user's
    /// request at once.
    RestartLoop,
    /// The first connection drops at the user's request; the second never answers `auth`; later
    /// ones behave. A reconnecting client sees one failed attempt, then reconnects.
    StallAuthOnce,
    /// The first connection drops at the user's request; every later `auth` is refused with
    /// `resultCode` 3 (the PIN was changed while the client was away).
    WrongPinAfterRestart,
}

impl Mode {
    /// Every mode, in the order the tests run them.
    pub const ALL: &'static [Mode] = &[
        Mode::Silent,
        Mode::SilentHttp,
        Mode::FreezeAfterAuth,
        Mode::FreezeAfterConnect,
        Mode::Garbage,
        Mode::NonObject,
        Mode::BadRequestId,
        Mode::ErrorObject,
        Mode::Flood,
        Mode::HugeFrame,
        Mode::BigEvents,
        Mode::SlowlorisHttp,
        Mode::EndlessConfig,
        Mode::BigConfig,
        Mode::RedirectElsewhere,
        Mode::HostnameElsewhere,
        Mode::HostnameEvil,
        Mode::CloseMidReply,
        Mode::WrongPin,
        Mode::RestartLoop,
        Mode::StallAuthOnce,
        Mode::WrongPinAfterRestart,
    ];

    /// The mode's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Silent => "silent",
            Mode::SilentHttp => "silent-http",
            Mode::FreezeAfterAuth => "freeze-after-auth",
            Mode::FreezeAfterConnect => "freeze-after-connect",
            Mode::Garbage => "garbage",
            Mode::NonObject => "non-object",
            Mode::BadRequestId => "bad-request-id",
            Mode::ErrorObject => "error-object",
            Mode::Flood => "flood",
            Mode::HugeFrame => "huge-frame",
            Mode::BigEvents => "big-events",
            Mode::SlowlorisHttp => "slowloris-http",
            Mode::EndlessConfig => "endless-config",
            Mode::BigConfig => "big-config",
            Mode::RedirectElsewhere => "redirect-elsewhere",
            Mode::HostnameElsewhere => "hostname-elsewhere",
            Mode::HostnameEvil => "hostname-evil",
            Mode::CloseMidReply => "close-mid-reply",
            Mode::WrongPin => "wrong-pin",
            Mode::RestartLoop => "restart-loop",
            Mode::StallAuthOnce => "stall-auth-once",
            Mode::WrongPinAfterRestart => "wrong-pin-after-restart",
        }
    }

    pub fn from_name(name: &str) -> Option<Mode> {
        Mode::ALL.iter().copied().find(|m| m.name() == name)
    }
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What the server tells its tests.
pub(crate) struct Shared {
    pub(crate) mode: Mode,
    pub(crate) web_port: u16,
    pub(crate) ws_port: u16,
    /// Credentials or requests that went where they must not.
    leaks: Mutex<Vec<String>>,
    /// WebSocket connections accepted so far (handshake done).
    pub(crate) ws_connections: AtomicUsize,
    /// Discovery requests served so far.
    pub(crate) http_requests: AtomicUsize,
}

impl Shared {
    pub(crate) fn leak(&self, what: String) {
        self.leaks.lock().unwrap_or_else(|e| e.into_inner()).push(what);
    }
}

/// A running hostile room. Dropping it stops it: its tasks are aborted, its sockets closed.
pub struct Server {
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
}

impl Server {
    /// Binds both ports on 127.0.0.1 and serves `mode` in the background (needs a tokio runtime).
    pub async fn start(mode: Mode) -> std::io::Result<Server> {
        let local = SocketAddr::from(([127, 0, 0, 1], 0));
        let web = TcpListener::bind(local).await?;
        let ws = TcpListener::bind(local).await?;
        let shared = Arc::new(Shared {
            mode,
            web_port: web.local_addr()?.port(),
            ws_port: ws.local_addr()?.port(),
            leaks: Mutex::new(Vec::new()),
            ws_connections: AtomicUsize::new(0),
            http_requests: AtomicUsize::new(0),
        });
        let tasks = vec![
            tokio::spawn(accept_loop(web, shared.clone(), Kind::Http)),
            tokio::spawn(accept_loop(ws, shared.clone(), Kind::Ws)),
        ];
        Ok(Server { shared, tasks })
    }

    pub fn mode(&self) -> Mode {
        self.shared.mode
    }

    /// The web manager's port (discovery).
    pub fn web_port(&self) -> u16 {
        self.shared.web_port
    }

    /// The control WebSocket's port.
    pub fn ws_port(&self) -> u16 {
        self.shared.ws_port
    }

    /// What went where it must not (empty when the client behaved).
    pub fn leaks(&self) -> Vec<String> {
        self.shared.leaks.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// WebSocket connections accepted so far.
    pub fn ws_connections(&self) -> usize {
        self.shared.ws_connections.load(Ordering::SeqCst)
    }

    /// Discovery requests received so far.
    pub fn http_requests(&self) -> usize {
        self.shared.http_requests.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Http,
    Ws,
}

/// Accepts connections; each is served on its own task, aborted with the server.
async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, kind: Kind) {
    let mut conns = tokio::task::JoinSet::new();
    let mut index = 0usize;
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((tcp, _)) = accepted else {
                    // Out of descriptors, say: wait a little rather than spin.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let _ = tcp.set_nodelay(true);
                let shared = shared.clone();
                match kind {
                    Kind::Http => conns.spawn(http::serve(shared, tcp)),
                    Kind::Ws => conns.spawn(ws::serve(shared, tcp, index)),
                };
                index += 1;
            }
            // Reap finished connections so that the set does not grow.
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
}

/// Keeps `thing` (a socket) open and does nothing with it, until the task is aborted.
pub(crate) async fn hold<T>(thing: T) {
    std::future::pending::<()>().await;
    drop(thing);
}
