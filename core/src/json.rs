//! Lenient readers for fields whose names or types the vendor does not pin down.
//!
//! The room's JSON is read field by field rather than through strict serde structs, so that a
//! newer application with renamed, retyped or extra fields degrades one value, not a whole event.

use serde_json::Value;

/// The first of `names` present as a string (numbers are turned into text).
pub fn str_of(v: &Value, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| match v.get(*n)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(x) => Some(x.to_string()),
        _ => None,
    })
}

/// The first of `names` present as a boolean (0/1 and "true"/"false" accepted).
pub fn bool_of(v: &Value, names: &[&str]) -> Option<bool> {
    names.iter().find_map(|n| match v.get(*n)? {
        Value::Bool(b) => Some(*b),
        Value::Number(x) => x.as_i64().map(|i| i != 0),
        Value::String(s) => match s.as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    })
}

/// The first of `names` present as an integer (numeric strings accepted).
pub fn i64_of(v: &Value, names: &[&str]) -> Option<i64> {
    names.iter().find_map(|n| match v.get(*n)? {
        Value::Number(x) => x.as_i64().or_else(|| x.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    })
}

pub fn u32_of(v: &Value, names: &[&str]) -> Option<u32> {
    i64_of(v, names).and_then(|i| u32::try_from(i).ok())
}
