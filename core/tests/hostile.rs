//! Regression tests of issue 10 against tcroom-hostile, a room that misbehaves on purpose:
//! close within its grace whatever the socket does (defect 3), reconnect attempts that fail
//! without ending the client and the real credential error when it gives up (5), bounded
//! discovery and event queues (7), discovery trust (9), one deadline for the whole connect (10),
//! replies the client cannot match (12), keep-alive (13).
//!
//! Time bounds are the documented time-outs plus a grace, never speed measurements.

use serde_json::json;
use std::time::Duration;
use tcroom_core::{
    Client, ConnectOptions, Error, ErrorKind, EventKind, EventStream, Reconnect, StreamItem, CONNECTION_LOST,
    DISCONNECTED, RECONNECTED,
};
use tcroom_hostile::{Mode, Proxy, Server};
use tokio::time::{timeout, Instant};

/// Documented in `Client::close`: it waits this long at most for a room that does not answer.
const CLOSE_GRACE: Duration = Duration::from_secs(2);
/// Scheduling on a busy machine.
const GRACE: Duration = Duration::from_millis(1500);
/// The time-out the tests give.
const T: Duration = Duration::from_secs(1);

async fn hostile(mode: Mode) -> Server {
    Server::start(mode).await.expect("the hostile room starts")
}

fn options(server: &Server) -> ConnectOptions {
    ConnectOptions::new("127.0.0.1").web_port(server.web_port()).connect_timeout(T).request_timeout(T)
}

/// Names of the connection events up to (and including) the first of `last`, within `within`.
async fn connection_events(events: &mut EventStream, last: &[&str], within: Duration) -> Vec<String> {
    let mut names = Vec::new();
    let deadline = Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Err(_) => panic!("no {last:?} within {within:?}; saw {names:?}"),
            Ok(None) => return names,
            Ok(Some(StreamItem::Lagged(_))) => {}
            Ok(Some(StreamItem::Event(ev))) => {
                if [CONNECTION_LOST, RECONNECTED, DISCONNECTED].contains(&ev.name.as_str()) {
                    names.push(ev.name.clone());
                }
                if last.contains(&ev.name.as_str()) {
                    return names;
                }
            }
        }
    }
}

// ---- defect 3: close ------------------------------------------------------------------------

#[tokio::test]
async fn close_returns_within_its_grace_when_the_room_stops_reading_with_writes_pending() {
    let server = hostile(Mode::FreezeAfterConnect).await;
    let client = Client::connect(options(&server)).await.unwrap();
    // The first request freezes the room; the second cannot be written (8 MB: more than the
    // socket buffers take), so a write is still pending when close is called.
    let err = client.request("getAppState", json!({})).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    let err = client.request("getAppState", json!({ "pad": "x".repeat(8 << 20) })).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    let start = Instant::now();
    timeout(CLOSE_GRACE + GRACE, client.close()).await.expect("close returns within its grace");
    assert!(!client.is_connected());
    assert!(start.elapsed() <= CLOSE_GRACE + GRACE);
}

