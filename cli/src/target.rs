//! Which room to talk to: a real one (`--host`) or an emulated one started in-process.

use crate::exit::{Failure, CONNECT, ERROR};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tcroom_core::{Client, ConnectOptions, EventStream, Role};
use tcroom_emulator::{config_from_scenario, Answer, Emulator, EmulatorConfig, SimUser};

#[derive(clap::Args, Debug, Clone)]
#[command(next_help_heading = "Room")]
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
    /// The control role to take (by default the room decides from the PIN).
    ///
    /// The room authorizes one connection per role: a long `state --watch` or `events` run with
    /// `--role user` is not pushed out by other commands, which take admin.
    #[arg(long, value_enum)]
    pub role: Option<RoleArg>,
    /// Seconds to wait for the connection and for each reply.
    #[arg(long, default_value_t = 10.0)]
    pub timeout: f64,
    /// For tests and demos: start the emulated room from this scenario file (emulator/README.md).
    #[arg(long, value_name = "FILE", hide = true, conflicts_with = "host")]
    pub emulator_scenario: Option<PathBuf>,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy)]
pub enum RoleArg {
    Admin,
    User,
}

/// A connected client, and the emulator behind it when there is one (kept alive with it).
pub struct Session {
    pub client: Client,
    pub events: EventStream,
    pub emulator: Option<Emulator>,
}

/// A connection whose events wait in a bounded queue.
pub struct QueuedSession {
    pub client: Client,
    pub queue: std::sync::Arc<tcroom_core::EventQueue>,
    /// Kept running while the connection is used.
    _emulator: Option<Emulator>,
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
        let (opts, emulator) = self.prepare(invitees).await?;
        let (client, events) =
            Client::connect_subscribed(opts).await.map_err(|e| Failure::new(CONNECT, e.to_string()))?;
        Ok(Session { client, events, emulator })
    }

    /// Connects with the core's bounded event queue (oldest dropped first, the loss reported
    /// as `eventsLost`) instead of a stream: for a command that prints every event to a reader
    /// who may fall behind.
    pub async fn connect_queued(&self) -> Result<QueuedSession, Failure> {
        let (opts, emulator) = self.prepare(&[]).await?;
        let (client, queue) = Client::connect_queued(opts).await.map_err(|e| Failure::new(CONNECT, e.to_string()))?;
        Ok(QueuedSession { client, queue, _emulator: emulator })
    }

    /// The connect options, and the emulated room when no host is given.
    async fn prepare(&self, invitees: &[String]) -> Result<(ConnectOptions, Option<Emulator>), Failure> {
        let timeout = seconds(self.timeout, "--timeout")?;
        let (mut opts, emulator) = match &self.host {
            Some(host) => {
                let mut o = ConnectOptions::new(host.clone()).web_port(self.port);
                o.ws_port = self.ws_port;
                (o, None)
            }
            None => {
                let emu = start_emulator(self.pin.as_deref(), invitees, self.emulator_scenario.as_deref()).await?;
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
        if let Some(role) = self.role {
            opts = opts.role(match role {
                RoleArg::Admin => Role::Admin,
                RoleArg::User => Role::User,
            });
        }
        opts = opts.connect_timeout(timeout).request_timeout(timeout);
        Ok((opts, emulator))
    }
}

impl Target {
    /// [`connect`](Self::connect) for commands that read no event stream of their own: the
    /// lossless stream (unbounded) is swapped for a bounded subscription, so that a command
    /// that waits long does not pile up notifications nobody reads.
    pub async fn open(&self, invitees: &[String]) -> Result<Session, Failure> {
        let mut session = self.connect(invitees).await?;
        session.events = session.client.subscribe();
        Ok(session)
    }
}

impl Session {
    /// Closes the connection, then the emulated room if there is one.
    pub async fn finish(self) {
        self.client.close().await;
        if let Some(emu) = self.emulator {
            emu.shutdown().await;
        }
    }
}

fn scenario(path: &Path) -> Result<EmulatorConfig, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::new(ERROR, format!("cannot read the scenario {}: {e}", path.display())))?;
    config_from_scenario(&text).map_err(|e| Failure::new(ERROR, format!("{}: {e}", path.display())))
}

async fn start_emulator(
    pin: Option<&str>,
    invitees: &[String],
    scenario_file: Option<&Path>,
) -> Result<Emulator, Failure> {
    let mut config = match scenario_file {
        Some(path) => scenario(path)?,
        None => EmulatorConfig::default(),
    };
    if let Some(pin) = pin {
        config.auth = tcroom_emulator::AuthMode::Pin(pin.to_owned());
    }
    // Staggered answers make the demo read like a real call-out (users the scenario lists keep
    // their own answers).
    for (i, id) in invitees.iter().enumerate() {
        let id =
            if id.contains('@') { id.split('/').next().unwrap_or(id).to_owned() } else { format!("{id}@some.server") };
        if !config.users.iter().any(|u| u.id.eq_ignore_ascii_case(&id)) {
            config.users.push(SimUser::new(&id, Answer::Join { delay: Duration::from_millis(300 + 250 * i as u64) }));
        }
    }
    Emulator::start(config).await.map_err(|e| Failure::new(ERROR, format!("cannot start the emulated room: {e}")))
}
