//! Calls both ways, simulated conferences, join requests, expanding a call, the call history.

mod common;

use std::time::Duration;

use common::{create_conference, join_sim_conference, own_entry, room_config, start, Client};
use serde_json::{json, Value};
use tcroom_emulator::{Answer, CreatedOrder, EmulatorConfig, SimUser};

fn config_with(users: Vec<SimUser>) -> EmulatorConfig {
    let mut c = room_config();
    c.users.extend(users);
    c.ring_time = Duration::from_millis(100);
    c
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().map(|p| p["peerId"].as_str().unwrap_or("").to_string()).collect()).unwrap_or_default()
}

/// Calls user1 (who answers at once) and returns (inviteSent, conferenceCreated).
async fn call_user1(c: &mut Client) -> (Value, Value) {
    let r = c.ok("call", json!({"peerId": "user1"})).await;
    assert_eq!(r.as_object().map(|m| m.len()), Some(3), "accepted-only reply: {r}");
    let sent = c.event("inviteSent").await;
    assert_eq!(c.event("appStateChanged").await["appState"], 4);
    assert_eq!(c.event("appStateChanged").await["appState"], 5);
    let created = c.event("conferenceCreated").await;
    c.event("videoMatrixChanged").await;
    (sent, created)
}

#[tokio::test]
async fn outgoing_call_answered_then_hung_up() {
    let emu = start(config_with(vec![])).await;
    let mut c = Client::connect_authed(&emu).await;
    let (sent, created) = call_user1(&mut c).await;
    let conf_id = sent["confId"].clone();
    assert_eq!(
        sent,
        json!({"method": "event", "event": "inviteSent", "peerId": "user1@some.server", "peerDn": "user1",
               "confType": 0, "confId": conf_id})
    );
    assert_eq!(created["confType"], 0);
    assert_eq!(created["peerId"], "user1@some.server");
    assert_eq!(created["confId"], conf_id);
    assert_eq!(created["conferenceOwner"], "room@some.server");
    assert_eq!(created["isSmartMeeting"], false);
    assert!(created.get("confTitle").is_some() && created.get("joinUrl").is_some());
    assert_eq!(c.ok("getAppState", json!({})).await["appState"], 5);
    let r = c.ok("getConferenceParticipants", json!({})).await;
    assert_eq!(r["confId"], conf_id);
    let ps = ids(&r["participants"]);
    assert_eq!(ps.len(), 2);
    assert!(ps[1].starts_with("user1@some.server/"), "{ps:?}");
    let m = c.ok("getVideoMatrix", json!({})).await;
    assert_eq!(ids(&m["participants"]), ["#self:0".to_string(), ps[1].clone()]);

    let r = c.ok("hangUp", json!({"forAll": false})).await;
    assert_eq!(r.as_object().map(|m| m.len()), Some(3));
    assert_eq!(c.event("appStateChanged").await["appState"], 6);
    assert_eq!(c.event("appStateChanged").await["appState"], 3);
    assert_eq!(c.event("conferenceDeleted").await["confId"], conf_id);
    assert_eq!(ids(&c.event("videoMatrixChanged").await["participants"]), ["#self:0"]);
    c.quiet().await;
}

#[tokio::test]
async fn conference_created_first_applies_to_calls_too() {
    let emu = start(EmulatorConfig { created_order: CreatedOrder::ConferenceCreatedFirst, ..room_config() }).await;
    let mut c = Client::connect_authed(&emu).await;
    c.ok("call", json!({"peerId": "user1@some.server"})).await;
    c.event("inviteSent").await;
    assert_eq!(c.event("appStateChanged").await["appState"], 4);
    assert_eq!(c.event("conferenceCreated").await["confType"], 0);
    assert_eq!(c.event("appStateChanged").await["appState"], 5);
}

