"""Turning `codex app-server` notifications into the office's backend events (pure, no I/O).

One :class:`ThreadEvents` follows one thread: it ignores notifications about other threads, keeps
the items of the running turn (text and reasoning streamed so far, tool calls not yet finished),
sums the turn's token usage, and ends each turn with exactly one :class:`TurnDone`.

The server does not always finish what it started. After ``turn/interrupt`` the message being
streamed never gets ``item/completed``, and after ``turn/steer`` the reply in progress is abandoned
the same way. So a text or reasoning item still open when any new item starts, or when the turn
ends, is closed here with the text received so far; a tool call still open at the end of the turn
is reported as cut short.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any, Literal

import attrs

from isomux.backends.base import (
    BackendEvent,
    Notice,
    TextDelta,
    TextDone,
    ThinkingDelta,
    ThinkingDone,
    ToolFinished,
    ToolStarted,
    TurnDone,
)
from isomux.domain.log import TurnStatus
from isomux.domain.model import Usage

SHELL_TOOL = "Bash"
PATCH_TOOL = "ApplyPatch"

LOGIN_HINT = (
    "Codex is not logged in, or its credentials were refused. Run `codex login` in a terminal (or set the API "
    "key your model provider needs), then send the message again."
)
OFFLINE_HINT = "Codex could not reach its model provider. Check the network connection and send the message again."
RETRY_HINT = "The model provider had a problem. Send the message again in a moment."
LIMIT_HINT = "A usage or rate limit was reached. Wait a while, or switch to another model, then try again."
CONTEXT_HINT = "The conversation no longer fits the model's context window. Start a new conversation."
MODEL_HINT = "The model was not found. Choose another model for this agent."
GENERIC_HINT = "Send the message again. If it keeps failing, check that `codex` works when you run it in a terminal."

_SHELLS = frozenset({"bash", "sh", "zsh", "dash"})
_STATUSES: dict[str, TurnStatus] = {"completed": "completed", "interrupted": "interrupted", "failed": "failed"}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def shown_command(command: str) -> str:
    """The command as the model wrote it, without the `/bin/bash -lc '…'` wrapper codex adds."""
    try:
        words = shlex.split(command)
    except ValueError:
        return command
    if len(words) == 3 and PurePath(words[0]).name in _SHELLS and words[1] in ("-c", "-lc"):
        return words[2]
    return command


@attrs.frozen
class Tokens:
    """One of the server's cumulative token counts for a thread."""

    input: int = 0
    cached: int = 0
    cache_write: int = 0
    output: int = 0

    @classmethod
    def parse(cls, data: Any) -> Tokens:
        if not isinstance(data, Mapping):
            return cls()
        return cls(
            input=_int(data.get("inputTokens")),
            cached=_int(data.get("cachedInputTokens")),
            cache_write=_int(data.get("cacheWriteInputTokens")),
            output=_int(data.get("outputTokens")),
        )

    def usage_since(self, before: Tokens) -> Usage:
        """What was spent between `before` and this count, with cached input kept apart from fresh input."""
        cached = max(0, self.cached - before.cached)
        return Usage(
            input_tokens=max(0, (self.input - before.input) - cached),
            output_tokens=max(0, self.output - before.output),
            cache_read_tokens=cached,
            cache_write_tokens=max(0, self.cache_write - before.cache_write),
        )


def _status_code(info: Any) -> int | None:
    if isinstance(info, Mapping):
        for detail in info.values():
            if isinstance(detail, Mapping) and isinstance(detail.get("httpStatusCode"), int):
                return int(detail["httpStatusCode"])
    return None


def describe_error(error: Any) -> tuple[str, str]:
    """The error text and what a person can do about it, from a turn's `error` object."""
    if not isinstance(error, Mapping):
        return "The Codex turn failed without saying why.", GENERIC_HINT
    message = _text(error.get("message")) or "The Codex turn failed."
    details = _text(error.get("additionalDetails"))
    if details and details not in message:
        message = f"{message} ({details})"
    info = error.get("codexErrorInfo")
    status = _status_code(info)
    kind = info if isinstance(info, str) else next(iter(info), "") if isinstance(info, Mapping) else ""
    if kind == "internalServerError":
        status = 500  # codex reports HTTP 500 this way, and only HTTP 500
    if status is not None and str(status) not in message:
        message = f"{message} (HTTP {status})"
    if status == 401 or kind == "unauthorized":
        hint = LOGIN_HINT
    elif kind in ("usageLimitExceeded", "rateLimitExceeded", "sessionBudgetExceeded") or status == 429:
        hint = LIMIT_HINT
    elif kind == "contextWindowExceeded":
        hint = CONTEXT_HINT
    elif kind == "modelNotFound":
        hint = MODEL_HINT
    elif kind in ("httpConnectionFailed", "responseStreamConnectionFailed") and status is None:
        hint = OFFLINE_HINT
    elif kind in ("serverOverloaded", "responseStreamDisconnected") or (status is not None and status >= 500):
        hint = RETRY_HINT
    else:
        hint = GENERIC_HINT
    return message, hint


