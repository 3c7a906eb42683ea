#!/usr/bin/env bash
# The hostile-room table: the CLI, the C library and Python against every misbehaviour of
# tcroom-hostile (hostile/), each within its time-out plus a grace, with its documented error,
# under a memory ceiling. Ends with "N passed, M failed".
#
#   tests/hostile/run.sh [--only SUBSTRING]      (from anywhere; about a minute once built)
#
# Builds tcroom-hostile, the CLI and libtcroom (debug), compiles the C driver against
# target/debug/libtcroom with include/tcroom.h, and uses the Python package from the virtualenv
# the Python suite made (target/pyenv), or makes its own (target/hostile/pyenv).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD
target=${CARGO_TARGET_DIR:-$root/target}
export CARGO_TARGET_DIR=$target
work=$target/hostile
mkdir -p "$work/lib"

echo "== building tcroom-hostile, the CLI and libtcroom"
# Two invocations, as tests/c/run.sh does: the library is tested as `cargo build -p tcroom-ffi` ships it.
cargo build -q -p tcroom-ffi
cargo build -q -p tcroom-cli -p tcroom-hostile

# The library's SONAME is libtcroom.so.<abi>: stage it under that name, as an install would.
soname=$(objdump -p "$target/debug/libtcroom.so" 2>/dev/null | awk '/SONAME/ {print $2}')
soname=${soname:-libtcroom.so}
cp "$target/debug/libtcroom.so" "$work/lib/$soname"
[[ $soname == libtcroom.so ]] || ln -sfn "$soname" "$work/lib/libtcroom.so"
${CC:-cc} -std=c99 -Wall -Wextra -Werror -pedantic -g -O1 -Iinclude tests/hostile/driver.c -o "$work/driver" \
    -L"$work/lib" -ltcroom -Wl,-rpath,"$work/lib" -pthread

python=$target/pyenv/bin/python
if ! "$python" -c 'import tcroom' 2>/dev/null; then
    python=$work/pyenv/bin/python
    if ! "$python" -c 'import tcroom' 2>/dev/null; then
        echo "== no Python suite virtualenv: making $work/pyenv"
        rm -rf "$work/pyenv"
        "${PYTHON:-python3}" -m venv "$work/pyenv"
        "$python" -m pip install --quiet --upgrade pip maturin
        MATURIN_PEP517_ARGS="--profile dev" "$python" -m pip install --quiet ./python
    fi
fi

exec "${PYTHON:-python3}" tests/hostile/run.py --server "$target/debug/tcroom-hostile" --cli "$target/debug/tcroom" \
    --c "$work/driver" --python "$python" "$@"
