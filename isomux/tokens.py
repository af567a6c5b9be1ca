"""Agent API tokens: derived from the office's secret, so they are never stored.

An agent's token is an HMAC of its id under the secret in ``ISOMUX_HOME/secret``. It is
injected into the agent's environment as ``ISOMUX_TOKEN`` at every session start and
checked by recomputing it. Rotating the secret revokes every token.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path


def load_or_create_secret(path: Path) -> bytes:
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except FileNotFoundError:
        pass
    data = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    return data


def admin_token(secret: bytes) -> str:
    """The owner's credential for the ``isomux`` command on this machine (it can read the secret)."""
    return "ixk_" + hmac.new(secret, b"admin", hashlib.sha256).hexdigest()


def is_admin_token(secret: bytes, token: str) -> bool:
    return hmac.compare_digest(admin_token(secret), token)


def agent_token(secret: bytes, agent_id: str) -> str:
    """``ixa_<agentId>.<hmac>``: the id is readable so the token can be checked without a lookup."""
    mac = hmac.new(secret, f"agent:{agent_id}".encode(), hashlib.sha256).hexdigest()
    return f"ixa_{agent_id}.{mac}"


def agent_of_token(secret: bytes, token: str) -> str | None:
    """The agent id a token was issued to, or None if it is not a valid agent token."""
    if not token.startswith("ixa_") or "." not in token:
        return None
    agent_id = token[4:].rsplit(".", 1)[0]
    return agent_id if hmac.compare_digest(agent_token(secret, agent_id), token) else None
