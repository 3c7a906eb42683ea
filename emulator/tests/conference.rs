//! createConference and the commands and notifications around it.

mod common;

use std::time::Duration;

use common::{start, Client};
use serde_json::{json, Value};
use tcroom_emulator::{Answer, CreatedOrder, EmulatorConfig, SimUser};

fn directory() -> EmulatorConfig {
    let mut moderator = SimUser::new("boss@some.server", Answer::Join { delay: Duration::ZERO });
    moderator.moderator = true;
    EmulatorConfig {
        users: vec![
            SimUser::new("user1@some.server", Answer::Join { delay: Duration::from_millis(5) }),
            SimUser::new("user2@some.server", Answer::Reject { cause: 2, delay: Duration::from_millis(5) }),
            SimUser::new("silent@some.server", Answer::NoAnswer),
            moderator,
        ],
        ..Default::default()
    }
}

/// Creates a conference and consumes reply, appStateChanged and conferenceCreated.
async fn create(c: &mut Client, params: Value) -> Value {
    let r = c.request("createConference", params).await;
    assert_eq!(r["result"], true, "{r}");
    assert_eq!(r.as_object().map(|m| m.len()), Some(3), "accepted-only reply: {r}");
    let st = c.event("appStateChanged").await;
    assert_eq!(st["appState"], 5);
    c.event("conferenceCreated").await
}

#[tokio::test]
async fn create_conference_full_flow_in_order() {
    let emu = start(directory()).await;
    let mut c = Client::connect_authed(&emu).await;
    let created = create(
        &mut c,
        json!({"title": "Daily", "confType": "role", "castersCount": 2, "inviteList": ["user1", "user2@some.server"]}),
    )
    .await;
    let conf_id = created["confId"].as_str().expect("confId").to_string();
    assert!(conf_id.ends_with("@some.server#vcs"), "{conf_id}");
    assert_eq!(created["confTitle"], "Daily");
    assert_eq!(created["confType"], 3);
    assert_eq!(created["conferenceOwner"], "room@some.server");
    assert_eq!(created["isSmartMeeting"], false);
    assert_eq!(created["isWaitingRoomSwitchingSupported"], true);
    assert_eq!(created["isWaitingRoomEnabled"], false);
    assert_eq!(created["maxParticipants"], 900);
    assert_eq!(created["maxParticipantsOnPodium"], 2);
    assert_eq!(created["peerId"], "");
    let hex = conf_id.split('@').next().unwrap_or_default();
    assert_eq!(created["joinUrl"], format!("http://some.server/c/{hex}"));
    assert!(created["realTimeConferenceManagmentUrl"].is_string());

    let s1 = c.event("inviteSent").await;
    assert_eq!(
        s1,
        json!({"method": "event", "event": "inviteSent", "peerId": "user1@some.server", "peerDn": "user1",
               "confType": 3, "confId": conf_id})
    );
    let s2 = c.event("inviteSent").await;
    assert_eq!(s2["peerId"], "user2@some.server");

    // The two answers race on their timers; take them in either order. The join also adds a
    // video slot (PROTOCOL.md §10), announced right after it.
    let (mut joined, mut rejected, mut matrix) = (None, None, None);
    while joined.is_none() || rejected.is_none() || matrix.is_none() {
        let v = c.recv().await;
        match v["event"].as_str() {
            Some("newParticipantInConference") => joined = Some(v),
            Some("videoMatrixChanged") if joined.is_some() => matrix = Some(v),
            Some("rejectReceived") => rejected = Some(v),
            _ => panic!("unexpected {v}"),
        }
    }
    let joined = joined.expect("user1 joined");
    let peer = joined["peerId"].as_str().expect("peerId").to_string();
    assert!(peer.starts_with("user1@some.server/") && peer.len() == "user1@some.server/".len() + 8, "{peer}");
    assert_eq!(joined["peerDn"], "user1");
    assert_eq!(
        (joined["mic"].clone(), joined["video"].clone(), joined["role"].clone()),
        (json!(2), json!(2), json!(1))
    );
    assert_eq!(joined["broadcast"], false);
    assert_eq!(joined["isInWaitingRoom"], false);
    assert_eq!(joined["confId"], conf_id.as_str());
    assert_eq!(
        rejected.expect("user2 rejected"),
        json!({"method": "event", "event": "rejectReceived", "peerId": "user2@some.server", "peerDn": "user2",
               "cause": 2, "confId": conf_id})
    );

    let r = c.request("getConferenceParticipants", json!({})).await;
    assert_eq!(r["confId"], conf_id.as_str());
    let ps = r["participants"].as_array().expect("array");
    assert_eq!(ps.len(), 2);
    assert_eq!(ps[0]["role"], 2);
    assert!(ps[0]["peerId"].as_str().unwrap_or("").starts_with("room@some.server/"));
    assert_eq!(ps[1]["peerId"], peer.as_str());
    assert!(ps[1].get("reaction").is_none(), "v1 has no reaction");

    let r = c.request("getSessionLink", json!({})).await;
    assert_eq!(r["link"], created["joinUrl"]);
    let r = c.request("getConferences", json!({})).await;
    assert_eq!(r["conferences"][0]["confId"], conf_id.as_str());
    assert!(r["conferences"][0].get("id").is_none());

    // A second conference is refused while in one.
    let r = c.request("createConference", json!({"title": "x", "confType": "role"})).await;
    assert_eq!(r["error"], "cannot create a conference in appState 5 (needs 3: normal)");
}

