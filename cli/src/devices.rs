//! `tcroom devices`: the microphones, speakers and cameras, and `devices select` to switch.

use crate::confirm::{self, Waited};
use crate::exit::{Failure, Outcome, ERROR};
use crate::media::Media;
use crate::output::Output;
use crate::target::{seconds, Target};
use serde_json::{json, Value};
use tcroom_core::{Device, EventKind, Hardware};
use tokio::time::Instant;

#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
#[command(after_help = "Examples:\n  \
    tcroom devices                         * marks the ones in use\n  \
    tcroom devices select camera c920      a unique part of the name will do\n  \
    tcroom devices select mic none         no microphone")]
pub struct DevicesArgs {
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
    /// Use another microphone, speaker or camera, e.g. `tcroom devices select camera c920`.
    Select(SelectArgs),
}

#[derive(clap::Args, Debug)]
struct SelectArgs {
    /// mic, speaker or camera.
    #[arg(value_enum)]
    kind: Media,
    /// The device: its name as `tcroom devices` lists it, or a unique part of it (any case);
    /// `none` for no device.
    name: String,
    /// The device's system id, to tell apart devices of the same name.
    #[arg(long)]
    description: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    target: Target,
}

fn of_kind(hw: &Hardware, kind: Media) -> (&[Device], Option<&Device>) {
    match kind {
        Media::Mic => (&hw.microphones, hw.current_microphone.as_ref()),
        Media::Speaker => (&hw.speakers, hw.current_speaker.as_ref()),
        Media::Camera => (&hw.cameras, hw.current_camera.as_ref()),
    }
}

fn plural(kind: Media) -> &'static str {
    match kind {
        Media::Mic => "Microphones",
        Media::Speaker => "Speakers",
        Media::Camera => "Cameras",
    }
}

fn is_current(d: &Device, current: Option<&Device>) -> bool {
    current.is_some_and(|c| {
        c.name == d.name && (c.description.is_none() || d.description.is_none() || c.description == d.description)
    })
}

const KINDS: [Media; 3] = [Media::Mic, Media::Speaker, Media::Camera];

fn listing(hw: &Hardware) -> (String, Value) {
    let mut text = String::new();
    let mut machine = serde_json::Map::new();
    for kind in KINDS {
        let (list, current) = of_kind(hw, kind);
        text.push_str(&format!("{}:\n", plural(kind)));
        if list.is_empty() {
            text.push_str("    (none)\n");
        }
        let mut rows = Vec::new();
        for d in list {
            let mark = if is_current(d, current) { "*" } else { " " };
            let desc =
                d.description.as_deref().filter(|s| !s.is_empty()).map(|s| format!("  [{s}]")).unwrap_or_default();
            text.push_str(&format!("  {mark} {}{desc}\n", d.name));
            rows.push(json!({"name": d.name, "description": d.description, "current": is_current(d, current)}));
        }
        machine.insert(plural(kind).to_lowercase(), Value::Array(rows));
        machine.insert(format!("current_{}", kind_key(kind)), json!(current.map(|c| &c.name)));
    }
    text.push_str("(* in use)");
    (text, Value::Object(machine))
}

fn kind_key(kind: Media) -> &'static str {
    match kind {
        Media::Mic => "microphone",
        Media::Speaker => "speaker",
        Media::Camera => "camera",
    }
}

