//! Parameter types of the catalogue. Each names its Rust, C and Python spelling and checks a
//! value in its wire form, so that a bad argument is refused before any round trip, the same way
//! whichever face it came through.

use crate::spec::{ArgSpec, CArg};
use serde_json::Value;

/// A parameter type. `Value` is what a command struct stores, `Arg` what a method takes.
pub trait ArgType {
    /// The owned value a command struct stores (`String`).
    type Value: Clone + std::fmt::Debug + PartialEq + Send + Sync + 'static;
    /// What a `Client` method takes (`&str`).
    type Arg<'a>;
    /// The type's row: names in every face, rule and check.
    const SPEC: ArgSpec;
    /// The stored value of a method's argument.
    fn own(arg: Self::Arg<'_>) -> Self::Value;
    /// The wire value; `None` leaves the key out.
    fn encode(v: &Self::Value) -> Option<Value>;
}

fn expect_str(v: &Value) -> Result<&str, String> {
    v.as_str().ok_or_else(|| format!("expected a string, got {}", kind(v)))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn non_empty(s: &str) -> Result<(), String> {
    if s.trim().is_empty() {
        Err("must not be empty".into())
    } else {
        Ok(())
    }
}

fn int_in(v: &Value, min: i64, max: i64) -> Result<i64, String> {
    let n = match v {
        Value::Number(n) => n.as_i64().ok_or_else(|| format!("expected an integer, got {n}"))?,
        other => return Err(format!("expected an integer, got {}", kind(other))),
    };
    if n < min || n > max {
        return Err(format!("must be within {min}..={max}, got {n}"));
    }
    Ok(n)
}

/// An id: PeerId, CallId, InstanceId, slot id, server or login name. Non-empty.
pub struct Id;
impl ArgType for Id {
    type Value = String;
    type Arg<'a> = &'a str;
    const SPEC: ArgSpec = ArgSpec {
        name: "Id",
        rust: "&str",
        python: "str",
        c: CArg::Str,
        rule: "a non-empty string",
        optional: false,
        check: |v| non_empty(expect_str(v)?),
    };
    fn own(a: &str) -> String {
        a.to_owned()
    }
    fn encode(v: &String) -> Option<Value> {
        Some(Value::String(v.clone()))
    }
}

/// Any text (a message, a password). May be empty.
pub struct Text;
impl ArgType for Text {
    type Value = String;
    type Arg<'a> = &'a str;
    const SPEC: ArgSpec = ArgSpec {
        name: "Text",
        rust: "&str",
        python: "str",
        c: CArg::Str,
        rule: "a string",
        optional: false,
        check: |v| expect_str(v).map(drop),
    };
    fn own(a: &str) -> String {
        a.to_owned()
    }
    fn encode(v: &String) -> Option<Value> {
        Some(Value::String(v.clone()))
    }
}

/// Optional text: left out of the request when absent.
pub struct OptText;
impl ArgType for OptText {
    type Value = Option<String>;
    type Arg<'a> = Option<&'a str>;
    const SPEC: ArgSpec = ArgSpec {
        name: "OptText",
        rust: "Option<&str>",
        python: "Optional[str]",
        c: CArg::OptStr,
        rule: "a string, or absent",
        optional: true,
        check: |v| expect_str(v).map(drop),
    };
    fn own(a: Option<&str>) -> Option<String> {
        a.map(str::to_owned)
    }
    fn encode(v: &Option<String>) -> Option<Value> {
        v.clone().map(Value::String)
    }
}

/// A boolean.
pub struct Flag;
impl ArgType for Flag {
    type Value = bool;
    type Arg<'a> = bool;
    const SPEC: ArgSpec = ArgSpec {
        name: "Flag",
        rust: "bool",
        python: "bool",
        c: CArg::Bool,
        rule: "a boolean",
        optional: false,
        check: |v| if v.is_boolean() { Ok(()) } else { Err(format!("expected a boolean, got {}", kind(v))) },
    };
    fn own(a: bool) -> bool {
        a
    }
    fn encode(v: &bool) -> Option<Value> {
        Some(Value::Bool(*v))
    }
}

/// Any integer (a PTZ position, a capture id).
pub struct Int;
impl ArgType for Int {
    type Value = i64;
    type Arg<'a> = i64;
    const SPEC: ArgSpec = ArgSpec {
        name: "Int",
        rust: "i64",
        python: "int",
        c: CArg::Int,
        rule: "an integer",
        optional: false,
        check: |v| int_in(v, i64::MIN, i64::MAX).map(drop),
    };
    fn own(a: i64) -> i64 {
        a
    }
    fn encode(v: &i64) -> Option<Value> {
        Some(Value::from(*v))
    }
}

/// A non-negative integer (a monitor index, a layout or window state number).
pub struct Index;
impl ArgType for Index {
    type Value = u32;
    type Arg<'a> = u32;
    const SPEC: ArgSpec = ArgSpec {
        name: "Index",
        rust: "u32",
        python: "int",
        c: CArg::UInt,
        rule: "an integer, 0 or more",
        optional: false,
        check: |v| int_in(v, 0, i64::from(u32::MAX)).map(drop),
    };
    fn own(a: u32) -> u32 {
        a
    }
    fn encode(v: &u32) -> Option<Value> {
        Some(Value::from(*v))
    }
}

/// A count, 1 or more.
pub struct Count;
impl ArgType for Count {
    type Value = u32;
    type Arg<'a> = u32;
    const SPEC: ArgSpec = ArgSpec {
        name: "Count",
        rust: "u32",
        python: "int",
        c: CArg::UInt,
        rule: "an integer, 1 or more",
        optional: false,
        check: |v| int_in(v, 1, i64::from(u32::MAX)).map(drop),
    };
    fn own(a: u32) -> u32 {
        a
    }
    fn encode(v: &u32) -> Option<Value> {
        Some(Value::from(*v))
    }
}

/// An optional count, 1 or more (C: 0 for absent).
pub struct OptCount;
impl ArgType for OptCount {
    type Value = Option<u32>;
    type Arg<'a> = Option<u32>;
    const SPEC: ArgSpec = ArgSpec {
        name: "OptCount",
        rust: "Option<u32>",
        python: "Optional[int]",
        c: CArg::OptUInt,
        rule: "an integer, 1 or more, or absent",
        optional: true,
        check: |v| int_in(v, 1, i64::from(u32::MAX)).map(drop),
    };
    fn own(a: Option<u32>) -> Option<u32> {
        a
    }
    fn encode(v: &Option<u32>) -> Option<Value> {
        v.map(Value::from)
    }
}

/// A TCP port, 1..=65535 (C: 0 for the default).
pub struct Port;
impl ArgType for Port {
    type Value = u16;
    type Arg<'a> = u16;
    const SPEC: ArgSpec = ArgSpec {
        name: "Port",
        rust: "u16",
        python: "int",
        c: CArg::Port,
        rule: "a port, 1..=65535",
        optional: false,
        check: |v| int_in(v, 1, 65535).map(drop),
    };
    fn own(a: u16) -> u16 {
        a
    }
    fn encode(v: &u16) -> Option<Value> {
        Some(Value::from(*v))
    }
}

/// A level from 0.0 to 1.0 (the speaker volume).
pub struct Level;
impl ArgType for Level {
    type Value = f64;
    type Arg<'a> = f64;
    const SPEC: ArgSpec = ArgSpec {
        name: "Level",
        rust: "f64",
        python: "float",
        c: CArg::Float,
        rule: "a number from 0.0 to 1.0",
        optional: false,
        check: |v| match v.as_f64() {
            Some(f) if (0.0..=1.0).contains(&f) => Ok(()),
            Some(f) => Err(format!("must be within 0.0..=1.0, got {f}")),
            None => Err(format!("expected a number, got {}", kind(v))),
        },
    };
    fn own(a: f64) -> f64 {
        a
    }
    fn encode(v: &f64) -> Option<Value> {
        // NaN and infinities have no JSON form; the check then reports them.
        Some(serde_json::Number::from_f64(*v).map_or(Value::Null, Value::Number))
    }
}

/// A list of ids, each non-empty (may be empty itself).
pub struct IdList;
impl ArgType for IdList {
    type Value = Vec<String>;
    type Arg<'a> = &'a [&'a str];
    const SPEC: ArgSpec = ArgSpec {
        name: "IdList",
        rust: "&[&str]",
        python: "list[str]",
        c: CArg::StrList,
        rule: "a list of non-empty strings",
        optional: false,
        check: |v| match v {
            Value::Array(items) => items.iter().enumerate().try_for_each(|(i, item)| {
                expect_str(item).and_then(non_empty).map_err(|e| format!("item #{}: {e}", i + 1))
            }),
            other => Err(format!("expected a list of strings, got {}", kind(other))),
        },
    };
    fn own(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_owned()).collect()
    }
    fn encode(v: &Vec<String>) -> Option<Value> {
        Some(Value::Array(v.iter().cloned().map(Value::String).collect()))
    }
}

/// A JSON object (the settings of `setSettings`).
pub struct Object;
impl ArgType for Object {
    type Value = Value;
    type Arg<'a> = &'a Value;
    const SPEC: ArgSpec = ArgSpec {
        name: "Object",
        rust: "&serde_json::Value",
        python: "dict[str, Any]",
        c: CArg::Json,
        rule: "a JSON object",
        optional: false,
        check: |v| if v.is_object() { Ok(()) } else { Err(format!("expected an object, got {}", kind(v))) },
    };
    fn own(a: &Value) -> Value {
        a.clone()
    }
    fn encode(v: &Value) -> Option<Value> {
        Some(v.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn checks_say_what_is_wrong() {
        assert_eq!((Id::SPEC.check)(&json!(" ")).unwrap_err(), "must not be empty");
        assert_eq!((Id::SPEC.check)(&json!(1)).unwrap_err(), "expected a string, got an integer");
        assert!((Text::SPEC.check)(&json!("")).is_ok());
        assert!((Flag::SPEC.check)(&json!(1)).is_err());
        assert_eq!((Index::SPEC.check)(&json!(-1)).unwrap_err(), "must be within 0..=4294967295, got -1");
        assert!((Index::SPEC.check)(&json!(1.5)).is_err());
        assert!((Port::SPEC.check)(&json!(0)).is_err());
        assert!((Level::SPEC.check)(&json!(1.5)).is_err());
        assert!((Level::SPEC.check)(&json!(0.55)).is_ok());
        assert!((Level::SPEC.check)(&Level::encode(&f64::NAN).unwrap()).is_err());
        assert_eq!((IdList::SPEC.check)(&json!(["a", ""])).unwrap_err(), "item #2: must not be empty");
        assert!((Object::SPEC.check)(&json!([])).is_err());
    }
}
