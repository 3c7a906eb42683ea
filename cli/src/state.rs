//! `tcroom state [--watch]`: the live room state the client keeps, as text or JSON lines; with
//! `--watch`, the first snapshot and then each change with what changed.

use crate::confirm;
use crate::exit::{Failure, Outcome, CONNECT};
use crate::layout;
use crate::output::{to_json, without_raw};
use crate::target::Target;
use serde_json::json;
use tcroom_core::{Aspect, Changes, Participant, PtzAxis, RoomState, StateChange};

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
    tcroom state\n  \
    tcroom state --watch --role user               follow it in a terminal of its own\n  \
    tcroom state --watch --json --only own_media   JSON lines for a script")]
pub struct StateArgs {
    /// Keep printing: the first snapshot, then each change, until Ctrl-C.
    #[arg(long)]
    watch: bool,
    /// Print JSON lines ({"full", "changed", "state"}) instead of text.
    #[arg(long)]
    json: bool,
    /// With --json: keep the room's own JSON (`raw`) next to every typed value.
    #[arg(long, requires = "json")]
    raw: bool,
    /// Only these parts (comma-separated or repeated): connection, app_state, conference,
    /// participants, tariff, login, own_media, volume, devices, layout, monitors, ptz, incoming,
    /// podium, server, content. With --watch, changes elsewhere are not printed.
    #[arg(long, value_name = "PART", value_delimiter = ',', value_parser = parse_aspect)]
    only: Vec<Aspect>,
    /// With --watch: stop after this many snapshots and changes.
    #[arg(long, value_name = "N", requires = "watch")]
    count: Option<u64>,
    #[command(flatten)]
    target: Target,
}

fn parse_aspect(s: &str) -> Result<Aspect, String> {
    let s = s.trim().replace('-', "_");
    Aspect::ALL.into_iter().find(|a| a.name() == s).ok_or_else(|| {
        let names: Vec<&str> = Aspect::ALL.iter().map(|a| a.name()).collect();
        format!("'{s}' is not a part of the room state; the parts: {}", names.join(", "))
    })
}

/// `tcroom state`.
pub async fn run(a: StateArgs) -> Outcome {
    let session = a.target.open(&[]).await?;
    let filter = filter_of(&a);
    let mut watch = session.client.watch();
    let mut printed = 0u64;
    let result = loop {
        if a.count.is_some_and(|n| printed >= n) {
            break Ok(());
        }
        let change = tokio::select! {
            c = watch.next() => c,
            _ = crate::interrupt::pressed(1) => break Ok(()),
        };
        let Some(change) = change else {
            break Err(confirm::ended(""));
        };
        // Pushed out by another client (one connection per role): nothing more would come.
        if change.changes.contains(Aspect::Connection) && change.state.connected && !change.state.authorized {
            break Err(Failure::new(
                CONNECT,
                "the room no longer authorizes this connection: another client took its control role? \
                 (the room authorizes one connection per role: run the watcher with --role user)",
            ));
        }
        let shown = masked(change.changes, filter);
        if !change.full && shown.is_empty() {
            continue;
        }
        print(&a, &change, shown);
        printed += 1;
        if !a.watch {
            break Ok(());
        }
    };
    session.finish().await;
    result
}

/// The aspects of `changes` that `filter` lets through.
fn masked(changes: Changes, filter: Changes) -> Changes {
    let mut c = Changes::NONE;
    changes.aspects().filter(|a| filter.contains(*a)).for_each(|a| c.add(a));
    c
}

fn print(a: &StateArgs, change: &StateChange, shown: Changes) {
    let shown = if change.full { filter_of(a) } else { shown };
    if a.json {
        let state = to_json(&*change.state);
        let state = if a.raw { state } else { without_raw(state) };
        let state = if a.only.is_empty() {
            state
        } else {
            // Only the fields of the parts asked for.
            let keep: Vec<&str> = shown.aspects().flat_map(fields).copied().collect();
            match state {
                serde_json::Value::Object(m) => {
                    serde_json::Value::Object(m.into_iter().filter(|(k, _)| keep.contains(&k.as_str())).collect())
                }
                other => other,
            }
        };
        crate::output::emit(&json!({"full": change.full, "changed": change.changed(), "state": state}).to_string());
        return;
    }
    let head = if change.full { "Room state:".to_owned() } else { format!("Changed ({}):", shown.names().join(", ")) };
    crate::output::emit(&head);
    for aspect in shown.aspects() {
        for line in render(aspect, &change.state) {
            crate::output::emit(&format!("  {line}"));
        }
    }
}

