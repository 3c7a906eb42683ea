//! Shared test parts: a real Mosquitto on a free loopback port, an observing MQTT client (the
//! "second client"), emulated rooms and a config builder. Every wait is bounded by `WAIT`.
#![allow(dead_code)]

pub mod ha;

use bytes::Bytes;
use rumqttc::v5::mqttbytes::v5::{Packet, PublishProperties};
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::{AsyncClient, Event, MqttOptions};
use std::collections::HashMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tcroom_emulator::{AuthMode, Emulator, EmulatorConfig};
use tokio::sync::mpsc;

pub const WAIT: Duration = Duration::from_secs(15);

static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// A directory of its own under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let p = std::env::temp_dir().join(format!("tcroom-bridge-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("temp dir");
        TempDir(p)
    }
    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

fn mosquitto_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("MOSQUITTO") {
        return p.into();
    }
    for dir in std::env::var("PATH").unwrap_or_default().split(':').chain(["/usr/sbin", "/usr/local/sbin", "/sbin"]) {
        let p = Path::new(dir).join("mosquitto");
        if p.is_file() {
            return p;
        }
    }
    panic!("mosquitto not found: install it (Debian: apt-get install mosquitto) or set MOSQUITTO=/path/to/mosquitto");
}

/// Extra lines for the broker's configuration (authentication, TLS listener...).
#[derive(Default, Clone)]
pub struct BrokerExtra {
    pub lines: Vec<String>,
    /// Replaces the plain listener line (for a TLS-only broker).
    pub listener: Option<String>,
}

/// A Mosquitto process of this test: no persistence, so a restart loses every retained message
/// (which is what the bridge must repair).
pub struct Mosquitto {
    pub port: u16,
    dir: TempDir,
    extra: BrokerExtra,
    child: Option<Child>,
}

impl Mosquitto {
    pub fn start() -> Mosquitto {
        Self::start_with(BrokerExtra::default())
    }

    pub fn start_with(extra: BrokerExtra) -> Mosquitto {
        let mut m = Mosquitto { port: free_port(), dir: TempDir::new("mosquitto"), extra, child: None };
        m.spawn();
        m
    }

    pub fn dir(&self) -> &Path {
        &self.dir.0
    }

    fn spawn(&mut self) {
        let conf = self.dir.path("mosquitto.conf");
        let listener = self.extra.listener.clone().unwrap_or_else(|| format!("listener {} 127.0.0.1", self.port));
        let mut text = format!("{listener}\npersistence false\nlog_dest stderr\nlog_type error\nlog_type warning\n");
        if !self.extra.lines.iter().any(|l| l.starts_with("allow_anonymous")) {
            text.push_str("allow_anonymous true\n");
        }
        for l in &self.extra.lines {
            text.push_str(l);
            text.push('\n');
        }
        std::fs::write(&conf, text).expect("mosquitto.conf");
        let log = std::fs::File::create(self.dir.path("mosquitto.log")).expect("log file");
        let child = Command::new(mosquitto_binary())
            .arg("-c")
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("mosquitto starts");
        self.child = Some(child);
        self.wait_listening();
    }

    /// Polls the port: the broker prints nothing we could wait on before it listens.
    fn wait_listening(&mut self) {
        let deadline = std::time::Instant::now() + WAIT;
        while std::time::Instant::now() < deadline {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            if let Some(Ok(Some(status))) = self.child.as_mut().map(|c| c.try_wait()) {
                panic!("mosquitto exited with {status}: {}", self.log());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("mosquitto did not listen on {} within {WAIT:?}: {}", self.port, self.log());
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path("mosquitto.log")).unwrap_or_default()
    }

    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Starts a new broker on the same port after `stop`, with nothing retained.
    pub fn start_again(&mut self) {
        self.spawn();
    }

    pub fn url(&self) -> String {
        format!("mqtt://127.0.0.1:{}", self.port)
    }
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A received message.
#[derive(Debug, Clone)]
pub struct Msg {
    pub topic: String,
    pub payload: String,
    pub retain: bool,
    pub correlation: Option<Bytes>,
}

impl Msg {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.payload)
            .unwrap_or_else(|e| panic!("{} is not JSON ({e}): {}", self.topic, self.payload))
    }
}

enum Seen {
    Msg(Msg),
    SubAck,
}

/// The test side: a second MQTT v5 client that records everything under its filters.
pub struct Observer {
    pub client: AsyncClient,
    rx: mpsc::UnboundedReceiver<Seen>,
    pub latest: HashMap<String, Msg>,
    pub all: Vec<Msg>,
    task: tokio::task::JoinHandle<()>,
}

impl Observer {
    /// Connects (retrying while the broker starts) and subscribes; returns after the SubAck, so
    /// retained messages are on their way.
    pub async fn connect(port: u16, filters: &[&str]) -> Observer {
        Self::connect_as(port, filters, None).await
    }

