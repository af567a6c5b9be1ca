"""The Codex backend under the contract suite: the real `codex app-server` installed in `.tools/codex`
against the in-repo mock of the OpenAI Responses API, with its own CODEX_HOME (no retries, nothing
reached beyond 127.0.0.1) and a temporary HOME.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path

import trio

from isomux.backends.base import Backend, BackendSession, ForkFrom, SessionConfig
from isomux.backends.codex.backend import INFO, CodexBackend, CodexSession
from isomux.domain.model import PermissionMode
from tests.contract.framework import closed_port, session_config
from tests.fakes import MockServer, codex_binary, make_codex_home, run_mock_openai
from tests.fakes.codex_home import API_KEY_ENV, REPO_ROOT


class CodexCase:
    name = "codex"
    expects = INFO.capabilities

    def __init__(self) -> None:
        self._root = Path()
        self._codex_homes = Path()
        self.binary = str(codex_binary())

    async def start(self, nursery: trio.Nursery, tmp_path: Path) -> None:
        self.mock: MockServer = await nursery.start(run_mock_openai)
        self._root = tmp_path
        (tmp_path / "isomux-home").mkdir(parents=True, exist_ok=True)
        # Codex will not set up its helper binaries under /tmp, so its homes live in the repository. So
        # does HOME: the safety policy lets agents wipe anything inside a temp dir, and a HOME there
        # would be fair game.
        parent = REPO_ROOT / "test-artifacts"
        parent.mkdir(exist_ok=True)
        self._codex_homes = Path(tempfile.mkdtemp(prefix="codex-contract-", dir=parent))
        self.home = self._codex_homes / "home"
        self.home.mkdir()
        make_codex_home(self._codex_homes / "mock", self.mock.url)
        nursery.start_soon(self._clean_up_at_the_end)

    async def _clean_up_at_the_end(self) -> None:
        try:
            await trio.sleep_forever()
        finally:
            shutil.rmtree(self._codex_homes, ignore_errors=True)

    def backend(self) -> Backend:
        return CodexBackend(self.binary)

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
        codex_home = self._codex_homes / "mock"
        if unreachable:
            codex_home = make_codex_home(self._codex_homes / "unreachable", f"http://127.0.0.1:{closed_port()}")
        env = {**os.environ, "HOME": str(self.home), "CODEX_HOME": str(codex_home), API_KEY_ENV: "dummy"}
        return session_config(
            self._root,
            cwd,
            model="gpt-5.5",
            env=env,
            permission_mode=permission_mode,
            resume=resume,
            fork=fork,
            prior_cost=prior_cost,
        )

    async def kill_process(self, session: BackendSession) -> None:
        assert isinstance(session, CodexSession)
        os.killpg(session.pid, signal.SIGKILL)


def make_case() -> CodexCase:
    return CodexCase()
