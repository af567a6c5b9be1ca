"""A browser connection: one actor per WebSocket, registered at the hub.

The first frame must be ``Hello``. A reader task parses frames (every bad frame gets a
clear ``Failure`` and the connection lives on) and runs each command in its own task; a
writer task drains the connection's outbox, writing frames straight onto the socket where it can
(:mod:`isomux.http.direct`). The writer never has more than ``WINDOW``
bytes of events unacknowledged (the browser acks the sequence numbers it applied), so a
browser that stops reading cannot fill the socket, and its outbox overflowing only
costs it a fresh snapshot (see :mod:`isomux.outbox`).

A command carries a ``requestId``; a browser that resends a command after a reconnect
(it never learned the result) gets the first result again instead of a second effect.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

import attrs
import trio
from quart import websocket

from isomux import wire
from isomux.dispatch import Caller, dispatch
from isomux.domain.people import digest
from isomux.domain.protocol import (
    Ack,
    CommandFrame,
    ErrorInfo,
    Failure,
    Hello,
    Identity,
    Ping,
    Pong,
    PresenceUpdate,
    Result,
)
from isomux.errors import AskTimeout, InvalidInput, IsomuxError, MailboxFull, RateLimited, Unauthorized
from isomux.http.auth import Limiter, identify, same_origin, session_cookie
from isomux.http.direct import direct_send
from isomux.hub import Join, Leave, Look
from isomux.outbox import Outbox
from isomux.services import Services

log = logging.getLogger("isomux.ws")

WINDOW = 512 * 1024  # bytes of unacknowledged events
MAX_COMMANDS = 32  # commands one browser may have running at once
HELLO_TIMEOUT = 15.0
MAX_FRAME = 1 << 20


class RecentRequests:
    """The last results per browser, so a resent command is answered without running twice."""

    def __init__(self, clients: int = 512, per_client: int = 200) -> None:
        self.clients: OrderedDict[str, OrderedDict[str, str | trio.Event]] = OrderedDict()
        self.max_clients = clients
        self.per_client = per_client

    def slot(self, client: str) -> OrderedDict[str, str | trio.Event]:
        found = self.clients.pop(client, None) or OrderedDict()
        self.clients[client] = found
        while len(self.clients) > self.max_clients:
            self.clients.popitem(last=False)
        return found

    def remember(self, client: str, request_id: str, value: str | trio.Event) -> None:
        slot = self.slot(client)
        slot[request_id] = value
        while len(slot) > self.per_client:
            slot.popitem(last=False)


@attrs.define
class Flow:
    """Bytes of events sent but not yet acknowledged."""

    unacked: list[tuple[int, int]] = attrs.field(factory=list)
    bytes: int = 0
    changed: trio.Event = attrs.field(factory=trio.Event)

    def sent(self, seq: int, size: int) -> None:
        self.unacked.append((seq, size))
        self.bytes += size

    def ack(self, seq: int) -> None:
        while self.unacked and self.unacked[0][0] <= seq:
            self.bytes -= self.unacked.pop(0)[1]
        self.changed.set()
        self.changed = trio.Event()

    def reset(self) -> None:
        self.unacked.clear()
        self.bytes = 0


class Connection:
    def __init__(self, services: Services, recent: RecentRequests, live: Any, limiter: Limiter) -> None:
        self.s = services
        self.recent = recent
        self.live = live
        self.limiter = limiter
        self.outbox = Outbox(name="browser")
        self.flow = Flow()
        self.caller: Caller | None = None
        self.client_id: str | None = None
        self.running = trio.Semaphore(MAX_COMMANDS)

    def fail(self, request_id: str, exc: BaseException) -> None:
        if isinstance(exc, IsomuxError):
            info = ErrorInfo(
                code=exc.code,
                message=str(exc) if not isinstance(exc, AskTimeout) else "the office is busy; try again in a moment",
            )
        else:
            log.exception("command failed", exc_info=exc)
            info = ErrorInfo(code="internal", message="internal error (see the server log)")
        self.push(wire.frame(Failure(request_id=request_id, error=info)))

    def push(self, text: str) -> None:
        try:
            self.outbox.push_frame(text)
        except MailboxFull:
            self.outbox.close()

    async def run(self) -> None:
        if not same_origin(websocket.headers):
            await websocket.close(4003, "connections from other websites are not allowed")
            return
        try:
            self.caller = await identify(
                self.s, websocket.headers, limiter=self.limiter, address=str(websocket.remote_addr or "")
            )
        except (Unauthorized, RateLimited):
            # Refused at the handshake; the browser then asks /api/me and shows how to sign in.
            await websocket.close(4401, "sign in first")
            return
        hello = await self.hello()
        if hello is None:
            return
        self.client_id = hello.client_id
        caller = self.caller
        cookie = session_cookie(websocket.headers)
        self.outbox = Outbox(
            name="browser",
            sign_in=digest(cookie) if cookie else None,
            person=caller.name,
            device=caller.device,
            member_id=caller.member_id,
            rooms=None if caller.rooms is None else frozenset(caller.rooms),
        )
        self.push(wire.frame(Identity(name=caller.name, device=caller.device, role=caller.role, rooms=caller.rooms)))
        self.live.add(self.outbox)
        try:
            await self.s.hub.ask(lambda r: Join(self.outbox, hello.last_seq, hello.epoch, r), timeout=10)
            async with trio.open_nursery() as nursery:
                nursery.start_soon(self.writer, nursery.cancel_scope)
                await self.reader(nursery)
                nursery.cancel_scope.cancel()
        finally:
            self.live.discard(self.outbox)
            self.outbox.close()
            with trio.move_on_after(2, shield=True):
                await self.s.hub.tell(Leave(self.outbox))

    async def hello(self) -> Hello | None:
        with trio.move_on_after(HELLO_TIMEOUT):
            raw = await websocket.receive()
            try:
                frame = wire.decode_client_frame(raw)
                if not isinstance(frame, Hello):
                    raise InvalidInput("the first frame must be hello")
            except InvalidInput as exc:
                await websocket.send(
                    wire.frame(Failure(request_id="", error=ErrorInfo(code=exc.code, message=str(exc))))
                )
                await websocket.close(4000, "expected hello")
                return None
            return frame
        await websocket.close(4000, "no hello")
        return None

    async def reader(self, nursery: trio.Nursery) -> None:
        while not self.outbox.closed:
            raw = await websocket.receive()
            if len(raw) > MAX_FRAME:
                self.fail("", InvalidInput(f"a frame may be at most {MAX_FRAME} bytes"))
                continue
            try:
                frame = wire.decode_client_frame(raw)
            except InvalidInput as exc:
                self.fail(getattr(exc, "request_id", ""), exc)
                continue
            if isinstance(frame, Ack):
                self.flow.ack(frame.seq)
            elif isinstance(frame, Ping):
                self.push(wire.frame(Pong()))
            elif isinstance(frame, PresenceUpdate):
                await self.s.hub.tell(Look(self.outbox, frame.viewing, frame.typing))
            elif isinstance(frame, CommandFrame):
                if self.running.value == 0:
                    self.fail(frame.request_id, InvalidInput(f"more than {MAX_COMMANDS} commands at once"))
                    continue
                await self.running.acquire()
                nursery.start_soon(self.command, frame)
            else:
                self.fail("", InvalidInput("hello was already received"))

    async def command(self, frame: CommandFrame) -> None:
        try:
            client = self.client_id
            if client is not None:
                slot = self.recent.slot(client)
                earlier = slot.get(frame.request_id)
                if isinstance(earlier, trio.Event):
                    await earlier.wait()
                    earlier = slot.get(frame.request_id)
                if isinstance(earlier, str):
                    self.push(earlier)
                    return
                pending = trio.Event()
                self.recent.remember(client, frame.request_id, pending)
            assert self.caller is not None
            try:
                key = f"{client}:{frame.request_id}" if client is not None else None
                result = await dispatch(self.s, self.caller, frame.command, key=key)
                text = wire.frame(Result(request_id=frame.request_id, result=result))
            except Exception as exc:  # every failure is reported to the browser, none ends the connection
                self.fail(frame.request_id, exc)
                if client is not None:
                    self.recent.slot(client).pop(frame.request_id, None)
                    pending.set()
                return
            if client is not None:
                self.recent.remember(client, frame.request_id, text)
                pending.set()
            self.push(text)
        finally:
            self.running.release()

    async def writer(self, scope: trio.CancelScope) -> None:
        send = direct_send(websocket) or websocket.send
        while True:
            batch = await self.outbox.take()
            if not batch and self.outbox.closed:
                await websocket.close(1001, "the office is shutting down")
                scope.cancel()
                return
            for out in batch:
                if out.welcome:
                    self.flow.reset()
                while self.flow.bytes > WINDOW:
                    await self.flow.changed.wait()
                await send(out.text)
                if out.last_seq is not None and out.events:
                    self.flow.sent(out.last_seq, len(out.text))


def connection_handler(services: Services, recent: RecentRequests, live: Any) -> Any:
    limiter = Limiter()

    async def ws() -> None:
        await Connection(services, recent, live, limiter).run()

    return ws
