"""Video frames from the room's embedded HTTP server: ``frame()`` and ``frames()``, the token
fetched and refreshed by the client."""

from __future__ import annotations

import pytest

import tcroom
from tcroom.testing import Emulator

from conftest import ALICE, PIN, WAIT, connect_any, run

SOI = b"\xff\xd8"
EOI = b"\xff\xd9"
FRAMES_BOUND = 60
"""How many frames a test reads at most while waiting for one that differs: the emulator's
frames change every second, and these are read at 20 per second."""


def is_jpeg(data: bytes) -> bool:
    return isinstance(data, bytes) and data.startswith(SOI) and data.endswith(EOI)


def test_frame_of_our_camera_and_of_a_participant(any_room: tcroom.Client) -> None:
    room = any_room
    own = room.frame()  # "#self:0", the room's camera
    assert is_jpeg(own) and len(own) < 1024
    assert is_jpeg(room.frame("#self:0", timeout=WAIT))
    room.create_conference("Faces", invite=[ALICE])
    s = room.wait_for(lambda s: bool(s.video_matrix and len(s.video_matrix.participants) == 2), WAIT)
    assert s.video_matrix is not None
    slot = s.video_matrix.participants[1].peer_id
    assert slot.startswith(ALICE)
    theirs = room.frame(slot)
    assert is_jpeg(theirs) and theirs != room.frame()  # frames of two slots differ


def test_frame_errors(any_room: tcroom.Client) -> None:
    with pytest.raises(tcroom.RefusedError, match="404"):
        any_room.frame("nobody@some.server/0")  # not a slot of the layout
    with pytest.raises(tcroom.InvalidArgumentError):
        any_room.frame("#self:0", timeout=-1)
    assert is_jpeg(any_room.frame())  # still usable


def test_frames_yield_distinct_frames(any_room: tcroom.Client) -> None:
    frames = any_room.frames("#self:0", fps=20)
    first = next(frames)
    assert is_jpeg(first)
    for _, frame in zip(range(FRAMES_BOUND), frames):
        assert is_jpeg(frame)
        if frame != first:
            break
    else:
        pytest.fail(f"{FRAMES_BOUND} frames, all the same")


def test_frames_rate_is_checked(any_room: tcroom.Client) -> None:
    for fps in (0, -1, 61, 1000):
        with pytest.raises(tcroom.InvalidArgumentError):
            any_room.frames("#self:0", fps=fps)


def test_expired_tokens_are_replaced(any_room: tcroom.Client, emu: Emulator) -> None:
    room = any_room
    assert is_jpeg(room.frame())
    emu.expire_http_tokens()
    assert is_jpeg(room.frame())  # a 403, a new token, the frame: all inside one call
    frames = room.frames("#self:0", fps=20)
    assert is_jpeg(next(frames))
    emu.expire_http_tokens()
    assert is_jpeg(next(frames)) and is_jpeg(next(frames))


def test_tokens_that_run_out_by_themselves(kind: str) -> None:
    # Without a PIN, tokens live as long as the scenario says.
    with Emulator(http_token_lifetime=0.05) as emu, connect_any(kind, emu) as room:
        token = room.get_token_for_http_server()
        frames = room.frames("#self:0", fps=10)
        for _ in range(5):  # at least a third of them after the token it started with ran out
            assert is_jpeg(next(frames))
        assert is_jpeg(room.frame())
        assert room.get_token_for_http_server() != token


def test_frames_end_when_the_client_closes(kind: str, emu: Emulator) -> None:
    with connect_any(kind, emu) as room:
        frames = room.frames("#self:0", fps=20)
        assert is_jpeg(next(frames))
        room.close()
        assert list(frames) == []
        with pytest.raises(tcroom.ClosedError):
            room.frame()


def test_async_for_over_frames(emu: Emulator) -> None:
    async def body() -> None:
        async with tcroom.AsyncClient.connect(emu.host, ws_port=emu.ws_port, pin=PIN) as room:
            got: list[bytes] = []
            async for frame in room.frames(fps=30):
                assert is_jpeg(frame)
                got.append(frame)
                if len(got) == 3:
                    break
            assert is_jpeg(await room.frame())

    run(body())
