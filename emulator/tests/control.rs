//! The test-only controls: `emulator.<action>`, `Emulator::control`, scenario scripts.

mod common;

use std::time::Duration;

use common::{room_config, start, Client};
use serde_json::json;
use tcroom_emulator::{config_from_scenario, Emulator, EmulatorConfig, PodiumAnswer, ScriptStep, SimConference};

#[tokio::test]
async fn actions_need_authorization_and_known_names_and_parameters() {
    let emu = start(room_config()).await;
    let mut c = Client::connect(&emu).await;
    let e = c.refused("emulator.incomingCall", json!({"peerId": "user1"})).await;
    assert_eq!(e, "not authorized: send auth first");
    let e = c.refused("emulator.nope", json!({})).await;
    assert_eq!(e, "unknown method 'emulator.nope'");
    c.ok("auth", json!({"type": "unsecured"})).await;
    let e = c.refused("emulator.dropServer", json!({"now": true})).await;
    assert_eq!(e, "unknown parameter 'now' (this action takes none)");
    let e = c.refused("emulator.userMessage", json!({"peer": "user1", "message": "x"})).await;
    assert_eq!(e, "unknown parameter 'peer' (allowed: peerId, message, group)");
}

#[tokio::test]
async fn the_library_handle_runs_actions() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let r = emu.control("incomingCall", json!({"peerId": "user1"})).expect("accepted");
    assert_eq!(r["result"], true);
    assert_eq!(r["peerId"], "user1@some.server");
    assert_eq!(c.event("inviteReceived").await["peerId"], "user1@some.server");
    assert_eq!(c.event("appStateChanged").await["appState"], 4);
    let e = emu.control("incomingCall", json!({"peerId": "user2"})).expect_err("busy");
    assert_eq!(e, "the room is busy (appState 4): a caller would get cause 2");
    assert!(emu.control("nope", json!({})).expect_err("unknown").starts_with("unknown emulator action 'nope'"));
    assert_eq!(
        emu.control("dropServer", json!([1])).expect_err("not an object"),
        "action parameters must be a JSON object"
    );
    emu.control("cancelCall", serde_json::Value::Null).expect("no parameters is fine");
    c.event("stopCalling").await;
}

#[tokio::test]
async fn isolated_rooms_take_actions_per_connection() {
    let emu = start(EmulatorConfig { isolated_rooms: true, ..room_config() }).await;
    let mut a = Client::connect_authed(&emu).await;
    let mut b = Client::connect_authed(&emu).await;
    a.action("incomingCall", json!({"peerId": "user1"})).await;
    a.event("inviteReceived").await;
    assert_eq!(b.ok("getAppState", json!({})).await["appState"], 3, "b's room is not called");
    let e = emu.control("incomingCall", json!({"peerId": "user1"})).expect_err("no shared room");
    assert!(e.starts_with("isolated rooms"), "{e}");
}

