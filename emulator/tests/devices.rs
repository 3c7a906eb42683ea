//! Fake devices (select, plug, unplug) and the camera's PTZ.

mod common;

use common::{room_config, start, Client};
use serde_json::{json, Value};

const HARDWARE_KEYS: [&str; 13] = [
    "audioCapturers",
    "audioRenderers",
    "videoCapturers",
    "currentAudioCapturerName",
    "currentAudioCapturerDescription",
    "currentAudioCapturerType",
    "currentAudioRendererName",
    "currentAudioRendererDescription",
    "currentAudioRendererType",
    "currentVideoCapturerName",
    "currentVideoCapturerDescription",
    "currentVideoCapturerType",
    "DSCaptureList",
];

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|a| a.iter().map(|d| d["name"].as_str().unwrap_or("").to_string()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn hardware_lists_two_of_each_and_the_current_ones() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let hw = c.ok("getHardware", json!({})).await;
    for k in HARDWARE_KEYS {
        assert!(hw.get(k).is_some(), "getHardware lacks {k}: {hw}");
    }
    for k in ["audioCapturers", "audioRenderers", "videoCapturers"] {
        let list = hw[k].as_array().expect("array");
        assert_eq!(list.len(), 2, "{k}");
        for d in list {
            assert!(d["name"].is_string() && d["description"].is_string() && d["type"].is_i64(), "{d}");
        }
    }
    assert!(hw["videoCapturers"].as_array().is_some_and(|a| a.iter().all(|d| d["connected"] == true)));
    assert_eq!(hw["currentAudioCapturerName"], hw["audioCapturers"][0]["name"]);
    assert_eq!(hw["currentAudioCapturerDescription"], hw["audioCapturers"][0]["description"]);
    assert_eq!(hw["currentAudioRendererName"], hw["audioRenderers"][0]["name"]);
    assert_eq!(hw["currentVideoCapturerName"], hw["videoCapturers"][0]["name"]);
    let ds = hw["DSCaptureList"].as_array().expect("DSCaptureList");
    assert_eq!(ds.len(), 2);
    assert!(ds.iter().all(|d| d["name"].is_string() && d["id"].is_i64()), "{ds:?}");
}

#[tokio::test]
async fn selecting_devices_announces_the_hardware() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let mut other = Client::connect(&emu).await;
    other.ok("auth", json!({"type": "unsecured", "role": "user"})).await;
    let hw = c.ok("getHardware", json!({})).await;
    let mic2 = hw["audioCapturers"][1].clone();
    let spk2 = hw["audioRenderers"][1].clone();

    let r = c.ok("setAudioCapturer", json!({"name": mic2["name"], "description": mic2["description"]})).await;
    assert_eq!(r.as_object().map(|m| m.len()), Some(3));
    let ev = c.event("hardwareChanged").await;
    for k in HARDWARE_KEYS {
        assert!(ev.get(k).is_some(), "hardwareChanged lacks {k}");
    }
    assert_eq!(ev["currentAudioCapturerName"], mic2["name"]);
    assert_eq!(ev["currentAudioCapturerDescription"], mic2["description"]);
    assert_eq!(other.event("hardwareChanged").await["currentAudioCapturerName"], mic2["name"]);
    // The name alone is enough.
    c.ok("setAudioRenderer", json!({"name": spk2["name"]})).await;
    assert_eq!(c.event("hardwareChanged").await["currentAudioRendererName"], spk2["name"]);
    assert_eq!(c.ok("getHardware", json!({})).await["currentAudioRendererName"], spk2["name"]);

    // "none" selects no device.
    c.ok("setAudioCapturer", json!({"name": "none", "description": "none"})).await;
    let ev = c.event("hardwareChanged").await;
    assert_eq!(
        (ev["currentAudioCapturerName"].clone(), ev["currentAudioCapturerDescription"].clone()),
        (json!("none"), json!("none"))
    );

    let e = c.refused("setVideoCapturer", json!({"name": "Nonexistent cam"})).await;
    assert_eq!(e, "no camera named 'Nonexistent cam'");
    let e = c.refused("setAudioRenderer", json!({"name": spk2["name"], "description": "wrong"})).await;
    assert_eq!(e, format!("no speaker named '{}' with description 'wrong'", spk2["name"].as_str().unwrap_or("")));
    // A microphone's name is no camera.
    let e = c.refused("setVideoCapturer", json!({"name": mic2["name"]})).await;
    assert!(e.starts_with("no camera named"), "{e}");
    c.quiet().await;
}

