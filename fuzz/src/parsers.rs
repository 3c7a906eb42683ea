//! The pure parsers: notifications, replies and their records, arguments by name, discovery.

use crate::gen::{arb_json, arb_notification, arb_object, deep_text, mutated, protocol_keys, wire_names};
use crate::harness::{corpus, corpus_json, run};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value};
use std::time::Duration;
use tcroom_core::catalogue::{bind, check, validate, COMMANDS, NOTIFICATIONS};
use tcroom_core::discovery::{check_host, parse_config, parse_config_with};
use tcroom_core::{Event, RoomState};

/// Every notification's example, framed as the room sends it.
fn notification_seeds() -> Vec<Value> {
    let mut seeds = corpus_json("event");
    for n in NOTIFICATIONS {
        if let Ok(Value::Object(mut m)) = serde_json::from_str::<Value>(n.example) {
            m.insert("method".into(), "event".into());
            m.insert("event".into(), n.wire.into());
            seeds.push(Value::Object(m));
        }
    }
    seeds
}

/// `Event::from_json` on anything: it never panics and keeps the whole object.
pub fn event(budget: Duration, seed: u64) -> Result<u64, String> {
    let (keys, names) = (protocol_keys(), wire_names());
    let seeds = notification_seeds();
    let strategy = prop_oneof![
        2 => arb_notification(&keys, &names),
        2 => mutated(seeds.clone(), &keys, &names),
        1 => arb_json(&keys, &names),
    ];
    run("event", budget, seed, seeds, strategy, |v| {
        let ev = Event::from_json(v.clone());
        let _ = (ev.id(), ev.payload_json(), ev.size(), ev.conf_id(), ev.peer_id(), format!("{:?}", ev.kind));
        if &ev.raw != v {
            return Err("the event does not keep the object it was read from".into());
        }
        Ok(())
    })
}

/// Every reply decoder of the catalogue (the records' readers among them) on any object.
pub fn reply(budget: Duration, seed: u64) -> Result<u64, String> {
    let (keys, names) = (protocol_keys(), wire_names());
    let mut seeds = corpus_json("reply");
    seeds.extend(COMMANDS.iter().filter_map(|c| serde_json::from_str::<Value>(c.example).ok()));
    let corpus: Vec<(usize, Value)> =
        seeds.iter().flat_map(|s| (0..COMMANDS.len()).map(move |i| (i, s.clone()))).collect();
    let value = prop_oneof![
        2 => arb_object(&keys, &names).prop_map(Value::Object),
        2 => mutated(seeds, &keys, &names),
        1 => arb_json(&keys, &names),
    ];
    let strategy = (0..COMMANDS.len(), value);
    run("reply", budget, seed, corpus, strategy, |(i, v)| {
        let mut reply = v.clone();
        if let Value::Object(m) = &mut reply {
            m.insert("method".into(), COMMANDS[*i].wire.into());
        }
        let _ = (COMMANDS[*i].reply.decode_json)(reply);
        Ok(())
    })
}

/// Arguments by name (`catalogue::bind`, what the Python face and the CLI use): never a panic,
/// and what it accepts passes the same checks the typed path applies.
pub fn bind_args(budget: Duration, seed: u64) -> Result<u64, String> {
    let mut keys = protocol_keys();
    keys.extend(COMMANDS.iter().flat_map(|c| c.params.iter().map(|p| p.name.to_owned())));
    let names = wire_names();
    let seeds: Vec<Value> = corpus_json("bind")
        .into_iter()
        .chain(COMMANDS.iter().filter_map(|c| serde_json::from_str(c.example).ok()))
        .collect();
    let args = prop_oneof![
        2 => arb_object(&keys, &names),
        2 => mutated(seeds, &keys, &names).prop_map(|v| match v {
            Value::Object(m) => m,
            other => [("value".to_owned(), other)].into_iter().collect(),
        }),
    ];
    let strategy = (0..COMMANDS.len(), args);
    let state = RoomState::default();
    run("bind", budget, seed, Vec::new(), strategy, |(i, args): &(usize, Map<String, Value>)| {
        let spec = COMMANDS[*i];
        if let Ok(params) = bind(spec, args.clone()) {
            validate(spec, &params).map_err(|e| format!("{}: bind accepted what validate refuses: {e}", spec.name))?;
            let _ = check(spec, &params, &state);
        }
        let _ = validate(spec, args);
        Ok(())
    })
}

