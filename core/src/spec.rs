//! What a row of the protocol catalogue says about a command or a notification: plain data that
//! the Rust face is built from at compile time, and that the C and Python faces and
//! `docs/commands.md` are generated from (`tcroom-codegen`). The tables themselves are
//! `catalogue/commands.rs` and `event/table.rs`.

use crate::record::RecordSpec;
use serde_json::Value;

/// How sure we are of a wire shape (PROTOCOL.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Documented by the vendor.
    Doc,
    /// Observed in the vendor's own client code.
    Seen,
    /// Not documented: our decision.
    Guess,
}

impl Mark {
    /// The mark as PROTOCOL.md writes it (`"doc"`, `"seen"`, `"guess"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Mark::Doc => "doc",
            Mark::Seen => "seen",
            Mark::Guess => "guess",
        }
    }
}

/// The part of the room a command belongs to (the sections of PROTOCOL.md §7 and §10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Area {
    /// Session and state: app state, tariff, authorization.
    Session,
    /// Group conferences and the waiting room.
    Conference,
    /// Calls, invitations and requests to join.
    Calls,
    /// The podium of a role-based conference.
    Podium,
    /// Other participants' microphones, cameras and speakers (moderators).
    RemoteMedia,
    /// Our own microphone, camera, speaker and volume.
    OwnMedia,
    /// Microphones, speakers and cameras present and in use.
    Devices,
    /// Layout of the video slots, monitors and the main window.
    Layout,
    /// Camera pan, tilt and zoom.
    Ptz,
    /// Chat and app-defined messages.
    Chat,
    /// Content sharing.
    Content,
    /// The TrueConf server and login.
    Server,
    /// The embedded HTTP server (frames).
    HttpServer,
}

impl Area {
    /// The heading of the area in the docs (`"Camera PTZ"`).
    pub fn title(self) -> &'static str {
        match self {
            Area::Session => "Session and state",
            Area::Conference => "Group conferences",
            Area::Calls => "Calls",
            Area::Podium => "Podium",
            Area::RemoteMedia => "Remote media (moderators)",
            Area::OwnMedia => "Own media and volume",
            Area::Devices => "Devices",
            Area::Layout => "Layout, monitors and window",
            Area::Ptz => "Camera PTZ",
            Area::Chat => "Chat and app messages",
            Area::Content => "Content sharing",
            Area::Server => "Server and login",
            Area::HttpServer => "Embedded HTTP server",
        }
    }
}

/// Who may send a command, where known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Any authorized connection.
    Anyone,
    /// The owner of the current conference.
    Owner,
    /// The owner, a moderator or an operator of the current conference.
    Moderator,
    /// The `admin` control role.
    Admin,
}

impl Needs {
    /// A lowercase name (`"moderator"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Needs::Anyone => "anyone",
            Needs::Owner => "owner",
            Needs::Moderator => "moderator",
            Needs::Admin => "admin",
        }
    }
}

/// How the C face passes a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CArg {
    /// `const char *`, required.
    Str,
    /// `const char *`, NULL for absent.
    OptStr,
    /// `int`, 0 false.
    Bool,
    /// `int64_t`.
    Int,
    /// `uint32_t`.
    UInt,
    /// `uint32_t`, 0 for absent.
    OptUInt,
    /// `uint16_t`, 0 for the default.
    Port,
    /// `double`.
    Float,
    /// `const char *const *` and a `size_t` count.
    StrList,
    /// `const char *` holding a JSON object.
    Json,
}

/// A parameter type: how it is checked, and how each face spells it.
#[derive(Debug, Clone, Copy)]
pub struct ArgSpec {
    /// The type's name in the catalogue (`"Id"`).
    pub name: &'static str,
    /// The type a Rust method takes (`"&str"`).
    pub rust: &'static str,
    /// The Python annotation (`"str"`).
    pub python: &'static str,
    /// How the C face passes it.
    pub c: CArg,
    /// The rule, in words (for the docs).
    pub rule: &'static str,
    /// May be left out (and then is, from the request).
    pub optional: bool,
    /// Checks a value already in its wire form.
    pub check: fn(&Value) -> Result<(), String>,
}

/// One parameter of a command.
#[derive(Debug, Clone, Copy)]
pub struct ParamSpec {
    /// The Rust, Python and C name.
    pub name: &'static str,
    /// The wire key; a dotted key nests (`settings.audioPlayLevel`).
    pub wire: &'static str,
    /// Its type.
    pub ty: ArgSpec,
    /// The value sent when the caller gives none, as JSON text; `None`: required (or, for an
    /// optional type, left out).
    pub default: Option<&'static str>,
    /// What it means, for the docs of every face.
    pub doc: &'static str,
}

