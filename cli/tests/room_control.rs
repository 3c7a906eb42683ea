//! The room-control commands of `tcroom` end to end (PROTOCOL.md §10): the built binary against
//! the emulator, over real sockets.

mod common;

use common::*;
use serde_json::{json, Value};
use std::time::Duration;
use tcroom_emulator::{Answer, AuthMode, EmulatorConfig, SimConference, SimUser};

fn users() -> Vec<SimUser> {
    vec![
        SimUser::new("ann@some.server", Answer::Join { delay: Duration::from_millis(10) }),
        SimUser::new("bob@some.server", Answer::Reject { cause: 2, delay: Duration::from_millis(10) }),
        SimUser::new("carl@some.server", Answer::NoAnswer),
    ]
}

fn room() -> Room {
    Room::start(EmulatorConfig { users: users(), ..Default::default() })
}

fn app_state(room: &Room) -> Value {
    let out = room.run(&["state", "--json", "--only", "app_state"]);
    lines(&ok(&out))[0]["state"]["app_state"].clone()
}

#[test]
fn call_waits_for_the_answer_and_exit_codes_tell_refused_from_unanswered() {
    let room = room();
    let out = room.run(&["call", "ann", "--json"]);
    let l = lines(&ok(&out));
    assert_eq!(l[0]["stage"], "calling");
    let answered = l.last().unwrap();
    assert_eq!(answered["stage"], "answered", "{l:?}");
    assert_eq!(answered["conference"]["peer_id"], "ann@some.server");
    assert_eq!(app_state(&room), 5);

    let out = room.run(&["hang-up"]);
    // This connection came after the call started: the call is known by its participants.
    assert!(ok(&out).contains("Left the call with ann@some.server/"), "{}", text(&out.stdout));
    assert_eq!(app_state(&room), 3);

    let out = room.run(&["call", "bob"]);
    let (code, err) = fails(&out);
    assert_eq!(code, 3, "{err}");
    assert!(text(&out.stdout).contains("Refused: bob@some.server did not take the call: busy (cause 2)"));
    assert!(err.contains("busy"), "{err}");

    // Carl never answers: the wait ends, the call is stopped.
    let out = room.run(&["call", "carl", "--wait", "1"]);
    let (code, err) = fails(&out);
    assert_eq!(code, 4, "{err}");
    assert!(text(&out.stdout).contains("stopped calling"), "{}", text(&out.stdout));
    assert_eq!(app_state(&room), 3);
}

#[test]
fn call_joins_a_protected_conference_with_its_pin_and_never_prints_it() {
    let mut board = SimConference::new("board", "Board meeting", "boss@some.server");
    board.pin = Some("97531".into());
    let room = Room::start(EmulatorConfig { conferences: vec![board], ..Default::default() });

    let out = room.run(&["call", "board", "--conf-pin", "11111", "-vv"]);
    let (code, err) = fails(&out);
    assert_eq!(code, 3, "{err}");
    assert!(text(&out.stdout).contains("(cause 13)"), "{}", text(&out.stdout));

    let out = room.run(&["call", "board", "--conf-pin", "97531", "-vv"]);
    let stdout = ok(&out);
    assert!(stdout.contains("Answered: in conference \"Board meeting\""), "{stdout}");
    let all = stdout + &text(&out.stderr);
    assert!(!all.contains("97531"), "the conference PIN leaked:\n{all}");
}

#[test]
fn call_refuses_a_command_name_and_points_to_call_raw() {
    let out = tcroom(&["call", "getAppState"]);
    let (code, err) = fails(&out);
    assert_eq!(code, 2);
    assert!(err.contains("tcroom call-raw getAppState"), "{err}");
}

#[test]
fn answer_waits_for_a_call_from_a_scenario_of_the_embedded_room() {
    let scenario = Scenario::new(
        "answer",
        json!({
            "users": [{"id": "alice@some.server", "display_name": "Alice"}],
            "script": [{"at_ms": 300, "action": "incomingCall", "peerId": "alice@some.server"}],
        }),
    );
    let out = tcroom(&["answer", "--wait", "30", "--json", "--emulator-scenario", scenario.path()]);
    let l = lines(&ok(&out));
    assert_eq!(l[0]["stage"], "answered");
    // The call rang after we connected (we know who calls), or before (we learn it on answering).
    let caller = if l[0]["call"].is_null() { &l[0]["conference"]["peer_id"] } else { &l[0]["call"]["peer_id"] };
    assert_eq!(caller, "alice@some.server", "{l:?}");
}

