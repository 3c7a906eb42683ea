//! `tc_create_conference`: the parameters struct, the two-stage asynchronous call (accepted,
//! then started) and its blocking twin.

use crate::cast::{as_ref, c_str, c_str_array, into_raw, non_null_mut, out, read_versioned, write_versioned, UserData};
use crate::client::bounded;
use crate::conference::{tc_conf_type, tc_conference};
use crate::error::{set_last_error, FfiError};
use crate::hub::Hub;
use crate::panic::ffi_status;
use crate::status::tc_status;
use crate::strings::{opt_ptr, to_cstring};
use std::ffi::c_void;
use std::os::raw::{c_char, c_int};
use std::sync::Arc;
use tcroom_core::{Conference, CreateConference};
use tokio::time::Instant;

/// Everything `createConference` takes. Initialize with `tc_conference_params_init` (which
/// sets `struct_size` and the defaults), then set fields: fields added in later versions go at
/// the end, and a library reads only the `struct_size` bytes a caller was built with.
/// Booleans are `int`: 0 false, anything else true.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct tc_conference_params {
    /// `sizeof(tc_conference_params)` as the caller was compiled; set by the init function.
    pub struct_size: usize,
    /// UTF-8 title, required and not blank.
    pub title: *const c_char,
    /// A `tc_conf_type` value other than `TC_CONF_UNKNOWN` (default `TC_CONF_SYMMETRIC`).
    pub conf_type: i32,
    /// Participants may join without the owner's approval.
    pub auto_accept: c_int,
    /// `invite_count` UTF-8 ids (PeerId, CallId or InstanceId); NULL when `invite_count` is 0.
    /// Do not list yourself: the caller becomes the owner.
    pub invite_list: *const *const c_char,
    pub invite_count: usize,
    /// Podium seats, one of the tariff's `maxCasters` values; 0 leaves it unset.
    pub casters_count: u32,
    pub use_waiting_room: c_int,
    pub mute_cam_on_join: c_int,
    pub mute_mic_on_join: c_int,
    /// Role conferences with at least 4 podium seats only.
    pub smart_meeting: c_int,
}

/// The size of the first published layout. When fields are appended, this stays as it is
/// (replace it by the literal size of this version), so older callers keep working.
const V1_SIZE: usize = std::mem::size_of::<tc_conference_params>();

fn defaults() -> tc_conference_params {
    tc_conference_params {
        struct_size: std::mem::size_of::<tc_conference_params>(),
        title: std::ptr::null(),
        conf_type: tc_conf_type::TcConfSymmetric as i32,
        auto_accept: 0,
        invite_list: std::ptr::null(),
        invite_count: 0,
        casters_count: 0,
        use_waiting_room: 0,
        mute_cam_on_join: 0,
        mute_mic_on_join: 0,
        smart_meeting: 0,
    }
}

/// Fills `*params` with the defaults and sets its `struct_size`; pass
/// `sizeof(tc_conference_params)` as `struct_size`. Defaults: no title, `TC_CONF_SYMMETRIC`,
/// no invitees, every flag off, `casters_count` unset.
#[no_mangle]
pub extern "C" fn tc_conference_params_init(params: *mut tc_conference_params, struct_size: usize) -> tc_status {
    ffi_status(|| {
        let p = non_null_mut(params, "params")?;
        if struct_size < V1_SIZE {
            return Err(FfiError::invalid(format!(
                "struct_size {struct_size} is below {V1_SIZE}, the smallest layout"
            )));
        }
        let mut v = defaults();
        v.struct_size = struct_size;
        // SAFETY: the caller's struct has `struct_size` writable bytes (header contract).
        unsafe { write_versioned(p.as_ptr(), struct_size, v) };
        Ok(())
    })
}

/// Reads and checks the caller's parameters (no round trip yet).
fn read_params(params: *const tc_conference_params) -> Result<CreateConference, FfiError> {
    // SAFETY: header contract: `params` points to an initialized struct of `struct_size` bytes.
    let v = unsafe { read_versioned(params, "params", V1_SIZE, defaults()) }?;
    // SAFETY: the struct's pointers follow the string and array contracts of the header.
    let title = unsafe { c_str(v.title, "params->title") }?;
    let conf_type = tc_conf_type::to_core(v.conf_type).ok_or_else(|| {
        FfiError::invalid(format!(
            "unknown conference type {} (expected TC_CONF_SYMMETRIC, TC_CONF_ASYMMETRIC or TC_CONF_ROLE)",
            v.conf_type
        ))
    })?;
    let invite = unsafe { c_str_array(v.invite_list, v.invite_count, "params->invite_list") }?;
    let mut c = CreateConference::new(title, conf_type);
    c.auto_accept = v.auto_accept != 0;
    c.invite = invite;
    c.casters_count = (v.casters_count != 0).then_some(v.casters_count);
    c.use_waiting_room = v.use_waiting_room != 0;
    c.mute_cam_on_join = v.mute_cam_on_join != 0;
    c.mute_mic_on_join = v.mute_mic_on_join != 0;
    c.smart_meeting = v.smart_meeting != 0;
    Ok(c)
}

