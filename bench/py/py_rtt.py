"""Round trip of one command through our Python package `tcroom`, blocking and asyncio.

    py_rtt.py --port WS_PORT --mode sync|async [--op getAppState|createConference]
              [--n 2000] [--warmup 200] [--samples FILE] [--idle SECONDS]

createConference is timed up to acceptance (`wait=False`); the hang-up after it is not timed.
With --idle, connects and counts the process's wake-ups over SECONDS instead.
"""
import argparse
import asyncio
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import procstat  # noqa: E402

import tcroom  # noqa: E402

HOST = "127.0.0.1"


def result(a, samples):
    label = "Python sync" if a.mode == "sync" else "Python asyncio"
    r = {"name": f"rtt {a.op} {label}", "group": f"rtt/{a.op}", "client": f"py-{a.mode}"}
    r.update(procstat.summary(samples))
    r["metric"] = "p50_us"
    p = procstat.write_samples(a.samples, samples)
    if p:
        r["samples"] = p
    return r


def run_sync(a):
    c = tcroom.Client.connect(HOST, ws_port=a.port)
    try:
        if a.idle > 0:
            time.sleep(0.5)
            return procstat.idle_result("idle Python sync (1 session)", "idle", "py-sync", a.idle, time.sleep)
        clock = time.perf_counter
        samples = []
        for i in range(a.warmup + a.n):
            if a.op == "getAppState":
                t0 = clock()
                c.get_app_state()
                dt = clock() - t0
            else:
                t0 = clock()
                c.create_conference("Bench", conf_type="role", wait=False)
                dt = clock() - t0
                c.hang_up(True)
            if i >= a.warmup:
                samples.append(dt * 1e6)
        return result(a, samples)
    finally:
        c.close()


async def run_async(a):
    c = await tcroom.AsyncClient.connect(HOST, ws_port=a.port)
    try:
        if a.idle > 0:
            await asyncio.sleep(0.5)
            # The loop's thread is the main thread: it sleeps in the selector, which is what is
            # measured for the other threads; count them all the same way as sync.
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                None, lambda: procstat.idle_result("idle Python asyncio (1 session)", "idle", "py-async", a.idle, time.sleep)
            )
        clock = time.perf_counter
        samples = []
        for i in range(a.warmup + a.n):
            if a.op == "getAppState":
                t0 = clock()
                await c.get_app_state()
                dt = clock() - t0
            else:
                t0 = clock()
                await c.create_conference("Bench", conf_type="role", wait=False)
                dt = clock() - t0
                await c.hang_up(True)
            if i >= a.warmup:
                samples.append(dt * 1e6)
        return result(a, samples)
    finally:
        await c.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--mode", choices=["sync", "async"], default="sync")
    ap.add_argument("--op", default="getAppState", choices=["getAppState", "createConference"])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--samples")
    ap.add_argument("--idle", type=float, default=0.0)
    a = ap.parse_args()
    r = run_sync(a) if a.mode == "sync" else asyncio.run(run_async(a))
    print(json.dumps(r), flush=True)


if __name__ == "__main__":
    main()
