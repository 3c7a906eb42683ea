"""Exceptions. ``tcroom.Error`` is the base of everything the library raises on purpose."""

from __future__ import annotations

import builtins
from typing import Any, Optional

__all__ = [
    "Error",
    "ConnectError",
    "DiscoveryError",
    "AuthError",
    "TimeoutError",
    "RefusedError",
    "ProtocolError",
    "DisconnectedError",
    "ClosedError",
    "InvalidArgumentError",
]


class Error(Exception):
    """Base class of every tcroom exception. ``str(e)`` is a complete sentence."""

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        for key, value in details.items():
            setattr(self, key, value)


class ConnectError(Error, builtins.ConnectionError):
    """The room could not be reached: the WebSocket did not open."""

    url: Optional[str] = None


class DiscoveryError(ConnectError):
    """``GET /public/<instance>/config.json`` on the web-manager port failed or was unusable.

    Pass ``ws_port=`` to skip discovery."""


class AuthError(Error):
    """The room refused the PIN, password or token (``code`` is its ``resultCode``)."""

    code: Optional[int] = None


class TimeoutError(Error, builtins.TimeoutError):
    """No reply (or no event) in time. ``method`` names what was waited for, ``timeout`` the
    seconds. The request is withdrawn: a late reply is ignored."""

    method: Optional[str] = None
    timeout: Optional[float] = None


class RefusedError(Error):
    """The room answered ``result: false``. ``room_error`` is the room's own ``error`` text,
    ``reply`` the whole reply, ``method`` the command."""

    method: Optional[str] = None
    room_error: Optional[str] = None
    reply: Optional[dict[str, Any]] = None


class ProtocolError(Error):
    """The room sent something that does not follow the protocol."""


class DisconnectedError(Error, builtins.ConnectionError):
    """The connection dropped (or was already down) while a call was pending."""

    reason: Optional[str] = None


class ClosedError(Error):
    """The client was closed (or the interpreter is exiting)."""


class InvalidArgumentError(Error, ValueError):
    """An argument was rejected before anything was sent."""
