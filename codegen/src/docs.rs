//! `docs/commands.md`: every command and notification with its names in every face, its
//! parameters, reply, evidence mark and an example.

use crate::text::{lines, paragraph, pretty};
use std::fmt::Write;
use tcroom_core::catalogue::{Area, CArg, CommandSpec, Faces, NotificationSpec, COMMANDS, NOTIFICATIONS};
use tcroom_core::record::RecordSpec;
use tcroom_core::RECORDS;

fn anchor(s: &str) -> String {
    s.to_ascii_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-")
}

fn c_signature(c: &CommandSpec) -> String {
    if c.faces == Faces::HandWritten {
        return format!(
            "`{}` (hand-written: see the header)",
            match c.name {
                "create_conference" => "tc_create_conference / tc_create_conference_wait".to_owned(),
                other => format!("tc_client_{other}"),
            }
        );
    }
    let mut args = vec!["client".to_owned()];
    for p in c.params {
        args.push(p.name.to_owned());
        if p.ty.c == CArg::StrList {
            args.push(format!("{}_count", p.name));
        }
    }
    args.push("timeout_ms".into());
    use tcroom_core::catalogue::CReply;
    match c.reply.c {
        CReply::Nothing => {}
        CReply::Int(n) | CReply::Bool(n) | CReply::Float(n) | CReply::Str(n) | CReply::OptStr(n) => {
            args.push(format!("&out_{n}"))
        }
        CReply::Json => args.push("&out_json".into()),
        CReply::Participants => args.push("&out_list".into()),
    }
    format!("`{}({})`", c.c_name(), args.join(", "))
}

fn py_signature(c: &CommandSpec) -> String {
    let mut args: Vec<String> = Vec::new();
    for p in c.params {
        match p.default {
            Some(d) => args.push(format!("{}={}", p.name, py_value(d))),
            None if p.optional() => args.push(format!("{}=None", p.name)),
            None => args.push(p.name.to_owned()),
        }
    }
    format!("`room.{}({})`", c.name, args.join(", "))
}

fn py_value(json: &str) -> String {
    match json {
        "true" => "True".into(),
        "false" => "False".into(),
        "null" => "None".into(),
        "[]" => "()".into(),
        other => other.to_owned(),
    }
}

fn rust_signature(c: &CommandSpec) -> String {
    if c.faces == Faces::HandWritten {
        return format!("`client.{}(&params)` (hand-written)", c.name);
    }
    let args: Vec<&str> = c.params.iter().map(|p| p.name).collect();
    format!("`client.{}({}).await`", c.name, args.join(", "))
}

fn command(out: &mut String, c: &CommandSpec) {
    let _ = writeln!(out, "### `{}`\n", c.name);
    for l in lines(c.doc) {
        let _ = writeln!(out, "{l}");
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "Wire `{}` · evidence **[{}]** · API v{}+ · who: {}\n",
        c.wire,
        c.mark.as_str(),
        c.since_api,
        c.needs.as_str()
    );
    let _ = writeln!(out, "| face | call |\n|---|---|");
    let _ = writeln!(out, "| Rust | {} |", rust_signature(c));
    let _ = writeln!(out, "| C | {} |", c_signature(c));
    let _ = writeln!(out, "| Python | {} (`await` on `AsyncClient`) |\n", py_signature(c));
    if !c.params.is_empty() {
        let _ = writeln!(out, "| parameter | wire key | type | rule | default | what |\n|---|---|---|---|---|---|");
        for p in c.params {
            let _ = writeln!(
                out,
                "| `{}` | `{}` | `{}` | {} | {} | {} |",
                p.name,
                p.wire,
                p.ty.name,
                p.ty.rule,
                p.default.map(|d| format!("`{d}`")).unwrap_or_else(|| if p.optional() {
                    "absent".into()
                } else {
                    "required".into()
                }),
                paragraph(p.doc)
            );
        }
        out.push('\n');
    }
    let record = c.reply.record.map(|r| format!(" ([`{0}`](#record-{1}))", r.name, anchor(r.name))).unwrap_or_default();
    let _ = writeln!(out, "Reply: `{}`{record}: {}.\n", c.reply.name, c.reply.doc);
    let example = pretty(c.example);
    let request = match example.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
        Some("") | None => format!("{{\"method\":\"{}\",\"requestId\":\"1\"}}", c.wire),
        Some(inner) => format!("{{\"method\":\"{}\",\"requestId\":\"1\",{inner}}}", c.wire),
    };
    let _ = writeln!(out, "```json\n{request}\n```\n");
}

