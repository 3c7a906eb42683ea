//! Checks of a request against what the client knows of the room, before any round trip. By
//! wire name, so that a request built by name (Python, the CLI) is checked like a typed one.

use crate::model::PtzAxis;
use crate::spec::CommandSpec;
use crate::state::RoomState;
use serde_json::{Map, Value};

fn in_range(axis: Option<&PtzAxis>, what: &str, pos: Option<i64>) -> Result<(), String> {
    match (axis, pos) {
        // Unknown range or unsupported axis: the room decides.
        (Some(a), Some(pos)) if a.support && !a.accepts(pos) => Err(format!(
            "{what} position {pos} is outside the camera's range {}..={}",
            a.min.map_or("?".into(), |m| m.to_string()),
            a.max.map_or("?".into(), |m| m.to_string())
        )),
        _ => Ok(()),
    }
}

pub(crate) fn against_state(spec: &CommandSpec, params: &Map<String, Value>, state: &RoomState) -> Result<(), String> {
    let ptz = state.ptz.as_ref();
    let pos = || params.get("pos").and_then(Value::as_i64);
    match spec.wire {
        "setPanPos" => in_range(ptz.and_then(|p| p.pan.as_ref()), "pan", pos()),
        "setTiltPos" => in_range(ptz.and_then(|p| p.tilt.as_ref()), "tilt", pos()),
        "setZoomPos" => in_range(ptz.and_then(|p| p.zoom.as_ref()), "zoom", pos()),
        _ => Ok(()),
    }
}
