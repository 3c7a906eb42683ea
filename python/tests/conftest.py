"""Fixtures: an emulated room per test, and a client connected to it."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import threading
from typing import Any, Awaitable, Callable, Coroutine, Iterable, Iterator, Optional, TypeVar, cast

import pytest

import tcroom
from tcroom.testing import Emulator, User

PIN = "4821"
ALICE = "alice@some.server"  # joins
BOB = "bob@some.server"  # rejects: busy
CAROL = "carol@some.server"  # never answers
MOD = "mod@some.server"  # a moderator: skips the waiting room
USERS = [
    User(ALICE, answer="join", delay=0.05),
    User(BOB, answer="reject", cause=2, delay=0.05),
    User(CAROL, answer="none"),
    User(MOD, answer="join", moderator=True),
]
WAIT = 10.0
"""Upper bound for anything that should happen at once; only reached when a test fails."""

T = TypeVar("T")


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(pin=PIN, users=USERS) as e:
        yield e


@pytest.fixture
def room(emu: Emulator) -> Iterator[tcroom.Client]:
    with tcroom.Client.connect(emu.host, port=emu.web_port, pin=PIN) as c:
        yield c


def next_named(events: Iterable[tcroom.Event], name: str,
               where: Optional[Callable[[tcroom.Event], bool]] = None) -> tcroom.Event:
    """The first event called ``name`` (and matching ``where``); the others are skipped."""
    for ev in events:
        if ev.name == name and (where is None or where(ev)):
            return ev
    raise AssertionError(f"the events ended before {name!r}")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Runs an async test body (no pytest plugin needed)."""
    return asyncio.run(coro)


# ---- one test body for both clients ----


class LoopThread:
    """An asyncio event loop running on a thread of its own, for driving an AsyncClient from a
    test written in blocking style."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="test-asyncio-loop", daemon=True)
        self._thread.start()

    def run(self, aw: Awaitable[T]) -> T:
        """Awaits ``aw`` on the loop and returns its result (or raises its exception)."""

        async def wrap() -> T:
            return await aw

        return asyncio.run_coroutine_threadsafe(wrap(), self.loop).result(LOOP_BOUND)

    def call(self, fn: Callable[[], T]) -> T:
        """Calls ``fn`` on the loop's thread (for what needs the running loop, like ``on``)."""

        async def wrap() -> T:
            return fn()

        return self.run(wrap())

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(LOOP_BOUND)
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()


LOOP_BOUND = 60.0
"""How long a test waits for one step on the loop thread; every step has a shorter time-out of
its own, so this is only reached when the library hangs."""


class BlockingIterator:
    """An async iterator of the library (events, watch, frames) read from a blocking test."""

    def __init__(self, lt: LoopThread, it: Any) -> None:
        self._lt = lt
        self._it = it

    def __iter__(self) -> BlockingIterator:
        return self

    def __next__(self) -> Any:
        try:
            return self._lt.run(self._it.__anext__())
        except StopAsyncIteration:
            raise StopIteration from None

    def next(self, timeout: Optional[float] = None) -> Any:
        """``StateWatch.next``."""
        return self._lt.run(self._it.next(timeout))


class AsyncAsBlocking:
    """A :class:`tcroom.AsyncClient` behind the blocking client's interface: each coroutine
    runs on the loop thread and is waited for; iterators are read the same way; callbacks are
    registered on the loop (they then run there, as in any asyncio program)."""

    def __init__(self, lt: LoopThread, client: tcroom.AsyncClient) -> None:
        self._lt = lt
        self._client = client

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if name in ("events", "watch", "frames"):
            return lambda *a, **k: BlockingIterator(self._lt, attr(*a, **k))
        if name == "on":
            return lambda *a, **k: self._lt.call(lambda: attr(*a, **k))
        if inspect.iscoroutinefunction(attr):
            return lambda *a, **k: self._lt.run(attr(*a, **k))
        return attr

    def __repr__(self) -> str:
        return f"AsyncAsBlocking({self._client!r})"


@contextlib.contextmanager
def connect_any(kind: str, emu: Emulator, **options: Any) -> Iterator[tcroom.Client]:
    """A client of ``kind`` (``"blocking"`` or ``"asyncio"``) connected to ``emu``, typed as the
    blocking one, closed at the end."""
    options = {"ws_port": emu.ws_port, "pin": emu.pin, **options}
    if kind == "blocking":
        with tcroom.Client.connect(emu.host, **options) as c:
            yield c
        return
    lt = LoopThread()
    try:
        client = lt.run(tcroom.AsyncClient.connect(emu.host, **options))
        try:
            yield cast(tcroom.Client, AsyncAsBlocking(lt, client))
        finally:
            lt.run(client.close())
    finally:
        lt.close()


KINDS = ["blocking", "asyncio"]


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    """Which client a test runs with: it runs once with each."""
    value: str = request.param
    return value


@pytest.fixture
def any_room(kind: str, emu: Emulator) -> Iterator[tcroom.Client]:
    """A client of each kind (the test runs twice), connected to ``emu``."""
    with connect_any(kind, emu) as c:
        yield c


def payload_of(events: Iterable[tcroom.Event], name: str, cls: type[T],
               where: Optional[Callable[[T], bool]] = None) -> T:
    """The typed payload of the next event called ``name`` (that matches ``where``)."""
    for ev in events:
        if ev.name == name:
            p = ev.payload
            assert isinstance(p, cls), f"{name}: {p!r} is not a {cls.__name__}"
            if where is None or where(p):
                return p
    raise AssertionError(f"the events ended before {name!r}")
