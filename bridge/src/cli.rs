//! The command line shared by the `tcroom-bridge` binary and `tcroom bridge`.

use crate::config::Config;
use crate::error::Result;
use std::path::PathBuf;

#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// The TOML configuration file (see bridge/README.md).
    pub config: PathBuf,
    /// Check the file (and that every secret it names can be read), print a summary, exit.
    #[arg(long)]
    pub check: bool,
}

/// Runs the bridge until SIGINT or SIGTERM, then publishes `offline` for every room and stops.
pub async fn run(args: Args) -> Result<()> {
    let config = Config::load(&args.config)?;
    if args.check {
        crate::mqtt::Broker::new(&config.mqtt)?;
        for room in &config.rooms {
            room.pin()?;
        }
        println!(
            "{}: ok: broker {}, prefix '{}', {} room(s){}",
            args.config.display(),
            config.mqtt.url,
            config.mqtt.topic_prefix,
            config.rooms.len(),
            if config.home_assistant.discovery { ", Home Assistant discovery on" } else { "" }
        );
        return Ok(());
    }
    crate::bridge::run(&config, shutdown_signal()).await
}

/// SIGINT or SIGTERM.
pub async fn shutdown_signal() {
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
