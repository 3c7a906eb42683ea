//! The native client: every command as an [`Op`], plus the event queues and the state mirror.
//!
//! One object serves both Python faces (`tcroom.Client` blocks on `Op.wait`, `tcroom.AsyncClient`
//! awaits `Op.start`), so the two cannot drift apart.

use crate::conference::NativePending;
use crate::convert::{dict_to_json, json_to_py, seconds, to_py};
use crate::errors::{self, invalid};
use crate::events::{batch_to_py, item_to_py};
use crate::op::{done, finish, Done, Op};
use crate::queue::EventQueue;
use crate::runtime;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tcroom_core::{
    Client, ConfType, ConnectOptions, CreateConference, Credentials, Error, EventStream, Reconnect, Role,
};

/// The core's own default time-out, set so high that ours (applied around every call, and
/// overridable per call in both directions) is always the one that fires.
const CORE_DEFAULT_TIMEOUT: Duration = Duration::from_secs(24 * 3600);

type Stream = Arc<tokio::sync::Mutex<EventStream>>;

struct Shared {
    client: Client,
    /// Everything since the socket opened, for `events()`.
    events: Arc<EventQueue>,
    /// A second subscription for the callback thread, made when the first callback is registered.
    callbacks: Mutex<Option<Stream>>,
    default_timeout: Duration,
}

#[pyclass(module = "tcroom._native", name = "Client", frozen)]
pub struct NativeClient {
    /// `None` once released: the socket goes with the last reference.
    shared: Mutex<Option<Arc<Shared>>>,
    pid: u32,
}

/// `fut` bounded by `t`; dropping it on time-out is what withdraws the request in the core.
async fn timed<T>(
    t: Duration,
    method: &'static str,
    fut: impl Future<Output = tcroom_core::Result<T>>,
) -> tcroom_core::Result<T> {
    match tokio::time::timeout(t, fut).await {
        Ok(r) => r,
        Err(_) => Err(Error::Timeout { method: method.to_owned(), after: t }),
    }
}

fn no_event(t: Duration) -> Done {
    Box::new(move |py| {
        let attrs = PyDict::new(py);
        attrs.set_item("method", "events")?;
        attrs.set_item("timeout", t.as_secs_f64())?;
        Err(errors::new_error(py, "TimeoutError", &format!("no event within {t:?}"), Some(attrs)))
    })
}

/// The next item of `next`, or a time-out error after `timeout`.
async fn next_or_time_out(
    next: impl Future<Output = Option<tcroom_core::StreamItem>>,
    timeout: Option<Duration>,
) -> Done {
    let item = match timeout {
        Some(t) => match tokio::time::timeout(t, next).await {
            Ok(item) => item,
            Err(_) => return no_event(t),
        },
        None => next.await,
    };
    done(move |py| item_to_py(py, item))
}

fn next_from_queue(queue: Arc<EventQueue>, timeout: Option<Duration>) -> Op {
    Op::new(async move { next_or_time_out(queue.next(), timeout).await })
}

fn next_from_stream(stream: Stream, timeout: Option<Duration>) -> Op {
    Op::new(async move {
        let next = async {
            let mut s = stream.lock().await;
            s.recv().await
        };
        next_or_time_out(next, timeout).await
    })
}

/// How many events one batch may hold when the caller does not say.
const DEFAULT_BATCH: usize = 1024;

/// A batch of the per-client queue: at once when something is queued (no runtime hop), else an
/// operation that waits for the first item (or the time-out) and takes what came with it.
fn batch_from_queue(queue: Arc<EventQueue>, max: usize, timeout: Option<Duration>) -> Op {
    match queue.take_batch(max) {
        Some(v) if v.is_empty() => Op::new(async move {
            let next = queue.next_batch(max);
            let items = match timeout {
                Some(t) => match tokio::time::timeout(t, next).await {
                    Ok(items) => items,
                    Err(_) => return no_event(t),
                },
                None => next.await,
            };
            done(move |py| batch_to_py(py, items))
        }),
        items => Op::ready(done(move |py| batch_to_py(py, items))),
    }
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
            return Op::ready(done(move |py| batch_to_py(py, Some(items))));
        }
        if s.is_ended() {
            return Op::ready(done(move |py| batch_to_py(py, None)));
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
                Err(_) => return no_event(t),
            },
            None => next.await,
        };
        done(move |py| batch_to_py(py, items))
    })
}