@attrs.define
class _Item:
    kind: Literal["text", "thinking", "tool"]
    parts: list[str] = attrs.Factory(list)
    started_ms: int | None = None
    name: str = ""
    input: dict[str, Any] = attrs.Factory(dict)

    @property
    def so_far(self) -> str:
        return "".join(self.parts)


@attrs.define
class _Turn:
    id: str
    items: dict[str, _Item] = attrs.Factory(dict)
    error: Any = None  # the last `error` notification's error, should `turn/completed` lack one
    tokens: Tokens | None = None  # the thread's count after this turn's latest update
    tokens_before: Tokens | None = None


class ThreadEvents:
    """The running state of one thread's notifications; `feed` returns the events they mean."""

    def __init__(self, thread_id: str) -> None:
        self.thread_id = thread_id
        self._turn: _Turn | None = None
        self._last_finished: str | None = None
        self._items: dict[str, dict[str, Any]] = {}  # every tool item seen in the running turn
        self._declined: dict[str, str] = {}
        self._tokens = Tokens()  # the thread's cumulative count, as last reported

    @property
    def active_turn(self) -> str | None:
        """The id of the running turn, or None."""
        return self._turn.id if self._turn is not None else None

    @property
    def running(self) -> bool:
        return self._turn is not None

    def item(self, item_id: str) -> dict[str, Any] | None:
        """The latest state of an item of the running turn (an approval request names only its id)."""
        return self._items.get(item_id)

    def begin_turn(self, turn_id: str) -> None:
        """Note a turn this client started (its `turn/started` may have been fed already, or even its end)."""
        if self._turn is None and turn_id != self._last_finished:
            self._turn = _Turn(turn_id)

    def note_declined(self, item_id: str, why: str) -> None:
        """Remember why an item was declined, for its tool result."""
        self._declined[item_id] = why

    def abandon_turn(self, status: TurnStatus, error: str = "") -> list[BackendEvent]:
        """End the running turn without the server's word (it never reported the end)."""
        if self._turn is None:
            return []
        events = self._close_open(interrupted=True)
        events.append(self._done(status, error, ""))
        return events

    def feed(self, method: str, params: Mapping[str, Any]) -> list[BackendEvent]:
        """The events one notification means (often none)."""
        thread = params.get("threadId")
        if method in ("warning", "configWarning"):
            if thread not in (None, self.thread_id):
                return []
            text = _text(params.get("message")) or _text(params.get("summary"))
            return [Notice(f"Codex: {text}", "warning")] if text else []
        if thread != self.thread_id:
            return []
        if method == "thread/tokenUsage/updated":
            self._on_tokens(params)
            return []
        if method == "turn/started":
            turn = params.get("turn")
            if isinstance(turn, Mapping) and isinstance(turn.get("id"), str):
                self.begin_turn(turn["id"])
            return []
        if method == "turn/completed":
            return self._on_turn_completed(params)
        if not self._is_current(params.get("turnId")):
            return []
        assert self._turn is not None
        if method == "error":
            return self._on_error(params)
        if method == "item/started":
            return self._on_item_started(params.get("item"))
        if method == "item/completed":
            return self._on_item_completed(params.get("item"))
        if method == "item/agentMessage/delta":
            return self._delta("text", params)
        if method in ("item/reasoning/summaryTextDelta", "item/reasoning/textDelta"):
            return self._delta("thinking", params)
        if method == "item/reasoning/summaryPartAdded":
            item = self._turn.items.get(_text(params.get("itemId")))
            if item is not None and item.parts and _int(params.get("summaryIndex")) > 0:
                return self._delta("thinking", {**params, "delta": "\n\n"})
            return []
        if method in ("item/commandExecution/outputDelta", "item/fileChange/outputDelta"):
            item = self._turn.items.get(_text(params.get("itemId")))
            if item is not None and item.kind == "tool":
                item.parts.append(_text(params.get("delta")))
        return []

    # Turns -------------------------------------------------------------------------------

    def _is_current(self, turn_id: Any) -> bool:
        return self._turn is not None and self._turn.id == turn_id

    def _on_tokens(self, params: Mapping[str, Any]) -> None:
        usage = params.get("tokenUsage")
        total = Tokens.parse(usage.get("total") if isinstance(usage, Mapping) else None)
        # The count before a turn's first update is its baseline; that also covers the update a
        # resumed or forked thread sends for its last old turn, and the repeat of the previous
        # count that an interrupted turn can send.
        if self._turn is not None and self._is_current(params.get("turnId")):
            if self._turn.tokens_before is None:
                self._turn.tokens_before = self._tokens
            self._turn.tokens = total
        self._tokens = total

    def _on_error(self, params: Mapping[str, Any]) -> list[BackendEvent]:
        assert self._turn is not None
        error = params.get("error")
        if params.get("willRetry") is True:
            message, _ = describe_error(error)
            return [Notice(f"Codex is retrying after an error: {message}", "warning")]
        self._turn.error = error
        return []

    def _on_turn_completed(self, params: Mapping[str, Any]) -> list[BackendEvent]:
        turn = params.get("turn")
        if not isinstance(turn, Mapping) or not self._is_current(turn.get("id")):
            return []
        assert self._turn is not None
        status = _STATUSES.get(_text(turn.get("status")), "failed")
        error, hint = "", ""
        if status == "failed":
            error, hint = describe_error(turn.get("error") or self._turn.error)
        events = self._close_open(interrupted=status != "completed")
        events.append(self._done(status, error, hint))
        return events

    def _done(self, status: TurnStatus, error: str, hint: str) -> TurnDone:
        assert self._turn is not None
        turn = self._turn
        usage = Usage()
        if turn.tokens is not None:
            usage = turn.tokens.usage_since(turn.tokens_before or Tokens())
        self._last_finished = turn.id
        self._turn = None
        self._items.clear()
        self._declined.clear()
        return TurnDone(status, usage=usage, error=error, hint=hint, fork_ref=turn.id)

    # Items -------------------------------------------------------------------------------

    def _close_open(self, *, interrupted: bool, streams_only: bool = False) -> list[BackendEvent]:
        assert self._turn is not None
        events: list[BackendEvent] = []
        for item_id, item in list(self._turn.items.items()):
            if item.kind == "text":
                if item.so_far:
                    events.append(TextDone(item_id, item.so_far))
            elif item.kind == "thinking":
                if item.so_far:
                    events.append(ThinkingDone(item_id, item.so_far))
            elif streams_only:
                continue
            else:
                note = "(cut short: the turn was interrupted)" if interrupted else "(no result was reported)"
                output = f"{item.so_far.rstrip()}\n{note}" if item.so_far.strip() else note
                events.append(ToolFinished(item_id, output, is_error=True))
            del self._turn.items[item_id]
        return events

    def _delta(self, kind: Literal["text", "thinking"], params: Mapping[str, Any]) -> list[BackendEvent]:
        assert self._turn is not None
        item_id = _text(params.get("itemId"))
        delta = _text(params.get("delta"))
        if not item_id or not delta:
            return []
        item = self._turn.items.setdefault(item_id, _Item(kind))
        if item.kind != kind:
            return []
        item.parts.append(delta)
        return [TextDelta(item_id, delta) if kind == "text" else ThinkingDelta(item_id, delta)]

    def _on_item_started(self, item: Any) -> list[BackendEvent]:
        assert self._turn is not None
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            return []
        # Items stream one after another, so an open text or reasoning item was abandoned.
        events = self._close_open(interrupted=True, streams_only=True)
        item_id: str = item["id"]
        kind = item.get("type")
        if kind == "agentMessage":
            self._turn.items[item_id] = _Item("text")
        elif kind == "reasoning":
            self._turn.items[item_id] = _Item("thinking", started_ms=item.get("startedAtMs"))
        else:
            tool = _tool_call(item)
            if tool is not None:
                name, tool_input = tool
                self._items[item_id] = dict(item)
                self._turn.items[item_id] = _Item("tool", name=name, input=tool_input)
                events.append(ToolStarted(item_id, name, tool_input))
        return events

    def _on_item_completed(self, item: Any) -> list[BackendEvent]:
        assert self._turn is not None
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            return []
        item_id: str = item["id"]
        kind = item.get("type")
        open_item = self._turn.items.pop(item_id, None)
        if kind == "agentMessage":
            text = _text(item.get("text")) or (open_item.so_far if open_item else "")
            return [TextDone(item_id, text)] if text else []
        if kind == "reasoning":
            return self._thinking_done(item_id, item, open_item)
        if kind == "contextCompaction":
            return [Notice("Codex compacted the conversation to fit the model's context window.")]
        tool = _tool_call(item)
        if tool is None:
            return []
        events: list[BackendEvent] = []
        if open_item is None:
            name, tool_input = tool
            events.append(ToolStarted(item_id, name, tool_input))
        self._items[item_id] = dict(item)
        output, failed = _tool_result(item, open_item.so_far if open_item else "", self._declined.get(item_id))
        events.append(ToolFinished(item_id, output, is_error=failed))
        return events

    def _thinking_done(self, item_id: str, item: Mapping[str, Any], open_item: _Item | None) -> list[BackendEvent]:
        summary = [s for s in item.get("summary") or [] if isinstance(s, str) and s]
        content = [s for s in item.get("content") or [] if isinstance(s, str) and s]
        text = "\n\n".join(summary or content) or (open_item.so_far if open_item else "")
        if not text:
            return []
        started, finished = item.get("startedAtMs"), item.get("completedAtMs")
        duration = finished - started if isinstance(started, int) and isinstance(finished, int) else None
        return [ThinkingDone(item_id, text, duration)]


