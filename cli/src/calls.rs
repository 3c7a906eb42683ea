//! Calls: `tcroom call PEER`, `answer`, `decline`, `hang-up`. Each waits for the room to say
//! how it went (PROTOCOL.md §10: the reply only means "accepted").

use crate::confirm::{self, Sign, Waited};
use crate::exit::{Failure, Outcome, ERROR, REFUSED, TIMEOUT, USAGE};
use crate::output::{to_json, without_raw, Output};
use crate::target::{seconds, Session, Target};
use serde_json::json;
use std::time::Duration;
use tcroom_core::{reject_cause_text, AppState, AutoAnswerPolicy, Conference, EventKind, IncomingCall};
use tokio::time::Instant;

#[derive(clap::Args, Debug)]
#[command(after_help = "Prints `Answered: ...` and exits 0, or `Refused: ...` with the room's cause and exits 3.\n\
Examples:\n  \
    tcroom call alice@corp.example\n  \
    tcroom call board --conf-pin 2468     join the conference 'board'\n  \
    tcroom call bob --wait 30 --json")]
pub struct CallArgs {
    /// Whom to call: a PeerId (`user1`), CallId (`user1@some.server`) or InstanceId, or a
    /// conference to join by its id.
    peer: String,
    /// The conference's password, when joining a protected conference (never printed).
    #[arg(long, value_name = "PIN")]
    conf_pin: Option<String>,
    /// Seconds to wait for an answer; then the call is stopped (exit code 4).
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    wait: f64,
    /// Print JSON lines instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    target: Target,
}

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
    tcroom answer                          the call ringing now (exit 1 if none)\n  \
    tcroom answer --wait 600 --from alice  the next call from alice within 10 minutes\n  \
    tcroom decline")]
pub struct AnswerArgs {
    /// When no call is ringing, wait this many seconds for one (by default, do not wait).
    #[arg(long, value_name = "SECONDS")]
    wait: Option<f64>,
    /// Only calls from these peers (repeatable; a bare name matches any server); others are
    /// left ringing.
    #[arg(long = "from", value_name = "PEER")]
    from: Vec<String>,
    /// Print JSON lines instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    target: Target,
}

#[derive(clap::Args, Debug)]
pub struct HangUpArgs {
    /// End the conference for everyone (owner or moderator only), not just leave it.
    #[arg(long)]
    for_all: bool,
    /// Print JSON lines instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    target: Target,
}

/// How an outgoing call went, from the notifications.
enum CallEnd {
    Answered(Option<Conference>),
    Refused { peer: Option<String>, cause: Option<i64> },
    Stopped,
}

fn who(c: &Conference, fallback: &str) -> String {
    match (c.conf_type, &c.title) {
        (Some(_), Some(t)) if !t.is_empty() => format!("conference \"{t}\" ({})", c.conf_id),
        (Some(_), _) => format!("conference {}", c.conf_id),
        (None, _) => format!("a call with {}", c.peer_id.as_deref().unwrap_or(fallback)),
    }
}

fn refusal_text(peer: &str, cause: Option<i64>) -> String {
    match cause {
        Some(c) => format!("{peer} did not take the call: {} (cause {c})", reject_cause_text(c)),
        None => format!("{peer} did not take the call"),
    }
}

/// `tcroom call PEER`.
pub async fn call(a: CallArgs) -> Outcome {
    let out = Output { json: a.json };
    if a.peer.trim().is_empty() {
        return Err(Failure::new(USAGE, "the peer to call is empty"));
    }
    // `tcroom call getAppState` used to send a raw command: say so rather than dial it.
    if !a.peer.contains(['@', '/', '\\', '#']) && tcroom_core::catalogue::command(&a.peer).is_some() {
        return Err(Failure::new(
            USAGE,
            format!(
                "'{}' is a command, not a peer: `tcroom call` now places calls; use `tcroom call-raw {}`",
                a.peer, a.peer
            ),
        ));
    }
    let wait = seconds(a.wait, "--wait")?;
    let session = a.target.open(std::slice::from_ref(&a.peer)).await?;
    let result = place(&session, &a, wait, out).await;
    session.finish().await;
    result
}

fn classify(ev: &tcroom_core::Event) -> Option<Sign<CallEnd>> {
    match &ev.kind {
        EventKind::ConferenceCreated(c) => Some(Sign::Final(CallEnd::Answered(Some(c.clone())))),
        EventKind::RejectReceived { peer_id, cause, .. } => {
            Some(Sign::Final(CallEnd::Refused { peer: peer_id.clone(), cause: *cause }))
        }
        EventKind::StopCalling(_) | EventKind::ConferenceDeleted { .. } => Some(Sign::Final(CallEnd::Stopped)),
        EventKind::AppStateChanged(s) => match s.app_state {
            AppState::Conference => Some(Sign::Likely(CallEnd::Answered(None))),
            AppState::Normal => Some(Sign::Likely(CallEnd::Refused { peer: None, cause: None })),
            _ => None,
        },
        _ => None,
    }
}

