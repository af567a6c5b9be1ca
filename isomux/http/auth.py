"""Who is calling: the layer in front of every REST handler and the WebSocket.

An ``Authorization: Bearer`` agent token (``ISOMUX_TOKEN``) identifies an agent. Anything
else is a person; while the office is served on loopback only, a person on this machine
is its owner. Browsers are also held to their own origin: a page on another site may not
open the WebSocket or write through REST (its requests carry a foreign ``Origin``), and
JSON bodies must be sent as ``application/json``, which another site cannot do without a
CORS preflight that this server never grants.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from isomux.dispatch import Caller
from isomux.domain.model import AgentSpec
from isomux.errors import Forbidden
from isomux.office import GetAgent
from isomux.services import Services
from isomux.tokens import agent_of_token, is_admin_token


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


async def identify(services: Services, headers: Any, *, name: str | None = None, device: str | None = None) -> Caller:
    """The caller behind these request headers."""
    auth = headers.get("Authorization", "")
    if auth.startswith("Bearer ") and is_admin_token(services.secret, auth[7:].strip()):
        return Caller(kind="person", name="Owner", device="command line", role="owner")
    if auth.startswith("Bearer "):
        agent_id = agent_of_token(services.secret, auth[7:].strip())
        if agent_id is None:
            raise Forbidden("that API token is not valid")
        agent: AgentSpec = await services.office.ask(lambda r: GetAgent(agent_id, r), timeout=10)
        return Caller(kind="agent", name=agent.name, agent_id=agent.id, role="member")
    return Caller(kind="person", name=name or "You", device=device, role="owner")
