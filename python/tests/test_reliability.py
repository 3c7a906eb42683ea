"""Regression tests for the Python items of issue 10 ("a hostile room and a careless host"):
values that cannot be JSON, capacities and ports out of range, silent coercion of ids and
callbacks, and a client dropped without close() whose callback refers to it."""

from __future__ import annotations

import asyncio
import gc
import socket
import threading
import time
import weakref
from typing import Any, Callable

import pytest

import tcroom
from tcroom.testing import Emulator

from conftest import ALICE, PIN, WAIT

DEPTH = 100_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def eventually(condition: Callable[[], bool], what: str) -> None:
    """Polls ``condition`` (for what no event tells) until it holds, up to WAIT seconds."""
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {WAIT} s")
        time.sleep(0.01)


def self_dict() -> Any:
    d: dict[str, Any] = {"name": "loop"}
    d["self"] = d
    return d


def self_list() -> Any:
    items: list[Any] = [1]
    items.append(items)
    return items


def deep_dict() -> Any:
    d: dict[str, Any] = {}
    for _ in range(DEPTH):
        d = {"x": d}
    return d


def deep_list() -> Any:
    items: list[Any] = []
    for _ in range(DEPTH):
        items = [items]
    return items


SHAPES: dict[str, Callable[[], Any]] = {
    "self-referencing dict": self_dict,
    "self-referencing list": self_list,
    "100,000-deep dict": deep_dict,
    "100,000-deep list": deep_list,
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_values_that_cannot_be_json_are_refused(any_room: tcroom.Client, emu: Emulator, shape: str) -> None:
    value = SHAPES[shape]()
    with pytest.raises(tcroom.InvalidArgumentError, match="nests deeper"):
        any_room.request("getAppState", {"x": value})
    if isinstance(value, dict):
        with pytest.raises(tcroom.InvalidArgumentError, match="nests deeper"):
            any_room.request("getAppState", value)  # the parameters themselves
    with pytest.raises(tcroom.InvalidArgumentError, match="nests deeper"):
        any_room.set_settings({"agcEnable": value})
    with pytest.raises(tcroom.InvalidArgumentError, match="nests deeper"):
        emu.emit("custom", payload=value)
    with pytest.raises(tcroom.InvalidArgumentError, match="nests deeper"):
        emu.control("userMessage", peerId=ALICE, message=value)
    assert any_room.get_app_state().app_state is tcroom.AppState.NORMAL  # nothing broke


@pytest.mark.parametrize("capacity", [0, -1, 2**62, 10**30, True, 1.5, "10"])
def test_event_capacity_out_of_range_is_refused_before_connecting(capacity: Any) -> None:
    port = free_port()  # nobody listens: getting past the check would be a ConnectError
    with pytest.raises(tcroom.InvalidArgumentError, match="event_capacity"):
        tcroom.Client.connect("127.0.0.1", ws_port=port, event_capacity=capacity, timeout=WAIT)
    with pytest.raises(tcroom.InvalidArgumentError, match="event_capacity"):
        tcroom.AsyncClient.connect("127.0.0.1", ws_port=port, event_capacity=capacity, timeout=WAIT)


def test_a_large_event_capacity_within_the_limit_is_fine(emu: Emulator) -> None:
    with tcroom.Client.connect(emu.host, ws_port=emu.ws_port, pin=PIN, event_capacity=1 << 20) as c:
        assert c.get_app_state().app_state is tcroom.AppState.NORMAL


@pytest.mark.parametrize("options", [
    {"port": 70000}, {"port": 0}, {"ws_port": -1}, {"ws_port": 10**30}, {"ws_port": True}, {"port": "80"},
    {"reconnect": 5}, {"reconnect": tcroom.Reconnect(max_attempts=-1)},
    {"reconnect": tcroom.Reconnect(initial_delay=-1.0)}, {"keepalive": -1}, {"timeout": float("nan")},
    {"role": "root"}, {"pin": "1", "token": "2"},
], ids=repr)
def test_connect_options_are_checked(options: dict[str, Any]) -> None:
    with pytest.raises(tcroom.InvalidArgumentError):
        tcroom.Client.connect("127.0.0.1", **options)


@pytest.mark.parametrize("bad", [None, b"x", 1])
def test_ids_are_never_turned_into_text(any_room: tcroom.Client, bad: Any) -> None:
    room = any_room
    with pytest.raises(tcroom.InvalidArgumentError, match="string id"):
        room.create_conference("Coerced", invite=[ALICE, bad])
    with pytest.raises(tcroom.InvalidArgumentError, match="string id"):
        room.auto_answer([bad])
    with pytest.raises(tcroom.InvalidArgumentError):
        room.expand_call_to_multi("Coerced", invite=[bad])
    with pytest.raises(tcroom.InvalidArgumentError):
        room.change_video_matrix(1, [bad])
    assert room.state.conference is None  # nothing was created


def test_all_of_them_at_once_too(any_room: tcroom.Client) -> None:
    with pytest.raises(tcroom.InvalidArgumentError, match="item #1"):
        any_room.create_conference("Coerced", invite=[None, b"x", 1])  # type: ignore[list-item]


def test_callbacks_must_be_named_and_callable(any_room: tcroom.Client) -> None:
    with pytest.raises(TypeError, match="event name"):
        any_room.on(123)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="callable"):
        any_room.on("x", 5)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="event name"):
        any_room.on(None, print)  # type: ignore[call-overload]


def callback_threads() -> int:
    return sum(t.name == "tcroom-callbacks" for t in threading.enumerate())


def test_a_dropped_client_whose_callback_refers_to_it_is_collected(emu: Emulator) -> None:
    threads_before = callback_threads()

    def make() -> weakref.ref[tcroom.Client]:
        c = tcroom.Client.connect(emu.host, ws_port=emu.ws_port, pin=PIN)
        c.on("anything", lambda ev: c.get_app_state())  # a cycle: c -> handlers -> lambda -> c
        return weakref.ref(c)

    ref = make()
    assert emu.connection_count == 1 and callback_threads() == threads_before + 1
    with pytest.warns(ResourceWarning, match="unclosed"):
        gc.collect()
    assert ref() is None
    eventually(lambda: emu.connection_count == 0, "the connection closes")
    eventually(lambda: callback_threads() == threads_before, "the callback thread ends")


def test_a_dropped_async_client_whose_callback_refers_to_it_is_collected(emu: Emulator) -> None:
    async def make() -> weakref.ref[tcroom.AsyncClient]:
        c = await tcroom.AsyncClient.connect(emu.host, ws_port=emu.ws_port, pin=PIN)

        async def handler(ev: tcroom.Event) -> None:
            await c.get_app_state()

        c.on("anything", handler)
        return weakref.ref(c)

    loop = asyncio.new_event_loop()
    try:
        ref = loop.run_until_complete(make())
        assert emu.connection_count == 1
        with pytest.warns(ResourceWarning, match="unclosed"):
            gc.collect()
        assert ref() is None
        eventually(lambda: emu.connection_count == 0, "the connection closes")
        loop.run_until_complete(asyncio.sleep(0))  # the callback task sees the end and finishes
    finally:
        loop.close()
