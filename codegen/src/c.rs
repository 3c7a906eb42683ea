//! The C face: `ffi/src/generated/` (Rust `extern "C"` functions that cbindgen turns into
//! `include/tcroom.h`).

use crate::text::{banner, lines, paragraph, wrap};
use std::fmt::Write;
use tcroom_core::catalogue::{CArg, CReply, CommandSpec, Faces, ParamSpec, COMMANDS, NOTIFICATIONS};

const SOURCE: &str = "core/src/catalogue/commands.rs";

pub fn module() -> String {
    let mut s = banner("//", "the protocol catalogue");
    s.push_str(
        "\n//! The functions and enums of the C face that come straight from the protocol catalogue.\n\n\
         pub(crate) mod commands;\npub(crate) mod events;\n",
    );
    s
}

/// The Rust type of a C parameter (the extern signature).
fn c_params(p: &ParamSpec) -> Vec<(String, &'static str)> {
    let n = p.name.to_owned();
    match p.ty.c {
        CArg::Str | CArg::OptStr | CArg::Json => vec![(n, "*const c_char")],
        CArg::Bool => vec![(n, "c_int")],
        CArg::Int => vec![(n, "i64")],
        CArg::UInt | CArg::OptUInt => vec![(n, "u32")],
        CArg::Port => vec![(n, "u16")],
        CArg::Float => vec![(n, "f64")],
        CArg::StrList => vec![(n.clone(), "*const *const c_char"), (format!("{n}_count"), "usize")],
    }
}

/// The expression that turns the C argument(s) into the command struct's field.
fn c_convert(p: &ParamSpec) -> String {
    let n = p.name;
    match p.ty.c {
        CArg::Str => format!("arg::text({n}, \"{n}\")?"),
        CArg::OptStr => format!("arg::opt_text({n}, \"{n}\")?"),
        CArg::Json => format!("arg::json_object({n}, \"{n}\")?"),
        CArg::Bool => format!("arg::flag({n})"),
        CArg::Int | CArg::UInt | CArg::Float => n.to_owned(),
        CArg::OptUInt => format!("arg::opt_count({n})"),
        CArg::Port => {
            let default: u16 = p.default.and_then(|d| d.parse().ok()).unwrap_or(0);
            format!("arg::port({n}, {default})")
        }
        CArg::StrList => format!("arg::text_list({n}, {n}_count, \"{n}\")?"),
    }
}

/// How the C caller passes a parameter, in words (for the header).
fn c_doc(p: &ParamSpec) -> String {
    let how = match p.ty.c {
        CArg::Str if p.ty.name == "Id" => "non-empty UTF-8 text".to_owned(),
        CArg::Str => "UTF-8 text".to_owned(),
        CArg::OptStr => "UTF-8 text, or NULL to leave it out".to_owned(),
        CArg::Json => "a JSON object as text".to_owned(),
        CArg::Bool => "0 false, anything else true".to_owned(),
        CArg::Int | CArg::UInt | CArg::Float => p.ty.rule.to_owned(),
        CArg::OptUInt => format!("{}; 0 to leave it out", p.ty.rule),
        CArg::Port => format!("{}; 0 for {}", p.ty.rule, p.default.unwrap_or("the default")),
        CArg::StrList => format!("{} strings of UTF-8 text (NULL when the count is 0)", p.name) + "_count",
    };
    let default = match (p.ty.c, p.default) {
        (CArg::Port, _) | (_, None) => String::new(),
        (_, Some(d)) => format!("; the room's default is {d}"),
    };
    let what = paragraph(p.doc);
    let what = if what.is_empty() { String::new() } else { format!("{what} ") };
    format!("`{}`: {what}({how}{default}; wire `{}`).", p.name, p.wire)
}

/// The out-parameter of a reply: (name, Rust type, documentation).
fn c_out(c: &CReply) -> Option<(String, &'static str, String)> {
    Some(match c {
        CReply::Nothing => return None,
        CReply::Int(n) => (format!("out_{n}"), "*mut i32", "receives the value".into()),
        CReply::Bool(n) => (format!("out_{n}"), "*mut c_int", "receives 0 or 1".into()),
        CReply::Float(n) => (format!("out_{n}"), "*mut f64", "receives the value".into()),
        CReply::Str(n) => (format!("out_{n}"), "*mut *mut c_char", "receives the text; free it with `tc_string_free`".into()),
        CReply::OptStr(n) => (
            format!("out_{n}"),
            "*mut *mut c_char",
            "may be NULL when not wanted; receives the text or NULL when the room sent none; free it with `tc_string_free`"
                .into(),
        ),
        CReply::Json => (
            "out_json".into(),
            "*mut *mut c_char",
            "receives the room's reply as JSON text; free it with `tc_string_free`".into(),
        ),
        CReply::Participants => (
            "out_list".into(),
            "*mut *mut tc_participant_list",
            "receives the list; free it with `tc_participant_list_free`".into(),
        ),
    })
}

fn struct_name(c: &CommandSpec) -> String {
    c.name.split('_').map(|w| w[..1].to_ascii_uppercase() + &w[1..]).collect()
}

fn doc_comment(out: &mut String, text: &str) {
    for l in text.lines() {
        if l.is_empty() {
            out.push_str("///\n");
        } else {
            let _ = writeln!(out, "/// {l}");
        }
    }
}

