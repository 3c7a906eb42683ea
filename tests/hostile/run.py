"""The hostile-room table: every face of tcroom (the CLI, the C library, Python) against every
misbehaviour of tcroom-hostile. Each case must end within its documented time-out plus a small
grace, with the documented error (exit code, status, exception type), under a memory ceiling,
and without sending anything where it must not go. Started by tests/hostile/run.sh, which
builds what it needs; prints one line per case and ends with "N passed, M failed".

    python3 tests/hostile/run.py --server BIN --cli BIN --c BIN --python PY [--only SUBSTRING]

The time bounds are part of the contract, not speed measurements: T for the connect (one
deadline for discovery, handshake, auth and the first reading of the room), T for the request,
the close's grace of 2 s, and GRACE for starting a process on a busy machine.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Optional

T = 3.0
"""The time-out every face is given, for its connect and for its request (seconds)."""
CLOSE_GRACE = 2.0
"""How long a close may wait for a room that does not answer (core/src/connection.rs)."""
GRACE = 2.0
"""Process and interpreter start, scheduling on a shared 2-core machine."""
CEILING_MB = 300
"""Peak resident memory of any client process."""

FLOOD_T = 9.0
"""The time-out given against the flood, whose reply comes after 6 s of it."""
CONNECT = T + GRACE  # fails within its connect deadline
REQUEST = T + T + CLOSE_GRACE + GRACE  # connects, the request ends within T, then closes
RECONNECT = T + T + 4 * T + T + CLOSE_GRACE + GRACE  # the drivers' reconnect scenario

# Exit codes of the CLI (README): 0 ok, 1 error, 3 refused, 4 time-out, 5 cannot connect or authorize.


@dataclass
class Expect:
    """What one face must show against one mode."""

    outcomes: set[str]
    bound: float
    message: Optional[str] = None
    """A regular expression the client's output must match (the room's words, the reason)."""
    extra: dict[str, str] = field(default_factory=dict)
    """key=value lines the driver must print, as regular expressions on the value."""


@dataclass
class Row:
    mode: str
    cli: Expect
    c: Expect
    py: Expect
    scenario: str = "call"
    """The C and Python drivers' scenario: call, call-pad or reconnect."""
    t: float = T
    """The time-out the faces are given."""
    events: bool = False
    """Also run `tcroom events` against it: with a reader that stops reading (then Ctrl-C), and
    with a reader that goes away."""


def row(mode: str, cli: set[str], c: set[str], py: set[str], bound: float, message: Optional[str] = None,
        scenario: str = "call", cli_bound: Optional[float] = None,
        extra: Optional[dict[str, str]] = None, t: float = T, events: bool = False) -> Row:
    ex = extra or {}
    return Row(mode,
               Expect(cli, cli_bound or bound, message),
               Expect(c, bound, message, ex),
               Expect(py, bound, message, ex),
               scenario, t, events)