#[tokio::test]
async fn outgoing_call_declined_or_unanswered() {
    let emu = start(config_with(vec![
        SimUser::new("busy@some.server", Answer::Reject { cause: 2, delay: Duration::ZERO }),
        SimUser::new("silent@some.server", Answer::NoAnswer),
    ]))
    .await;
    let mut c = Client::connect_authed(&emu).await;
    c.ok("call", json!({"peerId": "busy"})).await;
    let sent = c.event("inviteSent").await;
    assert_eq!(c.event("appStateChanged").await["appState"], 4);
    assert_eq!(
        c.event("rejectReceived").await,
        json!({"method": "event", "event": "rejectReceived", "peerId": "busy@some.server", "peerDn": "busy",
               "cause": 2, "confId": sent["confId"]})
    );
    assert_eq!(c.event("appStateChanged").await["appState"], 3);

    // Nobody answers: after the ring time, cause 16.
    c.ok("call", json!({"peerId": "silent@some.server"})).await;
    c.event("inviteSent").await;
    assert_eq!(c.event("appStateChanged").await["appState"], 4);
    let r = c.event("rejectReceived").await;
    assert_eq!((r["peerId"].clone(), r["cause"].clone()), (json!("silent@some.server"), json!(16)));
    assert_eq!(c.event("appStateChanged").await["appState"], 3);
    c.quiet().await;
}

#[tokio::test]
async fn hanging_up_while_ringing_stops_the_call() {
    let emu = start(config_with(vec![SimUser::new("silent@some.server", Answer::NoAnswer)])).await;
    let mut c = Client::connect_authed(&emu).await;
    c.ok("call", json!({"peerId": "silent"})).await;
    c.event("inviteSent").await;
    c.event("appStateChanged").await;
    let e = c.refused("call", json!({"peerId": "user1"})).await;
    assert_eq!(e, "cannot call in appState 4 (needs 3: normal)");
    let e = c.refused("accept", json!({})).await;
    assert_eq!(e, "nothing to accept: the room is calling out, not being called");
    c.ok("hangUp", json!({})).await;
    assert_eq!(
        c.event("stopCalling").await,
        json!({"method": "event", "event": "stopCalling", "peerId": "silent@some.server", "side": 0})
    );
    assert_eq!(c.event("appStateChanged").await["appState"], 3);
    // The ring time (100 ms) passes: its timer must not fire for a call that is gone.
    tokio::time::sleep(Duration::from_millis(250)).await;
    c.quiet().await;
}

#[tokio::test]
async fn call_refusals() {
    let mut tariff = tcroom_emulator::default_tariff();
    tariff["p2p"] = json!(false);
    let emu = start(EmulatorConfig { tariff, ..room_config() }).await;
    let mut c = Client::connect_authed(&emu).await;
    assert_eq!(c.refused("call", json!({})).await, "parameter 'peerId' is required");
    assert_eq!(c.refused("call", json!({"peerId": " "})).await, "parameter 'peerId' must not be empty");
    assert_eq!(c.refused("call", json!({"peerId": "room"})).await, "cannot call yourself");
    assert_eq!(c.refused("call", json!({"peerId": "user1"})).await, "the tariff does not allow calls (p2p is false)");
    assert_eq!(c.refused("call", json!({"peerId": "user1", "pin": 5})).await, "parameter 'pin' must be a string");
    assert_eq!(c.refused("accept", json!({})).await, "nothing to accept: no incoming call (appState 3)");
    assert_eq!(c.refused("reject", json!({})).await, "nothing to reject: no incoming call (appState 3)");
    assert_eq!(c.refused("hangUp", json!({})).await, "not in a conference (appState 3)");
}

#[tokio::test]
async fn the_other_side_hangs_up() {
    let emu = start(config_with(vec![])).await;
    let mut c = Client::connect_authed(&emu).await;
    let (_, created) = call_user1(&mut c).await;
    let e = c.refused("emulator.remoteHangUp", json!({"peerId": "user2"})).await;
    assert_eq!(e, "'user2' is not the other side of this call (user1@some.server)");
    let r = c.action("remoteHangUp", json!({"peerId": "user1"})).await;
    assert_eq!(r.as_object().map(|m| m.len()), Some(3));
    assert_eq!(c.event("appStateChanged").await["appState"], 6);
    assert_eq!(c.event("appStateChanged").await["appState"], 3);
    assert_eq!(c.event("conferenceDeleted").await["confId"], created["confId"]);
    c.event("videoMatrixChanged").await;
    let e = c.refused("emulator.remoteHangUp", json!({})).await;
    assert_eq!(e, "not in a conference (appState 3)");
}

