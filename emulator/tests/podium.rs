//! The podium of role conferences, from both seats.

mod common;

use common::{create_conference, invite_joined, join_sim_conference, own_entry, room_config, start, Client};
use serde_json::{json, Value};
use tcroom_emulator::{EmulatorConfig, PodiumAnswer};

fn config() -> EmulatorConfig {
    let mut c = room_config();
    if let Some(u) = c.users.iter_mut().find(|u| u.id == "user2@some.server") {
        u.podium_answer = PodiumAnswer::Decline;
    }
    c
}

async fn entry(c: &mut Client, peer: &Value) -> Value {
    let r = c.ok("getConferenceParticipants", json!({})).await;
    r["participants"].as_array().and_then(|a| a.iter().find(|p| p["peerId"] == *peer).cloned()).expect("listed")
}

fn role_event(peer: &Value, dn: &str, role: u8, kind: u8, result: u8, broadcast: bool, conf_id: &Value) -> Value {
    json!({"method": "event", "event": "roleEventOccured", "peerId": peer, "peerDn": dn, "role": role, "type": kind,
           "result": result, "broadcast": broadcast, "confId": conf_id})
}

#[tokio::test]
async fn the_owner_invites_and_kicks() {
    let emu = start(config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let created = create_conference(&mut c, json!({"title": "t", "confType": "role", "castersCount": 3})).await;
    let conf_id = created["confId"].clone();
    let u1 = invite_joined(&mut c, "user1").await["peerId"].clone();
    let u2 = invite_joined(&mut c, "user2").await["peerId"].clone();

    let r = c.ok("inviteToPodium", json!({"peerId": u1})).await;
    assert_eq!(r.as_object().map(|m| m.len()), Some(3));
    assert_eq!(c.event("roleEventOccured").await, role_event(&u1, "user1", 1, 1, 0, true, &conf_id));
    let p = entry(&mut c, &u1).await;
    assert_eq!((p["role"].clone(), p["broadcast"].clone()), (json!(1), json!(true)));
    let e = c.refused("inviteToPodium", json!({"peerId": u1})).await;
    assert_eq!(e, format!("'{}' is already on the podium", u1.as_str().unwrap_or("")));

    c.ok("kickFromPodium", json!({"peerId": "user1@some.server"})).await;
    assert_eq!(c.event("roleEventOccured").await, role_event(&u1, "user1", 1, 3, 0, false, &conf_id));
    assert_eq!(entry(&mut c, &u1).await["broadcast"], false);
    let e = c.refused("kickFromPodium", json!({"peerId": u1})).await;
    assert_eq!(e, format!("'{}' is not on the podium", u1.as_str().unwrap_or("")));

    // user2 declines.
    c.ok("inviteToPodium", json!({"peerId": u2})).await;
    assert_eq!(c.event("roleEventOccured").await, role_event(&u2, "user2", 1, 1, 3, false, &conf_id));
    assert_eq!(entry(&mut c, &u2).await["broadcast"], false);

    let e = c.refused("inviteToPodium", json!({"peerId": "ghost@some.server/1"})).await;
    assert_eq!(e, "no participant 'ghost@some.server/1' in the conference");
    let me = own_entry(&mut c).await;
    let e = c.refused("inviteToPodium", json!({"peerId": me["peerId"]})).await;
    assert!(e.ends_with("is the room itself"), "{e}");
    assert_eq!(c.refused("kickFromPodium", json!({})).await, "parameter 'peerId' is required");
}

#[tokio::test]
async fn requests_for_the_podium() {
    let emu = start(config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let created = create_conference(&mut c, json!({"title": "t", "confType": "role", "castersCount": 2})).await;
    let conf_id = created["confId"].clone();
    let u1 = invite_joined(&mut c, "user1").await["peerId"].clone();
    let u2 = invite_joined(&mut c, "user2").await["peerId"].clone();

    let e = c.refused("acceptRequestToPodium", json!({"peerId": u1})).await;
    assert_eq!(e, format!("'{}' has not asked for the podium", u1.as_str().unwrap_or("")));
    let r = c.action("requestPodium", json!({"peerId": u1})).await;
    assert_eq!(r.as_object().map(|m| m.len()), Some(3));
    assert_eq!(c.event("roleEventOccured").await, role_event(&u1, "user1", 3, 0, 0, false, &conf_id));
    assert_eq!(entry(&mut c, &u1).await["role"], 3);
    let e = c.refused("emulator.requestPodium", json!({"peerId": u1})).await;
    assert!(e.ends_with("already asked for the podium"), "{e}");

    c.ok("acceptRequestToPodium", json!({"peerId": u1})).await;
    assert_eq!(
        c.event("incomingRequestToPodiumAnswered").await,
        json!({"method": "event", "event": "incomingRequestToPodiumAnswered", "peerId": u1, "allow": true,
               "confId": conf_id})
    );
    assert_eq!(c.event("roleEventOccured").await, role_event(&u1, "user1", 1, 1, 0, true, &conf_id));
    let p = entry(&mut c, &u1).await;
    assert_eq!((p["role"].clone(), p["broadcast"].clone()), (json!(1), json!(true)));

    c.action("requestPodium", json!({"peerId": u2})).await;
    c.event("roleEventOccured").await;
    // Two seats, both taken (the room and user1): accepting is refused, rejecting is fine.
    let e = c.refused("acceptRequestToPodium", json!({"peerId": u2})).await;
    assert_eq!(e, "the podium is full (2 of 2 seats taken)");
    c.ok("rejectRequestToPodium", json!({"peerId": u2})).await;
    let ev = c.event("incomingRequestToPodiumAnswered").await;
    assert_eq!((ev["peerId"].clone(), ev["allow"].clone()), (u2.clone(), json!(false)));
    c.quiet().await;
    let p = entry(&mut c, &u2).await;
    assert_eq!((p["role"].clone(), p["broadcast"].clone()), (json!(1), json!(false)));
    let e = c.refused("inviteToPodium", json!({"peerId": u2})).await;
    assert_eq!(e, "the podium is full (2 of 2 seats taken)");
}

#[tokio::test]
async fn the_owner_leaves_and_takes_the_podium() {
    let emu = start(config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let created = create_conference(&mut c, json!({"title": "t", "confType": "role"})).await;
    let conf_id = created["confId"].clone();
    let me = own_entry(&mut c).await;
    assert_eq!(me["broadcast"], true, "the owner starts on the podium");
    let e = c.refused("gotoPodium", json!({})).await;
    assert_eq!(e, "the room is already on the podium");
    c.ok("leavePodium", json!({})).await;
    assert_eq!(c.event("roleEventOccured").await, role_event(&me["peerId"], "Room", 2, 3, 0, false, &conf_id));
    assert_eq!(own_entry(&mut c).await["broadcast"], false);
    assert_eq!(c.refused("leavePodium", json!({})).await, "the room is not on the podium");
    c.ok("gotoPodium", json!({})).await;
    assert_eq!(c.event("roleEventOccured").await, role_event(&me["peerId"], "Room", 2, 1, 0, true, &conf_id));
    assert_eq!(own_entry(&mut c).await["broadcast"], true);
    let e = c.refused("acceptInvitationToPodium", json!({})).await;
    assert_eq!(e, "no podium invitation to accept");
    let e = c.refused("emulator.invitePodium", json!({})).await;
    assert_eq!(e, "the room owns this conference: nobody can invite it to the podium");
}

#[tokio::test]
async fn the_room_as_a_participant_invited_by_the_owner() {
    let emu = start(config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let e = c.refused("emulator.invitePodium", json!({})).await;
    assert_eq!(e, "not in a conference (appState 3)");
    let created = join_sim_conference(&mut c, "demo").await;
    let conf_id = created["confId"].clone();
    let me = own_entry(&mut c).await["peerId"].clone();

    let r = c.action("invitePodium", json!({})).await;
    assert_eq!(r.as_object().map(|m| m.len()), Some(3));
    assert_eq!(c.event("roleEventOccured").await, role_event(&me, "Room", 4, 0, 0, false, &conf_id));
    assert_eq!(own_entry(&mut c).await["role"], 4);
    let e = c.refused("emulator.invitePodium", json!({})).await;
    assert_eq!(e, "the room is already invited to the podium");
    c.ok("acceptInvitationToPodium", json!({})).await;
    assert_eq!(
        c.event("incomingPodiumInvitationRemoved").await,
        json!({"method": "event", "event": "incomingPodiumInvitationRemoved", "confId": conf_id, "reason": 0})
    );
    assert_eq!(c.event("roleEventOccured").await, role_event(&me, "Room", 1, 1, 0, true, &conf_id));
    let mine = own_entry(&mut c).await;
    assert_eq!((mine["role"].clone(), mine["broadcast"].clone()), (json!(1), json!(true)));

    c.ok("leavePodium", json!({})).await;
    assert_eq!(c.event("roleEventOccured").await, role_event(&me, "Room", 1, 3, 0, false, &conf_id));
    c.action("invitePodium", json!({})).await;
    c.event("roleEventOccured").await;
    c.ok("rejectInvitationToPodium", json!({})).await;
    assert_eq!(c.event("incomingPodiumInvitationRemoved").await["reason"], 1);
    c.quiet().await;
    assert_eq!(own_entry(&mut c).await["broadcast"], false);
    assert_eq!(c.refused("rejectInvitationToPodium", json!({})).await, "no podium invitation to reject");

    // Asking the owner, who accepts.
    c.ok("gotoPodium", json!({})).await;
    assert_eq!(c.event("roleEventOccured").await, role_event(&me, "Room", 3, 0, 0, false, &conf_id));
    assert_eq!(c.event("roleEventOccured").await, role_event(&me, "Room", 1, 1, 0, true, &conf_id));
    // Moderator commands are the owner's.
    let boss = json!("boss@some.server");
    let e = c.refused("inviteToPodium", json!({"peerId": boss})).await;
    assert_eq!(e, "inviteToPodium is for the conference owner (boss@some.server owns this one)");
    let e = c.refused("emulator.requestPodium", json!({"peerId": boss})).await;
    assert_eq!(e, "a podium request is for the conference owner (boss@some.server owns this one)");
}

#[tokio::test]
async fn an_owner_who_declines_and_settings_that_skip_the_question() {
    let mut cfg = config();
    if let Some(u) = cfg.users.iter_mut().find(|u| u.id == "boss@some.server") {
        u.podium_answer = PodiumAnswer::Decline;
    }
    let emu = start(cfg).await;
    let mut c = Client::connect_authed(&emu).await;
    let created = join_sim_conference(&mut c, "demo").await;
    let me = own_entry(&mut c).await["peerId"].clone();
    c.ok("gotoPodium", json!({})).await;
    c.event("roleEventOccured").await;
    assert_eq!(c.event("roleEventOccured").await, role_event(&me, "Room", 1, 1, 3, false, &created["confId"]));

    c.ok("setSettings", json!({"settings": {"autoAcceptPodiumFromOwner": true}})).await;
    c.event("settingsChanged").await;
    c.action("invitePodium", json!({})).await;
    assert_eq!(c.event("roleEventOccured").await["role"], 4);
    assert_eq!(c.event("incomingPodiumInvitationRemoved").await["reason"], 0);
    assert_eq!(c.event("roleEventOccured").await["broadcast"], true);
}

#[tokio::test]
async fn auto_allow_puts_askers_on_the_podium() {
    let emu = start(config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let created = create_conference(&mut c, json!({"title": "t", "confType": "role", "castersCount": 2})).await;
    let u1 = invite_joined(&mut c, "user1").await["peerId"].clone();
    c.ok("setSettings", json!({"settings": {"autoAllowPartToTakePodium": true}})).await;
    c.event("settingsChanged").await;
    c.action("requestPodium", json!({"peerId": u1})).await;
    assert_eq!(c.event("roleEventOccured").await, role_event(&u1, "user1", 1, 1, 0, true, &created["confId"]));
}

#[tokio::test]
async fn only_role_conferences_have_a_podium() {
    let emu = start(config()).await;
    let mut c = Client::connect_authed(&emu).await;
    assert_eq!(c.refused("gotoPodium", json!({})).await, "not in a conference (appState 3)");
    create_conference(&mut c, json!({"title": "t", "confType": "symmetric"})).await;
    let u1 = invite_joined(&mut c, "user1").await["peerId"].clone();
    let want = "the podium exists in role conferences only (this one has confType 1)";
    assert_eq!(c.refused("inviteToPodium", json!({"peerId": u1})).await, want);
    assert_eq!(c.refused("emulator.requestPodium", json!({"peerId": u1})).await, want);
    assert_eq!(c.refused("gotoPodium", json!({})).await, want);
    assert_eq!(c.refused("leavePodium", json!({})).await, want);
}

#[tokio::test]
async fn smart_meetings_move_the_podium_themselves() {
    let emu = start(config()).await;
    let mut c = Client::connect_authed(&emu).await;
    create_conference(&mut c, json!({"title": "t", "confType": "role", "smartMeeting": true, "castersCount": 4})).await;
    let u1 = invite_joined(&mut c, "user1").await["peerId"].clone();
    let e = c.refused("inviteToPodium", json!({"peerId": u1})).await;
    assert_eq!(e, "inviteToPodium is unavailable in a smart meeting (the podium follows the speaker)");
}