    pub async fn connect_as(port: u16, filters: &[&str], login: Option<(&str, &str)>) -> Observer {
        let id = format!("observer-{}-{}", std::process::id(), NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst));
        let mut o = MqttOptions::new(id, "127.0.0.1", port);
        o.set_max_packet_size(Some(1 << 20));
        if let Some((u, p)) = login {
            o.set_credentials(u, p);
        }
        let (client, mut eventloop) = AsyncClient::new(o, 64);
        let (tx, rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            loop {
                match eventloop.poll().await {
                    Ok(Event::Incoming(Packet::Publish(p))) => {
                        let msg = Msg {
                            topic: String::from_utf8_lossy(&p.topic).into_owned(),
                            payload: String::from_utf8_lossy(&p.payload).into_owned(),
                            retain: p.retain,
                            correlation: p.properties.and_then(|pr| pr.correlation_data),
                        };
                        if tx.send(Seen::Msg(msg)).is_err() {
                            return;
                        }
                    }
                    Ok(Event::Incoming(Packet::SubAck(_))) => {
                        let _ = tx.send(Seen::SubAck);
                    }
                    Ok(_) => {}
                    Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                }
            }
        });
        let mut obs = Observer { client, rx, latest: HashMap::new(), all: Vec::new(), task };
        for f in filters {
            // Retain-as-published: live messages keep their retain flag, so tests can see it.
            let mut filter = rumqttc::v5::mqttbytes::v5::Filter::new(*f, QoS::AtLeastOnce);
            filter.preserve_retain = true;
            obs.client.subscribe_many([filter]).await.expect("subscribe");
            obs.wait_suback().await;
        }
        obs
    }

    async fn wait_suback(&mut self) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(Seen::SubAck)) => return,
                Ok(Some(Seen::Msg(m))) => self.record(m),
                Ok(None) => panic!("observer stopped"),
                Err(_) => panic!("no SubAck within {WAIT:?}"),
            }
        }
    }

    fn record(&mut self, m: Msg) {
        self.latest.insert(m.topic.clone(), m.clone());
        self.all.push(m);
    }

    /// Waits until the latest message on `topic` satisfies `pred` (it may already).
    pub async fn wait_for(&mut self, topic: &str, pred: impl Fn(&Msg) -> bool) -> Msg {
        self.wait_until(&format!("a message on {topic} as expected"), |o| {
            o.latest.get(topic).filter(|m| pred(m)).cloned()
        })
        .await
    }

    /// Waits until `probe` returns something, checking after every message.
    pub async fn wait_until<T>(&mut self, what: &str, probe: impl Fn(&Observer) -> Option<T>) -> T {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Some(v) = probe(self) {
                return v;
            }
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(Seen::Msg(m))) => self.record(m),
                Ok(Some(Seen::SubAck)) => {}
                Ok(None) => panic!("observer stopped while waiting for {what}"),
                Err(_) => panic!(
                    "no {what} within {WAIT:?}; latest: {:#?}",
                    self.latest.iter().map(|(t, m)| format!("{t} = {}", m.payload)).collect::<Vec<_>>()
                ),
            }
        }
    }

    /// Waits for the payload of `topic` to equal `payload`.
    pub async fn wait_payload(&mut self, topic: &str, payload: &str) -> Msg {
        let p = payload.to_owned();
        self.wait_for(topic, move |m| m.payload == p).await
    }

    /// Forgets what was seen on `topic` (to wait for a fresh message).
    pub fn forget(&mut self, topic: &str) {
        self.latest.remove(topic);
    }

    pub async fn publish(&self, topic: &str, payload: &str) {
        self.client.publish(topic, QoS::AtLeastOnce, false, payload.to_owned()).await.expect("publish");
    }

    /// A request with an MQTT v5 response topic and correlation data.
    pub async fn request(&self, topic: &str, payload: &str, response_topic: &str, correlation: &[u8]) {
        let props = PublishProperties {
            response_topic: Some(response_topic.into()),
            correlation_data: Some(Bytes::copy_from_slice(correlation)),
            ..Default::default()
        };
        self.client
            .publish_with_properties(topic, QoS::AtLeastOnce, false, payload.to_owned(), props)
            .await
            .expect("publish");
    }
}

impl Drop for Observer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// An emulated room on fixed ports (so that it can be restarted where the bridge expects it).
pub async fn room(ws_port: u16) -> Emulator {
    Emulator::start(EmulatorConfig { ws_port, auth: AuthMode::Unsecured, ..Default::default() })
        .await
        .expect("emulator starts")
}

/// A bridge configuration: quick back-off so that restarts are picked up fast.
pub struct Setup {
    pub broker_url: String,
    pub prefix: String,
    pub rooms: Vec<(String, u16)>,
    pub extra_mqtt: String,
    pub extra_bridge: String,
    pub extra_room: String,
    pub discovery: bool,
}

impl Setup {
    pub fn new(broker: &Mosquitto, rooms: &[(&str, u16)]) -> Setup {
        Setup {
            broker_url: broker.url(),
            prefix: "tcroom".into(),
            rooms: rooms.iter().map(|(n, p)| (n.to_string(), *p)).collect(),
            extra_mqtt: String::new(),
            extra_bridge: String::new(),
            extra_room: String::new(),
            discovery: true,
        }
    }

    pub fn toml(&self) -> String {
        let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let mut t = format!(
            "[mqtt]\nurl = \"{}\"\nclient_id = \"bridge-{}-{id}\"\ntopic_prefix = \"{}\"\nreconnect = {{ initial_ms = 100, max_ms = 500 }}\n{}\n\
             [bridge]\nstate_interval_ms = 50\n{}\n\
             [home_assistant]\ndiscovery = {}\n\
             [reconnect]\ninitial_ms = 100\nmax_ms = 500\n",
            self.broker_url,
            std::process::id(),
            self.prefix,
            self.extra_mqtt,
            self.extra_bridge,
            self.discovery
        );
        for (name, port) in &self.rooms {
            t.push_str(&format!(
                "[[rooms]]\nname = \"{name}\"\ntitle = \"Room {name}\"\nhost = \"127.0.0.1\"\nws_port = {port}\n{}\n",
                self.extra_room
            ));
        }
        t
    }

    pub fn config(&self) -> tcroom_bridge::Config {
        tcroom_bridge::Config::from_toml(&self.toml()).expect("valid config")
    }
}
