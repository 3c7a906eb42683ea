#!/usr/bin/env bash
# Benchmarks of tcroom side by side with a bare WebSocket floor and TrueConf's own Python client,
# against emulators running as separate processes on 127.0.0.1. Prints a table and writes
# target/bench/results.json, target/bench/latency.png and raw samples in target/bench/samples/.
#
#   scripts/bench.sh            full run (about 4 minutes once built)
#   scripts/bench.sh --quick    under 2 minutes (once built)
#
# Environment: BENCH_SKIP_PYTHON=1 / BENCH_SKIP_C=1 / BENCH_SKIP_VENDOR=1 / BENCH_SKIP_BRIDGE=1 leave those rows out
# ("skipped" in the table). Nothing here asserts on timings: the numbers are printed, and
# `met` in results.json says whether a target of issue 5 was reached in this run.
set -uo pipefail

QUICK=0
for a in "$@"; do
    case "$a" in
        --quick) QUICK=1 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "bench.sh: unknown argument '$a' (try --quick)" >&2; exit 2 ;;
    esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="$ROOT/target/bench"
RUN="$OUT/run"
SAMPLES="$OUT/samples"
VENV="$OUT/venv"
PY="$VENV/bin/python"
BIN="$OUT/bin"
LIBDIR="$OUT/lib"
BENCH="$ROOT/target/release/tcroom-bench"
EMULATOR="$ROOT/target/release/tcroom-emulator"
PYDIR="$ROOT/bench/py"
rm -rf "$RUN" "$SAMPLES"
mkdir -p "$RUN" "$SAMPLES" "$BIN" "$LIBDIR"
LINES="$RUN/lines.jsonl"
ERRORS="$RUN/errors.log"
: > "$LINES"
: > "$ERRORS"
T0=$(date +%s)

if [ "$QUICK" = 1 ]; then
    RTT_N=2000; RTT_WARM=200; CREATE_N=300; CREATE_WARM=30; ROUNDS=2
    VENDOR_N=20; VENDOR_CREATE_N=10
    TP_SECONDS=0.5; TP_ROUNDS=2
    EV_BURST=2000; EV_FLOOD=20000
    SCALE=1000; IDLE_S=3
    BRIDGE_ROUNDS=3; BRIDGE_SECONDS=1
else
    RTT_N=20000; RTT_WARM=1000; CREATE_N=4000; CREATE_WARM=200; ROUNDS=4
    VENDOR_N=200; VENDOR_CREATE_N=60
    TP_SECONDS=2; TP_ROUNDS=3
    EV_BURST=2000; EV_FLOOD=100000
    SCALE=1000; IDLE_S=10
    BRIDGE_ROUNDS=10; BRIDGE_SECONDS=3
fi

log() { echo "bench: $*" >&2; }

# skip NAME GROUP CLIENT REASON: a row that says why it was not measured.
skip() {
    printf '{"name":"%s","group":"%s","client":"%s","p50_us":null,"p99_us":null,"per_s":null,"ratio":null,"skipped":"%s"}\n' \
        "$1" "$2" "$3" "$4" >> "$LINES"
}

# measure NAME GROUP CLIENT SECONDS CMD...: runs one measurement (bounded in time), keeps its
# JSON lines; a failure becomes a skipped row pointing at errors.log.
measure() {
    local name="$1" group="$2" client="$3" limit="$4"
    shift 4
    echo "== $name: $*" >> "$ERRORS"
    if ! timeout "$limit" "$@" >> "$LINES" 2>> "$ERRORS"; then
        log "FAILED: $name (see $ERRORS)"
        skip "$name" "$group" "$client" "failed: see target/bench/run/errors.log"
        return 1
    fi
}

PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]:-}"; do
        [ -n "$p" ] && kill "$p" 2>/dev/null
    done
    for p in "${PIDS[@]:-}"; do
        [ -n "$p" ] && wait "$p" 2>/dev/null
    done
}
trap cleanup EXIT

# ---- build ----
log "building (release): tcroom-bench, tcroom-emulator, tcroom-bridge"
if ! cargo build --release -p tcroom-bench -p tcroom-emulator -p tcroom-bridge >"$RUN/build.log" 2>&1; then
    tail -30 "$RUN/build.log" >&2
    echo "bench.sh: build failed (full log: $RUN/build.log)" >&2
    exit 1
