//! Reply types of the catalogue: how a reply is decoded, and how each face returns it.

use crate::json::str_of;
use crate::model::{AppStateInfo, ConferenceSummary, Participant, SystemInfo, TariffRestrictions};
use crate::record::Record;
use crate::secret::Secret;
use crate::spec::{CReply, ReplySpec};
use serde::Serialize;
use serde_json::Value;
use std::marker::PhantomData;

/// A reply type. `decode` reads the room's reply (already known to have `result: true`).
pub trait ReplyType {
    /// What the caller gets (`()`, a record, a `String`...).
    type Out: Send + 'static;
    /// The type's names in every face and its docs.
    const SPEC: ReplySpec;
    /// The typed value; `Err` says what the reply lacks.
    fn decode(reply: Value) -> Result<Self::Out, String>;
    /// The value as JSON for faces that call by name (Python): the typed value's fields.
    fn to_json(out: &Self::Out) -> Value;
    /// The value as the room sent it (what the C face hands over as JSON).
    fn raw(out: &Self::Out) -> Value;
}

/// Decodes a reply straight into the JSON of its typed value.
pub(crate) fn decode_json<R: ReplyType>(reply: Value) -> crate::Result<Value> {
    R::decode(reply).map(|out| R::to_json(&out)).map_err(crate::Error::Protocol)
}

fn serialized<T: Serialize>(v: &T) -> Value {
    // Our own types always serialize; a failure would be a bug, and null is a safe answer.
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// `result: true` and nothing more: the command was accepted.
pub struct Ack;
impl ReplyType for Ack {
    type Out = ();
    const SPEC: ReplySpec = ReplySpec {
        name: "Ack",
        rust: "()",
        python: "None",
        python_conv: "",
        c: CReply::Nothing,
        record: None,
        doc: "accepted (the outcome, if any, arrives as notifications)",
        decode_json: decode_json::<Ack>,
    };
    fn decode(_: Value) -> Result<(), String> {
        Ok(())
    }
    fn to_json(_: &()) -> Value {
        Value::Null
    }
    fn raw(_: &()) -> Value {
        Value::Null
    }
}

/// A reply read into a record.
pub struct Reply<R>(PhantomData<R>);
impl<R: Record + Serialize + Send + 'static> ReplyType for Reply<R> {
    type Out = R;
    const SPEC: ReplySpec = ReplySpec {
        name: R::SPEC.name,
        rust: R::SPEC.name,
        python: R::SPEC.name,
        python_conv: "._from",
        c: CReply::Json,
        record: Some(R::SPEC),
        doc: R::SPEC.doc,
        decode_json: decode_json::<Reply<R>>,
    };
    fn decode(reply: Value) -> Result<R, String> {
        R::from_json(&reply).ok_or_else(|| format!("the reply is not a readable {}", R::SPEC.name))
    }
    fn to_json(out: &R) -> Value {
        serialized(out)
    }
    fn raw(out: &R) -> Value {
        out.raw().clone()
    }
}

/// `getAppState`.
pub struct AppStateReply;
impl ReplyType for AppStateReply {
    type Out = AppStateInfo;
    const SPEC: ReplySpec = ReplySpec {
        name: "AppStateInfo",
        rust: "AppStateInfo",
        python: "AppStateInfo",
        python_conv: "AppStateInfo._from",
        c: CReply::Int("app_state"),
        record: None,
        doc: "`appState` (0 none ... 3 normal, 4 calling, 5 in a call or conference) and the embedded HTTP port",
        decode_json: decode_json::<AppStateReply>,
    };
    fn decode(reply: Value) -> Result<AppStateInfo, String> {
        AppStateInfo::from_json(&reply).ok_or_else(|| "the reply has no appState".into())
    }
    fn to_json(out: &AppStateInfo) -> Value {
        serialized(out)
    }
    fn raw(out: &AppStateInfo) -> Value {
        out.raw.clone()
    }
}

