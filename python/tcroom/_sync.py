"""The blocking client. Every call releases the GIL while it waits and Ctrl-C interrupts it."""

from __future__ import annotations

import threading
import warnings
from types import TracebackType
from typing import Any, Callable, Iterable, Iterator, Literal, Mapping, Optional, TypeVar, Union, overload

from . import _common, _lifecycle, _native
from ._callbacks import EVENT_BATCH, CallbackThread, Handler, Registry
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

__all__ = ["Client", "PendingConference", "EventIterator"]

H = TypeVar("H", bound=Handler)


class PendingConference:
    """A conference the room has accepted to create; :meth:`wait` until it has started."""

    def __init__(self, native: _native.PendingConference) -> None:
        self._native = native

    @property
    def reply(self) -> dict[str, Any]:
        """The room's reply to ``createConference`` (``result: true``)."""
        return self._native.reply

    def wait(self, timeout: Optional[float] = None) -> Conference:
        """Blocks until ``conferenceCreated`` (default time-out: the client's). After a
        time-out it can be called again: nothing announced meanwhile is lost."""
        return _common.conference(self._native.wait(timeout).wait())


class EventIterator(Iterator[Event]):
    """Events of the client's queue, in order. Each ``next()`` waits up to ``timeout`` seconds
    (``None``: forever) and raises :class:`tcroom.TimeoutError` when nothing came. Iteration ends
    after the ``disconnected`` event, which is yielded."""

    def __init__(self, native: _native.Client, timeout: Optional[float]) -> None:
        self._native = native
        self._timeout = timeout
        self._done = False
        # Events already taken from the queue (one native call takes all that are waiting).
        self._batch: list[Any] = []
        self._pos = 0

    def __iter__(self) -> EventIterator:
        return self

    def __next__(self) -> Event:
        if self._pos >= len(self._batch):
            if self._done:
                raise StopIteration
            batch = self._native.next_events(EVENT_BATCH, self._timeout).wait()
            if batch is None:
                self._done = True
                raise StopIteration
            self._batch = batch
            self._pos = 0
        item = self._batch[self._pos]
        self._pos += 1
        ev = Event(item[0], item[1], item[2])
        if ev.name == DISCONNECTED:
            self._done = True
            self._batch = []
        return ev


