//! Fault injection.

mod common;

use std::time::Duration;

use common::{start, Client, End};
use serde_json::json;
use tcroom_emulator::{Answer, EmulatorConfig, SimUser};

#[tokio::test]
async fn drop_reply_skips_one_reply_only() {
    let emu = start(EmulatorConfig::default()).await;
    let mut c = Client::connect_authed(&emu).await;
    emu.faults().drop_reply("getAppState");
    let dropped = c.send("getAppState", json!({})).await;
    let kept = c.send("getAppState", json!({})).await;
    let r = c.recv().await;
    assert_eq!(r["requestId"], kept.as_str());
    assert_ne!(r["requestId"], dropped.as_str());
}

#[tokio::test]
async fn dropped_reply_still_has_side_effects() {
    let emu = start(EmulatorConfig::default()).await;
    let mut c = Client::connect_authed(&emu).await;
    emu.faults().drop_reply("createConference");
    c.send("createConference", json!({"title": "t", "confType": "role"})).await;
    assert_eq!(c.event("appStateChanged").await["appState"], 5);
    c.event("conferenceCreated").await;
}

#[tokio::test]
async fn delay_reply_lets_later_replies_overtake() {
    let emu = start(EmulatorConfig::default()).await;
    let mut c = Client::connect_authed(&emu).await;
    emu.faults().delay_reply("getSystemInfo", Duration::from_millis(100));
    let slow = c.send("getSystemInfo", json!({})).await;
    let fast = c.send("getAppState", json!({})).await;
    assert_eq!(c.recv().await["requestId"], fast.as_str());
    assert_eq!(c.recv().await["requestId"], slow.as_str());
}

#[tokio::test]
async fn close_on_drops_tcp_without_close_frame() {
    let emu = start(EmulatorConfig::default()).await;
    let mut c = Client::connect_authed(&emu).await;
    emu.faults().close_on("getAppState");
    c.send("getAppState", json!({})).await;
    assert_eq!(c.ended().await, End::Dropped);
    // One-shot: a new connection works.
    let mut c = Client::connect_authed(&emu).await;
    assert_eq!(c.request("getAppState", json!({})).await["result"], true);
}

#[tokio::test]
async fn garbage_and_huge_frames_reach_every_connection() {
    let emu = start(EmulatorConfig::default()).await;
    let mut a = Client::connect_authed(&emu).await;
    let mut b = Client::connect(&emu).await;
    emu.faults().send_garbage("}{ not json");
    assert_eq!(a.recv_text().await, "}{ not json");
    assert_eq!(b.recv_text().await, "}{ not json");
    emu.faults().send_huge_frame(5 << 20);
    let text = a.recv_text().await;
    assert!(text.len() >= 5 << 20, "{}", text.len());
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(v["method"], "event");
    // The connection still works afterwards.
    assert_eq!(a.request("getAppState", json!({})).await["result"], true);
}

#[tokio::test]
async fn shuffle_sends_notifications_before_the_reply() {
    let emu =
        start(EmulatorConfig { users: vec![SimUser::new("u@some.server", Answer::NoAnswer)], ..Default::default() })
            .await;
    let mut c = Client::connect_authed(&emu).await;
    emu.faults().set_shuffle(true);
    let id = c.send("createConference", json!({"title": "t", "confType": "role", "inviteList": ["u"]})).await;
    let (_, before) = c.until_reply(&id).await;
    let names: Vec<_> = before.iter().map(|v| v["event"].as_str().unwrap_or("").to_string()).collect();
    assert_eq!(names, ["conferenceCreated", "appStateChanged", "inviteSent"]);
    emu.faults().clear();
    let r = c.request("getSessionLink", json!({})).await;
    assert_eq!(r["result"], true);
}

#[tokio::test]
async fn many_requests_in_flight() {
    let emu = start(EmulatorConfig::default()).await;
    let mut c = Client::connect_authed(&emu).await;
    let mut ids = Vec::new();
    for _ in 0..1000 {
        ids.push(c.send("getAppState", json!({})).await);
    }
    for id in ids {
        assert_eq!(c.recv().await["requestId"], id.as_str());
    }
}

#[tokio::test]
async fn hundreds_of_isolated_rooms() {
    let emu = start(EmulatorConfig { isolated_rooms: true, ..Default::default() }).await;
    let mut clients = Vec::new();
    for _ in 0..200 {
        clients.push(Client::connect_authed(&emu).await);
    }
    assert_eq!(emu.connection_count(), 200);
    for c in &mut clients {
        c.send("createConference", json!({"title": "t", "confType": "symmetric"})).await;
    }
    for c in &mut clients {
        assert_eq!(c.recv().await["result"], true);
        assert_eq!(c.event("appStateChanged").await["appState"], 5);
        c.event("conferenceCreated").await;
    }
    drop(clients);
}
