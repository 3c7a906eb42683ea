"""The asyncio client: the same commands as :class:`tcroom.Client`, as coroutines.

Each call is an asyncio future of the running loop. The request is written before the call
returns its future; the reply wakes the loop through a file descriptor it watches (one per loop,
``loop.add_reader``), and the loop's thread completes the future. Cancelling the awaiting task
withdraws the request.
"""

from __future__ import annotations

import asyncio
import warnings
from types import TracebackType
from typing import (
    Any,
    AsyncIterator,
    Callable,
    Generator,
    Iterable,
    Literal,
    Mapping,
    Optional,
    TypeVar,
    Union,
    overload,
)

from . import _common, _lifecycle, _native
from ._callbacks import EVENT_BATCH, CallbackTask, Handler, Registry
from ._types import (
    DISCONNECTED,
    AppState,
    AppStateInfo,
    Conference,
    ConferenceSummary,
    ConfType,
    Event,
    Participant,
    Reconnect,
    State,
    SystemInfo,
    TariffRestrictions,
)

__all__ = ["AsyncClient", "AsyncPendingConference", "AsyncEventIterator"]

H = TypeVar("H", bound=Handler)


class AsyncPendingConference:
    """A conference the room has accepted to create; ``await wait()`` until it has started."""

    def __init__(self, native: _native.PendingConference) -> None:
        self._native = native

    @property
    def reply(self) -> dict[str, Any]:
        """The room's reply to ``createConference`` (``result: true``)."""
        return self._native.reply

    async def wait(self, timeout: Optional[float] = None) -> Conference:
        """Waits for ``conferenceCreated``; may be awaited again after a time-out or a
        cancellation."""
        return _common.conference(await self._native.wait(timeout).start())


class AsyncEventIterator(AsyncIterator[Event]):
    """``async for`` over the client's event queue; see :meth:`tcroom.Client.events`."""

    def __init__(self, native: _native.Client, timeout: Optional[float]) -> None:
        self._native = native
        self._timeout = timeout
        self._done = False
        # Events already taken from the queue (one native call takes all that are waiting).
        self._batch: list[Any] = []
        self._pos = 0

    def __aiter__(self) -> AsyncEventIterator:
        return self

    async def __anext__(self) -> Event:
        if self._pos >= len(self._batch):
            if self._done:
                raise StopAsyncIteration
            fut = self._native.next_events(EVENT_BATCH, self._timeout).start()
            ready = fut.done()
            batch = fut.result() if ready else await fut
            if batch is None:
                self._done = True
                raise StopAsyncIteration
            self._batch = batch
            self._pos = 0
            if ready:
                # Taken without waiting: still let the loop run other tasks once per batch (a
                # cancellation here leaves the batch buffered in this iterator).
                await asyncio.sleep(0)
        item = self._batch[self._pos]
        self._pos += 1
        ev = Event(item[0], item[1], item[2])
        if ev.name == DISCONNECTED:
            self._done = True
            self._batch = []
        return ev


