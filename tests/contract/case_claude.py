"""The Claude Code backend under the contract suite: the real CLI bundled with claude-agent-sdk
against the in-repo mock of the Anthropic Messages API, with its own temporary HOME and
CLAUDE_CONFIG_DIR and no retries.
"""

from __future__ import annotations

import os
import secrets
import signal
from pathlib import Path

import trio

from isomux.backends.base import Backend, BackendSession, Capabilities, ForkFrom, SessionConfig
from isomux.backends.claude import ClaudeBackend
from isomux.domain.model import PermissionMode
from tests.contract.framework import closed_port, session_config
from tests.fakes import MockServer, run_mock_anthropic
from tests.fakes.claude_home import claude_env

MARK = "ISOMUX_CONTRACT_MARK"


def marked_children(mark: str) -> list[int]:
    """Processes started by this one whose environment carries ``mark``."""
    found = []
    needle = f"{MARK}={mark}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and needle in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


class ClaudeCase:
    name = "claude"
    expects = Capabilities(
        streaming=True,
        interrupt=True,
        steer=False,
        resume=True,
        fork=True,
        fork_at_turn=True,
        permission_requests=True,
        hooks=True,
        images=True,
        pdfs=True,
        skills=True,
        mcp=True,
        cost=True,
    )

    def __init__(self) -> None:
        self.mark = secrets.token_hex(8)
        self._root = Path()

    async def start(self, nursery: trio.Nursery, tmp_path: Path) -> None:
        self.mock: MockServer = await nursery.start(run_mock_anthropic)
        self._root = tmp_path
        self.home = tmp_path / "home"
        for folder in (self.home, tmp_path / "claude-config", tmp_path / "isomux-home"):
            folder.mkdir(parents=True, exist_ok=True)

    def backend(self) -> Backend:
        return ClaudeBackend()

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
        url = f"http://127.0.0.1:{closed_port()}" if unreachable else self.mock.url
        env = {
            **os.environ,
            "HOME": str(self.home),
            **claude_env(self._root / "claude-config", url),
            MARK: self.mark,
        }
        return session_config(
            self._root,
            cwd,
            model="claude-sonnet-4-6",
            env=env,
            permission_mode=permission_mode,
            resume=resume,
            fork=fork,
            prior_cost=prior_cost,
        )

    async def kill_process(self, session: BackendSession) -> None:
        pids = marked_children(self.mark)
        assert pids, "no Claude Code process of this case is running"
        for pid in pids:
            os.kill(pid, signal.SIGKILL)


def make_case() -> ClaudeCase:
    return ClaudeCase()
