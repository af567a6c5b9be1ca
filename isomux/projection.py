"""The hub's in-memory picture of the office, built only from events.

Browsers apply the same events with the same rules (``web/src/store``), so the two
cannot drift. The picture holds a bounded tail of each conversation, never the
history: its size does not grow with the logs on disk.
"""

from __future__ import annotations

from collections import deque

import attrs

from isomux.backends.base import BackendInfo
from isomux.domain.events import (
    AgentAdded,
    AgentRemoved,
    AgentStatus,
    AgentUpdated,
    Event,
    LogAppended,
    LogReset,
    LogTail,
    OfficeChanged,
    QueueChanged,
    RecentCwdsChanged,
    RoomsChanged,
    Snapshot,
    StatusChanged,
    StreamDelta,
    StreamState,
    TaskChanged,
    TaskRemoved,
)
from isomux.domain.log import LogEntry, Text, Thinking, ToolCall, ToolResult, TurnEnd
from isomux.domain.model import AgentSpec, OfficeSettings, QueuedMessage, Room, Task

TAIL = 20  # entries of each conversation kept for new browsers
SNAPSHOT_TEXT = 1_000  # characters of one entry's text in a snapshot; full text is paged over REST


@attrs.define
class _Tail:
    session_id: str | None
    older: str | None
    items: deque[tuple[str, LogEntry]] = attrs.field(factory=lambda: deque(maxlen=TAIL))

    def tail(self) -> LogTail:
        older = self.older
        if self.items and len(self.items) == TAIL:
            older = self.items[0][0]
        return LogTail(
            session_id=self.session_id,
            entries=tuple(_trim(entry) for _, entry in self.items),
            cursors=tuple(cursor for cursor, _ in self.items),
            older=older,
        )


def _trim(entry: LogEntry) -> LogEntry:
    if isinstance(entry, Text | Thinking) and len(entry.text) > SNAPSHOT_TEXT:
        return attrs.evolve(entry, text=entry.text[:SNAPSHOT_TEXT], truncated=True)
    if isinstance(entry, ToolResult) and len(entry.output) > SNAPSHOT_TEXT:
        return attrs.evolve(entry, output=entry.output[:SNAPSHOT_TEXT], truncated=True)
    if isinstance(entry, ToolCall) and len(repr(entry.input)) > SNAPSHOT_TEXT:
        return attrs.evolve(entry, input={"summary": repr(entry.input)[:SNAPSHOT_TEXT]}, truncated=True)
    return entry


class Projection:
    def __init__(self, backends: tuple[BackendInfo, ...] = ()) -> None:
        self.office = OfficeSettings()
        self.rooms: tuple[Room, ...] = ()
        self.agents: dict[str, AgentSpec] = {}
        self.statuses: dict[str, AgentStatus] = {}
        self.tails: dict[str, _Tail] = {}
        self.queues: dict[str, tuple[QueuedMessage, ...]] = {}
        self.streams: dict[str, dict[str, StreamState]] = {}
        self.tasks: dict[str, Task] = {}
        self.recent_cwds: tuple[str, ...] = ()
        self.backends = backends

    def apply(self, event: Event) -> None:
        if isinstance(event, OfficeChanged):
            self.office = event.settings
        elif isinstance(event, RoomsChanged):
            self.rooms = event.rooms
        elif isinstance(event, AgentAdded | AgentUpdated):
            self.agents[event.agent.id] = event.agent
        elif isinstance(event, AgentRemoved):
            for table in (self.agents, self.statuses, self.tails, self.queues, self.streams):
                table.pop(event.agent_id, None)
        elif isinstance(event, StatusChanged):
            self.statuses[event.status.agent_id] = event.status
        elif isinstance(event, LogAppended):
            tail = self.tails.get(event.agent_id)
            if tail is None or tail.session_id != event.session_id:
                tail = self.tails[event.agent_id] = _Tail(event.session_id, None)
            tail.items.append((event.cursor, event.entry))
            self._settle_stream(event.agent_id, event.entry)
        elif isinstance(event, LogReset):
            tail = _Tail(event.tail.session_id, event.tail.older)
            tail.items.extend(zip(event.tail.cursors, event.tail.entries, strict=True))
            self.tails[event.agent_id] = tail
            self.streams.pop(event.agent_id, None)
        elif isinstance(event, QueueChanged):
            self.queues[event.agent_id] = event.messages
        elif isinstance(event, TaskChanged):
            self.tasks[event.task.id] = event.task
        elif isinstance(event, TaskRemoved):
            self.tasks.pop(event.task_id, None)
        elif isinstance(event, RecentCwdsChanged):
            self.recent_cwds = event.cwds

    def _settle_stream(self, agent_id: str, entry: LogEntry) -> None:
        streams = self.streams.get(agent_id)
        if not streams:
            return
        if isinstance(entry, TurnEnd):
            del self.streams[agent_id]
        elif isinstance(entry, Text | Thinking) and entry.block is not None:
            streams.pop(entry.block, None)

    def apply_delta(self, delta: StreamDelta) -> None:
        streams = self.streams.setdefault(delta.agent_id, {})
        current = streams.get(delta.block)
        text = delta.text if current is None else current.text + delta.text
        streams[delta.block] = StreamState(block=delta.block, kind=delta.kind, text=text[-SNAPSHOT_TEXT * 4 :])

    def snapshot(self, *, epoch: str, seq: int, version: str, rooms: frozenset[str] | None = None) -> Snapshot:
        """The whole picture, or only what is in ``rooms`` (for a member who was granted some rooms)."""
        agents = [a for a in self.agents.values() if rooms is None or a.room_id in rooms]
        ids = {a.id for a in agents}

        def shown(agent_id: str) -> bool:
            return rooms is None or agent_id in ids

        return Snapshot(
            epoch=epoch,
            seq=seq,
            version=version,
            office=self.office,
            rooms=tuple(r for r in self.rooms if rooms is None or r.id in rooms),
            agents=tuple(agents),
            statuses={k: v for k, v in self.statuses.items() if shown(k)},
            logs={agent_id: tail.tail() for agent_id, tail in self.tails.items() if shown(agent_id)},
            queues={k: v for k, v in self.queues.items() if v and shown(k)},
            streams={k: tuple(v.values()) for k, v in self.streams.items() if v and shown(k)},
            tasks=tuple(self.tasks.values()),
            recent_cwds=self.recent_cwds,
            backends=self.backends,
        )
