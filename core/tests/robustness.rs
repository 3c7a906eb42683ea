//! Concurrency, time-outs, dropped connections and a room that misbehaves.

mod common;
use common::*;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::time::Duration;
use tcroom_core::{Client, ConfType, ConnectOptions, CreateConference, Error, ErrorKind, EventKind, StreamItem};
use tcroom_emulator::EmulatorConfig;
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

#[tokio::test]
async fn a_hundred_concurrent_requests_against_the_emulator() {
    let emu = emulator(EmulatorConfig::default()).await;
    let (client, _) = connect(&emu).await;
    let calls = (0..100).map(|_| client.get_app_state());
    let results = futures_util::future::join_all(calls).await;
    assert!(results.iter().all(|r| r.is_ok()));
}

/// A fake room that authorizes anyone, then answers `echo` requests in reverse order of arrival
/// once `batch` have arrived, copying `n` back. Matching by `requestId` is the only way to get
/// every answer right.
async fn reversing_room(batch: usize) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
        let mut held: Vec<Value> = Vec::new();
        while let Some(Ok(Message::Text(t))) = ws.next().await {
            let req: Value = serde_json::from_str(&t).unwrap();
            let reply = match req["method"].as_str() {
                Some("echo") => {
                    held.push(json!({"method":"echo","requestId":req["requestId"],"n":req["n"],"result":true}));
                    if held.len() < batch {
                        continue;
                    }
                    for r in held.drain(..).rev() {
                        ws.send(Message::Text(r.to_string().into())).await.unwrap();
                    }
                    continue;
                }
                Some("getAppState") => {
                    json!({"method":"getAppState","requestId":req["requestId"],"appState":3,"result":true})
                }
                Some(m) => json!({"method":m,"requestId":req["requestId"],"result":true}),
                None => continue,
            };
            ws.send(Message::Text(reply.to_string().into())).await.unwrap();
        }
    });
    port
}

#[tokio::test]
async fn a_hundred_requests_of_one_method_are_matched_by_request_id() {
    let port = reversing_room(100).await;
    let client = Client::connect(ConnectOptions::new("127.0.0.1").ws_port(port).request_timeout(WAIT)).await.unwrap();
    let calls = (0..100).map(|n| {
        let c = client.clone();
        async move { (n, c.request("echo", json!({ "n": n })).await) }
    });
    for (n, reply) in futures_util::future::join_all(calls).await {
        assert_eq!(reply.unwrap()["n"], n);
    }
}

/// A fake room that authorizes, accepts `createConference`, then sends what `after_accept` says.
async fn scripted_room(after_accept: Vec<Value>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
        while let Some(Ok(Message::Text(t))) = ws.next().await {
            let req: Value = serde_json::from_str(&t).unwrap();
            let m = req["method"].as_str().unwrap_or("").to_owned();
            let mut reply = json!({"method": m, "requestId": req["requestId"], "result": true});
            if m == "getAppState" {
                reply["appState"] = 3.into();
            }
            if m == "getConferenceParticipants" {
                reply["confId"] = "c1@s#vcs".into();
                reply["participants"] = json!([]);
            }
            ws.send(Message::Text(reply.to_string().into())).await.unwrap();
            if m == "createConference" {
                for ev in &after_accept {
                    ws.send(Message::Text(ev.to_string().into())).await.unwrap();
                }
            }
        }
    });
    port
}

#[tokio::test]
async fn waiting_for_the_start_times_out_when_the_room_never_says() {
    let port = scripted_room(vec![]).await;
    let client = Client::connect(ConnectOptions::new("127.0.0.1").ws_port(port)).await.unwrap();
    let pending = client.create_conference(&CreateConference::new("t", ConfType::Role)).await.unwrap();
    let err = pending.wait(Duration::from_millis(300)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(err.to_string().contains("conferenceCreated"), "{err}");
}

#[tokio::test]
async fn app_state_five_alone_is_enough_to_start() {
    let port = scripted_room(vec![json!({"method":"event","event":"appStateChanged","appState":5})]).await;
    let client = Client::connect(ConnectOptions::new("127.0.0.1").ws_port(port)).await.unwrap();
    let pending = client.create_conference(&CreateConference::new("t", ConfType::Role)).await.unwrap();
    let conf = pending.wait(WAIT).await.unwrap();
    assert_eq!(conf.conf_id, "c1@s#vcs");
    assert_eq!(conf.title.as_deref(), Some("t"));
}

#[tokio::test]
async fn a_dropped_connection_fails_every_pending_request_at_once() {
    let emu = emulator(EmulatorConfig::default()).await;
    let (client, mut events) = connect(&emu).await;
    for _ in 0..5 {
        emu.faults().drop_reply("getAppState");
    }
    let pending: Vec<_> = (0..5)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.get_app_state().await })
        })
        .collect();
    // Whether they are on the wire yet or not when the link drops, each must fail with
    // `disconnected` (a time-out would be a different kind).
    let probe = client.request("getSystemInfo", Value::Null).await;
    assert!(probe.is_ok());
    emu.close_all_connections();
    for p in pending {
        let err = p.await.unwrap().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Disconnected, "{err}");
    }
    let ev = next_named(&mut events, tcroom_core::DISCONNECTED).await;
    assert!(matches!(ev.kind, EventKind::Disconnected { .. }));
    assert!(events.recv().await.is_none(), "the stream ends after disconnected");
    assert!(!client.is_connected() && !client.state().connected);
    // Later calls fail at once, with the reason.
    let err = client.get_app_state().await.unwrap_err();
    assert!(matches!(err, Error::Disconnected { .. }), "{err}");
}

