"""The hub actor: the office's projection, sequence numbers, presence, and fan-out to browsers.

Accepts: :class:`Publish` (an ordered event), :class:`PublishDelta` (transient stream
text), :class:`FlushDeltas` (its own timer), :class:`Join` / :class:`Leave` (a browser
connection's outbox), :class:`Look` (what a browser is looking at), :class:`GetSnapshot`.
Emits: frames into each connection's :class:`~isomux.outbox.Outbox` — never blocking,
whatever a browser does.

Stream deltas are handed to the browsers at once when none went out in the last
``DELTA_TICK`` seconds (so the first token of a reply is not held back), otherwise merged
per block until the tick is over — and always just before any event, so a block's text
precedes the entry that ends it. Each merged delta is encoded once for every browser. An
agent streaming a hundred tokens a second therefore wakes each browser's writer some thirty
times a second, not a hundred; the browser renders streamed text in batches of that order
anyway.

Every event is encoded to JSON once and the same text goes to every browser allowed to
see it: a member who was granted some rooms only receives what happens in those rooms
(and a fresh, filtered snapshot when an agent moves in or out of them). The last ``ring``
events are kept so a browser that reconnects with ``lastSeq`` from the same ``epoch``
gets exactly what it missed; otherwise it gets a snapshot.

Restart: permanent, under a one_for_all root (its projection is rebuilt by the owners
republishing when they restart with it). Shutdown: immediate; it holds nothing durable.
"""

from __future__ import annotations

import contextlib
import math
import secrets
from collections import deque

import attrs
import trio

from isomux import wire
from isomux.actors import ActorContext, Handle, Reply, serve
from isomux.backends.base import BackendInfo
from isomux.domain.events import (
    AgentAdded,
    AgentRemoved,
    AgentUpdated,
    Event,
    LogAppended,
    LogReset,
    QueueChanged,
    RoomsChanged,
    Snapshot,
    StatusChanged,
    StreamDelta,
)
from isomux.domain.protocol import Presence, Visitor, Welcome
from isomux.errors import IsomuxError
from isomux.outbox import Outbox
from isomux.projection import Projection

Rooms = frozenset[str] | None


@attrs.frozen(eq=False)
class Publish:
    event: Event


@attrs.frozen(eq=False)
class PublishDelta:
    delta: StreamDelta


@attrs.frozen(eq=False)
class FlushDeltas:
    pass


@attrs.frozen(eq=False)
class Join:
    outbox: Outbox
    last_seq: int | None
    epoch: str | None
    reply: Reply[bool]  # True: replayed from lastSeq; False: a snapshot was queued


@attrs.frozen(eq=False)
class Leave:
    outbox: Outbox


@attrs.frozen(eq=False)
class Look:
    outbox: Outbox
    viewing: str | None
    typing: bool


@attrs.frozen(eq=False)
class GetSnapshot:
    reply: Reply[Snapshot]
    rooms: Rooms = None


HubMsg = Publish | PublishDelta | FlushDeltas | Join | Leave | Look | GetSnapshot

DELTA_TICK = 0.03  # seconds stream deltas may wait to be merged before they go out


def agent_of(event: Event | StreamDelta) -> str | None:
    if isinstance(event, AgentAdded | AgentUpdated):
        return event.agent.id
    if isinstance(event, AgentRemoved | LogAppended | LogReset | QueueChanged | StreamDelta):
        return event.agent_id
    if isinstance(event, StatusChanged):
        return event.status.agent_id
    return None


