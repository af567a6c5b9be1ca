"""Reading an agent's conversation back from its log files, page by page.

A conversation is a chain of sessions: a branched session's file holds only its own
entries, and its ``SessionInfo`` says which parent entry it branched before. Pages
walk the chain backwards, so the display shows the parent's history up to the branch
point followed by the branch, without ever copying entries between files.

Cursors are opaque to clients: ``<sessionId>:<byte offset>`` — "entries that start
before this point". Reading a page costs the size of the page, not of the history.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import attrs

from isomux import wire
from isomux.domain.log import LogEntry
from isomux.domain.model import SessionInfo
from isomux.errors import InvalidInput
from isomux.store.jsonl import read_tail_report
from isomux.store.layout import Layout, safe_id

log = logging.getLogger("isomux.conversation")


@attrs.frozen
class Cursor:
    session_id: str
    offset: int | None = None  # None: the end of the file

    def __str__(self) -> str:
        return f"{self.session_id}:{'' if self.offset is None else self.offset}"

    @classmethod
    def parse(cls, text: str) -> Cursor:
        session_id, sep, offset = text.partition(":")
        if not sep or not offset.isdigit() or len(offset) > 15:
            raise InvalidInput(f"{text[:80]!r} is not a log cursor")
        return cls(safe_id(session_id, "session id"), int(offset))


def decode_entry(obj: object, where: Path) -> LogEntry | None:
    try:
        return wire.structure(obj, LogEntry)  # type: ignore[no-any-return]
    except InvalidInput as exc:
        log.warning("skipping an unreadable entry in %s: %s", where, exc)
        return None


def read_page(
    layout: Layout,
    agent_id: str,
    sessions: Mapping[str, SessionInfo],
    start: Cursor,
    limit: int,
) -> tuple[list[LogEntry], Cursor | None]:
    """Up to ``limit`` entries ending just before ``start`` (oldest first), and the cursor for older ones."""
    found: list[LogEntry] = []
    cursor: Cursor | None = start
    hops = 0
    while cursor is not None and len(found) < limit and hops < 1000:
        hops += 1
        wanted = limit - len(found)
        path = layout.session_log(agent_id, cursor.session_id)
        page = read_tail_report(path, wanted, before=cursor.offset)
        batch = [entry for offset, obj in page.entries if (entry := decode_entry(obj, path)) is not None]
        found = batch + found
        if len(page.entries) == wanted and page.entries:
            cursor = Cursor(cursor.session_id, page.entries[0][0])
            break
        info = sessions.get(cursor.session_id)
        if info is not None and info.forked_from is not None and info.fork_offset is not None:
            cursor = Cursor(info.forked_from, info.fork_offset)
        else:
            cursor = None
    if cursor is not None and cursor.offset == 0:
        info = sessions.get(cursor.session_id)
        if info is None or info.forked_from is None:
            cursor = None
    return found, cursor
