//! Clients of the C ABI (libtcroom, linked as a Rust library and called through the
//! declarations of `include/tcroom.h`): worker threads sending `tc_client_request_json_async`
//! with a bounded number in flight, events by callback. Each request's callback must come
//! exactly once, at the latest during `tc_client_free`; a registry counts them.

use crate::account::{lock, Kind, Outcomes, Storms, STORM};
use crate::rng::Rng;
use std::collections::HashMap;
use std::ffi::{c_char, c_void, CStr, CString};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::Duration;

// Linked from the tcroom-ffi crate (its `#[no_mangle]` exports).
use tcroom as _;

const OK: i32 = 0;
const TIMEOUT: i32 = 6;
const DISCONNECTED: i32 = 7;
const REFUSED: i32 = 8;
/// Requests a C client has in flight at most.
const IN_FLIGHT: usize = 16;

type JsonCallback = extern "C" fn(*mut c_void, i32, *const c_char, *const c_char);
type EventCallback = extern "C" fn(*mut c_void, *const c_void);
type FreeUserData = extern "C" fn(*mut c_void);

extern "C" {
    fn tc_client_options_new(out: *mut *mut c_void) -> i32;
    fn tc_client_options_free(o: *mut c_void);
    fn tc_client_options_set_host(o: *mut c_void, host: *const c_char) -> i32;
    fn tc_client_options_set_ws_port(o: *mut c_void, port: u16) -> i32;
    fn tc_client_options_set_web_port(o: *mut c_void, port: u16) -> i32;
    fn tc_client_options_set_pin(o: *mut c_void, pin: *const c_char) -> i32;
    fn tc_client_options_set_keepalive(o: *mut c_void, interval_ms: u32) -> i32;
    fn tc_client_options_set_request_timeout(o: *mut c_void, timeout_ms: u32) -> i32;
    fn tc_client_options_set_event_capacity(o: *mut c_void, capacity: usize) -> i32;
    fn tc_client_options_set_state_events(o: *mut c_void, enable: i32) -> i32;
    fn tc_client_options_set_reconnect(o: *mut c_void, enable: i32, max_attempts: u32, initial: u32, max: u32) -> i32;
    fn tc_client_new(o: *const c_void, out: *mut *mut c_void) -> i32;
    fn tc_client_connect(c: *const c_void, timeout_ms: u32) -> i32;
    fn tc_client_close(c: *const c_void) -> i32;
    fn tc_client_is_connected(c: *const c_void) -> i32;
    fn tc_client_free(c: *mut c_void) -> i32;
    fn tc_client_set_event_callback(
        c: *const c_void,
        cb: EventCallback,
        user_data: *mut c_void,
        free: FreeUserData,
    ) -> i32;
    fn tc_client_request_json_async(
        c: *const c_void,
        method: *const c_char,
        params_json: *const c_char,
        timeout_ms: u32,
        cb: JsonCallback,
        user_data: *mut c_void,
    ) -> i32;
    fn tc_event_name(ev: *const c_void) -> *const c_char;
    fn tc_event_get_int(ev: *const c_void, field: *const c_char, out: *mut i64) -> i32;
}

/// Outcomes seen per request id, and which client sent it.
struct Registry {
    /// Requests waiting for their outcome: id -> client index.
    requests: Mutex<HashMap<u64, usize>>,
    next: AtomicU64,
    outcomes: Arc<Outcomes>,
    clients: Mutex<Vec<Arc<InFlight>>>,
}

fn registry() -> &'static OnceLock<Registry> {
    static R: OnceLock<Registry> = OnceLock::new();
    &R
}

#[derive(Default)]
struct InFlight {
    n: Mutex<usize>,
    less: Condvar,
}

fn kind_of(status: i32) -> Kind {
    match status {
        OK => Kind::Ok,
        REFUSED => Kind::Refused,
        TIMEOUT => Kind::Timeout,
        DISCONNECTED => Kind::Disconnected,
        _ => Kind::Other,
    }
}

