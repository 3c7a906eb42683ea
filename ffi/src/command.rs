//! What every generated command function (`generated/commands.rs`) shares: taking the client,
//! turning C arguments into the core's parameter values, sending the command through the core,
//! and handing the reply back through out-parameters. No wire name or key is written here or
//! there: the command structs of `tcroom_core::cmd` carry them.

use crate::cast::{as_ref, c_str, c_str_array, into_raw, opt_c_str, Out};
use crate::client::tc_client;
use crate::error::FfiError;
use crate::participant::tc_participant_list;
use crate::strings::string_into_raw;
use serde_json::Value;
use std::os::raw::{c_char, c_int};
use tcroom_core::catalogue::replies::ReplyType;
use tcroom_core::catalogue::Command;
use tcroom_core::{AppStateInfo, Participant, Secret};

/// Use the client's request time-out (`tc_client_options_set_request_timeout`).
pub const TC_TIMEOUT_DEFAULT: u32 = 0;

/// The reply type of command `C`.
pub(crate) type ReplyOf<C> = <<C as Command>::Reply as ReplyType>::Out;

pub(crate) fn client_ref<'a>(p: *const tc_client) -> Result<&'a tc_client, FfiError> {
    // SAFETY: header contract for handles.
    unsafe { as_ref(p, "client") }
}

/// Sends `cmd` through the core and blocks for its reply, within the caller's time-out.
pub(crate) fn send<C>(c: &tc_client, timeout_ms: u32, cmd: C) -> Result<ReplyOf<C>, FfiError>
where
    C: Command + Send + 'static,
    ReplyOf<C>: Send,
{
    c.shared().call(timeout_ms, C::SPEC.wire, |core| async move { core.send(&cmd).await })
}

/// Converting C arguments.
pub(crate) mod arg {
    use super::*;

    pub(crate) fn text(p: *const c_char, name: &str) -> Result<String, FfiError> {
        // SAFETY: header contract for string arguments.
        unsafe { c_str(p, name) }.map(str::to_owned)
    }

    pub(crate) fn opt_text(p: *const c_char, name: &str) -> Result<Option<String>, FfiError> {
        // SAFETY: header contract for string arguments (NULL allowed).
        Ok(unsafe { opt_c_str(p, name) }?.map(str::to_owned))
    }

    pub(crate) fn flag(b: c_int) -> bool {
        b != 0
    }

    /// 0 means the documented default.
    pub(crate) fn port(p: u16, default: u16) -> u16 {
        if p == 0 {
            default
        } else {
            p
        }
    }

    pub(crate) fn text_list(list: *const *const c_char, count: usize, name: &str) -> Result<Vec<String>, FfiError> {
        // SAFETY: header contract: `count` valid strings (NULL allowed when 0).
        unsafe { c_str_array(list, count, name) }
    }

    /// A JSON object given as text.
    pub(crate) fn json_object(p: *const c_char, name: &str) -> Result<Value, FfiError> {
        let text = text(p, name)?;
        match serde_json::from_str::<Value>(&text) {
            Ok(v @ Value::Object(_)) => Ok(v),
            Ok(_) => Err(FfiError::invalid(format!("'{name}' must be a JSON object"))),
            Err(e) => Err(FfiError::invalid(format!("'{name}' is not valid JSON: {e}"))),
        }
    }
}

/// Handing replies back.
pub(crate) mod reply {
    use super::*;

    /// The number a reply carries as `int32_t`.
    pub(crate) trait AsInt32 {
        fn as_i32(&self) -> i32;
    }

    impl AsInt32 for AppStateInfo {
        fn as_i32(&self) -> i32 {
            i32::try_from(self.app_state.code()).unwrap_or(-1)
        }
    }

    /// Text a reply carries as `char*`.
    pub(crate) trait AsText {
        fn as_text(&self) -> &str;
    }

    impl AsText for String {
        fn as_text(&self) -> &str {
            self
        }
    }

    impl AsText for Secret {
        fn as_text(&self) -> &str {
            self.expose()
        }
    }

    pub(crate) fn int32(o: Out<i32>, v: &impl AsInt32) {
        // SAFETY: `Out` was checked non-NULL when the call began.
        unsafe { o.write(v.as_i32()) }
    }

    pub(crate) fn flag(o: Out<c_int>, v: bool) {
        // SAFETY: as above.
        unsafe { o.write(c_int::from(v)) }
    }

    pub(crate) fn float(o: Out<f64>, v: f64) {
        // SAFETY: as above.
        unsafe { o.write(v) }
    }

    pub(crate) fn text(o: Out<*mut c_char>, v: &impl AsText) {
        // SAFETY: as above.
        unsafe { o.write(string_into_raw(v.as_text())) }
    }

    /// An optional text out-parameter: the caller may pass NULL for it, and gets NULL when
    /// there is no value.
    pub(crate) fn opt_text(o: Option<Out<*mut c_char>>, v: Option<&str>) {
        if let Some(o) = o {
            // SAFETY: a non-NULL out-parameter.
            unsafe { o.write(v.map_or(std::ptr::null_mut(), string_into_raw)) }
        }
    }

    /// The reply of command `C` as the room sent it, as JSON text.
    pub(crate) fn json<C: Command>(o: Out<*mut c_char>, v: &ReplyOf<C>) {
        let text = <C::Reply as ReplyType>::raw(v).to_string();
        // SAFETY: as above.
        unsafe { o.write(string_into_raw(&text)) }
    }

    pub(crate) fn participants(o: Out<*mut tc_participant_list>, v: (Option<String>, Vec<Participant>)) {
        // SAFETY: as above.
        unsafe { o.write(into_raw(tc_participant_list::new(v.0, v.1))) }
    }
}