def _tool_call(item: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The tool name and input shown for a tool item, or None for items that are not tool calls."""
    kind = item.get("type")
    if kind == "commandExecution":
        return SHELL_TOOL, {"command": shown_command(_text(item.get("command"))), "cwd": _text(item.get("cwd"))}
    if kind == "fileChange":
        changes = [
            {
                "path": _text(c.get("path")),
                "kind": _text(c["kind"].get("type")) if isinstance(c.get("kind"), Mapping) else "",
                "diff": _text(c.get("diff")),
            }
            for c in item.get("changes") or []
            if isinstance(c, Mapping)
        ]
        return PATCH_TOOL, {"changes": changes}
    if kind == "mcpToolCall":
        arguments = item.get("arguments")
        name = f"mcp__{_text(item.get('server'))}__{_text(item.get('tool'))}"
        return name, dict(arguments) if isinstance(arguments, Mapping) else {"arguments": arguments}
    if kind == "dynamicToolCall":
        arguments = item.get("arguments")
        return _text(item.get("tool")) or "tool", dict(arguments) if isinstance(arguments, Mapping) else {}
    if kind == "webSearch":
        return "WebSearch", {"query": _text(item.get("query"))}
    if kind == "imageView":
        return "ViewImage", {"path": _text(item.get("path"))}
    return None


def _tool_result(item: Mapping[str, Any], streamed: str, declined: str | None) -> tuple[str, bool]:
    """A finished tool item's output for the log, and whether it failed."""
    status = _text(item.get("status"))
    if status == "declined":
        return declined or "Declined: the tool call was not allowed to run.", True
    kind = item.get("type")
    if kind == "commandExecution":
        output = item.get("aggregatedOutput")
        text = output if isinstance(output, str) else streamed
        code = item.get("exitCode")
        failed = status == "failed" or (isinstance(code, int) and code != 0)
        if isinstance(code, int) and code != 0:
            text = f"{text.rstrip()}\n(exit code {code})" if text.strip() else f"(exit code {code})"
        return text, failed
    if kind == "fileChange":
        paths = [_text(c.get("path")) for c in item.get("changes") or [] if isinstance(c, Mapping)]
        if status == "failed":
            return streamed or f"Could not apply the changes to {', '.join(paths)}.", True
        return streamed or f"Changed {', '.join(paths)}.", False
    if kind == "mcpToolCall":
        error = item.get("error")
        if isinstance(error, Mapping):
            return _text(error.get("message")) or "The tool call failed.", True
        result = item.get("result")
        return _mcp_text(result), status == "failed"
    if kind == "dynamicToolCall":
        items = item.get("contentItems") or []
        text = "\n".join(_text(c.get("text")) for c in items if isinstance(c, Mapping))
        return text, item.get("success") is False or status == "failed"
    return streamed, status == "failed"


def _mcp_text(result: Any) -> str:
    if not isinstance(result, Mapping):
        return ""
    content = result.get("content") or []
    return "\n".join(_text(c.get("text")) for c in content if isinstance(c, Mapping) and c.get("type") == "text")
