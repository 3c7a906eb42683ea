//! The video matrix derived from the participants, two monitors, the main window
//! (PROTOCOL.md §10 "layout, monitors, window").

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{json, Value};

use super::{event, Done, Res, Room, SELF_SLOT};
use crate::params::{opt_bool, opt_str_list, req_int, req_str, req_uint, Params};

/// The main window's video area, in pixels.
const WIDTH: i64 = 1920;
const HEIGHT: i64 = 1080;

/// (name, primary, x) of the two monitors, both 1920x1080 side by side.
const MONITORS: [(&str, bool, i64); 2] = [("HDMI-1", true, 0), ("HDMI-2", false, WIDTH)];

pub(super) struct Layout {
    matrix_type: i64,
    /// Slot order chosen by commands; slots not listed follow in arrival order.
    order: Vec<String>,
    hidden: Vec<String>,
    /// Monitor index → the slot shown there in its own window.
    external: BTreeMap<usize, String>,
    current_monitor: usize,
    stay_on_top: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            matrix_type: 1,
            order: Vec::new(),
            hidden: Vec::new(),
            external: BTreeMap::new(),
            current_monitor: 0,
            stay_on_top: false,
        }
    }
}

/// Slot rectangles (left, top, width, height) of `n` visible slots for a matrix type.
fn geometry(n: usize, matrix_type: i64) -> Vec<[i64; 4]> {
    let n64 = n as i64;
    match matrix_type {
        _ if n <= 1 => vec![[0, 0, WIDTH, HEIGHT]; n],
        // One window: the first slot fills it, the others are not on screen.
        0 => (0..n).map(|i| if i == 0 { [0, 0, WIDTH, HEIGHT] } else { [0, 0, 0, 0] }).collect(),
        // One large on the left, the others in a column on the right.
        4 => {
            let h = HEIGHT / (n64 - 1);
            let mut v = vec![[0, 0, WIDTH * 3 / 4, HEIGHT]];
            v.extend((0..n64 - 1).map(|i| [WIDTH * 3 / 4, i * h, WIDTH / 4, h]));
            v
        }
        // One large at the top (left for 2, centred for 3 and 5), the others in a row below.
        2 | 3 | 5 => {
            let x0 = if matrix_type == 2 { 0 } else { WIDTH / 8 };
            let w = WIDTH / (n64 - 1);
            let mut v = vec![[x0, 0, WIDTH * 3 / 4, HEIGHT * 3 / 4]];
            v.extend((0..n64 - 1).map(|i| [i * w, HEIGHT * 3 / 4, w, HEIGHT / 4]));
            v
        }
        // All equal (1, and types this emulator does not know).
        _ => {
            let cols = (1..).find(|c| c * c >= n64).unwrap_or(1);
            let rows = (n64 + cols - 1) / cols;
            let (w, h) = (WIDTH / cols, HEIGHT / rows);
            (0..n64).map(|i| [(i % cols) * w, (i / cols) * h, w, h]).collect()
        }
    }
}

fn monitor_index(req: &Params) -> Result<usize, String> {
    let i = req_uint(req, "monitorIndex")?;
    usize::try_from(i)
        .ok()
        .filter(|&i| i < MONITORS.len())
        .ok_or_else(|| format!("no monitor {i} (monitors: 0..{})", MONITORS.len() - 1))
}

impl Room {
    /// (slot id, display name) of every video slot: the room's camera, then each participant
    /// in the conference (not in the waiting room).
    fn slots(&self) -> Vec<(String, String)> {
        let mut v = vec![(SELF_SLOT.to_string(), self.own_dn.clone())];
        if let Some(c) = &self.conf {
            v.extend(
                c.participants
                    .iter()
                    .filter(|p| !p.is_self && !p.in_waiting)
                    .map(|p| (p.peer_id.clone(), p.dn.clone())),
            );
        }
        v
    }

    pub(crate) fn has_slot(&self, id: &str) -> bool {
        self.slots().iter().any(|s| s.0 == id)
    }

    /// A slot by its id, or a participant's slot by CallId or PeerId.
    fn resolve_slot(&self, id: &str) -> Result<String, String> {
        let slots = self.slots();
        if let Some(s) = slots.iter().find(|s| s.0 == id) {
            return Ok(s.0.clone());
        }
        self.conf
            .as_ref()
            .and_then(|c| c.find(id).map(|i| &c.participants[i]))
            .filter(|p| !p.is_self && !p.in_waiting)
            .map(|p| p.peer_id.clone())
            .ok_or_else(|| format!("no video slot '{id}'"))
    }

