//! The `tcroom` binary end to end: real processes, real sockets.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tcroom_emulator::{Answer, AuthMode, Emulator, EmulatorConfig, SimUser};

fn tcroom(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tcroom"))
        .args(args)
        .env_remove("TCROOM_PIN")
        .env_remove("RUST_LOG")
        .output()
        .expect("tcroom runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs the emulator on its own runtime thread for the duration of a test.
struct Room {
    emu: Option<Emulator>,
    rt: tokio::runtime::Runtime,
}

impl Room {
    fn start(config: EmulatorConfig) -> Room {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let emu = rt.block_on(Emulator::start(config)).unwrap();
        Room { emu: Some(emu), rt }
    }
    fn web_port(&self) -> String {
        self.emu.as_ref().unwrap().web_port().to_string()
    }
    fn ws_port(&self) -> String {
        self.emu.as_ref().unwrap().ws_port().to_string()
    }
}

impl Drop for Room {
    fn drop(&mut self) {
        if let Some(e) = self.emu.take() {
            self.rt.block_on(e.shutdown());
        }
    }
}

#[test]
fn the_readme_command_creates_a_conference_and_sees_the_invitees_join() {
    let out = tcroom(&[
        "create-conference",
        "--title",
        "Code review",
        "--type",
        "role",
        "--invite",
        "user1@some.server",
        "--invite",
        "user2@some.server",
    ]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert!(stdout.contains("Accepted: createConference \"Code review\""), "{stdout}");
    assert!(stdout.contains("Started: conference "), "{stdout}");
    assert!(stdout.contains("join URL:"), "{stdout}");
    assert!(stdout.contains("Joined    user1@some.server/"), "{stdout}");
    assert!(stdout.contains("Joined    user2@some.server/"), "{stdout}");
    assert!(stdout.contains("All 2 invitee(s) answered: 2 joined, 0 declined."), "{stdout}");
    // Only news about the conference and its people: no raw layout or media notifications.
    assert!(!stdout.lines().any(|l| l.starts_with("Event ")), "{stdout}");
    assert!(text(&out.stderr).contains("emulated room"));
}

#[test]
fn json_lines_against_a_room_with_a_pin() {
    let room = Room::start(EmulatorConfig {
        auth: AuthMode::Pin("2468".into()),
        users: vec![
            SimUser::new("ann@some.server", Answer::Join { delay: Duration::from_millis(10) }),
            SimUser::new("bob@some.server", Answer::Reject { cause: 2, delay: Duration::from_millis(10) }),
        ],
        ..Default::default()
    });
    let out = Command::new(env!("CARGO_BIN_EXE_tcroom"))
        .args(["create-conference", "--title", "Standup", "--invite", "ann", "--invite", "bob@some.server"])
        .args(["--host", "127.0.0.1", "--port", &room.web_port(), "--json", "--hang-up"])
        .env("TCROOM_PIN", "2468")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<Value> = text(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    let stages: Vec<&str> = lines.iter().map(|l| l["stage"].as_str().unwrap()).collect();
    assert_eq!(stages.first(), Some(&"accepted"));
    assert_eq!(stages[1], "started");
    assert!(lines[1]["conference"]["conf_id"].as_str().unwrap().contains('@'));
    let done = lines.iter().find(|l| l["stage"] == "done").unwrap();
    assert_eq!((done["joined"].as_u64(), done["declined"].as_u64()), (Some(1), Some(1)));
    assert_eq!(stages.last(), Some(&"hung_up"));
    assert!(lines.iter().any(|l| l["event"] == "rejectReceived" && l["data"]["cause"] == 2));
}

#[test]
fn failures_have_distinct_exit_codes_and_clear_messages() {
    let room = Room::start(EmulatorConfig { auth: AuthMode::Pin("2468".into()), ..Default::default() });
    let port = room.web_port();
    let base = ["--host", "127.0.0.1", "--port", port.as_str()];

    let out = tcroom(&[&["call-raw", "getAppState", "--pin", "1111"][..], &base].concat());
    assert_eq!(out.status.code(), Some(5), "wrong PIN: {}", text(&out.stderr));
    assert!(text(&out.stderr).contains("authorization failed"));
    assert!(!text(&out.stderr).contains("1111"), "the PIN is not echoed");

    let out = tcroom(&[&["call-raw", "noSuchCommand", "--pin", "2468"][..], &base].concat());
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("noSuchCommand"));

    let out = tcroom(&[&["call-raw", "getAppState", "[1]", "--pin", "2468"][..], &base].concat());
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("JSON object"));

    let out = tcroom(&["create-conference", "--title", "x", "--type", "video"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown conference type 'video'"));

    let out = tcroom(&["create-conference", "--title", "  "]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("title is empty"));

    // Nothing listens on port 1.
    let out = tcroom(&["call-raw", "getAppState", "--host", "127.0.0.1", "--port", "1", "--timeout", "2"]);
    assert_eq!(out.status.code(), Some(5));
    assert!(text(&out.stderr).contains("discovery"), "{}", text(&out.stderr));
}

#[test]
fn call_raw_prints_the_reply_and_events_streams() {
    let room = Room::start(EmulatorConfig::default());
    let out = tcroom(&["call-raw", "getAppState", "--host", "127.0.0.1", "--ws-port", &room.ws_port()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let reply: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reply["appState"], 3);

    let mut child: Child = Command::new(env!("CARGO_BIN_EXE_tcroom"))
        .args(["events", "--json", "--count", "1", "--host", "127.0.0.1", "--port", &room.web_port()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // `events` holds the admin role; wait until it is connected, then emit.
    let emu = room.emu.as_ref().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while emu.connection_count() == 0 {
        assert!(std::time::Instant::now() < deadline, "tcroom events never connected");
        std::thread::yield_now();
    }
    // Connected is not yet authorized, and nothing tells us when it is: repeat the event until
    // the first copy comes out (`--count 1` makes the command exit on it).
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let stop = AtomicBool::new(false);
    let mut line = String::new();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                emu.emit(serde_json::json!({"method":"event","event":"hello","n":1}));
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        stdout.read_line(&mut line).unwrap();
        stop.store(true, Ordering::Relaxed);
    });
    let ev: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(ev["event"], "hello");
    assert!(child.wait().unwrap().success());
}
