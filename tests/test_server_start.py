"""Start-up of the office process: lazily loaded backends, then the garbage collector's freeze."""

from __future__ import annotations

import time

import pytest

from isomux import server
from isomux.backends.demo import DemoBackend
from isomux.backends.lazy import LazyBackend


def _slow_backend(order: list[str]) -> LazyBackend:
    def load() -> DemoBackend:
        time.sleep(0.05)  # an import that takes a while, in the worker thread
        order.append("loaded")
        return DemoBackend()

    return LazyBackend(load, lambda: DemoBackend().info)


@pytest.mark.parametrize("freeze", [True, False])
async def test_start_up_objects_are_frozen_only_after_every_backend_is_loaded(
    monkeypatch: pytest.MonkeyPatch, freeze: bool
) -> None:
    order: list[str] = []
    monkeypatch.setattr(server.gc, "freeze", lambda: order.append("freeze"))
    backends = {"one": _slow_backend(order), "two": _slow_backend(order), "demo": DemoBackend()}
    await server._preload(backends, freeze)  # type: ignore[arg-type]
    assert order == (["loaded", "loaded", "freeze"] if freeze else ["loaded", "loaded"])
