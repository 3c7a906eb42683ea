#!/usr/bin/env bash
# Tests of libtcroom's C ABI, from C, C++ and Python ctypes, against a freshly started emulator.
#
#   tests/c/run.sh            (from the workspace root; about 2-3 minutes on 2 cores)
#
# Builds the library and the emulator, checks that include/tcroom.h is what cbindgen generates,
# compiles the header alone in C and C++, installs the library into a staging prefix and builds
# every test against it through pkg-config (shared and static), builds the CMake consumer
# project, runs everything (the examples against the emulator too), reruns the C tests and the
# examples under valgrind, and ends with "N passed, M failed".
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD
target=${CARGO_TARGET_DIR:-$root/target}
work=$target/c-tests
stage=$work/stage
bin=$work/bin
logs=$work/logs
here=tests/c

CC=${CC:-cc}
CXX=${CXX:-c++}
CFLAGS=(-std=c99 -Wall -Wextra -Werror -pedantic -g -O1)
CXXFLAGS=(-std=c++17 -Wall -Wextra -Werror -pedantic -g -O1)
SANITIZE=(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)

rm -rf "$work"
mkdir -p "$bin" "$logs"

# shellcheck source=tests/cases.sh
source "$root/tests/cases.sh"

echo "== building tcroom-ffi and tcroom-emulator"
# Two invocations: built together, cargo would unify features and hand the library the
# emulator's tokio features. Tested is what `cargo build -p tcroom-ffi` ships.
cargo build -p tcroom-ffi
cargo build -p tcroom-emulator

# ---- the header -------------------------------------------------------------------------------

pinned=$(tr -d '[:space:]' <ffi/cbindgen-version.txt)
if ! cbindgen --version 2>/dev/null | grep -qx "cbindgen $pinned"; then
    echo "== installing cbindgen $pinned (pinned in ffi/cbindgen-version.txt)"
    cargo install cbindgen --version "$pinned" --locked
fi

check_header_fresh() {
    local fresh=$work/tcroom.h
    cbindgen --quiet --config ffi/cbindgen.toml --crate tcroom-ffi --output "$fresh" ffi
    if ! diff -u include/tcroom.h "$fresh"; then
        echo "include/tcroom.h is stale: run"
        echo "  cbindgen --config ffi/cbindgen.toml --crate tcroom-ffi --output include/tcroom.h ffi"
        return 1
    fi
}

header_alone() { # LANG COMPILER FLAGS...
    local lang=$1 compiler=$2
    shift 2
    echo '#include "tcroom.h"' | "$compiler" -x "$lang" "$@" -Iinclude -c - -o /dev/null
}

run_case header/up-to-date check_header_fresh
run_case header/alone-c99 header_alone c "$CC" "${CFLAGS[@]}"
run_case header/alone-c11 header_alone c "$CC" -std=c11 -Wall -Wextra -Werror -pedantic
run_case header/alone-c++17 header_alone c++ "$CXX" "${CXXFLAGS[@]}"

# ---- install into a staging prefix, build everything from it ---------------------------------

echo "== installing into $stage"
ffi/install.sh "$stage" --no-build >"$logs/install.log"
export PKG_CONFIG_PATH=$stage/lib/pkgconfig
pc_cflags=$(pkg-config --cflags tcroom)
pc_libs=$(pkg-config --libs tcroom)
static_libs="$(pkg-config --variable=libdir tcroom)/libtcroom.a $(pkg-config --static --libs-only-l tcroom | sed 's/-ltcroom\b//')"

c_tests=(errors commands conference poll killed room)
cxx_tests=(threads)

