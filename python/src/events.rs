//! Notifications as Python tuples `(name, data, fields)`: the wire name, the raw JSON object,
//! and the typed fields the core parsed (what the Python `Event` exposes as properties).

use crate::convert::{json_to_py, to_py};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use std::sync::Arc;
use tcroom_core::{reject_cause_text, Event, EventKind, StreamItem};

fn fields<'py>(py: Python<'py>, ev: &Event) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("conf_id", ev.conf_id())?;
    d.set_item("peer_id", ev.peer_id())?;
    d.set_item("kind", ev.id().name())?;
    if let Some(payload) = ev.payload_json() {
        d.set_item("payload", json_to_py(py, &payload)?)?;
    }
    match &ev.kind {
        EventKind::AppStateChanged(info) => {
            d.set_item("app_state", info.app_state.code())?;
            d.set_item("embedded_http_port", info.embedded_http_port)?;
        }
        EventKind::ConferenceCreated(c) => d.set_item("conference", to_py(py, c)?)?,
        EventKind::ConferenceDeleted { conf_id } => d.set_item("conf_id", conf_id)?,
        EventKind::NewParticipant { participant, .. } => {
            d.set_item("peer_id", &participant.peer_id)?;
            d.set_item("participant", to_py(py, participant)?)?;
            d.set_item("in_waiting_room", participant.in_waiting_room)?;
        }
        EventKind::ParticipantLeft { peer_id, .. } => d.set_item("peer_id", peer_id)?,
        EventKind::ParticipantPresenceInWaitingRoomChanged { call_id, in_waiting_room, .. } => {
            d.set_item("peer_id", call_id)?;
            d.set_item("in_waiting_room", in_waiting_room)?;
        }
        EventKind::MyStateInWaitingRoomChanged { in_waiting_room, .. } => {
            d.set_item("in_waiting_room", in_waiting_room)?
        }
        EventKind::WaitingRoomStateChanged { enabled, .. } => d.set_item("enabled", enabled)?,
        EventKind::SmartMeetingModeChanged { is_smart_meeting, .. } => {
            d.set_item("is_smart_meeting", is_smart_meeting)?
        }
        EventKind::TariffRestrictionsChanged(t) => d.set_item("tariff", to_py(py, t)?)?,
        EventKind::AuthorizationNeeded { cause } => d.set_item("cause", cause)?,
        EventKind::RejectReceived { cause, .. } => {
            d.set_item("cause", cause)?;
            d.set_item("cause_text", cause.map(reject_cause_text))?;
        }
        EventKind::Login { result } => d.set_item("result", result)?,
        EventKind::Disconnected { reason } | EventKind::ConnectionLost { reason } => d.set_item("reason", reason)?,
        EventKind::Reconnected { attempts } => d.set_item("attempts", attempts)?,
        EventKind::Malformed { error } => d.set_item("error", error)?,
        EventKind::EventsLost { count } => d.set_item("count", count)?,
        EventKind::StateChanged { changed, full } => {
            d.set_item("changed", changed)?;
            d.set_item("full", full)?;
        }
        _ => {}
    }
    Ok(d)
}

fn event_tuple<'py>(py: Python<'py>, ev: &Event) -> PyResult<Bound<'py, PyAny>> {
    let items: [Bound<'py, PyAny>; 3] =
        [ev.name.as_str().into_pyobject(py)?.into_any(), json_to_py(py, &ev.raw)?, fields(py, ev)?.into_any()];
    Ok(PyTuple::new(py, items)?.into_any())
}

/// A marker for `count` events a subscription missed.
fn lost_tuple(py: Python<'_>, count: u64) -> PyResult<Bound<'_, PyAny>> {
    event_tuple(py, &Event::events_lost(count))
}

/// A stream item as a tuple; `None` when the stream has ended.
pub fn item_to_py(py: Python<'_>, item: Option<StreamItem>) -> PyResult<Bound<'_, PyAny>> {
    match item {
        None => Ok(py.None().into_bound(py)),
        Some(StreamItem::Event(ev)) => event_tuple(py, &ev),
        // Never dropped silently: the reader learns how many it missed.
        Some(StreamItem::Lagged(n)) => lost_tuple(py, n),
    }
}

/// A batch of stream items as a list of tuples; `None` when the stream has ended.
pub fn stream_batch_to_py(py: Python<'_>, items: Option<Vec<StreamItem>>) -> PyResult<Bound<'_, PyAny>> {
    match items {
        None => Ok(py.None().into_bound(py)),
        Some(items) => {
            let list = pyo3::types::PyList::empty(py);
            for item in items {
                list.append(item_to_py(py, Some(item))?)?;
            }
            Ok(list.into_any())
        }
    }
}

/// A batch of queued events as a list of tuples; `None` when the queue has ended.
pub fn events_to_py(py: Python<'_>, items: Option<Vec<Arc<Event>>>) -> PyResult<Bound<'_, PyAny>> {
    match items {
        None => Ok(py.None().into_bound(py)),
        Some(items) => {
            let list = pyo3::types::PyList::empty(py);
            for ev in items {
                list.append(event_tuple(py, &ev)?)?;
            }
            Ok(list.into_any())
        }
    }
}
