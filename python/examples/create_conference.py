"""Create a conference and watch the invitees answer (blocking style).

    python create_conference.py                          # against an in-process emulator
    python create_conference.py HOST [--port 80] [--pin 1234] [--invite user1@server ...]
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import Iterator, Optional

import tcroom
from tcroom.testing import Emulator, User

DEMO_INVITEES = ["user1@some.server", "user2@some.server"]


@contextlib.contextmanager
def room_address(host: Optional[str], port: Optional[int], pin: Optional[str]) -> Iterator[tuple[str, Optional[int], Optional[str]]]:
    """The room to use: the one given, or an emulator whose invitees join (user2 is busy)."""
    if host is not None:
        yield host, port, pin
        return
    users = [User("user1@some.server", answer="join", delay=0.1), User("user2@some.server", answer="reject", cause=2)]
    with Emulator(pin="1234", users=users) as emu:
        yield emu.host, emu.web_port, "1234"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("host", nargs="?", help="the room's address (default: start an emulator)")
    ap.add_argument("--port", type=int, help="the room's web manager port (default 80)")
    ap.add_argument("--pin")
    ap.add_argument("--title", default="Daily stand-up")
    ap.add_argument("--invite", nargs="*", default=None, help="PeerIds or CallIds to invite")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the answers")
    args = ap.parse_args()
    invitees: list[str] = args.invite if args.invite is not None else DEMO_INVITEES

    with room_address(args.host, args.port, args.pin) as (host, port, pin):
        with tcroom.Client.connect(host, port=port, pin=pin) as room:
            conf = room.create_conference(args.title, conf_type="symmetric", invite=invitees)
            print(f"conference {conf.conf_id} started: {conf.join_url}")
            waiting = {peer.split("/")[0] for peer in invitees}
            try:
                for ev in room.events(timeout=args.timeout):
                    peer = (ev.peer_id or "").split("/")[0]
                    if ev.name == "newParticipantInConference" and peer in waiting:
                        print(f"{peer} joined")
                        waiting.discard(peer)
                    elif ev.name == "rejectReceived" and peer in waiting:
                        print(f"{peer} declined: {ev.cause_text}")
                        waiting.discard(peer)
                    if not waiting:
                        break
            except tcroom.TimeoutError:
                print(f"no answer from {', '.join(sorted(waiting))}")
            print(f"{len(room.get_conference_participants())} in the conference")
            room.hang_up(for_all=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except tcroom.Error as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