#[tokio::test]
async fn plugging_and_unplugging() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let hw = c.ok("getHardware", json!({})).await;
    let cam1 = hw["videoCapturers"][0]["name"].as_str().unwrap_or("").to_string();
    let cam2 = hw["videoCapturers"][1]["name"].as_str().unwrap_or("").to_string();

    c.action("plugDevice", json!({"kind": "camera", "name": "Doc cam", "description": "usb-doc"})).await;
    let ev = c.event("hardwareChanged").await;
    assert_eq!(names(&ev["videoCapturers"]), [cam1.as_str(), cam2.as_str(), "Doc cam"]);
    assert_eq!(ev["currentVideoCapturerName"], cam1.as_str(), "a current camera stays current");
    c.quiet().await;

    // Unplugging the current camera selects the next one, and the PTZ follows it.
    c.action("unplugDevice", json!({"name": cam1})).await;
    let ev = c.event("hardwareChanged").await;
    assert_eq!(names(&ev["videoCapturers"]), [cam2.as_str(), "Doc cam"]);
    assert_eq!(ev["currentVideoCapturerName"], cam2.as_str());
    assert_eq!(c.event("ptzControlsChanged").await["videoCapturerName"], cam2.as_str());
    // Unplugging one that is not current keeps the current one.
    c.action("unplugDevice", json!({"name": "Doc cam", "kind": "camera"})).await;
    assert_eq!(c.event("hardwareChanged").await["currentVideoCapturerName"], cam2.as_str());
    c.action("unplugDevice", json!({"name": cam2})).await;
    let ev = c.event("hardwareChanged").await;
    assert_eq!(ev["videoCapturers"], json!([]));
    assert_eq!(ev["currentVideoCapturerName"], "none");
    assert_eq!(c.event("ptzControlsChanged").await["pan"], json!({"support": false}));
    // With no camera, a plugged one becomes current (with its generated description).
    c.action("plugDevice", json!({"kind": "camera", "name": "New cam"})).await;
    let ev = c.event("hardwareChanged").await;
    assert_eq!(ev["currentVideoCapturerName"], "New cam");
    assert!(ev["currentVideoCapturerDescription"].as_str().is_some_and(|d| !d.is_empty()));
    c.event("ptzControlsChanged").await;

    let e = c.refused("emulator.plugDevice", json!({"kind": "camera", "name": "New cam"})).await;
    assert_eq!(e, "a camera named 'New cam' is already plugged in");
    let e = c.refused("emulator.plugDevice", json!({"kind": "mouse", "name": "x"})).await;
    assert_eq!(e, "parameter 'kind' must be 'microphone', 'speaker' or 'camera' (got 'mouse')");
    let e = c.refused("emulator.unplugDevice", json!({"name": "ghost"})).await;
    assert_eq!(e, "no device named 'ghost' is plugged in");
    c.action("plugDevice", json!({"kind": "microphone", "name": "Twin"})).await;
    c.event("hardwareChanged").await;
    c.action("plugDevice", json!({"kind": "speaker", "name": "Twin"})).await;
    c.event("hardwareChanged").await;
    let e = c.refused("emulator.unplugDevice", json!({"name": "Twin"})).await;
    assert_eq!(e, "several devices are named 'Twin': add 'kind'");
    c.quiet().await;
}

fn axis(v: &Value, name: &str) -> (i64, i64, i64, i64, i64) {
    let a = &v[name];
    assert_eq!(a["support"], true);
    assert_eq!(a["isContinuousType"], false);
    assert_eq!(a["inverted"], false);
    let n = |k: &str| a[k].as_i64().unwrap_or(i64::MIN);
    (n("minValue"), n("maxValue"), n("step"), n("defValue"), n("currentValue"))
}

