"""The Claude Code backend: the real Claude Code CLI, driven through ``claude-agent-sdk``.

One :class:`ClaudeSDKClient` (one CLI process) per open session, connected and disconnected by
the task that enters :meth:`ClaudeBackend.open`. Beside it runs one pump task that reads
``receive_messages()`` to its very end (stopping early would leave the SDK's generators half
done) and turns each message into backend events (:mod:`isomux.backends.claude_events`).

Every tool call passes the shared safety policy first, as a PreToolUse hook: a call the policy
refuses is denied with the policy's reason, which tells the agent to ask the human to run it in
the terminal. In every mode but ``bypassPermissions``, calls that Claude Code would ask about
become :class:`PermissionRequest` events, answered through :meth:`ClaudeSession.answer_permission`.

As root, ``bypassPermissions`` needs ``IS_SANDBOX=1`` in the CLI's environment; Isomux sets it
then (see :func:`~isomux.backends.claude_cli.child_env`).
"""

from __future__ import annotations

import logging
import os
import uuid
from collections import deque
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, NoReturn

import attrs
import claude_agent_sdk
import trio
from claude_agent_sdk import (
    AssistantMessage,
    ClaudeAgentOptions,
    ClaudeSDKClient,
    ClaudeSDKError,
    CLIConnectionError,
    CLINotFoundError,
    HookContext,
    HookInput,
    HookJSONOutput,
    HookMatcher,
    PermissionResultAllow,
    PermissionResultDeny,
    ResultMessage,
    TextBlock,
    ToolPermissionContext,
)

from isomux.backends.base import (
    BackendInfo,
    BackendSession,
    Emit,
    Notice,
    PermissionRequest,
    SessionConfig,
    TurnDone,
    TurnInput,
)
from isomux.backends.claude_cli import (
    child_env,
    clean_topic,
    find_transcript,
    read_saved_costs,
    stopped_message,
    topic_prompt,
)
from isomux.backends.claude_events import CostLedger, EventMapper
from isomux.backends.claude_info import NOT_FOUND, claude_info, locate_cli
from isomux.backends.claude_input import content_blocks
from isomux.domain.ids import new_id
from isomux.errors import BackendError, BackendUnavailable, Conflict, NotFound
from isomux.safety import PolicyContext, check_tool

log = logging.getLogger("isomux.backends.claude")

TOPIC_MODEL = "claude-haiku-4-5"
INTERRUPT_TIMEOUT_S = 20.0
DISCONNECT_TIMEOUT_S = 30.0  # the SDK bounds its own shutdown of the CLI to about 20 s
STDERR_LINES = 40

DENIED = "The person denied this tool call."
CLOSED = "The agent's session was closed before anyone answered."


@attrs.define
class _Pending:
    answered: trio.Event = attrs.Factory(trio.Event)
    allow: bool | None = None
    message: str = ""


class _OneMessage:
    """One user message as the async iterable the SDK streams (a class, so nothing is left unfinished)."""

    def __init__(self, message: dict[str, Any]) -> None:
        self._message: dict[str, Any] | None = message

    def __aiter__(self) -> _OneMessage:
        return self

    async def __anext__(self) -> dict[str, Any]:
        if self._message is None:
            raise StopAsyncIteration
        message, self._message = self._message, None
        return message