#[tokio::test]
async fn close_returns_within_its_grace_while_a_big_write_is_blocked() {
    let server = hostile(Mode::FreezeAfterConnect).await;
    let client = Client::connect(options(&server).request_timeout(Duration::from_secs(60))).await.unwrap();
    let _ = client.request_timeout("getAppState", json!({}), Duration::from_millis(200)).await;
    // A request whose write blocks (the room froze), still in flight when close is called.
    let busy = client.clone();
    let pending = tokio::spawn(async move { busy.request("getAppState", json!({ "pad": "y".repeat(8 << 20) })).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    timeout(CLOSE_GRACE + GRACE, client.close()).await.expect("close returns within its grace");
    // The pending request has its one outcome at once: the link is gone.
    let outcome = timeout(GRACE, pending).await.expect("the pending request ends with the close").unwrap();
    assert!(matches!(outcome, Err(Error::Disconnected { .. })), "{outcome:?}");
}

#[tokio::test]
async fn close_returns_within_its_grace_when_the_emulated_room_hangs() {
    // A real room (the emulator) whose application hangs: nothing moves either way, every
    // socket stays open.
    let emu = tcroom_emulator::Emulator::start(tcroom_emulator::EmulatorConfig::default()).await.unwrap();
    let proxy = Proxy::start(([127, 0, 0, 1], emu.ws_port()).into()).await.unwrap();
    let opts = ConnectOptions::new("127.0.0.1").ws_port(proxy.port()).connect_timeout(T * 5).request_timeout(T);
    let client = Client::connect(opts).await.unwrap();
    proxy.freeze();
    let err = client.request("getAppState", json!({ "pad": "z".repeat(8 << 20) })).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    let start = Instant::now();
    timeout(CLOSE_GRACE + GRACE, client.close()).await.expect("close returns within its grace");
    assert!(start.elapsed() <= CLOSE_GRACE + GRACE);
}

// ---- defect 5: reconnect attempts ------------------------------------------------------------

fn fast() -> Reconnect {
    Reconnect { max_attempts: 5, initial_delay: Duration::from_millis(50), max_delay: Duration::from_millis(200) }
}

#[tokio::test]
async fn a_failed_reconnect_attempt_does_not_end_the_client() {
    // The room drops the link at the request; the first attempt's auth goes unanswered (it fails
    // by its connect time-out); the second succeeds.
    let server = hostile(Mode::StallAuthOnce).await;
    let (client, mut events) = Client::connect_subscribed(options(&server).reconnect(fast())).await.unwrap();
    let err = client.get_app_state().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Disconnected, "{err}");
    let seen = connection_events(&mut events, &[RECONNECTED, DISCONNECTED], T * 4 + GRACE).await;
    assert_eq!(seen, [CONNECTION_LOST, RECONNECTED], "a failed attempt is not the end");
    assert!(server.ws_connections() >= 3, "the attempt in between was made");
    client.get_app_state().await.expect("works after the reconnect");
    client.close().await;
}

#[tokio::test]
async fn a_refused_pin_after_a_restart_ends_with_the_credential_error() {
    let server = hostile(Mode::WrongPinAfterRestart).await;
    let (client, mut events) =
        Client::connect_subscribed(options(&server).pin("1234").reconnect(fast())).await.unwrap();
    assert!(client.get_app_state().await.is_err());
    let mut last = None;
    let seen = connection_events(&mut events, &[DISCONNECTED], T * 4 + GRACE).await;
    assert_eq!(seen, [CONNECTION_LOST, DISCONNECTED]);
    // Nothing after the one final `disconnected`.
    while let Ok(Some(item)) = timeout(Duration::from_millis(300), events.recv()).await {
        last = Some(item);
    }
    assert!(last.is_none(), "events after disconnected: {last:?}");
    let state = client.state();
    assert!(!state.connected);
    assert_eq!(client.get_app_state().await.unwrap_err().kind(), ErrorKind::Disconnected);
}

#[tokio::test]
async fn the_final_disconnected_names_the_credential_error() {
    let server = hostile(Mode::WrongPinAfterRestart).await;
    let (client, mut events) =
        Client::connect_subscribed(options(&server).pin("1234").reconnect(fast())).await.unwrap();
    let _ = client.get_app_state().await;
    let deadline = Instant::now() + T * 4 + GRACE;
    let reason = loop {
        match tokio::time::timeout_at(deadline, events.recv()).await.expect("disconnected in time") {
            Some(StreamItem::Event(ev)) => {
                if let EventKind::Disconnected { reason } = &ev.kind {
                    break reason.clone();
                }
            }
            Some(StreamItem::Lagged(_)) => {}
            None => panic!("the stream ended without disconnected"),
        }
    };
    assert!(reason.contains("authorization failed (resultCode 3)"), "{reason}");
    // Requests made afterwards say the same, not just the drop that started it.
    let err = client.get_app_state().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Disconnected);
    assert!(err.to_string().contains("authorization failed (resultCode 3)"), "{err}");
}

// ---- defects 7 and 9: discovery ------------------------------------------------------------

#[tokio::test]
async fn discovery_reads_at_most_a_megabyte_and_stops_at_its_deadline() {
    for mode in [Mode::EndlessConfig, Mode::BigConfig, Mode::SlowlorisHttp, Mode::SilentHttp] {
        let server = hostile(mode).await;
        let start = Instant::now();
        let err = timeout(T + GRACE, Client::connect(options(&server)))
            .await
            .unwrap_or_else(|_| panic!("{mode}: connect outlived its deadline"))
            .err()
            .unwrap_or_else(|| panic!("{mode}: connected"));
        assert!(matches!(err, Error::Discovery { .. }), "{mode}: {err}");
        if matches!(mode, Mode::EndlessConfig | Mode::BigConfig) {
            assert!(err.to_string().contains("larger than 1048576 bytes"), "{mode}: {err}");
        }
        assert!(start.elapsed() <= T + GRACE);
    }
}

