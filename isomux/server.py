"""The root of the actor tree: builds the office's services and supervises its actors.

Start order (stop order is the reverse): hub, agents (a supervisor that gives up on a
crash-looping agent without touching the others), task board, router, office (which
starts an actor per agent), web. The root is one_for_all: the hub's projection is rebuilt
by the owners when they start, so if a core actor fails for good, everything restarts
together rather than drifting apart. SIGINT and SIGTERM ask for an orderly shutdown; a
second signal cancels at once.
"""

from __future__ import annotations

import gc
import logging
import signal
from collections.abc import Callable
from typing import Any

import trio

from isomux import __version__
from isomux.actors import ActorContext, ChildSpec, Restart, Strategy, Supervisor, request_stop, root_context
from isomux.backends.base import Backend
from isomux.backends.claude_info import claude_info
from isomux.backends.codex.backend import CodexBackend
from isomux.backends.demo import DemoBackend
from isomux.backends.lazy import LazyBackend
from isomux.domain.events import AgentStatus, StatusChanged
from isomux.domain.ids import now_ms
from isomux.http.web import run_web
from isomux.hub import Publish, run_hub
from isomux.office import run_office
from isomux.people import run_people
from isomux.router import run_router
from isomux.services import Config, Services
from isomux.store.atomic import cleanup_temp_files
from isomux.taskboard import run_taskboard
from isomux.tokens import load_or_create_secret

log = logging.getLogger("isomux")


def make_backends(config: Config) -> dict[str, Backend]:
    return {
        "claude": LazyBackend(lambda: _claude(config.claude_cli), lambda: claude_info(config.claude_cli)),
        "codex": CodexBackend(config.codex_bin),
        "demo": DemoBackend(delay=config.demo_delay),
    }


def _claude(cli: str | None) -> Backend:
    from isomux.backends.claude import ClaudeBackend

    return ClaudeBackend(cli)


async def probe_backends(backends: dict[str, Backend]) -> None:
    """Let each backend check what it needs (a CLI and its version) before people see the list."""
    for backend in backends.values():
        probe = getattr(backend, "probe", None)
        if probe is not None:
            with trio.move_on_after(10):
                await probe()


def _spec(name: str, handle: Any, run: Callable[..., Any], **kw: Any) -> ChildSpec:
    async def start(ctx: ActorContext[Any], *, task_status: trio.TaskStatus[None]) -> None:
        await run(ctx, task_status=task_status, **kw)

    return ChildSpec(name, start, inbox=handle.mailbox, shutdown=10.0)


def build_tree(
    services: Services, on_ready: Callable[[str, str | None], None] | None
) -> tuple[Supervisor, list[ChildSpec]]:
    def give_up(name: str, exc: BaseException | None) -> None:
        agent_id = name.removeprefix("agent:")
        status = AgentStatus(
            agent_id=agent_id,
            state="error",
            since=now_ms(),
            broken=f"this agent crashed repeatedly ({exc!r}); restart the office to try again",
        )
        try:
            services.hub.try_tell(Publish(StatusChanged(status=status)))
        except Exception:
            log.exception("could not report that %s was given up", name)

    agents = Supervisor("agents", intensity=3, period=30, escalate=False, on_give_up=give_up)

    async def run_agents(ctx: ActorContext[Any], *, task_status: trio.TaskStatus[None]) -> None:
        await agents.run(ctx, task_status=task_status)

    backends = tuple(b.info for b in services.backends.values())
    children = [
        _spec("hub", services.hub, run_hub, backends=backends, version=__version__),
        ChildSpec("agents", run_agents, inbox=services.agents.mailbox, shutdown=30.0),
        _spec("people", services.people, run_people, services=services),
        _spec("tasks", services.tasks, run_taskboard, services=services),
        _spec("router", services.router, run_router, services=services),
        _spec("office", services.office, run_office, services=services),
        ChildSpec("web", _web_runner(services, on_ready), restart=Restart.PERMANENT, shutdown=10.0),
    ]
    return Supervisor("root", strategy=Strategy.ONE_FOR_ALL, intensity=3, period=60), children


def _web_runner(services: Services, on_ready: Callable[[str, str | None], None] | None) -> Any:
    async def start(ctx: ActorContext[Any], *, task_status: trio.TaskStatus[None]) -> None:
        await run_web(ctx, services=services, on_ready=on_ready, task_status=task_status)

    return start


async def serve(
    config: Config,
    *,
    on_ready: Callable[[str, str | None], None] | None = None,
    stop: trio.Event | None = None,
    freeze_startup: bool = False,
    task_status: trio.TaskStatus[Services] = trio.TASK_STATUS_IGNORED,
) -> None:
    """Run one office until SIGINT/SIGTERM (or ``stop``); raises ``CorruptFile`` if its state is damaged.

    ``freeze_startup`` (for the office's own process, not for tests that run many offices in one)
    hides what start-up created from the garbage collector once the backends are loaded; see
    :func:`_preload`.
    """
    config.home.mkdir(parents=True, exist_ok=True)
    from isomux.store.layout import Layout

    layout = Layout(config.home)
    await trio.to_thread.run_sync(layout.ensure)
    await trio.to_thread.run_sync(cleanup_temp_files, config.home)
    secret = await trio.to_thread.run_sync(load_or_create_secret, layout.secret_file)
    backends = make_backends(config)
    await probe_backends(backends)
    services = Services.create(config, secret, backends)
    root, children = build_tree(services, on_ready)
    ctx = root_context("root")
    done = trio.Event()

    async def run_root(*, task_status: trio.TaskStatus[None]) -> None:
        try:
            await root.run(ctx, children, task_status=task_status)
        finally:
            done.set()

    async with trio.open_nursery() as nursery:
        nursery.start_soon(_watch_signals, ctx, nursery.cancel_scope)
        if stop is not None:
            nursery.start_soon(_stop_when, stop, ctx)
        await nursery.start(run_root)
        task_status.started(services)
        nursery.start_soon(_preload, backends, freeze_startup)
        await done.wait()
        nursery.cancel_scope.cancel()


async def _preload(backends: dict[str, Backend], freeze: bool) -> None:
    async with trio.open_nursery() as nursery:
        for backend in backends.values():
            if isinstance(backend, LazyBackend):
                nursery.start_soon(backend.preload)
    if freeze:
        # Almost every object in the process was made at start-up (modules, claude-agent-sdk, the
        # web app): about 140,000, against a few thousand made while serving. Each full pass of the
        # cyclic collector walked them all and held the event loop for ~0.1 s, several times a minute
        # under load, which set the office's p99 latency. Frozen objects are never walked again; the
        # price is that a cycle among them that later becomes garbage is not reclaimed.
        gc.freeze()


async def _stop_when(stop: trio.Event, ctx: ActorContext[Any]) -> None:
    await stop.wait()
    request_stop(ctx)


async def _watch_signals(ctx: ActorContext[Any], scope: trio.CancelScope) -> None:
    with trio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
        async for signum in signals:
            if ctx.stopping.is_set():
                log.warning("second %s: stopping at once", signal.Signals(signum).name)
                scope.cancel()
                return
            log.info("%s: shutting down (press Ctrl+C again to stop at once)", signal.Signals(signum).name)
            request_stop(ctx)
