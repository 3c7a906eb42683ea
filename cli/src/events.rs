//! `tcroom events`: every notification, as it arrives.

use crate::exit::{Failure, Outcome, ERROR};
use crate::output::Output;
use crate::target::Target;
use serde_json::json;
use tcroom_core::StreamItem;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Print JSON lines instead of text.
    #[arg(long)]
    json: bool,
    /// Stop after this many events.
    #[arg(long)]
    count: Option<u64>,
    #[command(flatten)]
    target: Target,
}

pub async fn run(a: Args) -> Outcome {
    let out = Output { json: a.json };
    let mut session = a.target.connect(&[]).await?;
    let mut seen = 0u64;
    loop {
        if a.count.is_some_and(|c| seen >= c) {
            break;
        }
        let item = tokio::select! {
            item = session.events.recv() => item,
            _ = tokio::signal::ctrl_c() => break,
        };
        match item {
            Some(StreamItem::Event(ev)) => {
                out.event(&ev);
                seen += 1;
                if matches!(ev.kind, tcroom_core::EventKind::Disconnected { .. }) {
                    return Err(Failure::new(ERROR, "the connection ended"));
                }
            }
            Some(StreamItem::Lagged(n)) => {
                out.line(format!("(missed {n} events)"), json!({"stage": "lagged", "missed": n}))
            }
            None => return Err(Failure::new(ERROR, "the connection ended")),
        }
    }
    session.client.close().await;
    Ok(())
}
