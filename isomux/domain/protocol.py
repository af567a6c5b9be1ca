"""Frames on the browser WebSocket.

Client → server: :class:`Hello` (first, once), :class:`CommandFrame` (a command with a
``requestId``; always answered by :class:`Result` or :class:`Failure`), :class:`Ack`
(the newest sequence number applied, for flow control) and :class:`Ping`.

Server → client: :class:`Identity` (who the browser is signed in as), :class:`Welcome`
(a snapshot), :class:`Events` (transient streaming text first, then sequence-numbered
events, in order, without gaps unless a new Welcome follows; either part may be empty),
:class:`Presence` (who is looking at what), :class:`Result` / :class:`Failure`, :class:`Pong`. The client also
sends :class:`PresenceUpdate` whenever it changes view or starts/stops typing.

After ``Hello{lastSeq, epoch}`` the server either replays what the client missed (same
epoch, still in its buffer) or sends a fresh Welcome.
"""

from __future__ import annotations

from typing import Any

import attrs

from isomux.domain import checks
from isomux.domain.commands import Command
from isomux.domain.events import Event, Snapshot, StreamDelta


@attrs.frozen(kw_only=True)
class Hello:
    client_id: str | None = attrs.field(default=None, validator=checks.optional_text(64))  # stable per browser tab
    last_seq: int | None = None
    epoch: str | None = None


@attrs.frozen(kw_only=True)
class Ack:
    seq: int


@attrs.frozen(kw_only=True)
class CommandFrame:
    request_id: str = attrs.field(validator=checks.text(64, min_len=1))
    command: Command


@attrs.frozen(kw_only=True)
class Ping:
    pass


@attrs.frozen(kw_only=True)
class PresenceUpdate:
    """What this browser is looking at (an agent's chat, or the office) and whether its person is typing."""

    viewing: str | None = attrs.field(default=None, validator=checks.optional_text(64))
    typing: bool = False


ClientFrame = Hello | Ack | CommandFrame | Ping | PresenceUpdate


@attrs.frozen(kw_only=True)
class Welcome:
    snapshot: Snapshot


@attrs.frozen(kw_only=True)
class SeqEvent:
    seq: int
    event: Event


@attrs.frozen(kw_only=True)
class Events:
    deltas: tuple[StreamDelta, ...]  # applied before the items (an item may end a streamed block)
    items: tuple[SeqEvent, ...]


@attrs.frozen(kw_only=True)
class Result:
    request_id: str
    result: Any = None


@attrs.frozen(kw_only=True)
class ErrorInfo:
    code: str
    message: str


@attrs.frozen(kw_only=True)
class Failure:
    request_id: str
    error: ErrorInfo


@attrs.frozen(kw_only=True)
class Pong:
    pass


@attrs.frozen(kw_only=True)
class Visitor:
    """One connected browser: a ghost beside the agent it is looking at."""

    id: str
    name: str
    device: str | None
    viewing: str | None
    typing: bool
    you: bool = False


@attrs.frozen(kw_only=True)
class Presence:
    people: tuple[Visitor, ...]


@attrs.frozen(kw_only=True)
class Identity:
    """Who this browser is signed in as (sent once, right after hello)."""

    name: str
    device: str | None
    role: str
    rooms: tuple[str, ...] | None


ServerFrame = Welcome | Events | Result | Failure | Pong | Presence | Identity
