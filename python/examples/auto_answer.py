"""Answer calls automatically (asyncio style): calls and invitations from the listed peers are
accepted, everyone else's rejected. Prints each call and what became of it.

    python auto_answer.py                        # a demo against an in-process emulator
    python auto_answer.py --host 192.0.2.10 --accept user1@some.server boss
                                                 # a real room, until Ctrl-C (or --seconds)

The PIN comes from --pin or TCROOM_PIN. A bare name (``boss``) matches that user on any server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import Optional

import tcroom
from tcroom.testing import Emulator

DEMO_ACCEPT = ["user1@some.server", "boss"]
DEMO_CALLS = [  # (who calls, conference type: 0 a call, 1 a group conference, its title)
    ("user1@some.server", 0, None),
    ("user2@some.server", 0, None),
    ("boss@other.server", 1, "Weekly sync"),
]


class Tally:
    """Follows the room's events (callbacks with typed payloads) and prints each call's fate."""

    def __init__(self, room: tcroom.AsyncClient) -> None:
        self.accepted = 0
        self.rejected = 0
        self.answered = asyncio.Queue[str]()
        """One item per call answered either way, and one per call ended (for the demo)."""
        room.on("inviteReceived", self.ringing)
        room.on("conferenceCreated", self.started)
        room.on("rejectSent", self.declined)
        room.on("conferenceDeleted", self.ended)

    def ringing(self, ev: tcroom.Event) -> None:
        call = ev.payload
        assert isinstance(call, tcroom.IncomingCall)
        what = f"invitation to {call.title!r}" if call.conf_type else "call"
        print(f"{what} from {call.peer_id} ({call.display_name})", flush=True)

    def started(self, ev: tcroom.Event) -> None:
        conf = ev.conference
        if conf is None:
            return
        self.accepted += 1
        print(f"accepted: in {conf.title or 'a call'} with {conf.peer_id or conf.owner}", flush=True)
        self.answered.put_nowait("accepted")

    def declined(self, ev: tcroom.Event) -> None:
        rejection = ev.payload
        assert isinstance(rejection, tcroom.Rejection)
        self.rejected += 1
        print(f"rejected {rejection.peer_id}", flush=True)
        self.answered.put_nowait("rejected")

    def ended(self, ev: tcroom.Event) -> None:
        print("call ended", flush=True)
        self.answered.put_nowait("ended")


async def demo(room: tcroom.AsyncClient, emu: Emulator, tally: Tally) -> None:
    """The world around the demo room: each caller calls, and hangs up once answered."""
    for peer, conf_type, title in DEMO_CALLS:
        emu.incoming_call(peer, conf_type=conf_type, title=title)
        outcome = await asyncio.wait_for(tally.answered.get(), 10)
        if outcome == "accepted":
            await room.wait_for(lambda s: s.in_call, 10)
            emu.remote_hang_up()
            await asyncio.wait_for(tally.answered.get(), 10)  # "ended"


async def run(host: str, port: Optional[int], pin: Optional[str], accept: list[str], seconds: Optional[float],
              emu: Optional[Emulator]) -> None:
    async with tcroom.AsyncClient.connect(host, port=port, pin=pin) as room:
        tally = Tally(room)
        with room.auto_answer(accept=accept):
            print(f"answering calls from {', '.join(accept)}; rejecting the rest", flush=True)
            if emu is not None:
                await demo(room, emu, tally)
            elif seconds is not None:
                await asyncio.sleep(seconds)
            else:
                await asyncio.Event().wait()  # until Ctrl-C
        print(f"accepted {tally.accepted}, rejected {tally.rejected}", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", help="the room's address (default: a demo against an emulator)")
    ap.add_argument("--port", type=int, help="the room's web manager port (default 80)")
    ap.add_argument("--pin", default=os.environ.get("TCROOM_PIN"), help="the room's PIN (default: $TCROOM_PIN)")
    ap.add_argument("--accept", nargs="+", default=None, help="PeerIds, CallIds or bare names to accept")
    ap.add_argument("--seconds", type=float, help="stop after this long (default: run until Ctrl-C)")
    args = ap.parse_args()
    accept: list[str] = args.accept if args.accept is not None else DEMO_ACCEPT
    if args.host is not None:
        asyncio.run(run(args.host, args.port, args.pin, accept, args.seconds, None))
        return 0
    with Emulator(pin="1234") as emu:
        asyncio.run(run(emu.host, emu.web_port, "1234", accept, None, emu))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except tcroom.Error as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
