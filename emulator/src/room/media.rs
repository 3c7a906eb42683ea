//! The room's own microphone, camera and speaker, its settings (volume), and the moderator's
//! control of participants' media (PROTOCOL.md §10 "own media", "remote media").

use serde_json::{json, Value};

use super::{event, Done, Res, Room};
use crate::params::{opt_bool, req_bool, req_object, req_text, Params};

/// Mute state of the room's own devices (true = muted).
#[derive(Default)]
pub(super) struct OwnMedia {
    pub mic: bool,
    pub camera: bool,
    pub speaker: bool,
}

/// Settings the room reports; levels are floats 0.0..=1.0, the rest booleans.
pub(super) fn default_settings() -> Vec<(&'static str, Value)> {
    vec![
        ("agcEnable", json!(false)),
        ("audioCapturerLevel", json!(0.6)),
        ("audioPlayLevel", json!(1.0)),
        ("autoAcceptPodiumFromOwner", json!(false)),
        ("autoAllowPartToTakePodium", json!(false)),
        ("bestQualityForHttpServerImages", json!(false)),
    ]
}

fn is_level(name: &str) -> bool {
    name.ends_with("Level")
}

impl Room {
    /// `mic` of the room's participant entry: 0 no device, 1 muted, 2 on.
    pub(super) fn own_mic(&self) -> u8 {
        match (self.devices.current_mic().is_some(), self.media.mic) {
            (false, _) => 0,
            (true, true) => 1,
            (true, false) => 2,
        }
    }

    pub(super) fn own_video(&self) -> u8 {
        match (self.devices.current_camera().is_some(), self.media.camera) {
            (false, _) => 0,
            (true, true) => 1,
            (true, false) => 2,
        }
    }

    pub(super) fn setting_bool(&self, name: &str) -> bool {
        self.settings.iter().any(|(n, v)| *n == name && v.as_bool() == Some(true))
    }

    pub(super) fn set_mute(&mut self, method: &str, req: &Params) -> Res {
        let mute = req_bool(req, "mute")?;
        let name = match method {
            "setMicMute" => {
                self.media.mic = mute;
                "audioCapturerMute"
            }
            "setVideoMute" => {
                self.media.camera = mute;
                "videoCapturerMute"
            }
            _ => {
                self.media.speaker = mute;
                "audioRendererMute"
            }
        };
        Ok(Done::events(vec![event(name, json!({"mute": mute}))]))
    }

    pub(super) fn get_settings(&self) -> Done {
        let list: Vec<Value> = self.settings.iter().map(|(n, v)| json!({"name": n, "value": v})).collect();
        Done::reply(json!({"settings": list}))
    }

    /// Validates every setting first, then applies them and announces each, in name order.
    pub(super) fn set_settings(&mut self, req: &Params) -> Res {
        let wanted = req_object(req, "settings")?;
        let mut changes: Vec<(usize, Value)> = Vec::new();
        for (name, value) in wanted {
            let i = self.settings.iter().position(|(n, _)| n == name).ok_or_else(|| {
                let known: Vec<&str> = self.settings.iter().map(|(n, _)| *n).collect();
                format!("unknown setting '{name}' (known: {})", known.join(", "))
            })?;
            let v = if is_level(name) {
                match value.as_f64() {
                    Some(f) if (0.0..=1.0).contains(&f) => json!(f),
                    Some(f) => return Err(format!("setting '{name}' must be 0.0..1.0 (got {f})")),
                    None => return Err(format!("setting '{name}' must be a number 0.0..1.0")),
                }
            } else {
                match value.as_bool() {
                    Some(b) => json!(b),
                    None => return Err(format!("setting '{name}' must be a boolean")),
                }
            };
            changes.push((i, v));
        }
        let agc = wanted.get("agcEnable").and_then(Value::as_bool).unwrap_or_else(|| self.setting_bool("agcEnable"));
        if agc && wanted.contains_key("audioCapturerLevel") {
            return Err("setting 'audioCapturerLevel' is read-only while agcEnable is on".into());
        }
        changes.sort_by_key(|(i, _)| self.settings[*i].0);
        let mut events = Vec::new();
        for (i, v) in changes {
            self.settings[i].1 = v.clone();
            events.push(event("settingsChanged", json!({"name": self.settings[i].0, "value": v})));
        }
        Ok(Done::events(events))
    }

    pub(super) fn turn_remote(&mut self, method: &str, req: &Params) -> Res {
        let who = req_text(req, "peerId")?;
        let on = req_bool(req, "on")?;
        let conf = self.owned_group_mut(method)?;
        let i = conf.find_other(who)?;
        let p = &mut conf.participants[i];
        match method {
            "turnRemoteMic" => p.mic = if on { 2 } else { 1 },
            "turnRemoteCamera" => p.video = if on { 2 } else { 1 },
            _ => {
                // No notification is documented for the loudspeaker; the state is kept.
                p.speaker = on;
                return Ok(Done::default());
            }
        }
        Ok(Done::events(vec![event(
            "deviceStatusReceived",
            json!({"peerId": p.peer_id, "mic": p.mic, "video": p.video, "confId": conf.id}),
        )]))
    }

    /// Test action: the owner of the conference the room joined mutes (or unmutes) it.
    pub(super) fn mute_by_owner(&mut self, req: &Params) -> Res {
        let mic = opt_bool(req, "mic")?;
        let camera = opt_bool(req, "camera")?;
        if mic.is_none() && camera.is_none() {
            return Err("give 'mic' and/or 'camera' (true mutes, false unmutes)".into());
        }
        let conf = self.conf()?;
        if !conf.is_group() || self.is_owner(conf) {
            return Err("muteByOwner needs a group conference owned by someone else".into());
        }
        let conf_id = conf.id.clone();
        let mut events = Vec::new();
        if let Some(mute) = mic {
            self.media.mic = mute;
            events.push(event("micStateChangedByConferenceOwner", json!({"mute": mute, "confId": conf_id})));
            events.push(event("audioCapturerMute", json!({"mute": mute})));
        }
        if let Some(mute) = camera {
            self.media.camera = mute;
            events.push(event("cameraStateChangedByConferenceOwner", json!({"mute": mute, "confId": conf_id})));
            events.push(event("videoCapturerMute", json!({"mute": mute})));
        }
        Ok(Done::events(events))
    }
}
