//! End to end: a real Mosquitto, emulated rooms over real sockets, the bridge in between, and a
//! second MQTT client watching and commanding. Runs on today's emulator; what needs the room
//! control of PROTOCOL.md §10 is in room_control_pending.rs.

mod common;

use common::{free_port, ha, room, BrokerExtra, Mosquitto, Observer, Setup, TempDir};
use serde_json::{json, Value};
use std::collections::HashSet;
use tcroom_bridge::Bridge;

fn state_of(o: &Observer, room: &str) -> Option<Value> {
    o.latest.get(&format!("tcroom/{room}/state")).map(|m| m.json())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conference_created_by_command_shows_in_state_and_events() {
    let broker = Mosquitto::start();
    let port = free_port();
    let _emu = room(port).await;
    let bridge = Bridge::start(&Setup::new(&broker, &[("lobby", port)]).config()).unwrap();
    let mut obs = Observer::connect(broker.port, &["tcroom/#", "test/replies"]).await;
    obs.wait_payload("tcroom/lobby/availability", "online").await;
    obs.wait_payload("tcroom/lobby/app_state", "normal").await;
    obs.wait_payload("tcroom/lobby/in_call", "false").await;
    // Read from the room at connect (getMicMute), so known from the first publication.
    obs.wait_payload("tcroom/lobby/mic_muted", "false").await;
    assert!(obs.latest["tcroom/lobby/availability"].retain);

    let params = json!({"title": "Standup", "confType": "role", "inviteList": ["user1@some.server"]});
    obs.request("tcroom/lobby/cmd/createConference", &params.to_string(), "test/replies", b"c-1").await;
    let reply = obs.wait_for("test/replies", |_| true).await;
    assert_eq!(reply.correlation.as_deref(), Some(&b"c-1"[..]));
    let body = reply.json();
    assert_eq!(body["ok"], true, "{body}");
    assert_eq!(body["method"], "createConference");
    assert_eq!(body["reply"]["result"], true);

    let created = obs.wait_for("tcroom/lobby/event/conferenceCreated", |_| true).await;
    assert!(!created.retain, "events are not retained");
    assert_eq!(created.json()["confTitle"], "Standup");
    obs.wait_for("tcroom/lobby/event/newParticipantInConference", |_| true).await;
    let state = obs
        .wait_until("the conference and its participant in state", |o| {
            state_of(o, "lobby").filter(|s| {
                s["conference"]["title"] == "Standup" && s["participants"].as_array().is_some_and(|p| !p.is_empty())
            })
        })
        .await;
    assert_eq!(state["app_state"], 5);
    assert!(obs.latest["tcroom/lobby/state"].retain);
    obs.wait_payload("tcroom/lobby/app_state", "conference").await;
    obs.wait_payload("tcroom/lobby/in_call", "true").await;
    obs.wait_for("tcroom/lobby/participants_count", |m| m.payload.parse::<u32>().is_ok_and(|n| n >= 1)).await;

    // Without a response topic the reply goes to reply/<method>.
    obs.publish("tcroom/lobby/cmd/hangUp", r#"{"forAll":true}"#).await;
    let reply = obs.wait_for("tcroom/lobby/reply/hangUp", |_| true).await;
    assert_eq!(reply.json()["ok"], true);
    obs.wait_payload("tcroom/lobby/in_call", "false").await;
    obs.wait_for("tcroom/lobby/event/conferenceDeleted", |_| true).await;

    bridge.shutdown().await;
    obs.wait_payload("tcroom/lobby/availability", "offline").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_error_replies_and_nothing_breaks() {
    let broker = Mosquitto::start();
    let port = free_port();
    let _emu = room(port).await;
    // "gone" has no room behind it: it stays offline.
    let setup = Setup::new(&broker, &[("lobby", port), ("gone", free_port())]);
    let bridge = Bridge::start(&setup.config()).unwrap();
    let mut obs = Observer::connect(broker.port, &["tcroom/#", "test/r"]).await;
    obs.wait_payload("tcroom/lobby/availability", "online").await;
    obs.wait_payload("tcroom/gone/availability", "offline").await;

    let cases: [(&str, &str, &str); 5] = [
        ("tcroom/lobby/cmd/getAppState", "{not json", "bad_json"),
        ("tcroom/lobby/cmd/getAppState", "[1,2]", "bad_json"),
        ("tcroom/lobby/cmd/noSuchCommand", "{}", "refused"),
        ("tcroom/gone/cmd/getAppState", "", "offline"),
        ("tcroom/nowhere/cmd/getAppState", "{}", "unknown_room"),
    ];
    for (i, (topic, payload, kind)) in cases.iter().enumerate() {
        let corr = format!("k{i}");
        obs.forget("test/r");
        obs.request(topic, payload, "test/r", corr.as_bytes()).await;
        let reply = obs.wait_for("test/r", |m| m.correlation.as_deref() == Some(corr.as_bytes())).await;
        let body = reply.json();
        assert_eq!(body["ok"], false, "{topic}: {body}");
        assert_eq!(body["kind"], *kind, "{topic}: {body}");
        assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()), "{body}");
    }
    // Without a response topic, the unknown room's reply goes where its reply topic would be.
    obs.publish("tcroom/nowhere/cmd/hangUp", "{}").await;
    let reply = obs.wait_for("tcroom/nowhere/reply/hangUp", |_| true).await;
    assert_eq!(reply.json()["kind"], "unknown_room");

    // The room's own refusal carries its text.
    obs.publish("tcroom/lobby/cmd/hangUp", r#"{"forAll":false}"#).await;
    let refused = obs.wait_for("tcroom/lobby/reply/hangUp", |_| true).await.json();
    assert_eq!(refused["kind"], "refused", "{refused}");

    // And the bridge still works.
    obs.publish("tcroom/lobby/cmd/getAppState", "").await;
    let ok = obs.wait_for("tcroom/lobby/reply/getAppState", |_| true).await.json();
    assert_eq!(ok["ok"], true, "{ok}");
    assert_eq!(ok["reply"]["appState"], 3);
    bridge.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_assistant_discovery_is_valid_and_drives_the_command_path() {
    let broker = Mosquitto::start();
    let (p1, p2) = (free_port(), free_port());
    let (_e1, _e2) = (room(p1).await, room(p2).await);
    let bridge = Bridge::start(&Setup::new(&broker, &[("lobby", p1), ("board-room", p2)]).config()).unwrap();
    let mut obs = Observer::connect(broker.port, &["homeassistant/#", "tcroom/#"]).await;
    for r in ["lobby", "board-room"] {
        obs.wait_payload(&format!("tcroom/{r}/availability"), "online").await;
    }
    let configs = obs
        .wait_until("9 discovery configs per room", |o| {
            let c: Vec<_> = o.latest.values().filter(|m| m.topic.starts_with("homeassistant/")).cloned().collect();
            (c.len() == 18).then_some(c)
        })
        .await;

    // Retained messages come in topic-tree order, not publication order: wait for all of them.
    let referenced: Vec<String> = configs
        .iter()
        .flat_map(|m| {
            let c = m.json();
            ["state_topic", "json_attributes_topic"].into_iter().filter_map(move |k| c[k].as_str().map(str::to_owned))
        })
        .collect();
    obs.wait_until("every topic an entity reads", |o| {
        referenced.iter().all(|t| o.latest.contains_key(t)).then_some(())
    })
    .await;

    let mut unique = HashSet::new();
    let mut platforms = Vec::new();
    for m in &configs {
        platforms.push(ha::check("homeassistant", &m.topic, m.retain, &m.payload));
        let c = m.json();
        assert!(unique.insert(c["unique_id"].as_str().unwrap().to_owned()), "unique_id twice: {}", m.payload);
        let room = if m.payload.contains("tcroom/lobby/") { "lobby" } else { "board-room" };
        assert_eq!(c["availability_topic"], format!("tcroom/{room}/availability"));
        assert_eq!(c["device"]["identifiers"][0], format!("tcroom_{room}"));
        assert_eq!(c["device"]["name"], format!("Room {room}"));
        // Every state topic an entity reads is a retained topic the bridge publishes.
        for key in ["state_topic", "json_attributes_topic"] {
            if let Some(t) = c[key].as_str() {
                let seen = obs.latest.get(t).unwrap_or_else(|| panic!("{key} {t} is never published"));
                assert!(seen.retain, "{t} is not retained");
            }
        }
        // Every command goes to the generic command path with a JSON payload.
        if let Some(t) = c["command_topic"].as_str() {
            assert!(t.starts_with(&format!("tcroom/{room}/cmd/")), "{t}");
            for key in ["payload_on", "payload_off", "payload_press"] {
                if let Some(p) = c[key].as_str() {
                    assert!(serde_json::from_str::<Value>(p).is_ok_and(|v| v.is_object()), "{key}: {p}");
                }
            }
        }
    }
    platforms.sort();
    let mut expected: Vec<String> =
        ["binary_sensor", "button", "button", "button", "sensor", "switch", "switch", "switch", "text"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    expected.extend(expected.clone());
    expected.sort();
    assert_eq!(platforms, expected);

    let entity = |key: &str| {
        configs
            .iter()
            .map(|m| m.json())
            .find(|c| c["unique_id"] == format!("tcroom_lobby_{key}"))
            .unwrap_or_else(|| panic!("no {key}"))
    };
    // The text entity, rendered as Home Assistant would, sends `call {peerId}`.
    let call = entity("call");
    let payload = ha::render_command_template(call["command_template"].as_str().unwrap(), "user1@some.server");
    assert_eq!(serde_json::from_str::<Value>(&payload).unwrap(), json!({"peerId": "user1@some.server"}));
    obs.publish(call["command_topic"].as_str().unwrap(), &payload).await;
    let reply = obs.wait_for("tcroom/lobby/reply/call", |_| true).await.json();
    assert_eq!(reply["ok"], true, "{reply}");
    // A button press reaches the room (which may refuse it in this state, but not our JSON).
    let answer = entity("answer");
    obs.publish(answer["command_topic"].as_str().unwrap(), answer["payload_press"].as_str().unwrap()).await;
    let reply = obs.wait_for("tcroom/lobby/reply/accept", |_| true).await.json();
    assert_ne!(reply["kind"], "bad_json", "{reply}");
    assert_eq!(reply["method"], "accept");
    bridge.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broker_restart_is_survived_and_what_changed_meanwhile_is_retained() {
    let mut broker = Mosquitto::start();
    let port = free_port();
    let emu = room(port).await;
    let bridge = Bridge::start(&Setup::new(&broker, &[("lobby", port)]).config()).unwrap();
    {
        let mut obs = Observer::connect(broker.port, &["tcroom/#"]).await;
        obs.wait_payload("tcroom/lobby/availability", "online").await;
        obs.wait_payload("tcroom/lobby/app_state", "normal").await;
    }
    broker.stop();
    // The room changes while the broker is away (and the broker forgets everything retained).
    emu.emit(json!({"method": "event", "event": "appStateChanged", "appState": 4}));
    broker.start_again();

    let mut obs = Observer::connect(broker.port, &["tcroom/#", "homeassistant/#"]).await;
    obs.wait_payload("tcroom/lobby/app_state", "wait").await;
    let m = obs.wait_payload("tcroom/lobby/availability", "online").await;
    assert!(m.retain);
    obs.wait_until("the state JSON with appState 4", |o| state_of(o, "lobby").filter(|s| s["app_state"] == 4)).await;
    obs.wait_until("discovery republished", |o| {
        (o.latest.keys().filter(|t| t.starts_with("homeassistant/")).count() == 9).then_some(())
    })
    .await;
    // Commands work on the new broker.
    obs.publish("tcroom/lobby/cmd/getAppState", "").await;
    assert_eq!(obs.wait_for("tcroom/lobby/reply/getAppState", |_| true).await.json()["ok"], true);
    bridge.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_room_restart_turns_offline_then_online_again() {
    let broker = Mosquitto::start();
    let port = free_port();
    let emu = room(port).await;
    let bridge = Bridge::start(&Setup::new(&broker, &[("lobby", port)]).config()).unwrap();
    let mut obs = Observer::connect(broker.port, &["tcroom/#"]).await;
    obs.wait_payload("tcroom/lobby/availability", "online").await;

    emu.shutdown().await;
    obs.wait_payload("tcroom/lobby/availability", "offline").await;
    obs.wait_until("state saying disconnected", |o| state_of(o, "lobby").filter(|s| s["connected"] == false)).await;
    obs.publish("tcroom/lobby/cmd/getAppState", "").await;
    assert_eq!(obs.wait_for("tcroom/lobby/reply/getAppState", |_| true).await.json()["kind"], "offline");

    let _emu = room(port).await;
    obs.wait_payload("tcroom/lobby/availability", "online").await;
    obs.wait_until("state connected again", |o| state_of(o, "lobby").filter(|s| s["connected"] == true)).await;
    obs.forget("tcroom/lobby/reply/getAppState");
    obs.publish("tcroom/lobby/cmd/getAppState", "").await;
    assert_eq!(obs.wait_for("tcroom/lobby/reply/getAppState", |_| true).await.json()["ok"], true);
    bridge.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_will_marks_every_room_offline_when_the_bridge_dies() {
    let broker = Mosquitto::start();
    let (p1, p2) = (free_port(), free_port());
    let (_e1, _e2) = (room(p1).await, room(p2).await);
    let setup = Setup::new(&broker, &[("a", p1), ("b", p2)]);
    let config = setup.config();
    let bridge = Bridge::start(&config).unwrap();
    let status = format!("tcroom/_bridge/{}/availability", config.mqtt.client_id);
    let mut obs = Observer::connect(broker.port, &["tcroom/#"]).await;
    for r in ["a", "b"] {
        obs.wait_payload(&format!("tcroom/{r}/availability"), "online").await;
    }
    obs.wait_payload(&status, "online").await;
    // No shutdown: the connections just close, as when the process is killed.
    drop(bridge);
    for r in ["a", "b"] {
        assert!(obs.wait_payload(&format!("tcroom/{r}/availability"), "offline").await.retain);
    }
    obs.wait_payload(&status, "offline").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broker_credentials_come_from_a_file() {
    let dir = TempDir::new("creds");
    let passwords = dir.path("passwd");
    std::fs::write(&passwords, "").unwrap();
    let status = std::process::Command::new("mosquitto_passwd")
        .args(["-b"])
        .arg(&passwords)
        .args(["bridge", "s3cret-pw"])
        .status()
        .expect("mosquitto_passwd runs (Debian package mosquitto)");
    assert!(status.success());
    make_readable(&passwords);
    let secret = dir.path("mqtt-password");
    std::fs::write(&secret, "s3cret-pw\n").unwrap();
    let extra = BrokerExtra {
        lines: vec!["allow_anonymous false".into(), format!("password_file {}", passwords.display())],
        listener: None,
    };
    let broker = Mosquitto::start_with(extra);
    let port = free_port();
    let _emu = room(port).await;
    let mut setup = Setup::new(&broker, &[("lobby", port)]);
    setup.extra_mqtt = format!("username = \"bridge\"\npassword_file = {:?}\n", secret.display().to_string());
    let bridge = Bridge::start(&setup.config()).unwrap();
    let mut obs = Observer::connect_as(broker.port, &["tcroom/#"], Some(("bridge", "s3cret-pw"))).await;
    obs.wait_payload("tcroom/lobby/availability", "online").await;
    bridge.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtts_with_a_private_ca() {
    let dir = TempDir::new("tls");
    make_certificates(&dir);
    let tls_port = free_port();
    // The plain listener (for the observer) stays; a TLS one is added for the bridge.
    let extra = BrokerExtra {
        listener: None,
        lines: vec![
            format!("listener {tls_port} 127.0.0.1"),
            format!("cafile {}", dir.path("ca.pem").display()),
            format!("certfile {}", dir.path("server.pem").display()),
            format!("keyfile {}", dir.path("server.key").display()),
        ],
    };
    let broker = Mosquitto::start_with(extra);
    let port = free_port();
    let _emu = room(port).await;
    let mut setup = Setup::new(&broker, &[("lobby", port)]);
    setup.broker_url = format!("mqtts://127.0.0.1:{tls_port}");
    setup.extra_mqtt = format!("ca_file = {:?}\n", dir.path("ca.pem").display().to_string());
    let bridge = Bridge::start(&setup.config()).unwrap();
    let mut obs = Observer::connect(broker.port, &["tcroom/#"]).await;
    obs.wait_payload("tcroom/lobby/availability", "online").await;
    bridge.shutdown().await;
}

/// Mosquitto started as root drops to its own user: what it reads must be readable to others.
fn make_readable(p: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o644)).unwrap();
}

/// A CA and a server certificate for 127.0.0.1, with the openssl command line.
fn make_certificates(dir: &TempDir) {
    let run = |args: &[&str]| {
        let out = std::process::Command::new("openssl").args(args).current_dir(&dir.0).output().expect("openssl runs");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=tcroom test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    ]);
    std::fs::write(dir.path("ext.cnf"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n").unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
        "-out",
        "server.pem",
    ]);
    for f in ["ca.pem", "server.pem", "server.key"] {
        make_readable(&dir.path(f));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_never_logs_secrets_and_says_offline_on_sigterm() {
    use tcroom_emulator::{AuthMode, Emulator, EmulatorConfig};
    const PIN: &str = "pin-7ac4e1";
    const PASSWORD: &str = "pw-93b0d2";
    let dir = TempDir::new("bin");
    let passwords = dir.path("passwd");
    std::fs::write(&passwords, "").unwrap();
    let ok = std::process::Command::new("mosquitto_passwd")
        .arg("-b")
        .arg(&passwords)
        .args(["bridge", PASSWORD])
        .status()
        .unwrap();
    assert!(ok.success());
    make_readable(&passwords);
    let broker = Mosquitto::start_with(BrokerExtra {
        lines: vec!["allow_anonymous false".into(), format!("password_file {}", passwords.display())],
        listener: None,
    });
    let port = free_port();
    let _emu = Emulator::start(EmulatorConfig { ws_port: port, auth: AuthMode::Pin(PIN.into()), ..Default::default() })
        .await
        .unwrap();
    let mut setup = Setup::new(&broker, &[("lobby", port)]);
    setup.extra_mqtt = "username = \"bridge\"\npassword_env = \"TEST_MQTT_PASSWORD\"\n".into();
    setup.extra_room = "pin_env = \"TEST_ROOM_PIN\"\n".into();
    let config = dir.path("bridge.toml");
    std::fs::write(&config, setup.toml()).unwrap();
    let log = dir.path("stderr.log");

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tcroom-bridge"))
        .arg(&config)
        .arg("-vv")
        .env("TEST_MQTT_PASSWORD", PASSWORD)
        .env("TEST_ROOM_PIN", PIN)
        .env_remove("RUST_LOG")
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut obs = Observer::connect_as(broker.port, &["tcroom/#"], Some(("bridge", PASSWORD))).await;
    obs.wait_payload("tcroom/lobby/availability", "online").await;
    obs.publish("tcroom/lobby/cmd/getAppState", "").await;
    assert_eq!(obs.wait_for("tcroom/lobby/reply/getAppState", |_| true).await.json()["ok"], true);

    let term = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(term.success());
    obs.wait_payload("tcroom/lobby/availability", "offline").await;
    let status = tokio::task::spawn_blocking(move || child.wait()).await.unwrap().unwrap();
    assert!(status.success(), "exit status {status}");

    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("room connected"), "the log is not verbose enough to prove anything:\n{text}");
    for secret in [PIN, PASSWORD] {
        assert!(!text.contains(secret), "a secret reached the log:\n{text}");
    }
}
