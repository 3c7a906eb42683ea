"""Fuzzing of the Python face's JSON entry points (issue 10, defects 1 and 11): arbitrary nested
values (self-references, 100,000 levels, every odd type) through ``Client.request``,
``AsyncClient.request`` and ``Emulator.emit``, against the emulator over a real socket.

Every call ends with the room's reply (or its refusal of an unknown method) when the value can
be JSON, and with ``tcroom.InvalidArgumentError`` when it cannot; never a crash (the process
would die), a hang, or another exception. Seeded (``TCROOM_FUZZ_SEED`` reproduces a run), a few
hundred cases, a few seconds.
"""

from __future__ import annotations

import asyncio
import collections
import decimal
import enum
import fractions
import os
import random
from typing import Any, Callable, Iterator

import pytest

import tcroom
from tcroom.testing import Emulator

SEED = int(os.environ.get("TCROOM_FUZZ_SEED", "20261130"))
CASES = 1000


class Colour(enum.IntEnum):
    RED = 1


class MyFloat(float):
    pass


class MyStr(str):
    pass


def surrogate_free(s: str) -> bool:
    return not any(0xD800 <= ord(c) <= 0xDFFF for c in s)


JSON_TYPES = (type(None), bool, int, float, str, dict, list, tuple)


def classify(value: Any) -> str:
    """What sending `value` must give: "ok" (it is JSON), "invalid" (it is not, contains
    itself, or nests deeper than 100 levels), "surrogate" (a string UTF-8 cannot carry), or
    "invalid-or-surrogate" (both; which is met first depends on the order). Iterative: the
    values nest 100,000 deep."""
    found = set()
    stack: list[tuple[Any, int, frozenset[int]]] = [(value, 0, frozenset())]
    while stack:
        v, depth, path = stack.pop()
        if depth > 100 or id(v) in path:
            found.add("invalid")
            continue
        if not isinstance(v, JSON_TYPES):
            found.add("invalid")
        elif isinstance(v, bool) or v is None:
            pass
        elif isinstance(v, int):
            if not -(2**63) <= v < 2**64:
                found.add("invalid")
        elif isinstance(v, float):
            if v != v or v in (float("inf"), float("-inf")):
                found.add("invalid")
        elif isinstance(v, str):
            if not surrogate_free(v):
                found.add("surrogate")
        elif isinstance(v, dict):
            inner = path | {id(v)}
            for k, x in v.items():
                if not isinstance(k, str):
                    found.add("invalid")
                elif not surrogate_free(k):
                    found.add("surrogate")
                stack.append((x, depth + 1, inner))
        else:
            inner = path | {id(v)}
            stack.extend((x, depth + 1, inner) for x in v)
    if found == {"invalid", "surrogate"}:
        return "invalid-or-surrogate"
    return found.pop() if found else "ok"


