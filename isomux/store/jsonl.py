"""Append-only JSONL logs: one JSON object per line, byte offsets as stable cursors.

Agent chat logs and other histories are written with :class:`JsonlWriter` and
read with :func:`read_tail` (newest entries, read backwards from the end so the
cost follows the tail, not the file), :func:`iter_entries` (forward) and
:func:`read_first` (the header line).

Durability: :meth:`JsonlWriter.append` hands the whole line to the kernel in one
write before it returns, so an acknowledged entry survives ``kill -9`` of the
process; :meth:`JsonlWriter.sync` makes it survive a power cut too. A line that
was being written when the process died has no trailing newline: readers ignore
it, and the next :meth:`JsonlWriter.open` keeps a copy of it in
``<name>.torn-<stamp>`` and cuts it off.

Offsets are the public cursor for paging older history. Appending never moves an
existing line and repair only removes bytes after the last complete line, so an
offset stays valid for the life of the file.

Tolerance: a line that is not a JSON object is skipped and never hides the rest.
:func:`read_tail_report` says which lines were skipped; :func:`iter_entries`
reports them through ``on_skip``. A missing file reads as empty.

One writer per file at a time; any number of readers. Everything here blocks.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from types import TracebackType

import attrs

from isomux.errors import StoreError
from isomux.store.atomic import aside_candidates, ensure_directory, fsync_directory

__all__ = [
    "BLOCK_SIZE",
    "JsonlWriter",
    "TailPage",
    "iter_entries",
    "read_first",
    "read_tail",
    "read_tail_report",
]

BLOCK_SIZE = 64 * 1024
"""How many bytes readers fetch per system call."""


class JsonlWriter:
    """Appends JSON objects to one log file. Open with :meth:`open`."""

    def __init__(self, path: Path, fd: int, size: int) -> None:
        self._path = path
        self._fd: int | None = fd
        self._size = size

    @classmethod
    def open(cls, path: Path) -> JsonlWriter:
        """Open ``path`` for appending, creating it and its directories, after repairing a torn tail."""
        ensure_directory(path.parent)
        flags = os.O_RDWR | os.O_APPEND | os.O_CLOEXEC
        try:
            fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            fd = os.open(path, flags)
        else:
            fsync_directory(path.parent)
        try:
            size = _repair_torn_tail(path, fd)
        except BaseException:
            os.close(fd)
            raise
        return cls(path, fd, size)

    @property
    def path(self) -> Path:
        return self._path

    @property
    def size(self) -> int:
        """The offset the next entry will start at."""
        return self._size

    @property
    def closed(self) -> bool:
        return self._fd is None

    def append(self, obj: object) -> int:
        """Append ``obj`` (a JSON object) as one line and return the offset where the line starts.

        When this returns the line is in the kernel's page cache: it survives the
        process being killed, not a power cut (see :meth:`sync`). If the write
        fails part-way the fragment is cut off again; should even that fail, the
        writer closes rather than risk gluing the next entry to it.
        """
        if not isinstance(obj, dict):
            # Readers skip anything but objects, so accepting one would lose it silently.
            raise TypeError(f"a log entry must be a JSON object, not {type(obj).__name__}")
        line = json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
        fd = self._require_open()
        start = self._size
        view = memoryview(line + b"\n")
        try:
            while view:
                written = os.write(fd, view)
                view = view[written:]
        except BaseException:
            self._undo_partial_write(fd, start)
            raise
        self._size = start + len(line) + 1
        return start

    def sync(self) -> None:
        """Make every appended entry durable against a power cut."""
        os.fsync(self._require_open())

    def close(self) -> None:
        """Close the file; further appends raise ``ValueError``. Closing twice is fine."""
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)

    def __enter__(self) -> JsonlWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _require_open(self) -> int:
        if self._fd is None:
            raise ValueError(f"the log {self._path} is closed")
        return self._fd

    def _undo_partial_write(self, fd: int, start: int) -> None:
        # A fragment left at the end would glue itself to the next entry and spoil both.
        try:
            os.ftruncate(fd, start)
        except OSError:
            self.close()


@attrs.frozen
class TailPage:
    """What :func:`read_tail_report` found.

    ``entries`` are ``(offset, object)`` pairs, oldest first. ``skipped`` holds the
    offsets of lines in the scanned range that were not JSON objects, oldest first.
    Fewer entries than asked for means the start of the file was reached.
    """

    entries: tuple[tuple[int, object], ...]
    skipped: tuple[int, ...]


def read_tail(
    path: Path, limit: int, *, before: int | None = None, block_size: int = BLOCK_SIZE
) -> list[tuple[int, object]]:
    """The last ``limit`` entries starting before offset ``before`` (default: the end), oldest first.

    Page back through history by passing the first offset of one page as
    ``before`` for the next. See :func:`read_tail_report` for the skipped lines.
    """
    return list(read_tail_report(path, limit, before=before, block_size=block_size).entries)


def read_tail_report(path: Path, limit: int, *, before: int | None = None, block_size: int = BLOCK_SIZE) -> TailPage:
    """Like :func:`read_tail`, also saying which lines had to be skipped.

    Reads backwards in blocks from ``before`` (or the end), so the cost is the
    size of the lines it passes over, not of the file. A ``before`` that falls inside a
    line counts that line as starting before it.
    """
    if limit < 0 or (before is not None and before < 0) or block_size < 1:
        raise ValueError("limit, before and block_size must not be negative")
    entries: list[tuple[int, object]] = []
    skipped: list[int] = []
    fd = None if limit == 0 else _open_for_reading(path)
    if fd is None:
        return TailPage((), ())
    try:
        size = os.fstat(fd).st_size
        end = size if before is None else min(before, size)
        if 0 < end < size and _pread_exact(fd, 1, end - 1, path) != b"\n":
            end = _end_of_line_at(fd, end, size, block_size, path)
        for offset, raw in _lines_backward(fd, end, block_size, path):
            value = _parse(raw)
            if value is None:
                skipped.append(offset)
                continue
            entries.append((offset, value))
            if len(entries) == limit:
                break
    finally:
        os.close(fd)
    entries.reverse()
    skipped.reverse()
    return TailPage(tuple(entries), tuple(skipped))


def iter_entries(
    path: Path,
    *,
    start: int = 0,
    on_skip: Callable[[int], None] | None = None,
    block_size: int = BLOCK_SIZE,
) -> Generator[tuple[int, object]]:
    """Yield ``(offset, object)`` for every entry starting at or after ``start``, oldest first.

    Lines that are not JSON objects are passed over (their offsets go to
    ``on_skip``), and so is a torn last line. Entries appended after iteration
    began are not included.
    """
    if start < 0 or block_size < 1:
        raise ValueError("start must not be negative and block_size must be positive")
    fd = _open_for_reading(path)
    if fd is None:
        return
    try:
        size = os.fstat(fd).st_size
        if 0 < start < size and _pread_exact(fd, 1, start - 1, path) != b"\n":
            # The line holding ``start`` began before it, so it is not ours to yield.
            start = _end_of_line_at(fd, start, size, block_size, path)
        for offset, raw in _lines_forward(fd, start, size, block_size, path):
            value = _parse(raw)
            if value is None:
                if on_skip is not None:
                    on_skip(offset)
                continue
            yield offset, value
    finally:
        os.close(fd)


def read_first(path: Path) -> object | None:
    """The first entry of the log (its header, by convention), or ``None`` if it has none.

    A first line that is not a JSON object is passed over like anywhere else.
    """
    entries = iter_entries(path)
    try:
        first = next(entries, None)
    finally:
        entries.close()
    return None if first is None else first[1]


def _repair_torn_tail(path: Path, fd: int) -> int:
    """Cut an unfinished last line off the log, keeping a copy aside; return the new size."""
    size = os.fstat(fd).st_size
    if size == 0 or _pread_exact(fd, 1, size - 1, path) == b"\n":
        return size
    end = _start_of_line_at(fd, size, BLOCK_SIZE, path)
    _copy_aside(path, fd, end, size)
    os.ftruncate(fd, end)
    os.fsync(fd)
    return end


def _copy_aside(path: Path, fd: int, start: int, stop: int) -> None:
    out = _create_aside(path)
    try:
        position = start
        while position < stop:
            chunk = _pread_exact(fd, min(BLOCK_SIZE, stop - position), position, path)
            view = memoryview(chunk)
            while view:
                view = view[os.write(out, view) :]
            position += len(chunk)
        # The copy must be safe on disk before the log loses those bytes.
        os.fsync(out)
    finally:
        os.close(out)
    fsync_directory(path.parent)


def _create_aside(path: Path) -> int:
    for candidate in aside_candidates(path, "torn"):
        try:
            return os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        except FileExistsError:
            continue
    raise AssertionError("aside_candidates never ends")


def _lines_backward(fd: int, end: int, block_size: int, path: Path) -> Iterator[tuple[int, bytes]]:
    """Yield the newline-terminated lines of ``[0, end)``, newest first, without their newline.

    Bytes after the last newline (a torn line) are not a line. A line longer than
    a block is assembled from pieces, each kept once.
    """
    pieces: list[bytes] = []  # the current line's pieces, last piece first
    terminated = False  # whether the current line has its newline
    position = end
    while position > 0:
        count = min(block_size, position)
        position -= count
        block = _pread_exact(fd, count, position, path)
        high = count
        while (newline := block.rfind(b"\n", 0, high)) >= 0:
            if terminated:
                pieces.append(block[newline + 1 : high])
                yield position + newline + 1, b"".join(reversed(pieces))
            pieces = []
            terminated = True
            high = newline
        if terminated:
            pieces.append(block[:high])
    if terminated:
        yield 0, b"".join(reversed(pieces))


def _lines_forward(fd: int, start: int, stop: int, block_size: int, path: Path) -> Iterator[tuple[int, bytes]]:
    """Yield the newline-terminated lines of ``[start, stop)``, oldest first, without their newline."""
    pieces: list[bytes] = []
    line_start = start
    position = start
    while position < stop:
        block = _pread_exact(fd, min(block_size, stop - position), position, path)
        low = 0
        while (newline := block.find(b"\n", low)) >= 0:
            pieces.append(block[low:newline])
            yield line_start, b"".join(pieces)
            pieces = []
            low = newline + 1
            line_start = position + low
        pieces.append(block[low:])
        position += len(block)


def _start_of_line_at(fd: int, end: int, block_size: int, path: Path) -> int:
    """The offset just after the last newline before ``end`` (0 if there is none)."""
    position = end
    while position > 0:
        count = min(block_size, position)
        position -= count
        newline = _pread_exact(fd, count, position, path).rfind(b"\n")
        if newline >= 0:
            return position + newline + 1
    return 0


def _end_of_line_at(fd: int, start: int, stop: int, block_size: int, path: Path) -> int:
    """The offset just after the first newline at or after ``start`` (``stop`` if there is none)."""
    position = start
    while position < stop:
        block = _pread_exact(fd, min(block_size, stop - position), position, path)
        newline = block.find(b"\n")
        if newline >= 0:
            return position + newline + 1
        position += len(block)
    return stop


def _parse(raw: bytes) -> object | None:
    """The JSON object on one line, or ``None`` if the line is anything else."""
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _open_for_reading(path: Path) -> int | None:
    try:
        return os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None


def _pread_exact(fd: int, count: int, offset: int, path: Path) -> bytes:
    data = os.pread(fd, count, offset)
    while len(data) < count:
        more = os.pread(fd, count - len(data), offset + len(data))
        if not more:
            raise StoreError(f"{path} shrank while it was being read; try again")
        data += more
    return data