impl ParamSpec {
    /// Whether the caller may leave it out.
    pub fn optional(&self) -> bool {
        self.default.is_some() || self.ty.optional
    }
}

/// How the C face returns a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CReply {
    /// Nothing beyond the status.
    Nothing,
    /// `int32_t *out_<name>`.
    Int(&'static str),
    /// `int *out_<name>`, 0 or 1.
    Bool(&'static str),
    /// `double *out_<name>`.
    Float(&'static str),
    /// `char **out_<name>`, freed with `tc_string_free`.
    Str(&'static str),
    /// `char **out_<name>`, may be NULL on input (not wanted) and NULL on output (absent).
    OptStr(&'static str),
    /// `char **out_json`: the room's reply (or a JSON array for lists), freed with `tc_string_free`.
    Json,
    /// `tc_participant_list **out_list`.
    Participants,
}

/// A reply type: how each face spells it.
#[derive(Debug, Clone, Copy)]
pub struct ReplySpec {
    /// The type's name in the catalogue (`"Ack"`).
    pub name: &'static str,
    /// The type a Rust method returns (`"()"`).
    pub rust: &'static str,
    /// The Python annotation of the method's result.
    pub python: &'static str,
    /// How Python turns what the native module returns into the annotated type: empty, as is;
    /// `._from`, the record class's `_from`; otherwise a function of `tcroom._types`.
    pub python_conv: &'static str,
    /// How the C face returns it.
    pub c: CReply,
    /// The record the reply is read into, if any (for the docs).
    pub record: Option<RecordSpec>,
    /// What the caller gets, in words (for the docs).
    pub doc: &'static str,
    /// Decodes a reply into the typed value, as JSON (for faces that call by name).
    pub decode_json: fn(Value) -> crate::Result<Value>,
}

/// Whether the faces are generated from the row or written by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Faces {
    /// Every face is generated from the row.
    Generated,
    /// Two-phase or otherwise special: each face has its own function of the same name.
    HandWritten,
}

/// One command of the catalogue.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// The Rust and Python method name; the C function is `tc_client_<name>`.
    pub name: &'static str,
    /// The wire method. Several rows may share one (`set_volume` is a `setSettings`).
    pub wire: &'static str,
    /// The part of the room it belongs to.
    pub area: Area,
    /// How sure we are of its shape.
    pub mark: Mark,
    /// The first API version that has it (PROTOCOL.md §5).
    pub since_api: u8,
    /// Who may send it, where known.
    pub needs: Needs,
    /// One line of documentation, for every face.
    pub doc: &'static str,
    /// Its parameters, in the order the methods take them.
    pub params: &'static [ParamSpec],
    /// What the reply is read into.
    pub reply: ReplySpec,
    /// Whether the faces are generated from the row.
    pub faces: Faces,
    /// Example parameters, as JSON text.
    pub example: &'static str,
}

impl CommandSpec {
    /// The C function's name.
    pub fn c_name(&self) -> String {
        format!("tc_client_{}", self.name)
    }
}

/// One notification of the catalogue.
#[derive(Debug, Clone, Copy)]
pub struct NotificationSpec {
    /// The stable number (`EventId` and the C `tc_event_kind` have it).
    pub code: i32,
    /// The `EventId` / `EventKind` variant's name (`"InviteReceived"`).
    pub name: &'static str,
    /// The wire name (`event` field); synthetic ones are made by the client.
    pub wire: &'static str,
    /// How sure we are of its shape.
    pub mark: Mark,
    /// The part of the room it belongs to.
    pub area: Area,
    /// Made by the client, never sent by the room (`disconnected`, `eventsLost`...).
    pub synthetic: bool,
    /// One line of documentation, for every face.
    pub doc: &'static str,
    /// The typed payload's name in Rust and Python (`"IncomingCall"`), if any.
    pub payload: Option<&'static str>,
    /// The record the payload is read into, for `record` rows (for the docs).
    pub record: Option<RecordSpec>,
    /// Example notification fields, as JSON text.
    pub example: &'static str,
}

impl NotificationSpec {
    /// The C enumerator (`TC_EVENT_KIND_...`) suffix, in SCREAMING_SNAKE_CASE.
    pub fn c_kind(&self) -> String {
        screaming_snake(self.name)
    }
}

/// `FooBar` → `FOO_BAR`.
pub fn screaming_snake(camel: &str) -> String {
    let mut out = String::new();
    for (i, ch) in camel.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(ch.to_ascii_uppercase());
    }
    out
}
