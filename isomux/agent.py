"""The agent actor: one agent's conversation, turn lifecycle and backend session.

Accepts: :class:`~isomux.delivery.Deliver` (from the router), :class:`Act` (a person's
command about this agent), :class:`SpecChanged` (from the office), :class:`Tick`, and
the runner's reports. Emits: log entries (appended to the session file, then published),
``StatusChanged``, ``LogReset`` and stream deltas to the hub; ``Ready``/``Delivered`` to
the router. One turn at a time; commands that would disturb a turn are refused while it
runs (interrupt first) — they never race it.

The backend process starts lazily, when there is work, and is stopped after the idle
period; the next turn resumes the same backend session. If the process dies it is
reopened with the session resumed, and the chat says so.

Restart: permanent (under a supervisor that gives up on one agent without touching the
others). Shutdown: a running turn is interrupted and logged as such, the log is synced,
the backend process is closed.
"""

from __future__ import annotations

import contextlib
import logging
import math
from collections import deque
from pathlib import Path
from typing import Any, Literal

import attrs
import trio

from isomux.actors import ActorContext, ChildSpec, Handle, Reply, Restart, Stopping
from isomux.backends.base import (
    Backend,
    ForkFrom,
    Notice,
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
from isomux.coalesce import coalesce
from isomux.conversation import Cursor
from isomux.delivery import Deliver, Delivered, Ready, Undeliverable
from isomux.domain import commands as c
from isomux.domain.events import AgentStatus, LogAppended, LogPage, LogReset, StatusChanged, StreamDelta
from isomux.domain.ids import new_id, now_ms
from isomux.domain.log import (
    MAX_TEXT,
    MAX_TOOL_INPUT,
    MAX_TOOL_OUTPUT,
    ErrorNote,
    LogEntry,
    PermissionAnswered,
    PermissionAsked,
    SystemNote,
    Text,
    Thinking,
    ToolCall,
    ToolResult,
    TurnEnd,
    UserTurn,
    cap_text,
)
from isomux.domain.model import AgentSpec, AgentState, QueuedMessage, Sender
from isomux.errors import Conflict, InvalidInput, IsomuxError, NotFound
from isomux.hub import Publish, PublishDelta
from isomux.office import GetAgent, GetSetup, NoteTopic, Setup
from isomux.runner import (
    Answer,
    BackendEventMsg,
    InterruptTurn,
    OpFailed,
    Runner,
    RunnerDown,
    RunnerUp,
    StartTurn,
    SteerTurn,
)
from isomux.services import Services
from isomux.sessions import Conversations, find_fork_point

log = logging.getLogger("isomux.agent")

ASK = 10.0
STOP_GRACE = 3.0
TOPIC_STALE_AFTER = 4  # turns


@attrs.frozen(eq=False)
class Act:
    command: Any
    caller: Sender
    reply: Reply[Any]


@attrs.frozen(eq=False)
class SpecChanged:
    spec: AgentSpec


@attrs.frozen(eq=False)
class Tick:
    pass


@attrs.frozen(eq=False)
class TopicReady:
    session_id: str
    topic: str | None
    turn: int


@attrs.define
class Turn:
    started: float
    started_ms: int
    tools: dict[str, int] = attrs.field(factory=dict)


def agent_child(services: Services, agent_id: str) -> ChildSpec:
    async def run(ctx: ActorContext[Any], *, task_status: trio.TaskStatus[None]) -> None:
        await run_agent(ctx, services=services, agent_id=agent_id, task_status=task_status)

    return ChildSpec(f"agent:{agent_id}", run, restart=Restart.PERMANENT, shutdown=STOP_GRACE + 5, mailbox=1024)


class Agent:
    def __init__(self, services: Services, agent_id: str, me: Handle[Any], nursery: trio.Nursery) -> None:
        self.s = services
        self.id = agent_id
        self.me = me
        self.nursery = nursery
        self.spec: AgentSpec
        self.conv: Conversations
        self.status = AgentStatus(agent_id=agent_id, since=now_ms())
        self.runner: Runner | None = None
        self.closing: Runner | None = None  # closed on purpose; the next one starts once it is gone
        self.gen = 0
        self.turn: Turn | None = None
        self.pending: dict[str, PermissionAsked] = {}
        self.after_interrupt: tuple[QueuedMessage, ...] = ()
        self.steering: tuple[QueuedMessage, ...] = ()  # logged and sent into the running turn
        self.rerun: tuple[QueuedMessage, ...] = ()  # logged, but the turn ended before they got in
        self.reopen = False  # settings changed: start a fresh process for the next turn
        self.next_fork: ForkFrom | None = None
        self.next_prior_cost = 0.0
        self.crashes: deque[float] = deque(maxlen=3)
        self.last_active = trio.current_time()
        self.delivered: set[str] = set()
        self.topic_busy = False

    @property
    def backend(self) -> Backend:
        return self.s.backends[self.spec.backend]

    # Start-up -------------------------------------------------------------------------

    async def start(self) -> None:
        self.spec = await self.s.office.ask(lambda r: GetAgent(self.id, r), timeout=ASK)
        self.conv = await trio.to_thread.run_sync(Conversations.load, self.s.layout, self.id)
        self.delivered = await trio.to_thread.run_sync(self.conv.delivered_ids)
        if self.conv.recovered:
            self._log_now(SystemNote(id=new_id("e"), ts=now_ms(), text=self.conv.recovered, level="warning"))
        if await trio.to_thread.run_sync(self.conv.unfinished_turn):
            self._log_now(
                TurnEnd(
                    id=new_id("e"),
                    ts=now_ms(),
                    status="interrupted",
                    error="The office stopped while this turn was running.",
                )
            )
            self._log_now(
                SystemNote(
                    id=new_id("e"),
                    ts=now_ms(),
                    text=(
                        "The office was restarted while I was working, so that turn was cut short. "
                        "Send a message to continue the same conversation."
                    ),
                )
            )
            await trio.to_thread.run_sync(self.conv.sync)
        await self.publish(LogReset(agent_id=self.id, tail=await trio.to_thread.run_sync(self.conv.tail)))
        info = self.conv.info()
        self.status = attrs.evolve(
            self.status,
            session_id=self.conv.current,
            topic=info.topic if info else None,
            topic_stale=info.topic_stale if info else False,
            session_usage=info.usage if info else self.status.session_usage,
        )
        await self.publish(StatusChanged(status=self.status))
        await self.s.office.tell(NoteTopic(self.id, self.status.topic))
        await self.s.router.tell(Ready(self.id))

    # Publishing ------------------------------------------------------------------------

    async def publish(self, event: Any) -> None:
        await self.s.hub.tell(Publish(event))

    def _log_now(self, entry: LogEntry) -> int:
        """Append without publishing (start-up, before the tail is published)."""
        if self.conv.current is None:
            self.conv.begin(self.spec.backend, origin="restored")
        return self.conv.append(entry)

    async def log(self, entry: LogEntry) -> None:
        if self.conv.current is None:
            _, offset, header = self.conv.begin(self.spec.backend)
            await self.publish(
                LogAppended(
                    agent_id=self.id, session_id=header.session_id, entry=header, cursor=self.conv.cursor(offset)
                )
            )
            await self._status(session_id=self.conv.current, topic=None, topic_stale=False)
        offset = self.conv.append(entry)
        assert self.conv.current is not None
        await self.publish(
            LogAppended(agent_id=self.id, session_id=self.conv.current, entry=entry, cursor=self.conv.cursor(offset))
        )

    async def _status(self, **changes: Any) -> None:
        updated = attrs.evolve(self.status, **changes)
        if updated.state != self.status.state:
            updated = attrs.evolve(updated, since=now_ms())
        if updated != self.status:
            self.status = updated
            await self.publish(StatusChanged(status=updated))

    async def set_state(self, state: AgentState, *, detail: str = "", error: str = "") -> None:
        await self._status(state=state, detail=detail, error=error)

    # Turns -------------------------------------------------------------------------------

    async def deliver(self, msg: Deliver) -> None:
        def seen(m: QueuedMessage) -> bool:
            return m.id in self.delivered or (m.key is not None and m.key in self.delivered)

        fresh = tuple(m for m in msg.messages if not seen(m))
        repeated = tuple(m.id for m in msg.messages if seen(m))
        if repeated:
            await self.s.router.tell(Delivered(self.id, repeated))
        if not fresh:
            if self.turn is None:
                await self.s.router.tell(Ready(self.id))
            return
        if self.turn is None:
            await self.begin_turn(fresh)
        elif msg.steer and self.backend.info.capabilities.steer and self.runner is not None:
            await self._record(fresh, steered=True)
            self.steering = fresh
            text, attachments = coalesce(fresh)
            self.runner.submit(
                SteerTurn(TurnInput(text=text, attachments=attachments, files_dir=self.s.layout.files_dir(self.id)))
            )
        elif msg.steer:
            self.after_interrupt += fresh
            await self.interrupt()
        else:
            await self.s.router.tell(Undeliverable(self.id, tuple(m.id for m in fresh)))

    async def _record(self, messages: tuple[QueuedMessage, ...], *, steered: bool = False) -> None:
        await self.log(UserTurn(id=new_id("e"), ts=now_ms(), messages=messages, steered=steered))
        ids = tuple(m.id for m in messages)
        self.delivered.update(ids)
        self.delivered.update(m.key for m in messages if m.key is not None)
        await self.s.router.tell(Delivered(self.id, ids))

    async def begin_turn(self, messages: tuple[QueuedMessage, ...], *, record: bool = True) -> None:
        self.turn = Turn(trio.current_time(), now_ms())
        self.last_active = trio.current_time()
        try:
            runner = await self.ensure_runner()
        except IsomuxError as exc:
            if record:
                await self._record(messages)
            await self.finish_turn(TurnDone("failed", error=f"The agent could not start: {exc}"))
            return
        text, attachments = coalesce(messages)
        # The backend gets the turn first; its events wait in this actor's mailbox until the
        # bookkeeping below is done, so the log still reads: the user's turn, then the reply.
        runner.submit(
            StartTurn(TurnInput(text=text, attachments=attachments, files_dir=self.s.layout.files_dir(self.id)))
        )
        if record:
            await self._record(messages)
        await self._status(turn_started=self.turn.started_ms)
        await self.set_state("thinking")

    async def setup(self) -> Setup:
        return await self.s.office.ask(lambda r: GetSetup(self.id, r), timeout=ASK)

    async def ensure_runner(self) -> Runner:
        if self.runner is not None:
            return self.runner
        if self.closing is not None:
            # Two processes on one backend session would fight over it (and over its cost figures).
            with trio.move_on_after(10):
                await self.closing.done.wait()
        setup = await self.setup()
        self.spec = setup.agent
        info = self.conv.info()
        cfg = SessionConfig(
            agent_id=self.id,
            agent_name=self.spec.name,
            cwd=Path(self.spec.cwd),
            model=self.spec.model,
            effort=self.spec.effort,
            permission_mode=self.spec.permission_mode,
            system_prompt=setup.system_prompt,
            env=setup.env,
            isomux_home=self.s.layout.home,
            resume=info.backend_session_id if info and self.next_fork is None else None,
            fork=self.next_fork,
            prior_cost=self.next_prior_cost if self.next_fork else (info.cost_reported if info else 0.0),
        )
        self.next_fork = None
        self.gen += 1
        self.runner = Runner(self.gen)
        self.nursery.start_soon(self.runner.run, self.backend, cfg, self.me)
        self.reopen = False
        return self.runner

    async def interrupt(self) -> bool:
        if self.turn is None:
            return False
        if self.runner is None:
            await self.finish_turn(TurnDone("interrupted"))
        else:
            self.runner.submit(InterruptTurn())
        return True

    async def finish_turn(self, done: TurnDone) -> None:
        if self.turn is None:
            return
        for request_id in list(self.pending):
            await self._answer(request_id, False, "isomux", "the turn ended before anyone answered")
        if done.error:
            await self.log(ErrorNote(id=new_id("e"), ts=now_ms(), message=done.error, hint=done.hint))
        duration = now_ms() - self.turn.started_ms
        await self.log(
            TurnEnd(
                id=new_id("e"),
                ts=now_ms(),
                status=done.status,
                usage=done.usage,
                duration_ms=duration,
                fork_ref=done.fork_ref,
                cost_total=done.cumulative_cost,
                error=done.error,
            )
        )
        info = self.conv.info()
        if info is not None:
            turns = info.turns + 1
            info = attrs.evolve(
                info,
                turns=turns,
                usage=info.usage + done.usage,
                updated_at=now_ms(),
                cost_reported=done.cumulative_cost if done.cumulative_cost is not None else info.cost_reported,
                topic_stale=info.topic is not None and turns - info.topic_turn >= TOPIC_STALE_AFTER,
            )
            await trio.to_thread.run_sync(self.conv.sync)
            await trio.to_thread.run_sync(self.conv.update, info)
            await self._status(session_usage=info.usage, topic_stale=info.topic_stale)
        self.turn = None
        self.last_active = trio.current_time()
        await self._status(turn_started=None)
        info = self.conv.info()
        if info is not None and info.topic is None and not self.topic_busy:
            # After the turn, not beside it: a second CLI starting with the agent's own slows its first token.
            self.start_topic(None)
        await self.set_state("error" if done.status == "failed" else "waiting", error=done.error)
        if self.reopen:
            self.retire_runner()
        if self.after_interrupt:
            messages, self.after_interrupt = self.after_interrupt, ()
            await self.begin_turn(messages)
        elif self.rerun:
            messages, self.rerun = self.rerun, ()
            await self.begin_turn(messages, record=False)
        else:
            await self.s.router.tell(Ready(self.id))

    # Backend events ---------------------------------------------------------------------

    def retire_runner(self) -> None:
        """Close the backend session on purpose; a new one will wait until this one is gone."""
        if self.runner is not None:
            self.runner.close()
            self.closing, self.runner = self.runner, None

    async def on_backend(self, msg: Any) -> None:
        if isinstance(msg, RunnerDown) and self.closing is not None and msg.gen == self.closing.gen:
            self.closing = None
            if self.runner is None:
                await self._status(live=False)
                if self.turn is None and self.status.state in ("waiting", "thinking", "tool"):
                    await self.set_state("idle")
            return
        if self.runner is None or msg.gen != self.runner.gen:
            return
        if isinstance(msg, RunnerUp):
            self.runner.up = True
            await self._status(live=True)
        elif isinstance(msg, OpFailed):
            if msg.op == "StartTurn":
                await self.finish_turn(TurnDone("failed", error=msg.error))
            elif msg.op == "SteerTurn":
                # The turn ended before the input got in: it becomes the next turn instead of being lost.
                missed, self.steering = self.steering, ()
                if self.turn is None and missed:
                    await self.begin_turn(missed, record=False)
                else:
                    self.rerun += missed
            else:
                await self.log(ErrorNote(id=new_id("e"), ts=now_ms(), message=msg.error))
        elif isinstance(msg, RunnerDown):
            await self.on_runner_down(msg.error)
        else:
            await self.on_event(msg.event)

    async def on_event(self, ev: Any) -> None:
        now = now_ms()
        if isinstance(ev, SessionReady):
            info = self.conv.info()
            if info is not None and info.backend_session_id != ev.backend_session_id:
                await trio.to_thread.run_sync(
                    self.conv.update, attrs.evolve(info, backend_session_id=ev.backend_session_id)
                )
        elif isinstance(ev, TextDelta | ThinkingDelta):
            kind: Literal["text", "thinking"] = "text" if isinstance(ev, TextDelta) else "thinking"
            await self.s.hub.tell(PublishDelta(StreamDelta(agent_id=self.id, block=ev.block, kind=kind, text=ev.text)))
            if self.status.state not in ("thinking", "waiting"):
                await self.set_state("thinking")
        elif isinstance(ev, TextDone):
            text, cut = cap_text(ev.text, MAX_TEXT)
            await self.log(Text(id=new_id("e"), ts=now, text=text, block=ev.block, truncated=cut))
        elif isinstance(ev, ThinkingDone):
            text, cut = cap_text(ev.text, MAX_TEXT)
            await self.log(
                Thinking(id=new_id("e"), ts=now, text=text, block=ev.block, duration_ms=ev.duration_ms, truncated=cut)
            )
        elif isinstance(ev, ToolStarted):
            tool_input, cut = ev.input, len(repr(ev.input)) > MAX_TOOL_INPUT
            if cut:
                tool_input = {"summary": repr(ev.input)[:MAX_TOOL_INPUT]}
            await self.log(
                ToolCall(id=new_id("e"), ts=now, tool_id=ev.tool_id, name=ev.name, input=tool_input, truncated=cut)
            )
            if self.turn is not None:
                self.turn.tools[ev.tool_id] = now
            await self.set_state("tool", detail=ev.name)
        elif isinstance(ev, ToolFinished):
            output, cut = cap_text(ev.output, MAX_TOOL_OUTPUT)
            started = self.turn.tools.pop(ev.tool_id, None) if self.turn else None
            await self.log(
                ToolResult(
                    id=new_id("e"),
                    ts=now,
                    tool_id=ev.tool_id,
                    output=output,
                    is_error=ev.is_error,
                    truncated=cut,
                    duration_ms=now - started if started else None,
                )
            )
            await self.set_state("thinking")
        elif isinstance(ev, PermissionRequest):
            asked = PermissionAsked(
                id=new_id("e"), ts=now, request_id=ev.request_id, tool=ev.tool, input=ev.input, reason=ev.reason
            )
            self.pending[ev.request_id] = asked
            await self.log(asked)
            await self._status(permission=asked)
            await self.set_state("waiting", detail="needs permission")
        elif isinstance(ev, Notice):
            await self.log(SystemNote(id=new_id("e"), ts=now, text=ev.text, level=ev.level))
        elif isinstance(ev, TurnDone):
            await self.finish_turn(ev)
        self.last_active = trio.current_time()

    async def on_runner_down(self, error: str | None) -> None:
        self.runner = None
        await self._status(live=False)
        if error is None:
            if self.turn is not None:
                await self.finish_turn(TurnDone("interrupted", error="The backend session was closed."))
            elif self.status.state in ("waiting", "thinking", "tool"):
                await self.set_state("idle")
            return
        label = self.backend.info.label
        self.crashes.append(trio.current_time())
        looping = len(self.crashes) == self.crashes.maxlen and self.crashes[-1] - self.crashes[0] < 60
        hint = (
            "It failed three times within a minute, so Isomux stopped restarting it; your next message will try again."
            if looping
            else "Isomux restarted it and resumed this conversation."
        )
        text = f"The {label} process stopped unexpectedly: {error}"
        if self.turn is not None:
            await self.finish_turn(TurnDone("failed", error=text, hint=hint))
        else:
            await self.log(ErrorNote(id=new_id("e"), ts=now_ms(), message=text, hint=hint))
            await self.set_state("error", error=text)
        if not looping:
            try:
                await self.ensure_runner()
            except IsomuxError as exc:
                await self.log(ErrorNote(id=new_id("e"), ts=now_ms(), message=f"Could not restart: {exc}"))

    # Commands from people ----------------------------------------------------------------

    def _require_idle(self, what: str) -> None:
        if self.turn is not None:
            raise Conflict(f"{self.spec.name} is busy; interrupt the running turn before you {what}")

    async def _switch(self, tail: Any) -> None:
        self.retire_runner()
        info = self.conv.info()
        await self.publish(LogReset(agent_id=self.id, tail=tail))
        await self._status(
            session_id=self.conv.current,
            topic=info.topic if info else None,
            topic_stale=info.topic_stale if info else False,
            permission=None,
            live=False,
            session_usage=info.usage if info else attrs.evolve(self.status.session_usage),
        )
        await self.set_state("idle")
        await self.s.office.tell(NoteTopic(self.id, self.status.topic))

    async def act(self, cmd: Any, caller: Sender) -> Any:
        if isinstance(cmd, c.Interrupt):
            return {"interrupted": await self.interrupt()}
        if isinstance(cmd, c.AnswerPermission):
            if cmd.request_id not in self.pending:
                raise NotFound(
                    "that permission request is not waiting for an answer (it was answered already "
                    "or its turn has ended)"
                )
            await self._answer(cmd.request_id, cmd.allow, caller.label.strip("[]"), cmd.message)
            if self.runner is not None:
                self.runner.submit(Answer(cmd.request_id, cmd.allow, cmd.message))
            await self.set_state("tool" if cmd.allow else "thinking")
            return None
        if isinstance(cmd, c.NewConversation):
            self._require_idle("start a new conversation")
            await trio.to_thread.run_sync(self.conv.clear)
            await self._switch(await trio.to_thread.run_sync(self.conv.tail))
            return None
        if isinstance(cmd, c.ResumeSession):
            self._require_idle("switch conversations")
            await trio.to_thread.run_sync(self.conv.switch, cmd.session_id)
            await self._switch(await trio.to_thread.run_sync(self.conv.tail))
            return None
        if isinstance(cmd, c.BranchFrom):
            return await self.branch(cmd, caller)
        if isinstance(cmd, c.SetTopic):
            await self.set_topic(self.conv.current, cmd.topic)
            return None
        if isinstance(cmd, c.RegenerateTopic):
            self.start_topic(None)
            return None
        if isinstance(cmd, c.ListSessions):
            return sorted(self.conv.sessions.values(), key=lambda i: i.updated_at, reverse=True)
        if isinstance(cmd, c.GetLog):
            return await self.page(cmd)
        raise InvalidInput(f"an agent does not handle {type(cmd).__name__}")

    async def page(self, cmd: c.GetLog) -> LogPage:
        if cmd.before:
            start = Cursor.parse(cmd.before)
            if start.session_id not in self.conv.sessions:
                raise NotFound("that cursor names a session this agent does not have")
        elif self.conv.current is None:
            return LogPage(session_id=None, entries=(), cursors=(), older=None)
        else:
            start = Cursor(self.conv.current, None)
        entries, cursors, older = await trio.to_thread.run_sync(self.conv.page, start, cmd.limit)
        return LogPage(session_id=self.conv.current, entries=tuple(entries), cursors=tuple(cursors), older=older)

    async def _answer(self, request_id: str, allow: bool, by: str, message: str) -> None:
        self.pending.pop(request_id, None)
        await self.log(
            PermissionAnswered(
                id=new_id("e"),
                ts=now_ms(),
                request_id=request_id,
                decision="allow" if allow else "deny",
                by=by,
                message=message,
            )
        )
        if not self.pending:
            await self._status(permission=None)

    async def branch(self, cmd: c.BranchFrom, caller: Sender) -> None:
        self._require_idle("edit a past message")
        if not self.backend.info.capabilities.fork_at_turn:
            raise Conflict(f"the {self.backend.info.label} backend cannot branch a conversation at a past message")
        where, offset, _entry, end, end_session = await trio.to_thread.run_sync(
            find_fork_point, self.conv, cmd.entry_id
        )
        parent = self.conv.sessions[where]
        fork: ForkFrom | None = None
        if end is not None:
            source = self.conv.sessions.get(end_session)
            if source is not None and source.backend_session_id:
                fork = ForkFrom(backend_session_id=source.backend_session_id, after=end.fork_ref)
        info, _, _ = await trio.to_thread.run_sync(
            lambda: self.conv.begin(
                self.spec.backend, origin="forked", forked_from=where, fork_entry_id=cmd.entry_id, fork_offset=offset
            )
        )
        info = attrs.evolve(info, topic=parent.topic, topic_stale=parent.topic is not None)
        await trio.to_thread.run_sync(self.conv.update, info)
        await self._switch(await trio.to_thread.run_sync(self.conv.tail))
        self.next_fork = fork
        self.next_prior_cost = (end.cost_total or 0.0) if end is not None else 0.0
        message = QueuedMessage(id=new_id("m"), sender=caller, text=cmd.text, created_at=now_ms())
        await self.begin_turn((message,))

    # Topics ----------------------------------------------------------------------------------

    def start_topic(self, first_text: str | None) -> None:
        if self.conv.current is None or self.topic_busy:
            return
        self.topic_busy = True
        self.nursery.start_soon(self._topic_task, self.conv.current, first_text)

    async def _topic_task(self, session_id: str, first_text: str | None) -> None:
        topic: str | None = None
        turn = self.conv.sessions[session_id].turns
        try:
            text = first_text if first_text else await trio.to_thread.run_sync(self._topic_context)
            setup = await self.setup()
            cfg = SessionConfig(
                agent_id=self.id,
                agent_name=self.spec.name,
                cwd=Path(self.spec.cwd),
                model=self.spec.model,
                effort="low",
                permission_mode="plan",
                system_prompt="",
                env=setup.env,
                isomux_home=self.s.layout.home,
            )
            with trio.fail_after(90):
                topic = (await self.backend.topic(text, cfg)).strip().strip('"').strip()[:80] or None
        except (IsomuxError, trio.TooSlowError, OSError) as exc:
            log.warning("no topic for %s: %s", self.spec.name, exc)
        finally:
            await self.me.tell(TopicReady(session_id, topic, turn))

    def _topic_context(self) -> str:
        tail = self.conv.tail(60)
        turns = [e for e in tail.entries if isinstance(e, UserTurn)]
        parts = [m.text[:300] for t in (turns[:1] + turns[-4:]) for m in t.messages]
        return "\n\n".join(dict.fromkeys(parts))

    async def set_topic(self, session_id: str | None, topic: str | None, turn: int | None = None) -> None:
        info = self.conv.sessions.get(session_id) if session_id else None
        if info is None:
            raise Conflict("there is no conversation to name yet")
        info = attrs.evolve(info, topic=topic, topic_stale=False, topic_turn=info.turns if turn is None else turn)
        await trio.to_thread.run_sync(self.conv.update, info)
        if session_id == self.conv.current:
            await self._status(topic=topic, topic_stale=False)
            await self.s.office.tell(NoteTopic(self.id, topic))

    # The loop -----------------------------------------------------------------------------------

    async def handle(self, msg: Any) -> None:
        if isinstance(msg, Deliver):
            await self.deliver(msg)
        elif isinstance(msg, Act):
            try:
                msg.reply.send(await self.act(msg.command, msg.caller))
            except IsomuxError as exc:
                msg.reply.fail(exc)
        elif isinstance(msg, BackendEventMsg | RunnerUp | RunnerDown | OpFailed):
            await self.on_backend(msg)
        elif isinstance(msg, SpecChanged):
            changed = msg.spec != self.spec
            self.spec = msg.spec
            if changed and self.runner is not None:
                self.reopen = True
                if self.turn is None:
                    self.retire_runner()
        elif isinstance(msg, TopicReady):
            self.topic_busy = False
            if msg.topic is not None and msg.session_id in self.conv.sessions:
                await self.set_topic(msg.session_id, msg.topic, msg.turn)
        elif isinstance(msg, Tick):
            idle_for = trio.current_time() - self.last_active
            if (
                self.runner is not None
                and self.turn is None
                and not self.pending
                and idle_for >= self.s.config.idle_timeout
            ):
                self.retire_runner()

    async def loop(self, ctx: ActorContext[Any]) -> None:
        deadline = math.inf
        stopping = False
        while not (stopping and self.turn is None):
            try:
                with trio.move_on_at(deadline):
                    msg = await ctx.inbox.get(until=None if stopping else ctx.stopping)
                if trio.current_time() >= deadline:
                    break
            except Stopping:
                stopping = True
                deadline = trio.current_time() + STOP_GRACE
                await self.interrupt()
                continue
            try:
                await self.handle(msg)
            except IsomuxError as exc:
                log.warning("%s: %s", self.id, exc)

    async def close(self) -> None:
        if self.turn is not None:
            await self.finish_turn(TurnDone("interrupted", error="The office shut down during this turn."))
        self.retire_runner()
        if self.closing is not None:
            with trio.move_on_after(STOP_GRACE):
                await self.closing.done.wait()
        await trio.to_thread.run_sync(self.conv.close_writer)


async def _ticker(me: Handle[Any], every: float) -> None:
    while True:
        await trio.sleep(every)
        with contextlib.suppress(IsomuxError):
            me.try_tell(Tick())


async def run_agent(
    ctx: ActorContext[Any],
    *,
    services: Services,
    agent_id: str,
    task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
) -> None:
    task_status.started()
    async with trio.open_nursery() as nursery:
        agent = Agent(services, agent_id, ctx.handle, nursery)
        await agent.start()
        nursery.start_soon(_ticker, ctx.handle, max(1.0, min(30.0, services.config.idle_timeout / 4)))
        try:
            await agent.loop(ctx)
        finally:
            with trio.CancelScope(shield=True), trio.move_on_after(STOP_GRACE + 2):
                await agent.close()
            nursery.cancel_scope.cancel()
