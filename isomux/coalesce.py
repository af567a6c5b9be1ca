"""Turning waiting messages into one turn's input, each part labelled with its sender."""

from __future__ import annotations

from collections.abc import Sequence

from isomux.domain.model import Attachment, QueuedMessage


def coalesce(messages: Sequence[QueuedMessage]) -> tuple[str, tuple[Attachment, ...]]:
    """``[Nil] first\\n\\n[Bob (Phone)] second`` plus every message's attachments, in order."""
    text = "\n\n".join(f"{m.sender.label} {m.text}" for m in messages)
    attachments = tuple(a for m in messages for a in m.attachments)
    return text, attachments