/// The device `name` names among `list`: exactly, in any case, or as the one device whose name
/// contains it.
pub fn resolve<'a>(list: &'a [Device], name: &str, description: Option<&str>) -> Result<&'a Device, String> {
    let fits = |d: &&Device| description.is_none_or(|want| d.description.as_deref() == Some(want));
    let exact: Vec<&Device> = list.iter().filter(|d| d.name == name).filter(fits).collect();
    if exact.len() == 1 {
        return Ok(exact[0]);
    }
    let needle = name.to_lowercase();
    let loose: Vec<&Device> = if exact.is_empty() {
        let same: Vec<&Device> = list.iter().filter(|d| d.name.to_lowercase() == needle).filter(fits).collect();
        if same.is_empty() {
            list.iter().filter(|d| d.name.to_lowercase().contains(&needle)).filter(fits).collect()
        } else {
            same
        }
    } else {
        exact
    };
    let names = |v: &[&Device]| {
        v.iter()
            .map(|d| match &d.description {
                Some(desc) => format!("'{}' [{desc}]", d.name),
                None => format!("'{}'", d.name),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    match loose.len() {
        1 => Ok(loose[0]),
        0 => {
            let all: Vec<&Device> = list.iter().collect();
            Err(format!(
                "no device matches '{name}'{}; there are: {}",
                description.map(|d| format!(" [{d}]")).unwrap_or_default(),
                if all.is_empty() { "none".into() } else { names(&all) }
            ))
        }
        _ => Err(format!("'{name}' matches several devices: {} (name one, or add --description)", names(&loose))),
    }
}

/// `tcroom devices [select KIND NAME]`.
pub async fn run(a: DevicesArgs) -> Outcome {
    match a.action {
        Some(Action::Select(s)) => select(s).await,
        None => {
            let out = Output { json: a.json };
            let session = a.target.open(&[]).await?;
            let result = session.client.get_hardware().await;
            session.finish().await;
            let (text, machine) = listing(&result?);
            out.line(text, machine);
            Ok(())
        }
    }
}

async fn select(a: SelectArgs) -> Outcome {
    let out = Output { json: a.json };
    let timeout = seconds(a.target.timeout, "--timeout")?;
    if a.name.trim().is_empty() {
        return Err(Failure::new(ERROR, "the device name is empty"));
    }
    let session = a.target.open(&[]).await?;
    let client = session.client.clone();
    let result = async {
        let hw = client.get_hardware().await?;
        let (list, _) = of_kind(&hw, a.kind);
        let (name, description) = if a.name.eq_ignore_ascii_case("none") {
            ("none".to_owned(), a.description.clone())
        } else {
            let d = resolve(list, &a.name, a.description.as_deref())
                .map_err(|e| Failure::new(ERROR, format!("{}: {e}", kind_key(a.kind))))?;
            (d.name.clone(), d.description.clone())
        };
        let mut events = client.subscribe();
        let desc = description.as_deref();
        match a.kind {
            Media::Mic => client.set_audio_capturer(&name, desc).await?,
            Media::Speaker => client.set_audio_renderer(&name, desc).await?,
            Media::Camera => client.set_video_capturer(&name, desc).await?,
        }
        let kind = a.kind;
        let waited = confirm::until(&mut events, Instant::now() + timeout, |ev| match &ev.kind {
            EventKind::HardwareChanged(hw) => Some(of_kind(hw, kind).1.map(|d| d.name.clone())),
            _ => None,
        })
        .await?;
        let (now, confirmed) = match waited {
            Waited::Got(now) => (now, true),
            Waited::Deadline => {
                eprintln!(
                    "tcroom: the room accepted the change but sent no hardwareChanged within {timeout:?}; asking it"
                );
                (of_kind(&client.get_hardware().await?, kind).1.map(|d| d.name.clone()), false)
            }
            Waited::Interrupted => return Err(confirm::interrupted("while waiting for the room")),
        };
        let shown = now.clone().unwrap_or_else(|| "none".into());
        let text = if shown.eq_ignore_ascii_case("none") { "no device".into() } else { format!("{shown} (in use)") };
        out.line(
            format!("{}: {text}", kind.title()),
            json!({"kind": kind_key(kind), "current": now, "confirmed": confirmed}),
        );
        if !shown.eq_ignore_ascii_case(&name) {
            return Err(Failure::new(ERROR, format!("asked for '{name}', but the room uses '{shown}'")));
        }
        Ok(())
    }
    .await;
    session.finish().await;
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev(name: &str, desc: &str) -> Device {
        Device {
            name: name.into(),
            description: Some(desc.into()),
            device_type: Some(0),
            connected: None,
            raw: Value::Null,
        }
    }

    #[test]
    fn names_resolve_exactly_then_loosely() {
        let list = [dev("Logitech PTZ Pro 2", "a"), dev("HD Pro Webcam C920", "b"), dev("Pro Cam", "c")];
        assert_eq!(resolve(&list, "HD Pro Webcam C920", None).unwrap().description.as_deref(), Some("b"));
        assert_eq!(resolve(&list, "c920", None).unwrap().name, "HD Pro Webcam C920");
        assert_eq!(resolve(&list, "pro cam", None).unwrap().name, "Pro Cam");
        let e = resolve(&list, "pro", None).unwrap_err();
        assert!(e.contains("several") && e.contains("Logitech"), "{e}");
        let e = resolve(&list, "brio", None).unwrap_err();
        assert!(e.contains("no device matches 'brio'") && e.contains("C920"), "{e}");
        let twins = [dev("USB Mic", "1"), dev("USB Mic", "2")];
        assert!(resolve(&twins, "USB Mic", None).is_err());
        assert_eq!(resolve(&twins, "USB Mic", Some("2")).unwrap().description.as_deref(), Some("2"));
    }
}
