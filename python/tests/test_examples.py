"""The examples of the README run as written, against their in-process emulator."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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
