"""Events: every change of office state, as the owners publish it to the hub.

The hub applies each event to its projection (the :class:`Snapshot`), stamps it with
a sequence number and fans it out; browsers apply the same events to their store.
Stream deltas are *transient*: they carry no sequence number, may be merged, and are
superseded by the log entry that completes them.
"""

from __future__ import annotations

from typing import Literal

import attrs

from isomux.backends.base import BackendInfo
from isomux.domain.log import LogEntry, PermissionAsked
from isomux.domain.model import AgentSpec, AgentState, OfficeSettings, QueuedMessage, Room, Task, Usage


@attrs.frozen(kw_only=True)
class AgentStatus:
    """What an agent is doing right now (owned by its agent actor)."""

    agent_id: str
    state: AgentState = "idle"
    since: int = 0  # when ``state`` began, epoch ms
    turn_started: int | None = None  # when the running turn began, epoch ms
    session_id: str | None = None
    topic: str | None = None
    topic_stale: bool = False
    live: bool = False  # a backend process is running for it
    detail: str = ""  # e.g. the tool being run
    permission: PermissionAsked | None = None  # a request waiting for a person
    error: str = ""
    broken: str = ""  # the agent's files could not be read; it does nothing until fixed
    session_usage: Usage = attrs.field(factory=Usage)


@attrs.frozen(kw_only=True)
class LogTail:
    """The newest entries of a conversation; ``older`` pages further back over REST."""

    session_id: str | None = None
    entries: tuple[LogEntry, ...] = ()
    cursors: tuple[str, ...] = ()  # each entry's own cursor (for paging once it scrolls out)
    older: str | None = None


@attrs.frozen(kw_only=True)
class LogPage:
    """A page of older entries (oldest first); ``older`` continues further back, None at the start."""

    session_id: str | None
    entries: tuple[LogEntry, ...]
    cursors: tuple[str, ...]
    older: str | None


@attrs.frozen(kw_only=True)
class StreamState:
    block: str
    kind: Literal["text", "thinking"]
    text: str


# Ordered events (sequence-numbered) ------------------------------------------------


@attrs.frozen(kw_only=True)
class OfficeChanged:
    settings: OfficeSettings


@attrs.frozen(kw_only=True)
class RoomsChanged:
    rooms: tuple[Room, ...]


@attrs.frozen(kw_only=True)
class AgentAdded:
    agent: AgentSpec


@attrs.frozen(kw_only=True)
class AgentUpdated:
    agent: AgentSpec


@attrs.frozen(kw_only=True)
class AgentRemoved:
    agent_id: str


@attrs.frozen(kw_only=True)
class StatusChanged:
    status: AgentStatus


@attrs.frozen(kw_only=True)
class LogAppended:
    agent_id: str
    session_id: str
    entry: LogEntry
    cursor: str  # where this entry starts: pass it as ``before`` to page older entries


@attrs.frozen(kw_only=True)
class LogReset:
    """The agent switched conversations (new, resumed, branched): show this tail instead."""

    agent_id: str
    tail: LogTail


@attrs.frozen(kw_only=True)
class QueueChanged:
    agent_id: str
    messages: tuple[QueuedMessage, ...]


@attrs.frozen(kw_only=True)
class TaskChanged:
    task: Task


@attrs.frozen(kw_only=True)
class TaskRemoved:
    task_id: str


@attrs.frozen(kw_only=True)
class RecentCwdsChanged:
    cwds: tuple[str, ...]


Event = (
    OfficeChanged
    | RoomsChanged
    | AgentAdded
    | AgentUpdated
    | AgentRemoved
    | StatusChanged
    | LogAppended
    | LogReset
    | QueueChanged
    | TaskChanged
    | TaskRemoved
    | RecentCwdsChanged
)

EVENT_TYPES: tuple[type, ...] = (
    OfficeChanged,
    RoomsChanged,
    AgentAdded,
    AgentUpdated,
    AgentRemoved,
    StatusChanged,
    LogAppended,
    LogReset,
    QueueChanged,
    TaskChanged,
    TaskRemoved,
    RecentCwdsChanged,
)


# Transient events ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class StreamDelta:
    agent_id: str
    block: str
    kind: Literal["text", "thinking"]
    text: str


# The snapshot -----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Snapshot:
    epoch: str
    seq: int
    version: str
    office: OfficeSettings
    rooms: tuple[Room, ...]
    agents: tuple[AgentSpec, ...]
    statuses: dict[str, AgentStatus]
    logs: dict[str, LogTail]
    queues: dict[str, tuple[QueuedMessage, ...]]
    streams: dict[str, tuple[StreamState, ...]]
    tasks: tuple[Task, ...]
    recent_cwds: tuple[str, ...]
    backends: tuple[BackendInfo, ...]
