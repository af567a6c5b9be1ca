"""Who is calling: the layer in front of every REST handler and the WebSocket.

Nothing but ``/api/health``, the sign-in endpoints and the static app is reachable without
a credential, loopback included. The credentials, in the order they are tried:

- ``Authorization: Bearer ixa_…`` — an agent's own token (``ISOMUX_TOKEN``);
- ``Authorization: Bearer ixo_…`` — a token the owner issued to another office;
- ``Authorization: Bearer ixk_…`` — the owner's token for the ``isomux`` command (derived
  from ``ISOMUX_HOME/secret``, so only someone who can read the office's files has it);
- the ``isomux_session`` cookie — a person signed in on a device (HttpOnly, SameSite=Strict).

Cookie-authenticated writes are protected against cross-site requests three ways: the
cookie is SameSite=Strict, a request whose ``Origin`` names another site is refused, and
JSON bodies must be sent as ``application/json`` (which another site cannot do without a
CORS preflight this server never grants). The WebSocket upgrade checks the Origin too.
"""

from __future__ import annotations

from collections import deque
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import urlsplit

import trio

from isomux.dispatch import Caller
from isomux.domain.model import AgentSpec
from isomux.domain.people import OfficeToken, Person
from isomux.errors import Forbidden, RateLimited, Unauthorized
from isomux.office import GetAgent
from isomux.people import CheckOfficeToken, WhoIs
from isomux.services import Services
from isomux.tokens import agent_of_token, is_admin_token

COOKIE = "isomux_session"


def same_origin(headers: Any) -> bool:
    """True unless the request comes from a browser page on another origin."""
    origin = headers.get("Origin")
    if origin is None:
        return True
    host = headers.get("Host", "")
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    return bool(parts.netloc) and parts.netloc.lower() == host.lower() and parts.scheme in ("http", "https")


def check_origin(headers: Any) -> None:
    if not same_origin(headers):
        raise Forbidden("requests from other websites are not allowed")


def session_cookie(headers: Any) -> str | None:
    raw = headers.get("Cookie")
    if not raw:
        return None
    try:
        jar: SimpleCookie = SimpleCookie(raw)
    except CookieError:
        return None
    morsel = jar.get(COOKIE)
    return morsel.value if morsel is not None and morsel.value else None


class Limiter:
    """Failed sign-in attempts per client address: at most ``limit`` a minute."""

    def __init__(self, limit: int = 10, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self.failures: dict[str, deque[float]] = {}

    def _recent(self, address: str) -> deque[float]:
        times = self.failures.setdefault(address, deque())
        now = trio.current_time()
        while times and times[0] < now - self.window:
            times.popleft()
        return times

    def check(self, address: str) -> None:
        if len(self._recent(address)) >= self.limit:
            raise RateLimited("too many failed sign-in attempts from this address; wait a minute and try again")

    def failed(self, address: str) -> None:
        if len(self.failures) > 10_000:
            self.failures.clear()
        self._recent(address).append(trio.current_time())


async def identify(services: Services, headers: Any, *, limiter: Limiter | None = None, address: str = "") -> Caller:
    """The caller behind these request headers; ``Unauthorized`` when there is none.

    A valid credential is always accepted. Invalid ones are counted per address, and beyond the
    limit the answer becomes ``RateLimited`` (presenting no credential at all is not counted).
    """
    auth = headers.get("Authorization", "")
    session = session_cookie(headers)
    if not auth.startswith("Bearer ") and session is None:
        raise Unauthorized("sign in first: open the invite link the office's owner gave you")
    try:
        if auth.startswith("Bearer "):
            return await _bearer(services, auth[7:].strip())
        assert session is not None
        person: Person | None = await services.people.ask(lambda r: WhoIs(session, r), timeout=10)
        if person is None:
            raise Unauthorized("your sign-in is no longer valid (it was revoked or signed out); ask for a new invite")
    except Unauthorized:
        if limiter is not None:
            limiter.failed(address)
            limiter.check(address)
        raise
    return Caller(
        kind="person",
        name=person.name,
        device=person.device,
        role=person.role,
        member_id=person.member_id,
        rooms=person.rooms,
        source="session",
    )


async def _bearer(services: Services, token: str) -> Caller:
    if token.startswith("ixa_"):
        agent_id = agent_of_token(services.secret, token)
        if agent_id is not None:
            try:
                agent: AgentSpec = await services.office.ask(lambda r: GetAgent(agent_id, r), timeout=10)
            except Exception:
                raise Unauthorized("that agent token belongs to an agent that no longer exists") from None
            return Caller(kind="agent", name=agent.name, agent_id=agent.id, role="member", source="agent_token")
    elif token.startswith("ixo_"):
        record: OfficeToken | None = await services.people.ask(lambda r: CheckOfficeToken(token, r), timeout=10)
        if record is not None:
            return Caller(kind="agent", name=record.label, role="member", source="office_token")
    elif token.startswith("ixk_") and is_admin_token(services.secret, token):
        return Caller(kind="person", name="Owner", device="command line", role="owner", source="admin")
    await trio.lowlevel.checkpoint()
    raise Unauthorized("that API token is not valid")