/// Records the outcome of request `id`. The registry holds only requests still waiting for
/// theirs: a second outcome finds nothing, and is a duplicate.
fn outcome(id: u64, status: i32) {
    let Some(reg) = registry().get() else { return };
    let Some(client) = lock(&reg.requests).remove(&id) else {
        eprintln!("soak: DUPLICATE: C request {id} had a second outcome (status {status})");
        reg.outcomes.duplicated.fetch_add(1, Ordering::Relaxed);
        return;
    };
    reg.outcomes.outcome(kind_of(status));
    if let Some(f) = lock(&reg.clients).get(client).cloned() {
        *lock(&f.n) -= 1;
        f.less.notify_all();
    }
}

extern "C" fn on_reply(user_data: *mut c_void, status: i32, _reply: *const c_char, _error: *const c_char) {
    outcome(user_data as usize as u64, status);
}

extern "C" fn on_event(user_data: *mut c_void, ev: *const c_void) {
    // SAFETY: user_data is the `Mutex<Storms>` leaked in `start` (freed by `free_storms` after
    // the last callback); the event is lent for this call.
    let storms = unsafe { &*(user_data as *const Mutex<Storms>) };
    let name = unsafe { CStr::from_ptr(tc_event_name(ev)) }.to_string_lossy();
    let mut s = lock(storms);
    let int = |field: &CStr| {
        let mut v = 0i64;
        // SAFETY: a lent event, a NUL-terminated field name, an out-pointer.
        (unsafe { tc_event_get_int(ev, field.as_ptr(), &mut v) } == OK).then_some(v)
    };
    if name == STORM {
        if let Some(seq) = int(c"seq") {
            s.storm(seq as u64);
        }
    } else if name == tcroom_core::EVENTS_LOST {
        s.lost(int(c"count").unwrap_or(0) as u64);
    } else if [tcroom_core::CONNECTION_LOST, tcroom_core::RECONNECTED, tcroom_core::DISCONNECTED].contains(&&*name) {
        s.connection(&name);
    }
}

extern "C" fn free_storms(user_data: *mut c_void) {
    // SAFETY: the pointer `start` made with Arc::into_raw; the library calls this once.
    drop(unsafe { Arc::from_raw(user_data as *const Mutex<Storms>) });
}

/// A C client and its worker threads.
pub struct CClient {
    ptr: Handle,
    workers: Vec<std::thread::JoinHandle<()>>,
}

#[derive(Clone, Copy)]
struct Handle(*mut c_void);
// SAFETY: tc_client functions are thread-safe (include/tcroom.h, THREADS).
unsafe impl Send for Handle {}
unsafe impl Sync for Handle {}

pub struct Target {
    pub ws_port: Option<u16>,
    pub web_port: u16,
    pub pin: String,
}

