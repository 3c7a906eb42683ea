"""Every command of PROTOCOL.md section 7, blocking, against the emulator."""

from __future__ import annotations

import pytest

import tcroom
from tcroom.testing import Emulator

from conftest import ALICE, BOB, MOD, PIN, WAIT, next_named


def test_connect_reads_state_and_tariff(room: tcroom.Client) -> None:
    assert room.is_connected
    assert room.url.startswith("ws://127.0.0.1:")
    assert room.app_state == tcroom.AppState.NORMAL
    state = room.state
    assert state.connected and state.authorized
    assert state.tariff is not None and state.tariff.create_multi is True
    assert room.conference is None and room.participants == []


def test_connect_with_ws_port_skips_discovery(emu: Emulator) -> None:
    with tcroom.Client.connect(emu.host, ws_port=emu.ws_port, pin=PIN) as c:
        assert c.url == f"ws://{emu.host}:{emu.ws_port}/"


def test_get_app_state(room: tcroom.Client) -> None:
    info = room.get_app_state()
    assert info.app_state is tcroom.AppState.NORMAL
    assert info.embedded_http_port is not None
    assert info.raw["method"] == "getAppState"


def test_get_tariff_restrictions(room: tcroom.Client) -> None:
    t = room.get_tariff_restrictions()
    assert t.tariff_name == "Business"
    assert tcroom.SchemaRow(2, 900) in t.role_schema
    assert [r.max_casters for r in t.smart_meeting_schema] == [4, 5, 6]


def test_get_system_info(room: tcroom.Client) -> None:
    info = room.get_system_info()
    assert info.peer_id == "room@some.server"
    assert room.state.own_peer_id == "room@some.server"


def test_create_conference_waits_for_the_start(room: tcroom.Client) -> None:
    conf = room.create_conference("Review", conf_type="role", invite=[ALICE], casters=2)
    assert conf.conf_id and conf.title == "Review" and conf.conf_type == "role"
    assert conf.owner == "room@some.server"
    assert conf.join_url and conf.join_url.startswith("http")
    assert conf.max_podium == 2 and conf.max_participants == 900
    assert conf.raw["event"] == "conferenceCreated"
    assert room.conference == conf
    assert room.app_state == tcroom.AppState.CONFERENCE
    joined = next_named(room.events(timeout=WAIT), "newParticipantInConference")
    assert joined.participant is not None and joined.participant.call_id == ALICE


def test_create_conference_without_waiting(room: tcroom.Client) -> None:
    pending = room.create_conference("Later", wait=False)
    assert pending.reply["result"] is True
    conf = pending.wait(WAIT)
    assert conf.title == "Later" and conf.conf_type == "symmetric"
    assert pending.wait() == conf  # waiting again returns the same


def test_invitees_join_reject_and_stay_silent(room: tcroom.Client) -> None:
    room.create_conference("Invites", invite=[ALICE, BOB])
    events = room.events(timeout=WAIT)
    seen: dict[str, tcroom.Event] = {}
    while len(seen) < 2:
        ev = next(events)
        if ev.name in ("newParticipantInConference", "rejectReceived"):
            assert ev.peer_id is not None
            seen[ev.peer_id.split("/")[0]] = ev
    assert seen[ALICE].name == "newParticipantInConference"
    assert seen[BOB].name == "rejectReceived" and seen[BOB].cause == 2 and seen[BOB].cause_text == "busy"
    # The room's own list: ourselves (the owner) and whoever joined.
    assert sorted(p.call_id for p in room.participants) == [ALICE, "room@some.server"]


def test_get_conference_participants(room: tcroom.Client) -> None:
    room.create_conference("Parts", invite=[ALICE])
    next_named(room.events(timeout=WAIT), "newParticipantInConference")
    parts = room.get_conference_participants()
    owners = [p for p in parts if p.role == 2]
    assert len(owners) == 1 and owners[0].call_id == "room@some.server"
    assert ALICE in [p.call_id for p in parts]
    assert room.participants == parts


def test_waiting_room(room: tcroom.Client) -> None:
    conf = room.create_conference("Lobby", waiting_room=True, invite=[ALICE])
    assert conf.waiting_room_enabled
    events = room.events(timeout=WAIT)
    waiting = next_named(events, "participantPresenceInWaitingRoomChanged")
    assert waiting.in_waiting_room is True and waiting.peer_id is not None
    assert [p.call_id for p in room.state.waiting] == [ALICE]

    assert room.set_participant_presence_in_waiting_room(waiting.peer_id, False) == conf.conf_id
    admitted = next_named(events, "participantPresenceInWaitingRoomChanged")
    assert admitted.in_waiting_room is False
    assert room.state.waiting == []

    assert room.set_waiting_room_state(False) == conf.conf_id
    assert next_named(events, "waitingRoomStateChanged").enabled is False
    assert room.conference is not None and not room.conference.waiting_room_enabled


def test_invite_to_conference(room: tcroom.Client) -> None:
    room.create_conference("Invite later")
    room.invite_to_conference(MOD)
    events = room.events(timeout=WAIT)
    assert next_named(events, "inviteSent").peer_id == MOD
    assert next_named(events, "newParticipantInConference").in_waiting_room is False


def test_change_conference_mode(room: tcroom.Client) -> None:
    conf = room.create_conference("Smart", conf_type="role", casters=4, smart_meeting=True)
    assert conf.is_smart_meeting
    room.change_conference_mode(False)
    assert next_named(room.events(timeout=WAIT), "smartMeetingModeChanged").is_smart_meeting is False
    assert room.conference is not None and not room.conference.is_smart_meeting


def test_get_session_link_and_conferences(room: tcroom.Client) -> None:
    conf = room.create_conference("Links")
    assert room.get_session_link() == conf.join_url
    summaries = room.get_conferences()
    assert [(s.conf_id, s.title) for s in summaries] == [(conf.conf_id, "Links")]


def test_hang_up_for_all(room: tcroom.Client) -> None:
    conf = room.create_conference("Bye", invite=[ALICE])
    room.hang_up(for_all=True)
    deleted = next_named(room.events(timeout=WAIT), "conferenceDeleted")
    assert deleted.conf_id == conf.conf_id
    assert room.conference is None and room.app_state == tcroom.AppState.NORMAL


def test_request_any_command(room: tcroom.Client) -> None:
    reply = room.request("getLogin")
    assert reply["result"] is True and reply["method"] == "getLogin"
    reply = room.request("setUsedApiVersion", version="2")
    assert reply["result"] is True
    room.create_conference("v2")
    reply = room.request("getConferences", {})
    assert reply["conferences"][0]["id"]  # v.2 adds `id`


def test_request_refused_carries_the_room_error(room: tcroom.Client) -> None:
    with pytest.raises(tcroom.RefusedError) as e:
        room.request("noSuchMethod", peerId="x")
    assert e.value.method == "noSuchMethod"
    assert e.value.room_error is not None and "noSuchMethod" in e.value.room_error
    assert e.value.reply is not None and e.value.reply["result"] is False
    assert isinstance(e.value, tcroom.Error)
