"""A browser connection's outbox: filled by the hub without ever blocking it.

Backpressure policy (written down because it is the point of this class):

- Ordered events go into a bounded FIFO. When it is full the browser has fallen too
  far behind: everything queued is dropped and replaced by one fresh snapshot
  (``Welcome``), after which events continue from that snapshot's sequence number. The
  browser therefore never sees a gap, and a stalled browser costs bounded memory.
- Stream deltas arrive from the hub already merged and encoded (one chunk per hub
  tick). Their queue is bounded in bytes; a browser that lets it overflow is treated
  like one whose events overflowed (one fresh snapshot, which holds the streams so far).
- Frames addressed to this browser alone (command results) go into their own bounded
  queue; if even that overflows, the connection is closed and the browser reconnects.

The writer takes everything that is ready in one go, in the order: snapshot, presence,
deltas and events (together in one ``events`` frame, deltas first), then results, so a
wake-up of the writer costs one WebSocket message in the common case.
"""

from __future__ import annotations

import secrets
from collections import deque
from collections.abc import Callable

import attrs
import trio

from isomux.errors import MailboxFull

MAX_DELTA_CHARS = 1 << 20  # queued stream text before a browser is resynced instead


@attrs.frozen
class Outgoing:
    text: str
    last_seq: int | None = None  # the newest event sequence number inside, if any
    events: int = 0
    welcome: bool = False


class Outbox:
    def __init__(
        self,
        *,
        max_events: int = 4000,
        max_frames: int = 1000,
        name: str = "",
        person: str = "",
        device: str | None = None,
        rooms: frozenset[str] | None = None,
        member_id: str | None = None,
        sign_in: str | None = None,
    ) -> None:
        self.name = name
        self.id = secrets.token_hex(4)
        self.person = person or name
        self.device = device
        self.rooms = rooms  # what this browser may see (None: everything)
        self.member_id = member_id
        self.sign_in = sign_in  # the digest of the browser's session, so signing out closes it
        self._presence: str | None = None
        self.max_events = max_events
        self.max_frames = max_frames
        self._welcome: tuple[str, int] | None = None
        self._events: deque[tuple[int, str]] = deque()
        self._deltas: list[str] = []  # comma-separated encoded StreamDelta items, one chunk per hub tick
        self._delta_chars = 0
        self._frames: deque[str] = deque()
        self._lot = trio.lowlevel.ParkingLot()
        self.closed = False
        self.resyncs = 0

    # Filled by the hub (never blocks) -----------------------------------------------

    def push_event(self, seq: int, item: str, welcome: Callable[[], tuple[str, int]]) -> None:
        if self.closed:
            return
        if len(self._events) >= self.max_events:
            self.resyncs += 1
            self.reset(*welcome())
            return
        self._events.append((seq, item))
        self._lot.unpark_all()

    def push_deltas(self, chunk: str, welcome: Callable[[], tuple[str, int]]) -> None:
        if self.closed:
            return
        if self._delta_chars + len(chunk) > MAX_DELTA_CHARS:
            self.resyncs += 1
            self.reset(*welcome())
            return
        self._deltas.append(chunk)
        self._delta_chars += len(chunk)
        self._lot.unpark_all()

    def push_presence(self, text: str) -> None:
        if self.closed:
            return
        self._presence = text
        self._lot.unpark_all()

    def push_frame(self, text: str) -> None:
        if self.closed:
            return
        if len(self._frames) >= self.max_frames:
            raise MailboxFull(f"{self.name}: {self.max_frames} results waiting; the browser is not reading")
        self._frames.append(text)
        self._lot.unpark_all()

    def reset(self, welcome_text: str, seq: int) -> None:
        """Drop queued events and deltas; send this snapshot next."""
        self._events.clear()
        self._deltas.clear()
        self._delta_chars = 0
        self._welcome = (welcome_text, seq)
        self._lot.unpark_all()

    def close(self) -> None:
        self.closed = True
        self._lot.unpark_all()

    # Drained by the connection's writer ---------------------------------------------

    def ready(self) -> bool:
        return bool(self._welcome or self._events or self._deltas or self._frames or self._presence)

    async def take(self, *, max_events: int = 500) -> list[Outgoing]:
        """Wait until something is queued (or the outbox closes), then take it."""
        if self.ready() or self.closed:
            await trio.lowlevel.checkpoint()
        while not self.ready() and not self.closed:
            await self._lot.park()
        out: list[Outgoing] = []
        if self._welcome is not None:
            text, seq = self._welcome
            self._welcome = None
            out.append(Outgoing(text, seq, welcome=True))
        if self._presence is not None:
            out.append(Outgoing(self._presence))
            self._presence = None
        if self._events or self._deltas:
            deltas = ",".join(self._deltas)
            self._deltas.clear()
            self._delta_chars = 0
            items: list[str] = []
            last = None
            while self._events and len(items) < max_events:
                last, item = self._events.popleft()
                items.append(item)
            text = '{"type":"events","deltas":[' + deltas + '],"items":[' + ",".join(items) + "]}"
            out.append(Outgoing(text, last, len(items)))
        while self._frames:
            out.append(Outgoing(self._frames.popleft()))
        return out

    def __len__(self) -> int:
        return len(self._events)