class ClaudeSession:
    """An open Claude Code session; see :class:`~isomux.backends.base.BackendSession`."""

    def __init__(self, cfg: SessionConfig, emit: Emit, env: Mapping[str, str], mapper: EventMapper) -> None:
        self._cfg = cfg
        self._emit = emit
        self._env = env
        self._mapper = mapper
        self._policy = PolicyContext.for_agent(cfg.cwd, cfg.isomux_home, env)
        self._client: ClaudeSDKClient | None = None
        self._pending: dict[str, _Pending] = {}
        self._turn_active = False
        self._closing = False
        self.stderr: deque[str] = deque(maxlen=STDERR_LINES)

    @property
    def backend_session_id(self) -> str | None:
        return self._mapper.session_id

    async def start_turn(self, turn: TurnInput) -> None:
        if self._turn_active:
            raise Conflict("Claude Code is already working on a turn")
        client = self._connected()
        try:
            # Attachments are read from disk in a worker thread; plain text needs no thread hop.
            blocks = await trio.to_thread.run_sync(content_blocks, turn) if turn.attachments else content_blocks(turn)
        except OSError as exc:
            raise BackendError(f"could not read the attachments: {exc}") from exc
        prompt_uuid = str(uuid.uuid4())
        message = {
            "type": "user",
            "message": {"role": "user", "content": blocks},
            "parent_tool_use_id": None,
            "uuid": prompt_uuid,
        }
        self._mapper.begin_turn(prompt_uuid)
        self._turn_active = True
        try:
            await client.query(_OneMessage(message))
        except ClaudeSDKError as exc:
            self._turn_active = False
            raise BackendError(stopped_message(exc, self.stderr)) from exc

    async def steer(self, turn: TurnInput) -> None:
        raise Conflict("Claude Code cannot take input in the middle of a turn; interrupt it and send the message")

    async def interrupt(self) -> None:
        if not self._turn_active:
            return
        self._mapper.interrupt_requested = True
        try:
            with trio.fail_after(INTERRUPT_TIMEOUT_S):
                await self._connected().interrupt()
        except trio.TooSlowError:
            raise BackendError(f"Claude Code did not stop the turn within {INTERRUPT_TIMEOUT_S:g} s") from None
        except Exception as exc:  # the SDK reports failed control requests as plain exceptions
            raise BackendError(f"could not interrupt Claude Code: {exc}") from exc

    async def answer_permission(self, request_id: str, allow: bool, message: str) -> None:
        pending = self._pending.get(request_id)
        if pending is None:
            raise NotFound(f"no permission request {request_id} is waiting (it was answered, or its turn ended)")
        if pending.allow is not None:
            raise Conflict(f"permission request {request_id} has already been answered")
        pending.allow = allow
        pending.message = message
        pending.answered.set()

    def _connected(self) -> ClaudeSDKClient:
        if self._client is None or self._closing:
            raise Conflict("the Claude Code session is closed")
        return self._client

    # Called by the SDK, each in a task of its own --------------------------------------

    async def _pre_tool_use(self, data: HookInput, tool_use_id: str | None, context: HookContext) -> HookJSONOutput:
        tool = str(data.get("tool_name", ""))
        raw_input = data.get("tool_input")
        tool_input = raw_input if isinstance(raw_input, dict) else {}
        verdict = check_tool(tool, tool_input, self._policy)
        if verdict.allowed:
            return {}
        try:
            await self._emit(Notice(f"The safety policy stopped a {tool} call. {verdict.reason}", "warning"))
        except Exception:
            log.warning("could not report a blocked %s call", tool, exc_info=True)
        return {
            "hookSpecificOutput": {
                "hookEventName": "PreToolUse",
                "permissionDecision": "deny",
                "permissionDecisionReason": verdict.reason,
            }
        }

    async def _can_use_tool(
        self, tool: str, tool_input: dict[str, Any], context: ToolPermissionContext
    ) -> PermissionResultAllow | PermissionResultDeny:
        request_id = new_id("p")
        pending = _Pending()
        self._pending[request_id] = pending
        reason = context.title or context.decision_reason or context.description or ""
        try:
            await self._emit(PermissionRequest(request_id, tool, dict(tool_input), reason))
            await pending.answered.wait()
        finally:
            self._pending.pop(request_id, None)
        if pending.allow:
            return PermissionResultAllow()
        said = pending.message.strip()
        return PermissionResultDeny(message=f"{DENIED} They said: {said}" if said else DENIED)

    def _stderr_line(self, line: str) -> None:
        self.stderr.append(line)
        log.debug("claude stderr: %s", line)

    # The pump and the end ------------------------------------------------------------------

    async def _pump(self, client: ClaudeSDKClient) -> None:
        try:
            async for message in client.receive_messages():
                if isinstance(message, ResultMessage) and self._mapper.needs_saved_costs(message):
                    await self._learn_restored_cost(message)
                for event in self._mapper.map(message, trio.current_time()):
                    if isinstance(event, TurnDone):
                        self._turn_active = False
                    await self._emit(event)
        except Exception as exc:
            if self._closing:
                return
            raise BackendError(stopped_message(exc, self.stderr)) from exc
        if not self._closing:
            raise BackendError(stopped_message(None, self.stderr))

    async def _learn_restored_cost(self, first: ResultMessage) -> None:
        parent = self._cfg.fork.backend_session_id if self._cfg.fork else self._cfg.resume
        saved = await trio.to_thread.run_sync(read_saved_costs, self._env, parent) if parent else []
        self._mapper.start_costs_from(saved, first)

    def _deny_pending(self) -> None:
        for pending in self._pending.values():
            if pending.allow is None:
                pending.allow, pending.message = False, CLOSED
                pending.answered.set()


