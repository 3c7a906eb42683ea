"""An emulated room, in-process, for testing your own code without a TrueConf Room::

    from tcroom.testing import Emulator, User

    with Emulator(pin="1234", users=[User("user1@some.server", answer="join", delay=0.1)]) as emu:
        with tcroom.Client.connect(emu.host, port=emu.web_port, pin="1234") as room:
            ...

The emulator speaks the control protocol over real sockets on 127.0.0.1 (free ports by
default), starts in state 3 (logged in), and answers invitations as scripted: invitees not
listed in ``users`` answer like ``default_answer``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Iterable, Literal, Mapping, Optional, Union

from . import _lifecycle, _native
from ._errors import InvalidArgumentError

__all__ = ["Emulator", "User", "Faults", "AnswerKind"]

AnswerKind = Literal["join", "reject", "none"]
"""How a simulated user answers an invitation: joins, rejects (with a ``cause``), or never
answers."""


def _answer(kind: str, delay: float, cause: Optional[int]) -> dict[str, Any]:
    if delay < 0:
        raise InvalidArgumentError(f"delay must be >= 0, not {delay}")
    delay_ms = int(round(delay * 1000))
    if kind == "join":
        return {"type": "join", "delay_ms": delay_ms}
    if kind == "reject":
        return {"type": "reject", "cause": 0 if cause is None else int(cause), "delay_ms": delay_ms}
    if kind in ("none", "no_answer"):
        return {"type": "no_answer"}
    raise InvalidArgumentError(f"answer must be 'join', 'reject' or 'none', not {kind!r}")


@dataclass(frozen=True)
class User:
    """A simulated user of the emulator's directory.

    ``id`` is a CallId (``user1@some.server``). ``answer`` (default: the emulator's
    ``default_answer``) says what they do when invited, after ``delay`` seconds; ``cause`` is
    the ``rejectReceived`` cause for ``"reject"`` (0 rejected, 2 busy, 16 no answer, ...).
    Moderators skip the waiting room."""

    id: str
    answer: Optional[AnswerKind] = None
    delay: float = 0.0
    cause: Optional[int] = None
    display_name: Optional[str] = None
    moderator: bool = False

    def _scenario(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "moderator": self.moderator}
        if self.display_name is not None:
            d["display_name"] = self.display_name
        if self.answer is not None:
            d["answer"] = _answer(self.answer, self.delay, self.cause)
        return d


UserLike = Union[User, str, Mapping[str, Any]]
"""A :class:`User`, a bare CallId (answers like ``default_answer``), or a dict of ``User``'s
fields."""


def _user(u: UserLike) -> User:
    if isinstance(u, User):
        return u
    if isinstance(u, str):
        return User(u)
    if isinstance(u, Mapping):
        try:
            return User(**dict(u))
        except TypeError as e:
            raise InvalidArgumentError(f"bad user {dict(u)!r}: {e}") from None
    raise InvalidArgumentError(f"a user is a tcroom.testing.User, a str or a dict, not {type(u).__name__}")


class Faults:
    """Fault injection. Rules apply to the next matching request (one-shot); several calls
    queue up. They are global to the emulator."""

    def __init__(self, native: _native.Emulator) -> None:
        self._native = native

    def delay_reply(self, method: str, seconds: float) -> None:
        """The next reply to ``method`` is sent after ``seconds`` (its notifications are not
        held back)."""
        self._native.delay_reply(method, seconds)

    def drop_reply(self, method: str) -> None:
        """The next reply to ``method`` is never sent; its side effects still happen."""
        self._native.drop_reply(method)

    def close_on(self, method: str) -> None:
        """When ``method`` next arrives, the socket is dropped (no close frame) instead."""
        self._native.close_on(method)

    def send_garbage(self, text: str = "this is not JSON") -> None:
        """Sends ``text`` as a text frame to every connection, now."""
        self._native.send_garbage(text)

    def send_huge_frame(self, size: int) -> None:
        """Sends one valid event of about ``size`` bytes to every connection, now."""
        self._native.send_huge_frame(size)

    def set_shuffle(self, on: bool = True) -> None:
        """Persistent: a command's notifications go out before its reply, pairs swapped."""
        self._native.set_shuffle(on)

    def clear(self) -> None:
        """Removes every rule and turns shuffling off."""
        self._native.clear_faults()


