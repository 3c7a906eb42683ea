//! `tc_client_options`: how to reach and authorize with a room, built with setters so that
//! options can be added without changing any struct layout.

use crate::cast::{as_mut, as_ref, c_str, into_raw, opt_c_str, out};
use crate::error::FfiError;
use crate::panic::{ffi_guard, ffi_status};
use crate::status::tc_status;
use std::os::raw::{c_char, c_int};
use std::time::Duration;
use tcroom_core::{ConnectOptions, Credentials, Reconnect, Role};

/// Control roles a connection may ask for (PROTOCOL.md §3).
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum tc_role {
    /// Let the room decide (no `role` in `auth`).
    Any = 0,
    Admin = 1,
    User = 2,
}

/// Connection options (opaque). Made by `tc_client_options_new`, freed by
/// `tc_client_options_free`; `tc_client_new` copies it, so it may be freed right after.
#[derive(Clone)]
pub struct tc_client_options {
    pub(crate) host: String,
    pub(crate) web_port: u16,
    pub(crate) ws_port: Option<u16>,
    pub(crate) instance: String,
    pub(crate) credentials: Credentials,
    pub(crate) role: Option<Role>,
    pub(crate) request_timeout: Duration,
    pub(crate) api_version: Option<String>,
    pub(crate) event_capacity: usize,
    pub(crate) event_max_bytes: usize,
    pub(crate) reconnect: Option<Reconnect>,
    pub(crate) state_events: bool,
    pub(crate) follow_other_host: bool,
    pub(crate) keepalive: Option<Duration>,
    pub(crate) tls: Option<tcroom_core::Tls>,
}

/// Reply time-out when the caller passes `TC_TIMEOUT_DEFAULT` and sets none.
const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

impl Default for tc_client_options {
    fn default() -> Self {
        tc_client_options {
            host: "127.0.0.1".to_owned(),
            web_port: 80,
            ws_port: None,
            instance: "default".to_owned(),
            credentials: Credentials::Unsecured,
            role: None,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            api_version: None,
            event_capacity: tcroom_core::DEFAULT_EVENT_CAPACITY,
            event_max_bytes: tcroom_core::DEFAULT_EVENT_MAX_BYTES,
            reconnect: None,
            // The C face follows the state by events on its one queue (tc_client_state_json).
            state_events: true,
            follow_other_host: false,
            keepalive: Some(tcroom_core::DEFAULT_KEEPALIVE),
            tls: None,
        }
    }
}

impl tc_client_options {
    pub(crate) fn to_core(&self, connect_timeout: Duration) -> ConnectOptions {
        let mut o = ConnectOptions::new(self.host.clone())
            .web_port(self.web_port)
            .credentials(self.credentials.clone())
            .connect_timeout(connect_timeout)
            .request_timeout(self.request_timeout);
        o.ws_port = self.ws_port;
        o.instance = self.instance.clone();
        o.role = self.role;
        o.api_version = self.api_version.clone();
        o.reconnect = self.reconnect.clone();
        o.event_capacity = self.event_capacity;
        o.event_max_bytes = self.event_max_bytes;
        o.state_events = self.state_events;
        o.follow_other_host = self.follow_other_host;
        o.keepalive = self.keepalive;
        o.tls = self.tls.clone();
        o
    }
}

/// Runs a setter on a checked options handle.
fn set(options: *mut tc_client_options, f: impl FnOnce(&mut tc_client_options) -> Result<(), FfiError>) -> tc_status {
    ffi_status(|| {
        // SAFETY: a live handle from `tc_client_options_new`, used by one thread at a time
        // (header contract).
        f(unsafe { as_mut(options, "options") }?)
    })
}

/// Makes options with the defaults: host 127.0.0.1, web port 80 with discovery, instance
/// "default", unsecured, any role, 10 s reply time-out, 1024 queued events (64 MiB at most),
/// `stateChanged` events on.
#[no_mangle]
pub extern "C" fn tc_client_options_new(out_options: *mut *mut tc_client_options) -> tc_status {
    ffi_status(|| {
        let o = out(out_options, "out_options")?;
        // SAFETY: checked non-NULL out-parameter.
        unsafe { o.write(into_raw(tc_client_options::default())) };
        Ok(())
    })
}

/// Frees options. NULL is ignored.
#[no_mangle]
pub extern "C" fn tc_client_options_free(options: *mut tc_client_options) {
    ffi_guard(|| {
        // SAFETY: came from `tc_client_options_new`, not used again (header contract).
        drop(unsafe { crate::cast::from_raw(options) });
    })
}