class _Connecting:
    """What :meth:`AsyncClient.connect` returns: await it, or use it with ``async with``."""

    def __init__(self, op: _native.Op[_native.Client]) -> None:
        self._op = op
        self._client: Optional[AsyncClient] = None

    async def _connect(self) -> AsyncClient:
        return AsyncClient(await self._op.start())

    def __await__(self) -> Generator[Any, None, AsyncClient]:
        return self._connect().__await__()

    async def __aenter__(self) -> AsyncClient:
        self._client = await self._connect()
        return self._client

    async def __aexit__(
        self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        if self._client is not None:
            await self._client.close()


class AsyncClient:
    """A connected, authorized room, for asyncio. Create it with ``await AsyncClient.connect(...)``
    or ``async with AsyncClient.connect(...) as room``. Calls may come from any task of the
    loop it was created on."""

    def __init__(self, native: _native.Client) -> None:
        """Internal: use :meth:`AsyncClient.connect`."""
        self._native = native
        self._url = native.url
        self._closed = False
        self._handlers = Registry()
        self._callbacks = CallbackTask(native, self._handlers)
        _lifecycle.track(self)

    @classmethod
    def connect(
        cls,
        host: str,
        *,
        port: Optional[int] = None,
        ws_port: Optional[int] = None,
        pin: Optional[str] = None,
        password: Optional[str] = None,
        token: Optional[str] = None,
        role: Optional[Literal["admin", "user"]] = None,
        timeout: float = 10.0,
        request_timeout: Optional[float] = None,
        api_version: Optional[str] = None,
        instance: str = "default",
        event_capacity: int = 1024,
        reconnect: Union[bool, Reconnect] = False,
    ) -> _Connecting:
        """Connects and authorizes; the arguments are those of :meth:`tcroom.Client.connect`."""
        return _Connecting(
            _common.connect_op(
                host,
                port=port,
                ws_port=ws_port,
                pin=pin,
                password=password,
                token=token,
                role=role,
                timeout=timeout,
                request_timeout=request_timeout,
                api_version=api_version,
                instance=instance,
                event_capacity=event_capacity,
                reconnect=reconnect,
            )
        )

    # ---- lifetime ----

    async def close(self) -> None:
        """Closes the connection; pending calls fail with :class:`tcroom.DisconnectedError`."""
        if self._closed:
            return
        self._closed = True
        try:
            await self._native.close().start()
        finally:
            self._native.release()
            _lifecycle.untrack(self)
            await self._callbacks.join(timeout=5.0)

    def _close_at_exit(self) -> None:
        self._closed = True
        self._native.close().wait()
        self._native.release()

    @property
    def closed(self) -> bool:
        return self._closed

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        await self.close()

    def __del__(self) -> None:
        if getattr(self, "_closed", True):
            return
        warnings.warn(f"unclosed {self!r}", ResourceWarning, source=self, stacklevel=2)
        try:
            self._native.close_nowait()
        except Exception:  # noqa: BLE001 - at interpreter exit or after fork: nothing to close
            pass

    def __repr__(self) -> str:
        return f"<tcroom.AsyncClient {self._url}{' closed' if self._closed else ''}>"

    # ---- state mirror (non-blocking) ----

    @property
    def state(self) -> State:
        return _common.state(self._native)

    @property
    def app_state(self) -> Optional[AppState]:
        return self.state.app_state

    @property
    def conference(self) -> Optional[Conference]:
        return self.state.conference

    @property
    def participants(self) -> list[Participant]:
        return self.state.participants

    @property
    def is_connected(self) -> bool:
        return not self._closed and self._native.is_connected

    @property
    def url(self) -> str:
        return self._url

    # ---- events ----

    def events(self, timeout: Optional[float] = None) -> AsyncEventIterator:
        """``async for ev in room.events():`` every event since the connection opened; each
        ``__anext__`` waits up to ``timeout`` (``None``: forever) and raises
        :class:`tcroom.TimeoutError` when nothing came. Ends after ``disconnected``."""
        return AsyncEventIterator(self._native, timeout)

    @overload
    def on(self, name: str) -> Callable[[H], H]: ...
    @overload
    def on(self, name: str, callback: H) -> H: ...
    def on(self, name: str, callback: Optional[H] = None) -> Union[H, Callable[[H], H]]:
        """Registers ``callback(event)`` (a function or a coroutine function) for events named
        ``name`` (``"*"``: all), from now on. Callbacks run in order in one task on the event
        loop; they may await the client. Call from within the running loop."""

        def register(fn: H) -> H:
            self._handlers.add(name, fn)
            self._callbacks.ensure_started()
            return fn

        return register if callback is None else register(callback)

    def off(self, name: str, callback: Handler) -> bool:
        return self._handlers.remove(name, callback)

    # ---- commands ----

    async def request(self, method: str, params: Optional[Mapping[str, Any]] = None, /, *,
                      timeout: Optional[float] = None, **kwargs: Any) -> dict[str, Any]:
        """Any command; see :meth:`tcroom.Client.request`."""
        params_d = _common.request_params(params, kwargs)
        return await self._native.request(method, params_d, timeout).start()

    @overload
    async def create_conference(
        self, title: str, *, conf_type: ConfType = ..., invite: Union[str, Iterable[str]] = ...,
        auto_accept: bool = ..., waiting_room: bool = ..., mute_cam_on_join: bool = ...,
        mute_mic_on_join: bool = ..., casters: Optional[int] = ..., smart_meeting: bool = ...,
        wait: Literal[True] = ..., timeout: Optional[float] = ...,
    ) -> Conference: ...
    @overload
    async def create_conference(
        self, title: str, *, conf_type: ConfType = ..., invite: Union[str, Iterable[str]] = ...,
        auto_accept: bool = ..., waiting_room: bool = ..., mute_cam_on_join: bool = ...,
        mute_mic_on_join: bool = ..., casters: Optional[int] = ..., smart_meeting: bool = ...,
        wait: Literal[False], timeout: Optional[float] = ...,
    ) -> AsyncPendingConference: ...
    @overload
    async def create_conference(
        self, title: str, *, conf_type: ConfType = ..., invite: Union[str, Iterable[str]] = ...,
        auto_accept: bool = ..., waiting_room: bool = ..., mute_cam_on_join: bool = ...,
        mute_mic_on_join: bool = ..., casters: Optional[int] = ..., smart_meeting: bool = ...,
        wait: bool, timeout: Optional[float] = ...,
    ) -> Union[Conference, AsyncPendingConference]: ...
    async def create_conference(
        self,
        title: str,
        *,
        conf_type: ConfType = "symmetric",
        invite: Union[str, Iterable[str]] = (),
        auto_accept: bool = False,
        waiting_room: bool = False,
        mute_cam_on_join: bool = False,
        mute_mic_on_join: bool = False,
        casters: Optional[int] = None,
        smart_meeting: bool = False,
        wait: bool = True,
        timeout: Optional[float] = None,
    ) -> Union[Conference, AsyncPendingConference]:
        """See :meth:`tcroom.Client.create_conference`."""
        op = self._native.create_conference(
            title, conf_type, _common.invite_list(invite), auto_accept, waiting_room, mute_cam_on_join,
            mute_mic_on_join, casters, smart_meeting, timeout,
        )
        pending = AsyncPendingConference(await op.start())
        return await pending.wait(timeout) if wait else pending

    async def get_app_state(self, *, timeout: Optional[float] = None) -> AppStateInfo:
        return _common.app_state_info(await self._native.get_app_state(timeout).start())

    async def get_tariff_restrictions(self, *, timeout: Optional[float] = None) -> TariffRestrictions:
        return _common.tariff(await self._native.get_tariff_restrictions(timeout).start())

    async def get_system_info(self, *, timeout: Optional[float] = None) -> SystemInfo:
        return _common.system_info(await self._native.get_system_info(timeout).start())

    async def get_conferences(self, *, timeout: Optional[float] = None) -> list[ConferenceSummary]:
        return _common.summaries(await self._native.get_conferences(timeout).start())

    async def get_conference_participants(self, *, timeout: Optional[float] = None) -> list[Participant]:
        return _common.participants(await self._native.get_conference_participants(timeout).start())

    async def set_waiting_room_state(self, enable: bool, *, users_must_be_invited: bool = True,
                                     timeout: Optional[float] = None) -> Optional[str]:
        return await self._native.set_waiting_room_state(enable, users_must_be_invited, timeout).start()

    async def set_participant_presence_in_waiting_room(self, call_id: str, in_waiting_room: bool, *,
                                                       timeout: Optional[float] = None) -> Optional[str]:
        return await self._native.set_participant_presence_in_waiting_room(call_id, in_waiting_room, timeout).start()

    async def hang_up(self, for_all: bool = False, *, timeout: Optional[float] = None) -> None:
        await self._native.hang_up(for_all, timeout).start()

    async def invite_to_conference(self, peer_id: str, *, timeout: Optional[float] = None) -> None:
        await self._native.invite_to_conference(peer_id, timeout).start()

    async def change_conference_mode(self, is_smart_meeting: bool, *, timeout: Optional[float] = None) -> None:
        await self._native.change_conference_mode(is_smart_meeting, timeout).start()

    async def get_session_link(self, *, timeout: Optional[float] = None) -> str:
        return await self._native.get_session_link(timeout).start()