#[tokio::test]
async fn incoming_call_accepted() {
    let emu = start(config_with(vec![])).await;
    let mut c = Client::connect_authed(&emu).await;
    let mut other = Client::connect(&emu).await;
    other.ok("auth", json!({"type": "unsecured", "role": "user"})).await;
    let ringing = c.action("incomingCall", json!({"peerId": "user2"})).await;
    assert_eq!(ringing["peerId"], "user2@some.server");
    let inv = c.event("inviteReceived").await;
    assert_eq!(
        inv,
        json!({"method": "event", "event": "inviteReceived", "peerId": "user2@some.server", "peerDn": "user2",
               "type": 0})
    );
    assert_eq!(c.event("appStateChanged").await["appState"], 4);
    assert_eq!(other.event("inviteReceived").await["peerId"], "user2@some.server");
    assert_eq!(other.event("appStateChanged").await["appState"], 4);
    let e = c.refused("emulator.incomingCall", json!({"peerId": "user1"})).await;
    assert_eq!(e, "the room is busy (appState 4): a caller would get cause 2");

    let r = c.ok("accept", json!({})).await;
    assert_eq!(r.as_object().map(|m| m.len()), Some(3));
    assert_eq!(c.event("appStateChanged").await["appState"], 5);
    let created = c.event("conferenceCreated").await;
    assert_eq!(created["confType"], 0);
    assert_eq!(created["peerId"], "user2@some.server");
    assert_eq!(created["confId"], ringing["confId"]);
    assert_eq!(created["conferenceOwner"], "user2@some.server");
    let m = c.event("videoMatrixChanged").await;
    assert_eq!(ids(&m["participants"]).len(), 2);
    assert_eq!(own_entry(&mut c).await["role"], 1);
    assert_eq!(c.refused("accept", json!({})).await, "nothing to accept: no incoming call (appState 5)");
}

#[tokio::test]
async fn incoming_call_rejected_cancelled_or_missed() {
    let emu = start(config_with(vec![])).await;
    let mut c = Client::connect_authed(&emu).await;
    let r = c.action("incomingCall", json!({"peerId": "user1@some.server"})).await;
    c.event("inviteReceived").await;
    c.event("appStateChanged").await;
    c.ok("reject", json!({})).await;
    assert_eq!(
        c.event("rejectSent").await,
        json!({"method": "event", "event": "rejectSent", "peerId": "user1@some.server", "peerDn": "user1",
               "cause": 0, "confId": r["confId"]})
    );
    assert_eq!(c.event("appStateChanged").await["appState"], 3);

    c.action("incomingCall", json!({"peerId": "user2"})).await;
    c.event("inviteReceived").await;
    c.event("appStateChanged").await;
    let e = c.refused("emulator.cancelCall", json!({"peerId": "user1"})).await;
    assert_eq!(e, "'user1' is not calling the room (user2@some.server is)");
    c.action("cancelCall", json!({"peerId": "user2"})).await;
    assert_eq!(
        c.event("stopCalling").await,
        json!({"method": "event", "event": "stopCalling", "peerId": "user2@some.server", "side": 1})
    );
    assert_eq!(c.event("appStateChanged").await["appState"], 3);
    let e = c.refused("emulator.cancelCall", json!({})).await;
    assert_eq!(e, "nothing to cancel: no incoming call (appState 3)");

    // Nobody answers: the caller gives up after the ring time.
    c.action("incomingCall", json!({"peerId": "boss"})).await;
    c.event("inviteReceived").await;
    c.event("appStateChanged").await;
    assert_eq!(c.event("stopCalling").await["side"], 1);
    assert_eq!(c.event("appStateChanged").await["appState"], 3);

    // hangUp while being called declines.
    c.action("incomingCall", json!({"peerId": "user1"})).await;
    c.event("inviteReceived").await;
    c.event("appStateChanged").await;
    c.ok("hangUp", json!({})).await;
    assert_eq!(c.event("rejectSent").await["cause"], 0);
    assert_eq!(c.event("appStateChanged").await["appState"], 3);

    let e = c.refused("emulator.incomingCall", json!({"peerId": "user1", "confType": 4})).await;
    assert_eq!(e, "parameter 'confType' must be 0..3 (got 4)");
    assert_eq!(c.refused("emulator.incomingCall", json!({"peerId": "room"})).await, "the room cannot call itself");
    let e = c.refused("emulator.incomingCall", json!({"peerId": "user1", "pin": "1"})).await;
    assert_eq!(e, "unknown parameter 'pin' (allowed: peerId, confType, title)");
}