class Emulator:
    """A TrueConf Room emulator running in this process, started on construction. Use it as a
    context manager, or call :meth:`stop`.

    ``pin`` (or ``password``) protects it; neither means unsecured. ``users`` is the directory
    of simulated invitees. ``tariff`` keys are merged over the default tariff.
    ``app_state`` is the initial ``appState`` (3: logged in). ``waiting_room`` turns the
    waiting room on when ``createConference`` does not say. ``isolated_rooms`` gives each
    connection its own room (for parallel tests on one emulator)."""

    def __init__(
        self,
        pin: Optional[str] = None,
        users: Optional[Iterable[UserLike]] = None,
        *,
        password: Optional[str] = None,
        host: str = "127.0.0.1",
        web_port: int = 0,
        ws_port: int = 0,
        http_port: int = 0,
        own_id: Optional[str] = None,
        display_name: Optional[str] = None,
        app_state: int = 3,
        tariff: Optional[Mapping[str, Any]] = None,
        default_answer: AnswerKind = "join",
        default_delay: float = 0.05,
        default_cause: Optional[int] = None,
        waiting_room: bool = False,
        conference_created_first: bool = False,
        isolated_rooms: bool = False,
        instance: str = "default",
        server: Optional[str] = None,
    ) -> None:
        if pin is not None and password is not None:
            raise InvalidArgumentError("give pin or password, not both")
        self._pin = pin
        self._password = password
        scenario: dict[str, Any] = {
            "host": host,
            "web_port": web_port,
            "ws_port": ws_port,
            "http_port": http_port,
            "auth": {"pin": pin} if pin is not None else {"password": password} if password is not None else "unsecured",
            "initial_app_state": app_state,
            "users": [_user(u)._scenario() for u in (users or ())],
            "default_answer": _answer(default_answer, default_delay, default_cause),
            "waiting_room_default": waiting_room,
            "created_order": "conference_created_first" if conference_created_first else "app_state_first",
            "isolated_rooms": isolated_rooms,
            "instance": instance,
        }
        for key, value in (("own_id", own_id), ("display_name", display_name), ("server", server)):
            if value is not None:
                scenario[key] = value
        if tariff is not None:
            scenario["tariff"] = dict(tariff)
        self._native = _native.Emulator.start(json.dumps(scenario))
        self.faults = Faults(self._native)
        """Fault injection: see :class:`Faults`."""
        _lifecycle.track(self)

    @property
    def host(self) -> str:
        return self._native.host

    @property
    def web_port(self) -> int:
        """The web manager's port: pass it as ``port=`` to ``Client.connect`` (discovery)."""
        return self._native.web_port

    @property
    def ws_port(self) -> int:
        """The control WebSocket's port: pass it as ``ws_port=`` to skip discovery."""
        return self._native.ws_port

    @property
    def http_port(self) -> int:
        """The embedded HTTP server's port."""
        return self._native.http_port

    @property
    def pin(self) -> Optional[str]:
        return self._pin

    @property
    def running(self) -> bool:
        return self._native.running

    @property
    def connection_count(self) -> int:
        """Open WebSocket connections."""
        return self._native.connection_count()

    def emit(self, event: Union[str, Mapping[str, Any]], /, **fields: Any) -> None:
        """Sends a notification to every authorized connection: ``emit("inviteReceived",
        peerId="u@s")`` or a whole ``{"method": "event", "event": ...}`` dict."""
        if isinstance(event, str):
            payload: dict[str, Any] = {"method": "event", "event": event, **fields}
        else:
            payload = {**dict(event), **fields}
        self._native.emit(payload)

    def set_tariff(self, tariff: Mapping[str, Any]) -> None:
        """Replaces the tariff and announces it with ``tariffRestrictionsChanged``."""
        self._native.set_tariff(dict(tariff))

    def close_all_connections(self) -> None:
        """Closes every socket with a close frame, now."""
        self._native.close_all_connections()

    def stop(self) -> None:
        """Stops accepting, closes every connection, returns when they are gone. Idempotent."""
        self._native.stop()
        _lifecycle.untrack(self)

    def _close_at_exit(self) -> None:
        self._native.stop()

    def __enter__(self) -> Emulator:
        return self

    def __exit__(
        self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<tcroom.testing.Emulator ws://{self.host}:{self.ws_port}/ {'running' if self.running else 'stopped'}>"
