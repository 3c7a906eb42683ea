//! Exit codes, so that scripts can tell a refusal from a network problem.

use tcroom_core::{Error, ErrorKind};

pub const ERROR: u8 = 1;
pub const USAGE: u8 = 2;
pub const REFUSED: u8 = 3;
pub const TIMEOUT: u8 = 4;
pub const CONNECT: u8 = 5;

/// A failed command: what to print and how to exit.
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        Failure { code, message: message.into() }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let code = match e.kind() {
            ErrorKind::Refused => REFUSED,
            ErrorKind::Timeout => TIMEOUT,
            ErrorKind::Connection | ErrorKind::Auth => CONNECT,
            _ => ERROR,
        };
        Failure { code, message: e.to_string() }
    }
}

pub type Outcome = Result<(), Failure>;