echo "== compiling tests"
# shellcheck disable=SC2086 # the pkg-config outputs are word lists
build_all() {
    local t
    for t in "${c_tests[@]}"; do
        "$CC" "${CFLAGS[@]}" -I"$here" $pc_cflags "$here/test_$t.c" -o "$bin/$t.shared" $pc_libs -pthread
        "$CC" "${CFLAGS[@]}" -I"$here" $pc_cflags "$here/test_$t.c" -o "$bin/$t.static" $static_libs -pthread
        "$CC" "${CFLAGS[@]}" "${SANITIZE[@]}" -I"$here" $pc_cflags "$here/test_$t.c" -o "$bin/$t.asan" $static_libs -pthread
    done
    for t in "${cxx_tests[@]}"; do
        "$CXX" "${CXXFLAGS[@]}" -I"$here" $pc_cflags "$here/test_$t.cpp" -o "$bin/$t.shared" $pc_libs -pthread
        "$CXX" "${CXXFLAGS[@]}" -I"$here" $pc_cflags "$here/test_$t.cpp" -o "$bin/$t.static" $static_libs -pthread
        "$CXX" "${CXXFLAGS[@]}" "${SANITIZE[@]}" -I"$here" $pc_cflags "$here/test_$t.cpp" -o "$bin/$t.asan" $static_libs -pthread
    done
    # The example exactly as ffi/README.md tells a user to build it (plus warnings as errors).
    "$CC" "${CFLAGS[@]}" examples/c/create_conference.c $(pkg-config --cflags --libs tcroom) -o "$bin/example.shared"
    "$CC" "${CFLAGS[@]}" examples/c/create_conference.c $pc_cflags $static_libs -o "$bin/example.static"
    "$CC" "${CFLAGS[@]}" examples/c/touch_panel.c $(pkg-config --cflags --libs tcroom) -o "$bin/touch_panel.shared"
    "$CC" "${CFLAGS[@]}" examples/c/touch_panel.c $pc_cflags $static_libs -o "$bin/touch_panel.static"
}
run_case build/tests-with-pkg-config build_all

# The program of ffi/README.md ("A whole program"), compiled as written, aimed at the emulator.
build_readme() {
    local src=$work/readme.c
    {
        echo '#include <stdio.h>'
        echo '#include <stdlib.h>'
        echo '#include "tcroom.h"'
        echo 'int main(void) {'
        echo 'const char *web_port = getenv("TC_WEB_PORT");'
        awk '/^## A whole program/{on=1} on && /^```c$/{inside=1; next} inside && /^```$/{exit} inside{print}' ffi/README.md |
            sed -e 's/"192\.0\.2\.10"/"127.0.0.1"/' -e 's/set_web_port(o, 80)/set_web_port(o, (uint16_t)atoi(web_port))/'
        echo 'return 0;'
        echo '}'
    } >"$src"
    grep -q 'atoi(web_port)' "$src"
    # shellcheck disable=SC2046
    "$CC" "${CFLAGS[@]}" "$src" $(pkg-config --cflags --libs tcroom) -o "$bin/readme"
}
run_case build/readme-program build_readme

build_cmake() {
    cmake -S "$here/cmake" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$stage" -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_C_FLAGS="-Wall -Wextra -Werror" -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror"
    cmake --build "$work/cmake" -j 2
}
run_case build/cmake-find-package build_cmake

# ---- the emulator -----------------------------------------------------------------------------

emu_pid=
stop_emulator() {
    if [[ -n $emu_pid ]]; then
        kill "$emu_pid" 2>/dev/null || true
        wait "$emu_pid" 2>/dev/null || true
        emu_pid=
    fi
}
trap stop_emulator EXIT

echo "== starting the emulator"
"$target/debug/tcroom-emulator" --scenario "$here/scenario.json" >"$work/emulator.out" 2>"$logs/emulator.log" &
emu_pid=$!
for _ in $(seq 100); do
    grep -q ws_port "$work/emulator.out" 2>/dev/null && break
    sleep 0.1
done
ports=$(head -n 1 "$work/emulator.out")
export TC_HOST=127.0.0.1
export TC_PIN=1234
export TC_EMULATOR=$target/debug/tcroom-emulator
TC_WS_PORT=$(sed -n 's/.*"ws_port":\([0-9]*\).*/\1/p' <<<"$ports")
TC_WEB_PORT=$(sed -n 's/.*"web_port":\([0-9]*\).*/\1/p' <<<"$ports")
export TC_WS_PORT TC_WEB_PORT
[[ -n $TC_WS_PORT && -n $TC_WEB_PORT ]] || { echo "the emulator did not start: $ports" >&2; exit 1; }
echo "   emulator pid $emu_pid: $ports"

# ---- run ----------------------------------------------------------------------------------------

run_bin() { timeout 120 "$@"; }

