//! `tcroom`: drive a TrueConf Room from a shell.

mod call;
mod create;
mod events;
mod exit;
mod output;
mod target;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "tcroom", version, about = "Drive a TrueConf Room / VideoSDK endpoint over its WebSocket API")]
#[command(after_help = "Without --host, every command runs against an emulated room started in-process.\n\
Exit codes: 0 ok, 1 error, 2 usage, 3 refused by the room, 4 time-out, 5 cannot connect or authorize.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Log more (-v debug, -vv trace) to stderr; RUST_LOG overrides. Secrets are never logged.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
}

#[derive(Subcommand)]
enum Command {
    /// Create a group conference, wait for it to start and follow the invitees.
    CreateConference(create::Args),
    /// Stream the room's notifications until interrupted.
    Events(events::Args),
    /// Send any command and print the reply, e.g. `tcroom call getAppState`.
    Call(call::Args),
    /// Bridge the rooms of a TOML file to an MQTT broker until interrupted (see bridge/README.md).
    Bridge(tcroom_bridge::cli::Args),
}

fn init_logs(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "tcroom_core=debug,tcroom_cli=debug,info",
        _ => "tcroom_core=trace,tcroom_cli=trace,debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logs(cli.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tcroom: error: cannot start the runtime: {e}");
            return ExitCode::from(exit::ERROR);
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::CreateConference(a) => create::run(a).await,
            Command::Events(a) => events::run(a).await,
            Command::Call(a) => call::run(a).await,
            Command::Bridge(a) => {
                tcroom_bridge::cli::run(a).await.map_err(|e| exit::Failure::new(exit::ERROR, e.to_string()))
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("tcroom: error: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}
