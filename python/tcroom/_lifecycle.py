"""Interpreter exit: close what is still open, then stop the native runtime.

Tokio's threads must be gone before Python finalizes, or one of them could try to take the GIL
of an interpreter that no longer exists. ``atexit`` runs after non-daemon threads are joined and
before finalization, which is the window we need.
"""

from __future__ import annotations

import atexit
import threading
import weakref
from typing import Protocol

from . import _native


class _Closable(Protocol):
    def _close_at_exit(self) -> None: ...


_live: weakref.WeakSet[_Closable] = weakref.WeakSet()
_lock = threading.Lock()


def track(obj: _Closable) -> None:
    with _lock:
        _live.add(obj)


def untrack(obj: _Closable) -> None:
    with _lock:
        _live.discard(obj)


@atexit.register
def _at_exit() -> None:
    with _lock:
        live = list(_live)
        _live.clear()
    for obj in live:
        try:
            obj._close_at_exit()
        except Exception:  # noqa: BLE001 - exiting: nothing useful to do with it
            pass
    _native.shutdown()
