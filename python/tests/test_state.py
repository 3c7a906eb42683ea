"""The live room state: ``room.state``, ``watch()`` (whole state first, then what changed,
merged for a slow reader, a full state again after a reconnect, the end after close),
``wait_for`` and its time-out, typed payloads on ``Event.payload``, unknown fields and numbers
kept."""

from __future__ import annotations

import asyncio
import builtins

import pytest

import tcroom
from tcroom.testing import Emulator

from conftest import ALICE, PIN, WAIT, connect_any, next_named, run


def test_the_state_is_complete_after_connect(any_room: tcroom.Client, emu: Emulator) -> None:
    s = any_room.state
    assert isinstance(s, tcroom.RoomState)
    assert s.connected and s.authorized and s.app_state is tcroom.AppState.NORMAL and not s.in_call
    assert (s.mic_muted, s.camera_muted, s.speaker_muted, s.volume) == (False, False, False, 1.0)
    assert s.hardware is not None and s.video_matrix is not None and s.monitors is not None
    assert s.ptz is not None and s.login is not None and s.server_state == 2
    assert s.http_port == emu.http_port and s.own_peer_id == "room@some.server"
    assert s.incoming_call is None and s.join_requests == [] and s.podium_requests == [] and s.content is None
    assert s.window is None  # no getter: known once it changes


def test_watch_gives_the_whole_state_then_each_change(any_room: tcroom.Client) -> None:
    room = any_room
    watch = room.watch(timeout=WAIT)
    first = next(watch)
    assert first.full and first.state == room.state
    assert {"connection", "app_state", "own_media", "devices", "layout", "ptz"} <= set(first.changed)

    room.set_mic_mute(True)
    change = next(watch)
    assert (change.changed, change.full, change.state.mic_muted) == (["own_media"], False, True)
    room.change_video_matrix_type(3)
    change = next(watch)
    assert change.changed == ["layout"]
    assert change.state.video_matrix is not None and change.state.video_matrix.matrix_type == 3
    room.create_conference("Watched", invite=[ALICE])
    seen: set[str] = set()
    while not {"app_state", "conference", "participants"} <= seen:
        seen.update(next(watch).changed)


def test_changes_not_read_are_merged_into_one(any_room: tcroom.Client) -> None:
    room = any_room
    watch = room.watch(timeout=WAIT)
    next(watch)
    room.set_mic_mute(True)
    room.set_volume(0.5)
    room.change_window_state(2)
    # Once another subscriber has seen the last of them, all three are pending in `watch`.
    room.wait_for(lambda s: s.mic_muted is True and s.volume == 0.5 and s.window is not None, WAIT)
    merged = watch.next()
    assert merged is not None and not merged.full
    assert set(merged.changed) == {"own_media", "volume", "monitors"}
    assert merged.state.mic_muted is True and merged.state.volume == 0.5
    with pytest.raises(tcroom.TimeoutError):  # nothing is left over
        watch.next(timeout=0.05)


def test_watch_ends_after_close(kind: str, emu: Emulator) -> None:
    with connect_any(kind, emu) as room:
        watch = room.watch(timeout=WAIT)
        next(watch)
        room.close()
        rest = list(watch)  # whatever changed while closing, then the end
        assert all(not c.state.connected for c in rest[-1:])
        with pytest.raises(StopIteration):
            next(watch)


def test_watch_after_the_room_drops_the_link(kind: str, emu: Emulator) -> None:
    with connect_any(kind, emu) as room:
        watch = room.watch(timeout=WAIT)
        next(watch)
        emu.close_all_connections()
        changes = list(watch)
        assert changes and not changes[-1].state.connected and "connection" in changes[-1].changed


def test_a_full_state_again_after_a_reconnect(kind: str, emu: Emulator) -> None:
    policy = tcroom.Reconnect(max_attempts=5, initial_delay=0.05, max_delay=0.2)
    with connect_any(kind, emu, reconnect=policy) as room:
        watch = room.watch(timeout=WAIT)
        next(watch)
        emu.close_all_connections()
        change = next(watch)
        while not change.full:
            change = next(watch)
        assert change.state.connected and change.state.authorized
        assert change.state.app_state is tcroom.AppState.NORMAL and change.state.hardware is not None


def test_wait_for(any_room: tcroom.Client, emu: Emulator) -> None:
    room = any_room
    now = room.wait_for(lambda s: s.app_state == tcroom.AppState.NORMAL, 0)  # true already: at once
    assert now.app_state is tcroom.AppState.NORMAL
    emu.incoming_call(ALICE)
    ringing = room.wait_for(lambda s: s.incoming_call is not None, WAIT)
    assert ringing.incoming_call is not None and ringing.incoming_call.peer_id == ALICE
    with pytest.raises(tcroom.TimeoutError) as e:
        room.wait_for(lambda s: s.in_call, 0.1)  # nobody answers
    assert isinstance(e.value, builtins.TimeoutError) and "0.1" in str(e.value)
    with pytest.raises(tcroom.InvalidArgumentError):
        room.wait_for(lambda s: True, -1)


def test_wait_for_ends_when_the_client_disconnects(any_room: tcroom.Client, emu: Emulator) -> None:
    def drop_the_link_then_never(s: tcroom.RoomState) -> bool:
        # Checked first with the state as it is, once wait_for is following it.
        if s.connected:
            emu.close_all_connections()
        return False

    with pytest.raises(tcroom.TimeoutError, match="disconnected"):
        any_room.wait_for(drop_the_link_then_never, WAIT)


