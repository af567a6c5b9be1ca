"""Memory: the server with no agents and with 100 idle agents; the whole process tree with 40 agents.

- 0 and 100 agents: fresh offices, the second on a synthetic home of 100 demo agents with some
  history each (so every agent holds its conversation tail); each agent then runs one turn, and
  the RSS is read once all are idle again. Per agent: the difference over 100.
- 40 agents with a real backend (Codex against its mock; the demo backend if codex is missing):
  every agent runs one turn, which starts its CLI; the RSS of the server and all its descendants
  is read while the CLIs run and again once ``--idle-timeout`` has closed them.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from bench.common import MB, REPO, Office, spawn_many, wait_until
from bench.table import Row, below
from bench.turns import MODELS, isolated_env, mock
from isomux.errors import BackendUnavailable
from tests.fakes.codex_home import codex_binary
from tests.synth import make_home

IDLE_TIMEOUT = 5.0


def _settled_rss(office: Office, seconds: float = 2.0) -> float:
    time.sleep(seconds)
    return office.rss() / MB


def _answered(office: Office, agent: str, text: str) -> bool:
    """True once the agent has finished a turn that delivered ``text``."""
    entries = office.rest("GET", f"/api/agents/{agent}/log?limit=20")["entries"]
    for n, entry in enumerate(entries):
        if entry["type"] == "user_turn" and any(m["text"] == text for m in entry["messages"]):
            return any(e["type"] == "turn_end" for e in entries[n:])
    return False


def _one_turn_each(office: Office, agents: list[str], text: str, timeout: float) -> tuple[int, int]:
    """Send every agent ``text`` and wait for all the turns; returns the peak tree RSS and child count."""
    for agent in agents:
        office.rest("POST", f"/api/agents/{agent}/messages", {"text": text}, expect=200)
    pending = set(agents)
    peak = [0, 0]

    def done() -> bool:
        rss, children = office.tree_rss()
        peak[:] = [max(peak[0], rss), max(peak[1], children)]
        pending.difference_update([a for a in list(pending) if _answered(office, a, text)])
        return not pending

    wait_until(done, timeout, poll=0.5, what="every agent to finish its turn")
    return peak[0], peak[1]


def idle_agents(scratch: Path, runs: int) -> list[Row]:
    empty, hundred, per_agent = [], [], []
    for n in range(runs):
        with Office(scratch / f"mem-empty-{n}", log_dir=scratch) as office:
            base = _settled_rss(office)
        home = scratch / f"mem-100-{n}"
        shutil.rmtree(home, ignore_errors=True)
        make_home(home, agents=100, entries_per_agent=200, cwd=scratch)
        with Office(home, demo_delay=0.001, log_dir=scratch) as office:
            agents = [a["id"] for a in office.rest("GET", "/api/agents")]
            _one_turn_each(office, agents, "[[demo:fast]] hello", 120)
            loaded = _settled_rss(office)
        empty.append(base)
        hundred.append(loaded)
        per_agent.append((loaded - base) / 100)
    return [
        Row("memory", "server RSS, 0 agents", "MB", tuple(empty)),
        Row("memory", "server RSS, 100 idle agents (after a turn each)", "MB", tuple(hundred)),
        Row("memory", "per idle agent", "MB", tuple(per_agent), "< 1", below(1)),
    ]


def forty_agents(scratch: Path) -> list[Row]:
    try:
        codex_binary()
        backend = "codex"
    except BackendUnavailable:
        backend = "demo"
    root = REPO / "bench" / "results" / "mem-40"  # codex will not set itself up under /tmp
    shutil.rmtree(root, ignore_errors=True)
    codex_home = root / "codex-home"
    try:
        with (
            mock("tests.fakes.mock_anthropic") as anthropic,
            mock("tests.fakes.mock_openai", "--codex-home", str(codex_home)) as _,
        ):
            env = isolated_env(root, anthropic, codex_home)
            with Office(root / "isomux-home", env=env, idle_timeout=IDLE_TIMEOUT, log_dir=scratch) as office:
                work = root / "work"
                work.mkdir()
                model = MODELS.get(backend, "")
                agents = spawn_many(office, 40, work, backend, model=model)
                live_rss, live_children = _one_turn_each(office, agents, "[[say:Done with the benchmark turn.]]", 300)

                def all_closed() -> bool:
                    return not any(a["status"]["live"] for a in office.rest("GET", "/api/agents"))

                wait_until(all_closed, IDLE_TIMEOUT * 6 + 60, poll=0.5, what="the idle timeout to close the CLIs")
                time.sleep(2)
                idle_rss, idle_children = office.tree_rss()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    section = "memory"
    return [
        Row(
            section,
            f"40 {backend} agents, server + children, peak during the turns",
            "MB",
            (live_rss / MB,),
            note=f"up to {live_children} child processes",
        ),
        Row(
            section,
            f"40 {backend} agents, server + children, after --idle-timeout",
            "MB",
            (idle_rss / MB,),
            "< 150",
            below(150),
            f"{idle_children} child processes left; idle timeout {IDLE_TIMEOUT:.0f} s",
        ),
    ]
