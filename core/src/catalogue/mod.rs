//! The protocol catalogue: every command and notification the project types, declared once.
//!
//! - `commands.rs` is the table of commands: wire name, names in every face, parameters with
//!   their types and defaults, reply type, area, evidence mark, API version, role, one line of
//!   documentation and an example.
//! - `event/table.rs` is the table of notifications.
//!
//! From the command table the core builds, at compile time, a struct per command (in
//! [`cmd`]), its [`Command`] implementation and a typed method on `Client`; the C and Python
//! faces and `docs/commands.md` are generated from [`COMMANDS`] and [`NOTIFICATIONS`] by
//! `tcroom-codegen`, and a test fails when what is checked in differs from what it generates.
//!
//! Adding a command: one row in `commands.rs`, a handler in the emulator, tests, then
//! `cargo run -p tcroom-codegen`.

pub mod args;
mod checks;
#[macro_use]
mod commands;
pub mod replies;

pub use crate::event::NOTIFICATIONS;
pub use crate::spec::{
    Area, ArgSpec, CArg, CReply, CommandSpec, Faces, Mark, Needs, NotificationSpec, ParamSpec, ReplySpec,
};

use crate::state::RoomState;
use crate::{Error, Result};
use serde_json::{Map, Value};

/// A command the client can send: its row of the catalogue and its typed parameters.
pub trait Command {
    /// The command's row of the catalogue.
    const SPEC: CommandSpec;
    /// How its reply is decoded; `Reply::Out` is what [`Client::send`](crate::Client::send) returns.
    type Reply: replies::ReplyType;
    /// The request's parameters, by wire key.
    fn encode(&self) -> Map<String, Value>;
}

/// Everything that is checked before a request leaves, whichever face it came through: each
/// parameter against its type's rule, then what needs the room state.
pub fn check(spec: &CommandSpec, params: &Map<String, Value>, state: &RoomState) -> Result<()> {
    validate(spec, params)?;
    checks::against_state(spec, params, state)
        .map_err(|e| Error::InvalidArgument(format!("{} ({}): {e}", spec.name, spec.wire)))
}

/// The value at a wire key; a dotted key reaches into nested objects.
pub fn get_wire<'a>(params: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    let mut parts = key.split('.');
    let mut cur = params.get(parts.next()?)?;
    for p in parts {
        cur = cur.get(p)?;
    }
    Some(cur)
}

/// Puts a value at a wire key, making the nested objects a dotted key needs.
pub fn insert_wire(params: &mut Map<String, Value>, key: &str, value: Value) {
    match key.split_once('.') {
        None => {
            params.insert(key.to_owned(), value);
        }
        Some((head, rest)) => {
            let slot = params.entry(head.to_owned()).or_insert_with(|| Value::Object(Map::new()));
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            if let Value::Object(inner) = slot {
                insert_wire(inner, rest, value);
            }
        }
    }
}

fn bad_param(spec: &CommandSpec, p: &ParamSpec, why: &str) -> Error {
    Error::InvalidArgument(format!("{} ({}): '{}' {why}", spec.name, spec.wire, p.name))
}

/// Checks every parameter of an encoded request against its type's rule.
pub fn validate(spec: &CommandSpec, params: &Map<String, Value>) -> Result<()> {
    for p in spec.params {
        match get_wire(params, p.wire) {
            Some(v) => (p.ty.check)(v).map_err(|e| bad_param(spec, p, &e))?,
            None if p.optional() => {}
            None => return Err(bad_param(spec, p, "is required")),
        }
    }
    Ok(())
}

/// Builds a request from arguments given by name (the Python face, the CLI, the MQTT bridge):
/// defaults applied, every value checked, unknown names refused.
pub fn bind(spec: &CommandSpec, mut args: Map<String, Value>) -> Result<Map<String, Value>> {
    // Unknown names first: a misspelt name is the likely reason a required one is missing.
    if let Some(unknown) = args.keys().find(|k| !spec.params.iter().any(|p| p.name == k.as_str())) {
        let known: Vec<&str> = spec.params.iter().map(|p| p.name).collect();
        return Err(Error::InvalidArgument(format!(
            "{} ({}) has no parameter '{unknown}' (it takes: {})",
            spec.name,
            spec.wire,
            if known.is_empty() { "none".to_owned() } else { known.join(", ") }
        )));
    }
    let mut params = Map::new();
    for p in spec.params {
        let given = args.remove(p.name).filter(|v| !v.is_null());
        let value = match (given, p.default) {
            (Some(v), _) => v,
            (None, Some(default)) => serde_json::from_str(default)
                .map_err(|e| Error::InvalidArgument(format!("bad default for '{}': {e}", p.name)))?,
            (None, None) if p.optional() => continue,
            (None, None) => return Err(bad_param(spec, p, "is required")),
        };
        (p.ty.check)(&value).map_err(|e| bad_param(spec, p, &e))?;
        insert_wire(&mut params, p.wire, value);
    }
    Ok(params)
}

