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

    /// Sends `emulator.<action>` and returns its successful reply.
    pub async fn action(&mut self, action: &str, params: Value) -> Value {
        let r = self.request(&format!("emulator.{action}"), params).await;
        assert_eq!(r["result"], true, "emulator.{action}: {r}");
        r
    }

    /// Sends a request that must be refused; returns the error text. The connection stays
    /// open and nothing else arrives first.
    pub async fn refused(&mut self, method: &str, params: Value) -> String {
        let r = self.request(method, params).await;
        assert_eq!(r["result"], false, "{method} should be refused: {r}");
        r["error"].as_str().expect("an error text").to_string()
    }

    /// Sends a request that must succeed and returns its reply.
    pub async fn ok(&mut self, method: &str, params: Value) -> Value {
        let r = self.request(method, params).await;
        assert_eq!(r["result"], true, "{method}: {r}");
        r
    }

    /// Proves that no notification is pending: a fresh request's reply comes first.
    pub async fn quiet(&mut self) {
        self.request("getAppState", json!({})).await;
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

/// A bare HTTP/1.1 GET returning (status, lower-case header block, body bytes).
pub async fn http_get_bytes(host: std::net::IpAddr, port: u16, path: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect((host, port)).await.expect("http connect");
    let req = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.expect("write");
    let mut buf = Vec::new();
    tokio::time::timeout(WAIT, s.read_to_end(&mut buf)).await.expect("http in time").expect("read");
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n").expect("end of headers");
    let head = String::from_utf8_lossy(&buf[..split]).to_lowercase();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("status line");
    let mut body = buf[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    (status, head, body)
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").expect("chunk size line");
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..line_end]).expect("ascii").trim(), 16).expect("hex");
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[line_end + 2..line_end + 2 + size]);
        data = &data[line_end + 2 + size + 2..];
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

/// A directory for §10 tests: `user1`/`user2` join at once, `boss` owns the role conference
/// `demo` (no PIN), `locked` needs PIN 4321.
pub fn room_config() -> tcroom_emulator::EmulatorConfig {
    use tcroom_emulator::{Answer, SimConference, SimUser};
    let mut locked = SimConference::new("locked", "Locked", "boss@some.server");
    locked.pin = Some("4321".into());
    let mut sym = SimConference::new("sym", "All on screen", "boss@some.server");
    sym.conf_type = 1;
    EmulatorConfig {
        users: vec![
            SimUser::new("user1@some.server", Answer::Join { delay: Duration::ZERO }),
            SimUser::new("user2@some.server", Answer::Join { delay: Duration::ZERO }),
            SimUser::new("boss@some.server", Answer::Join { delay: Duration::ZERO }),
        ],
        conferences: vec![SimConference::new("demo", "Demo", "boss@some.server"), locked, sym],
        ..Default::default()
    }
}

/// createConference consumed up to `conferenceCreated`, which is returned.
pub async fn create_conference(c: &mut Client, params: Value) -> Value {
    c.ok("createConference", params).await;
    assert_eq!(c.event("appStateChanged").await["appState"], 5);
    c.event("conferenceCreated").await
}

/// Invites `peer` (who joins at once) and returns their `newParticipantInConference`; its
/// `videoMatrixChanged` is consumed too.
pub async fn invite_joined(c: &mut Client, peer: &str) -> Value {
    c.ok("inviteToConference", json!({"peerId": peer})).await;
    c.event("inviteSent").await;
    let joined = c.event("newParticipantInConference").await;
    c.event("videoMatrixChanged").await;
    joined
}

/// Calls a simulated conference and consumes the notifications up to the video matrix that
/// shows its owner; returns `conferenceCreated`.
pub async fn join_sim_conference(c: &mut Client, id: &str) -> Value {
    c.ok("call", json!({"peerId": id})).await;
    assert_eq!(c.event("appStateChanged").await["appState"], 4);
    assert_eq!(c.event("appStateChanged").await["appState"], 5);
    let created = c.event("conferenceCreated").await;
    c.event("videoMatrixChanged").await;
    created
}

/// The room's own entry of `getConferenceParticipants`.
pub async fn own_entry(c: &mut Client) -> Value {
    let r = c.ok("getConferenceParticipants", json!({})).await;
    r["participants"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["peerId"].as_str().unwrap_or("").starts_with("room@some.server/")))
        .cloned()
        .expect("the room's own entry")
}
