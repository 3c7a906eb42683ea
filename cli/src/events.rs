//! `tcroom events`: every notification, as it arrives.
//!
//! The room may send faster than the reader of our output takes it (a pager, a slow pipe, a
//! terminal scrolled back). Lines go through a bounded hand-off to a writer thread: the
//! connection is always read, memory stays bounded, what the reader could not take is counted
//! and said ("missed N events"), and Ctrl-C works even while the output is blocked.

use crate::exit::{Failure, Outcome, ERROR};
use crate::interrupt;
use crate::output::Output;
use crate::target::Target;
use serde_json::json;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::sync::Arc;

/// Lines waiting for the writer, at most.
const LINES: usize = 1024;
/// Bytes waiting for the writer, at most (events can be megabytes each).
const BYTES: usize = 16 << 20;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Print JSON lines instead of text.
    #[arg(long)]
    json: bool,
    /// Stop after this many events.
    #[arg(long)]
    count: Option<u64>,
    #[command(flatten)]
    target: Target,
}

/// The writer thread's end of the hand-off.
struct Writer {
    lines: SyncSender<String>,
    pending: Arc<AtomicUsize>,
    /// The writer thread has ended: all written, or the output is gone.
    done: Arc<AtomicBool>,
    /// Lines the reader could not take, not yet reported.
    missed: u64,
}

enum Sent {
    Ok,
    /// Our output is gone (the reader closed the pipe): nothing more to do.
    Gone,
}

impl Writer {
    fn start() -> Result<Writer, Failure> {
        let (lines, rx) = sync_channel::<String>(LINES);
        let pending = Arc::new(AtomicUsize::new(0));
        let counted = pending.clone();
        let done = Arc::new(AtomicBool::new(false));
        let ended = done.clone();
        // Not joined: at exit a thread blocked on a full pipe must not hold the process.
        std::thread::Builder::new()
            .name("tcroom-output".into())
            .spawn(move || {
                struct End(Arc<AtomicBool>);
                impl Drop for End {
                    fn drop(&mut self) {
                        self.0.store(true, Ordering::Relaxed);
                    }
                }
                let _end = End(ended);
                let stdout = std::io::stdout();
                while let Ok(line) = rx.recv() {
                    let mut out = stdout.lock();
                    let written = writeln!(out, "{line}").and_then(|()| out.flush());
                    counted.fetch_sub(line.len(), Ordering::Relaxed);
                    if let Err(e) = written {
                        if e.kind() != std::io::ErrorKind::BrokenPipe {
                            eprintln!("tcroom: error: cannot write the output: {e}");
                        }
                        return;
                    }
                }
            })
            .map_err(|e| Failure::new(ERROR, format!("cannot start the output thread: {e}")))?;
        Ok(Writer { lines, pending, done, missed: 0 })
    }

    /// Hands `line` over without waiting; counts it as missed when the reader is behind.
    fn send(&mut self, out: &Output, line: String) -> Sent {
        if self.missed > 0 {
            let n = self.missed;
            let note = out.render(
                format!("(missed {n} events: the output was not read fast enough)"),
                json!({"stage": "lagged", "missed": n}),
            );
            match self.offer(note) {
                Offer::Taken => self.missed = 0,
                Offer::Full => {
                    self.missed += 1;
                    return Sent::Ok;
                }
                Offer::Gone => return Sent::Gone,
            }
        }
        match self.offer(line) {
            Offer::Taken => Sent::Ok,
            Offer::Full => {
                self.missed += 1;
                Sent::Ok
            }
            Offer::Gone => Sent::Gone,
        }
    }

    fn offer(&self, line: String) -> Offer {
        let len = line.len();
        if self.pending.load(Ordering::Relaxed) + len > BYTES {
            return Offer::Full;
        }
        self.pending.fetch_add(len, Ordering::Relaxed);
        match self.lines.try_send(line) {
            Ok(()) => Offer::Taken,
            Err(TrySendError::Full(_)) => {
                self.pending.fetch_sub(len, Ordering::Relaxed);
                Offer::Full
            }
            Err(TrySendError::Disconnected(_)) => Offer::Gone,
        }
    }
}

enum Offer {
    Taken,
    Full,
    Gone,
}

pub async fn run(a: Args) -> Outcome {
    let out = Output { json: a.json };
    let mut writer = Writer::start()?;
    let session = a.target.connect_queued().await?;
    let mut seen = 0u64;
    let result = loop {
        if a.count.is_some_and(|c| seen >= c) {
            break Ok(());
        }
        let item = tokio::select! {
            item = session.queue.next() => item,
            () = interrupt::pressed(1) => break Ok(()),
        };
        let (line, end) = match item {
            Some(ev) => {
                seen += 1;
                let end = matches!(ev.kind, tcroom_core::EventKind::Disconnected { .. });
                (out.render_event(&ev), end)
            }
            None => (None, true),
        };
        if let Some(line) = line {
            if let Sent::Gone = writer.send(&out, line) {
                break Ok(());
            }
        }
        if end {
            break Err(Failure::new(ERROR, "the connection ended"));
        }
    };
    // The writer finishes what it has, unless the reader is gone or Ctrl-C says not to wait.
    drop(writer.lines);
    let finished = async {
        while !writer.done.load(Ordering::Relaxed) {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    };
    tokio::select! {
        () = finished => {}
        () = interrupt::pressed(1) => {}
    }
    session.client.close().await;
    result
}
