//! Helpers for the end-to-end tests: an emulated room on its own runtime, and the `tcroom`
//! binary run against it.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;
use tcroom_emulator::{Emulator, EmulatorConfig};

/// How long a test waits for a line from a running `tcroom` before failing (a bound, not a
/// measurement: the lines come within milliseconds).
pub const PATIENCE: Duration = Duration::from_secs(30);

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `tcroom` with a clean environment.
pub fn command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tcroom"));
    c.args(args).env_remove("TCROOM_PIN").env_remove("RUST_LOG");
    c
}

/// Runs `tcroom` against the embedded emulator (no --host).
pub fn tcroom(args: &[&str]) -> Output {
    command(args).output().expect("tcroom runs")
}

/// Standard output of a run that must succeed.
pub fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// The exit code and standard error of a run that must fail.
pub fn fails(out: &Output) -> (i32, String) {
    assert!(!out.status.success(), "unexpected success: {}", text(&out.stdout));
    (out.status.code().unwrap_or(-1), text(&out.stderr))
}

/// JSON lines.
pub fn lines(s: &str) -> Vec<serde_json::Value> {
    s.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line: {l}: {e}"))).collect()
}

/// An emulated room on its own runtime thread, for the duration of a test.
pub struct Room {
    emu: Option<Emulator>,
    rt: tokio::runtime::Runtime,
}

impl Room {
    pub fn start(config: EmulatorConfig) -> Room {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let emu = rt.block_on(Emulator::start(config)).unwrap();
        Room { emu: Some(emu), rt }
    }

    pub fn emu(&self) -> &Emulator {
        self.emu.as_ref().unwrap()
    }

    /// A test-only action on the room (emulator/README.md), e.g. `incomingCall`.
    pub fn control(&self, action: &str, params: serde_json::Value) -> serde_json::Value {
        let _in_runtime = self.rt.enter();
        self.emu().control(action, params).unwrap_or_else(|e| panic!("emulator.{action}: {e}"))
    }

    /// `tcroom ARGS --host 127.0.0.1 --port WEB_PORT`.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = command(args);
        c.args(["--host", "127.0.0.1", "--port", &self.emu().web_port().to_string()]);
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("tcroom runs")
    }
}

impl Drop for Room {
    fn drop(&mut self) {
        if let Some(e) = self.emu.take() {
            self.rt.block_on(e.shutdown());
        }
    }
}

/// The lines a running `tcroom` prints, read on a thread so that a wait for one is bounded.
pub struct Lines {
    rx: mpsc::Receiver<String>,
}

impl Lines {
    pub fn of(child: &mut Child) -> Lines {
        let stdout: ChildStdout = child.stdout.take().expect("stdout piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(l) = line else { break };
                if tx.send(l).is_err() {
                    break;
                }
            }
        });
        Lines { rx }
    }

    /// The next line; fails the test if none comes within [`PATIENCE`].
    pub fn next(&self) -> String {
        self.rx.recv_timeout(PATIENCE).expect("tcroom printed the next line in time")
    }

    /// Lines until one satisfies `f` (that one included).
    pub fn until(&self, f: impl Fn(&str) -> bool) -> Vec<String> {
        let mut seen = Vec::new();
        loop {
            let l = self.next();
            let done = f(&l);
            seen.push(l);
            if done {
                return seen;
            }
        }
    }
}

/// Spawns `c` with standard output piped and standard error kept.
pub fn spawn(mut c: Command) -> Child {
    c.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("tcroom starts")
}

/// A scenario file for the embedded emulator, removed when dropped.
pub struct Scenario(pub std::path::PathBuf);

impl Scenario {
    pub fn new(name: &str, json: serde_json::Value) -> Scenario {
        let path = std::env::temp_dir().join(format!("tcroom-cli-{}-{name}.json", std::process::id()));
        std::fs::write(&path, json.to_string()).unwrap();
        Scenario(path)
    }
    pub fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for Scenario {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