#[tokio::test]
async fn the_socket_dropping_mid_request_is_a_clear_error() {
    let emu = emulator(EmulatorConfig::default()).await;
    let (client, _) = connect(&emu).await;
    emu.faults().close_on("getTariffRestrictions");
    let err = client.get_tariff_restrictions().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Disconnected, "{err}");
}

#[tokio::test]
async fn a_late_reply_after_a_time_out_is_ignored() {
    let emu = emulator(EmulatorConfig::default()).await;
    let (client, _) = connect(&emu).await;
    emu.faults().delay_reply("getSystemInfo", Duration::from_millis(300));
    let err = client.request_timeout("getSystemInfo", Value::Null, Duration::from_millis(50)).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err}");
    // The late reply arrives while this one is pending and must not be taken for it.
    let info = client.request_timeout("getAppState", Value::Null, WAIT).await.unwrap();
    assert_eq!(info["method"], "getAppState");
    let info = client.get_system_info().await.unwrap();
    assert!(info.peer_id.is_some());

    // Typed calls take a per-handle time-out; the original handle keeps its own.
    emu.faults().delay_reply("getSystemInfo", Duration::from_millis(300));
    let quick = client.with_timeout(Duration::from_millis(50));
    assert_eq!(quick.default_timeout(), Duration::from_millis(50));
    let err = quick.get_system_info().await.unwrap_err();
    assert!(
        matches!(&err, Error::Timeout { method, after } if method == "getSystemInfo" && *after == Duration::from_millis(50)),
        "{err}"
    );
    assert_eq!(client.default_timeout(), WAIT);
}

#[tokio::test]
async fn garbage_and_huge_frames_are_events_not_crashes() {
    let emu = emulator(EmulatorConfig::default()).await;
    let (client, mut events) = connect(&emu).await;
    emu.faults().send_garbage("}{ not json");
    let ev = next_named(&mut events, tcroom_core::MALFORMED).await;
    assert!(matches!(&ev.kind, EventKind::Malformed { error } if error.contains("malformed JSON")), "{ev:?}");
    assert_eq!(ev.raw["text"], "}{ not json");
    emu.faults().send_garbage("[1,2,3]");
    next_named(&mut events, tcroom_core::MALFORMED).await;

    emu.faults().send_huge_frame(8 << 20);
    let big = next_matching(&mut events, "a huge event", |e| e.raw.to_string().len() > 4 << 20).await;
    assert_eq!(big.kind, EventKind::Unknown);
    assert!(client.get_app_state().await.is_ok(), "still usable");
}

#[tokio::test]
async fn unknown_events_and_fields_are_kept() {
    let emu = emulator(EmulatorConfig::default()).await;
    let (_client, mut events) = connect(&emu).await;
    emu.emit(json!({"method":"event","event":"somethingNew","confId":"x","nested":{"a":[1,2]}}));
    let ev = next_named(&mut events, "somethingNew").await;
    assert_eq!(ev.kind, EventKind::Unknown);
    assert_eq!(ev.raw["nested"]["a"][1], 2);
    assert_eq!(ev.conf_id().as_deref(), Some("x"));
    // A known event with a missing required field degrades to Unknown, raw intact.
    emu.emit(json!({"method":"event","event":"participantLeftConference","confId":"x"}));
    let ev = next_named(&mut events, "participantLeftConference").await;
    assert_eq!(ev.kind, EventKind::Unknown);
    // Extra fields stay in raw of typed events.
    emu.emit(json!({"method":"event","event":"waitingRoomStateChanged","enabled":true,"confId":"x","extra":7}));
    let ev = next_named(&mut events, "waitingRoomStateChanged").await;
    assert!(matches!(ev.kind, EventKind::WaitingRoomStateChanged { enabled: true, .. }));
    assert_eq!(ev.raw["extra"], 7);
}

