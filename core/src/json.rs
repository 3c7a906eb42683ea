//! Lenient readers for fields whose names or types the vendor does not pin down.
//!
//! The room's JSON is read field by field rather than through strict serde structs, so that a
//! newer application with renamed, retyped or extra fields degrades one value, not a whole event.
//! Public so that the bindings read raw events the same way the core does.

use serde_json::Value;

/// A value as text (numbers and booleans are turned into text).
pub fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(x) => Some(x.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A value as a boolean (0/1 and "true"/"false" accepted).
pub fn as_flag(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(x) => x.as_i64().map(|i| i != 0),
        Value::String(s) => match s.trim() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A value as an integer (numeric strings accepted; fractions and out-of-range numbers are not
/// integers, so a room sending `1e30` for a state gets no made-up number).
pub fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(x) => x.as_i64().or_else(|| {
            x.as_f64().filter(|f| f.fract() == 0.0 && *f >= i64::MIN as f64 && *f < i64::MAX as f64).map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// The first of `names` present as a string (numbers and booleans are turned into text).
pub fn str_of(v: &Value, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| as_text(v.get(*n)?))
}

/// The first of `names` present as a boolean (0/1 and "true"/"false" accepted).
pub fn bool_of(v: &Value, names: &[&str]) -> Option<bool> {
    names.iter().find_map(|n| as_flag(v.get(*n)?))
}

/// The first of `names` present as an integer (numeric strings accepted).
pub fn i64_of(v: &Value, names: &[&str]) -> Option<i64> {
    names.iter().find_map(|n| as_int(v.get(*n)?))
}

/// The first of `names` present as an integer that fits a `u32` (numeric strings accepted).
pub fn u32_of(v: &Value, names: &[&str]) -> Option<u32> {
    i64_of(v, names).and_then(|i| u32::try_from(i).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_leniently() {
        let v = json!({"a":"x","n":"42","b":1,"f":2.0,"s":" false","o":{},"t":true});
        assert_eq!(str_of(&v, &["a"]).as_deref(), Some("x"));
        assert_eq!(str_of(&v, &["missing", "t"]).as_deref(), Some("true"));
        assert_eq!(i64_of(&v, &["n"]), Some(42));
        assert_eq!(i64_of(&v, &["f"]), Some(2));
        assert_eq!(bool_of(&v, &["b"]), Some(true));
        assert_eq!(bool_of(&v, &["s"]), Some(false));
        assert_eq!(str_of(&v, &["o"]), None);
        assert_eq!(i64_of(&v, &["missing"]), None);
        assert_eq!(u32_of(&json!({"x":-1}), &["x"]), None);
    }
}
