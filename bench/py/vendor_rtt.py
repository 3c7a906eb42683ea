"""TrueConf's own Python client (`python-trueconf-room` from PyPI) against the emulator.

Round trip = from the command call (`room.methods.getAppState()`) to the moment its handler
(registered with `room.handler({...})`) sees the reply. The library queues every command and a
background thread sends the queue's head every 50 ms (QUEUE_INTERVAL), so most of the time is
that wait. It discovers the WebSocket port through the web port's config.json, like the room.

    vendor_rtt.py --web-port N [--op getAppState|createConference] [--n 100] [--warmup 5]
                  [--samples FILE] [--idle SECONDS]
"""
import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import procstat  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--web-port", type=int, required=True)
    ap.add_argument("--op", default="getAppState", choices=["getAppState", "createConference"])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--samples")
    ap.add_argument("--idle", type=float, default=0.0, help="measure idle wake-ups for this long instead")
    ap.add_argument("--timeout", type=float, default=5.0, help="per reply")
    ap.add_argument("--jitter", type=float, default=0.05,
                    help="random pause (s, untimed) before each command, so that calls do not lock to the 50 ms send loop's phase")
    a = ap.parse_args()

    # The library opens ./videosdk.log at import time: keep it out of the source tree.
    os.chdir(tempfile.mkdtemp(prefix="vendor-bench-"))
    import trueconf_room  # noqa: E402

    room = trueconf_room.open_session(ip="127.0.0.1", port=a.web_port)
    deadline = time.monotonic() + 10
    while not room.isReady():
        if time.monotonic() > deadline:
            print("vendor: not authorized after 10 s", file=sys.stderr)
            return 1
        time.sleep(0.01)

    if a.idle > 0:
        time.sleep(0.5)
        r = procstat.idle_result("idle python-trueconf-room (vendor)", "idle", "vendor", a.idle, time.sleep)
        print(json.dumps(r), flush=True)
        os._exit(0)

    got = threading.Event()
    seen = {}

    def on_reply(response):
        seen["t"] = time.perf_counter()
        seen["r"] = response
        got.set()

    room.handler({"method": a.op, "result": None})(on_reply)
    hung_up = threading.Event()
    room.handler({"method": "hangUp", "result": None})(lambda r: hung_up.set())
    time.sleep(0.2)  # let the replies to the library's own start-up requests go by

    samples = []
    rng = random.Random(1)
    for i in range(a.warmup + a.n):
        if a.jitter > 0:
            time.sleep(rng.uniform(0, a.jitter))
        got.clear()
        t0 = time.perf_counter()
        if a.op == "getAppState":
            room.methods.getAppState()
        else:
            room.methods.createConference("Bench", "role", True)
        if not got.wait(a.timeout):
            print(f"vendor: no {a.op} reply within {a.timeout} s", file=sys.stderr)
            os._exit(1)
        dt = (seen["t"] - t0) * 1e6
        if a.op == "createConference":
            if seen["r"].get("result") is not True:
                print(f"vendor: createConference refused: {seen['r']}", file=sys.stderr)
                os._exit(1)
            hung_up.clear()
            room.methods.hangUp(True)
            if not hung_up.wait(a.timeout):
                print("vendor: no hangUp reply", file=sys.stderr)
                os._exit(1)
        if i >= a.warmup:
            samples.append(dt)

    r = {"name": f"rtt {a.op} python-trueconf-room (vendor)", "group": f"rtt/{a.op}", "client": "vendor"}
    r.update(procstat.summary(samples))
    r["metric"] = "p50_us"
    r["jitter_s"] = a.jitter
    try:
        from importlib.metadata import version
        r["vendor_version"] = version("python-trueconf-room")
    except Exception:
        pass
    p = procstat.write_samples(a.samples, samples)
    if p:
        r["samples"] = p
    print(json.dumps(r), flush=True)
    # The library's socket and queue threads never stop on their own.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
