//! Human-readable lines or JSON lines, one per thing that happened.

use serde_json::{json, Value};
use tcroom_core::{reject_cause_text, Conference, Event, EventKind};

#[derive(Clone, Copy)]
pub struct Output {
    pub json: bool,
}

/// Prints one line. A reader that went away (`tcroom events | head`) ends the program quietly
/// with success, as for any Unix filter, rather than a panic on the broken pipe.
pub fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{text}").and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("tcroom: error: cannot write the output: {e}");
        std::process::exit(i32::from(crate::exit::ERROR));
    }
}

impl Output {
    /// The line `line` prints.
    pub fn render(&self, human: impl AsRef<str>, machine: Value) -> String {
        if self.json {
            machine.to_string()
        } else {
            human.as_ref().to_owned()
        }
    }

    pub fn line(&self, human: impl AsRef<str>, machine: Value) {
        emit(&self.render(human, machine));
    }

    pub fn started(&self, c: &Conference) {
        let mut human = format!("Started: conference {}", c.conf_id);
        let mut row = |k: &str, v: String| human.push_str(&format!("\n  {k:<14}{v}"));
        if let Some(t) = &c.title {
            row("title:", t.clone());
        }
        if let Some(t) = c.conf_type {
            row("type:", format!("{t}{}", if c.is_smart_meeting { " (smart meeting)" } else { "" }));
        }
        if let Some(o) = &c.owner {
            row("owner:", o.clone());
        }
        if let Some(u) = &c.join_url {
            row("join URL:", u.clone());
        }
        row(
            "limits:",
            format!(
                "{} participants, {} on the podium",
                c.max_participants.map_or("?".into(), |n| n.to_string()),
                c.max_podium.map_or("?".into(), |n| n.to_string())
            ),
        );
        row("waiting room:", if c.waiting_room_enabled { "on".into() } else { "off".into() });
        self.line(human, json!({"stage": "started", "conference": c}));
    }

    /// One notification while following a conference: in human mode only those about the
    /// conference and its people (a layout change is not news to someone watching invitees);
    /// JSON lines carry all of them.
    pub fn conference_event(&self, ev: &Event) {
        let text = if self.json { self.render_event(ev) } else { describe_known(ev) };
        if let Some(text) = text {
            emit(&text);
        }
    }

    /// The line of one room notification; `None` for the ones not worth a line in human mode.
    pub fn render_event(&self, ev: &Event) -> Option<String> {
        if self.json {
            return Some(json!({"stage": "event", "event": ev.name, "data": ev.raw}).to_string());
        }
        describe(ev)
    }
}

/// A line for any notification: the ones [`describe_known`] words, the rest with their JSON.
pub fn describe(ev: &Event) -> Option<String> {
    describe_known(ev).or_else(|| Some(format!("Event     {} {}", ev.name, ev.raw)))
}

/// A worded line for the notifications about conferences, their people and the connection.
pub fn describe_known(ev: &Event) -> Option<String> {
    Some(match &ev.kind {
        EventKind::InviteSent { peer_id, .. } => format!("Invited   {}", peer_id.as_deref().unwrap_or("?")),
        EventKind::NewParticipant { participant: p, .. } => format!(
            "Joined    {}{}{}",
            p.peer_id,
            p.display_name.as_deref().map(|n| format!(" ({n})")).unwrap_or_default(),
            if p.in_waiting_room { ", in the waiting room" } else { "" }
        ),
        EventKind::RejectReceived { peer_id, cause, .. } => format!(
            "Declined  {}: {}",
            peer_id.as_deref().unwrap_or("?"),
            cause.map(|c| format!("{} (cause {c})", reject_cause_text(c))).unwrap_or_else(|| "no cause given".into())
        ),
        EventKind::ParticipantLeft { peer_id, .. } => format!("Left      {peer_id}"),
        EventKind::ParticipantPresenceInWaitingRoomChanged { call_id, in_waiting_room, .. } => {
            if *in_waiting_room {
                format!("Waiting   {call_id} is in the waiting room")
            } else {
                format!("Admitted  {call_id}")
            }
        }
        EventKind::WaitingRoomStateChanged { enabled, .. } => {
            format!("Waiting room {}", if *enabled { "on" } else { "off" })
        }
        EventKind::SmartMeetingModeChanged { is_smart_meeting, .. } => {
            format!("Smart meeting {}", if *is_smart_meeting { "on" } else { "off" })
        }
        EventKind::AppStateChanged(s) => format!("App state {}", s.app_state),
        EventKind::ConferenceCreated(c) => format!("Conference created: {}", c.conf_id),
        EventKind::ConferenceDeleted { conf_id } => format!("Conference ended: {}", conf_id.as_deref().unwrap_or("?")),
        EventKind::AuthorizationNeeded { cause } => format!("Authorization lost (cause {})", cause.unwrap_or(-1)),
        EventKind::Disconnected { reason } => format!("Disconnected: {reason}"),
        EventKind::Malformed { error } => format!("Malformed message from the room: {error}"),
        EventKind::EventsLost { count } => format!("(missed {count} events: they came faster than they were read)"),
        _ => return None,
    })
}

/// `v` with every secret value replaced by `"<redacted>"`, at any depth: the core's list of
/// secret keys, the one its logs use.
pub fn redact(v: Value) -> Value {
    tcroom_core::redact_value(v)
}

/// `v` without the `raw` copies that every typed value keeps of the room's JSON.
pub fn without_raw(mut v: Value) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("raw");
                m.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut v);
    v
}

/// Indented JSON for people.
pub fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
}

/// A typed value as JSON (`Value::Null` if it cannot be, which our own types never are).
pub fn to_json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}
