//! The video matrix, monitors and the main window.

mod common;

use common::{create_conference, invite_joined, room_config, start, Client};
use serde_json::{json, Value};

const MATRIX_KEYS: [&str; 7] = [
    "matrixType",
    "mainWindowWidth",
    "mainWindowHeight",
    "selfViewMode",
    "participants",
    "externVideoSlots",
    "hiddenVideoSlots",
];

fn slot_ids(matrix: &Value) -> Vec<String> {
    matrix["participants"]
        .as_array()
        .map(|a| a.iter().map(|p| p["peerId"].as_str().unwrap_or("").to_string()).collect())
        .unwrap_or_default()
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or("").to_string()
}

/// A conference of the room, user1 and user2; returns their slot ids.
async fn three_slots(c: &mut Client) -> (String, String) {
    create_conference(c, json!({"title": "t", "confType": "symmetric"})).await;
    let a = invite_joined(c, "user1").await;
    let b = invite_joined(c, "user2").await;
    (s(&a["peerId"]), s(&b["peerId"]))
}

#[tokio::test]
async fn the_matrix_follows_the_participants() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let m = c.ok("getVideoMatrix", json!({})).await;
    for k in MATRIX_KEYS {
        assert!(m.get(k).is_some(), "getVideoMatrix lacks {k}");
    }
    assert_eq!(m["matrixType"], 1);
    assert_eq!(
        m["participants"],
        json!([{"peerId": "#self:0", "peerDn": "Room", "left": 0, "top": 0,
                                          "width": m["mainWindowWidth"], "height": m["mainWindowHeight"]}])
    );
    assert_eq!((m["externVideoSlots"].clone(), m["hiddenVideoSlots"].clone()), (json!([]), json!([])));

    create_conference(&mut c, json!({"title": "t", "confType": "symmetric"})).await;
    c.ok("inviteToConference", json!({"peerId": "user1"})).await;
    c.event("inviteSent").await;
    let joined = c.event("newParticipantInConference").await;
    let ev = c.event("videoMatrixChanged").await;
    for k in MATRIX_KEYS {
        assert!(ev.get(k).is_some(), "videoMatrixChanged lacks {k}");
    }
    assert_eq!(slot_ids(&ev), ["#self:0".to_string(), s(&joined["peerId"])]);
    assert_eq!(ev["participants"][1]["peerDn"], "user1");
    // Two equal halves side by side.
    assert_eq!(ev["participants"][0]["width"], ev["participants"][1]["width"]);
    assert_eq!(ev["participants"][1]["left"], ev["participants"][0]["width"]);
    let m = c.ok("getVideoMatrix", json!({})).await;
    assert_eq!(m["participants"], ev["participants"]);

    c.ok("kickPeer", json!({"peerId": joined["peerId"]})).await;
    c.event("participantLeftConference").await;
    assert_eq!(slot_ids(&c.event("videoMatrixChanged").await), ["#self:0"]);
    // Hanging up with only the room's slot left changes nothing more.
    c.ok("hangUp", json!({})).await;
    for _ in 0..3 {
        c.recv().await;
    }
    c.quiet().await;
}

#[tokio::test]
async fn the_matrix_ignores_the_waiting_room_and_goes_with_the_conference() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    create_conference(&mut c, json!({"title": "t", "confType": "role", "useWaitingRoom": true})).await;
    c.ok("inviteToConference", json!({"peerId": "user1"})).await;
    c.event("inviteSent").await;
    let joined = c.event("newParticipantInConference").await;
    c.event("participantPresenceInWaitingRoomChanged").await;
    c.quiet().await; // no slot for someone waiting
    c.ok("setParticipantPresenceInWaitingRoom", json!({"callId": joined["peerId"], "inWaitingRoom": false})).await;
    c.event("participantPresenceInWaitingRoomChanged").await;
    assert_eq!(slot_ids(&c.event("videoMatrixChanged").await).len(), 2);
    c.ok("hangUp", json!({})).await;
    assert_eq!(c.event("appStateChanged").await["appState"], 6);
    assert_eq!(c.event("appStateChanged").await["appState"], 3);
    c.event("conferenceDeleted").await;
    assert_eq!(slot_ids(&c.event("videoMatrixChanged").await), ["#self:0"]);
}

