//! `tcroom command NAME [--param VALUE ...]`: every command of the protocol catalogue, its
//! subcommand, typed flags and help built at run time from `tcroom_core::catalogue::COMMANDS`,
//! so that a row added to the catalogue is reachable here with nothing written by hand.

use crate::exit::{Failure, Outcome, USAGE};
use crate::output::{pretty, redact, without_raw};
use crate::target::Target;
use clap::builder::ValueParser;
use clap::{Arg, ArgAction, ArgMatches, Args, FromArgMatches};
use serde_json::{Map, Value};
use tcroom_core::catalogue::{self, CArg, CommandSpec, Faces, ParamSpec, COMMANDS};

/// The subcommand's name.
pub const NAME: &str = "command";

/// Flags every leaf has already (the room's, and ours): a parameter of the same name is renamed.
const TAKEN: [&str; 10] =
    ["host", "port", "ws-port", "pin", "timeout", "emulator-scenario", "json", "raw", "verbose", "help"];

/// `set_mic_mute` → `set-mic-mute`.
fn kebab(name: &str) -> String {
    name.replace('_', "-")
}

/// The flag of a parameter: its name in kebab case, or (when the room's flags have that name) a
/// name that says whose it is.
pub fn flag_of(p: &ParamSpec) -> String {
    let flag = kebab(p.name);
    if !TAKEN.contains(&flag.as_str()) {
        return flag;
    }
    match flag.as_str() {
        "pin" => "conf-pin".into(),
        "port" => "server-port".into(),
        other => format!("arg-{other}"),
    }
}

/// The arg id of a parameter (apart from the room's flags, which share the leaf).
fn id_of(p: &ParamSpec) -> String {
    format!("param:{}", p.name)
}

/// The documentation as prose: paragraphs kept, lines joined.
fn prose(doc: &str) -> String {
    doc.trim()
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn first_line(doc: &str) -> String {
    let para = doc.trim().split("\n\n").next().unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ");
    match para.find(". ") {
        Some(i) => para[..=i].to_owned(),
        None => para,
    }
}

/// A shell word: quoted when the shell would otherwise change it.
fn shell_word(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "@._:/,+=-".contains(c)) {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// The row's example as a command line.
pub fn example(spec: &CommandSpec) -> String {
    let mut line = format!("tcroom command {}", kebab(spec.name));
    let Ok(Value::Object(ex)) = serde_json::from_str::<Value>(spec.example) else { return line };
    for p in spec.params {
        let Some(v) = catalogue::get_wire(&ex, p.wire) else { continue };
        let flag = flag_of(p);
        match v {
            Value::Bool(true) if p.ty.c == CArg::Bool => line.push_str(&format!(" --{flag}")),
            Value::Array(items) => {
                for item in items {
                    let text = item.as_str().map_or_else(|| item.to_string(), str::to_owned);
                    line.push_str(&format!(" --{flag} {}", shell_word(&text)));
                }
            }
            Value::String(s) => line.push_str(&format!(" --{flag} {}", shell_word(s))),
            other => line.push_str(&format!(" --{flag} {}", shell_word(&other.to_string()))),
        }
    }
    line
}

/// Reads one flag value by the parameter's type and checks it by the type's rule.
fn parse_value(c: CArg, check: fn(&Value) -> Result<(), String>, s: &str) -> Result<Value, String> {
    let v = match c {
        CArg::Str | CArg::OptStr | CArg::StrList => Value::String(s.to_owned()),
        CArg::Bool => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "1" => Value::Bool(true),
            "false" | "no" | "off" | "0" => Value::Bool(false),
            _ => return Err(format!("'{s}' is not a boolean (true or false)")),
        },
        CArg::Int | CArg::UInt | CArg::OptUInt | CArg::Port => {
            Value::from(s.trim().parse::<i64>().map_err(|_| format!("'{s}' is not an integer"))?)
        }
        CArg::Float => {
            let f: f64 = s.trim().parse().map_err(|_| format!("'{s}' is not a number"))?;
            serde_json::Number::from_f64(f).map(Value::Number).ok_or_else(|| format!("'{s}' is not a finite number"))?
        }
        CArg::Json => serde_json::from_str(s).map_err(|e| format!("not valid JSON: {e}"))?,
    };
    // A list is checked item by item, as a list of one.
    let checked = if c == CArg::StrList { Value::Array(vec![v.clone()]) } else { v.clone() };
    check(&checked).map_err(|e| e.trim_start_matches("item #1: ").to_owned())?;
    Ok(v)
}

fn value_name(p: &ParamSpec) -> &'static str {
    match p.ty.c {
        CArg::Str | CArg::StrList if p.ty.name.starts_with("Id") => "ID",
        CArg::Str | CArg::OptStr | CArg::StrList => "TEXT",
        CArg::Bool => "BOOL",
        CArg::Int | CArg::UInt | CArg::OptUInt => "N",
        CArg::Port => "PORT",
        CArg::Float => "NUMBER",
        CArg::Json => "JSON",
    }
}