impl NativeClient {
    fn shared(&self, py: Python<'_>) -> PyResult<Arc<Shared>> {
        if runtime::forked(self.pid) {
            return Err(errors::forked(py));
        }
        crate::logging::refresh(py);
        let s = self.shared.lock().unwrap_or_else(|e| e.into_inner()).clone();
        s.ok_or_else(|| errors::to_py(py, &Error::Closed))
    }

    /// A typed command: `call` on a clone of the client, bounded by the time-out, the result
    /// converted by `conv`.
    fn run<T, Fut, G>(
        &self,
        py: Python<'_>,
        timeout: Option<f64>,
        method: &'static str,
        call: impl FnOnce(Client) -> Fut,
        conv: G,
    ) -> PyResult<Op>
    where
        T: Send + 'static,
        Fut: Future<Output = tcroom_core::Result<T>> + Send + 'static,
        G: for<'py> FnOnce(Python<'py>, T) -> PyResult<Bound<'py, PyAny>> + Send + 'static,
    {
        let s = self.shared(py)?;
        let t = seconds(py, timeout, s.default_timeout)?;
        let fut = call(s.client.clone());
        Ok(Op::new(async move { finish(timed(t, method, fut).await, conv) }))
    }
}

fn none(py: Python<'_>, _: ()) -> PyResult<Bound<'_, PyAny>> {
    Ok(py.None().into_bound(py))
}

fn opt_str(py: Python<'_>, s: Option<String>) -> PyResult<Bound<'_, PyAny>> {
    Ok(s.into_pyobject(py)?.into_any())
}

#[pymethods]
impl NativeClient {
    #[staticmethod]
    #[pyo3(signature = (host, *, port=None, ws_port=None, credentials=None, role=None, timeout=10.0,
        request_timeout=10.0, api_version=None, instance=None, event_capacity=None, reconnect=None))]
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
    ) -> PyResult<Op> {
        crate::logging::refresh(py);
        if host.trim().is_empty() {
            return Err(invalid(py, "the host is empty"));
        }
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
        let capacity = event_capacity.unwrap_or(opts.event_capacity);
        opts.event_capacity = capacity;
        if let Some((max_attempts, initial, max)) = reconnect {
            opts.reconnect = Some(Reconnect {
                max_attempts,
                initial_delay: seconds(py, Some(initial), Duration::ZERO)?,
                max_delay: seconds(py, Some(max), Duration::ZERO)?,
            });
        }
        Ok(Op::new(async move {
            match Client::connect_subscribed(opts).await {
                Ok((client, stream)) => {
                    let shared = Arc::new(Shared {
                        client,
                        events: EventQueue::pump(stream, capacity),
                        callbacks: Mutex::new(None),
                        default_timeout,
                    });
                    done(move |py| {
                        let obj = NativeClient { shared: Mutex::new(Some(shared)), pid: runtime::pid() };
                        Ok(Bound::new(py, obj)?.into_any())
                    })
                }
                Err(e) => crate::op::failed(e),
            }
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

    #[pyo3(signature = (timeout=None))]
    fn get_app_state(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<Op> {
        self.run(py, timeout, "getAppState", |c| async move { c.get_app_state().await }, |py, v| to_py(py, &v))
    }

    #[pyo3(signature = (timeout=None))]
    fn get_tariff_restrictions(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<Op> {
        self.run(
            py,
            timeout,
            "getTariffRestrictions",
            |c| async move { c.get_tariff_restrictions().await },
            |py, v| to_py(py, &v),
        )
    }

    #[pyo3(signature = (timeout=None))]
    fn get_system_info(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<Op> {
        self.run(py, timeout, "getSystemInfo", |c| async move { c.get_system_info().await }, |py, v| to_py(py, &v))
    }

    #[pyo3(signature = (timeout=None))]
    fn get_conferences(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<Op> {
        self.run(py, timeout, "getConferences", |c| async move { c.get_conferences().await }, |py, v| to_py(py, &v))
    }

    #[pyo3(signature = (timeout=None))]
    fn get_conference_participants(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<Op> {
        self.run(
            py,
            timeout,
            "getConferenceParticipants",
            |c| async move { c.get_conference_participants().await },
            |py, (conf_id, list)| {
                let d = PyDict::new(py);
                d.set_item("conf_id", conf_id)?;
                d.set_item("participants", to_py(py, &list)?)?;
                Ok(d.into_any())
            },
        )
    }

    #[pyo3(signature = (enable, users_must_be_invited, timeout=None))]
    fn set_waiting_room_state(
        &self,
        py: Python<'_>,
        enable: bool,
        users_must_be_invited: bool,
        timeout: Option<f64>,
    ) -> PyResult<Op> {
        self.run(
            py,
            timeout,
            "setWaitingRoomState",
            |c| async move { c.set_waiting_room_state(enable, users_must_be_invited).await },
            opt_str,
        )
    }

    #[pyo3(signature = (call_id, in_waiting_room, timeout=None))]
    fn set_participant_presence_in_waiting_room(
        &self,
        py: Python<'_>,
        call_id: String,
        in_waiting_room: bool,
        timeout: Option<f64>,
    ) -> PyResult<Op> {
        self.run(
            py,
            timeout,
            "setParticipantPresenceInWaitingRoom",
            |c| async move { c.set_participant_presence_in_waiting_room(&call_id, in_waiting_room).await },
            opt_str,
        )
    }

    #[pyo3(signature = (for_all, timeout=None))]
    fn hang_up(&self, py: Python<'_>, for_all: bool, timeout: Option<f64>) -> PyResult<Op> {
        self.run(py, timeout, "hangUp", |c| async move { c.hang_up(for_all).await }, none)
    }

    #[pyo3(signature = (peer_id, timeout=None))]
    fn invite_to_conference(&self, py: Python<'_>, peer_id: String, timeout: Option<f64>) -> PyResult<Op> {
        self.run(py, timeout, "inviteToConference", |c| async move { c.invite_to_conference(&peer_id).await }, none)
    }

    #[pyo3(signature = (is_smart_meeting, timeout=None))]
    fn change_conference_mode(&self, py: Python<'_>, is_smart_meeting: bool, timeout: Option<f64>) -> PyResult<Op> {
        self.run(
            py,
            timeout,
            "changeConferenceMode",
            |c| async move { c.change_conference_mode(is_smart_meeting).await },
            none,
        )
    }

    #[pyo3(signature = (timeout=None))]
    fn get_session_link(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<Op> {
        self.run(
            py,
            timeout,
            "getSessionLink",
            |c| async move { c.get_session_link().await },
            |py, link| Ok(link.into_pyobject(py)?.into_any()),
        )
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

    /// The next item of the per-client queue: `(name, data, fields)`, or `None` once it ended.
    #[pyo3(signature = (timeout=None))]
    fn next_event(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<Op> {
        let s = self.shared(py)?;
        let t = timeout.map(|x| seconds(py, Some(x), Duration::ZERO)).transpose()?;
        Ok(next_from_queue(s.events.clone(), t))
    }

    /// Every queued item (up to `max`) at once, as a list of tuples; waits up to `timeout` for
    /// the first one when none is queued. `None` once the queue has ended.
    #[pyo3(signature = (max=DEFAULT_BATCH, timeout=None))]
    fn next_events(&self, py: Python<'_>, max: usize, timeout: Option<f64>) -> PyResult<Op> {
        let s = self.shared(py)?;
        let t = timeout.map(|x| seconds(py, Some(x), Duration::ZERO)).transpose()?;
        Ok(batch_from_queue(s.events.clone(), max.max(1), t))
    }

    /// Like `next_events`, from the callback subscription.
    #[pyo3(signature = (max=DEFAULT_BATCH, timeout=None))]
    fn next_callback_events(&self, py: Python<'_>, max: usize, timeout: Option<f64>) -> PyResult<Op> {
        let s = self.shared(py)?;
        let t = timeout.map(|x| seconds(py, Some(x), Duration::ZERO)).transpose()?;
        let stream = s.callbacks.lock().unwrap_or_else(|e| e.into_inner()).clone();
        match stream {
            Some(stream) => Ok(batch_from_stream(stream, max.max(1), t)),
            None => {
                Err(errors::new_error(py, "Error", "no callback subscription: call subscribe_callbacks first", None))
            }
        }
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

    /// Like `next_event`, from the callback subscription.
    #[pyo3(signature = (timeout=None))]
    fn next_callback_event(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<Op> {
        let s = self.shared(py)?;
        let t = timeout.map(|x| seconds(py, Some(x), Duration::ZERO)).transpose()?;
        let stream = s.callbacks.lock().unwrap_or_else(|e| e.into_inner()).clone();
        match stream {
            Some(stream) => Ok(next_from_stream(stream, t)),
            None => {
                Err(errors::new_error(py, "Error", "no callback subscription: call subscribe_callbacks first", None))
            }
        }
    }

    /// A snapshot of the state mirror, as a dict.
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let client = self.shared(py)?.client.clone();
        let state = py.detach(move || client.state());
        to_py(py, &state)
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
