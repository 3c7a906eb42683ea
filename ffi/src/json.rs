//! The JSON channel: any method with JSON parameters, the room's JSON reply back. It reaches
//! every command, including ones this version does not know, and is what hosts without a
//! binding for each function use.

use crate::cast::{as_ref, c_str, opt_c_str, out, UserData};
use crate::client::{bounded, tc_client};
use crate::error::{set_last_error, FfiError};
use crate::panic::ffi_status;
use crate::status::tc_status;
use crate::strings::{opt_ptr, string_into_raw, to_cstring};
use serde_json::Value;
use std::ffi::c_void;
use std::os::raw::c_char;

/// Receives the outcome of `tc_client_request_json_async`, exactly once, on the client's
/// dispatcher thread. `reply_json` (the room's whole reply) is set for `TC_STATUS_OK` and
/// `TC_STATUS_REFUSED`, else NULL; `error_message` is NULL on success. Both are lent for the
/// call only.
pub type tc_json_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        status: tc_status,
        reply_json: *const c_char,
        error_message: *const c_char,
    ),
>;

/// A checked request: method and parameters as the core takes them.
struct Request {
    method: String,
    params: Value,
}

fn read_request(method: *const c_char, params_json: *const c_char) -> Result<Request, FfiError> {
    // SAFETY: header contract for string arguments.
    let method = unsafe { c_str(method, "method") }?;
    if method.is_empty() {
        return Err(FfiError::invalid("the method name is empty"));
    }
    // SAFETY: as above; NULL means no parameters.
    let params = match unsafe { opt_c_str(params_json, "params_json") }? {
        None => Value::Null,
        Some(s) if s.trim().is_empty() => Value::Null,
        Some(s) => {
            serde_json::from_str(s).map_err(|e| FfiError::invalid(format!("params_json is not valid JSON: {e}")))?
        }
    };
    if !matches!(params, Value::Object(_) | Value::Null) {
        return Err(FfiError::invalid("params_json must be a JSON object"));
    }
    if let Value::Object(m) = &params {
        if m.contains_key("method") || m.contains_key("requestId") {
            return Err(FfiError::invalid("'method' and 'requestId' are set by the library, not in params_json"));
        }
    }
    Ok(Request { method: method.to_owned(), params })
}

/// Sends `method` with `params_json` (a JSON object of the parameters, or NULL for none) and
/// blocks for the reply, up to `timeout_ms` (0: the request time-out). `*out_reply_json`
/// gets the room's whole reply on `TC_STATUS_OK`, and also on `TC_STATUS_REFUSED`
/// (`result:false`, whose `error` the message repeats); it is untouched on any other status.
/// Free it with `tc_string_free`.
#[no_mangle]
pub extern "C" fn tc_client_request_json(
    client: *const tc_client,
    method: *const c_char,
    params_json: *const c_char,
    timeout_ms: u32,
    out_reply_json: *mut *mut c_char,
) -> tc_status {
    ffi_status(|| {
        // SAFETY: header contract for handles.
        let c = unsafe { as_ref(client, "client") }?;
        let o = out(out_reply_json, "out_reply_json")?;
        let Request { method, params } = read_request(method, params_json)?;
        let shared = c.shared();
        let t = shared.timeout(timeout_ms);
        let result = shared
            .call(timeout_ms, &method.clone(), |core| async move { core.request_timeout(&method, params, t).await });
        let reply = match &result {
            Ok(v) => Some(v),
            Err(e) => e.reply.as_ref(),
        };
        if let Some(r) = reply {
            // SAFETY: checked non-NULL out-parameter.
            unsafe { o.write(string_into_raw(&r.to_string())) };
        }
        result.map(drop)
    })
}

/// Like `tc_client_request_json`, without blocking: `callback` (required) gets the outcome
/// on the dispatcher thread, exactly once, at the latest during `tc_client_free` (then with
/// `TC_STATUS_CLOSED`). When this returns an error (a bad argument, or
/// `TC_STATUS_DISCONNECTED` when not connected) the callback is not called.
#[no_mangle]
pub extern "C" fn tc_client_request_json_async(
    client: *const tc_client,
    method: *const c_char,
    params_json: *const c_char,
    timeout_ms: u32,
    callback: tc_json_callback,
    user_data: *mut c_void,
) -> tc_status {
    ffi_status(|| {
        // SAFETY: header contract for handles.
        let c = unsafe { as_ref(client, "client") }?;
        let callback = callback.ok_or_else(|| FfiError::new(tc_status::NullPointer, "'callback' is NULL"))?;
        let Request { method, params } = read_request(method, params_json)?;
        let shared = c.shared().clone();
        let core = shared.core()?;
        let t = shared.timeout(timeout_ms);
        let user_data = UserData(user_data);
        let task_shared = shared.clone();
        shared.spawn_eager(async move {
            let result = task_shared.cancellable(bounded(t, &method, core.request_timeout(&method, params, t))).await;
            let (status, reply, message, last_error) = match result {
                Ok(v) => (tc_status::Ok, Some(v), None, None),
                Err(e) => (e.status, e.reply.clone(), Some(e.short_message()), Some(e.message)),
            };
            let reply = reply.map(|r| to_cstring(&r.to_string()));
            let message = message.map(|m| to_cstring(&m));
            task_shared.hub.post(Box::new(move || {
                if let Some(text) = &last_error {
                    set_last_error(text);
                }
                // SAFETY: the host's callback with its own user data, as registered.
                unsafe { callback(user_data.ptr(), status, opt_ptr(&reply), opt_ptr(&message)) }
            }));
        });
        Ok(())
    })
}
