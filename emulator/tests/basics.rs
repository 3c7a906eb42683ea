//! Discovery, authorization and the error envelope.

mod common;

use common::{http_get, start, Client, End};
use futures_util::SinkExt;
use serde_json::{json, Value};
use tcroom_emulator::{AuthMode, EmulatorConfig};
use tokio_tungstenite::tungstenite::Message;

fn pin_config() -> EmulatorConfig {
    EmulatorConfig { auth: AuthMode::Pin("1234".into()), ..Default::default() }
}

#[tokio::test]
async fn discovery_serves_ports_and_404s_elsewhere() {
    let emu = start(EmulatorConfig::default()).await;
    let (status, body) = http_get(emu.host(), emu.web_port(), "/public/default/config.json").await;
    assert_eq!(status, 200);
    let v: Value = serde_json::from_str(&body).expect("json body");
    assert_eq!(
        v,
        json!({"config": {"websocket": {"hostname": null, "port": emu.ws_port()},
                          "http": {"hostname": null, "port": emu.http_port()}}})
    );
    let (status, _) = http_get(emu.host(), emu.web_port(), "/public/other/config.json").await;
    assert_eq!(status, 404);
    let (status, _) = http_get(emu.host(), emu.web_port(), "/nothing").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn discovery_uses_the_configured_instance() {
    let emu = start(EmulatorConfig { instance: "second".into(), ..Default::default() }).await;
    let (status, _) = http_get(emu.host(), emu.web_port(), "/public/second/config.json").await;
    assert_eq!(status, 200);
    let (status, _) = http_get(emu.host(), emu.web_port(), "/public/default/config.json").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn embedded_http_needs_the_http_token() {
    let emu = start(EmulatorConfig::default()).await;
    let (status, _) = http_get(emu.host(), emu.http_port(), "/").await;
    assert_eq!(status, 401);
    let mut c = Client::connect(&emu).await;
    let r = c.request("auth", json!({"type": "unsecured"})).await;
    let token = r["tokenForHttpServer"].as_str().expect("http token").to_string();
    let (status, _) = http_get(emu.host(), emu.http_port(), &format!("/?token={token}")).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn pin_auth_rejects_wrong_pin_and_accepts_pin_and_token() {
    let emu = start(pin_config()).await;
    let mut c = Client::connect(&emu).await;
    let r = c.request("auth", json!({"type": "secured", "credentials": "0000"})).await;
    assert_eq!(r["result"], false);
    assert_eq!(r["resultCode"], 3);
    assert_eq!(r["error"], "wrong credentials");
    let r = c.request("auth", json!({"type": "unsecured"})).await;
    assert_eq!(r["result"], false, "unsecured is refused under a PIN");
    // Still open and still unauthorized.
    let r = c.request("getAppState", json!({})).await;
    assert_eq!(r["error"], "not authorized: send auth first");

    let r = c.request("auth", json!({"type": "secured", "credentials": "1234"})).await;
    assert_eq!(r["result"], true, "{r}");
    assert_eq!(r["resultCode"], 0);
    assert_eq!(r["previleges"], 2);
    let token = r["token"].as_str().expect("token").to_string();
    assert_eq!(token.len(), 32);
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()));
    assert!(r["tokenForHttpServer"].is_string());

    let mut c2 = Client::connect(&emu).await;
    let r = c2.request("auth", json!({"type": "secured", "credentials": token, "role": "user"})).await;
    assert_eq!(r["result"], true, "{r}");
    assert_eq!(r["previleges"], 1);
    let r = c2.request("getAppState", json!({})).await;
    assert_eq!(r["appState"], 3);
}

#[tokio::test]
async fn auth_validates_role_and_type() {
    let emu = start(EmulatorConfig::default()).await;
    let mut c = Client::connect(&emu).await;
    let r = c.request("auth", json!({"type": "unsecured", "role": "root"})).await;
    assert_eq!(r["result"], false);
    assert!(r["error"].as_str().unwrap_or("").contains("role"), "{r}");
    let r = c.request("auth", json!({"type": "magic"})).await;
    assert_eq!(r["result"], false);
    let r = c.request("auth", json!({})).await;
    assert_eq!(r["error"], "parameter 'type' is required");
    let r = c.request("auth", json!({"type": "secured", "credentials": "anything"})).await;
    assert_eq!(r["result"], true, "unsecured mode accepts any secured credentials");
}

#[tokio::test]
async fn second_connection_of_a_role_kicks_the_first() {
    let emu = start(EmulatorConfig::default()).await;
    let mut a = Client::connect_authed(&emu).await;
    let mut user = Client::connect(&emu).await;
    let r = user.request("auth", json!({"type": "unsecured", "role": "user"})).await;
    assert_eq!(r["result"], true);
    let mut b = Client::connect_authed(&emu).await;
    let ev = a.recv().await;
    assert_eq!(ev, json!({"method": "event", "event": "authorizationNeeded", "cause": 1}));
    let r = a.request("getAppState", json!({})).await;
    assert_eq!(r["error"], "not authorized: send auth first");
    // The other role is unaffected, and the newcomer works.
    assert_eq!(user.request("getAppState", json!({})).await["result"], true);
    assert_eq!(b.request("getAppState", json!({})).await["result"], true);
    assert_eq!(emu.connection_count(), 3);
}

#[tokio::test]
async fn isolated_rooms_allow_many_admins() {
    let emu = start(EmulatorConfig { isolated_rooms: true, ..Default::default() }).await;
    let mut a = Client::connect_authed(&emu).await;
    let mut b = Client::connect_authed(&emu).await;
    let r = a.request("createConference", json!({"title": "A", "confType": "symmetric"})).await;
    assert_eq!(r["result"], true);
    a.event("appStateChanged").await;
    a.event("conferenceCreated").await;
    // b's room is still idle and b saw none of a's notifications.
    let r = b.request("getAppState", json!({})).await;
    assert_eq!(r["appState"], 3);
    let r = a.request("getAppState", json!({})).await;
    assert_eq!(r["appState"], 5);
}

#[tokio::test]
async fn errors_keep_the_connection_open() {
    let emu = start(EmulatorConfig::default()).await;
    let mut c = Client::connect(&emu).await;

    let r = c.request("getAppState", json!({})).await;
    assert_eq!(
        r,
        json!({"method": "getAppState", "requestId": "1", "result": false,
                         "error": "not authorized: send auth first"})
    );
    let r = c.request("setUsedApiVersion", json!({"version": "2"})).await;
    assert_eq!(r["result"], true, "allowed before auth");

    c.send_raw("{not json").await;
    let r = c.recv().await;
    assert_eq!(r["method"], "");
    assert_eq!(r["requestId"], "");
    assert_eq!(r["result"], false);
    assert!(r["error"].as_str().unwrap_or("").starts_with("malformed JSON: "), "{r}");

    c.send_raw(r#"{"requestId":"x"}"#).await;
    let r = c.recv().await;
    assert_eq!((r["requestId"].clone(), r["result"].clone()), (json!("x"), json!(false)));

    c.send_raw(r#"{"method":42}"#).await;
    let r = c.recv().await;
    assert_eq!(r["result"], false);
    assert_eq!(r["requestId"], "");

    let r = c.request("foo", json!({})).await;
    assert_eq!(r["error"], "unknown method 'foo'");

    c.ws.send(Message::Binary(vec![1u8, 2, 3].into())).await.expect("send");
    let r = c.recv().await;
    assert_eq!(r["result"], false);

    c.request("auth", json!({"type": "unsecured"})).await;
    let r = c.request("createConference", json!({"title": 5, "confType": "role"})).await;
    assert_eq!(r["error"], "parameter 'title' must be a string");
    let r = c.request("createConference", json!({"title": "", "confType": "role"})).await;
    assert_eq!(r["result"], false);
    let r = c.request("createConference", json!({"title": "t", "confType": "lecture"})).await;
    assert_eq!(r["result"], false);
    let r = c.request("createConference", json!({"title": "t", "confType": "role", "inviteList": "u"})).await;
    assert_eq!(r["error"], "parameter 'inviteList' must be an array of strings");
    let r = c.request("createConference", json!({"title": "t", "confType": "role", "castersCount": 7})).await;
    assert_eq!(r["result"], false);
    assert!(r["error"].as_str().unwrap_or("").contains("castersCount 7"), "{r}");
    let r = c.request("createConference", json!({"title": "t", "confType": "symmetric", "smartMeeting": true})).await;
    assert_eq!(r["result"], false);
    let r = c
        .request("createConference", json!({"title": "t", "confType": "role", "smartMeeting": true, "castersCount": 3}))
        .await;
    assert_eq!(r["result"], false);
    let r = c.request("hangUp", json!({})).await;
    assert_eq!(r["result"], false);
    let r = c.request("getAppState", json!({})).await;
    assert_eq!(r["result"], true);
    assert_eq!(emu.connection_count(), 1);
}

/// The reply without a requestId still carries "".
#[tokio::test]
async fn missing_request_id_is_echoed_empty() {
    let emu = start(EmulatorConfig::default()).await;
    let mut c = Client::connect_authed(&emu).await;
    c.send_raw(r#"{"method":"getAppState"}"#).await;
    let r = c.recv().await;
    assert_eq!(r["requestId"], "");
    assert_eq!(r["appState"], 3);
    assert_eq!(r["embeddedHttpPort"], emu.http_port());
    assert_eq!(r["desktopSharing"], json!({"running": false}));
}

#[tokio::test]
async fn close_all_and_shutdown_send_close_frames() {
    let emu = start(EmulatorConfig::default()).await;
    let mut a = Client::connect_authed(&emu).await;
    emu.close_all_connections();
    assert_eq!(a.ended().await, End::CloseFrame);
    drop(a);
    let mut b = Client::connect_authed(&emu).await;
    let shutdown = tokio::spawn(emu.shutdown());
    assert_eq!(b.ended().await, End::CloseFrame);
    drop(b);
    tokio::time::timeout(common::WAIT, shutdown).await.expect("shutdown finishes").expect("no panic");
}

#[tokio::test]
async fn system_info_tariff_and_login_flow() {
    let emu = start(EmulatorConfig { initial_app_state: 0, ..Default::default() }).await;
    let mut c = Client::connect_authed(&emu).await;
    let r = c.request("getSystemInfo", json!({})).await;
    assert_eq!(r["authInfo"], json!({"peerId": "room@some.server", "peerDn": "Room"}));
    let r = c.request("getTariffRestrictions", json!({})).await;
    assert_eq!(r["tariffName"], "Business");
    assert_eq!(r["roleSchema"][1], json!({"maxCasters": 2, "maxParticipants": 900}));

    let r = c.request("createConference", json!({"title": "t", "confType": "role"})).await;
    assert_eq!(r["error"], "cannot create a conference in appState 0 (needs 3: normal)");
    let r = c.request("login", json!({"login": "room", "password": "x"})).await;
    assert_eq!(r["result"], false);

    c.request("connectToServer", json!({"server": "some.server", "port": 4307})).await;
    assert_eq!(c.event("appStateChanged").await["appState"], 1);
    let connected = c.event("serverConnected").await;
    assert_eq!(
        connected,
        json!({"method": "event", "event": "serverConnected", "service": false, "server": "some.server",
               "port": 4307, "domain": "some.server"})
    );
    assert_eq!(c.event("appStateChanged").await["appState"], 2);
    let r = c.request("login", json!({"login": "room", "password": "secret"})).await;
    assert_eq!(r["result"], true);
    assert_eq!(c.event("login").await["result"], true);
    assert_eq!(c.event("appStateChanged").await["appState"], 3);
    assert_eq!(c.request("getLogin", json!({})).await["login"], "room");
    c.request("logout", json!({})).await;
    c.event("logout").await;
    assert_eq!(c.event("appStateChanged").await["appState"], 2);

    // Tariff changes are announced.
    let mut t = tcroom_emulator::default_tariff();
    t["createMulti"] = json!(false);
    emu.set_tariff(t);
    let ev = c.event("tariffRestrictionsChanged").await;
    assert_eq!(ev["createMulti"], false);
    emu.emit(json!({"method": "event", "event": "somethingNew", "x": 1}));
    assert_eq!(c.event("somethingNew").await["x"], 1);
}

#[tokio::test]
async fn ping_gets_pong_and_large_fragmented_requests_work() {
    let emu = start(EmulatorConfig::default()).await;
    let mut c = Client::connect_authed(&emu).await;
    c.ws.send(Message::Ping(b"hi".to_vec().into())).await.expect("ping");
    let msg = tokio::time::timeout(common::WAIT, futures_util::StreamExt::next(&mut c.ws))
        .await
        .expect("in time")
        .expect("open")
        .expect("ok");
    assert_eq!(msg, Message::Pong(b"hi".to_vec().into()));

    // A 3 MB request split into 64 KiB frames by hand.
    use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
    use tokio_tungstenite::tungstenite::protocol::frame::Frame;
    let padding = "x".repeat(3 << 20);
    let text = json!({"method": "getAppState", "requestId": "big", "padding": padding}).to_string();
    let chunks: Vec<&[u8]> = text.as_bytes().chunks(64 << 10).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        let opcode = if i == 0 { OpCode::Data(Data::Text) } else { OpCode::Data(Data::Continue) };
        let frame = Frame::message(chunk.to_vec(), opcode, i + 1 == chunks.len());
        c.ws.feed(Message::Frame(frame)).await.expect("feed");
    }
    c.ws.flush().await.expect("flush");
    let r = c.recv().await;
    assert_eq!((r["requestId"].clone(), r["result"].clone()), (json!("big"), json!(true)));
}