fn command(out: &mut String, c: &CommandSpec) {
    let mut doc = String::new();
    for l in lines(c.doc) {
        doc.push_str(&l);
        doc.push('\n');
    }
    doc.push('\n');
    let who = if c.needs.as_str() == "anyone" { String::new() } else { format!("; who: {}", c.needs.as_str()) };
    let reply = paragraph(c.reply.doc);
    let line = format!("Sends `{}` [{}]{who}. The reply: {}.", c.wire, c.mark.as_str(), reply.trim_end_matches('.'));
    for l in wrap(&line, 96) {
        let _ = writeln!(doc, "{l}");
    }
    for p in c.params {
        for (i, l) in wrap(&c_doc(p), 96).into_iter().enumerate() {
            let _ = writeln!(doc, "{}{l}", if i == 0 { "- " } else { "  " });
        }
    }
    let _ = writeln!(doc, "- `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.");
    let outp = c_out(&c.reply.c);
    if let Some((name, _, what)) = &outp {
        for (i, l) in wrap(&format!("`{name}`: {what}."), 96).into_iter().enumerate() {
            let _ = writeln!(doc, "{}{l}", if i == 0 { "- " } else { "  " });
        }
    }
    doc_comment(out, doc.trim_end());
    out.push_str("#[no_mangle]\n");
    let _ = write!(out, "pub extern \"C\" fn {}(\n    client: *const tc_client,\n", c.c_name());
    for p in c.params {
        for (name, ty) in c_params(p) {
            let _ = writeln!(out, "    {name}: {ty},");
        }
    }
    out.push_str("    timeout_ms: u32,\n");
    if let Some((name, ty, _)) = &outp {
        let _ = writeln!(out, "    {name}: {ty},");
    }
    out.push_str(") -> tc_status {\n    ffi_status(|| {\n        let c = client_ref(client)?;\n");
    let o = match (&c.reply.c, &outp) {
        (CReply::OptStr(_), Some((name, _, _))) => format!("let o = out_opt({name});"),
        (_, Some((name, _, _))) => format!("let o = out({name}, \"{name}\")?;"),
        _ => String::new(),
    };
    if !o.is_empty() {
        let _ = writeln!(out, "        {o}");
    }
    let s = struct_name(c);
    if c.params.is_empty() {
        let _ = writeln!(out, "        let cmd = cmd::{s} {{}};");
    } else {
        let _ = writeln!(out, "        let cmd = cmd::{s} {{");
        for p in c.params {
            let value = c_convert(p);
            if value == p.name {
                let _ = writeln!(out, "            {value},");
            } else {
                let _ = writeln!(out, "            {}: {value},", p.name);
            }
        }
        out.push_str("        };\n");
    }
    let call = "send(c, timeout_ms, cmd)";
    match &c.reply.c {
        CReply::Nothing => {
            let _ = writeln!(out, "        {call}.map(drop)");
        }
        kind => {
            let _ = writeln!(out, "        let v = {call}?;");
            let give = match kind {
                CReply::Int(_) => "reply::int32(o, &v)".to_owned(),
                CReply::Bool(_) => "reply::flag(o, v)".to_owned(),
                CReply::Float(_) => "reply::float(o, v)".to_owned(),
                CReply::Str(_) => "reply::text(o, &v)".to_owned(),
                CReply::OptStr(_) => "reply::opt_text(o, v.as_deref())".to_owned(),
                CReply::Json => format!("reply::json::<cmd::{s}>(o, &v)"),
                CReply::Participants => "reply::participants(o, v)".to_owned(),
                CReply::Nothing => String::new(),
            };
            let _ = writeln!(out, "        {give};\n        Ok(())");
        }
    }
    out.push_str("    })\n}\n\n");
}

pub fn commands() -> String {
    let mut out = banner("//", SOURCE);
    out.push_str(
        "\n//! A function per command of the catalogue. Each checks its arguments, builds the core's\n\
         //! command struct, sends it through the client and hands the reply back.\n\n\
         use crate::cast::{out, out_opt};\n\
         use crate::client::tc_client;\n\
         use crate::command::{arg, client_ref, reply, send};\n\
         use crate::panic::ffi_status;\n\
         #[allow(unused_imports)]\n\
         use crate::participant::tc_participant_list;\n\
         use crate::status::tc_status;\n\
         use std::os::raw::{c_char, c_int};\n\
         use tcroom_core::cmd;\n\n",
    );
    for c in COMMANDS.iter().filter(|c| c.faces == Faces::Generated) {
        command(&mut out, c);
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

pub fn events() -> String {
    let mut out = banner("//", "core/src/event/table.rs");
    out.push_str(
        "\n//! The kinds of events, from the notification table: the same numbers as the core's\n\
         //! `EventId`, so a C kind always says what the core made of the event.\n\n\
         use tcroom_core::EventId;\n\n\
         /// What kind of notification an event is (the core's `EventId`). `TC_EVENT_KIND_UNKNOWN`\n\
         /// for notifications this version does not know or could not read; the name and the JSON\n\
         /// are always there. The numbers are stable.\n\
         #[repr(i32)]\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq)]\n\
         pub enum tc_event_kind {\n    \
         /// A notification this version does not know, or one it could not read.\n    Unknown = 0,\n",
    );
    let mut rows: Vec<_> = NOTIFICATIONS.iter().collect();
    rows.sort_by_key(|n| n.code);
    for n in &rows {
        let synthetic = if n.synthetic { "Synthetic (made by the library): " } else { "" };
        let text = format!("`{}`: {synthetic}{}", n.wire, paragraph(n.doc));
        for l in wrap(&text, 92) {
            let _ = writeln!(out, "    /// {l}");
        }
        let _ = writeln!(out, "    {} = {},", n.name, n.code);
    }
    out.push_str(
        "}\n\nimpl tc_event_kind {\n    pub(crate) fn from_id(id: EventId) -> tc_event_kind {\n        match id {\n",
    );
    for n in &rows {
        let _ = writeln!(out, "            EventId::{0} => tc_event_kind::{0},", n.name);
    }
    out.push_str("            _ => tc_event_kind::Unknown,\n        }\n    }\n}\n");
    out
}
