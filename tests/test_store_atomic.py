"""State files survive crashes and bad data, and a corrupt file is reported, never overwritten."""

from __future__ import annotations

import json
import math
import os
import signal
import stat
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from isomux.errors import CorruptFile, StoreError
from isomux.store.atomic import cleanup_temp_files, quarantine, read_json, write_json_atomic

REPO = Path(__file__).resolve().parents[1]


def test_round_trip_keeps_data_order_and_text(tmp_path: Path) -> None:
    target = tmp_path / "agents.json"
    data = {"zeta": 1, "alpha": [1.5, None, True], "name": "Zoë 🦊", "nested": {"b": {}, "a": []}}

    write_json_atomic(target, data)

    assert read_json(target) == data
    text = target.read_text(encoding="utf-8")
    assert "Zoë 🦊" in text, "non-ASCII text is stored as written, so people can read the file"
    assert text.index("zeta") < text.index("alpha"), "keys keep the order the program gave them"
    assert text.endswith("\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_overwrite_replaces_content(tmp_path: Path) -> None:
    target = tmp_path / "tasks.json"
    write_json_atomic(target, {"tasks": [1, 2, 3]})
    write_json_atomic(target, {"tasks": []}, indent=None)

    assert read_json(target) == {"tasks": []}
    assert target.read_text(encoding="utf-8") == '{"tasks": []}\n'
    assert os.listdir(tmp_path) == ["tasks.json"], "no temp file is left behind"


def test_missing_parent_directories_are_created(tmp_path: Path) -> None:
    target = tmp_path / "home" / "logs" / "agent-1" / "sessions.json"
    write_json_atomic(target, ["s1"])
    assert read_json(target) == ["s1"]


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        ({"ids": {1, 2}}, TypeError),
        ({"ratio": math.nan}, ValueError),
        ({"ratio": math.inf}, ValueError),
        ({"text": "broken \ud800 surrogate"}, UnicodeEncodeError),
    ],
)
def test_unserializable_data_leaves_old_file_byte_identical(
    tmp_path: Path, bad: object, error: type[Exception]
) -> None:
    target = tmp_path / "agents.json"
    write_json_atomic(target, {"agents": ["a"]})
    before = target.read_bytes()

    with pytest.raises(error):
        write_json_atomic(target, bad)

    assert target.read_bytes() == before
    assert os.listdir(tmp_path) == ["agents.json"]


def test_missing_file_reads_as_none(tmp_path: Path) -> None:
    assert read_json(tmp_path / "nothing.json") is None


@pytest.mark.parametrize(
    ("content", "reason_part"),
    [
        (b"", "empty"),
        (b"  \n", "empty"),
        (b'{"agents": [1, 2,\n  ]\n}', "line 2 column 3"),
        (b'{"name": "caf\xe9"}', "UTF-8"),
        (b'{"a": 1} trailing', "line 1 column 10"),
        (b"[" * 100_000 + b"]" * 100_000, "nested"),
    ],
)
def test_corrupt_file_is_reported_and_untouched(tmp_path: Path, content: bytes, reason_part: str) -> None:
    target = tmp_path / "agents.json"
    target.write_bytes(content)
    mtime = target.stat().st_mtime_ns

    with pytest.raises(CorruptFile) as caught:
        read_json(target, advice="Restore it from a backup or move it aside.")

    assert caught.value.path == target
    assert reason_part in caught.value.reason
    assert str(target) in str(caught.value)
    assert "Restore it from a backup" in str(caught.value)
    assert isinstance(caught.value, StoreError)
    assert isinstance(caught.value, ValueError)
    assert target.read_bytes() == content
    assert target.stat().st_mtime_ns == mtime
    assert os.listdir(tmp_path) == ["agents.json"]


def test_failed_rename_keeps_old_file_and_removes_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "agents.json"
    write_json_atomic(target, {"version": 1})
    before = target.read_bytes()

    def refuse(src: object, dst: object) -> None:
        raise OSError("disk went away")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk went away"):
        write_json_atomic(target, {"version": 2})

    assert target.read_bytes() == before
    assert os.listdir(tmp_path) == ["agents.json"]


def test_kill_between_temp_write_and_rename(tmp_path: Path) -> None:
    """A process killed after writing the temp file keeps the old file; cleanup removes the leftover."""
    target = tmp_path / "agents.json"
    write_json_atomic(target, {"version": 1})
    before = target.read_bytes()
    # Files a person or another program put there must survive cleanup.
    bystanders = [".agents.json.tmp", "notes.isomux-tmp-0123456789abcdef", ".x.isomux-tmp-short"]
    for name in bystanders:
        (tmp_path / name).write_text("keep me", encoding="utf-8")

    child = textwrap.dedent(
        """
        import os, signal, sys
        from pathlib import Path
        from isomux.store.atomic import write_json_atomic

        def die(src, dst):
            os.kill(os.getpid(), signal.SIGKILL)

        os.replace = die
        write_json_atomic(Path(sys.argv[1]), {"version": 2})
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", child, str(target)], env=env, capture_output=True, timeout=60, check=False
    )
    assert result.returncode == -signal.SIGKILL, result.stderr.decode()

    assert target.read_bytes() == before
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".agents.json.isomux-tmp-")]
    assert len(leftovers) == 1
    assert json.loads(leftovers[0].read_text(encoding="utf-8")) == {"version": 2}

    assert cleanup_temp_files(tmp_path) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*bystanders, "agents.json"])
    assert read_json(target) == {"version": 1}
    assert cleanup_temp_files(tmp_path / "missing") == 0


def test_quarantine_moves_file_aside_without_overwriting(tmp_path: Path) -> None:
    now = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)
    first = tmp_path / "tasks.json"

    first.write_bytes(b"{broken")
    moved = quarantine(first, now=now)
    assert moved == tmp_path / "tasks.json.corrupt-20250304T050607"
    assert moved.read_bytes() == b"{broken"
    assert not first.exists()

    first.write_bytes(b"{broken again")
    again = quarantine(first, now=now)
    assert again == tmp_path / "tasks.json.corrupt-20250304T050607-1"
    assert again.read_bytes() == b"{broken again"
    assert moved.read_bytes() == b"{broken", "the earlier copy is kept"

    first.write_bytes(b"third")
    paris = timezone(timedelta(hours=1))
    third = quarantine(first, now=datetime(2025, 3, 4, 6, 6, 7, tzinfo=paris))
    assert third.name == "tasks.json.corrupt-20250304T050607-2", "the stamp is in UTC"


def test_quarantine_uses_current_utc_time(tmp_path: Path) -> None:
    target = tmp_path / "agents.json"
    target.write_bytes(b"nope")
    earliest = datetime.now(UTC).replace(microsecond=0)

    moved = quarantine(target)

    latest = datetime.now(UTC)
    stamp = datetime.strptime(moved.name.removeprefix("agents.json.corrupt-"), "%Y%m%dT%H%M%S")
    assert earliest <= stamp.replace(tzinfo=UTC) <= latest
    assert moved.read_bytes() == b"nope"