#[tokio::test]
async fn scenario_scripts_run_on_time() {
    let text = r#"{
        "users": [{"id": "user1@some.server", "display_name": "User One", "podium_answer": "decline"}],
        "conferences": [{"id": "demo", "title": "Demo", "owner": "user1@some.server", "pin": "42", "conf_type": "symmetric"}],
        "ring_time_ms": 5000,
        "http_token_lifetime_ms": 60000,
        "script": [
            {"at_ms": 0, "action": "plugDevice", "kind": "camera", "name": "Doc cam"},
            {"at_ms": 300, "action": "incomingCall", "peerId": "user1@some.server"},
            {"at_ms": 300, "action": "nonsense_is_caught_at_parse_time_so_not_here", "peerId": "x"}
        ]
    }"#;
    assert_eq!(
        config_from_scenario(text).expect_err("unknown action").as_str(),
        "invalid scenario: script step 2: unknown emulator action 'nonsense_is_caught_at_parse_time_so_not_here' \
         (actions: incomingCall, cancelCall, remoteHangUp, requestJoin, requestPodium, invitePodium, muteByOwner, \
         userMessage, userCommand, plugDevice, unplugDevice, expireHttpTokens, dropServer)"
    );
    let text = text.replace(
        r#",
            {"at_ms": 300, "action": "nonsense_is_caught_at_parse_time_so_not_here", "peerId": "x"}"#,
        "",
    );
    let cfg = config_from_scenario(&text).expect("valid");
    assert_eq!(cfg.ring_time, Duration::from_secs(5));
    assert_eq!(cfg.http_token_lifetime, Duration::from_secs(60));
    assert_eq!(cfg.users[0].podium_answer, PodiumAnswer::Decline);
    let mut want = SimConference::new("demo", "Demo", "user1@some.server");
    want.conf_type = 1;
    want.pin = Some("42".into());
    assert_eq!(cfg.conferences, [want]);
    assert_eq!(
        cfg.script[1],
        ScriptStep {
            at: Duration::from_millis(300),
            action: "incomingCall".into(),
            params: json!({"peerId": "user1@some.server"})
        }
    );
    assert!(!format!("{cfg:?}").contains("\"42\""), "the PIN is not in Debug output");

    let emu = start(cfg).await;
    let mut c = Client::connect_authed(&emu).await;
    // The call comes at 300 ms; a slow machine may have authorized this connection later.
    let id = c.send("getAppState", json!({})).await;
    let (r, _) = c.until_reply(&id).await;
    if r["appState"] == 3 {
        let mut ev = c.recv().await;
        while ev["event"] != "inviteReceived" {
            ev = c.recv().await;
        }
        assert_eq!(ev["peerDn"], "User One");
        assert_eq!(c.event("appStateChanged").await["appState"], 4);
    }
    assert_eq!(c.ok("getAppState", json!({})).await["appState"], 4);
    let hw = c.ok("getHardware", json!({})).await;
    assert!(hw["videoCapturers"].as_array().is_some_and(|a| a.iter().any(|d| d["name"] == "Doc cam")));
}

#[test]
fn scenario_keys_are_checked() {
    for (text, want) in [
        (
            r#"{"script": [{"at_ms": 1, "action": "dropServer", "later": 1}]}"#,
            "script step 0: unknown parameter 'later'",
        ),
        (r#"{"script": [{"action": "dropServer"}]}"#, "missing field `at_ms`"),
        (
            r#"{"script": [{"at_ms": 1, "action": "dropServer"}], "isolated_rooms": true}"#,
            "a script needs the shared room",
        ),
        (r#"{"conferences": [{"id": "c", "title": "t"}]}"#, "missing field `owner`"),
        (r#"{"conferences": [{"id": "c", "title": "t", "owner": "u", "conf_type": "p2p"}]}"#, "unknown variant `p2p`"),
        (r#"{"conferences": [{"id": "c", "title": "t", "owner": "u", "extra": 1}]}"#, "unknown field `extra`"),
        (r#"{"users": [{"id": "u", "podium_answer": "maybe"}]}"#, "unknown variant `maybe`"),
        (r#"{"ring_time": 5}"#, "unknown field `ring_time`"),
    ] {
        let e = config_from_scenario(text).expect_err(text);
        assert!(e.contains(want), "{text}: {e}");
    }
    let text = include_str!("../scenarios/room-control.json");
    let c = config_from_scenario(text).expect("the room-control example is valid");
    assert!(!c.script.is_empty() && !c.conferences.is_empty());
}

#[tokio::test]
async fn start_refuses_an_invalid_config() {
    let cfg = EmulatorConfig {
        script: vec![ScriptStep { at: Duration::ZERO, action: "nope".into(), params: json!({}) }],
        ..Default::default()
    };
    let e = Emulator::start(cfg).await.err().expect("refused");
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
    let mut bad = SimConference::new("c", "t", "u@x");
    bad.conf_type = 0;
    let e =
        Emulator::start(EmulatorConfig { conferences: vec![bad], ..Default::default() }).await.err().expect("refused");
    assert!(e.to_string().contains("conf_type must be 1, 2 or 3"), "{e}");
}
