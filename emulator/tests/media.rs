//! Own media, volume through settings, remote media, and the owner muting the room.

mod common;

use common::{create_conference, invite_joined, join_sim_conference, own_entry, room_config, start, Client};
use serde_json::json;

#[tokio::test]
async fn own_mute_reaches_every_connection_and_the_getters() {
    let emu = start(room_config()).await;
    let mut admin = Client::connect_authed(&emu).await;
    let mut user = Client::connect(&emu).await;
    user.ok("auth", json!({"type": "unsecured", "role": "user"})).await;

    for (get, set, ev) in [
        ("getMicMute", "setMicMute", "audioCapturerMute"),
        ("getVideoMute", "setVideoMute", "videoCapturerMute"),
        ("getAudioMute", "setAudioMute", "audioRendererMute"),
    ] {
        let r = admin.ok(get, json!({})).await;
        assert_eq!(r, json!({"method": get, "requestId": r["requestId"], "result": true, "mute": false}));
        let r = admin.ok(set, json!({"mute": true})).await;
        assert_eq!(r.as_object().map(|m| m.len()), Some(3), "accepted-only reply: {r}");
        assert_eq!(admin.event(ev).await, json!({"method": "event", "event": ev, "mute": true}));
        assert_eq!(user.event(ev).await["mute"], true, "every authorized connection hears it");
        assert_eq!(admin.ok(get, json!({})).await["mute"], true);
        assert_eq!(user.ok(get, json!({})).await["mute"], true);
        // Setting the same value again is still confirmed.
        admin.ok(set, json!({"mute": true})).await;
        assert_eq!(admin.event(ev).await["mute"], true);
        user.event(ev).await;
        let e = admin.refused(set, json!({"mute": "yes"})).await;
        assert_eq!(e, "parameter 'mute' must be a boolean");
        let e = admin.refused(set, json!({})).await;
        assert_eq!(e, "parameter 'mute' is required");
    }
    admin.quiet().await;
    user.quiet().await;
}

#[tokio::test]
async fn the_rooms_own_participant_entry_follows_its_mute_state() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    create_conference(&mut c, json!({"title": "t", "confType": "symmetric"})).await;
    let me = own_entry(&mut c).await;
    assert_eq!((me["mic"].clone(), me["video"].clone()), (json!(2), json!(2)));
    c.ok("setMicMute", json!({"mute": true})).await;
    c.event("audioCapturerMute").await;
    c.ok("setVideoMute", json!({"mute": true})).await;
    c.event("videoCapturerMute").await;
    let me = own_entry(&mut c).await;
    assert_eq!((me["mic"].clone(), me["video"].clone()), (json!(1), json!(1)));
    // No microphone at all: 0.
    c.ok("setAudioCapturer", json!({"name": "none"})).await;
    c.event("hardwareChanged").await;
    assert_eq!(own_entry(&mut c).await["mic"], 0);
}

#[tokio::test]
async fn volume_through_settings() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let mut other = Client::connect(&emu).await;
    other.ok("auth", json!({"type": "unsecured", "role": "user"})).await;
    let r = c.ok("getSettings", json!({})).await;
    let settings = r["settings"].as_array().expect("settings list");
    let play = settings.iter().find(|s| s["name"] == "audioPlayLevel").expect("audioPlayLevel");
    assert_eq!(play["value"], 1.0);
    assert!(settings.iter().all(|s| s.as_object().map(|m| m.len()) == Some(2)), "{{name, value}}: {r}");

    let r = c.ok("setSettings", json!({"settings": {"audioPlayLevel": 0.55}})).await;
    assert_eq!(r.as_object().map(|m| m.len()), Some(3));
    let ev = c.event("settingsChanged").await;
    assert_eq!(ev, json!({"method": "event", "event": "settingsChanged", "name": "audioPlayLevel", "value": 0.55}));
    assert_eq!(other.event("settingsChanged").await["value"], 0.55);
    let r = c.ok("getSettings", json!({})).await;
    let play = r["settings"].as_array().and_then(|a| a.iter().find(|s| s["name"] == "audioPlayLevel").cloned());
    assert_eq!(play.expect("listed")["value"], 0.55);

    // Several at once: one notification each, in name order.
    c.ok("setSettings", json!({"settings": {"audioPlayLevel": 0, "autoAcceptPodiumFromOwner": true}})).await;
    let a = c.event("settingsChanged").await;
    assert_eq!((a["name"].clone(), a["value"].clone()), (json!("audioPlayLevel"), json!(0.0)));
    let b = c.event("settingsChanged").await;
    assert_eq!((b["name"].clone(), b["value"].clone()), (json!("autoAcceptPodiumFromOwner"), json!(true)));

    // Refusals change nothing, even the valid part of the request.
    for (bad, why) in [
        (json!({"audioPlayLevel": 1.5}), "setting 'audioPlayLevel' must be 0.0..1.0 (got 1.5)"),
        (json!({"audioPlayLevel": -0.1}), "setting 'audioPlayLevel' must be 0.0..1.0 (got -0.1)"),
        (json!({"audioPlayLevel": "loud"}), "setting 'audioPlayLevel' must be a number 0.0..1.0"),
        (json!({"agcEnable": 1}), "setting 'agcEnable' must be a boolean"),
        (
            json!({"agcEnable": true, "audioCapturerLevel": 0.3}),
            "setting 'audioCapturerLevel' is read-only while agcEnable is on",
        ),
    ] {
        assert_eq!(c.refused("setSettings", json!({"settings": bad})).await, why);
    }
    let e = c.refused("setSettings", json!({"settings": {"volume": 1}})).await;
    assert!(e.starts_with("unknown setting 'volume' (known: "), "{e}");
    assert_eq!(c.refused("setSettings", json!({"settings": [1]})).await, "parameter 'settings' must be an object");
    assert_eq!(c.refused("setSettings", json!({})).await, "parameter 'settings' is required");
    let r = c.ok("getSettings", json!({})).await;
    let agc = r["settings"].as_array().and_then(|a| a.iter().find(|s| s["name"] == "agcEnable").cloned());
    assert_eq!(agc.expect("listed")["value"], false);
    c.quiet().await;
    other.event("settingsChanged").await;
    other.event("settingsChanged").await;
    other.quiet().await;
}

