"""Endpoints for people: signing in with an invite, signing out, members, invites, office tokens, files.

The invite link a person receives is ``<office>/join#<invite>``: the secret travels in the
URL fragment, which browsers never send to servers or put in a Referer. The join page
POSTs it to ``/auth/accept``, which answers with an HttpOnly, SameSite=Strict session
cookie (Secure when the office is served over HTTPS).

Files are served so that they can never run in the office's origin: images with their own
type and ``nosniff``; anything else as a download (``application/octet-stream`` with
``Content-Disposition: attachment``); paths are confined to the agent's files directory.
"""

from __future__ import annotations

from typing import Any

import trio
from quart import Response, request
from quart_trio import QuartTrio

from isomux import wire
from isomux.dispatch import Caller
from isomux.domain.model import AgentSpec
from isomux.domain.people import MemberView, OfficeToken, Person, digest
from isomux.errors import InvalidInput, NotFound, RateLimited
from isomux.http.auth import COOKIE, Limiter, session_cookie
from isomux.http.routes import PEOPLE, Route, body, error_response, json_response, require_owner
from isomux.office import GetAgent
from isomux.people import (
    Accept,
    ListMembers,
    ListOfficeTokens,
    MakeInvite,
    MakeOfficeToken,
    Revoke,
    RevokeOfficeToken,
    SetRooms,
    SignOut,
)
from isomux.services import Services
from isomux.uploads import attachment_path, media_type

INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
YEAR = 365 * 24 * 3600
DAY = 24 * 3600


def join_link(url: str, token: str) -> str:
    return f"{url}/join#{token}"


def _secure() -> bool:
    return request.scheme == "https" or request.headers.get("X-Forwarded-Proto", "") == "https"


