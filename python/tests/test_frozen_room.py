"""Regression tests of issue 10 in the Python face, against a frozen room: ``close()`` returns
within its grace when the room stops reading with writes pending, and the interpreter can exit
(defect 3); a failed reconnect attempt does not end ``events()`` (defect 5); the keep-alive gives
up a frozen room (defect 13). The frozen room is the emulator behind a TCP proxy that stops
forwarding.

Time bounds are the documented time-outs plus a grace, never speed measurements.
"""

from __future__ import annotations

import asyncio
import selectors
import socket
import subprocess
import sys
import textwrap
import threading
import time
from types import TracebackType
from typing import Optional

import pytest

import tcroom
from tcroom.testing import Emulator

from conftest import WAIT

CLOSE_GRACE = 2.0
"""How long a close waits at most for a room that does not answer (the core's)."""
GRACE = 1.5
"""Scheduling on a busy machine."""
PAD = "x" * (8 << 20)
"""More than the socket buffers take: the write is still pending when the room freezes."""


class FreezingProxy:
    """A TCP proxy on 127.0.0.1 in front of `port` that can freeze: it then stops reading and
    writing in both directions but keeps every socket open, as a room whose application hung."""

    def __init__(self, port: int) -> None:
        self.upstream = port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.frozen = threading.Event()
        self.stopped = threading.Event()
        self.sockets: list[socket.socket] = []
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        sel = selectors.DefaultSelector()
        sel.register(self.listener, selectors.EVENT_READ)
        peers: dict[socket.socket, socket.socket] = {}
        while not self.stopped.is_set():
            if self.frozen.is_set():
                time.sleep(0.05)
                continue
            for key, _ in sel.select(timeout=0.05):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                if sock is self.listener:
                    client, _ = self.listener.accept()
                    server = socket.create_connection(("127.0.0.1", self.upstream))
                    for s in (client, server):
                        s.setblocking(True)
                        self.sockets.append(s)
                        sel.register(s, selectors.EVENT_READ)
                    peers[client], peers[server] = server, client
                    continue
                try:
                    data = sock.recv(65536)
                except OSError:
                    data = b""
                if not data:
                    for s in (sock, peers[sock]):
                        try:
                            sel.unregister(s)
                        except (KeyError, ValueError):
                            pass
                        s.close()
                    continue
                try:
                    peers[sock].sendall(data)
                except OSError:
                    pass

    def freeze(self) -> None:
        self.frozen.set()

    def __enter__(self) -> FreezingProxy:
        return self

    def __exit__(
        self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        for s in self.sockets + [self.listener]:
            s.close()


def test_close_within_its_grace_when_the_room_stops_reading() -> None:
    with Emulator() as emu, FreezingProxy(emu.ws_port) as proxy:
        room = tcroom.Client.connect("127.0.0.1", ws_port=proxy.port, timeout=WAIT, keepalive=None)
        proxy.freeze()
        with pytest.raises(tcroom.TimeoutError):
            room.request("getAppState", {"pad": PAD}, timeout=1.0)
        start = time.monotonic()
        room.close()
        assert time.monotonic() - start <= CLOSE_GRACE + GRACE
        assert room.closed


def test_async_close_within_its_grace_when_the_room_stops_reading() -> None:
    async def body(port: int, proxy: FreezingProxy) -> float:
        room = await tcroom.AsyncClient.connect("127.0.0.1", ws_port=port, timeout=WAIT, keepalive=None)
        proxy.freeze()
        with pytest.raises(tcroom.TimeoutError):
            await room.request("getAppState", {"pad": PAD}, timeout=1.0)
        start = time.monotonic()
        await room.close()
        return time.monotonic() - start

    with Emulator() as emu, FreezingProxy(emu.ws_port) as proxy:
        assert asyncio.run(body(proxy.port, proxy)) <= CLOSE_GRACE + GRACE


def test_the_interpreter_exits_with_a_client_stuck_on_a_frozen_room() -> None:
    """No close(): the client is closed at exit, within its grace, not never."""
    script = textwrap.dedent(
        """
        import sys, tcroom
        room = tcroom.Client.connect("127.0.0.1", ws_port=int(sys.argv[1]), timeout=10, keepalive=None)
        print("connected", flush=True)
        sys.stdin.readline()  # the proxy freezes now
        try:
            room.request("getAppState", {"pad": "x" * (8 << 20)}, timeout=1.0)
        except tcroom.TimeoutError:
            print("timed out", flush=True)
        """
    )
    with Emulator() as emu, FreezingProxy(emu.ws_port) as proxy:
        child = subprocess.Popen([sys.executable, "-c", script, str(proxy.port)], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, text=True)
        assert child.stdin is not None and child.stdout is not None
        assert child.stdout.readline().strip() == "connected"
        proxy.freeze()
        child.stdin.write("go\n")
        child.stdin.flush()
        start = time.monotonic()
        try:
            out, _ = child.communicate(timeout=1.0 + CLOSE_GRACE + WAIT)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            pytest.fail("the interpreter could not exit")
        assert "timed out" in out
        assert child.returncode == 0
        # The request's time-out, the close at exit, the interpreter's own shutdown.
        assert time.monotonic() - start <= 1.0 + CLOSE_GRACE + GRACE + 2.0


def test_a_failed_reconnect_attempt_does_not_end_events() -> None:
    policy = tcroom.Reconnect(max_attempts=5, initial_delay=0.05, max_delay=0.2)
    with Emulator() as emu:
        with tcroom.Client.connect(emu.host, ws_port=emu.ws_port, timeout=1.0, reconnect=policy) as room:
            # The first attempt's auth goes unanswered (it fails by its time-out); the next works.
            emu.faults.drop_reply("auth")
            emu.close_all_connections()
            names = []
            for ev in room.events(timeout=WAIT):
                if ev.name in ("connectionLost", "reconnected", "disconnected"):
                    names.append(ev.name)
                if ev.name in ("reconnected", "disconnected"):
                    break
            assert names == ["connectionLost", "reconnected"]
            assert room.request("getAppState")["appState"] == 3


def test_the_keep_alive_gives_up_a_frozen_room() -> None:
    interval = 0.3
    with Emulator() as emu, FreezingProxy(emu.ws_port) as proxy:
        with tcroom.Client.connect("127.0.0.1", ws_port=proxy.port, timeout=WAIT, keepalive=interval) as room:
            proxy.freeze()
            start = time.monotonic()
            last = None
            for ev in room.events(timeout=3 * interval + GRACE):
                last = ev.name
                if ev.name == "disconnected":
                    break
            assert last == "disconnected"
            # A ping, then an interval without its answer: at most 2.5 intervals after the freeze.
            assert time.monotonic() - start <= 3 * interval + GRACE
