//! The running emulator: binds the three ports and owns every task.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::config::EmulatorConfig;
use crate::faults::Faults;
use crate::room::make_event;
use crate::shared::{lock, to_frame, Out, Shared};

/// A running emulator. Dropping it stops it: tasks are aborted and sockets closed.
pub struct Emulator {
    shared: Arc<Shared>,
    host: IpAddr,
    web_port: u16,
    ws_port: u16,
    http_port: u16,
    stop: Arc<Notify>,
    ws_task: Option<JoinHandle<()>>,
    http_tasks: Vec<JoinHandle<()>>,
}

async fn bind(host: IpAddr, port: u16) -> std::io::Result<(TcpListener, u16)> {
    let l = TcpListener::bind(SocketAddr::new(host, port)).await?;
    let port = l.local_addr()?.port();
    Ok((l, port))
}

fn serve(listener: TcpListener, router: axum::Router) -> JoinHandle<()> {
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router).await {
            tracing::warn!("HTTP server stopped: {e}");
        }
    })
}

impl Emulator {
    /// Binds all three ports, then serves in the background.
    ///
    /// Fails with `InvalidInput` for a configuration `EmulatorConfig::validate` refuses.
    pub async fn start(config: EmulatorConfig) -> std::io::Result<Emulator> {
        config.validate().map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        let host = config.host;
        let (ws_listener, ws_port) = bind(host, config.ws_port).await?;
        let (http_listener, http_port) = bind(host, config.http_port).await?;
        let (web_listener, web_port) = bind(host, config.web_port).await?;
        tracing::info!(%host, web_port, ws_port, http_port, auth = ?config.auth, isolated = config.isolated_rooms,
            "emulator listening");
        let shared = Shared::new(config, http_port);
        let stop = Arc::new(Notify::new());
        let ws_task = tokio::spawn(crate::server::accept_loop(ws_listener, shared.clone(), stop.clone()));
        let mut http_tasks = vec![
            serve(web_listener, crate::http::web_router(shared.clone(), ws_port)),
            serve(http_listener, crate::http::embedded_router(shared.clone())),
        ];
        http_tasks.extend(shared.config.script.iter().enumerate().map(|(i, step)| {
            let (shared, step) = (shared.clone(), step.clone());
            tokio::spawn(async move {
                tokio::time::sleep(step.at).await;
                match run_on_shared_room(&shared, &step.action, step.params) {
                    Ok(_) => tracing::info!(step = i, action = %step.action, "script step done"),
                    Err(e) => tracing::warn!(step = i, action = %step.action, "script step failed: {e}"),
                }
            })
        }));
        Ok(Emulator { shared, host, web_port, ws_port, http_port, stop, ws_task: Some(ws_task), http_tasks })
    }

    pub fn host(&self) -> IpAddr {
        self.host
    }

    pub fn web_port(&self) -> u16 {
        self.web_port
    }

    pub fn ws_port(&self) -> u16 {
        self.ws_port
    }

    pub fn http_port(&self) -> u16 {
        self.http_port
    }

    pub fn faults(&self) -> Faults {
        Faults { shared: Arc::downgrade(&self.shared) }
    }

    /// Sends a raw notification to every authorized connection.
    pub fn emit(&self, event: Value) {
        self.shared.broadcast_authorized(&[to_frame(&event)]);
    }

    /// Runs a test-only action (emulator/README.md) on the room, as the `emulator.<action>`
    /// method would: its notifications go to every authorized connection, its reply fields
    /// (with `result: true`) are returned. Errors are the texts the method would answer.
    /// With `isolated_rooms` there is no shared room: use the method on the connection.
    ///
    /// ```no_run
    /// # async fn f(emu: tcroom_emulator::Emulator) {
    /// emu.control("incomingCall", serde_json::json!({"peerId": "user1@some.server"})).unwrap();
    /// # }
    /// ```
    pub fn control(&self, action: &str, params: Value) -> Result<Value, String> {
        run_on_shared_room(&self.shared, action, params)
    }

    /// Every embedded HTTP server token stops working now (the `expireHttpTokens` action).
    pub fn expire_http_tokens(&self) {
        self.shared.expire_http_tokens();
    }

    /// Replaces the tariff and announces it with `tariffRestrictionsChanged`.
    pub fn set_tariff(&self, tariff: Value) {
        *lock(&self.shared.tariff) = tariff.clone();
        self.emit(make_event("tariffRestrictionsChanged", tariff));
    }

    /// Open WebSocket connections (handshake done, not yet closed).
    pub fn connection_count(&self) -> usize {
        lock(&self.shared.registry).conns.len()
    }

    /// Closes every socket with a close frame, now.
    pub fn close_all_connections(&self) {
        self.shared.broadcast_all(|| Out::Close);
    }

    /// Stops accepting, closes every connection (close frame), returns when they are gone
    /// (or after 2 s for peers that never finish the close handshake).
    pub async fn shutdown(mut self) {
        self.stop.notify_one();
        self.close_all_connections();
        if let Some(t) = self.ws_task.take() {
            let _ = t.await;
        }
        self.stop_rest();
        tracing::info!("emulator stopped");
    }

    fn stop_rest(&mut self) {
        for t in self.http_tasks.drain(..) {
            t.abort();
        }
        if let Some(t) = self.ws_task.take() {
            t.abort();
        }
        if let Some(r) = &self.shared.room {
            lock(r).cancel_timers();
        }
    }
}

fn run_on_shared_room(shared: &Arc<Shared>, action: &str, params: Value) -> Result<Value, String> {
    match &shared.room {
        Some(room) => crate::room::run_action(shared, room, action, params),
        None => Err("isolated rooms: send emulator.<action> on the connection whose room it is".into()),
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop_rest();
    }
}
