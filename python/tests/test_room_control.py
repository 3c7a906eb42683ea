"""Room control (PROTOCOL.md section 10) through both clients against the emulator: calls both
ways, auto-answer, join requests, podium, own and remote media, settings, devices, layout,
monitors and window, PTZ, chat and app messages, myEvent, content, server and login, the
embedded HTTP token. Each test runs once with ``tcroom.Client`` and once with
``tcroom.AsyncClient`` (``any_room``, see conftest). The emulator's test-only actions stand in
for the people and things around the room."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from typing import Callable, Iterator, Optional

import pytest

import tcroom
from tcroom.testing import Emulator, RemoteConference, User

from conftest import ALICE, BOB, CAROL, MOD, PIN, USERS, WAIT, connect_any, next_named, payload_of

DAN = "dan@some.server"  # joins, but declines the podium
BOSS = "boss@some.server"  # owns the conference "board" (PIN 2468) the room can join
BOARD_PIN = "2468"
ROOM_ID = "room@some.server"
NORMAL = tcroom.AppState.NORMAL


@pytest.fixture
def emu() -> Iterator[Emulator]:
    """The conftest's directory, plus a user who declines the podium and a conference of
    someone else's to join."""
    users = [*USERS, User(DAN, answer="join", podium_answer="decline")]
    board = RemoteConference("board", "Board meeting", owner=BOSS, pin=BOARD_PIN)
    with Emulator(pin=PIN, users=users, conferences=[board]) as e:
        yield e


def back_to_idle(events: Iterator[tcroom.Event]) -> tcroom.Event:
    """Skips to the room's return to appState 3 (normal)."""
    return next_named(events, "appStateChanged", lambda e: e.app_state == NORMAL)


def in_a_call(s: tcroom.RoomState) -> bool:
    """In a call or conference, and it is known which (``in_call`` follows ``appStateChanged``
    5, ``conference`` the ``conferenceCreated`` that comes with it, before or after)."""
    return s.in_call and s.conference is not None


def idle(s: tcroom.RoomState) -> bool:
    """Back to normal: no call, no conference."""
    return s.app_state == NORMAL and s.conference is None


def has(who: str, **fields: object) -> Callable[[tcroom.RoomState], bool]:
    """A predicate: ``who`` is a participant, and these fields of theirs have these values."""

    def pred(s: tcroom.RoomState) -> bool:
        p = s.participant(who)
        return p is not None and all(getattr(p, k) == v for k, v in fields.items())

    return pred


def instance_of(room: tcroom.Client, call_id: str) -> str:
    """The InstanceId of a participant, once they are in the conference."""
    s = room.wait_for(lambda s: s.participant(call_id) is not None, WAIT)
    p = s.participant(call_id)
    assert p is not None
    return p.peer_id


# ---- calls ----


def test_call_out_answered_then_hung_up(any_room: tcroom.Client) -> None:
    room = any_room
    events = room.events(timeout=WAIT)
    room.call(ALICE)
    assert next_named(events, "inviteSent").peer_id == ALICE
    s = room.wait_for(in_a_call, WAIT)
    assert s.app_state is tcroom.AppState.CONFERENCE
    assert s.conference is not None
    assert s.conference.conf_type is None and s.conference.peer_id == ALICE  # a call, not a conference
    room.hang_up()
    s = room.wait_for(idle, WAIT)
    assert s.conference is None and s.participants == []
    last = room.get_call_history(5).calls[0]
    assert (last.call_type, last.conf_type, last.peer_id) == (1, 0, ALICE)  # outgoing call


def test_call_out_declined(any_room: tcroom.Client) -> None:
    room = any_room
    events = room.events(timeout=WAIT)
    room.call(BOB)
    rejected = next_named(events, "rejectReceived")
    assert rejected.peer_id == BOB and rejected.cause == 2 and rejected.cause_text == "busy"
    back_to_idle(events)
    assert room.state.conference is None and not room.state.in_call


def test_join_someone_elses_conference_with_its_pin(any_room: tcroom.Client, emu: Emulator) -> None:
    room = any_room
    events = room.events(timeout=WAIT)
    room.call("board")
    assert next_named(events, "rejectReceived").cause == 12  # PIN missing
    back_to_idle(events)
    room.call("board", pin=BOARD_PIN)
    s = room.wait_for(in_a_call, WAIT)
    assert s.conference is not None
    assert (s.conference.title, s.conference.conf_type, s.conference.owner) == ("Board meeting", "role", BOSS)

    # The owner mutes the room; its own mute state follows.
    emu.mute_by_owner(mic=True)
    assert payload_of(events, "micStateChangedByConferenceOwner", tcroom.MuteState).mute is True
    assert room.wait_for(lambda s: s.mic_muted is True, WAIT).mic_muted is True
    assert room.get_mic_mute() is True

    # The owner invites the room to the podium; it accepts.
    emu.invite_podium()
    s = room.wait_for(lambda s: s.podium_invitation is not None, WAIT)
    assert s.podium_invitation is not None and s.podium_invitation.role == 4
    room.accept_invitation_to_podium()
    assert payload_of(events, "incomingPodiumInvitationRemoved", tcroom.PodiumInvitationRemoved).reason == 0
    room.wait_for(lambda s: s.podium_invitation is None, WAIT)

    # The owner ends it.
    emu.remote_hang_up()
    s = room.wait_for(idle, WAIT)
    assert s.podium_invitation is None


