//! Every command of the catalogue leaves as exactly its documented frame: through the by-name
//! path (what the Python face and the CLI use) with the row's example, and through the typed
//! path for a sample of rows; and a bad argument never leaves at all.

mod common;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Map, Value};
use std::sync::{Arc, Mutex};
use tcroom_core::catalogue::{CArg, Faces, COMMANDS};
use tcroom_core::{Client, ConnectOptions, ErrorKind};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

/// A room that records every frame and answers each with `result: true` (plus what getters
/// need to be readable) or, for the `auth` step, a token.
async fn recording_room() -> (u16, Arc<Mutex<Vec<Value>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let frames = Arc::new(Mutex::new(Vec::new()));
    let seen = frames.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let Ok(mut ws) = tokio_tungstenite::accept_async(tcp).await else { return };
                while let Some(Ok(msg)) = ws.next().await {
                    let Message::Text(text) = msg else { continue };
                    let Ok(req) = serde_json::from_str::<Value>(&text) else { continue };
                    seen.lock().expect("lock").push(req.clone());
                    let mut reply = json!({"method": req["method"], "requestId": req["requestId"], "result": true});
                    match req["method"].as_str() {
                        Some("getAppState") => reply["appState"] = json!(3),
                        Some("getMicMute" | "getVideoMute" | "getAudioMute") => reply["mute"] = json!(false),
                        Some("getSettings") => reply["settings"] = json!([{"name": "audioPlayLevel", "value": 0.5}]),
                        Some("getConferenceParticipants") => reply["participants"] = json!([]),
                        Some("getSessionLink") => reply["link"] = json!("http://x/c/1"),
                        Some("getTokenForHttpServer") => reply["token"] = json!("t"),
                        Some("getConnected") => reply["state"] = json!(0),
                        Some("getPtzControls") => {
                            reply["pan"] = json!({"support": true, "minValue": -10, "maxValue": 10})
                        }
                        _ => {}
                    }
                    if ws.send(Message::Text(reply.to_string().into())).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (port, frames)
}

/// The row's example parameters turned back into arguments by name.
fn args_of(c: &tcroom_core::catalogue::CommandSpec) -> Map<String, Value> {
    let example: Map<String, Value> = serde_json::from_str(c.example).expect("example");
    let mut args = Map::new();
    for p in c.params {
        if let Some(v) = tcroom_core::catalogue::get_wire(&example, p.wire) {
            args.insert(p.name.to_owned(), v.clone());
        }
    }
    args
}

#[tokio::test]
async fn every_command_leaves_as_its_documented_frame() {
    let (port, frames) = recording_room().await;
    let opts = ConnectOptions::new("127.0.0.1").ws_port(port).keepalive(None);
    let client = Client::connect(opts).await.expect("connects");
    for c in COMMANDS.iter().filter(|c| c.faces == Faces::Generated) {
        frames.lock().expect("lock").clear();
        client.command(c.name, args_of(c)).await.unwrap_or_else(|e| panic!("{}: {e}", c.name));
        let sent = frames.lock().expect("lock").pop().unwrap_or_else(|| panic!("{}: nothing sent", c.name));
        let mut expected: Map<String, Value> = serde_json::from_str(c.example).expect("example");
        // Parameters the example leaves out go with their defaults.
        for p in c.params {
            if tcroom_core::catalogue::get_wire(&expected, p.wire).is_none() {
                if let Some(d) = p.default {
                    tcroom_core::catalogue::insert_wire(
                        &mut expected,
                        p.wire,
                        serde_json::from_str(d).expect("default"),
                    );
                }
            }
        }
        expected.insert("method".into(), json!(c.wire));
        expected.insert("requestId".into(), sent["requestId"].clone());
        assert_eq!(sent, Value::Object(expected), "{}: the frame on the wire", c.name);
    }
}

#[tokio::test]
async fn typed_methods_send_the_same_frames_and_bad_arguments_never_leave() {
    let (port, frames) = recording_room().await;
    let client =
        Client::connect(ConnectOptions::new("127.0.0.1").ws_port(port).keepalive(None)).await.expect("connects");
    let last = || frames.lock().expect("lock").last().cloned().expect("a frame");

    client.kick_peer("user1@some.server/5f0c2a91").await.expect("kick");
    assert_eq!(last()["peerId"], "user1@some.server/5f0c2a91");
    client.call("user1@some.server", Some("1234")).await.expect("call");
    assert_eq!((last()["method"].clone(), last()["pin"].clone()), (json!("call"), json!("1234")));
    client.call("user1@some.server", None).await.expect("call");
    assert!(last().get("pin").is_none(), "an absent optional parameter is left out");
    client.set_volume(0.25).await.expect("volume");
    assert_eq!(last()["settings"], json!({"audioPlayLevel": 0.25}));
    assert_eq!(client.get_volume().await.expect("volume"), 0.5);
    client.change_video_matrix(2, &["a@s/1", "#self:0"]).await.expect("matrix");
    assert_eq!(last()["participants"], json!(["a@s/1", "#self:0"]));
    client.connect_to_server("tc.example.com", 4307).await.expect("server");
    assert_eq!(last()["port"], 4307);

    let before = frames.lock().expect("lock").len();
    for err in [
        client.kick_peer(" ").await.unwrap_err(),
        client.set_volume(1.5).await.unwrap_err(),
        client.set_volume(f64::NAN).await.unwrap_err(),
        client.change_video_matrix(1, &["ok", ""]).await.unwrap_err(),
        client.get_call_history(0).await.unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    }
    // The camera's range is known (getPtzControls at connect): out of range is refused here.
    let err = client.set_pan_pos(11).await.unwrap_err();
    assert!(err.to_string().contains("outside the camera's range"), "{err}");
    client.set_pan_pos(10).await.expect("in range");
    assert_eq!(frames.lock().expect("lock").len(), before + 1, "no refused call reached the room");

    let mut args = Map::new();
    args.insert("peer".into(), json!("x"));
    let err = client.command("kick_peer", args).await.unwrap_err();
    assert!(err.to_string().contains("no parameter 'peer'"), "{err}");
    let err = client.command("no_such_command", Map::new()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
}

#[test]
fn every_parameter_type_has_a_c_and_python_spelling() {
    for c in COMMANDS {
        for p in c.params {
            assert!(!p.ty.python.is_empty() && !p.ty.rust.is_empty(), "{}.{}", c.name, p.name);
            if p.ty.c == CArg::Port {
                assert!(p.default.is_some(), "{}.{}: a port needs the default C's 0 stands for", c.name, p.name);
            }
        }
    }
}
