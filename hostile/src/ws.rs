//! The control WebSocket: a plain room that authorizes anyone, bent by the mode.

use crate::{hold, Mode, Shared};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Map, Value};
use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::handshake::server::{Callback, ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

type Ws = WebSocketStream<TcpStream>;

/// How long a `flood` room floods before it answers the user's request.
const FLOOD_REPLY_AFTER: Duration = Duration::from_secs(6);
/// A `flood` room sends, every `FLOOD_TICK`, one event of `FLOOD_BIG` bytes and `FLOOD_SMALL`
/// small ones: 25 MB and 100,000 events a second, steadily, whether or not anyone reads (a
/// reader slower than that slows it).
const FLOOD_TICK: Duration = Duration::from_millis(10);
const FLOOD_BIG: usize = 256 << 10;
const FLOOD_SMALL: usize = 1000;
/// How long a `restart-loop` connection lives.
const RESTART_AFTER: Duration = Duration::from_millis(300);
/// The size of the event a `huge-frame` room sends before its reply (under the client's cap).
const HUGE_EVENT: usize = 61 * 1000 * 1000;
/// A `big-events` room sends this many events of `BIG_EVENT` bytes before its reply.
const BIG_EVENTS: usize = 40;
const BIG_EVENT: usize = 8 << 20;
/// The size of the frame it sends after (over the client's cap of 64 MiB).
const HUGER_FRAME: usize = 100 * 1000 * 1000;

/// What to do with one request.
enum Act {
    /// Send these frames, in order.
    Send(Vec<Message>),
    /// Send this frame when the time comes.
    Later(Duration, Message),
    /// Stop reading and writing; keep the socket open.
    Freeze,
    /// Drop the connection at once (no close frame).
    Drop,
    /// Send the first half of this frame, then close the TCP connection.
    Cut(String),
    /// Nothing at all.
    Ignore,
}

struct Room {
    shared: Arc<Shared>,
    /// Which connection this is (0 for the first the server accepted).
    index: usize,
    /// Methods seen on this connection: a repeated one is the user's request.
    seen: HashSet<String>,
    /// Replies sent, for the modes that vary them.
    replies: usize,
    flooding: bool,
}

fn text(v: &Value) -> Message {
    Message::Text(v.to_string().into())
}

impl Room {
    fn mode(&self) -> Mode {
        self.shared.mode
    }

    /// A plain room's reply to `method`.
    fn reply(&mut self, method: &str, id: &Value) -> Value {
        let mut r = Map::new();
        r.insert("method".into(), json!(method));
        r.insert("requestId".into(), id.clone());
        match method {
            "auth" => {
                r.insert("previleges".into(), json!(2));
                r.insert("token".into(), json!("hostile-session-token"));
                r.insert("tokenForHttpServer".into(), json!("hostile-http-token"));
                r.insert("resultCode".into(), json!(0));
            }
            "getAppState" => {
                r.insert("appState".into(), json!(3));
                r.insert("embeddedHttpPort".into(), json!(self.shared.web_port));
            }
            _ => {}
        }
        r.insert("result".into(), json!(true));
        if self.mode() == Mode::BadRequestId {
            // Every reply, the connect's included, with a requestId the client cannot use.
            let variant = self.replies % 7;
            match variant {
                0 => r.remove("requestId"),
                1 => r.insert("requestId".into(), json!({ "id": id })),
                2 => r.insert("requestId".into(), json!([id])),
                3 => r.insert("requestId".into(), Value::Null),
                4 => r.insert("requestId".into(), json!(true)),
                5 => r.insert("requestId".into(), json!(1.5)),
                _ => r.insert("requestId".into(), json!("")),
            };
        }
        self.replies += 1;
        Value::Object(r)
    }

    fn refuse_auth(id: &Value) -> Value {
        json!({"method": "auth", "requestId": id, "result": false, "resultCode": 3,
               "error": "wrong PIN (the hostile room refuses it)"})
    }

    /// What to do with one text frame from the client.
    fn handle(&mut self, frame: &str) -> Act {
        let Ok(req) = serde_json::from_str::<Value>(frame) else { return Act::Ignore };
        let method = req.get("method").and_then(Value::as_str).unwrap_or("").to_owned();
        let id = req.get("requestId").cloned().unwrap_or(Value::Null);
        let user = !self.seen.insert(method.clone());
        let mode = self.mode();
        if method == "auth" {
            return match mode {
                Mode::WrongPin => Act::Send(vec![text(&Room::refuse_auth(&id))]),
                Mode::WrongPinAfterRestart if self.index >= 1 => Act::Send(vec![text(&Room::refuse_auth(&id))]),
                Mode::StallAuthOnce if self.index == 1 => Act::Ignore,
                Mode::FreezeAfterAuth => {
                    let r = self.reply(&method, &id);
                    Act::Send(vec![text(&r)])
                }
                Mode::Flood => {
                    self.flooding = true;
                    Act::Send(vec![text(&self.reply(&method, &id))])
                }
                _ => Act::Send(vec![text(&self.reply(&method, &id))]),
            };
        }
        if mode == Mode::FreezeAfterAuth {
            return Act::Freeze;
        }
        if !user {
            return Act::Send(vec![text(&self.reply(&method, &id))]);
        }
        match mode {
            Mode::FreezeAfterConnect => Act::Freeze,
            Mode::Garbage => Act::Send(vec![
                Message::Text("this is not JSON".into()),
                Message::Text("{\"method\":\"getAppState\",\"requestId\":".into()),
                Message::Binary(vec![0xff, 0x00, 0x7b, 0x22].into()),
                Message::Text("\u{1}\u{7f}}{".into()),
            ]),
            Mode::NonObject => Act::Send(vec![
                Message::Text("[1,2,3]".into()),
                Message::Text("42".into()),
                Message::Text("\"getAppState\"".into()),
                Message::Text("null".into()),
                Message::Text(format!("[{{\"method\":\"{method}\",\"requestId\":{id},\"result\":true}}]").into()),
            ]),
            Mode::ErrorObject => Act::Send(vec![text(&json!({
                "method": method, "requestId": id, "result": false,
                "error": {"code": 42, "message": "the hostile room's own words"},
            }))]),
            Mode::Flood => Act::Later(FLOOD_REPLY_AFTER, text(&self.reply(&method, &id))),
            Mode::HugeFrame => {
                let event = format!(
                    "{{\"method\":\"event\",\"event\":\"addressBookUpdate\",\"blob\":\"{}\"}}",
                    "a".repeat(HUGE_EVENT)
                );
                Act::Send(vec![
                    Message::Text(event.into()),
                    text(&self.reply(&method, &id)),
                    Message::Text("b".repeat(HUGER_FRAME).into()),
                ])
            }
            Mode::BigEvents => {
                let mut frames: Vec<Message> = (0..BIG_EVENTS)
                    .map(|i| {
                        let event = format!(
                            "{{\"method\":\"event\",\"event\":\"addressBookUpdate\",\"n\":{i},\"blob\":\"{}\"}}",
                            "e".repeat(BIG_EVENT)
                        );
                        Message::Text(event.into())
                    })
                    .collect();
                frames.push(text(&self.reply(&method, &id)));
                Act::Send(frames)
            }
            Mode::CloseMidReply => Act::Cut(self.reply(&method, &id).to_string()),
            Mode::RestartLoop => Act::Drop,
            Mode::StallAuthOnce | Mode::WrongPinAfterRestart if self.index == 0 => Act::Drop,
            _ => Act::Send(vec![text(&self.reply(&method, &id))]),
        }
    }
}

pub(crate) async fn serve(shared: Arc<Shared>, tcp: TcpStream, index: usize) {
    if shared.mode == Mode::Silent {
        // The handshake is never answered.
        return hold(tcp).await;
    }
    let host = Arc::new(Mutex::new(String::new()));
    let callback = HostOf(host.clone());
    let config = WebSocketConfig::default().max_message_size(Some(256 << 20)).max_frame_size(Some(256 << 20));
    let Ok(ws) = tokio_tungstenite::accept_hdr_async_with_config(tcp, callback, Some(config)).await else { return };
    shared.ws_connections.fetch_add(1, Ordering::SeqCst);
    let host = host.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let expected = format!("127.0.0.1:{}", shared.ws_port);
    if host != expected {
        shared.leak(format!("the WebSocket was opened with Host '{host}' instead of '{expected}'"));
    }
    let room = Room { shared, index, seen: HashSet::new(), replies: 0, flooding: false };
    run(room, ws).await;
}

/// Notes the `Host` header of the upgrade request.
struct HostOf(Arc<Mutex<String>>);

impl Callback for HostOf {
    fn on_request(self, req: &Request, resp: Response) -> Result<Response, ErrorResponse> {
        let h = req.headers().get("host").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = h;
        Ok(resp)
    }
}

async fn run(mut room: Room, mut ws: Ws) {
    let drop_at = (room.mode() == Mode::RestartLoop).then(|| Instant::now() + RESTART_AFTER);
    let mut later: Vec<(Instant, Message)> = Vec::new();
    let mut flood_seq = 0u64;
    let mut next_flood = Instant::now();
    loop {
        let now = Instant::now();
        if drop_at.is_some_and(|t| now >= t) {
            return;
        }
        // Frames whose time has come.
        let (due, rest): (Vec<_>, Vec<_>) = later.into_iter().partition(|(t, _)| *t <= now);
        later = rest;
        for (_, m) in due {
            if ws.send(m).await.is_err() {
                return;
            }
        }
        let wake = later.iter().map(|(t, _)| *t).chain(drop_at).chain(room.flooding.then_some(next_flood)).min();
        let sleep = async {
            match wake {
                Some(t) => tokio::time::sleep_until(t).await,
                None => std::future::pending().await,
            }
        };
        let msg = tokio::select! {
            m = ws.next() => m,
            _ = sleep => {
                if room.flooding && Instant::now() >= next_flood {
                    if flood(&mut ws, &mut flood_seq).await.is_err() {
                        return;
                    }
                    // A reader slower than the flood slows it (no catching up in bursts).
                    next_flood = (next_flood + FLOOD_TICK).max(Instant::now());
                }
                continue;
            }
        };
        let frame = match msg {
            Some(Ok(Message::Text(t))) => t,
            // tungstenite answers pings and the close handshake itself while we keep reading.
            Some(Ok(_)) => continue,
            Some(Err(_)) | None => return,
        };
        match room.handle(frame.as_str()) {
            Act::Send(frames) => {
                for m in frames {
                    if ws.feed(m).await.is_err() {
                        return;
                    }
                }
                if ws.flush().await.is_err() {
                    return;
                }
            }
            Act::Later(after, m) => later.push((Instant::now() + after, m)),
            Act::Freeze => return hold(ws).await,
            Act::Drop => return,
            Act::Cut(reply) => return cut(ws, reply).await,
            Act::Ignore => {}
        }
    }
}

/// One tick of a flood: a big event and small ones.
async fn flood(ws: &mut Ws, seq: &mut u64) -> Result<(), tokio_tungstenite::tungstenite::Error> {
    *seq += 1;
    let big = format!(
        "{{\"method\":\"event\",\"event\":\"addressBookUpdate\",\"seq\":{seq},\"blob\":\"{}\"}}",
        "f".repeat(FLOOD_BIG)
    );
    ws.feed(Message::Text(big.into())).await?;
    for _ in 0..FLOOD_SMALL {
        *seq += 1;
        let small = format!("{{\"method\":\"event\",\"event\":\"myEvent\",\"data\":\"flood {seq}\"}}");
        ws.feed(Message::Text(small.into())).await?;
    }
    ws.flush().await
}

/// Writes a text frame's header and half its payload straight to the socket, then closes it.
async fn cut(mut ws: Ws, reply: String) {
    let payload = reply.as_bytes();
    let mut frame = vec![0x81u8];
    let len = payload.len();
    if len < 126 {
        frame.push(len as u8);
    } else {
        frame.push(126);
        frame.extend_from_slice(&(len.min(u16::MAX as usize) as u16).to_be_bytes());
    }
    frame.extend_from_slice(&payload[..len / 2]);
    let tcp = ws.get_mut();
    let _ = tcp.write_all(&frame).await;
    let _ = tcp.flush().await;
    let _ = tcp.shutdown().await;
}