#[tokio::test]
async fn credentials_never_follow_discovery_to_another_host_unless_asked() {
    let server = hostile(Mode::RedirectElsewhere).await;
    let err = Client::connect(options(&server).pin("1234")).await.err().expect("a redirect elsewhere is refused");
    assert!(err.to_string().contains("another host"), "{err}");
    assert_eq!(server.leaks(), Vec::<String>::new());

    // config.json names another host: the client stays on the one it was given.
    let server = hostile(Mode::HostnameElsewhere).await;
    let client = Client::connect(options(&server).pin("1234")).await.expect("connects to the discovery host");
    assert!(client.url().starts_with("ws://127.0.0.1:"), "{}", client.url());
    client.close().await;
    assert_eq!(server.leaks(), Vec::<String>::new());

    // Asked to follow, it does (and the room sees the other host name: proof the option works).
    let server = hostile(Mode::HostnameElsewhere).await;
    let client = Client::connect(options(&server).follow_other_host(true)).await.expect("follows when asked");
    assert!(client.url().starts_with("ws://localhost:"), "{}", client.url());
    client.close().await;
    assert_eq!(server.leaks().len(), 1, "{:?}", server.leaks());

    // A host name that would change the URL is refused, asked or not.
    for follow in [false, true] {
        let server = hostile(Mode::HostnameEvil).await;
        let err = Client::connect(options(&server).follow_other_host(follow)).await.err().expect("refused");
        assert!(matches!(err, Error::Discovery { .. }), "{err}");
        assert_eq!(server.ws_connections(), 0);
    }
}

// ---- defect 7: event queues ------------------------------------------------------------------

#[tokio::test]
async fn an_event_flood_stays_within_the_queue_and_the_loss_is_reported() {
    let server = hostile(Mode::Flood).await;
    // The connect's replies queue up behind the flood too: a longer deadline than the others.
    let opts = options(&server).connect_timeout(T * 5).request_timeout(T * 10).event_capacity(500);
    let (client, queue) = Client::connect_queued(opts).await.unwrap();
    // Answered after 6 s of flood (25 MB and 100,000 events a second), which nobody reads meanwhile.
    client.get_app_state().await.expect("the reply gets through the flood");
    assert!(queue.len() <= 500, "{} events queued", queue.len());
    let first = queue.try_pop().expect("events");
    assert!(matches!(first.kind, EventKind::EventsLost { count } if count > 0), "{first:?}");
    timeout(CLOSE_GRACE + GRACE, client.close()).await.expect("close within its grace under a flood");
}

#[tokio::test]
async fn a_frame_over_the_cap_drops_the_link_and_one_under_it_is_delivered() {
    let server = hostile(Mode::HugeFrame).await;
    let (client, mut events) = Client::connect_subscribed(options(&server).request_timeout(T * 10)).await.unwrap();
    client.get_app_state().await.expect("the reply after the 61 MB event");
    let mut saw_big = false;
    let deadline = Instant::now() + T * 10;
    loop {
        match tokio::time::timeout_at(deadline, events.recv()).await.expect("the link drops") {
            Some(StreamItem::Event(ev)) if ev.name == "addressBookUpdate" => saw_big = ev.size() > 60_000_000,
            Some(StreamItem::Event(ev)) if ev.name == DISCONNECTED => break,
            Some(_) => {}
            None => break,
        }
    }
    assert!(saw_big, "the 61 MB event was delivered");
    assert!(!client.is_connected(), "the 100 MB frame dropped the link");
}

// ---- defect 10: one deadline --------------------------------------------------------------------

#[tokio::test]
async fn the_connect_deadline_covers_every_step() {
    for mode in [Mode::Silent, Mode::FreezeAfterAuth] {
        let server = hostile(mode).await;
        let start = Instant::now();
        let outcome = timeout(T + GRACE, Client::connect(options(&server))).await;
        let err = outcome.unwrap_or_else(|_| panic!("{mode}: over its deadline")).err().expect("no connection");
        assert!(matches!(err.kind(), ErrorKind::Timeout | ErrorKind::Connection), "{mode}: {err}");
        assert!(start.elapsed() <= T + GRACE, "{mode}");
    }
}

// ---- defect 12: replies the client cannot match ---------------------------------------------

#[tokio::test]
async fn replies_without_a_usable_request_id_go_to_the_oldest_request_of_their_method() {
    // Every reply, the connect's included, has a requestId that is missing, an object, an
    // array, null, true, a float or empty.
    let server = hostile(Mode::BadRequestId).await;
    let client = Client::connect(options(&server)).await.expect("connects though no reply has a usable id");
    for _ in 0..7 {
        let reply = client.get_app_state().await.expect("answered, not timed out");
        assert_eq!(reply.app_state, tcroom_core::AppState::Normal);
    }
}

