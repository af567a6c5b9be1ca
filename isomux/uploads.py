"""Files people attach to messages, stored per agent under ``logs/<agentId>/files/``.

Names on disk are derived from the content's SHA-256, so the same file uploaded twice is
stored once and no uploaded name can point outside the directory.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
from pathlib import Path

from isomux.domain.model import Attachment
from isomux.errors import InvalidInput, NotFound
from isomux.store.layout import Layout

_SAFE_FILE = re.compile(r"^[0-9a-f]{16}-[A-Za-z0-9._-]{1,100}$")
MAX_FILE = 20 << 20


def _clean_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "file"
    return cleaned[-100:]


def media_type(name: str) -> str:
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


def store_upload(layout: Layout, agent_id: str, name: str, data: bytes) -> Attachment:
    if len(data) > MAX_FILE:
        raise InvalidInput(f"{name} is larger than {MAX_FILE >> 20} MiB")
    digest = hashlib.sha256(data).hexdigest()
    file = f"{digest[:16]}-{_clean_name(name)}"
    directory = layout.files_dir(agent_id)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / file
    if not target.exists():
        tmp = directory / f".{file}.part"
        tmp.write_bytes(data)
        os.replace(tmp, target)
    return Attachment(file=file, name=name[:200], media_type=media_type(name), size=len(data), sha256=digest)


def attachment_path(layout: Layout, agent_id: str, file: str) -> Path:
    if not _SAFE_FILE.match(file):
        raise InvalidInput(f"{file[:80]!r} is not the name of an uploaded file")
    return layout.files_dir(agent_id) / file


def find_attachment(layout: Layout, agent_id: str, file: str) -> Attachment:
    path = attachment_path(layout, agent_id, file)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"no uploaded file {file!r} for this agent; upload it first") from None
    name = file.split("-", 1)[1]
    return Attachment(
        file=file, name=name, media_type=media_type(name), size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )
