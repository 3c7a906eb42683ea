//! Input generators: arbitrary JSON biased towards the protocol's own field names, structured
//! notifications, and mutations of corpus seeds (as values and as text).

use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Number, Value};
use std::collections::BTreeSet;
use tcroom_core::catalogue::{COMMANDS, NOTIFICATIONS};

/// Every field name the protocol uses: from the catalogue's examples and parameters, the records'
/// fields, and the envelope.
pub fn protocol_keys() -> Vec<String> {
    let mut keys: BTreeSet<String> = [
        "method",
        "requestId",
        "result",
        "error",
        "event",
        "resultCode",
        "token",
        "tokenForHttpServer",
        "config",
        "websocket",
        "http",
        "hostname",
        "port",
        "participants",
        "reason",
        "count",
        "cause",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    for n in NOTIFICATIONS {
        if let Ok(v) = serde_json::from_str::<Value>(n.example) {
            walk_keys(&v, &mut keys);
        }
        if let Some(r) = &n.record {
            for f in r.fields {
                keys.extend(f.keys.iter().map(|k| (*k).to_owned()));
            }
        }
    }
    for c in COMMANDS {
        if let Ok(v) = serde_json::from_str::<Value>(c.example) {
            walk_keys(&v, &mut keys);
        }
        for p in c.params {
            keys.insert(p.name.to_owned());
            keys.extend(p.wire.split('.').map(str::to_owned));
        }
        if let Some(r) = &c.reply.record {
            for f in r.fields {
                keys.extend(f.keys.iter().map(|k| (*k).to_owned()));
            }
        }
    }
    keys.into_iter().collect()
}

fn walk_keys(v: &Value, keys: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                keys.insert(k.clone());
                walk_keys(v, keys);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| walk_keys(v, keys)),
        _ => {}
    }
}

/// Wire names of every notification, and of every command.
pub fn wire_names() -> Vec<String> {
    NOTIFICATIONS.iter().map(|n| n.wire.to_owned()).chain(COMMANDS.iter().map(|c| c.wire.to_owned())).collect()
}

fn arb_key(keys: &[String]) -> BoxedStrategy<String> {
    prop_oneof![
        6 => select(keys.to_vec()),
        1 => "[a-zA-Z_]{0,12}",
        1 => "\\PC{0,8}",
    ]
    .boxed()
}

/// Strings that make parsers think: numbers in text, ids, empty, control characters, long.
fn arb_string(names: &[String]) -> BoxedStrategy<String> {
    prop_oneof![
        3 => "\\PC{0,24}",
        2 => select(names.to_vec()),
        1 => select(vec![
            String::new(), "0".into(), "-1".into(), "3".into(), "1e309".into(), "18446744073709551616".into(),
            "user1@some.server/abcd1234".into(), "#self:0".into(), "\u{0}".into(), "\u{feff}".into(),
            "127.0.0.1/evil?x=".into(), "null".into(), "true".into(),
        ]),
        1 => (1usize..5000).prop_map(|n| "x".repeat(n)),
    ]
    .boxed()
}

fn arb_number() -> BoxedStrategy<Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-10i64..10).prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", Number::from_f64).prop_map(Value::Number),
        select(vec![1e30, -1e30, 0.5, -0.0, 9.2e18, 1.8e19, f64::MAX, f64::MIN_POSITIVE])
            .prop_filter_map("finite", Number::from_f64)
            .prop_map(Value::Number),
    ]
    .boxed()
}

fn arb_leaf(names: &[String]) -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        arb_number(),
        arb_string(names).prop_map(Value::String),
    ]
    .boxed()
}

