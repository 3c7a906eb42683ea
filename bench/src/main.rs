//! `tcroom-bench`: measurements for scripts/bench.sh. Each subcommand prints one JSON result line
//! per measured client on stdout (diagnostics go to stderr). Nothing here asserts on timings.

mod bridge;
mod flood;
mod floor;
mod procfs;
mod room;
mod stats;

use clap::{Parser, Subcommand, ValueEnum};
use floor::Floor;
use futures_util::stream::FuturesUnordered;
use futures_util::StreamExt;
use serde_json::{json, Map, Value};
use stats::{emit, r, result, Samples};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tcroom_core::{Client, ConfType, ConnectOptions, CreateConference, StreamItem};

const HOST: &str = "127.0.0.1";

#[derive(Parser)]
#[command(about = "tcroom benchmarks against a running emulator (see scripts/bench.sh)")]
struct Cli {
    /// Tokio runtime flavour used for every client in this process (floor and core alike).
    #[arg(long, value_enum, default_value_t = Rt::Multi, global = true)]
    rt: Rt,
    /// Worker threads of the multi-thread runtime (default: tokio's, one per core).
    #[arg(long, global = true)]
    workers: Option<usize>,
    /// Run the measuring future in a spawned task (on a runtime worker) instead of in
    /// `block_on` on the main thread (which is what `#[tokio::main]` does).
    #[arg(long, global = true)]
    spawn: bool,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Rt {
    Multi,
    Current,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
enum Op {
    GetAppState,
    CreateConference,
}

impl Op {
    fn wire(self) -> &'static str {
        match self {
            Op::GetAppState => "getAppState",
            Op::CreateConference => "createConference",
        }
    }
}

#[derive(Subcommand)]
enum Cmd {
    /// N emulated rooms through one tcroom-bridge process and a Mosquitto (see bridge.rs).
    Bridge {
        #[arg(long, default_value_t = 1000)]
        rooms: usize,
        /// Latency rounds (each one notification to every room).
        #[arg(long, default_value_t = 10)]
        rounds: usize,
        /// Seconds of commands through MQTT.
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
        #[arg(long, default_value_t = 100)]
        inflight: usize,
        /// The tcroom-bridge binary.
        #[arg(long)]
        bridge_bin: PathBuf,
        /// The mosquitto binary (default: found in PATH or /usr/sbin).
        #[arg(long)]
        mosquitto: Option<PathBuf>,
        /// Where the broker's and the bridge's config and logs go.
        #[arg(long)]
        work_dir: PathBuf,
    },
    /// State-change latency: setMicMute until the new state is seen (floor, core event, core watch).
    StateLatency {
        #[arg(long)]
        port: u16,
        #[arg(long, default_value_t = 500)]
        n: usize,
        #[arg(long, default_value_t = 50)]
        warmup: usize,
        #[arg(long, default_value = "floor,core-event,core-watch")]
        clients: String,
    },
    /// Frames per second from the embedded HTTP server: a bare HTTP loop, frame() in a loop,
    /// frames(60 fps).
    Frames {
        #[arg(long)]
        port: u16,
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
        #[arg(long, default_value = "floor,core,core-stream")]
        clients: String,
    },
    /// Round trip of one command, clients interleaved in blocks, after a warm-up.
    Rtt {
        #[arg(long)]
        port: u16,
        #[arg(long, value_enum, default_value_t = Op::GetAppState)]
        op: Op,
        /// Comma-separated: floor, core (typed call), core-raw (Client::request).
        #[arg(long, default_value = "floor,core")]
        clients: String,
        /// Timed samples per client.
        #[arg(long, default_value_t = 5000)]
        n: usize,
        #[arg(long, default_value_t = 500)]
        warmup: usize,
        /// Requests per client before switching to the next one.
        #[arg(long, default_value_t = 100)]
        block: usize,
        /// Stop early after this long (samples so far are reported).
        #[arg(long, default_value_t = 60.0)]
        max_seconds: f64,
        /// Where to write raw samples (one microsecond value per line).
        #[arg(long)]
        samples_dir: Option<PathBuf>,
    },
    /// Commands per second on one connection with N requests in flight.
    Throughput {
        #[arg(long)]
        port: u16,
        /// Comma-separated in-flight counts.
        #[arg(long, default_value = "1,10,100,1000")]
        inflight: String,
        /// Comma-separated: floor, core (N futures in one task), core-tasks (N spawned tasks).
        #[arg(long, default_value = "floor,core,core-tasks")]
        clients: String,
        /// Seconds per client per round.
        #[arg(long, default_value_t = 1.0)]
        seconds: f64,
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        #[arg(long)]
        samples_dir: Option<PathBuf>,
    },
    /// Many sessions (one room each, emulator with --isolated-rooms) from this one process.
    Scale {
        #[arg(long)]
        port: u16,
        #[arg(long, default_value_t = 1000)]
        sessions: usize,
        /// floor or core
        #[arg(long, default_value = "core")]
        client: String,
        /// Also create a conference in every room at once.
        #[arg(long, default_value_t = true)]
        create: bool,
        /// The core's event ring per client (ConnectOptions::event_capacity); default: the library's.
        #[arg(long)]
        capacity: Option<usize>,
    },
    /// Wake-ups per second of this process holding connected idle clients.
    Idle {
        #[arg(long)]
        port: u16,
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        /// floor or core
        #[arg(long, default_value = "core")]
        client: String,
        #[arg(long, default_value_t = 1)]
        sessions: usize,
    },
    /// Wake-ups per second of another process (context switches of all its threads).
    Wakeups {
        #[arg(long)]
        pid: u32,
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "idle")]
        group: String,
        #[arg(long, default_value = "")]
        client: String,
    },
    /// Events per second from the emulator to this process (needs `serve`'s flood port).
    Events {
        #[arg(long)]
        port: u16,
        #[arg(long)]
        flood_port: u16,
        #[arg(long, default_value_t = 100_000)]
        count: u64,
        /// floor or core
        #[arg(long, default_value = "core")]
        client: String,
        /// The core's event ring per client (ConnectOptions::event_capacity); default: the library's.
        #[arg(long)]
        capacity: Option<usize>,
        #[arg(long, default_value_t = 60.0)]
        timeout: f64,
        /// Core only: `primary` (the stream of Client::connect_subscribed) or `subscribe`
        /// (a Client::subscribe stream).
        #[arg(long, default_value = "primary")]
        stream: String,
    },
    /// Hosts the emulator in-process with a flood control port; prints its ports as JSON.
    Serve {
        #[arg(long)]
        isolated_rooms: bool,
        #[arg(long, default_value_t = 0)]
        ws_port: u16,
    },
}