    /// Every slot in matrix order.
    fn ordered_slots(&self) -> Vec<(String, String)> {
        let slots = self.slots();
        let index: HashMap<&str, usize> = slots.iter().enumerate().map(|(i, s)| (s.0.as_str(), i)).collect();
        let mut taken = vec![false; slots.len()];
        let mut v = Vec::with_capacity(slots.len());
        for i in self.layout.order.iter().filter_map(|id| index.get(id.as_str()).copied()) {
            if !std::mem::replace(&mut taken[i], true) {
                v.push(slots[i].clone());
            }
        }
        v.extend(slots.iter().zip(&taken).filter(|(_, t)| !**t).map(|(s, _)| s.clone()));
        v
    }

    fn monitor_of(&self, id: &str) -> Option<usize> {
        self.layout.external.iter().find(|(_, s)| *s == id).map(|(i, _)| *i)
    }

    fn extern_json(&self, index: usize, id: &str, dn: &str) -> Value {
        let (name, primary, _) = MONITORS[index];
        json!({"callId": id, "peerDn": dn, "monitorDisplayName": name, "monitorIdx": index, "monitorIsPrimary": primary})
    }

    pub(super) fn matrix(&self) -> Value {
        let ordered = self.ordered_slots();
        let visible: Vec<&(String, String)> =
            ordered.iter().filter(|s| !self.layout.hidden.contains(&s.0) && self.monitor_of(&s.0).is_none()).collect();
        let participants: Vec<Value> = visible
            .iter()
            .zip(geometry(visible.len(), self.layout.matrix_type))
            .map(
                |(s, [l, t, w, h])| json!({"peerId": s.0, "peerDn": s.1, "left": l, "top": t, "width": w, "height": h}),
            )
            .collect();
        let external: Vec<Value> = self
            .layout
            .external
            .iter()
            .filter_map(|(i, id)| ordered.iter().find(|s| &s.0 == id).map(|s| self.extern_json(*i, &s.0, &s.1)))
            .collect();
        let hidden: Vec<Value> =
            ordered.iter().filter(|s| self.layout.hidden.contains(&s.0)).map(|s| json!({"callId": s.0})).collect();
        json!({
            "matrixType": self.layout.matrix_type, "mainWindowWidth": WIDTH, "mainWindowHeight": HEIGHT,
            "selfViewMode": 2, "participants": participants, "externVideoSlots": external,
            "hiddenVideoSlots": hidden,
        })
    }

    /// Forgets slots that are gone, then sends `videoMatrixChanged` if the matrix differs.
    pub(super) fn matrix_changed_since(&mut self, before: &Value, events: &mut Vec<Value>) {
        let ids: HashSet<String> = self.slots().into_iter().map(|s| s.0).collect();
        self.layout.order.retain(|id| ids.contains(id));
        self.layout.hidden.retain(|id| ids.contains(id));
        self.layout.external.retain(|_, id| ids.contains(id));
        let after = self.matrix();
        if after != *before {
            events.push(event("videoMatrixChanged", after));
        }
    }

    fn matrix_event(&self) -> Value {
        event("videoMatrixChanged", self.matrix())
    }

    pub(super) fn change_matrix_type(&mut self, req: &Params) -> Res {
        let t = req_int(req, "matrixType")?;
        if t < 0 {
            return Err(format!("parameter 'matrixType' must be >= 0 (got {t})"));
        }
        self.layout.matrix_type = t;
        Ok(Done::events(vec![self.matrix_event()]))
    }

    /// Listed slots go first, in that order; the others follow as they were.
    pub(super) fn change_matrix(&mut self, req: &Params) -> Res {
        let t = req_int(req, "matrixType")?;
        let listed = opt_str_list(req, "participants")?;
        if t < 0 {
            return Err(format!("parameter 'matrixType' must be >= 0 (got {t})"));
        }
        let mut order = Vec::new();
        for id in &listed {
            let slot = self.resolve_slot(id)?;
            if order.contains(&slot) {
                return Err(format!("slot '{id}' is listed twice"));
            }
            order.push(slot);
        }
        for (id, _) in self.ordered_slots() {
            if !order.contains(&id) {
                order.push(id);
            }
        }
        self.layout.matrix_type = t;
        self.layout.order = order;
        Ok(Done::events(vec![self.matrix_event()]))
    }

    /// A slot shown in the main window (not hidden, not on another monitor).
    fn main_window_slot(&self, id: &str) -> Result<String, String> {
        let slot = self.resolve_slot(id)?;
        if self.layout.hidden.contains(&slot) {
            return Err(format!("slot '{id}' is hidden"));
        }
        if let Some(m) = self.monitor_of(&slot) {
            return Err(format!("slot '{id}' is on monitor {m}, not in the main window"));
        }
        Ok(slot)
    }

