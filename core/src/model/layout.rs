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
        /// The slot's id: `#self:0` our camera, a participant's InstanceId, `SlideShowSlot`...; what
        /// `frame` takes.
        pub peer_id: String = "peerId" | "callId",
        /// The participant's display name.
        pub display_name: Option<String> = "peerDn",
        /// Position from the left of the video area, in pixels.
        pub left: Option<i64> = "left",
        /// Position from the top of the video area, in pixels.
        pub top: Option<i64> = "top",
        /// Width in pixels.
        pub width: Option<i64> = "width",
        /// Height in pixels.
        pub height: Option<i64> = "height",
        /// The slot's type number (API v.2; meanings not documented).
        pub slot_type: Option<i64> = "type",
        /// Slide shows only.
        pub title: Option<String> = "title",
    }

    /// A slot moved to another monitor (`externVideoSlots`, `videoSlotMovedToMonitor`,
    /// `videoSlotRemovedFromMonitor`).
    pub struct ExternSlot {
        /// The slot's id (as `VideoSlot::peer_id`).
        pub call_id: String = "callId" | "peerId",
        /// The participant's display name.
        pub display_name: Option<String> = "peerDn",
        /// The monitor's display name.
        pub monitor_name: Option<String> = "monitorDisplayName",
        /// The monitor's index (as in `Monitor::index`).
        pub monitor_index: Option<i64> = "monitorIdx" | "monitorIndex",
        /// The monitor is the primary one.
        pub monitor_is_primary: Option<bool> = "monitorIsPrimary",
        /// The slot's type number (API v.2; meanings not documented).
        pub slot_type: Option<i64> = "type",
    }

    /// `getVideoMatrix` / `videoMatrixChanged`: the layout of the main window.
    pub struct VideoMatrix {
        /// 0 one window, 1 all equal, 2 one large top-left, 3 one large top-centre, 4 one large
        /// left, 5 large top-centre with small below overlapping; rooms use higher values too.
        pub matrix_type: Option<i64> = "matrixType",
        /// Width of the video area, in pixels.
        pub main_window_width: Option<i64> = "mainWindowWidth",
        /// Height of the video area, in pixels.
        pub main_window_height: Option<i64> = "mainWindowHeight",
        /// 1 self view over the layout, 2 inside it.
        pub self_view_mode: Option<i64> = "selfViewMode",
        /// The slots shown in the main window, with their positions.
        pub participants: Vec<VideoSlot> = "participants",
        /// Slots moved to other monitors.
        pub extern_slots: Vec<ExternSlot> = "externVideoSlots",
        /// Slots hidden from the layout (`hideVideoSlot`).
        pub hidden_slots: Vec<SlotId> = "hiddenVideoSlots",
    }

    /// A rectangle in screen pixels.
    pub struct Rect {
        /// Left edge.
        pub x: i64 = "x",
        /// Top edge.
        pub y: i64 = "y",
        /// Width.
        pub width: i64 = "width",
        /// Height.
        pub height: i64 = "height",
    }

    /// One monitor of the room's computer.
    pub struct Monitor {
        /// What `moveVideoSlotToMonitor` and `changeCurrentMonitor` take as `monitorIndex`.
        pub index: i64 = "index",
        /// The monitor's name.
        pub name: Option<String> = "name",
        /// The operating system's primary monitor.
        pub primary: Option<bool> = "primary",
        /// Excluded with `--ignore_monitor`: slots cannot be moved there.
        pub ignored: Option<bool> = "ignored",
        /// The whole screen area.
        pub geometry: Option<Rect> = "geomMonitor",
        /// The screen area without task bars and docks.
        pub work_area: Option<Rect> = "geomWork",
        /// The operating system's device path (newer rooms).
        pub device_path: Option<String> = "deviceInstancePath",
    }

    /// `getMonitorsInfo` / `monitorsInfoUpdated`.
    pub struct Monitors {
        /// Every monitor of the room's computer.
        pub monitors: Vec<Monitor> = "monitors",
        /// The index of the monitor showing the main window.
        pub current_monitor: Option<i64> = "currentMonitor",
    }

    /// The main window (`windowStateChanged`; there is no getter).
    pub struct WindowState {
        /// 0 normal, 1 minimized, 2 maximized (full screen).
        pub window_state: Option<i64> = "windowState",
        /// The main window stays above other windows.
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
