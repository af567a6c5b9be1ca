"""What the office knows about Claude Code before it runs it: where the CLI is and what it can do.

Kept free of claude-agent-sdk imports (they take about a second), so the office can list the
backend and start serving at once; the SDK is imported when the first Claude session opens.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

from isomux.backends.base import BackendInfo, Capabilities, ModelChoice

NOT_FOUND = (
    "The Claude Code CLI was not found. Reinstall Isomux's Python dependencies (the claude-agent-sdk wheel "
    "includes the CLI), or install Claude Code and put `claude` on the PATH."
)
CAPABILITIES = Capabilities(
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
MODELS = (
    ModelChoice(id="opus", label="Opus (newest)"),
    ModelChoice(id="sonnet", label="Sonnet (newest)"),
    ModelChoice(id="haiku", label="Haiku (newest)"),
    ModelChoice(id="claude-opus-4-7", label="Opus 4.7"),
    ModelChoice(id="claude-sonnet-4-6", label="Sonnet 4.6"),
    ModelChoice(id="claude-haiku-4-5", label="Haiku 4.5"),
)


def bundled_cli() -> Path:
    """The CLI inside the claude-agent-sdk wheel (found without importing the SDK)."""
    spec = importlib.util.find_spec("claude_agent_sdk")
    locations = list(spec.submodule_search_locations or []) if spec else []
    return Path(locations[0]) / "_bundled" / "claude" if locations else Path("/nonexistent")


def locate_cli(cli_path: str | None) -> Path | None:
    """The executable to run: ``cli_path`` (a path or a name on the PATH), else the bundled CLI,
    else ``claude`` on the PATH; None when there is none."""
    if cli_path:
        given = Path(cli_path)
        found = str(given) if given.is_file() else shutil.which(cli_path)
        return Path(found) if found and os.access(found, os.X_OK) else None
    if bundled_cli().is_file():
        return bundled_cli()
    on_path = shutil.which("claude")
    return Path(on_path) if on_path else None


def claude_info(cli_path: str | None) -> BackendInfo:
    missing = locate_cli(cli_path) is None
    problem = ""
    if missing:
        problem = f"{cli_path} is not an executable Claude Code CLI." if cli_path else NOT_FOUND
    return BackendInfo(
        kind="claude",
        label="Claude Code",
        available=not missing,
        problem=problem,
        capabilities=CAPABILITIES,
        models=MODELS,
        default_model="opus",
        efforts=("low", "medium", "high", "xhigh", "max"),
        permission_modes=("default", "acceptEdits", "bypassPermissions", "plan"),
    )
