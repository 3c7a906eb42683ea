//! The live room state as a subscription, frames as a stream, and auto-answer: thin handles on
//! the core's `StateWatch`, `FrameStream` and `AutoAnswer`.

use crate::convert::{seconds, to_py};
use crate::op::{done, finish, Op};
use crate::runtime;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tcroom_core::{AutoAnswer, FrameStream, StateWatch};

/// `watch()`: each `next` is `(changed, full, state)`, or `None` once the client is gone.
#[pyclass(module = "tcroom._native", name = "Watch", frozen)]
pub struct NativeWatch {
    watch: Arc<tokio::sync::Mutex<StateWatch>>,
    pid: u32,
}

impl NativeWatch {
    pub fn new(watch: StateWatch, pid: u32) -> NativeWatch {
        NativeWatch { watch: Arc::new(tokio::sync::Mutex::new(watch)), pid }
    }
}

#[pymethods]
impl NativeWatch {
    /// The next change, waiting up to `timeout` seconds (`None`: without limit).
    #[pyo3(signature = (timeout=None))]
    fn next(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<Op> {
        if runtime::forked(self.pid) {
            return Err(crate::errors::forked(py));
        }
        let t = timeout.map(|x| seconds(py, Some(x), Duration::ZERO)).transpose()?;
        let watch = self.watch.clone();
        Ok(Op::new(async move {
            let next = async {
                let mut w = watch.lock().await;
                w.next().await
            };
            let change = match t {
                Some(t) => match tokio::time::timeout(t, next).await {
                    Ok(c) => c,
                    Err(_) => return crate::client::no_event("watch", t),
                },
                None => next.await,
            };
            done(move |py| match change {
                None => Ok(py.None().into_bound(py)),
                Some(c) => {
                    let items: [Bound<'_, PyAny>; 3] = [
                        c.changed().into_pyobject(py)?.into_any(),
                        c.full.into_pyobject(py)?.to_owned().into_any(),
                        to_py(py, &*c.state)?,
                    ];
                    Ok(PyTuple::new(py, items)?.into_any())
                }
            })
        }))
    }
}

/// `frames()`: each `next` is the next frame's bytes (or its error), `None` once closed.
#[pyclass(module = "tcroom._native", name = "Frames", frozen)]
pub struct NativeFrames {
    stream: Arc<tokio::sync::Mutex<FrameStream>>,
    pid: u32,
}

impl NativeFrames {
    pub fn new(stream: FrameStream, pid: u32) -> NativeFrames {
        NativeFrames { stream: Arc::new(tokio::sync::Mutex::new(stream)), pid }
    }
}

#[pymethods]
impl NativeFrames {
    fn next(&self, py: Python<'_>) -> PyResult<Op> {
        if runtime::forked(self.pid) {
            return Err(crate::errors::forked(py));
        }
        let stream = self.stream.clone();
        Ok(Op::new(async move {
            let item = stream.lock().await.next().await;
            match item {
                None => done(|py| Ok(py.None().into_bound(py))),
                Some(r) => finish(r, |py, bytes| Ok(PyBytes::new(py, &bytes).into_any())),
            }
        }))
    }
}

/// A running auto-answer; stops with `stop()` or when collected.
#[pyclass(module = "tcroom._native", name = "AutoAnswer", frozen)]
pub struct NativeAutoAnswer {
    handle: Mutex<Option<AutoAnswer>>,
    pid: u32,
}

impl NativeAutoAnswer {
    pub fn new(handle: AutoAnswer, pid: u32) -> NativeAutoAnswer {
        NativeAutoAnswer { handle: Mutex::new(Some(handle)), pid }
    }
}

#[pymethods]
impl NativeAutoAnswer {
    fn stop(&self) {
        if let Some(h) = self.handle.lock().unwrap_or_else(|e| e.into_inner()).take() {
            h.stop();
            runtime::dispose(self.pid, h);
        }
    }
}

impl Drop for NativeAutoAnswer {
    fn drop(&mut self) {
        if let Some(h) = self.handle.get_mut().unwrap_or_else(|e| e.into_inner()).take() {
            h.stop();
            runtime::dispose(self.pid, h);
        }
    }
}
