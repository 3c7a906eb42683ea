"""The Python face against a hostile room: connect, one request, close, as a host would.

    python driver.py HOST WEB_PORT TIMEOUT_S SCENARIO

SCENARIO: "call" (getAppState), "call-pad" (then getAppState with an 8 MB parameter, so that a
room that stopped reading leaves a write pending for the close), "reconnect" (reconnect on: the
request, then the events until "reconnected" or "disconnected", then a second request). Prints key=value lines
(tests/hostile/run.py reads them); the last is outcome=NAME: "ok" or the exception's class
name, of the connect when it failed, else of the request.
"""

from __future__ import annotations

import sys
import time
from typing import Any, Optional

import tcroom


def one_line(text: object) -> str:
    return str(text).replace("\n", " ")[:400]


def request(room: tcroom.Client, key: str, params: Optional[dict[str, Any]], timeout: float) -> str:
    t = time.monotonic()
    try:
        reply = room.request("getAppState", params, timeout=timeout)
        outcome, detail = "ok", f"reply_keys={','.join(sorted(reply))}"
    except tcroom.Error as e:
        outcome, detail = type(e).__name__, f"message={one_line(e)}"
        if isinstance(e, tcroom.RefusedError):
            detail += f" room_error={one_line(e.room_error)}"
    print(f"{key}={outcome} {key}_ms={int((time.monotonic() - t) * 1000)} {detail}", flush=True)
    return outcome


def follow_reconnect(room: tcroom.Client, wait: float) -> None:
    names = []
    deadline = time.monotonic() + wait
    events = room.events(timeout=0.2)
    while time.monotonic() < deadline:
        try:
            ev = next(events)
        except tcroom.TimeoutError:
            continue
        except StopIteration:
            break
        if ev.name in ("connectionLost", "reconnected", "disconnected"):
            names.append(ev.name)
        if ev.name == "disconnected":
            print(f"disconnected_reason={one_line(ev.data.get('reason'))}")
        if ev.name in ("reconnected", "disconnected"):
            break
    print(f"events={','.join(names)}", flush=True)


def main() -> int:
    host, port, timeout, scenario = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    reconnect = scenario == "reconnect"
    params = {"pad": "x" * (8 << 20)} if scenario == "call-pad" else None
    policy = tcroom.Reconnect(max_attempts=5, initial_delay=0.1, max_delay=0.5) if reconnect else False
    t = time.monotonic()
    try:
        room = tcroom.Client.connect(host, port=port, pin="1234", timeout=timeout, reconnect=policy)
    except tcroom.Error as e:
        print(f"connect={type(e).__name__} connect_ms={int((time.monotonic() - t) * 1000)} message={one_line(e)}")
        print(f"outcome={type(e).__name__}")
        return 0
    print(f"connect=ok connect_ms={int((time.monotonic() - t) * 1000)}", flush=True)
    outcome = request(room, "request", None, timeout)
    if params is not None:
        # After the first: a room that froze at it leaves this write pending for the close.
        request(room, "request_pad", params, timeout)
    if reconnect:
        follow_reconnect(room, 4 * timeout)
        request(room, "request2", None, timeout)
    t = time.monotonic()
    room.close()
    print(f"close=ok close_ms={int((time.monotonic() - t) * 1000)}")
    print(f"outcome={outcome}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
