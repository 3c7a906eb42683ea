//! Chat, commands between applications, myEvent, and content sharing.

mod common;

use common::{create_conference, invite_joined, room_config, start, Client};
use serde_json::json;
use tcroom_emulator::EmulatorConfig;

#[tokio::test]
async fn messages_to_a_user_and_from_one() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let r = c.ok("sendMessage", json!({"peerId": "user1", "message": "Starting in 5 minutes"})).await;
    assert_eq!(r.as_object().map(|m| m.len()), Some(3));
    assert_eq!(
        c.event("chatMessageSent").await,
        json!({"method": "event", "event": "chatMessageSent", "peerId": "user1@some.server",
               "message": "Starting in 5 minutes"})
    );
    assert_eq!(c.refused("sendMessage", json!({"peerId": "user1"})).await, "parameter 'message' is required");
    assert_eq!(
        c.refused("sendMessage", json!({"peerId": "room", "message": "x"})).await,
        "cannot send a message to the room itself"
    );

    c.action("userMessage", json!({"peerId": "user2@some.server", "message": "hello room"})).await;
    let ev = c.event("incomingChatMessage").await;
    assert_eq!(ev["peerId"], "user2@some.server");
    assert_eq!(ev["peerDn"], "user2");
    assert_eq!(ev["chatId"], "user2@some.server");
    assert_eq!(ev["message"], "hello room");
    assert!(ev["time"].as_u64().unwrap_or(0) > 1_600_000_000, "{ev}");
    assert_eq!(ev.as_object().map(|m| m.len()), Some(7), "{ev}");
}

#[tokio::test]
async fn chat_needs_a_login() {
    let emu = start(EmulatorConfig { initial_app_state: 2, ..room_config() }).await;
    let mut c = Client::connect_authed(&emu).await;
    let e = c.refused("sendMessage", json!({"peerId": "user1", "message": "x"})).await;
    assert_eq!(e, "sendMessage needs the room logged in (appState 2)");
    let e = c.refused("emulator.userMessage", json!({"peerId": "user1", "message": "x"})).await;
    assert_eq!(e, "a chat message needs the room logged in (appState 2)");
}

#[tokio::test]
async fn group_messages_and_commands_in_a_conference() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let e = c.refused("sendGroupMessage", json!({"message": "hi"})).await;
    assert_eq!(e, "not in a conference (appState 3)");
    let e = c.refused("sendCommand", json!({"peerId": "user1", "command": "x"})).await;
    assert_eq!(e, "sendCommand needs a call or conference: not in a conference (appState 3)");
    let created = create_conference(&mut c, json!({"title": "t", "confType": "symmetric"})).await;
    let conf_id = created["confId"].clone();
    let u1 = invite_joined(&mut c, "user1").await["peerId"].clone();

    c.ok("sendGroupMessage", json!({"message": "Hello, everyone"})).await;
    assert_eq!(
        c.event("groupChatMessageSent").await,
        json!({"method": "event", "event": "groupChatMessageSent", "message": "Hello, everyone", "confId": conf_id})
    );
    c.ok("sendCommand", json!({"peerId": u1, "command": "lights:off"})).await;
    assert_eq!(
        c.event("commandSent").await,
        json!({"method": "event", "event": "commandSent", "peerId": u1, "command": "lights:off", "confId": conf_id})
    );
    // By CallId as well; not to someone outside.
    c.ok("sendCommand", json!({"peerId": "user1@some.server", "command": "x"})).await;
    assert_eq!(c.event("commandSent").await["peerId"], u1);
    let e = c.refused("sendCommand", json!({"peerId": "user2", "command": "x"})).await;
    assert_eq!(e, "no participant 'user2' in the conference");

    c.action("userMessage", json!({"peerId": u1, "message": "hi all", "group": true})).await;
    let ev = c.event("incomingGroupChatMessage").await;
    assert_eq!((ev["peerId"].clone(), ev["peerDn"].clone()), (json!("user1@some.server"), json!("user1")));
    assert_eq!((ev["confId"].clone(), ev["chatId"].clone()), (conf_id.clone(), conf_id.clone()));
    assert_eq!(ev["message"], "hi all");
    assert!(ev["time"].is_u64());
    c.action("userCommand", json!({"peerId": "user1", "command": "text"})).await;
    assert_eq!(
        c.event("commandReceived").await,
        json!({"method": "event", "event": "commandReceived", "peerId": "user1@some.server", "command": "text"})
    );
    let e = c.refused("emulator.userCommand", json!({"peerId": "user2", "command": "x"})).await;
    assert_eq!(e, "no participant 'user2' in the conference");
    let e = c.refused("emulator.userMessage", json!({"peerId": "user2", "message": "x", "group": true})).await;
    assert_eq!(e, "no participant 'user2' in the conference");
}

