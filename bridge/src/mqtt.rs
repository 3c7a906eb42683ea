//! MQTT sessions: one connection to the broker with its own last will, a task that keeps it up
//! (reconnecting with back-off) and a publisher that drains an [`Outbox`] while it is up.
//!
//! Every room has its own session, because a last will covers one topic: the room's
//! `availability` turns `offline` by the broker's hand if the bridge dies. Sessions start clean:
//! commands sent while the bridge was away are not replayed later (the room may have moved on),
//! and after every connect the subscriptions are made again and every retained slot goes out.

use crate::config::{MqttConfig, ReconnectPolicy};
use crate::error::{BridgeError, Result};
use crate::outbox::{Message, Outbox};
use rumqttc::v5::mqttbytes::v5::{LastWill, Packet, Publish};
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::{AsyncClient, Event, EventLoop, MqttOptions};
use rumqttc::{TlsConfiguration, Transport};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tcroom_core::Secret;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing::{debug, info, warn};

/// Requests waiting for the event loop; beyond this the publisher waits (and the outbox merges
/// or drops), so memory stays bounded when the broker is slow.
const REQUEST_CHANNEL: usize = 32;
/// Largest packet accepted from the broker (a command's JSON).
const MAX_INCOMING_PACKET: u32 = 1 << 20;
/// Our side's cap on unacknowledged QoS>0 publishes (the broker's receive maximum may lower it).
const MAX_INFLIGHT: u16 = 64;

/// `mqtt://host[:port]` or `mqtts://host[:port]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerUrl {
    pub host: String,
    pub port: u16,
    pub tls: bool,
}

impl BrokerUrl {
    pub fn parse(url: &str) -> Result<BrokerUrl> {
        let bad = |why: &str| BridgeError::Config(format!("mqtt.url '{url}': {why}"));
        let (tls, rest) = if let Some(r) = url.strip_prefix("mqtt://") {
            (false, r)
        } else if let Some(r) = url.strip_prefix("mqtts://") {
            (true, r)
        } else {
            return Err(bad("must start with mqtt:// or mqtts://"));
        };
        let rest = rest.trim_end_matches('/');
        if rest.contains(['/', '@', '?']) {
            return Err(bad("only host and port are allowed (credentials go in username / password_env)"));
        }
        let default_port = if tls { 8883 } else { 1883 };
        let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
            let (h, after) = v6.split_once(']').ok_or_else(|| bad("unclosed '['"))?;
            (h.to_owned(), after.strip_prefix(':'))
        } else {
            match rest.rsplit_once(':') {
                Some((h, p)) => (h.to_owned(), Some(p)),
                None => (rest.to_owned(), None),
            }
        };
        let port = match port {
            Some(p) => p.parse::<u16>().ok().filter(|p| *p != 0).ok_or_else(|| bad("bad port"))?,
            None => default_port,
        };
        if host.is_empty() {
            return Err(bad("no host"));
        }
        Ok(BrokerUrl { host, port, tls })
    }
}

/// How every session of this bridge reaches the broker.
#[derive(Clone)]
pub struct Broker {
    url: BrokerUrl,
    credentials: Option<(String, Secret)>,
    tls: Option<TlsConfiguration>,
    pub qos: QoS,
    keep_alive: Duration,
    reconnect: ReconnectPolicy,
}

pub fn qos(n: u8) -> QoS {
    match n {
        0 => QoS::AtMostOnce,
        1 => QoS::AtLeastOnce,
        _ => QoS::ExactlyOnce,
    }
}

impl Broker {
    /// Reads the credentials and prepares TLS now, so a bad secret or CA file stops the start.
    pub fn new(c: &MqttConfig) -> Result<Broker> {
        let url = BrokerUrl::parse(&c.url)?;
        let tls = if url.tls { Some(tls_config(c.ca_file.as_deref())?) } else { None };
        Ok(Broker {
            url,
            credentials: c.credentials()?,
            tls,
            qos: qos(c.qos),
            keep_alive: Duration::from_secs(c.keep_alive_s),
            reconnect: c.reconnect,
        })
    }