fn runtime(rt: Rt, workers: Option<usize>) -> tokio::runtime::Runtime {
    let mut b = match rt {
        Rt::Multi => tokio::runtime::Builder::new_multi_thread(),
        Rt::Current => tokio::runtime::Builder::new_current_thread(),
    };
    if let (Rt::Multi, Some(w)) = (rt, workers) {
        b.worker_threads(w);
    }
    b.enable_all().build().expect("tokio runtime")
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let rt = runtime(cli.rt, cli.workers);
    let rt_name: &'static str = match (cli.rt, cli.spawn) {
        (Rt::Multi, false) => "multi",
        (Rt::Multi, true) => "multi-spawned",
        (Rt::Current, false) => "current",
        (Rt::Current, true) => "current-spawned",
    };
    let spawn = cli.spawn;
    // Runs a measurement in block_on, or in a spawned task when asked.
    macro_rules! on_rt {
        ($fut:expr) => {{
            if spawn {
                rt.block_on(async { tokio::spawn($fut).await.unwrap_or_else(|e| Err(format!("task: {e}"))) })
            } else {
                rt.block_on($fut)
            }
        }};
    }
    let res = match cli.cmd {
        Cmd::Rtt { port, op, clients, n, warmup, block, max_seconds, samples_dir } => {
            on_rt!(async move { rtt(port, op, &clients, n, warmup, block, max_seconds, samples_dir, rt_name,).await })
        }
        Cmd::Throughput { port, inflight, clients, seconds, rounds, samples_dir } => {
            on_rt!(async move { throughput(port, &inflight, &clients, seconds, rounds, samples_dir, rt_name,).await })
        }
        Cmd::Scale { port, sessions, client, create, capacity } => {
            rt.block_on(scale(port, sessions, &client, create, capacity, rt_name))
        }
        Cmd::Idle { port, seconds, client, sessions } => idle(&rt, port, seconds, &client, sessions, rt_name),
        Cmd::Wakeups { pid, seconds, name, group, client } => wakeups(pid, seconds, &name, &group, &client),
        Cmd::Events { port, flood_port, count, client, capacity, timeout, stream } => {
            on_rt!(async move { events(port, flood_port, count, &client, capacity, timeout, &stream, rt_name,).await })
        }
        Cmd::Bridge { rooms, rounds, seconds, inflight, bridge_bin, mosquitto, work_dir } => {
            rt.block_on(bridge::run(bridge::Args { rooms, rounds, seconds, inflight, bridge_bin, mosquitto, work_dir }))
        }
        Cmd::StateLatency { port, n, warmup, clients } => {
            on_rt!(async move { room::state_latency(port, n, warmup, &list(&clients)).await })
        }
        Cmd::Frames { port, seconds, clients } => {
            on_rt!(async move { room::frames(port, seconds, &list(&clients)).await })
        }
        Cmd::Serve { isolated_rooms, ws_port } => {
            rt.block_on(flood::serve(isolated_rooms, ws_port)).map_err(|e| e.to_string())
        }
    };
    match res {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tcroom-bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

type Res<T = ()> = Result<T, String>;

fn opts(port: u16) -> ConnectOptions {
    ConnectOptions::new(HOST).ws_port(port)
}

async fn core_connect(port: u16) -> Res<Client> {
    Client::connect(opts(port)).await.map_err(|e| format!("core connect: {e}"))
}

// One value per connection, never moved in a hot path: size does not matter.
#[allow(clippy::large_enum_variant)]
enum Conn {
    Floor(Floor),
    Core(Client),
    CoreRaw(Client),
}

impl Conn {
    async fn open(kind: &str, port: u16) -> Res<Conn> {
        Ok(match kind {
            "floor" => Conn::Floor(Floor::connect(HOST, port).await?),
            "core" => Conn::Core(core_connect(port).await?),
            "core-raw" => Conn::CoreRaw(core_connect(port).await?),
            other => return Err(format!("unknown client '{other}'")),
        })
    }

    /// One timed command; for createConference the hang-up afterwards is not timed.
    async fn once(&mut self, op: Op) -> Res<Duration> {
        match op {
            Op::GetAppState => {
                let t = Instant::now();
                match self {
                    Conn::Floor(f) => {
                        f.request("getAppState", "").await?;
                    }
                    Conn::Core(c) => {
                        c.get_app_state().await.map_err(|e| e.to_string())?;
                    }
                    Conn::CoreRaw(c) => {
                        c.request("getAppState", Value::Null).await.map_err(|e| e.to_string())?;
                    }
                }
                Ok(t.elapsed())
            }
            Op::CreateConference => {
                let t = Instant::now();
                let d = match self {
                    Conn::Floor(f) => {
                        let r = f.request("createConference", r#","title":"Bench","confType":"role""#).await?;
                        let d = t.elapsed();
                        if r.get("result") != Some(&Value::Bool(true)) {
                            return Err(format!("createConference refused: {r}"));
                        }
                        f.request("hangUp", r#","forAll":true"#).await?;
                        d
                    }
                    Conn::Core(c) | Conn::CoreRaw(c) => {
                        let p = c
                            .create_conference(&CreateConference::new("Bench", ConfType::Role))
                            .await
                            .map_err(|e| e.to_string())?;
                        let d = t.elapsed();
                        drop(p);
                        c.hang_up(true).await.map_err(|e| e.to_string())?;
                        d
                    }
                };
                Ok(d)
            }
        }
    }
}

fn list(s: &str) -> Vec<String> {
    s.split(',').map(|x| x.trim().to_owned()).filter(|x| !x.is_empty()).collect()
}

#[allow(clippy::too_many_arguments)]
async fn rtt(
    port: u16,
    op: Op,
    clients: &str,
    n: usize,
    warmup: usize,
    block: usize,
    max_seconds: f64,
    samples_dir: Option<PathBuf>,
    rt: &str,
) -> Res {
    let names = list(clients);
    let mut conns = Vec::new();
    for name in &names {
        conns.push(Conn::open(name, port).await?);
    }
    for c in conns.iter_mut() {
        for _ in 0..warmup {
            c.once(op).await?;
        }
    }
    let mut samples: Vec<Samples> = names.iter().map(|_| Samples::with_capacity(n)).collect();
    let start = Instant::now();
    let limit = Duration::from_secs_f64(max_seconds);
    let block = block.max(1);
    while samples.iter().any(|s| s.len() < n) && start.elapsed() < limit {
        for (i, c) in conns.iter_mut().enumerate() {
            for _ in 0..block.min(n - samples[i].len().min(n)) {
                let d = c.once(op).await?;
                samples[i].push(d);
            }
        }
    }
    for (name, s) in names.iter().zip(&samples) {
        let sum = s.summary();
        let mut f = sum.fields();
        f.insert("per_s".into(), json!(r(if sum.mean > 0.0 { 1e6 / sum.mean } else { 0.0 })));
        f.insert("metric".into(), json!("p50_us"));
        f.insert("rt".into(), json!(rt));
        let file = format!("rtt-{}-{name}.txt", op.wire());
        if let Some(p) = s.write(samples_dir.as_deref(), &file) {
            f.insert("samples".into(), json!(p));
        }
        let label = client_label(name);
        emit(&result(&format!("rtt {} {label}", op.wire()), &format!("rtt/{}", op.wire()), name, f));
    }
    Ok(())
}

fn client_label(name: &str) -> String {
    match name {
        "floor" => "floor (bare tokio-tungstenite)".into(),
        "core" => "Rust core".into(),
        "core-raw" => "Rust core (raw request)".into(),
        "core-tasks" => "Rust core (N tasks)".into(),
        other => other.into(),
    }
}

// One value per connection, never moved in a hot path: size does not matter.
#[allow(clippy::large_enum_variant)]
enum TConn {
    Floor(Floor),
    Core(Client, bool),
}

async fn core_pipeline(client: &Client, inflight: usize, deadline: Instant) -> Res<(u64, Samples, u64)> {
    let mut futs = FuturesUnordered::new();
    let one = |c: Client| async move {
        let t = Instant::now();
        let ok = c.get_app_state().await.is_ok();
        (t.elapsed(), ok)
    };
    for _ in 0..inflight {
        futs.push(one(client.clone()));
    }
    let mut samples = Samples::with_capacity(1 << 16);
    let (mut done, mut errors) = (0u64, 0u64);
    while let Some((d, ok)) = futs.next().await {
        samples.push(d);
        done += 1;
        if !ok {
            errors += 1;
        }
        if Instant::now() < deadline {
            futs.push(one(client.clone()));
        }
    }
    Ok((done, samples, errors))
}

async fn core_tasks(client: &Client, inflight: usize, deadline: Instant) -> Res<(u64, Samples, u64)> {
    let mut handles = Vec::with_capacity(inflight);
    for _ in 0..inflight {
        let c = client.clone();
        handles.push(tokio::spawn(async move {
            let mut s = Samples::with_capacity(1024);
            let (mut done, mut errors) = (0u64, 0u64);
            loop {
                let t = Instant::now();
                let ok = c.get_app_state().await.is_ok();
                s.push(t.elapsed());
                done += 1;
                if !ok {
                    errors += 1;
                }
                if Instant::now() >= deadline {
                    break;
                }
            }
            (done, s, errors)
        }));
    }
    let mut samples = Samples::with_capacity(1 << 16);
    let (mut done, mut errors) = (0u64, 0u64);
    for h in handles {
        let (d, s, e) = h.await.map_err(|e| e.to_string())?;
        done += d;
        errors += e;
        samples.extend(s);
    }
    Ok((done, samples, errors))
}

async fn run_level(c: &mut TConn, n: usize, secs: f64) -> Res<(u64, Samples, u64)> {
    let deadline = Instant::now() + Duration::from_secs_f64(secs);
    match c {
        TConn::Floor(f) => f.pipeline("getAppState", n, deadline).await.map(|(d, s)| (d, s, 0)),
        TConn::Core(c, false) => core_pipeline(c, n, deadline).await,
        TConn::Core(c, true) => core_tasks(c, n, deadline).await,
    }
}

async fn throughput(
    port: u16,
    inflight: &str,
    clients: &str,
    seconds: f64,
    rounds: usize,
    samples_dir: Option<PathBuf>,
    rt: &str,
) -> Res {
    let names = list(clients);
    let mut conns = Vec::new();
    for name in &names {
        conns.push(match name.as_str() {
            "floor" => TConn::Floor(Floor::connect(HOST, port).await?),
            "core" => TConn::Core(core_connect(port).await?, false),
            "core-tasks" => TConn::Core(core_connect(port).await?, true),
            other => return Err(format!("unknown client '{other}'")),
        });
    }
    let levels: Vec<usize> = list(inflight).iter().filter_map(|s| s.parse().ok()).collect();
    for &n in &levels {
        // Warm-up at this level.
        for c in conns.iter_mut() {
            run_level(c, n, (seconds / 4.0).min(0.5)).await?;
        }
        let mut acc: Vec<(u64, f64, Samples, u64)> = names.iter().map(|_| (0, 0.0, Samples::default(), 0)).collect();
        for _ in 0..rounds {
            for (i, c) in conns.iter_mut().enumerate() {
                let t = Instant::now();
                let (done, s, errors) = run_level(c, n, seconds).await?;
                let el = t.elapsed().as_secs_f64();
                acc[i].0 += done;
                acc[i].1 += el;
                acc[i].2.extend(s);
                acc[i].3 += errors;
            }
        }
        for (name, (done, el, s, errors)) in names.iter().zip(acc) {
            let sum = s.summary();
            let mut f = sum.fields();
            f.insert("per_s".into(), json!(r(done as f64 / el)));
            f.insert("inflight".into(), json!(n));
            f.insert("errors".into(), json!(errors));
            f.insert("metric".into(), json!("per_s"));
            f.insert("rt".into(), json!(rt));
            if let Some(p) = s.write(samples_dir.as_deref(), &format!("throughput-{n}-{name}.txt")) {
                f.insert("samples".into(), json!(p));
            }
            emit(&result(
                &format!("throughput {n} in flight {}", client_label(name)),
                &format!("throughput/{n}"),
                name,
                f,
            ));
        }
    }
    Ok(())
}

// One value per connection, never moved in a hot path: size does not matter.
#[allow(clippy::large_enum_variant)]
enum Session {
    Floor(Floor),
    Core(Client),
}

async fn open_session(kind: &str, port: u16, capacity: Option<usize>) -> Res<Session> {
    Ok(match kind {
        "floor" => Session::Floor(Floor::connect(HOST, port).await?),
        _ => {
            let mut o = opts(port);
            if let Some(c) = capacity {
                o.event_capacity = c;
            }
            Session::Core(Client::connect(o).await.map_err(|e| format!("core connect: {e}"))?)
        }
    })
}

async fn session_op(s: &mut Session, op: Op) -> Res<Duration> {
    let t = Instant::now();
    match (s, op) {
        (Session::Floor(f), Op::GetAppState) => {
            f.request("getAppState", "").await?;
        }
        (Session::Floor(f), Op::CreateConference) => {
            let r = f.request("createConference", r#","title":"Scale","confType":"role""#).await?;
            if r.get("result") != Some(&Value::Bool(true)) {
                return Err(format!("createConference refused: {r}"));
            }
        }
        (Session::Core(c), Op::GetAppState) => {
            c.get_app_state().await.map_err(|e| e.to_string())?;
        }
        (Session::Core(c), Op::CreateConference) => {
            c.create_conference(&CreateConference::new("Scale", ConfType::Role)).await.map_err(|e| e.to_string())?;
        }
    }
    Ok(t.elapsed())
}

async fn scale(port: u16, sessions: usize, kind: &str, create: bool, capacity: Option<usize>, rt: &str) -> Res {
    if kind != "floor" && kind != "core" {
        return Err(format!("unknown client '{kind}'"));
    }
    // Warm code paths and the allocator with one session, then measure from there.
    let warm = open_session(kind, port, capacity).await?;
    drop(warm);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let threads0 = procfs::threads(None);
    let rss0 = procfs::rss_kb(None);

    // Ten first: if threads grew with sessions, 10 and N would differ.
    let start = Instant::now();
    let mut all: Vec<Session> = Vec::with_capacity(sessions);
    let mut times = Samples::with_capacity(sessions);
    let first = sessions.min(10);
    let connect_batch = |k: usize| {
        let futs: Vec<_> = (0..k)
            .map(|_| async move {
                let t = Instant::now();
                open_session(kind, port, capacity).await.map(|s| (s, t.elapsed()))
            })
            .collect();
        futures_util::future::join_all(futs)
    };
    for res in connect_batch(first).await {
        let (s, d) = res?;
        times.push(d);
        all.push(s);
    }
    let threads10 = procfs::threads(None);
    let t_rest = Instant::now();
    let mut failures = 0usize;
    let mut first_error = None;
    for res in connect_batch(sessions - first).await {
        match res {
            Ok((s, d)) => {
                times.push(d);
                all.push(s);
            }
            Err(e) => {
                failures += 1;
                first_error.get_or_insert(e);
            }
        }
    }
    let connect_rest = t_rest.elapsed();
    let connect_all = start.elapsed();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let rss1 = procfs::rss_kb(None);
    let threads1 = procfs::threads(None);

    // Drive every room at once.
    let t = Instant::now();
    let drive: Vec<_> = all.iter_mut().map(|s| session_op(s, Op::GetAppState)).collect();
    let mut drive_s = Samples::with_capacity(sessions);
    for d in futures_util::future::join_all(drive).await {
        drive_s.push(d?);
    }
    let drive_all = t.elapsed();
    let mut create_ms = Value::Null;
    let mut create_sum = None;
    if create {
        let t = Instant::now();
        let c: Vec<_> = all.iter_mut().map(|s| session_op(s, Op::CreateConference)).collect();
        let mut cs = Samples::with_capacity(sessions);
        for d in futures_util::future::join_all(c).await {
            cs.push(d?);
        }
        create_ms = json!(r(t.elapsed().as_secs_f64() * 1e3));
        create_sum = Some(cs.summary());
    }
    let rss2 = procfs::rss_kb(None);
    let threads2 = procfs::threads(None);
    let n = all.len().max(1);
    let delta_kb = rss1.saturating_sub(rss0);
    let sum = times.summary();
    let mut f = sum.fields();
    f.insert("per_s".into(), json!(r(all.len() as f64 / connect_all.as_secs_f64())));
    f.insert("metric".into(), json!("mem_per_session_kb"));
    f.insert("sessions".into(), json!(all.len()));
    f.insert("failures".into(), json!(failures));
    if let Some(e) = first_error {
        f.insert("first_error".into(), json!(e));
    }
    f.insert("connect_all_ms".into(), json!(r(connect_all.as_secs_f64() * 1e3)));
    f.insert("connect_after_first10_ms".into(), json!(r(connect_rest.as_secs_f64() * 1e3)));
    f.insert("rss_before_kb".into(), json!(rss0));
    f.insert("rss_connected_kb".into(), json!(rss1));
    f.insert("rss_after_drive_kb".into(), json!(rss2));
    f.insert("client_mem_mb".into(), json!(r(delta_kb as f64 / 1024.0)));
    f.insert("client_mem_after_drive_mb".into(), json!(r(rss2.saturating_sub(rss0) as f64 / 1024.0)));
    f.insert("mem_per_session_kb".into(), json!(r(delta_kb as f64 / n as f64)));
    f.insert("threads_before".into(), json!(threads0));
    f.insert("threads_at_10".into(), json!(threads10));
    f.insert("threads_connected".into(), json!(threads1));
    f.insert("threads_after_drive".into(), json!(threads2));
    f.insert("drive_all_getAppState_ms".into(), json!(r(drive_all.as_secs_f64() * 1e3)));
    f.insert("drive_p99_us".into(), json!(r(drive_s.summary().p99)));
    f.insert("create_all_ms".into(), create_ms);
    if let Some(cs) = create_sum {
        f.insert("create_p99_us".into(), json!(r(cs.p99)));
    }
    f.insert("rt".into(), json!(rt));
    f.insert("event_capacity".into(), json!(capacity));
    let label = match capacity {
        Some(c) => format!("{} (event_capacity {c})", client_label(kind)),
        None => client_label(kind),
    };
    let client = match capacity {
        Some(c) => format!("{kind}-cap{c}"),
        None => kind.to_owned(),
    };
    emit(&result(&format!("scale {sessions} sessions {label}"), &format!("scale/{sessions}"), &client, f));
    drop(all);
    Ok(())
}

fn wake_fields(
    before: &std::collections::BTreeMap<String, u64>,
    after: &std::collections::BTreeMap<String, u64>,
    secs: f64,
    skip_tid: Option<String>,
) -> Map<String, Value> {
    let d = procfs::delta(before, after);
    let mut per_thread = Map::new();
    let mut total = 0u64;
    for (k, v) in &d {
        if skip_tid.as_deref().is_some_and(|t| k.split(' ').next() == Some(t)) {
            continue;
        }
        total += v;
        if *v > 0 {
            per_thread.insert(k.clone(), json!(v));
        }
    }
    let mut f = Map::new();
    f.insert("p50_us".into(), Value::Null);
    f.insert("p99_us".into(), Value::Null);
    f.insert("per_s".into(), json!(r(total as f64 / secs)));
    f.insert("wakeups_per_s".into(), json!(r(total as f64 / secs)));
    f.insert("switches".into(), json!(total));
    f.insert("seconds".into(), json!(secs));
    f.insert("threads".into(), json!(after.len()));
    f.insert("per_thread".into(), Value::Object(per_thread));
    f.insert("metric".into(), json!("wakeups_per_s"));
    f
}

fn idle(rt: &tokio::runtime::Runtime, port: u16, seconds: f64, kind: &str, sessions: usize, rt_name: &str) -> Res {
    let held: Vec<Session> = rt.block_on(async {
        let mut v = Vec::new();
        for _ in 0..sessions {
            v.push(open_session(kind, port, None).await?);
        }
        // Let the connection settle (late replies, timers from the handshake).
        tokio::time::sleep(Duration::from_millis(500)).await;
        Ok::<_, String>(v)
    })?;
    // The main thread sleeps outside the runtime: only the runtime's threads can wake.
    std::thread::sleep(Duration::from_millis(500));
    let before = procfs::switches(None);
    std::thread::sleep(Duration::from_secs_f64(seconds));
    let after = procfs::switches(None);
    let main_tid = std::process::id().to_string();
    let mut f = wake_fields(&before, &after, seconds, Some(main_tid));
    f.insert("sessions".into(), json!(sessions));
    f.insert("rt".into(), json!(rt_name));
    let name = format!("idle {} ({} session{})", client_label(kind), sessions, if sessions == 1 { "" } else { "s" });
    emit(&result(&name, "idle", kind, f));
    drop(held);
    Ok(())
}

fn wakeups(pid: u32, seconds: f64, name: &str, group: &str, client: &str) -> Res {
    let before = procfs::switches(Some(pid));
    if before.is_empty() {
        return Err(format!("no process {pid}"));
    }
    std::thread::sleep(Duration::from_secs_f64(seconds));
    let after = procfs::switches(Some(pid));
    let mut f = wake_fields(&before, &after, seconds, None);
    f.insert("pid".into(), json!(pid));
    f.insert("rss_kb".into(), json!(procfs::rss_kb(Some(pid))));
    emit(&result(name, group, client, f));
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn events(
    port: u16,
    flood_port: u16,
    count: u64,
    kind: &str,
    capacity: Option<usize>,
    timeout: f64,
    which: &str,
    rt: &str,
) -> Res {
    let timeout_d = Duration::from_secs_f64(timeout);
    let (got, disorder, lagged, first, last, emit_us) = match kind {
        "floor" => {
            let mut f = Floor::connect(HOST, port).await?;
            let counting = tokio::spawn(async move { f.count_events(count, timeout_d).await });
            let emit_us = flood::trigger(flood_port, count).await?;
            let (got, disorder, first, last) = counting.await.map_err(|e| e.to_string())??;
            (got, disorder, 0u64, first, last, emit_us)
        }
        "core" => {
            let mut o = opts(port);
            if let Some(c) = capacity {
                o.event_capacity = c;
            }
            let (client, primary) = Client::connect_subscribed(o).await.map_err(|e| format!("core connect: {e}"))?;
            let mut stream = match which {
                "subscribe" => {
                    drop(primary);
                    client.subscribe()
                }
                _ => primary,
            };
            let counting = tokio::spawn(async move {
                let deadline = tokio::time::Instant::now() + timeout_d;
                let (mut got, mut disorder, mut lagged, mut expect) = (0u64, 0u64, 0u64, 0u64);
                let (mut first, mut last) = (None, None);
                while got + lagged < count {
                    match tokio::time::timeout_at(deadline, stream.recv()).await {
                        Ok(Some(StreamItem::Event(ev))) => {
                            if ev.name != flood::EVENT {
                                continue;
                            }
                            let now = Instant::now();
                            first.get_or_insert(now);
                            last = Some(now);
                            let seq = ev.raw.get("seq").and_then(Value::as_u64).unwrap_or(u64::MAX);
                            if seq != expect {
                                disorder += 1;
                            }
                            expect = seq.wrapping_add(1);
                            got += 1;
                        }
                        Ok(Some(StreamItem::Lagged(n))) => lagged += n,
                        Ok(None) | Err(_) => break,
                    }
                }
                (got, disorder, lagged, first, last, client)
            });
            let emit_us = flood::trigger(flood_port, count).await?;
            let (got, disorder, lagged, first, last, _client) = counting.await.map_err(|e| e.to_string())?;
            (got, disorder, lagged, first, last, emit_us)
        }
        other => return Err(format!("unknown client '{other}'")),
    };
    let span = match (first, last) {
        (Some(a), Some(b)) if b > a => (b - a).as_secs_f64(),
        _ => 0.0,
    };
    let mut f = Map::new();
    f.insert("p50_us".into(), Value::Null);
    f.insert("p99_us".into(), Value::Null);
    f.insert("per_s".into(), json!(r(if span > 0.0 { (got.saturating_sub(1)) as f64 / span } else { 0.0 })));
    f.insert("sent".into(), json!(count));
    f.insert("received".into(), json!(got));
    f.insert("lost".into(), json!(count.saturating_sub(got)));
    f.insert("lagged".into(), json!(lagged));
    f.insert("out_of_order".into(), json!(disorder));
    f.insert("emit_us".into(), json!(emit_us));
    f.insert("metric".into(), json!("per_s"));
    f.insert("rt".into(), json!(rt));
    let (label, client) = match (kind, which) {
        ("floor", _) => ("floor (bare tokio-tungstenite)".to_owned(), "floor".to_owned()),
        (_, "subscribe") => ("Rust core (subscribe() stream)".to_owned(), "core-subscribe".to_owned()),
        _ => ("Rust core (connect_subscribed stream)".to_owned(), "core".to_owned()),
    };
    emit(&result(&format!("events {label}"), "events", &client, f));
    Ok(())
}
