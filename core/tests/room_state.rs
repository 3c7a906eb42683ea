//! The live room state, `watch()`, `wait_for`, auto-answer and frames, against the emulator.

mod common;

use common::*;
use serde_json::json;
use std::time::Duration;
use tcroom_core::{AppState, AutoAnswerPolicy, Client, EventKind, StreamItem, SELF_SLOT};
use tcroom_emulator::EmulatorConfig;

#[tokio::test]
async fn the_state_is_filled_at_connect_and_follows_the_room() {
    let emu = emulator(EmulatorConfig::default()).await;
    let (client, _events) = connect(&emu).await;
    let s = client.state();
    assert!(s.connected && s.authorized);
    assert_eq!(s.app_state, Some(AppState::Normal));
    assert!(s.mic_muted.is_some() && s.camera_muted.is_some() && s.speaker_muted.is_some(), "{s:?}");
    assert!(s.volume.is_some() && s.hardware.is_some() && s.video_matrix.is_some() && s.monitors.is_some());
    assert!(s.ptz.is_some() && s.login.is_some() && s.server_state.is_some());
    assert!(s.http_port.is_some());

    let mut watch = client.watch();
    let first = watch.next().await.expect("the current state first");
    assert!(first.full);
    let was = first.state.mic_muted.unwrap_or(false);
    client.set_mic_mute(!was).await.expect("mute");
    let change = tokio::time::timeout(WAIT, watch.next()).await.expect("a change").expect("not ended");
    assert_eq!(change.changed(), ["own_media"]);
    assert_eq!(change.state.mic_muted, Some(!was));
    assert_eq!(client.get_mic_mute().await.expect("get"), !was);

    // Devices: unplugging the current microphone shows in the state.
    let mic = client.state().hardware.and_then(|h| h.current_microphone).expect("a current microphone");
    emu.control("unplugDevice", json!({"name": mic.name})).expect("unplug");
    let s = client
        .wait_for(|s| s.hardware.as_ref().is_some_and(|h| h.microphones.iter().all(|d| d.name != mic.name)), WAIT)
        .await
        .expect("unplugged");
    let current = s.hardware.as_ref().and_then(|h| h.current_microphone.as_ref()).map(|d| d.name.clone());
    assert_ne!(current, Some(mic.name));
}

#[tokio::test]
async fn an_incoming_call_is_pending_then_answered_and_the_call_ends() {
    let emu = emulator(EmulatorConfig::default()).await;
    let (client, mut events) = connect(&emu).await;
    emu.control("incomingCall", json!({"peerId": "user1@some.server"})).expect("call the room");
    let s = client.wait_for(|s| s.incoming_call.is_some(), WAIT).await.expect("ringing");
    assert_eq!(s.incoming_call.as_ref().map(|c| c.peer_id.as_str()), Some("user1@some.server"));
    let ev = next_named(&mut events, "inviteReceived").await;
    assert!(matches!(&ev.kind, EventKind::InviteReceived(c) if c.peer_id == "user1@some.server"));
    client.accept().await.expect("accept");
    let s = client.wait_for(|s| s.in_call, WAIT).await.expect("in the call");
    assert!(s.incoming_call.is_none());
    let conf = s.conference.as_ref().expect("the call");
    assert_eq!(conf.conf_type, None, "a call, not a group conference");
    assert_eq!(conf.peer_id.as_deref(), Some("user1@some.server"));
    client.hang_up(false).await.expect("hang up");
    client.wait_for(|s| !s.in_call && s.conference.is_none(), WAIT).await.expect("over");
}

#[tokio::test]
async fn auto_answer_accepts_the_listed_and_rejects_the_rest() {
    let emu = emulator(EmulatorConfig::default()).await;
    let (client, mut events) = connect(&emu).await;
    let mut auto = client.auto_answer(AutoAnswerPolicy::Only(vec!["alice".into()]));
    emu.control("incomingCall", json!({"peerId": "mallory@some.server"})).expect("call");
    let d = tokio::time::timeout(WAIT, auto.next_decision()).await.expect("decided").expect("a decision");
    assert!(!d.accepted && d.error.is_none(), "{d:?}");
    next_named(&mut events, "rejectSent").await;
    client.wait_for(|s| s.incoming_call.is_none() && s.app_state == Some(AppState::Normal), WAIT).await.expect("idle");
    emu.control("incomingCall", json!({"peerId": "alice@some.server"})).expect("call");
    let d = tokio::time::timeout(WAIT, auto.next_decision()).await.expect("decided").expect("a decision");
    assert!(d.accepted, "{d:?}");
    client.wait_for(|s| s.in_call, WAIT).await.expect("in the call");
}

#[tokio::test]
async fn frames_are_jpegs_that_differ_per_slot_and_survive_token_expiry() {
    let emu = emulator(EmulatorConfig::default()).await;
    let (client, _events) = connect(&emu).await;
    let own = client.frame(SELF_SLOT).await.expect("our camera");
    assert_eq!(&own[..2], &[0xFF, 0xD8], "a JPEG");
    emu.control("expireHttpTokens", json!({})).expect("expire");
    let again = client.frame(SELF_SLOT).await.expect("the token is fetched again");
    assert_eq!(&again[..2], &[0xFF, 0xD8]);
    let err = client.frame("nobody@some.server/0").await.unwrap_err();
    assert!(err.to_string().contains("404"), "{err}");
    let mut frames = client.frames(SELF_SLOT, 20.0).expect("a stream");
    for _ in 0..3 {
        let f = tokio::time::timeout(WAIT, frames.next()).await.expect("a frame").expect("not ended").expect("fetched");
        assert_eq!(&f[..2], &[0xFF, 0xD8]);
    }
    assert!(client.frames(SELF_SLOT, 0.0).is_err() && client.frames(SELF_SLOT, 1000.0).is_err());
}

#[tokio::test]
async fn state_events_follow_each_change_when_asked_for() {
    let emu = emulator(EmulatorConfig::default()).await;
    let (client, mut events) = Client::connect_subscribed(options(&emu).state_events(true)).await.expect("connects");
    client.set_video_mute(true).await.expect("camera off");
    let ev = next_matching(
        &mut events,
        "stateChanged with own_media",
        |e| matches!(&e.kind, EventKind::StateChanged { changed, .. } if changed.contains(&"own_media")),
    )
    .await;
    assert_eq!(ev.raw["full"], false);
    assert_eq!(client.state().camera_muted, Some(true));
    // Nothing else lags behind: the stream is the lossless one.
    while let Ok(Some(StreamItem::Event(_))) = events.recv_timeout(Duration::from_millis(50)).await {}
}

#[tokio::test]
async fn a_call_that_started_before_we_connected_is_in_the_state() {
    let emu = emulator(EmulatorConfig::default()).await;
    let (first, _events) = connect(&emu).await;
    emu.control("incomingCall", json!({"peerId": "user1@some.server"})).expect("call the room");
    first.wait_for(|s| s.incoming_call.is_some(), WAIT).await.expect("ringing");
    first.accept().await.expect("accept");
    first.wait_for(|s| s.in_call, WAIT).await.expect("in the call");
    // A second controller (the other role) connects during the call: no conferenceCreated
    // comes for it, the state is read from the room.
    let second = Client::connect(options(&emu).role(tcroom_core::Role::User)).await.expect("connects");
    let s = second.state();
    assert!(s.in_call);
    let conf = s.conference.as_ref().expect("the call is known");
    assert_eq!(Some(conf.conf_id.clone()), first.state().conference.map(|c| c.conf_id));
}
