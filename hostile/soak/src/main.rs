//! `tcroom-soak [--seconds N] [--clients N] [--c-clients N] [--workers N] [--seed N]`: many
//! clients times many commands against the emulator (in process, so that it can be restarted on
//! the same ports and given faults), with event storms and random faults, reconnect on.
//!
//! Clients: Rust clients of the core (half behind a TCP proxy that can freeze or cut every
//! connection, half through discovery) and clients of the C ABI (`tc_client_request_json_async`,
//! events by callback). Faults, every 0.3-1.2 s: a reply dropped, a reply delayed (some past
//! their time-out), the socket closed at a command, every connection cut at the proxy, the
//! emulator restarted on the same ports, the room frozen for 1.5-3 s (nothing moves; the
//! keep-alive must notice), garbage frames, every connection closed by the room. Storms: 2,000
//! numbered events every 0.7 s to every client.
//!
//! Checks: every request has exactly one outcome (a Rust call within its time-out plus 5 s, a C
//! callback exactly once by `tc_client_free`); every storm event a client did not get is
//! reported (`eventsLost`) or fell while its link was down; events in order; every client
//! connected again once the faults stop; threads, descriptors, tasks and memory flat between
//! the start and the end of the steady phase. The last line is
//! `soak: requests=N outcomes=N lost=0 events_lost=0 faults=N` (events_lost counts the
//! unreported ones); the exit status is 0 only when every check passed.

mod account;
mod c_clients;
mod procfs;
mod rng;
mod rust_clients;

use account::{AllStorms, Outcomes, STORM};
use rng::Rng;
use serde_json::json;
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tcroom_core::{Client, ConnectOptions, Reconnect};
use tcroom_emulator::{AuthMode, Emulator, EmulatorConfig};
use tcroom_hostile::Proxy;

const PIN: &str = "2468";
/// Load without faults before the first sample and after the faults stop.
const QUIET: Duration = Duration::from_secs(2);
/// The size of the big frames among the faults (an address book of 2 MB).
const BIG_FRAME: usize = 2 << 20;
/// How long the clients get to be connected again once the faults stop.
const SETTLE: Duration = Duration::from_secs(20);

