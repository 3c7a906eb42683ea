//! Pan, tilt and zoom of the room's camera.

crate::records! {
    /// One axis of the camera. Only `support` is present when the axis is not supported.
    pub struct PtzAxis {
        /// The camera can move on this axis.
        pub support: bool = "support",
        /// Moves go on until `ptzStop`.
        pub continuous: Option<bool> = "isContinuousType",
        /// The lowest position.
        pub min: Option<i64> = "minValue",
        /// The highest position.
        pub max: Option<i64> = "maxValue",
        /// The position now.
        pub current: Option<i64> = "currentValue",
        /// The default position.
        pub default_value: Option<i64> = "defValue",
        /// The step between positions.
        pub step: Option<i64> = "step",
        /// The axis' direction is inverted.
        pub inverted: Option<bool> = "inverted",
    }

    /// `getPtzControls` / `ptzControlsChanged`.
    pub struct PtzControls {
        /// Left and right.
        pub pan: Option<PtzAxis> = "pan",
        /// Up and down.
        pub tilt: Option<PtzAxis> = "tilt",
        /// Zoom.
        pub zoom: Option<PtzAxis> = "zoom",
        /// The camera they belong to.
        pub camera_name: Option<String> = "videoCapturerName",
        /// The camera's device id or path (as `Device::description`).
        pub camera_description: Option<String> = "videoCapturerDescription",
    }
}

impl PtzAxis {
    /// Whether `pos` is within the axis' range, when the range is known.
    pub fn accepts(&self, pos: i64) -> bool {
        self.min.is_none_or(|m| pos >= m) && self.max.is_none_or(|m| pos <= m)
    }
}
