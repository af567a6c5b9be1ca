"""attrs validators for values that arrive from outside (browsers, REST, agents, files).

Each raises ``ValueError`` with a sentence a person can act on; the wire layer turns it
into an ``InvalidInput`` that names the field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

import attrs

_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def camel(name: str) -> str:
    """``room_id`` → ``roomId``: field names as they appear on the wire."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _has_control_chars(text: str, *, allow_newlines: bool) -> bool:
    for ch in text:
        if allow_newlines and ch in "\n\t\r":
            continue
        if unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200d":
            return True
    return False


def text(
    max_len: int, *, min_len: int = 0, multiline: bool = False
) -> Callable[[Any, attrs.Attribute[Any], str], None]:
    """A string of bounded length; single-line strings may not contain control characters."""

    def check(_inst: Any, attr: attrs.Attribute[Any], value: str) -> None:
        if not isinstance(value, str):
            raise ValueError(f"{camel(attr.name)} must be text")
        if len(value) < min_len:
            raise ValueError(
                f"{camel(attr.name)} must not be empty"
                if min_len == 1
                else f"{camel(attr.name)} must have at least {min_len} characters"
            )
        if len(value) > max_len:
            raise ValueError(f"{camel(attr.name)} is too long ({len(value)} characters; the limit is {max_len})")
        if _has_control_chars(value, allow_newlines=multiline):
            raise ValueError(f"{camel(attr.name)} contains control characters")

    return check


def optional_text(max_len: int, *, multiline: bool = False) -> Callable[[Any, attrs.Attribute[Any], str | None], None]:
    inner = text(max_len, multiline=multiline)

    def check(inst: Any, attr: attrs.Attribute[Any], value: str | None) -> None:
        if value is not None:
            inner(inst, attr, value)

    return check


def name(_inst: Any, attr: attrs.Attribute[Any], value: str) -> None:
    """A display name: 1 to 40 characters, no surrounding spaces, no brackets (they label senders)."""
    text(40, min_len=1)(_inst, attr, value)
    if value != value.strip():
        raise ValueError(f"{camel(attr.name)} must not start or end with spaces")
    if any(ch in value for ch in "[]"):
        raise ValueError(f"{camel(attr.name)} must not contain square brackets")


def int_range(low: int, high: int) -> Callable[[Any, attrs.Attribute[Any], int], None]:
    def check(_inst: Any, attr: attrs.Attribute[Any], value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{camel(attr.name)} must be a whole number from {low} to {high}")

    return check


def colour(_inst: Any, attr: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or not _HEX_COLOUR.match(value):
        raise ValueError(f"{camel(attr.name)} must be a colour like #a1b2c3")


def path_text(_inst: Any, attr: attrs.Attribute[Any], value: str) -> None:
    """A path as typed by a person: absolute or starting with ``~``; checked on disk elsewhere."""
    text(4096)(_inst, attr, value)
    if value and not (value.startswith("/") or value == "~" or value.startswith("~/")):
        raise ValueError(f"{camel(attr.name)} must be an absolute path (or start with ~/)")
    if "\x00" in value:
        raise ValueError(f"{camel(attr.name)} contains a NUL byte")
