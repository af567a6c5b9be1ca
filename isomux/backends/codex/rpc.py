"""The sans-IO core of the `codex app-server` connection: JSON Lines framing and JSON-RPC messages.

Nothing here performs I/O. `LineBuffer` turns the bytes read from the server's stdout into lines;
`RpcCore` turns outgoing calls into bytes to write and classifies each incoming line as a response to
one of our requests, an error response, a request from the server (an approval, for example) or a
notification. `TailBuffer` keeps the last lines of the server's stderr for error messages. The trio
shell in `process.py` moves bytes between these classes and the process.

The server speaks JSON-RPC 2.0 without the `"jsonrpc"` member, one JSON object per line.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import deque
from typing import Any, TypeAlias

import attrs

from isomux.errors import BackendError, BackendProtocolError

MAX_LINE = 16 * 1024 * 1024
"""The longest line accepted from the server, in bytes (newline excluded)."""

EXCERPT_CHARS = 300
"""How much of an offending line an error keeps."""

TAIL_LINE_BYTES = 2000
"""How much of one log line `TailBuffer` keeps."""

_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

RequestId: TypeAlias = int | str
Params: TypeAlias = dict[str, Any]


class RpcProtocolError(BackendProtocolError):
    """The server sent a line we cannot understand; `line` holds the start of it."""

    def __init__(self, reason: str, line: str) -> None:
        self.reason = reason
        self.line = _excerpt(line)
        super().__init__(f"codex app-server sent {reason}: {self.line!r}")


class CodexRequestError(BackendError):
    """The server answered one of our requests with a JSON-RPC error."""

    def __init__(self, method: str, rpc_code: int, rpc_message: str, data: Any = None) -> None:
        self.method = method
        self.rpc_code = rpc_code
        self.rpc_message = rpc_message
        self.data = data
        super().__init__(f"codex app-server refused {method}: {rpc_message} (code {rpc_code})")


def _excerpt(text: str) -> str:
    if len(text) <= EXCERPT_CHARS:
        return text
    return f"{text[:EXCERPT_CHARS]}… ({len(text)} characters in all)"


def _size(n: int) -> str:
    if n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MiB"
    if n % 1024 == 0:
        return f"{n // 1024} KiB"
    return f"{n} bytes"


class LineBuffer:
    """Reassembles lines from arbitrary chunks of bytes.

    Lines are decoded one at a time, once complete, so a UTF-8 character split across chunks is
    never broken. After an error the buffer stays usable: the offending line is dropped and the
    lines after it are still returned.
    """

    def __init__(self, max_line: int = MAX_LINE) -> None:
        if max_line < 1:
            raise ValueError("max_line must be positive")
        self.max_line = max_line
        self._buf = bytearray()
        # Bytes at the start of `_buf` already known to hold no newline, so a long line arriving in
        # many small chunks is scanned once rather than once per chunk.
        self._scanned = 0
        self._tail = 0
        self._skipping = False

    def feed(self, data: bytes | bytearray) -> None:
        """Add bytes read from the stream.

        Raises:
            RpcProtocolError: the unfinished line at the end now exceeds `max_line`. That line is
                dropped up to its newline; complete lines before it can still be popped.
        """
        if self._skipping:
            newline = data.find(b"\n")
            if newline < 0:
                return
            self._skipping = False
            data = data[newline + 1 :]
        self._buf += data
        newline = data.rfind(b"\n")
        self._tail = self._tail + len(data) if newline < 0 else len(data) - newline - 1
        if self._tail > self.max_line:
            head = bytes(self._buf[len(self._buf) - self._tail :][:EXCERPT_CHARS])
            del self._buf[len(self._buf) - self._tail :]
            self._scanned = min(self._scanned, len(self._buf))
            self._tail = 0
            self._skipping = True
            raise self._too_long(head)

    def pop_line(self) -> str | None:
        """Return the next complete line without its newline, or None when there is none yet.

        Raises:
            RpcProtocolError: the next line is longer than `max_line` or is not UTF-8. It is consumed,
                so calling again returns the line after it.
        """
        newline = self._buf.find(b"\n", self._scanned)
        if newline < 0:
            self._scanned = len(self._buf)
            return None
        raw = bytes(self._buf[:newline])
        del self._buf[: newline + 1]
        self._scanned = 0
        if len(raw) > self.max_line:
            raise self._too_long(raw[:EXCERPT_CHARS])
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RpcProtocolError(
                f"a line that is not valid UTF-8 ({exc.reason} at byte {exc.start})",
                raw.decode("utf-8", errors="replace"),
            ) from None

    def _too_long(self, head: bytes) -> RpcProtocolError:
        return RpcProtocolError(
            f"a line longer than the {_size(self.max_line)} limit", head.decode("utf-8", errors="replace")
        )


class TailBuffer:
    """Keeps the last lines of a log stream (the server's stderr) for error messages.

    Lines are cut at `TAIL_LINE_BYTES` and colour codes removed, so a flood cannot grow memory and
    the kept text reads cleanly in a message.
    """

    def __init__(self, lines: int) -> None:
        self._lines: deque[str] = deque(maxlen=lines)
        self._partial = bytearray()
        self._cut = False

    def feed(self, data: bytes | bytearray) -> None:
        *complete, rest = data.split(b"\n")
        for piece in complete:
            self._add(piece)
            self._commit()
        self._add(rest)

    def finish(self) -> None:
        """Keep the unfinished last line too (the stream has ended)."""
        if self._partial or self._cut:
            self._commit()

    def lines(self) -> list[str]:
        """The kept lines, oldest first."""
        return list(self._lines)

    def _add(self, piece: bytes | bytearray) -> None:
        room = TAIL_LINE_BYTES - len(self._partial)
        if len(piece) > room:
            self._cut = True
        if room > 0:
            self._partial += piece[:room]

    def _commit(self) -> None:
        text = _ANSI_ESCAPE.sub("", self._partial.decode("utf-8", errors="replace")).rstrip()
        if self._cut:
            text += " […]"
        self._partial.clear()
        self._cut = False
        if text:
            self._lines.append(text)


@attrs.frozen
class Response:
    """The result of one of our requests."""

    id: RequestId
    result: Any


@attrs.frozen
class ErrorResponse:
    """A JSON-RPC error answering one of our requests."""

    id: RequestId
    code: int
    message: str
    data: Any = None


@attrs.frozen
class ServerRequest:
    """A request from the server (an approval, for example) that the client must answer."""

    id: RequestId
    method: str
    params: Params


@attrs.frozen
class Notification:
    """A one-way message from the server."""

    method: str
    params: Params


Incoming: TypeAlias = Response | ErrorResponse | ServerRequest | Notification


def _encode(message: dict[str, Any]) -> bytes:
    # ASCII escapes keep any stray lone surrogate encodable; newlines inside strings are escaped by
    # JSON itself, so one message is always exactly one line.
    return json.dumps(message, separators=(",", ":"), allow_nan=False).encode("ascii") + b"\n"


class RpcCore:
    """Encodes our messages and correlates the server's responses with our requests."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self._pending: set[RequestId] = set()
        # Requests whose caller gave up (timeout, cancellation): a late answer is still recognised.
        self._abandoned: set[RequestId] = set()

    @property
    def pending(self) -> frozenset[RequestId]:
        """Ids of our requests still waiting for an answer."""
        return frozenset(self._pending)

    def request(self, method: str, params: Params | None = None) -> tuple[int, bytes]:
        """Encode a request and remember its id; returns the id and the line to write."""
        request_id = next(self._ids)
        message: dict[str, Any] = {"id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        data = _encode(message)
        self._pending.add(request_id)
        return request_id, data

    def abandon(self, request_id: RequestId) -> None:
        """Forget a request whose caller stopped waiting; its answer, if it comes, is not an error."""
        if request_id in self._pending:
            self._pending.discard(request_id)
            self._abandoned.add(request_id)

    def notify(self, method: str, params: Params | None = None) -> bytes:
        """Encode a notification."""
        message: dict[str, Any] = {"method": method}
        if params is not None:
            message["params"] = params
        return _encode(message)

    def respond(self, request_id: RequestId, result: Any) -> bytes:
        """Encode the answer to a server request."""
        return _encode({"id": request_id, "result": result})

    def respond_error(self, request_id: RequestId, code: int, message: str, data: Any = None) -> bytes:
        """Encode an error answer to a server request."""
        error: dict[str, Any] = {"code": code, "message": message}
        if data is not None:
            error["data"] = data
        return _encode({"id": request_id, "error": error})

    def receive(self, line: str) -> Incoming:
        """Classify one line from the server.

        Raises:
            RpcProtocolError: the line is not JSON, not an object, not a JSON-RPC message, or answers
                a request we never sent.
        """
        try:
            message = json.loads(line)
        except ValueError:
            raise RpcProtocolError("a line that is not JSON", line) from None
        if not isinstance(message, dict):
            raise RpcProtocolError("JSON that is not an object", line)
        method = message.get("method")
        if method is not None:
            return self._receive_call(message, method, line)
        if "id" not in message:
            raise RpcProtocolError("an object with neither an id nor a method", line)
        return self._receive_answer(message, line)

    def _receive_call(self, message: dict[str, Any], method: Any, line: str) -> Incoming:
        if not isinstance(method, str):
            raise RpcProtocolError("a method name that is not a string", line)
        params = message.get("params")
        if params is None:
            params = {}
        elif not isinstance(params, dict):
            raise RpcProtocolError(f"{method} with params that are not an object", line)
        if "id" in message:
            request_id = message["id"]
            if not _is_id(request_id):
                raise RpcProtocolError(f"a {method} request with an invalid id", line)
            return ServerRequest(request_id, method, params)
        return Notification(method, params)

    def _receive_answer(self, message: dict[str, Any], line: str) -> Incoming:
        request_id = message["id"]
        error = message.get("error")
        if request_id is None and isinstance(error, dict):
            raise RpcProtocolError(f"an error about no request in particular ({error.get('message')})", line)
        if not _is_id(request_id) or (request_id not in self._pending and request_id not in self._abandoned):
            raise RpcProtocolError(f"an answer to unknown request id {request_id!r}", line)
        if error is not None:
            if not isinstance(error, dict):
                raise RpcProtocolError("an error that is not an object", line)
            code = error.get("code")
            text = error.get("message")
            self._forget(request_id)
            return ErrorResponse(
                request_id,
                code if isinstance(code, int) and not isinstance(code, bool) else 0,
                text if isinstance(text, str) else json.dumps(error),
                error.get("data"),
            )
        if "result" not in message:
            raise RpcProtocolError("an answer with neither a result nor an error", line)
        self._forget(request_id)
        return Response(request_id, message["result"])

    def _forget(self, request_id: RequestId) -> None:
        self._pending.discard(request_id)
        self._abandoned.discard(request_id)


def _is_id(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))
