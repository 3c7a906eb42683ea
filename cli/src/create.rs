//! `tcroom create-conference`: the main job.

use crate::exit::{Failure, Outcome, ERROR};
use crate::output::Output;
use crate::target::{seconds, Target};
use serde_json::json;
use std::collections::HashSet;
use tcroom_core::{ConfType, CreateConference, EventKind, StreamItem};
use tokio::time::Instant;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The conference title.
    #[arg(long)]
    title: String,
    /// symmetric (all on screen), asymmetric (video lecture) or role (podium and audience).
    #[arg(long = "type", default_value = "symmetric", value_parser = parse_type)]
    conf_type: ConfType,
    /// Invite a PeerId, CallId or InstanceId (repeatable).
    #[arg(long = "invite", value_name = "ID")]
    invite: Vec<String>,
    /// Let participants join without approval.
    #[arg(long)]
    auto_accept: bool,
    /// Turn the waiting room on.
    #[arg(long)]
    waiting_room: bool,
    /// Admit everyone who lands in the waiting room.
    #[arg(long, requires = "waiting_room")]
    admit: bool,
    /// Podium seats (must be allowed by the tariff).
    #[arg(long = "casters", value_name = "N")]
    casters: Option<u32>,
    /// Smart meeting (role conferences with at least 4 podium seats).
    #[arg(long)]
    smart_meeting: bool,
    /// Join with cameras off.
    #[arg(long)]
    mute_cam: bool,
    /// Join with microphones off.
    #[arg(long)]
    mute_mic: bool,
    /// Seconds to follow the invitees after the start before giving up on the silent ones.
    #[arg(long, default_value_t = 30.0)]
    follow: f64,
    /// Hang up for everyone before exiting.
    #[arg(long)]
    hang_up: bool,
    /// Print JSON lines instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    target: Target,
}

fn parse_type(s: &str) -> Result<ConfType, String> {
    s.parse::<ConfType>().map_err(|e| e.to_string())
}

pub async fn run(a: Args) -> Outcome {
    let out = Output { json: a.json };
    let mut params = CreateConference::new(a.title.clone(), a.conf_type);
    params.invite = a.invite.clone();
    params.auto_accept = a.auto_accept;
    params.use_waiting_room = a.waiting_room;
    params.casters_count = a.casters;
    params.smart_meeting = a.smart_meeting;
    params.mute_cam_on_join = a.mute_cam;
    params.mute_mic_on_join = a.mute_mic;
    // Fail on bad arguments before starting anything.
    params.validate(None)?;
    let follow = seconds(a.follow, "--follow")?;
    let timeout = seconds(a.target.timeout, "--timeout")?;

    let mut session = a.target.connect(&a.invite).await?;
    let client = session.client.clone();
    let pending = client.create_conference(&params).await?;
    out.line(
        format!(
            "Accepted: createConference \"{}\" ({}, {} invitee(s))",
            params.title,
            params.conf_type,
            params.invite.len()
        ),
        json!({"stage": "accepted", "reply": pending.reply()}),
    );
    let conf = pending.wait(timeout).await?;
    out.started(&conf);

    // Follow until every invitee has answered (joined or declined), or `follow` runs out.
    let mut unanswered: HashSet<String> = params.invite.iter().map(|i| call_id(i)).collect();
    // With --admit, a joiner who lands in the waiting room counts once let in.
    let mut admitting: HashSet<String> = HashSet::new();
    let (mut joined, mut declined) = (0usize, 0usize);
    let deadline = Instant::now() + follow;
    while !(unanswered.is_empty() && admitting.is_empty()) {
        let item = match tokio::time::timeout_at(deadline, session.events.recv()).await {
            Ok(Some(item)) => item,
            Ok(None) => return Err(Failure::new(ERROR, "the connection ended while following the invitees")),
            Err(_) => break,
        };
        let ev = match item {
            StreamItem::Event(ev) => ev,
            StreamItem::Lagged(n) => {
                out.line(format!("(missed {n} events)"), json!({"stage": "lagged", "missed": n}));
                continue;
            }
        };
        match &ev.kind {
            // Already reported as "Started".
            EventKind::ConferenceCreated(c) if c.conf_id == conf.conf_id => continue,
            EventKind::AppStateChanged(s) if s.app_state == tcroom_core::AppState::Conference => continue,
            _ => out.conference_event(&ev),
        }
        match &ev.kind {
            EventKind::NewParticipant { participant, .. } => {
                if unanswered.remove(&call_id(&participant.peer_id)) {
                    joined += 1;
                }
                if participant.in_waiting_room && a.admit {
                    admitting.insert(participant.peer_id.clone());
                    client.set_participant_presence_in_waiting_room(&participant.peer_id, false).await?;
                }
            }
            EventKind::ParticipantPresenceInWaitingRoomChanged { call_id, in_waiting_room: false, .. } => {
                admitting.remove(call_id);
            }
            EventKind::RejectReceived { peer_id: Some(p), .. } if unanswered.remove(&call_id(p)) => declined += 1,
            EventKind::ConferenceDeleted { .. } => {
                return Err(Failure::new(ERROR, "the conference ended while following the invitees"))
            }
            EventKind::Disconnected { reason } => return Err(Failure::new(ERROR, format!("disconnected: {reason}"))),
            _ => {}
        }
    }
    let silent: Vec<&String> = unanswered.iter().collect();
    let summary = if silent.is_empty() {
        format!("All {} invitee(s) answered: {joined} joined, {declined} declined.", params.invite.len())
    } else {
        format!("{joined} joined, {declined} declined, {} did not answer within {follow:?}.", silent.len())
    };
    out.line(
        summary,
        json!({"stage": "done", "confId": conf.conf_id, "joined": joined, "declined": declined, "unanswered": silent}),
    );
    if a.hang_up {
        client.hang_up(true).await?;
        out.line("Hung up for everyone.", json!({"stage": "hung_up"}));
    }
    client.close().await;
    if let Some(emu) = session.emulator.take() {
        emu.shutdown().await;
    }
    Ok(())
}

/// Invitees are named loosely (PeerId, CallId, InstanceId); answers come as InstanceIds or
/// CallIds. Compare by the user part, which all three share.
fn call_id(id: &str) -> String {
    let no_instance = id.split('/').next().unwrap_or(id);
    no_instance.split('@').next().unwrap_or(no_instance).to_ascii_lowercase()
}
