"""Failures: wrong PIN, refusals, time-outs, bad arguments, the room going away mid-call."""

from __future__ import annotations

import builtins
import socket

import pytest

import tcroom
from tcroom.testing import Emulator

from conftest import ALICE, CAROL, PIN, WAIT, next_named


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_wrong_pin(emu: Emulator) -> None:
    with pytest.raises(tcroom.AuthError) as e:
        tcroom.Client.connect(emu.host, port=emu.web_port, pin="0000")
    assert e.value.code is not None
    assert "0000" not in str(e.value)


def test_missing_pin(emu: Emulator) -> None:
    with pytest.raises(tcroom.AuthError):
        tcroom.Client.connect(emu.host, ws_port=emu.ws_port)


def test_password_and_unsecured_rooms() -> None:
    with Emulator(password="s3cret") as emu:
        with tcroom.Client.connect(emu.host, ws_port=emu.ws_port, password="s3cret") as c:
            assert c.app_state == tcroom.AppState.NORMAL
    with Emulator() as emu:
        with tcroom.Client.connect(emu.host, ws_port=emu.ws_port) as c:
            assert c.app_state == tcroom.AppState.NORMAL


def test_discovery_failure_names_the_url() -> None:
    port = free_port()
    with pytest.raises(tcroom.DiscoveryError) as e:
        tcroom.Client.connect("127.0.0.1", port=port, timeout=2)
    assert f":{port}/public/default/config.json" in str(e.value)
    assert isinstance(e.value, tcroom.ConnectError) and isinstance(e.value, builtins.ConnectionError)


def test_connect_failure() -> None:
    with pytest.raises(tcroom.ConnectError) as e:
        tcroom.Client.connect("127.0.0.1", ws_port=free_port(), timeout=2)
    assert not isinstance(e.value, tcroom.DiscoveryError)


def test_reply_time_out_withdraws_the_request(room: tcroom.Client, emu: Emulator) -> None:
    emu.faults.drop_reply("getSystemInfo")
    with pytest.raises(tcroom.TimeoutError) as e:
        room.get_system_info(timeout=0.3)
    assert isinstance(e.value, builtins.TimeoutError)
    assert e.value.method == "getSystemInfo" and e.value.timeout == pytest.approx(0.3)
    assert room.get_system_info().peer_id == "room@some.server"  # still usable


def test_request_time_out(room: tcroom.Client, emu: Emulator) -> None:
    emu.faults.drop_reply("getLogin")
    with pytest.raises(tcroom.TimeoutError):
        room.request("getLogin", timeout=0.2)


def test_longer_timeout_than_the_default(emu: Emulator) -> None:
    with tcroom.Client.connect(emu.host, ws_port=emu.ws_port, pin=PIN, request_timeout=0.2) as c:
        emu.faults.delay_reply("getAppState", 0.4)
        assert c.get_app_state(timeout=WAIT).app_state == tcroom.AppState.NORMAL
        emu.faults.delay_reply("getAppState", 0.4)
        with pytest.raises(tcroom.TimeoutError):
            c.get_app_state()


def test_event_time_out(room: tcroom.Client) -> None:
    with pytest.raises(tcroom.TimeoutError) as e:
        next(room.events(timeout=0.1))
    assert e.value.method == "events"


def test_refusal_in_the_wrong_state() -> None:
    with Emulator(app_state=2) as emu:
        with tcroom.Client.connect(emu.host, ws_port=emu.ws_port) as c:
            assert c.app_state == tcroom.AppState.LOGIN
            with pytest.raises(tcroom.RefusedError) as e:
                c.create_conference("Too early")
            assert e.value.method == "createConference" and e.value.room_error


def test_refusals_outside_a_conference(room: tcroom.Client) -> None:
    for call in (lambda: room.hang_up(), lambda: room.invite_to_conference(ALICE), room.get_session_link):
        with pytest.raises(tcroom.RefusedError) as e:
            call()
        assert e.value.room_error