#[tokio::test]
async fn moderator_turns_participants_media() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let created = create_conference(&mut c, json!({"title": "t", "confType": "role"})).await;
    let joined = invite_joined(&mut c, "user1").await;
    let peer = joined["peerId"].clone();

    c.ok("turnRemoteMic", json!({"peerId": peer, "on": false})).await;
    let ev = c.event("deviceStatusReceived").await;
    assert_eq!(
        ev,
        json!({"method": "event", "event": "deviceStatusReceived", "peerId": peer, "mic": 1, "video": 2,
               "confId": created["confId"]})
    );
    c.ok("turnRemoteCamera", json!({"peerId": peer, "on": false})).await;
    let ev = c.event("deviceStatusReceived").await;
    assert_eq!((ev["mic"].clone(), ev["video"].clone()), (json!(1), json!(1)));
    // By CallId too.
    c.ok("turnRemoteMic", json!({"peerId": "user1@some.server", "on": true})).await;
    assert_eq!(c.event("deviceStatusReceived").await["mic"], 2);
    let r = c.ok("getConferenceParticipants", json!({})).await;
    let p = r["participants"].as_array().and_then(|a| a.iter().find(|p| p["peerId"] == peer).cloned());
    let p = p.expect("listed");
    assert_eq!((p["mic"].clone(), p["video"].clone()), (json!(2), json!(1)));
    // The loudspeaker has no documented notification.
    c.ok("turnRemoteSpeaker", json!({"peerId": peer, "on": false})).await;
    c.quiet().await;

    let e = c.refused("turnRemoteMic", json!({"peerId": "ghost@some.server/1", "on": true})).await;
    assert_eq!(e, "no participant 'ghost@some.server/1' in the conference");
    let e = c.refused("turnRemoteMic", json!({"peerId": peer})).await;
    assert_eq!(e, "parameter 'on' is required");
    let me = own_entry(&mut c).await;
    let e = c.refused("turnRemoteCamera", json!({"peerId": me["peerId"], "on": false})).await;
    assert!(e.ends_with("is the room itself"), "{e}");
}

#[tokio::test]
async fn remote_media_needs_an_owned_group_conference() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let e = c.refused("turnRemoteMic", json!({"peerId": "user1", "on": true})).await;
    assert_eq!(e, "not in a conference (appState 3)");
    join_sim_conference(&mut c, "demo").await;
    let e = c.refused("turnRemoteMic", json!({"peerId": "boss@some.server", "on": false})).await;
    assert_eq!(e, "turnRemoteMic is for the conference owner (boss@some.server owns this one)");
}

#[tokio::test]
async fn the_owner_mutes_the_room_and_its_state_follows() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let e = c.refused("emulator.muteByOwner", json!({"mic": true})).await;
    assert_eq!(e, "not in a conference (appState 3)");
    let created = join_sim_conference(&mut c, "demo").await;
    let conf_id = created["confId"].clone();

    c.action("muteByOwner", json!({"mic": true})).await;
    assert_eq!(
        c.event("micStateChangedByConferenceOwner").await,
        json!({"method": "event", "event": "micStateChangedByConferenceOwner", "mute": true, "confId": conf_id})
    );
    assert_eq!(c.event("audioCapturerMute").await["mute"], true);
    assert_eq!(c.ok("getMicMute", json!({})).await["mute"], true);
    assert_eq!(own_entry(&mut c).await["mic"], 1);

    c.action("muteByOwner", json!({"mic": false, "camera": true})).await;
    assert_eq!(c.event("micStateChangedByConferenceOwner").await["mute"], false);
    assert_eq!(c.event("audioCapturerMute").await["mute"], false);
    let cam = c.event("cameraStateChangedByConferenceOwner").await;
    assert_eq!((cam["mute"].clone(), cam["confId"].clone()), (json!(true), conf_id));
    assert_eq!(c.event("videoCapturerMute").await["mute"], true);
    assert_eq!(c.ok("getVideoMute", json!({})).await["mute"], true);
    let me = own_entry(&mut c).await;
    assert_eq!((me["mic"].clone(), me["video"].clone()), (json!(2), json!(1)));

    let e = c.refused("emulator.muteByOwner", json!({})).await;
    assert_eq!(e, "give 'mic' and/or 'camera' (true mutes, false unmutes)");
}

#[tokio::test]
async fn nobody_mutes_the_room_in_its_own_conference() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    create_conference(&mut c, json!({"title": "t", "confType": "role"})).await;
    let e = c.refused("emulator.muteByOwner", json!({"camera": true})).await;
    assert_eq!(e, "muteByOwner needs a group conference owned by someone else");
}
