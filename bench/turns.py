"""Turn overhead: time to the first streamed token through the office versus the CLI driven directly.

Both sides run the real CLI against the same in-repo mock model server (started as its own
process), with the same isolated environment (as in ``tests/contract``). Through the office: a
WebSocket client sends ``send_message`` to a freshly spawned agent and waits for the first text
delta of that agent; the first turn starts the CLI ("cold"), the next ``WARM`` find it running
(their median is the run's "warm" figure). After the first, the office's topic request (a second
CLI run) is allowed to finish, and its process to exit, so it does not compete with the warm turns. Directly: see
:mod:`bench.direct`. The ratio is taken per run (office / direct), then its median.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import trio

from bench.common import REPO, Office, ws_url
from bench.direct import EFFORT, WARM, claude_turns, codex_turns
from bench.table import Row, below
from bench.wsclient import connect
from isomux.errors import BackendUnavailable
from tests.fakes.claude_home import claude_env
from tests.fakes.codex_home import API_KEY_ENV, codex_binary

PROMPT = "[[say:Hello from the mock model, streamed word by word for the benchmark.]]"
MODELS = {"claude": "claude-sonnet-4-6", "codex": "gpt-5.5"}
URL = re.compile(r"on (http://127\.0\.0\.1:\d+)")


@contextmanager
def mock(module: str, *extra: str) -> Iterator[str]:
    """Run one of the mock model servers as a process; yields its URL."""
    args = [sys.executable, "-m", module, "--port", "0", *extra]
    proc = subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        found = URL.search(proc.stdout.readline())
        if found is None:
            raise RuntimeError(f"{module} did not start")
        yield found.group(1)
    finally:
        proc.terminate()
        proc.wait(10)


def isolated_env(root: Path, anthropic: str, codex_home: Path) -> dict[str, str]:
    """An environment in which both CLIs only ever talk to the mocks, with their own homes."""
    (root / "home").mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "HOME": str(root / "home"),
        **claude_env(root / "claude-config", anthropic),
        "CODEX_HOME": str(codex_home),
        API_KEY_ENV: "dummy",
    }


async def office_turns(office: Office, agent: str) -> tuple[float, float]:
    """Milliseconds from sending a message to the agent's first text delta: (cold, warm)."""
    times = []
    async with connect(ws_url(office.url), office.headers()) as client:
        await client.hello()
        await client.welcome()
        for n in range(1 + WARM):
            began = time.perf_counter()
            command = {"type": "send_message", "agentId": agent, "text": PROMPT}
            await client.send({"type": "command", "requestId": f"turn-{n}", "command": command})
            first = None
            with trio.fail_after(120):
                while True:
                    frame = await client.next()
                    if first is None and _first_text(frame.data, agent):
                        first = time.perf_counter()
                    if first is not None and _turn_ended(frame.data, agent):
                        break
            times.append((first - began) * 1000)
            if n == 0:
                with trio.move_on_after(60):
                    while not _topic_set(frame.data, agent):
                        frame = await client.next()
                await _topic_process_gone(office)
    return times[0], statistics.median(times[1:])


async def _topic_process_gone(office: Office) -> None:
    """Wait (up to 10 s) until the topic request's CLI has exited: only the agent's own process is left."""
    deadline = trio.current_time() + 10
    while len(office.process().children()) > 1 and trio.current_time() < deadline:  # noqa: ASYNC110
        await trio.sleep(0.02)  # another process's children: there is nothing to wait on but polling


def _first_text(data: dict[str, Any], agent: str) -> bool:
    deltas = data.get("deltas") if data.get("type") == "events" else None
    return any(d["agentId"] == agent and d["kind"] == "text" for d in deltas or [])


def _turn_ended(data: dict[str, object], agent: str) -> bool:
    items = data.get("items") if data.get("type") == "events" else None
    for item in items if isinstance(items, list) else []:
        event = item["event"]
        if event["type"] == "log_appended" and event["agentId"] == agent and event["entry"]["type"] == "turn_end":
            return True
    return False


def _topic_set(data: dict[str, object], agent: str) -> bool:
    items = data.get("items") if data.get("type") == "events" else None
    for item in items if isinstance(items, list) else []:
        event = item["event"]
        if event["type"] == "status_changed" and event["status"]["agentId"] == agent and event["status"]["topic"]:
            return True
    return False


def run(runs: int, scratch: Path) -> list[Row]:
    root = REPO / "bench" / "results" / f"turns-{os.getpid()}"  # codex will not set itself up under /tmp
    shutil.rmtree(root, ignore_errors=True)
    codex_home = root / "codex-home"
    try:
        binary: Path | None = codex_binary()
    except BackendUnavailable:
        binary = None
    rows: list[Row] = []
    try:
        with (
            mock("tests.fakes.mock_anthropic") as anthropic,
            mock("tests.fakes.mock_openai", "--codex-home", str(codex_home)) as _,
        ):
            env = isolated_env(root, anthropic, codex_home)
            with Office(root / "isomux-home", env=env, log_dir=scratch) as office:
                kinds = {b["kind"] for b in office.rest("GET", "/api/state")["backends"]}
                for backend in ("claude", "codex"):
                    why = "" if backend in kinds else "not registered in isomux.server.make_backends"
                    if backend == "codex" and binary is None:
                        why = "the codex binary is not installed (make tools)"
                    if why:
                        rows.append(
                            Row(f"turn {backend}", "first token, office vs direct", "", text="not available", note=why)
                        )
                        continue
                    rows += _measure(office, backend, binary, env, root, runs)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return rows


def _measure(
    office: Office, backend: str, binary: Path | None, env: dict[str, str], root: Path, runs: int
) -> list[Row]:
    work = root / "work"
    work.mkdir(exist_ok=True)

    def drive() -> tuple[float, float]:
        if backend == "claude":
            return trio.run(claude_turns, env, work, PROMPT, MODELS[backend])
        assert binary is not None
        return trio.run(codex_turns, binary, env, work, PROMPT, MODELS[backend])

    drive()  # untimed: the CLI's files are then in the page cache for both sides
    via, direct = [], []
    for n in range(runs):
        agent = office.spawn(f"{backend.capitalize()}{n}", work, backend, model=MODELS[backend], effort=EFFORT)
        via.append(trio.run(office_turns, office, agent))
        direct.append(drive())
        office.rest("DELETE", f"/api/agents/{agent}")
    section = f"turn {backend}"
    rows = [
        Row(
            section,
            "cold, the first one after the office started",
            "ms",
            (via[0][0],),
            note="run 1 of the cold row below: it also loads the office's code for this backend",
        ),
    ]
    for index, phase in ((0, "cold"), (1, "warm")):
        office_ms = tuple(v[index] for v in via)
        direct_ms = tuple(d[index] for d in direct)
        ratio = tuple(o / d for o, d in zip(office_ms, direct_ms, strict=True))
        note = "process start included" if phase == "cold" else "process already running"
        rows += [
            Row(section, f"{phase}: first token through the office", "ms", office_ms, note=note),
            Row(section, f"{phase}: first token, CLI driven directly", "ms", direct_ms),
            Row(section, f"{phase}: ratio office / direct", "x", ratio, "< 1.1", below(1.1)),
        ]
    return rows