def test_incoming_call_accepted_then_ended_by_the_caller(any_room: tcroom.Client, emu: Emulator) -> None:
    room = any_room
    events = room.events(timeout=WAIT)
    reply = emu.incoming_call(ALICE)
    assert reply["result"] is True and reply["peerId"] == ALICE
    s = room.wait_for(lambda s: s.incoming_call is not None, WAIT)
    call = s.incoming_call
    assert call is not None
    assert (call.peer_id, call.display_name, call.conf_type, call.title) == (ALICE, "alice", 0, None)
    assert payload_of(events, "inviteReceived", tcroom.IncomingCall) == call
    assert room.wait_for(lambda s: s.app_state == tcroom.AppState.WAIT, WAIT).incoming_call == call  # ringing

    room.accept()
    s = room.wait_for(in_a_call, WAIT)
    assert s.incoming_call is None
    assert s.conference is not None and s.conference.peer_id == ALICE and s.conference.conf_id == reply["confId"]

    emu.remote_hang_up()
    assert next_named(events, "conferenceDeleted").conf_id == reply["confId"]
    s = room.wait_for(idle, WAIT)
    assert s.conference is None and s.app_state is NORMAL


def test_incoming_calls_rejected_and_missed(any_room: tcroom.Client, emu: Emulator) -> None:
    room = any_room
    events = room.events(timeout=WAIT)
    emu.incoming_call(ALICE)
    room.wait_for(lambda s: s.incoming_call is not None, WAIT)
    room.reject()
    rejection = payload_of(events, "rejectSent", tcroom.Rejection)
    assert (rejection.peer_id, rejection.cause) == (ALICE, 0)
    back_to_idle(events)
    assert room.state.incoming_call is None

    emu.incoming_call(BOB)
    room.wait_for(lambda s: s.incoming_call is not None and s.incoming_call.peer_id == BOB, WAIT)
    emu.cancel_call()
    stopped = payload_of(events, "stopCalling", tcroom.CallStopped)
    assert (stopped.peer_id, stopped.side) == (BOB, 1)  # the other side gave up
    room.wait_for(lambda s: s.incoming_call is None, WAIT)

    history = room.get_call_history(10)
    assert isinstance(history, tcroom.CallHistory) and history.last_view == 0
    missed, declined = history.calls[:2]
    assert (missed.call_type, missed.peer_id, missed.viewed) == (2, BOB, False)
    assert (declined.call_type, declined.peer_id) == (0, ALICE)
    again = room.get_call_history(1)
    assert len(again.calls) == 1 and again.calls[0].viewed is True
    assert again.last_view is not None and again.last_view > 0


def test_invitation_into_a_group_conference(any_room: tcroom.Client, emu: Emulator) -> None:
    room = any_room
    emu.incoming_call(MOD, conf_type=1, title="All hands")
    s = room.wait_for(lambda s: s.incoming_call is not None, WAIT)
    call = s.incoming_call
    assert call is not None and (call.conf_type, call.title) == (1, "All hands") and call.conf_id
    room.accept()
    s = room.wait_for(in_a_call, WAIT)
    assert s.conference is not None
    assert (s.conference.title, s.conference.owner, s.conference.conf_id) == ("All hands", MOD, call.conf_id)


def test_calls_refused_in_the_wrong_state(any_room: tcroom.Client, emu: Emulator) -> None:
    room = any_room
    for wrong in (room.accept, room.reject):
        with pytest.raises(tcroom.RefusedError) as e:
            wrong()
        assert e.value.room_error
    with pytest.raises(tcroom.RefusedError):
        room.call(ROOM_ID)  # not the room itself
    with pytest.raises(tcroom.InvalidArgumentError):
        room.call("")
    room.call(ALICE)
    room.wait_for(in_a_call, WAIT)
    with pytest.raises(tcroom.RefusedError) as r:
        emu.incoming_call(BOB)  # the room is busy
    assert r.value.method == "emulator.incomingCall"


# ---- auto-answer ----


def test_auto_answer_accepts_the_listed_and_rejects_the_rest(any_room: tcroom.Client, emu: Emulator) -> None:
    room = any_room
    events = room.events(timeout=WAIT)
    with room.auto_answer(accept=["alice", MOD]):
        emu.incoming_call(BOB)
        assert payload_of(events, "rejectSent", tcroom.Rejection).peer_id == BOB
        back_to_idle(events)
        emu.incoming_call(ALICE)  # a bare name matches any server
        s = room.wait_for(in_a_call, WAIT)
        assert s.conference is not None and s.conference.peer_id == ALICE
        emu.remote_hang_up()
        back_to_idle(events)
        emu.incoming_call(MOD, conf_type=3, title="Town hall")  # invitations too
        s = room.wait_for(in_a_call, WAIT)
        assert s.conference is not None and s.conference.title == "Town hall"