/// `getTariffRestrictions`.
pub struct TariffReply;
impl ReplyType for TariffReply {
    type Out = TariffRestrictions;
    const SPEC: ReplySpec = ReplySpec {
        name: "TariffRestrictions",
        rust: "TariffRestrictions",
        python: "TariffRestrictions",
        python_conv: "TariffRestrictions._from",
        c: CReply::Json,
        record: None,
        doc: "what the room's licence allows (`createMulti`, the schemas of podium seats)",
        decode_json: decode_json::<TariffReply>,
    };
    fn decode(reply: Value) -> Result<TariffRestrictions, String> {
        Ok(TariffRestrictions::from_json(&reply))
    }
    fn to_json(out: &TariffRestrictions) -> Value {
        serialized(out)
    }
    fn raw(out: &TariffRestrictions) -> Value {
        out.raw.clone()
    }
}

/// `getSystemInfo`.
pub struct SystemInfoReply;
impl ReplyType for SystemInfoReply {
    type Out = SystemInfo;
    const SPEC: ReplySpec = ReplySpec {
        name: "SystemInfo",
        rust: "SystemInfo",
        python: "SystemInfo",
        python_conv: "SystemInfo._from",
        c: CReply::Json,
        record: None,
        doc: "who the room is (`authInfo.peerId`) and everything else it reports",
        decode_json: decode_json::<SystemInfoReply>,
    };
    fn decode(reply: Value) -> Result<SystemInfo, String> {
        Ok(SystemInfo::from_json(&reply))
    }
    fn to_json(out: &SystemInfo) -> Value {
        serialized(out)
    }
    fn raw(out: &SystemInfo) -> Value {
        out.raw.clone()
    }
}

/// `getConferences`.
pub struct ConferenceList;
impl ReplyType for ConferenceList {
    type Out = Vec<ConferenceSummary>;
    const SPEC: ReplySpec = ReplySpec {
        name: "ConferenceList",
        rust: "Vec<ConferenceSummary>",
        python: "list[ConferenceSummary]",
        python_conv: "_conference_summaries",
        c: CReply::Json,
        record: None,
        doc: "the conferences the room lists (C: a JSON array of them as sent)",
        decode_json: decode_json::<ConferenceList>,
    };
    fn decode(reply: Value) -> Result<Vec<ConferenceSummary>, String> {
        Ok(reply
            .get("conferences")
            .or_else(|| reply.get("list"))
            .and_then(Value::as_array)
            .map(|a| a.iter().map(ConferenceSummary::from_json).collect())
            .unwrap_or_default())
    }
    fn to_json(out: &Vec<ConferenceSummary>) -> Value {
        serialized(out)
    }
    fn raw(out: &Vec<ConferenceSummary>) -> Value {
        Value::Array(out.iter().map(|s| s.raw.clone()).collect())
    }
}

/// `getConferenceParticipants`: the conference id and its participants.
pub struct Participants;
impl ReplyType for Participants {
    type Out = (Option<String>, Vec<Participant>);
    const SPEC: ReplySpec = ReplySpec {
        name: "Participants",
        rust: "(Option<String>, Vec<Participant>)",
        python: "list[Participant]",
        python_conv: "_participants",
        c: CReply::Participants,
        record: None,
        doc: "the participants of the current conference (the room itself included) and its `confId`",
        decode_json: decode_json::<Participants>,
    };
    fn decode(reply: Value) -> Result<Self::Out, String> {
        let list = reply
            .get("participants")
            .and_then(Value::as_array)
            .ok_or("the reply has no 'participants' array")?
            .iter()
            .filter_map(Participant::from_json)
            .collect();
        Ok((str_of(&reply, &["confId"]), list))
    }
    fn to_json(out: &Self::Out) -> Value {
        serde_json::json!({"conf_id": out.0, "participants": serialized(&out.1)})
    }
    fn raw(out: &Self::Out) -> Value {
        Value::Array(out.1.iter().map(|p| p.raw.clone()).collect())
    }
}

/// A reply whose only news is the conference it applies to (`confId`).
pub struct ConfId;
impl ReplyType for ConfId {
    type Out = Option<String>;
    const SPEC: ReplySpec = ReplySpec {
        name: "ConfId",
        rust: "Option<String>",
        python: "Optional[str]",
        python_conv: "",
        c: CReply::OptStr("conf_id"),
        record: None,
        doc: "the `confId` of the conference it applied to",
        decode_json: decode_json::<ConfId>,
    };
    fn decode(reply: Value) -> Result<Option<String>, String> {
        Ok(str_of(&reply, &["confId"]))
    }
    fn to_json(out: &Option<String>) -> Value {
        serialized(out)
    }
    fn raw(out: &Option<String>) -> Value {
        serialized(out)
    }
}

