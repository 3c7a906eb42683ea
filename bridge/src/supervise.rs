//! One bridged room: its MQTT session, its link to the room (re-established with back-off), and
//! the rate-limited publication of its state.

use crate::command::Commands;
use crate::config::{BridgeSettings, Config, ReconnectPolicy, RoomConfig};
use crate::derive;
use crate::discovery::{self, DeviceInfo};
use crate::mqtt::{Broker, Session, SessionSpec};
use crate::outbox::{Message, Outbox, Slot, DROPPED_EVENT};
use crate::room::{self, RoomLink, RoomUpdate, RoomUpdates};
use crate::topics::{RoomTopics, SMALL_TOPICS};
use std::sync::Arc;
use std::time::Duration;
use tcroom_core::{ConnectOptions, Credentials, Role};
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tracing::{debug, info, warn};

/// The retained slots of a room, besides discovery.
struct Slots {
    state: Slot,
    small: Vec<Slot>,
    availability: Slot,
}

/// Everything the room task needs, shared with nobody else.
struct RoomTask {
    cfg: RoomConfig,
    policy: ReconnectPolicy,
    settings: BridgeSettings,
    topics: RoomTopics,
    outbox: Arc<Outbox>,
    slots: Slots,
    link: watch::Sender<Option<RoomLink>>,
}

/// A running room.
pub struct BridgedRoom {
    pub name: String,
    /// Both `None` once `shutdown` took them.
    session: Option<Session>,
    task: Option<JoinHandle<()>>,
    stop: watch::Sender<bool>,
    link: watch::Receiver<Option<RoomLink>>,
    outbox: Arc<Outbox>,
}

impl BridgedRoom {
    pub fn start(cfg: &RoomConfig, config: &Config, broker: &Broker) -> BridgedRoom {
        let prefix = &config.mqtt.topic_prefix;
        let topics = RoomTopics::new(prefix, &cfg.name);
        let outbox = Arc::new(Outbox::new(config.bridge.queue, Some(topics.event(DROPPED_EVENT))));
        // Definition order is publication order after a (re)connect: discovery first, then the
        // state, then `availability`, so that an entity turning available has its state.
        if config.home_assistant.discovery {
            let device = DeviceInfo {
                ha_prefix: &config.home_assistant.prefix,
                topic_prefix: prefix,
                room: &cfg.name,
                title: cfg.title(),
                qos: config.mqtt.qos,
            };
            for c in discovery::configs(&device, &topics) {
                let slot = outbox.define(c.topic);
                outbox.set(slot, c.payload.to_string());
            }
        }
        let slots = Slots {
            state: outbox.define(topics.state()),
            small: SMALL_TOPICS.iter().map(|t| outbox.define(topics.small(t))).collect(),
            availability: outbox.define(topics.availability()),
        };
        outbox.set(slots.availability, "offline");

        let (link_tx, link_rx) = watch::channel(None);
        let commands = Commands {
            room: cfg.name.clone(),
            topics: topics.clone(),
            outbox: outbox.clone(),
            link: link_rx.clone(),
            permits: Arc::new(Semaphore::new(config.bridge.max_commands_in_flight)),
            max_in_flight: config.bridge.max_commands_in_flight,
            timeout: config.bridge.command_timeout(),
        };
        let spec = SessionSpec {
            client_id: format!("{}.{}", config.mqtt.client_id, cfg.name),
            will_topic: topics.availability(),
            subscriptions: vec![topics.command_filter()],
            loud: false,
        };
        let session = Session::start(broker, spec, outbox.clone(), Box::new(move |p| commands.handle(p)));

        let (stop, stop_rx) = watch::channel(false);
        let task = RoomTask {
            cfg: cfg.clone(),
            policy: cfg.reconnect_policy(config.reconnect),
            settings: config.bridge.clone(),
            topics,
            outbox: outbox.clone(),
            slots,
            link: link_tx,
        };
        let task = tokio::spawn(task.run(stop_rx));
        BridgedRoom { name: cfg.name.clone(), session: Some(session), task: Some(task), stop, link: link_rx, outbox }
    }

    /// Connected to the room (not necessarily to the broker).
    pub fn is_online(&self) -> bool {
        self.link.borrow().is_some()
    }

    pub fn broker_connected(&self) -> bool {
        self.session.as_ref().is_some_and(Session::is_connected)
    }

    pub fn dropped_total(&self) -> u64 {
        self.outbox.dropped_total()
    }