@pytest.mark.parametrize("policy", ["all", "none"])
def test_auto_answer_all_or_none(any_room: tcroom.Client, emu: Emulator, policy: str) -> None:
    room = any_room
    events = room.events(timeout=WAIT)
    handle = room.auto_answer("all" if policy == "all" else "none")
    try:
        emu.incoming_call(BOB)
        if policy == "all":
            assert room.wait_for(in_a_call, WAIT).conference is not None
        else:
            assert payload_of(events, "rejectSent", tcroom.Rejection).peer_id == BOB
    finally:
        handle.stop()


def test_auto_answer_stopped_leaves_calls_ringing(any_room: tcroom.Client, emu: Emulator) -> None:
    room = any_room
    room.auto_answer("none").stop()
    emu.incoming_call(ALICE)
    room.wait_for(lambda s: s.incoming_call is not None, WAIT)
    room.accept()  # refused, had the stopped auto-answer rejected the call
    assert room.wait_for(in_a_call, WAIT).conference is not None


# ---- join requests, kicks, expanding a call ----


def test_join_requests_accepted_and_rejected(any_room: tcroom.Client, emu: Emulator) -> None:
    room = any_room
    events = room.events(timeout=WAIT)
    conf = room.create_conference("Open door")
    asked = emu.request_join(ALICE)
    s = room.wait_for(lambda s: bool(s.join_requests), WAIT)
    [req] = s.join_requests
    assert (req.peer_id, req.display_name, req.conf_id) == (asked["peerId"], "alice", conf.conf_id)
    room.accept_peer(req.peer_id)
    assert payload_of(events, "peerAccepted", tcroom.PeerRef).peer_id.split("/")[0] == ALICE
    s = room.wait_for(lambda s: not s.join_requests and s.participant(ALICE) is not None, WAIT)

    asked = emu.request_join(BOB)
    room.wait_for(lambda s: bool(s.join_requests), WAIT)
    room.reject_peer(asked["peerId"])
    assert payload_of(events, "rejectSent", tcroom.Rejection).peer_id == asked["peerId"]
    s = room.wait_for(lambda s: not s.join_requests, WAIT)
    assert s.participant(BOB) is None and s.incoming_call is None

    room.kick_peer(instance_of(room, ALICE))
    assert next_named(events, "participantLeftConference").peer_id is not None
    room.wait_for(lambda s: s.participant(ALICE) is None, WAIT)


def test_expand_a_call_into_a_conference(any_room: tcroom.Client) -> None:
    room = any_room
    room.call(ALICE)
    room.wait_for(in_a_call, WAIT)
    room.expand_call_to_multi("Bigger", invite=[MOD])
    s = room.wait_for(lambda s: s.conference is not None and s.conference.title == "Bigger", WAIT)
    assert s.conference is not None and s.conference.conf_type == "symmetric" and s.conference.owner == ROOM_ID
    instance_of(room, MOD)
    with pytest.raises(tcroom.RefusedError):
        room.expand_call_to_multi("Again")  # a group conference already


# ---- podium ----


def test_podium_of_our_role_conference(any_room: tcroom.Client, emu: Emulator) -> None:
    room = any_room
    events = room.events(timeout=WAIT)
    room.create_conference("Stage", conf_type="role", casters=2, invite=[ALICE, MOD, DAN])
    alice, mod, dan = (instance_of(room, p) for p in (ALICE, MOD, DAN))

    room.invite_to_podium(alice)
    seated = payload_of(events, "roleEventOccured", tcroom.RoleEvent, lambda r: r.broadcast is True)
    assert (seated.role, seated.event_type, seated.result) == (1, 1, 0)
    room.wait_for(has(ALICE, broadcast=True), WAIT)
    with pytest.raises(tcroom.RefusedError):
        room.invite_to_podium(mod)  # two seats: the owner's and alice's
    room.kick_from_podium(alice)
    room.wait_for(has(ALICE, broadcast=False), WAIT)

    room.invite_to_podium(dan)  # who declines
    declined = payload_of(events, "roleEventOccured", tcroom.RoleEvent, lambda r: r.result == 3)
    assert declined.broadcast is False

    emu.request_podium(MOD)
    s = room.wait_for(lambda s: bool(s.podium_requests), WAIT)
    assert s.podium_requests[0].role == 3
    room.accept_request_to_podium(mod)
    answer = payload_of(events, "incomingRequestToPodiumAnswered", tcroom.PodiumRequestAnswered)
    assert answer.allow is True
    room.wait_for(lambda s: not s.podium_requests and has(MOD, broadcast=True)(s), WAIT)

    emu.request_podium(ALICE)
    room.wait_for(lambda s: bool(s.podium_requests), WAIT)
    room.reject_request_to_podium(alice)
    answer = payload_of(events, "incomingRequestToPodiumAnswered", tcroom.PodiumRequestAnswered)
    assert answer.allow is False
    room.wait_for(lambda s: not s.podium_requests, WAIT)

    room.leave_podium()  # the owner's own seat
    left = payload_of(events, "roleEventOccured", tcroom.RoleEvent, lambda r: r.event_type == 3 and r.role == 2)
    assert left.peer_id is not None and left.peer_id.startswith(ROOM_ID)
    room.goto_podium()
    payload_of(events, "roleEventOccured", tcroom.RoleEvent, lambda r: r.event_type == 1 and r.role == 2)


