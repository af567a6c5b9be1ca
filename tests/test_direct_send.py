"""Writing WebSocket frames beneath Quart (isomux.http.direct) on a real Hypercorn and real sockets.

The clients speak WebSocket with wsproto over a TCP stream, so a test can offer permessage-deflate
(as browsers do), stop reading, or read slowly.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import hypercorn.config
import hypercorn.trio
import pytest
import trio
from quart import websocket
from quart_trio import QuartTrio
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, Message, Request, TextMessage
from wsproto.extensions import PerMessageDeflate

from isomux.http.direct import DirectSend, direct_send

Script = Callable[[DirectSend], Awaitable[None]]


@asynccontextmanager
async def server(script: Script) -> AsyncIterator[tuple[int, dict[str, Any]]]:
    """A Quart-Trio app whose ``/ws`` waits for one message, then runs ``script`` with a DirectSend."""
    app = QuartTrio("direct")
    seen: dict[str, Any] = {"done": trio.Event()}

    @app.websocket("/ws")
    async def ws() -> None:
        await websocket.receive()
        sender = direct_send(websocket)
        seen["sender"] = sender
        assert sender is not None
        try:
            await script(sender)
        finally:
            seen["done"].set()
        await trio.sleep_forever()

    cfg = hypercorn.config.Config()
    cfg.bind = ["127.0.0.1:0"]
    cfg.accesslog = None
    cfg.errorlog = None
    async with trio.open_nursery() as nursery:
        binds = await nursery.start(hypercorn.trio.serve, app, cfg)
        yield int(binds[0].rsplit(":", 1)[1]), seen
        nursery.cancel_scope.cancel()


class Client:
    def __init__(self, stream: trio.SocketStream, deflate: bool) -> None:
        self.stream = stream
        self.ws = WSConnection(ConnectionType.CLIENT)
        self.deflate = deflate
        self.parts: list[str] = []

    async def open(self) -> None:
        extensions = [PerMessageDeflate()] if self.deflate else []
        await self.stream.send_all(self.ws.send(Request(host="127.0.0.1", target="/ws", extensions=extensions)))
        while True:
            event = await self.next_event()
            if isinstance(event, AcceptConnection):
                self.accepted = event
                return

    async def next_event(self) -> Any:
        while True:
            for event in self.ws.events():
                return event
            data = await self.stream.receive_some(65536)
            self.ws.receive_data(data or None)
            if not data:
                return CloseConnection(code=1006)

    async def send(self, text: str) -> None:
        await self.stream.send_all(self.ws.send(TextMessage(data=text)))

    async def message(self) -> str | None:
        while True:
            event = await self.next_event()
            if isinstance(event, Message):
                self.parts.append(str(event.data))
                if event.message_finished:
                    text, self.parts = "".join(self.parts), []
                    return text
            elif isinstance(event, CloseConnection):
                return None


@asynccontextmanager
async def client(port: int, *, deflate: bool = False) -> AsyncIterator[Client]:
    sock = trio.socket.socket()
    # A small receive buffer, so that the big messages below cannot fit in the kernel's buffers.
    sock.setsockopt(trio.socket.SOL_SOCKET, trio.socket.SO_RCVBUF, 64 * 1024)
    await sock.connect(("127.0.0.1", port))
    stream = trio.SocketStream(sock)
    async with stream:
        c = Client(stream, deflate)
        await c.open()
        yield c


@pytest.mark.parametrize("deflate", [False, True])
async def test_messages_arrive_whole_and_in_order_mixed_with_quarts_own(deflate: bool) -> None:
    texts = [f"message {n} " + "abc" * n for n in range(200)]

    async def script(send: DirectSend) -> None:
        for n, text in enumerate(texts):
            if n % 7 == 0:
                await websocket.send(text)  # Hypercorn's path on the same connection and compressor
            else:
                await send(text)

    async with server(script) as (port, seen), client(port, deflate=deflate) as c:
        assert bool(c.accepted.extensions) is deflate
        await c.send("go")
        got = [await c.message() for _ in texts]
        assert got == texts
        assert seen["sender"].sent == len([n for n in range(len(texts)) if n % 7])


async def test_a_message_larger_than_the_socket_buffer_is_finished_for_a_slow_reader() -> None:
    big = "".join(f"{n:08d}" for n in range(2_000_000))  # 16 MB

    async def script(send: DirectSend) -> None:
        await send(big)
        await send("after")

    async with server(script) as (port, seen), client(port) as c:
        await c.send("go")
        await trio.sleep(0.3)  # the server has written what fit and waits for the rest
        assert not seen["done"].is_set()
        assert await c.message() == big
        assert await c.message() == "after"
        with trio.fail_after(5):
            await seen["done"].wait()


async def test_cancelled_in_the_middle_of_a_frame_closes_the_socket() -> None:
    big = "x" * (32 << 20)
    result: dict[str, Any] = {}

    async def script(send: DirectSend) -> None:
        with trio.move_on_after(0.5) as scope:
            await send(big)  # the client never reads: the kernel buffers fill
        result["cancelled"] = scope.cancelled_caught
        result["broken"] = send.broken
        await send("never written")

    async with server(script) as (port, seen), client(port) as c:
        await c.send("go")
        with trio.fail_after(10):
            await seen["done"].wait()
        assert result == {"cancelled": True, "broken": True}
        # The client gets the cut-off frame and then the end of the stream, never a spliced frame.
        with trio.fail_after(10):
            rest = b""
            while chunk := await c.stream.receive_some(1 << 20):
                rest += chunk
        assert b"never written" not in rest


async def test_after_the_browser_leaves_sends_are_dropped_without_error() -> None:
    gone = trio.Event()
    result: dict[str, Any] = {}

    async def script(send: DirectSend) -> None:
        await send("hello")
        with trio.CancelScope(shield=True):  # Quart cancels the handler when the browser leaves
            await gone.wait()
            await trio.sleep(0.2)
            for _ in range(50):
                await send("to nobody " * 100)
            result["broken"] = send.broken

    async with server(script) as (port, seen):
        async with client(port) as c:
            await c.send("go")
            assert await c.message() == "hello"
            await c.stream.send_all(c.ws.send(CloseConnection(code=1000)))
        gone.set()
        with trio.fail_after(5):
            await seen["done"].wait()
        assert result == {"broken": True}
