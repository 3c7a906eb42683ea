//! `tcroom layout`: the video layout of the main window, and changes to it.

use crate::confirm::{self, Waited};
use crate::exit::{Failure, Outcome, ERROR};
use crate::output::{to_json, without_raw, Output};
use crate::slots;
use crate::target::{seconds, Target};
use tcroom_core::{Client, EventKind, VideoMatrix};
use tokio::time::Instant;

#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
#[command(after_help = "Examples:\n  \
    tcroom layout                       the slots in order, the first is the large one\n  \
    tcroom layout set grid              all slots equal (types: single, grid, top-left, top, left, overlay)\n  \
    tcroom layout set top-left alice self\n  \
    tcroom layout swap self alice       slots by name: self (our camera), a user, an id\n  \
    tcroom layout hide self")]
pub struct LayoutArgs {
    #[command(subcommand)]
    action: Option<Action>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    target: Target,
}

#[derive(clap::Subcommand, Debug)]
enum Action {
    /// Change the layout type, and optionally the order of the slots (the first is the large one).
    Set(SetArgs),
    /// Swap two video slots.
    Swap(SwapArgs),
    /// Show a hidden video slot again.
    Show(OneSlot),
    /// Hide a video slot.
    Hide(OneSlot),
}

const TYPE_HELP: &str = "The layout type: a number, or 0 single, 1 grid, 2 top-left, 3 top, 4 left, 5 overlay";

#[derive(clap::Args, Debug)]
struct SetArgs {
    #[arg(value_parser = parse_type, help = TYPE_HELP)]
    matrix_type: u32,
    /// Slots in the order wanted: `self` (our camera), a participant's name or id.
    slots: Vec<String>,
    #[command(flatten)]
    common: Common,
}

#[derive(clap::Args, Debug)]
struct SwapArgs {
    /// A slot: `self` (our camera), a participant's name or id.
    a: String,
    /// The other slot.
    b: String,
    #[command(flatten)]
    common: Common,
}

#[derive(clap::Args, Debug)]
struct OneSlot {
    /// A slot: `self` (our camera), a participant's name or id.
    slot: String,
    #[command(flatten)]
    common: Common,
}

#[derive(clap::Args, Debug)]
struct Common {
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    target: Target,
}

const TYPE_NAMES: [(&str, &[&str]); 6] = [
    ("one window", &["single", "one"]),
    ("all equal", &["grid", "equal"]),
    ("one large top-left", &["top-left"]),
    ("one large top-centre", &["top", "top-centre", "top-center"]),
    ("one large left", &["left"]),
    ("large top-centre, small below overlapping", &["overlay"]),
];

fn parse_type(s: &str) -> Result<u32, String> {
    if let Ok(n) = s.trim().parse::<u32>() {
        return Ok(n);
    }
    TYPE_NAMES
        .iter()
        .position(|(_, aliases)| aliases.iter().any(|a| a.eq_ignore_ascii_case(s.trim())))
        .map(|i| i as u32)
        .ok_or_else(|| {
            format!("'{s}' is not a layout type: use a number or single, grid, top-left, top, left, overlay")
        })
}

pub fn type_name(t: Option<i64>) -> String {
    match t {
        Some(n) => match usize::try_from(n).ok().and_then(|i| TYPE_NAMES.get(i)) {
            Some((name, _)) => format!("{n} ({name})"),
            None => format!("{n}"),
        },
        None => "unknown".into(),
    }
}