def test_podium_commands_need_a_role_conference(any_room: tcroom.Client) -> None:
    room = any_room
    room.create_conference("Flat", invite=[ALICE])
    alice = instance_of(room, ALICE)
    with pytest.raises(tcroom.RefusedError):
        room.invite_to_podium(alice)
    with pytest.raises(tcroom.RefusedError):
        room.kick_from_podium(alice)
    with pytest.raises(tcroom.InvalidArgumentError):
        room.invite_to_podium("")


# ---- media ----


MediaCase = tuple[str, Callable[[tcroom.Client, bool], None], Callable[[tcroom.Client], bool],
                  Callable[[tcroom.RoomState], Optional[bool]]]
MEDIA: dict[str, MediaCase] = {
    "microphone": ("audioCapturerMute", lambda r, m: r.set_mic_mute(m), lambda r: r.get_mic_mute(),
                   lambda s: s.mic_muted),
    "camera": ("videoCapturerMute", lambda r, m: r.set_video_mute(m), lambda r: r.get_video_mute(),
               lambda s: s.camera_muted),
    "speaker": ("audioRendererMute", lambda r, m: r.set_audio_mute(m), lambda r: r.get_audio_mute(),
                lambda s: s.speaker_muted),
}


@pytest.mark.parametrize("device", list(MEDIA))
def test_own_mute(any_room: tcroom.Client, device: str) -> None:
    room = any_room
    event, set_mute, get_mute, in_state = MEDIA[device]
    assert in_state(room.state) is False
    watch = room.watch(timeout=WAIT)
    assert next(watch).full
    events = room.events(timeout=WAIT)
    for mute in (True, False):
        set_mute(room, mute)
        assert payload_of(events, event, tcroom.MuteState).mute is mute
        assert in_state(room.state) is mute  # the state is current once the notification is seen
        assert get_mute(room) is mute
        change = next(watch)
        assert change.changed == ["own_media"] and not change.full and in_state(change.state) is mute


def test_volume_and_settings(any_room: tcroom.Client) -> None:
    room = any_room
    events = room.events(timeout=WAIT)
    assert room.state.volume == 1.0
    room.set_volume(0.25)
    setting = payload_of(events, "settingsChanged", tcroom.Setting)
    assert (setting.name, setting.value) == ("audioPlayLevel", 0.25)
    assert room.state.volume == 0.25 and room.get_volume() == 0.25
    settings = room.get_settings()
    values = {s.name: s.value for s in settings.settings}
    assert values["audioPlayLevel"] == 0.25 and values["agcEnable"] is False
    with pytest.raises(tcroom.InvalidArgumentError):
        room.set_volume(1.5)
    room.set_settings({"agcEnable": True, "autoAcceptPodiumFromOwner": True})
    changed = [payload_of(events, "settingsChanged", tcroom.Setting).name for _ in range(2)]
    assert changed == ["agcEnable", "autoAcceptPodiumFromOwner"]  # in name order
    for bad in ({"audioCapturerLevel": 0.3}, {"noSuchSetting": 1}, {"audioPlayLevel": "loud"}):
        with pytest.raises(tcroom.RefusedError):  # read-only under AGC, unknown, not a level
            room.set_settings(bad)


def test_remote_media(any_room: tcroom.Client) -> None:
    room = any_room
    events = room.events(timeout=WAIT)
    with pytest.raises(tcroom.RefusedError):
        room.turn_remote_mic(ALICE, False)  # outside a conference of ours
    conf = room.create_conference("Remote", invite=[ALICE])
    alice = instance_of(room, ALICE)
    room.turn_remote_mic(alice, False)
    status = payload_of(events, "deviceStatusReceived", tcroom.DeviceStatus)
    assert (status.peer_id, status.mic, status.conf_id) == (alice, 1, conf.conf_id)
    room.wait_for(has(alice, mic=1), WAIT)
    room.turn_remote_camera(alice, False)
    assert payload_of(events, "deviceStatusReceived", tcroom.DeviceStatus).video == 1
    room.wait_for(has(alice, video=1), WAIT)
    room.turn_remote_speaker(alice, False)  # answered; no notification is documented
    room.turn_remote_mic(alice, True)
    assert payload_of(events, "deviceStatusReceived", tcroom.DeviceStatus).mic == 2


# ---- devices ----