#[tokio::test]
async fn api_v2_adds_fields() {
    let emu = start(directory()).await;
    let mut c = Client::connect_authed(&emu).await;
    c.request("setUsedApiVersion", json!({"version": "2"})).await;
    create(&mut c, json!({"title": "t", "confType": "symmetric"})).await;
    let r = c.request("getConferences", json!({})).await;
    assert!(r["conferences"][0]["id"].is_string(), "{r}");
    let r = c.request("getConferenceParticipants", json!({})).await;
    assert!(r["participants"][0].get("reaction").is_some(), "{r}");
    let r = c.request("setUsedApiVersion", json!({"version": "3"})).await;
    assert_eq!(r["result"], false);
}

#[tokio::test]
async fn conference_created_first_order_and_unique_ids() {
    let cfg = EmulatorConfig { created_order: CreatedOrder::ConferenceCreatedFirst, ..Default::default() };
    let emu = start(cfg).await;
    let mut c = Client::connect_authed(&emu).await;
    c.request("createConference", json!({"title": "t", "confType": "asymmetric", "castersCount": 2})).await;
    let first = c.event("conferenceCreated").await;
    assert_eq!(first["confType"], 2);
    assert_eq!(c.event("appStateChanged").await["appState"], 5);
    c.request("hangUp", json!({"forAll": true})).await;
    for _ in 0..3 {
        c.recv().await;
    }
    c.request("createConference", json!({"title": "t", "confType": "asymmetric"})).await;
    let second = c.event("conferenceCreated").await;
    assert_ne!(first["confId"], second["confId"]);
}

#[tokio::test]
async fn hang_up_sequence_and_pending_invites_are_cancelled() {
    let mut cfg = directory();
    cfg.users.push(SimUser::new("late@some.server", Answer::Join { delay: Duration::from_millis(300) }));
    let emu = start(cfg).await;
    let mut c = Client::connect_authed(&emu).await;
    let created = create(&mut c, json!({"title": "t", "confType": "role", "inviteList": ["late", "silent"]})).await;
    c.event("inviteSent").await;
    c.event("inviteSent").await;
    let r = c.request("hangUp", json!({"forAll": true})).await;
    assert_eq!(r["result"], true);
    assert_eq!(c.event("appStateChanged").await["appState"], 6);
    assert_eq!(c.event("appStateChanged").await["appState"], 3);
    let del = c.event("conferenceDeleted").await;
    assert_eq!(del["confId"], created["confId"]);
    // "late" would join at 300 ms; a request sent after that gets its reply with nothing before it.
    tokio::time::sleep(Duration::from_millis(400)).await; // waiting out a timer that must NOT fire
    let r = c.request("getAppState", json!({})).await;
    assert_eq!(r["appState"], 3);
}