#[test]
fn answer_and_decline_a_call_that_rang_before_connecting() {
    let room = room();
    let out = room.run(&["answer"]);
    let (code, err) = fails(&out);
    assert_eq!(code, 1);
    assert!(err.contains("no incoming call is ringing (use --wait SECONDS"), "{err}");
    let (code, _) = fails(&room.run(&["decline", "--wait", "0.3"]));
    assert_eq!(code, 4);

    room.control("incomingCall", json!({"peerId": "ann@some.server"}));
    let out = room.run(&["decline"]);
    assert!(ok(&out).contains("Declined the ringing call."), "{}", text(&out.stdout));
    assert_eq!(app_state(&room), 3);

    room.control("incomingCall", json!({"peerId": "ann@some.server"}));
    let out = room.run(&["answer"]);
    assert!(ok(&out).contains("Answered the ringing call: in a call with ann@some.server"), "{}", text(&out.stdout));
    assert_eq!(app_state(&room), 5);
}

#[test]
fn mute_and_volume_print_what_the_room_confirms() {
    let room = room();
    assert_eq!(ok(&room.run(&["mute"])), "Microphone: on\nCamera: on\nSpeaker: on\n");
    assert_eq!(ok(&room.run(&["mute", "mic", "on"])), "Microphone: muted\n");
    assert_eq!(ok(&room.run(&["mute", "microphone"])), "Microphone: muted\n");
    let l = lines(&ok(&room.run(&["mute", "camera", "toggle", "--json"])));
    assert_eq!(l[0], json!({"device": "camera", "muted": true, "confirmed": true}));
    assert_eq!(ok(&room.run(&["mute", "camera", "toggle"])), "Camera: on\n");
    assert_eq!(ok(&room.run(&["mute", "speaker", "off"])), "Speaker: on\n");
    let (code, err) = fails(&room.run(&["mute", "mic", "maybe"]));
    assert_eq!(code, 2, "{err}");

    assert_eq!(ok(&room.run(&["volume", "40%"])), "Volume: 40%\n");
    assert_eq!(ok(&room.run(&["volume", "+10%"])), "Volume: 50%\n");
    assert_eq!(ok(&room.run(&["volume", "-0.2"])), "Volume: 30%\n");
    assert_eq!(lines(&ok(&room.run(&["volume", "--json"])))[0]["volume"], 0.3);
    let (code, err) = fails(&room.run(&["volume", "2"]));
    assert_eq!(code, 1);
    assert!(err.contains("out of range"), "{err}");

    let state = &lines(&ok(&room.run(&["state", "--json"])))[0]["state"];
    assert_eq!((state["mic_muted"].clone(), state["volume"].clone()), (json!(true), json!(0.3)));
}

#[test]
fn devices_are_listed_with_the_current_one_marked_and_selected_by_a_part_of_the_name() {
    let room = room();
    let listing = ok(&room.run(&["devices"]));
    assert!(listing.contains("Cameras:\n  * Logitech PTZ Pro 2"), "{listing}");
    assert!(listing.contains("    HD Pro Webcam C920"), "{listing}");

    assert_eq!(ok(&room.run(&["devices", "select", "camera", "c920"])), "Camera: HD Pro Webcam C920 (in use)\n");
    let l = lines(&ok(&room.run(&["devices", "--json"])));
    assert_eq!(l[0]["current_camera"], "HD Pro Webcam C920");

    let (code, err) = fails(&room.run(&["devices", "select", "camera", "brio"]));
    assert_eq!(code, 1);
    assert!(err.contains("no device matches 'brio'") && err.contains("Logitech PTZ Pro 2"), "{err}");
    let (code, err) = fails(&room.run(&["devices", "select", "speaker", "a"]));
    assert_eq!(code, 1);
    assert!(err.contains("several"), "{err}");

    room.control("plugDevice", json!({"kind": "microphone", "name": "Ceiling array"}));
    assert!(ok(&room.run(&["devices"])).contains("    Ceiling array"));
    assert_eq!(ok(&room.run(&["devices", "select", "mic", "ceiling"])), "Microphone: Ceiling array (in use)\n");
    assert_eq!(ok(&room.run(&["devices", "select", "mic", "none"])), "Microphone: no device\n");
}