class Client:
    """A connected, authorized room. Create it with :meth:`connect`; use it as a context manager
    or call :meth:`close`. Safe to share between threads."""

    def __init__(self, native: _native.Client) -> None:
        """Internal: use :meth:`Client.connect`."""
        self._native = native
        self._url = native.url
        self._closed = False
        self._close_lock = threading.Lock()
        self._handlers = Registry()
        self._callbacks = CallbackThread(native, self._handlers)
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
    ) -> Client:
        """Connects to the room on ``host`` and authorizes.

        ``port`` is the web manager's port (default 80), used to discover the control WebSocket
        port; ``ws_port`` skips discovery. Give at most one of ``pin``, ``password`` and
        ``token`` (none: unsecured). ``timeout`` bounds each step of connecting;
        ``request_timeout`` (default: ``timeout``) is the default for every later call.
        ``event_capacity`` is how far the event queue may fall behind before events are dropped
        (and reported as ``eventsLost``). ``reconnect=True`` (or a :class:`tcroom.Reconnect`)
        re-establishes a dropped link instead of ending the client."""
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
        )
        return cls(op.wait())

    # ---- lifetime ----

    def close(self) -> None:
        """Closes the connection; pending calls fail with :class:`tcroom.DisconnectedError`.
        Idempotent; may be called from a callback."""
        with self._close_lock:
            if self._closed:
                return
            self._closed = True
        try:
            self._native.close().wait()
        finally:
            self._native.release()
            _lifecycle.untrack(self)
            self._callbacks.join(timeout=5.0)

    def _close_at_exit(self) -> None:
        self._closed = True
        self._native.close().wait()
        self._native.release()
        self._callbacks.join(timeout=1.0)

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_closed", True):
            return
        warnings.warn(f"unclosed {self!r}", ResourceWarning, source=self, stacklevel=2)
        try:
            self._native.close_nowait()
        except Exception:  # noqa: BLE001 - at interpreter exit or after fork: nothing to close
            pass

    def __repr__(self) -> str:
        return f"<tcroom.Client {self._url}{' closed' if self._closed else ''}>"

    # ---- state mirror ----

    @property
    def state(self) -> State:
        """A snapshot of what the client knows of the room."""
        return _common.state(self._native)

    @property
    def app_state(self) -> Optional[AppState]:
        """The room's ``appState`` as last seen."""
        return self.state.app_state

    @property
    def conference(self) -> Optional[Conference]:
        """The conference the room is in, if any."""
        return self.state.conference

    @property
    def participants(self) -> list[Participant]:
        """Participants of the current conference, as last seen."""
        return self.state.participants

    @property
    def is_connected(self) -> bool:
        return not self._closed and self._native.is_connected

    @property
    def url(self) -> str:
        """The WebSocket URL in use."""
        return self._url

    # ---- events ----

    def events(self, timeout: Optional[float] = None) -> EventIterator:
        """Iterates the client's event queue: every event since the connection opened, each
        delivered once (iterators share the queue). The queue keeps the latest
        ``event_capacity`` events; older ones are reported as one ``eventsLost`` event. See
        :class:`EventIterator`."""
        return EventIterator(self._native, timeout)

    @overload
    def on(self, name: str) -> Callable[[H], H]: ...
    @overload
    def on(self, name: str, callback: H) -> H: ...
    def on(self, name: str, callback: Optional[H] = None) -> Union[H, Callable[[H], H]]:
        """Registers ``callback(event)`` for events named ``name`` (``"*"``: all), from now on::

            @client.on("newParticipantInConference")
            def joined(ev): print(ev.peer_id)

        Callbacks run in order on one thread per client, never on the library's internal
        threads; they may call the client. An exception is logged (logger ``tcroom.callbacks``)
        and does not stop later events."""

        def register(fn: H) -> H:
            self._handlers.add(name, fn)
            self._callbacks.ensure_started()
            return fn

        return register if callback is None else register(callback)

    def off(self, name: str, callback: Handler) -> bool:
        """Unregisters a callback; ``False`` if it was not registered."""
        return self._handlers.remove(name, callback)

    # ---- commands ----

    def request(self, method: str, params: Optional[Mapping[str, Any]] = None, /, *, timeout: Optional[float] = None,
                **kwargs: Any) -> dict[str, Any]:
        """Sends any command and returns the whole reply. Parameters are the fields beside
        ``method``, as keywords and/or a dict (for names that are not identifiers, or that
        clash with ``timeout``).
        ``result: false`` raises :class:`tcroom.RefusedError`."""
        params_d = _common.request_params(params, kwargs)
        return self._native.request(method, params_d, timeout).wait()

    @overload
    def create_conference(
        self, title: str, *, conf_type: ConfType = ..., invite: Union[str, Iterable[str]] = ...,
        auto_accept: bool = ..., waiting_room: bool = ..., mute_cam_on_join: bool = ...,
        mute_mic_on_join: bool = ..., casters: Optional[int] = ..., smart_meeting: bool = ...,
        wait: Literal[True] = ..., timeout: Optional[float] = ...,
    ) -> Conference: ...
    @overload
    def create_conference(
        self, title: str, *, conf_type: ConfType = ..., invite: Union[str, Iterable[str]] = ...,
        auto_accept: bool = ..., waiting_room: bool = ..., mute_cam_on_join: bool = ...,
        mute_mic_on_join: bool = ..., casters: Optional[int] = ..., smart_meeting: bool = ...,
        wait: Literal[False], timeout: Optional[float] = ...,
    ) -> PendingConference: ...
    @overload
    def create_conference(
        self, title: str, *, conf_type: ConfType = ..., invite: Union[str, Iterable[str]] = ...,
        auto_accept: bool = ..., waiting_room: bool = ..., mute_cam_on_join: bool = ...,
        mute_mic_on_join: bool = ..., casters: Optional[int] = ..., smart_meeting: bool = ...,
        wait: bool, timeout: Optional[float] = ...,
    ) -> Union[Conference, PendingConference]: ...
    def create_conference(
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
    ) -> Union[Conference, PendingConference]:
        """Creates a conference with the room as its owner; ``invite`` lists PeerIds, CallIds or
        InstanceIds (not the room itself). ``casters`` is the number of podium seats (must be
        allowed by the tariff). With ``wait=True`` returns once the conference has started;
        with ``wait=False`` once the room has accepted, with a :class:`PendingConference`.
        ``timeout`` applies to each of the two steps (default: the client's)."""
        op = self._native.create_conference(
            title, conf_type, _common.invite_list(invite), auto_accept, waiting_room, mute_cam_on_join,
            mute_mic_on_join, casters, smart_meeting, timeout,
        )
        pending = PendingConference(op.wait())
        return pending.wait(timeout) if wait else pending

    def get_app_state(self, *, timeout: Optional[float] = None) -> AppStateInfo:
        """``getAppState``."""
        return _common.app_state_info(self._native.get_app_state(timeout).wait())

    def get_tariff_restrictions(self, *, timeout: Optional[float] = None) -> TariffRestrictions:
        """``getTariffRestrictions``: what the room's licence allows."""
        return _common.tariff(self._native.get_tariff_restrictions(timeout).wait())

    def get_system_info(self, *, timeout: Optional[float] = None) -> SystemInfo:
        """``getSystemInfo``."""
        return _common.system_info(self._native.get_system_info(timeout).wait())

    def get_conferences(self, *, timeout: Optional[float] = None) -> list[ConferenceSummary]:
        """``getConferences``."""
        return _common.summaries(self._native.get_conferences(timeout).wait())

    def get_conference_participants(self, *, timeout: Optional[float] = None) -> list[Participant]:
        """``getConferenceParticipants`` (the room itself included); refreshes
        :attr:`participants`."""
        return _common.participants(self._native.get_conference_participants(timeout).wait())

    def set_waiting_room_state(self, enable: bool, *, users_must_be_invited: bool = True,
                               timeout: Optional[float] = None) -> Optional[str]:
        """``setWaitingRoomState``. When turning it off, ``users_must_be_invited=True`` admits
        everyone waiting and ``False`` removes them. Returns the conference id."""
        return self._native.set_waiting_room_state(enable, users_must_be_invited, timeout).wait()

    def set_participant_presence_in_waiting_room(self, call_id: str, in_waiting_room: bool, *,
                                                 timeout: Optional[float] = None) -> Optional[str]:
        """``setParticipantPresenceInWaitingRoom``: moves a participant (InstanceId) into the
        waiting room or lets them in. Returns the conference id."""
        return self._native.set_participant_presence_in_waiting_room(call_id, in_waiting_room, timeout).wait()

    def hang_up(self, for_all: bool = False, *, timeout: Optional[float] = None) -> None:
        """``hangUp``: leaves the conference, or ends it for everyone (owner or moderator)."""
        self._native.hang_up(for_all, timeout).wait()

    def invite_to_conference(self, peer_id: str, *, timeout: Optional[float] = None) -> None:
        """``inviteToConference``; the answer arrives as ``newParticipantInConference`` or
        ``rejectReceived``."""
        self._native.invite_to_conference(peer_id, timeout).wait()

    def change_conference_mode(self, is_smart_meeting: bool, *, timeout: Optional[float] = None) -> None:
        """``changeConferenceMode``: a role conference into or out of smart meeting mode."""
        self._native.change_conference_mode(is_smart_meeting, timeout).wait()

    def get_session_link(self, *, timeout: Optional[float] = None) -> str:
        """``getSessionLink``: the link others use to join the current conference."""
        return self._native.get_session_link(timeout).wait()
