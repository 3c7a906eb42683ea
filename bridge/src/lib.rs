//! `tcroom-bridge`: a fleet of TrueConf Rooms on MQTT.
//!
//! Per room `<prefix>/<room>/`: `availability` (retained `online`/`offline`, `offline` also by
//! the broker's last will), `state` (the live state as JSON, retained, rate-limited) and small
//! retained topics derived from it, `event/<name>` for every notification, and `cmd/<method>` to
//! run any command, answered on the MQTT v5 response topic or on `reply/<method>`. Home Assistant
//! discovery makes each room a device. See bridge/README.md.
//!
//! ```no_run
//! # async fn demo() -> Result<(), tcroom_bridge::BridgeError> {
//! let config = tcroom_bridge::Config::load(std::path::Path::new("bridge.toml"))?;
//! let bridge = tcroom_bridge::Bridge::start(&config)?;
//! tcroom_bridge::cli::shutdown_signal().await;
//! bridge.shutdown().await;
//! # Ok(()) }
//! ```

mod bridge;
pub mod cli;
mod command;
pub mod config;
pub mod derive;
pub mod discovery;
mod error;
mod mqtt;
mod outbox;
mod room;
mod supervise;
pub mod topics;

pub use bridge::{run, Bridge};
pub use config::Config;
pub use error::{BridgeError, Result};
pub use outbox::DROPPED_EVENT;