#[test]
fn layout_is_shown_and_changed_by_slot_names() {
    let room = room();
    ok(&room.run(&["call", "ann"]));
    let shown = ok(&room.run(&["layout"]));
    assert!(shown.starts_with("Layout 1 (all equal)"), "{shown}");
    assert!(shown.contains("1. #self:0 (this room)") && shown.contains("2. ann@some.server/"), "{shown}");

    let set = ok(&room.run(&["layout", "set", "single"]));
    assert!(set.starts_with("Layout 0 (one window)"), "{set}");
    let swapped = ok(&room.run(&["layout", "swap", "self", "ann"]));
    assert!(swapped.contains("1. ann@some.server/") && swapped.contains("2. #self:0"), "{swapped}");
    let ordered = ok(&room.run(&["layout", "set", "top-left", "self", "ann"]));
    assert!(ordered.starts_with("Layout 2 (one large top-left)") && ordered.contains("1. #self:0"), "{ordered}");
    let hidden = ok(&room.run(&["layout", "hide", "self"]));
    assert!(hidden.contains("hidden: #self:0"), "{hidden}");
    let json = lines(&ok(&room.run(&["layout", "show", "self", "--json"])));
    assert_eq!(json[0]["hidden_slots"], json!([]));
    assert_eq!(json[0]["matrix_type"], 2);

    let (code, err) = fails(&room.run(&["layout", "set", "mosaic"]));
    assert_eq!(code, 2);
    assert!(err.contains("not a layout type"), "{err}");
    let (code, _) = fails(&room.run(&["layout", "swap", "self", "nobody@some.server"]));
    assert_eq!(code, 3, "the room refuses a slot it does not have");
}

#[test]
fn say_sends_to_a_user_or_the_conference() {
    let room = room();
    assert_eq!(
        ok(&room.run(&["say", "ann", "Starting", "in", "5", "minutes"])),
        "Sent to ann@some.server: Starting in 5 minutes\n"
    );
    let (code, err) = fails(&room.run(&["say", "--group", "Hello"]));
    assert_eq!(code, 3, "no conference: {err}");
    let (code, _) = fails(&room.run(&["say", "ann"]));
    assert_eq!(code, 2);

    ok(&room.run(&["create-conference", "--title", "Daily", "--invite", "ann", "--follow", "10"]));
    let l = lines(&ok(&room.run(&["say", "--group", "--json", "Hello", "everyone"])));
    assert_eq!(l[0], json!({"stage": "sent", "to": null, "group": true, "message": "Hello everyone"}));
}

