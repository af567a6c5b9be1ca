"""Running a real office in the test's trio loop, and talking to it like a browser or an agent would.

``running_office`` starts the whole actor tree with a real Hypercorn on 127.0.0.1:0 and
a temporary ``ISOMUX_HOME``. ``Browser`` is a WebSocket client that speaks the protocol
(hello, acks, request ids) and keeps the events it received.
"""

from __future__ import annotations

import itertools
import json
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import attrs
import httpx
import trio
from trio_websocket import open_websocket_url

from isomux.server import serve
from isomux.services import Config, Services


@attrs.define
class Office:
    url: str
    services: Services
    home: Path
    stop: trio.Event
    client: httpx.AsyncClient

    async def rest(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        expect: int | None = None,
    ) -> Any:
        response = await self.client.request(method, self.url + path, json=body, headers=headers)
        if expect is not None:
            assert response.status_code == expect, (response.status_code, response.text)
        return response.json() if response.content else None

    async def raw(self, method: str, path: str, **kw: Any) -> httpx.Response:
        return await self.client.request(method, self.url + path, **kw)

    async def spawn(self, name: str, cwd: Path | None = None, **extra: Any) -> dict[str, Any]:
        body = {"name": name, "cwd": str(cwd or self.home), "backend": "demo", **extra}
        return await self.rest("POST", "/api/agents", body, expect=201)  # type: ignore[no-any-return]

    async def log(self, agent_id: str, limit: int = 200) -> list[dict[str, Any]]:
        page = await self.rest("GET", f"/api/agents/{agent_id}/log?limit={limit}", expect=200)
        return page["entries"]  # type: ignore[no-any-return]

    async def wait_for(self, check: Callable[[], Any], timeout: float = 20, poll: float = 0.05) -> Any:
        with trio.fail_after(timeout):
            while True:
                result = await check()
                if result:
                    return result
                await trio.sleep(poll)

    async def sign_in(
        self, name: str, device: str = "Laptop", *, role: str = "owner", rooms: tuple[str, ...] | None = None
    ) -> str:
        """Sign a person in the way a browser does (an invite, then /auth/accept); returns the cookie value."""
        from isomux.people import ListMembers, MakeInvite

        people = self.services.people
        members = await people.ask(ListMembers, timeout=10)
        known = next((m.id for m in members if m.name == name), None)
        token = await people.ask(
            lambda r: MakeInvite(role, rooms, name, 3600, "tests", r, member_id=known),  # type: ignore[arg-type]
            timeout=10,
        )
        async with httpx.AsyncClient() as fresh:
            response = await fresh.post(self.url + "/auth/accept", json={"token": token, "device": device})
        assert response.status_code == 200, response.text
        return response.cookies["isomux_session"]

    async def status(self, agent_id: str) -> dict[str, Any]:
        agents = await self.rest("GET", "/api/agents", expect=200)
        return next(a["status"] for a in agents if a["id"] == agent_id)

    async def wait_state(self, agent_id: str, *states: str, timeout: float = 20) -> dict[str, Any]:
        async def check() -> Any:
            status = await self.status(agent_id)
            return status if status and status["state"] in states else None

        return await self.wait_for(check, timeout)  # type: ignore[no-any-return]


@asynccontextmanager
async def running_office(home: Path, **config: Any) -> AsyncIterator[Office]:
    settings = {"demo_delay": 0.001, "port": 0, **config}
    stop = trio.Event()
    async with trio.open_nursery() as nursery:
        services: Services = await nursery.start(
            lambda task_status: serve(Config(home=home, **settings), stop=stop, task_status=task_status)
        )
        async with httpx.AsyncClient(timeout=30) as client:
            office = Office(services.url, services, home, stop, client)
            client.cookies.set("isomux_session", await office.sign_in("You", "Tests"))
            yield office
        stop.set()


