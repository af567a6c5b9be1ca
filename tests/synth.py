"""Synthetic ``ISOMUX_HOME`` directories with long histories, written straight to disk.

Used by the tests (snapshot size does not grow with history) and by the benchmarks.
Everything is written through the same wire format the office uses, so the office
reads it exactly as it would read its own files.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from isomux import wire
from isomux.domain.log import LogEntry, SessionStart, Text, ToolCall, ToolResult, TurnEnd, UserTurn
from isomux.domain.model import AgentSpec, QueuedMessage, Room, Sender, SessionInfo, Usage
from isomux.outfits import random_outfit
from isomux.store.layout import Layout

WORDS = [
    "the",
    "agent",
    "reads",
    "the",
    "files",
    "then",
    "writes",
    "a",
    "careful",
    "patch",
    "and",
    "runs",
    "the",
    "tests",
    "again",
    "before",
    "it",
    "answers",
    "with",
    "a",
    "summary",
    "of",
    "what",
    "changed",
    "and",
    "why",
]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def make_home(
    home: Path,
    *,
    agents: int,
    entries_per_agent: int,
    sessions_per_agent: int = 1,
    text_words: int = 40,
    seed: int = 1,
    cwd: Path | None = None,
) -> Layout:
    """Write an office with ``agents`` demo agents, each with ``entries_per_agent`` log entries."""
    rng = random.Random(seed)
    layout = Layout(home)
    layout.ensure()
    rooms = [Room(id=f"r_room{i:04d}", name=f"Room {i + 1}") for i in range((agents + 7) // 8 or 1)]
    specs = []
    for n in range(agents):
        specs.append(
            AgentSpec(
                id=f"a_agent{n:05d}",
                name=f"Agent{n}",
                room_id=rooms[n // 8].id,
                desk=n % 8,
                cwd=str(cwd or home),
                backend="demo",
                model="demo-scripted",
                outfit=random_outfit(rng),
                created_at=1,
            )
        )
    (home / "agents.json").write_text(
        json.dumps({"version": 1, "rooms": wire.unstructure(tuple(rooms)), "agents": wire.unstructure(tuple(specs))})
    )
    for spec in specs:
        directory = layout.agent_dir(spec.id)
        directory.mkdir(parents=True, exist_ok=True)
        sessions: dict[str, SessionInfo] = {}
        per_session = max(1, entries_per_agent // sessions_per_agent)
        written = 0
        current = ""
        for s in range(sessions_per_agent):
            current = f"s_{spec.id[2:]}x{s:03d}"
            sessions[current] = SessionInfo(
                id=current,
                created_at=s,
                updated_at=s,
                backend="demo",
                backend_session_id=f"demo_{current}",
                topic=f"Topic {s}",
                turns=per_session // 4,
                usage=Usage(input_tokens=10, output_tokens=10),
            )
            with open(layout.session_log(spec.id, current), "w", encoding="utf-8") as out:
                out.write(
                    wire.dumps(SessionStart(id=_id(rng, "e"), ts=1, session_id=current, backend="demo"), LogEntry)
                    + "\n"
                )
                for i in range(per_session):
                    out.write(wire.dumps(_entry(rng, i, text_words), LogEntry) + "\n")
                    written += 1
        (directory / "sessions.json").write_text(
            json.dumps({"version": 1, "current": current, "sessions": wire.unstructure(sessions)})
        )
    return layout


def _id(rng: random.Random, prefix: str) -> str:
    return f"{prefix}_{rng.getrandbits(60):015x}"


def _entry(rng: random.Random, i: int, words: int) -> LogEntry:
    kind = i % 4
    eid = _id(rng, "e")
    if kind == 0:
        message = QueuedMessage(
            id=_id(rng, "m"), sender=Sender(kind="person", name="Nil"), text=_text(rng, words // 2), created_at=i
        )
        return UserTurn(id=eid, ts=i, messages=(message,))
    if kind == 1:
        return ToolCall(id=eid, ts=i, tool_id=f"t{i}", name="Bash", input={"command": "ls -la"})
    if kind == 2:
        return ToolResult(id=eid, ts=i, tool_id=f"t{i - 1}", output=_text(rng, words))
    if rng.random() < 0.5:
        return TurnEnd(id=eid, ts=i, status="completed", usage=Usage(input_tokens=100, output_tokens=50))
    return Text(id=eid, ts=i, text=_text(rng, words))


def home_size(home: Path) -> int:
    return sum(p.stat().st_size for p in home.rglob("*") if p.is_file())