#[tokio::test]
async fn waiting_room_admit_and_moderators() {
    let emu = start(directory()).await;
    let mut c = Client::connect_authed(&emu).await;
    let created =
        create(&mut c, json!({"title": "t", "confType": "role", "useWaitingRoom": true, "inviteList": ["boss"]})).await;
    assert_eq!(created["isWaitingRoomEnabled"], true);
    let conf_id = created["confId"].clone();
    c.event("inviteSent").await;
    let boss = c.event("newParticipantInConference").await;
    assert_eq!(boss["isInWaitingRoom"], false, "moderators skip the waiting room");
    c.event("videoMatrixChanged").await; // the boss's slot (PROTOCOL.md §10)

    let r = c.request("inviteToConference", json!({"peerId": "user1@some.server"})).await;
    assert_eq!(r["result"], true);
    c.event("inviteSent").await;
    let joined = c.event("newParticipantInConference").await;
    assert_eq!(joined["isInWaitingRoom"], true);
    let peer = joined["peerId"].clone();
    let presence = c.event("participantPresenceInWaitingRoomChanged").await;
    assert_eq!(presence["callId"], peer);
    assert_eq!(presence["isInWaitingRoom"], true);
    assert_eq!(presence["confId"], conf_id);

    let r = c.request("setParticipantPresenceInWaitingRoom", json!({"callId": peer, "inWaitingRoom": false})).await;
    assert_eq!(r["result"], true);
    assert_eq!(r["confId"], conf_id);
    let ev = c.event("participantPresenceInWaitingRoomChanged").await;
    assert_eq!(ev["isInWaitingRoom"], false);
    assert_eq!(ev["callId"], peer);
    c.event("videoMatrixChanged").await; // admitted: user1's slot appears

    let r = c
        .request("setParticipantPresenceInWaitingRoom", json!({"callId": boss["peerId"], "inWaitingRoom": true}))
        .await;
    assert_eq!(r["result"], false, "moderators cannot be moved: {r}");
    let r =
        c.request("setParticipantPresenceInWaitingRoom", json!({"callId": "ghost@x/1", "inWaitingRoom": true})).await;
    assert_eq!(r["result"], false);

    // Back in, then the waiting room is switched off without admitting: the waiting one leaves.
    c.request("setParticipantPresenceInWaitingRoom", json!({"callId": peer, "inWaitingRoom": true})).await;
    c.event("participantPresenceInWaitingRoomChanged").await;
    c.event("videoMatrixChanged").await; // and goes again
    let r = c.request("setWaitingRoomState", json!({"enable": false, "isUsersMustBeInvited": false})).await;
    assert_eq!(r["confId"], conf_id);
    let ev = c.event("waitingRoomStateChanged").await;
    assert_eq!(ev["isWaitingRoomEnabled"], false);
    let left = c.event("participantLeftConference").await;
    assert_eq!(left["peerId"], peer);
    let r = c.request("getConferenceParticipants", json!({})).await;
    assert_eq!(r["participants"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn disabling_the_waiting_room_can_admit_everyone() {
    let emu = start(EmulatorConfig { waiting_room_default: true, ..directory() }).await;
    let mut c = Client::connect_authed(&emu).await;
    create(&mut c, json!({"title": "t", "confType": "symmetric", "inviteList": ["user1"]})).await;
    c.event("inviteSent").await;
    let joined = c.event("newParticipantInConference").await;
    c.event("participantPresenceInWaitingRoomChanged").await;
    c.request("setWaitingRoomState", json!({"enable": false, "isUsersMustBeInvited": true})).await;
    c.event("waitingRoomStateChanged").await;
    let ev = c.event("participantPresenceInWaitingRoomChanged").await;
    assert_eq!((ev["callId"].clone(), ev["isInWaitingRoom"].clone()), (joined["peerId"].clone(), json!(false)));
}

#[tokio::test]
async fn invite_kick_mode_and_full_conference() {
    let mut tariff = tcroom_emulator::default_tariff();
    tariff["symmetricSchema"] = json!([{"maxCasters": 2, "maxParticipants": 2}]);
    let emu = start(EmulatorConfig { tariff, ..directory() }).await;
    let mut c = Client::connect_authed(&emu).await;
    let r = c.request("inviteToConference", json!({"peerId": "user1"})).await;
    assert_eq!(r["result"], false, "not in a conference");
    create(&mut c, json!({"title": "t", "confType": "symmetric", "inviteList": ["user1", "boss"]})).await;
    c.event("inviteSent").await;
    c.event("inviteSent").await;
    // A join, its video slot (PROTOCOL.md §10), and a refusal, the answers in either order.
    let mut events = [c.recv().await, c.recv().await, c.recv().await];
    events.sort_by_key(|e| e["event"].as_str().unwrap_or("").to_string());
    assert_eq!(events[0]["event"], "newParticipantInConference");
    assert_eq!(events[1]["event"], "rejectReceived");
    assert_eq!(events[1]["cause"], 1, "conference full");
    assert_eq!(events[2]["event"], "videoMatrixChanged");
    let joined = events[0]["peerId"].clone();

    let r = c.request("changeConferenceMode", json!({"isSmartMeeting": true})).await;
    assert_eq!(r["result"], false, "only role conferences");
    let r = c.request("inviteToConference", json!({"peerId": joined})).await;
    assert_eq!(r["result"], false, "already in");
    let r = c.request("kickPeer", json!({"peerId": joined})).await;
    assert_eq!(r["result"], true);
    assert_eq!(c.event("participantLeftConference").await["peerId"], joined);
}

#[tokio::test]
async fn smart_meeting_mode_switch() {
    let emu = start(directory()).await;
    let mut c = Client::connect_authed(&emu).await;
    let created =
        create(&mut c, json!({"title": "t", "confType": "role", "smartMeeting": true, "castersCount": 6})).await;
    assert_eq!(created["isSmartMeeting"], true);
    assert_eq!(created["maxParticipants"], 420);
    let r = c.request("changeConferenceMode", json!({"isSmartMeeting": false})).await;
    assert_eq!(r["result"], true);
    let ev = c.event("smartMeetingModeChanged").await;
    assert_eq!(ev["isSmartMeeting"], false);
    assert_eq!(ev["confId"], created["confId"]);
}

#[tokio::test]
async fn create_multi_false_is_refused() {
    let mut tariff = tcroom_emulator::default_tariff();
    tariff["createMulti"] = json!(false);
    let emu = start(EmulatorConfig { tariff, ..Default::default() }).await;
    let mut c = Client::connect_authed(&emu).await;
    let r = c.request("createConference", json!({"title": "t", "confType": "role"})).await;
    assert_eq!(r["result"], false);
    assert!(r["error"].as_str().unwrap_or("").contains("createMulti"));
}

#[tokio::test]
async fn notifications_reach_every_authorized_connection() {
    let emu = start(directory()).await;
    let mut admin = Client::connect_authed(&emu).await;
    let mut user = Client::connect(&emu).await;
    user.request("auth", json!({"type": "unsecured", "role": "user"})).await;
    let mut anon = Client::connect(&emu).await;
    create(&mut admin, json!({"title": "t", "confType": "role"})).await;
    assert_eq!(user.event("appStateChanged").await["appState"], 5);
    user.event("conferenceCreated").await;
    // The unauthorized connection got nothing: its next frame is its own reply.
    let r = anon.request("setUsedApiVersion", json!({"version": "1"})).await;
    assert_eq!(r["result"], true);
}
