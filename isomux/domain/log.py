"""Conversation log entries: what an agent's JSONL files hold, one entry per line.

Every session file starts with a :class:`SessionStart` entry that records where the
session came from (new, resumed, or forked from an entry of another session), so the
session index can always be rebuilt from the log files themselves.

Entries are written once and never changed. Large payloads are capped when the entry
is made (``truncated`` says so); the cap keeps snapshots and pages small.
"""

from __future__ import annotations

from typing import Any, Literal

import attrs

from isomux.domain.model import QueuedMessage, Usage

MAX_TEXT = 100_000
MAX_TOOL_OUTPUT = 20_000
MAX_TOOL_INPUT = 20_000

TurnStatus = Literal["completed", "interrupted", "failed"]
SessionOrigin = Literal["new", "resumed", "forked", "restored"]
PermissionDecision = Literal["allow", "deny"]


@attrs.frozen(kw_only=True)
class SessionStart:
    id: str
    ts: int
    session_id: str
    backend: str
    origin: SessionOrigin = "new"
    forked_from: str | None = None
    fork_entry_id: str | None = None
    fork_offset: int | None = None


@attrs.frozen(kw_only=True)
class UserTurn:
    """The messages delivered to the agent as one turn (several when coalesced)."""

    id: str
    ts: int
    messages: tuple[QueuedMessage, ...]
    steered: bool = False  # delivered into a running turn ("send now")


@attrs.frozen(kw_only=True)
class Text:
    id: str
    ts: int
    text: str
    block: str | None = None  # the stream block it completes
    truncated: bool = False


@attrs.frozen(kw_only=True)
class Thinking:
    id: str
    ts: int
    text: str
    block: str | None = None
    duration_ms: int | None = None
    truncated: bool = False


@attrs.frozen(kw_only=True)
class ToolCall:
    id: str
    ts: int
    tool_id: str
    name: str
    input: dict[str, Any]
    truncated: bool = False


@attrs.frozen(kw_only=True)
class ToolResult:
    id: str
    ts: int
    tool_id: str
    output: str
    is_error: bool = False
    duration_ms: int | None = None
    truncated: bool = False


@attrs.frozen(kw_only=True)
class SystemNote:
    id: str
    ts: int
    text: str
    level: Literal["info", "warning"] = "info"


@attrs.frozen(kw_only=True)
class ErrorNote:
    id: str
    ts: int
    message: str
    hint: str = ""


@attrs.frozen(kw_only=True)
class PermissionAsked:
    id: str
    ts: int
    request_id: str
    tool: str
    input: dict[str, Any]
    reason: str = ""


@attrs.frozen(kw_only=True)
class PermissionAnswered:
    id: str
    ts: int
    request_id: str
    decision: PermissionDecision
    by: str
    message: str = ""


@attrs.frozen(kw_only=True)
class TurnEnd:
    """Closes a turn: how it ended, what it cost, and where a fork may branch after it."""

    id: str
    ts: int
    status: TurnStatus
    usage: Usage = attrs.field(factory=Usage)
    duration_ms: int = 0
    fork_ref: str | None = None
    cost_total: float | None = None  # the backend's cumulative cost for the session after this turn
    error: str = ""


LogEntry = (
    SessionStart
    | UserTurn
    | Text
    | Thinking
    | ToolCall
    | ToolResult
    | SystemNote
    | ErrorNote
    | PermissionAsked
    | PermissionAnswered
    | TurnEnd
)

LOG_ENTRY_TYPES: tuple[type, ...] = (
    SessionStart,
    UserTurn,
    Text,
    Thinking,
    ToolCall,
    ToolResult,
    SystemNote,
    ErrorNote,
    PermissionAsked,
    PermissionAnswered,
    TurnEnd,
)


def cap_text(text: str, limit: int) -> tuple[str, bool]:
    """Cut ``text`` to ``limit`` characters; say whether it was cut."""
    if len(text) <= limit:
        return text, False
    return text[:limit], True
