"""An agent's conversations on disk: the session index and the current session's log writer.

Owned by one agent actor. ``sessions.json`` is an index that can always be rebuilt from
the session files (each starts with a ``SessionStart`` entry), so a damaged index is
moved aside and rebuilt instead of stopping the agent. Log entries are appended and in
the page cache before they are published; the file is fsynced at the end of each turn.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import attrs

from isomux import wire
from isomux.conversation import Cursor, read_page
from isomux.domain.events import LogTail
from isomux.domain.ids import new_id, now_ms
from isomux.domain.log import LogEntry, SessionOrigin, SessionStart, TurnEnd, UserTurn
from isomux.domain.model import SessionInfo
from isomux.errors import CorruptFile, InvalidInput
from isomux.store.atomic import quarantine, read_json, write_json_atomic
from isomux.store.jsonl import JsonlWriter, read_first, read_tail
from isomux.store.layout import Layout

log = logging.getLogger("isomux.sessions")

TAIL = 20


@attrs.define
class Conversations:
    layout: Layout
    agent_id: str
    sessions: dict[str, SessionInfo] = attrs.field(factory=dict)
    current: str | None = None
    writer: JsonlWriter | None = None
    recovered: str = ""  # what was repaired while loading, for the chat

    # Loading ---------------------------------------------------------------------------

    @classmethod
    def load(cls, layout: Layout, agent_id: str) -> Conversations:
        conv = cls(layout, agent_id)
        path = layout.sessions_json(agent_id)
        try:
            data = read_json(path)
            if data is not None:
                conv._read_index(path, data)
        except CorruptFile as exc:
            aside = quarantine(path)
            conv.recovered = f"The session index was damaged ({exc.reason}); it was moved to {aside.name} and rebuilt."
            log.error("%s", conv.recovered)
            conv._rebuild()
        return conv

    def _read_index(self, path: Path, data: Any) -> None:
        if not isinstance(data, dict) or not isinstance(data.get("sessions"), dict):
            raise CorruptFile(path, "it has no 'sessions' object")
        try:
            sessions = wire.structure(data["sessions"], dict[str, SessionInfo])
            current = wire.structure(data.get("current"), str | None)
        except InvalidInput as exc:
            raise CorruptFile(path, str(exc)) from None
        self.sessions = sessions
        self.current = current if current in sessions else None

    def _rebuild(self) -> None:
        directory = self.layout.agent_dir(self.agent_id)
        newest: tuple[float, str] | None = None
        for file in sorted(directory.glob("*.jsonl")):
            head = read_first(file)
            try:
                start = wire.structure(head, LogEntry)
            except InvalidInput:
                continue
            if not isinstance(start, SessionStart):
                continue
            info = SessionInfo(
                id=start.session_id,
                created_at=start.ts,
                updated_at=start.ts,
                backend=start.backend,
                forked_from=start.forked_from,
                fork_entry_id=start.fork_entry_id,
                fork_offset=start.fork_offset,
            )
            self.sessions[info.id] = info
            mtime = file.stat().st_mtime
            if newest is None or mtime > newest[0]:
                newest = (mtime, info.id)
        self.current = newest[1] if newest else None
        self.save()

    def save(self) -> None:
        data = {
            "version": 1,
            "current": self.current,
            "sessions": wire.unstructure(self.sessions, dict[str, SessionInfo]),
        }
        write_json_atomic(self.layout.sessions_json(self.agent_id), data)

    # Sessions ----------------------------------------------------------------------------

    def info(self) -> SessionInfo | None:
        return self.sessions.get(self.current) if self.current else None

    def begin(
        self,
        backend: str,
        *,
        origin: SessionOrigin = "new",
        forked_from: str | None = None,
        fork_entry_id: str | None = None,
        fork_offset: int | None = None,
    ) -> tuple[SessionInfo, int, SessionStart]:
        """Start a new session file and make it current. Returns the info, the header's offset and the header."""
        self.close_writer()
        session_id = new_id("s")
        now = now_ms()
        info = SessionInfo(
            id=session_id,
            created_at=now,
            updated_at=now,
            backend=backend,
            forked_from=forked_from,
            fork_entry_id=fork_entry_id,
            fork_offset=fork_offset,
        )
        self.sessions[session_id] = info
        self.current = session_id
        header = SessionStart(
            id=new_id("e"),
            ts=now,
            session_id=session_id,
            backend=backend,
            origin=origin,
            forked_from=forked_from,
            fork_entry_id=fork_entry_id,
            fork_offset=fork_offset,
        )
        offset = self.append(header)
        self.save()
        return info, offset, header

    def switch(self, session_id: str) -> SessionInfo:
        if session_id not in self.sessions:
            raise InvalidInput(f"there is no session {session_id!r} for this agent")
        self.close_writer()
        self.current = session_id
        self.save()
        return self.sessions[session_id]

    def clear(self) -> None:
        """No current session: the next message starts a new one."""
        self.close_writer()
        self.current = None
        self.save()

    def update(self, info: SessionInfo) -> None:
        self.sessions[info.id] = info
        self.save()

    # Entries -------------------------------------------------------------------------------

    def append(self, entry: LogEntry) -> int:
        assert self.current is not None
        if self.writer is None:
            self.writer = JsonlWriter.open(self.layout.session_log(self.agent_id, self.current))
        return self.writer.append(wire.unstructure(entry, LogEntry))

    def cursor(self, offset: int) -> str:
        return str(Cursor(self.current or "", offset))

    def sync(self) -> None:
        if self.writer is not None:
            self.writer.sync()

    def close_writer(self) -> None:
        if self.writer is not None:
            self.writer.sync()
            self.writer.close()
            self.writer = None

    def tail(self, limit: int = TAIL) -> LogTail:
        if self.current is None:
            return LogTail()
        entries, cursors, older = self.page(Cursor(self.current, None), limit)
        return LogTail(session_id=self.current, entries=tuple(entries), cursors=tuple(cursors), older=older)

    def page(self, start: Cursor, limit: int) -> tuple[list[LogEntry], list[str], str | None]:
        entries, older = read_page(self.layout, self.agent_id, self.sessions, start, limit)
        return entries, self._cursors_for(entries, start), (str(older) if older else None)

    def _cursors_for(self, entries: list[LogEntry], start: Cursor) -> list[str]:
        """Each entry's own cursor (needed when it later scrolls out of a window)."""
        found: dict[str, str] = {}
        cursor: Cursor | None = start
        remaining = {e.id for e in entries}
        while cursor is not None and remaining:
            path = self.layout.session_log(self.agent_id, cursor.session_id)
            for offset, obj in read_tail(path, len(remaining), before=cursor.offset):
                if isinstance(obj, dict) and obj.get("id") in remaining:
                    found[obj["id"]] = str(Cursor(cursor.session_id, offset))
                    remaining.discard(obj["id"])
            info = self.sessions.get(cursor.session_id)
            cursor = (
                Cursor(info.forked_from, info.fork_offset)
                if info and info.forked_from and info.fork_offset is not None
                else None
            )
        return [found.get(e.id, "") for e in entries]

    def unfinished_turn(self) -> bool:
        """Did the current session stop in the middle of a turn (the office was killed)?"""
        if self.current is None:
            return False
        for _, obj in reversed(read_tail(self.layout.session_log(self.agent_id, self.current), 200)):
            kind = obj.get("type") if isinstance(obj, dict) else None
            if kind == "turn_end":
                return False
            if kind == "user_turn":
                return True
        return False

    def delivered_ids(self, limit: int = 200) -> set[str]:
        """Ids (and request keys) of messages delivered in the newest turns, to ignore a redelivery."""
        ids: set[str] = set()
        if self.current is None:
            return ids
        for _, obj in read_tail(self.layout.session_log(self.agent_id, self.current), limit):
            if isinstance(obj, dict) and obj.get("type") == "user_turn":
                for message in obj.get("messages", []):
                    if isinstance(message, dict):
                        ids.update(v for v in (message.get("id"), message.get("key")) if isinstance(v, str))
        return ids


