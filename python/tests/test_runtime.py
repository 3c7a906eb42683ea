"""The runtime around the calls: threads, the GIL, Ctrl-C, fork(), interpreter exit, logging."""

from __future__ import annotations

import _thread
import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator

import pytest

import tcroom
from tcroom.testing import Emulator

from conftest import CAROL, PIN, WAIT


def test_threads_share_one_client(room: tcroom.Client) -> None:
    def work(i: int) -> list[str]:
        out = []
        for _ in range(25):
            out.append(room.request("getLogin")["requestId"])
            assert room.get_app_state().app_state == tcroom.AppState.NORMAL
        return out

    with ThreadPoolExecutor(8) as pool:
        ids = [rid for chunk in pool.map(work, range(8)) for rid in chunk]
    assert len(ids) == len(set(ids)) == 200


def test_the_gil_is_released_while_waiting(room: tcroom.Client, emu: Emulator) -> None:
    counter = 0
    stop = threading.Event()

    def spin() -> None:
        nonlocal counter
        while not stop.is_set():
            counter += 1

    emu.faults.drop_reply("getSystemInfo")
    t = threading.Thread(target=spin)
    t.start()
    try:
        before = counter
        with pytest.raises(tcroom.TimeoutError):
            room.get_system_info(timeout=0.5)
        during = counter - before
    finally:
        stop.set()
        t.join()
    assert during > 10_000


@pytest.fixture
def ctrl_c() -> Iterator[None]:
    """Python's own Ctrl-C handler for the test, whatever started pytest: a process started in
    the background by a non-interactive shell inherits SIGINT ignored, and then Python never
    raises KeyboardInterrupt."""
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


@pytest.mark.usefixtures("ctrl_c")
def test_ctrl_c_interrupts_a_blocking_call(room: tcroom.Client, emu: Emulator) -> None:
    room.create_conference("Interrupted")
    emu.faults.drop_reply("inviteToConference")
    # Interrupt once the room has the request, so the wait is surely under way.
    room.on("inviteSent", lambda ev: _thread.interrupt_main())
    with pytest.raises(KeyboardInterrupt):
        room.invite_to_conference(CAROL, timeout=30)
    assert room.get_app_state().app_state == tcroom.AppState.CONFERENCE


@pytest.mark.usefixtures("ctrl_c")
def test_ctrl_c_interrupts_waiting_for_events(room: tcroom.Client, emu: Emulator) -> None:
    # A real SIGINT, from a thread that waits until the main thread is inside the wait.
    ready = threading.Event()

    def interrupt() -> None:
        ready.wait(WAIT)
        os.kill(os.getpid(), signal.SIGINT)

    t = threading.Thread(target=interrupt)
    t.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            events = room.events()
            ready.set()
            next(events)
    finally:
        t.join()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_use_after_fork_fails_clearly(room: tcroom.Client, emu: Emulator) -> None:
    r, w = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork() with threads
        pid = os.fork()
    if pid == 0:  # the child: report and leave without running any cleanup
        try:
            try:
                room.get_app_state()
                msg = "no error"
            except tcroom.Error as e:
                msg = str(e)
            try:  # a new client in the child works
                with tcroom.Client.connect(emu.host, ws_port=emu.ws_port, pin=PIN, role="user") as c:
                    msg += "|child:" + str(int(c.get_app_state().app_state))
            except BaseException as e:  # noqa: BLE001
                msg += "|child failed: " + repr(e)
            os.write(w, msg.encode())
        finally:
            os._exit(0)
    os.close(w)
    with os.fdopen(r) as f:
        msg = f.read()
    os.waitpid(pid, 0)
    assert msg.startswith("tcroom cannot be used in a child process after fork()"), msg
    assert msg.endswith("|child:3"), msg
    assert room.get_app_state().app_state == tcroom.AppState.NORMAL


def run_script(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-X", "dev", "-c", textwrap.dedent(code)],
                          capture_output=True, text=True, timeout=60)


def test_clean_exit_with_open_clients_and_callbacks() -> None:
    p = run_script("""
        import asyncio, tcroom
        from tcroom.testing import Emulator
        emu = Emulator(pin="1")
        room = tcroom.Client.connect(emu.host, ws_port=emu.ws_port, pin="1")
        room.on("anything", print)
        room.create_conference("left open", wait=False)
        async def main():
            global aroom
            aroom = await tcroom.AsyncClient.connect(emu.host, ws_port=emu.ws_port, pin="1", role="user")
        asyncio.run(main())
        print("exiting")
    """)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "exiting"
    assert p.stderr == ""


def test_pin_is_never_logged(emu: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(1, logger="tcroom")  # everything, TRACE (5) included
    with pytest.raises(tcroom.AuthError):
        tcroom.Client.connect(emu.host, ws_port=emu.ws_port, pin="9999")
    with tcroom.Client.connect(emu.host, port=emu.web_port, pin=PIN) as c:
        c.get_app_state()
    text = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records)
    assert "connected" in text and "getAppState" in text, text
    assert any(r.name.startswith("tcroom.emulator") for r in caplog.records)
    assert any(r.levelno == 5 for r in caplog.records)  # frames, at TRACE
    assert PIN not in text and "9999" not in text


def test_logging_follows_the_level(emu: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="tcroom")
    with tcroom.Client.connect(emu.host, ws_port=emu.ws_port, pin=PIN) as c:
        c.get_app_state()
    assert [r for r in caplog.records if r.name.startswith("tcroom") and r.levelno < logging.WARNING] == []
