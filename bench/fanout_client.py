"""One fan-out client process: several WebSocket clients that read, acknowledge and time what arrives.

Run by :mod:`bench.fanout`; it talks over stdin/stdout: it prints ``ready`` once every client has
its snapshot, starts measuring at a ``go`` line, and at a ``stop`` line prints one JSON object
with what each client saw, then exits.

Latency is measured on ``log_appended`` events: the entry's ``ts`` is stamped by the agent when it
makes the entry (epoch milliseconds, before the entry is written and handed to the hub), and the
client notes the wall clock when it has read the frame. Client and server run on the same machine,
so they share the clock; ``ts`` is rounded down to the millisecond, so figures are high by 0.5 ms
on average.

One client may be told to stall: it stops reading for a while (its socket fills, the office
stops sending to it) and then reads again; what it saw is reported apart from the others.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import attrs
import trio

from bench.common import auth_headers
from bench.wsclient import connect


@attrs.define
class Seen:
    latencies: list[float] = attrs.field(factory=list)
    events: int = 0
    deltas: int = 0
    frames: int = 0
    bytes: int = 0
    welcomes: int = 0
    gaps: int = 0


@attrs.define
class Shared:
    measuring: bool = False
    ready: int = 0
    all_ready: trio.Event = attrs.field(factory=trio.Event)


async def _client(
    url: str, headers: dict[str, str], shared: Shared, seen: Seen, total: int, stall: tuple[float, float] | None
) -> None:
    async with connect(url, headers, parse_deltas=False) as client:
        await client.hello()
        await client.welcome()
        shared.ready += 1
        if shared.ready == total:
            shared.all_ready.set()
        base: tuple[int, int, int, int] | None = None
        stall_at: float | None = None
        while True:
            if shared.measuring and base is None:
                base = (client.events, client.deltas, client.frames, client.welcomes)
                stall_at = trio.current_time() + stall[0] if stall else None
            if stall is not None and stall_at is not None and trio.current_time() >= stall_at:
                stall_at = None
                await trio.sleep(stall[1])
            frame = await client.next()
            if base is not None and shared.measuring:
                _note(frame.data, frame.received, frame.size, seen)
                seen.events, seen.deltas = client.events - base[0], client.deltas - base[1]
                seen.frames, seen.welcomes, seen.gaps = client.frames - base[2], client.welcomes - base[3], client.gaps


def _note(data: dict[str, Any], received: float, size: int, seen: Seen) -> None:
    seen.bytes += size
    if data.get("type") != "events":
        return
    now_ms = received * 1000
    for item in data["items"]:
        event = item["event"]
        if event.get("type") == "log_appended":
            seen.latencies.append(now_ms - event["entry"]["ts"])


async def main(url: str, home: Path, clients: int, stall: tuple[float, float] | None) -> None:
    headers = auth_headers(home)
    shared = Shared()
    seen = [Seen() for _ in range(clients)]
    async with trio.open_nursery() as nursery:
        for n in range(clients):
            nursery.start_soon(_client, url, headers, shared, seen[n], clients, stall if n == 0 else None)
        await shared.all_ready.wait()
        print("ready", flush=True)
        if (await trio.to_thread.run_sync(sys.stdin.readline)).strip() != "go":
            raise SystemExit("expected go")
        shared.measuring = True
        await trio.to_thread.run_sync(sys.stdin.readline)
        shared.measuring = False
        nursery.cancel_scope.cancel()
    print(json.dumps([attrs.asdict(s) for s in seen]), flush=True)


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--stall", type=float, nargs=2, metavar=("AFTER", "FOR"), help="the first client stalls")
    args = parser.parse_args()
    trio.run(main, args.url, args.home, args.clients, tuple(args.stall) if args.stall else None)


if __name__ == "__main__":
    cli()
