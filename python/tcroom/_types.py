"""Values read from the room. Each keeps the JSON it came from in ``raw``."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping, NamedTuple, Optional

from ._models import (
    EVENT_PAYLOADS,
    ContentCapture,
    Hardware,
    IncomingCall,
    LoginInfo,
    Monitors,
    PeerRef,
    PtzControls,
    RoleEvent,
    ServerInfo,
    VideoMatrix,
    WindowState,
)

__all__ = [
    "AppState",
    "ConfType",
    "Conference",
    "Participant",
    "AppStateInfo",
    "SchemaRow",
    "TariffRestrictions",
    "SystemInfo",
    "ConferenceSummary",
    "State",
    "RoomState",
    "StateChange",
    "Event",
    "Reconnect",
    "DISCONNECTED",
    "EVENTS_LOST",
    "MALFORMED",
    "CONNECTION_LOST",
    "RECONNECTED",
    "STATE_CHANGED",
]

ConfType = Literal["symmetric", "asymmetric", "role"]
"""The conference types ``create_conference`` takes."""

DISCONNECTED = "disconnected"
"""Name of the synthetic event that is always a client's last: the connection is gone."""
EVENTS_LOST = "eventsLost"
"""Name of the synthetic event telling a slow reader how many events it missed (``count``)."""
MALFORMED = "malformedMessage"
"""Name of the synthetic event for a frame from the room that is not a JSON object."""
CONNECTION_LOST = "connectionLost"
"""With ``reconnect``: the link dropped and the client is reconnecting (``reason``)."""
RECONNECTED = "reconnected"
"""With ``reconnect``: connected and authorized again (``attempts``); the state was refreshed."""
STATE_CHANGED = "stateChanged"
"""The room state changed (``changed``: the parts, ``full``); only with ``state_events=True``."""

_CONF_TYPES: dict[str, ConfType] = {"symmetric": "symmetric", "asymmetric": "asymmetric", "role": "role"}


class AppState(enum.IntEnum):
    """``appState`` of the room (PROTOCOL.md section 4)."""

    NONE = 0
    """Not connected to a TrueConf server."""
    CONNECT = 1
    """Connecting to the server."""
    LOGIN = 2
    """Connected, must log in."""
    NORMAL = 3
    """Logged in: conferences can be created only here."""
    WAIT = 4
    """Calling or being called."""
    CONFERENCE = 5
    """In a call or conference."""
    CLOSE = 6
    """Finishing a call or conference."""

    @classmethod
    def _missing_(cls, value: object) -> Optional[AppState]:
        # A newer room may report a state this version does not know: keep the number.
        if not isinstance(value, int):
            return None
        member = int.__new__(cls, value)
        member._name_ = f"UNKNOWN_{value}"
        member._value_ = value
        return member


def _opt_str(v: Any) -> Optional[str]:
    return v if isinstance(v, str) else None


def _opt_int(v: Any) -> Optional[int]:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _opt_bool(v: Any) -> Optional[bool]:
    return v if isinstance(v, bool) else None


def _dict(v: Any) -> dict[str, Any]:
    return dict(v) if isinstance(v, Mapping) else {}


@dataclass(frozen=True)
class Reconnect:
    """Automatic reconnection, for ``connect(..., reconnect=...)``: when the link drops (not
    when the client closes it), the client reconnects with its token, refreshes the state and
    sends ``reconnected``. Calls made while it is down fail with ``DisconnectedError``; they are
    never replayed. After ``max_attempts`` failures (0: never give up) comes ``disconnected``."""

    max_attempts: int = 10
    initial_delay: float = 0.2
    """Seconds before the first attempt; doubled after each failure up to ``max_delay``."""
    max_delay: float = 5.0


