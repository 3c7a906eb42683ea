"""tcroom: control a TrueConf Room (VideoSDK) over its WebSocket API.

Blocking::

    import tcroom
    with tcroom.Client.connect("192.0.2.10", pin="1234") as room:
        conf = room.create_conference("Daily", invite=["user1@some.server"])
        for ev in room.events(timeout=30):
            if ev.name == "newParticipantInConference":
                print(ev.peer_id, "joined")
                break

asyncio::

    async with tcroom.AsyncClient.connect("192.0.2.10", pin="1234") as room:
        conf = await room.create_conference("Daily", invite=["user1@some.server"])
        async for ev in room.events(timeout=30):
            ...

Every command of the protocol catalogue is a method of both clients (``room.set_mic_mute(True)``,
``room.get_hardware()``...; the reference is docs/commands.md). ``room.state`` is the live room
state (mute, devices, calls, layout...), ``room.watch()`` follows it, ``room.wait_for(...)`` waits
for one, ``room.frame(slot)`` fetches a video still.

Logging goes to the ``logging`` logger ``tcroom`` (no handler is installed; PINs and tokens
are never logged). ``tcroom.testing.Emulator`` runs an emulated room in-process for tests.
"""

from __future__ import annotations

import logging as _logging

from . import _native
from . import testing as testing
from ._async import AsyncClient, AsyncEventIterator, AsyncFrames, AsyncPendingConference, AsyncStateWatch
from ._callbacks import ALL_EVENTS, Handler
from . import _models
from ._common import AutoAnswer
from ._models import *  # noqa: F403 - every record of the protocol
from ._errors import (
    AuthError,
    ClosedError,
    ConnectError,
    DisconnectedError,
    DiscoveryError,
    Error,
    InvalidArgumentError,
    ProtocolError,
    RefusedError,
    TimeoutError,
)
from ._sync import Client, EventIterator, Frames, PendingConference, StateWatch
from ._types import (
    CONNECTION_LOST,
    DISCONNECTED,
    EVENTS_LOST,
    MALFORMED,
    RECONNECTED,
    STATE_CHANGED,
    AppState,
    AppStateInfo,
    Conference,
    ConferenceSummary,
    ConfType,
    Event,
    Participant,
    Reconnect,
    RoomState,
    SchemaRow,
    State,
    StateChange,
    SystemInfo,
    TariffRestrictions,
)

__version__: str = _native.__version__

# Records at the Rust TRACE level (wire frames, secrets redacted) use level 5; give it a name
# unless the application already did.
if _logging.getLevelName(5) == "Level 5":
    _logging.addLevelName(5, "TRACE")

__all__ = [
    "Client",
    "AsyncClient",
    "PendingConference",
    "AsyncPendingConference",
    "EventIterator",
    "AsyncEventIterator",
    "StateWatch",
    "AsyncStateWatch",
    "Frames",
    "AsyncFrames",
    "AutoAnswer",
    "RoomState",
    "StateChange",
    "STATE_CHANGED",
    "Event",
    "Handler",
    "ALL_EVENTS",
    "DISCONNECTED",
    "EVENTS_LOST",
    "MALFORMED",
    "CONNECTION_LOST",
    "RECONNECTED",
    "Reconnect",
    "AppState",
    "AppStateInfo",
    "ConfType",
    "Conference",
    "ConferenceSummary",
    "Participant",
    "SchemaRow",
    "State",
    "SystemInfo",
    "TariffRestrictions",
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
    "testing",
    "__version__",
]
__all__ += _models.__all__
