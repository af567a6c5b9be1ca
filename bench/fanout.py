"""Fan-out: many demo agents streaming to many real WebSocket clients in other processes.

The load is closed-loop: the driver (one more WebSocket client, in this process) sends each agent
a message, and every time an agent starts a turn it queues the next one, so every agent is always
busy. The demo backend paces its tokens with ``--demo-delay`` (``[[demo:fast]]`` removes the
pauses). Clients run in :mod:`bench.fanout_client` processes and time ``log_appended`` events from
the entry's ``ts`` to when they read it. Deliveries are the event items plus the stream-delta items
that reach the clients (the office merges deltas per block, so a slow reader gets fewer, longer
ones). Server CPU is the office process's user + system time over the window, in % of one core.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import attrs
import psutil  # type: ignore[import-untyped]
import trio

from bench.common import REPO, Office, spawn_many, ws_url
from bench.table import Row, at_least, below, percentile
from bench.wsclient import Client, connect


@attrs.frozen
class Scenario:
    name: str
    agents: int
    clients: int
    demo_delay: float
    fast: bool
    seconds: float
    procs: int = 5
    stall: tuple[float, float] | None = None  # the first client stops reading after A s, for B s


@attrs.frozen
class Outcome:
    p50: float
    p99: float
    deliveries: float  # per second
    events: float  # event deliveries per second
    cpu: float  # % of one core
    cpu_per_k: float  # server CPU milliseconds per 1000 deliveries
    client_cpu: float  # % of one core, all client processes together
    frames: float  # WebSocket messages per client per second
    turns: int
    samples: int
    stalled: dict[str, Any] | None


async def _drive(
    office: Office, agents: list[str], fast: bool, warmup: float, seconds: float, procs: list[subprocess.Popen[str]]
) -> tuple[float, float, int, float]:
    """Keep every agent busy; return the server's CPU and wall seconds of the window, turns, clients' CPU."""
    counter = 0
    turns = 0
    text = "[[demo:fast]] next item" if fast else "next item"
    async with connect(ws_url(office.url), office.headers()) as client:
        await client.hello()
        await client.welcome()

        async def send(agent: str) -> None:
            nonlocal counter
            counter += 1
            command = {"type": "send_message", "agentId": agent, "text": f"{text} {counter}"}
            await client.send({"type": "command", "requestId": f"load-{counter}", "command": command})

        running = True

        async def pump(client: Client) -> None:
            nonlocal turns
            while True:
                frame = await client.next()
                if frame.kind != "events":
                    continue
                for item in frame.data["items"]:
                    event = item["event"]
                    if event["type"] == "log_appended" and event["entry"]["type"] == "user_turn" and running:
                        turns += 1
                        await send(event["agentId"])

        async with trio.open_nursery() as nursery:
            nursery.start_soon(pump, client)
            for agent in agents:
                await send(agent)
            await trio.sleep(warmup)
            server = office.process()
            for proc in procs:
                tell(proc, "go")
            cpu0, t0, turns0 = cpu_seconds(server.pid), time.perf_counter(), turns
            clients0 = clients_cpu(procs)
            await trio.sleep(seconds)
            cpu1, t1 = cpu_seconds(server.pid), time.perf_counter()
            clients1 = clients_cpu(procs)
            for proc in procs:
                tell(proc, "stop")
            running = False
            nursery.cancel_scope.cancel()
    return cpu1 - cpu0, t1 - t0, turns - turns0, clients1 - clients0


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds process ``pid`` has used so far."""
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


def clients_cpu(procs: list[subprocess.Popen[str]]) -> float:
    """CPU seconds the client processes have used so far."""
    return sum(cpu_seconds(p.pid) for p in procs if p.poll() is None)


def tell(proc: subprocess.Popen[str], line: str) -> None:
    """Send a client process one control line (``go`` or ``stop``)."""
    assert proc.stdin is not None
    proc.stdin.write(line + "\n")
    proc.stdin.flush()


