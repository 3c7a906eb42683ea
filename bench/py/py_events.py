"""Event delivery through our Python package: a sync callback (`@client.on`), the sync iterator
(`client.events()`) or the asyncio iterator (`async for ev in client.events()`). Asks
`tcroom-bench serve` (its flood port) for COUNT `benchTick` notifications, counts them, checks
their `seq` order, and adds up what the library reports lost (`eventsLost`).

    py_events.py --port WS_PORT --flood-port N --mode callback|iter|async [--count 100000]
"""
import argparse
import asyncio
import json
import socket
import threading
import time

import tcroom

HOST = "127.0.0.1"


class Counter:
    def __init__(self, want):
        self.want = want
        self.got = self.lost = self.disorder = self.expect = 0
        self.first = self.last = None
        self.done = threading.Event()

    def add(self, ev):
        if ev.name == "eventsLost":
            self.lost += int(ev.data.get("count", 0))
        elif ev.name == "benchTick":
            t = time.perf_counter()
            if self.first is None:
                self.first = t
            self.last = t
            seq = ev.data.get("seq")
            if seq != self.expect:
                self.disorder += 1
            self.expect = (seq if isinstance(seq, int) else -2) + 1
            self.got += 1
        if self.got + self.lost >= self.want:
            self.done.set()
            return True
        return False

    def result(self, mode, label):
        span = (self.last - self.first) if self.first is not None and self.last is not None else 0.0
        return {
            "name": f"events Python ({label})", "group": "events", "client": f"py-{mode}",
            "p50_us": None, "p99_us": None,
            "per_s": round((self.got - 1) / span, 2) if span > 0 and self.got > 1 else 0.0,
            "sent": self.want, "received": self.got, "lost": max(0, self.want - self.got),
            "reported_lost": self.lost, "out_of_order": self.disorder, "metric": "per_s",
        }


def trigger(port, n):
    with socket.create_connection((HOST, port)) as s:
        s.sendall(f"{n}\n".encode())
        s.recv(64)


def run_callback(a):
    c = tcroom.Client.connect(HOST, ws_port=a.port, event_capacity=a.capacity)
    k = Counter(a.count)
    c.on("benchTick", k.add)
    c.on("eventsLost", k.add)
    time.sleep(0.1)
    t = threading.Thread(target=trigger, args=(a.flood_port, a.count))
    t.start()
    k.done.wait(a.timeout)
    t.join()
    c.close()
    return k.result("callback", "@client.on callback")


def run_iter(a):
    c = tcroom.Client.connect(HOST, ws_port=a.port, event_capacity=a.capacity)
    k = Counter(a.count)
    t = threading.Thread(target=trigger, args=(a.flood_port, a.count))
    t.start()
    deadline = time.monotonic() + a.timeout
    try:
        for ev in c.events(timeout=a.timeout):
            if k.add(ev) or time.monotonic() > deadline:
                break
    except tcroom.TimeoutError:
        pass
    t.join()
    c.close()
    return k.result("iter", "sync iterator")


async def run_async(a):
    c = await tcroom.AsyncClient.connect(HOST, ws_port=a.port, event_capacity=a.capacity)
    k = Counter(a.count)

    async def trig():
        r, w = await asyncio.open_connection(HOST, a.flood_port)
        w.write(f"{a.count}\n".encode())
        await w.drain()
        await r.readline()
        w.close()

    tt = asyncio.ensure_future(trig())
    deadline = time.monotonic() + a.timeout
    try:
        async for ev in c.events(timeout=a.timeout):
            if k.add(ev) or time.monotonic() > deadline:
                break
    except tcroom.TimeoutError:
        pass
    await tt
    await c.close()
    return k.result("async", "asyncio async for")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--flood-port", type=int, required=True)
    ap.add_argument("--mode", choices=["callback", "iter", "async"], default="callback")
    ap.add_argument("--count", type=int, default=100000)
    ap.add_argument("--capacity", type=int, default=4096)
    ap.add_argument("--timeout", type=float, default=60.0)
    a = ap.parse_args()
    if a.mode == "callback":
        r = run_callback(a)
    elif a.mode == "iter":
        r = run_iter(a)
    else:
        r = asyncio.run(run_async(a))
    print(json.dumps(r), flush=True)


if __name__ == "__main__":
    main()
