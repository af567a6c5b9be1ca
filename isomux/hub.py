"""The hub actor: the office's projection, sequence numbers, and fan-out to browsers.

Accepts: :class:`Publish` (an ordered event), :class:`PublishDelta` (transient stream
text), :class:`Join` / :class:`Leave` (a browser connection's outbox), :class:`GetSnapshot`.
Emits: frames into each connection's :class:`~isomux.outbox.Outbox` — never blocking,
whatever a browser does.

Every event is encoded to JSON once and the same text goes to every browser. The last
``ring`` events are kept so a browser that reconnects with ``lastSeq`` from the same
``epoch`` gets exactly what it missed; otherwise it gets a snapshot.

Restart: permanent, under a one_for_all root (its projection is rebuilt by the owners
republishing when they restart with it). Shutdown: immediate; it holds nothing durable.
"""

from __future__ import annotations

import secrets
from collections import deque

import attrs
import trio

from isomux import wire
from isomux.actors import ActorContext, Reply, serve
from isomux.backends.base import BackendInfo
from isomux.domain.events import Event, Snapshot, StreamDelta
from isomux.domain.protocol import Welcome
from isomux.outbox import Outbox
from isomux.projection import Projection


@attrs.frozen(eq=False)
class Publish:
    event: Event


@attrs.frozen(eq=False)
class PublishDelta:
    delta: StreamDelta


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
class GetSnapshot:
    reply: Reply[Snapshot]


HubMsg = Publish | PublishDelta | Join | Leave | GetSnapshot


class Hub:
    def __init__(self, backends: tuple[BackendInfo, ...], version: str, ring: int) -> None:
        self.epoch = secrets.token_hex(6)
        self.version = version
        self.seq = 0
        self.projection = Projection(backends)
        self.ring: deque[tuple[int, str]] = deque(maxlen=ring)
        self.outboxes: set[Outbox] = set()
        self._welcome: tuple[int, str] | None = None

    def snapshot(self) -> Snapshot:
        return self.projection.snapshot(epoch=self.epoch, seq=self.seq, version=self.version)

    def welcome(self) -> tuple[str, int]:
        if self._welcome is None or self._welcome[0] != self.seq:
            self._welcome = (self.seq, wire.frame(Welcome(snapshot=self.snapshot())))
        return self._welcome[1], self.seq

    def publish(self, event: Event) -> None:
        self.seq += 1
        self.projection.apply(event)
        item = f'{{"seq":{self.seq},"event":{wire.dumps(event, Event)}}}'
        self.ring.append((self.seq, item))
        for outbox in self.outboxes:
            outbox.push_event(self.seq, item, self.welcome)

    def publish_delta(self, delta: StreamDelta) -> None:
        self.projection.apply_delta(delta)
        for outbox in self.outboxes:
            outbox.push_delta(delta)

    def join(self, outbox: Outbox, last_seq: int | None, epoch: str | None) -> bool:
        self.outboxes.add(outbox)
        oldest = self.ring[0][0] if self.ring else self.seq + 1
        if epoch == self.epoch and last_seq is not None and oldest - 1 <= last_seq <= self.seq:
            for seq, item in self.ring:
                if seq > last_seq:
                    outbox.push_event(seq, item, self.welcome)
            return True
        outbox.reset(*self.welcome())
        return False

    async def handle(self, msg: HubMsg) -> None:
        if isinstance(msg, Publish):
            self.publish(msg.event)
        elif isinstance(msg, PublishDelta):
            self.publish_delta(msg.delta)
        elif isinstance(msg, Join):
            msg.reply.send(self.join(msg.outbox, msg.last_seq, msg.epoch))
        elif isinstance(msg, Leave):
            self.outboxes.discard(msg.outbox)
        else:
            msg.reply.send(self.snapshot())


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
        await serve(ctx, hub.handle)
    finally:
        for outbox in hub.outboxes:
            outbox.close()
