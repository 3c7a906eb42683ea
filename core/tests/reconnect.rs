//! Opt-in automatic reconnection: token re-authorization, state resync, giving up.

mod common;
use common::*;
use std::time::Duration;
use tcroom_core::{AppState, Client, ConfType, CreateConference, ErrorKind, EventKind, Reconnect, StreamItem};
use tcroom_emulator::{AuthMode, EmulatorConfig};

fn fast() -> Reconnect {
    Reconnect { max_attempts: 5, initial_delay: Duration::from_millis(20), max_delay: Duration::from_millis(100) }
}

#[tokio::test]
async fn a_dropped_link_is_re_established_with_the_token_and_resynced() {
    let emu = emulator(EmulatorConfig { auth: AuthMode::Pin("1357".into()), ..Default::default() }).await;
    let (client, mut events) = Client::connect_subscribed(options(&emu).pin("1357").reconnect(fast())).await.unwrap();
    let conf = client
        .create_conference_and_wait(&CreateConference::new("kept", ConfType::Role).invite("u1"), WAIT)
        .await
        .unwrap();
    next_matching(&mut events, "a join", is_joined).await;

    emu.close_all_connections();
    let lost = next_named(&mut events, tcroom_core::CONNECTION_LOST).await;
    assert!(matches!(lost.kind, EventKind::ConnectionLost { .. }));
    let back = next_named(&mut events, tcroom_core::RECONNECTED).await;
    assert!(matches!(back.kind, EventKind::Reconnected { attempts } if attempts >= 1));

    let state = client.state();
    assert!(state.connected && state.authorized);
    assert_eq!(state.app_state, Some(AppState::Conference));
    assert_eq!(state.conference.map(|c| c.conf_id), Some(conf.conf_id));
    assert_eq!(state.participants.len(), 2, "owner and u1, re-read from the room");
    client.get_app_state().await.unwrap();
}

#[tokio::test]
async fn it_gives_up_with_a_final_disconnected() {
    let emu = emulator(EmulatorConfig::default()).await;
    let policy = Reconnect { max_attempts: 2, ..fast() };
    let (client, mut events) = Client::connect_subscribed(options(&emu).reconnect(policy)).await.unwrap();
    emu.shutdown().await;
    next_named(&mut events, tcroom_core::CONNECTION_LOST).await;
    let end = next_named(&mut events, tcroom_core::DISCONNECTED).await;
    let EventKind::Disconnected { reason } = &end.kind else { panic!() };
    assert!(reason.contains("gave up after 2"), "{reason}");
    assert!(events.recv().await.is_none());
    assert_eq!(client.get_app_state().await.unwrap_err().kind(), ErrorKind::Disconnected);
}

#[tokio::test]
async fn close_does_not_reconnect() {
    let emu = emulator(EmulatorConfig::default()).await;
    let (client, mut events) = Client::connect_subscribed(options(&emu).reconnect(fast())).await.unwrap();
    client.close().await;
    let ev = next_named(&mut events, tcroom_core::DISCONNECTED).await;
    assert!(matches!(ev.kind, EventKind::Disconnected { .. }));
    // Nothing follows: the stream is over and no connection comes back.
    assert!(matches!(events.recv().await, None | Some(StreamItem::Lagged(_))));
    assert!(!client.is_connected());
}
