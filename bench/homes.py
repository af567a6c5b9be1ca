"""Large synthetic ``ISOMUX_HOME`` directories, generated fast and cached between runs.

A home of about 1 GB is written in seconds: a block of a few megabytes of realistic log lines
(turns with thinking, tool calls, results and replies of varied length) is serialized once,
through the office's own wire format, and then written over and over, with the ids of each copy
made unique by replacing a placeholder. Every agent has several conversations, half of them
branches of the one before (``forkedFrom`` at a user message in the middle), and the current
conversation is a branch, so reading its history walks the chain as the office does.

Homes are cached under ``bench/results/homes/`` (git-ignored) with a marker written last; a home
with the marker is reused as it is.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from pathlib import Path

import attrs

from isomux import wire
from isomux.domain.log import LogEntry, SessionStart, Text, Thinking, ToolCall, ToolResult, TurnEnd, UserTurn
from isomux.domain.model import AgentSpec, QueuedMessage, Room, Sender, SessionInfo, Task, Usage
from isomux.outfits import random_outfit
from isomux.store.layout import Layout
from tests.synth import WORDS

MARK = "~~~~"  # stands for the part of every id that makes a copy of the block unique
_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
BLOCK_BYTES = 4 * 1024 * 1024
VERSION = 2  # bump when the shape of generated homes changes, so stale caches are not reused
START_MS = 1_767_225_600_000  # 2026-01-01


@attrs.frozen
class HomeSpec:
    label: str
    size: int  # bytes, roughly
    agents: int = 24
    sessions: int = 4  # per agent: new, branch, new, branch (the current one)
    tasks: int = 60


@attrs.frozen
class Block:
    """Serialized turns: the bytes, where each turn ends, and where each user message starts."""

    data: bytes
    turn_ends: tuple[int, ...]
    user_starts: tuple[int, ...]


def _code(n: int, width: int) -> str:
    out = []
    for _ in range(width):
        n, digit = divmod(n, 32)
        out.append(_ALPHABET[digit])
    return "".join(reversed(out))


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def _turn(rng: random.Random, counter: list[int], ts: int) -> list[LogEntry]:
    def uid(prefix: str) -> str:
        counter[0] += 1
        return f"{prefix}_{MARK}{_code(counter[0], 8)}"

    sender = Sender(kind="person", name=rng.choice(["Nil", "Ada", "Bob"]), device=rng.choice([None, "Phone"]))
    message = QueuedMessage(id=uid("m"), sender=sender, text=_words(rng, 5, 60), created_at=ts)
    entries: list[LogEntry] = [UserTurn(id=uid("e"), ts=ts, messages=(message,))]
    entries.append(Thinking(id=uid("e"), ts=ts + 400, text=_words(rng, 10, 150), block=uid("b"), duration_ms=400))
    for n in range(rng.choice([0, 1, 1, 2, 3])):
        tool = uid("t")
        command = {"command": f"pytest -q tests/test_{rng.choice(WORDS)}.py"}
        entries.append(ToolCall(id=uid("e"), ts=ts + 500 + n, tool_id=tool, name="Bash", input=command))
        output = _words(rng, 3, 400)
        entries.append(ToolResult(id=uid("e"), ts=ts + 900 + n, tool_id=tool, output=output, duration_ms=400))
    entries.append(Text(id=uid("e"), ts=ts + 1500, text=_words(rng, 15, 300), block=uid("b")))
    usage = Usage(input_tokens=rng.randint(2_000, 40_000), output_tokens=rng.randint(50, 2_000))
    entries.append(TurnEnd(id=uid("e"), ts=ts + 1600, status="completed", usage=usage, duration_ms=1600))
    return entries


def make_block(target: int = BLOCK_BYTES, seed: int = 7) -> Block:
    rng = random.Random(seed)
    counter = [0]
    parts: list[bytes] = []
    turn_ends: list[int] = []
    user_starts: list[int] = []
    size = 0
    ts = START_MS
    while size < target:
        for entry in _turn(rng, counter, ts):
            line = (wire.dumps(entry, LogEntry) + "\n").encode()
            if isinstance(entry, UserTurn):
                user_starts.append(size)
            parts.append(line)
            size += len(line)
        turn_ends.append(size)
        ts += 60_000
    return Block(b"".join(parts), tuple(turn_ends), tuple(user_starts))


@attrs.frozen
class Written:
    size: int
    turns: int
    user_offsets: tuple[int, ...]  # in the file


def write_session(path: Path, header: SessionStart, block: Block, budget: int, copy_base: int) -> Written:
    """Write a session file of about ``budget`` bytes: the header, then copies of the block."""
    head = (wire.dumps(header, LogEntry) + "\n").encode()
    offsets: list[int] = []
    turns = 0
    with open(path, "wb") as out:
        out.write(head)
        size = len(head)
        copy = 0
        while size < budget:
            data = block.data.replace(MARK.encode(), _code(copy_base + copy, 4).encode())
            room = budget - size
            end = len(data) if room >= len(data) else max((e for e in block.turn_ends if e <= room), default=0)
            if end == 0:
                break
            out.write(data[:end])
            offsets += [size + u for u in block.user_starts if u < end]
            turns += sum(1 for e in block.turn_ends if e <= end)
            size += end
            copy += 1
    return Written(size, turns, tuple(offsets))


def _entry_id_at(path: Path, offset: int) -> str:
    with open(path, "rb") as f:
        f.seek(offset)
        return str(json.loads(f.readline())["id"])


def _write_agent(layout: Layout, spec: AgentSpec, home: HomeSpec, block: Block, index: int) -> None:
    directory = layout.agent_dir(spec.id)
    directory.mkdir(parents=True, exist_ok=True)
    budget = home.size // home.agents // home.sessions
    sessions: dict[str, SessionInfo] = {}
    previous: tuple[str, Written] | None = None
    current = ""
    for s in range(home.sessions):
        current = f"s_{spec.id[2:]}{s:02d}"
        fork: dict[str, object] = {}
        if s % 2 == 1 and previous is not None and previous[1].user_offsets:
            parent, written = previous
            offset = written.user_offsets[len(written.user_offsets) // 2]
            entry = _entry_id_at(layout.session_log(spec.id, parent), offset)
            fork = {"forked_from": parent, "fork_entry_id": entry, "fork_offset": offset}
        created = START_MS + s * 86_400_000
        header = SessionStart(
            id=f"e_{_code(index, 6)}{s:02d}hd",
            ts=created,
            session_id=current,
            backend="demo",
            origin="forked" if fork else "new",
            **fork,  # type: ignore[arg-type]
        )
        copy_base = (index * home.sessions + s) * 4096
        written = write_session(layout.session_log(spec.id, current), header, block, budget, copy_base)
        sessions[current] = SessionInfo(
            id=current,
            created_at=created,
            updated_at=created + 3_600_000,
            backend="demo",
            backend_session_id=f"demo_{current}",
            topic=_words(random.Random(index * 31 + s), 3, 7).capitalize(),
            topic_turn=written.turns,
            turns=written.turns,
            usage=Usage(input_tokens=written.turns * 20_000, output_tokens=written.turns * 900),
            **fork,  # type: ignore[arg-type]
        )
        previous = (current, written)
    data = {"version": 1, "current": current, "sessions": wire.unstructure(sessions, dict[str, SessionInfo])}
    (directory / "sessions.json").write_text(json.dumps(data), encoding="utf-8")


def generate(home: HomeSpec, directory: Path, cwd: Path) -> None:
    rng = random.Random(home.size)
    layout = Layout(directory)
    layout.ensure()
    rooms = tuple(Room(id=f"r_bench{i:03d}", name=f"Room {i + 1}") for i in range((home.agents + 7) // 8))
    specs = tuple(
        AgentSpec(
            id=f"a_bench{n:04d}",
            name=f"Agent{n}",
            room_id=rooms[n // 8].id,
            desk=n % 8,
            cwd=str(cwd),
            backend="demo",
            model="demo-scripted",
            outfit=random_outfit(rng),
            created_at=START_MS,
        )
        for n in range(home.agents)
    )
    agents = {"version": 1, "rooms": wire.unstructure(rooms), "agents": wire.unstructure(specs)}
    (directory / "agents.json").write_text(json.dumps(agents), encoding="utf-8")
    tasks = tuple(
        Task(
            id=f"{n:08x}",
            title=_words(rng, 3, 9).capitalize(),
            description=_words(rng, 0, 40),
            priority=rng.choice(["P0", "P1", "P2", "P3", None]),
            status=rng.choice(["open", "in_progress", "done"]),
            assignee=rng.choice([None, *[s.name for s in specs[:4]]]),
            created_by="Nil",
            created_at=START_MS + n,
            updated_at=START_MS + n,
        )
        for n in range(home.tasks)
    )
    (directory / "tasks.json").write_text(json.dumps({"version": 1, "tasks": wire.unstructure(tasks)}))
    block = make_block(min(BLOCK_BYTES, max(64 * 1024, home.size // home.agents // home.sessions)))
    for n, spec in enumerate(specs):
        _write_agent(layout, spec, home, block, n)


def disk_size(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())


def ensure_home(home: HomeSpec, root: Path, cwd: Path) -> tuple[Path, str]:
    """The cached home for ``home`` (generated if missing) and a note on what was done."""
    directory = root / f"{home.label}-v{VERSION}-{home.agents}a"
    marker = directory / ".bench-complete"
    if marker.exists():
        return directory, "cached"
    if directory.exists():
        shutil.rmtree(directory)
    root.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(root).free
    if free < home.size * 1.2 + 512 * 1024 * 1024:
        raise RuntimeError(
            f"not enough free disk space for the {home.label} home under {root}: "
            f"{free / 1e9:.1f} GB free, about {home.size * 1.2 / 1e9 + 0.5:.1f} GB needed"
        )
    began = time.perf_counter()
    generate(home, directory, cwd)
    marker.write_text(json.dumps({"size": disk_size(directory), "seconds": time.perf_counter() - began}))
    return directory, f"generated in {time.perf_counter() - began:.0f} s"