example() { # COMMAND...: must see all three invitees join (two through the waiting room)
    local out rc=0
    out=$(timeout 300 "$@" "$TC_HOST" "$TC_WEB_PORT" "$TC_PIN" alice@some.server bob@some.server mod@some.server) || rc=$?
    echo "$out"
    echo "exit status $rc"
    ((rc == 0))
    grep -q '^3 of 3 invitees joined$' <<<"$out"
}

# expect_in_order TEXT REGEX...: each extended regex matches a line of TEXT after the line the
# previous one matched.
expect_in_order() {
    local text=$1 line=0 re n
    shift
    for re in "$@"; do
        n=$(tail -n +$((line + 1)) <<<"$text" | grep -nE -m1 -- "$re" | cut -d: -f1) || true
        if [[ -z $n ]]; then
            echo "no line matching '$re' after line $line"
            return 1
        fi
        line=$((line + n))
    done
}

touch_panel() { # COMMAND...: the panel presses mic, answers the call it asked the emulator for, hangs up
    local out rc=0
    out=$(timeout 120 "$@" --seconds 60 --simulate-call alice@some.server "$TC_HOST" "$TC_WEB_PORT" "$TC_PIN") || rc=$?
    echo "$out"
    echo "exit status $rc"
    ((rc == 0))
    expect_in_order "$out" \
        '^panel: app=3 \(normal\) call=no mic=on camera=on speaker=on incoming=-$' \
        '^button: mic off$' \
        '^panel: app=3 \(normal\) call=no mic=muted camera=on speaker=on incoming=-$' \
        '^emulator: alice@some.server calls the room$' \
        '^panel: app=[34] \([a-z]+\) call=no mic=muted .* incoming=alice@some.server$' \
        '^button: answer alice@some.server$' \
        '^panel: app=5 \(in call\) call=yes mic=muted ' \
        '^button: hang up$' \
        '^panel: app=3 \(normal\) call=no mic=muted camera=on speaker=on incoming=-$' \
        '^done: the call was answered and has ended$'
}

# The sanitizer builds link the static library: AddressSanitizer (with its leak checker) and
# UBSan instrument the test code and intercept every allocation, the library's included.
for t in "${c_tests[@]}" "${cxx_tests[@]}"; do
    run_case "run/$t/shared" run_bin "$bin/$t.shared"
    run_case "run/$t/static" run_bin "$bin/$t.static"
    run_case "run/$t/asan+ubsan" run_bin "$bin/$t.asan"
done
run_case run/example/shared example "$bin/example.shared"
run_case run/example/static example "$bin/example.static"
run_case run/example/cmake-shared example "$work/cmake/create_conference_shared"
run_case run/example/cmake-static example "$work/cmake/create_conference_static"
run_case run/touch-panel/shared touch_panel "$bin/touch_panel.shared"
run_case run/touch-panel/static touch_panel "$bin/touch_panel.static"
readme_program() { # joins within its loop: both invitees appear
    local out rc=0
    out=$(timeout 60 "$bin/readme") || rc=$?
    echo "$out"
    echo "exit status $rc"
    ((rc == 0))
    [[ $(grep -c '^user[12]@some.server/' <<<"$out") -ge 2 ]]
}
run_case run/readme-program readme_program
run_case run/legacy-ctypes python3 "$here/legacy_ctypes.py" "$stage/lib/libtcroom.so"

# ---- valgrind -----------------------------------------------------------------------------------
# Every program calls tc_shutdown() last, which joins the library's runtime threads, so no
# suppression file is needed: any definite or indirect leak, or any memory error, fails.
# Only C-level leaks count as errors: "still reachable" blocks of glibc/std globals at exit are
# reported in the log but are not leaks.

vg=(valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect --num-callers=30)

if command -v valgrind >/dev/null; then
    for t in "${c_tests[@]}" "${cxx_tests[@]}"; do
        run_case "valgrind/$t" timeout 300 "${vg[@]}" "$bin/$t.shared"
    done
    run_case valgrind/example example "${vg[@]}" "$bin/example.shared"
    run_case valgrind/touch-panel touch_panel "${vg[@]}" "$bin/touch_panel.shared"
else
    echo "FAIL valgrind is not installed"
    failed=$((failed + 1))
    failures+=(valgrind/missing)
fi

stop_emulator
finish
