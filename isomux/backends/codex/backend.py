"""The Codex backend: one `codex app-server` process per session, driving one thread.

`CodexBackend.open` starts the server in the agent's cwd with the agent's environment, checks its
version during the handshake, starts, resumes or forks the thread, and runs a reader task that
turns the thread's notifications into backend events (see `events.py`) and answers the server's
approval requests (see `approvals.py`). Threads always run with `approvalPolicy: "untrusted"` so
that every command and file change is put to the safety policy, whatever the permission mode.

When the server dies, the reader raises `BackendError` (with the end of its stderr), which ends
`open`'s context; a turn then in progress gets no `TurnDone` from here, the agent ends it.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager, suppress
from typing import Any, NoReturn

import attrs
import trio

from isomux import __version__
from isomux.backends.base import (
    BackendEvent,
    BackendInfo,
    BackendSession,
    Capabilities,
    Emit,
    ModelChoice,
    Notice,
    PermissionRequest,
    SessionConfig,
    SessionReady,
    TextDone,
    TurnDone,
    TurnInput,
)
from isomux.backends.codex.approvals import (
    LEGACY_COMMAND_APPROVAL,
    LEGACY_PATCH_APPROVAL,
    Ask,
    Refuse,
    Reply,
    decline,
    judge,
)
from isomux.backends.codex.events import ThreadEvents
from isomux.backends.codex.locate import check_version, find_codex, parse_version, probe_version
from isomux.backends.codex.process import AppServer, initialize, open_app_server
from isomux.backends.codex.rpc import CodexRequestError, ServerRequest
from isomux.domain.ids import new_id
from isomux.errors import BackendError, BackendUnavailable, Conflict, IsomuxError, NotFound
from isomux.safety import PolicyContext

REQUEST_TIMEOUT_S = 30.0
INTERRUPT_GRACE_S = 10.0
"""How long the server gets to report the end of an interrupted turn before the turn is ended here."""
ANSWER_TIMEOUT_S = 2.0
TOPIC_TIMEOUT_S = 60.0
TOPIC_TAG = "<topic-request>"
_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
_TEXT_TYPES = frozenset(
    {
        "application/json",
        "application/xml",
        "application/x-yaml",
        "application/yaml",
        "application/toml",
        "application/javascript",
        "application/x-sh",
    }
)
_LEGACY = frozenset({LEGACY_COMMAND_APPROVAL, LEGACY_PATCH_APPROVAL})
MAX_INLINE_BYTES = 200_000
"""Text attachments up to this size go into the prompt; larger ones are read from disk by the agent."""

INFO = BackendInfo(
    kind="codex",
    label="Codex",
    capabilities=Capabilities(
        streaming=True,
        interrupt=True,
        steer=True,
        resume=True,
        fork=True,
        fork_at_turn=True,
        permission_requests=True,
        hooks=True,
        images=True,
    ),
    models=(
        ModelChoice(id="gpt-5.5", label="GPT-5.5"),
        ModelChoice(id="gpt-5.6-terra", label="GPT-5.6 Terra"),
        ModelChoice(id="gpt-6-sol", label="GPT-6 Sol"),
    ),
    default_model="gpt-5.5",
    efforts=("low", "medium", "high", "xhigh"),
    permission_modes=("default", "acceptEdits", "bypassPermissions", "plan"),
)


def _unwrap(group: BaseExceptionGroup[BaseException]) -> NoReturn:
    """Raise the one exception inside nested groups, so callers see a plain `BackendError`."""
    leaves: list[BaseException] = []

    def walk(exc: BaseException) -> None:
        if isinstance(exc, BaseExceptionGroup):
            for inner in exc.exceptions:
                walk(inner)
        else:
            leaves.append(exc)

    walk(group)
    if len(leaves) == 1:
        raise leaves[0]
    raise group


def check_handshake(result: Mapping[str, Any]) -> None:
    """Refuse a server older than `MIN_CODEX_VERSION`; its version follows our client name in `userAgent`.

    Raises:
        BackendUnavailable: the server is too old.
    """
    agent = result.get("userAgent")
    _, _, rest = agent.partition("/") if isinstance(agent, str) else ("", "", "")
    if re.match(r"\d+\.\d+\.\d+", rest):
        check_version(parse_version(rest.split()[0]))


def thread_params(cfg: SessionConfig, *, ephemeral: bool = False) -> dict[str, Any]:
    """The settings every thread of an agent runs with."""
    params: dict[str, Any] = {
        "cwd": os.fspath(cfg.cwd),
        # Every command and file change then comes to us, so the safety policy sees it.
        "approvalPolicy": "untrusted",
        # A reviewer configured in the user's config.toml would answer instead of us.
        "approvalsReviewer": "user",
        "sandbox": "read-only" if cfg.permission_mode == "plan" else "danger-full-access",
    }
    if cfg.model:
        params["model"] = cfg.model
    if cfg.system_prompt:
        params["developerInstructions"] = cfg.system_prompt
    if ephemeral:
        params["ephemeral"] = True
    return params


async def _items(turn: TurnInput) -> list[dict[str, Any]]:
    """``turn_items``, in a worker thread only when there are attachments to read."""
    return await trio.to_thread.run_sync(turn_items, turn) if turn.attachments else turn_items(turn)


def turn_items(turn: TurnInput) -> list[dict[str, Any]]:
    """The `input` of a turn: the text with small text files inlined, images as local files, and a note
    about any other attachment (it reads files, so call it from a worker thread)."""
    images: list[dict[str, Any]] = []
    inlined: list[str] = []
    notes: list[str] = []
    for attachment in turn.attachments:
        path = turn.files_dir / attachment.file if turn.files_dir is not None else None
        described = f"{attachment.name} ({attachment.media_type}, {attachment.size} bytes)"
        if path is None or not path.is_file():
            notes.append(f"- {described}: the file is missing")
        elif attachment.media_type in _IMAGE_TYPES:
            images.append({"type": "localImage", "path": os.fspath(path)})
        elif _is_text(attachment.media_type) and attachment.size <= MAX_INLINE_BYTES:
            content = path.read_bytes()[:MAX_INLINE_BYTES].decode("utf-8", errors="replace")
            inlined.append(f'<attached-file name="{attachment.name}">\n{content}\n</attached-file>')
        else:
            notes.append(f"- {described}, saved at {path}")
    text = "\n\n".join([turn.text, *inlined])
    if notes:
        text += (
            "\n\n[Files attached to this message that cannot be shown to you directly; read them from their "
            "paths with your tools if you need them:]\n" + "\n".join(notes)
        )
    return [{"type": "text", "text": text, "text_elements": []}, *images]


def _is_text(media_type: str) -> bool:
    return media_type.startswith("text/") or media_type in _TEXT_TYPES


def _thread_id(result: Mapping[str, Any], method: str) -> str:
    thread = result.get("thread")
    thread_id = thread.get("id") if isinstance(thread, Mapping) else None
    if not isinstance(thread_id, str) or not thread_id:
        raise BackendError(f"codex app-server answered {method} without a thread id")
    return thread_id


async def open_thread(server: AppServer, cfg: SessionConfig) -> tuple[str, list[Notice]]:
    """Start, resume or fork the agent's thread; returns its id and anything a person should know."""
    params = thread_params(cfg)
    if cfg.fork is not None:
        fork = {"threadId": cfg.fork.backend_session_id, "excludeTurns": True, **params}
        if cfg.fork.after is not None:
            fork["lastTurnId"] = cfg.fork.after
        try:
            result = await server.request("thread/fork", fork, timeout=REQUEST_TIMEOUT_S)
        except CodexRequestError as exc:
            raise BackendError(f"Codex could not branch the conversation: {exc.rpc_message}") from exc
        return _thread_id(result, "thread/fork"), []
    if cfg.resume is not None:
        try:
            resumed = await server.request(
                "thread/resume", {"threadId": cfg.resume, "excludeTurns": True, **params}, timeout=REQUEST_TIMEOUT_S
            )
        except CodexRequestError as exc:
            # A thread that is gone (its history deleted, CODEX_HOME changed) must not leave the agent
            # unable to work; say plainly that the earlier context is lost.
            notice = Notice(
                f"Codex could not continue the earlier conversation ({exc.rpc_message}); this is a new Codex "
                "conversation, without the earlier context.",
                "warning",
            )
        else:
            return _thread_id(resumed, "thread/resume"), []
        result = await server.request("thread/start", params, timeout=REQUEST_TIMEOUT_S)
        return _thread_id(result, "thread/start"), [notice]
    result = await server.request("thread/start", params, timeout=REQUEST_TIMEOUT_S)
    return _thread_id(result, "thread/start"), []


