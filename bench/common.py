"""What every benchmark shares: the owner's credential, a served office as a subprocess, process figures.

Every client the benchmarks write authenticates with :func:`auth_headers`, and only with it, so
changing how the owner signs in is a one-line change.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import psutil  # type: ignore[import-untyped]

from isomux.tokens import admin_token

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
MB = 1024 * 1024


def auth_headers(home: Path) -> dict[str, str]:
    """The owner's command-line credential for the office whose state is in ``home``."""
    return {"Authorization": f"Bearer {admin_token((home / 'secret').read_bytes())}"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ws_url(http_url: str) -> str:
    return http_url.replace("http://", "ws://", 1) + "/ws"


class Office:
    """``isomux serve`` as a subprocess: started, timed until it serves, measured, stopped."""

    def __init__(
        self,
        home: Path,
        *,
        demo_delay: float = 0.03,
        idle_timeout: float | None = None,
        env: dict[str, str] | None = None,
        log_dir: Path | None = None,
    ) -> None:
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = [sys.executable, "-m", "isomux", "serve", "--home", str(home), "--port", str(self.port)]
        self.args += ["--demo-delay", str(demo_delay), "--log-level", "WARNING"]
        if idle_timeout is not None:
            self.args += ["--idle-timeout", str(idle_timeout)]
        self.env = {**os.environ, **(env or {})}
        self.log = (log_dir or RESULTS) / f"office-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_s = 0.0  # seconds from the process start until it answered /api/health

    def start(self, timeout: float = 120) -> Office:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as out:
            began = time.perf_counter()
            self.proc = subprocess.Popen(
                self.args, stdout=out, stderr=subprocess.STDOUT, cwd=REPO, env=self.env, start_new_session=True
            )
        deadline = began + timeout
        with httpx.Client(timeout=1) as client:
            while time.perf_counter() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"the office exited with {self.proc.returncode}; see {self.log}")
                try:
                    if client.get(self.url + "/api/health", headers=self.headers()).status_code == 200:
                        self.started_s = time.perf_counter() - began
                        return self
                except (httpx.HTTPError, FileNotFoundError):
                    pass
                time.sleep(0.005)
        raise RuntimeError(f"the office did not answer within {timeout} s; see {self.log}")

    def headers(self) -> dict[str, str]:
        return auth_headers(self.home) if (self.home / "secret").exists() else {}

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def process(self) -> psutil.Process:
        return psutil.Process(self.pid)

    def rss(self) -> int:
        """Resident memory of the server process alone, in bytes."""
        return int(self.process().memory_info().rss)

    def tree_rss(self) -> tuple[int, int]:
        """Resident memory of the server and all its descendants, in bytes, and how many descendants."""
        root = self.process()
        total = int(root.memory_info().rss)
        children = root.children(recursive=True)
        for child in children:
            with contextlib.suppress(psutil.Error):
                total += int(child.memory_info().rss)
        return total, len(children)

    def rest(self, method: str, path: str, body: Any = None, *, expect: int | None = None) -> Any:
        response = httpx.request(method, self.url + path, json=body, headers=self.headers(), timeout=60)
        if expect is not None and response.status_code != expect:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:300]}")
        return response.json() if response.content else None

    def spawn(self, name: str, cwd: Path, backend: str = "demo", **extra: Any) -> str:
        body = {"name": name, "cwd": str(cwd), "backend": backend, **extra}
        return str(self.rest("POST", "/api/agents", body, expect=201)["id"])

    def stop(self, timeout: float = 30) -> int | None:
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return proc.returncode if proc else None
        proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            return proc.wait(10)

    def __enter__(self) -> Office:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def spawn_many(office: Office, count: int, cwd: Path, backend: str = "demo", **extra: Any) -> list[str]:
    """Spawn ``count`` agents, opening rooms as they fill (eight desks each)."""
    ids = []
    rooms = [r["id"] for r in office.rest("GET", "/api/rooms")]
    for n in range(count):
        if n // 8 >= len(rooms):
            rooms.append(office.rest("POST", "/api/rooms", {"name": f"Room {len(rooms) + 1}"}, expect=201)["id"])
        ids.append(office.spawn(f"Bench{n}", cwd, backend, roomId=rooms[n // 8], **extra))
    return ids


def wait_until(check: Any, timeout: float, poll: float = 0.1, what: str = "a condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(poll)
    raise RuntimeError(f"timed out after {timeout} s waiting for {what}")


def _own_cpu() -> float:
    me = psutil.Process()
    times = me.cpu_times()
    total = times.user + times.system + times.children_user + times.children_system
    for child in me.children(recursive=True):
        try:
            child_times = child.cpu_times()
            total += child_times.user + child_times.system
        except psutil.Error:
            pass
    return float(total)


class MachineLoad:
    """How much of the machine's CPU went to processes outside this benchmark while it measured.

    The benchmark cannot make other programs stop; it says when they competed with it.
    """

    def __init__(self) -> None:
        self.began = time.perf_counter()
        self.system = psutil.cpu_times()
        self.own = _own_cpu()

    @staticmethod
    def _busy(t: Any) -> float:
        return float(t.user + t.nice + t.system + t.irq + t.softirq + t.steal)

    def others_percent(self) -> float:
        busy = self._busy(psutil.cpu_times()) - self._busy(self.system)
        capacity = (time.perf_counter() - self.began) * (psutil.cpu_count() or 1)
        return max(0.0, (busy - (_own_cpu() - self.own)) / capacity * 100)