/// The notification with wire name `wire`.
pub fn notification(wire: &str) -> Option<&'static NotificationSpec> {
    NOTIFICATIONS.iter().find(|n| n.wire == wire)
}

/// Builds a `CommandSpec` from one row.
macro_rules! spec_of {
    (
        [$area:ident, $mark:ident, api $api:literal, $needs:ident] $faces:ident $name:ident = $wire:literal
        ( $( [$($pdoc:literal)*] $p:ident : $pty:ident = $pwire:literal $(default $pdef:literal)? ),* )
        -> $reply:ty, [$($doc:literal)*], $example:literal
    ) => {
        $crate::catalogue::CommandSpec {
            name: stringify!($name),
            wire: $wire,
            area: $crate::catalogue::Area::$area,
            mark: $crate::catalogue::Mark::$mark,
            since_api: $api,
            needs: $crate::catalogue::Needs::$needs,
            doc: $crate::__doc_text!($($doc)*),
            params: &[$(
                $crate::catalogue::ParamSpec {
                    name: stringify!($p),
                    wire: $pwire,
                    ty: <$crate::catalogue::args::$pty as $crate::catalogue::args::ArgType>::SPEC,
                    default: $crate::__opt!($($pdef)?),
                    doc: $crate::__doc_text!($($pdoc)*),
                }
            ),*],
            reply: <$reply as $crate::catalogue::replies::ReplyType>::SPEC,
            faces: $crate::catalogue::Faces::$faces,
            example: $example,
        }
    };
}

/// `Some(expr)` or `None`.
#[macro_export]
#[doc(hidden)]
macro_rules! __opt {
    () => {
        None
    };
    ($e:expr) => {
        Some($e)
    };
}