#[tokio::test]
async fn group_messages_need_a_group() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    c.ok("call", json!({"peerId": "user1"})).await;
    for _ in 0..5 {
        c.recv().await;
    }
    let e = c.refused("sendGroupMessage", json!({"message": "hi"})).await;
    assert_eq!(e, "sendGroupMessage needs a group conference (this is a p2p call)");
    // Commands work in a call.
    c.ok("sendCommand", json!({"peerId": "user1", "command": "x"})).await;
    assert!(c.event("commandSent").await["peerId"].as_str().unwrap_or("").starts_with("user1@some.server/"));
}

#[tokio::test]
async fn my_event_reaches_every_connection_the_sender_too() {
    let emu = start(room_config()).await;
    let mut a = Client::connect_authed(&emu).await;
    let mut b = Client::connect(&emu).await;
    b.ok("auth", json!({"type": "unsecured", "role": "user"})).await;
    let r = a.ok("fireMyEvent", json!({"data": "panel:refresh"})).await;
    assert_eq!(r.as_object().map(|m| m.len()), Some(3));
    let want = json!({"method": "event", "event": "myEvent", "data": "panel:refresh"});
    assert_eq!(a.event("myEvent").await, want);
    assert_eq!(b.event("myEvent").await, want);
    assert_eq!(a.refused("fireMyEvent", json!({"data": {"x": 1}})).await, "parameter 'data' must be a string");
}

#[tokio::test]
async fn content_sharing() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let hw = c.ok("getHardware", json!({})).await;
    let (first, second) = (hw["DSCaptureList"][0].clone(), hw["DSCaptureList"][1].clone());
    let r = c.ok("startCapture", json!({"captureId": second["id"]})).await;
    assert_eq!(r.as_object().map(|m| m.len()), Some(3));
    assert_eq!(
        c.event("dsStarted").await,
        json!({"method": "event", "event": "dsStarted", "captureId": second["id"], "name": second["name"]})
    );
    let st = c.event("appStateChanged").await;
    assert_eq!(st["appState"], 3);
    assert_eq!(st["desktopSharing"]["running"], true);
    assert_eq!(st["desktopSharing"]["id"], second["id"]);
    assert_eq!(c.ok("getAppState", json!({})).await["desktopSharing"], st["desktopSharing"]);

    // Another source replaces the running one.
    c.ok("startCapture", json!({"captureId": first["id"]})).await;
    assert_eq!(c.event("dsStopped").await["captureId"], second["id"]);
    assert_eq!(c.event("dsStarted").await["captureId"], first["id"]);
    c.event("appStateChanged").await;

    c.ok("stopCapture", json!({})).await;
    assert_eq!(c.event("dsStopped").await, json!({"method": "event", "event": "dsStopped", "captureId": first["id"]}));
    assert_eq!(c.event("appStateChanged").await["desktopSharing"], json!({"running": false}));
    assert_eq!(c.refused("stopCapture", json!({})).await, "content sharing is not running");
    assert_eq!(c.refused("startCapture", json!({"captureId": 5})).await, "no capture source 5 in DSCaptureList");
    assert_eq!(c.refused("startCapture", json!({})).await, "parameter 'captureId' is required");
}