#[tokio::test]
async fn matrix_type_and_order() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let (a, b) = three_slots(&mut c).await;

    let r = c.ok("changeVideoMatrixType", json!({"matrixType": 4})).await;
    assert_eq!(r.as_object().map(|m| m.len()), Some(3));
    let ev = c.event("videoMatrixChanged").await;
    assert_eq!(ev["matrixType"], 4);
    let big = &ev["participants"][0];
    assert!(big["width"].as_i64() > ev["participants"][1]["width"].as_i64(), "one large, the rest small: {ev}");
    // Unknown types are kept as numbers.
    c.ok("changeVideoMatrixType", json!({"matrixType": 7})).await;
    assert_eq!(c.event("videoMatrixChanged").await["matrixType"], 7);
    assert_eq!(c.ok("getVideoMatrix", json!({})).await["matrixType"], 7);
    let e = c.refused("changeVideoMatrixType", json!({"matrixType": -1})).await;
    assert_eq!(e, "parameter 'matrixType' must be >= 0 (got -1)");
    assert_eq!(c.refused("changeVideoMatrixType", json!({})).await, "parameter 'matrixType' is required");

    // changeVideoMatrix: listed slots first, by InstanceId or CallId, the rest after.
    c.ok("changeVideoMatrix", json!({"matrixType": 2, "participants": [b, "user1@some.server"]})).await;
    let ev = c.event("videoMatrixChanged").await;
    assert_eq!(ev["matrixType"], 2);
    assert_eq!(slot_ids(&ev), [b.clone(), a.clone(), "#self:0".into()]);
    let e = c.refused("changeVideoMatrix", json!({"matrixType": 1, "participants": ["nobody@x/1"]})).await;
    assert_eq!(e, "no video slot 'nobody@x/1'");
    let e = c.refused("changeVideoMatrix", json!({"matrixType": 1, "participants": [a, a]})).await;
    assert!(e.contains("listed twice"), "{e}");

    c.ok("swapVideoSlots", json!({"callId1": "#self:0", "callId2": b})).await;
    let ev = c.event("videoMatrixChanged").await;
    assert_eq!(slot_ids(&ev), ["#self:0".to_string(), a.clone(), b.clone()]);
    let e = c.refused("swapVideoSlots", json!({"callId1": a, "callId2": a})).await;
    assert_eq!(e, "callId1 and callId2 name the same slot");
    let e = c.refused("swapVideoSlots", json!({"callId1": a, "callId2": "ghost"})).await;
    assert_eq!(e, "no video slot 'ghost'");
    c.quiet().await;
}

#[tokio::test]
async fn hide_and_show_slots() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let (a, _) = three_slots(&mut c).await;
    c.ok("hideVideoSlot", json!({"callId": a})).await;
    let ev = c.event("videoMatrixChanged").await;
    assert!(!slot_ids(&ev).contains(&a));
    assert_eq!(ev["hiddenVideoSlots"], json!([{"callId": a}]));
    c.ok("hideVideoSlot", json!({"callId": "#self:0"})).await;
    assert_eq!(c.event("videoMatrixChanged").await["hiddenVideoSlots"].as_array().map(Vec::len), Some(2));
    let e = c.refused("swapVideoSlots", json!({"callId1": a, "callId2": "#self:0"})).await;
    assert!(e.contains("is hidden"), "{e}");
    c.ok("showVideoSlot", json!({"callId": a})).await;
    let ev = c.event("videoMatrixChanged").await;
    assert!(slot_ids(&ev).contains(&a));
    assert_eq!(ev["hiddenVideoSlots"], json!([{"callId": "#self:0"}]));
    assert_eq!(c.refused("showVideoSlot", json!({"callId": "ghost"})).await, "no video slot 'ghost'");
    assert_eq!(c.refused("hideVideoSlot", json!({})).await, "parameter 'callId' is required");
}