JABRA_MIC = "Microphone (Jabra SPEAK 510)"
REALTEK_MIC = "Microphone (Realtek Audio)"


def test_devices_select_plug_and_unplug(any_room: tcroom.Client, emu: Emulator) -> None:
    room = any_room
    events = room.events(timeout=WAIT)
    hw = room.get_hardware()
    assert isinstance(hw, tcroom.Hardware)
    assert [d.name for d in hw.microphones] == [JABRA_MIC, REALTEK_MIC]
    assert [d.name for d in hw.cameras] == ["Logitech PTZ Pro 2", "HD Pro Webcam C920"]
    assert hw.current_microphone is not None and hw.current_microphone.name == JABRA_MIC
    assert [c.id for c in hw.capture_sources] == [1, 132268]
    assert hw.raw["method"] == "getHardware"
    assert room.state.hardware == hw

    room.set_audio_capturer(REALTEK_MIC)
    changed = payload_of(events, "hardwareChanged", tcroom.Hardware)
    assert changed.current_microphone is not None and changed.current_microphone.name == REALTEK_MIC
    assert room.state.hardware == changed

    room.set_video_capturer("HD Pro Webcam C920")
    ptz = payload_of(events, "ptzControlsChanged", tcroom.PtzControls)
    assert ptz.camera_name == "HD Pro Webcam C920"
    assert room.state.ptz == ptz

    room.set_audio_renderer("none")
    s = room.wait_for(lambda s: bool(s.hardware and s.hardware.current_speaker
                                     and s.hardware.current_speaker.name == "none"), WAIT)
    assert s.hardware is not None and len(s.hardware.speakers) == 2

    emu.plug_device("speaker", "USB Headset", "usb-1234")
    plugged = payload_of(events, "hardwareChanged", tcroom.Hardware,
                         lambda h: any(d.name == "USB Headset" for d in h.speakers))
    assert [d.description for d in plugged.speakers if d.name == "USB Headset"] == ["usb-1234"]

    emu.unplug_device(REALTEK_MIC)  # the one in use: the first other takes over
    s = room.wait_for(lambda s: bool(s.hardware and all(d.name != REALTEK_MIC for d in s.hardware.microphones)), WAIT)
    assert s.hardware is not None and s.hardware.current_microphone is not None
    assert s.hardware.current_microphone.name == JABRA_MIC

    with pytest.raises(tcroom.RefusedError):
        emu.unplug_device("No such device")
    with pytest.raises(tcroom.RefusedError):
        room.set_audio_capturer("No such device")


# ---- layout, monitors, window ----


def test_layout(any_room: tcroom.Client) -> None:
    room = any_room
    events = room.events(timeout=WAIT)
    matrix = room.get_video_matrix()
    assert isinstance(matrix, tcroom.VideoMatrix)
    assert [p.peer_id for p in matrix.participants] == ["#self:0"] and matrix.matrix_type == 1
    assert (matrix.main_window_width, matrix.main_window_height) == (1920, 1080)

    room.create_conference("Layout", invite=[ALICE, MOD])
    alice, mod = instance_of(room, ALICE), instance_of(room, MOD)
    room.wait_for(lambda s: bool(s.video_matrix and len(s.video_matrix.participants) == 3), WAIT)

    room.change_video_matrix_type(4)
    changed = payload_of(events, "videoMatrixChanged", tcroom.VideoMatrix, lambda m: m.matrix_type == 4)
    assert room.state.video_matrix == changed
    before = [p.peer_id for p in changed.participants]
    assert before[0] == "#self:0" and sorted(before[1:]) == sorted([alice, mod])
    room.swap_video_slots("#self:0", alice)
    swapped = [alice if p == "#self:0" else "#self:0" if p == alice else p for p in before]
    room.wait_for(lambda s: bool(s.video_matrix and [p.peer_id for p in s.video_matrix.participants] == swapped), WAIT)
    room.change_video_matrix(0, [mod])
    s = room.wait_for(lambda s: bool(s.video_matrix and s.video_matrix.matrix_type == 0), WAIT)
    assert s.video_matrix is not None and s.video_matrix.participants[0].peer_id == mod
    room.hide_video_slot(alice)
    s = room.wait_for(lambda s: bool(s.video_matrix and alice in s.video_matrix.hidden_slots), WAIT)
    assert s.video_matrix is not None and alice not in [p.peer_id for p in s.video_matrix.participants]
    room.show_video_slot(alice)
    room.wait_for(lambda s: bool(s.video_matrix and alice not in s.video_matrix.hidden_slots), WAIT)
    with pytest.raises(tcroom.RefusedError):
        room.swap_video_slots(alice, alice)


