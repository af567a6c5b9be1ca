"""Supervisors: OTP restart semantics on trio nurseries.

A supervisor starts its children in order, watches them, and restarts them according to
its **strategy** (``ONE_FOR_ONE``: only the child that exited; ``ONE_FOR_ALL``: every
child, stopped in reverse order and started again in order) and each child's **restart
type** (``PERMANENT``: always; ``TRANSIENT``: only after a crash; ``TEMPORARY``: never).

**Restart intensity**: more than ``intensity`` restarts within ``period`` seconds means
something is badly wrong. With ``escalate=True`` (the OTP behaviour) the supervisor stops
all its children and raises :class:`RestartIntensityExceeded` to its own supervisor.
With ``escalate=False`` the count is kept per child and only that child is given up on
(``on_give_up`` is called) — used for dynamic supervisors of independent peers, where one
broken agent must not take the others down.

Mailboxes may be made in advance and passed in the child spec, so that siblings can hold
each other's handles before any of them starts.

**Shutdown**: a child is first asked to stop (its context's ``stopping`` event is set
and a waiting ``receive`` wakes up); after its ``shutdown`` grace period its cancel scope
is cancelled. Children stop in reverse start order.

The supervisor owns every child's mailbox, so the child's :class:`Handle` stays valid
across restarts; the mailbox closes only when the child is removed for good.

The supervisor is itself an actor. Its mailbox accepts :class:`StartChild`,
:class:`StopChild`, :class:`ChildHandle` and :class:`WhichChildren` (use the functions
:func:`start_child`, :func:`stop_child`, :func:`child_handle`, :func:`which_children`).
Restart type when nested: whatever its parent's spec says. Shutdown: children in reverse.
"""

from __future__ import annotations

import enum
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

import attrs
import trio

from isomux.actors.handle import ActorContext, Handle, Reply
from isomux.actors.mailbox import Mailbox, Overflow, Stopping
from isomux.errors import Conflict, NotFound, RestartIntensityExceeded

log = logging.getLogger("isomux.actors")


class Restart(enum.Enum):
    PERMANENT = "permanent"
    TRANSIENT = "transient"
    TEMPORARY = "temporary"


class Strategy(enum.Enum):
    ONE_FOR_ONE = "one_for_one"
    ONE_FOR_ALL = "one_for_all"


class ActorFn(Protocol):
    def __call__(self, ctx: ActorContext[Any], *, task_status: trio.TaskStatus[None]) -> Awaitable[None]: ...


@attrs.frozen
class ChildSpec:
    """How to run one child. ``run(ctx, task_status=...)`` must call ``task_status.started()``."""

    name: str
    run: ActorFn
    restart: Restart = Restart.PERMANENT
    shutdown: float = 5.0
    mailbox: int = 64
    overflow: Overflow = Overflow.BLOCK
    inbox: Mailbox[Any] | None = attrs.field(default=None, eq=False, repr=False)  # made in advance


@attrs.frozen(eq=False)
class StartChild:
    spec: ChildSpec
    reply: Reply[Handle[Any]]


@attrs.frozen(eq=False)
class StopChild:
    name: str
    reply: Reply[None]


@attrs.frozen(eq=False)
class WhichChildren:
    reply: Reply[list[str]]


@attrs.frozen(eq=False)
class ChildHandle:
    name: str
    reply: Reply[Handle[Any]]


@attrs.frozen(eq=False)
class _Exited:
    name: str
    incarnation: int
    crashed: BaseException | None


SupervisorMsg = StartChild | StopChild | WhichChildren | ChildHandle | _Exited


@attrs.define(eq=False)
class _Child:
    spec: ChildSpec
    mailbox: Mailbox[Any]
    handle: Handle[Any]
    ctx: ActorContext[Any] | None = None
    scope: trio.CancelScope = attrs.field(factory=trio.CancelScope)
    done: trio.Event = attrs.field(factory=trio.Event)
    incarnation: int = 0
    running: bool = False
    stop_requested: bool = False
    restarts: deque[float] = attrs.field(factory=deque)


class _StartedFlag:
    """Wraps a task status to remember whether the child reached ``started()``."""

    def __init__(self, inner: trio.TaskStatus[None]) -> None:
        self.inner = inner
        self.started_ok = False

    def started(self, value: None = None) -> None:
        self.started_ok = True
        self.inner.started()