TABLE = [
    # The room never answers the WebSocket handshake: the connect deadline ends it.
    row("silent", {"5"}, {"CONNECTION"}, {"ConnectError"}, CONNECT, r"no answer within"),
    row("silent-http", {"5"}, {"CONNECTION"}, {"DiscoveryError"}, CONNECT, r"discovery"),
    # Auth answered, then nothing: the first reading of the room runs into the connect deadline.
    row("freeze-after-auth", {"5"}, {"TIMEOUT"}, {"TimeoutError"}, CONNECT, r"no reply to 'getAppState'"),
    # Stops reading and writing at the request; the C and Python drivers then send 8 MB that
    # cannot be written: both time out and close still returns within its grace (defect 3).
    row("freeze-after-connect", {"4"}, {"TIMEOUT"}, {"TimeoutError"}, REQUEST + T, r"no reply to 'getAppState'",
        scenario="call-pad", cli_bound=REQUEST, extra={"close_ms": r"[0-9]{1,4}", "request_pad": r"TIMEOUT|TimeoutError"}),
    # Frames nobody can attribute to a request: the caller waits out its time-out.
    row("garbage", {"4"}, {"TIMEOUT"}, {"TimeoutError"}, REQUEST, r"no reply to 'getAppState'"),
    row("non-object", {"4"}, {"TIMEOUT"}, {"TimeoutError"}, REQUEST, r"no reply to 'getAppState'"),
    # Replies whose requestId is unusable go to the oldest request of their method (defect 12).
    row("bad-request-id", {"0"}, {"OK"}, {"ok"}, REQUEST),
    # A refusal whose error is an object keeps the room's words (defect 12).
    row("error-object", {"3"}, {"REFUSED"}, {"RefusedError"}, REQUEST, r"the hostile room's own words"),
    # An endless flood (25 MB and 100,000 events a second from auth on; the reply after 6 s of
    # it): the reply still comes, and memory stays bounded however little is read (defect 7).
    row("flood", {"0"}, {"OK"}, {"ok"}, 2 * FLOOD_T + CLOSE_GRACE + GRACE, t=FLOOD_T, events=True),
    # A 61 MB event (kept) and a 100 MB frame (over the 64 MiB cap: the link is dropped).
    row("huge-frame", {"0"}, {"OK"}, {"ok"}, REQUEST),
    # 40 events of 8 MB nobody reads, then the reply: queues are bounded in bytes (defect 7).
    row("big-events", {"0"}, {"OK"}, {"ok"}, 2 * FLOOD_T + CLOSE_GRACE + GRACE, t=FLOOD_T),
    # Discovery that trickles, never ends, or is 50 MB: capped in time and size (defect 7).
    row("slowloris-http", {"5"}, {"CONNECTION"}, {"DiscoveryError"}, CONNECT, r"discovery"),
    row("endless-config", {"5"}, {"CONNECTION"}, {"DiscoveryError"}, CONNECT, r"larger than 1048576 bytes"),
    row("big-config", {"5"}, {"CONNECTION"}, {"DiscoveryError"}, CONNECT, r"larger than 1048576 bytes"),
    # Discovery trust (defect 9): no redirect to another host, no other host's hostname, no
    # spliced URL; the server reports a leak if anything reached the other host.
    row("redirect-elsewhere", {"5"}, {"CONNECTION"}, {"DiscoveryError"}, CONNECT, r"another host"),
    row("hostname-elsewhere", {"0"}, {"OK"}, {"ok"}, REQUEST),
    row("hostname-evil", {"5"}, {"CONNECTION"}, {"DiscoveryError"}, CONNECT, r"not a host name"),
    row("close-mid-reply", {"1"}, {"DISCONNECTED"}, {"DisconnectedError"}, REQUEST, r"disconnected"),
    row("wrong-pin", {"5"}, {"AUTH"}, {"AuthError"}, CONNECT, r"resultCode 3"),
    # Every connection dies after 300 ms. With reconnect on (C, Python) the client comes back and
    # the first request has exactly one outcome.
    row("restart-loop", {"1", "5"}, {"DISCONNECTED"}, {"DisconnectedError"}, RECONNECT, scenario="reconnect",
        cli_bound=REQUEST, extra={"events": r"connectionLost,reconnected"}),
    # A failed reconnect attempt (auth unanswered) is not the end: no "disconnected", and the
    # client reconnects (defect 5).
    row("stall-auth-once", {"1"}, {"DISCONNECTED"}, {"DisconnectedError"}, RECONNECT, scenario="reconnect",
        cli_bound=REQUEST, extra={"events": r"connectionLost,reconnected", "request2": r"OK|ok"}),
    # The PIN was changed while the client was away: one final "disconnected" with the real
    # reason, the credential error (defect 5).
    row("wrong-pin-after-restart", {"1"}, {"DISCONNECTED"}, {"DisconnectedError"}, RECONNECT, scenario="reconnect",
        cli_bound=REQUEST, extra={"events": r"connectionLost,disconnected",
                                  "disconnected_reason": r".*authorization failed \(resultCode 3\).*"}),
]


@dataclass
class Result:
    name: str
    ok: bool
    elapsed: float
    rss_mb: float
    why: list[str]
    output: str