def test_monitors_and_window(any_room: tcroom.Client) -> None:
    room = any_room
    events = room.events(timeout=WAIT)
    monitors = room.get_monitors_info()
    assert isinstance(monitors, tcroom.Monitors) and monitors.current_monitor == 0
    assert [(m.index, m.name, m.primary) for m in monitors.monitors] == [(0, "HDMI-1", True), (1, "HDMI-2", False)]
    first = monitors.monitors[0]
    assert first.geometry is not None and (first.geometry.width, first.geometry.height) == (1920, 1080)
    assert first.work_area is not None and first.work_area.height == 1040
    assert room.state.monitors == monitors

    room.create_conference("Screens", invite=[ALICE])
    alice = instance_of(room, ALICE)
    room.move_video_slot_to_monitor(alice, 1)
    moved = payload_of(events, "videoSlotMovedToMonitor", tcroom.ExternSlot)
    assert (moved.call_id, moved.monitor_index) == (alice, 1)
    s = room.wait_for(lambda s: bool(s.video_matrix and s.video_matrix.extern_slots), WAIT)
    assert s.video_matrix is not None and s.video_matrix.extern_slots[0].monitor_name == "HDMI-2"
    with pytest.raises(tcroom.RefusedError):
        room.move_video_slot_to_monitor(alice, 0)  # the main window's monitor
    room.remove_video_slot_from_monitor(1)
    assert payload_of(events, "videoSlotRemovedFromMonitor", tcroom.ExternSlot).monitor_index == 1
    room.wait_for(lambda s: bool(s.video_matrix and not s.video_matrix.extern_slots), WAIT)

    room.change_current_monitor(1)
    assert payload_of(events, "monitorsInfoUpdated", tcroom.Monitors).current_monitor == 1
    assert room.state.monitors is not None and room.state.monitors.current_monitor == 1

    assert room.state.window is None  # the room has no getter: known once it changed
    room.change_window_state(2, stay_on_top=True)
    window = payload_of(events, "windowStateChanged", tcroom.WindowState)
    assert (window.window_state, window.stay_on_top) == (2, True)
    assert room.state.window == window
    room.change_window_state(0)
    s = room.wait_for(lambda s: bool(s.window and s.window.window_state == 0), WAIT)
    assert s.window is not None and s.window.stay_on_top is False
    room.change_window_state(1)
    room.wait_for(lambda s: bool(s.window and s.window.window_state == 1), WAIT)
    room.restore_window()
    s = room.wait_for(lambda s: bool(s.window and s.window.window_state == 0), WAIT)
    assert s.window is not None and s.window.stay_on_top is False


# ---- PTZ ----


def test_ptz(any_room: tcroom.Client, emu: Emulator) -> None:
    room = any_room
    events = room.events(timeout=WAIT)
    ptz = room.get_ptz_controls()
    assert isinstance(ptz, tcroom.PtzControls) and ptz.camera_name == "Logitech PTZ Pro 2"
    assert ptz.pan is not None and (ptz.pan.support, ptz.pan.min, ptz.pan.max, ptz.pan.step) == (True, -100, 100, 10)
    assert ptz.zoom is not None and (ptz.zoom.min, ptz.zoom.max, ptz.zoom.current) == (100, 400, 100)
    assert room.state.ptz == ptz

    def axes(p: tcroom.PtzControls) -> tuple[Optional[int], Optional[int], Optional[int]]:
        return (p.pan.current if p.pan else None, p.tilt.current if p.tilt else None,
                p.zoom.current if p.zoom else None)

    for move, expected in ((room.ptz_right, (10, 0, 100)), (room.ptz_up, (10, 10, 100)),
                           (room.ptz_zoom_inc, (10, 10, 150)), (room.ptz_left, (0, 10, 150)),
                           (room.ptz_down, (0, 0, 150)), (room.ptz_zoom_dec, (0, 0, 100))):
        move()
        assert axes(payload_of(events, "ptzControlsChanged", tcroom.PtzControls)) == expected
    room.set_pan_pos(-100)
    room.set_tilt_pos(100)
    room.set_zoom_pos(400)
    room.ptz_left()  # at the limit: clamped, still announced
    s = room.wait_for(lambda s: s.ptz is not None and axes(s.ptz) == (-100, 100, 400), WAIT)
    assert s.ptz is not None
    room.ptz_stop()
    room.set_ptz_defaults()
    room.wait_for(lambda s: s.ptz is not None and axes(s.ptz) == (0, 0, 100), WAIT)

    # Out of the known range: refused before any round trip (the room would drop the socket).
    for method in ("setPanPos", "setTiltPos", "setZoomPos"):
        emu.faults.close_on(method)
    with pytest.raises(tcroom.InvalidArgumentError, match="range -100..=100"):
        room.set_pan_pos(500)
    with pytest.raises(tcroom.InvalidArgumentError, match="tilt"):
        room.set_tilt_pos(-101)
    with pytest.raises(tcroom.InvalidArgumentError, match="zoom"):
        room.set_zoom_pos(50)
    emu.faults.clear()
    assert room.is_connected
    room.set_pan_pos(100)
    room.wait_for(lambda s: s.ptz is not None and axes(s.ptz)[0] == 100, WAIT)


