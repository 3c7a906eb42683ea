//! `tcroom-bench bridge`: N emulated rooms through one `tcroom-bridge` process and a Mosquitto.
//!
//! This process hosts the emulator (isolated rooms, so every connection is its own room and
//! `emit` reaches all of them at once) and the measuring MQTT client; the bridge and the broker
//! are child processes, so the bridge's memory and threads are its own. Measured:
//! - the bridge's footprint with N rooms (RSS, threads) and the time until all are `online`;
//! - latency from a room notification to the MQTT subscriber, on `event/<name>` and on the
//!   `app_state` topic, against the core's own event latency for the same N-room fan-out
//!   (N tcroom-core clients in this process, measured first, then closed);
//! - commands per second through MQTT (`cmd/getAppState` with a response topic and correlation
//!   data, K in flight, rooms round robin), against the same commands sent directly by the core.
//!
//! Nothing is asserted on timings; every wait is bounded.

use crate::procfs;
use crate::stats::{emit, r, result, Samples};
use bytes::Bytes;
use rumqttc::v5::mqttbytes::v5::{Filter, Packet, PublishProperties};
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::{AsyncClient, Event, MqttOptions};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tcroom_core::{Client, ConnectOptions, StreamItem};
use tcroom_emulator::{AuthMode, Emulator, EmulatorConfig};
use tokio::sync::mpsc;

type Res<T = ()> = Result<T, String>;

const PREFIX: &str = "bench";
const REPLIES: &str = "bench-replies";
/// Bound on every wait for a round (all rooms).
const ROUND_LIMIT: Duration = Duration::from_secs(60);

pub struct Args {
    pub rooms: usize,
    pub rounds: usize,
    pub seconds: f64,
    pub inflight: usize,
    pub bridge_bin: PathBuf,
    pub mosquitto: Option<PathBuf>,
    pub work_dir: PathBuf,
}

fn room_name(i: usize) -> String {
    format!("r{i:04}")
}

/// A Mosquitto child process on a free loopback port, killed on drop.
struct Broker {
    port: u16,
    child: Child,
}

