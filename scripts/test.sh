#!/usr/bin/env bash
# Runs every test: formatting and lints, Rust (core, emulator, CLI, FFI units, the catalogue's
# drift test), C/C++ against libtcroom, Python, reliability (a hostile room against every face,
# fuzzing, a short soak), and the release artifacts (scripts/dist.sh) installed as users install
# them.
# Every suite runs even when an earlier one fails; the exit status says whether all passed.
# Needs: cargo, a C/C++ compiler, python3 (>= 3.9), valgrind, cbindgen; the dist suite also go,
# node and npm, java and mvn, cmake, pkg-config and dpkg (.ci/run installs what is missing).
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
failures=()

suite() {
  local name=$1
  shift
  echo
  echo "=== $name: $*"
  local start=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    echo "=== $name: ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "=== $name: FAILED ($((SECONDS - start)) s)"
  fi
}

# Formatting and lints first: cheap, and a failure there says more than a failing test.
lint() {
    cargo fmt --all --check &&
        cargo clippy --workspace --all-targets -- -D warnings &&
        cargo run -q -p tcroom-codegen -- --check &&
        python3 scripts/check-core-modules.py
}
suite lint lint
# The Python extension is built and tested by its own suite (maturin), not by cargo test. The
# drift test (codegen) runs here: generated faces, header and docs as the catalogue says, and the
# emulator answering every catalogued command.
suite rust cargo test --workspace --exclude tcroom-python
suite c tests/c/run.sh
suite python python/run-tests.sh
# Reliability (issue 10): the CLI, the C library and Python against a room that misbehaves on
# purpose (tcroom-hostile); a bounded fuzzing pass of the parsers and the C entry point
# (tcroom-fuzz, proptest); a short soak with faults (tcroom-soak). About 3 minutes together.
suite hostile tests/hostile/run.sh
suite fuzz cargo run -q -p tcroom-fuzz -- --seconds 60
suite soak scripts/soak.sh --seconds 20
# After the Python suite: pip's build of the sdist reuses what that suite compiled.
suite dist tests/dist/run.sh

echo
if [ "$failed" -gt 0 ]; then
  echo "failed suites: ${failures[*]}"
fi
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