#[tokio::test]
async fn a_refusal_whose_error_is_an_object_keeps_the_rooms_words() {
    let server = hostile(Mode::ErrorObject).await;
    let client = Client::connect(options(&server)).await.unwrap();
    let _ = client.get_app_state().await; // the connect's own reading took the first one
    let err = client.request("getAppState", json!({})).await.unwrap_err();
    let Error::Refused { message, .. } = &err else { panic!("{err}") };
    assert_eq!(message, "the hostile room's own words");
}

#[tokio::test]
async fn garbage_and_non_objects_cost_the_caller_its_time_out_and_nothing_more() {
    for mode in [Mode::Garbage, Mode::NonObject] {
        let server = hostile(mode).await;
        let (client, mut events) = Client::connect_subscribed(options(&server)).await.unwrap();
        let start = Instant::now();
        let err = client.request("getAppState", json!({})).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Timeout, "{mode}: {err}");
        assert!(start.elapsed() <= T + GRACE);
        assert!(client.is_connected(), "{mode}: garbage does not cost the link");
        let mut malformed = 0;
        while let Some(item) = events.try_recv() {
            if matches!(item, StreamItem::Event(ev) if ev.name == tcroom_core::MALFORMED) {
                malformed += 1;
            }
        }
        assert!(malformed >= 3, "{mode}: each bad frame is reported ({malformed})");
    }
}

// ---- defect 13: keep-alive -------------------------------------------------------------------

#[tokio::test]
async fn a_frozen_room_is_given_up_by_the_keep_alive() {
    let interval = Duration::from_millis(300);
    let server = hostile(Mode::FreezeAfterConnect).await;
    let (client, mut events) = Client::connect_subscribed(options(&server).keepalive(Some(interval))).await.unwrap();
    // The request freezes the room; the link is given up when a ping stays unanswered (checked
    // once per interval).
    let _ = client.request_timeout("getAppState", json!({}), Duration::from_millis(100)).await;
    let seen = connection_events(&mut events, &[DISCONNECTED], interval * 3 + GRACE).await;
    assert_eq!(seen, [DISCONNECTED]);
    assert!(!client.is_connected());
}

#[tokio::test]
async fn a_frozen_room_starts_the_reconnect() {
    let interval = Duration::from_millis(300);
    let server = hostile(Mode::FreezeAfterConnect).await;
    let opts = options(&server).keepalive(Some(interval)).reconnect(fast());
    let (client, mut events) = Client::connect_subscribed(opts).await.unwrap();
    let _ = client.request_timeout("getAppState", json!({}), Duration::from_millis(100)).await;
    let seen = connection_events(&mut events, &[RECONNECTED, DISCONNECTED], interval * 3 + T + GRACE).await;
    assert_eq!(seen, [CONNECTION_LOST, RECONNECTED]);
    client.close().await;
}

#[tokio::test]
async fn a_slow_but_healthy_idle_link_is_kept() {
    // The room answers every ping, 60 ms late (a busy room or a long link). The keep-alive
    // once compared clocks, and an answer later than a millisecond looked like silence at the
    // tick after: the link was given up after three intervals although every ping was answered.
    let interval = Duration::from_millis(300);
    let emu = tcroom_emulator::Emulator::start(tcroom_emulator::EmulatorConfig::default()).await.unwrap();
    let proxy = Proxy::start(([127, 0, 0, 1], emu.ws_port()).into()).await.unwrap();
    let opts = ConnectOptions::new("127.0.0.1").ws_port(proxy.port()).connect_timeout(T * 5).keepalive(Some(interval));
    let (client, mut events) = Client::connect_subscribed(opts).await.unwrap();
    proxy.set_delay(Duration::from_millis(60));
    // Idle for ten intervals: pinged, answered late, never given up.
    let deadline = Instant::now() + interval * 10;
    while let Ok(item) = tokio::time::timeout_at(deadline, events.recv()).await {
        if let Some(StreamItem::Event(ev)) = item {
            assert!(ev.name != DISCONNECTED && ev.name != CONNECTION_LOST, "a link that answers is kept: {ev:?}");
        }
    }
    assert!(client.is_connected());
    // And when the same room freezes, it is still noticed.
    proxy.freeze();
    let seen = connection_events(&mut events, &[DISCONNECTED], interval * 3 + GRACE).await;
    assert_eq!(seen, [DISCONNECTED]);
}

#[tokio::test]
async fn without_keep_alive_a_frozen_room_still_reads_as_connected() {
    // The other side of the decision: with keep-alive off nothing notices a frozen room.
    let server = hostile(Mode::FreezeAfterConnect).await;
    let client = Client::connect(options(&server).keepalive(None)).await.unwrap();
    let _ = client.request_timeout("getAppState", json!({}), Duration::from_millis(100)).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert!(client.is_connected());
    timeout(CLOSE_GRACE + GRACE, client.close()).await.expect("close within its grace");
}
