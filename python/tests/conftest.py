"""Fixtures: an emulated room per test, and a client connected to it."""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Coroutine, Iterable, Iterator, Optional, TypeVar

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
