//! `createConference` in two phases: accepted (the reply), then started (`conferenceCreated`).
//!
//! The wait for the start runs in its own task from the moment the room accepts, so that a wait
//! that times out or is cancelled can simply be repeated: nothing announced meanwhile is lost.

use crate::convert::{json_to_py, seconds, to_py};
use crate::errors;
use crate::op::{failed, finish, Op};
use crate::runtime;
use pyo3::prelude::*;
use serde_json::Value;
use std::time::Duration;
use tcroom_core::{Conference, Error, PendingConference};
use tokio::sync::watch;
use tokio::task::AbortHandle;

/// How long the background wait lasts when nobody collects the result: it also ends when the
/// Python object is dropped or the connection goes down.
const BACKSTOP: Duration = Duration::from_secs(24 * 3600);

type Outcome = Option<Result<Conference, Error>>;

#[pyclass(module = "tcroom._native", name = "PendingConference", frozen)]
pub struct NativePending {
    reply: Value,
    rx: watch::Receiver<Outcome>,
    task: AbortHandle,
    default_timeout: Duration,
    pid: u32,
}

impl NativePending {
    /// Starts watching for the start. Call on the runtime (it spawns).
    pub fn spawn(pending: PendingConference, default_timeout: Duration) -> NativePending {
        let reply = pending.reply().clone();
        let (tx, rx) = watch::channel(None);
        let task = tokio::spawn(async move {
            let outcome = pending.wait(BACKSTOP).await;
            let _ = tx.send(Some(outcome));
        });
        NativePending { reply, rx, task: task.abort_handle(), default_timeout, pid: runtime::pid() }
    }
}

#[pymethods]
impl NativePending {
    /// The room's reply to `createConference` (`result: true`).
    #[getter]
    fn reply<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.reply)
    }

    /// Waits for the start; may be called again after a time-out or a cancellation.
    #[pyo3(signature = (timeout=None))]
    fn wait(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<Op> {
        if runtime::forked(self.pid) {
            return Err(errors::forked(py));
        }
        let t = seconds(py, timeout, self.default_timeout)?;
        let mut rx = self.rx.clone();
        Ok(Op::new(async move {
            let outcome = match tokio::time::timeout(t, rx.wait_for(Option::is_some)).await {
                Ok(Ok(v)) => v.clone(),
                Ok(Err(_)) => Some(Err(Error::Closed)),
                Err(_) => Some(Err(Error::Timeout {
                    method: "createConference (waiting for the conference to start)".into(),
                    after: t,
                })),
            };
            match outcome {
                Some(r) => finish(r, |py, c| to_py(py, &c)),
                None => failed(Error::Closed),
            }
        }))
    }
}

impl Drop for NativePending {
    fn drop(&mut self) {
        // In a fork child the task belongs to the parent's runtime: leave it alone.
        if !runtime::forked(self.pid) {
            self.task.abort();
        }
    }
}
