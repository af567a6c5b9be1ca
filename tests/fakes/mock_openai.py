"""A mock of the OpenAI Responses API, for running the real ``codex app-server`` offline.

Serves ``POST /v1/responses``: server-sent events (``response.created``, ``response.output_item.added``,
``response.output_text.delta``, ``response.output_item.done``, ``response.completed`` with usage, or
``response.failed``), or one JSON response object when the body does not ask for a stream. Replies
are scripted by markers in the prompt (see :mod:`tests.fakes.script`); shell, read and write calls
all become ``exec_command`` function calls. Usage: input tokens are the request size in bytes
divided by four, output tokens the number of deltas streamed.

Point codex at it with :func:`tests.fakes.codex_home.make_codex_home`, or run it by hand with
``python -m tests.fakes.mock_openai --port 8124 --codex-home DIR``.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import trio

from .codex_home import make_codex_home
from .http import MockServer, Request, Responder, run_mock, sse_event
from .script import (
    HistoryEntry,
    ReadCall,
    ShellCall,
    StreamErrorReply,
    TextReply,
    ToolCall,
    ToolReply,
    ToolResult,
    UserText,
    current_turn,
    plan_reply,
    split_words,
)

FAILED_MESSAGE = "mock response.failed"

# User messages that codex writes itself rather than a person.
_CONTEXT_PREFIXES = (
    "<environment_context>",
    "<user_instructions>",
    "<turn_aborted>",
    "# AGENTS.md instructions",
)

_ERRORS = {
    400: ("invalid_request_error", "invalid_request"),
    401: ("invalid_request_error", "invalid_api_key"),
    429: ("rate_limit_error", "rate_limit_exceeded"),
}


def history(body: Any) -> list[HistoryEntry]:
    """The user texts and tool results among a request's ``input`` items, in order."""
    entries: list[HistoryEntry] = []
    items = body.get("input", []) if isinstance(body, dict) else []
    for item in items:
        if not isinstance(item, dict):
            continue
        kind = str(item.get("type", "message"))
        if kind.endswith("_call_output"):
            entries.append(ToolResult())
        elif kind == "message" and item.get("role") == "user":
            text = _message_text(item.get("content"))
            if text and not text.startswith(_CONTEXT_PREFIXES):
                entries.append(UserText(text))
    return entries


def _message_text(content: object) -> str:
    if isinstance(content, str):
        return content.strip()
    parts = content if isinstance(content, list) else []
    texts = [str(p.get("text", "")) for p in parts if isinstance(p, dict) and p.get("type") == "input_text"]
    return "\n".join(texts).strip()


def user_text(request: Request) -> str | None:
    """The last real user text of a model request; None for any other request."""
    if request.method != "POST" or request.path != "/v1/responses":
        return None
    return current_turn(history(request.payload)).text


def exec_arguments(call: ToolCall) -> str:
    """The ``exec_command`` arguments that carry out ``call`` in a shell."""
    if isinstance(call, ShellCall):
        command = call.command
    elif isinstance(call, ReadCall):
        command = f"cat {shlex.quote(call.path)}"
    else:
        command = f"printf '%s' {shlex.quote(call.content)} > {shlex.quote(call.path)}"
    return json.dumps({"cmd": command, "yield_time_ms": 2000})


def _error_body(status: int, message: str) -> dict[str, Any]:
    kind, code = _ERRORS.get(status, ("server_error", "server_error"))
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


class _Writer:
    """Numbers the events of one streamed response and sends them."""

    def __init__(self, responder: Responder, response_id: str, model: str) -> None:
        self.responder = responder
        self.response_id = response_id
        self.model = model
        self._sequence = itertools.count()

    def response(self, status: str, **extra: object) -> dict[str, Any]:
        return {"id": self.response_id, "object": "response", "model": self.model, "status": status, **extra}

    def event(self, kind: str, **fields: object) -> bytes:
        return sse_event(kind, {"type": kind, "sequence_number": next(self._sequence), **fields})

    async def emit(self, kind: str, **fields: object) -> None:
        await self.responder.send_chunk(self.event(kind, **fields))


async def _stream_reasoning(writer: _Writer, index: int, item_id: str, thinking: str) -> dict[str, Any]:
    where = {"item_id": item_id, "output_index": index, "summary_index": 0}
    await writer.emit(
        "response.output_item.added",
        output_index=index,
        item={"type": "reasoning", "id": item_id, "summary": []},
    )
    await writer.emit("response.reasoning_summary_part.added", **where, part={"type": "summary_text", "text": ""})
    for word in split_words(thinking):
        await writer.emit("response.reasoning_summary_text.delta", **where, delta=word)
    await writer.emit("response.reasoning_summary_text.done", **where, text=thinking)
    part = {"type": "summary_text", "text": thinking}
    await writer.emit("response.reasoning_summary_part.done", **where, part=part)
    item = {"type": "reasoning", "id": item_id, "summary": [part]}
    await writer.emit("response.output_item.done", output_index=index, item=item)
    return item


async def _stream_text(writer: _Writer, index: int, item_id: str, reply: TextReply) -> dict[str, Any]:
    item = {"type": "message", "id": item_id, "role": "assistant", "status": "in_progress", "content": []}
    await writer.emit("response.output_item.added", output_index=index, item=item)
    for number, delta in enumerate(reply.deltas):
        if number:
            await trio.sleep(reply.delay)
        await writer.emit(
            "response.output_text.delta", item_id=item_id, output_index=index, content_index=0, delta=delta
        )
        if reply.hang:
            await trio.sleep_forever()
    done = {
        **item,
        "status": "completed",
        "content": [{"type": "output_text", "text": reply.text, "annotations": []}],
    }
    await writer.emit("response.output_item.done", output_index=index, item=done)
    return done


