"""The task that owns one backend session for an agent.

A backend session must be opened and closed by the same task (the Claude SDK insists),
and the agent actor must never wait on its backend (a backend blocked on delivering an
event to a busy agent would deadlock with it). So the agent gives the runner *ops*
without waiting, and the runner reports back through the agent's mailbox:
``RunnerUp``, each backend event, ``OpFailed``, and finally ``RunnerDown`` with the
reason the session ended (``None`` when it was closed on purpose).
"""

from __future__ import annotations

import logging
from typing import Any

import attrs
import trio

from isomux.actors import Handle
from isomux.backends.base import Backend, BackendEvent, BackendSession, SessionConfig, TurnInput
from isomux.errors import BackendError, IsomuxError

log = logging.getLogger("isomux.runner")


@attrs.frozen
class StartTurn:
    turn: TurnInput


@attrs.frozen
class SteerTurn:
    turn: TurnInput


@attrs.frozen
class InterruptTurn:
    pass


@attrs.frozen
class Answer:
    request_id: str
    allow: bool
    message: str


@attrs.frozen
class Close:
    pass


Op = StartTurn | SteerTurn | InterruptTurn | Answer | Close


@attrs.frozen(eq=False)
class BackendEventMsg:
    gen: int
    event: BackendEvent


@attrs.frozen(eq=False)
class RunnerUp:
    gen: int


@attrs.frozen(eq=False)
class OpFailed:
    gen: int
    op: str
    error: str


@attrs.frozen(eq=False)
class RunnerDown:
    gen: int
    error: str | None


def describe_failure(exc: BaseException) -> str:
    """The most useful sentence inside a (possibly grouped) exception."""
    leaves: list[BaseException] = []

    def walk(e: BaseException) -> None:
        if isinstance(e, BaseExceptionGroup):
            for inner in e.exceptions:
                walk(inner)
        else:
            leaves.append(e)

    walk(exc)
    for leaf in leaves:
        if isinstance(leaf, BackendError):
            return str(leaf)
    leaf = leaves[0] if leaves else exc
    return str(leaf) or type(leaf).__name__


async def _apply(op: Op, session: BackendSession) -> None:
    if isinstance(op, StartTurn):
        await session.start_turn(op.turn)
    elif isinstance(op, SteerTurn):
        await session.steer(op.turn)
    elif isinstance(op, InterruptTurn):
        await session.interrupt()
    elif isinstance(op, Answer):
        await session.answer_permission(op.request_id, op.allow, op.message)


class Runner:
    """The agent's side of a running backend session: a generation number and an op queue."""

    def __init__(self, gen: int) -> None:
        self.gen = gen
        self._send, self._recv = trio.open_memory_channel[Op](64)
        self.up = False
        self.done = trio.Event()

    def submit(self, op: Op) -> None:
        try:
            self._send.send_nowait(op)
        except (trio.WouldBlock, trio.BrokenResourceError, trio.ClosedResourceError):
            log.warning("runner %d is not taking %s", self.gen, type(op).__name__)

    def close(self) -> None:
        if not self.done.is_set():
            self.submit(Close())

    async def run(self, backend: Backend, cfg: SessionConfig, agent: Handle[Any]) -> None:
        error: str | None = None

        async def emit(event: BackendEvent) -> None:
            await agent.tell(BackendEventMsg(self.gen, event))

        try:
            async with backend.open(cfg, emit) as session:
                await agent.tell(RunnerUp(self.gen))
                async for op in self._recv:
                    if isinstance(op, Close):
                        break
                    try:
                        await _apply(op, session)
                    except (IsomuxError, BackendError) as exc:
                        await agent.tell(OpFailed(self.gen, type(op).__name__, str(exc)))
        except Exception as exc:
            error = describe_failure(exc)
            log.warning("backend session of %s ended: %s", cfg.agent_name, error)
        finally:
            self.done.set()
            self._recv.close()
            with trio.move_on_after(5, shield=True):
                try:
                    await agent.tell(RunnerDown(self.gen, error))
                except IsomuxError:
                    log.warning("could not report the end of a backend session of %s", cfg.agent_name)
