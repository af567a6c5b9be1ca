"""A turn's text and attachments as content blocks of one Claude user message.

Images (PNG, JPEG, GIF, WebP) and PDFs go to the model as base64 blocks, which Claude reads
itself. Text files are inlined between markers naming the file. Anything else is named in a
note that says plainly the model cannot see its contents, with the path where it is saved, so
the agent can still look at it with its tools if it knows how. Reading files blocks, so callers
run :func:`content_blocks` in a worker thread.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from isomux.backends.base import TurnInput
from isomux.domain.model import Attachment

IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
PDF_TYPE = "application/pdf"
MAX_IMAGE_BYTES = 5 * 1024 * 1024  # the Messages API's limit for one image
MAX_PDF_BYTES = 32 * 1024 * 1024  # …and for one request with a PDF
MAX_TEXT_BYTES = 256 * 1024
_SNIFF_BYTES = 8192
_SUFFIX_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".pdf": PDF_TYPE,
}

Block = dict[str, Any]


def content_blocks(turn: TurnInput) -> list[Block]:
    """The user message's content: each attachment, then the text.

    Claude reads images best when they come before the words about them.
    """
    blocks: list[Block] = []
    for attachment in turn.attachments:
        blocks.extend(attachment_blocks(attachment, turn.files_dir))
    blocks.append({"type": "text", "text": turn.text})
    return blocks


def media_type(attachment: Attachment) -> str:
    declared = attachment.media_type.split(";", 1)[0].strip().lower()
    if declared in IMAGE_TYPES or declared == PDF_TYPE:
        return declared
    return _SUFFIX_TYPES.get(Path(attachment.name).suffix.lower(), declared)


def attachment_blocks(attachment: Attachment, files_dir: Path | None) -> list[Block]:
    path = _locate(attachment, files_dir)
    label = _quote(attachment.name)
    if path is None:
        return [_note(f"[The attached file {label} could not be found; you cannot see it. Tell the person.]")]
    kind = media_type(attachment)
    size = path.stat().st_size
    where = f"saved at {path}"
    if kind in IMAGE_TYPES and size <= MAX_IMAGE_BYTES:
        return [_note(f"[Attached image {label}, {where}:]"), _binary("image", kind, path)]
    if kind == PDF_TYPE and size <= MAX_PDF_BYTES:
        document = _binary("document", kind, path)
        document["title"] = attachment.name
        return [_note(f"[Attached PDF {label}, {where}:]"), document]
    if kind in IMAGE_TYPES or kind == PDF_TYPE:
        return [
            _note(
                f"[The attached file {label} ({_size(size)}, {where}) is too large to show you; you cannot "
                "see its contents. Tell the person if it matters.]"
            )
        ]
    text = _read_text(path)
    if text is None:
        return [
            _note(
                f"[The attached file {label} ({kind or 'unknown type'}, {_size(size)}, {where}) is not "
                "something you can see: you cannot read its contents here. Say so if it matters, or "
                "inspect it with your tools.]"
            )
        ]
    cut = size > MAX_TEXT_BYTES
    ending = f"\n[… the rest of the file ({_size(size)} in all) is left out; read it at {path}]" if cut else ""
    return [_note(f'<attached-file name={label} path="{path}">\n{text}{ending}\n</attached-file>')]


def _locate(attachment: Attachment, files_dir: Path | None) -> Path | None:
    if files_dir is None:
        return None
    root = files_dir.resolve()
    path = (root / attachment.file).resolve()
    # An attachment names a file inside the files directory, never a path out of it.
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def _binary(block_type: str, kind: str, path: Path) -> Block:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return {"type": block_type, "source": {"type": "base64", "media_type": kind, "data": data}}


def _read_text(path: Path) -> str | None:
    with path.open("rb") as handle:
        head = handle.read(MAX_TEXT_BYTES)
    if b"\0" in head[:_SNIFF_BYTES]:
        return None
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The cut at MAX_TEXT_BYTES may fall inside a character; anything earlier is not text.
        if exc.start < len(head) - 4:
            return None
        return head[: exc.start].decode("utf-8")


def _note(text: str) -> Block:
    return {"type": "text", "text": text}


def _quote(name: str) -> str:
    return '"' + name.replace('"', "'") + '"'


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} kB"
    return f"{size / (1024 * 1024):.1f} MB"
