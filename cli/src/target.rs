//! Which room to talk to: a real one (`--host`) or an emulated one started in-process.

use crate::exit::{Failure, CONNECT, ERROR};
use std::time::Duration;
use tcroom_core::{Client, ConnectOptions, EventStream};
use tcroom_emulator::{Answer, Emulator, EmulatorConfig, SimUser};

#[derive(clap::Args, Debug, Clone)]
pub struct Target {
    /// The room's host. Without it, an emulated room is started in-process.
    #[arg(long)]
    pub host: Option<String>,
    /// The room's web manager port, for discovery through config.json.
    #[arg(long, default_value_t = 80, conflicts_with = "ws_port")]
    pub port: u16,
    /// The control WebSocket port (skips discovery).
    #[arg(long)]
    pub ws_port: Option<u16>,
    /// PIN or password for `auth` (also TCROOM_PIN, which keeps it out of shell history).
    #[arg(long, env = "TCROOM_PIN", hide_env_values = true)]
    pub pin: Option<String>,
    /// Seconds to wait for the connection and for each reply.
    #[arg(long, default_value_t = 10.0)]
    pub timeout: f64,
}

/// A connected client, and the emulator behind it when there is one (kept alive with it).
pub struct Session {
    pub client: Client,
    pub events: EventStream,
    pub emulator: Option<Emulator>,
}

pub fn seconds(s: f64, what: &str) -> Result<Duration, Failure> {
    if s.is_finite() && s > 0.0 && s < 1e7 {
        Ok(Duration::from_secs_f64(s))
    } else {
        Err(Failure::new(ERROR, format!("{what} must be a positive number of seconds, got {s}")))
    }
}

impl Target {
    /// `invitees` seeds the emulated room's directory so that the demo shows them joining.
    pub async fn connect(&self, invitees: &[String]) -> Result<Session, Failure> {
        let timeout = seconds(self.timeout, "--timeout")?;
        let (mut opts, emulator) = match &self.host {
            Some(host) => {
                let mut o = ConnectOptions::new(host.clone()).web_port(self.port);
                o.ws_port = self.ws_port;
                (o, None)
            }
            None => {
                let emu = start_emulator(self.pin.as_deref(), invitees).await?;
                eprintln!(
                    "tcroom: no --host given: using an emulated room on 127.0.0.1 (web port {}, WebSocket port {})",
                    emu.web_port(),
                    emu.ws_port()
                );
                (ConnectOptions::new("127.0.0.1").web_port(emu.web_port()), Some(emu))
            }
        };
        if let Some(pin) = &self.pin {
            opts = opts.pin(pin.clone());
        }
        opts = opts.connect_timeout(timeout).request_timeout(timeout);
        let (client, events) =
            Client::connect_subscribed(opts).await.map_err(|e| Failure::new(CONNECT, e.to_string()))?;
        Ok(Session { client, events, emulator })
    }
}

async fn start_emulator(pin: Option<&str>, invitees: &[String]) -> Result<Emulator, Failure> {
    let mut config = EmulatorConfig::default();
    if let Some(pin) = pin {
        config.auth = tcroom_emulator::AuthMode::Pin(pin.to_owned());
    }
    // Staggered answers make the demo read like a real call-out.
    config.users = invitees
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let id = if id.contains('@') {
                id.split('/').next().unwrap_or(id).to_owned()
            } else {
                format!("{id}@some.server")
            };
            SimUser::new(&id, Answer::Join { delay: Duration::from_millis(300 + 250 * i as u64) })
        })
        .collect();
    Emulator::start(config).await.map_err(|e| Failure::new(ERROR, format!("cannot start the emulated room: {e}")))
}
