//! The video layout, the monitors and the main window.

use crate::json::str_of;
use crate::record::FieldType;
use serde::Serialize;
use serde_json::Value;

/// A video slot's id, in `hiddenVideoSlots`: rooms send plain strings or `{"callId": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct SlotId(pub String);

impl FieldType for SlotId {
    fn read(v: Option<&Value>) -> Option<Self> {
        match v? {
            Value::String(s) => Some(SlotId(s.clone())),
            obj @ Value::Object(_) => str_of(obj, &["callId", "peerId", "id"]).map(SlotId),
            _ => None,
        }
    }
    fn rust_name() -> String {
        "SlotId".into()
    }
    fn python_name() -> String {
        "str".into()
    }
}

crate::records! {
    /// One video slot of the layout. `#self:0` is our own camera.
    pub struct VideoSlot {
        pub peer_id: String = "peerId" | "callId",
        pub display_name: Option<String> = "peerDn",
        pub left: Option<i64> = "left",
        pub top: Option<i64> = "top",
        pub width: Option<i64> = "width",
        pub height: Option<i64> = "height",
        pub slot_type: Option<i64> = "type",
        /// Slide shows only.
        pub title: Option<String> = "title",
    }

    /// A slot moved to another monitor (`externVideoSlots`, `videoSlotMovedToMonitor`,
    /// `videoSlotRemovedFromMonitor`).
    pub struct ExternSlot {
        pub call_id: String = "callId" | "peerId",
        pub display_name: Option<String> = "peerDn",
        pub monitor_name: Option<String> = "monitorDisplayName",
        pub monitor_index: Option<i64> = "monitorIdx" | "monitorIndex",
        pub monitor_is_primary: Option<bool> = "monitorIsPrimary",
        pub slot_type: Option<i64> = "type",
    }

    /// `getVideoMatrix` / `videoMatrixChanged`: the layout of the main window.
    pub struct VideoMatrix {
        /// 0 one window, 1 all equal, 2 one large top-left, 3 one large top-centre, 4 one large
        /// left, 5 large top-centre with small below overlapping; rooms use higher values too.
        pub matrix_type: Option<i64> = "matrixType",
        pub main_window_width: Option<i64> = "mainWindowWidth",
        pub main_window_height: Option<i64> = "mainWindowHeight",
        /// 1 self view over the layout, 2 inside it.
        pub self_view_mode: Option<i64> = "selfViewMode",
        pub participants: Vec<VideoSlot> = "participants",
        pub extern_slots: Vec<ExternSlot> = "externVideoSlots",
        pub hidden_slots: Vec<SlotId> = "hiddenVideoSlots",
    }

    /// A rectangle in screen pixels.
    pub struct Rect {
        pub x: i64 = "x",
        pub y: i64 = "y",
        pub width: i64 = "width",
        pub height: i64 = "height",
    }

    /// One monitor of the room's computer.
    pub struct Monitor {
        pub index: i64 = "index",
        pub name: Option<String> = "name",
        pub primary: Option<bool> = "primary",
        /// Excluded with `--ignore_monitor`: slots cannot be moved there.
        pub ignored: Option<bool> = "ignored",
        pub geometry: Option<Rect> = "geomMonitor",
        pub work_area: Option<Rect> = "geomWork",
        pub device_path: Option<String> = "deviceInstancePath",
    }

    /// `getMonitorsInfo` / `monitorsInfoUpdated`.
    pub struct Monitors {
        pub monitors: Vec<Monitor> = "monitors",
        /// The index of the monitor showing the main window.
        pub current_monitor: Option<i64> = "currentMonitor",
    }

    /// The main window (`windowStateChanged`; there is no getter).
    pub struct WindowState {
        /// 0 normal, 1 minimized, 2 maximized (full screen).
        pub window_state: Option<i64> = "windowState",
        pub stay_on_top: Option<bool> = "stayOnTop",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;
    use serde_json::json;

    #[test]
    fn hidden_slots_may_be_strings_or_objects_and_unknown_matrix_types_stay() {
        let v = json!({"matrixType": 7, "participants": [{"peerId": "#self:0", "left": 0}],
                       "hiddenVideoSlots": ["a@s", {"callId": "#self:0"}, 5]});
        let m = VideoMatrix::from_json(&v).unwrap();
        assert_eq!(m.matrix_type, Some(7));
        assert_eq!(m.hidden_slots, [SlotId("a@s".into()), SlotId("#self:0".into())]);
        assert_eq!(m.participants[0].peer_id, "#self:0");
    }
}
