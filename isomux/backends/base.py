"""The one interface every agent backend implements (demo, Claude Code, Codex).

An agent actor opens a :class:`BackendSession` with :meth:`Backend.open` (an async
context manager entered and exited by one task), starts turns on it, and receives
:data:`BackendEvent` values through the ``emit`` callback it passed in. A turn always
ends with exactly one :class:`TurnDone`. When the backend process dies, ``open``'s
context raises :class:`~isomux.errors.BackendError`; the agent decides whether to
reopen it (resuming the same backend session).

What a backend can do is declared in its :class:`Capabilities`; orchestration code
and the UI look only at the capabilities, never at the backend's name.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, Literal, Protocol

import attrs

from isomux.domain.log import TurnStatus
from isomux.domain.model import Attachment, Effort, PermissionMode, Usage


@attrs.frozen(kw_only=True)
class Capabilities:
    streaming: bool = False  # text arrives token by token
    interrupt: bool = False
    steer: bool = False  # input can be added to a running turn
    resume: bool = False  # a session can be continued in a new process
    fork: bool = False  # a session can be copied into a new one
    fork_at_turn: bool = False  # …branching after a given turn (edit a past message)
    permission_requests: bool = False  # a person can be asked to allow a tool call
    hooks: bool = False  # the safety policy vets tool calls before they run
    images: bool = False
    pdfs: bool = False
    skills: bool = False
    mcp: bool = False
    cost: bool = False  # reports money spent


@attrs.frozen(kw_only=True)
class ModelChoice:
    id: str
    label: str


@attrs.frozen(kw_only=True)
class BackendInfo:
    kind: str
    label: str
    demo: bool = False
    available: bool = True
    problem: str = ""  # why it is not available and what to do
    capabilities: Capabilities
    models: tuple[ModelChoice, ...] = ()
    default_model: str = ""
    efforts: tuple[Effort, ...] = ("low", "medium", "high")
    permission_modes: tuple[PermissionMode, ...] = ("default", "bypassPermissions")


@attrs.frozen(kw_only=True)
class ForkFrom:
    backend_session_id: str
    after: str | None = None  # a TurnDone.fork_ref; None copies the whole session


@attrs.frozen(kw_only=True)
class SessionConfig:
    agent_id: str
    agent_name: str
    cwd: Path
    model: str
    effort: Effort
    permission_mode: PermissionMode
    system_prompt: str  # Isomux's layers, appended to the backend's own prompt
    env: Mapping[str, str]
    isomux_home: Path
    resume: str | None = None  # backend session id to continue
    fork: ForkFrom | None = None
    prior_cost: float = 0.0  # the backend's cumulative cost figure at the resume or fork point


@attrs.frozen(kw_only=True)
class TurnInput:
    text: str  # already labelled with senders
    attachments: tuple[Attachment, ...] = ()
    files_dir: Path | None = None  # where the attachments' files live


# Events a backend emits --------------------------------------------------------


@attrs.frozen
class SessionReady:
    backend_session_id: str


@attrs.frozen
class TextDelta:
    block: str
    text: str


@attrs.frozen
class ThinkingDelta:
    block: str
    text: str


@attrs.frozen
class TextDone:
    block: str
    text: str


@attrs.frozen
class ThinkingDone:
    block: str
    text: str
    duration_ms: int | None = None


@attrs.frozen
class ToolStarted:
    tool_id: str
    name: str
    input: dict[str, Any]


@attrs.frozen
class ToolFinished:
    tool_id: str
    output: str
    is_error: bool = False


@attrs.frozen
class PermissionRequest:
    request_id: str
    tool: str
    input: dict[str, Any]
    reason: str = ""


@attrs.frozen
class Notice:
    text: str
    level: Literal["info", "warning"] = "info"


@attrs.frozen
class TurnDone:
    status: TurnStatus
    usage: Usage = attrs.field(factory=Usage)
    error: str = ""
    hint: str = ""  # what a person can do about the error
    fork_ref: str | None = None
    cumulative_cost: float | None = None


BackendEvent = (
    SessionReady
    | TextDelta
    | ThinkingDelta
    | TextDone
    | ThinkingDone
    | ToolStarted
    | ToolFinished
    | PermissionRequest
    | Notice
    | TurnDone
)

Emit = Callable[[BackendEvent], Awaitable[None]]


class BackendSession(Protocol):
    @property
    def backend_session_id(self) -> str | None: ...

    async def start_turn(self, turn: TurnInput) -> None:
        """Begin a turn; return once it is accepted. Its events follow through ``emit``."""

    async def steer(self, turn: TurnInput) -> None:
        """Add input to the running turn (only when ``capabilities.steer``)."""

    async def interrupt(self) -> None:
        """Stop the running turn; it still ends with a ``TurnDone(status="interrupted")``."""

    async def answer_permission(self, request_id: str, allow: bool, message: str) -> None:
        """Answer a pending :class:`PermissionRequest`."""


class Backend(Protocol):
    @property
    def info(self) -> BackendInfo: ...

    def open(self, cfg: SessionConfig, emit: Emit) -> AbstractAsyncContextManager[BackendSession]:
        """Start (or resume, or fork) a session; the context closes it and its process."""

    async def topic(self, text: str, cfg: SessionConfig) -> str:
        """A short topic (at most eight words) for a conversation, from a cheap one-shot query."""