class Hub:
    def __init__(self, backends: tuple[BackendInfo, ...], version: str, ring: int) -> None:
        self.epoch = secrets.token_hex(6)
        self.version = version
        self.seq = 0
        self.projection = Projection(backends)
        self.ring: deque[tuple[int, Event, str]] = deque(maxlen=ring)
        self.outboxes: dict[Outbox, Visitor] = {}
        self._welcomes: dict[Rooms, tuple[int, str]] = {}
        self.pending: dict[tuple[str, str], StreamDelta] = {}  # merged deltas not yet sent
        self.deltas_waiting = trio.Event()  # set while ``pending`` has something
        self.last_flush = -math.inf

    # Snapshots -----------------------------------------------------------------------

    def snapshot(self, rooms: Rooms = None) -> Snapshot:
        return self.projection.snapshot(epoch=self.epoch, seq=self.seq, version=self.version, rooms=rooms)

    def welcome_for(self, rooms: Rooms) -> tuple[str, int]:
        cached = self._welcomes.get(rooms)
        if cached is None or cached[0] != self.seq:
            cached = self._welcomes[rooms] = (self.seq, wire.frame(Welcome(snapshot=self.snapshot(rooms))))
            if len(self._welcomes) > 64:
                self._welcomes = {rooms: cached}
        return cached[1], self.seq

    def room_of(self, agent_id: str | None) -> str | None:
        agent = self.projection.agents.get(agent_id) if agent_id else None
        return agent.room_id if agent else None

    @staticmethod
    def visible(rooms: Rooms, room: str | None) -> bool:
        return rooms is None or room is None or room in rooms

    # Fan-out ---------------------------------------------------------------------------

    def publish(self, event: Event) -> None:
        self.flush_deltas()
        self.seq += 1
        agent_id = agent_of(event)
        before = self.room_of(agent_id)
        self.projection.apply(event)
        after = self.room_of(agent_id) or before
        item = f'{{"seq":{self.seq},"event":{wire.dumps(event, Event)}}}'
        self.ring.append((self.seq, event, item))
        for outbox in self.outboxes:
            rooms = outbox.rooms
            if rooms is None:
                outbox.push_event(self.seq, item, self.welcome)
            elif isinstance(event, RoomsChanged) or self.visible(rooms, before) != self.visible(rooms, after):
                outbox.reset(*self.welcome_for(rooms))
            elif self.visible(rooms, after):
                outbox.push_event(self.seq, item, lambda r=rooms: self.welcome_for(r))  # type: ignore[misc]
        if isinstance(event, AgentRemoved | AgentUpdated):
            self.broadcast_presence()

    def welcome(self) -> tuple[str, int]:
        return self.welcome_for(None)

    def publish_delta(self, delta: StreamDelta) -> None:
        key = (delta.agent_id, delta.block)
        queued = self.pending.get(key)
        self.pending[key] = delta if queued is None else attrs.evolve(queued, text=queued.text + delta.text)
        if trio.current_time() >= self.last_flush + DELTA_TICK:
            self.flush_deltas()
        elif not self.deltas_waiting.is_set():
            self.deltas_waiting.set()

    def flush_deltas(self) -> None:
        """Apply the merged deltas to the projection and hand each browser the ones it may see."""
        if not self.pending:
            return
        self.last_flush = trio.current_time()
        by_room: dict[str | None, list[str]] = {}
        for delta in self.pending.values():
            self.projection.apply_delta(delta)
            by_room.setdefault(self.room_of(delta.agent_id), []).append(wire.dumps(delta, StreamDelta))
        self.pending.clear()
        self.deltas_waiting = trio.Event()
        self._welcomes.clear()  # the streams changed without a new sequence number
        everything = ",".join(item for items in by_room.values() for item in items)
        for outbox in self.outboxes:
            rooms = outbox.rooms
            if rooms is None:
                outbox.push_deltas(everything, self.welcome)
            else:
                chunk = ",".join(item for room, items in by_room.items() if self.visible(rooms, room) for item in items)
                if chunk:
                    outbox.push_deltas(chunk, lambda r=rooms: self.welcome_for(r))  # type: ignore[misc]

    def join(self, outbox: Outbox, last_seq: int | None, epoch: str | None) -> bool:
        self.outboxes[outbox] = Visitor(
            id=outbox.id, name=outbox.person, device=outbox.device, viewing=None, typing=False
        )
        oldest = self.ring[0][0] if self.ring else self.seq + 1
        if epoch == self.epoch and last_seq is not None and oldest - 1 <= last_seq <= self.seq:
            for seq, event, item in self.ring:
                if seq > last_seq and self.visible(outbox.rooms, self.room_of(agent_of(event))):
                    outbox.push_event(seq, item, lambda r=outbox.rooms: self.welcome_for(r))  # type: ignore[misc]
            replayed = True
        else:
            outbox.reset(*self.welcome_for(outbox.rooms))
            replayed = False
        self.broadcast_presence()
        return replayed

    def broadcast_presence(self) -> None:
        for outbox in self.outboxes:
            people = tuple(
                attrs.evolve(
                    v,
                    viewing=v.viewing if self.visible(outbox.rooms, self.room_of(v.viewing)) else None,
                    you=other is outbox,
                )
                for other, v in self.outboxes.items()
            )
            outbox.push_presence(wire.frame(Presence(people=people)))

    async def handle(self, msg: HubMsg) -> None:
        if isinstance(msg, Publish):
            self.publish(msg.event)
        elif isinstance(msg, PublishDelta):
            self.publish_delta(msg.delta)
        elif isinstance(msg, FlushDeltas):
            self.flush_deltas()
        elif isinstance(msg, Join):
            msg.reply.send(self.join(msg.outbox, msg.last_seq, msg.epoch))
        elif isinstance(msg, Leave):
            if self.outboxes.pop(msg.outbox, None) is not None:
                self.broadcast_presence()
        elif isinstance(msg, Look):
            visitor = self.outboxes.get(msg.outbox)
            viewing = msg.viewing if msg.viewing in self.projection.agents else None
            if visitor is not None and (visitor.viewing, visitor.typing) != (viewing, msg.typing):
                self.outboxes[msg.outbox] = attrs.evolve(visitor, viewing=viewing, typing=msg.typing)
                self.broadcast_presence()
        else:
            msg.reply.send(self.snapshot(msg.rooms))


async def run_hub(
    ctx: ActorContext[HubMsg],
    *,
    backends: tuple[BackendInfo, ...],
    version: str,
    ring: int = 20_000,
    task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
) -> None:
    hub = Hub(backends, version, ring)
    task_status.started()
    try:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(_delta_timer, hub, ctx.handle)
            await serve(ctx, hub.handle)
            nursery.cancel_scope.cancel()
    finally:
        for outbox in hub.outboxes:
            outbox.close()


async def _delta_timer(hub: Hub, me: Handle[HubMsg]) -> None:
    """Ask the hub to send its merged deltas once ``DELTA_TICK`` has passed since it last sent some."""
    while True:
        await hub.deltas_waiting.wait()
        await trio.sleep_until(hub.last_flush + DELTA_TICK)
        with contextlib.suppress(IsomuxError):  # a full mailbox flushes with the next event or tick
            me.try_tell(FlushDeltas())