@dataclass(frozen=True)
class Conference:
    """A started conference, as ``conferenceCreated`` describes it."""

    conf_id: str
    title: Optional[str]
    conf_type: Optional[ConfType]
    """``None`` for a p2p call or a type this version does not know (see ``raw``)."""
    owner: Optional[str]
    join_url: Optional[str]
    management_url: Optional[str]
    is_smart_meeting: bool
    waiting_room_switching_supported: bool
    waiting_room_enabled: bool
    in_waiting_room: Optional[bool]
    """Present when we joined someone else's conference and wait to be let in."""
    max_participants: Optional[int]
    max_podium: Optional[int]
    raw: dict[str, Any] = field(repr=False, compare=False)
    """The ``conferenceCreated`` event as received."""
    peer_id: Optional[str] = None
    """For a call (``conf_type`` ``None``): the other side."""

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> Conference:
        ct = d.get("conf_type")
        return cls(
            conf_id=str(d.get("conf_id", "")),
            title=_opt_str(d.get("title")),
            conf_type=_CONF_TYPES.get(ct) if isinstance(ct, str) else None,
            owner=_opt_str(d.get("owner")),
            join_url=_opt_str(d.get("join_url")),
            management_url=_opt_str(d.get("management_url")),
            is_smart_meeting=bool(d.get("is_smart_meeting")),
            waiting_room_switching_supported=bool(d.get("waiting_room_switching_supported")),
            waiting_room_enabled=bool(d.get("waiting_room_enabled")),
            in_waiting_room=_opt_bool(d.get("in_waiting_room")),
            max_participants=_opt_int(d.get("max_participants")),
            max_podium=_opt_int(d.get("max_podium")),
            raw=_dict(d.get("raw")),
            peer_id=_opt_str(d.get("peer_id")),
        )


@dataclass(frozen=True)
class Participant:
    """A participant, from ``get_conference_participants`` or ``newParticipantInConference``."""

    peer_id: str
    """InstanceId (``user@server/abcd1234``)."""
    display_name: Optional[str]
    mic: Optional[int]
    """0 none, 1 muted, 2 on."""
    video: Optional[int]
    """0 none, 1 muted, 2 on."""
    role: Optional[int]
    """1 ordinary, 2 owner, 3 asked to speak, 4 invited to the podium, 5 remark."""
    broadcast: Optional[bool]
    """On the podium."""
    in_waiting_room: bool
    raw: dict[str, Any] = field(repr=False, compare=False)

    @property
    def call_id(self) -> str:
        """The CallId (``user@server``) part of ``peer_id``."""
        return self.peer_id.split("/", 1)[0]

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> Participant:
        return cls(
            peer_id=str(d.get("peer_id", "")),
            display_name=_opt_str(d.get("display_name")),
            mic=_opt_int(d.get("mic")),
            video=_opt_int(d.get("video")),
            role=_opt_int(d.get("role")),
            broadcast=_opt_bool(d.get("broadcast")),
            in_waiting_room=bool(d.get("in_waiting_room")),
            raw=_dict(d.get("raw")),
        )


@dataclass(frozen=True)
class AppStateInfo:
    """``getAppState`` reply."""

    app_state: AppState
    embedded_http_port: Optional[int]
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> AppStateInfo:
        return cls(AppState(int(d.get("app_state", 0))), _opt_int(d.get("embedded_http_port")), _dict(d.get("raw")))


class SchemaRow(NamedTuple):
    """With ``max_casters`` podium seats, up to ``max_participants`` people."""

    max_casters: int
    max_participants: int


def _schema(v: Any) -> list[SchemaRow]:
    if not isinstance(v, list):
        return []
    return [SchemaRow(int(r["max_casters"]), int(r["max_participants"])) for r in v if isinstance(r, Mapping)]