def test_tariff_forbids_group_conferences() -> None:
    with Emulator(tariff={"createMulti": False, "tariffName": "Free"}) as emu:
        with tcroom.Client.connect(emu.host, ws_port=emu.ws_port) as c:
            with pytest.raises(tcroom.InvalidArgumentError, match="Free"):
                c.create_conference("Nope")


def test_invalid_arguments_cost_no_round_trip(room: tcroom.Client) -> None:
    with pytest.raises(tcroom.InvalidArgumentError):
        room.create_conference("   ")
    with pytest.raises(tcroom.InvalidArgumentError, match="castersCount 7"):
        room.create_conference("Podium", conf_type="role", casters=7)
    with pytest.raises(tcroom.InvalidArgumentError, match="conference type"):
        room.create_conference("Bad", conf_type="lecture")  # type: ignore[call-overload]
    with pytest.raises(ValueError):  # InvalidArgumentError is a ValueError too
        room.invite_to_conference("")
    with pytest.raises(tcroom.InvalidArgumentError):
        room.request("getLogin", {"method": "x"})
    with pytest.raises(tcroom.InvalidArgumentError):
        room.request("getLogin", value=object())
    with pytest.raises(tcroom.InvalidArgumentError):
        room.get_app_state(timeout=-1)
    with pytest.raises(tcroom.InvalidArgumentError):
        tcroom.Client.connect("127.0.0.1", pin="1", password="2")


def test_emulator_stopping_mid_call(room: tcroom.Client, emu: Emulator) -> None:
    room.create_conference("Doomed")
    emu.faults.drop_reply("inviteToConference")
    # The invitation's side effect (inviteSent) proves the request reached the room; stop the
    # room right then, while the reply is still awaited.
    room.on("inviteSent", lambda ev: emu.stop())
    with pytest.raises(tcroom.DisconnectedError) as e:
        room.invite_to_conference(CAROL, timeout=WAIT)
    assert e.value.reason
    last = next_named(room.events(timeout=WAIT), tcroom.DISCONNECTED)
    assert last.reason
    assert not room.is_connected and not room.state.connected
    with pytest.raises(tcroom.DisconnectedError):
        room.get_app_state()


def test_socket_dropped_without_close_frame(room: tcroom.Client, emu: Emulator) -> None:
    emu.faults.close_on("getConferences")
    with pytest.raises(tcroom.DisconnectedError):
        room.get_conferences(timeout=WAIT)


def test_garbage_becomes_an_event(room: tcroom.Client, emu: Emulator) -> None:
    emu.faults.send_garbage("{not json")
    ev = next_named(room.events(timeout=WAIT), tcroom.MALFORMED)
    assert ev.error and ev.data["text"] == "{not json"
    assert room.get_app_state().app_state == tcroom.AppState.NORMAL


def test_huge_frame(room: tcroom.Client, emu: Emulator) -> None:
    emu.faults.send_huge_frame(2 << 20)
    ev = next_named(room.events(timeout=WAIT), "addressBookUpdate")
    assert len(ev.data["addressBook"]) > 5000


def test_closed_client(emu: Emulator) -> None:
    c = tcroom.Client.connect(emu.host, ws_port=emu.ws_port, pin=PIN)
    c.close()
    c.close()  # idempotent
    assert c.closed and not c.is_connected
    with pytest.raises(tcroom.ClosedError):
        c.get_app_state()
    with pytest.raises(tcroom.ClosedError):
        next(c.events(timeout=WAIT))


def test_start_announced_before_the_reply(room: tcroom.Client, emu: Emulator) -> None:
    emu.faults.delay_reply("createConference", 0.3)
    conf = room.create_conference("Announced first", timeout=WAIT)
    assert conf.title == "Announced first"


@pytest.mark.parametrize("created_first", [False, True])
def test_shuffled_notifications(created_first: bool) -> None:
    with Emulator(conference_created_first=created_first) as emu:
        emu.faults.set_shuffle(True)
        with tcroom.Client.connect(emu.host, ws_port=emu.ws_port) as c:
            assert c.create_conference("Shuffled", invite=[ALICE]).title == "Shuffled"
            next_named(c.events(timeout=WAIT), "newParticipantInConference")
