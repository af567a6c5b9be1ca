"""People and credentials: members, invites, sign-in sessions, tokens for other offices.

Every secret (invite, session, office token) is 256 random bits shown once and stored only
as its SHA-256. A member's display name lives here, on the server: it is what labels their
messages, so a browser cannot claim to be someone else.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Literal

import attrs

from isomux.domain import checks

Role = Literal["owner", "member"]


def new_secret(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@attrs.frozen(kw_only=True)
class Member:
    id: str
    name: str = attrs.field(validator=checks.name)
    role: Role
    rooms: tuple[str, ...] | None = None  # None: every room
    created_at: int
    revoked_at: int | None = None


@attrs.frozen(kw_only=True)
class Invite:
    hash: str
    role: Role
    rooms: tuple[str, ...] | None = None
    name: str | None = None  # set for an invite made for a particular person
    member_id: str | None = None  # an invite to sign in as an existing member (a new device)
    created_at: int
    expires_at: int
    used_at: int | None = None
    created_by: str = ""


@attrs.frozen(kw_only=True)
class SignIn:
    """One signed-in browser: a member on a device."""

    hash: str
    member_id: str
    device: str = attrs.field(validator=checks.text(40, min_len=1))
    created_at: int
    last_seen: int
    revoked_at: int | None = None


@attrs.frozen(kw_only=True)
class OfficeToken:
    """Lets agents of another office file tasks and send messages here."""

    id: str
    hash: str
    label: str = attrs.field(validator=checks.text(60, min_len=1))
    created_at: int
    revoked_at: int | None = None


@attrs.frozen(kw_only=True)
class PeopleState:
    members: tuple[Member, ...] = ()
    invites: tuple[Invite, ...] = ()
    sign_ins: tuple[SignIn, ...] = ()
    tokens: tuple[OfficeToken, ...] = ()


@attrs.frozen(kw_only=True)
class Person:
    """Who a signed-in browser belongs to (what the web layer learns from a cookie)."""

    member_id: str
    name: str
    device: str
    role: Role
    rooms: tuple[str, ...] | None


@attrs.frozen(kw_only=True)
class MemberView:
    """A member as owners see them in the people list."""

    id: str
    name: str
    role: Role
    rooms: tuple[str, ...] | None
    devices: tuple[str, ...]
    created_at: int
