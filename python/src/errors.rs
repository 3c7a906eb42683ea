//! Core errors as Python exceptions.
//!
//! The exception classes live in `tcroom/_errors.py`: several inherit from a builtin as well as
//! from `tcroom.Error` (`tcroom.TimeoutError` is a `builtins.TimeoutError` too), which
//! `create_exception!` cannot express. They are looked up by name when an error is raised.

use crate::convert::json_to_py;
use crate::runtime::Unavailable;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use tcroom_core::Error;

const MODULE: &str = "tcroom._errors";

/// An instance of `tcroom.<class>(message, **attrs)` as a `PyErr`.
pub fn new_error(py: Python<'_>, class: &str, message: &str, attrs: Option<Bound<'_, PyDict>>) -> PyErr {
    let built = (|| -> PyResult<PyErr> {
        let cls = py.import(MODULE)?.getattr(class)?;
        let exc = cls.call((message,), attrs.as_ref())?;
        Ok(PyErr::from_value(exc))
    })();
    // Only a broken installation gets here; still say what went wrong originally.
    built.unwrap_or_else(|e| PyRuntimeError::new_err(format!("{message} (and tcroom exceptions are unavailable: {e})")))
}

/// The exception class for `err`, with its details put into `d` as attributes.
fn classify(py: Python<'_>, err: &Error, d: &Bound<'_, PyDict>) -> PyResult<&'static str> {
    Ok(match err {
        Error::InvalidArgument(_) => "InvalidArgumentError",
        Error::Discovery { url, .. } => {
            d.set_item("url", url)?;
            "DiscoveryError"
        }
        Error::Connect { url, .. } => {
            d.set_item("url", url)?;
            "ConnectError"
        }
        Error::Auth { code, .. } => {
            d.set_item("code", code)?;
            "AuthError"
        }
        Error::Timeout { method, after } => {
            d.set_item("method", method)?;
            d.set_item("timeout", after.as_secs_f64())?;
            "TimeoutError"
        }
        Error::Disconnected { reason } => {
            d.set_item("reason", reason)?;
            "DisconnectedError"
        }
        Error::Refused { method, message, raw } => {
            d.set_item("method", method)?;
            d.set_item("room_error", message)?;
            d.set_item("reply", json_to_py(py, raw)?)?;
            "RefusedError"
        }
        Error::Protocol(_) => "ProtocolError",
        Error::Closed => "ClosedError",
        _ => "Error",
    })
}

/// Maps a core error to its exception class, carrying the details as attributes.
pub fn to_py(py: Python<'_>, err: &Error) -> PyErr {
    let attrs = PyDict::new(py);
    let class = classify(py, err, &attrs).unwrap_or("Error");
    new_error(py, class, &err.to_string(), Some(attrs))
}

pub fn unavailable(py: Python<'_>, why: Unavailable) -> PyErr {
    match why {
        Unavailable::ShutDown => {
            new_error(py, "ClosedError", "tcroom has shut down (the interpreter is exiting)", None)
        }
        Unavailable::Build(e) => new_error(py, "Error", &format!("cannot start the tcroom runtime: {e}"), None),
    }
}

pub fn forked(py: Python<'_>) -> PyErr {
    new_error(
        py,
        "Error",
        "tcroom cannot be used in a child process after fork(); create a new Client in the child",
        None,
    )
}

pub fn invalid(py: Python<'_>, message: &str) -> PyErr {
    new_error(py, "InvalidArgumentError", message, None)
}
