"""Handles, replies and the context an actor runs with.

A :class:`Handle` is a send-only capability to an actor's mailbox. The supervisor owns
the mailbox, so a handle stays valid while the actor behind it restarts.

``ask`` sends a message that carries a one-shot :class:`Reply` and waits for the answer
with a deadline chosen at the call site. An actor never asks itself.

:func:`serve` is the standard message loop: it hands each message to a handler; an
:class:`~isomux.errors.IsomuxError` raised by the handler is sent back to the asker and
the actor carries on; any other exception fails the asker with ``ActorCrashed`` and
crashes the actor (its supervisor decides what happens next).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Generic, Protocol, TypeVar

import attrs
import outcome
import trio

from isomux.actors.mailbox import Mailbox, Stopping
from isomux.errors import ActorCrashed, AskTimeout, IsomuxError

T = TypeVar("T")
R = TypeVar("R")
M = TypeVar("M")


BATCH = 256  # messages an actor may handle in a row before it lets other tasks run


class Reply(Generic[R]):
    """The answer slot of one ``ask``. Answer it once with :meth:`send` or :meth:`fail`."""

    __slots__ = ("_answered", "_recv", "_send")

    def __init__(self) -> None:
        self._send, self._recv = trio.open_memory_channel[outcome.Outcome[R]](1)
        self._answered = False

    @property
    def answered(self) -> bool:
        return self._answered

    def send(self, value: R) -> None:
        self._deliver(outcome.Value(value))

    def fail(self, exc: BaseException) -> None:
        self._deliver(outcome.Error(exc))

    def _deliver(self, result: outcome.Outcome[R]) -> None:
        if self._answered:
            return
        self._answered = True
        # The asker may have given up (deadline) and closed its end; that is not our problem.
        with contextlib.suppress(trio.BrokenResourceError, trio.WouldBlock):
            self._send.send_nowait(result)
        self._send.close()

    async def _wait(self, what: str, deadline: float, timeout: float) -> R:
        try:
            with trio.fail_at(deadline):
                result = await self._recv.receive()
        except trio.TooSlowError:
            raise AskTimeout(f"{what} got no answer within {timeout:g} s") from None
        except trio.EndOfChannel:
            raise ActorCrashed(f"{what} was dropped without an answer") from None
        finally:
            self._recv.close()
        return result.unwrap()


class HasReply(Protocol):
    reply: Reply[Any] | None


@attrs.frozen(eq=False)
class Handle(Generic[M]):
    """Send-only access to an actor's mailbox."""

    name: str
    mailbox: Mailbox[M] = attrs.field(repr=False)

    async def tell(self, msg: M) -> None:
        """Queue a message (waits for room if the mailbox blocks when full)."""
        await self.mailbox.put(msg)

    def try_tell(self, msg: M) -> None:
        """Queue a message now or raise ``MailboxFull``."""
        self.mailbox.put_nowait(msg)

    async def ask(self, make: Callable[[Reply[R]], M], *, timeout: float) -> R:
        """Send ``make(reply)`` and wait at most ``timeout`` seconds for the answer."""
        reply: Reply[R] = Reply()
        msg = make(reply)
        what = f"{self.name}: {type(msg).__name__}"
        deadline = trio.current_time() + timeout
        try:
            with trio.fail_at(deadline):
                await self.mailbox.put(msg)
        except trio.TooSlowError:
            raise AskTimeout(f"{what} could not be delivered within {timeout:g} s") from None
        return await reply._wait(what, deadline, timeout)

    @property
    def alive(self) -> bool:
        return not self.mailbox.closed


@attrs.define(eq=False)
class ActorContext(Generic[M]):
    """What a running actor instance gets from its supervisor."""

    name: str
    inbox: Mailbox[M]
    handle: Handle[M]
    stopping: trio.Event = attrs.field(factory=trio.Event)
    incarnation: int = 0

    async def receive(self) -> M:
        """The next message; raises ``Stopping`` once the supervisor asked this actor to stop."""
        return await self.inbox.get(until=self.stopping)

    async def messages(self) -> AsyncIterator[M]:
        """Iterate over messages until stopped (or the mailbox is closed)."""
        while True:
            try:
                yield await self.receive()
            except (Stopping, trio.EndOfChannel):
                return


def answer_error(msg: object, exc: BaseException) -> None:
    """Fail the asker of ``msg`` (if it was an ask)."""
    reply = getattr(msg, "reply", None)
    if isinstance(reply, Reply):
        reply.fail(exc)


async def serve(ctx: ActorContext[M], handler: Callable[[M], Awaitable[None]]) -> None:
    """Run ``handler`` for every message until the actor is asked to stop.

    Expected refusals (``IsomuxError``) go back to the asker; anything else crashes
    the actor after telling the asker what happened. Messages already waiting are handled
    in a batch (up to ``BATCH``) before the actor yields to the scheduler again, so a busy
    actor such as the hub keeps up with a flood instead of taking one message per pass.
    """
    while True:
        try:
            msg = await ctx.receive()
        except (Stopping, trio.EndOfChannel):
            return
        for _ in range(BATCH):
            try:
                await handler(msg)
            except IsomuxError as exc:
                answer_error(msg, exc)
            except Exception as exc:
                answer_error(msg, ActorCrashed(f"{ctx.name} crashed handling {type(msg).__name__}: {exc!r}"))
                raise
            if ctx.stopping.is_set():
                break
            try:
                msg = ctx.inbox.get_nowait()
            except trio.WouldBlock:
                break
