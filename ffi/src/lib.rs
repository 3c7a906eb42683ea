//! `libtcroom`: the C ABI of tcroom, a thin face over `tcroom-core`.
//!
//! The header `include/tcroom.h` is generated from these sources by cbindgen and documents
//! the contract (ownership, threads, shutdown order); `ffi/README.md` is the guide. Module map:
//! plumbing (`status`, `error`, `panic`, `cast`, `strings`, `runtime`), a client's insides
//! (`hub`, `wakefd`, `dispatcher`), and the exported surface (`options`, `client`, `delivery`,
//! `event`, `conference`, `participant`, `create`, `commands`, `json`).

// C names (`tc_client`, `tc_status`) are the ABI; Rust naming rules do not apply to them.
#![allow(non_camel_case_types)]

mod cast;
mod client;
mod commands;
mod conference;
mod create;
mod delivery;
mod dispatcher;
mod error;
mod event;
mod hub;
mod json;
mod options;
mod panic;
mod participant;
mod runtime;
mod status;
mod strings;
mod wakefd;

pub use client::tc_client;
pub use commands::TC_TIMEOUT_DEFAULT;
pub use conference::{tc_conf_type, tc_conference};
pub use create::{tc_conference_callback, tc_conference_params, tc_conference_stage};
pub use delivery::{tc_event_callback, tc_free_user_data, TC_WAIT_FOREVER};
pub use event::{tc_event, tc_event_kind};
pub use json::tc_json_callback;
pub use options::{tc_client_options, tc_role};
pub use participant::{tc_participant, tc_participant_list};
pub use status::tc_status;

use std::os::raw::c_char;

/// Major version of the library this header belongs to.
pub const TC_VERSION_MAJOR: u32 = 0;
/// Minor version.
pub const TC_VERSION_MINOR: u32 = 1;
/// Patch version.
pub const TC_VERSION_PATCH: u32 = 0;
/// The three as one number, MAJOR * 1000000 + MINOR * 1000 + PATCH, for `#if` checks.
pub const TC_VERSION: u32 = TC_VERSION_MAJOR * 1000000 + TC_VERSION_MINOR * 1000 + TC_VERSION_PATCH;

/// The library's version as "MAJOR.MINOR.PATCH" (static; do not free). Compare with the
/// `TC_VERSION_*` macros to detect a header/library mismatch.
#[no_mangle]
pub extern "C" fn tc_version() -> *const c_char {
    panic::ffi_guard(|| concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast::<c_char>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    fn cargo(part: &str) -> u32 {
        part.parse().expect("a numeric version part")
    }

    #[test]
    #[allow(clippy::assertions_on_constants)] // the point is to pin these constants
    fn version_macros_match_cargo_toml() {
        assert_eq!(TC_VERSION_MAJOR, cargo(env!("CARGO_PKG_VERSION_MAJOR")));
        assert_eq!(TC_VERSION_MINOR, cargo(env!("CARGO_PKG_VERSION_MINOR")));
        assert_eq!(TC_VERSION_PATCH, cargo(env!("CARGO_PKG_VERSION_PATCH")));
        let composed = TC_VERSION_MAJOR * 1_000_000 + TC_VERSION_MINOR * 1_000 + TC_VERSION_PATCH;
        assert_eq!(TC_VERSION, composed);
        // Each part must fit its three digits, or the composed number becomes ambiguous.
        assert!(TC_VERSION_MINOR < 1000 && TC_VERSION_PATCH < 1000);
    }

    #[test]
    fn version_string_matches_cargo_toml() {
        let s = unsafe { CStr::from_ptr(tc_version()) }.to_str().unwrap();
        assert_eq!(s, env!("CARGO_PKG_VERSION"));
        assert_eq!(s, format!("{TC_VERSION_MAJOR}.{TC_VERSION_MINOR}.{TC_VERSION_PATCH}"));
    }

    #[test]
    fn the_header_carries_the_same_version() {
        let header = include_str!("../../include/tcroom.h");
        for (name, value) in [
            ("TC_VERSION_MAJOR", TC_VERSION_MAJOR),
            ("TC_VERSION_MINOR", TC_VERSION_MINOR),
            ("TC_VERSION_PATCH", TC_VERSION_PATCH),
        ] {
            let line = format!("#define {name} {value}");
            assert!(header.lines().any(|l| l.trim() == line), "include/tcroom.h lacks `{line}`: regenerate it");
        }
    }
}
