#!/usr/bin/env bash
# Soak: many clients (the Rust core, half behind a TCP proxy, and the C ABI) times many commands
# against the emulator in process, with event storms and random faults (replies dropped and
# delayed, sockets closed, every connection cut, the emulator restarted on the same ports, the
# room frozen), reconnect on. Checks that every request has exactly one outcome, that events are
# lost only where an `eventsLost` says so, that every client comes back, and that threads,
# descriptors, tasks and memory stay flat over the steady phase. The last line is
#   soak: requests=N outcomes=N lost=0 events_lost=0 faults=N
#
#   scripts/soak.sh [--seconds N] [--clients N] [--c-clients N] [--workers N] [--seed N] [--faults a,b]
#
# Defaults: 60 s, 6 Rust and 2 C clients of 4 workers each, a seed from the clock (printed, so a
# run can be repeated). Driver: hostile/soak (tcroom-soak).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
cargo build -q -p tcroom-soak
exec "$CARGO_TARGET_DIR/debug/tcroom-soak" "$@"
