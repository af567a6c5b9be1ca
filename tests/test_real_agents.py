"""Claude Code and Codex agents in one office, with the real CLIs against the in-repo mock model servers.

The office reaches the mocks the way a person would configure it: an office env file. The
agents talk to each other the way their system prompt tells them to: with curl, their own
token, and ``POST /agents/:id/message`` — really run by the CLIs' shell tools.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import trio

from tests.contract.case_claude import closed_port
from tests.fakes import MockServer, run_mock_anthropic, run_mock_openai
from tests.fakes.claude_home import claude_env
from tests.fakes.codex_home import API_KEY_ENV, make_codex_home
from tests.harness import Office, browser, running_office

pytestmark = pytest.mark.slow

TIMEOUT = 90


async def _mocks(nursery: trio.Nursery, tmp_path: Path) -> tuple[MockServer, MockServer, Path]:
    anthropic: MockServer = await nursery.start(run_mock_anthropic)
    openai: MockServer = await nursery.start(run_mock_openai)
    home = tmp_path / "person-home"
    (home / ".claude").mkdir(parents=True)
    codex_home = make_codex_home(tmp_path / "codex-home", openai.url)
    env = tmp_path / "office.env"
    variables = {
        "HOME": str(home),
        **claude_env(home / ".claude", anthropic.url),
        "CODEX_HOME": str(codex_home),
        API_KEY_ENV: "dummy",
    }
    env.write_text("".join(f"{k}={v}\n" for k, v in variables.items()))
    return anthropic, openai, env


async def _turns_done(office: Office, aid: str, count: int) -> list[dict[str, Any]]:
    async def done() -> list[dict[str, Any]] | None:
        entries = await office.log(aid)
        return entries if sum(e["type"] == "turn_end" for e in entries) >= count else None

    return await office.wait_for(done, timeout=TIMEOUT)  # type: ignore[no-any-return]


def _message_curl(to: str, text: str) -> str:
    body = '{"text": "' + text + '", "senderAgentId": "\'"$ISOMUX_AGENT_ID"\'"}'
    return (
        f'curl -sf -X POST "$ISOMUX_URL/agents/{to}/message" -H "Authorization: Bearer $ISOMUX_TOKEN" '
        f"-H 'Content-Type: application/json' -d '{body}'"
    )


async def test_claude_and_codex_agents_message_each_other(tmp_path: Path, nursery: trio.Nursery) -> None:
    anthropic, openai, env = await _mocks(nursery, tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    async with running_office(tmp_path / "office") as office:
        await office.rest("PUT", "/api/office", {"envFile": str(env)}, expect=200)
        common = {"cwd": work, "permissionMode": "bypassPermissions"}
        claude = (await office.spawn("Clio", backend="claude", model="claude-sonnet-4-6", **common))["id"]
        codex = (await office.spawn("Cody", backend="codex", model="gpt-5.5", **common))["id"]

        await office.rest(
            "POST",
            f"/api/agents/{claude}/messages",
            {"text": f"[[bash:{_message_curl(codex, 'hello from Clio')}]] [[say:sent]]"},
            expect=200,
        )
        clio = await _turns_done(office, claude, 1)
        assert clio[-1]["status"] == "completed", clio[-1]
        cody = await _turns_done(office, codex, 1)
        received = next(e for e in cody if e["type"] == "user_turn")
        assert received["messages"][0]["sender"] == {"kind": "agent", "name": "Clio", "id": claude, "device": None}
        assert "[Clio] hello from Clio" in openai.last_user_texts()[-1]

        await office.rest(
            "POST",
            f"/api/agents/{codex}/messages",
            {"text": f"[[bash:{_message_curl(claude, 'got it, thanks')}]] [[say:replied]]"},
            expect=200,
        )
        await _turns_done(office, codex, 2)
        clio = await _turns_done(office, claude, 2)
        reply = [e for e in clio if e["type"] == "user_turn"][-1]
        assert reply["messages"][0]["sender"]["name"] == "Cody"
        assert any("[Cody] got it, thanks" in text for text in anthropic.last_user_texts())
        texts = [e["text"] for e in clio if e["type"] == "text"]
        assert texts[-1] == "OK: [Cody] got it, thanks"


async def test_a_claude_agent_streams_is_guarded_interrupted_and_resumes_after_a_restart(
    tmp_path: Path, nursery: trio.Nursery
) -> None:
    anthropic, _, env = await _mocks(nursery, tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    sentinel = tmp_path / "person-home" / "precious.txt"
    sentinel.write_text("keep me")
    home = tmp_path / "office"
    async with running_office(home) as office:
        await office.rest("PUT", "/api/office", {"envFile": str(env)}, expect=200)
        aid = (
            await office.spawn(
                "Clio", backend="claude", model="claude-sonnet-4-6", cwd=work, permissionMode="bypassPermissions"
            )
        )["id"]
        async with browser(office, "Nil") as watcher:
            await office.rest(
                "POST", f"/api/agents/{aid}/messages", {"text": "[[say:Streaming works fine]]"}, expect=200
            )
            await _turns_done(office, aid, 1)
            deltas = [d["text"] for d in watcher.deltas if d["agentId"] == aid and d["kind"] == "text"]
            assert len(deltas) >= 2
            assert "".join(deltas) == "Streaming works fine"

        await office.rest(
            "POST", f"/api/agents/{aid}/messages", {"text": "[[bash:rm -rf ~]] [[say:tried]]"}, expect=200
        )
        entries = await _turns_done(office, aid, 2)
        assert sentinel.read_text() == "keep me"
        turn = entries[max(i for i, e in enumerate(entries) if e["type"] == "user_turn") :]
        refusals = [e for e in turn if e["type"] == "tool_result" and e["isError"]]
        assert refusals, turn

        await office.rest("POST", f"/api/agents/{aid}/messages", {"text": "[[slow:200:50]]"}, expect=200)
        await office.wait_state(aid, "thinking", "tool", timeout=TIMEOUT)
        await trio.sleep(0.5)
        await office.rest("POST", f"/api/agents/{aid}/interrupt", expect=200)
        entries = await _turns_done(office, aid, 3)
        assert [e for e in entries if e["type"] == "turn_end"][-1]["status"] == "interrupted"
        session = (await office.status(aid))["sessionId"]

    async with running_office(home) as office:
        await office.rest("POST", f"/api/agents/{aid}/messages", {"text": "[[say:Still here]]"}, expect=200)
        entries = await _turns_done(office, aid, 4)
        assert (await office.status(aid))["sessionId"] == session
        assert entries[-2]["type"] == "text"
        assert entries[-2]["text"] == "Still here"
    last = anthropic.model_requests()[-1].payload
    assert "Streaming works fine" in str(last["messages"])  # the resumed CLI sent the whole conversation


async def test_an_unreachable_model_ends_the_turn_with_a_clear_error(tmp_path: Path, nursery: trio.Nursery) -> None:
    _, _, env = await _mocks(nursery, tmp_path)
    text = env.read_text().replace("ANTHROPIC_BASE_URL=", f"ANTHROPIC_BASE_URL=http://127.0.0.1:{closed_port()}#")
    env.write_text(text)
    async with running_office(tmp_path / "office") as office:
        await office.rest("PUT", "/api/office", {"envFile": str(env)}, expect=200)
        aid = (
            await office.spawn("Clio", backend="claude", model="claude-sonnet-4-6", permissionMode="bypassPermissions")
        )["id"]
        await office.rest("POST", f"/api/agents/{aid}/messages", {"text": "hello?"}, expect=200)
        entries = await _turns_done(office, aid, 1)
        assert entries[-1]["status"] == "failed"
        assert [e for e in entries if e["type"] == "error_note"]
        assert (await office.status(aid))["state"] == "error"