def test_ptz_without_a_camera(any_room: tcroom.Client, emu: Emulator) -> None:
    room = any_room
    for camera in ("Logitech PTZ Pro 2", "HD Pro Webcam C920"):
        emu.unplug_device(camera)
    s = room.wait_for(lambda s: s.ptz is not None and s.ptz.pan is not None and not s.ptz.pan.support, WAIT)
    assert s.ptz is not None and s.ptz.camera_name == "none"
    with pytest.raises(tcroom.RefusedError):
        room.ptz_left()
    with pytest.raises(tcroom.RefusedError):  # no known range: the room decides
        room.set_pan_pos(500)


# ---- chat, app messages, myEvent ----


def test_chat(any_room: tcroom.Client, emu: Emulator) -> None:
    room = any_room
    events = room.events(timeout=WAIT)
    room.send_message(ALICE, "hello alice")
    sent = payload_of(events, "chatMessageSent", tcroom.ChatMessage)
    assert (sent.peer_id, sent.message) == (ALICE, "hello alice")

    emu.user_message(ALICE, "hello room")
    got = payload_of(events, "incomingChatMessage", tcroom.ChatMessage)
    assert (got.peer_id, got.display_name, got.message, got.chat_id) == (ALICE, "alice", "hello room", ALICE)
    assert isinstance(got.time, int) and got.time > 0

    conf = room.create_conference("Chatty", invite=[ALICE])
    instance_of(room, ALICE)
    room.send_group_message("hello everyone")
    group = payload_of(events, "groupChatMessageSent", tcroom.ChatMessage)
    assert (group.message, group.conf_id) == ("hello everyone", conf.conf_id)
    emu.user_message(ALICE, "hi all", group=True)
    got = payload_of(events, "incomingGroupChatMessage", tcroom.ChatMessage)
    assert (got.message, got.conf_id, got.chat_id) == ("hi all", conf.conf_id, conf.conf_id)
    with pytest.raises(tcroom.InvalidArgumentError):
        room.send_message("", "to nobody")


def test_app_commands(any_room: tcroom.Client, emu: Emulator) -> None:
    room = any_room
    events = room.events(timeout=WAIT)
    with pytest.raises(tcroom.RefusedError):
        room.send_command(ALICE, "next-slide")  # not in a call or conference
    conf = room.create_conference("Apps", invite=[ALICE])
    alice = instance_of(room, ALICE)
    room.send_command(ALICE, "next-slide")
    sent = payload_of(events, "commandSent", tcroom.AppCommand)
    assert (sent.peer_id, sent.command, sent.conf_id) == (alice, "next-slide", conf.conf_id)
    emu.user_command(ALICE, "lights-off")
    got = payload_of(events, "commandReceived", tcroom.AppCommand)
    assert (got.peer_id, got.command) == (ALICE, "lights-off")


def test_my_event_reaches_every_connection(any_room: tcroom.Client, emu: Emulator) -> None:
    with tcroom.Client.connect(emu.host, ws_port=emu.ws_port, pin=PIN, role="user") as other:
        any_room.fire_my_event("scene:presentation")
        for room in (any_room, other):
            assert payload_of(room.events(timeout=WAIT), "myEvent", tcroom.MyEvent).data == "scene:presentation"


# ---- content ----


def test_content_sharing(any_room: tcroom.Client) -> None:
    room = any_room
    events = room.events(timeout=WAIT)
    desktop, slides = room.get_hardware().capture_sources
    room.start_capture(desktop.id)
    started = payload_of(events, "dsStarted", tcroom.ContentCapture)
    assert (started.capture_id, started.name) == (desktop.id, "Desktop 1")
    assert room.state.content == started
    room.start_capture(slides.id)  # the running one stops first
    assert payload_of(events, "dsStopped", tcroom.ContentCapture).capture_id == desktop.id
    assert payload_of(events, "dsStarted", tcroom.ContentCapture).capture_id == slides.id
    room.stop_capture()
    payload_of(events, "dsStopped", tcroom.ContentCapture)
    assert room.state.content is None
    with pytest.raises(tcroom.RefusedError):
        room.start_capture(999)


# ---- server and login ----


def test_server_and_login(any_room: tcroom.Client, emu: Emulator) -> None:
    room = any_room
    events = room.events(timeout=WAIT)
    link = room.get_connected()
    assert isinstance(link, tcroom.ConnectionInfo) and link.state == 2
    assert link.server_info is not None and link.server_info.server == "some.server"
    login = room.get_login()
    assert (login.is_logged_in, login.peer_id, login.display_name) == (True, ROOM_ID, "Room")
    assert login.raw["login"] == "room"  # a field the record does not name: kept in raw
    assert room.state.login is not None and room.state.login.is_logged_in

    room.logout()
    s = room.wait_for(lambda s: s.app_state == tcroom.AppState.LOGIN, WAIT)
    assert s.login is not None and s.login.is_logged_in is False
    assert s.server_state == 2  # still linked to the server
    room.login("room", "secret")
    s = room.wait_for(lambda s: s.app_state == NORMAL, WAIT)
    assert s.login is not None and s.login.is_logged_in and s.own_peer_id == ROOM_ID

    emu.drop_server()
    gone = payload_of(events, "serverDisconnected", tcroom.ServerInfo)
    assert gone.server == "some.server"
    s = room.wait_for(lambda s: s.app_state == tcroom.AppState.NONE, WAIT)
    assert s.server_state == 0
    assert room.get_connected().state == 0
    with pytest.raises(tcroom.RefusedError):
        room.call(ALICE)  # no server

    room.connect_to_server("some.server")
    back = payload_of(events, "serverConnected", tcroom.ServerInfo)
    assert (back.server, back.port, back.domain) == ("some.server", 4307, "some.server")
    s = room.wait_for(lambda s: s.app_state == tcroom.AppState.LOGIN, WAIT)
    assert s.server_state == 2 and s.server == back