impl Broker {
    fn start(bin: &Path, dir: &Path) -> Res<Broker> {
        let port =
            std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
        let conf = dir.join("mosquitto.conf");
        // Unlimited queue: the measuring client takes bursts of N messages at QoS 1.
        let text = format!(
            "listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nset_tcp_nodelay true\nlog_dest stderr\nlog_type error\n"
        );
        std::fs::write(&conf, text).map_err(|e| e.to_string())?;
        let log = std::fs::File::create(dir.join("mosquitto.log")).map_err(|e| e.to_string())?;
        let child = Command::new(bin)
            .arg("-c")
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let mut b = Broker { port, child };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline || b.child.try_wait().ok().flatten().is_some() {
                return Err(format!("mosquitto did not listen (see {}/mosquitto.log)", dir.display()));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(b)
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn find_mosquitto(given: Option<PathBuf>) -> Res<PathBuf> {
    if let Some(p) = given {
        return Ok(p);
    }
    for dir in std::env::var("PATH").unwrap_or_default().split(':').chain(["/usr/sbin", "/usr/local/sbin"]) {
        let p = Path::new(dir).join("mosquitto");
        if p.is_file() {
            return Ok(p);
        }
    }
    Err("mosquitto not found (apt-get install mosquitto, or --mosquitto PATH)".into())
}

/// One message as the measuring client got it.
struct Got {
    topic: String,
    payload: Bytes,
    correlation: Option<Bytes>,
    at: Instant,
}

/// The measuring MQTT client.
struct Observer {
    client: AsyncClient,
    rx: mpsc::UnboundedReceiver<Got>,
    task: tokio::task::JoinHandle<()>,
}

impl Observer {
    async fn connect(port: u16, filters: &[String]) -> Res<Observer> {
        let mut o = MqttOptions::new(format!("bench-observer-{}", std::process::id()), "127.0.0.1", port);
        o.set_max_packet_size(Some(1 << 20));
        o.set_outgoing_inflight_upper_limit(1024);
        // Let the broker have many unacknowledged messages in flight to us (its default window
        // toward a subscriber is 20): bursts of N then measure the bridge, not the window.
        o.set_receive_maximum(Some(u16::MAX));
        let mut net = rumqttc::NetworkOptions::new();
        net.set_tcp_nodelay(true);
        o.set_network_options(net);
        let (client, mut eventloop) = AsyncClient::new(o, 4096);
        let (tx, rx) = mpsc::unbounded_channel();
        let (ack_tx, mut ack_rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            loop {
                match eventloop.poll().await {
                    Ok(Event::Incoming(Packet::Publish(p))) => {
                        let got = Got {
                            topic: String::from_utf8_lossy(&p.topic).into_owned(),
                            payload: p.payload,
                            correlation: p.properties.and_then(|pr| pr.correlation_data),
                            at: Instant::now(),
                        };
                        if tx.send(got).is_err() {
                            return;
                        }
                    }
                    Ok(Event::Incoming(Packet::SubAck(_))) => {
                        let _ = ack_tx.send(());
                    }
                    Ok(_) => {}
                    Err(e) => {
                        eprintln!("bench observer: {e}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                }
            }
        });
        let obs = Observer { client, rx, task };
        for f in filters {
            obs.client.subscribe_many([Filter::new(f.clone(), QoS::AtLeastOnce)]).await.map_err(|e| e.to_string())?;
            tokio::time::timeout(Duration::from_secs(10), ack_rx.recv())
                .await
                .map_err(|_| format!("no SubAck for {f}"))?;
        }
        Ok(obs)
    }

    async fn next(&mut self, deadline: tokio::time::Instant) -> Res<Got> {
        match tokio::time::timeout_at(deadline, self.rx.recv()).await {
            Ok(Some(g)) => Ok(g),
            Ok(None) => Err("observer stopped".into()),
            Err(_) => Err("timed out".into()),
        }
    }
}

impl Drop for Observer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// `<prefix>/<room>/<rest>` → (room, rest)
fn split(topic: &str) -> Option<(&str, &str)> {
    topic.strip_prefix(PREFIX)?.strip_prefix('/')?.split_once('/')
}

fn config_toml(rooms: usize, broker_port: u16, ws_port: u16) -> String {
    let mut t = format!(
        "[mqtt]\nurl = \"mqtt://127.0.0.1:{broker_port}\"\nclient_id = \"bench-bridge-{}\"\ntopic_prefix = \"{PREFIX}\"\n\n",
        std::process::id()
    );
    for i in 0..rooms {
        t.push_str(&format!("[[rooms]]\nname = \"{}\"\nhost = \"127.0.0.1\"\nws_port = {ws_port}\n", room_name(i)));
    }
    t
}

fn tick(seq: u64) -> Value {
    json!({"method": "event", "event": "benchTick", "seq": seq, "confId": "000002c6@some.server#vcs",
        "peerId": "user1@some.server/abcd1234", "peerDn": "User One", "mic": 2, "video": 2})
}

/// The core alone: N sessions, the same ticks, the same commands.
async fn core_phase(emu: &Emulator, a: &Args) -> Res<(Samples, Samples, f64)> {
    let port = emu.ws_port();
    let mut clients = Vec::with_capacity(a.rooms);
    let (tx, mut rx) = mpsc::unbounded_channel::<(u64, Instant)>();
    for chunk in (0..a.rooms).collect::<Vec<_>>().chunks(100) {
        let futs = chunk.iter().map(|_| {
            let mut o = ConnectOptions::new("127.0.0.1").ws_port(port);
            o.event_capacity = 16;
            Client::connect_subscribed(o)
        });
        for res in futures_util::future::join_all(futs).await {
            let (client, mut events) = res.map_err(|e| format!("core connect: {e}"))?;
            let tx = tx.clone();
            tokio::spawn(async move {
                while let Some(item) = events.recv().await {
                    if let StreamItem::Event(ev) = item {
                        if ev.name == "benchTick" {
                            let seq = ev.raw.get("seq").and_then(Value::as_u64).unwrap_or(u64::MAX);
                            if tx.send((seq, Instant::now())).is_err() {
                                return;
                            }
                        }
                    }
                }
            });
            clients.push(client);
        }
    }
    let mut lat = Samples::with_capacity(a.rooms * a.rounds);
    for round in 0..a.rounds as u64 {
        let t0 = Instant::now();
        emu.emit(tick(round));
        let deadline = tokio::time::Instant::now() + ROUND_LIMIT;
        let mut n = 0;
        while n < a.rooms {
            let (seq, at) = tokio::time::timeout_at(deadline, rx.recv())
                .await
                .map_err(|_| format!("core: round {round}: {n}/{} ticks", a.rooms))?
                .ok_or("core: channel closed")?;
            if seq == round {
                lat.push(at - t0);
                n += 1;
            }
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    // Commands: K in flight, sessions round robin, for `seconds`.
    let mut cmd = Samples::with_capacity(1 << 16);
    let deadline = Instant::now() + Duration::from_secs_f64(a.seconds);
    let t0 = Instant::now();
    let mut futs = futures_util::stream::FuturesUnordered::new();
    let mut next = 0usize;
    let one = |c: Client| async move {
        let t = Instant::now();
        c.get_app_state().await.map(|_| t.elapsed())
    };
    for _ in 0..a.inflight {
        futs.push(one(clients[next % clients.len()].clone()));
        next += 1;
    }
    use futures_util::StreamExt;
    while let Some(res) = futs.next().await {
        cmd.push(res.map_err(|e| format!("core getAppState: {e}"))?);
        if Instant::now() < deadline {
            futs.push(one(clients[next % clients.len()].clone()));
            next += 1;
        }
    }
    let per_s = cmd.len() as f64 / t0.elapsed().as_secs_f64();
    for c in &clients {
        c.close().await;
    }
    Ok((lat, cmd, per_s))
}

pub async fn run(a: Args) -> Res {
    let mosquitto = find_mosquitto(a.mosquitto.clone())?;
    std::fs::create_dir_all(&a.work_dir).map_err(|e| e.to_string())?;
    let emu = Emulator::start(EmulatorConfig { auth: AuthMode::Unsecured, isolated_rooms: true, ..Default::default() })
        .await
        .map_err(|e| format!("emulator: {e}"))?;

    eprintln!("bridge bench: core alone, {} sessions", a.rooms);
    let (core_lat, core_cmd, core_per_s) = core_phase(&emu, &a).await?;

    let broker = Broker::start(&mosquitto, &a.work_dir)?;
    let filters: Vec<String> = ["availability", "event/benchTick", "app_state"]
        .iter()
        .map(|t| format!("{PREFIX}/+/{t}"))
        .chain([REPLIES.to_string()])
        .collect();
    let mut obs = Observer::connect(broker.port, &filters).await?;
    let config = a.work_dir.join("bridge.toml");
    std::fs::write(&config, config_toml(a.rooms, broker.port, emu.ws_port())).map_err(|e| e.to_string())?;
    let log = std::fs::File::create(a.work_dir.join("bridge.log")).map_err(|e| e.to_string())?;
    eprintln!("bridge bench: starting {} with {} rooms", a.bridge_bin.display(), a.rooms);
    let started = Instant::now();
    let mut bridge = Command::new(&a.bridge_bin)
        .arg(&config)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", a.bridge_bin.display()))?;
    let pid = bridge.id();
    let outcome = bridge_phase(&mut obs, &emu, &a, pid, started).await;
    // Graceful stop: every room must end `offline`.
    let t = Instant::now();
    let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).status();
    let mut offline = 0usize;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let mut state: HashMap<String, bool> = HashMap::new();
    while offline < a.rooms {
        let Ok(g) = obs.next(deadline).await else {
            break;
        };
        if let Some((room, "availability")) = split(&g.topic) {
            let off = &g.payload[..] == b"offline";
            if off && state.insert(room.to_owned(), true) != Some(true) {
                offline += 1;
            }
        }
    }
    let shutdown_ms = t.elapsed().as_secs_f64() * 1e3;
    let _ = bridge.wait();
    drop(obs);
    drop(broker);
    let measured = outcome?;

    let label = format!("{} rooms", a.rooms);
    let mut f = serde_json::Map::new();
    for (k, v) in &measured.footprint {
        f.insert(k.clone(), v.clone());
    }
    f.insert("p50_us".into(), Value::Null);
    f.insert("p99_us".into(), Value::Null);
    f.insert("per_s".into(), Value::Null);
    f.insert("shutdown_all_offline_ms".into(), json!(r(shutdown_ms)));
    f.insert("rooms_offline_after_sigterm".into(), json!(offline));
    f.insert(
        "note".into(),
        json!(format!(
            "RSS {} MB ({} KB/room), {} threads, all online in {} ms, SIGTERM -> {} offline in {} ms",
            measured.footprint["rss_mb"],
            measured.footprint["rss_kb_per_room"],
            measured.footprint["threads"],
            measured.footprint["all_online_ms"],
            offline,
            r(shutdown_ms)
        )),
    );
    emit(&result(&format!("bridge {label}: footprint"), "bridge/scale", "bridge", f));

    let lat_row = |name: &str, client: &str, s: &Samples, note: String| {
        let mut f = s.summary().fields();
        f.insert("per_s".into(), Value::Null);
        f.insert("note".into(), json!(note));
        emit(&result(name, "bridge/latency", client, f));
    };
    lat_row(
        &format!("event latency, core alone ({label} fan-out)"),
        "core",
        &core_lat,
        "room notification -> tcroom-core EventStream".into(),
    );
    lat_row(
        &format!("event latency, bridge ({label})"),
        "bridge-event",
        &measured.event_lat,
        "room notification -> MQTT subscriber of event/benchTick".into(),
    );
    lat_row(
        &format!("state latency, bridge ({label})"),
        "bridge-state",
        &measured.state_lat,
        "appStateChanged -> MQTT subscriber of app_state (leading edge of the rate limit)".into(),
    );
    let cmd_row = |name: &str, client: &str, s: &Samples, per_s: f64, note: String| {
        let mut f = s.summary().fields();
        f.insert("per_s".into(), json!(r(per_s)));
        f.insert("inflight".into(), json!(a.inflight));
        f.insert("note".into(), json!(note));
        emit(&result(name, "bridge/commands", client, f));
    };
    cmd_row(
        &format!("getAppState, core direct ({} in flight over {label})", a.inflight),
        "core",
        &core_cmd,
        core_per_s,
        "tcroom-core request/reply".into(),
    );
    cmd_row(
        &format!("getAppState through MQTT ({} in flight over {label})", a.inflight),
        "bridge",
        &measured.cmd_lat,
        measured.cmd_per_s,
        format!("cmd/getAppState with response topic -> reply, {} error replies", measured.cmd_errors),
    );
    Ok(())
}

struct Measured {
    footprint: serde_json::Map<String, Value>,
    event_lat: Samples,
    state_lat: Samples,
    cmd_lat: Samples,
    cmd_per_s: f64,
    cmd_errors: u64,
}

async fn bridge_phase(obs: &mut Observer, emu: &Emulator, a: &Args, pid: u32, started: Instant) -> Res<Measured> {
    let n = a.rooms;
    // 1. Until every room is online.
    let mut online: HashMap<String, bool> = HashMap::new();
    let mut count = 0usize;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    while count < n {
        let g = obs.next(deadline).await.map_err(|e| format!("{count}/{n} rooms online: {e}"))?;
        if let Some((room, "availability")) = split(&g.topic) {
            let on = &g.payload[..] == b"online";
            let was = online.insert(room.to_owned(), on).unwrap_or(false);
            match (was, on) {
                (false, true) => count += 1,
                (true, false) => count -= 1,
                _ => {}
            }
        }
    }
    let all_online_ms = started.elapsed().as_secs_f64() * 1e3;
    eprintln!("bridge bench: {n} rooms online in {all_online_ms:.0} ms");
    // Let the initial retained burst finish before measuring memory and latency.
    tokio::time::sleep(Duration::from_secs(1)).await;
    while obs.rx.try_recv().is_ok() {}
    let rss_kb = procfs::rss_kb(Some(pid));
    let threads = procfs::threads(Some(pid));

    // 2. Event latency.
    let mut event_lat = Samples::with_capacity(n * a.rounds);
    for round in 0..a.rounds as u64 {
        let t0 = Instant::now();
        emu.emit(tick(round));
        let deadline = tokio::time::Instant::now() + ROUND_LIMIT;
        let mut got = 0;
        while got < n {
            let g = obs.next(deadline).await.map_err(|e| format!("event round {round}: {got}/{n}: {e}"))?;
            if g.topic.ends_with("/event/benchTick") {
                let seq = serde_json::from_slice::<Value>(&g.payload).ok().and_then(|v| v["seq"].as_u64());
                if seq == Some(round) {
                    event_lat.push(g.at - t0);
                    got += 1;
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    // 3. State latency: appState 4 and 3 in turn; rounds spaced beyond the state interval.
    let mut state_lat = Samples::with_capacity(n * a.rounds);
    for round in 0..a.rounds {
        let (code, name) = if round % 2 == 0 { (4, "wait") } else { (3, "normal") };
        let t0 = Instant::now();
        emu.emit(json!({"method": "event", "event": "appStateChanged", "appState": code}));
        let deadline = tokio::time::Instant::now() + ROUND_LIMIT;
        let mut got = 0;
        while got < n {
            let g = obs.next(deadline).await.map_err(|e| format!("state round {round}: {got}/{n}: {e}"))?;
            if g.topic.ends_with("/app_state") && &g.payload[..] == name.as_bytes() {
                state_lat.push(g.at - t0);
                got += 1;
            }
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    // 4. Commands through MQTT.
    let mut cmd_lat = Samples::with_capacity(1 << 16);
    let mut sent: HashMap<u64, Instant> = HashMap::new();
    let mut seq = 0u64;
    let mut errors = 0u64;
    let client = obs.client.clone();
    let send = |seq: u64| {
        let topic = format!("{PREFIX}/{}/cmd/getAppState", room_name(seq as usize % n));
        let props = PublishProperties {
            response_topic: Some(REPLIES.into()),
            correlation_data: Some(Bytes::copy_from_slice(&seq.to_be_bytes())),
            ..Default::default()
        };
        client.publish_with_properties(topic, QoS::AtLeastOnce, false, Bytes::new(), props)
    };
    let t0 = Instant::now();
    let stop = t0 + Duration::from_secs_f64(a.seconds);
    for _ in 0..a.inflight {
        sent.insert(seq, Instant::now());
        send(seq).await.map_err(|e| e.to_string())?;
        seq += 1;
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs_f64(a.seconds) + ROUND_LIMIT;
    while !sent.is_empty() {
        let g = obs.next(deadline).await.map_err(|e| format!("commands: {} unanswered: {e}", sent.len()))?;
        if g.topic != REPLIES {
            continue;
        }
        let Some(c) = g.correlation.as_deref().and_then(|c| <[u8; 8]>::try_from(c).ok()) else {
            continue;
        };
        let Some(t) = sent.remove(&u64::from_be_bytes(c)) else {
            continue;
        };
        cmd_lat.push(g.at - t);
        if serde_json::from_slice::<Value>(&g.payload).ok().and_then(|v| v["ok"].as_bool()) != Some(true) {
            errors += 1;
        }
        if Instant::now() < stop {
            sent.insert(seq, Instant::now());
            send(seq).await.map_err(|e| e.to_string())?;
            seq += 1;
        }
    }
    let cmd_per_s = cmd_lat.len() as f64 / t0.elapsed().as_secs_f64();

    let mut footprint = serde_json::Map::new();
    footprint.insert("rooms".into(), json!(n));
    footprint.insert("all_online_ms".into(), json!(r(all_online_ms)));
    footprint.insert("rss_mb".into(), json!(r(rss_kb as f64 / 1024.0)));
    footprint.insert("rss_kb_per_room".into(), json!(r(rss_kb as f64 / n as f64)));
    footprint.insert("threads".into(), json!(threads));
    footprint.insert("rss_after_load_mb".into(), json!(r(procfs::rss_kb(Some(pid)) as f64 / 1024.0)));
    footprint.insert("threads_after_load".into(), json!(procfs::threads(Some(pid))));
    Ok(Measured { footprint, event_lat, state_lat, cmd_lat, cmd_per_s, cmd_errors: errors })
}