def start_clients(office: Any, sc: Scenario) -> list[subprocess.Popen[str]]:
    """Start the client processes against ``office`` (anything with ``url`` and ``home``); wait until ready."""
    procs = []
    share = [sc.clients // sc.procs + (1 if n < sc.clients % sc.procs else 0) for n in range(sc.procs)]
    for n, count in enumerate(c for c in share if c):
        args = [sys.executable, "-m", "bench.fanout_client", ws_url(office.url), "--home", str(office.home)]
        args += ["--clients", str(count)]
        if n == 0 and sc.stall:
            args += ["--stall", str(sc.stall[0]), str(sc.stall[1])]
        procs.append(subprocess.Popen(args, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
    for proc in procs:
        assert proc.stdout is not None
        if proc.stdout.readline().strip() != "ready":
            raise RuntimeError("a fan-out client process did not connect")
    return procs


def run_scenario(sc: Scenario, scratch: Path) -> Outcome:
    home = scratch / f"fanout-{sc.name}"
    shutil.rmtree(home, ignore_errors=True)
    with Office(home, demo_delay=sc.demo_delay, log_dir=scratch) as office:
        agents = spawn_many(office, sc.agents, scratch)
        procs = start_clients(office, sc)
        try:
            cpu, wall, turns, client_cpu = trio.run(_drive, office, agents, sc.fast, 2.0, sc.seconds, procs)
            return collect(procs, sc, cpu, wall, turns, client_cpu)
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.kill()


def collect(
    procs: list[subprocess.Popen[str]], sc: Scenario, cpu: float, wall: float, turns: int, client_cpu: float
) -> Outcome:
    """Read what every client process saw (after ``stop``) and sum it up."""
    seen: list[dict[str, Any]] = []
    for proc in procs:
        out, _ = proc.communicate(timeout=60)
        seen += json.loads(out.strip().splitlines()[-1])
    stalled = seen.pop(0) if sc.stall else None
    latencies = [x for s in seen for x in s["latencies"]]
    events = sum(s["events"] for s in seen)
    deltas = sum(s["deltas"] for s in seen)
    frames = sum(s["frames"] for s in seen)
    if stalled is not None:
        stalled = {k: v for k, v in stalled.items() if k != "latencies"}
    return Outcome(
        p50=percentile(latencies, 50),
        p99=percentile(latencies, 99),
        deliveries=(events + deltas) / wall,
        events=events / wall,
        cpu=cpu / wall * 100,
        cpu_per_k=cpu * 1000 / max(1, events + deltas) * 1000,
        client_cpu=client_cpu / wall * 100,
        frames=frames / max(1, len(seen)) / wall,
        turns=turns,
        samples=len(latencies),
        stalled=stalled,
    )


def rows_for(section: str, outcomes: list[Outcome], *, min_deliveries: float | None) -> list[Row]:
    def col(name: str) -> tuple[float, ...]:
        return tuple(float(getattr(o, name)) for o in outcomes)

    samples = sum(o.samples for o in outcomes)
    turns = sum(o.turns for o in outcomes) / max(1, len(outcomes))
    rows = [
        Row(section, "latency p50 (entry ts → client read)", "ms", col("p50"), note=f"{samples:,} samples"),
        Row(section, "latency p99", "ms", col("p99"), "< 10", below(10)),
        Row(
            section,
            "deliveries/s (events + deltas)",
            "/s",
            col("deliveries"),
            f">= {min_deliveries:,.0f}" if min_deliveries else "",
            at_least(min_deliveries) if min_deliveries else None,
            f"events alone: {statistics.median(col('events')):,.0f}/s; {turns:.0f} turns per run",
        ),
        Row(
            section,
            "server CPU",
            "% core",
            col("cpu"),
            note=f"the client processes: {statistics.median(col('client_cpu')):.0f} % of a core; "
            f"{statistics.median(col('frames')):.0f} messages per client per second",
        ),
        Row(
            section,
            "server CPU per 1000 deliveries",
            "ms",
            col("cpu_per_k"),
            note="less sensitive to other programs than the rates",
        ),
    ]
    return rows
