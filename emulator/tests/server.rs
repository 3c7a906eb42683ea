//! The server link and the login, as PROTOCOL.md §10 adds to them.

mod common;

use common::{room_config, start, Client};
use serde_json::json;
use tcroom_emulator::EmulatorConfig;

#[tokio::test]
async fn connected_and_logged_in_at_start() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let r = c.ok("getConnected", json!({})).await;
    assert_eq!(r["state"], 2);
    assert_eq!(
        r["serverInfo"],
        json!({"server": "some.server", "port": 4307, "service": false, "domain": "some.server"})
    );
    let r = c.ok("getLogin", json!({})).await;
    assert_eq!(
        (r["isLoggedIn"].clone(), r["peerId"].clone(), r["peerDn"].clone()),
        (json!(true), json!("room@some.server"), json!("Room"))
    );
    assert_eq!((r["login"].clone(), r["server"].clone()), (json!("room"), json!("some.server")));
}

#[tokio::test]
async fn connect_login_logout_and_a_dropped_link() {
    let emu = start(EmulatorConfig { initial_app_state: 0, ..room_config() }).await;
    let mut c = Client::connect_authed(&emu).await;
    assert_eq!(
        c.ok("getConnected", json!({})).await,
        json!({"method": "getConnected", "requestId": "2", "result": true, "state": 0})
    );
    let r = c.ok("getLogin", json!({})).await;
    assert_eq!(
        (r["isLoggedIn"].clone(), r["peerId"].clone(), r["peerDn"].clone()),
        (json!(false), json!(""), json!(""))
    );
    assert_eq!(c.refused("emulator.dropServer", json!({})).await, "not connected to a server");

    c.ok("connectToServer", json!({"server": "10.0.0.5", "port": 4310})).await;
    assert_eq!(c.event("appStateChanged").await["appState"], 1);
    assert_eq!(
        c.event("serverConnected").await,
        json!({"method": "event", "event": "serverConnected", "service": false, "server": "10.0.0.5", "port": 4310,
               "domain": "some.server"})
    );
    assert_eq!(c.event("appStateChanged").await["appState"], 2);
    let r = c.ok("getConnected", json!({})).await;
    assert_eq!(
        (r["state"].clone(), r["serverInfo"]["server"].clone(), r["serverInfo"]["port"].clone()),
        (json!(2), json!("10.0.0.5"), json!(4310))
    );
    c.ok("login", json!({"login": "room", "password": "secret", "encryptPassword": false})).await;
    let ev = c.event("login").await;
    assert_eq!((ev["peerId"].clone(), ev["peerDn"].clone()), (json!("room@some.server"), json!("Room")));
    c.event("appStateChanged").await;
    assert_eq!(c.ok("getLogin", json!({})).await["isLoggedIn"], true);

    // Logging out keeps the server link.
    c.ok("logout", json!({})).await;
    assert_eq!(c.event("logout").await, json!({"method": "event", "event": "logout", "result": true, "cause": 0}));
    c.event("appStateChanged").await;
    assert_eq!(c.ok("getConnected", json!({})).await["state"], 2);
    assert_eq!(c.ok("getLogin", json!({})).await["isLoggedIn"], false);

    c.action("dropServer", json!({})).await;
    assert_eq!(
        c.event("serverDisconnected").await,
        json!({"method": "event", "event": "serverDisconnected", "service": false, "server": "10.0.0.5", "port": 4310})
    );
    assert_eq!(c.event("appStateChanged").await["appState"], 0);
    assert_eq!(c.ok("getConnected", json!({})).await["state"], 0);
}

#[tokio::test]
async fn a_dropped_link_ends_calls() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    c.ok("call", json!({"peerId": "user1"})).await;
    for _ in 0..5 {
        c.recv().await;
    }
    c.action("dropServer", json!({})).await;
    assert_eq!(c.event("appStateChanged").await["appState"], 6);
    assert_eq!(c.event("appStateChanged").await["appState"], 3);
    c.event("conferenceDeleted").await;
    c.event("videoMatrixChanged").await;
    c.event("serverDisconnected").await;
    assert_eq!(c.event("appStateChanged").await["appState"], 0);
    assert_eq!(c.ok("getLogin", json!({})).await["isLoggedIn"], false);
    assert_eq!(c.refused("call", json!({"peerId": "user1"})).await, "cannot call in appState 0 (needs 3: normal)");

    // While being called: the call stops.
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    c.action("incomingCall", json!({"peerId": "user1"})).await;
    c.event("inviteReceived").await;
    c.event("appStateChanged").await;
    c.action("dropServer", json!({})).await;
    assert_eq!(c.event("stopCalling").await["side"], 1);
    c.event("serverDisconnected").await;
    assert_eq!(c.event("appStateChanged").await["appState"], 0);
}
