//! Room-control measurements: how long a state change takes to reach the host, and how many
//! frames per second come through the embedded HTTP server.
//!
//! State-change latency is measured from sending `setMicMute` until the host sees the new
//! value: the floor sees the `audioCapturerMute` frame arrive on a bare WebSocket; the core
//! sees it as an event on its stream, and as a new snapshot from `watch()`. All three include
//! the same round trip, so the differences are what each layer costs.
//!
//! Frames: a bare HTTP client (reqwest, one connection kept alive) fetching
//! `/frames/?peerId=#self:0&token=...` in a loop against `client.frame()` in a loop, and
//! `client.frames(slot, 60)` paced at its maximum.

use crate::floor::Floor;
use crate::stats::{emit, r, result, Samples};
use serde_json::json;
use std::time::{Duration, Instant};
use tcroom_core::{Client, ConnectOptions, EventKind, StreamItem, SELF_SLOT};

type Res<T = ()> = Result<T, String>;

const HOST: &str = "127.0.0.1";

fn opts(port: u16) -> ConnectOptions {
    ConnectOptions::new(HOST).ws_port(port)
}

/// Waits on the floor's socket for the `audioCapturerMute` frame carrying `mute`.
async fn floor_mute(f: &mut Floor, mute: bool) -> Res<Duration> {
    let start = Instant::now();
    f.send_only("setMicMute", &format!(r#","mute":{mute}"#)).await?;
    loop {
        let v = f.next_frame().await?;
        if v["method"] == "event" && v["event"] == "audioCapturerMute" && v["mute"] == mute {
            return Ok(start.elapsed());
        }
    }
}

pub async fn state_latency(port: u16, n: usize, warmup: usize, clients: &[String]) -> Res {
    for client in clients {
        let mut samples = Samples::with_capacity(n);
        match client.as_str() {
            "floor" => {
                let mut f = Floor::connect(HOST, port).await?;
                for i in 0..warmup + n {
                    let d = floor_mute(&mut f, i % 2 == 0).await?;
                    if i >= warmup {
                        samples.push(d);
                    }
                }
            }
            "core-event" => {
                let (c, mut events) = Client::connect_subscribed(opts(port)).await.map_err(|e| e.to_string())?;
                for i in 0..warmup + n {
                    let mute = i % 2 == 0;
                    let start = Instant::now();
                    c.set_mic_mute(mute).await.map_err(|e| e.to_string())?;
                    loop {
                        match events.recv().await {
                            Some(StreamItem::Event(ev)) => {
                                if matches!(&ev.kind, EventKind::MicMute(m) if m.mute == mute) {
                                    break;
                                }
                            }
                            Some(StreamItem::Lagged(_)) => {}
                            None => return Err("core stream ended".into()),
                        }
                    }
                    if i >= warmup {
                        samples.push(start.elapsed());
                    }
                }
                c.close().await;
            }
            "core-watch" => {
                let c = Client::connect(opts(port)).await.map_err(|e| e.to_string())?;
                let mut watch = c.watch();
                watch.next().await.ok_or("watch ended")?;
                for i in 0..warmup + n {
                    let mute = i % 2 == 0;
                    let start = Instant::now();
                    c.set_mic_mute(mute).await.map_err(|e| e.to_string())?;
                    loop {
                        let change = watch.next().await.ok_or("watch ended")?;
                        if change.state.mic_muted == Some(mute) {
                            break;
                        }
                    }
                    if i >= warmup {
                        samples.push(start.elapsed());
                    }
                }
                c.close().await;
            }
            other => return Err(format!("state-latency: unknown client '{other}'")),
        }
        let mut fields = samples.summary().fields();
        fields.insert("op".into(), json!("setMicMute until the new state is seen"));
        emit(&result(&format!("state change, {client}"), "state", client, fields));
    }
    Ok(())
}

/// Frames per second over `seconds`, and the latency of each fetch.
fn frame_line(name: &str, client: &str, count: u64, elapsed: Duration, samples: &Samples, bytes: usize) {
    let mut fields = samples.summary().fields();
    fields.insert("per_s".into(), json!(r(count as f64 / elapsed.as_secs_f64())));
    fields.insert("frame_bytes".into(), json!(bytes));
    emit(&result(name, "frames", client, fields));
}

pub async fn frames(port: u16, seconds: f64, clients: &[String]) -> Res {
    let span = Duration::from_secs_f64(seconds);
    for client in clients {
        match client.as_str() {
            "floor" => {
                // The token as the floor gets it: from the `auth` reply.
                let mut f = Floor::connect(HOST, port).await?;
                let state = f.request("getAppState", "").await?;
                let http_port = state["embeddedHttpPort"].as_u64().ok_or("no embeddedHttpPort")?;
                let token = f.request("getTokenForHttpServer", "").await?;
                let token = token["token"].as_str().ok_or("no token")?.to_owned();
                let url = format!("http://{HOST}:{http_port}/frames/?peerId=%23self%3A0&token={token}");
                let http = reqwest::Client::builder()
                    .no_proxy()
                    .tls_backend_preconfigured(no_tls()?)
                    .build()
                    .map_err(|e| e.to_string())?;
                let (mut count, mut bytes, mut samples) = (0u64, 0usize, Samples::with_capacity(4096));
                let start = Instant::now();
                while start.elapsed() < span {
                    let t = Instant::now();
                    let body = http
                        .get(&url)
                        .send()
                        .await
                        .map_err(|e| e.to_string())?
                        .bytes()
                        .await
                        .map_err(|e| e.to_string())?;
                    samples.push(t.elapsed());
                    bytes = body.len();
                    count += 1;
                }
                frame_line("frames, floor (bare HTTP loop)", client, count, start.elapsed(), &samples, bytes);
            }
            "core" => {
                let c = Client::connect(opts(port)).await.map_err(|e| e.to_string())?;
                let (mut count, mut bytes, mut samples) = (0u64, 0usize, Samples::with_capacity(4096));
                let start = Instant::now();
                while start.elapsed() < span {
                    let t = Instant::now();
                    let body = c.frame(SELF_SLOT).await.map_err(|e| e.to_string())?;
                    samples.push(t.elapsed());
                    bytes = body.len();
                    count += 1;
                }
                frame_line("frames, core frame() loop", client, count, start.elapsed(), &samples, bytes);
                c.close().await;
            }
            "core-stream" => {
                let c = Client::connect(opts(port)).await.map_err(|e| e.to_string())?;
                let mut stream = c.frames(SELF_SLOT, 60.0).map_err(|e| e.to_string())?;
                let (mut count, mut bytes, mut samples) = (0u64, 0usize, Samples::with_capacity(4096));
                let start = Instant::now();
                while start.elapsed() < span {
                    let t = Instant::now();
                    let body = stream.next().await.ok_or("frames ended")?.map_err(|e| e.to_string())?;
                    samples.push(t.elapsed());
                    bytes = body.len();
                    count += 1;
                }
                frame_line("frames, core frames(60 fps)", client, count, start.elapsed(), &samples, bytes);
                c.close().await;
            }
            other => return Err(format!("frames: unknown client '{other}'")),
        }
    }
    Ok(())
}

/// reqwest is built without a default crypto provider (as in the core).
fn no_tls() -> Res<rustls::ClientConfig> {
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth())
}
