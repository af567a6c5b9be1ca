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
from pathlib import Path
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
from isomux.backends.codex.approvals import METHOD_NOT_FOUND, Ask, Refuse, Reply, judge
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

INFO = BackendInfo(
    kind="codex",
    label="Codex",
    capabilities=Capabilities(
        streaming=True, interrupt=True, steer=True, resume=True, fork=True, fork_at_turn=True,
        permission_requests=True, hooks=True, images=True,
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


@asynccontextmanager
async def connect(binary: Path, env: Mapping[str, str], cwd: Path) -> AsyncIterator[AppServer]:
    """Start `codex app-server` and complete the handshake."""
    async with open_app_server([os.fspath(binary), "app-server"], env=env, cwd=cwd) as server:
        result = await initialize(server, client_name="isomux", client_version=__version__, client_title="Isomux")
        check_handshake(result)
        yield server


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


def turn_items(turn: TurnInput) -> list[dict[str, Any]]:
    """The `input` of a turn: the text, images as local files, and a note about other attachments."""
    images: list[dict[str, Any]] = []
    notes: list[str] = []
    for attachment in turn.attachments:
        path = turn.files_dir / attachment.file if turn.files_dir is not None else None
        if path is not None and attachment.media_type in _IMAGE_TYPES:
            images.append({"type": "localImage", "path": os.fspath(path)})
        elif path is not None:
            notes.append(f"- {attachment.name} ({attachment.media_type}, {attachment.size} bytes), saved at {path}")
        else:
            notes.append(f"- {attachment.name} ({attachment.media_type}, {attachment.size} bytes), not available")
    text = turn.text
    if notes:
        text += (
            "\n\n[Files attached to this message that cannot be shown to you directly; read them from their "
            "paths with your tools if you need them:]\n" + "\n".join(notes)
        )
    return [{"type": "text", "text": text, "text_elements": []}, *images]


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

    async def start_turn(self, turn: TurnInput) -> None:
        if self._events.running:
            raise Conflict("Codex is already working on a turn; wait for it to finish or interrupt it")
        params = {"threadId": self._thread_id, "input": turn_items(turn), "effort": self._cfg.effort}
        result = await self._server.request("turn/start", params, timeout=REQUEST_TIMEOUT_S)
        started = result.get("turn")
        if isinstance(started, Mapping) and isinstance(started.get("id"), str):
            self._events.begin_turn(started["id"])

    async def steer(self, turn: TurnInput) -> None:
        turn_id = self._events.active_turn
        if turn_id is None:
            raise Conflict("Codex is not working on a turn, so there is nothing to add this input to")
        params = {"threadId": self._thread_id, "expectedTurnId": turn_id, "input": turn_items(turn)}
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
            request.method, request.params, thread_id=self._thread_id, item=item, ctx=self._policy,
            mode=self._cfg.permission_mode,
        )
        try:
            if isinstance(judgement, Refuse):
                if judgement.notice is not None:
                    await self._emit(judgement.notice)
                await self._server.respond_error(request.id, judgement.code, judgement.message)
            elif isinstance(judgement, Reply):
                if judgement.why and isinstance(item_id, str):
                    self._events.note_declined(item_id, judgement.why)
                if judgement.notice is not None:
                    await self._emit(judgement.notice)
                if judgement.why:
                    await self._tell_agent(f"[Isomux] That request was declined: {judgement.why}")
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
        if ask.item_id is not None:
            self._events.note_declined(ask.item_id, why)
        if pending.message:
            await self._tell_agent(f"[Isomux] The person declined that request and said: {pending.message}")
        await self._server.respond(request.id, ask.deny(pending.message))

    async def _tell_agent(self, text: str) -> None:
        """Add a note to the running turn (a declined call otherwise reaches the model without a reason)."""
        turn_id = self._events.active_turn
        if turn_id is None:
            return
        params = {"threadId": self._thread_id, "expectedTurnId": turn_id,
                  "input": [{"type": "text", "text": text, "text_elements": []}]}
        # Only a courtesy: the decline itself goes out whether or not this works.
        with suppress(IsomuxError):
            await self._server.request("turn/steer", params, timeout=ANSWER_TIMEOUT_S)


class CodexBackend:
    """Sessions on `codex app-server`; `binary` overrides where codex is looked for (see `find_codex`)."""

    def __init__(self, binary: str | None = None) -> None:
        self._binary = binary
        self._problem = ""

    @property
    def info(self) -> BackendInfo:
        problem = self._problem
        if not problem:
            try:
                find_codex(self._binary, os.environ)
            except BackendUnavailable as exc:
                problem = str(exc)
        return attrs.evolve(INFO, available=not problem, problem=problem)

    async def probe(self) -> BackendInfo:
        """Check the installed codex's version too (it takes a process), and return the updated info."""
        try:
            check_version(await probe_version(find_codex(self._binary, os.environ)))
        except BackendUnavailable as exc:
            self._problem = str(exc)
        else:
            self._problem = ""
        return self.info

    @asynccontextmanager
    async def open(self, cfg: SessionConfig, emit: Emit) -> AsyncIterator[BackendSession]:
        binary = find_codex(self._binary, cfg.env)
        try:
            async with connect(binary, cfg.env, cfg.cwd) as server:
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
        binary = find_codex(self._binary, cfg.env)
        prompt = (
            f"{TOPIC_TAG}\nGive this conversation a topic of at most eight words. Reply with the topic only: no "
            f"quotes, no final full stop.\n\n{text[:4000]}\n</topic-request>"
        )
        with trio.fail_after(TOPIC_TIMEOUT_S):
            async with connect(binary, cfg.env, cfg.cwd) as server:
                params = thread_params(attrs.evolve(cfg, permission_mode="plan", system_prompt=""), ephemeral=True)
                thread_id = _thread_id(
                    await server.request("thread/start", params, timeout=REQUEST_TIMEOUT_S), "thread/start"
                )
                events = ThreadEvents(thread_id)
                items = [{"type": "text", "text": prompt, "text_elements": []}]
                await server.request("turn/start", {"threadId": thread_id, "input": items, "effort": cfg.effort},
                                     timeout=REQUEST_TIMEOUT_S)
                return await _read_topic(server, events, cfg)


async def _read_topic(server: AppServer, events: ThreadEvents, cfg: SessionConfig) -> str:
    reply = ""
    policy = PolicyContext.for_agent(cfg.cwd, cfg.isomux_home, cfg.env)
    async for message in server.incoming:
        if isinstance(message, ServerRequest):
            verdict = judge(message.method, message.params, thread_id=events.thread_id, item=None, ctx=policy,
                            mode="plan")
            if isinstance(verdict, Reply):
                await server.respond(message.id, verdict.result)
            else:
                await server.respond_error(message.id, METHOD_NOT_FOUND, "a topic request cannot use tools")
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
