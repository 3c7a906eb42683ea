"""The asyncio client, :class:`tcroom.AsyncClient`.

This file is the one implementation of both clients: ``_sync.py`` (:class:`tcroom.Client`) is
generated from it by tcroom-codegen (``cargo run -p tcroom-codegen``), unasync-style: ``async``
and ``await`` go, ``Async`` names lose their prefix, ``Op.start()`` (an asyncio future) becomes
``Op.wait()`` (a blocking wait with the GIL released). Lines marked ``# unasync: async-only``
and blocks between ``# unasync: begin async-only`` and ``# unasync: end`` are dropped from the
blocking client; blocks between ``# unasync: begin sync-only`` and ``# unasync: end`` are
comments here and code there. The commands themselves come from the catalogue
(``_commands.py``).

Each call is an asyncio future of the running loop. The request is written before the call
returns its future; the reply wakes the loop through a file descriptor it watches (one per loop,
``loop.add_reader``), and the loop's thread completes the future. Cancelling the awaiting task
withdraws the request.
"""

from __future__ import annotations

import asyncio  # unasync: async-only
import warnings
from types import TracebackType
from typing import (
    Any,
    AsyncIterator,
    Callable,
    Generator,  # unasync: async-only
    Iterable,
    Literal,
    Mapping,
    Optional,
    Sequence,
    TypeVar,
    Union,
    overload,
)

from . import _common, _lifecycle, _native
from ._callbacks import EVENT_BATCH, CallbackTask, Handler, Registry
from ._commands import AsyncCommands
from ._errors import TimeoutError
from ._types import (
    DISCONNECTED,
    AppState,
    Conference,
    ConfType,
    Event,
    Participant,
    Reconnect,
    RoomState,
    StateChange,
)

# unasync: begin sync-only
# import threading
# unasync: end

__all__ = ["AsyncClient", "AsyncPendingConference", "AsyncEventIterator", "AsyncStateWatch", "AsyncFrames"]

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
        """Waits for ``conferenceCreated`` (default time-out: the client's). After a time-out
        (or a cancellation) it can be waited for again: nothing announced meanwhile is lost."""
        return _common.conference(await self._native.wait(timeout).start())


class AsyncEventIterator(AsyncIterator[Event]):
    """Events of the client's queue, in order. Each step waits up to ``timeout`` seconds
    (``None``: forever) and raises :class:`tcroom.TimeoutError` when nothing came. Iteration ends
    after the ``disconnected`` event, which is yielded."""

    def __init__(self, native: _native.Client, timeout: Optional[float]) -> None:
        self._native = native
        self._timeout = _common.check_timeout(timeout)
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
            batch = await self._native.next_events(EVENT_BATCH, self._timeout).start()
            if batch is None:
                self._done = True
                raise StopAsyncIteration
            self._batch = batch
            self._pos = 0
            # Taken without waiting, a batch could starve the loop: let other tasks run once.  # unasync: async-only
            await asyncio.sleep(0)  # unasync: async-only
        item = self._batch[self._pos]
        self._pos += 1
        ev = Event(item[0], item[1], item[2])
        if ev.name == DISCONNECTED:
            self._done = True
            self._batch = []
        return ev


class AsyncStateWatch(AsyncIterator[StateChange]):
    """The room state as a subscription (``room.watch()``): the whole current state first, then
    each change as what changed and the new state; after a reconnect, the whole state again.
    Changes that happen while you are not reading are merged into one, so a slow reader never
    falls behind. Each step waits up to ``timeout`` seconds (``None``: forever) and raises
    :class:`tcroom.TimeoutError` when nothing changed; iteration ends when the client is gone
    for good."""

    def __init__(self, native: _native.Watch, timeout: Optional[float]) -> None:
        self._native = native
        self._timeout = _common.check_timeout(timeout)

    def __aiter__(self) -> AsyncStateWatch:
        return self

    async def next(self, timeout: Optional[float] = None) -> Optional[StateChange]:
        """The next change, waiting up to ``timeout`` (default: the watch's); ``None`` once the
        client is gone."""
        t = self._timeout if timeout is None else _common.check_timeout(timeout)
        item = await self._native.next(t).start()
        return None if item is None else _common.state_change(item)

    async def __anext__(self) -> StateChange:
        change = await self.next()
        if change is None:
            raise StopAsyncIteration
        return change


class AsyncFrames(AsyncIterator[bytes]):
    """Frames of one video slot, paced at the requested rate (``room.frames(slot, fps)``): each
    item is the bytes of a JPEG. A failed fetch raises its error (iteration may go on after it);
    iteration ends when the client is closed."""

    def __init__(self, native: _native.Frames) -> None:
        self._native = native

    def __aiter__(self) -> AsyncFrames:
        return self

    async def __anext__(self) -> bytes:
        frame = await self._native.next().start()
        if frame is None:
            raise StopAsyncIteration
        return frame


