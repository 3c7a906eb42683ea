//! The C ABI's JSON channel (`tc_client_request_json`) with any method name and any parameter
//! text, against an emulated room over a real socket, called through the C declarations of
//! `include/tcroom.h`. Every call returns a documented status (never a panic or an internal
//! error), a reply only with `OK` or `REFUSED` (and then valid JSON), and the output untouched
//! otherwise, as the header promises.

use crate::gen::{arb_json, arb_object, deep_text, protocol_keys, text_mutated, wire_names};
use crate::harness::{corpus, run};
use proptest::prelude::*;
use proptest::sample::select;
use std::ffi::{c_char, c_void, CString};
use std::time::Duration;
use tcroom_core::catalogue::COMMANDS;
use tcroom_emulator::{AuthMode, Emulator, EmulatorConfig};

// Linked from the tcroom-ffi crate (its `#[no_mangle]` exports).
use tcroom as _;

const OK: i32 = 0;
const INVALID_ARGUMENT: i32 = 1;
const INVALID_UTF8: i32 = 3;
const REFUSED: i32 = 8;

extern "C" {
    fn tc_client_options_new(out: *mut *mut c_void) -> i32;
    fn tc_client_options_free(o: *mut c_void);
    fn tc_client_options_set_host(o: *mut c_void, host: *const c_char) -> i32;
    fn tc_client_options_set_ws_port(o: *mut c_void, port: u16) -> i32;
    fn tc_client_options_set_pin(o: *mut c_void, pin: *const c_char) -> i32;
    fn tc_client_options_set_keepalive(o: *mut c_void, interval_ms: u32) -> i32;
    fn tc_client_new(o: *const c_void, out: *mut *mut c_void) -> i32;
    fn tc_client_connect(c: *const c_void, timeout_ms: u32) -> i32;
    fn tc_client_request_json(
        c: *const c_void,
        method: *const c_char,
        params_json: *const c_char,
        timeout_ms: u32,
        out_reply_json: *mut *mut c_char,
    ) -> i32;
    fn tc_client_free(c: *mut c_void) -> i32;
    fn tc_string_free(s: *mut c_char);
    fn tc_last_error(buf: *mut c_char, len: usize, out_len: *mut usize) -> i32;
}