    pub(super) fn swap_slots(&mut self, req: &Params) -> Res {
        let a = self.main_window_slot(req_str(req, "callId1")?)?;
        let b = self.main_window_slot(req_str(req, "callId2")?)?;
        if a == b {
            return Err("callId1 and callId2 name the same slot".into());
        }
        let mut order: Vec<String> = self.ordered_slots().into_iter().map(|s| s.0).collect();
        let (i, j) = (order.iter().position(|s| *s == a), order.iter().position(|s| *s == b));
        if let (Some(i), Some(j)) = (i, j) {
            order.swap(i, j);
        }
        self.layout.order = order;
        Ok(Done::events(vec![self.matrix_event()]))
    }

    pub(super) fn show_slot(&mut self, req: &Params, show: bool) -> Res {
        let slot = self.resolve_slot(req_str(req, "callId")?)?;
        if show {
            self.layout.hidden.retain(|s| *s != slot);
        } else {
            if let Some(m) = self.monitor_of(&slot) {
                return Err(format!("slot '{slot}' is on monitor {m}: removeVideoSlotFromMonitor first"));
            }
            if !self.layout.hidden.contains(&slot) {
                self.layout.hidden.push(slot);
            }
        }
        Ok(Done::events(vec![self.matrix_event()]))
    }

    pub(super) fn monitors(&self) -> Value {
        let list: Vec<Value> = MONITORS
            .iter()
            .enumerate()
            .map(|(i, (name, primary, x))| {
                // The primary monitor has a 40 px taskbar.
                let work_h = if *primary { HEIGHT - 40 } else { HEIGHT };
                json!({"name": name, "primary": primary, "index": i, "ignored": false,
                       "geomMonitor": {"x": x, "y": 0, "width": WIDTH, "height": HEIGHT},
                       "geomWork": {"x": x, "y": 0, "width": WIDTH, "height": work_h}})
            })
            .collect();
        json!({"monitors": list, "currentMonitor": self.layout.current_monitor})
    }

    pub(super) fn move_slot(&mut self, req: &Params) -> Res {
        let id = req_str(req, "callId")?;
        let index = monitor_index(req)?;
        let slot = self.resolve_slot(id)?;
        if index == self.layout.current_monitor {
            return Err(format!("monitor {index} shows the main window"));
        }
        if self.layout.hidden.contains(&slot) {
            return Err(format!("slot '{id}' is hidden: showVideoSlot first"));
        }
        if let Some(other) = self.layout.external.get(&index).filter(|s| **s != slot) {
            return Err(format!("monitor {index} already shows '{other}'"));
        }
        self.layout.external.retain(|_, s| *s != slot);
        self.layout.external.insert(index, slot.clone());
        let dn = self.slots().into_iter().find(|s| s.0 == slot).map(|s| s.1).unwrap_or_default();
        let moved = event("videoSlotMovedToMonitor", self.extern_json(index, &slot, &dn));
        Ok(Done::events(vec![moved, self.matrix_event()]))
    }

    fn removed_event(&self, index: usize, slot: &str) -> Value {
        let (name, primary, _) = MONITORS[index];
        event(
            "videoSlotRemovedFromMonitor",
            json!({"callId": slot, "monitorDisplayName": name, "monitorIdx": index, "monitorIsPrimary": primary}),
        )
    }

    pub(super) fn remove_slot(&mut self, req: &Params) -> Res {
        let index = monitor_index(req)?;
        let slot = self.layout.external.remove(&index).ok_or_else(|| format!("monitor {index} shows no video slot"))?;
        Ok(Done::events(vec![self.removed_event(index, &slot), self.matrix_event()]))
    }

    /// Moves the main window; a slot shown on the target monitor comes back into it.
    pub(super) fn change_monitor(&mut self, req: &Params) -> Res {
        let index = monitor_index(req)?;
        self.layout.current_monitor = index;
        let mut events = vec![event("monitorsInfoUpdated", self.monitors())];
        if let Some(slot) = self.layout.external.remove(&index) {
            events.push(self.removed_event(index, &slot));
            events.push(self.matrix_event());
        }
        Ok(Done::events(events))
    }

    pub(super) fn change_window_state(&mut self, req: &Params) -> Res {
        let state = req_int(req, "windowState")?;
        let on_top = opt_bool(req, "stayOnTop")?;
        if !(0..=2).contains(&state) {
            return Err(format!(
                "parameter 'windowState' must be 0 (normal), 1 (minimized) or 2 (maximized); got {state}"
            ));
        }
        if let Some(t) = on_top {
            self.layout.stay_on_top = t;
        }
        Ok(Done::events(vec![event(
            "windowStateChanged",
            json!({"windowState": state, "stayOnTop": self.layout.stay_on_top}),
        )]))
    }

    /// `restoreWindow {}`: the window back to normal (0), staying on top or not as before.
    pub(super) fn restore_window(&mut self) -> Res {
        Ok(Done::events(vec![event(
            "windowStateChanged",
            json!({"windowState": 0, "stayOnTop": self.layout.stay_on_top}),
        )]))
    }
}
