//! `tcroom-fuzz [--seconds N] [--seed N] [--only TARGET]`: property-based fuzzing of tcroom on
//! stable Rust (proptest), bounded in time. Each target runs its checked-in corpus
//! (`fuzz/corpus/<target>/`), then generated and mutated inputs for its share of the budget;
//! a broken property or a panic is shrunk to a minimal input and fails the run (exit 1), a case
//! that makes no progress for 30 s is a hang (exit 3). The last line is
//! `fuzz: N cases in S s, 0 failures`.
//!
//! Targets: `event` (`Event::from_json`), `reply` (every reply decoder and record reader of the
//! catalogue), `bind` (`catalogue::bind`, arguments by name), `config` (discovery's
//! `parse_config`, `check_host`), `text` (frame text to JSON to events, deep nesting),
//! `frames` (arbitrary frames from a room over a real socket), `c_request_json`
//! (`tc_client_request_json` through the C ABI against the emulator). The Python face's
//! conversion is fuzzed by python/tests/test_fuzz_values.py.

mod cabi;
mod frames;
mod gen;
mod harness;
mod parsers;

use std::process::ExitCode;
use std::time::{Duration, Instant};

type Target = fn(Duration, u64) -> Result<u64, String>;

/// Each target and its share of the time budget.
const TARGETS: &[(&str, Target, u32)] = &[
    ("event", parsers::event, 12),
    ("reply", parsers::reply, 12),
    ("bind", parsers::bind_args, 10),
    ("config", parsers::config, 10),
    ("text", parsers::text, 8),
    ("frames", frames::frames, 24),
    ("c_request_json", cabi::c_request_json, 24),
];

fn main() -> ExitCode {
    let mut seconds = 60.0f64;
    let mut seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(1);
    let mut only: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let value = args.next();
        match (a.as_str(), value) {
            ("--seconds", Some(v)) if v.parse::<f64>().is_ok_and(|s| s > 0.0) => seconds = v.parse().unwrap_or(60.0),
            ("--seed", Some(v)) if v.parse::<u64>().is_ok() => seed = v.parse().unwrap_or(1),
            ("--only", Some(v)) => only = Some(v),
            _ => {
                eprintln!("usage: tcroom-fuzz [--seconds N] [--seed N] [--only TARGET]");
                return ExitCode::from(2);
            }
        }
    }
    let targets: Vec<_> = TARGETS.iter().filter(|(name, _, _)| only.as_deref().is_none_or(|o| o == *name)).collect();
    if targets.is_empty() {
        eprintln!("fuzz: no target named {only:?}");
        return ExitCode::from(2);
    }
    let shares: u32 = targets.iter().map(|t| t.2).sum();
    println!("fuzz: seed {seed} (rerun with --seed {seed}), {seconds} s over {} targets", targets.len());
    // proptest catches panics to shrink them: print the first one, not every shrinking step's.
    let quiet = std::sync::atomic::AtomicBool::new(false);
    std::panic::set_hook(Box::new(move |info| {
        if !quiet.swap(true, std::sync::atomic::Ordering::Relaxed) {
            eprintln!("fuzz: first panic: {info}");
        }
    }));
    harness::start_watchdog();
    let start = Instant::now();
    let (mut total, mut failures) = (0u64, 0u32);
    for (name, target, share) in targets {
        let budget = Duration::from_secs_f64(seconds * f64::from(*share) / f64::from(shares));
        let t = Instant::now();
        match target(budget, seed) {
            Ok(cases) => {
                total += cases;
                println!("fuzz: {name}: {cases} cases in {:.1} s, ok", t.elapsed().as_secs_f64());
            }
            Err(why) => {
                failures += 1;
                println!("fuzz: {name}: FAILED after {:.1} s: {why}", t.elapsed().as_secs_f64());
            }
        }
    }
    println!("fuzz: {total} cases in {:.0} s, {failures} failures", start.elapsed().as_secs_f64());
    if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
