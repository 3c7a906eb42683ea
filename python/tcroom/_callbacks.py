"""Handlers registered with ``@client.on(name)``, and where they run.

Sync clients run them on one Python thread per client ("tcroom-callbacks"), never on the
runtime's threads, so a handler may call the client (that only blocks this thread while the
runtime does the work). Async clients run them as a task on the client's event loop.

The thread (or task) holds the handlers only weakly: a handler that refers to its client (the
usual case) must not keep a client nobody else refers to alive for ever. When such a client is
collected, it warns (``ResourceWarning``: close your clients) and closes, and the thread ends.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
import weakref
from typing import Any, Awaitable, Callable, Optional, Union

from ._errors import Error
from ._native import Client as _NativeClient
from ._types import DISCONNECTED, Event

log = logging.getLogger("tcroom.callbacks")

Handler = Callable[[Event], Any]
"""A callback: takes the event; for ``AsyncClient`` it may be a coroutine function."""

EVENT_BATCH = 1024
"""How many queued events one native call may take at once."""

ALL_EVENTS = "*"
"""Register under this name to receive every event."""


class Registry:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._handlers: dict[str, list[Handler]] = {}

    def add(self, name: str, fn: Handler) -> None:
        with self._lock:
            self._handlers.setdefault(name, []).append(fn)

    def remove(self, name: str, fn: Handler) -> bool:
        with self._lock:
            fns = self._handlers.get(name, [])
            if fn in fns:
                fns.remove(fn)
                return True
            return False

    def for_event(self, name: str) -> list[Handler]:
        with self._lock:
            return list(self._handlers.get(name, ())) + list(self._handlers.get(ALL_EVENTS, ()))


def _report(fn: Handler, ev: Event) -> None:
    log.exception("tcroom: callback %r for event %r raised", fn, ev.name)


class CallbackThread:
    """Pulls from the client's callback subscription and calls the handlers, in order."""

    def __init__(self, native: _NativeClient, registry: Registry) -> None:
        self._native = native
        self._registry = weakref.ref(registry)
        self._thread: Optional[threading.Thread] = None
        self._lock = threading.Lock()

    def ensure_started(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self._native.subscribe_callbacks()
            self._thread = threading.Thread(target=self._run, name="tcroom-callbacks", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                batch = self._native.next_callback_events(EVENT_BATCH, None).wait()
            except Error:
                return  # closed, or the interpreter is exiting
            if batch is None:
                return
            registry = self._registry()
            if registry is None:
                return  # the client was collected
            for item in batch:
                ev = Event(item[0], item[1], item[2])
                for fn in registry.for_event(ev.name):
                    try:
                        fn(ev)
                    except Exception:
                        _report(fn, ev)
                if ev.name == DISCONNECTED:
                    return
            # Not held across the wait: see the module's documentation.
            del registry

    def join(self, timeout: float) -> None:
        t = self._thread
        if t is not None and t is not threading.current_thread():
            t.join(timeout)


class CallbackTask:
    """The asyncio counterpart: one task on the loop that registered the first handler."""

    def __init__(self, native: _NativeClient, registry: Registry) -> None:
        self._native = native
        self._registry = weakref.ref(registry)
        self._task: Optional[asyncio.Task[None]] = None

    def ensure_started(self) -> None:
        if self._task is not None:
            return
        loop = asyncio.get_running_loop()
        self._native.subscribe_callbacks()
        self._task = loop.create_task(self._run(), name="tcroom-callbacks")

    async def _run(self) -> None:
        while True:
            try:
                fut = self._native.next_callback_events(EVENT_BATCH, None).start()
                if fut.done():
                    batch = fut.result()
                    # Taken without waiting: still let the loop run other tasks once per batch.
                    await asyncio.sleep(0)
                else:
                    batch = await fut
            except Error:
                return
            if batch is None:
                return
            registry = self._registry()
            if registry is None:
                return  # the client was collected
            for item in batch:
                ev = Event(item[0], item[1], item[2])
                for fn in registry.for_event(ev.name):
                    try:
                        result: Union[Awaitable[Any], Any] = fn(ev)
                        if inspect.isawaitable(result):
                            await result
                    except Exception:
                        _report(fn, ev)
                if ev.name == DISCONNECTED:
                    return
            del registry

    async def join(self, timeout: float) -> None:
        task = self._task
        if task is None or task is asyncio.current_task() or task.done():
            return
        await asyncio.wait({task}, timeout=timeout)
        if not task.done():
            task.cancel()
