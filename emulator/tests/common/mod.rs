//! A raw WebSocket client for the emulator's own tests: frames in, frames out, nothing clever.
#![allow(dead_code)]

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tcroom_emulator::{Emulator, EmulatorConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub const WAIT: Duration = Duration::from_secs(5);

pub async fn start(config: EmulatorConfig) -> Emulator {
    Emulator::start(config).await.expect("emulator starts")
}

pub struct Client {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: u64,
}

/// How a connection ended, as seen by the client.
#[derive(Debug, PartialEq)]
pub enum End {
    CloseFrame,
    Dropped,
}

impl Client {
    pub async fn connect(emu: &Emulator) -> Client {
        let url = format!("ws://{}:{}/", emu.host(), emu.ws_port());
        let (ws, _) = tokio_tungstenite::connect_async(url).await.expect("connects");
        Client { ws, next_id: 0 }
    }

    pub async fn connect_authed(emu: &Emulator) -> Client {
        let mut c = Client::connect(emu).await;
        let r = c.request("auth", json!({"type": "unsecured"})).await;
        assert_eq!(r["result"], true, "{r}");
        c
    }

    pub async fn send_raw(&mut self, text: &str) {
        self.ws.send(Message::Text(text.into())).await.expect("send");
    }

    /// Sends a request with a fresh requestId and returns that id.
    pub async fn send(&mut self, method: &str, params: Value) -> String {
        self.next_id += 1;
        let id = self.next_id.to_string();
        let mut req = params;
        req["method"] = json!(method);
        req["requestId"] = json!(id);
        self.send_raw(&req.to_string()).await;
        id
    }

    /// The next JSON text frame (5 s at most).
    pub async fn recv(&mut self) -> Value {
        loop {
            let msg = tokio::time::timeout(WAIT, self.ws.next())
                .await
                .expect("a frame within the timeout")
                .expect("connection still open")
                .expect("no read error");
            match msg {
                Message::Text(t) => return serde_json::from_str(t.as_str()).expect("valid JSON"),
                Message::Ping(_) | Message::Pong(_) => continue,
                other => panic!("unexpected frame {other:?}"),
            }
        }
    }

    pub async fn recv_text(&mut self) -> String {
        loop {
            let msg = tokio::time::timeout(WAIT, self.ws.next()).await.expect("frame").expect("open").expect("ok");
            if let Message::Text(t) = msg {
                return t.as_str().to_string();
            }
        }
    }

    /// Sends and returns the reply, asserting that nothing else arrives in between.
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send(method, params).await;
        let r = self.recv().await;
        assert_eq!(r["method"], method, "expected the reply first, got {r}");
        assert_eq!(r["requestId"], id.as_str(), "{r}");
        r
    }

    /// Reads until the reply with `id`, returning the frames seen before it too.
    pub async fn until_reply(&mut self, id: &str) -> (Value, Vec<Value>) {
        let mut before = Vec::new();
        loop {
            let v = self.recv().await;
            if v["requestId"] == id {
                return (v, before);
            }
            before.push(v);
        }
    }

    /// The next frame, which must be the event `name`.
    pub async fn event(&mut self, name: &str) -> Value {
        let v = self.recv().await;
        assert_eq!(v["method"], "event", "expected event {name}, got {v}");
        assert_eq!(v["event"], name, "expected event {name}, got {v}");
        v
    }

    /// Waits for the end of the connection and tells how it ended.
    pub async fn ended(&mut self) -> End {
        loop {
            let msg = tokio::time::timeout(WAIT, self.ws.next()).await.expect("the connection ends in time");
            match msg {
                None => return End::Dropped,
                Some(Err(_)) => return End::Dropped,
                Some(Ok(Message::Close(_))) => return End::CloseFrame,
                Some(Ok(_)) => continue,
            }
        }
    }
}

/// A bare HTTP/1.1 GET, enough for the two small HTTP ports. Returns (status, body).
pub async fn http_get(host: std::net::IpAddr, port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect((host, port)).await.expect("http connect");
    let req = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.expect("write");
    let mut buf = Vec::new();
    tokio::time::timeout(WAIT, s.read_to_end(&mut buf)).await.expect("http in time").expect("read");
    let text = String::from_utf8_lossy(&buf).to_string();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("status line");
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}
