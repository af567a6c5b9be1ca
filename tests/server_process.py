"""Running ``isomux serve`` as a real subprocess, for tests that kill, signal and restart it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    def __init__(
        self,
        home: Path,
        port: int | None = None,
        *,
        demo_delay: float = 0.01,
        extra: list[str] | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.home = home
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = [
            sys.executable,
            "-m",
            "isomux",
            "serve",
            "--home",
            str(home),
            "--port",
            str(self.port),
            "--demo-delay",
            str(demo_delay),
            *(extra or []),
        ]
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen[str] | None = None
        self.log = home.parent / f"server-{self.port}.log"

    def start(self, *, wait: bool = True) -> ServerProcess:
        out = open(self.log, "a", encoding="utf-8")  # noqa: SIM115 - kept open for the process's lifetime
        self.proc = subprocess.Popen(
            self.args, stdout=out, stderr=subprocess.STDOUT, text=True, env=self.env, start_new_session=True
        )
        out.close()
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise AssertionError(f"the server exited with {self.proc.returncode}:\n{self.output()}")
            try:
                if httpx.get(self.url + "/api/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"the server did not answer within {timeout} s:\n{self.output()}")

    def owner(self) -> dict[str, str]:
        """The owner's command-line credential (derived from the office's secret, as `isomux invite` does)."""
        from bench.common import auth_headers

        return auth_headers(self.home)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8") if self.log.exists() else ""

    def kill9(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def terminate(self, timeout: float = 30) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.terminate(20)
            except subprocess.TimeoutExpired:
                self.kill9()

    def rest(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        expect: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        response = httpx.request(method, self.url + path, json=body, headers=headers or self.owner(), timeout=30)
        if expect is not None:
            assert response.status_code == expect, (response.status_code, response.text)
        return response.json() if response.content else None

    def wait_for(self, check: Any, timeout: float = 30, poll: float = 0.05) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = check()
            if result:
                return result
            time.sleep(poll)
        raise AssertionError(f"condition not met within {timeout} s")

    def status(self, agent_id: str) -> dict[str, Any]:
        return next(a["status"] for a in self.rest("GET", "/api/agents") if a["id"] == agent_id)

    def log_entries(self, agent_id: str, limit: int = 500) -> list[dict[str, Any]]:
        return self.rest("GET", f"/api/agents/{agent_id}/log?limit={limit}")["entries"]  # type: ignore[no-any-return]
