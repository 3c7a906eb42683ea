//! The room's own microphone, camera and speaker: `tcroom mute` and `tcroom volume`. A change
//! is printed as the room confirms it (`audioCapturerMute`, `settingsChanged`...), not as asked.

use crate::confirm::{self, Waited};
use crate::exit::{Failure, Outcome, ERROR};
use crate::output::Output;
use crate::target::{seconds, Target};
use serde_json::json;
use tcroom_core::{Client, EventKind, VOLUME_SETTING};
use tokio::time::Instant;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Media {
    /// The microphone.
    #[value(alias = "microphone")]
    Mic,
    /// The camera.
    #[value(alias = "video", alias = "cam")]
    Camera,
    /// The speaker (playback).
    #[value(alias = "speakers", alias = "audio")]
    Speaker,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Switch {
    /// Mute: microphone silent, camera off, speaker silent.
    On,
    /// Unmute.
    Off,
    /// The opposite of the current state.
    Toggle,
}

#[derive(clap::Args, Debug)]
#[command(after_help = "Prints the state the room confirms (audioCapturerMute...), not the one asked for.\n\
Examples:\n  \
    tcroom mute                 all three\n  \
    tcroom mute mic on          mute the microphone\n  \
    tcroom mute camera off      turn the camera back on\n  \
    tcroom mute speaker toggle")]
pub struct MuteArgs {
    /// mic, camera or speaker; leave out to show all three.
    #[arg(value_enum)]
    device: Option<Media>,
    /// on mutes, off unmutes, toggle flips; leave out to show the current state.
    #[arg(value_enum, requires = "device")]
    switch: Option<Switch>,
    /// Print JSON lines instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    target: Target,
}

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  tcroom volume\n  tcroom volume 55%\n  tcroom volume 0.3\n  tcroom volume +10%")]
pub struct VolumeArgs {
    /// The new speaker volume: 0.0 to 1.0, a percentage (`55%`), or a change (`+10%`, `-0.1`).
    /// Leave out to show the current volume.
    #[arg(allow_hyphen_values = true)]
    level: Option<String>,
    /// Print JSON lines instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    target: Target,
}

impl Media {
    pub fn key(self) -> &'static str {
        match self {
            Media::Mic => "mic",
            Media::Camera => "camera",
            Media::Speaker => "speaker",
        }
    }
    pub fn title(self) -> &'static str {
        match self {
            Media::Mic => "Microphone",
            Media::Camera => "Camera",
            Media::Speaker => "Speaker",
        }
    }
    fn word(self, muted: bool) -> &'static str {
        match (self, muted) {
            (Media::Camera, true) => "off",
            (_, true) => "muted",
            (_, false) => "on",
        }
    }
    /// The notification that confirms our own mute state of this device.
    fn confirmation(self) -> &'static str {
        match self {
            Media::Mic => "audioCapturerMute",
            Media::Camera => "videoCapturerMute",
            Media::Speaker => "audioRendererMute",
        }
    }
    async fn get(self, c: &Client) -> tcroom_core::Result<bool> {
        match self {
            Media::Mic => c.get_mic_mute().await,
            Media::Camera => c.get_video_mute().await,
            Media::Speaker => c.get_audio_mute().await,
        }
    }
    async fn set(self, c: &Client, mute: bool) -> tcroom_core::Result<()> {
        match self {
            Media::Mic => c.set_mic_mute(mute).await,
            Media::Camera => c.set_video_mute(mute).await,
            Media::Speaker => c.set_audio_mute(mute).await,
        }
    }
    fn line(self, out: Output, muted: bool, confirmed: bool) {
        out.line(
            format!("{}: {}", self.title(), self.word(muted)),
            json!({"device": self.key(), "muted": muted, "confirmed": confirmed}),
        );
    }
}

