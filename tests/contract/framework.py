"""What the backend contract suite needs from each backend, and helpers shared by its scenarios.

A :class:`Case` wraps one backend with its mock model server and isolated configuration
directories. Scenarios only use the case, the :class:`Recorder` of emitted events and the
helpers here, so the same scenario runs against every backend; where a backend lacks a feature
the scenario is skipped by the case's declared capabilities, never by its name.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, TypeVar

import attrs
import pytest
import trio

from isomux.backends.base import (
    Backend,
    BackendEvent,
    BackendSession,
    Capabilities,
    ForkFrom,
    Notice,
    SessionConfig,
    SessionReady,
    TextDelta,
    TextDone,
    ToolFinished,
    ToolStarted,
    TurnDone,
    TurnInput,
)
from isomux.domain.model import Attachment, PermissionMode
from tests.fakes import MockServer


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (it was just bound and released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def session_config(
    root: Path,
    cwd: Path,
    *,
    model: str,
    env: dict[str, str],
    permission_mode: PermissionMode,
    resume: str | None,
    fork: ForkFrom | None,
    prior_cost: float,
) -> SessionConfig:
    """The session every case opens: one agent, prompt and effort; only the model and environment differ."""
    return SessionConfig(
        agent_id="a_contract",
        agent_name="Contract",
        cwd=cwd,
        model=model,
        effort="low",
        permission_mode=permission_mode,
        system_prompt="You work in the Isomux contract suite.",
        env=env,
        isomux_home=root / "isomux-home",
        resume=resume,
        fork=fork,
        prior_cost=prior_cost,
    )


TURN_TIMEOUT = 60.0
"""Generous: a real CLI answers a scripted turn in well under a second."""

E = TypeVar("E")


class Case(Protocol):
    """One backend under test, with everything around it."""

    name: str
    expects: Capabilities
    """What the backend must be able to do; scenarios for anything else are skipped."""
    mock: MockServer
    home: Path
    """The HOME the agent's tools see (a temporary directory)."""

    async def start(self, nursery: trio.Nursery, tmp_path: Path) -> None:
        """Start the mock model server and create the isolated directories under ``tmp_path``."""

    def backend(self) -> Backend: ...

    def config(
        self,
        cwd: Path,
        *,
        permission_mode: PermissionMode = "bypassPermissions",
        resume: str | None = None,
        fork: ForkFrom | None = None,
        prior_cost: float = 0.0,
        unreachable: bool = False,
    ) -> SessionConfig:
        """A session in ``cwd`` talking to the mock (or, with ``unreachable``, to a closed port)."""

    async def kill_process(self, session: BackendSession) -> None:
        """SIGKILL the CLI process behind an open session."""


class Recorder:
    """Keeps every event a session emits, and lets a scenario wait for one."""

    def __init__(self) -> None:
        self.events: list[BackendEvent] = []
        self._changed = trio.lowlevel.ParkingLot()

    async def emit(self, event: BackendEvent) -> None:
        self.events.append(event)
        self._changed.unpark_all()

    async def wait_for(
        self, predicate: Callable[[BackendEvent], bool], timeout: float = TURN_TIMEOUT, *, start: int = 0
    ) -> BackendEvent:
        """The first event from index ``start`` on that satisfies ``predicate``."""
        with trio.fail_after(timeout):
            while True:
                for event in self.events[start:]:
                    if predicate(event):
                        return event
                await self._changed.park()

    def of(self, kind: type[E]) -> list[E]:
        return [e for e in self.events if isinstance(e, kind)]


@attrs.frozen
class Turn:
    """The events of one turn, up to and including its :class:`TurnDone`."""

    events: tuple[BackendEvent, ...]

    @property
    def done(self) -> TurnDone:
        last = self.events[-1]
        assert isinstance(last, TurnDone)
        return last

    def of(self, kind: type[E]) -> list[E]:
        return [e for e in self.events if isinstance(e, kind)]

    @property
    def text(self) -> str:
        return "".join(e.text for e in self.of(TextDone))

    def notices_and_tool_output(self) -> str:
        return "\n".join([e.text for e in self.of(Notice)] + [e.output for e in self.of(ToolFinished)])


async def begin_turn(
    session: BackendSession,
    recorder: Recorder,
    text: str,
    *,
    attachments: Sequence[Attachment] = (),
    files_dir: Path | None = None,
) -> int:
    """Start a turn; return the index of its first event in the recorder."""
    start = len(recorder.events)
    await session.start_turn(TurnInput(text=text, attachments=tuple(attachments), files_dir=files_dir))
    return start


async def finish_turn(recorder: Recorder, start: int, timeout: float = TURN_TIMEOUT) -> Turn:
    done = await recorder.wait_for(lambda e: isinstance(e, TurnDone), timeout, start=start)
    end = recorder.events.index(done, start) + 1
    return Turn(tuple(recorder.events[start:end]))


async def run_turn(
    session: BackendSession,
    recorder: Recorder,
    text: str,
    *,
    attachments: Sequence[Attachment] = (),
    files_dir: Path | None = None,
) -> Turn:
    start = await begin_turn(session, recorder, text, attachments=attachments, files_dir=files_dir)
    return await finish_turn(recorder, start)


def session_id_of(recorder: Recorder) -> str:
    ready = recorder.of(SessionReady)
    assert ready, "the backend never said which session it opened"
    return ready[-1].backend_session_id


def tools_in(turn: Turn) -> list[tuple[ToolStarted, ToolFinished | None]]:
    finished = {e.tool_id: e for e in turn.of(ToolFinished)}
    return [(s, finished.get(s.tool_id)) for s in turn.of(ToolStarted)]


def deltas_of(turn: Turn, block: str) -> list[str]:
    return [e.text for e in turn.of(TextDelta) if e.block == block]


def require(case: Case, capability: str) -> None:
    """Skip the scenario unless the case's backend declares ``capability``."""
    if not getattr(case.expects, capability):
        pytest.skip(f"the {case.name} backend does not declare {capability}")


def cost_per_token(done: TurnDone) -> float:
    tokens = done.usage.input_tokens + done.usage.output_tokens
    assert tokens > 0
    return done.usage.cost_usd / tokens