    /// Leaves the room, publishes `offline` and says goodbye to the broker, within `limit`.
    pub async fn shutdown(mut self, limit: Duration) {
        let _ = self.stop.send(true);
        let deadline = Instant::now() + limit;
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout_at(deadline, task).await.is_err() {
                debug!(room = %self.name, "room task did not stop in time");
                abort.abort();
            }
        }
        if let Some(session) = self.session.take() {
            session.finish(deadline.saturating_duration_since(Instant::now())).await;
        }
    }
}

/// Dropped without `shutdown` (the bridge is dying): stop at once and leave `offline` to the
/// broker's last will.
impl Drop for BridgedRoom {
    fn drop(&mut self) {
        if let Some(t) = self.task.take() {
            t.abort();
        }
    }
}

impl RoomTask {
    fn connect_options(&self) -> crate::error::Result<ConnectOptions> {
        let c = &self.cfg;
        let mut o = ConnectOptions::new(c.host.clone());
        if let Some(p) = c.web_port {
            o = o.web_port(p);
        }
        o.ws_port = c.ws_port;
        if let Some(i) = &c.instance {
            o.instance = i.clone();
        }
        if let Some(pin) = c.pin()? {
            o = o.credentials(Credentials::Secured(pin));
        }
        o.role = match c.role.as_deref() {
            Some("admin") => Some(Role::Admin),
            Some("user") => Some(Role::User),
            _ => None,
        };
        o.connect_timeout = self.settings.command_timeout();
        o.request_timeout = self.settings.command_timeout();
        // Only the primary (lossless) stream is read; the per-client ring of `subscribe()`
        // streams is allocated anyway, so keep it at the minimum.
        o.event_capacity = 16;
        Ok(o)
    }

    async fn run(self, mut stop: watch::Receiver<bool>) {
        let name = self.cfg.name.clone();
        let mut delay = self.policy.initial();
        let mut quiet = false;
        loop {
            let attempt = async {
                let opts = self.connect_options().map_err(|e| e.to_string())?;
                room::connect(opts).await.map_err(|e| e.to_string())
            };
            let result = tokio::select! {
                r = attempt => r,
                _ = stop.changed() => return,
            };
            match result {
                Ok((link, updates)) => {
                    info!(room = %name, "room connected");
                    delay = self.policy.initial();
                    quiet = false;
                    let _ = self.link.send(Some(link.clone()));
                    let lost = self.pump(&link, updates, &mut stop).await;
                    let _ = self.link.send(None);
                    link.close().await;
                    self.outbox.set(self.slots.availability, "offline");
                    match lost {
                        Some(reason) => {
                            warn!(room = %name, %reason, retry_in = ?delay, "room lost")
                        }
                        None => return,
                    }
                }
                Err(e) if quiet => {
                    debug!(room = %name, error = %e, retry_in = ?delay, "room still unreachable")
                }
                Err(e) => {
                    warn!(room = %name, error = %e, retry_in = ?delay, "cannot reach the room; retrying with back-off");
                    quiet = true;
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(delay) => {}
                _ = stop.changed() => return,
            }
            delay = (delay * 2).min(self.policy.max());
        }
    }

    /// Publishes the room's updates until it is lost (`Some(reason)`) or the bridge stops
    /// (`None`). State goes out at once after a quiet interval; changes within the interval
    /// are merged into one publication at its end.
    async fn pump(
        &self,
        link: &RoomLink,
        mut updates: RoomUpdates,
        stop: &mut watch::Receiver<bool>,
    ) -> Option<String> {
        let interval = self.settings.state_interval();
        self.publish_state(link);
        self.outbox.set(self.slots.availability, "online");
        let mut last = Instant::now();
        let mut pending = false;
        loop {
            tokio::select! {
                u = updates.next() => match u {
                    RoomUpdate::Event { name, payload } => {
                        self.outbox.push(Message::transient(self.topics.event(&name), payload.to_string()));
                    }
                    RoomUpdate::StateChanged => {
                        if last.elapsed() >= interval {
                            self.publish_state(link);
                            last = Instant::now();
                        } else {
                            pending = true;
                        }
                    }
                    RoomUpdate::Lost { reason } => {
                        self.publish_state(link);
                        return Some(reason);
                    }
                },
                _ = tokio::time::sleep_until(last + interval), if pending => {
                    self.publish_state(link);
                    last = Instant::now();
                    pending = false;
                }
                _ = stop.changed() => return None,
            }
        }
    }

    fn publish_state(&self, link: &RoomLink) {
        let state = link.snapshot();
        for (slot, (_, payload)) in self.slots.small.iter().zip(derive::small_topics(&state)) {
            self.outbox.set(*slot, payload);
        }
        self.outbox.set(self.slots.state, state.to_string());
    }
}
