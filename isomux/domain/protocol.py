"""Frames on the browser WebSocket.

Client → server: :class:`Hello` (first, once), :class:`CommandFrame` (a command with a
``requestId``; always answered by :class:`Result` or :class:`Failure`), :class:`Ack`
(the newest sequence number applied, for flow control) and :class:`Ping`.

Server → client: :class:`Welcome` (a snapshot), :class:`Events` (sequence-numbered,
in order, without gaps unless a new Welcome follows), :class:`Deltas` (transient
streaming text), :class:`Result` / :class:`Failure`, :class:`Pong`.

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
    name: str | None = attrs.field(default=None, validator=checks.optional_text(40))
    device: str | None = attrs.field(default=None, validator=checks.optional_text(40))


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


ClientFrame = Hello | Ack | CommandFrame | Ping


@attrs.frozen(kw_only=True)
class Welcome:
    snapshot: Snapshot


@attrs.frozen(kw_only=True)
class SeqEvent:
    seq: int
    event: Event


@attrs.frozen(kw_only=True)
class Events:
    items: tuple[SeqEvent, ...]


@attrs.frozen(kw_only=True)
class Deltas:
    deltas: tuple[StreamDelta, ...]


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


ServerFrame = Welcome | Events | Deltas | Result | Failure | Pong