@dataclass(frozen=True)
class TariffRestrictions:
    """``getTariffRestrictions`` reply (or ``tariffRestrictionsChanged``)."""

    tariff_name: Optional[str]
    p2p: Optional[bool]
    create_multi: Optional[bool]
    """Whether group conferences may be created at all."""
    sym_max_number: Optional[int]
    asym_max_number: Optional[int]
    role_max_number: Optional[int]
    p2p_schema: list[SchemaRow]
    symmetric_schema: list[SchemaRow]
    asymmetric_schema: list[SchemaRow]
    role_schema: list[SchemaRow]
    smart_meeting_schema: list[SchemaRow]
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> TariffRestrictions:
        return cls(
            tariff_name=_opt_str(d.get("tariff_name")),
            p2p=_opt_bool(d.get("p2p")),
            create_multi=_opt_bool(d.get("create_multi")),
            sym_max_number=_opt_int(d.get("sym_max_number")),
            asym_max_number=_opt_int(d.get("asym_max_number")),
            role_max_number=_opt_int(d.get("role_max_number")),
            p2p_schema=_schema(d.get("p2p_schema")),
            symmetric_schema=_schema(d.get("symmetric_schema")),
            asymmetric_schema=_schema(d.get("asymmetric_schema")),
            role_schema=_schema(d.get("role_schema")),
            smart_meeting_schema=_schema(d.get("smart_meeting_schema")),
            raw=_dict(d.get("raw")),
        )


@dataclass(frozen=True)
class SystemInfo:
    """``getSystemInfo`` reply: who the room is logged in as; everything else in ``raw``."""

    peer_id: Optional[str]
    """``authInfo.peerId``: the room's own CallId on its server."""
    display_name: Optional[str]
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> SystemInfo:
        return cls(_opt_str(d.get("peer_id")), _opt_str(d.get("display_name")), _dict(d.get("raw")))


@dataclass(frozen=True)
class ConferenceSummary:
    """One entry of ``get_conferences``."""

    conf_id: Optional[str]
    title: Optional[str]
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> ConferenceSummary:
        return cls(_opt_str(d.get("conf_id")), _opt_str(d.get("title")), _dict(d.get("raw")))


def _opt(f: Any, v: Any) -> Any:
    return None if v is None else f(v)


def _opt_float(v: Any) -> Optional[float]:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


