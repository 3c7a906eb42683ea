//! Room control through the bridge (PROTOCOL.md §10): own mute answered by `setMicMute` & co.
//! and followed by `audioCapturerMute {mute}` & co., coming back in `state` and the small
//! topics; `call` moving the app state 3 → 4 → 5 and `hangUp` ending it.

mod common;

use common::{free_port, room, Mosquitto, Observer, Setup};
use serde_json::Value;
use tcroom_bridge::Bridge;

/// The Home Assistant switch for `key`, from its discovery config.
async fn switch(obs: &mut Observer, key: &str) -> Value {
    let topic = format!("homeassistant/switch/tcroom_lobby_{key}/config");
    obs.wait_for(&topic, |_| true).await.json()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mute_switches_change_the_room_and_come_back_in_state() {
    let broker = Mosquitto::start();
    let port = free_port();
    let _emu = room(port).await;
    let bridge = Bridge::start(&Setup::new(&broker, &[("lobby", port)]).config()).unwrap();
    let mut obs = Observer::connect(broker.port, &["tcroom/#", "homeassistant/#"]).await;
    obs.wait_payload("tcroom/lobby/availability", "online").await;

    for (key, method, getter, event) in [
        ("mic_muted", "setMicMute", "getMicMute", "audioCapturerMute"),
        ("camera_muted", "setVideoMute", "getVideoMute", "videoCapturerMute"),
        ("speaker_muted", "setAudioMute", "getAudioMute", "audioRendererMute"),
    ] {
        let sw = switch(&mut obs, key).await;
        let command = sw["command_topic"].as_str().unwrap().to_owned();
        let state_topic = sw["state_topic"].as_str().unwrap().to_owned();
        for (payload, state, mute) in [("payload_on", "state_on", true), ("payload_off", "state_off", false)] {
            obs.forget(&format!("tcroom/lobby/reply/{method}"));
            obs.publish(&command, sw[payload].as_str().unwrap()).await;
            let reply = obs.wait_for(&format!("tcroom/lobby/reply/{method}"), |_| true).await.json();
            assert_eq!(reply["ok"], true, "{method}: {reply}");
            obs.wait_for(&format!("tcroom/lobby/event/{event}"), |m| m.json()["mute"] == mute).await;
            obs.wait_payload(&state_topic, sw[state].as_str().unwrap()).await;
            obs.wait_until(&format!("{key} = {mute} in state"), |o| {
                o.latest.get("tcroom/lobby/state").map(|m| m.json()).filter(|s| s[key] == mute)
            })
            .await;
            obs.forget(&format!("tcroom/lobby/reply/{getter}"));
            obs.publish(&format!("tcroom/lobby/cmd/{getter}"), "").await;
            let got = obs.wait_for(&format!("tcroom/lobby/reply/{getter}"), |_| true).await.json();
            assert_eq!(got["reply"]["mute"], mute, "{getter}: {got}");
        }
    }
    bridge.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_from_the_text_entity_puts_the_room_in_a_call_and_hang_up_ends_it() {
    let broker = Mosquitto::start();
    let port = free_port();
    let _emu = room(port).await;
    let bridge = Bridge::start(&Setup::new(&broker, &[("lobby", port)]).config()).unwrap();
    let mut obs = Observer::connect(broker.port, &["tcroom/#", "homeassistant/#"]).await;
    obs.wait_payload("tcroom/lobby/in_call", "false").await;

    let text = obs.wait_for("homeassistant/text/tcroom_lobby_call/config", |_| true).await.json();
    let payload = common::ha::render_command_template(text["command_template"].as_str().unwrap(), "user1@some.server");
    obs.publish(text["command_topic"].as_str().unwrap(), &payload).await;
    obs.wait_payload("tcroom/lobby/in_call", "true").await;

    let hang_up = obs.wait_for("homeassistant/button/tcroom_lobby_hang_up/config", |_| true).await.json();
    obs.publish(hang_up["command_topic"].as_str().unwrap(), hang_up["payload_press"].as_str().unwrap()).await;
    obs.wait_payload("tcroom/lobby/in_call", "false").await;
    bridge.shutdown().await;
}
