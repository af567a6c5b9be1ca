"""Fault drills against the office as a real process: crashes, damaged files, dying CLIs, bad browsers.

Each drill does to a running ``isomux serve`` what happens in life (kill -9 at a random moment,
a file cut short, a CLI that dies, a browser that stops reading or sends garbage, SIGTERM in the
middle of turns) and checks what a person would notice afterwards: nothing acknowledged is missing,
nothing damaged is overwritten, everyone else carries on.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import attrs
import httpx
import psutil  # type: ignore[import-untyped]
import pytest
import trio

from bench.common import auth_headers, ws_url
from bench.wsclient import connect
from tests.fakes import MockServer, make_codex_home, run_mock_openai
from tests.fakes.codex_home import API_KEY_ENV, REPO_ROOT
from tests.server_process import ServerProcess

pytestmark = pytest.mark.slow


class Office(ServerProcess):
    """A served office whose every request carries the owner's credential, with async helpers."""

    async def call(self, method: str, path: str, body: Any = None, *, expect: int | None = 200) -> Any:
        async with httpx.AsyncClient(headers=self.owner(), timeout=30) as client:
            response = await client.request(method, self.url + path, json=body)
        assert expect is None or response.status_code == expect, (method, path, response.status_code, response.text)
        return response.json() if response.content else None

    async def restart(self) -> None:
        await trio.to_thread.run_sync(self.start)

    async def until(self, check: Any, timeout: float = 60) -> Any:
        with trio.fail_after(timeout):
            while True:
                if found := await check():
                    return found
                await trio.sleep(0.1)

    async def agent(self, agent_id: str) -> dict[str, Any]:
        found: dict[str, Any] = next(a for a in await self.call("GET", "/api/agents") if a["id"] == agent_id)
        return found

    async def history(self, agent_id: str) -> list[dict[str, Any]]:
        """Every entry of the agent's conversation, walking pages (and branches) back to the start."""
        entries: list[dict[str, Any]] = []
        before = ""
        while True:
            query = f"limit=500&before={before}" if before else "limit=500"
            page = await self.call("GET", f"/api/agents/{agent_id}/log?{query}")
            entries = page["entries"] + entries
            if not page["older"]:
                return entries
            before = page["older"]

    async def turn_done(self, agent_id: str, text: str) -> bool:
        entries = await self.history(agent_id)
        for n, entry in enumerate(entries):
            if entry["type"] == "user_turn" and any(text in m["text"] for m in entry["messages"]):
                return any(e["type"] == "turn_end" for e in entries[n:])
        return False

    async def spawn(self, name: str, cwd: Path, **extra: Any) -> str:
        body = {"name": name, "cwd": str(cwd), "backend": "demo", **extra}
        return str((await self.call("POST", "/api/agents", body, expect=201))["id"])


def files_are_sound(home: Path) -> list[str]:
    """Problems with the files under ``home``: JSON that does not parse, damaged log lines, quarantined files."""
    problems = [f"quarantined: {p.name}" for p in home.rglob("*.corrupt-*")]
    for path in home.rglob("*.json"):
        try:
            json.loads(path.read_bytes())
        except ValueError as exc:
            problems.append(f"{path.relative_to(home)}: {exc}")
    for path in home.rglob("*.jsonl"):
        data = path.read_bytes()
        lines = data.split(b"\n")
        complete = lines[:-1]  # bytes after the last newline are a torn line, which readers skip by design
        for n, line in enumerate(complete):
            try:
                json.loads(line)
            except ValueError:
                problems.append(f"{path.relative_to(home)} line {n + 1} is damaged")
    return problems


# R1: kill -9 at random moments -----------------------------------------------------------------


@attrs.define
class Ledger:
    """What the office acknowledged before each crash."""

    entries: dict[str, set[str]] = attrs.field(factory=dict)  # published log entries, per agent
    messages: dict[str, set[str]] = attrs.field(factory=dict)  # queued message ids, per agent
    tasks: dict[str, str] = attrs.field(factory=dict)  # task id -> status it was acknowledged in
    prompt: str = ""  # the office prompt last acknowledged
    prompt_in_flight: str | None = None


async def _watch(office: Office, ledger: Ledger) -> None:
    async with connect(ws_url(office.url), auth_headers(office.home)) as client:
        await client.hello()
        while True:
            frame = await client.next()
            for item in frame.data.get("items", []) if frame.kind == "events" else []:
                event = item["event"]
                if event["type"] == "log_appended":
                    ledger.entries.setdefault(event["agentId"], set()).add(event["entry"]["id"])


