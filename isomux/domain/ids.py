"""Identifiers and timestamps.

Ids are random (not clock-derived), so two created in the same millisecond never collide.
Times on the wire are integers: milliseconds since the Unix epoch.
"""

from __future__ import annotations

import secrets
import time

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford-style base32, lower case


def new_id(prefix: str, length: int = 12) -> str:
    """A random id such as ``a_3kq9v0x2m7hc`` (60 bits of randomness at the default length)."""
    return prefix + "_" + "".join(secrets.choice(_ALPHABET) for _ in range(length))


def new_task_id() -> str:
    """Task ids stay short because agents type them in curl commands."""
    return secrets.token_hex(4)


def now_ms() -> int:
    return int(time.time() * 1000)
