//! The bridge's own failures (a room's failures stay `tcroom_core::Error`).

/// What can stop the bridge from starting or running. Messages never contain secrets.
#[derive(Debug, thiserror::Error)]
pub enum BridgeError {
    /// The TOML file, or a secret it points to, is unusable.
    #[error("configuration: {0}")]
    Config(String),
    /// TLS set-up for `mqtts://` failed (CA file, system roots).
    #[error("TLS: {0}")]
    Tls(String),
    #[error("cannot start: {0}")]
    Start(String),
}

pub type Result<T, E = BridgeError> = std::result::Result<T, E>;