# ---- the embedded HTTP server's token ----


def test_http_token(any_room: tcroom.Client, emu: Emulator) -> None:
    room = any_room
    first, second = room.get_token_for_http_server(), room.get_token_for_http_server()
    assert first and second and first != second  # a new one each time
    assert room.state.http_port == emu.http_port

    def fetch(token: str) -> int:
        query = urllib.parse.urlencode({"peerId": "#self:0", "token": token})
        try:
            with urllib.request.urlopen(f"http://{emu.host}:{emu.http_port}/frames/?{query}", timeout=WAIT) as r:
                assert r.headers["Content-Type"] == "image/jpeg"
                status: int = r.status
                return status
        except urllib.error.HTTPError as e:
            e.close()
            return e.code

    assert fetch(second) == 200
    emu.expire_http_tokens()
    assert fetch(second) == 403
    assert room.frame()[:2] == b"\xff\xd8"  # the client fetches a new token by itself


# ---- the emulator's controls themselves ----


def test_controls_also_work_over_the_websocket(any_room: tcroom.Client) -> None:
    reply = any_room.request("emulator.incomingCall", peerId=ALICE)
    assert reply["result"] is True and reply["peerId"] == ALICE
    assert any_room.wait_for(lambda s: s.incoming_call is not None, WAIT).incoming_call is not None


def test_control_refusals(emu: Emulator) -> None:
    with pytest.raises(tcroom.RefusedError) as e:
        emu.control("noSuchAction")
    assert e.value.method == "emulator.noSuchAction"
    assert e.value.room_error is not None and "incomingCall" in e.value.room_error  # lists the actions
    assert e.value.reply == {"method": "emulator.noSuchAction", "result": False, "error": e.value.room_error}
    with pytest.raises(tcroom.RefusedError, match="unknown parameter 'bogus'"):
        emu.control("incomingCall", peerId=ALICE, bogus=1)
    with pytest.raises(tcroom.RefusedError):
        emu.remote_hang_up()  # no call
    with pytest.raises(tcroom.RefusedError):
        emu.control("plugDevice", {"kind": "toaster", "name": "Toaster"})
    with pytest.raises(tcroom.InvalidArgumentError):
        emu.control(1)  # type: ignore[arg-type]
    assert emu.control("expireHttpTokens") == {"result": True}


def test_controls_need_the_shared_room() -> None:
    with Emulator(isolated_rooms=True) as emu:
        with pytest.raises(tcroom.RefusedError, match="isolated rooms"):
            emu.incoming_call(ALICE)
        with tcroom.Client.connect(emu.host, ws_port=emu.ws_port) as room:
            room.request("emulator.incomingCall", peerId=ALICE)  # on the connection: its own room
            assert room.wait_for(lambda s: s.incoming_call is not None, WAIT).incoming_call is not None


def test_controls_after_stop() -> None:
    emu = Emulator()
    emu.stop()
    with pytest.raises(tcroom.ClosedError):
        emu.expire_http_tokens()


def test_calls_ring_for_the_ring_time(kind: str) -> None:
    with Emulator(ring_time=0.2, users=[User(CAROL, answer="none")]) as emu, connect_any(kind, emu) as room:
        events = room.events(timeout=WAIT)
        emu.incoming_call(ALICE)
        # Nobody answers: the call stops ringing by itself and counts as missed.
        stopped = payload_of(events, "stopCalling", tcroom.CallStopped)
        assert stopped.side == 1
        room.wait_for(lambda s: s.incoming_call is None, WAIT)
        assert room.get_call_history(1).calls[0].call_type == 2
        room.call(CAROL)
        assert next_named(events, "rejectReceived").cause == 16  # no answer


def test_testing_arguments_are_checked() -> None:
    with pytest.raises(tcroom.InvalidArgumentError):
        Emulator(ring_time=-1)
    with pytest.raises(tcroom.InvalidArgumentError):
        Emulator(conferences=[{"id": "x"}])  # type: ignore[list-item]
    with pytest.raises(tcroom.InvalidArgumentError):
        Emulator(users=[User(ALICE, podium_answer="maybe")])  # type: ignore[arg-type]