fn last_error() -> String {
    let mut buf = vec![0u8; 1024];
    let mut len = 0usize;
    // SAFETY: the buffer is 1024 bytes long and the length is an out-parameter.
    unsafe { tc_last_error(buf.as_mut_ptr().cast(), buf.len(), &mut len) };
    let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

/// Bytes for a C string: any NUL ends it early, so NULs are replaced.
fn c_bytes(b: &[u8]) -> CString {
    let clean: Vec<u8> = b.iter().map(|&x| if x == 0 { b' ' } else { x }).collect();
    CString::new(clean).unwrap_or_default()
}

struct Room {
    _rt: tokio::runtime::Runtime,
    _emulator: Emulator,
    client: *mut c_void,
}

impl Room {
    fn start() -> Result<Room, String> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| format!("runtime: {e}"))?;
        let config = EmulatorConfig { auth: AuthMode::Pin("1234".into()), ..EmulatorConfig::default() };
        let emulator = rt.block_on(Emulator::start(config)).map_err(|e| format!("emulator: {e}"))?;
        let host = c_bytes(b"127.0.0.1");
        let pin = c_bytes(b"1234");
        let mut o = std::ptr::null_mut();
        let mut client = std::ptr::null_mut();
        // SAFETY: the documented sequence, with valid pointers; options are freed once.
        let st = unsafe {
            let mut st = tc_client_options_new(&mut o);
            for s in [
                tc_client_options_set_host(o, host.as_ptr()),
                tc_client_options_set_ws_port(o, emulator.ws_port()),
                tc_client_options_set_pin(o, pin.as_ptr()),
                tc_client_options_set_keepalive(o, 0),
                tc_client_new(o, &mut client),
            ] {
                st = st.max(s);
            }
            tc_client_options_free(o);
            if st == OK {
                st = tc_client_connect(client, 10_000);
            }
            st
        };
        if st != OK {
            return Err(format!("the C client did not connect: status {st}: {}", last_error()));
        }
        Ok(Room { _rt: rt, _emulator: emulator, client })
    }

    /// One call; `Err` when the contract is broken.
    fn request(&self, method: &[u8], params: Option<&[u8]>) -> Result<(), String> {
        let method = c_bytes(method);
        let params = params.map(c_bytes);
        // A sentinel: the output must stay untouched unless the status is OK or REFUSED.
        let sentinel = std::ptr::NonNull::<c_char>::dangling().as_ptr();
        let mut out = sentinel;
        // SAFETY: valid NUL-terminated strings (or NULL for no parameters) and an out-pointer.
        let st = unsafe {
            tc_client_request_json(
                self.client,
                method.as_ptr(),
                params.as_ref().map_or(std::ptr::null(), |p| p.as_ptr()),
                5_000,
                &mut out,
            )
        };
        match st {
            OK | REFUSED => {
                if out.is_null() || out == sentinel {
                    return Err(format!("status {st} without a reply"));
                }
                // SAFETY: the library returned a NUL-terminated string it owns until freed.
                let text = unsafe { std::ffi::CStr::from_ptr(out) }.to_string_lossy().into_owned();
                // SAFETY: freed once, with the library's own function.
                unsafe { tc_string_free(out) };
                match serde_json::from_str::<serde_json::Value>(&text) {
                    Ok(serde_json::Value::Object(_)) => Ok(()),
                    _ => Err(format!("status {st} with a reply that is not a JSON object: {text:.200}")),
                }
            }
            INVALID_ARGUMENT | INVALID_UTF8 => {
                if out != sentinel {
                    return Err(format!("status {st} wrote the output"));
                }
                Ok(())
            }
            other => Err(format!("status {other}: {}", last_error())),
        }
    }
}

impl Drop for Room {
    fn drop(&mut self) {
        // SAFETY: the client was made by tc_client_new and is freed once, from no callback.
        unsafe { tc_client_free(self.client) };
    }
}

pub fn c_request_json(budget: Duration, seed: u64) -> Result<u64, String> {
    let room = Room::start()?;
    let (keys, names) = (protocol_keys(), wire_names());
    let seeds: Vec<String> = corpus("cparams").into_iter().map(|(_, t)| t).collect();
    let text = prop_oneof![
        3 => arb_object(&keys, &names).prop_map(|m| serde_json::Value::Object(m).to_string()),
        3 => text_mutated(seeds.clone()),
        1 => arb_json(&keys, &names).prop_map(|v| v.to_string()),
        1 => deep_text(),
        1 => "\\PC{0,40}",
    ];
    let params = prop_oneof![
        8 => text.prop_map(|t| Some(t.into_bytes())),
        1 => proptest::collection::vec(any::<u8>(), 0..40).prop_map(Some),
        1 => Just(None),
    ];
    // Names of the catalogue mostly: those reach the emulator's handlers with odd parameters.
    // Not `auth` (it would trade the session's authorization) nor the emulator's test actions.
    let wires: Vec<String> = COMMANDS.iter().map(|c| c.wire.to_owned()).filter(|w| w != "auth").collect();
    let method = prop_oneof![
        6 => select(wires).prop_map(String::into_bytes),
        1 => "[a-zA-Z]{0,16}".prop_map(String::into_bytes),
        1 => select(vec!["event", "", " ", "getAppState\u{0}x", "requestId"]).prop_map(|s| s.as_bytes().to_vec()),
        1 => proptest::collection::vec(any::<u8>(), 0..12),
    ]
    .prop_filter("not the emulator's test actions", |m| !m.starts_with(b"emulator.") && m != b"auth");
    let corpus: Vec<(Vec<u8>, Option<Vec<u8>>)> =
        seeds.iter().map(|s| (b"getAppState".to_vec(), Some(s.clone().into_bytes()))).collect();
    run("c_request_json", budget, seed, corpus, (method, params), |(m, p)| room.request(m, p.as_deref()))
}
