"""A tiny HTTP/1.1 server for the mock model servers, on trio and h11.

It serves one handler per request, keeps connections alive between requests (the agent CLIs reuse
them), lets a handler stream a chunked response such as server-sent events, and notices when the
client goes away in the middle of a response: the handler is then cancelled and the responder's
``disconnected`` event is set, which is how interrupt tests observe the CLI hanging up.

It also holds what both mocks share: the record of received requests (:class:`MockServer`) and
server-sent-event framing.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import attrs
import h11
import trio

_READ_SIZE = 65536
_MAX_BODY = 64 * 1024 * 1024


@attrs.frozen
class Request:
    """One HTTP request as the server received it."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    payload: Any = attrs.field(init=False)
    """The body parsed as JSON, or None when it is empty or not JSON."""

    @payload.default
    def _parse_payload(self) -> Any:
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None


class Responder:
    """Sends the response to one request: either whole, or as a stream of chunks.

    ``complete`` turns true once the end of the response has been handed to the network, and
    ``disconnected`` is set if the client hangs up first or while it is being sent.
    """

    def __init__(self, stream: trio.SocketStream, conn: h11.Connection, disconnected: trio.Event) -> None:
        self._stream = stream
        self._conn = conn
        self.disconnected = disconnected
        self.complete = False

    async def send(self, status: int, body: bytes, *, content_type: str = "application/json") -> None:
        """Send a complete response with a Content-Length."""
        headers = [("content-type", content_type), ("content-length", str(len(body)))]
        head = self._conn.send(h11.Response(status_code=status, headers=headers))
        await self._write(head + self._conn.send(h11.Data(data=body)) + self._conn.send(h11.EndOfMessage()))
        self.complete = True

    async def send_json(self, status: int, value: object) -> None:
        """Send ``value`` as a JSON response."""
        await self.send(status, json.dumps(value).encode())

    async def start_stream(self, status: int = 200, *, content_type: str = "text/event-stream") -> None:
        """Start a chunked response; follow with :meth:`send_chunk` and :meth:`end_stream`."""
        headers = [("content-type", content_type), ("cache-control", "no-cache")]
        await self._write(self._conn.send(h11.Response(status_code=status, headers=headers)))

    async def send_chunk(self, data: bytes) -> None:
        """Send one chunk of a streamed response."""
        await self._write(self._conn.send(h11.Data(data=data)))

    async def end_stream(self, last: bytes = b"") -> None:
        """Send ``last`` and the end of a streamed response in one write.

        A client may hang up as soon as it has read the final event; sending both at once means that
        hang-up cannot be mistaken for an interrupted reply.
        """
        data = self._conn.send(h11.Data(data=last)) if last else b""
        await self._write(data + self._conn.send(h11.EndOfMessage()))
        self.complete = True

    async def _write(self, data: bytes) -> None:
        try:
            await self._stream.send_all(data)
        except (trio.BrokenResourceError, trio.ClosedResourceError):
            self.disconnected.set()
            raise


Handler = Callable[[Request, Responder], Awaitable[None]]


async def serve(
    handler: Handler,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    task_status: trio.TaskStatus[int] = trio.TASK_STATUS_IGNORED,
) -> None:
    """Serve ``handler`` until cancelled; ``task_status.started`` receives the bound port."""
    listeners = await trio.open_tcp_listeners(port, host=host)
    bound = listeners[0].socket.getsockname()[1]
    task_status.started(bound)

    async def connection(stream: trio.SocketStream) -> None:
        await _serve_connection(stream, handler)

    await trio.serve_listeners(connection, listeners)


async def _serve_connection(stream: trio.SocketStream, handler: Handler) -> None:
    conn = h11.Connection(h11.SERVER)
    while True:
        request = await _read_request(stream, conn)
        if request is None:
            return
        disconnected = trio.Event()
        responder = Responder(stream, conn, disconnected)
        try:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(_watch_for_disconnect, stream, conn, disconnected, nursery.cancel_scope)
                await handler(request, responder)
                nursery.cancel_scope.cancel()
        except* (trio.BrokenResourceError, trio.ClosedResourceError):
            # The client hung up while we were writing; there is nobody left to answer.
            disconnected.set()
        if disconnected.is_set() or conn.our_state is not h11.DONE or conn.their_state is not h11.DONE:
            return
        conn.start_next_cycle()