fn arg_of(p: &'static ParamSpec) -> Arg {
    let c = p.ty.c;
    let check = p.ty.check;
    let mut help = p.doc.split_whitespace().collect::<Vec<_>>().join(" ");
    if !help.is_empty() && !help.ends_with('.') {
        help.push('.');
    }
    if !help.is_empty() {
        help.push(' ');
    }
    help.push_str(&format!("Wire key `{}`: {}", p.wire, p.ty.rule));
    if c == CArg::StrList {
        help.push_str(" (repeat the flag, or separate with commas)");
    }
    if let Some(d) = p.default {
        help.push_str(&format!(" [default: {d}]"));
    }
    let mut arg = Arg::new(id_of(p))
        .long(flag_of(p))
        .help(help)
        .value_name(value_name(p))
        .required(!p.optional())
        .value_parser(ValueParser::new(move |s: &str| parse_value(c, check, s)));
    match c {
        CArg::Bool => arg = arg.num_args(0..=1).default_missing_value("true").action(ArgAction::Set),
        CArg::StrList => arg = arg.action(ArgAction::Append).value_delimiter(','),
        CArg::Int | CArg::Float => arg = arg.allow_negative_numbers(true),
        _ => {}
    }
    arg
}

fn leaf(spec: &'static CommandSpec, order: usize) -> clap::Command {
    let name = kebab(spec.name);
    let mut after = format!(
        "Wire: {} · evidence: {} · API v{}+ · who: {}\nReply: {}\nExample: {}",
        spec.wire,
        spec.mark.as_str(),
        spec.since_api,
        spec.needs.as_str(),
        spec.reply.doc,
        example(spec)
    );
    if spec.faces == Faces::HandWritten {
        after.push_str("\nThis sends the command only; `tcroom create-conference` also waits for the start.");
    }
    let mut cmd = clap::Command::new(name.clone())
        .about(first_line(spec.doc))
        .long_about(prose(spec.doc))
        .after_help(after)
        .display_order(order);
    if spec.name != name {
        cmd = cmd.alias(spec.name);
    }
    // The wire name, where it names this row (`getSettings` is `get_settings`, not `get_volume`).
    if spec.wire != spec.name && spec.wire != name && catalogue::command(spec.wire).is_some_and(|c| c.name == spec.name)
    {
        cmd = cmd.alias(spec.wire);
    }
    for p in spec.params {
        cmd = cmd.arg(arg_of(p));
    }
    cmd = cmd
        .arg(Arg::new("json").long("json").action(ArgAction::SetTrue).help("Print the reply as one line of JSON."))
        .arg(
            Arg::new("raw")
                .long("raw")
                .action(ArgAction::SetTrue)
                .help("Keep the room's own JSON (`raw`) next to every typed value of the reply."),
        );
    Target::augment_args(cmd)
}

/// `tcroom command` with one subcommand per row of the catalogue.
pub fn command() -> clap::Command {
    let mut cmd = clap::Command::new(NAME)
        .about("Send any command of the protocol catalogue, with typed flags (`tcroom command --help` lists them)")
        .long_about(
            "Send any command of the protocol catalogue (docs/commands.md), with typed flags and help \
             from the catalogue. Names are the Rust/Python names in kebab case (set-mic-mute); the \
             snake_case and wire names (setMicMute) work too. Replies print as JSON; an accepted \
             command without a reply prints `Accepted: <wire name>`.",
        )
        .subcommand_required(true)
        .arg_required_else_help(true)
        .after_help("Example: tcroom command set-mic-mute --mute true\nAnything else: tcroom call-raw METHOD [JSON]");
    for (i, spec) in COMMANDS.iter().enumerate() {
        cmd = cmd.subcommand(leaf(spec, i));
    }
    cmd
}