/// `tcroom mute [DEVICE [on|off|toggle]]`.
pub async fn mute(a: MuteArgs) -> Outcome {
    let out = Output { json: a.json };
    let timeout = seconds(a.target.timeout, "--timeout")?;
    let session = a.target.open(&[]).await?;
    let client = session.client.clone();
    let result = async {
        let (device, switch) = match (a.device, a.switch) {
            (None, _) => {
                for d in [Media::Mic, Media::Camera, Media::Speaker] {
                    d.line(out, d.get(&client).await?, true);
                }
                return Ok(());
            }
            (Some(d), None) => {
                d.line(out, d.get(&client).await?, true);
                return Ok(());
            }
            (Some(d), Some(s)) => (d, s),
        };
        let mut events = client.subscribe();
        let want = match switch {
            Switch::On => true,
            Switch::Off => false,
            Switch::Toggle => !device.get(&client).await?,
        };
        device.set(&client, want).await?;
        let waited = confirm::until(&mut events, Instant::now() + timeout, |ev| match (&ev.kind, device) {
            (EventKind::MicMute(m), Media::Mic)
            | (EventKind::CameraMute(m), Media::Camera)
            | (EventKind::SpeakerMute(m), Media::Speaker) => Some(m.mute),
            _ => None,
        })
        .await?;
        let (muted, confirmed) = match waited {
            Waited::Got(m) => (m, true),
            Waited::Deadline => {
                eprintln!(
                    "tcroom: the room accepted the change but sent no {} within {timeout:?}; asking it",
                    device.confirmation()
                );
                (device.get(&client).await?, false)
            }
            Waited::Interrupted => return Err(confirm::interrupted("while waiting for the room")),
        };
        device.line(out, muted, confirmed);
        if muted != want {
            return Err(Failure::new(
                ERROR,
                format!(
                    "asked for the {} {}, but the room reports it {}",
                    device.key(),
                    device.word(want),
                    device.word(muted)
                ),
            ));
        }
        Ok(())
    }
    .await;
    session.finish().await;
    result
}

/// Reads a volume argument against the current level.
pub fn parse_level(text: &str, current: Option<f64>) -> Result<f64, String> {
    let t = text.trim();
    let relative = t.starts_with(['+', '-']);
    let (number, percent) = match t.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (t, false),
    };
    let n: f64 = number
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite())
        .ok_or_else(|| format!("'{text}' is not a volume: give 0.0 to 1.0, a percentage like 55%, or +10%"))?;
    let n = if percent { n / 100.0 } else { n };
    let level = if relative {
        let now = current.ok_or("the room did not tell the current volume, so a change cannot be applied")?;
        (now + n).clamp(0.0, 1.0)
    } else {
        n
    };
    if !(0.0..=1.0).contains(&level) {
        return Err(format!("'{text}' is out of range: the volume is 0.0 to 1.0 (0% to 100%)"));
    }
    // 0.6, not 0.6000000000000001, on the wire.
    Ok((level * 1000.0).round() / 1000.0)
}

fn volume_line(out: Output, level: f64, confirmed: bool) {
    out.line(format!("Volume: {:.0}%", level * 100.0), json!({"volume": level, "confirmed": confirmed}));
}

/// `tcroom volume [LEVEL]`.
pub async fn volume(a: VolumeArgs) -> Outcome {
    let out = Output { json: a.json };
    let timeout = seconds(a.target.timeout, "--timeout")?;
    // A bad absolute level fails before connecting.
    if let Some(l) = &a.level {
        if !l.trim().starts_with(['+', '-']) {
            parse_level(l, None).map_err(|e| Failure::new(ERROR, e))?;
        }
    }
    let session = a.target.open(&[]).await?;
    let client = session.client.clone();
    let result = async {
        let current = client.get_volume().await?;
        let Some(text) = &a.level else {
            volume_line(out, current, true);
            return Ok(());
        };
        let level = parse_level(text, Some(current)).map_err(|e| Failure::new(ERROR, e))?;
        let mut events = client.subscribe();
        client.set_volume(level).await?;
        let waited = confirm::until(&mut events, Instant::now() + timeout, |ev| match &ev.kind {
            EventKind::SettingsChanged(s) if s.name == VOLUME_SETTING => s.value.as_ref().and_then(|v| v.as_f64()),
            _ => None,
        })
        .await?;
        match waited {
            Waited::Got(now) => volume_line(out, now, true),
            Waited::Deadline => {
                eprintln!(
                    "tcroom: the room accepted the volume but sent no settingsChanged within {timeout:?}; asking it"
                );
                volume_line(out, client.get_volume().await?, false);
            }
            Waited::Interrupted => return Err(confirm::interrupted("while waiting for the room")),
        }
        Ok(())
    }
    .await;
    session.finish().await;
    result
}

#[cfg(test)]
mod tests {
    use super::parse_level;

    #[test]
    fn volume_arguments() {
        assert_eq!(parse_level("0.25", None), Ok(0.25));
        assert_eq!(parse_level("55%", None), Ok(0.55));
        assert_eq!(parse_level("+10%", Some(0.5)), Ok(0.6));
        assert_eq!(parse_level("-0.75", Some(0.5)), Ok(0.0));
        assert!(parse_level("1.5", None).unwrap_err().contains("out of range"));
        assert!(parse_level("loud", None).unwrap_err().contains("not a volume"));
        assert!(parse_level("+5%", None).is_err());
    }
}
