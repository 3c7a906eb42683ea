//! A TCP proxy on 127.0.0.1 in front of a real room (the emulator), for faults a room cannot
//! inject itself: freezing (no byte moves either way, every socket stays open, as when the
//! room's application hangs), killing every connection at once (as when its host drops off
//! the network), and a slow link (every chunk from the room held back a while).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

struct Shared {
    upstream: Mutex<SocketAddr>,
    /// `true` while frozen; pumps wait for it to turn `false`.
    frozen: watch::Sender<bool>,
    /// Bumped by `kill_all`: pumps of an older generation end.
    generation: watch::Sender<u64>,
    open: AtomicUsize,
    accepting: AtomicBool,
    /// Milliseconds each chunk from the room waits before it goes on to the client.
    delay_ms: Arc<AtomicU64>,
}

/// See the module documentation. Dropping it stops it and closes every connection.
pub struct Proxy {
    port: u16,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Proxy {
    /// Listens on 127.0.0.1 (any free port) and forwards each connection to `upstream`.
    pub async fn start(upstream: SocketAddr) -> std::io::Result<Proxy> {
        let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let port = listener.local_addr()?.port();
        let shared = Arc::new(Shared {
            upstream: Mutex::new(upstream),
            frozen: watch::channel(false).0,
            generation: watch::channel(0).0,
            open: AtomicUsize::new(0),
            accepting: AtomicBool::new(true),
            delay_ms: Arc::new(AtomicU64::new(0)),
        });
        let task = tokio::spawn(accept_loop(listener, shared.clone()));
        Ok(Proxy { port, shared, task })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Where new connections go from now on.
    pub fn set_upstream(&self, upstream: SocketAddr) {
        *self.shared.upstream.lock().unwrap_or_else(|e| e.into_inner()) = upstream;
    }

    /// No byte moves either way until `thaw`; connections stay open, new ones are accepted and
    /// frozen too.
    pub fn freeze(&self) {
        self.shared.frozen.send_replace(true);
    }

    pub fn thaw(&self) {
        self.shared.frozen.send_replace(false);
    }

    pub fn is_frozen(&self) -> bool {
        *self.shared.frozen.borrow()
    }

    /// Drops every open connection at once (no close frame, no FIN from the room first).
    pub fn kill_all(&self) {
        self.shared.generation.send_modify(|g| *g += 1);
    }

    /// Connections open now.
    pub fn open_connections(&self) -> usize {
        self.shared.open.load(Ordering::SeqCst)
    }

    /// Holds every chunk from the room back for `delay` before passing it on (a slow link or a
    /// busy room: answers, pongs included, come late but come).
    pub fn set_delay(&self, delay: std::time::Duration) {
        let ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        self.shared.delay_ms.store(ms, Ordering::SeqCst);
    }

    /// Refuse (close at once) new connections while `false`.
    pub fn set_accepting(&self, on: bool) {
        self.shared.accepting.store(on, Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut conns = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((client, _)) = accepted else { continue };
                if !shared.accepting.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                conns.spawn(serve(client, shared.clone()));
            }
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
}

async fn serve(client: TcpStream, shared: Arc<Shared>) {
    let upstream = *shared.upstream.lock().unwrap_or_else(|e| e.into_inner());
    let Ok(server) = TcpStream::connect(upstream).await else { return };
    let _ = (client.set_nodelay(true), server.set_nodelay(true));
    shared.open.fetch_add(1, Ordering::SeqCst);
    let mut generation = shared.generation.subscribe();
    let born = *generation.borrow_and_update();
    let (cr, cw) = client.into_split();
    let (sr, sw) = server.into_split();
    let up = pump(cr, sw, shared.frozen.subscribe(), None);
    let down = pump(sr, cw, shared.frozen.subscribe(), Some(shared.delay_ms.clone()));
    let killed = async {
        while generation.changed().await.is_ok() {
            if *generation.borrow() != born {
                return;
            }
        }
        std::future::pending::<()>().await
    };
    // Either direction ending ends the connection; so does a kill.
    tokio::select! {
        _ = up => {}
        _ = down => {}
        _ = killed => {}
    }
    shared.open.fetch_sub(1, Ordering::SeqCst);
}

/// Copies `from` to `to`, not reading (nor writing) while frozen, each chunk after `delay`.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    mut frozen: watch::Receiver<bool>,
    delay: Option<Arc<AtomicU64>>,
) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        if frozen.wait_for(|f| !*f).await.is_err() {
            return;
        }
        let n = tokio::select! {
            read = from.read(&mut buf) => match read {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            },
            // Frozen while waiting to read: stop reading at once.
            _ = frozen.wait_for(|f| *f) => continue,
        };
        let ms = delay.as_ref().map_or(0, |d| d.load(Ordering::SeqCst));
        if ms > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        }
        if frozen.wait_for(|f| !*f).await.is_err() {
            return;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}