class ClaudeBackend:
    """Claude Code sessions.

    Args:
        cli_path: the Claude Code executable; by default the one bundled with claude-agent-sdk,
            else ``claude`` on the PATH.
        extra_env: variables set for every Claude Code process, over the session's environment.
    """

    def __init__(self, cli_path: str | None = None, *, extra_env: Mapping[str, str] | None = None) -> None:
        self._cli_path = cli_path
        self._extra_env = dict(extra_env or {})

    @property
    def info(self) -> BackendInfo:
        return claude_info(self._cli_path)

    def _env(self, cfg: SessionConfig) -> dict[str, str]:
        return child_env({**cfg.env, **self._extra_env}, cfg.permission_mode, os.geteuid())

    def _require_cli(self) -> Path:
        cli = locate_cli(self._cli_path)
        if cli is None:
            raise BackendUnavailable(self.info.problem)
        return cli

    @asynccontextmanager
    async def open(self, cfg: SessionConfig, emit: Emit) -> AsyncIterator[BackendSession]:
        cli = self._require_cli()
        env = self._env(cfg)
        source = cfg.fork.backend_session_id if cfg.fork is not None else cfg.resume
        if source is not None and not await trio.to_thread.run_sync(find_transcript, env, cfg.cwd, source):
            # Resuming a session the CLI no longer has would fail forever; start afresh and say so.
            cfg = attrs.evolve(cfg, resume=None, fork=None, prior_cost=0.0)
            await emit(
                Notice(
                    "Claude Code no longer has the earlier conversation (its transcript is gone), "
                    "so this continues in a new session without that context.",
                    level="warning",
                )
            )
        resumed = cfg.fork is not None or cfg.resume is not None
        mapper = EventMapper(
            # What a resumed CLI restored shows only in its first result.
            ledger=CostLedger(branch_total=cfg.prior_cost, cli_total=None if resumed else 0.0),
            session_id=None if cfg.fork else cfg.resume,
            fork_ref=cfg.fork.after if cfg.fork else None,
        )
        session = ClaudeSession(cfg, emit, env, mapper)
        client = ClaudeSDKClient(self._options(cfg, cli, env, session))
        try:
            await client.connect()
        except CLINotFoundError as exc:
            raise BackendUnavailable(f"{NOT_FOUND} ({exc})") from exc
        except (ClaudeSDKError, OSError) as exc:
            raise BackendError(stopped_message(exc, session.stderr)) from exc
        session._client = client
        try:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(session._pump, client)
                try:
                    yield session
                finally:
                    session._closing = True
                    session._deny_pending()
                    with trio.move_on_after(DISCONNECT_TIMEOUT_S, shield=True):
                        await client.disconnect()
        except BaseExceptionGroup as group:
            _raise_single(group)

    def _options(
        self, cfg: SessionConfig, cli: Path, env: dict[str, str], session: ClaudeSession
    ) -> ClaudeAgentOptions:
        bypass = cfg.permission_mode == "bypassPermissions"
        options = ClaudeAgentOptions(
            cli_path=cli,
            cwd=cfg.cwd,
            env=env,
            model=cfg.model or None,
            effort=cfg.effort,
            permission_mode=cfg.permission_mode,
            system_prompt={"type": "preset", "preset": "claude_code", "append": cfg.system_prompt}
            if cfg.system_prompt
            else {"type": "preset", "preset": "claude_code"},
            include_partial_messages=True,
            stderr=session._stderr_line,
            hooks={"PreToolUse": [HookMatcher(matcher=None, hooks=[session._pre_tool_use])]},
            # In bypass mode Claude Code never asks, and the SDK warns that the callback is unused.
            can_use_tool=None if bypass else session._can_use_tool,
        )
        if cfg.fork is not None:
            options.resume = cfg.fork.backend_session_id
            options.fork_session = True
            options.resume_session_at = cfg.fork.after
        elif cfg.resume:
            options.resume = cfg.resume
        return options

    async def topic(self, text: str, cfg: SessionConfig) -> str:
        cli = self._require_cli()
        prompt = topic_prompt(text)
        options = ClaudeAgentOptions(
            cli_path=cli,
            cwd=cfg.cwd,
            env=child_env({**cfg.env, **self._extra_env}, "plan", os.geteuid()),
            model=TOPIC_MODEL,
            tools=[],
            permission_mode="plan",
            max_turns=1,
            thinking={"type": "disabled"},
            system_prompt="You name conversations with short, plain topics.",
            # A one-off question, not a conversation anyone will come back to.
            extra_args={"no-session-persistence": None},
        )
        answer = ""
        failure = ""
        try:
            async for message in claude_agent_sdk.query(prompt=prompt, options=options):
                if isinstance(message, AssistantMessage) and message.error is None:
                    answer += "".join(b.text for b in message.content if isinstance(b, TextBlock))
                elif isinstance(message, ResultMessage) and message.is_error:
                    failure = message.result or message.subtype
        except CLIConnectionError as exc:
            raise BackendUnavailable(str(exc)) from exc
        except ClaudeSDKError as exc:
            raise BackendError(f"the topic query failed: {failure or exc}") from exc
        if failure:
            raise BackendError(f"the topic query failed: {failure}")
        return clean_topic(answer)


def _raise_single(group: BaseExceptionGroup[BaseException]) -> NoReturn:
    # The nursery wraps what the pump or the caller's block raised; hand back the exception itself.
    if len(group.exceptions) != 1:
        raise group
    exc = group.exceptions[0]
    context = exc.__context__
    try:
        raise exc
    finally:
        exc.__context__ = context
