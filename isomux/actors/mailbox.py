"""Bounded mailboxes with a named overflow policy.

A mailbox is a FIFO queue with a fixed capacity. What happens when it is full is
chosen when it is made, never left to chance:

- ``Overflow.BLOCK``: ``put`` waits for room (control-plane traffic that must not be lost).
- ``Overflow.FAIL``: ``put`` raises :class:`~isomux.errors.MailboxFull` at once, so the
  sender can decide (a browser outbox that overflows is resynced instead of waited on).

Independently of the policy, messages that carry a *coalescing key* do not take a new
slot when a message with the same key is already queued: the queued one is replaced
(latest wins) or merged with the new one (for example two text deltas concatenated).
Keyed messages therefore never overflow the mailbox beyond one slot per key.

The receive side can be woken by an event (the actor's stop request) so an actor
waiting for mail notices that it should stop without a sentinel message.
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

import attrs
import trio

from isomux.errors import ActorGone, MailboxFull

T = TypeVar("T")


class Overflow(enum.Enum):
    BLOCK = "block"
    FAIL = "fail"


class Stopping(Exception):
    """Raised by :meth:`Mailbox.get` when the wake-up event was set before any mail arrived."""


@attrs.define
class _Cell(Generic[T]):
    key: Hashable | None
    value: T


@attrs.frozen
class MailboxStats:
    queued: int
    capacity: int
    peak: int
    coalesced: int
    refused: int


class Mailbox(Generic[T]):
    """A bounded FIFO with an overflow policy and optional coalescing keys."""

    def __init__(
        self,
        capacity: int,
        *,
        overflow: Overflow = Overflow.BLOCK,
        key: Callable[[T], Hashable | None] | None = None,
        merge: Callable[[T, T], T] | None = None,
        name: str = "",
    ) -> None:
        if capacity < 1:
            raise ValueError("a mailbox needs room for at least one message")
        self.name = name
        self.capacity = capacity
        self.overflow = overflow
        self._key = key
        self._merge = merge
        self._queue: deque[_Cell[T]] = deque()
        self._by_key: dict[Hashable, _Cell[T]] = {}
        self._getters = trio.lowlevel.ParkingLot()
        self._putters = trio.lowlevel.ParkingLot()
        self._closed = False
        self._peak = 0
        self._coalesced = 0
        self._refused = 0

    # Sending ---------------------------------------------------------------

    def _try_put(self, msg: T) -> bool:
        if self._closed:
            raise ActorGone(f"{self.name or 'the actor'} has stopped")
        key = self._key(msg) if self._key is not None else None
        if key is not None:
            cell = self._by_key.get(key)
            if cell is not None:
                cell.value = self._merge(cell.value, msg) if self._merge is not None else msg
                self._coalesced += 1
                return True
        if len(self._queue) >= self.capacity:
            return False
        cell = _Cell(key, msg)
        self._queue.append(cell)
        if key is not None:
            self._by_key[key] = cell
        self._peak = max(self._peak, len(self._queue))
        self._getters.unpark()
        return True

    def put_nowait(self, msg: T) -> None:
        """Queue ``msg`` now or raise :class:`MailboxFull` (whatever the policy)."""
        if not self._try_put(msg):
            self._refused += 1
            raise MailboxFull(f"{self.name or 'mailbox'} is full ({self.capacity} messages waiting)")

    async def put(self, msg: T) -> None:
        """Queue ``msg``; with ``BLOCK`` wait for room, with ``FAIL`` raise when full."""
        await trio.lowlevel.checkpoint_if_cancelled()
        if self.overflow is Overflow.FAIL:
            self.put_nowait(msg)
        else:
            while not self._try_put(msg):
                await self._putters.park()
        await trio.lowlevel.cancel_shielded_checkpoint()

    # Receiving -------------------------------------------------------------

    def get_nowait(self) -> T:
        if not self._queue:
            raise trio.WouldBlock
        cell = self._queue.popleft()
        if cell.key is not None:
            del self._by_key[cell.key]
        self._putters.unpark()
        return cell.value

    async def get(self, *, until: trio.Event | None = None) -> T:
        """Wait for the next message.

        Raises :class:`Stopping` if ``until`` is set while nothing is queued, and
        ``trio.EndOfChannel`` once the mailbox is closed and drained.
        """
        await trio.lowlevel.checkpoint_if_cancelled()
        parked = False
        while not self._queue:
            if until is not None and until.is_set():
                raise Stopping
            if self._closed:
                raise trio.EndOfChannel
            await self._getters.park()
            parked = True
        value = self.get_nowait()
        if not parked:  # parking was this call's checkpoint; one more would cost a scheduler pass
            await trio.lowlevel.cancel_shielded_checkpoint()
        return value

    def wake_getters(self) -> None:
        """Make waiting receivers re-check their wake-up event."""
        self._getters.unpark_all()

    # Lifecycle -------------------------------------------------------------

    def close(self) -> None:
        """Refuse new messages; receivers drain what is queued, then see EndOfChannel."""
        self._closed = True
        self._getters.unpark_all()
        self._putters.unpark_all()

    @property
    def closed(self) -> bool:
        return self._closed

    def clear(self) -> list[T]:
        """Drop everything queued and return it (oldest first)."""
        dropped = [cell.value for cell in self._queue]
        self._queue.clear()
        self._by_key.clear()
        self._putters.unpark_all()
        return dropped

    def __len__(self) -> int:
        return len(self._queue)

    def stats(self) -> MailboxStats:
        return MailboxStats(len(self._queue), self.capacity, self._peak, self._coalesced, self._refused)