/// The arguments by name, from a leaf's matches.
fn arguments(spec: &CommandSpec, m: &ArgMatches) -> Map<String, Value> {
    let mut args = Map::new();
    for p in spec.params {
        let value = if p.ty.c == CArg::StrList {
            m.get_many::<Value>(&id_of(p)).map(|vs| Value::Array(vs.cloned().collect()))
        } else {
            m.get_one::<Value>(&id_of(p)).cloned()
        };
        if let Some(v) = value {
            args.insert(p.name.to_owned(), v);
        }
    }
    args
}

/// What to print of a reply: no secrets, and no `raw` copies unless asked.
fn printable(spec: &CommandSpec, reply: Value, raw: bool) -> Value {
    if spec.reply.name == "Token" {
        eprintln!("tcroom: tokens are never printed (`tcroom frame` fetches frames with its own)");
        return Value::String("<redacted>".into());
    }
    let reply = redact(reply);
    if raw {
        reply
    } else {
        without_raw(reply)
    }
}

/// `tcroom command NAME ...`, given the matches of `command`.
pub async fn run(m: &ArgMatches) -> Outcome {
    let Some((name, leaf)) = m.subcommand() else {
        return Err(Failure::new(USAGE, "name a command: `tcroom command --help` lists them"));
    };
    let spec = COMMANDS
        .iter()
        .find(|s| kebab(s.name) == name)
        .ok_or_else(|| Failure::new(USAGE, format!("no command '{name}' in the catalogue")))?;
    let target = Target::from_arg_matches(leaf).map_err(|e| Failure::new(USAGE, e.to_string()))?;
    let args = arguments(spec, leaf);
    let session = target.open(&[]).await?;
    let result = session.client.command(spec.name, args).await;
    session.finish().await;
    let reply = printable(spec, result?, leaf.get_flag("raw"));
    match (leaf.get_flag("json"), &reply) {
        (true, v) => crate::output::emit(&v.to_string()),
        (false, Value::Null) => crate::output::emit(&format!("Accepted: {}", spec.wire)),
        (false, v) => crate::output::emit(&pretty(v)),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_becomes_a_valid_subcommand() {
        // clap's own consistency checks (unique names, aliases and flags).
        command().debug_assert();
        assert_eq!(command().get_subcommands().count(), COMMANDS.len());
    }

    #[test]
    fn flags_parse_by_type_and_examples_read_back() {
        let spec = catalogue::command("set_pan_pos").unwrap();
        assert_eq!(example(spec), "tcroom command set-pan-pos --pos 0");
        let m = command().try_get_matches_from(["command", "set-pan-pos", "--pos", "-20"]).unwrap();
        let (_, leaf) = m.subcommand().unwrap();
        assert_eq!(Value::Object(arguments(spec, leaf)), serde_json::json!({"pos": -20}));

        let call = catalogue::command("call").unwrap();
        assert_eq!(flag_of(&call.params[1]), "conf-pin");
        let connect = catalogue::command("connect_to_server").unwrap();
        assert_eq!(example(connect), "tcroom command connect-to-server --server tc.example.com --server-port 4307");

        let m = command()
            .try_get_matches_from([
                "command",
                "changeVideoMatrix",
                "--matrix-type",
                "2",
                "--participants",
                "#self:0,a@b",
            ])
            .unwrap();
        let (name, leaf) = m.subcommand().unwrap();
        assert_eq!(name, "change-video-matrix");
        let spec = catalogue::command("change_video_matrix").unwrap();
        assert_eq!(
            Value::Object(arguments(spec, leaf)),
            serde_json::json!({"matrix_type": 2, "participants": ["#self:0", "a@b"]})
        );

        let m = command().try_get_matches_from(["command", "hang-up", "--for-all"]).unwrap();
        let spec = catalogue::command("hang_up").unwrap();
        assert_eq!(Value::Object(arguments(spec, m.subcommand().unwrap().1)), serde_json::json!({"for_all": true}));

        for bad in [
            &["command", "set-volume", "--level", "2"][..],
            &["command", "kick-peer", "--peer-id", " "][..],
            &["command", "set-mic-mute", "--mute", "maybe"][..],
            &["command", "kick-peer"][..],
        ] {
            let e = command().try_get_matches_from(bad).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{bad:?}: {e}");
        }
    }

    #[test]
    fn tokens_never_print() {
        let spec = catalogue::command("get_token_for_http_server").unwrap();
        assert_eq!(printable(spec, Value::String("s3cret".into()), true), Value::String("<redacted>".into()));
    }
}
