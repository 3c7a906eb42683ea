//! The PIN and tokens never reach a log line, even at TRACE.
//! (Its own test binary: it installs the process-wide subscriber.)
//!
//! tungstenite logs whole frames through `log` at trace level; this binary, like every artefact
//! we ship (CLI, libtcroom, the Python module), caps `log` at debug with its `max_level_debug`
//! feature (see Cargo.toml), so the test checks the configuration users actually run.

mod common;
use common::*;
use std::io::Write;
use std::sync::{Arc, Mutex};
use tcroom_core::{Client, Credentials};
use tcroom_emulator::{AuthMode, EmulatorConfig};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pin_and_tokens_never_appear_in_logs() {
    let capture = Capture::default();
    let writer = capture.clone();
    tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_writer(move || writer.clone()).init();

    const PIN: &str = "918273";
    let emu = emulator(EmulatorConfig { auth: AuthMode::Pin(PIN.into()), ..Default::default() }).await;
    let first = Client::connect(options(&emu).pin(PIN)).await.unwrap();
    let token = first.token().unwrap();
    first.close().await;
    let second = Client::connect(options(&emu).credentials(Credentials::Secured(token.clone()))).await.unwrap();
    let second_token = second.token().unwrap();
    second.get_app_state().await.unwrap();
    let _ = Client::connect(options(&emu).pin("wrong-pin-555")).await;

    let log = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("auth"), "the auth frames were logged (redacted): {log}");
    assert!(log.contains("<redacted>"));
    for secret in [PIN, token.expose(), second_token.expose(), "wrong-pin-555"] {
        assert!(!log.contains(secret), "a secret leaked into the log");
    }
}