/// The room's host name or address (IPv6 without brackets is fine).
#[no_mangle]
pub extern "C" fn tc_client_options_set_host(options: *mut tc_client_options, host: *const c_char) -> tc_status {
    set(options, |o| {
        // SAFETY: header contract for string arguments.
        let h = unsafe { c_str(host, "host") }?;
        if h.trim().is_empty() {
            return Err(FfiError::invalid("the host is empty"));
        }
        o.host = h.to_owned();
        Ok(())
    })
}

/// The web manager's port, used to discover the WebSocket port (`config.json`).
#[no_mangle]
pub extern "C" fn tc_client_options_set_web_port(options: *mut tc_client_options, port: u16) -> tc_status {
    set(options, |o| {
        if port == 0 {
            return Err(FfiError::invalid("web port 0"));
        }
        o.web_port = port;
        Ok(())
    })
}

/// The control WebSocket port: when set (non-zero), discovery is skipped. 0 restores
/// discovery through the web port.
#[no_mangle]
pub extern "C" fn tc_client_options_set_ws_port(options: *mut tc_client_options, port: u16) -> tc_status {
    set(options, |o| {
        o.ws_port = (port != 0).then_some(port);
        Ok(())
    })
}

/// The discovery path segment (`/public/<instance>/config.json`); "default" unless the host
/// runs several rooms.
#[no_mangle]
pub extern "C" fn tc_client_options_set_instance(
    options: *mut tc_client_options,
    instance: *const c_char,
) -> tc_status {
    set(options, |o| {
        // SAFETY: header contract for string arguments.
        let i = unsafe { c_str(instance, "instance") }?;
        if i.is_empty() || i.contains('/') {
            return Err(FfiError::invalid(format!("bad instance name '{i}'")));
        }
        o.instance = i.to_owned();
        Ok(())
    })
}

/// Authorize with a secret: the room's PIN, a password, or a token from an earlier `auth`.
/// The library never logs it.
#[no_mangle]
pub extern "C" fn tc_client_options_set_pin(options: *mut tc_client_options, pin: *const c_char) -> tc_status {
    set(options, |o| {
        // SAFETY: header contract for string arguments.
        let p = unsafe { c_str(pin, "pin") }?;
        o.credentials = Credentials::pin(p);
        Ok(())
    })
}

/// Authorize without a secret (`type: unsecured`), the default.
#[no_mangle]
pub extern "C" fn tc_client_options_set_unsecured(options: *mut tc_client_options) -> tc_status {
    set(options, |o| {
        o.credentials = Credentials::Unsecured;
        Ok(())
    })
}

/// The control role to take: a `tc_role` value.
#[no_mangle]
pub extern "C" fn tc_client_options_set_role(options: *mut tc_client_options, role: i32) -> tc_status {
    set(options, |o| {
        o.role = match role {
            0 => None,
            1 => Some(Role::Admin),
            2 => Some(Role::User),
            other => return Err(FfiError::invalid(format!("unknown role {other} (expected a tc_role value)"))),
        };
        Ok(())
    })
}

/// The reply time-out used when a call passes `TC_TIMEOUT_DEFAULT` (must be > 0).
#[no_mangle]
pub extern "C" fn tc_client_options_set_request_timeout(options: *mut tc_client_options, timeout_ms: u32) -> tc_status {
    set(options, |o| {
        if timeout_ms == 0 {
            return Err(FfiError::invalid("the request time-out must be positive"));
        }
        o.request_timeout = Duration::from_millis(u64::from(timeout_ms));
        Ok(())
    })
}

/// Ask for API version "1" or "2" (`setUsedApiVersion`) before `auth`; NULL: do not ask.
#[no_mangle]
pub extern "C" fn tc_client_options_set_api_version(
    options: *mut tc_client_options,
    version: *const c_char,
) -> tc_status {
    set(options, |o| {
        // SAFETY: header contract for string arguments.
        o.api_version = unsafe { opt_c_str(version, "version") }?.map(str::to_owned);
        Ok(())
    })
}

/// How many events may wait in the client's queue (1 to 16777216; default 1024; memory is
/// taken as events arrive). Beyond it the oldest are dropped, and one `eventsLost` event (field
/// `count`) stands where they were; the room state (`tc_client_state_json`) is current anyway.
#[no_mangle]
pub extern "C" fn tc_client_options_set_event_capacity(options: *mut tc_client_options, capacity: usize) -> tc_status {
    set(options, |o| {
        if capacity == 0 || capacity > tcroom_core::MAX_EVENT_CAPACITY {
            return Err(FfiError::invalid(format!(
                "the event capacity must be within 1..={}, got {capacity}",
                tcroom_core::MAX_EVENT_CAPACITY
            )));
        }
        o.event_capacity = capacity;
        Ok(())
    })
}

