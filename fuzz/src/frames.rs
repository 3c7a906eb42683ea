//! The connection's handling of whatever frames a room sends, through a real socket: a fuzz room
//! on 127.0.0.1 sends each case's frames and then the reply (with fields of the case's own), and
//! the client must give its request exactly one outcome (the reply, a refusal or a protocol
//! error: never a time-out or a dropped link), stay connected, and keep a readable state.

use crate::gen::{arb_json, arb_notification, arb_object, deep_text, protocol_keys, text_mutated, wire_names};
use crate::harness::{corpus, run};
use futures_util::{SinkExt, StreamExt};
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tcroom_core::catalogue::COMMANDS;
use tcroom_core::{Client, ConnectOptions, Error};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

#[derive(Debug, Clone)]
enum Frame {
    Text(String),
    Binary(Vec<u8>),
}

/// One case: frames before the reply, the command asked, and fields the reply carries.
#[derive(Debug, Clone)]
struct Case {
    frames: Vec<Frame>,
    command: usize,
    extra: Map<String, Value>,
}

type Slot = Arc<Mutex<Option<Case>>>;

/// A room that authorizes anyone and answers every request; the request of a case gets the
/// case's frames first.
async fn fuzz_room(slot: Slot) -> std::io::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let slot = slot.clone();
            tokio::spawn(async move {
                let Ok(mut ws) = tokio_tungstenite::accept_async(tcp).await else { return };
                while let Some(Ok(msg)) = ws.next().await {
                    let Message::Text(t) = msg else { continue };
                    let Ok(req) = serde_json::from_str::<Value>(&t) else { continue };
                    let method = req["method"].as_str().unwrap_or("").to_owned();
                    let mut reply = json!({"method": method, "requestId": req["requestId"], "result": true});
                    if method == "auth" {
                        reply["token"] = json!("fuzz-token");
                    } else if method == "getAppState" {
                        reply["appState"] = json!(3);
                    }
                    let case =
                        if method == "auth" { None } else { slot.lock().unwrap_or_else(|e| e.into_inner()).take() };
                    if let Some(case) = case {
                        for f in case.frames {
                            let m = match f {
                                Frame::Text(t) => Message::Text(t.into()),
                                Frame::Binary(b) => Message::Binary(b.into()),
                            };
                            if ws.feed(m).await.is_err() {
                                return;
                            }
                        }
                        for (k, v) in case.extra {
                            if k != "method" && k != "requestId" {
                                reply[k] = v;
                            }
                        }
                    }
                    if ws.send(Message::Text(reply.to_string().into())).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    Ok(port)
}

pub fn frames(budget: Duration, seed: u64) -> Result<u64, String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("runtime: {e}"))?;
    let slot: Slot = Arc::new(Mutex::new(None));
    let port = rt.block_on(fuzz_room(slot.clone())).map_err(|e| format!("fuzz room: {e}"))?;
    let opts = ConnectOptions::new("127.0.0.1").ws_port(port).keepalive(None).event_capacity(4096);
    let (client, queue) = rt.block_on(Client::connect_queued(opts)).map_err(|e| format!("connect: {e}"))?;

    let (keys, names) = (protocol_keys(), wire_names());
    let seeds: Vec<String> = corpus("frames").into_iter().map(|(_, t)| t).collect();
    let text = prop_oneof![
        3 => text_mutated(seeds.clone()),
        3 => arb_notification(&keys, &names).prop_map(|v| v.to_string()),
        2 => arb_json(&keys, &names).prop_map(|v| v.to_string()),
        1 => "\\PC{0,40}",
        1 => deep_text(),
    ];
    let frame = prop_oneof![
        12 => text.prop_map(Frame::Text),
        1 => proptest::collection::vec(any::<u8>(), 0..32).prop_map(Frame::Binary),
    ];
    let strategy = (proptest::collection::vec(frame, 0..4), 0..COMMANDS.len(), arb_object(&keys, &names))
        .prop_map(|(frames, command, extra)| Case { frames, command, extra });
    let corpus: Vec<Case> = seeds
        .iter()
        .enumerate()
        .map(|(i, s)| Case { frames: vec![Frame::Text(s.clone())], command: i % COMMANDS.len(), extra: Map::new() })
        .collect();
    let outcome = run("frames", budget, seed, corpus, strategy, |case| {
        let spec = COMMANDS[case.command];
        *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(case.clone());
        let result = rt.block_on(client.request_timeout(spec.wire, Value::Null, Duration::from_secs(10)));
        match result {
            Ok(reply) => {
                let _ = (spec.reply.decode_json)(reply);
            }
            Err(Error::Refused { .. } | Error::Protocol(_)) => {}
            Err(e) => return Err(format!("'{}' ended with {e}", spec.wire)),
        }
        // The state stays readable whatever the frames did to it, and the queue drains.
        serde_json::to_string(&client.state()).map_err(|e| format!("the state does not serialize: {e}"))?;
        while !queue.pop_batch(1024).is_empty() {}
        if !client.is_connected() {
            return Err("the client lost its connection".into());
        }
        Ok(())
    });
    rt.block_on(client.close());
    outcome
}