async fn place(session: &Session, a: &CallArgs, wait: Duration, out: Output) -> Outcome {
    let client = &session.client;
    let mut events = client.subscribe();
    client.call(&a.peer, a.conf_pin.as_deref()).await?;
    out.line(format!("Calling {}...", a.peer), json!({"stage": "calling", "peerId": a.peer}));
    let result = match confirm::settle(&mut events, Instant::now() + wait, classify).await? {
        Waited::Got(end) => end,
        Waited::Deadline => {
            let stopped = client.hang_up(false).await.is_ok();
            let stop = if stopped { "; stopped calling" } else { "" };
            out.line(
                format!("No answer from {} within {wait:?}{stop}.", a.peer),
                json!({"stage": "no_answer", "peerId": a.peer, "stopped": stopped}),
            );
            return Err(Failure::new(TIMEOUT, format!("no answer from {} within {wait:?}", a.peer)));
        }
        Waited::Interrupted => {
            let _ = client.hang_up(false).await;
            out.line("Stopped calling.", json!({"stage": "stopped", "peerId": a.peer}));
            return Err(confirm::interrupted("while calling; stopped calling"));
        }
    };
    match result {
        CallEnd::Answered(conf) => {
            let text = match &conf {
                Some(c) => format!("Answered: in {}", who(c, &a.peer)),
                None => format!("Answered: in a call with {}", a.peer),
            };
            out.line(
                text,
                json!({"stage": "answered", "peerId": a.peer, "conference": conf.as_ref().map(|c| without_raw(to_json(c)))}),
            );
            Ok(())
        }
        CallEnd::Refused { peer, cause } => {
            let peer = peer.unwrap_or_else(|| a.peer.clone());
            let text = refusal_text(&peer, cause);
            out.line(
                format!("Refused: {text}"),
                json!({"stage": "refused", "peerId": peer, "cause": cause, "reason": cause.map(reject_cause_text)}),
            );
            Err(Failure::new(REFUSED, text))
        }
        CallEnd::Stopped => {
            out.line(format!("The call to {} ended before it was answered.", a.peer), json!({"stage": "stopped"}));
            Err(Failure::new(REFUSED, format!("the call to {} ended before it was answered", a.peer)))
        }
    }
}

/// The ringing call, once known: who calls (when the room told us).
struct Ringing {
    call: Option<IncomingCall>,
}

impl Ringing {
    fn text(&self) -> String {
        match &self.call {
            Some(c) => {
                let name = c.display_name.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
                match &c.title {
                    Some(t) if !t.is_empty() => format!("the invitation from {}{name} to \"{t}\"", c.peer_id),
                    _ => format!("the call from {}{name}", c.peer_id),
                }
            }
            None => "the ringing call".into(),
        }
    }
    fn json(&self) -> serde_json::Value {
        self.call.as_ref().map(|c| without_raw(to_json(c))).unwrap_or(serde_json::Value::Null)
    }
}

/// Finds the incoming call: the one the state knows, or (the call rang before we connected and
/// the room has no getter for who calls) the ringing app state, or one that comes within `wait`.
async fn ringing(
    session: &Session,
    events: &mut tcroom_core::EventStream,
    wait: Option<f64>,
    from: &AutoAnswerPolicy,
) -> Result<Ringing, Failure> {
    let state = session.client.snapshot();
    let mut other = None;
    if let Some(call) = &state.incoming_call {
        if from.allows(&call.peer_id) {
            return Ok(Ringing { call: Some(call.clone()) });
        }
        other = Some(call.peer_id.clone());
    } else if state.app_state == Some(AppState::Wait) && *from == AutoAnswerPolicy::All {
        return Ok(Ringing { call: None });
    }
    let Some(wait) = wait else {
        return Err(Failure::new(
            ERROR,
            match other {
                Some(peer) => format!("the call ringing is from {peer}, who is not one of --from"),
                None => "no incoming call is ringing (use --wait SECONDS to wait for one)".into(),
            },
        ));
    };
    let wait = seconds(wait, "--wait")?;
    let picked = confirm::until(events, Instant::now() + wait, |ev| match &ev.kind {
        EventKind::InviteReceived(call) if from.allows(&call.peer_id) => Some(call.clone()),
        _ => None,
    })
    .await?;
    match picked {
        Waited::Got(call) => Ok(Ringing { call: Some(call) }),
        Waited::Deadline => Err(Failure::new(TIMEOUT, format!("no incoming call within {wait:?}"))),
        Waited::Interrupted => Err(confirm::interrupted("while waiting for a call")),
    }
}