@attrs.define(eq=False)
class _Pending:
    rpc_id: int | str
    ask: Ask
    done: trio.Event = attrs.Factory(trio.Event)
    allow: bool = False
    message: str = ""
    answered: bool = False  # by a person
    resolved: bool = False  # by the server itself (it no longer needs an answer)


class CodexSession:
    """One open thread on a running app-server; see `CodexBackend.open`."""

    def __init__(
        self, server: AppServer, cfg: SessionConfig, emit: Emit, nursery: trio.Nursery, thread_id: str
    ) -> None:
        self._server = server
        self._cfg = cfg
        self._emit = emit
        self._nursery = nursery
        self._thread_id = thread_id
        self._events = ThreadEvents(thread_id)
        self._policy = PolicyContext.for_agent(cfg.cwd, cfg.isomux_home, cfg.env)
        self._pending: dict[str, _Pending] = {}

    @property
    def backend_session_id(self) -> str | None:
        return self._thread_id

    @property
    def pid(self) -> int:
        """The app-server's process id (it leads a process group of its own)."""
        return self._server.pid

    async def start_turn(self, turn: TurnInput) -> None:
        if self._events.running:
            raise Conflict("Codex is already working on a turn; wait for it to finish or interrupt it")
        items = await _items(turn)
        params = {"threadId": self._thread_id, "input": items, "effort": self._cfg.effort}
        result = await self._server.request("turn/start", params, timeout=REQUEST_TIMEOUT_S)
        started = result.get("turn")
        if isinstance(started, Mapping) and isinstance(started.get("id"), str):
            self._events.begin_turn(started["id"])

    async def steer(self, turn: TurnInput) -> None:
        turn_id = self._events.active_turn
        if turn_id is None:
            raise Conflict("Codex is not working on a turn, so there is nothing to add this input to")
        items = await _items(turn)
        params = {"threadId": self._thread_id, "expectedTurnId": turn_id, "input": items}
        try:
            await self._server.request("turn/steer", params, timeout=REQUEST_TIMEOUT_S)
        except CodexRequestError as exc:
            raise Conflict(f"Codex could not take the input into the running turn: {exc.rpc_message}") from exc

    async def interrupt(self) -> None:
        turn_id = self._events.active_turn
        if turn_id is None:
            return
        try:
            await self._server.request(
                "turn/interrupt", {"threadId": self._thread_id, "turnId": turn_id}, timeout=REQUEST_TIMEOUT_S
            )
        except CodexRequestError:
            return  # the turn ended meanwhile; its TurnDone is on its way
        self._nursery.start_soon(self._end_if_stuck, turn_id)

    async def answer_permission(self, request_id: str, allow: bool, message: str) -> None:
        pending = self._pending.pop(request_id, None)
        if pending is None:
            raise NotFound(
                f"no permission request {request_id} is waiting (it was answered already, or its turn ended)"
            )
        pending.allow, pending.message, pending.answered = allow, message, True
        pending.done.set()

    # The reader --------------------------------------------------------------------------------

    async def read(self) -> None:
        """Handle everything the server sends until it dies; then raise why."""
        async for message in self._server.incoming:
            if isinstance(message, ServerRequest):
                self._nursery.start_soon(self._answer, message)
                continue
            if message.method == "serverRequest/resolved":
                self._resolved(message.params.get("requestId"))
            await self._emit_all(self._events.feed(message.method, message.params))
        failure = self._server.failure
        raise BackendError(str(failure) if failure is not None else "codex app-server stopped")

    async def _emit_all(self, events: list[BackendEvent]) -> None:
        for event in events:
            if isinstance(event, TurnDone):
                self._settle_all()
            await self._emit(event)

    async def _end_if_stuck(self, turn_id: str) -> None:
        await trio.sleep(INTERRUPT_GRACE_S)
        if self._events.active_turn == turn_id:
            await self._emit_all(self._events.abandon_turn("interrupted"))

    # Approvals ---------------------------------------------------------------------------------

    def _resolved(self, rpc_id: Any) -> None:
        for request_id, pending in list(self._pending.items()):
            if pending.rpc_id == rpc_id:
                del self._pending[request_id]
                pending.resolved = True
                pending.done.set()

    def _settle_all(self) -> None:
        """The turn ended: nobody can answer its requests any more (the agent treats them as denied)."""
        for pending in self._pending.values():
            pending.done.set()
        self._pending.clear()

    async def _answer(self, request: ServerRequest) -> None:
        item_id = request.params.get("itemId")
        item = self._events.item(item_id) if isinstance(item_id, str) else None
        judgement = judge(
            request.method,
            request.params,
            thread_id=self._thread_id,
            item=item,
            ctx=self._policy,
            mode=self._cfg.permission_mode,
        )
        try:
            if isinstance(judgement, Refuse):
                if judgement.notice is not None:
                    await self._emit(judgement.notice)
                await self._server.respond_error(request.id, judgement.code, judgement.message)
            elif isinstance(judgement, Reply):
                if judgement.notice is not None:
                    await self._emit(judgement.notice)
                if judgement.why:
                    note = f"Isomux declined that tool call: {judgement.why}"
                    await self._declined(item_id, judgement.why, note, legacy=request.method in _LEGACY)
                await self._server.respond(request.id, judgement.result)
            else:
                await self._ask_person(request, judgement)
        except BackendError:
            pass  # the server is gone; the reader reports that

    async def _ask_person(self, request: ServerRequest, ask: Ask) -> None:
        request_id = new_id("p")
        pending = _Pending(request.id, ask)
        self._pending[request_id] = pending
        try:
            await self._emit(PermissionRequest(request_id, ask.tool, dict(ask.input), ask.reason))
            await pending.done.wait()
        finally:
            self._pending.pop(request_id, None)
            if not pending.answered and not pending.resolved:
                # Closing, or the turn ended: never leave the server waiting.
                with trio.move_on_after(ANSWER_TIMEOUT_S, shield=True):
                    with suppress(BackendError):
                        await self._server.respond(request.id, ask.deny())
        if not pending.answered:
            return
        if pending.allow:
            await self._server.respond(request.id, ask.allow)
            return
        why = f"A person declined it: {pending.message}" if pending.message else "A person declined it."
        note = f"The person declined that tool call and said: {pending.message}" if pending.message else ""
        await self._declined(ask.item_id, why, note, legacy=ask.legacy)
        await self._server.respond(request.id, ask.deny(pending.message))

    async def _declined(self, item_id: Any, why: str, note: str, *, legacy: bool) -> None:
        """Keep why an item is being declined, for its result, and tell the model before the decline goes out
        (a legacy decline carries its reason itself)."""
        if isinstance(item_id, str):
            self._events.note_declined(item_id, why)
        if note and not legacy:
            await self._tell_agent(note)

    async def _tell_agent(self, text: str) -> None:
        """Add a developer note to the thread: a declined call otherwise reaches the model without a reason.

        Sent while the turn waits for the decline, it is queued and lands right after the call's result.
        """
        item = {"type": "message", "role": "developer", "content": [{"type": "input_text", "text": text}]}
        # Only a courtesy: the decline goes out whether or not this works.
        with suppress(IsomuxError):
            await self._server.request(
                "thread/inject_items", {"threadId": self._thread_id, "items": [item]}, timeout=ANSWER_TIMEOUT_S
            )