def _cookie_header(value: str, max_age: int, secure: bool) -> str:
    parts = [f"{COOKIE}={value}", "Path=/", "HttpOnly", "SameSite=Strict", f"Max-Age={max_age}"]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def install(app: QuartTrio, s: Services, route: Route, live: Any) -> None:
    accept_limiter = Limiter(limit=10)

    @app.post("/auth/accept")
    async def accept() -> Response:
        address = str(request.remote_addr or "")
        try:
            accept_limiter.check(address)
            data = await body()
            token, name, device = data.get("token"), data.get("name"), data.get("device") or "Browser"
            if not isinstance(token, str) or not token.startswith("ixi_"):
                raise InvalidInput("paste the whole invite link you were given")
            if name is not None and not isinstance(name, str):
                raise InvalidInput("name must be text")
            if not isinstance(device, str) or not device.strip() or len(device) > 40:
                raise InvalidInput("describe this device in at most 40 characters (e.g. Laptop, Phone)")
            try:
                answer: tuple[str, Person] = await s.people.ask(
                    lambda r: Accept(token, name, device.strip(), r), timeout=10
                )
                session, person = answer
            except Exception:
                accept_limiter.failed(address)
                raise
        except RateLimited as exc:
            return error_response(exc)
        except Exception as exc:
            return error_response(exc)
        response = json_response({"member": wire.unstructure(person)})
        response.headers["Set-Cookie"] = _cookie_header(session, YEAR, s.config.secure_cookies or _secure())
        return response

    @app.post("/auth/logout")
    async def logout() -> Response:
        session = session_cookie(request.headers)
        if session is not None:
            await s.people.ask(lambda r: SignOut(session, r), timeout=10)
            for outbox in list(live):
                if outbox.sign_in == digest(session):
                    outbox.close()
        response = json_response({"ok": True})
        response.headers["Set-Cookie"] = _cookie_header("", 0, s.config.secure_cookies or _secure())
        return response

    @route("/api/me", ["GET"])
    async def me(caller: Caller) -> Any:
        return {"name": caller.name, "device": caller.device, "role": caller.role, "rooms": caller.rooms}

    @route("/api/invites", ["POST"], created=True)
    async def invite(caller: Caller) -> Any:
        require_owner(caller)
        data = await body()
        role = data.get("role", "member")
        rooms = data.get("rooms")
        name = data.get("name")
        hours = data.get("expiresInHours", 72)
        if role not in ("owner", "member"):
            raise InvalidInput("role must be owner or member")
        if rooms is not None and (not isinstance(rooms, list) or not all(isinstance(r, str) for r in rooms)):
            raise InvalidInput("rooms must be a list of room ids")
        if name is not None and (not isinstance(name, str) or not 0 < len(name) <= 40):
            raise InvalidInput("name must be 1 to 40 characters")
        if isinstance(hours, bool) or not isinstance(hours, int | float) or not 0 < hours <= 24 * 90:
            raise InvalidInput("expiresInHours must be between 0 and 2160")
        granted = None if rooms is None or role == "owner" else tuple(rooms)
        token: str = await s.people.ask(
            lambda r: MakeInvite(role, granted, name, float(hours) * 3600, caller.name, r), timeout=10
        )
        return {"token": token, "link": join_link(s.url, token), "expiresInHours": hours}

    @route("/api/members", ["GET"])
    async def members(caller: Caller) -> Any:
        require_owner(caller)
        return wire.unstructure(await s.people.ask(ListMembers, timeout=10))

    @route("/api/members/<member_id>", ["DELETE"])
    async def revoke(caller: Caller, member_id: str) -> Any:
        require_owner(caller)
        await s.people.ask(lambda r: Revoke(member_id, r), timeout=10)
        for outbox in list(live):
            if outbox.member_id == member_id:
                outbox.close()
        return {"ok": True}

    @route("/api/members/<member_id>", ["PATCH"])
    async def set_rooms(caller: Caller, member_id: str) -> Any:
        require_owner(caller)
        rooms = (await body()).get("rooms")
        if rooms is not None and (not isinstance(rooms, list) or not all(isinstance(r, str) for r in rooms)):
            raise InvalidInput("rooms must be a list of room ids, or null for every room")
        view: MemberView = await s.people.ask(
            lambda r: SetRooms(member_id, None if rooms is None else tuple(rooms), r), timeout=10
        )
        for outbox in list(live):
            if outbox.member_id == member_id:
                outbox.close()  # the browser reconnects and sees exactly its new rooms
        return wire.unstructure(view)

    @route("/api/office-tokens", ["GET"])
    async def tokens(caller: Caller) -> Any:
        require_owner(caller)
        return [
            {"id": t.id, "label": t.label, "createdAt": t.created_at}
            for t in await s.people.ask(ListOfficeTokens, timeout=10)
        ]

    @route("/api/office-tokens", ["POST"], created=True)
    async def make_token(caller: Caller) -> Any:
        require_owner(caller)
        label = (await body()).get("label")
        if not isinstance(label, str) or not 0 < len(label.strip()) <= 60:
            raise InvalidInput("give the token a label (1 to 60 characters), e.g. the other office's name")
        made: tuple[str, OfficeToken] = await s.people.ask(lambda r: MakeOfficeToken(label.strip(), r), timeout=10)
        token, record = made
        return {"id": record.id, "label": record.label, "token": token}

    @route("/api/office-tokens/<token_id>", ["DELETE"])
    async def revoke_token(caller: Caller, token_id: str) -> Any:
        require_owner(caller)
        await s.people.ask(lambda r: RevokeOfficeToken(token_id, r), timeout=10)
        return {"ok": True}

    @route("/api/files/<agent_id>/<file>", ["GET"], allow=PEOPLE)
    async def files(caller: Caller, agent_id: str, file: str) -> Any:
        agent: AgentSpec = await s.office.ask(lambda r: GetAgent(agent_id, r), timeout=10)
        if not caller.sees(agent.room_id):
            raise NotFound("no such file")
        path = attachment_path(s.layout, agent_id, file)
        try:
            data = await trio.Path(path).read_bytes()
        except FileNotFoundError:
            raise NotFound("no such file") from None
        kind = media_type(file)
        response = Response(data, content_type=kind if kind in INLINE_TYPES else "application/octet-stream")
        if kind not in INLINE_TYPES:
            safe = file.split("-", 1)[-1].replace('"', "")
            response.headers["Content-Disposition"] = f'attachment; filename="{safe}"'
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
        return response