class Gen:
    """Arbitrary values: every JSON type and many that are not, nested, self-referencing, deep."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def text(self) -> str:
        r = self.rng
        pick = r.randrange(6)
        if pick == 0:
            return "".join(chr(r.randrange(32, 127)) for _ in range(r.randrange(12)))
        if pick == 1:
            points = (r.randrange(0x80, 0x2FFFF) for _ in range(r.randrange(6)))
            return "".join(chr(p) for p in points if not 0xD800 <= p <= 0xDFFF)
        if pick == 2:
            return r.choice(["", "\x00", "a\x00b", "\ufeff", "method", "requestId", "event", "1e309", "\n"])
        if pick == 3:
            return "x" * r.randrange(1, 20000)
        if pick == 4:
            return MyStr("sub")
        return r.choice(["user1@some.server", "#self:0", "getAppState", "\ud800" + "lone"])

    def leaf(self) -> Any:
        r = self.rng
        table: list[Callable[[], Any]] = [
            lambda: None,
            lambda: r.random() < 0.5,
            lambda: r.randrange(-(2**63), 2**63),
            lambda: r.choice([2**64 - 1, 2**64, -(2**63) - 1, 2**200]),
            lambda: (r.random() * 2 - 1) * 1e308,
            lambda: r.choice([float("nan"), float("inf"), float("-inf"), -0.0]),
            lambda: self.text(),
            lambda: self.text(),
            lambda: Colour.RED,
            lambda: MyFloat(0.5),
            lambda: r.choice([b"x", bytearray(b"y"), memoryview(b"z")]),
            lambda: r.choice([{1, 2}, frozenset([3])]),
            lambda: r.choice([decimal.Decimal("1.5"), fractions.Fraction(1, 3), 1j]),
            lambda: r.choice([object(), range(3), iter([1]), Gen]),
        ]
        return r.choice(table)()

    def value(self, depth: int = 0) -> Any:
        r = self.rng
        if depth > 4 or r.random() < 0.4:
            return self.leaf()
        pick = r.randrange(8)
        if pick <= 1:
            items = [self.value(depth + 1) for _ in range(r.randrange(5))]
            return items if pick == 0 else tuple(items)
        if pick <= 4:
            kinds: list[Callable[[], Any]] = [dict, collections.OrderedDict, lambda: collections.defaultdict(int)]
            d = r.choice(kinds)()
            for _ in range(r.randrange(5)):
                d[self.text()] = self.value(depth + 1)
            if r.random() < 0.1:
                d[r.choice([1, None, (1,), 1.5])] = 1
            return d
        if pick == 5:
            # Contains itself, directly or through a list.
            d2: dict[str, Any] = {"a": 1}
            if r.random() < 0.5:
                d2["self"] = d2
            else:
                d2["list"] = [d2]
            return d2
        if pick == 6:
            # Nested far deeper than any JSON a room takes.
            root: list[Any] = []
            cur = root
            for _ in range(r.choice([300, 10_000, 100_000])):
                nxt: list[Any] = []
                cur.append(nxt)
                cur = nxt
            return root
        # Nested, but not deeply: fine.
        root2: dict[str, Any] = {}
        cur2 = root2
        for _ in range(r.randrange(1, 20)):
            cur2["n"] = {}
            cur2 = cur2["n"]
        return root2


def cases() -> Iterator[tuple[int, dict[str, Any], str, str]]:
    """Case number, parameters, what a request with them gives, what emitting them gives."""
    rng = random.Random(SEED)
    gen = Gen(rng)
    for i in range(CASES):
        key = "v" if rng.random() < 0.8 else gen.text() or "k"
        params = {key: gen.value()}
        expect = classify(params)
        # `method` and `requestId` are set by the client: a request refuses them as parameters.
        yield i, params, "invalid" if key in ("method", "requestId") else expect, expect


def check(what: str, expect: str, call: Callable[[], Any]) -> None:
    """Runs `call` and checks its outcome against `expect`."""
    try:
        reply = call()
    except tcroom.InvalidArgumentError:
        # A string UTF-8 cannot carry is refused like any other value JSON cannot carry.
        assert expect != "ok", f"{what}: refused a value that is JSON"
        return
    except tcroom.RefusedError:
        assert expect == "ok", f"{what}: sent a value that is not JSON ({expect})"
        return
    assert expect == "ok", f"{what}: sent a value that is not JSON ({expect}): {reply!r:.200}"


def test_request_and_emit_with_arbitrary_values() -> None:
    with Emulator() as emu, tcroom.Client.connect(emu.host, ws_port=emu.ws_port) as room:
        for i, params, expect, emitted in cases():
            what = f"case {i} (seed {SEED})"
            check(what, expect, lambda: room.request("getAppState", params, timeout=10))
            if i % 3 == 0:
                check(f"{what}, emit", emitted, lambda: emu.emit("myEvent", **params))
        # Still connected and answering.
        assert room.request("getAppState")["appState"] == 3


def test_async_request_with_arbitrary_values() -> None:
    async def body() -> None:
        with Emulator() as emu:
            room = await tcroom.AsyncClient.connect(emu.host, ws_port=emu.ws_port)
            try:
                for i, params, expect, _ in cases():
                    if i % 4:
                        continue
                    try:
                        await room.request("getAppState", params, timeout=10)
                        got = "ok"
                    except tcroom.InvalidArgumentError:
                        got = "invalid"
                    assert (got == "ok") == (expect == "ok"), f"case {i} (seed {SEED}): {got}, {expect}"
                assert (await room.request("getAppState"))["appState"] == 3
            finally:
                await room.close()

    asyncio.run(body())


@pytest.mark.parametrize("method", ["", "event", "x\x00y", "getAppState\n", "a" * 10_000, "requestId"])
def test_odd_method_names(method: str) -> None:
    with Emulator() as emu, tcroom.Client.connect(emu.host, ws_port=emu.ws_port) as room:
        with pytest.raises((tcroom.InvalidArgumentError, tcroom.RefusedError)):
            room.request(method, timeout=10)
        assert room.request("getAppState")["appState"] == 3
