"""A mock of the Anthropic Messages API, for running the real Claude Code CLI offline.

Serves ``POST /v1/messages`` (server-sent events when the body says ``"stream": true``, otherwise
one JSON Message, which the CLI asks for after a mid-stream error), ``POST
/v1/messages/count_tokens``, ``GET /v1/models`` and ``HEAD /api/hello``. Replies are scripted by
markers in the prompt (see :mod:`tests.fakes.script`). Usage in each reply: input tokens are the
request size in bytes divided by four, output tokens the number of deltas streamed.

Run it by hand with ``python -m tests.fakes.mock_anthropic --port 8123``.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
from collections.abc import Iterator
from typing import Any

import attrs
import trio

from .http import MockServer, Request, Responder, run_mock, sse_event
from .script import (
    HistoryEntry,
    ReadCall,
    ShellCall,
    StreamErrorReply,
    TextReply,
    ToolReply,
    ToolResult,
    UserText,
    WriteCall,
    current_turn,
    plan_reply,
    split_words,
    strip_reminders,
)

MOCK_SIGNATURE = "bW9jay1zaWduYXR1cmU="
MIDSTREAM_MESSAGE = "mock mid-stream error"

_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    529: "overloaded_error",
}


def history(body: Any) -> list[HistoryEntry]:
    """The user texts and tool results of a Messages request, in order."""
    entries: list[HistoryEntry] = []
    messages = body.get("messages", []) if isinstance(body, dict) else []
    for message in messages:
        if not isinstance(message, dict) or message.get("role") != "user":
            continue
        content = message.get("content")
        blocks = [{"type": "text", "text": content}] if isinstance(content, str) else content or []
        results = [b for b in blocks if isinstance(b, dict) and b.get("type") == "tool_result"]
        if results:
            entries.extend(ToolResult() for _ in results)
            continue
        texts = [strip_reminders(str(b.get("text", ""))).strip() for b in blocks if _is_text(b)]
        texts = [t for t in texts if t]
        if texts:
            # The CLI folds a prompt whose turn failed into the next one as an earlier block;
            # only the newest block is what the person just sent.
            entries.append(UserText(texts[-1]))
    return entries


def _is_text(block: object) -> bool:
    return isinstance(block, dict) and block.get("type") == "text"


def user_text(request: Request) -> str | None:
    """The last real user text of a model request; None for any other request."""
    if request.method != "POST" or request.path != "/v1/messages":
        return None
    return current_turn(history(request.payload)).text


@attrs.frozen
class _Block:
    """One content block: how it starts, its deltas, and how it reads once complete."""

    start: dict[str, Any]
    deltas: tuple[dict[str, Any], ...]
    final: dict[str, Any]


def _blocks(reply: TextReply | ToolReply, ids: Iterator[int]) -> list[_Block]:
    blocks = []
    if reply.thinking:
        words = split_words(reply.thinking)
        blocks.append(
            _Block(
                start={"type": "thinking", "thinking": "", "signature": ""},
                deltas=(
                    *({"type": "thinking_delta", "thinking": w} for w in words),
                    {"type": "signature_delta", "signature": MOCK_SIGNATURE},
                ),
                final={"type": "thinking", "thinking": reply.thinking, "signature": MOCK_SIGNATURE},
            )
        )
    if isinstance(reply, TextReply):
        blocks.append(
            _Block(
                start={"type": "text", "text": ""},
                deltas=tuple({"type": "text_delta", "text": d} for d in reply.deltas),
                final={"type": "text", "text": reply.text},
            )
        )
    else:
        name, arguments = _tool_input(reply)
        encoded = json.dumps(arguments)
        half = len(encoded) // 2
        tool_id = f"toolu_mock_{next(ids):04d}"
        blocks.append(
            _Block(
                start={"type": "tool_use", "id": tool_id, "name": name, "input": {}},
                deltas=tuple(
                    {"type": "input_json_delta", "partial_json": part} for part in (encoded[:half], encoded[half:])
                ),
                final={"type": "tool_use", "id": tool_id, "name": name, "input": arguments},
            )
        )
    return blocks


def _tool_input(reply: ToolReply) -> tuple[str, dict[str, str]]:
    call = reply.call
    if isinstance(call, ShellCall):
        return "Bash", {"command": call.command, "description": "run a command"}
    if isinstance(call, ReadCall):
        return "Read", {"file_path": call.path}
    assert isinstance(call, WriteCall)
    return "Write", {"file_path": call.path, "content": call.content}


def _error_body(status: int, message: str) -> dict[str, Any]:
    kind = _ERROR_TYPES.get(status, "api_error")
    return {"type": "error", "error": {"type": kind, "message": message}}


def _message(message_id: str, model: str, content: list[dict[str, Any]], usage: dict[str, int]) -> dict[str, Any]:
    return {
        "id": message_id,
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {**usage, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0},
    }


async def _messages(request: Request, responder: Responder, ids: Iterator[int]) -> None:
    body = request.payload if isinstance(request.payload, dict) else {}
    model = str(body.get("model", "claude-mock"))
    streaming = bool(body.get("stream"))
    reply = plan_reply(current_turn(history(body)))
    input_tokens = max(1, len(request.body) // 4)
    message_id = f"msg_mock_{next(ids):04d}"
    if isinstance(reply, StreamErrorReply):
        if not streaming:
            await responder.send_json(500, _error_body(500, MIDSTREAM_MESSAGE))
            return
        await responder.start_stream()
        start = _message(message_id, model, [], {"input_tokens": input_tokens, "output_tokens": 1})
        await responder.send_chunk(sse_event("message_start", {"type": "message_start", "message": start}))
        await responder.end_stream(sse_event("error", _error_body(500, MIDSTREAM_MESSAGE)))
        return
    if not isinstance(reply, TextReply | ToolReply):
        await responder.send_json(reply.status, _error_body(reply.status, f"mock HTTP {reply.status}"))
        return
    blocks = _blocks(reply, ids)
    output_tokens = sum(len(b.deltas) for b in blocks)
    stop_reason = "tool_use" if isinstance(reply, ToolReply) else "end_turn"
    if not streaming:
        if isinstance(reply, TextReply) and reply.hang:
            await trio.sleep_forever()
        usage = {"input_tokens": input_tokens, "output_tokens": output_tokens}
        message = _message(message_id, model, [b.final for b in blocks], usage)
        await responder.send_json(200, {**message, "stop_reason": stop_reason})
        return
    await _stream(responder, reply, blocks, message_id, model, input_tokens)
    delta = {"stop_reason": stop_reason, "stop_sequence": None}
    await responder.send_chunk(
        sse_event(
            "message_delta",
            {"type": "message_delta", "delta": delta, "usage": {"output_tokens": output_tokens}},
        )
    )
    await responder.end_stream(sse_event("message_stop", {"type": "message_stop"}))


async def _stream(
    responder: Responder,
    reply: TextReply | ToolReply,
    blocks: list[_Block],
    message_id: str,
    model: str,
    input_tokens: int,
) -> None:
    """Send everything up to the message delta; a hanging reply never returns."""
    await responder.start_stream()
    start = _message(message_id, model, [], {"input_tokens": input_tokens, "output_tokens": 1})
    await responder.send_chunk(sse_event("message_start", {"type": "message_start", "message": start}))
    await responder.send_chunk(sse_event("ping", {"type": "ping"}))
    delay = reply.delay if isinstance(reply, TextReply) else 0.0
    hang = isinstance(reply, TextReply) and reply.hang
    for index, block in enumerate(blocks):
        await responder.send_chunk(
            sse_event(
                "content_block_start",
                {"type": "content_block_start", "index": index, "content_block": block.start},
            )
        )
        is_text = block.start["type"] == "text"
        for number, delta in enumerate(block.deltas):
            if is_text and number:
                await trio.sleep(delay)
            await responder.send_chunk(
                sse_event("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta})
            )
            if is_text and hang:
                await trio.sleep_forever()
        await responder.send_chunk(sse_event("content_block_stop", {"type": "content_block_stop", "index": index}))


async def _handle(request: Request, responder: Responder, ids: Iterator[int]) -> None:
    route = (request.method, request.path)
    if route == ("HEAD", "/api/hello"):
        await responder.send(200, b"")
    elif route == ("POST", "/v1/messages"):
        await _messages(request, responder, ids)
    elif route == ("POST", "/v1/messages/count_tokens"):
        await responder.send_json(200, {"input_tokens": max(1, len(request.body) // 4)})
    elif route == ("GET", "/v1/models"):
        model = {
            "type": "model",
            "id": "claude-mock",
            "display_name": "Mock",
            "created_at": "2025-01-01T00:00:00Z",
        }
        await responder.send_json(
            200, {"data": [model], "has_more": False, "first_id": "claude-mock", "last_id": "claude-mock"}
        )
    else:
        await responder.send_json(404, _error_body(404, f"no route for {request.method} {request.path}"))


async def run_mock_anthropic(
    *, port: int = 0, task_status: trio.TaskStatus[MockServer] = trio.TASK_STATUS_IGNORED
) -> None:
    """Serve the mock on 127.0.0.1 until cancelled; ``task_status.started`` gets the :class:`MockServer`."""
    handler = functools.partial(_handle, ids=itertools.count(1))
    await run_mock(handler, user_text, port=port, task_status=task_status)


async def _main(port: int) -> None:
    async with trio.open_nursery() as nursery:
        server: MockServer = await nursery.start(functools.partial(run_mock_anthropic, port=port))
        print(f"Mock Anthropic Messages API on {server.url}")
        print("Point Isomux (or the claude CLI) at it with:")
        print(f"  ANTHROPIC_BASE_URL={server.url} ANTHROPIC_API_KEY=dummy isomux serve")
        print("Press Ctrl+C to stop.", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=8123, help="port on 127.0.0.1 (0 picks a free one)")
    args = parser.parse_args(argv)
    try:
        trio.run(_main, args.port)
    except KeyboardInterrupt:
        print("stopped")


if __name__ == "__main__":
    main()
