"""An emulated room, in-process, for testing your own code without a TrueConf Room::

    from tcroom.testing import Emulator, User

    with Emulator(pin="1234", users=[User("user1@some.server", answer="join", delay=0.1)]) as emu:
        with tcroom.Client.connect(emu.host, port=emu.web_port, pin="1234") as room:
            ...

The emulator speaks the control protocol over real sockets on 127.0.0.1 (free ports by
default), starts in state 3 (logged in), and answers invitations as scripted: invitees not
listed in ``users`` answer like ``default_answer``.

What the world around the room does (a user calls it, sends a chat message, a device is
unplugged...) is a test-only action: :meth:`Emulator.control` runs any of them by name
(``emu.control("incomingCall", peerId="user1@some.server")``), and methods such as
:meth:`Emulator.incoming_call`, :meth:`Emulator.user_message` or :meth:`Emulator.unplug_device`
name the common ones. Their notifications reach every authorized client as a real room's would.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Iterable, Literal, Mapping, Optional, Union

from . import _lifecycle, _native
from ._errors import InvalidArgumentError

__all__ = ["Emulator", "User", "RemoteConference", "Faults", "AnswerKind", "PodiumAnswer", "DeviceKind", "ACTIONS"]

AnswerKind = Literal["join", "reject", "none"]
"""How a simulated user answers an invitation: joins, rejects (with a ``cause``), or never
answers."""


PodiumAnswer = Literal["accept", "decline"]
"""How a simulated user answers an invitation to the podium (and, as the owner of a conference
the room joined, the room's own request for a seat)."""

DeviceKind = Literal["microphone", "speaker", "camera"]
"""The kinds of device :meth:`Emulator.plug_device` takes."""

ACTIONS = (
    "incomingCall",
    "cancelCall",
    "remoteHangUp",
    "requestJoin",
    "requestPodium",
    "invitePodium",
    "muteByOwner",
    "userMessage",
    "userCommand",
    "plugDevice",
    "unplugDevice",
    "expireHttpTokens",
    "dropServer",
)
"""The test-only actions :meth:`Emulator.control` runs (emulator/README.md, "Test-only
actions")."""


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
    The same answer goes to a call from the room (``room.call(id)``). Moderators skip the
    waiting room. ``podium_answer`` is how they answer ``invite_to_podium`` (default: accept)."""

    id: str
    answer: Optional[AnswerKind] = None
    delay: float = 0.0
    cause: Optional[int] = None
    display_name: Optional[str] = None
    moderator: bool = False
    podium_answer: Optional[PodiumAnswer] = None

    def _scenario(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "moderator": self.moderator}
        if self.podium_answer is not None:
            if self.podium_answer not in ("accept", "decline"):
                raise InvalidArgumentError(f"podium_answer must be 'accept' or 'decline', not {self.podium_answer!r}")
            d["podium_answer"] = self.podium_answer
        if self.display_name is not None:
            d["display_name"] = self.display_name
        if self.answer is not None:
            d["answer"] = _answer(self.answer, self.delay, self.cause)
        return d


@dataclass(frozen=True)
class RemoteConference:
    """A conference of a simulated user that the room can join with ``room.call(id)`` (or
    ``\\c\\id``, or its conference id), e.g. to test someone else's conference: their owner
    mutes the room, invites it to the podium...

    ``owner`` is a CallId (of the directory or not) and is in it from the start, on the podium;
    with ``pin`` set, ``call(id, pin=...)`` must give it (missing: ``rejectReceived`` cause 12,
    wrong: 13)."""

    id: str
    title: str
    owner: str
    pin: Optional[str] = None
    conf_type: Literal["symmetric", "asymmetric", "role"] = "role"

    def _scenario(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "title": self.title, "owner": self.owner, "conf_type": self.conf_type}
        if self.pin is not None:
            d["pin"] = self.pin
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
    connection its own room (for parallel tests on one emulator). ``conferences`` are
    conferences of simulated users the room can ``call``. ``ring_time`` (seconds, default 30)
    is how long a call rings before it counts as unanswered, both ways;
    ``http_token_lifetime`` (seconds, default 300; not under a PIN, where tokens live until
    :meth:`expire_http_tokens`) that of the embedded HTTP server's tokens."""

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
        conferences: Iterable[RemoteConference] = (),
        ring_time: Optional[float] = None,
        http_token_lifetime: Optional[float] = None,
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
        confs = list(conferences)
        for c in confs:
            if not isinstance(c, RemoteConference):
                raise InvalidArgumentError(f"a conference is a tcroom.testing.RemoteConference, not {type(c).__name__}")
        if confs:
            scenario["conferences"] = [c._scenario() for c in confs]
        for key, secs in (("ring_time_ms", ring_time), ("http_token_lifetime_ms", http_token_lifetime)):
            if secs is not None:
                if isinstance(secs, bool) or not isinstance(secs, (int, float)) or not secs >= 0:
                    raise InvalidArgumentError(f"{key[:-3]} must be a number of seconds >= 0, not {secs!r}")
                scenario[key] = int(round(secs * 1000))
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

    # ---- test-only actions: what the world around the room does ----

    def control(self, action: str, params: Optional[Mapping[str, Any]] = None, /, **kwargs: Any) -> dict[str, Any]:
        """Runs a test-only action (one of :data:`ACTIONS`) on the room, as the method
        ``emulator.<action>`` would on a connection: its notifications go to every authorized
        client, and its reply comes back (``{"result": True, ...}``; ``incomingCall`` and
        ``requestJoin`` add ``peerId`` and ``confId``). Parameters use their wire names, as
        keywords and/or a dict: ``emu.control("incomingCall", peerId="user1@some.server")``.

        Raises :class:`tcroom.RefusedError` (``method`` ``"emulator.<action>"``, ``room_error``
        the emulator's text) when the emulator refuses: an unknown action or parameter, the
        room in the wrong state (``incomingCall`` while in a call...), or ``isolated_rooms``
        (there is no shared room then: send ``room.request("emulator.<action>", ...)`` on the
        connection instead). Blocks only while the action runs, not for what it starts (a
        ringing call, a user's answer)."""
        if not isinstance(action, str):
            raise InvalidArgumentError(f"the action must be a string, not {type(action).__name__}")
        merged: dict[str, Any] = dict(params or {})
        merged.update(kwargs)
        return self._native.control(action, merged)

    def incoming_call(self, peer_id: str, *, conf_type: int = 0, title: Optional[str] = None) -> dict[str, Any]:
        """A user calls the room (``conf_type`` 0), or invites it into their group conference
        (1 all on screen, 2 video lecture, 3 role-based; ``title`` names it):
        ``inviteReceived``, then ``appStateChanged`` 4. It rings until answered (``accept`` /
        ``reject``), :meth:`cancel_call`, or the scenario's ring time. Returns the reply with
        ``peerId`` and ``confId``; refused unless the room is idle (``appState`` 3)."""
        params: dict[str, Any] = {"peerId": peer_id, "confType": conf_type}
        if title is not None:
            params["title"] = title
        return self.control("incomingCall", params)

    def cancel_call(self, peer_id: Optional[str] = None) -> None:
        """The caller gives up before the room answered: ``stopCalling`` (a missed call)."""
        self.control("cancelCall", {} if peer_id is None else {"peerId": peer_id})

    def remote_hang_up(self, peer_id: Optional[str] = None) -> None:
        """The other side ends the call (or the owner ends the conference the room joined);
        with ``peer_id`` in the room's own conference, that participant leaves."""
        self.control("remoteHangUp", {} if peer_id is None else {"peerId": peer_id})

    def request_join(self, peer_id: str) -> dict[str, Any]:
        """A user asks to join the room's group conference (``requestInviteReceived``);
        answer with ``accept_peer`` / ``reject_peer``. Returns ``peerId`` (their InstanceId)
        and ``confId``."""
        return self.control("requestJoin", {"peerId": peer_id})

    def request_podium(self, peer_id: str) -> None:
        """A participant of the room's role conference asks for the podium
        (``roleEventOccured`` role 3)."""
        self.control("requestPodium", {"peerId": peer_id})

    def invite_podium(self) -> None:
        """The owner of the role conference the room joined invites it to the podium
        (``roleEventOccured`` role 4)."""
        self.control("invitePodium")

    def mute_by_owner(self, *, mic: Optional[bool] = None, camera: Optional[bool] = None) -> None:
        """The owner of the group conference the room joined mutes (``True``) or unmutes the
        room's microphone and/or camera; the room's own mute state follows."""
        params: dict[str, Any] = {}
        if mic is not None:
            params["mic"] = mic
        if camera is not None:
            params["camera"] = camera
        self.control("muteByOwner", params)

    def user_message(self, peer_id: str, message: str, group: bool = False) -> None:
        """A user sends the room a chat message (``incomingChatMessage``), or with ``group``
        a participant writes in the conference's chat (``incomingGroupChatMessage``)."""
        self.control("userMessage", {"peerId": peer_id, "message": message, "group": group})

    def user_command(self, peer_id: str, command: str) -> None:
        """A participant of the call or conference sends the room an app command
        (``commandReceived``)."""
        self.control("userCommand", {"peerId": peer_id, "command": command})

    def plug_device(self, kind: DeviceKind, name: str, description: Optional[str] = None) -> None:
        """A device appears (``hardwareChanged``); it becomes the current one when its kind had
        none."""
        params: dict[str, Any] = {"kind": kind, "name": name}
        if description is not None:
            params["description"] = description
        self.control("plugDevice", params)

    def unplug_device(self, name: str, kind: Optional[DeviceKind] = None) -> None:
        """A device disappears (``hardwareChanged``); if it was in use, the first other of its
        kind (or none) takes over. ``kind`` only when names clash."""
        params: dict[str, Any] = {"name": name}
        if kind is not None:
            params["kind"] = kind
        self.control("unplugDevice", params)

    def expire_http_tokens(self) -> None:
        """Every embedded HTTP server token stops working now (the client fetches a new one
        for its next frame)."""
        self.control("expireHttpTokens")

    def drop_server(self) -> None:
        """The room loses its TrueConf server: a call or conference ends, then
        ``serverDisconnected`` and ``appStateChanged`` 0 (logged out)."""
        self.control("dropServer")

    # ---- the rest ----

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
