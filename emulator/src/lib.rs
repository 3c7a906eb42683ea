//! `tcroom-emulator`: a stand-in for the TrueConf Room application speaking its control protocol
//! (see PROTOCOL.md) over real sockets, with fault injection for tests.

mod config;
mod emulator;
mod faults;
mod frames;
mod http;
mod params;
mod room;
mod server;
mod session;
mod shared;

pub use config::{
    config_from_scenario, default_tariff, Answer, AuthMode, CreatedOrder, EmulatorConfig, PodiumAnswer, ScriptStep,
    SimConference, SimUser,
};
pub use emulator::Emulator;
pub use faults::Faults;
