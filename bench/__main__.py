"""``python -m bench``: run the benchmarks and print one table.

Sections: ``connect`` (start-up, snapshot and browser against homes of 1 MB, 100 MB and 1 GB),
``fanout`` (many agents streaming to many WebSocket clients), ``turns`` (time to the first token
through the office versus the CLI driven directly), ``memory`` (idle agents and the process
tree). Each figure is the median of several runs with the minimum and maximum beside it. The
figures are also written as JSON under ``bench/results/``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psutil  # type: ignore[import-untyped]

from bench import connect, fanout, floor, memory, turns
from bench.common import RESULTS, MachineLoad
from bench.table import Row, render, save

SECTIONS = ("connect", "fanout", "turns", "memory")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Isomux benchmarks: one table.")
    parser.add_argument("--quick", action="store_true", help="fewer runs, shorter windows, no 1 GB home (≤ 3 min)")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections of {SECTIONS}")
    parser.add_argument("--sizes", default=None, help="homes for 'connect' (default 1MB,100MB,1GB; quick: 1MB,100MB)")
    parser.add_argument("--runs", type=int, default=None, help="runs per figure (default 3; quick: 1)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    parser.add_argument("--homes", type=Path, default=RESULTS / "homes", help="where generated homes are cached")
    parser.add_argument("--window", type=float, default=None, help="seconds each fan-out run measures")
    return parser


def _fanout(runs: int, window: float, scratch: Path) -> list[Row]:
    a = fanout.Scenario("a", agents=8, clients=50, demo_delay=0.005, fast=False, seconds=window)
    b = fanout.Scenario("b", agents=16, clients=20, demo_delay=0.05, fast=False, seconds=window)
    stall_for = max(6.0, window)
    stalled = fanout.Scenario(
        "a-stall", agents=8, clients=50, demo_delay=0.005, fast=False, seconds=stall_for + 8, stall=(2.0, stall_for)
    )
    rows = fanout.rows_for(
        "fanout (a) 8 agents → 50 clients",
        [fanout.run_scenario(a, scratch) for _ in range(runs)],
        min_deliveries=10_000,
    )
    rows += fanout.rows_for(
        "fanout (b) 16 agents x 20 tok/s → 20 clients",
        [fanout.run_scenario(b, scratch) for _ in range(runs)],
        min_deliveries=None,
    )
    for clients, rate in ((20, 64), (50, 128)):
        section = f"floor: bare web server, {rate} frames/s → {clients} clients"
        outs = [floor.run(clients, rate, window, scratch) for _ in range(runs)]
        rows += [
            Row(
                section,
                "latency p50 (made → client read)",
                "ms",
                tuple(o.p50 for o in outs),
                note="no office: Hypercorn, the office's writes and the client processes (bench/floor.py)",
            ),
            Row(section, "latency p99", "ms", tuple(o.p99 for o in outs)),
            Row(
                section,
                "server CPU",
                "% core",
                tuple(o.cpu for o in outs),
                note=f"the client processes: {statistics.median(o.client_cpu for o in outs):.0f} % of a core",
            ),
        ]
    outcome = fanout.run_scenario(stalled, scratch)
    seen = outcome.stalled or {}
    section = "fanout (a) + 1 stalled client"
    rows += [
        Row(
            section,
            f"p99 of the other 49 while one stalls {stall_for:.0f} s",
            "ms",
            (outcome.p99,),
            "< 10",
            lambda v: v < 10,
        ),
        Row(
            section,
            "stalled client, after reading again",
            "",
            text=f"{seen.get('welcomes', '?')} resync(s), {seen.get('gaps', '?')} gap(s)",
            note=f"it then read {seen.get('events', 0):,} events; a resync is a fresh snapshot (no gap)",
        ),
    ]
    return rows


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    quick = args.quick
    runs = args.runs or (1 if quick else 3)
    sizes = (args.sizes or ("1MB,100MB" if quick else "1MB,100MB,1GB")).split(",")
    window = args.window or (8.0 if quick else 15.0)
    wanted = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(wanted) - set(SECTIONS) or set(sizes) - set(connect.SIZES)
    if unknown:
        print(f"unknown: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="isomux-bench-"))
    jobs: dict[str, Callable[[], list[Row]]] = {
        "connect": lambda: connect.run(sizes, runs, args.homes, scratch, with_browser=not args.no_browser),
        "fanout": lambda: _fanout(runs, window, scratch),
        "turns": lambda: turns.run(max(runs, 2) if quick else runs + 2, scratch),
        "memory": lambda: memory.idle_agents(scratch, runs) + memory.forty_agents(scratch),
    }
    rows: list[Row] = []
    others: dict[str, float] = {}
    began = time.perf_counter()
    try:
        for name in wanted:
            print(f"… {name}", file=sys.stderr, flush=True)
            load = MachineLoad()
            rows += jobs[name]()
            others[name] = load.others_percent()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(render(rows))
    print()
    print("Latency = a log entry's ts (stamped by the agent as it makes the entry, epoch ms) to the client's")
    print("clock when it has read the frame; same machine, same clock; ts is rounded down, so +0.5 ms on average.")
    print(
        "Other programs' share of the machine's CPU while each section ran: "
        + ", ".join(f"{k} {v:.0f}%" for k, v in others.items())
    )
    elapsed = time.perf_counter() - began
    print(
        f"{len(rows)} figures in {elapsed / 60:.1f} min on {platform.node()}: {psutil.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, load average {os.getloadavg()[0]:.1f}"
    )
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    meta = {
        "quick": quick,
        "runs": runs,
        "sizes": sizes,
        "others_cpu_percent": others,
        "seconds": elapsed,
        "cores": psutil.cpu_count(),
        "python": platform.python_version(),
    }
    save(rows, RESULTS / f"run-{stamp}.json", meta)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