#[test]
fn frame_saves_a_jpeg_to_a_file_or_standard_output_and_never_shows_the_token() {
    let room = Room::start(EmulatorConfig { auth: AuthMode::Pin("86420".into()), ..Default::default() });
    let file = std::env::temp_dir().join(format!("tcroom-cli-{}-frame.jpg", std::process::id()));
    let file_arg = file.to_str().unwrap();
    let out = room.command(&["frame", "self", "-o", file_arg, "-vv"]).env("TCROOM_PIN", "86420").output().unwrap();
    let stdout = ok(&out);
    assert!(stdout.starts_with("Saved the frame of #self:0 ("), "{stdout}");
    let bytes = std::fs::read(&file).unwrap();
    let _ = std::fs::remove_file(&file);
    assert!(bytes.starts_with(&[0xFF, 0xD8]), "a JPEG");
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("86420"), "the PIN leaked: {stderr}");
    for line in stderr.lines().filter(|l| l.contains("token")) {
        assert!(!line.contains("token=") || line.contains("token=<redacted>"), "a token leaked: {line}");
    }

    let out = room.command(&["frame", "#self:0", "-o", "-"]).env("TCROOM_PIN", "86420").output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out.stdout.starts_with(&[0xFF, 0xD8]), "the image on standard output");
    assert!(text(&out.stderr).contains("Saved the frame of #self:0"), "{}", text(&out.stderr));

    let out = room.command(&["frame", "nobody@some.server/1", "-o", "-"]).env("TCROOM_PIN", "86420").output().unwrap();
    let (code, err) = fails(&out);
    assert_eq!(code, 3, "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn state_watch_prints_the_snapshot_then_each_change_as_json_lines() {
    let room = room();
    let mut child = spawn(room.command(&["state", "--watch", "--json", "--count", "2", "--role", "user"]));
    let lines_ = Lines::of(&mut child);
    let first: Value = serde_json::from_str(&lines_.next()).unwrap();
    assert_eq!(first["full"], true);
    assert_eq!(first["state"]["connected"], true);
    assert_eq!(first["state"]["app_state"], 3);
    assert!(first["state"]["hardware"].get("raw").is_none(), "no raw copies without --raw");

    room.control("plugDevice", json!({"kind": "camera", "name": "Document camera"}));
    let second: Value = serde_json::from_str(&lines_.next()).unwrap();
    assert_eq!(second["full"], false);
    assert!(second["changed"].as_array().unwrap().contains(&json!("devices")), "{second}");
    let cameras = second["state"]["hardware"]["cameras"].as_array().unwrap();
    assert!(cameras.iter().any(|c| c["name"] == "Document camera"), "{second}");
    assert!(child.wait().unwrap().success(), "--count 2 ends it");
}

#[test]
fn state_watch_as_text_shows_what_changed() {
    let room = room();
    // The watcher takes the user role: the commands below take admin and would push it out.
    let mut child =
        spawn(room.command(&["state", "--watch", "--only", "own_media,volume", "--count", "3", "--role", "user"]));
    let out = Lines::of(&mut child);
    let snapshot = out.until(|l| l.starts_with("  volume:"));
    assert_eq!(snapshot[0], "Room state:");
    assert!(snapshot.iter().any(|l| l == "  microphone:     on"), "{snapshot:?}");
    assert!(!snapshot.iter().any(|l| l.contains("layout")), "only the parts asked for: {snapshot:?}");

    ok(&room.run(&["mute", "mic", "on"]));
    assert_eq!(out.next(), "Changed (own_media):");
    assert_eq!(
        [out.next(), out.next(), out.next()],
        ["  microphone:     muted", "  camera:         on", "  speaker:        on"]
    );
    // A change elsewhere is not printed; the next one asked for is.
    room.control("plugDevice", json!({"kind": "camera", "name": "Document camera"}));
    ok(&room.run(&["volume", "25%"]));
    assert_eq!(out.next(), "Changed (volume):");
    assert_eq!(out.next(), "  volume:         25%");
    assert!(child.wait().unwrap().success());
}

#[test]
fn a_watcher_pushed_out_by_another_client_says_so() {
    let room = room();
    let mut child = spawn(room.command(&["state", "--watch"]));
    let out = Lines::of(&mut child);
    out.until(|l| l.starts_with("  content:"));
    // Another client takes the same (admin) role.
    ok(&room.run(&["mute"]));
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(5));
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(err.contains("--role user"), "{err}");
}

/// Ctrl-C, as the terminal sends it.
fn interrupt(child: &std::process::Child) {
    let status = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
}

#[test]
fn ctrl_c_ends_a_watch_cleanly_and_stops_a_ringing_call() {
    let room = room();
    let mut watch = spawn(room.command(&["state", "--watch", "--json", "--role", "user"]));
    Lines::of(&mut watch).next();
    interrupt(&watch);
    assert_eq!(watch.wait().unwrap().code(), Some(0), "a watch ends with Ctrl-C");

    let mut call = spawn(room.command(&["call", "carl"]));
    let out = Lines::of(&mut call);
    assert_eq!(out.next(), "Calling carl...");
    interrupt(&call);
    assert_eq!(out.next(), "Stopped calling.");
    assert_eq!(call.wait().unwrap().code(), Some(1));
    assert_eq!(app_state(&room), 3, "the room no longer rings");
}

