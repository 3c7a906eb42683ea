//! The drift test: the generated faces are what the catalogue says, every hand-written face of
//! a row exists, and the emulator answers every command of the catalogue.

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tcroom_core::catalogue::{Faces, COMMANDS};
use tokio_tungstenite::tungstenite::Message;

#[test]
fn the_generated_files_are_up_to_date() {
    let stale = tcroom_codegen::stale(&tcroom_codegen::root());
    assert!(stale.is_empty(), "generated from an older catalogue: {stale:?}; run `cargo run -p tcroom-codegen`");
}

#[test]
fn every_row_has_a_function_in_every_face() {
    let root = tcroom_codegen::root();
    let header = std::fs::read_to_string(root.join("include/tcroom.h")).expect("include/tcroom.h");
    let sync_py = std::fs::read_to_string(root.join("python/tcroom/_sync.py")).expect("_sync.py");
    let async_py = std::fs::read_to_string(root.join("python/tcroom/_async.py")).expect("_async.py");
    let generated_py = std::fs::read_to_string(root.join("python/tcroom/_commands.py")).expect("_commands.py");
    for c in COMMANDS {
        let (c_fn, py_sync, py_async) = match c.faces {
            Faces::Generated => (c.c_name(), generated_py.clone(), generated_py.clone()),
            // Hand-written faces: `createConference` is `tc_create_conference` in C.
            Faces::HandWritten => (format!("tc_{}", c.name), sync_py.clone(), async_py.clone()),
        };
        assert!(header.contains(&format!(" {c_fn}(")), "include/tcroom.h has no {c_fn} for {}", c.wire);
        assert!(py_sync.contains(&format!("    def {}(", c.name)), "the blocking Python client has no {}", c.name);
        assert!(
            py_async.contains(&format!("    async def {}(", c.name))
                || py_async.contains(&format!("    def {}(", c.name)),
            "the asyncio Python client has no {}",
            c.name
        );
    }
}

/// Sends every command of the catalogue (its example parameters) to the emulator: none may
/// be unknown to it. Refusals for the room's state are fine; "unknown method" is not.
#[tokio::test]
async fn the_emulator_answers_every_command() {
    let emu = tcroom_emulator::Emulator::start(tcroom_emulator::EmulatorConfig::default()).await.expect("emulator");
    let url = format!("ws://{}:{}/", emu.host(), emu.ws_port());
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.expect("connect");
    let auth = json!({"method": "auth", "requestId": "auth", "type": "unsecured"});
    ws.send(Message::Text(auth.to_string().into())).await.expect("send");
    for (i, c) in COMMANDS.iter().enumerate() {
        let mut frame: Value = serde_json::from_str(c.example).expect("example");
        frame["method"] = json!(c.wire);
        frame["requestId"] = json!(i.to_string());
        ws.send(Message::Text(frame.to_string().into())).await.expect("send");
    }
    let mut answered = std::collections::HashMap::new();
    while answered.len() < COMMANDS.len() {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(10), ws.next())
            .await
            .expect("the emulator stopped answering")
            .expect("stream ended")
            .expect("frame");
        let Message::Text(text) = msg else { continue };
        let v: Value = serde_json::from_str(&text).expect("json");
        if v["method"] == "event" || v["requestId"] == "auth" {
            continue;
        }
        let i: usize = v["requestId"].as_str().and_then(|s| s.parse().ok()).expect("requestId");
        answered.insert(i, v);
    }
    let unknown: Vec<&str> = answered
        .iter()
        .filter(|(_, v)| v["result"] == false && v["error"].as_str().unwrap_or("").contains("unknown method"))
        .map(|(i, _)| COMMANDS[*i].wire)
        .collect();
    assert!(unknown.is_empty(), "the emulator does not answer: {unknown:?}");
}
