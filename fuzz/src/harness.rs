//! Runs one target for a time budget: its corpus first, then generated inputs in batches until
//! the budget is spent. A failure (a broken property or a panic) is shrunk by proptest to a
//! minimal input and reported; a case that makes no progress for `HANG` is a hang.

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use std::fmt::Debug;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// A case that takes longer than this is reported as a hang (the process exits).
pub const HANG: Duration = Duration::from_secs(30);

/// What the watchdog looks at.
struct Progress {
    start: Instant,
    /// Milliseconds since `start` when the last case began.
    last: AtomicU64,
    /// The target and the case being run, for the hang report.
    current: Mutex<String>,
}

fn progress() -> &'static Progress {
    static P: OnceLock<Progress> = OnceLock::new();
    P.get_or_init(|| Progress { start: Instant::now(), last: AtomicU64::new(0), current: Mutex::new(String::new()) })
}

fn note(target: &str, input: &dyn Debug) {
    let p = progress();
    p.last.store(p.start.elapsed().as_millis() as u64, Ordering::Relaxed);
    let mut text = format!("{target}: {input:?}");
    if text.len() > 2000 {
        let mut cut = 2000;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str("...");
    }
    *p.current.lock().unwrap_or_else(|e| e.into_inner()) = text;
}

/// Starts the thread that ends the process when a case hangs.
pub fn start_watchdog() {
    let p = progress();
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_secs(1));
        let last = Duration::from_millis(p.last.load(Ordering::Relaxed));
        if p.start.elapsed().saturating_sub(last) > HANG {
            let current = p.current.lock().unwrap_or_else(|e| e.into_inner()).clone();
            eprintln!("fuzz: HANG: no progress for {} s in {current}", HANG.as_secs());
            std::process::exit(3);
        }
    });
}

/// The seeds checked in under `fuzz/corpus/<target>/`, each file's text.
pub fn corpus(target: &str) -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus").join(target);
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect()).unwrap_or_default();
    files.sort();
    files
        .into_iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(&f).ok()?;
            Some((f.file_name()?.to_string_lossy().into_owned(), text.trim_end_matches('\n').to_owned()))
        })
        .collect()
}

/// The corpus seeds of `target` that are JSON.
pub fn corpus_json(target: &str) -> Vec<serde_json::Value> {
    corpus(target).into_iter().filter_map(|(_, t)| serde_json::from_str(&t).ok()).collect()
}

/// Runs `test` on every corpus input, then on generated inputs until `budget` is spent.
/// Returns how many cases ran (shrinking steps included).
pub fn run<S>(
    target: &str,
    budget: Duration,
    seed: u64,
    corpus: Vec<S::Value>,
    strategy: S,
    test: impl Fn(&S::Value) -> Result<(), String>,
) -> Result<u64, String>
where
    S: Strategy,
    S::Value: Debug,
{
    let deadline = Instant::now() + budget;
    let cases = AtomicU64::new(0);
    for input in &corpus {
        note(target, input);
        cases.fetch_add(1, Ordering::Relaxed);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| test(input)));
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(why)) => return Err(format!("corpus input {input:?}: {why}")),
            Err(_) => return Err(format!("corpus input {input:?}: panicked")),
        }
    }
    let config = Config {
        cases: 64,
        failure_persistence: None,
        max_shrink_iters: 500,
        max_shrink_time: 20_000,
        ..Config::default()
    };
    // A runner per batch (one runs its `cases` once), each from its own seed.
    let mut batch = 0u64;
    while Instant::now() < deadline {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        bytes[8..16].copy_from_slice(&batch.to_le_bytes());
        for (i, b) in target.bytes().enumerate() {
            bytes[16 + i % 16] ^= b;
        }
        batch += 1;
        let mut runner = TestRunner::new_with_rng(config.clone(), TestRng::from_seed(RngAlgorithm::ChaCha, &bytes));
        let result = runner.run(&strategy, |input| {
            note(target, &input);
            cases.fetch_add(1, Ordering::Relaxed);
            test(&input).map_err(TestCaseError::fail)
        });
        match result {
            Ok(()) => {}
            Err(TestError::Fail(why, input)) => {
                return Err(format!("{why} (batch {})\n  minimal input: {input:?}", batch - 1));
            }
            Err(TestError::Abort(why)) => return Err(format!("aborted: {why}")),
        }
    }
    Ok(cases.load(Ordering::Relaxed))
}
