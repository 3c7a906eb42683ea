//! `tcroom-core`: a client for the TrueConf Room / VideoSDK WebSocket control API.
//!
//! ```no_run
//! # async fn demo() -> tcroom_core::Result<()> {
//! use tcroom_core::{Client, ConnectOptions, CreateConference, ConfType};
//! use std::time::Duration;
//! let room = Client::connect(ConnectOptions::new("192.0.2.10").pin("1234")).await?;
//! let conf = room
//!     .create_conference_and_wait(
//!         &CreateConference::new("Code review", ConfType::Role).invite("user1@some.server"),
//!         Duration::from_secs(30),
//!     )
//!     .await?;
//! println!("{} {}", conf.conf_id, conf.join_url.unwrap_or_default());
//! # Ok(()) }
//! ```
//!
//! The wire format, and our decisions where the vendor is silent, are in PROTOCOL.md.
//!
//! Logging goes through `tracing`; frames are logged at TRACE with credentials and tokens
//! redacted. tungstenite, underneath, logs whole frames (the `auth` frame with its PIN included)
//! through the `log` crate at trace level: if your program forwards `log` records, cap them at
//! debug (the `log` crate's `max_level_debug` feature, as our CLI, C library and Python module
//! do, or a `tungstenite=debug` filter directive).

mod client;
mod conference;
mod connection;
pub mod discovery;
mod error;
mod event;
pub mod json;
mod model;
mod options;
mod params;
mod reconnect;
mod redact;
mod secret;
mod state;
mod stream;

pub use client::Client;
pub use conference::PendingConference;
pub use error::{Error, ErrorKind, Result};
pub use event::{reject_cause_text, Event, EventKind, CONNECTION_LOST, DISCONNECTED, MALFORMED, RECONNECTED};
pub use model::{
    AppState, AppStateInfo, ConfType, Conference, ConferenceSummary, Participant, SchemaRow, SystemInfo,
    TariffRestrictions,
};
pub use options::{ConnectOptions, Credentials, Reconnect, Role};
pub use params::CreateConference;
pub use redact::redacted;
pub use secret::Secret;
pub use state::State;
pub use stream::{EventStream, StreamItem};

/// Re-exported so that callers need not depend on the same version themselves.
pub use serde_json;
