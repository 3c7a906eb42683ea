//! `tcroom`: drive a TrueConf Room from a shell.

mod calls;
mod catalogue_cmd;
mod chat;
mod completions;
mod confirm;
mod create;
mod devices;
mod events;
mod exit;
mod frame;
mod interrupt;
mod layout;
mod media;
mod output;
mod raw;
mod slots;
mod state;
mod target;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "tcroom", version, about = "Drive a TrueConf Room / VideoSDK endpoint over its WebSocket API")]
#[command(after_help = "Without --host, every command runs against an emulated room started in-process.\n\
The PIN comes from --pin or TCROOM_PIN and is never printed.\n\
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
    /// Call a peer (or join a conference by its id) and wait until answered or refused (exit 3).
    Call(calls::CallArgs),
    /// Answer the incoming call (waits for one with --wait).
    Answer(calls::AnswerArgs),
    /// Decline the incoming call (waits for one with --wait).
    Decline(calls::AnswerArgs),
    /// Leave the call or conference, or end it for everyone (--for-all).
    HangUp(calls::HangUpArgs),
    /// Show or change the mute state of the microphone, camera or speaker: `mute mic on`.
    Mute(media::MuteArgs),
    /// Show or set the speaker volume: `volume 55%`.
    Volume(media::VolumeArgs),
    /// List the microphones, speakers and cameras (* in use), or `devices select KIND NAME`.
    Devices(devices::DevicesArgs),
    /// Show the video layout, or change it: `layout set grid`, `layout swap self alice`.
    Layout(layout::LayoutArgs),
    /// Send a chat message: `say alice Starting in 5 minutes`, `say --group Hello`.
    Say(chat::SayArgs),
    /// Save one JPEG still of a video slot: `frame self -o me.jpg` (`-o -` for stdout).
    Frame(frame::FrameArgs),
    /// Print the live room state, or follow it with --watch (text or JSON lines).
    State(state::StateArgs),
    /// Create a group conference, wait for it to start and follow the invitees.
    CreateConference(create::Args),
    /// Stream the room's notifications until interrupted.
    Events(events::Args),
    /// Send any method with raw JSON parameters and print the reply, e.g. `tcroom call-raw getAppState`.
    CallRaw(raw::Args),
    /// Bridge the rooms of a TOML file to an MQTT broker until interrupted (see bridge/README.md).
    Bridge(tcroom_bridge::cli::Args),
    /// Print a shell completion script: `tcroom completions bash`.
    Completions(completions::CompletionsArgs),
}

/// The whole command tree: the derived commands and the catalogue's.
fn cli() -> clap::Command {
    Cli::command().subcommand(catalogue_cmd::command())
}

async fn dispatch(command: Command) -> exit::Outcome {
    match command {
        Command::Call(a) => calls::call(a).await,
        Command::Answer(a) => calls::answer(a, true).await,
        Command::Decline(a) => calls::answer(a, false).await,
        Command::HangUp(a) => calls::hang_up(a).await,
        Command::Mute(a) => media::mute(a).await,
        Command::Volume(a) => media::volume(a).await,
        Command::Devices(a) => devices::run(a).await,
        Command::Layout(a) => layout::run(a).await,
        Command::Say(a) => chat::say(a).await,
        Command::Frame(a) => frame::run(a).await,
        Command::State(a) => state::run(a).await,
        Command::CreateConference(a) => create::run(a).await,
        Command::Events(a) => events::run(a).await,
        Command::CallRaw(a) => raw::run(a).await,
        Command::Bridge(a) => {
            tcroom_bridge::cli::run(a).await.map_err(|e| exit::Failure::new(exit::ERROR, e.to_string()))
        }
        // Handled before the runtime starts.
        Command::Completions(_) => Ok(()),
    }
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
    let matches = cli().get_matches();
    init_logs(matches.get_count("verbose"));
    // `command` is built at run time from the catalogue; the rest is derived.
    let catalogue = matches.subcommand_matches(catalogue_cmd::NAME).cloned();
    let parsed = match catalogue {
        Some(_) => None,
        None => match Cli::from_arg_matches(&matches) {
            Ok(cli) => Some(cli),
            Err(e) => e.exit(),
        },
    };
    if let Some(Cli { command: Command::Completions(a), .. }) = &parsed {
        completions::run(a, cli());
        return ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tcroom: error: cannot start the runtime: {e}");
            return ExitCode::from(exit::ERROR);
        }
    };
    let result = runtime.block_on(async {
        interrupt::listen();
        let run = async {
            match (parsed, &catalogue) {
                (Some(cli), _) => dispatch(cli.command).await,
                (None, Some(m)) => catalogue_cmd::run(m).await,
                (None, None) => Ok(()),
            }
        };
        tokio::pin!(run);
        tokio::select! {
            r = &mut run => r,
            // Commands that wait see Ctrl-C themselves and finish; the others get a grace.
            () = interrupt::pressed(1) => tokio::select! {
                r = tokio::time::timeout(interrupt::GRACE, &mut run) => {
                    r.unwrap_or_else(|_| Err(exit::Failure::new(exit::ERROR, "interrupted")))
                }
                () = interrupt::pressed(2) => Err(exit::Failure::new(exit::ERROR, "interrupted")),
            },
        }
    });
    // A worker stuck in a write to a reader that stopped reading must not keep the process:
    // dropping the runtime would wait for it.
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("tcroom: error: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}
