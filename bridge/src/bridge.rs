//! The bridge: every configured room, plus one bridge-wide session that owns the bridge's status
//! topic and answers commands for rooms it does not serve.

use crate::command::{error_body, ReplyTo};
use crate::config::Config;
use crate::error::{BridgeError, Result};
use crate::mqtt::{Broker, Session, SessionSpec};
use crate::outbox::Outbox;
use crate::supervise::BridgedRoom;
use crate::topics;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use tracing::{debug, info};

/// How long a shutdown may take before sessions are dropped without their goodbye.
const SHUTDOWN_LIMIT: Duration = Duration::from_secs(3);

/// A running bridge. [`shutdown`](Self::shutdown) it to leave `offline` behind; dropping it
/// instead leaves that to the broker's last wills.
pub struct Bridge {
    rooms: Vec<BridgedRoom>,
    session: Session,
    outbox: Arc<Outbox>,
    status: crate::outbox::Slot,
}

impl Bridge {
    /// Validates the configuration, reads the broker's credentials, and starts every room. Rooms
    /// and the broker are reached in the background: an unreachable one is retried, not fatal.
    /// Needs a tokio runtime.
    pub fn start(config: &Config) -> Result<Bridge> {
        config.validate()?;
        let broker = Broker::new(&config.mqtt)?;
        // A PIN that cannot be read is a configuration error worth failing the start for
        // (later reads, at each reconnect, only log).
        for room in &config.rooms {
            room.pin()?;
        }
        let prefix = config.mqtt.topic_prefix.clone();
        let status_topic = topics::bridge_status(&prefix, &config.mqtt.client_id);
        let outbox = Arc::new(Outbox::new(config.bridge.queue, None));
        let status = outbox.define(status_topic.clone());
        outbox.set(status, "online");

        let known: HashSet<String> = config.rooms.iter().map(|r| r.name.clone()).collect();
        let subscriptions =
            if config.bridge.reply_unknown_rooms { vec![topics::any_command_filter(&prefix)] } else { Vec::new() };
        let replies = outbox.clone();
        let on_publish = Box::new(move |p: rumqttc::v5::mqttbytes::v5::Publish| {
            let topic = String::from_utf8_lossy(&p.topic).into_owned();
            let Some((room, method)) = topics::parse_command(&prefix, &topic) else {
                return;
            };
            if known.contains(room) {
                return;
            }
            debug!(room, method, "command for a room this bridge does not serve");
            let reply_to = ReplyTo::of(&p, format!("{prefix}/{room}/reply/{method}"));
            let text = format!("no room '{room}' on this bridge");
            replies.push(reply_to.message(error_body(room, method, "unknown_room", text)));
        });
        let spec = SessionSpec {
            client_id: config.mqtt.client_id.clone(),
            will_topic: status_topic,
            subscriptions,
            loud: true,
        };
        let session = Session::start(&broker, spec, outbox.clone(), on_publish);
        let rooms: Vec<BridgedRoom> = config.rooms.iter().map(|r| BridgedRoom::start(r, config, &broker)).collect();
        info!(broker = %broker.address(), rooms = rooms.len(), prefix = %config.mqtt.topic_prefix, "bridge started");
        Ok(Bridge { rooms, session, outbox, status })
    }

    /// Rooms connected now.
    pub fn rooms_online(&self) -> usize {
        self.rooms.iter().filter(|r| r.is_online()).count()
    }

    /// Room sessions connected to the broker now.
    pub fn sessions_connected(&self) -> usize {
        self.rooms.iter().filter(|r| r.broker_connected()).count()
    }

    /// Events and replies dropped because the broker was too slow or away, since start.
    pub fn dropped_total(&self) -> u64 {
        self.rooms.iter().map(BridgedRoom::dropped_total).sum::<u64>() + self.outbox.dropped_total()
    }

    /// Leaves every room with `offline` published, then disconnects cleanly.
    pub async fn shutdown(self) {
        let Bridge { rooms, session, outbox, status } = self;
        let all = rooms.into_iter().map(|r| r.shutdown(SHUTDOWN_LIMIT));
        futures_join_all(all).await;
        outbox.set(status, "offline");
        session.finish(SHUTDOWN_LIMIT).await;
        info!("bridge stopped");
    }
}

/// Runs futures concurrently to completion (a few lines instead of a dependency).
async fn futures_join_all<F: std::future::Future<Output = ()> + Send + 'static>(futs: impl Iterator<Item = F>) {
    let mut set = tokio::task::JoinSet::new();
    for f in futs {
        set.spawn(f);
    }
    while set.join_next().await.is_some() {}
}

/// Runs the bridge until `until` resolves (a signal, say), then shuts it down.
pub async fn run(config: &Config, until: impl std::future::Future<Output = ()>) -> Result<()> {
    let bridge = Bridge::start(config)?;
    until.await;
    bridge.shutdown().await;
    Ok(())
}

impl From<std::io::Error> for BridgeError {
    fn from(e: std::io::Error) -> Self {
        BridgeError::Start(e.to_string())
    }
}