def start_server(server: str, mode: str) -> tuple[subprocess.Popen[bytes], int, int]:
    proc = subprocess.Popen([server, mode], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None
    line = proc.stdout.readline().decode()
    ports = json.loads(line)
    return proc, int(ports["web_port"]), int(ports["ws_port"])


def stop_server(proc: subprocess.Popen[bytes]) -> str:
    """Stops the server (its standard input closes) and returns what it printed on stderr."""
    try:
        _, err = proc.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return err.decode(errors="replace")


def run_measured(argv: list[str], hard_limit: float) -> tuple[int, float, float, str, bool]:
    """Runs `argv`; returns (status, seconds, peak RSS in MB, output, killed). The status is the
    exit code, or -signal. A run past `hard_limit` is killed."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env={**os.environ, "RUST_BACKTRACE": "1"})
    chunks: list[bytes] = []
    assert proc.stdout is not None
    reader = threading.Thread(target=lambda: chunks.append(proc.stdout.read()) if proc.stdout else None)
    reader.start()
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        try:
            os.kill(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(hard_limit, kill)
    timer.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.monotonic() - start
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    out = b"".join(chunks).decode(errors="replace")
    return proc.returncode, elapsed, usage.ru_maxrss / 1024.0, out, killed.is_set()


def values(out: str) -> dict[str, str]:
    """The drivers' key=value pairs (the first word after each key)."""
    found: dict[str, str] = {}
    for line in out.splitlines():
        for m in re.finditer(r"(?:^| )([a-z_0-9]+)=(\S*)", line):
            found.setdefault(m.group(1), m.group(2))
        # A reason runs to the end of its line.
        if line.startswith("disconnected_reason="):
            found["disconnected_reason"] = line.split("=", 1)[1]
    return found


STALL = 5.0
"""How long `tcroom events` runs with a reader that stopped reading, before Ctrl-C."""
SIGINT_GRACE = 3.0
"""How long it may take to end after Ctrl-C (or after its reader went away)."""


def run_events(args: argparse.Namespace, r: Row, face: str) -> Result:
    """`tcroom events` against `r.mode` with a reader that stops reading (then SIGINT) or that
    goes away: it must end within SIGINT_GRACE, with 0 (or 1 when its output is gone), no
    panic, under the ceiling."""
    name = f"{r.mode}/{face}"
    server, web_port, _ = start_server(args.server, r.mode)
    why: list[str] = []
    err = b""
    try:
        argv = [args.cli, "events", "--host", "127.0.0.1", "--port", str(web_port), "--timeout", str(T),
                "--pin", "1234"]
        start = time.monotonic()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        errs: list[bytes] = []
        reader = threading.Thread(target=lambda: errs.append(proc.stderr.read()) if proc.stderr else None)
        reader.start()
        assert proc.stdout is not None
        if face == "cli-events-stall":
            # Nobody reads its output: the pipe fills, the room keeps sending.
            time.sleep(STALL)
            os.kill(proc.pid, signal.SIGINT)
            allowed = {0}
        else:
            time.sleep(1.5)
            proc.stdout.close()
            allowed = {0, 1}
        stopped = time.monotonic()
        killer = threading.Timer(SIGINT_GRACE + 10, lambda: os.kill(proc.pid, signal.SIGKILL))
        killer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        killer.cancel()
        took = time.monotonic() - stopped
        elapsed = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        reader.join()
        err = b"".join(errs)
        rss = usage.ru_maxrss / 1024.0
        what = "after Ctrl-C" if face == "cli-events-stall" else "after its reader went away"
        if took > SIGINT_GRACE:
            why.append(f"ended {took:.1f} s {what}, over {SIGINT_GRACE:.0f} s")
        if proc.returncode not in allowed:
            why.append(f"exit status {proc.returncode}, expected {' or '.join(map(str, sorted(allowed)))}")
        if rss > CEILING_MB:
            why.append(f"peak memory {rss:.0f} MB, over the ceiling of {CEILING_MB} MB")
        if b"panicked" in err:
            why.append("a panic")
    finally:
        server_err = stop_server(server)
    why.extend(line for line in server_err.splitlines() if line.startswith("LEAK:"))
    return Result(name, not why, elapsed, rss, why, err.decode(errors="replace"))


def run_case(args: argparse.Namespace, r: Row, face: str) -> Result:
    if face.startswith("cli-events"):
        return run_events(args, r, face)
    ex: Expect = getattr(r, face)
    name = f"{r.mode}/{face}"
    server, web_port, _ = start_server(args.server, r.mode)
    try:
        if face == "cli":
            argv = [args.cli, args.cli_call, "getAppState", "--host", "127.0.0.1", "--port", str(web_port),
                    "--timeout", str(r.t), "--pin", "1234"]
        elif face == "c":
            argv = [args.c, "127.0.0.1", str(web_port), str(int(r.t * 1000)), r.scenario]
        else:
            argv = [args.python, args.py_driver, "127.0.0.1", str(web_port), str(r.t), r.scenario]
        status, elapsed, rss, out, killed = run_measured(argv, ex.bound + 20)
    finally:
        server_err = stop_server(server)
    why = []
    got = values(out)
    if killed:
        why.append(f"hung: killed after {ex.bound + 20:.0f} s")
    if face == "cli":
        outcome = str(status)
    else:
        outcome = got.get("outcome", f"(no outcome; exit status {status})")
        if status != 0:
            why.append(f"the driver exited with status {status}")
    if outcome not in ex.outcomes:
        why.append(f"outcome {outcome}, expected {' or '.join(sorted(ex.outcomes))}")
    if elapsed > ex.bound:
        why.append(f"took {elapsed:.1f} s, over its bound of {ex.bound:.0f} s")
    if rss > CEILING_MB:
        why.append(f"peak memory {rss:.0f} MB, over the ceiling of {CEILING_MB} MB")
    if ex.message and not re.search(ex.message, out):
        why.append(f"the output does not say /{ex.message}/")
    for key, pattern in ex.extra.items():
        if key == "close_ms":
            v = got.get(key, "")
            if not v.isdigit() or int(v) > (CLOSE_GRACE + 1.0) * 1000:
                why.append(f"close took {v or '?'} ms, over its grace of {CLOSE_GRACE:.0f} s (+1 s)")
        elif not re.fullmatch(pattern, got.get(key, "")):
            why.append(f"{key}={got.get(key, '(missing)')}, expected /{pattern}/")
    if "PANIC" in out or "panicked" in out:
        why.append("a panic")
    leaks = [line for line in server_err.splitlines() if line.startswith("LEAK:")]
    why.extend(leaks)
    return Result(name, not why, elapsed, rss, why, out)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--server", required=True)
    p.add_argument("--cli", required=True)
    p.add_argument("--c", required=True)
    p.add_argument("--python", required=True)
    p.add_argument("--jobs", type=int, default=3)
    p.add_argument("--only", default="")
    args = p.parse_args()
    args.py_driver = os.path.join(os.path.dirname(os.path.abspath(__file__)), "driver.py")
    # The CLI's raw command is being renamed from `call` to `call-raw`: use whichever it has.
    help_text = subprocess.run([args.cli, "--help"], capture_output=True, text=True).stdout
    args.cli_call = "call-raw" if re.search(r"^\s+call-raw\b", help_text, re.M) else "call"
    modes = subprocess.run([args.server, "--list"], capture_output=True, text=True, check=True).stdout.split()
    missing = set(modes) - {r.mode for r in TABLE}
    if missing:
        print(f"tcroom-hostile has modes the table lacks: {', '.join(sorted(missing))}")
        return 1
    cases = [(r, face) for r in TABLE
             for face in ("cli", "c", "py") + (("cli-events-stall", "cli-events-gone") if r.events else ())
             if args.only in f"{r.mode}/{face}"]
    print(f"{len(cases)} cases (CLI `tcroom {args.cli_call}` and `tcroom events`, C driver, Python driver); T = {T:.0f} s, "
          f"memory ceiling {CEILING_MB} MB", flush=True)
    passed = failed = 0
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for res in pool.map(lambda c: run_case(args, c[0], c[1]), cases):
            line = f"{res.name} ({res.elapsed:.1f} s, {res.rss_mb:.0f} MB)"
            if res.ok:
                passed += 1
                print(f"PASS {line}", flush=True)
            else:
                failed += 1
                failures.append(res.name)
                print(f"FAIL {line}: {'; '.join(res.why)}", flush=True)
                for out_line in res.output.splitlines()[-12:]:
                    print(f"    | {out_line[:300]}")
    if failures:
        print(f"failed: {' '.join(failures)}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