@attrs.define
class Browser:
    """A WebSocket client that behaves like the office's browser app."""

    ws: Any
    name: str
    welcome: dict[str, Any] | None = None
    identity: dict[str, Any] | None = None
    presence: list[dict[str, Any]] = attrs.field(factory=list)
    events: list[dict[str, Any]] = attrs.field(factory=list)
    deltas: list[dict[str, Any]] = attrs.field(factory=list)
    results: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    failures: list[dict[str, Any]] = attrs.field(factory=list)
    last_seq: int = 0
    welcomes: int = 0
    changed: trio.Event = attrs.field(factory=trio.Event)
    ids: Any = attrs.field(factory=lambda: itertools.count(1))

    async def pump(self) -> None:
        while True:
            frame = json.loads(await self.ws.get_message())
            kind = frame["type"]
            if kind == "identity":
                self.identity = frame
            elif kind == "presence":
                self.presence = frame["people"]
            elif kind == "welcome":
                self.welcome = frame["snapshot"]
                self.welcomes += 1
                self.last_seq = frame["snapshot"]["seq"]
            elif kind == "events":
                self.deltas.extend(frame["deltas"])
                for item in frame["items"]:
                    assert item["seq"] == self.last_seq + 1, f"gap: {self.last_seq} -> {item['seq']}"
                    self.last_seq = item["seq"]
                    self.events.append(item["event"])
                if frame["items"]:
                    await self.ws.send_message(json.dumps({"type": "ack", "seq": self.last_seq}))
            elif kind == "result":
                self.results[frame["requestId"]] = {"ok": True, "result": frame["result"]}
            elif kind == "failure":
                self.failures.append(frame)
                self.results[frame["requestId"]] = {"ok": False, "error": frame["error"]}
            self.changed.set()
            self.changed = trio.Event()

    async def send(self, frame: dict[str, Any]) -> None:
        await self.ws.send_message(json.dumps(frame))

    async def command(self, command: dict[str, Any], *, timeout: float = 20) -> dict[str, Any]:
        request_id = f"{self.name}-{next(self.ids)}"
        await self.send({"type": "command", "requestId": request_id, "command": command})
        with trio.fail_after(timeout):
            while request_id not in self.results:
                await self.changed.wait()
        return self.results[request_id]

    async def until(self, check: Callable[[], Any], timeout: float = 20) -> Any:
        with trio.fail_after(timeout):
            while not (found := check()):
                await self.changed.wait()
        return found

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["type"] == kind]


@asynccontextmanager
async def browser(
    office: Office,
    name: str = "Ada",
    device: str | None = None,
    *,
    hello: dict[str, Any] | None = None,
    cookie: str | None = None,
) -> AsyncIterator[Browser]:
    """A signed-in browser for ``name`` on ``device`` (the same person may use several devices)."""
    url = office.url.replace("http://", "ws://") + "/ws"
    cookie = cookie or await office.sign_in(name, device or "Laptop")
    async with open_websocket_url(url, extra_headers=[("Cookie", f"isomux_session={cookie}")]) as ws:
        client = Browser(ws, name)
        client.last_seq = (hello or {}).get("lastSeq") or 0
        await client.send({"type": "hello", "clientId": secrets.token_hex(8), **(hello or {})})
        async with trio.open_nursery() as nursery:
            nursery.start_soon(client.pump)
            await client.until(lambda: client.welcome is not None or client.events)
            yield client
            nursery.cancel_scope.cancel()


async def ws_handshake_status(office: Office, headers: dict[str, str] | None = None) -> int:
    """The HTTP status a WebSocket upgrade to /ws gets (101 when accepted), over a raw socket."""
    host = office.url.removeprefix("http://")
    lines = [
        "GET /ws HTTP/1.1",
        f"Host: {host}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
        *(f"{k}: {v}" for k, v in (headers or {}).items()),
    ]
    hostname, port = host.rsplit(":", 1)
    stream = await trio.open_tcp_stream(hostname, int(port))
    async with stream:
        await stream.send_all(("\r\n".join(lines) + "\r\n\r\n").encode())
        data = b""
        with trio.fail_after(10):
            while b"\r\n" not in data:
                data += await stream.receive_some(4096)
    return int(data.split(b" ", 2)[1])
