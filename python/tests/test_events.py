"""Events: the per-client queue, callbacks (which may call the client), lost events."""

from __future__ import annotations

import logging
import threading

import pytest

import tcroom
from tcroom.testing import Emulator

from conftest import ALICE, BOB, PIN, WAIT, next_named


def test_queue_holds_everything_since_connect(room: tcroom.Client) -> None:
    conf = room.create_conference("Queue", invite=[ALICE])
    # Iterating after create_conference returned still sees the start and the join.
    events = room.events(timeout=WAIT)
    created = next_named(events, "conferenceCreated")
    assert created.conf_id == conf.conf_id and created.conference == conf
    assert next_named(events, "newParticipantInConference").conf_id == conf.conf_id


def test_app_state_events(room: tcroom.Client) -> None:
    room.create_conference("States")
    room.hang_up()
    events = room.events(timeout=WAIT)
    states = [next_named(events, "appStateChanged").app_state for _ in range(3)]
    assert states == [tcroom.AppState.CONFERENCE, tcroom.AppState.CLOSE, tcroom.AppState.NORMAL]


def test_unknown_events_keep_their_data(room: tcroom.Client, emu: Emulator) -> None:
    emu.emit("somethingNew", confId="c1", extra={"a": [1, 2.5, None, True]})
    ev = next_named(room.events(timeout=WAIT), "somethingNew")
    assert ev.conf_id == "c1"
    assert ev.data["extra"] == {"a": [1, 2.5, None, True]}
    assert "somethingNew" in repr(ev)


def test_iteration_ends_with_disconnected(room: tcroom.Client, emu: Emulator) -> None:
    emu.close_all_connections()
    names = [ev.name for ev in room.events(timeout=WAIT)]
    assert names[-1] == tcroom.DISCONNECTED
    assert list(room.events(timeout=WAIT)) == []  # the queue has ended for good


def test_lost_events_are_reported(emu: Emulator) -> None:
    with tcroom.Client.connect(emu.host, ws_port=emu.ws_port, pin=PIN, event_capacity=16) as c:
        marker = threading.Event()
        c.on("marker", lambda ev: marker.set())
        for i in range(50):
            emu.emit("filler", index=i)
        emu.emit("marker")
        assert marker.wait(WAIT)
        events = c.events(timeout=WAIT)
        first = next(events)
        assert first.name == tcroom.EVENTS_LOST and first.count is not None and first.count > 0
        rest = []
        for ev in events:
            if ev.name == "marker":
                break
            rest.append(ev)
        assert first.count + len(rest) == 50
        assert [ev.data["index"] for ev in rest] == list(range(50 - len(rest), 50))


def test_callbacks_run_on_their_own_thread_and_may_call_the_client(room: tcroom.Client) -> None:
    results: list[tuple[str, int]] = []
    done = threading.Event()

    @room.on("newParticipantInConference")
    def joined(ev: tcroom.Event) -> None:
        # Calling the client from a callback must not deadlock.
        parts = room.get_conference_participants()
        results.append((threading.current_thread().name, len(parts)))
        done.set()

    room.create_conference("Callbacks", invite=[ALICE])
    assert done.wait(WAIT)
    assert results == [("tcroom-callbacks", 2)]


def test_callback_order_all_and_off(room: tcroom.Client, emu: Emulator) -> None:
    got: list[str] = []
    done = threading.Event()

    def everything(ev: tcroom.Event) -> None:
        got.append("*" + ev.name)
        if ev.name == "last":
            done.set()

    def named(ev: tcroom.Event) -> None:
        got.append(ev.name)

    room.on(tcroom.ALL_EVENTS, everything)
    room.on("first", named)
    room.on("last", named)
    assert room.off("last", named) and not room.off("last", named)
    emu.emit("first")
    emu.emit("last")
    assert done.wait(WAIT)
    assert got == ["first", "*first", "*last"]


def test_a_failing_callback_is_logged_and_does_not_stop_the_others(
    room: tcroom.Client, emu: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    done = threading.Event()

    @room.on("boom")
    def fails(ev: tcroom.Event) -> None:
        raise RuntimeError("callback failure")

    room.on("after", lambda ev: done.set())
    emu.emit("boom")
    emu.emit("after")
    assert done.wait(WAIT)
    failures = [r for r in caplog.records if r.name == "tcroom.callbacks"]
    assert failures and failures[0].exc_info is not None
    assert "callback failure" in str(failures[0].exc_info[1])


def test_close_from_a_callback(emu: Emulator) -> None:
    c = tcroom.Client.connect(emu.host, ws_port=emu.ws_port, pin=PIN)
    closed = threading.Event()

    def close(ev: tcroom.Event) -> None:
        c.close()
        closed.set()

    c.on("please-close", close)
    emu.emit("please-close")
    assert closed.wait(WAIT)
    assert c.closed
    c.close()


def test_callbacks_see_rejections(room: tcroom.Client) -> None:
    got: list[tcroom.Event] = []
    done = threading.Event()

    @room.on("rejectReceived")
    def rejected(ev: tcroom.Event) -> None:
        got.append(ev)
        done.set()

    room.create_conference("Rejected", invite=[BOB])
    assert done.wait(WAIT)
    assert got[0].peer_id == BOB and got[0].cause == 2


def test_disconnected_reaches_callbacks(room: tcroom.Client, emu: Emulator) -> None:
    done = threading.Event()
    reasons: list[str] = []

    @room.on(tcroom.DISCONNECTED)
    def gone(ev: tcroom.Event) -> None:
        reasons.append(ev.reason or "")
        done.set()

    emu.close_all_connections()
    assert done.wait(WAIT)
    assert reasons and reasons[0]


def test_logging_callback_errors_uses_no_handler_of_ours() -> None:
    assert logging.getLogger("tcroom").handlers == []
    assert logging.getLogger("tcroom.callbacks").handlers == []


def test_reconnect_after_a_drop(emu: Emulator) -> None:
    policy = tcroom.Reconnect(max_attempts=5, initial_delay=0.05, max_delay=0.2)
    with tcroom.Client.connect(emu.host, ws_port=emu.ws_port, pin=PIN, reconnect=policy) as c:
        c.create_conference("Survives")
        emu.close_all_connections()
        events = c.events(timeout=WAIT)
        lost = next_named(events, tcroom.CONNECTION_LOST)
        assert lost.reason
        back = next_named(events, tcroom.RECONNECTED)
        assert back.attempts is not None and back.attempts >= 1
        assert c.get_app_state().app_state == tcroom.AppState.CONFERENCE
        assert c.conference is not None and c.conference.title == "Survives"