@dataclass(frozen=True)
class RoomState:
    """What the client knows of the room, kept current from every notification and from the
    getters (read again after every reconnect). Fields are ``None`` (or empty) until the room
    has told. Read it as ``room.state``; follow it with ``room.watch()``."""

    connected: bool
    authorized: bool
    app_state: Optional[AppState]
    in_call: bool
    """In a call or conference (``app_state`` 5)."""
    http_port: Optional[int]
    """The embedded HTTP server's port (frames)."""
    conference: Optional[Conference]
    """The call or conference the room is in."""
    participants: list[Participant]
    """With their microphone, camera, role and podium seat."""
    tariff: Optional[TariffRestrictions]
    own_peer_id: Optional[str]
    login: Optional[LoginInfo]
    mic_muted: Optional[bool]
    camera_muted: Optional[bool]
    speaker_muted: Optional[bool]
    volume: Optional[float]
    """Speaker volume, 0.0 to 1.0."""
    hardware: Optional[Hardware]
    """Devices present and in use."""
    video_matrix: Optional[VideoMatrix]
    monitors: Optional[Monitors]
    window: Optional[WindowState]
    """Known once it changed: the room has no getter for it."""
    ptz: Optional[PtzControls]
    incoming_call: Optional[IncomingCall]
    """A call or invitation waiting for ``accept()`` or ``reject()``."""
    join_requests: list[PeerRef]
    """People asking to join our conference (``accept_peer`` / ``reject_peer``)."""
    podium_invitation: Optional[RoleEvent]
    """An invitation to the podium waiting for ``accept_invitation_to_podium()``."""
    podium_requests: list[RoleEvent]
    """Participants asking for the podium."""
    server_state: Optional[int]
    """0 not connected, 1 connecting, 2 connected to the TrueConf server."""
    server: Optional[ServerInfo]
    content: Optional[ContentCapture]
    """Content being shared."""

    @property
    def waiting(self) -> list[Participant]:
        """Participants in the waiting room."""
        return [p for p in self.participants if p.in_waiting_room]

    def participant(self, peer: str) -> Optional[Participant]:
        """The participant that ``peer`` names (InstanceId, or the CallId it extends)."""
        for p in self.participants:
            if p.peer_id == peer or p.call_id.lower() == peer.split("/", 1)[0].lower():
                return p
        return None

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> RoomState:
        app_state = d.get("app_state")

        def lst(key: str) -> list[Any]:
            v = d.get(key)
            return v if isinstance(v, list) else []

        return cls(
            connected=bool(d.get("connected")),
            authorized=bool(d.get("authorized")),
            app_state=AppState(app_state) if isinstance(app_state, int) else None,
            in_call=bool(d.get("in_call")),
            http_port=_opt_int(d.get("http_port")),
            conference=_opt(Conference._from, d.get("conference")),
            participants=[Participant._from(p) for p in lst("participants")],
            tariff=_opt(TariffRestrictions._from, d.get("tariff")),
            own_peer_id=_opt_str(d.get("own_peer_id")),
            login=_opt(LoginInfo._from, d.get("login")),
            mic_muted=_opt_bool(d.get("mic_muted")),
            camera_muted=_opt_bool(d.get("camera_muted")),
            speaker_muted=_opt_bool(d.get("speaker_muted")),
            volume=_opt_float(d.get("volume")),
            hardware=_opt(Hardware._from, d.get("hardware")),
            video_matrix=_opt(VideoMatrix._from, d.get("video_matrix")),
            monitors=_opt(Monitors._from, d.get("monitors")),
            window=_opt(WindowState._from, d.get("window")),
            ptz=_opt(PtzControls._from, d.get("ptz")),
            incoming_call=_opt(IncomingCall._from, d.get("incoming_call")),
            join_requests=[PeerRef._from(x) for x in lst("join_requests")],
            podium_invitation=_opt(RoleEvent._from, d.get("podium_invitation")),
            podium_requests=[RoleEvent._from(x) for x in lst("podium_requests")],
            server_state=_opt_int(d.get("server_state")),
            server=_opt(ServerInfo._from, d.get("server")),
            content=_opt(ContentCapture._from, d.get("content")),
        )


State = RoomState
"""The old name of :class:`RoomState`."""


@dataclass(frozen=True)
class StateChange:
    """One item of ``room.watch()``: what changed, and the state after it."""

    changed: list[str]
    """The parts that changed (``"own_media"``, ``"participants"``, ``"incoming"``...)."""
    full: bool
    """True for the first item and after a reconnect: take the whole state."""
    state: RoomState


def _participants(d: Mapping[str, Any]) -> list[Participant]:
    return [Participant._from(x) for x in d["participants"]]


def _conference_summaries(d: Any) -> list[ConferenceSummary]:
    return [ConferenceSummary._from(x) for x in d]


