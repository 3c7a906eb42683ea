//! Credentials that cannot end up in a log line by accident.

use std::fmt;

/// A PIN, password or token. `Debug` and `Display` print `<redacted>`; only [`Secret::expose`]
/// gives the text, and the core calls it only where the secret must leave as text (the `auth`
/// frame, the frames URL, an HTTP token handed to the caller).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a PIN, password or token.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    /// The text itself: for the wire, never for a log.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret::new(s)
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}
