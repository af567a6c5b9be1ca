"""The demo backend: a scripted agent with no model behind it.

It lets a newcomer try the whole office without logging in to any CLI. Every turn
thinks for a moment, makes one pretend tool call (nothing runs), and streams a reply
token by token that says plainly it is a demo. It is labelled "demo" everywhere.

A message mentioning "permission" makes the pretend tool call ask a person first.
Markers for tests and demonstrations: ``[[demo:slow]]`` (a long reply),
``[[demo:fast]]`` (no pauses), ``[[demo:fail]]`` (the turn fails),
``[[demo:crash]]`` (the backend "process" dies).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import trio

from isomux.backends.base import (
    BackendInfo,
    BackendSession,
    Capabilities,
    Emit,
    ModelChoice,
    PermissionRequest,
    SessionConfig,
    SessionReady,
    TextDelta,
    TextDone,
    ThinkingDelta,
    ThinkingDone,
    ToolFinished,
    ToolStarted,
    TurnDone,
    TurnInput,
)
from isomux.domain.ids import new_id
from isomux.domain.log import TurnStatus
from isomux.domain.model import Usage
from isomux.errors import BackendError, Conflict, NotFound

_MARKER = re.compile(r"\[\[demo:(\w+)\]\]")
_LABEL = re.compile(r"^\[([^\]]+)\]\s?", re.MULTILINE)

INFO = BackendInfo(
    kind="demo",
    label="Demo (scripted, no model)",
    demo=True,
    capabilities=Capabilities(
        streaming=True, interrupt=True, resume=True, fork=True, fork_at_turn=True, permission_requests=True
    ),
    models=(ModelChoice(id="demo-scripted", label="Scripted demo"),),
    default_model="demo-scripted",
    efforts=("low", "medium", "high"),
    permission_modes=("default", "bypassPermissions"),
)


def _tokens(text: str) -> list[str]:
    return re.findall(r"\S+\s*|\s+", text)


def _reply_for(text: str, markers: set[str]) -> str:
    senders = list(dict.fromkeys(_LABEL.findall(text)))
    body = _LABEL.sub("", _MARKER.sub("", text)).strip()
    quoted = body if len(body) <= 240 else body[:240] + "…"
    quoted = "\n".join("> " + line for line in quoted.splitlines()) or "> (nothing)"
    who = f" from {', '.join(senders)}" if senders else ""
    parts = [
        f"**Demo agent here** — no model is connected, so this reply is scripted. I got your message{who}:",
        quoted,
        "Things you can try in the office:\n"
        "- send another message while I am busy: it waits in my queue and reaches me with the others\n"
        "- press **Send now** to interrupt me with the queued messages\n"
        "- mention the word *permission* and I will ask before my pretend tool call",
        "To work with a real agent, log in to Claude Code (`claude`, then `/login`) or Codex (`codex login`) "
        "and spawn an agent with that backend.",
    ]
    if "slow" in markers:
        parts.append(" ".join(f"word{i}" for i in range(1, 301)))
    return "\n\n".join(parts)


class DemoSession:
    def __init__(
        self, backend: DemoBackend, cfg: SessionConfig, emit: Emit, nursery: trio.Nursery, session_id: str
    ) -> None:
        self._backend = backend
        self._cfg = cfg
        self._emit = emit
        self._nursery = nursery
        self._session_id = session_id
        self._turn_scope: trio.CancelScope | None = None
        self._turns = 0
        self._pending: dict[str, tuple[trio.Event, list[bool]]] = {}
        self.crashed: BaseException | None = None

    @property
    def backend_session_id(self) -> str | None:
        return self._session_id

    async def start_turn(self, turn: TurnInput) -> None:
        if self._turn_scope is not None:
            raise Conflict("the demo agent is already working on a turn")
        self._turn_scope = trio.CancelScope()
        self._turns += 1
        self._nursery.start_soon(self._run_turn, turn, self._turn_scope, self._turns)

    async def steer(self, turn: TurnInput) -> None:
        raise Conflict("the demo backend cannot add input to a running turn")

    async def interrupt(self) -> None:
        if self._turn_scope is not None:
            self._turn_scope.cancel()

    async def answer_permission(self, request_id: str, allow: bool, message: str) -> None:
        pending = self._pending.get(request_id)
        if pending is None:
            raise NotFound(f"no permission request {request_id} is waiting")
        event, answer = pending
        answer.append(allow)
        event.set()

    async def _pause(self, factor: float = 1.0) -> None:
        await trio.sleep(self._backend.delay * factor)

    async def _run_turn(self, turn: TurnInput, scope: trio.CancelScope, number: int) -> None:
        markers = set(_MARKER.findall(turn.text))
        fast = "fast" in markers
        started = trio.current_time()
        status: TurnStatus = "completed"
        output_tokens = 0
        error = ""
        with scope:
            if "crash" in markers:
                await self._pause(3)
                raise BackendError("the demo backend's process died (it was asked to, with [[demo:crash]])")
            thought = "The person wants something. I will look around, then answer — scripted, of course."
            block = new_id("b")
            for tok in _tokens(thought):
                await self._emit(ThinkingDelta(block, tok))
                if not fast:
                    await self._pause()
            await self._emit(ThinkingDone(block, thought, int((trio.current_time() - started) * 1000)))
            tool_id = new_id("t")
            tool_input: dict[str, object] = {"path": str(self._cfg.cwd), "note": "demo: nothing really runs"}
            await self._emit(ToolStarted(tool_id, "look_around", dict(tool_input)))
            allowed = True
            if "permission" in turn.text.lower() and self._cfg.permission_mode == "default":
                allowed = await self._ask(tool_input)
            if not fast:
                await self._pause(15)
            if allowed:
                await self._emit(ToolFinished(tool_id, f"(demo) Pretended to look around {self._cfg.cwd}."))
            else:
                await self._emit(ToolFinished(tool_id, "A person denied this tool call.", is_error=True))
            if "fail" in markers:
                status, error = "failed", "The demo turn failed because the message asked it to ([[demo:fail]])."
            else:
                reply = _reply_for(turn.text, markers)
                block = new_id("b")
                for tok in _tokens(reply):
                    output_tokens += 1
                    await self._emit(TextDelta(block, tok))
                    if not fast:
                        await self._pause()
                await self._emit(TextDone(block, reply))
        if scope.cancelled_caught:
            status = "interrupted"
        self._turn_scope = None
        usage = Usage(input_tokens=len(turn.text) // 4 + 1, output_tokens=output_tokens)
        with trio.CancelScope(shield=True):
            await self._emit(
                TurnDone(
                    status,
                    usage=usage,
                    error=error,
                    fork_ref=f"{self._session_id}:{number}",
                )
            )

    async def _ask(self, tool_input: dict[str, object]) -> bool:
        request_id = new_id("p")
        event = trio.Event()
        answer: list[bool] = []
        self._pending[request_id] = (event, answer)
        try:
            await self._emit(
                PermissionRequest(
                    request_id,
                    "look_around",
                    dict(tool_input),
                    "The demo agent wants to look around your working directory.",
                )
            )
            await event.wait()
        finally:
            del self._pending[request_id]
        return answer[0]


class DemoBackend:
    """Scripted sessions; ``delay`` is the pause between streamed tokens, in seconds."""

    def __init__(self, delay: float = 0.03) -> None:
        self.delay = delay

    @property
    def info(self) -> BackendInfo:
        return INFO

    @asynccontextmanager
    async def open(self, cfg: SessionConfig, emit: Emit) -> AsyncIterator[BackendSession]:
        session_id = new_id("demo") if cfg.fork is not None else cfg.resume or new_id("demo")
        async with trio.open_nursery() as nursery:
            session = DemoSession(self, cfg, emit, nursery, session_id)
            await emit(SessionReady(session_id))
            yield session
            nursery.cancel_scope.cancel()

    async def topic(self, text: str, cfg: SessionConfig) -> str:
        words = _LABEL.sub("", _MARKER.sub("", text)).split()
        return " ".join(words[:6]) or "Demo conversation"