fi

C_OK=0
if [ "${BENCH_SKIP_C:-0}" = 1 ]; then
    C_WHY="skipped (BENCH_SKIP_C=1)"
elif [ ! -f ffi/Cargo.toml ] || [ ! -f include/tcroom.h ]; then
    C_WHY="not built: ffi/ or include/tcroom.h missing"
else
    log "building (release): tcroom-ffi, C benchmark programs"
    if cargo build --release -p tcroom-ffi >>"$RUN/build.log" 2>&1 && [ -f target/release/libtcroom.so ]; then
        soname=$(readelf -d target/release/libtcroom.so 2>/dev/null | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')
        ln -sf "$ROOT/target/release/libtcroom.so" "$LIBDIR/libtcroom.so"
        [ -n "$soname" ] && ln -sf "$ROOT/target/release/libtcroom.so" "$LIBDIR/$soname"
        C_OK=1
        for prog in rtt events; do
            if ! cc -O2 -Wall -I include -o "$BIN/c-$prog" "bench/c/$prog.c" -L "$LIBDIR" -ltcroom \
                    -Wl,-rpath,"$LIBDIR" -lpthread >>"$RUN/build.log" 2>&1; then
                C_OK=0
            fi
        done
        [ "$C_OK" = 1 ] || C_WHY="not built: the C benchmark programs do not compile (see $RUN/build.log)"
    else
        C_WHY="not built: cargo build -p tcroom-ffi failed (see $RUN/build.log)"
    fi
fi

# ---- Python: a venv with matplotlib, the vendor's client and our package ----
if [ ! -x "$PY" ]; then
    log "creating $VENV"
    python3 -m venv "$VENV" || { echo "bench.sh: python3 -m venv failed" >&2; exit 1; }
fi
if ! "$PY" -c 'import matplotlib' 2>/dev/null; then
    log "installing matplotlib"
    "$VENV/bin/pip" install -q matplotlib >>"$RUN/build.log" 2>&1 || log "matplotlib did not install: no plot"
fi
VENDOR_OK=0
if [ "${BENCH_SKIP_VENDOR:-0}" = 1 ]; then
    VENDOR_WHY="skipped (BENCH_SKIP_VENDOR=1)"
# (Not `import trueconf_room` here: importing it creates ./videosdk.log.)
elif "$VENV/bin/pip" show -q python-trueconf-room >/dev/null 2>&1 || "$VENV/bin/pip" install -q python-trueconf-room >>"$RUN/build.log" 2>&1; then
    VENDOR_OK=1
else
    VENDOR_WHY="not installed: pip install python-trueconf-room failed (see $RUN/build.log)"
fi
PYTHON_OK=0
if [ "${BENCH_SKIP_PYTHON:-0}" = 1 ]; then
    PY_WHY="skipped (BENCH_SKIP_PYTHON=1)"
elif [ ! -f python/pyproject.toml ]; then
    PY_WHY="not built: python/pyproject.toml missing"
else
    # Reinstall only when the package or the core changed.
    stamp=$(find python core ffi -type f \( -name '*.rs' -o -name '*.py' -o -name '*.toml' -o -name '*.pyi' \) \
            -not -path '*/target/*' -not -path '*/.venv/*' -not -path '*/tests/*' 2>/dev/null | sort | xargs cat 2>/dev/null | sha1sum | cut -d' ' -f1)
    if [ -f "$VENV/.tcroom-stamp" ] && [ "$(cat "$VENV/.tcroom-stamp")" = "$stamp" ] && "$PY" -c 'import tcroom' 2>/dev/null; then
        PYTHON_OK=1
    else
        log "installing the tcroom Python package (maturin, release)"
        if "$VENV/bin/pip" install -q ./python >>"$RUN/build.log" 2>&1 && "$PY" -c 'import tcroom' 2>>"$RUN/build.log"; then
            echo "$stamp" > "$VENV/.tcroom-stamp"
            PYTHON_OK=1
        else
            PY_WHY="not built: pip install ./python failed (see $RUN/build.log)"
        fi
    fi
fi

T1=$(date +%s)
log "built and installed in $(( T1 - T0 )) s"

# ---- emulators (separate processes) ----
# start_proc VAR_PREFIX CMD...: starts a process whose first stdout line is its ports as JSON.
start_proc() {
    local prefix="$1"
    shift
    local out="$RUN/$prefix.json"
    RUST_LOG=warn "$@" > "$out" 2> "$RUN/$prefix.log" &
    local pid=$!
    PIDS+=("$pid")
    for _ in $(seq 100); do
        [ -s "$out" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if ! [ -s "$out" ]; then
        echo "bench.sh: $prefix did not start (see $RUN/$prefix.log)" >&2
        exit 1
    fi
}
port_of() { python3 -c "import json,sys; print(json.loads(open(sys.argv[1]).readline())[sys.argv[2]])" "$RUN/$1.json" "$2"; }

# Every connection gets its own room: many admins (and 1,000 sessions) at once.
start_proc emulator "$EMULATOR" --host 127.0.0.1 --isolated-rooms --unsecured
WS=$(port_of emulator ws_port)
WEB=$(port_of emulator web_port)
# The emulator hosted by tcroom-bench, with a control port that makes it flood events.
start_proc flood "$BENCH" serve
FWS=$(port_of flood ws_port)
FLOOD=$(port_of flood flood_port)
log "emulator ws:$WS web:$WEB; flood host ws:$FWS control:$FLOOD"

# ---- 1. round trips, rounds interleaved across programs ----
per_round() { echo $(( ($1 + ROUNDS - 1) / ROUNDS )); }
RN=$(per_round "$RTT_N")
CN=$(per_round "$CREATE_N")
for r in $(seq "$ROUNDS"); do
    log "round trip: round $r/$ROUNDS"
    d="$SAMPLES/round$r"
    mkdir -p "$d"
    for op in getAppState createConference; do
        if [ "$op" = getAppState ]; then n=$RN; w=$RTT_WARM; flag=get-app-state; else n=$CN; w=$CREATE_WARM; flag=create-conference; fi
        measure "rtt $op floor+core" "rtt/$op" floor 300 \
            "$BENCH" rtt --port "$WS" --op "$flag" --clients floor,core,core-raw --n "$n" --warmup "$w" --samples-dir "$d"
        if [ "$C_OK" = 1 ]; then
            measure "rtt $op C ABI" "rtt/$op" c 300 "$BIN/c-rtt" "$WS" "$op" typed "$n" "$w" "$d/rtt-$op-c.txt"
            measure "rtt $op C ABI (request_json)" "rtt/$op" c-json 300 "$BIN/c-rtt" "$WS" "$op" json "$n" "$w" "$d/rtt-$op-c-json.txt"
        fi
        if [ "$PYTHON_OK" = 1 ]; then
            for m in sync async; do
                label=$([ $m = sync ] && echo "Python sync" || echo "Python asyncio")
                measure "rtt $op $label" "rtt/$op" "py-$m" 300 \
                    "$PY" "$PYDIR/py_rtt.py" --port "$WS" --mode $m --op "$op" --n "$n" --warmup "$w" --samples "$d/rtt-$op-py-$m.txt"
            done
        fi
    done
done
for op in getAppState createConference; do
    [ "$C_OK" = 1 ] || { skip "rtt $op C ABI" "rtt/$op" c "$C_WHY"; }
    [ "$PYTHON_OK" = 1 ] || { skip "rtt $op Python sync" "rtt/$op" py-sync "$PY_WHY"; skip "rtt $op Python asyncio" "rtt/$op" py-async "$PY_WHY"; }
done
if [ "$VENDOR_OK" = 1 ]; then
    log "round trip: python-trueconf-room (50 ms send loop: slow by design)"
    measure "rtt getAppState python-trueconf-room (vendor)" rtt/getAppState vendor 300 \
        "$PY" "$PYDIR/vendor_rtt.py" --web-port "$WEB" --op getAppState --n "$VENDOR_N" --samples "$SAMPLES/rtt-getAppState-vendor.txt"
    measure "rtt createConference python-trueconf-room (vendor)" rtt/createConference vendor 300 \
        "$PY" "$PYDIR/vendor_rtt.py" --web-port "$WEB" --op createConference --n "$VENDOR_CREATE_N" --samples "$SAMPLES/rtt-createConference-vendor.txt"
else
    skip "rtt getAppState python-trueconf-room (vendor)" rtt/getAppState vendor "$VENDOR_WHY"
    skip "rtt createConference python-trueconf-room (vendor)" rtt/createConference vendor "$VENDOR_WHY"
fi

# ---- 2. throughput on one connection ----
log "throughput: 1, 10, 100, 1000 in flight"
measure "throughput" throughput/100 floor 600 \
    "$BENCH" throughput --port "$WS" --inflight 1,10,100,1000 --clients floor,core,core-tasks \
    --seconds "$TP_SECONDS" --rounds "$TP_ROUNDS" --samples-dir "$SAMPLES"

# ---- 3. event delivery ----
# relabel TAG: events rows of one size get their own name and group.
relabel() {
    python3 -c '
import json, sys
tag = sys.argv[1]
for line in sys.stdin:
    try:
        d = json.loads(line)
    except ValueError:
        continue
    d["name"] = d["name"].replace("events", "events " + tag, 1)
    d["group"] = "events/" + tag.split()[0]
    print(json.dumps(d))
' "$1"
}
ev() {  # ev TAG COUNT
    local tag="$1" count="$2" tmp="$RUN/ev.tmp"
    : > "$tmp"
    local save="$LINES"
    LINES="$tmp"
    measure "events floor" "events/${tag%% *}" floor 120 "$BENCH" events --port "$FWS" --flood-port "$FLOOD" --count "$count" --client floor
    measure "events Rust core" "events/${tag%% *}" core 120 "$BENCH" events --port "$FWS" --flood-port "$FLOOD" --count "$count" --client core
    measure "events Rust core (subscribe)" "events/${tag%% *}" core-subscribe 120 "$BENCH" events --port "$FWS" --flood-port "$FLOOD" --count "$count" --client core --stream subscribe
    if [ "$C_OK" = 1 ]; then
        measure "events C ABI (callback)" "events/${tag%% *}" c-callback 120 "$BIN/c-events" "$FWS" "$FLOOD" callback "$count"
        measure "events C ABI (poll)" "events/${tag%% *}" c-poll 120 "$BIN/c-events" "$FWS" "$FLOOD" poll "$count"
    else
        skip "events C ABI" "events/${tag%% *}" c "$C_WHY"
    fi
    if [ "$PYTHON_OK" = 1 ]; then
        for m in callback iter async; do
            measure "events Python $m" "events/${tag%% *}" "py-$m" 120 "$PY" "$PYDIR/py_events.py" --port "$FWS" --flood-port "$FLOOD" --mode $m --count "$count"
        done
    else
        skip "events Python" "events/${tag%% *}" py "$PY_WHY"
    fi
    LINES="$save"
    relabel "$tag" < "$tmp" >> "$LINES"
}
log "events: burst of $EV_BURST, flood of $EV_FLOOD"
ev "burst $EV_BURST" "$EV_BURST"
ev "flood $EV_FLOOD" "$EV_FLOOD"

# ---- 3b. room control: a state change until the host sees it; frames per second ----
log "room control: state-change latency, frames"
if [ "$QUICK" = 1 ]; then STATE_N=300; FRAME_S=2; else STATE_N=2000; FRAME_S=5; fi
measure "state change" state floor 300 "$BENCH" state-latency --port "$WS" --n "$STATE_N" --warmup 50
measure "frames" frames floor 300 "$BENCH" frames --port "$WS" --seconds "$FRAME_S"

# ---- 4. scale: sessions from one process, one room each ----
log "scale: $SCALE sessions"
measure "scale $SCALE Rust core" "scale/$SCALE" core 300 "$BENCH" scale --port "$WS" --sessions "$SCALE" --client core
measure "scale $SCALE floor" "scale/$SCALE" floor 300 "$BENCH" scale --port "$WS" --sessions "$SCALE" --client floor
measure "scale $SCALE Rust core (event_capacity 64)" "scale/$SCALE" core-cap64 300 "$BENCH" scale --port "$WS" --sessions "$SCALE" --client core --capacity 64

# ---- 5b. the MQTT bridge: $SCALE rooms through one tcroom-bridge process and a Mosquitto ----
if [ "${BENCH_SKIP_BRIDGE:-0}" = 1 ]; then
    skip "bridge $SCALE rooms" "bridge/scale" bridge "skipped (BENCH_SKIP_BRIDGE=1)"
elif ! command -v mosquitto >/dev/null 2>&1 && [ ! -x /usr/sbin/mosquitto ]; then
    skip "bridge $SCALE rooms" "bridge/scale" bridge "mosquitto not installed (apt-get install mosquitto)"
else
    log "bridge: $SCALE rooms through one tcroom-bridge"
    measure "bridge $SCALE rooms" "bridge/scale" bridge 600 "$BENCH" bridge --rooms "$SCALE" \
        --rounds "$BRIDGE_ROUNDS" --seconds "$BRIDGE_SECONDS" --bridge-bin "$ROOT/target/release/tcroom-bridge" --work-dir "$RUN/bridge"
fi

# ---- 5. idle cost: all measured at once (they are idle) ----
log "idle: ${IDLE_S} s"
IDLE_DIR="$RUN/idle"
mkdir -p "$IDLE_DIR"
ipids=()
lim=$(python3 -c "print(int($IDLE_S + 60))")
timeout "$lim" "$BENCH" idle --port "$WS" --seconds "$IDLE_S" --client core > "$IDLE_DIR/core" 2>> "$ERRORS" & ipids+=($!)
timeout "$lim" "$BENCH" idle --port "$WS" --seconds "$IDLE_S" --client floor > "$IDLE_DIR/floor" 2>> "$ERRORS" & ipids+=($!)
if [ "$PYTHON_OK" = 1 ]; then
    timeout "$lim" "$PY" "$PYDIR/py_rtt.py" --port "$WS" --mode sync --idle "$IDLE_S" > "$IDLE_DIR/py-sync" 2>> "$ERRORS" & ipids+=($!)
    timeout "$lim" "$PY" "$PYDIR/py_rtt.py" --port "$WS" --mode async --idle "$IDLE_S" > "$IDLE_DIR/py-async" 2>> "$ERRORS" & ipids+=($!)
fi
if [ "$VENDOR_OK" = 1 ]; then
    timeout "$lim" "$PY" "$PYDIR/vendor_rtt.py" --web-port "$WEB" --idle "$IDLE_S" > "$IDLE_DIR/vendor" 2>> "$ERRORS" & ipids+=($!)
fi
if [ "$C_OK" = 1 ]; then
    cidle=$(python3 -c "print($IDLE_S + 4)")
    # Not under `timeout`: its pid must be the client's own (it exits after $cidle s).
    "$BIN/c-rtt" "$WS" idle "$cidle" > "$IDLE_DIR/c-ready" 2>> "$ERRORS" &
    cpid=$!
    ipids+=($cpid)
    for _ in $(seq 100); do [ -s "$IDLE_DIR/c-ready" ] && break; sleep 0.1; done
    sleep 0.5
    timeout "$lim" "$BENCH" wakeups --pid "$cpid" --seconds "$IDLE_S" --name "idle C ABI (1 session)" --client c \
        > "$IDLE_DIR/c" 2>> "$ERRORS" & ipids+=($!)
fi
for p in "${ipids[@]}"; do wait "$p"; done
for f in core floor c py-sync py-async vendor; do
    [ -s "$IDLE_DIR/$f" ] && cat "$IDLE_DIR/$f" >> "$LINES"
done
[ "$C_OK" = 1 ] || skip "idle C ABI" idle c "$C_WHY"
[ "$PYTHON_OK" = 1 ] || skip "idle Python" idle py "$PY_WHY"

# ---- report ----
log "measured in $(( $(date +%s) - T1 )) s (plus $(( T1 - T0 )) s of building)"
echo
RP="$PY"
"$RP" -c 'import matplotlib' 2>/dev/null || RP=python3
"$RP" "$PYDIR/report.py" "$LINES" "$OUT"
