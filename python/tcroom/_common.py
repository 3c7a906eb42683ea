"""What the blocking and the asyncio client share: argument checks and result conversion."""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional, Union

from . import _native
from ._errors import InvalidArgumentError
from ._types import (
    AppStateInfo,
    Conference,
    ConferenceSummary,
    Participant,
    Reconnect,
    State,
    SystemInfo,
    TariffRestrictions,
)



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
) -> _native.Op[_native.Client]:
    given = [c for c in (pin, password, token) if c is not None]
    if len(given) > 1:
        raise InvalidArgumentError("give at most one of pin, password and token")
    policy: Optional[Reconnect]
    if isinstance(reconnect, Reconnect):
        policy = reconnect
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
    )


def request_params(params: Optional[Mapping[str, Any]], kwargs: Mapping[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = dict(params or {})
    merged.update(kwargs)
    return merged


def invite_list(invite: Union[str, Iterable[str]]) -> list[str]:
    # A lone string is one invitee, not a list of characters.
    return [invite] if isinstance(invite, str) else [str(p) for p in invite]


def app_state_info(d: Any) -> AppStateInfo:
    return AppStateInfo._from(d)


def tariff(d: Any) -> TariffRestrictions:
    return TariffRestrictions._from(d)


def system_info(d: Any) -> SystemInfo:
    return SystemInfo._from(d)


def summaries(d: Any) -> list[ConferenceSummary]:
    return [ConferenceSummary._from(x) for x in d]


def participants(d: Any) -> list[Participant]:
    return [Participant._from(x) for x in d["participants"]]


def conference(d: Any) -> Conference:
    return Conference._from(d)


def state(native: _native.Client) -> State:
    return State._from(native.state())