struct Args {
    seconds: f64,
    clients: usize,
    c_clients: usize,
    workers: usize,
    seed: u64,
    /// Fault kinds to inject (all by default).
    faults: Vec<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        seconds: 60.0,
        clients: 6,
        c_clients: 2,
        workers: 4,
        seed: std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(1),
        faults: FAULT_KINDS.iter().map(|k| (*k).to_owned()).collect(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let bad = |_| format!("bad value for {flag}: {value}");
        match flag.as_str() {
            "--seconds" => a.seconds = value.parse().map_err(|_| format!("bad value for {flag}: {value}"))?,
            "--clients" => a.clients = value.parse().map_err(bad)?,
            "--c-clients" => a.c_clients = value.parse().map_err(bad)?,
            "--workers" => a.workers = value.parse().map_err(bad)?,
            "--seed" => a.seed = value.parse().map_err(bad)?,
            "--faults" => {
                a.faults = value.split(',').filter(|k| !k.is_empty()).map(str::to_owned).collect();
                if let Some(k) = a.faults.iter().find(|k| !FAULT_KINDS.contains(&k.as_str())) {
                    return Err(format!("no fault kind '{k}' (kinds: {})", FAULT_KINDS.join(",")));
                }
            }
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    if !a.seconds.is_finite() || a.seconds < 1.0 || a.clients + a.c_clients == 0 || a.workers == 0 {
        return Err("--seconds must be at least 1, and there must be clients and workers".into());
    }
    Ok(a)
}

/// The emulator, restartable on the same ports, and the proxy in front of its WebSocket.
struct Room {
    emu: tokio::sync::Mutex<Option<Emulator>>,
    config: EmulatorConfig,
    proxy: Proxy,
}

impl Room {
    async fn start() -> Result<Room, String> {
        // A room per connection: the protocol authorizes one connection per role, and a newer one
        // would de-authorize the others.
        let config =
            EmulatorConfig { auth: AuthMode::Pin(PIN.into()), isolated_rooms: true, ..EmulatorConfig::default() };
        let emu = Emulator::start(config.clone()).await.map_err(|e| format!("emulator: {e}"))?;
        let config =
            EmulatorConfig { web_port: emu.web_port(), ws_port: emu.ws_port(), http_port: emu.http_port(), ..config };
        let proxy = Proxy::start(([127, 0, 0, 1], emu.ws_port()).into()).await.map_err(|e| format!("proxy: {e}"))?;
        Ok(Room { emu: tokio::sync::Mutex::new(Some(emu)), config, proxy })
    }

    /// Stops the emulator and starts a fresh one on the same ports (its tokens are gone).
    async fn restart(&self) -> Result<(), String> {
        let mut slot = self.emu.lock().await;
        if let Some(old) = slot.take() {
            old.shutdown().await;
        }
        let mut last = String::new();
        for _ in 0..50 {
            match Emulator::start(self.config.clone()).await {
                Ok(e) => {
                    *slot = Some(e);
                    return Ok(());
                }
                Err(e) => last = e.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("the emulator did not come back on its ports: {last}"))
    }

    async fn with<T>(&self, f: impl FnOnce(&Emulator) -> T) -> Option<T> {
        self.emu.lock().await.as_ref().map(f)
    }
}

/// Faults injected, by kind.
#[derive(Default)]
struct Faults(std::sync::Mutex<BTreeMap<&'static str, u64>>);

impl Faults {
    fn count(&self, kind: &'static str) {
        *account::lock(&self.0).entry(kind).or_default() += 1;
    }
    fn total(&self) -> u64 {
        account::lock(&self.0).values().sum()
    }
    fn summary(&self) -> String {
        account::lock(&self.0).iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ")
    }
}

/// Every kind of fault, as `--faults` names them.
const FAULT_KINDS: &[&str] =
    &["drop_reply", "delay_reply", "close_on", "proxy_kill", "restart", "freeze", "garbage", "close_all", "big_frame"];

const FAULT_METHODS: &[&str] = &["getAppState", "getSystemInfo", "setMicMute", "getHardware", "getSettings"];

async fn inject_faults(
    room: Arc<Room>,
    faults: Arc<Faults>,
    kinds: &[String],
    until: Instant,
    seed: u64,
) -> Result<(), String> {
    let mut rng = Rng::new(seed);
    while Instant::now() < until {
        tokio::time::sleep(rng.millis(300, 1200)).await;
        if kinds.is_empty() {
            continue;
        }
        let method = FAULT_METHODS[rng.below(FAULT_METHODS.len() as u64) as usize];
        let kind = kinds[rng.below(kinds.len() as u64) as usize].as_str();
        match kind {
            "drop_reply" => {
                room.with(|e| e.faults().drop_reply(method)).await;
                faults.count("drop_reply");
            }
            "delay_reply" => {
                let delay = rng.millis(100, 3000);
                room.with(|e| e.faults().delay_reply(method, delay)).await;
                faults.count("delay_reply");
            }
            "close_on" => {
                room.with(|e| e.faults().close_on(method)).await;
                faults.count("close_on");
            }
            "proxy_kill" => {
                room.proxy.kill_all();
                faults.count("proxy_kill");
            }
            "restart" => {
                room.restart().await?;
                faults.count("restart");
            }
            "freeze" => {
                room.proxy.freeze();
                tokio::time::sleep(rng.millis(1500, 3000)).await;
                room.proxy.kill_all();
                room.proxy.thaw();
                faults.count("freeze");
            }
            "garbage" => {
                room.with(|e| e.faults().send_garbage("{\"this is\": not JSON")).await;
                faults.count("garbage");
            }
            "close_all" => {
                room.with(|e| e.close_all_connections()).await;
                faults.count("close_all");
            }
            _ => {
                room.with(|e| e.faults().send_huge_frame(BIG_FRAME)).await;
                faults.count("big_frame");
            }
        }
    }
    Ok(())
}

/// 2,000 numbered events every 0.7 s to every authorized connection.
async fn storms(room: Arc<Room>, stop: Arc<AtomicBool>, seq: Arc<AtomicU64>) {
    while !stop.load(Ordering::Relaxed) {
        tokio::time::sleep(Duration::from_millis(700)).await;
        room.with(|e| {
            for _ in 0..2000 {
                let n = seq.fetch_add(1, Ordering::Relaxed) + 1;
                e.emit(json!({"method": "event", "event": STORM, "seq": n}));
            }
        })
        .await;
    }
}

/// Runs a blocking C call on a thread of its own: the library refuses blocking calls from a
/// thread inside an async runtime (which `spawn_blocking` threads are).
async fn off_runtime<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, String> {
    tokio::task::spawn_blocking(move || std::thread::spawn(f).join())
        .await
        .map_err(|e| e.to_string())?
        .map_err(|_| "a C client thread panicked".to_owned())
}

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

async fn run(args: Args) -> Result<bool, String> {
    let started = Instant::now();
    let room = Arc::new(Room::start().await?);
    let outcomes = Arc::new(Outcomes::default());
    let storm_books = Arc::new(AllStorms::default());
    let stop = Arc::new(AtomicBool::new(false));
    println!(
        "soak: {} Rust clients ({} behind the proxy) and {} C ABI clients, {} workers each, {:.0} s, seed {} \
         (rerun with --seed {})",
        args.clients,
        args.clients.div_ceil(2),
        args.c_clients,
        args.workers,
        args.seconds,
        args.seed,
        args.seed
    );

    // ---- clients ----
    let policy =
        Reconnect { max_attempts: 0, initial_delay: Duration::from_millis(50), max_delay: Duration::from_millis(500) };
    let mut rust = Vec::new();
    let mut tasks = Vec::new();
    let mut readers = Vec::new();
    for i in 0..args.clients {
        let mut opts = ConnectOptions::new("127.0.0.1")
            .web_port(room.config.web_port)
            .pin(PIN)
            .connect_timeout(Duration::from_secs(3))
            .request_timeout(rust_clients::REQUEST_TIMEOUT)
            .keepalive(Some(Duration::from_millis(500)))
            .reconnect(policy.clone())
            .event_capacity(100_000);
        if i % 2 == 0 {
            opts = opts.ws_port(room.proxy.port());
        }
        opts.sync_state = i % 3 != 0;
        let (client, queue) =
            Client::connect_queued(opts).await.map_err(|e| format!("Rust client {i} did not connect: {e}"))?;
        readers.push(tokio::spawn(rust_clients::reader(queue, storm_books.add())));
        for w in 0..args.workers {
            let seed = args.seed ^ ((i as u64) << 16) ^ w as u64;
            tasks.push(tokio::spawn(rust_clients::worker(client.clone(), outcomes.clone(), stop.clone(), seed)));
        }
        rust.push(client);
    }
    let mut c = Vec::new();
    for i in 0..args.c_clients {
        let target = c_clients::Target {
            ws_port: (i % 2 == 0).then(|| room.proxy.port()),
            web_port: room.config.web_port,
            pin: PIN.into(),
        };
        let (outcomes, books, stop, seed) =
            (outcomes.clone(), storm_books.add(), stop.clone(), args.seed ^ 0xC0 ^ i as u64);
        let client = off_runtime(move || c_clients::start(i, &target, outcomes, books, stop, seed)).await??;
        c.push(client);
    }
    let seq = Arc::new(AtomicU64::new(0));
    let stop_storms = Arc::new(AtomicBool::new(false));
    let storm_task = tokio::spawn(storms(room.clone(), stop_storms.clone(), seq.clone()));

    // ---- the steady phase: quiet, faults, quiet ----
    // The allocator keeps what big frames made it take (it is not returned, and it is reused):
    // show it some before the first sample, so that the samples compare like with like.
    if args.faults.iter().any(|k| k == "big_frame") {
        for _ in 0..3 {
            room.with(|e| e.faults().send_huge_frame(BIG_FRAME)).await;
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }
    tokio::time::sleep(QUIET).await;
    let first = procfs::sample();
    let fault_time = Duration::from_secs_f64(args.seconds).saturating_sub(QUIET * 2).max(Duration::from_secs(1));
    let faults = Arc::new(Faults::default());
    inject_faults(room.clone(), faults.clone(), &args.faults, Instant::now() + fault_time, args.seed ^ 0xFA).await?;
    // Faults stop: a room that is up, thawed, with no rule left.
    room.proxy.thaw();
    if room.with(|e| e.faults().clear()).await.is_none() {
        room.restart().await?;
    }
    let settle_start = Instant::now();
    while !(rust.iter().all(Client::is_connected) && c.iter().all(c_clients::CClient::is_connected)) {
        if settle_start.elapsed() > SETTLE {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let reconnected = rust.iter().filter(|c| c.is_connected()).count() + c.iter().filter(|c| c.is_connected()).count();
    tokio::time::sleep(QUIET).await;
    let last = procfs::sample();

    // ---- the end ----
    stop.store(true, Ordering::Relaxed);
    stop_storms.store(true, Ordering::Relaxed);
    let _ = storm_task.await;
    for t in tasks {
        let _ = t.await;
    }
    let mut slow_closes = 0;
    for client in &rust {
        let t = Instant::now();
        if tokio::time::timeout(Duration::from_secs(5), client.close()).await.is_err()
            || t.elapsed() > Duration::from_secs(4)
        {
            slow_closes += 1;
        }
    }
    for client in c {
        let took = off_runtime(move || client.finish()).await?;
        if took > Duration::from_secs(4) {
            slow_closes += 1;
        }
    }
    for r in readers {
        let _ = tokio::time::timeout(Duration::from_secs(5), r).await;
    }
    drop(rust);
    if let Some(e) = room.emu.lock().await.take() {
        e.shutdown().await;
    }

    // ---- the report ----
    let o = &outcomes;
    let lost = o.lost.load(Ordering::Relaxed) + c_clients::lost();
    let requests = o.requests.load(Ordering::Relaxed);
    let done = o.outcomes();
    let duplicated = o.duplicated.load(Ordering::Relaxed);
    let (seen, reported, unreported, reordered, disconnected) = storm_books.totals();
    let clients = args.clients + args.c_clients;
    println!(
        "soak: outcomes: ok={} refused={} timeout={} disconnected={} other={} duplicated={duplicated}",
        o.ok.load(Ordering::Relaxed),
        o.refused.load(Ordering::Relaxed),
        o.timeout.load(Ordering::Relaxed),
        o.disconnected.load(Ordering::Relaxed),
        o.other.load(Ordering::Relaxed),
    );
    println!(
        "soak: storm events: {} sent, {seen} received over {clients} clients, {reported} reported lost \
         (eventsLost), {unreported} lost unreported, {reordered} out of order",
        seq.load(Ordering::Relaxed)
    );
    println!("soak: faults: {}", faults.summary());
    println!(
        "soak: steady phase, start -> end: threads {} -> {}, descriptors {} -> {}, tasks {} -> {}, rss {:.1} MB -> {:.1} MB",
        first.threads,
        last.threads,
        first.fds,
        last.fds,
        first.tasks,
        last.tasks,
        mb(first.rss_kb),
        mb(last.rss_kb)
    );
    println!(
        "soak: {reconnected}/{clients} clients connected again after the faults; {:.0} s in all",
        started.elapsed().as_secs_f64()
    );

    let mut failures = Vec::new();
    if lost > 0 || requests != done + lost || duplicated > 0 {
        failures.push(format!("requests without exactly one outcome: {lost} lost, {duplicated} duplicated"));
    }
    if unreported > 0 || reordered > 0 {
        failures.push(format!("events lost without a report: {unreported}; out of order: {reordered}"));
    }
    if reconnected < clients {
        failures.push(format!("only {reconnected} of {clients} clients connected again within {SETTLE:?}"));
    }
    if disconnected > clients as u64 {
        failures.push(format!("{disconnected} 'disconnected' events for {clients} clients: one gave up"));
    }
    if slow_closes > 0 {
        failures.push(format!("{slow_closes} closes took longer than their grace"));
    }
    // Flat: the same threads; a few descriptors and tasks of connections being replaced; memory
    // within half again plus 32 MB (allocator caches after storms and 2 MB frames).
    if last.threads > first.threads + 2 {
        failures.push(format!("threads grew: {} -> {}", first.threads, last.threads));
    }
    if last.fds > first.fds + 8 {
        failures.push(format!("descriptors grew: {} -> {}", first.fds, last.fds));
    }
    if last.tasks > first.tasks + 16 {
        failures.push(format!("tasks grew: {} -> {}", first.tasks, last.tasks));
    }
    if last.rss_kb > first.rss_kb + first.rss_kb / 2 + 32 * 1024 {
        failures.push(format!("memory grew: {:.1} MB -> {:.1} MB", mb(first.rss_kb), mb(last.rss_kb)));
    }
    for f in &failures {
        println!("soak: FAILED: {f}");
    }
    println!(
        "soak: requests={requests} outcomes={done} lost={lost} events_lost={unreported} faults={}",
        faults.total()
    );
    Ok(failures.is_empty())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("tcroom-soak: {e}\nusage: tcroom-soak [--seconds N] [--clients N] [--c-clients N] [--workers N] [--seed N]");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tcroom-soak: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("tcroom-soak: {e}");
            ExitCode::FAILURE
        }
    }
}
