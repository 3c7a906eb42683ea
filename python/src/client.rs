//! The native client: commands by name through the core's catalogue, raw requests,
//! `createConference`, the event queue, the live room state, frames.
//!
//! One object serves both Python faces (`tcroom.Client` blocks on `Op.wait`, `tcroom.AsyncClient`
//! awaits `Op.start`), so the two cannot drift apart; the Python methods themselves are generated
//! from the catalogue (`python/tcroom/_commands.py`).

use crate::conference::NativePending;
use crate::convert::{dict_to_json, json_to_py, seconds, to_py};
use crate::errors::{self, invalid};
use crate::events::{events_to_py, stream_batch_to_py};
use crate::op::{done, finish, Done, Op};
use crate::runtime;
use crate::watch::{NativeAutoAnswer, NativeFrames, NativeWatch};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use serde_json::{Map, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tcroom_core::{
    AutoAnswerPolicy, CallOptions, Client, ConfType, ConnectOptions, CreateConference, Credentials, Error, EventQueue,
    EventStream, Reconnect, Role,
};

/// The core's own default time-out, set so high that ours (applied around every call, and
/// overridable per call in both directions) is always the one that fires.
const CORE_DEFAULT_TIMEOUT: Duration = Duration::from_secs(24 * 3600);

/// How many events one batch may hold when the caller does not say.
const DEFAULT_BATCH: usize = 1024;

type Stream = Arc<tokio::sync::Mutex<EventStream>>;

pub(crate) struct Shared {
    pub(crate) client: Client,
    /// Everything since the socket opened, for `events()`: the core's queue (bounded, the
    /// oldest dropped first and reported as `eventsLost`).
    events: Arc<EventQueue>,
    /// A second subscription for the callback thread, made when the first callback is registered.
    callbacks: Mutex<Option<Stream>>,
    pub(crate) default_timeout: Duration,
}

#[pyclass(module = "tcroom._native", name = "Client", frozen)]
pub struct NativeClient {
    /// `None` once released: the socket goes with the last reference.
    shared: Mutex<Option<Arc<Shared>>>,
    pid: u32,
}

pub(crate) fn no_event(what: &'static str, t: Duration) -> Done {
    Box::new(move |py| {
        let attrs = PyDict::new(py);
        attrs.set_item("method", what)?;
        attrs.set_item("timeout", t.as_secs_f64())?;
        Err(errors::new_error(py, "TimeoutError", &format!("nothing from {what} within {t:?}"), Some(attrs)))
    })
}

/// A batch of the client's queue: at once when something is queued (no runtime hop), else an
/// operation that waits for the first event (or the time-out) and takes what came with it.
fn batch_from_queue(queue: Arc<EventQueue>, max: usize, timeout: Option<Duration>) -> Op {
    let ready = queue.pop_batch(max);
    if !ready.is_empty() {
        return Op::ready(done(move |py| events_to_py(py, Some(ready))));
    }
    if queue.is_ended() {
        return Op::ready(done(|py| events_to_py(py, None)));
    }
    Op::new(async move {
        let next = queue.next_batch(max);
        let items = match timeout {
            Some(t) => match tokio::time::timeout(t, next).await {
                Ok(items) => items,
                Err(_) => return no_event("events", t),
            },
            None => next.await,
        };
        done(move |py| events_to_py(py, items))
    })
}

/// Up to `max` items that are already waiting in `s` (after `first`, if any).
fn drain_stream(
    s: &mut EventStream,
    first: Option<tcroom_core::StreamItem>,
    max: usize,
) -> Vec<tcroom_core::StreamItem> {
    let mut out: Vec<_> = first.into_iter().collect();
    while out.len() < max {
        match s.try_recv() {
            Some(item) => out.push(item),
            None => break,
        }
    }
    out
}

/// Like [`batch_from_queue`], from the callback subscription.
fn batch_from_stream(stream: Stream, max: usize, timeout: Option<Duration>) -> Op {
    if let Ok(mut s) = stream.try_lock() {
        let items = drain_stream(&mut s, None, max);
        if !items.is_empty() {
            return Op::ready(done(move |py| stream_batch_to_py(py, Some(items))));
        }
        if s.is_ended() {
            return Op::ready(done(move |py| stream_batch_to_py(py, None)));
        }
    }
    Op::new(async move {
        let next = async {
            let mut s = stream.lock().await;
            let first = s.recv().await?;
            Some(drain_stream(&mut s, Some(first), max))
        };
        let items = match timeout {
            Some(t) => match tokio::time::timeout(t, next).await {
                Ok(items) => items,
                Err(_) => return no_event("events", t),
            },
            None => next.await,
        };
        done(move |py| stream_batch_to_py(py, items))
    })
}

/// An optional time-out in seconds (`None`: without limit).
fn opt_seconds(py: Python<'_>, timeout: Option<f64>) -> PyResult<Option<Duration>> {
    timeout.map(|x| seconds(py, Some(x), Duration::ZERO)).transpose()
}

impl NativeClient {
    pub(crate) fn shared(&self, py: Python<'_>) -> PyResult<Arc<Shared>> {
        if runtime::forked(self.pid) {
            return Err(errors::forked(py));
        }
        crate::logging::refresh(py);
        let s = self.shared.lock().unwrap_or_else(|e| e.into_inner()).clone();
        s.ok_or_else(|| errors::to_py(py, &Error::Closed))
    }

    fn callback_stream(&self, py: Python<'_>) -> PyResult<Stream> {
        let s = self.shared(py)?;
        let stream = s.callbacks.lock().unwrap_or_else(|e| e.into_inner()).clone();
        stream.ok_or_else(|| {
            errors::new_error(py, "Error", "no callback subscription: call subscribe_callbacks first", None)
        })
    }
}

#[pymethods]
impl NativeClient {
    #[staticmethod]
    #[pyo3(signature = (host, *, port=None, ws_port=None, credentials=None, role=None, timeout=10.0,
        request_timeout=10.0, api_version=None, instance=None, event_capacity=None, reconnect=None,
        keepalive=None, tls=None, follow_other_host=false))]
    #[allow(clippy::too_many_arguments)]
    fn connect(
        py: Python<'_>,
        host: String,
        port: Option<u16>,
        ws_port: Option<u16>,
        credentials: Option<String>,
        role: Option<&str>,
        timeout: f64,
        request_timeout: f64,
        api_version: Option<String>,
        instance: Option<String>,
        event_capacity: Option<usize>,
        reconnect: Option<(u32, f64, f64)>,
        keepalive: Option<f64>,
        tls: Option<(Option<String>, bool)>,
        follow_other_host: bool,
    ) -> PyResult<Op> {
        crate::logging::refresh(py);
        let connect_timeout = seconds(py, Some(timeout), Duration::ZERO)?;
        let default_timeout = seconds(py, Some(request_timeout), Duration::ZERO)?;
        let mut opts = ConnectOptions::new(host).connect_timeout(connect_timeout).request_timeout(CORE_DEFAULT_TIMEOUT);
        if let Some(p) = port {
            opts = opts.web_port(p);
        }
        if let Some(p) = ws_port {
            opts = opts.ws_port(p);
        }
        opts.credentials = match credentials {
            Some(c) => Credentials::Secured(c.into()),
            None => Credentials::Unsecured,
        };
        opts.role = match role {
            None => None,
            Some("admin") => Some(Role::Admin),
            Some("user") => Some(Role::User),
            Some(other) => return Err(invalid(py, &format!("role must be 'admin' or 'user', not {other:?}"))),
        };
        opts.api_version = api_version;
        if let Some(i) = instance {
            opts.instance = i;
        }
        if let Some(capacity) = event_capacity {
            opts.event_capacity = capacity;
        }
        if let Some((max_attempts, initial, max)) = reconnect {
            opts.reconnect = Some(Reconnect {
                max_attempts,
                initial_delay: seconds(py, Some(initial), Duration::ZERO)?,
                max_delay: seconds(py, Some(max), Duration::ZERO)?,
            });
        }
        // A keep-alive of 0 turns it off; none given keeps the core's default.
        if let Some(k) = keepalive {
            let k = seconds(py, Some(k), Duration::ZERO)?;
            opts.keepalive = (!k.is_zero()).then_some(k);
        }
        opts.tls = tls.map(|(ca, danger)| tcroom_core::Tls {
            ca_file: ca.map(std::path::PathBuf::from),
            danger_accept_invalid_certs: danger,
        });
        opts.follow_other_host = follow_other_host;
        // Refused here, before any thread or socket: the same rules as every face.
        opts.validate().map_err(|e| errors::to_py(py, &e))?;
        Ok(Op::new(async move {
            match Client::connect_queued(opts).await {
                Ok((client, events)) => {
                    let shared = Arc::new(Shared { client, events, callbacks: Mutex::new(None), default_timeout });
                    done(move |py| {
                        let obj = NativeClient { shared: Mutex::new(Some(shared)), pid: runtime::pid() };
                        Ok(Bound::new(py, obj)?.into_any())
                    })
                }
                Err(e) => crate::op::failed(e),
            }
        }))
    }

    /// A command of the catalogue by name, with its arguments by name (checked by the core);
    /// the typed reply as plain Python values.
    #[pyo3(signature = (name, args=None, timeout=None))]
    fn command(
        &self,
        py: Python<'_>,
        name: String,
        args: Option<&Bound<'_, PyDict>>,
        timeout: Option<f64>,
    ) -> PyResult<Op> {
        let args = match args {
            Some(d) => dict_to_json(d)?,
            None => Map::new(),
        };
        let s = self.shared(py)?;
        let t = seconds(py, timeout, s.default_timeout)?;
        let client = s.client.clone();
        Ok(Op::new(async move {
            let r = client.command_with(&name, args, &CallOptions::timeout(t)).await;
            finish(r, |py, v| json_to_py(py, &v))
        }))
    }

    /// Any command: `params` is a dict of the fields beside `method`; returns the whole reply.
    #[pyo3(signature = (method, params=None, timeout=None))]
    fn request(
        &self,
        py: Python<'_>,
        method: String,
        params: Option<&Bound<'_, PyDict>>,
        timeout: Option<f64>,
    ) -> PyResult<Op> {
        let params = match params {
            Some(d) => Value::Object(dict_to_json(d)?),
            None => Value::Null,
        };
        let s = self.shared(py)?;
        let t = seconds(py, timeout, s.default_timeout)?;
        let client = s.client.clone();
        Ok(Op::new(async move {
            let r = client.request_timeout(&method, params, t).await;
            finish(r, |py, v| json_to_py(py, &v))
        }))
    }

    /// Sends `createConference`; the result is a `PendingConference` once the room accepts.
    #[pyo3(signature = (title, conf_type, invite, auto_accept, waiting_room, mute_cam_on_join, mute_mic_on_join,
        casters, smart_meeting, timeout=None))]
    #[allow(clippy::too_many_arguments)]
    fn create_conference(
        &self,
        py: Python<'_>,
        title: String,
        conf_type: &str,
        invite: Vec<String>,
        auto_accept: bool,
        waiting_room: bool,
        mute_cam_on_join: bool,
        mute_mic_on_join: bool,
        casters: Option<u32>,
        smart_meeting: bool,
        timeout: Option<f64>,
    ) -> PyResult<Op> {
        let conf_type: ConfType = conf_type.parse().map_err(|e| errors::to_py(py, &e))?;
        let mut params = CreateConference::new(title, conf_type);
        params.invite = invite;
        params.auto_accept = auto_accept;
        params.use_waiting_room = waiting_room;
        params.mute_cam_on_join = mute_cam_on_join;
        params.mute_mic_on_join = mute_mic_on_join;
        params.casters_count = casters;
        params.smart_meeting = smart_meeting;
        let s = self.shared(py)?;
        let t = seconds(py, timeout, s.default_timeout)?;
        let (client, default_timeout) = (s.client.clone(), s.default_timeout);
        Ok(Op::new(async move {
            match client.create_conference_timeout(&params, t).await {
                Ok(pending) => {
                    let native = NativePending::spawn(pending, default_timeout);
                    done(move |py| Ok(Bound::new(py, native)?.into_any()))
                }
                Err(e) => crate::op::failed(e),
            }
        }))
    }

    /// Every queued event (up to `max`) at once, as a list of tuples `(name, data, fields)`;
    /// waits up to `timeout` for the first one when none is queued. `None` once the queue has
    /// ended.
    #[pyo3(signature = (max=DEFAULT_BATCH, timeout=None))]
    fn next_events(&self, py: Python<'_>, max: usize, timeout: Option<f64>) -> PyResult<Op> {
        let s = self.shared(py)?;
        Ok(batch_from_queue(s.events.clone(), max.max(1), opt_seconds(py, timeout)?))
    }

    /// Like `next_events`, from the callback subscription.
    #[pyo3(signature = (max=DEFAULT_BATCH, timeout=None))]
    fn next_callback_events(&self, py: Python<'_>, max: usize, timeout: Option<f64>) -> PyResult<Op> {
        let stream = self.callback_stream(py)?;
        Ok(batch_from_stream(stream, max.max(1), opt_seconds(py, timeout)?))
    }

    /// Starts the callback subscription (idempotent): events from now on.
    fn subscribe_callbacks(&self, py: Python<'_>) -> PyResult<()> {
        let s = self.shared(py)?;
        py.detach(move || {
            let mut slot = s.callbacks.lock().unwrap_or_else(|e| e.into_inner());
            if slot.is_none() {
                *slot = Some(Arc::new(tokio::sync::Mutex::new(s.client.subscribe())));
            }
        });
        Ok(())
    }

    /// A snapshot of the room state, as a dict.
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let client = self.shared(py)?.client.clone();
        let state = py.detach(move || client.snapshot());
        to_py(py, &*state)
    }

    /// A subscription to the room state (the current state first, then each change).
    fn watch(&self, py: Python<'_>) -> PyResult<NativeWatch> {
        let s = self.shared(py)?;
        let watch = py.detach(|| s.client.watch());
        Ok(NativeWatch::new(watch, self.pid))
    }

    /// One still of a video slot from the embedded HTTP server, as bytes.
    #[pyo3(signature = (slot_id, timeout=None))]
    fn frame(&self, py: Python<'_>, slot_id: String, timeout: Option<f64>) -> PyResult<Op> {
        let s = self.shared(py)?;
        let t = seconds(py, timeout, s.default_timeout)?;
        let client = s.client.clone();
        Ok(Op::new(async move {
            let r = client.frame_with(&slot_id, &CallOptions::timeout(t)).await;
            finish(r, |py, bytes| Ok(PyBytes::new(py, &bytes).into_any()))
        }))
    }

    /// Frames of a slot at `fps` per second at most.
    fn frames(&self, py: Python<'_>, slot_id: String, fps: f64) -> PyResult<NativeFrames> {
        let s = self.shared(py)?;
        let stream = s.client.frames(&slot_id, fps).map_err(|e| errors::to_py(py, &e))?;
        Ok(NativeFrames::new(stream, self.pid))
    }

    /// Answers incoming calls: `mode` "all", "none" or "list" (accept `peers`, reject the rest).
    #[pyo3(signature = (mode, peers=None))]
    fn auto_answer(&self, py: Python<'_>, mode: &str, peers: Option<Vec<String>>) -> PyResult<NativeAutoAnswer> {
        let policy = match (mode, peers) {
            ("all", _) => AutoAnswerPolicy::All,
            ("none", _) => AutoAnswerPolicy::Nobody,
            ("list", Some(list)) => AutoAnswerPolicy::Only(list),
            ("list", None) => return Err(invalid(py, "auto-answer 'list' needs the peers to accept")),
            (other, _) => {
                return Err(invalid(py, &format!("auto-answer mode must be all, none or list, not {other:?}")))
            }
        };
        let s = self.shared(py)?;
        let rt = crate::op::handle(py)?;
        let handle = py.detach(|| {
            let _guard = rt.enter();
            s.client.auto_answer(policy)
        });
        Ok(NativeAutoAnswer::new(handle, self.pid))
    }

    #[getter]
    fn is_connected(&self, py: Python<'_>) -> PyResult<bool> {
        let client = self.shared(py)?.client.clone();
        Ok(py.detach(move || client.is_connected()))
    }

    #[getter]
    fn url(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.shared(py)?.client.url())
    }

    #[getter]
    fn default_timeout(&self, py: Python<'_>) -> PyResult<f64> {
        Ok(self.shared(py)?.default_timeout.as_secs_f64())
    }

    /// Closes the connection (close frame, pending requests fail, `disconnected` is the last event).
    fn close(&self, py: Python<'_>) -> PyResult<Op> {
        let client = self.shared(py)?.client.clone();
        Ok(Op::new(async move {
            client.close().await;
            done(|py| Ok(py.None().into_bound(py)))
        }))
    }

    /// Starts closing without waiting (for `__del__`, which must not block).
    fn close_nowait(&self, py: Python<'_>) -> PyResult<()> {
        let client = self.shared(py)?.client.clone();
        let rt = crate::op::handle(py)?;
        rt.spawn(async move { client.close().await });
        Ok(())
    }

    /// Lets go of the connection after `close`: the socket is dropped even when the room closed
    /// it first (the core does not answer a close frame), and later calls raise `ClosedError`.
    fn release(&self) {
        let s = self.shared.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(s) = s {
            runtime::dispose(self.pid, s);
        }
    }

    fn __repr__(&self) -> String {
        match &*self.shared.lock().unwrap_or_else(|e| e.into_inner()) {
            Some(s) => format!("<tcroom._native.Client {}>", s.client.url()),
            None => "<tcroom._native.Client (released)>".to_owned(),
        }
    }
}

impl Drop for NativeClient {
    fn drop(&mut self) {
        if let Some(s) = self.shared.get_mut().unwrap_or_else(|e| e.into_inner()).take() {
            runtime::dispose(self.pid, s);
        }
    }
}
