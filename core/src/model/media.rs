//! Microphones, cameras and speakers: mute states and settings.

use serde_json::Value;

crate::records! {
    /// A mute state: our own (`audioCapturerMute` microphone, `videoCapturerMute` camera,
    /// `audioRendererMute` speaker) or one a moderator set for us
    /// (`micStateChangedByConferenceOwner`, `cameraStateChangedByConferenceOwner`).
    pub struct MuteState {
        /// True when muted (or the camera is off).
        pub mute: bool = "mute" | "muted",
        /// The conference, when given.
        pub conf_id: Option<String> = "confId",
    }

    /// `deviceStatusReceived`: a participant's microphone and camera.
    pub struct DeviceStatus {
        /// Whose devices: an InstanceId.
        pub peer_id: String = "peerId" | "callId",
        /// 0 none, 1 muted, 2 on.
        pub mic: Option<i64> = "mic",
        /// 0 none, 1 muted, 2 on.
        pub video: Option<i64> = "video",
        /// The conference.
        pub conf_id: Option<String> = "confId",
    }

    /// One setting of the room (`getSettings` entry, `settingsChanged`).
    pub struct Setting {
        /// The setting's name (`audioPlayLevel`...).
        pub name: String = "name",
        /// Its value, as the room sends it.
        pub value: Option<Value> = "value",
    }

    /// `getSettings`: every setting the room reports.
    pub struct Settings {
        /// Every setting the room reports, by name.
        pub settings: Vec<Setting> = "settings",
    }
}

/// The setting that holds the speaker volume, 0.0 to 1.0.
pub const VOLUME_SETTING: &str = "audioPlayLevel";

impl Settings {
    /// The value of setting `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.settings.iter().find(|s| s.name == name).and_then(|s| s.value.as_ref())
    }

    /// The speaker volume (`audioPlayLevel`), 0.0 to 1.0.
    pub fn volume(&self) -> Option<f64> {
        self.get(VOLUME_SETTING).and_then(|v| <f64 as crate::record::FieldType>::read(Some(v)))
    }
}