#[tokio::test]
async fn invitation_into_a_group_conference() {
    let emu = start(config_with(vec![])).await;
    let mut c = Client::connect_authed(&emu).await;
    let r = c.action("incomingCall", json!({"peerId": "boss", "confType": 3, "title": "Board"})).await;
    let conf_id = r["confId"].clone();
    assert_eq!(
        c.event("inviteReceived").await,
        json!({"method": "event", "event": "inviteReceived", "peerId": "boss@some.server", "peerDn": "boss",
               "type": 3, "confTitle": "Board", "confId": conf_id})
    );
    c.event("appStateChanged").await;
    c.ok("accept", json!({})).await;
    assert_eq!(c.event("appStateChanged").await["appState"], 5);
    let created = c.event("conferenceCreated").await;
    assert_eq!(
        (created["confType"].clone(), created["confId"].clone(), created["confTitle"].clone()),
        (json!(3), conf_id, json!("Board"))
    );
    assert_eq!(created["conferenceOwner"], "boss@some.server");
    c.event("videoMatrixChanged").await;
    let r = c.ok("getConferenceParticipants", json!({})).await;
    let owner = r["participants"].as_array().and_then(|a| a.iter().find(|p| p["role"] == 2).cloned());
    let owner = owner.expect("an owner");
    assert!(owner["peerId"].as_str().unwrap_or("").starts_with("boss@some.server/"));
    assert_eq!(owner["broadcast"], true);
    // Not ours: no ending it for everyone, no moderator commands.
    let e = c.refused("hangUp", json!({"forAll": true})).await;
    assert_eq!(e, "only the owner can end the conference for everyone (boss@some.server owns it)");
    let e = c.refused("inviteToConference", json!({"peerId": "user1"})).await;
    assert_eq!(e, "inviteToConference is for the conference owner (boss@some.server owns this one)");
    c.ok("hangUp", json!({})).await;
    assert_eq!(c.event("appStateChanged").await["appState"], 6);
}

#[tokio::test]
async fn joining_simulated_conferences_with_and_without_pin() {
    let emu = start(config_with(vec![])).await;
    let mut c = Client::connect_authed(&emu).await;
    c.ok("call", json!({"peerId": "locked"})).await;
    assert_eq!(c.event("appStateChanged").await["appState"], 4);
    let r = c.event("rejectReceived").await;
    assert_eq!((r["cause"].clone(), r["peerDn"].clone()), (json!(12), json!("Locked")));
    assert_eq!(c.event("appStateChanged").await["appState"], 3);
    c.ok("call", json!({"peerId": "locked", "pin": "0000"})).await;
    c.event("appStateChanged").await;
    assert_eq!(c.event("rejectReceived").await["cause"], 13);
    c.event("appStateChanged").await;

    c.ok("call", json!({"peerId": "\\c\\locked", "pin": "4321"})).await;
    assert_eq!(c.event("appStateChanged").await["appState"], 4);
    assert_eq!(c.event("appStateChanged").await["appState"], 5);
    let created = c.event("conferenceCreated").await;
    assert_eq!(created["confType"], 3);
    assert_eq!(created["conferenceOwner"], "boss@some.server");
    assert_eq!(created["confTitle"], "Locked");
    assert_eq!(created["confId"], "locked@some.server#vcs");
    let m = c.event("videoMatrixChanged").await;
    assert!(ids(&m["participants"])[1].starts_with("boss@some.server/"));
    let me = own_entry(&mut c).await;
    assert_eq!((me["role"].clone(), me["broadcast"].clone()), (json!(1), json!(false)));

    // The owner ends it.
    c.action("remoteHangUp", json!({})).await;
    assert_eq!(c.event("appStateChanged").await["appState"], 6);
    assert_eq!(c.event("appStateChanged").await["appState"], 3);
    assert_eq!(c.event("conferenceDeleted").await["confId"], "locked@some.server#vcs");
    c.event("videoMatrixChanged").await;

    // By confId, a symmetric one.
    let created = join_sim_conference(&mut c, "sym@some.server#vcs").await;
    assert_eq!(created["confType"], 1);
}

