"""The mock model servers: their reply script, their HTTP behaviour, and the real CLIs against them."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import AsyncIterator, Iterator
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

import h11
import httpx
import pytest
import trio
from claude_agent_sdk import (
    AssistantMessage,
    ClaudeAgentOptions,
    ClaudeSDKClient,
    Message,
    ResultMessage,
    TextBlock,
    ToolUseBlock,
)
from hypothesis import given
from hypothesis import strategies as st

from isomux.errors import BackendUnavailable
from tests.fakes import (
    MockServer,
    codex_binary,
    make_codex_home,
    mock_anthropic,
    mock_openai,
    run_mock_anthropic,
    run_mock_openai,
)
from tests.fakes import codex_home as codex_home_module
from tests.fakes.claude_home import claude_env
from tests.fakes.script import (
    ErrorReply,
    ReadCall,
    ShellCall,
    StreamErrorReply,
    TextReply,
    ToolReply,
    ToolResult,
    Turn,
    UserText,
    WriteCall,
    current_turn,
    plan_reply,
    split_words,
)

REPO_ROOT = Path(__file__).resolve().parents[1]


def reply_to(text: str, tool_results: int = 0) -> Any:
    return plan_reply(Turn(text=text, tool_results=tool_results))


# The reply script ---------------------------------------------------------------


def test_no_marker_echoes_the_start_of_the_prompt() -> None:
    reply = reply_to("Please tidy the kitchen " + "x" * 100)
    assert isinstance(reply, TextReply)
    assert reply.text == "OK: Please tidy the kitchen " + "x" * 36
    assert len(reply.text) == len("OK: ") + 60


def test_say_streams_exactly_the_text_word_by_word() -> None:
    reply = reply_to("[[say:Hello there, general Kenobi]] and some words")
    assert isinstance(reply, TextReply)
    assert reply.text == "Hello there, general Kenobi"
    assert reply.deltas == ("Hello ", "there, ", "general ", "Kenobi")


@given(st.text())
def test_word_deltas_always_add_up_to_the_text(text: str) -> None:
    assert "".join(split_words(text)) == text


def test_bash_markers_become_one_call_per_response_then_the_final_text() -> None:
    prompt = "[[bash:echo one]] [[bash:echo two]] [[say:All done]]"
    assert reply_to(prompt, 0) == ToolReply(call=ShellCall("echo one"))
    assert reply_to(prompt, 1) == ToolReply(call=ShellCall("echo two"))
    assert reply_to(prompt, 2) == TextReply(deltas=("All ", "done"))
    assert reply_to("[[bash:true]]", 1) == TextReply(deltas=("Done.",))


def test_read_and_write_markers_keep_their_order() -> None:
    prompt = "[[write:notes/a.txt|some | content]] then [[read:/etc/hostname]]"
    assert reply_to(prompt, 0) == ToolReply(call=WriteCall("notes/a.txt", "some | content"))
    assert reply_to(prompt, 1) == ToolReply(call=ReadCall("/etc/hostname"))


def test_thinking_comes_with_the_first_response_of_a_turn_only() -> None:
    prompt = "[[think:Let me look]][[bash:ls]]"
    assert reply_to(prompt, 0) == ToolReply(call=ShellCall("ls"), thinking="Let me look")
    assert reply_to(prompt, 1) == TextReply(deltas=("Done.",))


def test_slow_and_hang_shape_the_stream() -> None:
    slow = reply_to("[[slow:4:25]]")
    assert slow == TextReply(deltas=("tok1 ", "tok2 ", "tok3 ", "tok4"), delay=0.025)
    hang = reply_to("[[hang]] wait")
    assert isinstance(hang, TextReply)
    assert hang.hang


@pytest.mark.parametrize("status", [500, 401, 529, 400])
def test_error_markers_ask_for_that_status(status: int) -> None:
    assert reply_to(f"[[error:{status}]] [[bash:ls]]") == ErrorReply(status)


def test_midstream_error_marker() -> None:
    assert reply_to("[[error:midstream]]") == StreamErrorReply()


def test_topic_requests_get_text_only() -> None:
    marked = "<topic-request>\n[[bash:rm -rf x]] [[topic:Fixing the login page]] [[error:500]]"
    assert reply_to(marked) == TextReply(deltas=("Fixing ", "the ", "login ", "page"))
    assert reply_to("<topic-request> talk about cats") == TextReply(deltas=("Mock ", "conversation ", "topic"))
    # Outside a topic request the topic marker does nothing.
    assert reply_to("[[topic:Cats]] hi") == TextReply(deltas=("OK: ", "hi"))


def test_markers_inside_system_reminders_are_ignored() -> None:
    reply = reply_to("<system-reminder>[[bash:rm -rf /]]</system-reminder>hello")
    assert reply == TextReply(deltas=("OK: ", "hello"))


def test_coalesced_messages_count_as_one_text() -> None:
    reply = reply_to("[Nil] please check\n\n[Bob] [[say:Checked]]")
    assert reply == TextReply(deltas=("Checked",))


def test_only_the_last_user_text_drives_the_turn() -> None:
    turn = current_turn([UserText("[[bash:touch x]]"), ToolResult(), UserText("thanks"), ToolResult()])
    assert turn == Turn(text="thanks", tool_results=1)
    assert reply_to(turn.text, turn.tool_results) == TextReply(deltas=("OK: ", "thanks"))


def test_anthropic_history_skips_reminders_system_messages_and_folded_prompts() -> None:
    reminder = {"type": "text", "text": "<system-reminder>[[error:500]]</system-reminder>"}
    body = {
        "messages": [
            {"role": "user", "content": [reminder, {"type": "text", "text": "[[error:500]]"}]},
            {"role": "system", "content": "# Environment"},
            {
                "role": "user",
                "content": [
                    reminder,
                    {"type": "text", "text": "[[error:500]]"},
                    {"type": "text", "text": "hi"},
                ],
            },
            {"role": "assistant", "content": [{"type": "tool_use", "id": "t", "name": "Bash", "input": {}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t", "content": "ok"}]},
        ]
    }
    assert current_turn(mock_anthropic.history(body)) == Turn(text="hi", tool_results=1)


def test_openai_history_skips_what_codex_writes_itself() -> None:
    def user(text: str) -> dict[str, Any]:
        return {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}

    body = {
        "input": [
            {"type": "message", "role": "developer", "content": [{"type": "input_text", "text": "[[hang]]"}]},
            user("<environment_context>\n  <cwd>/w</cwd>\n</environment_context>"),
            user("[[bash:ls]]"),
            {"type": "function_call", "call_id": "c1", "name": "exec_command", "arguments": "{}"},
            {"type": "function_call_output", "call_id": "c1", "output": "done"},
            user("<turn_aborted>\nThe user interrupted.\n</turn_aborted>"),
            {"type": "custom_tool_call_output", "call_id": "c2", "output": "done"},
        ]
    }
    assert current_turn(mock_openai.history(body)) == Turn(text="[[bash:ls]]", tool_results=2)


# The mocks over real HTTP ---------------------------------------------------------


def parse_sse(raw: str) -> list[tuple[str, Any]]:
    events = []
    for block in raw.split("\n\n"):
        if block.strip():
            fields = dict(line.split(": ", 1) for line in block.splitlines())
            events.append((fields["event"], json.loads(fields["data"])))
    return events


@pytest.fixture
async def anthropic(nursery: trio.Nursery) -> MockServer:
    server: MockServer = await nursery.start(run_mock_anthropic)
    return server


@pytest.fixture
async def openai(nursery: trio.Nursery) -> MockServer:
    server: MockServer = await nursery.start(run_mock_openai)
    return server


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


def anthropic_body(prompt: str, *, stream: bool = True) -> dict[str, Any]:
    reminder = {"type": "text", "text": "<system-reminder>be nice</system-reminder>"}
    content = [reminder, {"type": "text", "text": prompt}]
    return {"model": "claude-test", "stream": stream, "messages": [{"role": "user", "content": content}]}


async def test_anthropic_streams_text_with_usage(anthropic: MockServer, http: httpx.AsyncClient) -> None:
    body = anthropic_body("[[think:Hmm]] [[say:Hello from the mock]]")
    sent = json.dumps(body).encode()
    response = await http.post(f"{anthropic.url}/v1/messages?beta=true", content=sent)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream"
    events = parse_sse(response.text)
    names = [name for name, _ in events]
    assert names[0] == "message_start"
    assert names[-2:] == ["message_delta", "message_stop"]
    blocks = [data["content_block"]["type"] for name, data in events if name == "content_block_start"]
    assert blocks == ["thinking", "text"]
    deltas = [data["delta"] for name, data in events if name == "content_block_delta"]
    text = "".join(d["text"] for d in deltas if d["type"] == "text_delta")
    assert text == "Hello from the mock"
    assert any(d["type"] == "signature_delta" for d in deltas)
    start_usage = events[0][1]["message"]["usage"]
    assert start_usage["input_tokens"] == len(sent) // 4
    assert events[-2][1]["usage"]["output_tokens"] == len(deltas)
    assert events[-2][1]["delta"]["stop_reason"] == "end_turn"
    assert anthropic.last_user_texts() == ["[[think:Hmm]] [[say:Hello from the mock]]"]


async def test_anthropic_answers_plain_json_when_not_streaming(anthropic: MockServer, http: httpx.AsyncClient) -> None:
    response = await http.post(f"{anthropic.url}/v1/messages", json=anthropic_body("[[bash:ls -l]]", stream=False))
    message = response.json()
    assert message["type"] == "message"
    assert message["stop_reason"] == "tool_use"
    [tool] = message["content"]
    assert tool["name"] == "Bash"
    assert tool["input"] == {"command": "ls -l", "description": "run a command"}


@pytest.mark.parametrize(
    ("status", "kind"), [(401, "authentication_error"), (529, "overloaded_error"), (500, "api_error")]
)
async def test_anthropic_http_errors(anthropic: MockServer, http: httpx.AsyncClient, status: int, kind: str) -> None:
    response = await http.post(f"{anthropic.url}/v1/messages", json=anthropic_body(f"[[error:{status}]]"))
    assert response.status_code == status
    assert response.json()["error"]["type"] == kind


async def test_anthropic_midstream_error(anthropic: MockServer, http: httpx.AsyncClient) -> None:
    response = await http.post(f"{anthropic.url}/v1/messages", json=anthropic_body("[[error:midstream]]"))
    assert [name for name, _ in parse_sse(response.text)] == ["message_start", "error"]


async def test_anthropic_side_endpoints(anthropic: MockServer, http: httpx.AsyncClient) -> None:
    assert (await http.head(f"{anthropic.url}/api/hello")).status_code == 200
    count = await http.post(f"{anthropic.url}/v1/messages/count_tokens", json=anthropic_body("hi"))
    assert count.json()["input_tokens"] > 0
    models = await http.get(f"{anthropic.url}/v1/models")
    assert models.json()["data"][0]["type"] == "model"
    assert (await http.get(f"{anthropic.url}/nowhere")).status_code == 404


class RawHttp:
    """One HTTP/1.1 connection driven by hand, to control exactly when it is reused or dropped."""

    def __init__(self, stream: trio.SocketStream) -> None:
        self.stream = stream
        self.conn = h11.Connection(h11.CLIENT)

    async def post(self, path: str, value: object) -> None:
        body = json.dumps(value).encode()
        headers = [("host", "mock"), ("content-type", "application/json"), ("content-length", str(len(body)))]
        head = self.conn.send(h11.Request(method="POST", target=path, headers=headers))
        await self.stream.send_all(head + self.conn.send(h11.Data(data=body)) + self.conn.send(h11.EndOfMessage()))

    async def read(self, *, until: str | None = None) -> str:
        """The response body, whole, or only as far as the first occurrence of ``until``."""
        received = bytearray()
        while not isinstance(event := self.conn.next_event(), h11.EndOfMessage):
            if event is h11.NEED_DATA:
                self.conn.receive_data(await self.stream.receive_some(65536))
            elif isinstance(event, h11.Data):
                received += event.data
                if until is not None and until in received.decode():
                    break
        return received.decode()


async def test_hanging_reply_notices_the_client_leaving(anthropic: MockServer) -> None:
    with trio.fail_after(10):
        async with await trio.open_tcp_stream("127.0.0.1", anthropic.port) as stream:
            client = RawHttp(stream)
            await client.post("/v1/messages", anthropic_body("[[hang]]"))
            assert "text_delta" in await client.read(until="text_delta")
        await anthropic.wait_until(lambda: bool(anthropic.disconnects))
    assert anthropic.disconnects == anthropic.requests


async def test_connections_are_kept_alive(anthropic: MockServer) -> None:
    """Two requests on one connection, as the CLIs send them."""
    with trio.fail_after(10):
        async with await trio.open_tcp_stream("127.0.0.1", anthropic.port) as stream:
            client = RawHttp(stream)
            for prompt, text in (("[[say:first]]", "first"), ("[[say:second]]", "second")):
                await client.post("/v1/messages", anthropic_body(prompt))
                assert f'"text": "{text}"' in await client.read()
                client.conn.start_next_cycle()
    assert anthropic.last_user_texts() == ["[[say:first]]", "[[say:second]]"]
    assert anthropic.disconnects == []


def openai_body(prompt: str) -> dict[str, Any]:
    context = {"type": "input_text", "text": "<environment_context>x</environment_context>"}
    return {
        "model": "gpt-test",
        "stream": True,
        "input": [
            {"type": "message", "role": "user", "content": [context]},
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": prompt}]},
        ],
    }


async def test_openai_streams_text_with_usage(openai: MockServer, http: httpx.AsyncClient) -> None:
    response = await http.post(f"{openai.url}/v1/responses", json=openai_body("[[say:Hello from the mock]]"))
    events = parse_sse(response.text)
    names = [name for name, _ in events]
    assert names[0] == "response.created"
    assert names[-1] == "response.completed"
    deltas = [data["delta"] for name, data in events if name == "response.output_text.delta"]
    assert len(deltas) == 4
    done = next(data["item"] for name, data in events if name == "response.output_item.done")
    assert done["content"][0]["text"] == "".join(deltas) == "Hello from the mock"
    assert events[-1][1]["response"]["usage"]["output_tokens"] == 4
    assert openai.last_user_texts() == ["[[say:Hello from the mock]]"]


@pytest.mark.parametrize(
    ("prompt", "command"),
    [
        ("[[bash:echo hi > f.txt]]", "echo hi > f.txt"),
        ("[[write:my notes.txt|it's here]]", "printf '%s' 'it'\"'\"'s here' > 'my notes.txt'"),
        ("[[read:notes.txt]]", "cat notes.txt"),
    ],
)
async def test_openai_tool_calls_are_shell_commands(
    openai: MockServer, http: httpx.AsyncClient, prompt: str, command: str
) -> None:
    response = await http.post(f"{openai.url}/v1/responses", json=openai_body(prompt))
    events = parse_sse(response.text)
    item = next(data["item"] for name, data in events if name == "response.output_item.done")
    assert item["type"] == "function_call"
    assert item["name"] == "exec_command"
    assert json.loads(item["arguments"]) == {"cmd": command, "yield_time_ms": 2000}


async def test_openai_errors(openai: MockServer, http: httpx.AsyncClient) -> None:
    response = await http.post(f"{openai.url}/v1/responses", json=openai_body("[[error:401]]"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_api_key"
    failed = await http.post(f"{openai.url}/v1/responses", json=openai_body("[[error:midstream]]"))
    assert [name for name, _ in parse_sse(failed.text)] == ["response.created", "response.failed"]


# The codex configuration -----------------------------------------------------------------


def test_codex_home_points_codex_at_the_mock_and_nowhere_else(tmp_path: Path) -> None:
    home = make_codex_home(tmp_path / "home", "http://127.0.0.1:4321/")
    config = tomllib.loads((home / "config.toml").read_text())
    provider = config["model_providers"][config["model_provider"]]
    assert provider["base_url"] == "http://127.0.0.1:4321/v1"
    assert provider["env_key"] == "MOCK_API_KEY"
    assert provider["request_max_retries"] == provider["stream_max_retries"] == 0
    assert config["model"] == "gpt-5.5"
    assert config["check_for_update_on_startup"] is False
    assert config["analytics"] == {"enabled": False}
    assert not any(config["features"].values())


def test_a_missing_codex_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(codex_home_module, "CODEX_PACKAGE_DIR", tmp_path)
    with pytest.raises(BackendUnavailable, match="make tools"):
        codex_binary()


@pytest.mark.parametrize("module", ["mock_anthropic", "mock_openai"])
async def test_the_mocks_run_from_the_command_line(module: str, tmp_path: Path, http: httpx.AsyncClient) -> None:
    home = tmp_path / "codex-home"
    command = [sys.executable, "-m", f"tests.fakes.{module}", "--port", "0"]
    if module == "mock_openai":
        command += ["--codex-home", str(home)]
    with trio.fail_after(30):
        async with trio.open_nursery() as nursery:
            process: trio.Process = await nursery.start(
                partial(trio.run_process, command, cwd=REPO_ROOT, stdout=subprocess.PIPE, check=False)
            )
            assert process.stdout is not None
            output = ""
            while "Ctrl+C" not in output:
                chunk = await process.stdout.receive_some()
                assert chunk, f"the mock exited early: {output}"
                output += chunk.decode()
            url = output.split(" on ", 1)[1].split()[0]
            if module == "mock_anthropic":
                reply = await http.post(f"{url}/v1/messages", json=anthropic_body("[[say:hi]]", stream=False))
            else:
                reply = await http.post(f"{url}/v1/responses", json={**openai_body("[[say:hi]]"), "stream": False})
            process.send_signal(signal.SIGINT)
    assert reply.status_code == 200
    assert "hi" in reply.text
    if module == "mock_anthropic":
        assert f"ANTHROPIC_BASE_URL={url} ANTHROPIC_API_KEY=dummy" in output
    else:
        assert f"CODEX_HOME={home} MOCK_API_KEY=dummy" in output
        assert tomllib.loads((home / "config.toml").read_text())["model_providers"]["mock"]["base_url"] == url + "/v1"


# The real CLIs against the mocks ------------------------------------------------------


async def pump(client: ClaudeSDKClient, send: trio.MemorySendChannel[Message]) -> None:
    # Iterating to the very end is what keeps the SDK's generators from being collected half-done.
    async with send:
        async for message in client.receive_messages():
            await send.send(message)


async def one_turn(receive: trio.MemoryReceiveChannel[Message]) -> list[Message]:
    messages: list[Message] = []
    async for message in receive:
        messages.append(message)
        if isinstance(message, ResultMessage):
            break
    return messages


@pytest.mark.slow
async def test_claude_cli_talks_to_the_mock(anthropic: MockServer, tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    env = {**claude_env(tmp_path / "claude-config", anthropic.url), "IS_SANDBOX": "1"}
    stderr: list[str] = []
    options = ClaudeAgentOptions(
        cwd=workspace, env=env, setting_sources=[], permission_mode="bypassPermissions", stderr=stderr.append
    )
    send, receive = trio.open_memory_channel[Message](64)
    with trio.fail_after(90):
        async with trio.open_nursery() as nursery, ClaudeSDKClient(options) as client:
            nursery.start_soon(pump, client, send)
            await client.query("[[say:Hello from the mock]]")
            greeting = await one_turn(receive)
            await client.query("[[bash:echo hi > made-by-claude.txt]]")
            command = await one_turn(receive)
    assistant = [b for m in greeting if isinstance(m, AssistantMessage) for b in m.content]
    assert [b.text for b in assistant if isinstance(b, TextBlock)] == ["Hello from the mock"], stderr
    result = command[-1]
    assert isinstance(result, ResultMessage)
    assert not result.is_error, stderr
    tools = [b for m in command if isinstance(m, AssistantMessage) for b in m.content if isinstance(b, ToolUseBlock)]
    assert [(t.name, t.input["command"]) for t in tools] == [("Bash", "echo hi > made-by-claude.txt")]
    assert (workspace / "made-by-claude.txt").read_text() == "hi\n"
    assert anthropic.last_user_texts()[0] == "[[say:Hello from the mock]]"
    assert all(r.headers["x-api-key"] == "dummy" for r in anthropic.model_requests())


@pytest.fixture
def codex_home_dir() -> Iterator[Path]:
    # Codex will not set up its helper binaries under /tmp, so the home lives in the repository.
    parent = REPO_ROOT / "test-artifacts"
    parent.mkdir(exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="codex-home-", dir=parent))
    yield home
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def stderr_log(tmp_path: Path) -> Iterator[BinaryIO]:
    with (tmp_path / "stderr.log").open("w+b") as log:
        yield log


class JsonLines:
    """Just enough of a JSON-lines client to drive ``codex app-server`` in a test."""

    def __init__(self, process: trio.Process) -> None:
        assert process.stdin is not None
        assert process.stdout is not None
        self.stdin = process.stdin
        self.stdout = process.stdout
        self.buffer = bytearray()
        self.notifications: list[dict[str, Any]] = []

    async def send(self, message: dict[str, Any]) -> None:
        await self.stdin.send_all(json.dumps(message).encode() + b"\n")

    async def receive(self) -> dict[str, Any]:
        while b"\n" not in self.buffer:
            chunk = await self.stdout.receive_some()
            if not chunk:
                raise EOFError("codex app-server closed its output")
            self.buffer += chunk
        line, _, rest = bytes(self.buffer).partition(b"\n")
        self.buffer = bytearray(rest)
        message: dict[str, Any] = json.loads(line)
        return message

    async def request(self, request_id: int, method: str, params: dict[str, Any]) -> dict[str, Any]:
        await self.send({"id": request_id, "method": method, "params": params})
        while True:
            message = await self.receive()
            if message.get("id") == request_id and "method" not in message:
                assert "error" not in message, message
                result: dict[str, Any] = message["result"]
                return result
            self.notifications.append(message)

    async def until(self, method: str) -> dict[str, Any]:
        while True:
            message = await self.receive()
            self.notifications.append(message)
            if message.get("method") == method:
                return message


async def kill_group(process: trio.Process) -> None:
    os.killpg(process.pid, signal.SIGKILL)


@pytest.mark.slow
async def test_codex_app_server_talks_to_the_mock(
    openai: MockServer, codex_home_dir: Path, stderr_log: BinaryIO, tmp_path: Path
) -> None:
    home = make_codex_home(codex_home_dir, openai.url)
    env = {**os.environ, "CODEX_HOME": str(home), "MOCK_API_KEY": "dummy"}
    command = [str(codex_binary()), "app-server"]
    with trio.fail_after(60):
        async with trio.open_nursery() as nursery:
            process: trio.Process = await nursery.start(
                partial(
                    trio.run_process,
                    command,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=stderr_log,
                    env=env,
                    start_new_session=True,
                    check=False,
                    deliver_cancel=kill_group,
                )
            )
            rpc = JsonLines(process)
            await rpc.request(1, "initialize", {"clientInfo": {"name": "isomux_test", "title": None, "version": "0"}})
            await rpc.send({"method": "initialized"})
            thread = await rpc.request(2, "thread/start", {"cwd": str(tmp_path)})
            turn_input = [{"type": "text", "text": "[[say:hello there]]"}]
            await rpc.request(3, "turn/start", {"threadId": thread["thread"]["id"], "input": turn_input})
            completed = await rpc.until("turn/completed")
            await rpc.stdin.aclose()
    stderr_log.seek(0)
    log = stderr_log.read().decode(errors="replace")
    assert completed["params"]["turn"]["status"] == "completed", log
    finished = [n["params"]["item"] for n in rpc.notifications if n.get("method") == "item/completed"]
    assert [i["text"] for i in finished if i["type"] == "agentMessage"] == ["hello there"], log
    deltas = [n["params"]["delta"] for n in rpc.notifications if n.get("method") == "item/agentMessage/delta"]
    assert len(deltas) > 1
    assert "".join(deltas) == "hello there"
    assert openai.last_user_texts() == ["[[say:hello there]]"]
    assert openai.requests[0].headers["authorization"] == "Bearer dummy"