fn notification(out: &mut String, n: &NotificationSpec) {
    let _ = writeln!(out, "### `{}`\n", n.wire);
    for l in lines(n.doc) {
        let _ = writeln!(out, "{l}");
    }
    out.push('\n');
    let payload = match (n.payload, n.record) {
        (Some(p), Some(_)) => format!("[`{p}`](#record-{})", anchor(p)),
        (Some(p), None) => format!("`{p}`"),
        (None, _) => "—".into(),
    };
    let origin = if n.synthetic { "synthetic (made by the client)" } else { "from the room" };
    let _ = writeln!(
        out,
        "{origin} · evidence **[{}]** · code {} · Rust `EventKind::{}` · C `TC_EVENT_KIND_{}` · payload {payload}\n",
        n.mark.as_str(),
        n.code,
        n.name,
        n.c_kind()
    );
    let example = pretty(n.example);
    let frame = match example.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
        Some("") | None => format!("{{\"method\":\"event\",\"event\":\"{}\"}}", n.wire),
        Some(inner) => format!("{{\"method\":\"event\",\"event\":\"{}\",{inner}}}", n.wire),
    };
    let _ = writeln!(out, "```json\n{frame}\n```\n");
}

fn record(out: &mut String, r: &RecordSpec) {
    let _ = writeln!(out, "<a id=\"record-{}\"></a>\n### {}\n\n{}\n", anchor(r.name), r.name, paragraph(r.doc));
    let _ = writeln!(out, "| field | wire | Rust | Python | what |\n|---|---|---|---|---|");
    for f in r.fields {
        let keys: Vec<String> = f.keys.iter().map(|k| format!("`{k}`")).collect();
        let _ = writeln!(
            out,
            "| `{}` | {} | `{}` | `{}` | {} |",
            f.name,
            keys.join(", "),
            (f.ty.rust)(),
            (f.ty.python)(),
            paragraph(f.doc)
        );
    }
    out.push('\n');
}

pub fn reference() -> String {
    let mut out = String::new();
    out.push_str("<!-- Generated by tcroom-codegen from the protocol catalogue: do not edit. Change the catalogue, then run `cargo run -p tcroom-codegen`. -->\n\n");
    out.push_str("# tcroom commands and notifications\n\n");
    out.push_str(
        "Every command and notification tcroom types, from its protocol catalogue (`core/src/catalogue/commands.rs`,\n\
         `core/src/event/table.rs`). Each command has the same name in every face: a method of `Client` in Rust\n\
         (and a struct in `tcroom_core::cmd`), a `tc_client_<name>` function in C, a method of `tcroom.Client` and\n\
         `tcroom.AsyncClient` in Python. Evidence marks are those of PROTOCOL.md: **[doc]** documented by the vendor,\n\
         **[seen]** seen in the vendor's own clients, **[guess]** our decision. Commands the catalogue does not have\n\
         still go through `request` (`tc_client_request_json`, `room.request`).\n\n",
    );
    let _ = writeln!(
        out,
        "{} commands, {} notifications, {} records.\n",
        COMMANDS.len(),
        NOTIFICATIONS.len(),
        RECORDS.len()
    );
    let mut areas: Vec<Area> = COMMANDS.iter().map(|c| c.area).collect();
    areas.sort();
    areas.dedup();
    out.push_str("## Commands\n\n");
    for a in &areas {
        let names: Vec<String> =
            COMMANDS.iter().filter(|c| c.area == *a).map(|c| format!("[`{}`](#{})", c.name, anchor(c.name))).collect();
        let _ = writeln!(out, "- {}: {}", a.title(), names.join(", "));
    }
    out.push('\n');
    for a in &areas {
        let _ = writeln!(out, "## {}\n", a.title());
        for c in COMMANDS.iter().filter(|c| c.area == *a) {
            command(&mut out, c);
        }
    }
    out.push_str("## Notifications\n\n");
    out.push_str(
        "Every notification is `{\"method\":\"event\",\"event\":<name>, ...}`. Rust: `Event::kind` (and `Event::id()`);\n\
         C: `tc_event_get_kind` and the `tc_event_get_*` readers; Python: `Event.name`, `Event.payload`.\n\n",
    );
    let mut rows: Vec<&NotificationSpec> = NOTIFICATIONS.iter().collect();
    rows.sort_by_key(|n| (n.area, n.code));
    for n in rows {
        notification(&mut out, n);
    }
    out.push_str("## Records\n\nTyped values read from replies and notifications; each keeps the JSON it came from in `raw`.\n\n");
    for r in RECORDS {
        record(&mut out, r);
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}
