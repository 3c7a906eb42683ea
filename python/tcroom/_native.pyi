"""The private native module under ``tcroom`` (Rust, pyo3). Not a public API: use ``tcroom``.

Every command returns an :class:`Op`: run it once, blocking (``wait``) or as an asyncio future
(``start``). Events are tuples ``(name, data, fields)``.
"""

import asyncio
from typing import Any, Generic, Optional, TypeVar

_T = TypeVar("_T")
_EventTuple = tuple[str, dict[str, Any], dict[str, Any]]

__version__: str
EVENTS_LOST: str
DISCONNECTED: str
CONNECTION_LOST: str
RECONNECTED: str
STATE_CHANGED: str

class Op(Generic[_T]):
    """A not yet started operation."""

    def wait(self) -> _T:
        """Runs it, blocking with the GIL released; Ctrl-C cancels it."""
    def start(self) -> asyncio.Future[_T]:
        """Starts it; the future belongs to the running loop. Cancelling it cancels the operation."""

class PendingConference:
    @property
    def reply(self) -> dict[str, Any]: ...
    def wait(self, timeout: Optional[float] = None) -> Op[dict[str, Any]]: ...

class Client:
    @staticmethod
    def connect(
        host: str,
        *,
        port: Optional[int] = None,
        ws_port: Optional[int] = None,
        credentials: Optional[str] = None,
        role: Optional[str] = None,
        timeout: float = 10.0,
        request_timeout: float = 10.0,
        api_version: Optional[str] = None,
        instance: Optional[str] = None,
        event_capacity: Optional[int] = None,
        reconnect: Optional[tuple[int, float, float]] = None,
        keepalive: Optional[float] = None,
        tls: Optional[tuple[Optional[str], bool]] = None,
        follow_other_host: bool = False,
    ) -> Op[Client]: ...
    def command(self, name: str, args: Optional[dict[str, Any]] = None, timeout: Optional[float] = None) -> Op[Any]:
        """A command of the catalogue by name, with its arguments by name (checked by the core)."""
    def request(self, method: str, params: Optional[dict[str, Any]] = None, timeout: Optional[float] = None) -> Op[dict[str, Any]]: ...
    def create_conference(
        self,
        title: str,
        conf_type: str,
        invite: list[str],
        auto_accept: bool,
        waiting_room: bool,
        mute_cam_on_join: bool,
        mute_mic_on_join: bool,
        casters: Optional[int],
        smart_meeting: bool,
        timeout: Optional[float] = None,
    ) -> Op[PendingConference]: ...
    def next_events(self, max: int = 1024, timeout: Optional[float] = None) -> Op[Optional[list[_EventTuple]]]:
        """Every queued item (up to ``max``) at once; waits up to ``timeout`` for the first one.
        ``None`` once the queue has ended."""
    def subscribe_callbacks(self) -> None: ...
    def next_callback_events(self, max: int = 1024, timeout: Optional[float] = None) -> Op[Optional[list[_EventTuple]]]: ...
    def state(self) -> dict[str, Any]: ...
    def watch(self) -> Watch: ...
    def frame(self, slot_id: str, timeout: Optional[float] = None) -> Op[bytes]: ...
    def frames(self, slot_id: str, fps: float) -> Frames: ...
    def auto_answer(self, mode: str, peers: Optional[list[str]] = None) -> AutoAnswer: ...
    @property
    def is_connected(self) -> bool: ...
    @property
    def url(self) -> str: ...
    @property
    def default_timeout(self) -> float: ...
    def close(self) -> Op[None]: ...
    def close_nowait(self) -> None: ...
    def release(self) -> None:
        """Drops the connection after ``close``; later calls raise ClosedError."""

class Watch:
    def next(self, timeout: Optional[float] = None) -> Op[Optional[tuple[list[str], bool, dict[str, Any]]]]:
        """``(changed, full, state)``; ``None`` once the client is gone."""

class Frames:
    def next(self) -> Op[Optional[bytes]]: ...

class AutoAnswer:
    def stop(self) -> None: ...

class Emulator:
    @staticmethod
    def start(scenario: str) -> Emulator:
        """Starts an emulator from a scenario (JSON, the format of emulator/README.md)."""
    @property
    def host(self) -> str: ...
    @property
    def web_port(self) -> int: ...
    @property
    def ws_port(self) -> int: ...
    @property
    def http_port(self) -> int: ...
    @property
    def running(self) -> bool: ...
    def stop(self) -> None: ...
    def emit(self, event: dict[str, Any]) -> None: ...
    def control(self, action: str, params: Optional[dict[str, Any]] = None) -> dict[str, Any]:
        """Runs a test-only action on the shared room; its reply fields (``result: True``).
        Raises RefusedError (``method`` ``emulator.<action>``) when the emulator refuses it."""
    def set_tariff(self, tariff: dict[str, Any]) -> None: ...
    def connection_count(self) -> int: ...
    def close_all_connections(self) -> None: ...
    def delay_reply(self, method: str, delay: float) -> None: ...
    def drop_reply(self, method: str) -> None: ...
    def close_on(self, method: str) -> None: ...
    def send_garbage(self, text: str) -> None: ...
    def send_huge_frame(self, size: int) -> None: ...
    def set_shuffle(self, on: bool) -> None: ...
    def clear_faults(self) -> None: ...

def _resolve(future: asyncio.Future[Any], result: Any, error: Optional[BaseException]) -> None: ...
def shutdown() -> None:
    """Stops the runtime (interpreter exit)."""
def refresh_log_level() -> None: ...