/// Where a `tc_create_conference` stands when its callback runs.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum tc_conference_stage {
    /// The room accepted the request (`json`: its reply). `STARTED` or `FAILED` follows.
    Accepted = 0,
    /// The conference has started: `conference` describes it. Final.
    Started = 1,
    /// The room answered `result:false`: `message` is the room's own error text, `json` its
    /// reply. Final.
    Refused = 2,
    /// Anything else went wrong (`status` says what: `TIMEOUT`, `DISCONNECTED`, `CLOSED`...):
    /// `message` explains. Final.
    Failed = 3,
}

/// Progress of `tc_create_conference`, on the client's dispatcher thread. Called with
/// `ACCEPTED` at most once, then exactly one final stage (`STARTED`, `REFUSED` or `FAILED`),
/// after which `user_data` is no longer used. `conference`, `json` and `message` are lent for
/// the call only and may be NULL (`conference` is set only for `STARTED`).
pub type tc_conference_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        stage: tc_conference_stage,
        status: tc_status,
        conference: *const tc_conference,
        json: *const c_char,
        message: *const c_char,
    ),
>;

type ConferenceFn = unsafe extern "C" fn(
    *mut c_void,
    tc_conference_stage,
    tc_status,
    *const tc_conference,
    *const c_char,
    *const c_char,
);

/// Posts the stages of one `tc_create_conference` to the dispatcher.
struct Notifier {
    hub: Arc<Hub>,
    callback: ConferenceFn,
    user_data: UserData,
}

impl Notifier {
    fn post(
        &self,
        stage: tc_conference_stage,
        error: Option<&FfiError>,
        conf: Option<Conference>,
        json: Option<String>,
    ) {
        let (callback, user_data) = (self.callback, self.user_data);
        let status = error.map_or(tc_status::Ok, |e| e.status);
        let message = error.map(|e| to_cstring(&e.short_message()));
        let last_error = error.map(|e| e.message.clone());
        let conference = conf.map(tc_conference::new);
        let json = json.map(|j| to_cstring(&j));
        self.hub.post(Box::new(move || {
            if let Some(text) = &last_error {
                // So that tc_last_error inside the callback tells the same story.
                set_last_error(text);
            }
            let conf_ptr = conference.as_ref().map_or(std::ptr::null(), |c| c as *const tc_conference);
            // SAFETY: the host's callback with its own user data, as registered.
            unsafe { callback(user_data.ptr(), stage, status, conf_ptr, opt_ptr(&json), opt_ptr(&message)) }
        }));
    }

    fn fail(&self, e: FfiError) {
        let stage =
            if e.status == tc_status::Refused { tc_conference_stage::Refused } else { tc_conference_stage::Failed };
        let json = e.reply.as_ref().map(|r| r.to_string());
        self.post(stage, Some(&e), None, json);
    }
}

/// Asks the room to create a conference and returns at once. `callback` (required) runs on
/// the client's dispatcher thread: `ACCEPTED` when the room takes the request, then `STARTED`
/// with the conference (confId, joinUrl, limits) when `conferenceCreated` arrives; or a final
/// `REFUSED`/`FAILED`. `timeout_ms` (0: the request time-out) bounds the whole, acceptance
/// and start. Parameters are checked before anything is sent: a bad one returns
/// `TC_STATUS_INVALID_ARGUMENT` (or `NULL_POINTER`, `INVALID_UTF8`) and the callback is not
/// called; likewise `TC_STATUS_DISCONNECTED` when not connected.
#[no_mangle]
pub extern "C" fn tc_create_conference(
    client: *const crate::client::tc_client,
    params: *const tc_conference_params,
    timeout_ms: u32,
    callback: tc_conference_callback,
    user_data: *mut c_void,
) -> tc_status {
    ffi_status(|| {
        // SAFETY: header contract for handles.
        let c = unsafe { as_ref(client, "client") }?;
        let callback = callback.ok_or_else(|| FfiError::new(tc_status::NullPointer, "'callback' is NULL"))?;
        let params = read_params(params)?;
        let shared = c.shared().clone();
        let core = shared.core()?;
        params.validate(core.snapshot().tariff.as_ref())?;
        let t = shared.timeout(timeout_ms);
        let notify = Notifier { hub: shared.hub.clone(), callback, user_data: UserData(user_data) };
        let task_shared = shared.clone();
        shared.spawn_eager(async move {
            let deadline = Instant::now() + t;
            let accepted = task_shared
                .cancellable(bounded(t, "createConference", core.create_conference_timeout(&params, t)))
                .await;
            let pending = match accepted {
                Ok(p) => p,
                Err(e) => return notify.fail(e),
            };
            notify.post(tc_conference_stage::Accepted, None, None, Some(pending.reply().to_string()));
            let left = deadline.saturating_duration_since(Instant::now());
            let started = task_shared
                .cancellable(bounded(left, "createConference (waiting for conferenceCreated)", pending.wait(left)))
                .await;
            match started {
                Ok(conf) => {
                    let json = conf.raw.to_string();
                    notify.post(tc_conference_stage::Started, None, Some(conf), Some(json));
                }
                Err(e) => notify.fail(e),
            }
        });
        Ok(())
    })
}

