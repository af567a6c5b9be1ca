"""Connect versus history: start-up, snapshot and first paint with homes of 1 MB, 100 MB and 1 GB.

For each home and run: the office is started as a subprocess and timed until ``/api/health``
answers; WebSocket clients connect one after another and each is timed from opening the
connection to having the whole ``welcome`` frame (its size is the snapshot's size); the server's
RSS is read; then Chromium opens the office (see :mod:`bench.browser`).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import trio

from bench import browser
from bench.common import Office, ws_url
from bench.homes import HomeSpec, disk_size, ensure_home
from bench.table import Row, below
from bench.wsclient import connect

SIZES = {"1MB": 1 << 20, "100MB": 100 << 20, "1GB": 1 << 30}
SNAPSHOTS_PER_RUN = 5


async def _snapshots(url: str, headers: dict[str, str], count: int) -> list[tuple[float, int]]:
    found = []
    for _ in range(count):
        began = time.time()
        async with connect(url, headers) as client:
            await client.hello()
            frame = await client.welcome()
        found.append(((frame.received - began) * 1000, frame.size))
    return found


def _all_loaded(office: Office, timeout: float = 120) -> float:
    """Seconds from the process start until the snapshot holds every agent's conversation tail."""
    began = time.perf_counter() - office.started_s
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        state = office.rest("GET", "/api/state")
        if len(state["logs"]) >= len(state["agents"]):
            return time.perf_counter() - began
        time.sleep(0.01)
    raise RuntimeError(f"the agents' conversations were not all loaded within {timeout} s")


def run(labels: list[str], runs: int, homes_root: Path, scratch: Path, *, with_browser: bool) -> list[Row]:
    rows: list[Row] = []
    why_no_browser = browser.available() if with_browser else "skipped (--no-browser)"
    for label in labels:
        section = f"connect {label}"
        try:
            home, how = ensure_home(HomeSpec(label, SIZES[label]), homes_root, scratch)
        except RuntimeError as exc:
            rows.append(Row(section, "home", "", text="not measured", note=str(exc)))
            continue
        size_note = f"home {disk_size(home) / 1e6:,.0f} MB, 24 agents ({how})"
        start, loaded, snap_ms, snap_kb, rss = [], [], [], [], []
        load, welcome, interactive, again = [], [], [], []
        how_ready = set()
        for _ in range(runs):
            with Office(home, log_dir=scratch) as office:
                start.append(office.started_s * 1000)
                loaded.append(_all_loaded(office) * 1000)
                shots = trio.run(_snapshots, ws_url(office.url), office.headers(), SNAPSHOTS_PER_RUN)
                snap_ms.append(statistics.median(ms for ms, _ in shots))
                snap_kb.append(statistics.median(size for _, size in shots) / 1024)
                rss.append(office.rss() / 1e6)
                if not why_no_browser:
                    for first, second in browser.visits(office.url, office.headers(), 1):
                        load.append(first.load_ms)
                        welcome.append(first.welcome_ms)
                        interactive.append(first.interactive_ms)
                        again.append(second.interactive_ms)
                        how_ready |= {first.how, second.how}
        rows += [
            Row(section, "start → serving (/api/health)", "ms", tuple(start), "< 1000", below(1000), size_note),
            Row(section, "start → every agent's tail loaded", "ms", tuple(loaded), note="polling /api/state"),
            Row(
                section,
                "WS open → whole snapshot",
                "ms",
                tuple(snap_ms),
                "< 100",
                below(100),
                f"median of {SNAPSHOTS_PER_RUN} connections per run",
            ),
            Row(section, "snapshot size", "KB", tuple(snap_kb), "< 300", below(300)),
            Row(section, "server RSS after connects", "MB", tuple(rss)),
        ]
        if why_no_browser:
            rows.append(Row(section, "browser", "", text="not measured", note=why_no_browser))
            continue
        ready_note = "interactive = " + ", ".join(sorted(how_ready))
        rows += [
            Row(section, "browser nav → load event", "ms", tuple(load), note="fresh profile"),
            Row(section, "browser nav → welcome frame", "ms", tuple(welcome), note="fresh profile"),
            Row(
                section,
                "browser nav → interactive",
                "ms",
                tuple(interactive),
                "< 1000",
                below(1000),
                f"fresh profile; {ready_note}",
            ),
            Row(section, "browser reload → interactive", "ms", tuple(again), "< 1000", below(1000), "app files cached"),
        ]
    return rows
