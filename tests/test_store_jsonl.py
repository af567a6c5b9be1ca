"""Append-only logs: nothing acknowledged is lost, paging is exact, bad or torn lines never hide the rest."""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isomux.store.jsonl import (
    BLOCK_SIZE,
    JsonlWriter,
    TailPage,
    iter_entries,
    read_first,
    read_tail,
    read_tail_report,
)

REPO = Path(__file__).resolve().parents[1]


def line_of(obj: dict[str, object]) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def page_back(
    path: Path, page_size: int, *, block_size: int = BLOCK_SIZE
) -> tuple[list[tuple[int, object]], list[int]]:
    """Walk the whole log from the end to the start the way the history view does."""
    entries: list[tuple[int, object]] = []
    skipped: list[int] = []
    before: int | None = None
    for _ in range(path.stat().st_size + 2):
        page = read_tail_report(path, page_size, before=before, block_size=block_size)
        entries[:0] = page.entries
        skipped[:0] = page.skipped
        if len(page.entries) < page_size:
            return entries, skipped
        before = page.entries[0][0]
    raise AssertionError("paging never reached the start of the log")


def test_append_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "logs" / "agent-1" / "s1.jsonl"
    entries: list[dict[str, object]] = [
        {"type": "header", "agent": "a1"},
        {"text": "héllo 🦊"},
        {"n": 3, "list": [1, None]},
    ]

    with JsonlWriter.open(path) as log:
        assert log.size == 0
        offsets = [log.append(entry) for entry in entries]
        assert log.size == path.stat().st_size

    raw = path.read_bytes()
    assert offsets == [0, len(line_of(entries[0])), len(line_of(entries[0])) + len(line_of(entries[1]))]
    assert raw == b"".join(line_of(e) for e in entries), "one compact line per entry, text kept as written"
    assert read_tail(path, 10) == list(zip(offsets, entries, strict=True))
    assert read_tail(path, 2) == list(zip(offsets[1:], entries[1:], strict=True))
    assert read_tail(path, 0) == []
    assert list(iter_entries(path)) == list(zip(offsets, entries, strict=True))
    assert list(iter_entries(path, start=offsets[1])) == list(zip(offsets[1:], entries[1:], strict=True))
    assert read_first(path) == entries[0]