def find_fork_point(conv: Conversations, entry_id: str) -> tuple[str, int, UserTurn, TurnEnd | None, str]:
    """Locate a past user turn in the current chain, and the turn before it.

    Returns (session holding the entry, its offset, the entry, the last TurnEnd before it
    or None, the session holding that TurnEnd).
    """
    from isomux.conversation import decode_entry
    from isomux.store.jsonl import iter_entries

    session_id = conv.current
    limit: int | None = None
    while session_id is not None:
        path = conv.layout.session_log(conv.agent_id, session_id)
        last_end: TurnEnd | None = None
        for offset, obj in iter_entries(path):
            if limit is not None and offset >= limit:
                break
            if not isinstance(obj, dict):
                continue
            if obj.get("type") == "turn_end":
                decoded = decode_entry(obj, path)
                if isinstance(decoded, TurnEnd):
                    last_end = decoded
            elif obj.get("id") == entry_id:
                entry = decode_entry(obj, path)
                if not isinstance(entry, UserTurn):
                    raise InvalidInput("only a message you sent can be edited")
                end, end_session = last_end, session_id
                if end is None:
                    end, end_session = _last_end_before(conv, session_id)
                return session_id, offset, entry, end, end_session
        info = conv.sessions.get(session_id)
        session_id, limit = (info.forked_from, info.fork_offset) if info else (None, None)
    raise InvalidInput("that message is not part of the current conversation")


def _last_end_before(conv: Conversations, session_id: str) -> tuple[TurnEnd | None, str]:
    """The newest TurnEnd in the ancestors of ``session_id`` before its branch point."""
    from isomux.conversation import decode_entry

    info = conv.sessions.get(session_id)
    while info is not None and info.forked_from is not None and info.fork_offset is not None:
        parent = info.forked_from
        path = conv.layout.session_log(conv.agent_id, parent)
        for _, obj in reversed(read_tail(path, 500, before=info.fork_offset)):
            if isinstance(obj, dict) and obj.get("type") == "turn_end":
                decoded = decode_entry(obj, path)
                if isinstance(decoded, TurnEnd):
                    return decoded, parent
        info = conv.sessions.get(parent)
    return None, session_id