@pytest.mark.xfail(strict=True, raises=tcroom.TimeoutError,
                   reason="core: a watch made after the client ended for good never ends (watch.rs: a new "
                          "subscriber is not told that the publisher already ended)")
def test_a_watch_made_after_the_end_ends(emu: Emulator) -> None:
    with tcroom.Client.connect(emu.host, ws_port=emu.ws_port, pin=PIN) as room:
        emu.close_all_connections()
        assert next_named(room.events(timeout=WAIT), tcroom.DISCONNECTED)
        watch = room.watch(timeout=0.2)
        assert next(watch).full
        assert list(watch) == []


def test_events_carry_typed_payloads(any_room: tcroom.Client, emu: Emulator) -> None:
    room = any_room
    events = room.events(timeout=WAIT)
    emu.incoming_call(ALICE)
    ev = next_named(events, "inviteReceived")
    assert ev.kind == "InviteReceived"
    assert isinstance(ev.payload, tcroom.IncomingCall) and ev.payload.peer_id == ALICE
    assert ev.payload.raw == ev.data
    room.reject()
    assert next_named(events, "rejectSent").kind == "RejectSent"
    ev = next_named(events, "appStateChanged")  # no record of its own: the properties read it
    assert (ev.kind, ev.payload, ev.app_state) == ("AppStateChanged", None, tcroom.AppState.NORMAL)
    room.set_audio_mute(True)
    ev = next_named(events, "audioRendererMute")
    assert (ev.kind, ev.payload) == ("SpeakerMute", tcroom.MuteState(mute=True, conf_id=None, raw={}))


def test_unknown_fields_and_numbers_are_kept(any_room: tcroom.Client, emu: Emulator) -> None:
    room = any_room
    events = room.events(timeout=WAIT)
    emu.emit("audioCapturerMute", mute=True, futureField={"x": [1, 2]})
    ev = next_named(events, "audioCapturerMute")
    assert isinstance(ev.payload, tcroom.MuteState) and ev.payload.mute is True
    assert ev.payload.raw["futureField"] == {"x": [1, 2]}
    assert room.state.mic_muted is True

    emu.emit("appStateChanged", appState=42)  # a state this version does not know
    ev = next_named(events, "appStateChanged")
    assert ev.app_state is not None and int(ev.app_state) == 42 and ev.app_state.name == "UNKNOWN_42"
    assert room.state.app_state == 42

    emu.emit("ptzControlsChanged", pan={"support": True, "minValue": -5, "maxValue": 5, "currentValue": 1,
                                        "newAxisField": "kept"}, videoCapturerName="Cam 9")
    ptz = next_named(events, "ptzControlsChanged").payload
    assert isinstance(ptz, tcroom.PtzControls) and ptz.camera_name == "Cam 9"
    assert ptz.pan is not None and ptz.pan.current == 1 and ptz.pan.raw["newAxisField"] == "kept"
    assert ptz.tilt is None  # absent: None, not an error

    emu.emit("somethingNew", value=1)
    ev = next_named(events, "somethingNew")
    assert (ev.kind, ev.payload, ev.data["value"]) == ("Unknown", None, 1)

    emu.emit("appStateChanged", appState=1e30)  # not a state at all: read as unknown, state unchanged
    ev = next_named(events, "appStateChanged")
    assert ev.kind == "Unknown" and ev.app_state is None and ev.data["appState"] == 1e30
    assert room.state.app_state == 42


def test_typed_replies_keep_their_json(any_room: tcroom.Client) -> None:
    hw = any_room.get_hardware()
    assert hw.raw["result"] is True and "audioCapturers" in hw.raw
    assert hw.microphones[0].raw["name"] == hw.microphones[0].name


def test_the_state_is_read_only(any_room: tcroom.Client) -> None:
    s = any_room.state
    with pytest.raises(AttributeError):
        s.mic_muted = True  # type: ignore[misc]
    assert any_room.state.mic_muted is False


# ---- asyncio, written as asyncio ----


def test_async_for_over_watch(emu: Emulator) -> None:
    async def body() -> None:
        async with tcroom.AsyncClient.connect(emu.host, ws_port=emu.ws_port, pin=PIN) as room:
            seen: list[list[str]] = []
            async for change in room.watch(timeout=WAIT):
                seen.append(change.changed)
                if change.full:
                    await room.set_video_mute(True)
                elif change.state.camera_muted:
                    break
            assert seen[-1] == ["own_media"]
            state = await room.wait_for(lambda s: s.camera_muted is True, WAIT)
            assert state.camera_muted is True
            with pytest.raises(tcroom.TimeoutError):
                await room.wait_for(lambda s: s.in_call, 0.05)
            # asyncio's own time-out works as well.
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(room.wait_for(lambda s: s.in_call), 0.05)

    run(body())


def test_async_watch_ends_after_close(emu: Emulator) -> None:
    async def body() -> None:
        room = await tcroom.AsyncClient.connect(emu.host, ws_port=emu.ws_port, pin=PIN)
        watch = room.watch(timeout=WAIT)
        assert (await watch.__anext__()).full
        await room.close()
        _ = [c async for c in watch]
        assert await watch.next() is None

    run(body())
