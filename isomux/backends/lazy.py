"""A backend whose module is imported only when it is first used.

Listing a backend needs only its ``BackendInfo``; running a session needs its whole module
(claude-agent-sdk takes about a second to import). The import happens in a worker thread the
first time a session opens or a topic is asked for, so the office starts serving at once.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import trio

from isomux.backends.base import Backend, BackendInfo, BackendSession, Emit, SessionConfig

log = logging.getLogger("isomux.backends")


class LazyBackend:
    def __init__(self, load: Callable[[], Backend], info: Callable[[], BackendInfo]) -> None:
        self._load = load
        self._info = info
        self._backend: Backend | None = None
        self._lock = trio.Lock()

    async def backend(self) -> Backend:
        async with self._lock:
            if self._backend is None:
                self._backend = await trio.to_thread.run_sync(self._load)
        return self._backend

    async def preload(self) -> None:
        """Import the module now (in a worker thread), so the first session does not wait for it."""
        try:
            await self.backend()
        except Exception:  # the first session will report the same problem to a person
            log.exception("could not load the %s backend", self._info().label)

    @property
    def info(self) -> BackendInfo:
        return self._backend.info if self._backend is not None else self._info()

    @asynccontextmanager
    async def open(self, cfg: SessionConfig, emit: Emit) -> AsyncIterator[BackendSession]:
        backend = await self.backend()
        async with backend.open(cfg, emit) as session:
            yield session

    async def topic(self, text: str, cfg: SessionConfig) -> str:
        return await (await self.backend()).topic(text, cfg)
