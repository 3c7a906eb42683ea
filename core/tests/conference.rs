//! createConference and everything around it, against the emulator.

mod common;
use common::*;
use std::time::Duration;
use tcroom_core::{AppState, ConfType, CreateConference, Error, ErrorKind, EventKind};
use tcroom_emulator::{Answer, CreatedOrder, EmulatorConfig, SimUser};

fn users() -> Vec<SimUser> {
    vec![
        SimUser::new("user1@some.server", Answer::Join { delay: Duration::from_millis(20) }),
        SimUser::new("user2@some.server", Answer::Reject { cause: 2, delay: Duration::from_millis(30) }),
        SimUser::new("silent@some.server", Answer::NoAnswer),
    ]
}

fn config() -> EmulatorConfig {
    EmulatorConfig { users: users(), ..Default::default() }
}

#[tokio::test]
async fn two_phase_create_reports_acceptance_then_the_started_conference() {
    let emu = emulator(config()).await;
    let (client, mut events) = connect(&emu).await;
    let params = CreateConference::new("Code review", ConfType::Role).invite("user1@some.server").invite("user2");
    let pending = client.create_conference(&params).await.unwrap();
    assert_eq!(pending.reply()["result"], true);
    let conf = pending.wait(WAIT).await.unwrap();
    assert!(conf.conf_id.ends_with("#vcs"), "{}", conf.conf_id);
    assert_eq!(conf.title.as_deref(), Some("Code review"));
    assert_eq!(conf.conf_type, Some(ConfType::Role));
    assert_eq!(conf.owner.as_deref(), Some("room@some.server"));
    assert!(conf.join_url.as_deref().unwrap_or("").starts_with("http"));
    assert_eq!(conf.max_participants, Some(1500));
    assert_eq!(conf.max_podium, Some(1));
    assert_eq!(conf.raw["event"], "conferenceCreated");

    let sent = next_named(&mut events, "inviteSent").await;
    assert_eq!(sent.conf_id().as_deref(), Some(conf.conf_id.as_str()));
    let joined = next_matching(&mut events, "a join", is_joined).await;
    match joined.kind {
        EventKind::NewParticipant { participant, conf_id } => {
            assert!(participant.peer_id.starts_with("user1@some.server/"), "{}", participant.peer_id);
            assert_eq!(conf_id.as_deref(), Some(conf.conf_id.as_str()));
        }
        other => panic!("{other:?}"),
    }
    let rejected = next_named(&mut events, "rejectReceived").await;
    assert!(matches!(rejected.kind, EventKind::RejectReceived { cause: Some(2), .. }), "{rejected:?}");

    let state = client.state();
    assert_eq!(state.app_state, Some(AppState::Conference));
    assert_eq!(state.conference.as_ref().map(|c| c.conf_id.clone()), Some(conf.conf_id.clone()));
    assert!(state.participants.iter().any(|p| p.peer_id.starts_with("user1@")));
}

#[tokio::test]
async fn either_announcement_order_works() {
    for order in [CreatedOrder::AppStateFirst, CreatedOrder::ConferenceCreatedFirst] {
        let emu = emulator(EmulatorConfig { created_order: order, ..config() }).await;
        let (client, _) = connect(&emu).await;
        let conf =
            client.create_conference_and_wait(&CreateConference::new("t", ConfType::Symmetric), WAIT).await.unwrap();
        assert_eq!(conf.conf_type, Some(ConfType::Symmetric));
    }
}

#[tokio::test]
async fn notifications_before_the_reply_are_not_missed() {
    let emu = emulator(config()).await;
    emu.faults().set_shuffle(true);
    let (client, _) = connect(&emu).await;
    let conf = client
        .create_conference_and_wait(&CreateConference::new("shuffled", ConfType::Asymmetric), WAIT)
        .await
        .unwrap();
    assert_eq!(conf.conf_type, Some(ConfType::Asymmetric));
}

#[tokio::test]
async fn a_refusal_carries_the_rooms_text() {
    let emu = emulator(config()).await;
    let (client, _) = connect(&emu).await;
    client.create_conference_and_wait(&CreateConference::new("first", ConfType::Role), WAIT).await.unwrap();
    // Already in a conference (appState 5): the room refuses.
    match client.create_conference(&CreateConference::new("second", ConfType::Role)).await {
        Err(Error::Refused { method, message, raw }) => {
            assert_eq!(method, "createConference");
            assert!(message.contains("appState"), "{message}");
            assert_eq!(raw["result"], false);
        }
        Err(e) => panic!("expected a refusal, got {e}"),
        Ok(_) => panic!("expected a refusal"),
    }
}

#[tokio::test]
async fn acceptance_time_out_is_reported() {
    let emu = emulator(config()).await;
    let (client, _) = connect(&emu).await;
    emu.faults().drop_reply("createConference");
    let err = client
        .create_conference_timeout(&CreateConference::new("t", ConfType::Role), Duration::from_millis(200))
        .await
        .err()
        .unwrap();
    assert!(matches!(&err, Error::Timeout { method, .. } if method == "createConference"), "{err}");
    // The connection is still usable.
    client.get_app_state().await.unwrap();
}

