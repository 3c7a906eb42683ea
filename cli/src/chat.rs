//! `tcroom say`: a chat message to a user, or to everyone in the conference.

use crate::confirm::{self, Waited};
use crate::exit::{Failure, Outcome, TIMEOUT, USAGE};
use crate::output::Output;
use crate::target::{seconds, Target};
use serde_json::json;
use tcroom_core::EventKind;
use tokio::time::Instant;

#[derive(clap::Args, Debug)]
#[command(override_usage = "tcroom say [OPTIONS] <PEER> <TEXT>...\n       tcroom say --group [OPTIONS] <TEXT>...")]
#[command(after_help = "Examples:\n  \
    tcroom say alice@corp.example Starting in 5 minutes\n  \
    tcroom say --group \"Back in 10\"")]
pub struct SayArgs {
    /// The recipient (PeerId or CallId), then the message; words are joined with spaces. With
    /// --group, only the message. Put `--` before a message that starts with a dash.
    #[arg(required = true, value_name = "PEER TEXT", num_args = 1..)]
    words: Vec<String>,
    /// Send to everyone in the current conference instead of one user.
    #[arg(long)]
    group: bool,
    /// Print JSON lines instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    target: Target,
}

/// `tcroom say PEER TEXT...` / `tcroom say --group TEXT...`.
pub async fn say(a: SayArgs) -> Outcome {
    let out = Output { json: a.json };
    let (peer, text) = if a.group {
        (None, a.words.join(" "))
    } else {
        match a.words.split_first() {
            Some((peer, rest)) if !rest.is_empty() => (Some(peer.clone()), rest.join(" ")),
            _ => return Err(Failure::new(USAGE, "say needs a recipient and a message (or --group and a message)")),
        }
    };
    if text.trim().is_empty() {
        return Err(Failure::new(USAGE, "the message is empty"));
    }
    let timeout = seconds(a.target.timeout, "--timeout")?;
    let session = a.target.open(&[]).await?;
    let client = session.client.clone();
    let result = async {
        let mut events = client.subscribe();
        match &peer {
            Some(p) => client.send_message(p, &text).await?,
            None => client.send_group_message(&text).await?,
        }
        let group = peer.is_none();
        let waited = confirm::until(&mut events, Instant::now() + timeout, |ev| match &ev.kind {
            EventKind::ChatMessageSent(m) if !group && m.message == text => Some(m.peer_id.clone()),
            EventKind::GroupChatMessageSent(m) if group && m.message == text => Some(None),
            _ => None,
        })
        .await?;
        let to = match waited {
            Waited::Got(to) => to.or(peer.clone()),
            Waited::Deadline => {
                return Err(Failure::new(
                    TIMEOUT,
                    format!("the room accepted the message but did not report it sent within {timeout:?}"),
                ))
            }
            Waited::Interrupted => return Err(confirm::interrupted("while waiting for the room")),
        };
        let shown = to.clone().unwrap_or_else(|| "the conference".into());
        out.line(
            format!("Sent to {shown}: {text}"),
            json!({"stage": "sent", "to": to, "group": group, "message": text}),
        );
        Ok(())
    }
    .await;
    session.finish().await;
    result
}