/// A host that passed `check_host` can go in a URL as it is.
fn plain_host(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    if h.parse::<std::net::IpAddr>().is_ok() {
        return true;
    }
    !h.is_empty() && !h.contains(|c: char| "/?#@:\\ \t\r\n%".contains(c) || c.is_control())
}

/// Discovery: `check_host` lets through only plain hosts, and `parse_config_with` never moves
/// the WebSocket to another host unless asked, and only to a plain host.
pub fn config(budget: Duration, seed: u64) -> Result<u64, String> {
    let (keys, names) = (protocol_keys(), wire_names());
    let hosts: Vec<String> = corpus("host").into_iter().map(|(_, t)| t).collect();
    let host = prop_oneof![
        2 => select(hosts.clone()),
        1 => "\\PC{0,30}",
        1 => "[a-z0-9.:\\[\\]/?#@%_-]{0,30}",
    ];
    let seeds = corpus_json("config");
    let hostname = prop_oneof![Just(Value::Null), host.clone().prop_map(Value::String), arb_json(&keys, &names)];
    let port = prop_oneof![(0i64..70000).prop_map(Value::from), arb_json(&keys, &names)];
    let structured = (hostname, port).prop_map(|(h, p)| {
        serde_json::json!({"config": {"websocket": {"hostname": h, "port": p}, "http": {"hostname": null, "port": 8766}}})
    });
    let body = prop_oneof![
        2 => structured,
        2 => mutated(seeds.clone(), &keys, &names),
        1 => arb_json(&keys, &names),
    ];
    let corpus: Vec<(String, Value, bool)> = hosts
        .iter()
        .flat_map(|h| seeds.iter().flat_map(move |s| [(h.clone(), s.clone(), false), (h.clone(), s.clone(), true)]))
        .collect();
    let strategy = (host, body, any::<bool>());
    run("config", budget, seed, corpus, strategy, |(host, body, follow)| {
        let host_ok = check_host(host).is_ok();
        if host_ok && !plain_host(host) {
            return Err(format!("check_host accepts {host:?}, which is not a plain host"));
        }
        let _ = parse_config(host, body);
        if let Ok(e) = parse_config_with(host, body, *follow) {
            if e.ws_port == 0 {
                return Err("port 0 accepted".into());
            }
            if !*follow && e.ws_host != *host {
                return Err(format!("moved to {:?} without follow_other_host", e.ws_host));
            }
            if *follow && e.ws_host != *host && !plain_host(&e.ws_host) {
                return Err(format!("follows config.json to {:?}, which is not a plain host", e.ws_host));
            }
        }
        Ok(())
    })
}

/// Text as it comes off the wire, parsed as the connection parses it (serde_json into a value)
/// and then read as a notification: deep nesting must be an error, not a stack overflow.
pub fn text(budget: Duration, seed: u64) -> Result<u64, String> {
    let seeds: Vec<String> = corpus("frames").into_iter().map(|(_, t)| t).collect();
    let strategy = prop_oneof![2 => crate::gen::text_mutated(seeds.clone()), 1 => deep_text(), 1 => "\\PC{0,64}"];
    run("text", budget, seed, seeds, strategy, |t| {
        if let Ok(v @ Value::Object(_)) = serde_json::from_str::<Value>(t) {
            let _ = Event::from_json(v);
        }
        Ok(())
    })
}