/// Any JSON value, up to a few levels deep, with the protocol's field names as keys mostly.
pub fn arb_json(keys: &[String], names: &[String]) -> BoxedStrategy<Value> {
    let keys = keys.to_vec();
    arb_leaf(names)
        .prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::vec((arb_key(&keys), inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
        .boxed()
}

/// A JSON object (the shape every frame and parameter set has).
pub fn arb_object(keys: &[String], names: &[String]) -> BoxedStrategy<Map<String, Value>> {
    proptest::collection::vec((arb_key(keys), arb_json(keys, names)), 0..10)
        .prop_map(|kv| kv.into_iter().collect())
        .boxed()
}

/// A notification as the room would frame it: a known (or any) event name and fields.
pub fn arb_notification(keys: &[String], names: &[String]) -> BoxedStrategy<Value> {
    (prop_oneof![4 => select(names.to_vec()), 1 => "\\PC{0,12}"], arb_object(keys, names))
        .prop_map(|(name, mut fields)| {
            fields.insert("method".into(), Value::String("event".into()));
            fields.insert("event".into(), Value::String(name));
            Value::Object(fields)
        })
        .boxed()
}

/// One edit of a value: which node (by pre-order index), what to do, and a value to use.
type Edit = (u32, u8, Value);

/// `seeds` with a few random edits each (a node replaced, a key removed or added, a node
/// wrapped in an array or turned into its text).
pub fn mutated(seeds: Vec<Value>, keys: &[String], names: &[String]) -> BoxedStrategy<Value> {
    let keys_for_edit = keys.to_vec();
    (select(seeds), proptest::collection::vec((any::<u32>(), 0u8..5, arb_json(keys, names)), 0..4), any::<u32>())
        .prop_map(move |(mut v, edits, k)| {
            for e in edits {
                apply_edit(&mut v, e, &keys_for_edit[k as usize % keys_for_edit.len()]);
            }
            v
        })
        .boxed()
}

fn count_nodes(v: &Value) -> u32 {
    1 + match v {
        Value::Array(a) => a.iter().map(count_nodes).sum(),
        Value::Object(m) => m.values().map(count_nodes).sum(),
        _ => 0,
    }
}

fn nth_node<'a>(v: &'a mut Value, n: &mut u32) -> Option<&'a mut Value> {
    if *n == 0 {
        return Some(v);
    }
    *n -= 1;
    match v {
        Value::Array(a) => a.iter_mut().find_map(|c| nth_node(c, n)),
        Value::Object(m) => m.values_mut().find_map(|c| nth_node(c, n)),
        _ => None,
    }
}

fn apply_edit(root: &mut Value, (at, kind, with): Edit, key: &str) {
    let mut n = at % count_nodes(root);
    let Some(node) = nth_node(root, &mut n) else { return };
    match kind {
        0 => *node = with,
        1 => {
            if let Value::Object(m) = node {
                if let Some(k) = m.keys().nth(at as usize % m.len().max(1)).cloned() {
                    m.remove(&k);
                }
            }
        }
        2 => {
            if let Value::Object(m) = node {
                m.insert(key.to_owned(), with);
            } else {
                *node = with;
            }
        }
        3 => *node = Value::Array(vec![node.take()]),
        _ => *node = Value::String(node.to_string()),
    }
}

/// `seeds` (text) with a few byte-level edits: cut, insert, delete, repeat.
pub fn text_mutated(seeds: Vec<String>) -> BoxedStrategy<String> {
    (select(seeds), proptest::collection::vec((any::<u32>(), 0u8..4, "\\PC{0,6}"), 0..4))
        .prop_map(|(mut s, edits)| {
            for (at, kind, piece) in edits {
                let cut = floor_char(&s, at as usize % (s.len() + 1));
                match kind {
                    0 => s.truncate(cut),
                    1 => s.insert_str(cut, &piece),
                    2 => {
                        let end = floor_char(&s, (cut + piece.len() + 1).min(s.len()));
                        s.replace_range(cut..end, "");
                    }
                    _ => {
                        let tail = s[cut..].to_owned();
                        s.push_str(&tail);
                    }
                }
            }
            s
        })
        .boxed()
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Text nested far deeper than any parser should recurse: `[[[[…` and `{"a":{"a":…`.
pub fn deep_text() -> BoxedStrategy<String> {
    (1usize..100_000, select(vec!["[", "{\"a\":", "[{\"x\":"]), any::<bool>())
        .prop_map(|(n, open, close)| {
            let mut s = open.repeat(n);
            if close {
                s.push('1');
                let closer = if open == "[" {
                    "]"
                } else if open == "{\"a\":" {
                    "}"
                } else {
                    "}]"
                };
                s.push_str(&closer.repeat(n));
            }
            s
        })
        .boxed()
}
