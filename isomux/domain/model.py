"""The office's domain types: agents, rooms, outfits, tasks, senders, queued messages, usage.

Pure data (frozen attrs classes, no I/O). Field names are snake_case here and camelCase
on the wire (see :mod:`isomux.wire`).
"""

from __future__ import annotations

from typing import Literal

import attrs

from isomux.domain import checks

DESKS_PER_ROOM = 8

AgentState = Literal["idle", "thinking", "tool", "waiting", "error"]
Effort = Literal["low", "medium", "high", "xhigh", "max"]
PermissionMode = Literal["default", "acceptEdits", "bypassPermissions", "plan"]
Hat = Literal["none", "cap", "beanie", "bow", "headband", "crown"]
HairStyle = Literal["short", "long", "ponytail", "bun", "pigtails", "curly", "bald"]
Beard = Literal["none", "stubble", "full", "goatee", "mustache"]
Accessory = Literal["none", "glasses", "headphones", "bowtie", "tie", "earrings"]
Priority = Literal["P0", "P1", "P2", "P3"]
TaskStatus = Literal["open", "in_progress", "done"]
SenderKind = Literal["person", "agent", "cron", "system"]


@attrs.frozen(kw_only=True)
class Outfit:
    hat: Hat = "none"
    shirt: str = attrs.field(default="#4f7cac", validator=checks.colour)
    hair: str = attrs.field(default="#3b2a1e", validator=checks.colour)
    hair_style: HairStyle = "short"
    skin: str = attrs.field(default="#f1c6a5", validator=checks.colour)
    beard: Beard = "none"
    accessory: Accessory = "none"


@attrs.frozen(kw_only=True)
class Room:
    id: str
    name: str = attrs.field(validator=checks.name)
    prompt: str = attrs.field(default="", validator=checks.text(50_000, multiline=True))
    env_file: str = attrs.field(default="", validator=checks.path_text)


@attrs.frozen(kw_only=True)
class OfficeSettings:
    prompt: str = attrs.field(default="", validator=checks.text(50_000, multiline=True))
    env_file: str = attrs.field(default="", validator=checks.path_text)


@attrs.frozen(kw_only=True)
class AgentSpec:
    """An agent's persistent identity and settings (owned by the office)."""

    id: str
    name: str = attrs.field(validator=checks.name)
    room_id: str
    desk: int = attrs.field(validator=checks.int_range(0, DESKS_PER_ROOM - 1))
    cwd: str = attrs.field(validator=checks.path_text)
    backend: str = attrs.field(validator=checks.text(20, min_len=1))
    model: str = attrs.field(default="", validator=checks.text(100))
    effort: Effort = "high"
    permission_mode: PermissionMode = "default"
    prompt: str = attrs.field(default="", validator=checks.text(50_000, multiline=True))
    outfit: Outfit = attrs.field(factory=Outfit)
    accept_agent_messages: bool = True
    created_at: int = 0


@attrs.frozen(kw_only=True)
class Sender:
    """Who sent a message: shown as a label such as ``[Nil (Phone)]`` in the coalesced turn."""

    kind: SenderKind
    name: str = attrs.field(validator=checks.text(60, min_len=1))
    id: str | None = None
    device: str | None = attrs.field(default=None, validator=checks.optional_text(40))

    @property
    def label(self) -> str:
        return f"[{self.name} ({self.device})]" if self.device else f"[{self.name}]"


@attrs.frozen(kw_only=True)
class Attachment:
    """A file a person attached to a message, stored under the agent's files directory."""

    file: str  # name on disk, inside logs/<agentId>/files/
    name: str  # the name it was uploaded with
    media_type: str
    size: int
    sha256: str


@attrs.frozen(kw_only=True)
class QueuedMessage:
    """A message waiting in an agent's durable inbox."""

    id: str
    sender: Sender
    text: str = attrs.field(validator=checks.text(200_000, multiline=True))
    attachments: tuple[Attachment, ...] = ()
    created_at: int
    edited_at: int | None = None
    key: str | None = None  # the sender's request id: a resent request is recognised, never queued twice


@attrs.frozen(kw_only=True)
class Task:
    id: str
    title: str = attrs.field(validator=checks.text(300, min_len=1))
    description: str = attrs.field(default="", validator=checks.text(20_000, multiline=True))
    priority: Priority | None = None
    status: TaskStatus = "open"
    assignee: str | None = attrs.field(default=None, validator=checks.optional_text(60))
    created_by: str = attrs.field(validator=checks.text(60, min_len=1))
    device: str | None = attrs.field(default=None, validator=checks.optional_text(60))
    created_at: int
    updated_at: int


@attrs.frozen(kw_only=True)
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    cost_usd: float = 0.0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cache_read_tokens=self.cache_read_tokens + other.cache_read_tokens,
            cache_write_tokens=self.cache_write_tokens + other.cache_write_tokens,
            cost_usd=self.cost_usd + other.cost_usd,
        )

    def __sub__(self, other: Usage) -> Usage:
        return Usage(
            input_tokens=max(0, self.input_tokens - other.input_tokens),
            output_tokens=max(0, self.output_tokens - other.output_tokens),
            cache_read_tokens=max(0, self.cache_read_tokens - other.cache_read_tokens),
            cache_write_tokens=max(0, self.cache_write_tokens - other.cache_write_tokens),
            cost_usd=max(0.0, self.cost_usd - other.cost_usd),
        )


@attrs.frozen(kw_only=True)
class SessionInfo:
    """One conversation of an agent, as listed in ``sessions.json``.

    ``usage`` counts only this session's own turns (a fork's inherited history is
    not counted again), so summing over sessions gives an agent's lifetime usage.
    """

    id: str
    created_at: int
    updated_at: int
    backend: str
    backend_session_id: str | None = None
    topic: str | None = None
    topic_stale: bool = False
    topic_turn: int = 0  # the number of turns when the topic was last set
    forked_from: str | None = None
    fork_entry_id: str | None = None
    fork_offset: int | None = None  # where the edited entry starts in the parent's file
    turns: int = 0
    usage: Usage = attrs.field(factory=Usage)
    cost_reported: float = 0.0  # the backend's last cumulative cost figure for this session
