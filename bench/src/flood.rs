//! Event floods. The emulator has no way to send N notifications on request from another process,
//! so `tcroom-bench serve` hosts it in-process (the library) and adds a tiny control port: a
//! client connects over TCP and writes a line `N`; the host emits N `benchTick` notifications
//! (`seq` 0..N-1) to every authorized WebSocket connection, then answers `ok <emit_us>`.
//! The client under test stays a separate process, exactly as with the emulator binary.

use serde_json::{json, Value};
use std::io::Write;
use std::time::Instant;
use tcroom_emulator::{AuthMode, Emulator, EmulatorConfig};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

pub const EVENT: &str = "benchTick";

/// Largest flood one request may ask for.
const MAX_FLOOD: u64 = 5_000_000;

/// A notification of about 200 bytes, the size of a participant event.
pub fn tick(seq: u64) -> Value {
    json!({
        "method": "event",
        "event": EVENT,
        "seq": seq,
        "confId": "000002c6@some.server#vcs",
        "peerId": "user1@some.server/abcd1234",
        "peerDn": "User One",
        "mic": 2,
        "video": 2,
        "role": 1,
        "broadcast": false,
        "isInWaitingRoom": false
    })
}

pub async fn serve(isolated: bool, ws_port: u16) -> std::io::Result<()> {
    let config = EmulatorConfig { auth: AuthMode::Unsecured, isolated_rooms: isolated, ws_port, ..Default::default() };
    let emu = std::sync::Arc::new(Emulator::start(config).await?);
    let control = TcpListener::bind("127.0.0.1:0").await?;
    let flood_port = control.local_addr()?.port();
    {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            r#"{{"web_port":{},"ws_port":{},"http_port":{},"flood_port":{flood_port}}}"#,
            emu.web_port(),
            emu.ws_port(),
            emu.http_port()
        )?;
        out.flush()?;
    }
    let accept = {
        let emu = emu.clone();
        async move {
            loop {
                let Ok((sock, _)) = control.accept().await else {
                    continue;
                };
                let emu = emu.clone();
                tokio::spawn(async move {
                    let _ = handle(sock, &emu).await;
                });
            }
        }
    };
    tokio::select! {
        _ = accept => {}
        _ = shutdown_signal() => {}
    }
    Ok(())
}

async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

async fn handle(sock: TcpStream, emu: &Emulator) -> std::io::Result<()> {
    let _ = sock.set_nodelay(true);
    let (r, mut w) = sock.into_split();
    let mut lines = BufReader::new(r).lines();
    while let Some(line) = lines.next_line().await? {
        let n: u64 = match line.trim().parse() {
            Ok(n) if n <= MAX_FLOOD => n,
            _ => {
                w.write_all(b"error: expected a count\n").await?;
                continue;
            }
        };
        // Build first, then emit: the timed part is only the hand-off to the connections.
        let events: Vec<Value> = (0..n).map(tick).collect();
        let t = Instant::now();
        for ev in events {
            emu.emit(ev);
        }
        let us = t.elapsed().as_micros();
        w.write_all(format!("ok {us}\n").as_bytes()).await?;
    }
    Ok(())
}

/// Asks the host at `port` for `n` events; returns when they have all been handed to the
/// connections (not when they arrived).
pub async fn trigger(port: u16, n: u64) -> Result<u64, String> {
    let sock = TcpStream::connect(("127.0.0.1", port)).await.map_err(|e| format!("flood port {port}: {e}"))?;
    let _ = sock.set_nodelay(true);
    let (r, mut w) = sock.into_split();
    w.write_all(format!("{n}\n").as_bytes()).await.map_err(|e| e.to_string())?;
    let mut line = String::new();
    BufReader::new(r).read_line(&mut line).await.map_err(|e| e.to_string())?;
    line.trim()
        .strip_prefix("ok ")
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("flood host answered '{}'", line.trim()))
}
