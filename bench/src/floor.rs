//! The floor: a bare tokio-tungstenite client with no library in between. It writes the request
//! with `format!`, parses every reply with serde_json and matches the `requestId`, which is the
//! least a correct client must do. TCP_NODELAY like the core.

use futures_util::{FutureExt, SinkExt, StreamExt};
use serde_json::Value;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::stats::Samples;

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;
type Res<T> = Result<T, String>;

pub struct Floor {
    ws: Ws,
    next_id: u64,
}

fn text_of(msg: Message) -> Option<tokio_tungstenite::tungstenite::Utf8Bytes> {
    match msg {
        Message::Text(t) => Some(t),
        _ => None,
    }
}

/// The reply's requestId as a number, if this is a reply (not an event).
fn reply_id(v: &Value) -> Option<u64> {
    if v.get("method").and_then(Value::as_str) == Some("event") {
        return None;
    }
    v.get("requestId").and_then(Value::as_str).and_then(|s| s.parse().ok())
}

impl Floor {
    pub async fn connect(host: &str, port: u16) -> Res<Floor> {
        let url = format!("ws://{host}:{port}/");
        let (ws, _) = tokio_tungstenite::connect_async_with_config(&url, None, true)
            .await
            .map_err(|e| format!("floor connect {url}: {e}"))?;
        let mut f = Floor { ws, next_id: 1 };
        let r = f.request("auth", r#","type":"unsecured""#).await?;
        if r.get("result") != Some(&Value::Bool(true)) {
            return Err(format!("floor auth refused: {r}"));
        }
        Ok(f)
    }

    /// `params` is a JSON fragment appended after the envelope: empty or starting with a comma.
    pub async fn request(&mut self, method: &str, params: &str) -> Res<Value> {
        let id = self.next_id;
        self.next_id += 1;
        let text = format!(r#"{{"method":"{method}","requestId":"{id}"{params}}}"#);
        self.ws.send(Message::Text(text.into())).await.map_err(|e| e.to_string())?;
        loop {
            match self.ws.next().await {
                Some(Ok(m)) => {
                    let Some(t) = text_of(m) else { continue };
                    let v: Value = serde_json::from_str(t.as_str()).map_err(|e| e.to_string())?;
                    if reply_id(&v) == Some(id) {
                        return Ok(v);
                    }
                }
                Some(Err(e)) => return Err(e.to_string()),
                None => return Err("floor: connection closed".into()),
            }
        }
    }

    /// Sends a request without waiting for its reply.
    pub async fn send_only(&mut self, method: &str, params: &str) -> Res<()> {
        let id = self.next_id;
        self.next_id += 1;
        let text = format!(r#"{{"method":"{method}","requestId":"{id}"{params}}}"#);
        self.ws.send(Message::Text(text.into())).await.map_err(|e| e.to_string())
    }

    /// The next frame from the room, parsed.
    pub async fn next_frame(&mut self) -> Res<Value> {
        loop {
            match self.ws.next().await {
                Some(Ok(m)) => {
                    let Some(t) = text_of(m) else { continue };
                    return serde_json::from_str(t.as_str()).map_err(|e| e.to_string());
                }
                Some(Err(e)) => return Err(e.to_string()),
                None => return Err("floor: connection closed".into()),
            }
        }
    }

    /// Pipelined requests: `inflight` outstanding at all times until `deadline`, then drains.
    /// Writes are fed and flushed once per batch of replies that were ready together.
    pub async fn pipeline(&mut self, method: &str, inflight: usize, deadline: Instant) -> Res<(u64, Samples)> {
        let cap = inflight.next_power_of_two() * 2;
        let mut sent_at = vec![Instant::now(); cap];
        let mut samples = Samples::with_capacity(1 << 16);
        let mut outstanding = 0usize;
        let mut done = 0u64;
        for _ in 0..inflight {
            let id = self.next_id;
            self.next_id += 1;
            sent_at[(id as usize) & (cap - 1)] = Instant::now();
            let text = format!(r#"{{"method":"{method}","requestId":"{id}"}}"#);
            self.ws.feed(Message::Text(text.into())).await.map_err(|e| e.to_string())?;
            outstanding += 1;
        }
        self.ws.flush().await.map_err(|e| e.to_string())?;
        let hard_stop = deadline + Duration::from_secs(30);
        while outstanding > 0 {
            let first = match tokio::time::timeout_at(hard_stop.into(), self.ws.next()).await {
                Ok(m) => m,
                Err(_) => return Err(format!("floor: {outstanding} replies missing 30 s after the end")),
            };
            let mut next = Some(first);
            let mut fed = false;
            while let Some(m) = next.take() {
                let m = match m {
                    Some(Ok(m)) => m,
                    Some(Err(e)) => return Err(e.to_string()),
                    None => return Err("floor: connection closed".into()),
                };
                if let Some(t) = text_of(m) {
                    let v: Value = serde_json::from_str(t.as_str()).map_err(|e| e.to_string())?;
                    if let Some(id) = reply_id(&v) {
                        let now = Instant::now();
                        samples.push(now - sent_at[(id as usize) & (cap - 1)]);
                        outstanding -= 1;
                        done += 1;
                        if now < deadline {
                            let id = self.next_id;
                            self.next_id += 1;
                            sent_at[(id as usize) & (cap - 1)] = now;
                            let text = format!(r#"{{"method":"{method}","requestId":"{id}"}}"#);
                            self.ws.feed(Message::Text(text.into())).await.map_err(|e| e.to_string())?;
                            outstanding += 1;
                            fed = true;
                        }
                    }
                }
                // Take whatever else is already readable before flushing the writes.
                next = self.ws.next().now_or_never();
            }
            if fed {
                self.ws.flush().await.map_err(|e| e.to_string())?;
            }
        }
        Ok((done, samples))
    }

    /// Reads frames until `count` events carrying `seq` have arrived or `timeout` passes.
    /// Returns (received, out_of_order, first_at, last_at).
    pub async fn count_events(
        &mut self,
        count: u64,
        timeout: Duration,
    ) -> Res<(u64, u64, Option<Instant>, Option<Instant>)> {
        let deadline = Instant::now() + timeout;
        let (mut got, mut disorder, mut expect) = (0u64, 0u64, 0u64);
        let (mut first, mut last) = (None, None);
        while got < count {
            let m = match tokio::time::timeout_at(deadline.into(), self.ws.next()).await {
                Ok(Some(Ok(m))) => m,
                Ok(Some(Err(e))) => return Err(e.to_string()),
                Ok(None) => return Err("floor: connection closed".into()),
                Err(_) => break,
            };
            let Some(t) = text_of(m) else { continue };
            let v: Value = serde_json::from_str(t.as_str()).map_err(|e| e.to_string())?;
            if v.get("event").and_then(Value::as_str) != Some(crate::flood::EVENT) {
                continue;
            }
            let now = Instant::now();
            first.get_or_insert(now);
            last = Some(now);
            let seq = v.get("seq").and_then(Value::as_u64).unwrap_or(u64::MAX);
            if seq != expect {
                disorder += 1;
            }
            expect = seq.wrapping_add(1);
            got += 1;
        }
        Ok((got, disorder, first, last))
    }
}