fn filter_of(a: &StateArgs) -> Changes {
    if a.only.is_empty() {
        return Changes::ALL;
    }
    let mut c = Changes::NONE;
    a.only.iter().for_each(|x| c.add(*x));
    c
}

/// The `RoomState` fields of each part (`Aspect` documents them).
fn fields(a: Aspect) -> &'static [&'static str] {
    match a {
        Aspect::Connection => &["connected", "authorized"],
        Aspect::AppState => &["app_state", "in_call", "http_port"],
        Aspect::Conference => &["conference"],
        Aspect::Participants => &["participants"],
        Aspect::Tariff => &["tariff"],
        Aspect::Login => &["own_peer_id", "login"],
        Aspect::OwnMedia => &["mic_muted", "camera_muted", "speaker_muted"],
        Aspect::Volume => &["volume"],
        Aspect::Devices => &["hardware"],
        Aspect::Layout => &["video_matrix"],
        Aspect::Monitors => &["monitors", "window"],
        Aspect::Ptz => &["ptz"],
        Aspect::Incoming => &["incoming_call", "join_requests"],
        Aspect::Podium => &["podium_invitation", "podium_requests"],
        Aspect::Server => &["server_state", "server"],
        Aspect::Content => &["content"],
    }
}

fn row(label: &str, value: impl AsRef<str>) -> String {
    format!("{:<16}{}", format!("{label}:"), value.as_ref())
}

fn unknown() -> String {
    "(not known)".into()
}

fn media_code(code: Option<i64>) -> &'static str {
    match code {
        Some(0) => "none",
        Some(1) => "muted",
        Some(2) => "on",
        _ => "?",
    }
}

fn participant(p: &Participant) -> String {
    let mut s = p.peer_id.clone();
    if let Some(n) = p.display_name.as_deref().filter(|n| !n.is_empty()) {
        s.push_str(&format!(" ({n})"));
    }
    s.push_str(&format!(": mic {}, camera {}", media_code(p.mic), media_code(p.video)));
    match p.role {
        Some(2) => s.push_str(", owner"),
        Some(3) => s.push_str(", asks for the podium"),
        Some(4) => s.push_str(", invited to the podium"),
        Some(5) => s.push_str(", remark"),
        _ => {}
    }
    if p.broadcast == Some(true) {
        s.push_str(", on the podium");
    }
    if p.in_waiting_room {
        s.push_str(", in the waiting room");
    }
    s
}

fn axis(name: &str, a: Option<&PtzAxis>) -> String {
    match a {
        Some(a) if a.support => {
            let range = match (a.min, a.max) {
                (Some(lo), Some(hi)) => format!(" ({lo}..{hi})"),
                _ => String::new(),
            };
            format!("{name} {}{range}", a.current.map_or("?".into(), |c| c.to_string()))
        }
        Some(_) => format!("{name} not supported"),
        None => format!("{name} ?"),
    }
}

fn muted(v: Option<bool>, off: &str) -> String {
    match v {
        Some(true) => off.into(),
        Some(false) => "on".into(),
        None => unknown(),
    }
}