#[tokio::test]
async fn bad_parameters_fail_before_sending() {
    let emu = emulator(config()).await;
    let (client, _) = connect(&emu).await;
    let cases = [
        CreateConference::new("  ", ConfType::Role),
        CreateConference { smart_meeting: true, ..CreateConference::new("t", ConfType::Symmetric) },
        CreateConference { smart_meeting: true, casters_count: Some(2), ..CreateConference::new("t", ConfType::Role) },
        CreateConference { casters_count: Some(5), ..CreateConference::new("t", ConfType::Role) },
        CreateConference::new("t", ConfType::Role).invite(""),
    ];
    // Were any of them sent, the room would drop the connection and the next case would fail
    // with `disconnected` instead.
    emu.faults().close_on("createConference");
    for params in cases {
        let err = client.create_conference(&params).await.err().expect("rejected");
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    }
    assert!("video".parse::<ConfType>().is_err());
    emu.faults().clear();
    // A tariff without group conferences is caught too.
    let mut tariff = tcroom_emulator::default_tariff();
    tariff["createMulti"] = false.into();
    let mut events = client.subscribe();
    emu.set_tariff(tariff);
    next_named(&mut events, "tariffRestrictionsChanged").await;
    let err = client.create_conference(&CreateConference::new("t", ConfType::Role)).await.err().unwrap();
    assert!(err.to_string().contains("group conferences"), "{err}");
}

#[tokio::test]
async fn smart_meeting_with_enough_casters_and_mode_change() {
    let emu = emulator(config()).await;
    let (client, mut events) = connect(&emu).await;
    let params = CreateConference {
        casters_count: Some(4),
        smart_meeting: true,
        ..CreateConference::new("smart", ConfType::Role)
    };
    let conf = client.create_conference_and_wait(&params, WAIT).await.unwrap();
    assert!(conf.is_smart_meeting);
    assert_eq!((conf.max_participants, conf.max_podium), (Some(450), Some(4)));
    client.change_conference_mode(false).await.unwrap();
    let ev = next_named(&mut events, "smartMeetingModeChanged").await;
    assert!(matches!(ev.kind, EventKind::SmartMeetingModeChanged { is_smart_meeting: false, .. }));
    assert!(!client.state().conference.unwrap().is_smart_meeting);
}

#[tokio::test]
async fn waiting_room_admit_and_toggle() {
    let emu = emulator(config()).await;
    let (client, mut events) = connect(&emu).await;
    let params = CreateConference {
        use_waiting_room: true,
        ..CreateConference::new("wr", ConfType::Symmetric).invite("user1@some.server")
    };
    let conf = client.create_conference_and_wait(&params, WAIT).await.unwrap();
    assert!(conf.waiting_room_enabled);
    let ev = next_named(&mut events, "participantPresenceInWaitingRoomChanged").await;
    let EventKind::ParticipantPresenceInWaitingRoomChanged { call_id, in_waiting_room: true, .. } = ev.kind else {
        panic!("{ev:?}")
    };
    assert_eq!(client.state().waiting().count(), 1);

    let conf_id = client.set_participant_presence_in_waiting_room(&call_id, false).await.unwrap();
    assert_eq!(conf_id.as_deref(), Some(conf.conf_id.as_str()));
    let ev = next_named(&mut events, "participantPresenceInWaitingRoomChanged").await;
    assert!(matches!(ev.kind, EventKind::ParticipantPresenceInWaitingRoomChanged { in_waiting_room: false, .. }));
    assert_eq!(client.state().waiting().count(), 0);

    client.set_waiting_room_state(false, true).await.unwrap();
    let ev = next_named(&mut events, "waitingRoomStateChanged").await;
    assert!(matches!(ev.kind, EventKind::WaitingRoomStateChanged { enabled: false, .. }));
    assert!(!client.state().conference.unwrap().waiting_room_enabled);
}

#[tokio::test]
async fn participants_invite_link_and_hang_up() {
    let emu = emulator(config()).await;
    let (client, mut events) = connect(&emu).await;
    let conf = client.create_conference_and_wait(&CreateConference::new("all", ConfType::Role), WAIT).await.unwrap();

    let (conf_id, list) = client.get_conference_participants().await.unwrap();
    assert_eq!(conf_id.as_deref(), Some(conf.conf_id.as_str()));
    assert_eq!(list.len(), 1, "only the owner so far: {list:?}");
    assert_eq!(list[0].role, Some(2));

    client.invite_to_conference("user1").await.unwrap();
    let ev = next_named(&mut events, "inviteSent").await;
    assert!(ev.peer_id().unwrap_or_default().starts_with("user1"));
    next_matching(&mut events, "a join", is_joined).await;
    let (_, list) = client.get_conference_participants().await.unwrap();
    assert_eq!(list.len(), 2);

    let link = client.get_session_link().await.unwrap();
    assert_eq!(Some(link), conf.join_url);

    client.hang_up(true).await.unwrap();
    next_named(&mut events, "conferenceDeleted").await;
    assert!(client.state().conference.is_none());
    assert!(client.state().participants.is_empty());
    assert_eq!(client.get_app_state().await.unwrap().app_state, AppState::Normal);
    // Nothing to invite to any more: a refusal with the room's text.
    assert_eq!(client.invite_to_conference("user1").await.unwrap_err().kind(), ErrorKind::Refused);
}

#[tokio::test]
async fn queries_are_typed() {
    let emu = emulator(config()).await;
    let (client, _) = connect(&emu).await;
    let tariff = client.get_tariff_restrictions().await.unwrap();
    assert_eq!(tariff.create_multi, Some(true));
    assert_eq!(tariff.role_schema.iter().map(|r| r.max_casters).collect::<Vec<_>>(), vec![1, 2, 3]);
    assert_eq!(tariff.smart_meeting_schema.first().map(|r| r.max_participants), Some(450));
    let info = client.get_system_info().await.unwrap();
    assert_eq!(info.peer_id.as_deref(), Some("room@some.server"));
    assert_eq!(client.state().own_peer_id.as_deref(), Some("room@some.server"));
    assert!(client.get_conferences().await.unwrap().is_empty());
    client.create_conference_and_wait(&CreateConference::new("listed", ConfType::Role), WAIT).await.unwrap();
    let list = client.get_conferences().await.unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
}