def test_reopening_continues_at_the_end_with_stable_offsets(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    with JsonlWriter.open(path) as log:
        first = log.append({"n": 1})
    with JsonlWriter.open(path) as log:
        assert log.size == path.stat().st_size
        second = log.append({"n": 2})

    assert read_tail(path, 5) == [(first, {"n": 1}), (second, {"n": 2})]


def test_missing_log_reads_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "none.jsonl"
    assert read_tail(path, 10) == []
    assert read_tail_report(path, 10) == TailPage((), ())
    assert list(iter_entries(path)) == []
    assert read_first(path) is None


def test_refused_entries_write_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    with JsonlWriter.open(path) as log:
        log.append({"n": 1})
        size = log.size
        with pytest.raises(TypeError):
            log.append(["not", "an", "object"])
        with pytest.raises(ValueError, match="Out of range float"):
            log.append({"x": float("nan")})
        with pytest.raises(TypeError):
            log.append({"x": {1, 2}})
        assert path.stat().st_size == size == log.size
        offset = log.append({"n": 2})

    assert offset == size
    with pytest.raises(ValueError, match="closed"):
        log.append({"n": 3})
    assert [e for _, e in iter_entries(path)] == [{"n": 1}, {"n": 2}]


def test_failed_write_does_not_glue_a_fragment_to_the_next_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.jsonl"
    real_write = os.write
    log = JsonlWriter.open(path)
    log.append({"n": 1})

    def half_then_full(fd: int, data: bytes) -> int:
        if len(data) > 20:
            real_write(fd, bytes(data[:10]))
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", half_then_full)
    with pytest.raises(OSError, match="No space"):
        log.append({"text": "a long entry that does not fit"})
    monkeypatch.undo()

    offset = log.append({"n": 2})
    log.close()
    assert read_tail_report(path, 10) == TailPage(((0, {"n": 1}), (offset, {"n": 2})), ())


def test_lines_larger_than_a_block(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    pads = [10, 3 * 1024 * 1024 // 2, 0, BLOCK_SIZE - len(line_of({"pad": ""})), BLOCK_SIZE, 200_000, 5]
    with JsonlWriter.open(path) as log:
        expected = [(log.append({"pad": "y" * n}), {"pad": "y" * n}) for n in pads]

    assert read_tail(path, 3) == expected[-3:]
    assert read_tail(path, 100) == expected
    assert list(iter_entries(path)) == expected
    for page_size in (1, 2, 3):
        assert page_back(path, page_size) == (expected, [])


def test_torn_tail_is_ignored_then_repaired_by_open(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    with JsonlWriter.open(path) as log:
        kept = [(log.append({"n": n}), {"n": n}) for n in range(3)]
        end = log.size
    # A valid object without its newline was never acknowledged, so it must not appear either.
    torn = b'{"n":3}'
    with path.open("ab") as raw:
        raw.write(torn)

    assert read_tail(path, 10) == kept
    assert list(iter_entries(path)) == kept
    assert read_tail(path, 10, before=path.stat().st_size) == kept

    with JsonlWriter.open(path) as log:
        assert log.size == end
        assert path.stat().st_size == end
        new = log.append({"n": 4})

    assert new == end
    assert read_tail(path, 10) == [*kept, (end, {"n": 4})]
    [aside] = tmp_path.glob("s.jsonl.torn-*")
    assert aside.read_bytes() == torn


def test_torn_only_file_and_large_torn_tail(tmp_path: Path) -> None:
    only = tmp_path / "only.jsonl"
    only.write_bytes(b'{"half": "wr')
    assert read_first(only) is None
    with JsonlWriter.open(only) as log:
        assert log.size == 0
        assert log.append({"n": 1}) == 0
    assert read_tail(only, 5) == [(0, {"n": 1})]

    big = tmp_path / "big.jsonl"
    with JsonlWriter.open(big) as log:
        log.append({"n": 0})
    fragment = b'{"pad":"' + b"z" * (3 * BLOCK_SIZE + 17)
    with big.open("ab") as raw:
        raw.write(fragment)
    with JsonlWriter.open(big) as log:
        assert log.size == len(line_of({"n": 0}))
    [aside] = tmp_path.glob("big.jsonl.torn-*")
    assert aside.read_bytes() == fragment
    assert [e for _, e in iter_entries(big)] == [{"n": 0}]


def test_bad_lines_in_the_middle_are_skipped_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    bad_lines = [b"garbage", b"[1, 2]", b'"a string"', b"\xff\xfe{}", b"", b'{"unterminated": ']
    content = bytearray()
    good: list[tuple[int, object]] = []
    bad: list[int] = []
    for n, junk in enumerate(bad_lines):
        good.append((len(content), {"n": n}))
        content += line_of({"n": n})
        bad.append(len(content))
        content += junk + b"\n"
    good.append((len(content), {"n": "last"}))
    content += line_of({"n": "last"})
    path.write_bytes(bytes(content))

    report = read_tail_report(path, 100)
    assert list(report.entries) == good
    assert report.skipped == tuple(bad)
    assert read_tail(path, 2) == good[-2:]
    seen: list[int] = []
    assert list(iter_entries(path, on_skip=seen.append)) == good
    assert seen == bad
    assert read_first(path) == {"n": 0}

    # Appending after the damage keeps working; the damaged lines stay as they are.
    with JsonlWriter.open(path) as log:
        offset = log.append({"n": "after"})
    assert read_tail(path, 2) == [good[-1], (offset, {"n": "after"})]
    assert path.read_bytes().startswith(bytes(content))


def test_header_is_found_after_a_bad_first_line(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_bytes(b"\x00\x00\n" + line_of({"type": "header"}))
    assert read_first(path) == {"type": "header"}


def test_cursor_inside_a_line(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    with JsonlWriter.open(path) as log:
        offsets = [log.append({"n": n}) for n in range(4)]

    # A position inside entry 2 counts entry 2 as starting before it.
    inside = offsets[2] + 3
    assert [e for _, e in read_tail(path, 10, before=inside)] == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert [e for _, e in iter_entries(path, start=inside)] == [{"n": 3}]
    assert read_tail(path, 10, before=0) == []
    assert [e for _, e in read_tail(path, 10, before=10**12)] == [{"n": n} for n in range(4)]
    with pytest.raises(ValueError, match="negative"):
        read_tail(path, 10, before=-1)
    with pytest.raises(ValueError, match="negative"):
        read_tail(path, -1)


BAD_LINES = [b"garbage", b"[]", b"\xc3(", b"", b"null", b'{"open": ']
TORN_TAILS = [b"", b'{"n":', b'{"n":"whole object, no newline"}', b"\xff"]


@st.composite
def log_files(draw: st.DrawFn) -> tuple[bytes, list[tuple[int, object]], list[int]]:
    """A log's bytes with the entries and bad-line offsets a reader must find in it."""
    items = draw(
        st.lists(
            st.one_of(
                st.tuples(st.integers(0, 300), st.sampled_from(["x", "é", "🦊"])),
                st.sampled_from(BAD_LINES),
            ),
            max_size=30,
        )
    )
    content = bytearray()
    good: list[tuple[int, object]] = []
    bad: list[int] = []
    for n, item in enumerate(items):
        if isinstance(item, bytes):
            bad.append(len(content))
            content += item + b"\n"
        else:
            size, char = item
            entry = {"n": n, "pad": char * size}
            good.append((len(content), entry))
            content += line_of(entry)
    content += draw(st.sampled_from(TORN_TAILS))
    return bytes(content), good, bad


@settings(max_examples=150, deadline=None, database=None)
@given(
    log=log_files(),
    block_size=st.integers(1, 400),
    page_size=st.integers(1, 8),
    cut=st.integers(0, 20_000),
)
def test_paging_visits_every_entry_exactly_once(
    log: tuple[bytes, list[tuple[int, object]], list[int]], block_size: int, page_size: int, cut: int
) -> None:
    content, good, bad = log
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "s.jsonl"
        path.write_bytes(content)

        assert page_back(path, page_size, block_size=block_size) == (good, bad)

        skipped: list[int] = []
        assert list(iter_entries(path, on_skip=skipped.append, block_size=block_size)) == good
        assert skipped == bad

        position = cut % (len(content) + 1)
        older = [entry for entry in good if entry[0] < position]
        assert read_tail(path, len(good) + 1, before=position, block_size=block_size) == older
        newer = [entry for entry in good if entry[0] >= position]
        assert list(iter_entries(path, start=position, block_size=block_size)) == newer
        assert read_first(path) == (good[0][1] if good else None)


def test_reading_the_tail_of_a_huge_log_touches_only_the_tail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.jsonl"
    with JsonlWriter.open(path) as log:
        log.append({"type": "header"})
    # Hundreds of MB of history, stored sparsely so the test stays cheap; a reader that
    # touched it would have to pull all of it through pread.
    huge = 400 * 1024 * 1024
    with path.open("r+b") as raw:
        raw.truncate(huge)
        raw.seek(huge)
        raw.write(b"\n")

    bytes_read = 0
    real_pread = os.pread

    def counting_pread(fd: int, count: int, offset: int) -> bytes:
        nonlocal bytes_read
        data = real_pread(fd, count, offset)
        bytes_read += len(data)
        return data

    monkeypatch.setattr(os, "pread", counting_pread)

    with JsonlWriter.open(path) as log:
        recent = [(log.append({"n": n, "text": "m" * 200}), {"n": n, "text": "m" * 200}) for n in range(500)]
    assert bytes_read < 1024, "opening for append looks at the last byte, not the history"

    bytes_read = 0
    assert read_tail(path, 50) == recent[-50:]
    tail_bytes = sum(len(line_of(e)) for _, e in recent[-50:])
    assert bytes_read <= tail_bytes + 2 * BLOCK_SIZE

    bytes_read = 0
    assert read_tail(path, 50, before=recent[100][0]) == recent[50:100]
    assert bytes_read <= tail_bytes + 2 * BLOCK_SIZE

    bytes_read = 0
    assert read_first(path) == {"type": "header"}
    assert bytes_read <= BLOCK_SIZE


CRASH_CHILD = textwrap.dedent(
    """
    import random, sys, time
    from pathlib import Path
    from isomux.store.jsonl import JsonlWriter

    sizes = random.Random(int(sys.argv[2]))
    with JsonlWriter.open(Path(sys.argv[1])) as log:
        for i in range(2_000):
            offset = log.append({"round": int(sys.argv[2]), "i": i, "pad": "p" * sizes.choice(PADS)})
            print(offset, i, flush=True)
    time.sleep(600)
    """
)
PADS = [0, 50, 1_000, 20_000, 300_000]


@pytest.mark.slow
def test_acknowledged_entries_survive_sigkill(tmp_path: Path) -> None:
    """A child appends and reports each offset once append returns; whatever it reported must be there."""
    path = tmp_path / "s.jsonl"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    chooser = random.Random(20250304)
    acknowledged: dict[int, tuple[int, int]] = {}
    pads_by_round = {
        n: [sizes.choice(PADS) for _ in range(2_000)] for n, sizes in enumerate(map(random.Random, range(4)))
    }
    torn_rounds = 0

    for round_number in range(4):
        proc = subprocess.Popen(
            [sys.executable, "-c", f"PADS = {PADS!r}\n{CRASH_CHILD}", str(path), str(round_number)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdout is not None
        assert proc.stderr is not None
        lines = [proc.stdout.readline() for _ in range(chooser.randint(1, 60))]
        time.sleep(chooser.choice([0, 0, 0.0005, 0.002]))
        proc.send_signal(signal.SIGKILL)
        # Through the same buffered reader: lines it has already buffered must not be dropped.
        lines += proc.stdout.read().splitlines(keepends=True)
        errors = proc.stderr.read().decode()
        assert proc.wait(timeout=60) == -signal.SIGKILL, errors
        proc.stdout.close()
        proc.stderr.close()

        reported = [line.split() for line in lines if line.endswith(b"\n")]
        assert reported, errors
        for printed_offset, printed_index in reported:
            acknowledged[int(printed_offset)] = (round_number, int(printed_index))

        # At most one torn line, and only at the end; every complete line is an entry.
        content = path.read_bytes()
        tail = content[content.rfind(b"\n") + 1 :]
        torn_rounds += bool(tail)
        skipped: list[int] = []
        in_file = {offset: entry for offset, entry in iter_entries(path, on_skip=skipped.append)}
        assert skipped == []
        this_round = sorted(e["i"] for e in in_file.values() if isinstance(e, dict) and e["round"] == round_number)
        assert this_round == list(range(len(this_round)))
        assert len(reported) <= len(this_round) <= len(reported) + 1, "only the last append may be unreported"

        for offset, (round_seen, i) in acknowledged.items():
            entry = in_file.get(offset)
            assert isinstance(entry, dict), f"acknowledged entry at {offset} was lost"
            assert entry == {"round": round_seen, "i": i, "pad": "p" * pads_by_round[round_seen][i]}

    assert len(list(tmp_path.glob("s.jsonl.torn-*"))) == torn_rounds - bool(tail)
