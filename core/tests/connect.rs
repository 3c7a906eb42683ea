//! Discovery and authorization against the emulator, over real sockets.

mod common;
use common::*;
use tcroom_core::{AppState, Client, ConnectOptions, Credentials, Error, ErrorKind, EventKind};
use tcroom_emulator::{AuthMode, EmulatorConfig};

fn pin_config(pin: &str) -> EmulatorConfig {
    EmulatorConfig { auth: AuthMode::Pin(pin.into()), ..Default::default() }
}

#[tokio::test]
async fn discovers_the_websocket_port_and_knows_the_app_state() {
    let emu = emulator(EmulatorConfig::default()).await;
    let (client, _events) = connect(&emu).await;
    assert_eq!(client.url(), format!("ws://127.0.0.1:{}/", emu.ws_port()));
    let state = client.state();
    assert!(state.connected && state.authorized);
    assert_eq!(state.app_state, Some(AppState::Normal));
    assert!(state.tariff.is_some(), "tariff fetched at connect");
}

#[tokio::test]
async fn an_explicit_websocket_port_skips_discovery() {
    let emu = emulator(EmulatorConfig::default()).await;
    // Web port 1 would fail discovery: proof that it is not used.
    let opts = options(&emu).web_port(1).ws_port(emu.ws_port());
    let client = Client::connect(opts).await.unwrap();
    assert_eq!(client.get_app_state().await.unwrap().app_state, AppState::Normal);
}

#[tokio::test]
async fn discovery_failures_say_so() {
    let emu = emulator(EmulatorConfig::default()).await;
    let mut opts = options(&emu);
    opts.instance = "nosuch".into();
    match Client::connect(opts).await {
        Err(Error::Discovery { url, reason }) => {
            assert!(url.ends_with("/public/nosuch/config.json"), "{url}");
            assert!(reason.contains("404"), "{reason}");
        }
        Err(e) => panic!("expected a discovery error, got {e}"),
        Ok(_) => panic!("expected a discovery error, got a client"),
    }
    // A port nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = listener.local_addr().unwrap().port();
    drop(listener);
    let err = Client::connect(ConnectOptions::new("127.0.0.1").web_port(dead)).await.err().unwrap();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    assert!(err.to_string().contains("discovery"), "{err}");
}

#[tokio::test]
async fn a_good_pin_authorizes_and_a_bad_one_is_refused() {
    let emu = emulator(pin_config("4321")).await;
    let ok = Client::connect(options(&emu).pin("4321")).await.unwrap();
    assert!(ok.state().authorized);
    match Client::connect(options(&emu).pin("0000")).await {
        Err(Error::Auth { code, message }) => {
            assert_eq!(code, Some(3));
            assert!(!message.is_empty());
        }
        Err(e) => panic!("expected an auth error, got {e}"),
        Ok(_) => panic!("a wrong PIN was accepted"),
    }
    // The failed attempt closed its own socket only.
    assert!(ok.get_app_state().await.is_ok());
}

#[tokio::test]
async fn a_token_re_authorizes_without_the_pin() {
    let emu = emulator(pin_config("4321")).await;
    let first = Client::connect(options(&emu).pin("4321")).await.unwrap();
    let token = first.token().expect("auth returns a token");
    assert_eq!(format!("{token:?}"), "<redacted>");
    first.close().await;
    let again = Client::connect(options(&emu).credentials(Credentials::Secured(token))).await.unwrap();
    assert!(again.state().authorized);
}

#[tokio::test]
async fn a_second_client_in_the_same_role_kicks_the_first() {
    let emu = emulator(EmulatorConfig::default()).await;
    let (first, mut events) = connect(&emu).await;
    let (_second, _) = connect(&emu).await;
    let ev = next_named(&mut events, "authorizationNeeded").await;
    assert_eq!(ev.kind, EventKind::AuthorizationNeeded { cause: Some(1) });
    assert!(!first.state().authorized);
    let err = first.get_app_state().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Refused, "{err}");
}

#[tokio::test]
async fn login_flow_from_app_state_zero() {
    let emu = emulator(EmulatorConfig { initial_app_state: 0, ..Default::default() }).await;
    let (client, mut events) = connect(&emu).await;
    assert_eq!(client.state().app_state, Some(AppState::None));
    client.request("connectToServer", serde_json::json!({"server": "some.server", "port": 4307})).await.unwrap();
    next_matching(
        &mut events,
        "appState 2",
        |e| matches!(&e.kind, EventKind::AppStateChanged(s) if s.app_state == AppState::Login),
    )
    .await;
    client
        .request("login", serde_json::json!({"login": "room", "password": "x", "encryptPassword": false}))
        .await
        .unwrap();
    next_matching(
        &mut events,
        "appState 3",
        |e| matches!(&e.kind, EventKind::AppStateChanged(s) if s.app_state == AppState::Normal),
    )
    .await;
    assert_eq!(client.app_state(), Some(AppState::Normal));
}