async def _read_request(stream: trio.SocketStream, conn: h11.Connection) -> Request | None:
    head: h11.Request | None = None
    body = bytearray()
    while True:
        try:
            event = conn.next_event()
        except h11.RemoteProtocolError:
            await _refuse_malformed(stream, conn)
            return None
        if event is h11.NEED_DATA:
            try:
                data = await stream.receive_some(_READ_SIZE)
            except (trio.BrokenResourceError, trio.ClosedResourceError):
                return None
            conn.receive_data(data)
        elif isinstance(event, h11.Request):
            head = event
        elif isinstance(event, h11.Data):
            body += event.data
            if len(body) > _MAX_BODY:
                return None
        elif isinstance(event, h11.EndOfMessage) and head is not None:
            return _to_request(head, bytes(body))
        else:
            # ConnectionClosed, or PAUSED after a response we could not finish.
            return None


def _to_request(head: h11.Request, body: bytes) -> Request:
    target = urlsplit(head.target.decode("latin-1"))
    headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in head.headers}
    return Request(
        method=head.method.decode("ascii"),
        path=target.path,
        query=target.query,
        headers=headers,
        body=body,
    )


async def _refuse_malformed(stream: trio.SocketStream, conn: h11.Connection) -> None:
    if conn.our_state is not h11.SEND_RESPONSE:
        return
    response = h11.Response(status_code=400, headers=[("content-length", "0"), ("connection", "close")])
    try:
        await stream.send_all(conn.send(response) + conn.send(h11.EndOfMessage()))
    except (trio.BrokenResourceError, trio.ClosedResourceError):
        return


async def _watch_for_disconnect(
    stream: trio.SocketStream, conn: h11.Connection, disconnected: trio.Event, scope: trio.CancelScope
) -> None:
    """Read while a response is being produced, so a hang-up is noticed at once."""
    while True:
        try:
            data = await stream.receive_some(_READ_SIZE)
        except (trio.BrokenResourceError, trio.ClosedResourceError):
            data = b""
        if not data:
            disconnected.set()
            scope.cancel()
            return
        # A pipelined next request: h11 keeps it until this cycle is over.
        conn.receive_data(data)


def sse_event(name: str, data: object) -> bytes:
    """Frame one server-sent event with an ``event:`` line and a JSON ``data:`` line."""
    return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()


@attrs.frozen(eq=False)
class MockServer:
    """A running mock model server and everything it has received so far.

    ``requests`` and ``disconnects`` grow while the server runs. ``disconnects`` holds the requests
    whose client hung up before the reply was complete (an interrupted turn).
    """

    url: str
    port: int
    requests: list[Request]
    disconnects: list[Request]
    _user_text: Callable[[Request], str | None] = attrs.field(alias="user_text")
    _changed: trio.lowlevel.ParkingLot = attrs.field(alias="changed")

    async def wait_until(self, condition: Callable[[], bool]) -> None:
        """Wait until ``condition()`` holds; it is checked whenever a request arrives or a client leaves."""
        while not condition():
            await self._changed.park()

    def model_requests(self) -> list[Request]:
        """The requests that asked the model for a reply, in order."""
        return [r for r in self.requests if self._user_text(r) is not None]

    def last_user_texts(self) -> list[str]:
        """For each model request, the last real user text it carried (reminders removed)."""
        texts = (self._user_text(r) for r in self.requests)
        return [text for text in texts if text is not None]


async def run_mock(
    handler: Handler,
    user_text: Callable[[Request], str | None],
    *,
    port: int = 0,
    task_status: trio.TaskStatus[MockServer] = trio.TASK_STATUS_IGNORED,
) -> None:
    """Serve a mock on 127.0.0.1 that records every request before ``handler`` answers it."""
    requests: list[Request] = []
    disconnects: list[Request] = []
    changed = trio.lowlevel.ParkingLot()

    async def recording(request: Request, responder: Responder) -> None:
        requests.append(request)
        changed.unpark_all()
        try:
            await handler(request, responder)
        finally:
            if responder.disconnected.is_set() and not responder.complete:
                disconnects.append(request)
                changed.unpark_all()

    async with trio.open_nursery() as nursery:
        bound = await nursery.start(functools.partial(serve, recording, port=port))
        server = MockServer(
            url=f"http://127.0.0.1:{bound}",
            port=bound,
            requests=requests,
            disconnects=disconnects,
            user_text=user_text,
            changed=changed,
        )
        task_status.started(server)