#[tokio::test]
async fn monitors_and_slots_on_them() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let (a, b) = three_slots(&mut c).await;
    let m = c.ok("getMonitorsInfo", json!({})).await;
    assert_eq!(m["currentMonitor"], 0);
    let mons = m["monitors"].as_array().expect("monitors");
    assert_eq!(mons.len(), 2);
    for (i, mon) in mons.iter().enumerate() {
        assert_eq!(mon["index"], i);
        assert_eq!(mon["primary"], i == 0);
        assert_eq!(mon["ignored"], false);
        assert!(mon["name"].is_string());
        for g in ["geomMonitor", "geomWork"] {
            for k in ["x", "y", "width", "height"] {
                assert!(mon[g][k].is_i64(), "{g}.{k}: {mon}");
            }
        }
    }
    let second = mons[1]["name"].clone();

    c.ok("moveVideoSlotToMonitor", json!({"callId": a, "monitorIndex": 1})).await;
    let moved = c.event("videoSlotMovedToMonitor").await;
    assert_eq!(
        moved,
        json!({"method": "event", "event": "videoSlotMovedToMonitor", "callId": a, "peerDn": "user1",
               "monitorDisplayName": second, "monitorIdx": 1, "monitorIsPrimary": false})
    );
    let ev = c.event("videoMatrixChanged").await;
    assert!(!slot_ids(&ev).contains(&a));
    assert_eq!(
        ev["externVideoSlots"],
        json!([{"callId": a, "peerDn": "user1", "monitorDisplayName": second, "monitorIdx": 1,
                "monitorIsPrimary": false}])
    );
    let e = c.refused("moveVideoSlotToMonitor", json!({"callId": b, "monitorIndex": 1})).await;
    assert_eq!(e, format!("monitor 1 already shows '{a}'"));
    let e = c.refused("moveVideoSlotToMonitor", json!({"callId": b, "monitorIndex": 0})).await;
    assert_eq!(e, "monitor 0 shows the main window");
    let e = c.refused("moveVideoSlotToMonitor", json!({"callId": b, "monitorIndex": 2})).await;
    assert_eq!(e, "no monitor 2 (monitors: 0..1)");
    let e = c.refused("moveVideoSlotToMonitor", json!({"callId": b, "monitorIndex": "1"})).await;
    assert_eq!(e, "parameter 'monitorIndex' must be a non-negative integer");
    let e = c.refused("hideVideoSlot", json!({"callId": a})).await;
    assert!(e.contains("removeVideoSlotFromMonitor first"), "{e}");

    c.ok("removeVideoSlotFromMonitor", json!({"monitorIndex": 1})).await;
    let removed = c.event("videoSlotRemovedFromMonitor").await;
    assert_eq!(
        removed,
        json!({"method": "event", "event": "videoSlotRemovedFromMonitor", "callId": a,
               "monitorDisplayName": second, "monitorIdx": 1, "monitorIsPrimary": false})
    );
    let ev = c.event("videoMatrixChanged").await;
    assert!(slot_ids(&ev).contains(&a));
    assert_eq!(ev["externVideoSlots"], json!([]));
    let e = c.refused("removeVideoSlotFromMonitor", json!({"monitorIndex": 1})).await;
    assert_eq!(e, "monitor 1 shows no video slot");

    // The main window moves; a slot on the monitor it lands on comes back into it.
    c.ok("moveVideoSlotToMonitor", json!({"callId": b, "monitorIndex": 1})).await;
    c.event("videoSlotMovedToMonitor").await;
    c.event("videoMatrixChanged").await;
    c.ok("changeCurrentMonitor", json!({"monitorIndex": 1})).await;
    let ev = c.event("monitorsInfoUpdated").await;
    assert_eq!(ev["currentMonitor"], 1);
    assert_eq!(ev["monitors"], m["monitors"]);
    assert_eq!(c.event("videoSlotRemovedFromMonitor").await["callId"], b.as_str());
    assert!(slot_ids(&c.event("videoMatrixChanged").await).contains(&b));
    assert_eq!(c.ok("getMonitorsInfo", json!({})).await["currentMonitor"], 1);
    c.ok("changeCurrentMonitor", json!({"monitorIndex": 0})).await;
    assert_eq!(c.event("monitorsInfoUpdated").await["currentMonitor"], 0);
    let e = c.refused("changeCurrentMonitor", json!({"monitorIndex": 5})).await;
    assert_eq!(e, "no monitor 5 (monitors: 0..1)");

    // A participant on a monitor who leaves frees it.
    c.ok("moveVideoSlotToMonitor", json!({"callId": "user1@some.server", "monitorIndex": 1})).await;
    c.event("videoSlotMovedToMonitor").await;
    c.event("videoMatrixChanged").await;
    c.ok("kickPeer", json!({"peerId": a})).await;
    c.event("participantLeftConference").await;
    assert_eq!(c.event("videoMatrixChanged").await["externVideoSlots"], json!([]));
    c.ok("moveVideoSlotToMonitor", json!({"callId": b, "monitorIndex": 1})).await;
    c.event("videoSlotMovedToMonitor").await;
}

#[tokio::test]
async fn window_state() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    for (state, on_top) in [(1, false), (2, true), (0, false)] {
        let r = c.ok("changeWindowState", json!({"windowState": state, "stayOnTop": on_top})).await;
        assert_eq!(r.as_object().map(|m| m.len()), Some(3));
        assert_eq!(
            c.event("windowStateChanged").await,
            json!({"method": "event", "event": "windowStateChanged", "windowState": state, "stayOnTop": on_top})
        );
    }
    // stayOnTop left out keeps the last value.
    c.ok("changeWindowState", json!({"windowState": 2, "stayOnTop": true})).await;
    c.event("windowStateChanged").await;
    c.ok("changeWindowState", json!({"windowState": 1})).await;
    assert_eq!(c.event("windowStateChanged").await["stayOnTop"], true);
    let e = c.refused("changeWindowState", json!({"windowState": 3, "stayOnTop": false})).await;
    assert_eq!(e, "parameter 'windowState' must be 0 (normal), 1 (minimized) or 2 (maximized); got 3");
    let e = c.refused("changeWindowState", json!({"windowState": 1, "stayOnTop": 1})).await;
    assert_eq!(e, "parameter 'stayOnTop' must be a boolean");
}