class CodexBackend:
    """Sessions on `codex app-server`; `binary` overrides where codex is looked for (see `find_codex`)."""

    def __init__(self, binary: str | None = None) -> None:
        self._binary = binary
        self._located = False
        self._version_problem = ""

    @property
    def info(self) -> BackendInfo:
        problem = self._version_problem
        if not problem and not self._located:
            try:
                find_codex(self._binary, os.environ)
            except BackendUnavailable as exc:
                problem = str(exc)
            else:
                self._located = True
        return attrs.evolve(INFO, available=not problem, problem=problem)

    async def probe(self) -> BackendInfo:
        """Check the installed codex's version too (that takes a process), and return the updated info."""
        try:
            check_version(await probe_version(find_codex(self._binary, os.environ)))
        except BackendUnavailable as exc:
            self._version_problem = str(exc)
        else:
            self._version_problem = ""
        return self.info

    @asynccontextmanager
    async def _connect(self, cfg: SessionConfig) -> AsyncIterator[AppServer]:
        """Start `codex app-server` in the agent's cwd and environment, and complete the handshake."""
        binary = find_codex(self._binary, cfg.env)
        async with open_app_server([os.fspath(binary), "app-server"], env=cfg.env, cwd=cfg.cwd) as server:
            result = await initialize(server, client_name="isomux", client_version=__version__, client_title="Isomux")
            try:
                check_handshake(result)
            except BackendUnavailable as exc:
                self._version_problem = str(exc)
                raise
            yield server

    @asynccontextmanager
    async def open(self, cfg: SessionConfig, emit: Emit) -> AsyncIterator[BackendSession]:
        try:
            async with self._connect(cfg) as server:
                thread_id, notices = await open_thread(server, cfg)
                async with trio.open_nursery() as nursery:
                    session = CodexSession(server, cfg, emit, nursery, thread_id)
                    nursery.start_soon(session.read)
                    for notice in notices:
                        await emit(notice)
                    await emit(SessionReady(thread_id))
                    yield session
                    nursery.cancel_scope.cancel()
        except BaseExceptionGroup as group:
            _unwrap(group)

    async def topic(self, text: str, cfg: SessionConfig) -> str:
        prompt = (
            f"{TOPIC_TAG}\nGive this conversation a topic of at most eight words. Reply with the topic only: no "
            f"quotes, no final full stop.\n\n{text[:4000]}\n</topic-request>"
        )
        with trio.fail_after(TOPIC_TIMEOUT_S):
            async with self._connect(cfg) as server:
                params = thread_params(attrs.evolve(cfg, permission_mode="plan", system_prompt=""), ephemeral=True)
                thread_id = _thread_id(
                    await server.request("thread/start", params, timeout=REQUEST_TIMEOUT_S), "thread/start"
                )
                items = [{"type": "text", "text": prompt, "text_elements": []}]
                await server.request(
                    "turn/start",
                    {"threadId": thread_id, "input": items, "effort": cfg.effort},
                    timeout=REQUEST_TIMEOUT_S,
                )
                return await _read_topic(server, ThreadEvents(thread_id))


async def _read_topic(server: AppServer, events: ThreadEvents) -> str:
    reply = ""
    async for message in server.incoming:
        if isinstance(message, ServerRequest):
            answer = decline(message.method, "A topic is written without tools.")
            if isinstance(answer, Reply):
                await server.respond(message.id, answer.result)
            else:
                await server.respond_error(message.id, answer.code, answer.message)
            continue
        for event in events.feed(message.method, message.params):
            if isinstance(event, TextDone):
                reply = event.text
            elif isinstance(event, TurnDone):
                if event.status != "completed":
                    raise BackendError(event.error or "Codex could not write a topic")
                return clean_topic(reply)
    failure = server.failure
    raise BackendError(str(failure) if failure is not None else "codex app-server stopped")


def clean_topic(reply: str) -> str:
    """The first line of a reply, without quotes or a final full stop, cut to eight words."""
    line = next((line.strip() for line in reply.splitlines() if line.strip()), "")
    line = line.strip("\"'`*# ").rstrip(".!")
    return " ".join(line.split()[:8])