def _function_call(call: ToolCall, number: int) -> dict[str, Any]:
    return {
        "type": "function_call",
        "id": f"fc_mock_{number:04d}",
        "call_id": f"call_mock_{number:04d}",
        "name": "exec_command",
        "arguments": exec_arguments(call),
        "status": "completed",
    }


def _final_items(reply: TextReply | ToolReply, number: int) -> list[dict[str, Any]]:
    """The output items of a reply, as they read once complete (for non-streaming requests)."""
    items: list[dict[str, Any]] = []
    if reply.thinking:
        summary = [{"type": "summary_text", "text": reply.thinking}]
        items.append({"type": "reasoning", "id": f"rs_mock_{number:04d}", "summary": summary})
    if isinstance(reply, ToolReply):
        items.append(_function_call(reply.call, number))
    else:
        content = [{"type": "output_text", "text": reply.text, "annotations": []}]
        items.append(
            {
                "type": "message",
                "id": f"msg_mock_{number:04d}",
                "role": "assistant",
                "status": "completed",
                "content": content,
            }
        )
    return items


def _usage(input_tokens: int, output_tokens: int) -> dict[str, Any]:
    return {
        "input_tokens": input_tokens,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": output_tokens,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": input_tokens + output_tokens,
    }


def _output_tokens(reply: TextReply | ToolReply) -> int:
    thinking = len(split_words(reply.thinking))
    return thinking + (len(reply.deltas) if isinstance(reply, TextReply) else 1)


async def _responses(request: Request, responder: Responder, ids: Iterator[int]) -> None:
    body = request.payload if isinstance(request.payload, dict) else {}
    reply = plan_reply(current_turn(history(body)))
    number = next(ids)
    input_tokens = max(1, len(request.body) // 4)
    writer = _Writer(responder, f"resp_mock_{number:04d}", str(body.get("model", "mock-model")))
    if isinstance(reply, StreamErrorReply):
        failed = writer.response("failed", error={"code": "server_error", "message": FAILED_MESSAGE})
        if not body.get("stream"):
            await responder.send_json(500, _error_body(500, FAILED_MESSAGE))
            return
        await responder.start_stream()
        await writer.emit("response.created", response=writer.response("in_progress", output=[]))
        await responder.end_stream(writer.event("response.failed", response=failed))
        return
    if not isinstance(reply, TextReply | ToolReply):
        await responder.send_json(reply.status, _error_body(reply.status, f"mock HTTP {reply.status}"))
        return
    usage = _usage(input_tokens, _output_tokens(reply))
    if not body.get("stream"):
        if isinstance(reply, TextReply) and reply.hang:
            await trio.sleep_forever()
        await responder.send_json(200, writer.response("completed", output=_final_items(reply, number), usage=usage))
        return
    await responder.start_stream()
    await writer.emit("response.created", response=writer.response("in_progress", output=[]))
    output: list[dict[str, Any]] = []
    if reply.thinking:
        output.append(await _stream_reasoning(writer, len(output), f"rs_mock_{number:04d}", reply.thinking))
    if isinstance(reply, ToolReply):
        item = _function_call(reply.call, number)
        await writer.emit(
            "response.output_item.added",
            output_index=len(output),
            item={**item, "arguments": "", "status": "in_progress"},
        )
        await writer.emit("response.output_item.done", output_index=len(output), item=item)
        output.append(item)
    else:
        output.append(await _stream_text(writer, len(output), f"msg_mock_{number:04d}", reply))
    completed = writer.response("completed", output=output, usage=usage)
    await responder.end_stream(writer.event("response.completed", response=completed))


async def _handle(request: Request, responder: Responder, ids: Iterator[int]) -> None:
    if (request.method, request.path) == ("POST", "/v1/responses"):
        await _responses(request, responder, ids)
    else:
        await responder.send_json(404, _error_body(404, f"no route for {request.method} {request.path}"))


async def run_mock_openai(
    *, port: int = 0, task_status: trio.TaskStatus[MockServer] = trio.TASK_STATUS_IGNORED
) -> None:
    """Serve the mock on 127.0.0.1 until cancelled; ``task_status.started`` gets the :class:`MockServer`."""
    handler = functools.partial(_handle, ids=itertools.count(1))
    await run_mock(handler, user_text, port=port, task_status=task_status)


async def _main(port: int, codex_home: Path | None) -> None:
    async with trio.open_nursery() as nursery:
        server: MockServer = await nursery.start(functools.partial(run_mock_openai, port=port))
        print(f"Mock OpenAI Responses API on {server.url}")
        if codex_home is None:
            print("Write a CODEX_HOME for it with --codex-home DIR, then run codex (or Isomux) with:")
            codex_home = Path("DIR")
        else:
            make_codex_home(codex_home, server.url)
            print(f"Wrote {codex_home / 'config.toml'}; run codex (or Isomux) with:")
        print(f"  CODEX_HOME={codex_home} MOCK_API_KEY=dummy isomux serve")
        print("Press Ctrl+C to stop.", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="A mock of the OpenAI Responses API for codex.")
    parser.add_argument("--port", type=int, default=8124, help="port on 127.0.0.1 (0 picks a free one)")
    parser.add_argument("--codex-home", type=Path, help="write a config.toml for the mock into this directory")
    args = parser.parse_args(argv)
    try:
        trio.run(_main, args.port, args.codex_home)
    except KeyboardInterrupt:
        print("stopped")


if __name__ == "__main__":
    main()