/// `getSessionLink`: the link others use to join.
pub struct Link;
impl ReplyType for Link {
    type Out = String;
    const SPEC: ReplySpec = ReplySpec {
        name: "Link",
        rust: "String",
        python: "str",
        python_conv: "",
        c: CReply::Str("link"),
        record: None,
        doc: "the link (read from `link`, `url` or `joinUrl`)",
        decode_json: decode_json::<Link>,
    };
    fn decode(reply: Value) -> Result<String, String> {
        str_of(&reply, &["link", "url", "joinUrl", "sessionLink"]).ok_or_else(|| "the reply has no link".into())
    }
    fn to_json(out: &String) -> Value {
        Value::String(out.clone())
    }
    fn raw(out: &String) -> Value {
        Value::String(out.clone())
    }
}

/// `getMicMute`, `getVideoMute`, `getAudioMute`: whether it is muted.
pub struct Mute;
impl ReplyType for Mute {
    type Out = bool;
    const SPEC: ReplySpec = ReplySpec {
        name: "Mute",
        rust: "bool",
        python: "bool",
        python_conv: "",
        c: CReply::Bool("mute"),
        record: None,
        doc: "`mute`: true when muted",
        decode_json: decode_json::<Mute>,
    };
    fn decode(reply: Value) -> Result<bool, String> {
        crate::json::bool_of(&reply, &["mute", "muted"]).ok_or_else(|| "the reply has no 'mute'".into())
    }
    fn to_json(out: &bool) -> Value {
        Value::Bool(*out)
    }
    fn raw(out: &bool) -> Value {
        Value::Bool(*out)
    }
}

/// The speaker volume, from `getSettings`.
pub struct Volume;
impl ReplyType for Volume {
    type Out = f64;
    const SPEC: ReplySpec = ReplySpec {
        name: "Volume",
        rust: "f64",
        python: "float",
        python_conv: "float",
        c: CReply::Float("volume"),
        record: None,
        doc: "the speaker volume (`audioPlayLevel`), 0.0 to 1.0",
        decode_json: decode_json::<Volume>,
    };
    fn decode(reply: Value) -> Result<f64, String> {
        crate::model::Settings::from_json(&reply)
            .and_then(|s| s.volume())
            .ok_or_else(|| "the settings have no audioPlayLevel".into())
    }
    fn to_json(out: &f64) -> Value {
        serde_json::Number::from_f64(*out).map_or(Value::Null, Value::Number)
    }
    fn raw(out: &f64) -> Value {
        Self::to_json(out)
    }
}

/// `getTokenForHttpServer`: a token for the embedded HTTP server. Never logged.
pub struct TokenReply;
impl ReplyType for TokenReply {
    type Out = Secret;
    const SPEC: ReplySpec = ReplySpec {
        name: "Token",
        rust: "Secret",
        python: "str",
        python_conv: "",
        c: CReply::Str("token"),
        record: None,
        doc: "`token` for the embedded HTTP server (lives 5 minutes; the client fetches and refreshes it for frames)",
        decode_json: decode_json::<TokenReply>,
    };
    fn decode(reply: Value) -> Result<Secret, String> {
        str_of(&reply, &["token", "tokenForHttpServer"]).map(Secret::new).ok_or_else(|| "the reply has no token".into())
    }
    fn to_json(out: &Secret) -> Value {
        Value::String(out.expose().to_owned())
    }
    fn raw(out: &Secret) -> Value {
        Self::to_json(out)
    }
}

/// `createConference`: accepted; the start comes later (PROTOCOL.md §6).
pub struct Accepted;
impl ReplyType for Accepted {
    type Out = Value;
    const SPEC: ReplySpec = ReplySpec {
        name: "Accepted",
        rust: "PendingConference",
        python: "Conference | PendingConference",
        python_conv: "",
        c: CReply::Nothing,
        record: None,
        doc: "accepted; the conference has started when `conferenceCreated` (or `appStateChanged` to 5) arrives",
        decode_json: decode_json::<Accepted>,
    };
    fn decode(reply: Value) -> Result<Value, String> {
        Ok(reply)
    }
    fn to_json(out: &Value) -> Value {
        out.clone()
    }
    fn raw(out: &Value) -> Value {
        out.clone()
    }
}
