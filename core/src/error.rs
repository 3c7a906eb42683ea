//! One error type for everything the client can report.

use std::time::Duration;

/// What went wrong. Every request ends in exactly one `Ok` or one of these.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The arguments were rejected before anything was sent.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),

    /// `GET /public/<instance>/config.json` failed or returned something unusable.
    #[error("discovery through {url} failed: {reason}")]
    Discovery {
        /// The `config.json` address asked.
        url: String,
        /// What went wrong, as text.
        reason: String,
    },

    /// The WebSocket could not be opened.
    #[error("cannot connect to {url}: {reason}")]
    Connect {
        /// The WebSocket address tried (`ws://HOST:PORT/`).
        url: String,
        /// What went wrong, as text.
        reason: String,
    },

    /// `auth` was answered with `result:false`.
    #[error("authorization failed{}: {message}", code.map(|c| format!(" (resultCode {c})")).unwrap_or_default())]
    Auth {
        /// `resultCode` of the reply, when it had one.
        code: Option<i64>,
        /// The room's `error` text.
        message: String,
    },

    /// The room did not answer in time. The request is forgotten: a late reply is ignored.
    #[error("no reply to '{method}' within {after:?}")]
    Timeout {
        /// The method of the request.
        method: String,
        /// How long the client waited.
        after: Duration,
    },

    /// The connection dropped (or was never up) while the request was pending.
    #[error("disconnected: {reason}")]
    Disconnected {
        /// Why the connection is gone, as text.
        reason: String,
    },

    /// The room answered `result:false`; `message` is the room's own `error` text.
    #[error("the room refused '{method}': {message}")]
    Refused {
        /// The method of the request.
        method: String,
        /// The room's `error` text ("no reason given" when it gave none).
        message: String,
        /// The whole reply, as received.
        raw: serde_json::Value,
    },

    /// The room sent something that does not follow the protocol.
    #[error("protocol error: {0}")]
    Protocol(String),

    /// The client was closed by its owner.
    #[error("the client is closed")]
    Closed,
}

impl Error {
    /// A short stable name of the failure family, for bindings that map to their own types.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidArgument(_) => ErrorKind::InvalidArgument,
            Error::Discovery { .. } | Error::Connect { .. } => ErrorKind::Connection,
            Error::Auth { .. } => ErrorKind::Auth,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::Disconnected { .. } => ErrorKind::Disconnected,
            Error::Refused { .. } => ErrorKind::Refused,
            Error::Protocol(_) => ErrorKind::Protocol,
            Error::Closed => ErrorKind::Closed,
        }
    }
}

/// Families of [`Error`], stable across versions (bindings map these to status codes and exceptions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// [`Error::InvalidArgument`].
    InvalidArgument,
    /// [`Error::Discovery`] or [`Error::Connect`].
    Connection,
    /// [`Error::Auth`].
    Auth,
    /// [`Error::Timeout`].
    Timeout,
    /// [`Error::Disconnected`].
    Disconnected,
    /// [`Error::Refused`].
    Refused,
    /// [`Error::Protocol`].
    Protocol,
    /// [`Error::Closed`].
    Closed,
}

/// The result of every fallible call of the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
