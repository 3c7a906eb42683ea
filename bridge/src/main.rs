//! `tcroom-bridge CONFIG.toml`: bridges the rooms of the file to the MQTT broker until SIGINT or
//! SIGTERM.

use clap::Parser;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "tcroom-bridge", version, about = "TrueConf Rooms on MQTT, with Home Assistant discovery")]
struct Cli {
    #[command(flatten)]
    args: tcroom_bridge::cli::Args,
    /// Log more (-v debug, -vv trace) to stderr; RUST_LOG overrides. Secrets are never logged.
    #[arg(short, long, action = clap::ArgAction::Count)]
    verbose: u8,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let default = match cli.verbose {
        0 => "tcroom_bridge=info,warn",
        1 => "tcroom_bridge=debug,tcroom_core=debug,info",
        _ => "tcroom_bridge=trace,tcroom_core=trace,debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tcroom-bridge: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(tcroom_bridge::cli::run(cli.args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tcroom-bridge: {e}");
            ExitCode::FAILURE
        }
    }
}