#[tokio::test]
async fn join_requests_accepted_rejected_and_auto_accepted() {
    let emu = start(config_with(vec![])).await;
    let mut c = Client::connect_authed(&emu).await;
    let e = c.refused("emulator.requestJoin", json!({"peerId": "user1"})).await;
    assert_eq!(e, "not in a conference (appState 3)");
    let created = create_conference(&mut c, json!({"title": "t", "confType": "symmetric"})).await;
    let conf_id = created["confId"].clone();

    let r = c.action("requestJoin", json!({"peerId": "user1"})).await;
    let inst = r["peerId"].clone();
    assert!(inst.as_str().unwrap_or("").starts_with("user1@some.server/"), "{r}");
    assert_eq!(
        c.event("requestInviteReceived").await,
        json!({"method": "event", "event": "requestInviteReceived", "peerId": inst, "peerDn": "user1",
               "confId": conf_id})
    );
    let e = c.refused("emulator.requestJoin", json!({"peerId": "user1"})).await;
    assert_eq!(e, "user1@some.server already asked to join");
    let r = c.ok("acceptPeer", json!({"peerId": inst})).await;
    assert_eq!(r.as_object().map(|m| m.len()), Some(3));
    let joined = c.event("newParticipantInConference").await;
    assert_eq!(joined["peerId"], inst);
    assert_eq!(
        c.event("peerAccepted").await,
        json!({"method": "event", "event": "peerAccepted", "peerId": inst, "peerDn": "user1", "confId": conf_id})
    );
    assert!(ids(&c.event("videoMatrixChanged").await["participants"]).contains(&inst.as_str().unwrap_or("").into()));
    let e = c.refused("acceptPeer", json!({"peerId": inst})).await;
    assert_eq!(e, format!("no join request from '{}'", inst.as_str().unwrap_or("")));

    let r = c.action("requestJoin", json!({"peerId": "user2"})).await;
    c.event("requestInviteReceived").await;
    c.ok("rejectPeer", json!({"peerId": "user2@some.server"})).await;
    assert_eq!(
        c.event("rejectSent").await,
        json!({"method": "event", "event": "rejectSent", "peerId": r["peerId"], "peerDn": "user2", "cause": 0,
               "confId": conf_id})
    );
    assert_eq!(c.refused("rejectPeer", json!({"peerId": "ghost"})).await, "no join request from 'ghost'");
    assert_eq!(c.refused("acceptPeer", json!({})).await, "parameter 'peerId' is required");
    let r = c.ok("getConferenceParticipants", json!({})).await;
    assert_eq!(r["participants"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn auto_accept_lets_askers_in() {
    let emu = start(config_with(vec![])).await;
    let mut c = Client::connect_authed(&emu).await;
    create_conference(&mut c, json!({"title": "t", "confType": "role", "autoAccept": true})).await;
    let r = c.action("requestJoin", json!({"peerId": "user1"})).await;
    assert_eq!(c.event("newParticipantInConference").await["peerId"], r["peerId"]);
    c.event("videoMatrixChanged").await;
    c.quiet().await;
}

#[tokio::test]
async fn join_requests_need_the_rooms_own_group_conference() {
    let emu = start(config_with(vec![])).await;
    let mut c = Client::connect_authed(&emu).await;
    call_user1(&mut c).await;
    let e = c.refused("emulator.requestJoin", json!({"peerId": "user2"})).await;
    assert_eq!(e, "a join request needs a group conference (this is a p2p call)");
    let e = c.refused("acceptPeer", json!({"peerId": "user2"})).await;
    assert_eq!(e, "acceptPeer needs a group conference (this is a p2p call)");
}

#[tokio::test]
async fn expanding_a_call_into_a_conference() {
    let emu = start(config_with(vec![])).await;
    let mut c = Client::connect_authed(&emu).await;
    let e = c.refused("expandCallToMulti", json!({"title": "x"})).await;
    assert_eq!(e, "expandCallToMulti needs a p2p call (appState 3)");
    let (_, call) = call_user1(&mut c).await;
    let before = c.ok("getConferenceParticipants", json!({})).await;
    let r = c.ok("expandCallToMulti", json!({"title": "Escalation", "inviteList": ["user2@some.server"]})).await;
    assert_eq!(r.as_object().map(|m| m.len()), Some(3));
    let created = c.event("conferenceCreated").await;
    assert_eq!(created["confType"], 1);
    assert_eq!(created["confTitle"], "Escalation");
    assert_eq!(created["conferenceOwner"], "room@some.server");
    assert_ne!(created["confId"], call["confId"]);
    let sent = c.event("inviteSent").await;
    assert_eq!((sent["peerId"].clone(), sent["confType"].clone()), (json!("user2@some.server"), json!(1)));
    assert_eq!(sent["confId"], created["confId"]);
    let joined = c.event("newParticipantInConference").await;
    assert!(joined["peerId"].as_str().unwrap_or("").starts_with("user2@some.server/"));
    c.event("videoMatrixChanged").await;

    let r = c.ok("getConferenceParticipants", json!({})).await;
    assert_eq!(r["confId"], created["confId"]);
    let ps = r["participants"].as_array().cloned().unwrap_or_default();
    assert_eq!(ps.len(), 3);
    assert_eq!(ps[0]["peerId"], before["participants"][0]["peerId"], "the room keeps its InstanceId");
    assert_eq!(ps[0]["role"], 2);
    assert_eq!(ps[1]["peerId"], before["participants"][1]["peerId"], "the other side is kept");
    assert_eq!(ps[1]["role"], 1);
    let e = c.refused("expandCallToMulti", json!({"title": "again"})).await;
    assert_eq!(e, "expandCallToMulti needs a p2p call (this is a group conference)");
    c.ok("hangUp", json!({"forAll": true})).await;
    c.event("appStateChanged").await;
    c.event("appStateChanged").await;
    assert_eq!(c.event("conferenceDeleted").await["confId"], created["confId"]);
}

#[tokio::test]
async fn the_call_history_has_every_call_newest_first() {
    let emu = start(config_with(vec![])).await;
    let mut c = Client::connect_authed(&emu).await;
    let r = c.ok("getCallHistory", json!({"count": 10})).await;
    assert_eq!((r["calls"].clone(), r["lastView"].clone()), (json!([]), json!(0)));

    let (_, call) = call_user1(&mut c).await; // outgoing call
    c.ok("hangUp", json!({})).await;
    for _ in 0..4 {
        c.recv().await;
    }
    c.action("incomingCall", json!({"peerId": "user2"})).await; // missed
    c.event("inviteReceived").await;
    c.event("appStateChanged").await;
    c.action("cancelCall", json!({})).await;
    c.event("stopCalling").await;
    c.event("appStateChanged").await;
    let conf = join_sim_conference(&mut c, "demo").await; // outgoing, group

    let r = c.ok("getCallHistory", json!({"count": 10})).await;
    let calls = r["calls"].as_array().cloned().unwrap_or_default();
    assert_eq!(calls.len(), 3);
    let (group, missed, out) = (&calls[0], &calls[1], &calls[2]);
    assert_eq!((group["type"].clone(), group["confType"].clone()), (json!(1), json!(1)));
    assert_eq!((group["confId"].clone(), group["confTitle"].clone()), (conf["confId"].clone(), json!("Demo")));
    assert_eq!((missed["type"].clone(), missed["viewed"].clone()), (json!(2), json!(false)));
    assert_eq!((missed["peerId"].clone(), missed["peerDn"].clone()), (json!("user2@some.server"), json!("user2")));
    assert!(missed.get("confId").is_none(), "group fields only for group calls: {missed}");
    assert_eq!(
        (out["type"].clone(), out["confType"].clone(), out["viewed"].clone()),
        (json!(1), json!(0), json!(true))
    );
    assert_eq!(out["peerId"], "user1@some.server");
    assert_eq!(out["streamId"], call["confId"]);
    for k in ["startTime", "duration"] {
        assert!(out[k].is_u64(), "{k}: {out}");
    }
    assert!(r["lastView"].as_u64().unwrap_or(0) > 0, "the time of the first look: {r}");

    // Looking counts as viewing; count limits.
    let r = c.ok("getCallHistory", json!({"count": 2})).await;
    let calls = r["calls"].as_array().cloned().unwrap_or_default();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[1]["viewed"], true);
    assert_eq!(c.ok("getCallHistory", json!({"count": 0})).await["calls"], json!([]));
    assert_eq!(c.refused("getCallHistory", json!({})).await, "parameter 'count' is required");
    let e = c.refused("getCallHistory", json!({"count": -1})).await;
    assert_eq!(e, "parameter 'count' must be a non-negative integer");
}
