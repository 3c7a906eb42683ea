"""A touch panel for a meeting room (blocking style): it follows the room's live state with
``room.watch()`` and shows each change (app state, call, microphone, camera, speaker, a ringing
call); its buttons mute and unmute, answer, decline and hang up.

    python touch_panel.py                       # a demo against an in-process emulator
    python touch_panel.py --host 192.0.2.10     # a real room; the PIN from --pin or TCROOM_PIN

With a real room, type a button and Enter: m (microphone), c (camera), s (speaker),
a (answer), d (decline), h (hang up), q (quit).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from typing import Callable, Optional

import tcroom
from tcroom.testing import Emulator

CALLER = "user1@some.server"


def view(s: tcroom.RoomState) -> dict[str, str]:
    """What the panel shows, item by item."""
    conf = s.conference
    who = (conf.peer_id or conf.title or conf.conf_id) if conf is not None else ""
    call = s.incoming_call
    return {
        "app state": s.app_state.name.lower() if s.app_state is not None else "unknown",
        "in call": f"yes ({who})" if s.in_call and conf is not None else "no",
        "mic": "muted" if s.mic_muted else "on",
        "camera": "off" if s.camera_muted else "on",
        "speaker": "muted" if s.speaker_muted else "on",
        "incoming call": f"{call.peer_id} ({call.display_name})" if call is not None else "none",
    }


class Panel:
    """The screen (``show``, one line per change) and the buttons (``press``)."""

    def __init__(self, room: tcroom.Client) -> None:
        self.room = room
        self._shown: dict[str, str] = {}
        self._changed = threading.Condition()

    def show(self, change: tcroom.StateChange) -> None:
        now = view(change.state)
        parts = [f"{k}: {v}" for k, v in now.items() if change.full or self._shown.get(k) != v]
        if parts:
            print("panel: " + "; ".join(parts), flush=True)
        with self._changed:
            self._shown = now
            self._changed.notify_all()

    def shows(self, item: str, check: Callable[[str], bool], timeout: float = 10.0) -> None:
        """Waits until the panel shows ``item`` as ``check`` wants it (what a person would
        wait for before pressing the next button)."""
        with self._changed:
            if not self._changed.wait_for(lambda: item in self._shown and check(self._shown[item]), timeout):
                raise TimeoutError(f"the panel did not show the {item} as expected within {timeout} s")

    def press(self, button: str) -> None:
        room, s = self.room, self.room.state
        actions: dict[str, Callable[[], None]] = {
            "m": lambda: room.set_mic_mute(not s.mic_muted),
            "c": lambda: room.set_video_mute(not s.camera_muted),
            "s": lambda: room.set_audio_mute(not s.speaker_muted),
            "a": room.accept,
            "d": room.reject,
            "h": room.hang_up,
            "q": room.close,
        }
        action = actions.get(button)
        if action is None:
            print(f"button {button!r}? m c s a d h q", flush=True)
            return
        print(f"button: {button}", flush=True)
        try:
            action()
        except tcroom.RefusedError as e:
            print(f"the room said no: {e.room_error}", flush=True)
        except tcroom.Error as e:
            print(f"error: {e}", flush=True)

    def run(self) -> None:
        """Shows every change until the client is closed."""
        for change in self.room.watch():
            self.show(change)
        print("panel: closed", flush=True)


def demo(panel: Panel, emu: Emulator) -> None:
    """What people do in the demo: press buttons when the panel shows what they wait for;
    someone calls the room, and later hangs up."""
    panel.shows("app state", lambda v: v == "normal")
    panel.press("m")
    panel.shows("mic", lambda v: v == "muted")
    panel.press("c")
    panel.shows("camera", lambda v: v == "off")
    emu.incoming_call(CALLER)  # someone calls the room
    panel.shows("incoming call", lambda v: v.startswith(CALLER))
    panel.press("a")
    panel.shows("in call", lambda v: v.startswith("yes"))
    panel.press("m")
    panel.shows("mic", lambda v: v == "on")
    emu.remote_hang_up()  # the caller hangs up
    panel.shows("in call", lambda v: v == "no")
    panel.shows("app state", lambda v: v == "normal")
    panel.press("q")


def read_buttons(panel: Panel) -> None:
    for line in sys.stdin:
        if line.strip():
            panel.press(line.strip()[0])
        if panel.room.closed:
            return
    panel.press("q")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", help="the room's address (default: a demo against an emulator)")
    ap.add_argument("--port", type=int, help="the room's web manager port (default 80)")
    ap.add_argument("--pin", default=os.environ.get("TCROOM_PIN"), help="the room's PIN (default: $TCROOM_PIN)")
    args = ap.parse_args()

    emu: Optional[Emulator] = None
    if args.host is None:
        emu = Emulator(pin="1234")
        host, port, pin = emu.host, emu.web_port, "1234"
    else:
        host, port, pin = args.host, args.port, args.pin
    try:
        with tcroom.Client.connect(host, port=port, pin=pin) as room:
            panel = Panel(room)
            if emu is None:
                threading.Thread(target=read_buttons, args=(panel,), name="buttons", daemon=True).start()
                panel.run()
                return 0
            failed: list[BaseException] = []

            def run_demo() -> None:
                try:
                    demo(panel, emu)
                except BaseException as e:  # noqa: BLE001 - reported by the main thread
                    failed.append(e)
                    room.close()  # ends the panel

            driver = threading.Thread(target=run_demo, name="demo")
            driver.start()
            panel.run()
            driver.join()
            if failed:
                raise failed[0]
    finally:
        if emu is not None:
            emu.stop()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except tcroom.Error as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
