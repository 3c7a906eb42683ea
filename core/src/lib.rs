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
//! room.set_mic_mute(true).await?;                 // every command of the catalogue
//! let mut changes = room.watch();                 // the live room state
//! while let Some(change) = changes.next().await {
//!     println!("{:?}: mic muted {:?}", change.changed(), change.state.mic_muted);
//! }
//! # Ok(()) }
//! ```
//!
//! Every command and notification is declared once, in the protocol catalogue
//! ([`catalogue`]): its row gives the command struct in [`cmd`], the typed method on
//! [`Client`], and the C and Python faces. The wire format, and our decisions where the vendor
//! is silent, are in PROTOCOL.md.
//!
//! Logging goes through `tracing`; frames are logged at TRACE with credentials and tokens
//! redacted. tungstenite, underneath, logs whole frames (the `auth` frame with its PIN included)
//! through the `log` crate at trace level: if your program forwards `log` records, cap them at
//! debug (the `log` crate's `max_level_debug` feature, as our CLI, C library and Python module
//! do, or a `tungstenite=debug` filter directive).

#![deny(missing_docs)]

pub mod catalogue;
mod client;
mod conference;
mod connection;
pub mod discovery;
mod error;
mod event;
mod frames;
mod helpers;
pub mod json;
mod model;
mod options;
mod params;
mod publish;
mod queue;
mod reconnect;
pub mod record;
mod redact;
mod secret;
mod session;
pub mod spec;
mod state;
mod stream;
mod tls;
mod watch;

pub use catalogue::cmd;
pub use client::Client;
pub use conference::PendingConference;
pub use error::{Error, ErrorKind, Result};
pub use event::{
    reject_cause_text, Event, EventId, EventKind, CONNECTION_LOST, DISCONNECTED, EVENTS_LOST, MALFORMED, RECONNECTED,
    STATE_CHANGED,
};
pub use frames::FrameStream;
pub use frames::SELF_SLOT;
pub use helpers::{AutoAnswer, AutoAnswerPolicy, Decision};
pub use model::*;
pub use options::{CallOptions, ConnectOptions, Credentials, Reconnect, Role, DEFAULT_KEEPALIVE, MAX_EVENT_CAPACITY};
pub use params::CreateConference;
pub use queue::{EventQueue, Pop, DEFAULT_EVENT_CAPACITY, DEFAULT_EVENT_MAX_BYTES};
pub use redact::{redact_value, redacted};
pub use secret::Secret;
pub use state::{Aspect, Changes, RoomState, State};
pub use stream::{EventStream, StreamItem};
pub use tls::Tls;
pub use watch::{StateChange, StateWatch};

/// Re-exported so that callers need not depend on the same version themselves.
pub use serde_json;
