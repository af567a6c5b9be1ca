"""What every actor of one office can reach: configuration, paths, and the handles of its peers.

Built once by the root before any actor starts (the mailboxes exist in advance), so
actors can hold each other's handles whatever their start order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from isomux.actors import Handle, Mailbox
from isomux.backends.base import Backend
from isomux.store.layout import Layout


@attrs.frozen(kw_only=True)
class Config:
    home: Path
    host: str = "127.0.0.1"
    port: int = 4000
    idle_timeout: float = 600.0  # seconds an idle agent keeps its backend process
    demo_delay: float = 0.03
    web_dir: Path | None = None  # the built browser app; None: find it next to the package
    shutdown_grace: float = 10.0
    claude_cli: str | None = None  # the Claude Code CLI to run; None: the one bundled with claude-agent-sdk
    codex_bin: str | None = None  # the codex binary; None: $ISOMUX_CODEX_BIN, the project-local one, or PATH
    secure_cookies: bool = False  # mark the sign-in cookie Secure (set when served through HTTPS)


@attrs.define
class Services:
    config: Config
    layout: Layout
    secret: bytes
    backends: dict[str, Backend]
    hub: Handle[Any]
    office: Handle[Any]
    tasks: Handle[Any]
    router: Handle[Any]
    agents: Handle[Any]
    people: Handle[Any]
    url: str = ""  # where the office is served, once it is listening

    @classmethod
    def create(cls, config: Config, secret: bytes, backends: dict[str, Backend]) -> Services:
        def handle(name: str, size: int) -> Handle[Any]:
            return Handle(name, Mailbox(size, name=name))

        return cls(
            config=config,
            layout=Layout(config.home),
            secret=secret,
            backends=backends,
            hub=handle("hub", 4096),
            office=handle("office", 256),
            tasks=handle("tasks", 256),
            router=handle("router", 1024),
            agents=handle("agents", 256),
            people=handle("people", 256),
        )

    def agent_url(self) -> str:
        return self.url or f"http://{self.config.host}:{self.config.port}"
