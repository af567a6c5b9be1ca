"""The baseline for turn overhead: the same CLIs and mocks, driven directly, without the office.

Claude Code is driven by ``claude-agent-sdk`` (``ClaudeSDKClient`` with partial messages, the
options the office uses apart from its hooks, its permission callback and its system prompt layer);
Codex by a minimal JSON-RPC client over the ``codex app-server`` stdio protocol. Each measures two
turns on one process: the first includes starting the process and opening the session ("cold"); the
next ``WARM`` do not, and their median is the "warm" figure (the CLI's own time for one turn varies
by ±30 %, so one warm turn per run would mostly measure that). A turn's time is from asking until
the first streamed text token arrives.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

import trio
from claude_agent_sdk import ClaudeAgentOptions, ClaudeSDKClient, ResultMessage
from claude_agent_sdk.types import StreamEvent

WARM = 5  # warm turns per run; their median is the run's warm figure
EFFORT = "high"  # the effort both sides ask for (an agent's default); Claude Code does more work at higher ones


def _is_text_delta(message: object) -> bool:
    if not isinstance(message, StreamEvent):
        return False
    event = message.event
    return event.get("type") == "content_block_delta" and event.get("delta", {}).get("type") == "text_delta"


async def claude_turns(env: dict[str, str], cwd: Path, prompt: str, model: str) -> tuple[float, float]:
    """Milliseconds to the first text token: (cold, warm)."""
    options = ClaudeAgentOptions(
        cwd=cwd,
        env=env,
        model=model,
        permission_mode="default",
        system_prompt={"type": "preset", "preset": "claude_code", "append": "You work in a benchmark."},
        effort=EFFORT,
        include_partial_messages=True,
    )
    times = []
    began = time.perf_counter()
    async with ClaudeSDKClient(options) as client:
        for _ in range(1 + WARM):
            await client.query(prompt)
            first = None
            async for message in client.receive_response():
                if first is None and _is_text_delta(message):
                    first = time.perf_counter()
                if isinstance(message, ResultMessage):
                    break
            if first is None:
                raise RuntimeError("Claude Code streamed no text")
            times.append((first - began) * 1000)
            began = time.perf_counter()
    return times[0], statistics.median(times[1:])


class _Rpc:
    def __init__(self, proc: trio.Process) -> None:
        assert proc.stdin is not None
        assert proc.stdout is not None
        self.proc = proc
        self.stdin = proc.stdin
        self.stdout = proc.stdout
        self.buffer = b""
        self.ids = itertools.count(1)
        self.early: list[dict[str, Any]] = []  # notifications read while waiting for a response

    async def send(self, message: dict[str, Any]) -> None:
        await self.stdin.send_all((json.dumps(message) + "\n").encode())

    async def read(self) -> dict[str, Any]:
        while b"\n" not in self.buffer:
            chunk = await self.stdout.receive_some(65536)
            if not chunk:
                raise RuntimeError("codex app-server closed its output")
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return dict(json.loads(line))

    async def request(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        rpc_id = next(self.ids)
        await self.send({"id": rpc_id, "method": method, "params": params})
        while True:
            message = await self.read()
            if message.get("id") == rpc_id and "method" not in message:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result") or {})
            if "id" not in message:
                self.early.append(message)

    async def until(self, method: str) -> None:
        while self.early:
            if self.early.pop(0).get("method") == method:
                return
        while (await self.read()).get("method") != method:
            pass


async def codex_turns(binary: Path, env: dict[str, str], cwd: Path, prompt: str, model: str) -> tuple[float, float]:
    """Milliseconds to the first text token: (cold, warm)."""
    began = time.perf_counter()
    proc = await trio.lowlevel.open_process(
        [os.fspath(binary), "app-server"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=cwd,
        start_new_session=True,
    )
    rpc = _Rpc(proc)
    try:
        info = {"name": "bench", "title": "bench", "version": "0"}
        await rpc.request("initialize", {"clientInfo": info, "capabilities": {"experimentalApi": True}})
        await rpc.send({"method": "initialized"})
        params = {"cwd": os.fspath(cwd), "approvalPolicy": "never", "sandbox": "danger-full-access", "model": model}
        thread = (await rpc.request("thread/start", params))["thread"]["id"]
        times = []
        for _ in range(1 + WARM):
            items = [{"type": "text", "text": prompt, "text_elements": []}]
            await rpc.request("turn/start", {"threadId": thread, "input": items, "effort": EFFORT})
            await rpc.until("item/agentMessage/delta")
            times.append((time.perf_counter() - began) * 1000)
            await rpc.until("turn/completed")
            began = time.perf_counter()
    finally:
        with trio.move_on_after(5, shield=True):
            await rpc.stdin.aclose()
            await proc.wait()
        if proc.returncode is None:
            os.killpg(proc.pid, signal.SIGKILL)
            await proc.wait()
    return times[0], statistics.median(times[1:])
