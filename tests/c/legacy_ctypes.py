#!/usr/bin/env python3
"""A legacy host: Python's ctypes loads libtcroom.so and drives a conference through the poll
API only (no callback ever crosses into Python), the way a Delphi, VB or C# host that cannot take
calls on foreign threads would. Usage: legacy_ctypes.py PATH/TO/libtcroom.so, with TC_HOST,
TC_WS_PORT and TC_PIN in the environment (tests/c/run.sh sets them)."""

import ctypes
import json
import os
import select
import sys
import time
from ctypes import POINTER, byref, c_char_p, c_int, c_int32, c_size_t, c_uint16, c_uint32, c_void_p

OK, INVALID_UTF8, TIMEOUT, DISCONNECTED = 0, 3, 6, 7
CONF_ROLE = 3
KIND_NEW_PARTICIPANT, KIND_PRESENCE, KIND_CONFERENCE_DELETED, KIND_DISCONNECTED = 4, 6, 3, 18


class ConferenceParams(ctypes.Structure):
    """tc_conference_params, field for field."""

    _fields_ = [
        ("struct_size", c_size_t),
        ("title", c_char_p),
        ("conf_type", c_int32),
        ("auto_accept", c_int),
        ("invite_list", POINTER(c_char_p)),
        ("invite_count", c_size_t),
        ("casters_count", c_uint32),
        ("use_waiting_room", c_int),
        ("mute_cam_on_join", c_int),
        ("mute_mic_on_join", c_int),
        ("smart_meeting", c_int),
    ]


def load(path):
    lib = ctypes.CDLL(path)
    protos = {
        "tc_version": (c_char_p, []),
        "tc_status_str": (c_char_p, [c_int32]),
        "tc_last_error": (c_int32, [c_char_p, c_size_t, POINTER(c_size_t)]),
        "tc_string_free": (None, [c_void_p]),
        "tc_client_options_new": (c_int32, [POINTER(c_void_p)]),
        "tc_client_options_set_host": (c_int32, [c_void_p, c_char_p]),
        "tc_client_options_set_ws_port": (c_int32, [c_void_p, c_uint16]),
        "tc_client_options_set_pin": (c_int32, [c_void_p, c_char_p]),
        "tc_client_options_free": (None, [c_void_p]),
        "tc_client_new": (c_int32, [c_void_p, POINTER(c_void_p)]),
        "tc_client_connect": (c_int32, [c_void_p, c_uint32]),
        "tc_client_close": (c_int32, [c_void_p]),
        "tc_client_free": (c_int32, [c_void_p]),
        "tc_client_event_fd": (c_int32, [c_void_p, POINTER(c_int32)]),
        "tc_client_next_event": (c_int32, [c_void_p, c_uint32, POINTER(c_void_p)]),
        "tc_event_name": (c_char_p, [c_void_p]),
        "tc_event_get_kind": (c_int32, [c_void_p]),
        "tc_event_json": (c_char_p, [c_void_p]),
        "tc_event_peer_id": (c_char_p, [c_void_p]),
        "tc_event_get_bool": (c_int32, [c_void_p, c_char_p, POINTER(c_int)]),
        "tc_event_free": (None, [c_void_p]),
        "tc_conference_params_init": (c_int32, [POINTER(ConferenceParams), c_size_t]),
        "tc_create_conference_wait": (c_int32, [c_void_p, POINTER(ConferenceParams), c_uint32, POINTER(c_void_p)]),
        "tc_conference_id": (c_char_p, [c_void_p]),
        "tc_conference_join_url": (c_char_p, [c_void_p]),
        "tc_conference_waiting_room_enabled": (c_int, [c_void_p]),
        "tc_conference_free": (None, [c_void_p]),
        "tc_client_set_participant_presence_in_waiting_room": (c_int32, [c_void_p, c_char_p, c_int, c_uint32, POINTER(c_void_p)]),
        "tc_client_request_json": (c_int32, [c_void_p, c_char_p, c_char_p, c_uint32, POINTER(c_void_p)]),
        "tc_client_hang_up": (c_int32, [c_void_p, c_int, c_uint32]),
        "tc_shutdown": (c_int32, []),
    }
    for name, (restype, argtypes) in protos.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


