"""What the blocking and the asyncio client share: argument checks and result conversion."""

from __future__ import annotations

import time
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from . import _native
from ._errors import InvalidArgumentError
from ._types import Conference, Reconnect, RoomState, StateChange


def connect_op(
    host: str,
    *,
    port: Optional[int],
    ws_port: Optional[int],
    pin: Optional[str],
    password: Optional[str],
    token: Optional[str],
    role: Optional[str],
    timeout: float,
    request_timeout: Optional[float],
    api_version: Optional[str],
    instance: str,
    event_capacity: int,
    reconnect: Union[bool, Reconnect],
    keepalive: Optional[float] = 5.0,
    tls: Union[bool, str, None] = None,
    tls_accept_invalid_certs: bool = False,
    follow_other_host: bool = False,
) -> _native.Op[_native.Client]:
    if not isinstance(host, str):
        raise InvalidArgumentError(f"host must be a string, not {type(host).__name__}")
    given = [c for c in (pin, password, token) if c is not None]
    if len(given) > 1:
        raise InvalidArgumentError("give at most one of pin, password and token")
    if given and not isinstance(given[0], str):
        raise InvalidArgumentError(f"the PIN, password or token must be a string, not {type(given[0]).__name__}")
    if isinstance(event_capacity, bool) or not isinstance(event_capacity, int) or event_capacity < 1:
        raise InvalidArgumentError(f"event_capacity must be an integer of at least 1, not {event_capacity!r}")
    if event_capacity > _U32_MAX:  # the core has the real (lower) limit; this keeps OverflowError out
        raise InvalidArgumentError(f"event_capacity {event_capacity} is over the limit")
    for name, value in (("port", port), ("ws_port", ws_port)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 65536):
            raise InvalidArgumentError(f"{name} must be a TCP port number (1 to 65535), not {value!r}")
    if not isinstance(reconnect, (bool, Reconnect)):
        raise InvalidArgumentError(f"reconnect must be True, False or a tcroom.Reconnect, not {reconnect!r}")
    if tls is not None and not isinstance(tls, (bool, str)):
        raise InvalidArgumentError(f"tls must be True, False, None or a CA file path, not {type(tls).__name__}")
    tls_arg: Optional[tuple[Optional[str], bool]] = None
    if tls or tls_accept_invalid_certs:
        tls_arg = (tls if isinstance(tls, str) else None, bool(tls_accept_invalid_certs))
    policy: Optional[Reconnect]
    if isinstance(reconnect, Reconnect):
        policy = reconnect
        attempts = policy.max_attempts
        if isinstance(attempts, bool) or not isinstance(attempts, int) or not 0 <= attempts <= _U32_MAX:
            raise InvalidArgumentError(f"Reconnect.max_attempts must be an integer >= 0, not {attempts!r}")
        check_timeout(policy.initial_delay)
        check_timeout(policy.max_delay)
    else:
        policy = Reconnect() if reconnect else None
    return _native.Client.connect(
        host,
        port=port,
        ws_port=ws_port,
        credentials=given[0] if given else None,
        role=role,
        timeout=timeout,
        request_timeout=timeout if request_timeout is None else request_timeout,
        api_version=api_version,
        instance=instance,
        event_capacity=event_capacity,
        reconnect=None if policy is None else (policy.max_attempts, policy.initial_delay, policy.max_delay),
        keepalive=0.0 if keepalive is None else check_timeout(keepalive),
        tls=tls_arg,
        follow_other_host=bool(follow_other_host),
    )


_U32_MAX = 2**32 - 1


def request_params(params: Optional[Mapping[str, Any]], kwargs: Mapping[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = dict(params or {})
    merged.update(kwargs)
    return merged


def id_list(ids: Union[str, Iterable[str]]) -> list[str]:
    """A list of ids: a lone string is one id, not a list of characters; anything but strings
    is refused rather than turned into text."""
    items = [ids] if isinstance(ids, str) else list(ids)
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise InvalidArgumentError(f"item #{i + 1} must be a string id, not {type(item).__name__}: {item!r}")
    return items


invite_list = id_list


def conference(d: Any) -> Conference:
    return Conference._from(d)


def state(native: _native.Client) -> RoomState:
    return RoomState._from(native.state())


def state_change(item: tuple[list[str], bool, dict[str, Any]]) -> StateChange:
    return StateChange(list(item[0]), bool(item[1]), RoomState._from(item[2]))


def check_timeout(timeout: Optional[float]) -> Optional[float]:
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout >= 0:
        raise InvalidArgumentError(f"a time-out must be a number of seconds >= 0, not {timeout!r}")
    return float(timeout)


def deadline(timeout: Optional[float]) -> Optional[float]:
    t = check_timeout(timeout)
    return None if t is None else time.monotonic() + t


def left(deadline: Optional[float]) -> Optional[float]:
    return None if deadline is None else max(0.0, deadline - time.monotonic())


def auto_answer_mode(accept: Union[str, Sequence[str], None]) -> tuple[str, Optional[list[str]]]:
    """``"all"``, ``"none"`` (or ``None``), or the peers to accept."""
    if accept is None or accept == "none":
        return "none", None
    if accept == "all":
        return "all", None
    if isinstance(accept, str):
        raise InvalidArgumentError(f"accept must be 'all', 'none' or a list of peers, not {accept!r}")
    return "list", id_list(accept)


class AutoAnswer:
    """A running auto-answer (``room.auto_answer(...)``): answers incoming calls until
    :meth:`stop` (or the end of a ``with`` block, or the client's close)."""

    def __init__(self, native: _native.AutoAnswer) -> None:
        self._native = native

    def stop(self) -> None:
        self._native.stop()

    def __enter__(self) -> AutoAnswer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