class Supervisor:
    """Runs and restarts children; see the module docstring for the semantics."""

    def __init__(
        self,
        name: str,
        *,
        strategy: Strategy = Strategy.ONE_FOR_ONE,
        intensity: int = 3,
        period: float = 5.0,
        escalate: bool = True,
        on_give_up: Callable[[str, BaseException | None], None] | None = None,
    ) -> None:
        self.name = name
        self.strategy = strategy
        self.intensity = intensity
        self.period = period
        self.escalate = escalate
        self.on_give_up = on_give_up
        self._children: dict[str, _Child] = {}
        self._restarts: deque[float] = deque()
        self._nursery: trio.Nursery | None = None
        self._inbox: Mailbox[SupervisorMsg] | None = None

    def spec(self, children: Sequence[ChildSpec] = (), **kw: Any) -> ChildSpec:
        """A child spec that runs this supervisor under another one."""

        async def run(ctx: ActorContext[Any], *, task_status: trio.TaskStatus[None]) -> None:
            await self.run(ctx, children, task_status=task_status)

        kw.setdefault("shutdown", 30.0)
        return ChildSpec(self.name, run, **kw)

    async def run(
        self,
        ctx: ActorContext[SupervisorMsg],
        children: Sequence[ChildSpec] = (),
        *,
        task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
    ) -> None:
        self._inbox = ctx.inbox
        self._children = {}
        failure: BaseException | None = None
        async with trio.open_nursery() as nursery:
            self._nursery = nursery
            try:
                for spec in children:
                    await self._launch(self._add(spec))
            except Exception as exc:
                failure = exc
            if failure is None:
                task_status.started()
                failure = await self._loop(ctx)
            await self._stop_all()
        if failure is not None:
            raise failure

    # The loop ----------------------------------------------------------------

    async def _loop(self, ctx: ActorContext[SupervisorMsg]) -> BaseException | None:
        while True:
            try:
                msg = await ctx.receive()
            except (Stopping, trio.EndOfChannel):
                return None
            if isinstance(msg, _Exited):
                failure = await self._on_exit(msg)
                if failure is not None:
                    return failure
            elif isinstance(msg, StartChild):
                await self._handle_start(msg)
            elif isinstance(msg, StopChild):
                child = self._children.get(msg.name)
                if child is None:
                    msg.reply.fail(NotFound(f"{self.name} has no child {msg.name!r}"))
                    continue
                await self._stop(child)
                self._remove(child)
                msg.reply.send(None)
            elif isinstance(msg, ChildHandle):
                found = self._children.get(msg.name)
                if found is None:
                    msg.reply.fail(NotFound(f"{self.name} has no child {msg.name!r}"))
                else:
                    msg.reply.send(found.handle)
            else:
                msg.reply.send(list(self._children))

    async def _handle_start(self, msg: StartChild) -> None:
        if msg.spec.name in self._children:
            msg.reply.fail(Conflict(f"{msg.spec.name} is already running under {self.name}"))
            return
        child = self._add(msg.spec)
        try:
            await self._launch(child)
        except Exception as exc:
            self._remove(child)
            msg.reply.fail(exc)
            return
        msg.reply.send(child.handle)

    async def _on_exit(self, ev: _Exited) -> BaseException | None:
        child = self._children.get(ev.name)
        if child is None or child.incarnation != ev.incarnation or child.stop_requested:
            return None
        if ev.crashed is not None:
            log.error("%s/%s crashed", self.name, ev.name, exc_info=ev.crashed)
        restart = child.spec.restart is Restart.PERMANENT or (
            child.spec.restart is Restart.TRANSIENT and ev.crashed is not None
        )
        if not restart:
            self._remove(child)
            return None
        if self._too_many_restarts(child):
            message = (
                f"{self.name}: {ev.name} needed more than {self.intensity} restarts within {self.period:g} s; giving up"
            )
            if self.escalate:
                return RestartIntensityExceeded(message)
            log.error("%s", message)
            self._remove(child)
            if self.on_give_up is not None:
                self.on_give_up(ev.name, ev.crashed)
            return None
        if self.strategy is Strategy.ONE_FOR_ALL:
            for other in reversed(list(self._children.values())):
                if other is not child:
                    await self._stop(other)
            targets = list(self._children.values())
        else:
            targets = [child]
        for target in targets:
            try:
                await self._launch(target)
            except Exception as exc:
                # A restart that fails to start counts as another crash of that child.
                return await self._on_exit(_Exited(target.spec.name, target.incarnation, exc))
        return None

    def _too_many_restarts(self, child: _Child) -> bool:
        times = self._restarts if self.escalate else child.restarts
        now = trio.current_time()
        times.append(now)
        while times and times[0] < now - self.period:
            times.popleft()
        return len(times) > self.intensity

    # Children ------------------------------------------------------------------

    def _add(self, spec: ChildSpec) -> _Child:
        mailbox: Mailbox[Any] = (
            spec.inbox if spec.inbox is not None else Mailbox(spec.mailbox, overflow=spec.overflow, name=spec.name)
        )
        child = _Child(spec, mailbox, Handle(spec.name, mailbox))
        self._children[spec.name] = child
        return child

    def _remove(self, child: _Child) -> None:
        if self._children.get(child.spec.name) is child:
            del self._children[child.spec.name]
        child.mailbox.close()

    async def _launch(self, child: _Child) -> None:
        assert self._nursery is not None
        child.incarnation += 1
        child.scope = trio.CancelScope()
        child.done = trio.Event()
        child.stop_requested = False
        child.ctx = ActorContext(child.spec.name, child.mailbox, child.handle, incarnation=child.incarnation)
        await self._nursery.start(self._child_main, child)

    async def _child_main(self, child: _Child, *, task_status: trio.TaskStatus[None]) -> None:
        assert child.ctx is not None
        assert self._inbox is not None
        status = _StartedFlag(task_status)
        incarnation = child.incarnation
        crashed: BaseException | None = None
        try:
            with child.scope:
                child.running = True
                try:
                    await child.spec.run(child.ctx, task_status=status)
                except Exception as exc:
                    if not status.started_ok:
                        raise
                    crashed = exc
        finally:
            child.running = False
            child.done.set()
        if not child.stop_requested:
            await self._inbox.put(_Exited(child.spec.name, incarnation, crashed))

    async def _stop(self, child: _Child) -> None:
        if not child.running or child.ctx is None:
            return
        child.stop_requested = True
        child.ctx.stopping.set()
        child.mailbox.wake_getters()
        if child.spec.shutdown > 0:
            with trio.move_on_after(child.spec.shutdown):
                await child.done.wait()
        if not child.done.is_set():
            log.warning("%s/%s did not stop within %gs; cancelling", self.name, child.spec.name, child.spec.shutdown)
            child.scope.cancel()
            await child.done.wait()

    async def _stop_all(self) -> None:
        for child in reversed(list(self._children.values())):
            await self._stop(child)


