//! Typed access to request parameters, with the error texts the client sees.

use serde_json::{Map, Value};

pub(crate) type Params = Map<String, Value>;

// `null` counts as absent: a client serializing an unset Option should not be punished.
fn get<'a>(req: &'a Params, name: &str) -> Option<&'a Value> {
    req.get(name).filter(|v| !v.is_null())
}

pub(crate) fn opt_str<'a>(req: &'a Params, name: &str) -> Result<Option<&'a str>, String> {
    match get(req, name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("parameter '{name}' must be a string")),
    }
}

pub(crate) fn req_str<'a>(req: &'a Params, name: &str) -> Result<&'a str, String> {
    opt_str(req, name)?.ok_or_else(|| format!("parameter '{name}' is required"))
}

/// A required string that must not be empty or blank.
pub(crate) fn req_text<'a>(req: &'a Params, name: &str) -> Result<&'a str, String> {
    let s = req_str(req, name)?;
    if s.trim().is_empty() {
        return Err(format!("parameter '{name}' must not be empty"));
    }
    Ok(s)
}

pub(crate) fn opt_bool(req: &Params, name: &str) -> Result<Option<bool>, String> {
    match get(req, name) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(format!("parameter '{name}' must be a boolean")),
    }
}

pub(crate) fn req_bool(req: &Params, name: &str) -> Result<bool, String> {
    opt_bool(req, name)?.ok_or_else(|| format!("parameter '{name}' is required"))
}

pub(crate) fn opt_uint(req: &Params, name: &str) -> Result<Option<u64>, String> {
    match get(req, name) {
        None => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| format!("parameter '{name}' must be a non-negative integer")),
    }
}

pub(crate) fn opt_str_list(req: &Params, name: &str) -> Result<Vec<String>, String> {
    match get(req, name) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str().map(str::to_string).ok_or_else(|| format!("parameter '{name}' must be an array of strings"))
            })
            .collect(),
        Some(_) => Err(format!("parameter '{name}' must be an array of strings")),
    }
}

pub(crate) fn req_uint(req: &Params, name: &str) -> Result<u64, String> {
    opt_uint(req, name)?.ok_or_else(|| format!("parameter '{name}' is required"))
}

pub(crate) fn opt_int(req: &Params, name: &str) -> Result<Option<i64>, String> {
    match get(req, name) {
        None => Ok(None),
        Some(v) => v.as_i64().map(Some).ok_or_else(|| format!("parameter '{name}' must be an integer")),
    }
}

pub(crate) fn req_int(req: &Params, name: &str) -> Result<i64, String> {
    opt_int(req, name)?.ok_or_else(|| format!("parameter '{name}' is required"))
}

/// A required object parameter.
pub(crate) fn req_object<'a>(req: &'a Params, name: &str) -> Result<&'a Map<String, Value>, String> {
    match get(req, name) {
        None => Err(format!("parameter '{name}' is required")),
        Some(Value::Object(m)) => Ok(m),
        Some(_) => Err(format!("parameter '{name}' must be an object")),
    }
}

/// Refuses parameters outside `allowed` (besides the envelope): used by the test-only actions,
/// where a typo should fail loudly.
pub(crate) fn only_keys(req: &Params, allowed: &[&str]) -> Result<(), String> {
    match req.keys().find(|k| !matches!(k.as_str(), "method" | "requestId") && !allowed.contains(&k.as_str())) {
        Some(k) if allowed.is_empty() => Err(format!("unknown parameter '{k}' (this action takes none)")),
        Some(k) => Err(format!("unknown parameter '{k}' (allowed: {})", allowed.join(", "))),
        None => Ok(()),
    }
}
