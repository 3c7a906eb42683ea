//! The web manager: `GET /public/default/config.json`, answered as the mode says.

use crate::{hold, Mode, Shared};
use serde_json::json;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const CONFIG_PATH: &str = "/public/default/config.json";

/// The request line's path and the `Host` header, once the whole head has arrived.
async fn read_head(tcp: &mut TcpStream) -> Option<(String, String)> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    let read = async {
        while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
            if buf.len() > 16 * 1024 {
                return None;
            }
            let n = tcp.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        Some(())
    };
    tokio::time::timeout(Duration::from_secs(10), read).await.ok()??;
    let text = String::from_utf8_lossy(&buf);
    let mut lines = text.split("\r\n");
    let path = lines.next()?.split(' ').nth(1)?.to_owned();
    let host = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("host"))
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    Some((path, host))
}

/// A complete response with a body.
async fn respond(tcp: &mut TcpStream, status: &str, extra: &str, body: &str) {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n",
        body.len()
    );
    let _ = tcp.write_all(head.as_bytes()).await;
    let _ = tcp.write_all(body.as_bytes()).await;
    let _ = tcp.shutdown().await;
}

/// What a plain room's `config.json` says, with the WebSocket's `hostname` as given.
fn config(shared: &Shared, hostname: Option<&str>) -> String {
    json!({"config": {
        "websocket": {"hostname": hostname, "port": shared.ws_port},
        "http": {"hostname": hostname, "port": shared.web_port},
    }})
    .to_string()
}

pub(crate) async fn serve(shared: Arc<Shared>, mut tcp: TcpStream) {
    if shared.mode == Mode::SilentHttp {
        return hold(tcp).await;
    }
    let Some((path, host)) = read_head(&mut tcp).await else { return };
    shared.http_requests.fetch_add(1, Ordering::SeqCst);
    if path != CONFIG_PATH {
        return respond(&mut tcp, "404 Not Found", "", "{}").await;
    }
    match shared.mode {
        Mode::SlowlorisHttp => trickle(tcp).await,
        Mode::EndlessConfig => endless(shared, tcp).await,
        Mode::BigConfig => big(shared, tcp).await,
        Mode::RedirectElsewhere => {
            if host.starts_with("localhost") {
                shared.leak(format!("discovery followed a redirect to another host ({host})"));
                respond(&mut tcp, "200 OK", "", &config(&shared, None)).await
            } else {
                let location = format!("Location: http://localhost:{}{CONFIG_PATH}\r\n", shared.web_port);
                respond(&mut tcp, "302 Found", &location, "{}").await
            }
        }
        Mode::HostnameElsewhere => respond(&mut tcp, "200 OK", "", &config(&shared, Some("localhost"))).await,
        Mode::HostnameEvil => respond(&mut tcp, "200 OK", "", &config(&shared, Some("127.0.0.1/evil?x="))).await,
        _ => respond(&mut tcp, "200 OK", "", &config(&shared, None)).await,
    }
}

/// A response header that never ends, one byte every 200 ms.
async fn trickle(mut tcp: TcpStream) {
    let head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";
    for b in head {
        if tcp.write_all(&[*b]).await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let _ = tcp.write_all(b"X-Pad: ").await;
    loop {
        if tcp.write_all(b"a").await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A chunked `config.json` that starts well and never ends.
async fn endless(shared: Arc<Shared>, mut tcp: TcpStream) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    let start = format!("{{\"config\":{{\"websocket\":{{\"hostname\":null,\"port\":{}}}}},\"pad\":\"", shared.ws_port);
    let chunk = |body: &[u8]| {
        let mut c = format!("{:x}\r\n", body.len()).into_bytes();
        c.extend_from_slice(body);
        c.extend_from_slice(b"\r\n");
        c
    };
    if tcp.write_all(head.as_bytes()).await.is_err() || tcp.write_all(&chunk(start.as_bytes())).await.is_err() {
        return;
    }
    let pad = chunk(&[b'a'; 64 * 1024]);
    // Until the client goes away (a write fails), however long that takes.
    while tcp.write_all(&pad).await.is_ok() {}
}

/// A 50 MB `config.json`, its length announced.
async fn big(shared: Arc<Shared>, mut tcp: TcpStream) {
    const SIZE: usize = 50 * 1000 * 1000;
    let start = format!("{{\"config\":{{\"websocket\":{{\"hostname\":null,\"port\":{}}}}},\"pad\":\"", shared.ws_port);
    let head = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {SIZE}\r\n\r\n");
    if tcp.write_all(head.as_bytes()).await.is_err() || tcp.write_all(start.as_bytes()).await.is_err() {
        return;
    }
    let mut left = SIZE - start.len() - 2;
    let pad = [b'a'; 64 * 1024];
    while left > 0 {
        let n = left.min(pad.len());
        if tcp.write_all(&pad[..n]).await.is_err() {
            return;
        }
        left -= n;
    }
    let _ = tcp.write_all(b"\"}").await;
    let _ = tcp.shutdown().await;
}
