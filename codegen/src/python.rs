//! The Python face: `python/tcroom/_commands.py` (every command, blocking and awaited, from
//! one template) and `python/tcroom/_models.py` (a dataclass per record).

use crate::text::{banner, lines, paragraph, wrap};
use std::collections::BTreeSet;
use std::fmt::Write;
use tcroom_core::catalogue::{CArg, CommandSpec, Faces, ParamSpec, COMMANDS, NOTIFICATIONS};
use tcroom_core::record::RecordSpec;
use tcroom_core::RECORDS;

/// Reply types the hand-written `_types.py` defines (everything else is in `_models.py`).
const HAND_WRITTEN_TYPES: &[&str] =
    &["AppStateInfo", "TariffRestrictions", "SystemInfo", "ConferenceSummary", "Participant"];

/// A JSON default as a Python literal.
fn py_literal(json: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::Bool(true)) => "True".into(),
        Ok(serde_json::Value::Bool(false)) => "False".into(),
        Ok(serde_json::Value::Null) => "None".into(),
        Ok(serde_json::Value::Array(a)) if a.is_empty() => "()".into(),
        Ok(serde_json::Value::String(s)) => format!("{s:?}"),
        Ok(other) => other.to_string(),
        Err(_) => json.to_owned(),
    }
}

/// The annotation of a parameter (lists take any sequence of strings).
fn py_param_type(p: &ParamSpec) -> String {
    match p.ty.c {
        CArg::StrList => "Union[str, Sequence[str]]".into(),
        CArg::Json => "Mapping[str, Any]".into(),
        _ => p.ty.python.to_owned(),
    }
}

fn py_arg_value(p: &ParamSpec) -> String {
    match p.ty.c {
        CArg::StrList => format!("id_list({})", p.name),
        CArg::Json => format!("dict({})", p.name),
        _ => p.name.to_owned(),
    }
}

/// The signature's parameters: required ones first, positional; a parameter with a default is
/// keyword-only unless it is the command's only one.
fn signature(c: &CommandSpec) -> String {
    let mut parts = vec!["self".to_owned()];
    let mut star = false;
    let only = c.params.len() == 1;
    for p in c.params {
        let default = p.default.map(py_literal).or_else(|| p.optional().then(|| "None".to_owned()));
        match default {
            None => parts.push(format!("{}: {}", p.name, py_param_type(p))),
            Some(d) => {
                if !only && !star {
                    parts.push("*".into());
                    star = true;
                }
                parts.push(format!("{}: {} = {d}", p.name, py_param_type(p)));
            }
        }
    }
    if !star {
        parts.push("*".into());
    }
    parts.push("timeout: Optional[float] = None".into());
    parts.join(", ")
}

fn docstring(c: &CommandSpec, indent: &str) -> String {
    let mut text: Vec<String> = lines(c.doc);
    text.push(String::new());
    let who = if c.needs.as_str() == "anyone" { String::new() } else { format!("; who: {}", c.needs.as_str()) };
    let reply = paragraph(c.reply.doc);
    let line = format!("Sends ``{}`` [{}]{who}. Returns {}.", c.wire, c.mark.as_str(), reply.trim_end_matches('.'));
    text.extend(wrap(&line, 92));
    if !c.params.is_empty() {
        text.push(String::new());
        for p in c.params {
            let what = paragraph(p.doc);
            let what = if what.is_empty() { String::new() } else { format!("{what} ") };
            let line = format!("``{}``: {what}({}; wire ``{}``)", p.name, p.ty.rule, p.wire);
            for (i, l) in wrap(&line, 92).into_iter().enumerate() {
                text.push(if i == 0 { l } else { format!("    {l}") });
            }
        }
    }
    text.push("``timeout``: seconds to wait for the reply (default: the client's).".into());
    let mut out = format!("{indent}\"\"\"");
    for (i, l) in text.iter().enumerate() {
        if i > 0 {
            out.push('\n');
            if !l.is_empty() {
                out.push_str(indent);
            }
        }
        out.push_str(&l.replace('\\', "\\\\").replace("\"\"\"", "\\\"\\\"\\\""));
    }
    out.push_str("\"\"\"\n");
    out
}

