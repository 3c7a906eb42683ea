"""The asyncio client: same commands as coroutines, async events and callbacks, cancellation."""

from __future__ import annotations

import asyncio
import builtins

import pytest

import tcroom
from tcroom.testing import Emulator

from conftest import ALICE, BOB, CAROL, MOD, PIN, WAIT, run


async def next_named(events: tcroom.AsyncEventIterator, name: str) -> tcroom.Event:
    async for ev in events:
        if ev.name == name:
            return ev
    raise AssertionError(f"the events ended before {name!r}")


def test_every_command(emu: Emulator) -> None:
    async def body() -> None:
        async with tcroom.AsyncClient.connect(emu.host, port=emu.web_port, pin=PIN) as room:
            assert room.app_state == tcroom.AppState.NORMAL and room.is_connected
            assert (await room.get_app_state()).app_state == tcroom.AppState.NORMAL
            assert (await room.get_tariff_restrictions()).create_multi is True
            assert (await room.get_system_info()).peer_id == "room@some.server"
            assert (await room.request("getLogin"))["login"] == "room"

            conf = await room.create_conference("Async", conf_type="role", casters=4, smart_meeting=True,
                                                waiting_room=True, invite=[ALICE])
            assert conf.conf_type == "role" and conf.is_smart_meeting and conf.waiting_room_enabled
            assert room.conference == conf
            events = room.events(timeout=WAIT)
            waiting = await next_named(events, "participantPresenceInWaitingRoomChanged")
            assert waiting.peer_id is not None
            assert await room.set_participant_presence_in_waiting_room(waiting.peer_id, False) == conf.conf_id
            assert await room.set_waiting_room_state(False) == conf.conf_id
            await room.change_conference_mode(False)
            assert (await next_named(events, "smartMeetingModeChanged")).is_smart_meeting is False
            await room.invite_to_conference(MOD)
            assert (await next_named(events, "newParticipantInConference")).peer_id is not None
            parts = await room.get_conference_participants()
            assert {p.call_id for p in parts} == {"room@some.server", ALICE, MOD}
            assert await room.get_session_link() == conf.join_url
            assert [s.conf_id for s in await room.get_conferences()] == [conf.conf_id]
            await room.hang_up(for_all=True)
            assert (await next_named(events, "conferenceDeleted")).conf_id == conf.conf_id
        assert room.closed

    run(body())


def test_await_connect_and_close(emu: Emulator) -> None:
    async def body() -> None:
        room = await tcroom.AsyncClient.connect(emu.host, ws_port=emu.ws_port, pin=PIN)
        try:
            pending = await room.create_conference("Pending", wait=False)
            assert pending.reply["result"] is True
            assert (await pending.wait(WAIT)).title == "Pending"
        finally:
            await room.close()
        await room.close()
        with pytest.raises(tcroom.ClosedError):
            await room.get_app_state()

    run(body())


def test_invitees_join_async(emu: Emulator) -> None:
    async def body() -> None:
        async with tcroom.AsyncClient.connect(emu.host, port=emu.web_port, pin=PIN) as room:
            await room.create_conference("Joiners", invite=[ALICE, BOB])
            outcome: dict[str, str] = {}
            async for ev in room.events(timeout=WAIT):
                if ev.name in ("newParticipantInConference", "rejectReceived") and ev.peer_id:
                    outcome[ev.peer_id.split("/")[0]] = ev.name
                if len(outcome) == 2:
                    break
            assert outcome == {ALICE: "newParticipantInConference", BOB: "rejectReceived"}

    run(body())