async def start_child(sup: Handle[SupervisorMsg], spec: ChildSpec, *, timeout: float = 30.0) -> Handle[Any]:
    """Start a child under a running supervisor and return its handle."""
    return await sup.ask(lambda r: StartChild(spec, r), timeout=timeout)


async def stop_child(sup: Handle[SupervisorMsg], name: str, *, timeout: float = 60.0) -> None:
    """Stop a child gracefully and forget it."""
    await sup.ask(lambda r: StopChild(name, r), timeout=timeout)


async def which_children(sup: Handle[SupervisorMsg], *, timeout: float = 5.0) -> list[str]:
    return await sup.ask(WhichChildren, timeout=timeout)


async def child_handle(sup: Handle[SupervisorMsg], name: str, *, timeout: float = 5.0) -> Handle[Any]:
    """The handle of a running child (valid across its restarts)."""
    return await sup.ask(lambda r: ChildHandle(name, r), timeout=timeout)


def root_context(name: str = "root") -> ActorContext[SupervisorMsg]:
    """A context for a supervisor that has no parent (the top of the tree)."""
    inbox: Mailbox[SupervisorMsg] = Mailbox(256, name=name)
    return ActorContext(name, inbox, Handle(name, inbox))


def request_stop(ctx: ActorContext[Any]) -> None:
    """Ask the actor running with ``ctx`` to stop gracefully."""
    ctx.stopping.set()
    ctx.inbox.wake_getters()