#[tokio::test]
async fn ptz_moves_one_step_and_clamps() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let p = c.ok("getPtzControls", json!({})).await;
    assert_eq!(axis(&p, "pan"), (-100, 100, 10, 0, 0));
    assert_eq!(axis(&p, "tilt"), (-100, 100, 10, 0, 0));
    assert_eq!(axis(&p, "zoom"), (100, 400, 50, 100, 100));
    let hw = c.ok("getHardware", json!({})).await;
    assert_eq!(p["videoCapturerName"], hw["currentVideoCapturerName"]);
    assert_eq!(p["videoCapturerDescription"], hw["currentVideoCapturerDescription"]);

    let cur = |v: &Value, k: &str| v[k]["currentValue"].as_i64().unwrap_or(i64::MIN);
    for (cmd, k, want) in [
        ("ptzRight", "pan", 10),
        ("ptzRight", "pan", 20),
        ("ptzLeft", "pan", 10),
        ("ptzUp", "tilt", 10),
        ("ptzDown", "tilt", 0),
        ("ptzDown", "tilt", -10),
        ("ptzZoomInc", "zoom", 150),
        ("ptzZoomDec", "zoom", 100),
        ("ptzZoomDec", "zoom", 100), // clamped at the minimum
    ] {
        let r = c.ok(cmd, json!({})).await;
        assert_eq!(r.as_object().map(|m| m.len()), Some(3));
        let ev = c.event("ptzControlsChanged").await;
        assert_eq!(cur(&ev, k), want, "{cmd}");
        for key in ["pan", "tilt", "zoom", "videoCapturerName", "videoCapturerDescription"] {
            assert!(ev.get(key).is_some(), "ptzControlsChanged lacks {key}");
        }
    }
    // Absolute positions are clamped to the range.
    for (cmd, pos, k, want) in [
        ("setPanPos", 1000, "pan", 100),
        ("setPanPos", -35, "pan", -35),
        ("setTiltPos", -1000, "tilt", -100),
        ("setZoomPos", 0, "zoom", 100),
        ("setZoomPos", 999, "zoom", 400),
    ] {
        c.ok(cmd, json!({"pos": pos})).await;
        assert_eq!(cur(&c.event("ptzControlsChanged").await, k), want, "{cmd} {pos}");
    }
    let p = c.ok("getPtzControls", json!({})).await;
    assert_eq!((cur(&p, "pan"), cur(&p, "tilt"), cur(&p, "zoom")), (-35, -100, 400));
    // ptzStop is accepted and changes nothing.
    c.ok("ptzStop", json!({})).await;
    c.quiet().await;
    c.ok("setPtzDefaults", json!({})).await;
    let ev = c.event("ptzControlsChanged").await;
    assert_eq!((cur(&ev, "pan"), cur(&ev, "tilt"), cur(&ev, "zoom")), (0, 0, 100));
    assert_eq!(c.refused("setPanPos", json!({"pos": 1.5})).await, "parameter 'pos' must be an integer");
    assert_eq!(c.refused("setTiltPos", json!({})).await, "parameter 'pos' is required");
}

#[tokio::test]
async fn each_camera_keeps_its_own_position_and_none_has_no_ptz() {
    let emu = start(room_config()).await;
    let mut c = Client::connect_authed(&emu).await;
    let hw = c.ok("getHardware", json!({})).await;
    let cam2 = hw["videoCapturers"][1].clone();
    c.ok("setPanPos", json!({"pos": 50})).await;
    c.event("ptzControlsChanged").await;
    c.ok("setVideoCapturer", json!({"name": cam2["name"], "description": cam2["description"]})).await;
    assert_eq!(c.event("hardwareChanged").await["currentVideoCapturerName"], cam2["name"]);
    let ev = c.event("ptzControlsChanged").await;
    assert_eq!(ev["videoCapturerName"], cam2["name"]);
    assert_eq!(ev["pan"]["currentValue"], 0, "the other camera starts at its default");
    c.ok("setVideoCapturer", json!({"name": hw["videoCapturers"][0]["name"]})).await;
    c.event("hardwareChanged").await;
    assert_eq!(c.event("ptzControlsChanged").await["pan"]["currentValue"], 50);
    // Selecting the current camera again changes no PTZ.
    c.ok("setVideoCapturer", json!({"name": hw["videoCapturers"][0]["name"]})).await;
    c.event("hardwareChanged").await;
    c.quiet().await;

    c.ok("setVideoCapturer", json!({"name": "none"})).await;
    c.event("hardwareChanged").await;
    let ev = c.event("ptzControlsChanged").await;
    assert_eq!(
        ev,
        json!({"method": "event", "event": "ptzControlsChanged", "pan": {"support": false},
               "tilt": {"support": false}, "zoom": {"support": false},
               "videoCapturerName": "none", "videoCapturerDescription": "none"})
    );
    assert_eq!(c.refused("ptzLeft", json!({})).await, "no camera is selected: PTZ needs one");
    assert_eq!(c.ok("getPtzControls", json!({})).await["zoom"], json!({"support": false}));
}
