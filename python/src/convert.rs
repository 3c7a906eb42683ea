//! JSON values to Python objects and back (dict, list, str, int, float, bool, None).

use crate::errors::invalid;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

pub fn json_to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(a) => {
            let items = a.iter().map(|x| json_to_py(py, x)).collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_any()
        }
        Value::Object(m) => {
            let d = PyDict::new(py);
            for (k, x) in m {
                d.set_item(k, json_to_py(py, x)?)?;
            }
            d.into_any()
        }
    })
}

/// Serializable core values (`Conference`, `State`, ...) as Python dicts.
pub fn to_py<'py, T: serde::Serialize>(py: Python<'py>, v: &T) -> PyResult<Bound<'py, PyAny>> {
    let value = serde_json::to_value(v).map_err(|e| invalid(py, &format!("cannot convert a value: {e}")))?;
    json_to_py(py, &value)
}

/// How deep a value sent as JSON may nest. Deeper is almost certainly a value that contains
/// itself (`d["self"] = d`), which would otherwise recurse until the stack overflows.
pub const MAX_DEPTH: usize = 128;

fn to_json_at(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    let py = obj.py();
    if depth > MAX_DEPTH {
        return Err(invalid(py, &format!("the value nests deeper than {MAX_DEPTH} levels (does it contain itself?)")));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    // bool before int: True is an int in Python.
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return Err(invalid(py, "integer out of the range JSON numbers can carry"));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let x = f.value();
        return Number::from_f64(x)
            .map(Value::Number)
            .ok_or_else(|| invalid(py, &format!("{x} cannot be sent as JSON")));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(text(s)?));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        return dict_at(d, depth + 1).map(Value::Object);
    }
    if let Ok(l) = obj.cast::<PyList>() {
        return l.iter().map(|x| to_json_at(&x, depth + 1)).collect::<PyResult<Vec<_>>>().map(Value::Array);
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        return t.iter().map(|x| to_json_at(&x, depth + 1)).collect::<PyResult<Vec<_>>>().map(Value::Array);
    }
    let type_name = obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into());
    Err(invalid(py, &format!("a value of type {type_name} cannot be sent as JSON")))
}

/// A Python string as UTF-8; one that cannot be (a lone surrogate such as `"\ud800"`) is an
/// invalid argument like any other value JSON cannot carry.
fn text(s: &Bound<'_, PyString>) -> PyResult<String> {
    s.to_cow()
        .map(|c| c.into_owned())
        .map_err(|_| invalid(s.py(), "the text is not valid Unicode (a lone surrogate?) and cannot be sent as JSON"))
}

pub fn dict_to_json(d: &Bound<'_, PyDict>) -> PyResult<Map<String, Value>> {
    dict_at(d, 0)
}

fn dict_at(d: &Bound<'_, PyDict>, depth: usize) -> PyResult<Map<String, Value>> {
    if depth > MAX_DEPTH {
        return Err(invalid(
            d.py(),
            &format!("the value nests deeper than {MAX_DEPTH} levels (does it contain itself?)"),
        ));
    }
    let mut m = Map::new();
    for (k, v) in d.iter() {
        let key = k
            .cast::<PyString>()
            .map_err(|_| invalid(d.py(), "JSON object keys must be strings"))
            .and_then(|k| text(k))?;
        m.insert(key, to_json_at(&v, depth + 1)?);
    }
    Ok(m)
}

/// A time-out in seconds from Python; `None` means `default`.
pub fn seconds(py: Python<'_>, secs: Option<f64>, default: std::time::Duration) -> PyResult<std::time::Duration> {
    match secs {
        None => Ok(default),
        Some(s) => std::time::Duration::try_from_secs_f64(s)
            .map_err(|_| invalid(py, &format!("a time-out must be a finite number of seconds >= 0, not {s}"))),
    }
}