/// The body's return statement for a reply; `value` is the expression of the native result.
fn returned(c: &CommandSpec, value: &str) -> String {
    let r = &c.reply;
    match r.python_conv {
        "" if r.python == "None" => value.to_owned(),
        "" => format!("return cast({:?}, {value})", r.python),
        "._from" => format!("return {}._from({value})", r.python),
        f => format!("return {f}({value})"),
    }
}

fn method(out: &mut String, c: &CommandSpec, asynchronous: bool) {
    let (def, wait) = if asynchronous { ("async def", "await ") } else { ("def", "") };
    let _ = writeln!(out, "    {def} {}({}) -> {}:", c.name, signature(c), c.reply.python);
    out.push_str(&docstring(c, "        "));
    let args: Vec<String> = c.params.iter().map(|p| format!("{:?}: {}", p.name, py_arg_value(p))).collect();
    let call = format!("{wait}self._command({:?}, {{{}}}, timeout)", c.name, args.join(", "));
    let _ = writeln!(out, "        {}\n", returned(c, &call));
}

pub fn commands() -> String {
    let generated: Vec<&CommandSpec> = COMMANDS.iter().copied().filter(|c| c.faces == Faces::Generated).collect();
    let mut models: BTreeSet<&str> = BTreeSet::new();
    let mut types: BTreeSet<&str> = BTreeSet::new();
    let mut convs: BTreeSet<&str> = BTreeSet::new();
    for c in &generated {
        let r = &c.reply;
        if r.python_conv == "._from" {
            if HAND_WRITTEN_TYPES.contains(&r.python) {
                types.insert(r.python);
            } else {
                models.insert(r.python);
            }
        } else if r.python_conv.ends_with("._from") {
            types.insert(r.python_conv.trim_end_matches("._from"));
        } else if !r.python_conv.is_empty() && r.python_conv != "float" {
            convs.insert(r.python_conv);
        }
        for t in HAND_WRITTEN_TYPES {
            if r.python.contains(t) {
                types.insert(t);
            }
        }
    }
    let mut out = format!("{}\n", banner("#", "core/src/catalogue/commands.rs"));
    out.push_str(
        "\"\"\"Every command of the protocol catalogue, as methods of :class:`tcroom.Client` (blocking,\n\
         :class:`SyncCommands`) and :class:`tcroom.AsyncClient` (awaited, :class:`AsyncCommands`), made\n\
         from one template: the two cannot differ but in ``await``. Arguments are checked by the core\n\
         before anything is sent (:class:`tcroom.InvalidArgumentError`).\"\"\"\n\n\
         from __future__ import annotations\n\n\
         from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence, Union, cast\n\n\
         from ._common import id_list\n",
    );
    if !models.is_empty() {
        let _ = writeln!(out, "from ._models import {}", models.iter().copied().collect::<Vec<_>>().join(", "));
    }
    let mut from_types: Vec<&str> = types.iter().copied().chain(convs.iter().copied()).collect();
    from_types.sort_unstable();
    if !from_types.is_empty() {
        let _ = writeln!(out, "from ._types import {}", from_types.join(", "));
    }
    out.push_str("\n__all__ = [\"SyncCommands\", \"AsyncCommands\"]\n\n\n");
    for asynchronous in [false, true] {
        let (name, what) = if asynchronous {
            ("AsyncCommands", "awaited; ``_command`` returns an awaitable")
        } else {
            ("SyncCommands", "blocking; ``_command`` waits with the GIL released")
        };
        let _ = writeln!(out, "class {name}:");
        let _ = writeln!(out, "    \"\"\"The commands of the catalogue, {what}.\"\"\"\n");
        out.push_str("    if TYPE_CHECKING:\n\n");
        let def = if asynchronous { "async def" } else { "def" };
        let _ = writeln!(
            out,
            "        {def} _command(self, name: str, args: dict[str, Any], timeout: Optional[float]) -> Any: ...\n"
        );
        for c in &generated {
            method(&mut out, c, asynchronous);
        }
        out.truncate(out.trim_end().len());
        out.push_str("\n\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn record_class(out: &mut String, r: &RecordSpec) {
    let _ = writeln!(out, "@dataclass(frozen=True)\nclass {}:", r.name);
    let doc = paragraph(r.doc);
    let doc = if doc.is_empty() { r.name.to_owned() } else { doc };
    let wrapped = wrap(&doc, 92);
    let _ = write!(out, "    \"\"\"{}", wrapped.join("\n    "));
    out.push_str("\"\"\"\n\n");
    for f in r.fields {
        let _ = writeln!(out, "    {}: {}", f.name, (f.ty.python)());
        let mut text = paragraph(f.doc);
        let keys: Vec<String> = f.keys.iter().map(|k| format!("``{k}``")).collect();
        let from = format!("(wire {})", keys.join(" or "));
        text = if text.is_empty() { from } else { format!("{text} {from}") };
        let _ = writeln!(out, "    \"\"\"{}\"\"\"", wrap(&text, 88).join("\n    "));
    }
    out.push_str("    raw: dict[str, Any] = field(repr=False, compare=False)\n");
    out.push_str("    \"\"\"The JSON object it was read from, unknown fields included.\"\"\"\n\n");
    let _ = writeln!(out, "    @classmethod\n    def _from(cls, d: Mapping[str, Any]) -> {}:", r.name);
    out.push_str("        return cls(\n");
    for f in r.fields {
        let _ = writeln!(out, "            {}={},", f.name, (f.ty.python_from)(&format!("d[{:?}]", f.name)));
    }
    out.push_str("            raw=_raw(d),\n        )\n\n\n");
}

pub fn models() -> String {
    let mut out = format!("{}\n", banner("#", "the records of core/src/model/"));
    out.push_str(
        "\"\"\"Values read from the room: a frozen dataclass per record of the protocol. Each keeps the\n\
         JSON object it came from in ``raw``, unknown fields included.\"\"\"\n\n\
         from __future__ import annotations\n\n\
         from dataclasses import dataclass, field\n\
         from typing import Any, Callable, Mapping, Optional, TypeVar\n\n\
         _T = TypeVar(\"_T\")\n\n\n\
         def _opt(f: Callable[[Any], _T], v: Any) -> Optional[_T]:\n    return None if v is None else f(v)\n\n\n\
         def _list(f: Callable[[Any], _T], v: Any) -> list[_T]:\n    return [f(i) for i in v] if isinstance(v, list) else []\n\n\n\
         def _raw(d: Mapping[str, Any]) -> dict[str, Any]:\n    raw = d.get(\"raw\")\n    return raw if isinstance(raw, dict) else {}\n\n\n",
    );
    let names: Vec<&str> = RECORDS.iter().map(|r| r.name).collect();
    let _ = writeln!(
        out,
        "__all__ = [\n{}    \"EVENT_PAYLOADS\",\n]\n\n",
        names.iter().map(|n| format!("    {n:?},\n")).collect::<String>()
    );
    for r in RECORDS {
        record_class(&mut out, r);
    }
    out.push_str("EVENT_PAYLOADS: dict[str, Callable[[Mapping[str, Any]], Any]] = {\n");
    for n in NOTIFICATIONS.iter() {
        if let (Some(_), Some(payload)) = (n.record, n.payload) {
            let _ = writeln!(out, "    {:?}: {payload}._from,", n.wire);
        }
    }
    out.push_str(
        "}\n\"\"\"The record each notification's payload is read into, by wire name (``Event.payload``).\"\"\"\n",
    );
    out
}