/// The lines of one part of the state.
pub fn render(aspect: Aspect, s: &RoomState) -> Vec<String> {
    match aspect {
        Aspect::Connection => vec![row(
            "connection",
            match (s.connected, s.authorized) {
                (true, true) => "connected, authorized",
                (true, false) => "connected, not authorized",
                _ => "disconnected",
            },
        )],
        Aspect::AppState => {
            let mut v = vec![row("app state", s.app_state.map_or_else(unknown, |a| a.to_string()))];
            if let Some(p) = s.http_port {
                v.push(row("frames port", p.to_string()));
            }
            v
        }
        Aspect::Conference => vec![row(
            "call",
            match &s.conference {
                None if s.in_call => "in a call or conference that started before this connection".into(),
                None => "none".into(),
                Some(c) => match c.conf_type {
                    None => format!("with {} ({})", c.peer_id.as_deref().unwrap_or("?"), c.conf_id),
                    Some(t) => {
                        let mut v = format!("conference {}", c.conf_id);
                        if let Some(title) = c.title.as_deref().filter(|t| !t.is_empty()) {
                            v = format!("conference \"{title}\" ({})", c.conf_id);
                        }
                        v.push_str(&format!(", {t}"));
                        if let Some(o) = &c.owner {
                            v.push_str(&format!(", owner {o}"));
                        }
                        if c.waiting_room_enabled {
                            v.push_str(", waiting room on");
                        }
                        if c.in_waiting_room == Some(true) {
                            v.push_str(", we are in its waiting room");
                        }
                        if let Some(u) = c.join_url.as_deref().filter(|u| !u.is_empty()) {
                            v.push_str(&format!(", join at {u}"));
                        }
                        v
                    }
                },
            },
        )],
        Aspect::Participants => {
            let mut v = vec![row("participants", s.participants.len().to_string())];
            v.extend(s.participants.iter().map(|p| format!("  {}", participant(p))));
            v
        }
        Aspect::Tariff => vec![row(
            "tariff",
            match &s.tariff {
                None => unknown(),
                Some(t) => format!(
                    "{}{}",
                    t.tariff_name.as_deref().unwrap_or("?"),
                    match t.create_multi {
                        Some(false) => ", no group conferences",
                        _ => "",
                    }
                ),
            },
        )],
        Aspect::Login => vec![row(
            "login",
            match &s.login {
                Some(l) if l.is_logged_in == Some(true) => {
                    let id = l.peer_id.clone().or_else(|| s.own_peer_id.clone()).unwrap_or_else(|| "?".into());
                    let name = l.display_name.as_deref().filter(|n| !n.is_empty()).map(|n| format!(" ({n})"));
                    format!("logged in as {id}{}", name.unwrap_or_default())
                }
                Some(_) => "logged out".into(),
                None => s.own_peer_id.as_ref().map_or_else(unknown, |id| format!("as {id}")),
            },
        )],
        Aspect::OwnMedia => vec![
            row("microphone", muted(s.mic_muted, "muted")),
            row("camera", muted(s.camera_muted, "off")),
            row("speaker", muted(s.speaker_muted, "muted")),
        ],
        Aspect::Volume => vec![row("volume", s.volume.map_or_else(unknown, |v| format!("{:.0}%", v * 100.0)))],
        Aspect::Devices => match &s.hardware {
            None => vec![row("devices", unknown())],
            Some(h) => {
                let cur = |d: Option<&tcroom_core::Device>| d.map_or("none".to_owned(), |d| d.name.clone());
                vec![
                    row("mic in use", format!("{} (of {})", cur(h.current_microphone.as_ref()), h.microphones.len())),
                    row("speaker in use", format!("{} (of {})", cur(h.current_speaker.as_ref()), h.speakers.len())),
                    row("camera in use", format!("{} (of {})", cur(h.current_camera.as_ref()), h.cameras.len())),
                ]
            }
        },
        Aspect::Layout => match &s.video_matrix {
            None => vec![row("layout", unknown())],
            Some(m) => {
                let ids: Vec<&str> = m.participants.iter().map(|p| p.peer_id.as_str()).collect();
                let mut v = vec![row(
                    "layout",
                    format!("{}, {} slot(s): {}", layout::type_name(m.matrix_type), ids.len(), ids.join(", ")),
                )];
                if !m.hidden_slots.is_empty() {
                    let hidden: Vec<&str> = m.hidden_slots.iter().map(|h| h.0.as_str()).collect();
                    v.push(row("hidden", hidden.join(", ")));
                }
                v
            }
        },
        Aspect::Monitors => {
            let mut v = vec![row(
                "monitors",
                match &s.monitors {
                    None => unknown(),
                    Some(m) => {
                        let current = m.current_monitor.and_then(|i| m.monitors.iter().find(|x| x.index == i));
                        format!(
                            "{}, the main window on {}",
                            m.monitors.len(),
                            match current {
                                Some(c) => format!("{} ({})", c.index, c.name.as_deref().unwrap_or("?")),
                                None => m.current_monitor.map_or("?".into(), |i| i.to_string()),
                            }
                        )
                    }
                },
            )];
            if let Some(w) = &s.window {
                let state = match w.window_state {
                    Some(0) => "normal",
                    Some(1) => "minimized",
                    Some(2) => "maximized",
                    _ => "?",
                };
                let top = if w.stay_on_top == Some(true) { ", stays on top" } else { "" };
                v.push(row("window", format!("{state}{top}")));
            }
            v
        }
        Aspect::Ptz => vec![row(
            "camera PTZ",
            match &s.ptz {
                None => unknown(),
                Some(p) => format!(
                    "{}, {}, {}",
                    axis("pan", p.pan.as_ref()),
                    axis("tilt", p.tilt.as_ref()),
                    axis("zoom", p.zoom.as_ref())
                ),
            },
        )],
        Aspect::Incoming => {
            let mut v = vec![row(
                "incoming",
                match &s.incoming_call {
                    None => "none".into(),
                    Some(c) => {
                        let name = c.display_name.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
                        match c.title.as_deref().filter(|t| !t.is_empty()) {
                            Some(t) => format!("invitation from {}{name} to \"{t}\"", c.peer_id),
                            None => format!("call from {}{name}", c.peer_id),
                        }
                    }
                },
            )];
            if !s.join_requests.is_empty() {
                let who: Vec<&str> = s.join_requests.iter().map(|r| r.peer_id.as_str()).collect();
                v.push(row("asking to join", who.join(", ")));
            }
            v
        }
        Aspect::Podium => {
            let mut v = Vec::new();
            if s.podium_invitation.is_some() {
                v.push(row("podium", "we are invited to the podium"));
            }
            if !s.podium_requests.is_empty() {
                let who: Vec<&str> = s.podium_requests.iter().filter_map(|r| r.peer_id.as_deref()).collect();
                v.push(row("podium asks", who.join(", ")));
            }
            if v.is_empty() {
                v.push(row("podium", "nothing pending"));
            }
            v
        }
        Aspect::Server => vec![row(
            "server",
            match (s.server_state, &s.server) {
                (Some(state), server) => {
                    let word = match state {
                        0 => "not connected",
                        1 => "connecting",
                        2 => "connected",
                        _ => "?",
                    };
                    match server.as_ref().and_then(|x| x.server.as_deref()) {
                        Some(name) if state != 0 => {
                            let port =
                                server.as_ref().and_then(|x| x.port).map(|p| format!(":{p}")).unwrap_or_default();
                            format!("{word} to {name}{port}")
                        }
                        _ => word.into(),
                    }
                }
                (None, _) => unknown(),
            },
        )],
        Aspect::Content => vec![row(
            "content",
            match &s.content {
                None => "not sharing".into(),
                Some(c) => format!(
                    "sharing {}{}",
                    c.name.as_deref().unwrap_or("?"),
                    c.capture_id.map(|i| format!(" (id {i})")).unwrap_or_default()
                ),
            },
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_renders_and_parts_parse() {
        let s = RoomState {
            connected: true,
            authorized: true,
            mic_muted: Some(true),
            volume: Some(0.5),
            ..Default::default()
        };
        for a in Aspect::ALL {
            assert!(!render(a, &s).is_empty(), "{}", a.name());
            assert_eq!(parse_aspect(a.name()).ok(), Some(a));
        }
        assert_eq!(render(Aspect::OwnMedia, &s)[0], "microphone:     muted");
        assert_eq!(render(Aspect::Volume, &s)[0], "volume:         50%");
        assert!(parse_aspect("mood").unwrap_err().contains("own_media"));
        assert_eq!(parse_aspect("own-media"), Ok(Aspect::OwnMedia));
    }
}
