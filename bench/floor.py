"""The floor under fan-out: a bare Quart-Trio app on Hypercorn broadcasting to the same clients.

It speaks just enough of the office's protocol for :mod:`bench.fanout_client` (a ``welcome``, then
``events`` frames with one ``log_appended`` item each, stamped with the wall clock when it is made)
and has one writer task per connection writing as the office's do (:mod:`isomux.http.direct`),
but no actors, no agents, no files.
Whatever latency it shows at a given rate and number of clients is what the web stack and the
client processes cost on this machine; the office's figures are read against it.

Run as a server: ``python -m bench.floor PORT RATE`` (broadcasts per second).
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import attrs
import trio

from bench.common import REPO, free_port, wait_until
from bench.fanout import Outcome, Scenario, clients_cpu, collect, cpu_seconds, start_clients, tell


@attrs.frozen
class Floor:
    """What :func:`bench.fanout.start_clients` needs to know of a server."""

    url: str
    home: Path


async def _serve(port: int, rate: float) -> None:
    import hypercorn.config
    import hypercorn.trio
    from quart import websocket
    from quart_trio import QuartTrio

    from isomux.http.direct import direct_send

    app = QuartTrio("floor")
    boxes: dict[int, tuple[list[str], trio.lowlevel.ParkingLot]] = {}

    @app.websocket("/ws")
    async def ws() -> None:
        await websocket.receive()  # hello
        await websocket.send('{"type":"welcome","snapshot":{"seq":0}}')
        queue: list[str] = []
        lot = trio.lowlevel.ParkingLot()
        boxes[id(queue)] = (queue, lot)

        async def reader() -> None:
            while True:
                await websocket.receive()  # acknowledgements

        try:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(reader)
                send = direct_send(websocket) or websocket.send
                while True:
                    while not queue:
                        await lot.park()
                    items = ",".join(queue)
                    queue.clear()
                    await send('{"type":"events","deltas":[],"items":[' + items + "]}")
        finally:
            boxes.pop(id(queue), None)

    async def broadcast() -> None:
        seq = 0
        text = "x" * 200
        while True:
            seq += 1
            entry = f'{{"type":"text","id":"e_{seq}","ts":{int(time.time() * 1000)},"text":"{text}"}}'
            item = f'{{"seq":{seq},"event":{{"type":"log_appended","agentId":"a","entry":{entry}}}}}'
            for queue, lot in boxes.values():
                queue.append(item)
                lot.unpark_all()
            await trio.sleep(1 / rate)

    config = hypercorn.config.Config()
    config.bind = [f"127.0.0.1:{port}"]
    config.accesslog = None
    config.errorlog = None
    async with trio.open_nursery() as nursery:
        await nursery.start(hypercorn.trio.serve, app, config)
        nursery.start_soon(broadcast)


def run(clients: int, rate: float, seconds: float, scratch: Path) -> Outcome:
    home = scratch / "floor-home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "secret").write_bytes(secrets.token_bytes(32))
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "bench.floor", str(port), str(rate)], cwd=REPO)
    try:
        wait_until(lambda: _listening(port) or server.poll() is not None, 30, 0.05, "the floor server")
        if server.poll() is not None:
            raise RuntimeError("the floor server exited")
        floor = Floor(f"http://127.0.0.1:{port}", home)
        sc = Scenario("floor", agents=0, clients=clients, demo_delay=0, fast=True, seconds=seconds)
        procs = start_clients(floor, sc)
        cpu0, clients0 = cpu_seconds(server.pid), clients_cpu(procs)
        began = time.perf_counter()
        for proc in procs:
            tell(proc, "go")
        time.sleep(seconds)
        for proc in procs:
            tell(proc, "stop")
        wall = time.perf_counter() - began
        cpu, client_cpu = cpu_seconds(server.pid) - cpu0, clients_cpu(procs) - clients0
        return collect(procs, sc, cpu, wall, 0, client_cpu)
    finally:
        server.kill()
        server.wait(10)


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    trio.run(_serve, int(sys.argv[1]), float(sys.argv[2]))