#[tokio::test]
async fn the_room_cannot_fake_the_events_the_client_makes() {
    let emu = emulator(EmulatorConfig::default()).await;
    let (client, mut events) = connect(&emu).await;
    for name in ["disconnected", "reconnected", "connectionLost", "eventsLost", "stateChanged", "malformedMessage"] {
        emu.emit(json!({"method":"event","event":name,"reason":"fake"}));
        let ev =
            next_matching(&mut events, "the fake, as malformed", |e| matches!(e.kind, EventKind::Malformed { .. }))
                .await;
        assert!(ev.raw["error"].as_str().is_some_and(|e| e.contains(name)), "{name}: {:?}", ev.raw);
    }
    assert!(client.state().connected && client.get_app_state().await.is_ok(), "still connected and usable");
}

#[tokio::test]
async fn a_slow_subscriber_is_told_how_many_it_missed_and_the_primary_stream_loses_nothing() {
    let emu = emulator(EmulatorConfig::default()).await;
    let mut opts = options(&emu);
    opts.event_capacity = 16;
    let (client, mut primary) = Client::connect_subscribed(opts).await.unwrap();
    let mut slow = client.subscribe();
    for i in 0..100 {
        emu.emit(json!({"method":"event","event":"tick","i":i}));
    }
    // The room writes in order: once this reply is in, all 100 ticks have been published.
    client.get_app_state().await.unwrap();
    let mut missed = 0;
    let mut got = 0;
    while got + missed < 100 {
        match slow.recv().await.unwrap() {
            StreamItem::Lagged(n) => missed += n,
            StreamItem::Event(ev) if ev.name == "tick" => got += 1,
            StreamItem::Event(_) => {}
        }
    }
    assert!(missed > 0, "16 slots cannot hold 100 events");
    assert_eq!(got + missed, 100, "every event is either delivered or counted as missed");
    assert!(slow.try_recv().is_none());
    for i in 0..100 {
        let ev = next_named(&mut primary, "tick").await;
        assert_eq!(ev.raw["i"], i, "in order, none lost");
    }
}

#[tokio::test]
async fn raw_requests_validate_their_parameters() {
    let emu = emulator(EmulatorConfig::default()).await;
    let (client, _) = connect(&emu).await;
    for (method, params) in [("", Value::Null), ("getAppState", json!([1])), ("getAppState", json!({"requestId":"9"}))]
    {
        let err = client.request(method, params).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    }
    let err = client.request("noSuchMethod", Value::Null).await.unwrap_err();
    assert!(matches!(&err, Error::Refused { message, .. } if message.contains("noSuchMethod")), "{err}");
}

#[tokio::test]
async fn close_still_delivers_notifications_already_on_their_way() {
    // A room slow to send the notification that follows its `hangUp` reply: the client's close
    // frame crosses it on the wire, as when `close()` follows `hangUp` at once.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
        while let Some(Ok(msg)) = ws.next().await {
            match msg {
                Message::Text(t) => {
                    let req: Value = serde_json::from_str(&t).unwrap();
                    let mut reply = json!({"method": req["method"], "requestId": req["requestId"], "result": true});
                    if req["method"] == "getAppState" {
                        reply["appState"] = 5.into();
                    }
                    ws.send(Message::Text(reply.to_string().into())).await.unwrap();
                    if req["method"] == "hangUp" {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        let ev = json!({"method":"event","event":"conferenceDeleted","confId":"c1"});
                        ws.send(Message::Text(ev.to_string().into())).await.unwrap();
                    }
                }
                Message::Close(_) => break, // tungstenite answers it
                _ => {}
            }
        }
    });
    let (client, mut events) =
        Client::connect_subscribed(ConnectOptions::new("127.0.0.1").ws_port(port)).await.unwrap();
    client.hang_up(true).await.unwrap();
    client.close().await;
    let mut names = Vec::new();
    while let Some(StreamItem::Event(ev)) = events.recv().await {
        names.push(ev.name.clone());
    }
    assert_eq!(names, ["conferenceDeleted", tcroom_core::DISCONNECTED]);
}

#[tokio::test]
async fn close_fails_later_calls_cleanly() {
    let emu = emulator(EmulatorConfig::default()).await;
    let (client, mut events) = connect(&emu).await;
    client.close().await;
    assert_eq!(client.get_app_state().await.unwrap_err().kind(), ErrorKind::Disconnected);
    let ev = next_named(&mut events, tcroom_core::DISCONNECTED).await;
    assert!(matches!(&ev.kind, EventKind::Disconnected { reason } if reason.contains("closed by the client")));
}