/// The list of every row's spec (for [`COMMANDS`]).
macro_rules! spec_list {
    ($(
        $(#[doc = $doc:literal])*
        [$($attr:tt)*] $faces:ident $Struct:ident $name:ident = $wire:literal
        ( $( $(#[doc = $pdoc:literal])* $p:ident : $pty:ident = $pwire:literal $(default $pdef:literal)? ),* $(,)? )
        -> $reply:ty, example $example:literal;
    )*) => {
        &[$(
            &<$crate::cmd::$Struct as $crate::catalogue::Command>::SPEC
        ),*]
    };
}

/// For each generated row: the command struct and its `Command` implementation.
macro_rules! command_structs {
    ($(
        $(#[doc = $doc:literal])*
        [$($attr:tt)*] $faces:ident $Struct:ident $name:ident = $wire:literal
        ( $( $(#[doc = $pdoc:literal])* $p:ident : $pty:ident = $pwire:literal $(default $pdef:literal)? ),* $(,)? )
        -> $reply:ty, example $example:literal;
    )*) => {$(
        command_structs!(@one $faces
            [$($doc)*] [$($attr)*] $Struct $name = $wire
            ( $( [$($pdoc)*] $p : $pty = $pwire $(default $pdef)? ),* )
            -> $reply, example $example);
    )*};

    (@one HandWritten [$($doc:literal)*] [$($attr:tt)*] $Struct:ident $name:ident = $wire:literal
        ( $( [$($pdoc:literal)*] $p:ident : $pty:ident = $pwire:literal $(default $pdef:literal)? ),* )
        -> $reply:ty, example $example:literal) => {
        impl $Struct {
            /// This command's row of the catalogue.
            pub const CATALOGUE_SPEC: $crate::catalogue::CommandSpec = spec_of!(
                [$($attr)*] HandWritten $name = $wire
                ( $( [$($pdoc)*] $p : $pty = $pwire $(default $pdef)? ),* )
                -> $reply, [$($doc)*], $example
            );
        }
    };

    (@one Generated [$($doc:literal)*] [$($attr:tt)*] $Struct:ident $name:ident = $wire:literal
        ( $( [$($pdoc:literal)*] $p:ident : $pty:ident = $pwire:literal $(default $pdef:literal)? ),* )
        -> $reply:ty, example $example:literal) => {
        #[doc = concat!("`", $wire, "`: ")]
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $Struct {
            $(
                $(#[doc = $pdoc])*
                #[doc = concat!("\n\nWire: `", $pwire, "` (", stringify!($pty), ").")]
                pub $p: <$crate::catalogue::args::$pty as $crate::catalogue::args::ArgType>::Value,
            )*
        }

        impl $crate::catalogue::Command for $Struct {
            const SPEC: $crate::catalogue::CommandSpec = spec_of!(
                [$($attr)*] Generated $name = $wire
                ( $( [$($pdoc)*] $p : $pty = $pwire $(default $pdef)? ),* )
                -> $reply, [$($doc)*], $example
            );
            type Reply = $reply;

            #[allow(unused_mut)]
            fn encode(&self) -> serde_json::Map<String, serde_json::Value> {
                let mut m = serde_json::Map::new();
                $(
                    if let Some(v) = <$crate::catalogue::args::$pty as $crate::catalogue::args::ArgType>::encode(&self.$p) {
                        $crate::catalogue::insert_wire(&mut m, $pwire, v);
                    }
                )*
                m
            }
        }
    };
}

/// For each generated row: a typed method of `Client` that sends it.
macro_rules! client_methods {
    ($(
        $(#[doc = $doc:literal])*
        [$($attr:tt)*] $faces:ident $Struct:ident $name:ident = $wire:literal
        ( $( $(#[doc = $pdoc:literal])* $p:ident : $pty:ident = $pwire:literal $(default $pdef:literal)? ),* $(,)? )
        -> $reply:ty, example $example:literal;
    )*) => {
        impl $crate::Client {$(
            client_methods!(@one $faces [$($doc)*] $Struct $name = $wire ( $($p : $pty),* ) -> $reply);
        )*}
    };

    (@one HandWritten $($rest:tt)*) => {};

    (@one Generated [$($doc:literal)*] $Struct:ident $name:ident = $wire:literal ( $($p:ident : $pty:ident),* ) -> $reply:ty) => {
        $(#[doc = $doc])*
        #[doc = ""]
        #[doc = concat!("Sends `", $wire, "` (see [`cmd::", stringify!($Struct), "`](crate::cmd::", stringify!($Struct), ")).")]
        pub async fn $name(
            &self,
            $($p: <$crate::catalogue::args::$pty as $crate::catalogue::args::ArgType>::Arg<'_>),*
        ) -> $crate::Result<<$reply as $crate::catalogue::replies::ReplyType>::Out> {
            self.send(&$crate::cmd::$Struct {
                $($p: <$crate::catalogue::args::$pty as $crate::catalogue::args::ArgType>::own($p)),*
            })
            .await
        }
    };
}

pub(crate) use client_methods;
pub(crate) use commands::command_rows;

/// Every command, in the order of the table.
pub static COMMANDS: &[&CommandSpec] = command_rows!(spec_list);

/// The command named `name` (its Rust/Python name, or its wire name when no other row uses that
/// wire name as its name).
pub fn command(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|c| c.name == name).or_else(|| COMMANDS.iter().find(|c| c.wire == name)).copied()
}

// `createConference` is a hand-written row: its struct is the core's own `CreateConference`
// (two-phase, with its tariff checks); here it joins the catalogue.
impl Command for crate::params::CreateConference {
    const SPEC: CommandSpec = crate::params::CreateConference::CATALOGUE_SPEC;
    type Reply = replies::Accepted;
    fn encode(&self) -> Map<String, Value> {
        self.to_params()
    }
}

/// The command structs, one per row of the catalogue: build one and pass it to
/// [`Client::send`](crate::Client::send), or call the method of the same name on `Client`.
pub mod cmd {
    use crate::catalogue::replies::*;
    use crate::model::*;
    pub use crate::params::CreateConference;

    command_rows!(command_structs);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_row_is_named_once_and_its_example_is_valid() {
        let mut names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "two rows share a name");
        for c in COMMANDS {
            let example: Value = serde_json::from_str(c.example).unwrap_or_else(|e| panic!("{}: example: {e}", c.name));
            let Value::Object(example) = example else { panic!("{}: example is not an object", c.name) };
            validate(c, &example).unwrap_or_else(|e| panic!("{}: example: {e}", c.name));
            for p in c.params {
                if let Some(d) = p.default {
                    let v: Value =
                        serde_json::from_str(d).unwrap_or_else(|e| panic!("{}.{}: default: {e}", c.name, p.name));
                    (p.ty.check)(&v).unwrap_or_else(|e| panic!("{}.{}: default: {e}", c.name, p.name));
                }
            }
            assert!(!c.doc.trim().is_empty(), "{} has no documentation", c.name);
        }
    }

    #[test]
    fn bind_applies_defaults_checks_and_refuses_unknown_names() {
        let hang_up = command("hang_up").unwrap();
        assert_eq!(bind(hang_up, Map::new()).unwrap(), json!({"forAll": false}).as_object().unwrap().clone());
        let kick = command("kickPeer").unwrap();
        let err = bind(kick, Map::new()).unwrap_err().to_string();
        assert!(err.contains("'peer_id' is required"), "{err}");
        let mut args = Map::new();
        args.insert("peer_id".into(), json!("a"));
        args.insert("peer".into(), json!("a"));
        let err = bind(kick, args).unwrap_err().to_string();
        assert!(err.contains("no parameter 'peer'") && err.contains("peer_id"), "{err}");
        let volume = command("set_volume").unwrap();
        let mut args = Map::new();
        args.insert("level".into(), json!(0.5));
        assert_eq!(Value::Object(bind(volume, args).unwrap()), json!({"settings": {"audioPlayLevel": 0.5}}));
    }
}