/// Makes and connects a C client (reconnect on, never giving up) and starts its workers.
pub fn start(
    index: usize,
    target: &Target,
    outcomes: Arc<Outcomes>,
    storms: Arc<Mutex<Storms>>,
    stop: Arc<AtomicBool>,
    seed: u64,
) -> Result<CClient, String> {
    let reg = registry().get_or_init(|| Registry {
        requests: Mutex::new(HashMap::new()),
        next: AtomicU64::new(1),
        outcomes: outcomes.clone(),
        clients: Mutex::new(Vec::new()),
    });
    let flight = Arc::new(InFlight::default());
    {
        let mut clients = lock(&reg.clients);
        while clients.len() <= index {
            clients.push(Arc::new(InFlight::default()));
        }
        clients[index] = flight.clone();
    }
    let host = CString::new("127.0.0.1").unwrap_or_default();
    let pin = CString::new(target.pin.clone()).unwrap_or_default();
    let mut o = std::ptr::null_mut();
    let mut c = std::ptr::null_mut();
    // SAFETY: the documented sequence with valid pointers; the options are freed once.
    let st = unsafe {
        let mut worst = tc_client_options_new(&mut o);
        for s in [
            tc_client_options_set_host(o, host.as_ptr()),
            tc_client_options_set_web_port(o, target.web_port),
            target.ws_port.map_or(OK, |p| tc_client_options_set_ws_port(o, p)),
            tc_client_options_set_pin(o, pin.as_ptr()),
            tc_client_options_set_keepalive(o, 500),
            tc_client_options_set_request_timeout(o, crate::rust_clients::REQUEST_TIMEOUT.as_millis() as u32),
            tc_client_options_set_event_capacity(o, 100_000),
            tc_client_options_set_state_events(o, 0),
            tc_client_options_set_reconnect(o, 1, 0, 50, 500),
            tc_client_new(o, &mut c),
        ] {
            worst = worst.max(s);
        }
        tc_client_options_free(o);
        if worst == OK {
            let user = Arc::into_raw(storms) as *mut c_void;
            worst = tc_client_set_event_callback(c, on_event, user, free_storms);
        }
        if worst == OK {
            worst = tc_client_connect(c, 10_000);
        }
        worst
    };
    if st != OK {
        return Err(format!("C client {index} did not connect: status {st}"));
    }
    let ptr = Handle(c);
    let workers = (0..2)
        .map(|w| {
            let (stop, flight) = (stop.clone(), flight.clone());
            let mut rng = Rng::new(seed ^ ((index as u64) << 8) ^ w);
            std::thread::spawn(move || {
                let handle = ptr;
                while !stop.load(Ordering::Relaxed) {
                    {
                        let mut n = lock(&flight.n);
                        while *n >= IN_FLIGHT && !stop.load(Ordering::Relaxed) {
                            n = flight
                                .less
                                .wait_timeout(n, Duration::from_millis(100))
                                .map(|r| r.0)
                                .unwrap_or_else(|e| e.into_inner().0);
                        }
                        *n += 1;
                    }
                    // While the link is down every call fails at once: do not spin meanwhile.
                    // SAFETY: a live client.
                    if unsafe { tc_client_is_connected(handle.0) } != 1 {
                        std::thread::sleep(Duration::from_millis(20));
                    }
                    let (method, params) = crate::rust_clients::command(&mut rng);
                    let method = CString::new(method).unwrap_or_default();
                    let params = (!params.is_null()).then(|| CString::new(params.to_string()).unwrap_or_default());
                    let Some(reg) = registry().get() else { return };
                    let id = reg.next.fetch_add(1, Ordering::Relaxed);
                    lock(&reg.requests).insert(id, index);
                    reg.outcomes.request();
                    // SAFETY: a live client, NUL-terminated strings, a callback that lives for ever.
                    let st = unsafe {
                        tc_client_request_json_async(
                            handle.0,
                            method.as_ptr(),
                            params.as_ref().map_or(std::ptr::null(), |p| p.as_ptr()),
                            0,
                            on_reply,
                            id as usize as *mut c_void,
                        )
                    };
                    if st != OK {
                        // Refused at once (not connected): that is its one outcome, and no
                        // callback may follow.
                        outcome(id, st);
                        if st == DISCONNECTED {
                            std::thread::sleep(Duration::from_millis(20));
                        }
                    }
                }
            })
        })
        .collect();
    Ok(CClient { ptr, workers })
}

impl CClient {
    pub fn is_connected(&self) -> bool {
        // SAFETY: a live client.
        unsafe { tc_client_is_connected(self.ptr.0) == 1 }
    }

    /// Stops the workers (`stop` must be set), closes and frees the client; then every callback
    /// of its requests has come.
    pub fn finish(self) -> Duration {
        for w in self.workers {
            let _ = w.join();
        }
        let start = std::time::Instant::now();
        // SAFETY: a live client, freed once, from none of its callbacks.
        unsafe {
            tc_client_close(self.ptr.0);
            tc_client_free(self.ptr.0);
        }
        start.elapsed()
    }
}

/// Requests that never had an outcome, after every client was freed.
pub fn lost() -> u64 {
    let Some(reg) = registry().get() else { return 0 };
    let reqs = lock(&reg.requests);
    for id in reqs.keys().take(10) {
        eprintln!("soak: LOST: C request {id} never had its callback");
    }
    reqs.len() as u64
}