async def _send(office: Office, ledger: Ledger, agents: list[str], rng: random.Random, tag: str) -> None:
    for k in range(1000):
        agent = rng.choice(agents)
        text = f"{tag} message {k}" + (" [[demo:slow]]" if rng.random() < 0.3 else "")
        queued = await office.call("POST", f"/api/agents/{agent}/messages", {"text": text})
        ledger.messages.setdefault(agent, set()).add(queued["id"])
        await trio.sleep(rng.uniform(0, 0.15))


async def _write_tasks(office: Office, ledger: Ledger, rng: random.Random, tag: str) -> None:
    for k in range(1000):
        task = await office.call("POST", "/tasks", {"title": f"{tag} task {k}"}, expect=201)
        ledger.tasks[task["id"]] = task["status"]
        if rng.random() < 0.4:
            await office.call("POST", f"/tasks/{task['id']}/done")
            ledger.tasks[task["id"]] = "done"


async def _write_settings(office: Office, ledger: Ledger, tag: str) -> None:
    for k in range(1000):
        ledger.prompt_in_flight = f"{tag} prompt {k}"
        await office.call("PUT", "/api/office", {"prompt": ledger.prompt_in_flight})
        ledger.prompt, ledger.prompt_in_flight = ledger.prompt_in_flight, None


async def _quietly(work: Any, *args: Any) -> None:
    """Run a load task until the crash cuts it off (its unanswered request was never acknowledged)."""
    try:
        await work(*args)
    except Exception:  # the server died in the middle of a request (or of a WebSocket frame)
        return


async def _check_ledger(office: Office, ledger: Ledger, seed: int) -> None:
    where = f"(drill seed {seed})"
    for agent, acknowledged in ledger.entries.items():
        present = {e["id"] for e in await office.history(agent)}
        assert acknowledged <= present, f"log entries lost after kill -9 {where}: {acknowledged - present}"
    for agent, queued in ledger.messages.items():
        waiting = {m["id"] for m in await office.call("GET", f"/api/agents/{agent}/queue")}
        delivered = {m["id"] for e in await office.history(agent) if e["type"] == "user_turn" for m in e["messages"]}
        assert queued <= waiting | delivered, f"queued messages lost {where}: {queued - waiting - delivered}"
    tasks = {t["id"]: t["status"] for t in await office.call("GET", "/tasks?status=all")}
    for task, status in ledger.tasks.items():
        assert task in tasks, f"task {task} lost {where}"
        assert status != "done" or tasks[task] == "done", f"task {task} is no longer done {where}"
    prompt = (await office.call("GET", "/api/office"))["prompt"]
    assert prompt in {ledger.prompt, ledger.prompt_in_flight}, f"office prompt {prompt!r} {where}"
    assert files_are_sound(office.home) == [], where


async def test_random_kill_9_during_turns_queues_and_writes_loses_nothing_acknowledged(tmp_path: Path) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    office = Office(tmp_path / "home", demo_delay=0.005)
    await office.restart()
    try:
        agents = [await office.spawn(name, tmp_path) for name in ("Ada", "Bob", "Cy")]
        ledger = Ledger()
        for round_no in range(4):
            tag = f"r{round_no}"
            async with trio.open_nursery() as nursery:
                nursery.start_soon(_quietly, _watch, office, ledger)
                nursery.start_soon(_quietly, _send, office, ledger, agents, rng, tag)
                nursery.start_soon(_quietly, _write_tasks, office, ledger, rng, tag)
                nursery.start_soon(_quietly, _write_settings, office, ledger, tag)
                await trio.sleep(rng.uniform(0.7, 2.5))
                office.kill9()
                nursery.cancel_scope.cancel()
            await office.restart()
            with trio.fail_after(120):
                await _check_ledger(office, ledger, seed)
        assert sum(map(len, ledger.entries.values())) > 20  # the drill did real work
        assert len(ledger.tasks) > 5
    finally:
        office.stop()


