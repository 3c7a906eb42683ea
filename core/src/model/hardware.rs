//! The room's devices: microphones, speakers, cameras, and what can be shared as content.

use crate::json::{i64_of, str_of};
use crate::record::{FieldSpec, FieldType, Record, RecordSpec};
use serde::Serialize;
use serde_json::{json, Value};

crate::records! {
    /// A microphone, speaker or camera.
    pub struct Device {
        /// As the room names it; what `setAudioCapturer` and friends take.
        pub name: String = "name",
        /// The operating system's id or path of the device.
        pub description: Option<String> = "description",
        /// The room's device type number (0 and 1 seen; meanings not documented).
        pub device_type: Option<i64> = "type",
        /// Cameras only, newer rooms.
        pub connected: Option<bool> = "connected",
    }

    /// A window or screen the room can share as content (`startCapture`).
    pub struct CaptureSource {
        /// The window's title or the screen's name.
        pub name: Option<String> = "name",
        /// What `startCapture` takes as `captureId`.
        pub id: i64 = "id",
    }
}

/// `getHardware` / `hardwareChanged`: the devices present and the ones in use.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hardware {
    /// `audioCapturers`: the microphones present.
    pub microphones: Vec<Device>,
    /// `audioRenderers`: the speakers present.
    pub speakers: Vec<Device>,
    /// `videoCapturers`: the cameras present.
    pub cameras: Vec<Device>,
    /// The microphone in use (`currentAudioCapturerName`, `...Description`, `...Type`).
    pub current_microphone: Option<Device>,
    /// The speaker in use (`currentAudioRendererName`...).
    pub current_speaker: Option<Device>,
    /// The camera in use (`currentVideoCapturerName`...).
    pub current_camera: Option<Device>,
    /// Windows and screens that can be shared (`DSCaptureList`).
    pub capture_sources: Vec<CaptureSource>,
    /// The JSON object this was read from, unknown fields included.
    pub raw: Value,
}

/// The device in use, from the reply's three flat `current<Prefix>Name|Description|Type` fields.
fn current(v: &Value, prefix: &str) -> Option<Device> {
    let name = str_of(v, &[&format!("current{prefix}Name")]).filter(|n| !n.is_empty())?;
    let description = str_of(v, &[&format!("current{prefix}Description")]);
    let device_type = i64_of(v, &[&format!("current{prefix}Type")]);
    let raw = json!({"name": name, "description": description, "type": device_type});
    Some(Device { name, description, device_type, connected: None, raw })
}

impl Record for Hardware {
    const SPEC: RecordSpec = RecordSpec {
        name: "Hardware",
        doc: "The devices present and the ones in use (`getHardware`, `hardwareChanged`).\n",
        fields: &[
            FieldSpec { name: "microphones", keys: &["audioCapturers"], ty: <Vec<Device>>::NAMES, doc: "" },
            FieldSpec { name: "speakers", keys: &["audioRenderers"], ty: <Vec<Device>>::NAMES, doc: "" },
            FieldSpec { name: "cameras", keys: &["videoCapturers"], ty: <Vec<Device>>::NAMES, doc: "" },
            FieldSpec {
                name: "current_microphone",
                keys: &["currentAudioCapturerName", "currentAudioCapturerDescription", "currentAudioCapturerType"],
                ty: <Option<Device>>::NAMES,
                doc: "The microphone in use.\n",
            },
            FieldSpec {
                name: "current_speaker",
                keys: &["currentAudioRendererName", "currentAudioRendererDescription", "currentAudioRendererType"],
                ty: <Option<Device>>::NAMES,
                doc: "The speaker in use.\n",
            },
            FieldSpec {
                name: "current_camera",
                keys: &["currentVideoCapturerName", "currentVideoCapturerDescription", "currentVideoCapturerType"],
                ty: <Option<Device>>::NAMES,
                doc: "The camera in use.\n",
            },
            FieldSpec {
                name: "capture_sources",
                keys: &["DSCaptureList"],
                ty: <Vec<CaptureSource>>::NAMES,
                doc: "Windows and screens that can be shared as content (`startCapture`).\n",
            },
        ],
    };

    fn from_json(v: &Value) -> Option<Self> {
        if !v.is_object() {
            return None;
        }
        let list = |k: &str| <Vec<Device>>::read_field(v, &[k]).unwrap_or_default();
        Some(Hardware {
            microphones: list("audioCapturers"),
            speakers: list("audioRenderers"),
            cameras: list("videoCapturers"),
            current_microphone: current(v, "AudioCapturer"),
            current_speaker: current(v, "AudioRenderer"),
            current_camera: current(v, "VideoCapturer"),
            capture_sources: <Vec<CaptureSource>>::read_field(v, &["DSCaptureList"]).unwrap_or_default(),
            raw: v.clone(),
        })
    }

    fn raw(&self) -> &Value {
        &self.raw
    }
}

impl FieldType for Hardware {
    fn read(v: Option<&Value>) -> Option<Self> {
        Hardware::from_json(v?)
    }
    fn rust_name() -> String {
        "Hardware".into()
    }
    fn python_name() -> String {
        "Hardware".into()
    }
    fn python_callable() -> Option<String> {
        Some("Hardware._from".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_shape() {
        let v = json!({
            "audioCapturers": [{"name": "Mic", "description": "usb-1", "type": 0}],
            "audioRenderers": [],
            "videoCapturers": [{"name": "Cam", "description": "/dev/video0", "type": 1, "connected": true}],
            "currentAudioCapturerName": "Mic", "currentAudioCapturerDescription": "usb-1", "currentAudioCapturerType": 0,
            "currentVideoCapturerName": "", "DSCaptureList": [{"name": "Desktop", "id": 132268}],
        });
        let hw = Hardware::from_json(&v).unwrap();
        assert_eq!(hw.microphones[0].description.as_deref(), Some("usb-1"));
        assert_eq!(hw.cameras[0].connected, Some(true));
        assert_eq!(hw.current_microphone.as_ref().map(|d| d.name.as_str()), Some("Mic"));
        assert_eq!(hw.current_camera, None, "an empty name means no device");
        assert_eq!(hw.capture_sources[0].id, 132268);
    }
}
