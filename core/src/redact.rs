//! Frames as they may appear in logs: credentials and tokens replaced.

use serde_json::Value;
use std::fmt;

/// Keys whose values are secrets wherever they appear, at any depth.
const SECRET_KEYS: &[&str] = &["credentials", "token", "tokenForHttpServer", "pin", "password", "newPin", "oldPin"];

/// Displays `v` with every secret value replaced by `"<redacted>"`.
pub fn redacted(v: &Value) -> Redacted<'_> {
    Redacted(v)
}

pub struct Redacted<'a>(&'a Value);

impl fmt::Display for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut copy = self.0.clone();
        scrub(&mut copy);
        write!(f, "{copy}")
    }
}

/// `v` with every secret value (PIN, credentials, tokens) replaced by `"<redacted>"`, at any
/// depth: what a program may print or log of a frame.
pub fn redact_value(mut v: Value) -> Value {
    scrub(&mut v);
    v
}

fn scrub(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, val) in m.iter_mut() {
                if SECRET_KEYS.iter().any(|s| s.eq_ignore_ascii_case(k)) {
                    *val = Value::String("<redacted>".into());
                } else {
                    scrub(val);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(scrub),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hides_secrets_at_any_depth() {
        let v = json!({"method":"auth","credentials":"1234","inner":[{"token":"abc"}],"title":"t"});
        let s = redacted(&v).to_string();
        assert!(!s.contains("1234") && !s.contains("abc"), "{s}");
        assert!(s.contains("\"title\":\"t\""));
    }
}
