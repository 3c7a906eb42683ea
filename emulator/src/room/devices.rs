//! A fixed set of fake devices that tests can plug and unplug, and the PTZ of each camera
//! (PROTOCOL.md §10 "devices", "camera PTZ").

use serde_json::{json, Map, Value};

use super::{event, Done, Res, Room};
use crate::params::{opt_str, req_int, req_str, req_text, Params};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Microphone = 0,
    Speaker = 1,
    Camera = 2,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Microphone => "microphone",
            Kind::Speaker => "speaker",
            Kind::Camera => "camera",
        }
    }

    fn parse(s: &str) -> Result<Kind, String> {
        match s {
            "microphone" => Ok(Kind::Microphone),
            "speaker" => Ok(Kind::Speaker),
            "camera" => Ok(Kind::Camera),
            other => Err(format!("parameter 'kind' must be 'microphone', 'speaker' or 'camera' (got '{other}')")),
        }
    }
}

pub(super) struct Device {
    kind: Kind,
    pub name: String,
    pub description: String,
    dtype: i64,
}

pub(super) struct Devices {
    list: Vec<Device>,
    /// Index into `list` of the current device per kind; `None` = "none".
    current: [Option<usize>; 3],
    /// Windows and screens offered for content sharing: (name, id).
    captures: Vec<(String, i64)>,
    plugged: u32,
}

impl Default for Devices {
    fn default() -> Self {
        let d = |kind, name: &str, description: &str| Device {
            kind,
            name: name.into(),
            description: description.into(),
            dtype: 0,
        };
        Devices {
            list: vec![
                d(Kind::Microphone, "Microphone (Jabra SPEAK 510)", "usb-0b0e-0420-in"),
                d(Kind::Microphone, "Microphone (Realtek Audio)", "pci-0000-00-1f.3-in"),
                d(Kind::Speaker, "Speakers (Jabra SPEAK 510)", "usb-0b0e-0420-out"),
                d(Kind::Speaker, "HDMI audio (LG TV)", "pci-0000-00-1f.3-hdmi"),
                d(Kind::Camera, "Logitech PTZ Pro 2", "usb-046d-0853"),
                d(Kind::Camera, "HD Pro Webcam C920", "usb-046d-082d"),
            ],
            current: [Some(0), Some(2), Some(4)],
            captures: vec![("Desktop 1".into(), 1), ("Presentation.pptx - PowerPoint".into(), 132268)],
            plugged: 0,
        }
    }
}

impl Devices {
    fn current(&self, kind: Kind) -> Option<&Device> {
        self.current[kind as usize].and_then(|i| self.list.get(i))
    }

    pub fn current_mic(&self) -> Option<&Device> {
        self.current(Kind::Microphone)
    }

    pub fn current_camera(&self) -> Option<&Device> {
        self.current(Kind::Camera)
    }

    pub fn capture(&self, id: i64) -> Option<&str> {
        self.captures.iter().find(|c| c.1 == id).map(|c| c.0.as_str())
    }

    fn camera_name(&self) -> Option<String> {
        self.current_camera().map(|d| d.name.clone())
    }
}

/// (wire name, min, max, step, default) of pan, tilt and zoom.
const PTZ: [(&str, i64, i64, i64, i64); 3] =
    [("pan", -100, 100, 10, 0), ("tilt", -100, 100, 10, 0), ("zoom", 100, 400, 50, 100)];

fn ptz_defaults() -> [i64; 3] {
    [PTZ[0].4, PTZ[1].4, PTZ[2].4]
}

impl Room {
    pub(super) fn hardware(&self) -> Value {
        let devs = &self.devices;
        let list = |kind: Kind| -> Vec<Value> {
            devs.list
                .iter()
                .filter(|d| d.kind == kind)
                .map(|d| {
                    let mut v = json!({"name": d.name, "description": d.description, "type": d.dtype});
                    if kind == Kind::Camera {
                        v["connected"] = json!(true);
                    }
                    v
                })
                .collect()
        };
        let mut m = Map::new();
        m.insert("audioCapturers".into(), list(Kind::Microphone).into());
        m.insert("audioRenderers".into(), list(Kind::Speaker).into());
        m.insert("videoCapturers".into(), list(Kind::Camera).into());
        for (kind, prefix) in [
            (Kind::Microphone, "currentAudioCapturer"),
            (Kind::Speaker, "currentAudioRenderer"),
            (Kind::Camera, "currentVideoCapturer"),
        ] {
            let (name, description, dtype) =
                devs.current(kind).map_or(("none", "none", 0), |d| (d.name.as_str(), d.description.as_str(), d.dtype));
            m.insert(format!("{prefix}Name"), name.into());
            m.insert(format!("{prefix}Description"), description.into());
            m.insert(format!("{prefix}Type"), dtype.into());
        }
        let captures: Vec<Value> = devs.captures.iter().map(|(name, id)| json!({"name": name, "id": id})).collect();
        m.insert("DSCaptureList".into(), captures.into());
        Value::Object(m)
    }

    /// `hardwareChanged`, and `ptzControlsChanged` when the current camera is another one now.
    fn hardware_events(&self, camera_before: Option<String>) -> Vec<Value> {
        let mut events = vec![event("hardwareChanged", self.hardware())];
        if camera_before != self.devices.camera_name() {
            events.push(event("ptzControlsChanged", self.ptz_controls()));
        }
        events
    }