/// How many bytes (as the events took on the wire) may wait in the client's queue, whatever
/// their number (at least 1; default 64 MiB). Beyond it the oldest are dropped as above.
#[no_mangle]
pub extern "C" fn tc_client_options_set_event_max_bytes(
    options: *mut tc_client_options,
    max_bytes: usize,
) -> tc_status {
    set(options, |o| {
        if max_bytes == 0 {
            return Err(FfiError::invalid("the event byte limit must be at least 1"));
        }
        o.event_max_bytes = max_bytes;
        Ok(())
    })
}

/// Queue a `stateChanged` event (`TC_EVENT_KIND_STATE_CHANGED`; fields `changed`, a list of
/// the parts that changed, and `full`) after every change of the room state, so that a host
/// following the state by poll or callback knows when to read `tc_client_state_json`
/// (`enable` non-zero; on by default).
#[no_mangle]
pub extern "C" fn tc_client_options_set_state_events(options: *mut tc_client_options, enable: c_int) -> tc_status {
    set(options, |o| {
        o.state_events = enable != 0;
        Ok(())
    })
}

/// Follow a `config.json` that names another host for the WebSocket, or a discovery redirect to
/// another host (`enable` non-zero). Off by default: the PIN never goes to another host
/// silently.
#[no_mangle]
pub extern "C" fn tc_client_options_set_follow_other_host(options: *mut tc_client_options, enable: c_int) -> tc_status {
    set(options, |o| {
        o.follow_other_host = enable != 0;
        Ok(())
    })
}

/// Reconnect automatically when the link drops (`enable` non-zero; off by default). The
/// client then re-authorizes (with the token from `auth`, else the PIN), refreshes its state and
/// queues a `reconnected` event; the drop itself shows as a `connectionLost` event, and calls
/// made meanwhile fail with `TC_STATUS_DISCONNECTED` (never replayed). After `max_attempts`
/// failures (0: never give up) the final `disconnected` event comes. The wait before an attempt
/// starts at `initial_delay_ms` and doubles up to `max_delay_ms` (0 for either: 200 ms, 5 s).
#[no_mangle]
pub extern "C" fn tc_client_options_set_reconnect(
    options: *mut tc_client_options,
    enable: c_int,
    max_attempts: u32,
    initial_delay_ms: u32,
    max_delay_ms: u32,
) -> tc_status {
    set(options, |o| {
        if enable == 0 {
            o.reconnect = None;
            return Ok(());
        }
        let defaults = Reconnect::default();
        let ms = |v: u32, d: Duration| {
            if v == 0 {
                d
            } else {
                Duration::from_millis(u64::from(v))
            }
        };
        let initial_delay = ms(initial_delay_ms, defaults.initial_delay);
        let max_delay = ms(max_delay_ms, defaults.max_delay).max(initial_delay);
        o.reconnect = Some(Reconnect { max_attempts, initial_delay, max_delay });
        Ok(())
    })
}

/// Keep-alive, checked every `interval_ms`: a room silent for half of it or more is pinged, and
/// the link is given up when the ping is still unanswered at the next check (the link is lost:
/// `disconnected`, or `connectionLost` and a reconnect). 0 turns it off; the default is 5000
/// (a frozen room or a dead link is noticed 10 to 12.5 s after its last frame).
#[no_mangle]
pub extern "C" fn tc_client_options_set_keepalive(options: *mut tc_client_options, interval_ms: u32) -> tc_status {
    set(options, |o| {
        o.keepalive = (interval_ms != 0).then(|| Duration::from_millis(u64::from(interval_ms)));
        Ok(())
    })
}

/// TLS to the room, for a room published behind a TLS proxy: `wss://` for the control
/// connection, `https://` for discovery and frames (`enable` non-zero). Certificates are checked
/// against the system's roots, or only against the PEM file `ca_file` when not NULL.
/// `danger_accept_invalid_certs` non-zero accepts any certificate: only for a lab, since anyone
/// in between could then read the PIN.
#[no_mangle]
pub extern "C" fn tc_client_options_set_tls(
    options: *mut tc_client_options,
    enable: c_int,
    ca_file: *const c_char,
    danger_accept_invalid_certs: c_int,
) -> tc_status {
    set(options, |o| {
        // SAFETY: header contract for string arguments (NULL allowed).
        let ca = unsafe { opt_c_str(ca_file, "ca_file") }?;
        o.tls = (enable != 0).then(|| tcroom_core::Tls {
            ca_file: ca.map(std::path::PathBuf::from),
            danger_accept_invalid_certs: danger_accept_invalid_certs != 0,
        });
        Ok(())
    })
}

/// Reads an options handle for `tc_client_new`.
pub(crate) fn read(options: *const tc_client_options) -> Result<tc_client_options, FfiError> {
    // SAFETY: header contract for handles.
    Ok(unsafe { as_ref(options, "options") }?.clone())
}