/// `tcroom answer` (`accept` true) and `tcroom decline`.
pub async fn answer(a: AnswerArgs, accept: bool) -> Outcome {
    let out = Output { json: a.json };
    let from = if a.from.is_empty() { AutoAnswerPolicy::All } else { AutoAnswerPolicy::Only(a.from.clone()) };
    let timeout = seconds(a.target.timeout, "--timeout")?;
    let session = a.target.open(&[]).await?;
    let result = async {
        let mut events = session.client.subscribe();
        let ring = ringing(&session, &mut events, a.wait, &from).await?;
        if accept {
            session.client.accept().await?;
        } else {
            session.client.reject().await?;
        }
        let verb = if accept { "Answered" } else { "Declined" };
        // Confirmation: the call starts (answer), or the ringing ends (decline).
        let done = confirm::settle(&mut events, Instant::now() + timeout, |ev| match &ev.kind {
            EventKind::ConferenceCreated(c) if accept => Some(Sign::Final(Some(c.clone()))),
            EventKind::AppStateChanged(s) if accept && s.app_state == AppState::Conference => Some(Sign::Likely(None)),
            EventKind::RejectSent(_) if !accept => Some(Sign::Final(None)),
            EventKind::AppStateChanged(s) if !accept && s.app_state == AppState::Normal => Some(Sign::Likely(None)),
            _ => None,
        })
        .await?;
        let conf = match done {
            Waited::Got(conf) => conf,
            Waited::Deadline => {
                return Err(Failure::new(
                    TIMEOUT,
                    format!("the room accepted the {} but did not confirm it within {timeout:?}", verb.to_lowercase()),
                ))
            }
            Waited::Interrupted => return Err(confirm::interrupted("while waiting for the room")),
        };
        let text = match &conf {
            // A call whose caller we named already: nothing to add.
            Some(c) if c.conf_type.is_some() || ring.call.is_none() => {
                format!("{verb} {}: in {}", ring.text(), who(c, "the caller"))
            }
            _ => format!("{verb} {}.", ring.text()),
        };
        out.line(
            text,
            json!({
                "stage": if accept { "answered" } else { "declined" },
                "call": ring.json(),
                "conference": conf.as_ref().map(|c| without_raw(to_json(c))),
            }),
        );
        Ok(())
    }
    .await;
    session.finish().await;
    result
}

/// `tcroom hang-up`.
pub async fn hang_up(a: HangUpArgs) -> Outcome {
    let out = Output { json: a.json };
    let timeout = seconds(a.target.timeout, "--timeout")?;
    let session = a.target.open(&[]).await?;
    let result = async {
        let mut events = session.client.subscribe();
        let before = session.client.snapshot();
        let was = before.conference.clone();
        // A call that started before we connected is known by its participants only.
        let others: Vec<String> = before
            .participants
            .iter()
            .map(|p| p.peer_id.clone())
            .filter(|p| before.own_peer_id.as_deref().is_none_or(|me| !p.starts_with(me)))
            .collect();
        session.client.hang_up(a.for_all).await?;
        let done = confirm::until(&mut events, Instant::now() + timeout, |ev| match &ev.kind {
            EventKind::ConferenceDeleted { .. } | EventKind::StopCalling(_) | EventKind::RejectSent(_) => Some(()),
            EventKind::AppStateChanged(s) if s.app_state == AppState::Normal => Some(()),
            _ => None,
        })
        .await?;
        match done {
            Waited::Got(()) => {}
            Waited::Deadline => {
                return Err(Failure::new(
                    TIMEOUT,
                    format!("the room accepted hangUp but did not confirm it within {timeout:?}"),
                ))
            }
            Waited::Interrupted => return Err(confirm::interrupted("while waiting for the room")),
        }
        let what = match &was {
            // Known from the room's lists only, a call does not name the other side: the
            // participants do.
            Some(c) if c.conf_type.is_none() && c.peer_id.is_none() && !others.is_empty() => {
                format!("the call with {}", others.join(", "))
            }
            Some(c) => who(c, "the other side"),
            None if !others.is_empty() => format!("the call with {}", others.join(", ")),
            None => "the call".into(),
        };
        let ringing = before.app_state == Some(AppState::Wait) && was.is_none() && others.is_empty();
        let text = match (ringing, a.for_all) {
            (true, _) => "Stopped the ringing call.".to_owned(),
            (false, true) => format!("Ended {what} for everyone."),
            (false, false) => format!("Left {what}."),
        };
        out.line(text, json!({"stage": "hung_up", "forAll": a.for_all, "confId": was.map(|c| c.conf_id)}));
        Ok(())
    }
    .await;
    session.finish().await;
    result
}