/// The layout as lines of text.
pub fn render(m: &VideoMatrix) -> String {
    let mut s = format!("Layout {}", type_name(m.matrix_type));
    if let (Some(w), Some(h)) = (m.main_window_width, m.main_window_height) {
        s.push_str(&format!(", window {w}x{h}"));
    }
    match m.self_view_mode {
        Some(1) => s.push_str(", self view over the layout"),
        Some(2) => s.push_str(", self view inside it"),
        _ => {}
    }
    if m.participants.is_empty() {
        s.push_str("\n  (no video slots)");
    }
    for (i, slot) in m.participants.iter().enumerate() {
        let name = slot_name(&slot.peer_id, slot.display_name.as_deref());
        let geometry = match (slot.left, slot.top, slot.width, slot.height) {
            (Some(x), Some(y), Some(w), Some(h)) => format!("  {w}x{h} at {x},{y}"),
            _ => String::new(),
        };
        s.push_str(&format!("\n  {}. {name}{geometry}", i + 1));
    }
    for e in &m.extern_slots {
        let monitor = match (&e.monitor_name, e.monitor_index) {
            (Some(n), Some(i)) => format!("{n} (monitor {i})"),
            (Some(n), None) => n.clone(),
            (None, Some(i)) => format!("monitor {i}"),
            (None, None) => "another monitor".into(),
        };
        s.push_str(&format!("\n  on {monitor}: {}", slot_name(&e.call_id, e.display_name.as_deref())));
    }
    if !m.hidden_slots.is_empty() {
        let hidden: Vec<&str> = m.hidden_slots.iter().map(|h| h.0.as_str()).collect();
        s.push_str(&format!("\n  hidden: {}", hidden.join(", ")));
    }
    s
}

fn slot_name(id: &str, display: Option<&str>) -> String {
    match (id, display) {
        (tcroom_core::SELF_SLOT, _) => format!("{id} (this room)"),
        (_, Some(n)) if !n.is_empty() => format!("{id} ({n})"),
        _ => id.to_owned(),
    }
}

fn print(out: Output, m: &VideoMatrix) {
    out.line(render(m), without_raw(to_json(m)));
}

/// `tcroom layout [set|swap|show|hide ...]`.
pub async fn run(a: LayoutArgs) -> Outcome {
    let Some(action) = a.action else {
        let out = Output { json: a.json };
        let session = a.target.open(&[]).await?;
        let result = session.client.get_video_matrix().await;
        session.finish().await;
        print(out, &result?);
        return Ok(());
    };
    let common = match &action {
        Action::Set(s) => &s.common,
        Action::Swap(s) => &s.common,
        Action::Show(s) | Action::Hide(s) => &s.common,
    };
    let out = Output { json: common.json };
    let timeout = seconds(common.target.timeout, "--timeout")?;
    let session = common.target.open(&[]).await?;
    let result = change(&session.client, &action, timeout, out).await;
    session.finish().await;
    result
}

async fn change(client: &Client, action: &Action, timeout: std::time::Duration, out: Output) -> Outcome {
    let before = client.get_video_matrix().await?;
    let slot = |s: &str| slots::resolve(s, Some(&before)).map_err(|e| Failure::new(ERROR, e));
    let mut events = client.subscribe();
    match action {
        Action::Set(s) if s.slots.is_empty() => client.change_video_matrix_type(s.matrix_type).await?,
        Action::Set(s) => {
            let ids = s.slots.iter().map(|x| slot(x)).collect::<Result<Vec<_>, _>>()?;
            let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
            client.change_video_matrix(s.matrix_type, &refs).await?
        }
        Action::Swap(s) => client.swap_video_slots(&slot(&s.a)?, &slot(&s.b)?).await?,
        Action::Show(s) => client.show_video_slot(&slot(&s.slot)?).await?,
        Action::Hide(s) => client.hide_video_slot(&slot(&s.slot)?).await?,
    }
    let waited = confirm::until(&mut events, Instant::now() + timeout, |ev| match &ev.kind {
        EventKind::VideoMatrixChanged(m) => Some(m.clone()),
        _ => None,
    })
    .await?;
    let now = match waited {
        Waited::Got(m) => m,
        Waited::Deadline => {
            eprintln!(
                "tcroom: the room accepted the change but sent no videoMatrixChanged within {timeout:?}; asking it"
            );
            client.get_video_matrix().await?
        }
        Waited::Interrupted => return Err(confirm::interrupted("while waiting for the room")),
    };
    print(out, &now);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_types_by_number_or_name() {
        assert_eq!(parse_type("3"), Ok(3));
        assert_eq!(parse_type("7"), Ok(7));
        assert_eq!(parse_type("Grid"), Ok(1));
        assert_eq!(parse_type("overlay"), Ok(5));
        assert!(parse_type("mosaic").unwrap_err().contains("not a layout type"));
        assert_eq!(type_name(Some(1)), "1 (all equal)");
        assert_eq!(type_name(Some(7)), "7");
    }
}