#[test]
fn every_catalogue_command_runs_with_typed_flags() {
    let room = room();
    assert_eq!(ok(&room.run(&["command", "set-mic-mute", "--mute"])), "Accepted: setMicMute\n");
    assert_eq!(ok(&room.run(&["command", "get-mic-mute"])), "true\n");
    assert_eq!(ok(&room.run(&["command", "setMicMute", "--mute", "false"])), "Accepted: setMicMute\n");
    assert_eq!(ok(&room.run(&["command", "get_mic_mute", "--json"])), "false\n");
    let m: Value = serde_json::from_str(&ok(&room.run(&["command", "get-video-matrix", "--json"]))).unwrap();
    assert_eq!(m["matrix_type"], 1);
    assert!(m.get("raw").is_none());
    let m: Value = serde_json::from_str(&ok(&room.run(&["command", "get-video-matrix", "--json", "--raw"]))).unwrap();
    assert_eq!(m["raw"]["matrixType"], 1);
    assert_eq!(ok(&room.run(&["command", "set-pan-pos", "--pos", "-30"])), "Accepted: setPanPos\n");
    let ptz: Value = serde_json::from_str(&ok(&room.run(&["command", "get-ptz-controls", "--json"]))).unwrap();
    assert_eq!(ptz["pan"]["current"], -30);

    let (code, err) = fails(&room.run(&["command", "set-volume", "--level", "2"]));
    assert_eq!(code, 2);
    assert!(err.contains("0.0..=1.0"), "{err}");
    let (code, err) = fails(&room.run(&["command", "kick-peer"]));
    assert_eq!(code, 2);
    assert!(err.contains("--peer-id"), "{err}");
    let (code, err) = fails(&room.run(&["command", "set-zoom-pos", "--pos", "50"]));
    assert_eq!(code, 1, "checked against the camera's range before sending: {err}");
    let (code, err) = fails(&room.run(&["command", "hang-up"]));
    assert_eq!(code, 3, "{err}");

    let out = room.run(&["command", "get-token-for-http-server"]);
    assert_eq!(ok(&out), "\"<redacted>\"\n");
    let reply: Value = serde_json::from_str(&ok(&room.run(&["call-raw", "getTokenForHttpServer"]))).unwrap();
    assert_eq!(reply["token"], "<redacted>", "call-raw never prints a token either");

    let help = ok(&tcroom(&["command", "--help"]));
    assert!(help.contains("set-mic-mute") && help.contains("get-ptz-controls"), "{help}");
    let help = ok(&tcroom(&["command", "call", "--help"]));
    assert!(help.contains("--conf-pin") && help.contains("Example: tcroom command call --peer-id user1@some.server"));
}

#[test]
fn completions_cover_the_curated_and_the_catalogue_commands() {
    let bash = ok(&tcroom(&["completions", "bash"]));
    for word in ["call-raw", "hang-up", "set-mic-mute", "--conf-pin", "select"] {
        assert!(bash.contains(word), "bash completion lacks {word}");
    }
    for shell in ["zsh", "fish", "powershell"] {
        assert!(ok(&tcroom(&["completions", shell])).contains("set-mic-mute"), "{shell}");
    }
    let (code, _) = fails(&tcroom(&["completions", "tcsh"]));
    assert_eq!(code, 2);
}

#[test]
fn every_command_has_help() {
    for cmd in [
        "call",
        "answer",
        "decline",
        "hang-up",
        "mute",
        "volume",
        "devices",
        "layout",
        "say",
        "frame",
        "state",
        "call-raw",
        "completions",
        "command",
    ] {
        let help = ok(&tcroom(&[cmd, "--help"]));
        assert!(help.contains("Usage: tcroom"), "{cmd}: {help}");
    }
    for sub in [["devices", "select"], ["layout", "set"], ["layout", "swap"]] {
        assert!(ok(&tcroom(&[sub[0], sub[1], "--help"])).contains("Usage: tcroom"));
    }
}