# R2: damaged files -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def settled_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An office with an agent, a task, an office prompt and recent cwds, stopped cleanly."""
    root = tmp_path_factory.mktemp("settled")
    office = Office(root / "home")
    office.start()
    try:
        office.rest("POST", "/api/agents", {"name": "Ada", "cwd": str(root)}, expect=201)
        office.rest("POST", "/tasks", {"title": "Keep me"}, expect=201)
        office.rest("PUT", "/api/office", {"prompt": "Be brief."}, expect=200)
    finally:
        office.stop()
    return root / "home"


def _snapshot(home: Path) -> dict[str, bytes]:
    return {str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("*")) if p.is_file()}


def _exit_or_serving(office: Office, timeout: float = 60) -> int | None:
    """The exit code of an office that refuses to start, or None once it serves instead."""
    assert office.proc is not None
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=1) as client:
        while time.monotonic() < deadline:
            if office.proc.poll() is not None:
                return office.proc.returncode
            try:
                if client.get(office.url + "/api/health", headers=auth_headers(office.home)).status_code == 200:
                    return None
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
    raise AssertionError("the office neither refused nor served")


WRONG_SHAPE = {
    "agents.json": b'{"version": 1, "rooms": [], "agents": {"not": "a list"}}',
    "office.json": b'{"version": 1, "settings": {"prompt": 42}}',
    "tasks.json": b'{"version": 1, "tasks": [{"id": "x"}]}',
    "recent-cwds.json": b'{"version": 1, "cwds": "not a list"}',
}


