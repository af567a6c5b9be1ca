"""A WebSocket client that speaks the office's protocol the way the browser app does.

It says hello, checks that event sequence numbers follow each other (a gap is counted, a new
``welcome`` restarts the count), and acknowledges the events it read as the browser does
(``web/src/net/client.ts``): once 64 KB of them are unacknowledged, or 100 ms after the first
unacknowledged frame. The office stops sending to a client that does not acknowledge.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import attrs
import trio
from trio_websocket import ConnectionClosed, WebSocketConnection, open_websocket_url

ACK_AFTER_BYTES = 64 * 1024
ACK_EVERY_S = 0.1


@attrs.frozen
class Frame:
    received: float  # time.time() when it was read, seconds since the epoch
    size: int  # bytes (characters, for frames other than a welcome)
    data: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.data.get("type"))


@attrs.define
class Client:
    ws: WebSocketConnection
    parse_deltas: bool = True  # False: delta frames are only counted (a lighter client)
    last_seq: int = 0
    welcomes: int = 0
    gaps: int = 0
    events: int = 0
    deltas: int = 0
    frames: int = 0
    unacked_bytes: int = 0
    ack_due: trio.Event = attrs.field(factory=trio.Event)

    async def send(self, frame: dict[str, Any]) -> None:
        await self.ws.send_message(json.dumps(frame))

    async def hello(self, **fields: Any) -> None:
        await self.send({"type": "hello", "clientId": secrets.token_hex(8), **fields})

    async def next(self) -> Frame:
        """The next frame; events are checked for gaps and acknowledged."""
        text = await self.ws.get_message()
        return await self.take(str(text), time.time())

    async def take(self, text: str, received: float) -> Frame:
        """Apply a frame read earlier (at ``received``): check and acknowledge its events."""
        self.frames += 1
        if not self.parse_deltas and text.startswith('{"type":"events","deltas":[') and text.endswith('"items":[]}'):
            self.deltas += text.count('"agentId":')  # stream text alone: counted, not parsed
            return Frame(received, len(text), {"type": "events", "deltas": [], "items": []})
        data = json.loads(text)
        size = len(text.encode()) if data.get("type") == "welcome" else len(text)
        frame = Frame(received, size, data)
        kind = data.get("type")
        if kind == "welcome":
            self.welcomes += 1
            self.last_seq = data["snapshot"]["seq"]
        elif kind == "events":
            self.deltas += len(data["deltas"])
            items = data["items"]
            for item in items:
                if self.welcomes and item["seq"] != self.last_seq + 1:
                    self.gaps += 1
                self.last_seq = item["seq"]
            self.events += len(items)
            if items:
                self.unacked_bytes += len(text)
                if self.unacked_bytes >= ACK_AFTER_BYTES:
                    await self.ack()
                else:
                    self.ack_due.set()
        return frame

    async def ack(self) -> None:
        self.unacked_bytes = 0
        self.ack_due = trio.Event()
        await self.send({"type": "ack", "seq": self.last_seq})

    async def ack_later(self) -> None:
        """Send the acknowledgement that is due ``ACK_EVERY_S`` after it became due."""
        while True:
            await self.ack_due.wait()
            await trio.sleep(ACK_EVERY_S)
            if self.ack_due.is_set():
                try:
                    await self.ack()
                except ConnectionClosed:
                    return

    async def welcome(self) -> Frame:
        while True:
            frame = await self.next()
            if frame.kind == "welcome":
                return frame


@asynccontextmanager
async def connect(url: str, headers: dict[str, str], *, parse_deltas: bool = True) -> AsyncIterator[Client]:
    extra = [(k.encode(), v.encode()) for k, v in headers.items()]
    async with (
        open_websocket_url(url, extra_headers=extra, max_message_size=64 << 20) as ws,
        trio.open_nursery() as nursery,
    ):
        client = Client(ws, parse_deltas)
        nursery.start_soon(client.ack_later)
        yield client
        nursery.cancel_scope.cancel()