class Event:
    """A notification from the room: ``name`` is its wire name (``"newParticipantInConference"``),
    ``data`` the whole JSON object. The properties read the common fields (``None`` when the event
    has no such field).

    ``kind`` names the notification's row of the catalogue (``"InviteReceived"``; ``"Unknown"``
    for what this version does not know or could not read), and ``payload`` is its typed value
    when the catalogue reads it into a record (``IncomingCall`` for ``inviteReceived``...).

    Some names are synthetic: ``"disconnected"`` (always a client's last event; ``reason``),
    ``"eventsLost"`` (``count`` events were dropped because the reader fell behind), with
    ``reconnect`` on ``"connectionLost"`` (``reason``) and ``"reconnected"`` (``attempts``), and
    ``"stateChanged"`` (``changed``, ``full``) when asked for."""

    __slots__ = ("name", "data", "_fields")

    def __init__(self, name: str, data: dict[str, Any], fields: Optional[Mapping[str, Any]] = None) -> None:
        self.name = name
        self.data = data
        self._fields: Mapping[str, Any] = fields or {}

    @classmethod
    def _from_native(cls, item: tuple[str, dict[str, Any], dict[str, Any]]) -> Event:
        return cls(item[0], item[1], item[2])

    def __repr__(self) -> str:
        extra = "".join(
            f", {k}={self._fields[k]!r}" for k in ("conf_id", "peer_id", "app_state", "cause", "count", "reason")
            if self._fields.get(k) is not None
        )
        return f"Event({self.name!r}{extra})"

    @property
    def kind(self) -> str:
        """The notification's name in the catalogue (``"InviteReceived"``), or ``"Unknown"``."""
        v = self._fields.get("kind")
        return v if isinstance(v, str) else "Unknown"

    @property
    def payload(self) -> Any:
        """The typed value of notifications the catalogue reads into a record (an
        :class:`IncomingCall`, a :class:`MuteState`, a :class:`ChatMessage`...), else ``None``."""
        v = self._fields.get("payload")
        conv = EVENT_PAYLOADS.get(self.name)
        return conv(v) if conv is not None and isinstance(v, Mapping) else None

    @property
    def changed(self) -> Optional[list[str]]:
        """For ``stateChanged``: the parts of the room state that changed."""
        v = self._fields.get("changed")
        return list(v) if isinstance(v, list) else None

    @property
    def full(self) -> Optional[bool]:
        """For ``stateChanged``: the whole state should be read (after a reconnect)."""
        return _opt_bool(self._fields.get("full"))

    @property
    def conf_id(self) -> Optional[str]:
        return _opt_str(self._fields.get("conf_id"))

    @property
    def peer_id(self) -> Optional[str]:
        """``peerId`` (or ``callId``): whom the event is about."""
        return _opt_str(self._fields.get("peer_id"))

    @property
    def app_state(self) -> Optional[AppState]:
        """For ``appStateChanged``."""
        v = self._fields.get("app_state")
        return AppState(v) if isinstance(v, int) else None

    @property
    def conference(self) -> Optional[Conference]:
        """For ``conferenceCreated``."""
        v = self._fields.get("conference")
        return Conference._from(v) if isinstance(v, Mapping) else None

    @property
    def participant(self) -> Optional[Participant]:
        """For ``newParticipantInConference``."""
        v = self._fields.get("participant")
        return Participant._from(v) if isinstance(v, Mapping) else None

    @property
    def in_waiting_room(self) -> Optional[bool]:
        return _opt_bool(self._fields.get("in_waiting_room"))

    @property
    def enabled(self) -> Optional[bool]:
        """For ``waitingRoomStateChanged``."""
        return _opt_bool(self._fields.get("enabled"))

    @property
    def is_smart_meeting(self) -> Optional[bool]:
        """For ``smartMeetingModeChanged``."""
        return _opt_bool(self._fields.get("is_smart_meeting"))

    @property
    def tariff(self) -> Optional[TariffRestrictions]:
        """For ``tariffRestrictionsChanged``."""
        v = self._fields.get("tariff")
        return TariffRestrictions._from(v) if isinstance(v, Mapping) else None

    @property
    def cause(self) -> Optional[int]:
        """For ``rejectReceived`` (2 busy, 16 no answer, ...) and ``authorizationNeeded``."""
        return _opt_int(self._fields.get("cause"))

    @property
    def cause_text(self) -> Optional[str]:
        """``cause`` of ``rejectReceived`` in words."""
        return _opt_str(self._fields.get("cause_text"))

    @property
    def reason(self) -> Optional[str]:
        """For ``disconnected`` and ``connectionLost``."""
        return _opt_str(self._fields.get("reason"))

    @property
    def attempts(self) -> Optional[int]:
        """For ``reconnected``: how many attempts it took."""
        return _opt_int(self._fields.get("attempts"))

    @property
    def count(self) -> Optional[int]:
        """For ``eventsLost``: how many events were dropped."""
        return _opt_int(self._fields.get("count"))

    @property
    def error(self) -> Optional[str]:
        """For ``malformedMessage``."""
        return _opt_str(self._fields.get("error"))