@pytest.mark.parametrize("damage", ["truncated", "wrong shape"])
@pytest.mark.parametrize("name", sorted(WRONG_SHAPE))
def test_a_damaged_state_file_stops_the_office_and_nothing_is_touched(
    settled_home: Path, tmp_path: Path, name: str, damage: str
) -> None:
    home = tmp_path / "home"
    shutil.copytree(settled_home, home)
    target = home / name
    original = target.read_bytes()
    target.write_bytes(original[: len(original) // 2] if damage == "truncated" else WRONG_SHAPE[name])
    before = _snapshot(home)
    office = Office(home)
    office.start(wait=False)
    try:
        code = _exit_or_serving(office)
    finally:
        office.stop()
    output = office.output()
    assert code == 1, output
    assert f"{name} is corrupt" in output, output
    assert "has not been changed" in output, output
    assert _snapshot(home) == before  # the damaged file and everything else byte for byte


@asynccontextmanager
async def _office_with_history(tmp_path: Path, names: tuple[str, ...]) -> AsyncIterator[tuple[Office, dict[str, str]]]:
    """A running office whose agents have each finished one turn (stopped at the end, whatever happened)."""
    office = Office(tmp_path / "home", demo_delay=0.005)
    await office.restart()
    try:
        ids = {name: await office.spawn(name, tmp_path) for name in names}
        for name in names:
            await office.call("POST", f"/api/agents/{ids[name]}/messages", {"text": f"[[demo:fast]] hello {name}"})
        for name in names:
            await office.until(lambda n=name: office.turn_done(ids[n], f"hello {n}"))
        yield office, ids
    finally:
        office.stop()


async def test_a_damaged_session_index_is_rebuilt_with_every_conversation(tmp_path: Path) -> None:
    async with _office_with_history(tmp_path, ("Ada",)) as (office, ids):
        before = await office.history(ids["Ada"])
        assert office.terminate() == 0
        index = office.home / "logs" / ids["Ada"] / "sessions.json"
        damaged = index.read_bytes()[:30]
        index.write_bytes(damaged)
        await office.restart()
        after = await office.history(ids["Ada"])
        assert [p.read_bytes() for p in index.parent.glob("sessions.json.corrupt-*")] == [damaged]
        assert any("index was damaged" in e.get("text", "") for e in after)  # the chat says what happened
        assert [e["id"] for e in after if e["type"] != "system_note"] == [e["id"] for e in before]


async def test_a_damaged_inbox_and_damaged_log_lines_lose_nothing_else(tmp_path: Path) -> None:
    names = ("Inbox", "Torn", "Scratched")
    async with _office_with_history(tmp_path, names) as (office, ids):
        await office.call("POST", f"/api/agents/{ids['Inbox']}/messages", {"text": "long [[demo:slow]]"})
        await office.until(lambda: _state_is(office, ids["Inbox"], "thinking", "tool"))
        for text in ("keep this one", "and this one"):
            await office.call("POST", f"/api/agents/{ids['Inbox']}/messages", {"text": text})
        before = {name: await office.history(ids[name]) for name in names}
        assert office.terminate() == 0

        inbox = office.home / "inbox" / f"{ids['Inbox']}.json"
        inbox_bytes = inbox.read_bytes()[:-25]
        inbox.write_bytes(inbox_bytes)
        torn_log = _current_log(office.home, ids["Torn"])
        torn_log.write_bytes(torn_log.read_bytes() + b'{"type":"text","id":"e_torn","ts":1,"te')
        scratched_log = _current_log(office.home, ids["Scratched"])
        lines = scratched_log.read_bytes().split(b"\n")
        scratched_id = json.loads(lines[2])["id"]
        lines[2] = b"{this line was scratched"
        scratched_log.write_bytes(b"\n".join(lines))

        await office.restart()
        aside = list(inbox.parent.glob(f"{inbox.name}.corrupt-*"))
        assert [p.read_bytes() for p in aside] == [inbox_bytes]  # kept for inspection, byte for byte
        assert b"keep this one" in inbox_bytes
        assert await office.call("GET", f"/api/agents/{ids['Inbox']}/queue") == []
        assert "empty queue" in office.output()

        assert [e["id"] for e in await office.history(ids["Torn"])] == [e["id"] for e in before["Torn"]]
        await office.call("POST", f"/api/agents/{ids['Torn']}/messages", {"text": "[[demo:fast]] after the tear"})
        await office.until(lambda: office.turn_done(ids["Torn"], "after the tear"))
        torn_copies = list(torn_log.parent.glob(f"{torn_log.name}.torn-*"))
        assert [p.read_bytes() for p in torn_copies] == [b'{"type":"text","id":"e_torn","ts":1,"te']
        assert files_are_sound(torn_log.parent) == []

        expected = [e["id"] for e in before["Scratched"] if e["id"] != scratched_id]
        assert [e["id"] for e in await office.history(ids["Scratched"])] == expected


def _current_log(home: Path, agent_id: str) -> Path:
    index = json.loads((home / "logs" / agent_id / "sessions.json").read_bytes())
    return home / "logs" / agent_id / f"{index['current']}.jsonl"


async def _state_is(office: Office, agent_id: str, *states: str) -> bool:
    return bool((await office.agent(agent_id))["status"]["state"] in states)


# R3: crashing backends and actors ----------------------------------------------------------------


async def test_a_crashing_backend_and_a_crashing_agent_leave_the_others_working(tmp_path: Path) -> None:
    office = Office(tmp_path / "home", demo_delay=0.005)
    await office.restart()
    try:
        ada, bob, cy = [await office.spawn(name, tmp_path) for name in ("Ada", "Bob", "Cy")]
        assert office.terminate() == 0
        index = office.home / "logs" / cy / "sessions.json"  # Cy's actor cannot read its own files
        index.unlink(missing_ok=True)
        index.mkdir(parents=True)
        await office.restart()
        await office.until(lambda: _is_broken(office, cy))
        await office.call("POST", f"/api/agents/{bob}/messages", {"text": "meanwhile [[demo:slow]]"})
        await office.call("POST", f"/api/agents/{ada}/messages", {"text": "please [[demo:crash]]"})
        await office.until(lambda: _has_entry(office, ada, "error_note"))
        await office.call("POST", f"/api/agents/{ada}/messages", {"text": "[[demo:fast]] are you back?"})
        await office.until(lambda: office.turn_done(ada, "are you back?"))
        ends = [e for e in await office.history(ada) if e["type"] == "turn_end"]
        assert [e["status"] for e in ends] == ["failed", "completed"]
        await office.until(lambda: office.turn_done(bob, "meanwhile"))
        assert [e["status"] for e in await office.history(bob) if e["type"] == "turn_end"] == ["completed"]
        assert "crashed repeatedly" in (await office.agent(cy))["status"]["broken"]
    finally:
        office.stop()


async def _is_broken(office: Office, agent_id: str) -> bool:
    return bool((await office.agent(agent_id))["status"]["broken"])


async def _has_entry(office: Office, agent_id: str, kind: str) -> bool:
    return any(e["type"] == kind for e in await office.history(agent_id))


@asynccontextmanager
async def codex_office(tmp_path: Path) -> AsyncIterator[Office]:
    """An office whose Codex agents run the real codex against the mock Responses API."""
    async with trio.open_nursery() as nursery:
        mock: MockServer = await nursery.start(run_mock_openai)
        # Codex will not set up its helper binaries under /tmp, so its homes live in the repository.
        parent = REPO_ROOT / "test-artifacts"
        parent.mkdir(exist_ok=True)
        root = Path(tempfile.mkdtemp(prefix="drill-codex-", dir=parent))
        try:
            (root / "home").mkdir()
            env = {
                "HOME": str(root / "home"),
                "CODEX_HOME": str(make_codex_home(root / "codex", mock.url)),
                API_KEY_ENV: "dummy",
            }
            office = Office(tmp_path / "home", demo_delay=0.005, env=env)
            await office.restart()
            try:
                yield office
            finally:
                office.stop()
        finally:
            shutil.rmtree(root, ignore_errors=True)
            nursery.cancel_scope.cancel()


def _cmdline(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())
    except psutil.Error:
        return ""


def _app_servers(office: Office) -> list[psutil.Process]:
    assert office.proc is not None
    return [p for p in psutil.Process(office.proc.pid).children() if _cmdline(p).endswith(" app-server")]


async def _topic_named(office: Office, agent_id: str) -> bool:
    return bool((await office.agent(agent_id))["status"]["topic"])


async def _one_app_server(office: Office) -> bool:
    return len(_app_servers(office)) == 1


async def test_a_killed_codex_process_is_restarted_and_the_conversation_goes_on(tmp_path: Path) -> None:
    async with codex_office(tmp_path) as office:
        cody = await office.spawn("Cody", tmp_path, backend="codex", model="gpt-5.5")
        await office.call("POST", f"/api/agents/{cody}/messages", {"text": "count slowly [[slow:200:30]]"})
        await office.until(lambda: _state_is(office, cody, "thinking"))
        await office.until(lambda: _topic_named(office, cody))  # its own codex run for the topic is over
        session = (await office.agent(cody))["status"]["sessionId"]
        await office.until(lambda: _one_app_server(office))
        (server,) = _app_servers(office)
        os.killpg(server.pid, signal.SIGKILL)
        await office.until(lambda: _has_entry(office, cody, "error_note"))
        notes = [e for e in await office.history(cody) if e["type"] == "error_note"]
        assert "stopped unexpectedly" in notes[0]["message"]  # the chat says what happened
        await office.call("POST", f"/api/agents/{cody}/messages", {"text": "[[say:back at work]]"})
        await office.until(lambda: office.turn_done(cody, "back at work"))
        entries = await office.history(cody)
        assert [e["text"] for e in entries if e["type"] == "text"][-1] == "back at work"
        assert (await office.agent(cody))["status"]["sessionId"] == session


# R4: a browser that stops reading, one that sends garbage ---------------------------------------

GARBAGE: list[str | bytes] = [
    "this is not JSON",
    b"\x00\xff\xfe binary",
    "[1, 2, 3]",
    '{"type": "hello", "clientId": "again"}',
    '{"type": "ack", "seq": "soon"}',
    '{"type": "command", "requestId": "r1", "command": {"type": "no_such_command"}}',
    '{"type": "command", "requestId": "r2", "command": {"type": "send_message", "agentId": 7, "text": ""}}',
    '{"type": "ping", "pad": "' + "x" * (1 << 20) + '"}',
]


async def _keep_agents_busy(client: Any, agents: list[str]) -> None:
    """Read like a browser, and give every agent its next fast turn as soon as it starts one."""
    sent = 0

    async def send(agent: str) -> None:
        nonlocal sent
        sent += 1
        command = {"type": "send_message", "agentId": agent, "text": f"[[demo:fast]] item {sent}"}
        await client.send({"type": "command", "requestId": f"load-{sent}", "command": command})

    for agent in agents:
        await send(agent)
    while True:
        frame = await client.next()
        for item in frame.data.get("items", []) if frame.kind == "events" else []:
            event = item["event"]
            if event["type"] == "log_appended" and event["entry"]["type"] == "user_turn":
                await send(event["agentId"])


async def _poll(check: Any, timeout: float) -> None:
    with trio.fail_after(timeout):
        while True:
            if check():
                return
            await trio.sleep(0.1)


async def _frozen(client: Any, buffer: list[str]) -> None:
    """A frozen tab: the browser still takes frames off the socket, but the page applies and acknowledges none."""
    while True:
        buffer.append(str(await client.ws.get_message()))


async def _answers(client: Any, replies: list[dict[str, Any]]) -> None:
    while True:
        frame = await client.next()
        if frame.kind in ("failure", "pong"):
            replies.append(frame.data)


async def test_a_stalled_browser_resyncs_and_a_garbage_sender_is_answered_while_others_carry_on(
    tmp_path: Path,
) -> None:
    office = Office(tmp_path / "home", demo_delay=0.0)
    await office.restart()
    try:
        agents = [await office.spawn(f"Busy{n}", tmp_path) for n in range(8)]
        url, headers = ws_url(office.url), auth_headers(office.home)
        async with connect(url, headers) as busy, connect(url, headers) as stalled, connect(url, headers) as rude:
            for client in (busy, stalled, rude):
                await client.hello()
            await stalled.welcome()
            replies: list[dict[str, Any]] = []
            unread: list[str] = []
            async with trio.open_nursery() as nursery:
                nursery.start_soon(_keep_agents_busy, busy, agents)
                nursery.start_soon(_answers, rude, replies)
                frozen = trio.CancelScope()

                async def freeze() -> None:
                    with frozen:
                        await _frozen(stalled, unread)

                nursery.start_soon(freeze)
                for frame in GARBAGE:
                    await rude.ws.send_message(frame)
                await rude.send({"type": "ping"})
                await _poll(lambda: any(r["type"] == "pong" for r in replies), 60)
                # Enough events for the frozen tab's outbox to overflow.
                await _poll(lambda: busy.last_seq >= stalled.last_seq + 6000, 240)
                assert len(await office.call("GET", "/api/agents")) == 8  # REST answers meanwhile
                frozen.cancel()
                target = busy.last_seq
                for text in unread:
                    await stalled.take(text, 0.0)
                with trio.fail_after(120):
                    while stalled.last_seq < target:
                        await stalled.next()
                nursery.cancel_scope.cancel()
        assert [r["type"] for r in replies] == ["failure"] * len(GARBAGE) + ["pong"]
        assert {r["requestId"] for r in replies[:-1]} >= {"r1", "r2"}
        assert stalled.gaps == 0
        assert busy.gaps == 0
        assert stalled.welcomes >= 2  # it was resynced with a fresh snapshot, not left with a hole
    finally:
        office.stop()


# R5: SIGTERM in the middle of turns --------------------------------------------------------------


def _alive(processes: list[psutil.Process]) -> list[str]:
    found = []
    for process in processes:
        try:
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                found.append(f"{process.pid} {_cmdline(process)[:80]}")
        except psutil.NoSuchProcess:
            pass
    return found


async def test_sigterm_during_turns_exits_cleanly_leaves_no_process_and_the_turns_can_go_on(tmp_path: Path) -> None:
    async with codex_office(tmp_path) as office:
        coders = [await office.spawn(f"Coder{n}", tmp_path, backend="codex", model="gpt-5.5") for n in range(2)]
        demo = await office.spawn("Demo", tmp_path)
        for agent in coders:
            await office.call("POST", f"/api/agents/{agent}/messages", {"text": "count slowly [[slow:300:30]]"})
        await office.call("POST", f"/api/agents/{demo}/messages", {"text": "long job [[demo:slow]]"})
        for agent in [*coders, demo]:
            await office.until(lambda a=agent: _state_is(office, a, "thinking", "tool"))
        sessions = {a: (await office.agent(a))["status"]["sessionId"] for a in [*coders, demo]}
        assert office.proc is not None
        descendants = psutil.Process(office.proc.pid).children(recursive=True)
        assert len(_app_servers(office)) >= 2
        assert await trio.to_thread.run_sync(office.terminate) == 0
        assert "Isomux stopped." in office.output()
        assert _alive(descendants) == []

        await office.restart()
        for agent in [*coders, demo]:
            entries = await office.history(agent)
            ends = [e for e in entries if e["type"] == "turn_end"]
            assert [e["status"] for e in ends] == ["interrupted"], entries
        for agent in coders:
            await office.call("POST", f"/api/agents/{agent}/messages", {"text": "[[say:picking up again]]"})
        await office.call("POST", f"/api/agents/{demo}/messages", {"text": "[[demo:fast]] picking up again"})
        for agent in [*coders, demo]:
            await office.until(lambda a=agent: office.turn_done(a, "picking up again"))
            assert (await office.agent(agent))["status"]["sessionId"] == sessions[agent]
