"""Where everything lives under ``ISOMUX_HOME`` (see ``design/storage.md``).

Ids that become path components are checked here, so no id from outside can name a
path outside its directory.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import attrs

from isomux.errors import InvalidInput

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def safe_id(value: str, what: str = "id") -> str:
    if not _SAFE_ID.match(value):
        raise InvalidInput(f"{what} {value[:80]!r} is not a valid id")
    return value


def default_home(env: dict[str, str] | None = None) -> Path:
    env = dict(os.environ) if env is None else env
    if env.get("ISOMUX_HOME"):
        return Path(env["ISOMUX_HOME"]).expanduser()
    return Path.home() / ".isomux"


@attrs.frozen
class Layout:
    home: Path

    @property
    def agents_json(self) -> Path:
        return self.home / "agents.json"

    @property
    def office_json(self) -> Path:
        return self.home / "office.json"

    @property
    def tasks_json(self) -> Path:
        return self.home / "tasks.json"

    @property
    def recent_cwds_json(self) -> Path:
        return self.home / "recent-cwds.json"

    @property
    def summary_json(self) -> Path:
        return self.home / "agents-summary.json"

    @property
    def secret_file(self) -> Path:
        return self.home / "secret"

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    @property
    def inbox_dir(self) -> Path:
        return self.home / "inbox"

    def agent_dir(self, agent_id: str) -> Path:
        return self.logs_dir / safe_id(agent_id, "agent id")

    def sessions_json(self, agent_id: str) -> Path:
        return self.agent_dir(agent_id) / "sessions.json"

    def session_log(self, agent_id: str, session_id: str) -> Path:
        return self.agent_dir(agent_id) / f"{safe_id(session_id, 'session id')}.jsonl"

    def files_dir(self, agent_id: str) -> Path:
        return self.agent_dir(agent_id) / "files"

    def inbox_file(self, agent_id: str) -> Path:
        return self.inbox_dir / f"{safe_id(agent_id, 'agent id')}.json"

    def ensure(self) -> None:
        for directory in (self.home, self.logs_dir, self.inbox_dir):
            directory.mkdir(parents=True, exist_ok=True)
        os.chmod(self.home, 0o700)