def main():
    lib = load(sys.argv[1])
    assert lib.tc_version().decode().count(".") == 2

    def check(status, what):
        if status != OK:
            buf = ctypes.create_string_buffer(1024)
            lib.tc_last_error(buf, len(buf), None)
            raise SystemExit(f"{what}: {lib.tc_status_str(status).decode()}: {buf.value.decode()}")

    def take_string(ptr):
        try:
            return ctypes.string_at(ptr.value).decode()
        finally:
            lib.tc_string_free(ptr)

    opts = c_void_p()
    check(lib.tc_client_options_new(byref(opts)), "options")
    # Invalid UTF-8 from a legacy code page is refused with a clear status.
    assert lib.tc_client_options_set_host(opts, b"r\xe9union") == INVALID_UTF8
    check(lib.tc_client_options_set_host(opts, os.environ["TC_HOST"].encode()), "host")
    check(lib.tc_client_options_set_ws_port(opts, int(os.environ["TC_WS_PORT"])), "ws port")
    check(lib.tc_client_options_set_pin(opts, os.environ["TC_PIN"].encode()), "pin")
    client = c_void_p()
    check(lib.tc_client_new(opts, byref(client)), "client")
    lib.tc_client_options_free(opts)
    check(lib.tc_client_connect(client, 5000), "connect")
    fd = c_int32(-1)
    check(lib.tc_client_event_fd(client, byref(fd)), "event fd")

    params = ConferenceParams()
    check(lib.tc_conference_params_init(byref(params), ctypes.sizeof(params)), "params init")
    invitees = [b"alice@some.server", b"bob@some.server"]
    params.title = b"From a legacy host"
    params.conf_type = CONF_ROLE
    params.invite_list = (c_char_p * len(invitees))(*invitees)
    params.invite_count = len(invitees)
    params.use_waiting_room = 1
    conf = c_void_p()
    check(lib.tc_create_conference_wait(client, byref(params), 5000, byref(conf)), "create conference")
    conf_id = lib.tc_conference_id(conf).decode()
    assert lib.tc_conference_join_url(conf).decode().startswith("http")
    assert lib.tc_conference_waiting_room_enabled(conf) == 1
    lib.tc_conference_free(conf)

    # The host's own loop: wait on the descriptor, then take events without blocking.
    admitted, seen = set(), []
    deadline = time.monotonic() + 10
    while len(admitted) < len(invitees) and time.monotonic() < deadline:
        readable, _, _ = select.select([fd.value], [], [], 1.0)
        if not readable:
            continue
        ev = c_void_p()
        status = lib.tc_client_next_event(client, 0, byref(ev))
        assert status == OK, f"fd readable but next_event gave {status}"
        kind, peer = lib.tc_event_get_kind(ev), lib.tc_event_peer_id(ev)
        seen.append(lib.tc_event_name(ev).decode())
        json.loads(lib.tc_event_json(ev).decode())
        waiting = c_int(-1)
        if kind == KIND_PRESENCE and lib.tc_event_get_bool(ev, b"isInWaitingRoom", byref(waiting)) == OK:
            if waiting.value == 1:
                check(lib.tc_client_set_participant_presence_in_waiting_room(client, peer, 0, 0, None), "admit")
            else:
                admitted.add(peer.decode().split("/")[0])
        lib.tc_event_free(ev)
    assert admitted == {i.decode() for i in invitees}, (admitted, seen)

    reply = c_void_p()
    check(lib.tc_client_request_json(client, b"getConferenceParticipants", None, 0, byref(reply)), "json")
    participants = json.loads(take_string(reply))["participants"]
    assert sum(1 for p in participants if not p["isInWaitingRoom"]) >= 2, participants

    check(lib.tc_client_hang_up(client, 1, 0), "hang up")

    def drain(timeout_ms, until=None):
        """Kinds of the events taken, up to `until` or until the poll stops giving events."""
        kinds, ev = [], c_void_p()
        while True:
            status = lib.tc_client_next_event(client, timeout_ms, byref(ev))
            if status != OK:
                return kinds, status
            kinds.append(lib.tc_event_get_kind(ev))
            lib.tc_event_free(ev)
            if kinds[-1] == until:
                return kinds, status

    kinds, status = drain(5000, until=KIND_CONFERENCE_DELETED)
    assert status == OK and kinds[-1] == KIND_CONFERENCE_DELETED, (kinds, status)
    check(lib.tc_client_close(client), "close")
    kinds, status = drain(5000)
    assert status == DISCONNECTED and kinds and kinds[-1] == KIND_DISCONNECTED, (kinds, status)
    check(lib.tc_client_free(client), "free")
    check(lib.tc_shutdown(), "shutdown")
    print(f"legacy_ctypes: ok (conference {conf_id}, events seen: {len(seen)})")


if __name__ == "__main__":
    main()