/// Creates a conference and blocks until it has started (or `timeout_ms`, 0: the request
/// time-out, has passed). On success `*out_conference` is the caller's: free it with
/// `tc_conference_free`. A refusal returns `TC_STATUS_REFUSED` with the room's text in
/// `tc_last_error`.
#[no_mangle]
pub extern "C" fn tc_create_conference_wait(
    client: *const crate::client::tc_client,
    params: *const tc_conference_params,
    timeout_ms: u32,
    out_conference: *mut *mut tc_conference,
) -> tc_status {
    ffi_status(|| {
        // SAFETY: header contract for handles.
        let c = unsafe { as_ref(client, "client") }?;
        let o = out(out_conference, "out_conference")?;
        let params = read_params(params)?;
        let shared = c.shared();
        let t = shared.timeout(timeout_ms);
        let conf = shared.call(timeout_ms, "createConference", |core| async move {
            core.create_conference_and_wait(&params, t).await
        })?;
        // SAFETY: checked non-NULL out-parameter.
        unsafe { o.write(into_raw(tc_conference::new(conf))) };
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Not `c"..."` literals: they need a newer Rust than the workspace's rust-version.
    fn cstr(bytes: &'static [u8]) -> &'static std::ffi::CStr {
        std::ffi::CStr::from_bytes_with_nul(bytes).unwrap()
    }

    fn params(title: &std::ffi::CStr) -> tc_conference_params {
        let mut p = defaults();
        assert_eq!(tc_conference_params_init(&mut p, std::mem::size_of::<tc_conference_params>()), tc_status::Ok);
        p.title = title.as_ptr();
        p
    }

    #[test]
    fn reads_every_field() {
        let (a, b) = (cstr(b"a@s\0"), cstr(b"b@s\0"));
        let invitees = [a.as_ptr(), b.as_ptr()];
        let mut p = params(cstr(b"T\0"));
        p.conf_type = tc_conf_type::TcConfRole as i32;
        p.invite_list = invitees.as_ptr();
        p.invite_count = 2;
        p.casters_count = 4;
        p.use_waiting_room = 7; // any non-zero value is true
        p.smart_meeting = 1;
        let c = read_params(&p).unwrap();
        assert_eq!(c.title, "T");
        assert_eq!(c.conf_type, tcroom_core::ConfType::Role);
        assert_eq!(c.invite, ["a@s", "b@s"]);
        assert_eq!(c.casters_count, Some(4));
        assert!(c.use_waiting_room && c.smart_meeting && !c.auto_accept && !c.mute_cam_on_join);
    }

    #[test]
    fn refuses_unknown_types_and_uninitialized_structs() {
        let mut p = params(cstr(b"T\0"));
        p.conf_type = 0;
        assert_eq!(read_params(&p).unwrap_err().status, tc_status::InvalidArgument);
        p.conf_type = 1;
        p.struct_size = 8;
        assert_eq!(read_params(&p).unwrap_err().status, tc_status::InvalidArgument);
        assert_eq!(read_params(std::ptr::null()).unwrap_err().status, tc_status::NullPointer);
    }

    #[test]
    fn init_writes_no_more_than_the_callers_size() {
        // A caller whose struct is larger than ours (a newer header): we fill what we know.
        let mut bytes = [0xAAu8; std::mem::size_of::<tc_conference_params>() + 16];
        let size = bytes.len();
        let p = bytes.as_mut_ptr().cast::<tc_conference_params>();
        assert_eq!(tc_conference_params_init(p, size), tc_status::Ok);
        assert!(bytes[std::mem::size_of::<tc_conference_params>()..].iter().all(|b| *b == 0xAA));
        assert_eq!(tc_conference_params_init(p, 3), tc_status::InvalidArgument);
    }
}
