//! Pan, tilt and zoom of the room's camera.

crate::records! {
    /// One axis of the camera. Only `support` is present when the axis is not supported.
    pub struct PtzAxis {
        pub support: bool = "support",
        /// Moves go on until `ptzStop`.
        pub continuous: Option<bool> = "isContinuousType",
        pub min: Option<i64> = "minValue",
        pub max: Option<i64> = "maxValue",
        pub current: Option<i64> = "currentValue",
        pub default_value: Option<i64> = "defValue",
        pub step: Option<i64> = "step",
        pub inverted: Option<bool> = "inverted",
    }

    /// `getPtzControls` / `ptzControlsChanged`.
    pub struct PtzControls {
        pub pan: Option<PtzAxis> = "pan",
        pub tilt: Option<PtzAxis> = "tilt",
        pub zoom: Option<PtzAxis> = "zoom",
        /// The camera they belong to.
        pub camera_name: Option<String> = "videoCapturerName",
        pub camera_description: Option<String> = "videoCapturerDescription",
    }
}

impl PtzAxis {
    /// Whether `pos` is within the axis' range, when the range is known.
    pub fn accepts(&self, pos: i64) -> bool {
        self.min.is_none_or(|m| pos >= m) && self.max.is_none_or(|m| pos <= m)
    }
}
