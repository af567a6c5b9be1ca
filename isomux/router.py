"""The router actor: every agent's durable inbox, coalescing and steering.

Accepts: :class:`Enqueue` (a message for an agent, from a person, an agent or the office),
:class:`~isomux.delivery.Ready` / ``Delivered`` / ``Undeliverable`` (from agents),
:class:`Flush` ("send now"), :class:`Amend`, :class:`Withdraw`, :class:`Forget`,
:class:`GetQueue`. Emits ``QueueChanged`` to the hub and ``Deliver`` to agents.
Owns ``inbox/<agentId>.json``.

A message is acknowledged only once it is written to the agent's inbox file. When the
agent is free, *all* its waiting messages go to it as one turn; they leave the inbox
only after the agent reports them logged, so a crash in between redelivers them (the
agent ignores a message it has already logged). Messages can be edited or withdrawn
until they are handed over. Agent-to-agent messages are rate-limited per sender.

Restart: permanent; readiness is only a hint (the agent refuses a delivery when busy
and says ``Ready`` again when free), so a restart loses nothing. Shutdown: nothing to
flush.
"""

from __future__ import annotations

import logging
from typing import Any

import attrs
import trio

from isomux import wire
from isomux.actors import ActorContext, Handle, Reply, child_handle, serve
from isomux.delivery import Deliver, Delivered, Ready, Undeliverable
from isomux.domain.events import QueueChanged
from isomux.domain.ids import new_id, now_ms
from isomux.domain.model import Attachment, QueuedMessage, Sender
from isomux.errors import (
    ActorGone,
    Conflict,
    CorruptFile,
    InvalidInput,
    IsomuxError,
    MailboxFull,
    NotFound,
    RateLimited,
)
from isomux.hub import Publish
from isomux.services import Services
from isomux.store.atomic import quarantine, read_json, write_json_atomic

log = logging.getLogger("isomux.router")

MAX_QUEUE = 500
A2A_BURST = 10  # messages an agent may send at once…
A2A_PER_MINUTE = 20  # …refilled at this rate


@attrs.frozen(eq=False)
class Enqueue:
    agent_id: str
    sender: Sender
    text: str
    attachments: tuple[Attachment, ...]
    reply: Reply[QueuedMessage]
    key: str | None = None


@attrs.frozen(eq=False)
class Flush:
    agent_id: str
    reply: Reply[int]


@attrs.frozen(eq=False)
class Amend:
    agent_id: str
    message_id: str
    text: str
    reply: Reply[QueuedMessage]


@attrs.frozen(eq=False)
class Withdraw:
    agent_id: str
    message_id: str
    reply: Reply[None]


@attrs.frozen(eq=False)
class Forget:
    agent_id: str


@attrs.frozen(eq=False)
class GetQueue:
    agent_id: str
    reply: Reply[tuple[QueuedMessage, ...]]


RouterMsg = Enqueue | Flush | Amend | Withdraw | Forget | GetQueue | Ready | Delivered | Undeliverable


@attrs.define
class Inbox:
    messages: list[QueuedMessage] = attrs.field(factory=list)
    in_flight: set[str] = attrs.field(factory=set)
    busy: bool = False  # we handed it messages and it has not said Ready since

    def waiting(self) -> tuple[QueuedMessage, ...]:
        return tuple(m for m in self.messages if m.id not in self.in_flight)