    pub(super) fn select_device(&mut self, method: &str, req: &Params) -> Res {
        let name = req_str(req, "name")?;
        let description = opt_str(req, "description")?;
        let kind = match method {
            "setAudioCapturer" => Kind::Microphone,
            "setAudioRenderer" => Kind::Speaker,
            _ => Kind::Camera,
        };
        let camera_before = self.devices.camera_name();
        let index = if name == "none" {
            None
        } else {
            let found =
                self.devices.list.iter().position(|d| {
                    d.kind == kind && d.name == name && description.is_none_or(|want| want == d.description)
                });
            match (found, description) {
                (Some(i), _) => Some(i),
                (None, Some(want)) => {
                    return Err(format!("no {} named '{name}' with description '{want}'", kind.name()))
                }
                (None, None) => return Err(format!("no {} named '{name}'", kind.name())),
            }
        };
        self.devices.current[kind as usize] = index;
        Ok(Done::events(self.hardware_events(camera_before)))
    }

    /// Test action: a device appears; it becomes the current one of its kind if there was none.
    pub(super) fn plug_device(&mut self, req: &Params) -> Res {
        let kind = Kind::parse(req_str(req, "kind")?)?;
        let name = req_text(req, "name")?;
        let description = opt_str(req, "description")?;
        if name == "none" {
            return Err("'none' is not a device name".into());
        }
        if self.devices.list.iter().any(|d| d.kind == kind && d.name == name) {
            return Err(format!("a {} named '{name}' is already plugged in", kind.name()));
        }
        let camera_before = self.devices.camera_name();
        self.devices.plugged += 1;
        let description =
            description.map_or_else(|| format!("emulated-{}-{}", kind.name(), self.devices.plugged), str::to_string);
        self.devices.list.push(Device { kind, name: name.to_string(), description, dtype: 0 });
        if self.devices.current[kind as usize].is_none() {
            self.devices.current[kind as usize] = Some(self.devices.list.len() - 1);
        }
        Ok(Done::events(self.hardware_events(camera_before)))
    }

    /// Test action: a device disappears; if it was current, the first other one of its kind
    /// (or none) takes over.
    pub(super) fn unplug_device(&mut self, req: &Params) -> Res {
        let name = req_text(req, "name")?;
        let kind = opt_str(req, "kind")?.map(Kind::parse).transpose()?;
        let matches: Vec<usize> = (0..self.devices.list.len())
            .filter(|&i| self.devices.list[i].name == name && kind.is_none_or(|k| self.devices.list[i].kind == k))
            .collect();
        let i = match matches.as_slice() {
            [i] => *i,
            [] => return Err(format!("no device named '{name}' is plugged in")),
            _ => return Err(format!("several devices are named '{name}': add 'kind'")),
        };
        let camera_before = self.devices.camera_name();
        let currents: Vec<Option<String>> = [Kind::Microphone, Kind::Speaker, Kind::Camera]
            .iter()
            .map(|k| self.devices.current(*k).map(|d| d.name.clone()))
            .collect();
        let gone = self.devices.list.remove(i);
        for k in [Kind::Microphone, Kind::Speaker, Kind::Camera] {
            let keep = currents[k as usize].as_deref().filter(|n| !(k == gone.kind && *n == gone.name));
            self.devices.current[k as usize] = match keep {
                Some(n) => self.devices.list.iter().position(|d| d.kind == k && d.name == n),
                None if k == gone.kind && currents[k as usize].is_some() => {
                    self.devices.list.iter().position(|d| d.kind == k)
                }
                None => None,
            };
        }
        Ok(Done::events(self.hardware_events(camera_before)))
    }

    fn ptz_values(&self, camera: &str) -> [i64; 3] {
        self.ptz.get(camera).copied().unwrap_or_else(ptz_defaults)
    }

    pub(super) fn ptz_controls(&self) -> Value {
        let mut m = Map::new();
        match self.devices.current_camera() {
            None => {
                for (name, ..) in PTZ {
                    m.insert(name.into(), json!({"support": false}));
                }
                m.insert("videoCapturerName".into(), "none".into());
                m.insert("videoCapturerDescription".into(), "none".into());
            }
            Some(cam) => {
                let values = self.ptz_values(&cam.name);
                for (k, (name, min, max, step, def)) in PTZ.iter().enumerate() {
                    m.insert(
                        (*name).into(),
                        json!({"support": true, "isContinuousType": false, "minValue": min, "maxValue": max,
                               "currentValue": values[k], "defValue": def, "step": step, "inverted": false}),
                    );
                }
                m.insert("videoCapturerName".into(), cam.name.clone().into());
                m.insert("videoCapturerDescription".into(), cam.description.clone().into());
            }
        }
        Value::Object(m)
    }

    /// Steps move one `step` and absolute positions are clamped to the range; every command
    /// but `ptzStop` is followed by `ptzControlsChanged`.
    pub(super) fn ptz(&mut self, method: &str, req: &Params) -> Res {
        let camera = self.devices.camera_name().ok_or("no camera is selected: PTZ needs one")?;
        let mut v = self.ptz_values(&camera);
        let step = |k: usize| PTZ[k].3;
        match method {
            "ptzLeft" => v[0] -= step(0),
            "ptzRight" => v[0] += step(0),
            "ptzUp" => v[1] += step(1),
            "ptzDown" => v[1] -= step(1),
            "ptzZoomInc" => v[2] += step(2),
            "ptzZoomDec" => v[2] -= step(2),
            "setPanPos" => v[0] = req_int(req, "pos")?,
            "setTiltPos" => v[1] = req_int(req, "pos")?,
            "setZoomPos" => v[2] = req_int(req, "pos")?,
            "setPtzDefaults" => v = ptz_defaults(),
            _ => return Ok(Done::default()), // ptzStop: moves are single steps, nothing runs
        }
        for (k, (_, min, max, ..)) in PTZ.iter().enumerate() {
            v[k] = v[k].clamp(*min, *max);
        }
        self.ptz.insert(camera, v);
        Ok(Done::events(vec![event("ptzControlsChanged", self.ptz_controls())]))
    }
}
