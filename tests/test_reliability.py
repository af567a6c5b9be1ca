"""The office as a real process: kill -9, SIGTERM, restart and damaged files lose nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import trio

from tests.harness import browser, running_office
from tests.server_process import ServerProcess
from tests.synth import make_home

pytestmark = pytest.mark.slow


def test_kill_9_mid_turn_then_restart_keeps_everything_acknowledged(tmp_path: Path) -> None:
    home = tmp_path / "home"
    server = ServerProcess(home, demo_delay=0.02).start()
    try:
        ada = server.rest("POST", "/api/agents", {"name": "Ada", "cwd": str(tmp_path)}, expect=201)["id"]
        bob = server.rest("POST", "/api/agents", {"name": "Bob", "cwd": str(tmp_path)}, expect=201)["id"]
        task = server.rest("POST", "/tasks", {"title": "Survive a crash"}, expect=201)
        server.rest("PUT", "/api/office", {"prompt": "Be brief."}, expect=200)
        server.rest("POST", f"/api/agents/{ada}/messages", {"text": "long job [[demo:slow]]"}, expect=200)
        server.wait_for(lambda: server.status(ada)["state"] in ("thinking", "tool"))
        server.rest("POST", f"/api/agents/{ada}/messages", {"text": "queued one"}, expect=200)
        server.rest("POST", f"/api/agents/{ada}/messages", {"text": "queued two"}, expect=200)
        server.wait_for(lambda: any(e["type"] == "tool_call" for e in server.log_entries(ada)))
        seen = server.log_entries(ada)
        server.kill9()

        server.start()
        agents = {a["name"]: a for a in server.rest("GET", "/api/agents")}
        assert set(agents) == {"Ada", "Bob"}
        assert agents["Bob"]["id"] == bob
        assert [t["title"] for t in server.rest("GET", "/tasks")] == [task["title"]]
        assert server.rest("GET", "/api/office")["prompt"] == "Be brief."
        after = server.log_entries(ada)
        after_ids = [e["id"] for e in after]
        assert [e["id"] for e in seen] == after_ids[: len(seen)]  # every acknowledged entry is still there
        ends = [e for e in after if e["type"] == "turn_end"]
        assert ends[0]["status"] == "interrupted"

        def delivered() -> list[str] | None:
            for entry in server.log_entries(ada):
                if entry["type"] == "user_turn" and len(entry["messages"]) == 2:
                    return [m["text"] for m in entry["messages"]]
            return None

        assert server.wait_for(delivered, timeout=60) == ["queued one", "queued two"]
    finally:
        server.stop()


def test_a_corrupt_agents_file_stops_the_start_and_is_left_untouched(tmp_path: Path) -> None:
    home = tmp_path / "home"
    server = ServerProcess(home).start()
    server.rest("POST", "/api/agents", {"name": "Ada", "cwd": str(tmp_path)}, expect=201)
    server.stop()
    agents = home / "agents.json"
    damaged = agents.read_bytes()[:-40]
    agents.write_bytes(damaged)
    server.start(wait=False)
    assert server.proc is not None
    code = server.proc.wait(30)
    assert code == 1
    output = server.output()
    assert "agents.json is corrupt" in output
    assert "has not been changed" in output
    assert agents.read_bytes() == damaged


def test_sigterm_during_a_turn_exits_cleanly_and_the_turn_is_resumable(tmp_path: Path) -> None:
    home = tmp_path / "home"
    server = ServerProcess(home, demo_delay=0.02).start()
    try:
        ada = server.rest("POST", "/api/agents", {"name": "Ada", "cwd": str(tmp_path)}, expect=201)["id"]
        server.rest("POST", f"/api/agents/{ada}/messages", {"text": "long job [[demo:slow]]"}, expect=200)
        server.wait_for(lambda: server.status(ada)["state"] in ("thinking", "tool"))
        session = server.status(ada)["sessionId"]
        assert server.terminate() == 0
        assert "Isomux stopped." in server.output()
        server.start()
        entries = server.log_entries(ada)
        assert entries[-1]["type"] == "turn_end"
        assert entries[-1]["status"] == "interrupted"
        server.rest("POST", f"/api/agents/{ada}/messages", {"text": "carry on"}, expect=200)
        server.wait_for(lambda: server.status(ada)["state"] == "waiting")
        assert server.status(ada)["sessionId"] == session
    finally:
        server.stop()


async def test_snapshot_size_does_not_grow_with_history(tmp_path: Path) -> None:
    sizes = {}
    for entries in (100, 100_000):
        home = tmp_path / f"home{entries}"
        await trio.to_thread.run_sync(lambda h=home, n=entries: make_home(h, agents=2, entries_per_agent=n))
        async with running_office(home) as office, browser(office) as client:
            assert client.welcome is not None
            sizes[entries] = len(json.dumps(client.welcome))
            page = await office.rest("GET", "/api/agents/a_agent00000/log?limit=50")
            assert len(page["entries"]) == 50
            assert page["older"] is not None
    assert sizes[100_000] < sizes[100] * 1.2


async def test_office_serves_quickly_whatever_the_history(tmp_path: Path) -> None:
    home = tmp_path / "home"
    await trio.to_thread.run_sync(lambda: make_home(home, agents=16, entries_per_agent=5_000))
    async with running_office(home) as office:
        agents = await office.rest("GET", "/api/agents")
        assert len(agents) == 16
        page = await office.rest("GET", "/api/agents/a_agent00003/log?limit=20")
        older = await office.rest("GET", f"/api/agents/a_agent00003/log?limit=20&before={page['older']}")
        assert len(older["entries"]) == 20
        assert {e["id"] for e in older["entries"]}.isdisjoint({e["id"] for e in page["entries"]})