class Bucket:
    """A token bucket on trio's clock."""

    def __init__(self, burst: int, per_minute: int) -> None:
        self.burst = burst
        self.rate = per_minute / 60.0
        self.tokens = float(burst)
        self.stamp = trio.current_time()

    def take(self) -> bool:
        now = trio.current_time()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class Router:
    inboxes: dict[str, Inbox]

    def __init__(self, services: Services) -> None:
        self.s = services
        self.inboxes: dict[str, Inbox] = {}
        self.handles: dict[str, Handle[Any]] = {}
        self.buckets: dict[str, Bucket] = {}

    def load(self) -> None:
        directory = self.s.layout.inbox_dir
        if not directory.exists():
            return
        for path in sorted(directory.glob("*.json")):
            agent_id = path.stem
            try:
                data = read_json(path)
                if not isinstance(data, dict) or "messages" not in data:
                    raise CorruptFile(path, "it has no 'messages' field")
                try:
                    messages = wire.structure(data["messages"], tuple[QueuedMessage, ...])
                except InvalidInput as exc:
                    raise CorruptFile(path, str(exc)) from None
            except CorruptFile as exc:
                aside = quarantine(path)
                log.error("%s — moved to %s; the agent starts with an empty queue", exc, aside.name)
                continue
            self.inboxes[agent_id] = Inbox(list(messages))

    async def _save(self, agent_id: str) -> None:
        inbox = self.inboxes.get(agent_id)
        path = self.s.layout.inbox_file(agent_id)
        data = {
            "version": 1,
            "messages": wire.unstructure(tuple(inbox.messages if inbox else ()), tuple[QueuedMessage, ...]),
        }
        await trio.to_thread.run_sync(write_json_atomic, path, data)

    async def _changed(self, agent_id: str) -> None:
        inbox = self.inboxes.get(agent_id)
        await self.s.hub.tell(Publish(QueueChanged(agent_id=agent_id, messages=tuple(inbox.messages if inbox else ()))))

    async def _agent(self, agent_id: str) -> Handle[Any] | None:
        handle = self.handles.get(agent_id)
        if handle is not None and handle.alive:
            return handle
        try:
            handle = await child_handle(self.s.agents, f"agent:{agent_id}", timeout=5)
        except (NotFound, IsomuxError):
            return None
        self.handles[agent_id] = handle
        return handle

    async def _deliver(self, agent_id: str, *, steer: bool = False) -> int:
        inbox = self.inboxes.get(agent_id)
        if inbox is None or (inbox.busy and not steer):
            return 0
        waiting = inbox.waiting()
        if not waiting:
            return 0
        handle = await self._agent(agent_id)
        if handle is None:
            return 0
        try:
            handle.try_tell(Deliver(waiting, steer=steer))
        except (MailboxFull, ActorGone):
            return 0  # it will say Ready again when it can take them
        inbox.in_flight.update(m.id for m in waiting)
        inbox.busy = True
        return len(waiting)

    async def handle(self, msg: RouterMsg) -> None:
        if isinstance(msg, Enqueue):
            msg.reply.send(await self.enqueue(msg))
        elif isinstance(msg, Ready):
            inbox = self.inboxes.setdefault(msg.agent_id, Inbox())
            inbox.busy = False
            inbox.in_flight.clear()
            await self._deliver(msg.agent_id)
        elif isinstance(msg, Delivered):
            found = self.inboxes.get(msg.agent_id)
            if found is not None:
                inbox = found
                gone = set(msg.message_ids)
                inbox.messages = [m for m in inbox.messages if m.id not in gone]
                inbox.in_flight -= gone
                await self._save(msg.agent_id)
                await self._changed(msg.agent_id)
        elif isinstance(msg, Undeliverable):
            found = self.inboxes.get(msg.agent_id)
            if found is not None:
                inbox = found
                inbox.in_flight -= set(msg.message_ids)
        elif isinstance(msg, Flush):
            msg.reply.send(await self._deliver(msg.agent_id, steer=True))
        elif isinstance(msg, Amend | Withdraw):
            await self.change(msg)
        elif isinstance(msg, Forget):
            self.inboxes.pop(msg.agent_id, None)
            self.handles.pop(msg.agent_id, None)
            path = self.s.layout.inbox_file(msg.agent_id)
            await trio.to_thread.run_sync(lambda: path.unlink(missing_ok=True))
            await self._changed(msg.agent_id)
        else:
            waiting = self.inboxes.get(msg.agent_id)
            msg.reply.send(tuple(waiting.messages) if waiting else ())

    async def enqueue(self, msg: Enqueue) -> QueuedMessage:
        if msg.sender.kind == "agent" and msg.sender.id is not None:
            bucket = self.buckets.setdefault(msg.sender.id, Bucket(A2A_BURST, A2A_PER_MINUTE))
            if not bucket.take():
                raise RateLimited(
                    f"{msg.sender.name} is sending messages too fast "
                    f"(at most {A2A_PER_MINUTE} a minute); wait a little and try again"
                )
        inbox = self.inboxes.setdefault(msg.agent_id, Inbox())
        if msg.key is not None:
            earlier = next((m for m in inbox.messages if m.key == msg.key), None)
            if earlier is not None:
                return earlier
        if len(inbox.messages) >= MAX_QUEUE:
            raise Conflict(f"{MAX_QUEUE} messages are already waiting for this agent")
        queued = QueuedMessage(
            id=new_id("m"),
            sender=msg.sender,
            text=msg.text,
            attachments=msg.attachments,
            created_at=now_ms(),
            key=msg.key,
        )
        inbox.messages.append(queued)
        # A running, idle agent starts on it while the inbox is written (an agent still starting is
        # waited for only after the write). The sender hears back once the message is on disk, so what
        # was acknowledged survives a crash; after a restart the agent's log dedupes a message that is
        # both in its log and still in the inbox.
        handle = self.handles.get(msg.agent_id)
        early = handle is not None and handle.alive
        if early:
            await self._deliver(msg.agent_id)
        await self._save(msg.agent_id)
        if not early:
            await self._deliver(msg.agent_id)
        await self._changed(msg.agent_id)  # browsers hear of the queue after the agent has it
        return queued

    async def change(self, msg: Amend | Withdraw) -> None:
        inbox = self.inboxes.get(msg.agent_id)
        found = next((m for m in inbox.messages if m.id == msg.message_id), None) if inbox else None
        if inbox is None or found is None:
            raise NotFound("that message is no longer waiting (it may have been delivered already)")
        if found.id in inbox.in_flight:
            raise Conflict("that message is being delivered right now and can no longer be changed")
        if isinstance(msg, Amend):
            edited = attrs.evolve(found, text=msg.text, edited_at=now_ms())
            inbox.messages = [edited if m.id == found.id else m for m in inbox.messages]
        else:
            inbox.messages = [m for m in inbox.messages if m.id != found.id]
        await self._save(msg.agent_id)
        await self._changed(msg.agent_id)
        if isinstance(msg, Amend):
            msg.reply.send(edited)
        else:
            msg.reply.send(None)


async def run_router(
    ctx: ActorContext[RouterMsg], *, services: Services, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
) -> None:
    router = Router(services)
    await trio.to_thread.run_sync(router.load)
    for agent_id in router.inboxes:
        await router._changed(agent_id)
    task_status.started()
    await serve(ctx, router.handle)