def test_async_callbacks_may_await_the_client(emu: Emulator) -> None:
    async def body() -> None:
        async with tcroom.AsyncClient.connect(emu.host, ws_port=emu.ws_port, pin=PIN) as room:
            done = asyncio.Event()
            counts: list[int] = []
            plain: list[str] = []

            @room.on("newParticipantInConference")
            async def joined(ev: tcroom.Event) -> None:
                counts.append(len(await room.get_conference_participants()))
                done.set()

            room.on("inviteSent", lambda ev: plain.append(ev.peer_id or ""))
            await room.create_conference("Async callbacks", invite=[ALICE])
            await asyncio.wait_for(done.wait(), WAIT)
            assert counts == [2] and plain == [ALICE]

    run(body())


def test_cancelling_a_call_withdraws_it(emu: Emulator) -> None:
    async def body() -> None:
        async with tcroom.AsyncClient.connect(emu.host, ws_port=emu.ws_port, pin=PIN) as room:
            await room.create_conference("Cancel")
            emu.faults.drop_reply("inviteToConference")
            call = asyncio.ensure_future(room.invite_to_conference(CAROL, timeout=WAIT))
            # Cancel once the room has surely received it (its side effect is visible).
            room.on("inviteSent", lambda ev: call.cancel())
            with pytest.raises(asyncio.CancelledError):
                await call
            assert (await room.get_app_state()).app_state == tcroom.AppState.CONFERENCE

    run(body())


def test_async_errors(emu: Emulator) -> None:
    async def body() -> None:
        with pytest.raises(tcroom.AuthError):
            await tcroom.AsyncClient.connect(emu.host, ws_port=emu.ws_port, pin="wrong")
        async with tcroom.AsyncClient.connect(emu.host, ws_port=emu.ws_port, pin=PIN) as room:
            emu.faults.drop_reply("getSystemInfo")
            with pytest.raises(builtins.TimeoutError):
                await room.get_system_info(timeout=0.2)
            with pytest.raises(tcroom.TimeoutError):
                await room.events(timeout=0.05).__anext__()
            with pytest.raises(tcroom.RefusedError) as e:
                await room.hang_up()
            assert e.value.room_error
            with pytest.raises(tcroom.InvalidArgumentError):
                await room.create_conference("")
            # asyncio's own time-out cancels the call underneath.
            emu.faults.drop_reply("getConferences")
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(room.get_conferences(timeout=WAIT), 0.2)
            assert (await room.get_app_state()).app_state == tcroom.AppState.NORMAL

    run(body())


def test_async_events_end_with_disconnected(emu: Emulator) -> None:
    async def body() -> None:
        async with tcroom.AsyncClient.connect(emu.host, ws_port=emu.ws_port, pin=PIN) as room:
            emu.close_all_connections()
            names = [ev.name async for ev in room.events(timeout=WAIT)]
            assert names[-1] == tcroom.DISCONNECTED
            with pytest.raises(tcroom.DisconnectedError):
                await room.get_app_state()

    run(body())


def test_concurrent_calls_on_one_loop(emu: Emulator) -> None:
    async def body() -> None:
        async with tcroom.AsyncClient.connect(emu.host, ws_port=emu.ws_port, pin=PIN) as room:
            replies = await asyncio.gather(*(room.request("getLogin") for _ in range(50)))
            assert len({r["requestId"] for r in replies}) == 50

    run(body())


def test_loop_closed_with_a_call_in_flight(emu: Emulator) -> None:
    # The reply arrives after its loop was closed: it must be dropped quietly.
    loop = asyncio.new_event_loop()
    room = loop.run_until_complete(tcroom.AsyncClient.connect(emu.host, ws_port=emu.ws_port, pin=PIN))
    emu.faults.delay_reply("getSystemInfo", 0.2)

    async def start() -> object:
        return room._native.command("get_system_info", {}, WAIT).start()

    orphan = loop.run_until_complete(start())
    loop.close()

    async def later() -> None:
        # Answered after the orphan's reply (0.2 s): by then the runtime has tried to deliver it.
        emu.faults.delay_reply("getAppState", 0.4)
        assert (await room.get_app_state()).app_state == tcroom.AppState.NORMAL
        await room.close()

    run(later())
    assert orphan is not None
