"""Writing a WebSocket connection's messages straight onto its socket.

Through Quart, one message goes ``websocket.send`` → the ASGI ``send`` → Hypercorn's WebSocket
stream (framing with wsproto) → its HTTP/1.1 protocol → its TCP server, which takes the
connection's send lock and calls ``send_all``. That is about 60 µs of Python and three trio
scheduler passes per message; when an event goes to fifty browsers at once, the last of them waits
for all of it. :class:`DirectSend` does the same work in one step for a Hypercorn HTTP/1.1
connection without TLS:

- it takes the same send lock, so Hypercorn's own frames (a close, a ping) never interleave
  with ours;
- it frames the message with the same wsproto connection, so a negotiated permessage-deflate and
  its compression context stay right;
- it writes the frame with one non-blocking ``write``; only what the kernel did not take is
  awaited, and that wait, unlike Hypercorn's, can be cancelled: a frame cut off by cancellation
  makes the connection unusable, so the socket is closed and the browser reconnects.

:func:`direct_send` recognises the objects it needs by type; for anything else (another server,
TLS, HTTP/2) it returns ``None`` and the caller keeps using ``websocket.send``.
"""

from __future__ import annotations

import functools
import os
from typing import Any

import trio
from hypercorn.protocol.h11 import H11Protocol
from hypercorn.protocol.ws_stream import ASGIWebsocketState, WSStream
from hypercorn.trio.tcp_server import TCPServer
from wsproto.events import TextMessage
from wsproto.utilities import LocalProtocolError


class DirectSend:
    def __init__(self, stream: WSStream, lock: trio.Lock, transport: trio.SocketStream) -> None:
        self._ws = stream
        self._lock = lock
        self._stream = transport
        self.broken = False  # the peer is gone or a frame was cut off: nothing more is written
        self.sent = 0  # messages written by this path (for tests and diagnostics)

    async def __call__(self, text: str) -> None:
        if self.broken:
            await trio.lowlevel.checkpoint()
            return
        if self._lock.locked():
            await self._lock.acquire()
        else:
            self._lock.acquire_nowait()
        try:
            rest = self._write_now(text)
            if rest:
                await self._finish(rest)
        finally:
            self._lock.release()

    def _write_now(self, text: str) -> bytes:
        """Frame ``text`` and write what the socket takes now; return the rest."""
        ws = self._ws
        if ws.closed or ws.state is not ASGIWebsocketState.CONNECTED:
            self.broken = True
            return b""
        try:
            data = ws.connection.send(TextMessage(data=text))
        except LocalProtocolError:  # a close was sent or received: as Hypercorn does, drop it
            self.broken = True
            return b""
        fd = self._stream.socket.fileno()
        if fd < 0:  # closed (checked on every write: a closed descriptor's number can be reused)
            self.broken = True
            return b""
        try:
            written = os.write(fd, data)
        except BlockingIOError:
            written = 0
        except OSError:  # reset or broken pipe: Hypercorn's reader sees it and ends the connection
            self.broken = True
            return b""
        self.sent += 1
        return data[written:]

    async def _finish(self, rest: bytes) -> None:
        try:
            await self._stream.send_all(rest)
        except (trio.BrokenResourceError, trio.ClosedResourceError):
            self.broken = True
        except BaseException:
            # Cancelled (or worse) in the middle of a frame: the byte stream cannot be resumed.
            self.broken = True
            self._stream.socket.close()
            raise


def direct_send(websocket: Any) -> DirectSend | None:
    """A :class:`DirectSend` for Quart's current ``websocket`` if it runs on Hypercorn's HTTP/1.1."""
    try:
        ws = websocket._get_current_object()
        send = ws._send
        if not isinstance(send, functools.partial) or not send.args:
            return None
        stream = getattr(send.args[0], "__self__", None)
        if not isinstance(stream, WSStream):
            return None
        protocol = getattr(stream.send, "__self__", None)
        if not isinstance(protocol, H11Protocol):
            return None
        tcp = getattr(protocol.send, "__self__", None)
        if not isinstance(tcp, TCPServer):
            return None
        transport: object = tcp.stream  # typed as a TLS stream; without TLS it is a SocketStream
        if not isinstance(transport, trio.SocketStream):
            return None
        return DirectSend(stream, tcp.send_lock, transport)
    except (AttributeError, RuntimeError):
        return None