    fn options(&self, client_id: &str, will_topic: &str) -> MqttOptions {
        let mut o = MqttOptions::new(client_id, self.url.host.clone(), self.url.port);
        o.set_keep_alive(self.keep_alive);
        o.set_clean_start(true);
        o.set_last_will(LastWill::new(will_topic, "offline", self.qos, true, None));
        if let Some((user, password)) = &self.credentials {
            o.set_credentials(user.clone(), password.expose());
        }
        o.set_max_packet_size(Some(MAX_INCOMING_PACKET));
        o.set_outgoing_inflight_upper_limit(MAX_INFLIGHT);
        // Small request/reply packets: without this, Nagle and delayed ACKs add ~40 ms to a
        // command's round trip.
        let mut net = rumqttc::NetworkOptions::new();
        net.set_tcp_nodelay(true);
        o.set_network_options(net);
        if let Some(tls) = &self.tls {
            o.set_transport(Transport::tls_with_config(tls.clone()));
        }
        o
    }

    /// `host:port` for log lines (no credentials in it).
    pub fn address(&self) -> String {
        format!("{}://{}:{}", if self.url.tls { "mqtts" } else { "mqtt" }, self.url.host, self.url.port)
    }
}

/// rustls with the ring provider; roots from `ca_file` or the system.
fn tls_config(ca_file: Option<&Path>) -> Result<TlsConfiguration> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;
    let mut roots = rustls::RootCertStore::empty();
    match ca_file {
        Some(path) => {
            let certs = CertificateDer::pem_file_iter(path)
                .map_err(|e| BridgeError::Tls(format!("cannot read {}: {e}", path.display())))?;
            for cert in certs {
                let cert = cert.map_err(|e| BridgeError::Tls(format!("{}: {e}", path.display())))?;
                roots.add(cert).map_err(|e| BridgeError::Tls(format!("{}: {e}", path.display())))?;
            }
        }
        None => {
            let found = rustls_native_certs::load_native_certs();
            for cert in found.certs {
                // One unusable system certificate is no reason to refuse the others.
                let _ = roots.add(cert);
            }
        }
    }
    if roots.is_empty() {
        return Err(BridgeError::Tls("no CA certificate to verify the broker with (set mqtt.ca_file)".into()));
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| BridgeError::Tls(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(TlsConfiguration::Rustls(Arc::new(config)))
}

/// What a session is for.
pub struct SessionSpec {
    pub client_id: String,
    /// Retained `offline` goes here when the connection dies without a goodbye.
    pub will_topic: String,
    pub subscriptions: Vec<String>,
    /// Warn about broker trouble (the bridge-wide session) or only debug (room sessions, which
    /// would repeat the same news once per room).
    pub loud: bool,
}

/// Handles an incoming publish; called on the session's task, so it must not wait.
pub type OnPublish = Box<dyn Fn(Publish) + Send + Sync>;

/// A running session. Drop it, or [`finish`](Self::finish) it for a clean goodbye.
pub struct Session {
    client: AsyncClient,
    connected: watch::Receiver<Option<u64>>,
    finish: watch::Sender<bool>,
    /// `None` once [`finish`](Self::finish) took them.
    poller: Option<JoinHandle<()>>,
    publisher: Option<JoinHandle<()>>,
}

impl Session {
    pub fn start(broker: &Broker, spec: SessionSpec, outbox: Arc<Outbox>, on_publish: OnPublish) -> Session {
        let options = broker.options(&spec.client_id, &spec.will_topic);
        let (client, eventloop) = AsyncClient::new(options, REQUEST_CHANNEL);
        let (connected_tx, connected) = watch::channel(None);
        let (finish, finish_rx) = watch::channel(false);
        let poller = tokio::spawn(poll_loop(
            eventloop,
            connected_tx,
            on_publish,
            broker.reconnect,
            spec.client_id.clone(),
            broker.address(),
            spec.loud,
            finish_rx.clone(),
        ));
        let publisher = tokio::spawn(publish_loop(
            client.clone(),
            connected.clone(),
            outbox,
            spec.subscriptions,
            broker.qos,
            finish_rx,
        ));
        Session { client, connected, finish, poller: Some(poller), publisher: Some(publisher) }
    }

    pub fn is_connected(&self) -> bool {
        self.connected.borrow().is_some()
    }

    /// Publishes what the outbox still holds (if connected), says goodbye (no last will), and
    /// stops; gives up after `limit`.
    pub async fn finish(mut self, limit: Duration) {
        let _ = self.finish.send(true);
        let (poller, publisher) = (self.poller.take(), self.publisher.take());
        let aborts: Vec<_> = poller.iter().chain(publisher.iter()).map(JoinHandle::abort_handle).collect();
        let client = self.client.clone();
        let done = async move {
            if let Some(p) = publisher {
                let _ = p.await;
            }
            let _ = client.disconnect().await;
            if let Some(p) = poller {
                let _ = p.await;
            }
        };
        if tokio::time::timeout(limit, done).await.is_err() {
            debug!("session did not finish in time");
            // A dropped JoinHandle detaches its task; these must not linger, reconnecting.
            aborts.iter().for_each(|a| a.abort());
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        for t in [self.poller.take(), self.publisher.take()].into_iter().flatten() {
            t.abort();
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn poll_loop(
    mut eventloop: EventLoop,
    connected: watch::Sender<Option<u64>>,
    on_publish: OnPublish,
    policy: ReconnectPolicy,
    client_id: String,
    address: String,
    loud: bool,
    mut finish: watch::Receiver<bool>,
) {
    let mut generation = 0u64;
    let mut delay = policy.initial();
    let mut failing = false;
    loop {
        match eventloop.poll().await {
            Ok(Event::Incoming(Packet::ConnAck(_))) => {
                generation += 1;
                delay = policy.initial();
                if loud {
                    info!(broker = %address, client_id, "connected to the broker");
                } else if failing {
                    debug!(broker = %address, client_id, "connected to the broker again");
                }
                failing = false;
                let _ = connected.send(Some(generation));
            }
            Ok(Event::Incoming(Packet::Publish(p))) => on_publish(p),
            Ok(Event::Outgoing(rumqttc::Outgoing::Disconnect)) => {
                let _ = connected.send(None);
                return;
            }
            Ok(_) => {}
            Err(e) => {
                let _ = connected.send(None);
                if *finish.borrow() {
                    return;
                }
                if loud && !failing {
                    warn!(broker = %address, client_id, error = %e, "broker connection lost; reconnecting");
                } else {
                    debug!(broker = %address, client_id, error = %e, retry_in = ?delay, "broker unreachable");
                }
                failing = true;
                tokio::select! {
                    _ = tokio::time::sleep(delay) => {}
                    _ = finish.changed() => return,
                }
                delay = (delay * 2).min(policy.max());
            }
        }
    }
}

async fn publish_loop(
    client: AsyncClient,
    mut connected: watch::Receiver<Option<u64>>,
    outbox: Arc<Outbox>,
    subscriptions: Vec<String>,
    qos: QoS,
    mut finish: watch::Receiver<bool>,
) {
    let mut served = 0u64;
    loop {
        let finishing = *finish.borrow();
        let generation = *connected.borrow_and_update();
        match generation {
            Some(g) => {
                if g != served {
                    served = g;
                    // Subscriptions before the retained state: `availability: online` is then
                    // published after the broker has our command subscription.
                    for filter in &subscriptions {
                        if client.subscribe(filter.clone(), qos).await.is_err() {
                            return;
                        }
                    }
                    outbox.mark_all_dirty();
                }
                while let Some(m) = outbox.next() {
                    if send(&client, m, qos).await.is_err() {
                        return;
                    }
                }
                if finishing {
                    return;
                }
            }
            None if finishing => return,
            None => {}
        }
        tokio::select! {
            _ = outbox.changed() => {}
            r = connected.changed() => if r.is_err() { return },
            r = finish.changed() => if r.is_err() { return },
        }
    }
}

async fn send(client: &AsyncClient, m: Message, qos: QoS) -> std::result::Result<(), rumqttc::v5::ClientError> {
    match m.props {
        Some(props) => client.publish_with_properties(m.topic, qos, m.retain, m.payload, props).await,
        None => client.publish(m.topic, qos, m.retain, m.payload).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let u = BrokerUrl::parse("mqtt://127.0.0.1").unwrap();
        assert_eq!((u.host.as_str(), u.port, u.tls), ("127.0.0.1", 1883, false));
        let u = BrokerUrl::parse("mqtts://broker.example:8884/").unwrap();
        assert_eq!((u.host.as_str(), u.port, u.tls), ("broker.example", 8884, true));
        let u = BrokerUrl::parse("mqtt://[::1]:1884").unwrap();
        assert_eq!((u.host.as_str(), u.port), ("::1", 1884));
        for bad in ["tcp://x", "mqtt://", "mqtt://u:p@host", "mqtt://h:0", "mqtt://h:x"] {
            assert!(BrokerUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
