"""Values and events built from partial or unexpected data; the README's testing example."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

import tcroom

README = Path(__file__).resolve().parent.parent / "README.md"


def test_unknown_app_state_keeps_its_number() -> None:
    s = tcroom.AppState(9)
    assert int(s) == 9 and s.name == "UNKNOWN_9"
    assert tcroom.AppState(5) is tcroom.AppState.CONFERENCE


def test_event_fields_are_optional() -> None:
    ev = tcroom.Event("custom", {"method": "event", "event": "custom"})
    assert (ev.conf_id, ev.peer_id, ev.cause, ev.app_state, ev.conference, ev.participant) == (None,) * 6
    assert repr(ev) == "Event('custom')"


def test_conference_from_partial_data() -> None:
    c = tcroom.Conference._from({"conf_id": "c1", "conf_type": "lecture"})
    assert c.conf_id == "c1" and c.conf_type is None and c.raw == {}
    assert not c.waiting_room_enabled and c.max_podium is None


def test_exceptions_are_catchable_as_builtins() -> None:
    assert issubclass(tcroom.TimeoutError, TimeoutError)
    assert issubclass(tcroom.ConnectError, ConnectionError)
    assert issubclass(tcroom.DisconnectedError, ConnectionError)
    assert issubclass(tcroom.InvalidArgumentError, ValueError)
    for cls in (tcroom.AuthError, tcroom.RefusedError, tcroom.ProtocolError, tcroom.ClosedError,
                tcroom.DiscoveryError):
        assert issubclass(cls, tcroom.Error)
    e = tcroom.RefusedError("refused", room_error="no", reply={"result": False})
    assert e.room_error == "no" and str(e) == "refused"


def test_readme_testing_example_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    [code] = [b for b in blocks if "def test_my_meeting_bot" in b]
    namespace: dict[str, Any] = {}
    exec(compile(code, str(README), "exec"), namespace)
    test: Callable[[], None] = namespace["test_my_meeting_bot"]
    test()
