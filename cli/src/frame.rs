//! `tcroom frame SLOT -o FILE`: one JPEG still of a video slot from the room's embedded HTTP
//! server (PROTOCOL.md §10). The token it needs is fetched by the client and never printed.

use crate::exit::{Failure, Outcome, ERROR};
use crate::output::Output;
use crate::slots;
use crate::target::Target;
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
    tcroom frame self -o me.jpg            our own camera\n  \
    tcroom frame alice -o alice.jpg        a participant, by name (see tcroom layout)\n  \
    tcroom frame self -o - | display       to standard output")]
pub struct FrameArgs {
    /// The video slot: `self` (or `#self:0`, quoted) for our own camera, or a participant's
    /// name or slot id as `tcroom layout` lists them.
    slot: String,
    /// Where to write the JPEG; `-` for standard output.
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    /// Print JSON instead of text (on standard error with `-o -`).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    target: Target,
}

fn write(path: &PathBuf, bytes: &[u8]) -> Result<(), Failure> {
    if path.as_os_str() == "-" {
        let mut stdout = std::io::stdout().lock();
        return stdout
            .write_all(bytes)
            .and_then(|()| stdout.flush())
            .map_err(|e| Failure::new(ERROR, format!("cannot write the frame to standard output: {e}")));
    }
    std::fs::write(path, bytes).map_err(|e| Failure::new(ERROR, format!("cannot write {}: {e}", path.display())))
}

/// `tcroom frame SLOT -o FILE`.
pub async fn run(a: FrameArgs) -> Outcome {
    let session = a.target.open(&[]).await?;
    let result = async {
        let matrix = if slots::needs_layout(&a.slot) { Some(session.client.get_video_matrix().await?) } else { None };
        let slot = slots::resolve(&a.slot, matrix.as_ref()).map_err(|e| Failure::new(ERROR, e))?;
        let bytes = session.client.frame(&slot).await?;
        if !bytes.starts_with(&[0xFF, 0xD8]) {
            eprintln!("tcroom: warning: the frame of '{slot}' does not look like a JPEG");
        }
        write(&a.output, &bytes)?;
        Ok::<_, Failure>((slot, bytes.len()))
    }
    .await;
    session.finish().await;
    let (slot, size) = result?;
    let to_stdout = a.output.as_os_str() == "-";
    let where_ = if to_stdout { "standard output".to_owned() } else { a.output.display().to_string() };
    let text = format!("Saved the frame of {slot} ({size} bytes, JPEG) to {where_}");
    let machine = json!({"slot": slot, "bytes": size, "file": if to_stdout { None } else { Some(where_.clone()) }});
    if to_stdout {
        // Standard output carries the image.
        eprintln!("{}", if a.json { machine.to_string() } else { text });
    } else {
        Output { json: a.json }.line(text, machine);
    }
    Ok(())
}
