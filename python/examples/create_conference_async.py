"""Create a conference and watch the invitees answer (asyncio style).

    python create_conference_async.py                    # against an in-process emulator
    python create_conference_async.py HOST [--port 80] [--pin 1234] [--invite user1@server ...]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Optional

import tcroom
from tcroom.testing import Emulator, User

DEMO_INVITEES = ["user1@some.server", "user2@some.server"]


async def run(host: str, port: Optional[int], pin: Optional[str], title: str, invitees: list[str], timeout: float) -> None:
    async with tcroom.AsyncClient.connect(host, port=port, pin=pin) as room:

        @room.on("inviteSent")
        def invited(ev: tcroom.Event) -> None:
            print(f"invited {ev.peer_id}")

        conf = await room.create_conference(title, conf_type="role", casters=2, invite=invitees)
        print(f"conference {conf.conf_id} started: {conf.join_url}")
        waiting = {peer.split("/")[0] for peer in invitees}
        try:
            async for ev in room.events(timeout=timeout):
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
        print(f"{len(await room.get_conference_participants())} in the conference")
        await room.hang_up(for_all=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("host", nargs="?", help="the room's address (default: start an emulator)")
    ap.add_argument("--port", type=int, help="the room's web manager port (default 80)")
    ap.add_argument("--pin")
    ap.add_argument("--title", default="Design review")
    ap.add_argument("--invite", nargs="*", default=None, help="PeerIds or CallIds to invite")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the answers")
    args = ap.parse_args()
    invitees: list[str] = args.invite if args.invite is not None else DEMO_INVITEES
    if args.host is not None:
        asyncio.run(run(args.host, args.port, args.pin, args.title, invitees, args.timeout))
        return 0
    users = [User("user1@some.server", answer="join", delay=0.1), User("user2@some.server", answer="reject", cause=2)]
    with Emulator(pin="1234", users=users) as emu:
        asyncio.run(run(emu.host, emu.web_port, "1234", args.title, invitees, args.timeout))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except tcroom.Error as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
