"""The trio shell around one `codex app-server` process.

`open_app_server` starts the process in a session of its own and runs three tasks beside the caller:
a reader (stdout → `RpcCore` → answers to waiting requests, or the `incoming` channel), a stderr drain
that keeps the last lines for error messages (an undrained pipe would stall the server), and an exit
watcher. Writes to stdin go through one lock, so messages never interleave.

Leaving the context always stops the process and everything it started, even on error or
cancellation: stdin is closed, then the process group gets SIGTERM, then SIGKILL, each step bounded
and shielded. When the process dies on its own, waiting requests fail and `incoming` ends, both
carrying the exit code and the last lines of stderr.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeAlias

import attrs
import trio

from isomux.backends.codex.rpc import (
    MAX_LINE,
    CodexRequestError,
    ErrorResponse,
    LineBuffer,
    Notification,
    Params,
    RequestId,
    Response,
    RpcCore,
    RpcProtocolError,
    ServerRequest,
    TailBuffer,
)
from isomux.errors import AskTimeout, BackendError, BackendProtocolError, BackendUnavailable

logger = logging.getLogger(__name__)

ServerMessage: TypeAlias = Notification | ServerRequest

READ_CHUNK = 256 * 1024
INCOMING_BUFFER = 1000
STOP_GRACE_S = 2.0
"""How long the server gets to exit after stdin closes, and again after SIGTERM."""
WRITE_TIMEOUT_S = 10.0
"""A server that reads nothing of a message for this long is considered hung."""
EOF_GRACE_S = 1.0
"""How long to wait for the last output once the process has exited (a grandchild may hold the pipes)."""
INITIALIZE_TIMEOUT_S = 30.0
TAIL_IN_ERRORS = 10


@attrs.define
class _Pending:
    done: trio.Event = attrs.Factory(trio.Event)
    outcome: Response | ErrorResponse | BackendError | None = None

    def finish(self, outcome: Response | ErrorResponse | BackendError) -> None:
        self.outcome = outcome
        self.done.set()


def _signal_group(pid: int, sig: signal.Signals) -> None:
    # The group outlives its leader while any member lives, and its id cannot be reused meanwhile,
    # so signalling it after the leader was reaped reaches exactly the stragglers.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


class AppServer:
    """A running `codex app-server`; obtain one from `open_app_server`.

    Notifications and server requests arrive on `incoming`, which must be read by a task of its own:
    it is bounded, and when it is full the reader waits, so answers to requests wait too.
    """

    def __init__(self, process: trio.Process, *, stderr_lines: int, max_line: int, incoming_buffer: int) -> None:
        assert process.stdin is not None
        self._process = process
        self._stdin = process.stdin
        self._core = RpcCore()
        self._lines = LineBuffer(max_line)
        self._stderr = TailBuffer(stderr_lines)
        self._write_lock = trio.Lock()
        self._pending: dict[RequestId, _Pending] = {}
        send, receive = trio.open_memory_channel[ServerMessage](incoming_buffer)
        self._incoming_send = send
        self.incoming: trio.MemoryReceiveChannel[ServerMessage] = receive
        self._failure: BackendError | None = None
        self._ended = trio.Event()
        self._exited = trio.Event()
        self._stdout_done = trio.Event()
        self._stderr_done = trio.Event()

    @property
    def pid(self) -> int:
        return self._process.pid

    @property
    def returncode(self) -> int | None:
        """The exit status once the process has exited (negative: killed by that signal)."""
        return self._process.returncode

    @property
    def failure(self) -> BackendError | None:
        """Why the connection ended, once it has."""
        return self._failure

    def stderr_tail(self) -> list[str]:
        """The last lines the server wrote to stderr, oldest first."""
        return self._stderr.lines()

    async def wait_ended(self) -> BackendError:
        """Wait until the connection ends (the process died or is being stopped) and return why."""
        await self._ended.wait()
        assert self._failure is not None
        return self._failure

    async def request(self, method: str, params: Params | None = None, *, timeout: float) -> dict[str, Any]:
        """Send a request and wait for its result.

        The deadline is a parameter, not the caller's cancel scope, so that a timeout can be told
        apart from cancellation and the unanswered id can be abandoned cleanly.

        Raises:
            CodexRequestError: the server answered with an error; the message is the server's.
            AskTimeout: no answer within `timeout` seconds. A late answer is then ignored.
            BackendError: the connection ended (the message says how, with the stderr tail).
        """
        self._raise_if_ended()
        request_id, data = self._core.request(method, params)
        slot = _Pending()
        self._pending[request_id] = slot
        try:
            with trio.move_on_after(timeout):
                await self._write(data)
                await slot.done.wait()
        finally:
            if self._pending.pop(request_id, None) is not None and slot.outcome is None:
                self._core.abandon(request_id)
        outcome = slot.outcome
        if outcome is None:
            raise AskTimeout(f"codex app-server did not answer {method} within {timeout:g} s")
        if isinstance(outcome, BackendError):
            raise outcome
        if isinstance(outcome, ErrorResponse):
            raise CodexRequestError(method, outcome.code, outcome.message, outcome.data)
        if not isinstance(outcome.result, dict):
            raise BackendProtocolError(
                f"codex app-server answered {method} with {type(outcome.result).__name__}, not an object"
            )
        return outcome.result

    async def notify(self, method: str, params: Params | None = None) -> None:
        """Send a notification."""
        await self._write(self._core.notify(method, params))

    async def respond(self, request_id: RequestId, result: Any) -> None:
        """Answer a `ServerRequest`."""
        await self._write(self._core.respond(request_id, result))

    async def respond_error(self, request_id: RequestId, code: int, message: str, data: Any = None) -> None:
        """Refuse a `ServerRequest` with a JSON-RPC error."""
        await self._write(self._core.respond_error(request_id, code, message, data))

    # Internals ---------------------------------------------------------------

    def _raise_if_ended(self) -> None:
        if self._failure is not None:
            self._raise_failure()

    def _raise_failure(self) -> NoReturn:
        assert self._failure is not None
        raise type(self._failure)(str(self._failure))

    def _end(self, failure: BackendError) -> None:
        if self._failure is not None:
            return
        self._failure = failure
        for slot in self._pending.values():
            slot.finish(type(failure)(str(failure)))
        self._pending.clear()
        self._incoming_send.close()
        self._ended.set()

    def _with_tail(self, text: str) -> str:
        tail = self._stderr.lines()[-TAIL_IN_ERRORS:]
        return f"{text}: " + "\n".join(tail) if tail else text

    async def _write(self, data: bytes) -> None:
        self._raise_if_ended()
        async with self._write_lock:
            self._raise_if_ended()
            broken = False
            # A write cut short by cancellation would leave half a line on the pipe and corrupt the
            # next message, so the write itself is shielded; the bound catches a server that hangs.
            with trio.move_on_after(WRITE_TIMEOUT_S, shield=True) as scope:
                try:
                    await self._stdin.send_all(data)
                except (trio.BrokenResourceError, trio.ClosedResourceError):
                    broken = True
        if scope.cancelled_caught:
            self._end(BackendError(f"codex app-server stopped reading its input for {WRITE_TIMEOUT_S:g} s"))
            _signal_group(self.pid, signal.SIGKILL)
        elif broken:
            # The exit watcher usually explains the broken pipe (exit code, stderr) a moment later.
            with trio.move_on_after(STOP_GRACE_S + EOF_GRACE_S):
                await self._ended.wait()
            self._end(BackendError(self._with_tail("codex app-server closed its input")))
        else:
            return
        self._raise_failure()

    async def _read_stdout(self) -> None:
        stdout = self._process.stdout
        assert stdout is not None
        try:
            while chunk := await stdout.receive_some(READ_CHUNK):
                self._lines.feed(chunk)
                while (line := self._lines.pop_line()) is not None:
                    if line.strip():
                        await self._dispatch(line)
        except RpcProtocolError as exc:
            # A frame we cannot delimit may have been anyone's answer; the connection is unusable.
            self._end(BackendProtocolError(f"{exc}; the connection was closed"))
            _signal_group(self.pid, signal.SIGTERM)
        except (trio.ClosedResourceError, trio.BrokenResourceError):
            pass
        finally:
            self._stdout_done.set()
        with trio.move_on_after(EOF_GRACE_S + STOP_GRACE_S):
            await self._exited.wait()
        if not self._exited.is_set():
            self._end(BackendError(self._with_tail("codex app-server closed its output but kept running")))

    async def _dispatch(self, line: str) -> None:
        try:
            message = self._core.receive(line)
        except RpcProtocolError as exc:
            logger.warning("ignored: %s", exc)
            return
        if isinstance(message, Response | ErrorResponse):
            slot = self._pending.pop(message.id, None)
            if slot is not None:
                slot.finish(message)
            return
        try:
            await self._incoming_send.send(message)
        except (trio.ClosedResourceError, trio.BrokenResourceError):
            logger.debug("dropped %s: nobody is listening any more", message.method)

    async def _drain_stderr(self) -> None:
        stderr = self._process.stderr
        assert stderr is not None
        try:
            while chunk := await stderr.receive_some(READ_CHUNK):
                self._stderr.feed(chunk)
        except (trio.ClosedResourceError, trio.BrokenResourceError):
            pass
        finally:
            self._stderr.finish()
            self._stderr_done.set()

    async def _watch_exit(self) -> None:
        code = await self._process.wait()
        self._exited.set()
        # Whatever the server started is orphaned now; stopping it also releases the pipes it holds.
        _signal_group(self.pid, signal.SIGKILL)
        with trio.move_on_after(EOF_GRACE_S):
            await self._stdout_done.wait()
            await self._stderr_done.wait()
        if code < 0:
            try:
                how = f"was killed by {signal.Signals(-code).name}"
            except ValueError:
                how = f"was killed by signal {-code}"
        else:
            how = f"exited with code {code}"
        self._end(BackendError(self._with_tail(f"codex app-server {how}")))

    async def _stop(self, grace: float) -> None:
        self._end(BackendError("codex app-server was shut down"))
        process = self._process
        await self._stdin.aclose()
        with trio.move_on_after(grace):
            await process.wait()
        if process.returncode is None:
            _signal_group(process.pid, signal.SIGTERM)
            with trio.move_on_after(grace):
                await process.wait()
        if process.returncode is None:
            _signal_group(process.pid, signal.SIGKILL)
            await process.wait()
        _signal_group(process.pid, signal.SIGKILL)
        # With every holder of the pipes gone, the last output arrives at once; stderr_tail() and the
        # exit message are then complete.
        with trio.move_on_after(EOF_GRACE_S):
            await self._stdout_done.wait()
            await self._stderr_done.wait()


async def _close_process(process: trio.Process) -> None:
    if process.returncode is None:
        _signal_group(process.pid, signal.SIGKILL)
        await process.wait()
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            await stream.aclose()


def _unwrap(group: BaseExceptionGroup[BaseException]) -> NoReturn:
    # The nursery wraps whatever the caller's block raised; give the caller its own exception back.
    if len(group.exceptions) != 1:
        raise group
    exc = group.exceptions[0]
    context = exc.__context__
    try:
        raise exc
    finally:
        exc.__context__ = context


@asynccontextmanager
async def open_app_server(
    argv: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: Path | None = None,
    stderr_lines: int = 200,
    max_line: int = MAX_LINE,
    incoming_buffer: int = INCOMING_BUFFER,
    stop_grace: float = STOP_GRACE_S,
) -> AsyncIterator[AppServer]:
    """Start `argv` (for example `[codex, "app-server"]`) and yield the connection to it.

    Args:
        argv: the command line.
        env: the child's complete environment (it is not merged with this process's).
        cwd: the child's working directory.
        stderr_lines: how many stderr lines to keep for error messages.
        max_line: the longest stdout line accepted; a longer one ends the connection.
        incoming_buffer: how many notifications may wait in `incoming` before reading pauses.
        stop_grace: how long the server gets to exit after stdin closes, and again after SIGTERM.

    Raises:
        BackendUnavailable: the program cannot be started.
    """
    if not argv:
        raise ValueError("argv must name a program")
    try:
        process = await trio.lowlevel.open_process(
            list(argv),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(env),
            cwd=cwd,
            start_new_session=True,
        )
    except OSError as exc:
        raise BackendUnavailable(f"cannot start {argv[0]}: {exc.strerror or exc}") from exc
    server = AppServer(process, stderr_lines=stderr_lines, max_line=max_line, incoming_buffer=incoming_buffer)
    try:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(server._read_stdout)
            nursery.start_soon(server._drain_stderr)
            nursery.start_soon(server._watch_exit)
            try:
                yield server
            finally:
                with trio.move_on_after(3 * stop_grace + 2 * EOF_GRACE_S, shield=True):
                    await server._stop(stop_grace)
                nursery.cancel_scope.cancel()
    except BaseExceptionGroup as group:
        _unwrap(group)
    finally:
        with trio.move_on_after(STOP_GRACE_S, shield=True):
            await _close_process(process)


async def initialize(
    server: AppServer,
    *,
    client_name: str,
    client_version: str,
    client_title: str | None = None,
    timeout: float = INITIALIZE_TIMEOUT_S,
) -> dict[str, Any]:
    """Perform the `initialize` / `initialized` handshake and return the server's answer."""
    result = await server.request(
        "initialize",
        {
            "clientInfo": {
                "name": client_name,
                "title": client_title or client_name,
                "version": client_version,
            },
            "capabilities": {"experimentalApi": True},
        },
        timeout=timeout,
    )
    await server.notify("initialized")
    return result
