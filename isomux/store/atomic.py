"""Crash-safe JSON state files under ISOMUX_HOME.

A state file (``agents.json``, ``tasks.json``, …) is either its old content or its
new content, whatever moment the process is killed at: the new content goes to a
temp file beside it, is fsynced, renamed over the target, and the directory is
fsynced so the rename itself survives a power cut.

A file that does not parse is reported with :class:`~isomux.errors.CorruptFile`
and never touched; a caller that decides to go on without it moves it aside with
:func:`quarantine` so nothing is lost.

Everything here blocks; callers in trio run large files through
``trio.to_thread.run_sync``.
"""

from __future__ import annotations

import errno
import itertools
import json
import os
import re
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from isomux.errors import CorruptFile

__all__ = [
    "aside_candidates",
    "cleanup_temp_files",
    "ensure_directory",
    "fsync_directory",
    "quarantine",
    "read_json",
    "write_json_atomic",
]

# Temp names are hidden, carry the target's name (so a stray one explains itself)
# and end in a fixed tag plus 16 hex digits, which is what cleanup matches: a file
# a person named by hand is never mistaken for one of ours.
_TEMP_TAG = ".isomux-tmp-"
_TEMP_PATTERN = re.compile(r"\..+" + re.escape(_TEMP_TAG) + r"[0-9a-f]{16}")
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK}


def write_json_atomic(path: Path, data: object, *, indent: int | None = 1) -> None:
    """Replace ``path`` with ``data`` as JSON so that a crash leaves the old or the new file, never a mix.

    Serialization happens before the disk is touched, so data that is not JSON
    (a ``set``, NaN, a lone surrogate) raises and leaves the old file as it was.
    """
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, sort_keys=False, indent=indent)
    payload = (text + "\n").encode("utf-8")

    directory = path.parent
    ensure_directory(directory)
    temp = directory / f".{path.name}{_TEMP_TAG}{secrets.token_hex(8)}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        try:
            _write_all(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        # Also on KeyboardInterrupt: a half-written temp file is of no use to anyone.
        temp.unlink(missing_ok=True)
        raise
    fsync_directory(directory)


def read_json(path: Path, *, advice: str = "") -> object | None:
    """Parse the JSON file at ``path``; ``None`` if it does not exist.

    Raises :class:`CorruptFile` (carrying ``advice`` for the person who will read
    it) when the file is empty, not UTF-8 or not valid JSON. The file is only read.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    if not raw.strip():
        raise CorruptFile(path, "the file is empty", advice=advice)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        reason = f"it is not UTF-8 text (bad byte at offset {exc.start})"
        raise CorruptFile(path, reason, advice=advice) from exc
    try:
        value: object = json.loads(text)
    except json.JSONDecodeError as exc:
        reason = f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        raise CorruptFile(path, reason, advice=advice) from exc
    except RecursionError as exc:
        raise CorruptFile(path, "its JSON is nested too deeply to read", advice=advice) from exc
    return value


def quarantine(path: Path, *, now: datetime | None = None) -> Path:
    """Move ``path`` aside to ``<name>.corrupt-<UTC yyyymmddTHHMMSS>`` and return where it went.

    A numeric suffix (``-1``, ``-2``, …) is added when that name is taken; an
    existing file is never overwritten.
    """
    for candidate in aside_candidates(path, "corrupt", now=now):
        try:
            # A hard link fails if the name exists, where a rename would silently replace it.
            os.link(path, candidate, follow_symlinks=False)
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno not in _NO_HARD_LINKS:
                raise
            # The check-then-rename window is acceptable on the rare file systems without hard links.
            if candidate.exists() or candidate.is_symlink():
                continue
            os.rename(path, candidate)
        else:
            os.unlink(path)
        fsync_directory(path.parent)
        return candidate
    raise AssertionError("aside_candidates never ends")


def cleanup_temp_files(directory: Path) -> int:
    """Delete the temp files a crash left in ``directory``; return how many were removed.

    Only names made by :func:`write_json_atomic` are matched. Call it when no write
    into ``directory`` can be in progress (at start-up), or it may remove a temp
    file a writer is about to rename.
    """
    removed = 0
    try:
        entries = list(os.scandir(directory))
    except FileNotFoundError:
        return 0
    for entry in entries:
        if _TEMP_PATTERN.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
            except FileNotFoundError:
                continue
            removed += 1
    return removed


def aside_candidates(path: Path, tag: str, *, now: datetime | None = None) -> Iterator[Path]:
    """Yield ``<name>.<tag>-<UTC stamp>``, then the same with ``-1``, ``-2``, … for files kept aside."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%S")
    base = f"{path.name}.{tag}-{stamp}"
    yield path.with_name(base)
    for number in itertools.count(1):
        yield path.with_name(f"{base}-{number}")


def ensure_directory(directory: Path) -> None:
    """Create ``directory`` and missing parents, fsyncing each new entry's parent so it survives a crash."""
    missing: list[Path] = []
    current = directory
    while not current.is_dir():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for new in reversed(missing):
        try:
            new.mkdir(mode=0o700)
        except FileExistsError:
            if not new.is_dir():
                raise
            continue
        fsync_directory(new.parent)


def fsync_directory(directory: Path) -> None:
    """Make renames, creations and deletions inside ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
