//! `tcroom-emulator`: runs the emulator until SIGINT/SIGTERM. The first stdout line is the bound
//! ports as JSON so that scripts can start it on port 0 and read where it landed.

use std::io::{IsTerminal, Write};
use std::net::IpAddr;
use std::path::PathBuf;

use clap::Parser;
use tcroom_emulator::{config_from_scenario, AuthMode, Emulator, EmulatorConfig};

#[derive(Parser)]
#[command(version, about = "Emulates a TrueConf Room control API (WebSocket + discovery + embedded HTTP)")]
struct Args {
    /// Address to bind all three ports on.
    #[arg(long)]
    host: Option<IpAddr>,
    /// Web manager (discovery) port; 0 = any free port.
    #[arg(long)]
    web_port: Option<u16>,
    /// Control WebSocket port; 0 = any free port.
    #[arg(long)]
    ws_port: Option<u16>,
    /// Embedded HTTP server port; 0 = any free port.
    #[arg(long)]
    http_port: Option<u16>,
    /// Require this PIN (auth type "secured").
    #[arg(long, conflicts_with = "unsecured")]
    pin: Option<String>,
    /// Accept unsecured auth (the default unless --pin or the scenario says otherwise).
    #[arg(long)]
    unsecured: bool,
    /// Scenario file (JSON, see README.md); command-line options override it.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// Give every WebSocket connection its own independent room.
    #[arg(long)]
    isolated_rooms: bool,
}

fn build_config(args: &Args) -> Result<EmulatorConfig, String> {
    let mut c = match &args.scenario {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            config_from_scenario(&text).map_err(|e| format!("{}: {e}", p.display()))?
        }
        None => EmulatorConfig::default(),
    };
    if let Some(h) = args.host {
        c.host = h;
    }
    c.web_port = args.web_port.unwrap_or(c.web_port);
    c.ws_port = args.ws_port.unwrap_or(c.ws_port);
    c.http_port = args.http_port.unwrap_or(c.http_port);
    if let Some(pin) = &args.pin {
        c.auth = AuthMode::Pin(pin.clone());
    } else if args.unsecured {
        c.auth = AuthMode::Unsecured;
    }
    c.isolated_rooms |= args.isolated_rooms;
    Ok(c)
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    let config = match build_config(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("tcroom-emulator: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let emu = match Emulator::start(config).await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("tcroom-emulator: cannot bind: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        r#"{{"web_port":{},"ws_port":{},"http_port":{}}}"#,
        emu.web_port(),
        emu.ws_port(),
        emu.http_port()
    );
    let _ = out.flush();
    drop(out);
    wait_for_signal().await;
    tracing::info!("signal received, shutting down");
    emu.shutdown().await;
    std::process::ExitCode::SUCCESS
}