# unasync: begin async-only
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


# unasync: end
class AsyncClient(AsyncCommands):
    """A connected, authorized room. Create it with ``await AsyncClient.connect(...)`` or
    ``async with AsyncClient.connect(...) as room``; close it (or leave the ``with``). Every
    command of the catalogue is a method (``await room.set_mic_mute(True)``); ``state``,
    ``watch()``, ``events()`` and ``on()`` follow the room."""

    def __init__(self, native: _native.Client) -> None:
        """Internal: use :meth:`connect`."""
        self._native = native
        self._url = native.url
        self._closed = False
        # unasync: begin sync-only
        # self._close_lock = threading.Lock()
        # unasync: end
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
        keepalive: Optional[float] = 5.0,
        tls: Union[bool, str, None] = None,
        tls_accept_invalid_certs: bool = False,
        follow_other_host: bool = False,
    ) -> _Connecting:
        """Connects to the room on ``host`` and authorizes.

        ``port`` is the web manager's port (default 80), used to discover the control WebSocket
        port; ``ws_port`` skips discovery. Give at most one of ``pin``, ``password`` and
        ``token`` (none: unsecured). ``timeout`` bounds the whole connect (discovery, handshake,
        authorization, reading the room state); ``request_timeout`` (default: ``timeout``) is
        the default for every later call. ``event_capacity`` is how many events the queue of
        :meth:`events` keeps before it drops the oldest (reported as ``eventsLost``).
        ``reconnect=True`` (or a :class:`tcroom.Reconnect`) re-establishes a dropped link
        instead of ending the client. ``keepalive`` (seconds; ``None`` or 0: off) checks the
        link once per interval: a room quiet for half of it is pinged, and the link is given up
        when the ping is still unanswered at the next check.

        ``tls=True`` talks TLS to a room published behind a TLS proxy (``wss://``, ``https://``
        discovery and frames), checking its certificate against the system's roots; a string is
        the PEM file of the only CA to trust; ``tls_accept_invalid_certs=True`` turns checking
        off (a lab only). ``follow_other_host=True`` lets discovery send the client (and its
        PIN) to another host than ``host`` when the room's ``config.json`` or a redirect says
        so; off by default."""
        op = _common.connect_op(
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
            keepalive=keepalive,
            tls=tls,
            tls_accept_invalid_certs=tls_accept_invalid_certs,
            follow_other_host=follow_other_host,
        )
        return _Connecting(op)  # unasync: async-only
        # unasync: begin sync-only
        # return cls(op.wait())
        # unasync: end

    # ---- lifetime ----

    async def close(self) -> None:
        """Closes the connection; pending calls fail with :class:`tcroom.DisconnectedError`.
        Idempotent; may be called from a callback."""
        # unasync: begin sync-only
        # with self._close_lock:
        #     if self._closed:
        #         return
        #     self._closed = True
        # unasync: end
        # unasync: begin async-only
        if self._closed:
            return
        self._closed = True
        # unasync: end
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

    # ---- the room state (never blocks) ----

    @property
    def state(self) -> RoomState:
        """What the client knows of the room, current (a snapshot)."""
        return _common.state(self._native)

    @property
    def app_state(self) -> Optional[AppState]:
        """The room's ``appState`` as last seen."""
        return self.state.app_state

    @property
    def conference(self) -> Optional[Conference]:
        """The call or conference the room is in, if any."""
        return self.state.conference

    @property
    def participants(self) -> list[Participant]:
        """Participants of the current call or conference, as the room lists them (the room
        itself included), kept current by join, leave, device and role notifications."""
        return self.state.participants

    @property
    def is_connected(self) -> bool:
        return not self._closed and self._native.is_connected

    @property
    def url(self) -> str:
        """The WebSocket URL in use."""
        return self._url

    def watch(self, timeout: Optional[float] = None) -> AsyncStateWatch:
        """The room state as a subscription: iterate it for :class:`tcroom.StateChange` items,
        the whole current state first, then each change. ``timeout`` bounds each wait."""
        return AsyncStateWatch(self._native.watch(), timeout)

    async def wait_for(self, predicate: Callable[[RoomState], bool], timeout: Optional[float] = None) -> RoomState:
        """Waits until the room state satisfies ``predicate`` (checked at once, then at every
        change) and returns that state, e.g. ``room.wait_for(lambda s: s.in_call, 30)``.
        Raises :class:`tcroom.TimeoutError` after ``timeout`` seconds (``None``: no limit)."""
        deadline = _common.deadline(timeout)
        watch = self.watch()
        while True:
            left = _common.left(deadline)
            try:
                change = await watch.next(left)
            except TimeoutError:
                raise TimeoutError(f"the room state did not get there within {timeout} s") from None
            if change is None:
                raise TimeoutError("the client disconnected before the room state got there")
            if predicate(change.state):
                return change.state

    # ---- events ----

    def events(self, timeout: Optional[float] = None) -> AsyncEventIterator:
        """Iterates the client's event queue: every event since the connection opened, each
        delivered once (iterators share the queue). The queue keeps the latest
        ``event_capacity`` events; older ones are reported as one ``eventsLost`` event (the
        room state is current anyway: read :attr:`state`)."""
        return AsyncEventIterator(self._native, timeout)

    @overload
    def on(self, name: str) -> Callable[[H], H]: ...
    @overload
    def on(self, name: str, callback: H) -> H: ...
    def on(self, name: str, callback: Optional[H] = None) -> Union[H, Callable[[H], H]]:
        """Registers ``callback(event)`` for events named ``name`` (``"*"``: all), from now on::

            @room.on("inviteReceived")
            def ringing(ev): print(ev.payload.peer_id)

        Blocking clients run callbacks in order on one thread per client, never on the
        library's internal threads; asyncio clients run them (functions or coroutine functions)
        in one task on the loop. Callbacks may call the client. An exception is logged (logger
        ``tcroom.callbacks``) and does not stop later events."""
        if not isinstance(name, str):
            raise TypeError(f"the event name must be a string, not {type(name).__name__}")

        def register(fn: H) -> H:
            if not callable(fn):
                raise TypeError(f"the callback must be callable, not {type(fn).__name__}")
            self._handlers.add(name, fn)
            self._callbacks.ensure_started()
            return fn

        return register if callback is None else register(callback)

    def off(self, name: str, callback: Handler) -> bool:
        """Unregisters a callback; ``False`` if it was not registered."""
        return self._handlers.remove(name, callback)

    # ---- commands ----

    async def _command(self, name: str, args: dict[str, Any], timeout: Optional[float]) -> Any:
        return await self._native.command(name, args, timeout).start()

    async def request(
        self,
        method: str,
        params: Optional[Mapping[str, Any]] = None,
        /,
        *,
        timeout: Optional[float] = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Sends any command (those the catalogue does not have, too) and returns the whole
        reply. Parameters are the fields beside ``method``, as keywords and/or a dict (for names
        that are not identifiers, or that clash with ``timeout``). ``result: false`` raises
        :class:`tcroom.RefusedError`."""
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
        """Creates a conference with the room as its owner; ``invite`` lists PeerIds, CallIds or
        InstanceIds (not the room itself). ``casters`` is the number of podium seats (must be
        allowed by the tariff). With ``wait=True`` returns once the conference has started;
        with ``wait=False`` once the room has accepted, with a pending conference to wait for.
        ``timeout`` applies to each of the two steps (default: the client's)."""
        op = self._native.create_conference(
            title, conf_type, _common.invite_list(invite), auto_accept, waiting_room, mute_cam_on_join,
            mute_mic_on_join, casters, smart_meeting, timeout,
        )
        pending = AsyncPendingConference(await op.start())
        return await pending.wait(timeout) if wait else pending

    # ---- frames and helpers ----

    async def frame(self, slot_id: str = "#self:0", *, timeout: Optional[float] = None) -> bytes:
        """One still of a video slot from the room's embedded HTTP server, as the bytes of a
        JPEG: ``#self:0`` is the room's camera; other slot ids come from ``get_video_matrix()``
        (or ``state.video_matrix``). The token is fetched and refreshed by the client."""
        return await self._native.frame(slot_id, timeout).start()

    def frames(self, slot_id: str = "#self:0", fps: float = 5.0) -> AsyncFrames:
        """Frames of a video slot, ``fps`` per second at most (up to 60), until the client is
        closed: iterate it."""
        return AsyncFrames(self._native.frames(slot_id, fps))

    def auto_answer(self, accept: Union[Literal["all", "none"], Sequence[str], None] = "all") -> _common.AutoAnswer:
        """Answers incoming calls and invitations until stopped: ``"all"`` accepts every call,
        ``"none"`` rejects every call, a list of peers (PeerIds or CallIds; a bare name matches
        any server) accepts those and rejects the rest. Returns a handle with ``stop()`` (also
        a context manager); it stops when the client closes."""
        mode, peers = _common.auto_answer_mode(accept)
        return _common.AutoAnswer(self._native.auto_answer(mode, peers))
