"""The examples of the README run as written, against their in-process emulator."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import tcroom
from tcroom.testing import Emulator

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize("script", ["create_conference.py", "create_conference_async.py"])
def test_example(script: str) -> None:
    p = subprocess.run([sys.executable, "-X", "dev", "-W", "error", str(EXAMPLES / script)],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    # (the async example's inviteSent callback may print before the start is reported)
    assert any(line.startswith("conference ") and " started: http" in line for line in lines)
    assert "user1@some.server joined" in lines
    assert "user2@some.server declined: busy" in lines
    assert lines[-1] == "2 in the conference"
    assert p.stderr == ""


# The room-control examples: each line a person would look for, in the order it comes.
ROOM_CONTROL_EXAMPLES = {
    "touch_panel.py": [
        "panel: app state: normal; in call: no; mic: on; camera: on; speaker: on; incoming call: none",
        "button: m",
        "mic: muted",
        "button: c",
        "camera: off",
        "incoming call: user1@some.server (user1)",
        "button: a",
        "in call: yes (user1@some.server)",
        "button: m",
        "mic: on",
        "in call: no",
        "button: q",
        "panel: closed",
    ],
    "auto_answer.py": [
        "answering calls from user1@some.server, boss; rejecting the rest",
        "call from user1@some.server (user1)",
        "accepted: in a call with user1@some.server",
        "call ended",
        "call from user2@some.server (user2)",
        "rejected user2@some.server",
        "invitation to 'Weekly sync' from boss@other.server (boss)",
        "accepted: in Weekly sync with boss@other.server",
        "call ended",
        "accepted 2, rejected 1",
    ],
}


@pytest.mark.parametrize("script", list(ROOM_CONTROL_EXAMPLES))
def test_room_control_example(script: str) -> None:
    p = subprocess.run([sys.executable, "-X", "dev", "-W", "error", str(EXAMPLES / script)],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stderr == ""
    lines = iter(p.stdout.splitlines())
    for expected in ROOM_CONTROL_EXAMPLES[script]:
        # In this order, each in a line of its own or within one (the panel merges changes).
        assert any(expected in line for line in lines), f"{expected!r} missing from:\n{p.stdout}"
    assert p.stdout.splitlines()[-1] == ROOM_CONTROL_EXAMPLES[script][-1]


def test_every_example_is_run_here() -> None:
    tested = {"create_conference.py", "create_conference_async.py", *ROOM_CONTROL_EXAMPLES}
    assert {p.name for p in EXAMPLES.glob("*.py")} == tested


def test_readme_room_control_testing_example_runs() -> None:
    readme = (EXAMPLES.parent / "README.md").read_text()
    [code] = [b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "def test_my_panel_answers" in b]
    namespace: dict[str, object] = {"tcroom": tcroom, "Emulator": Emulator}
    exec(compile(code, "README.md", "exec"), namespace)
    test = namespace["test_my_panel_answers"]
    assert callable(test)
    test()
