"""The environment that keeps the real Claude Code CLI on the mock Messages API.

Its own config directory, the mock's URL and a dummy key, no retries (errors surface at once), and
none of the CLI's own traffic: telemetry, error reports, update checks and other non-essential calls
would otherwise try to leave 127.0.0.1.
"""

from __future__ import annotations

from pathlib import Path


def claude_env(config_dir: Path, base_url: str) -> dict[str, str]:
    """Variables for a Claude Code process that talks only to the mock at ``base_url``.

    ``config_dir`` (``CLAUDE_CONFIG_DIR``: settings, transcripts) is created if needed.
    """
    config_dir.mkdir(parents=True, exist_ok=True)
    return {
        "CLAUDE_CONFIG_DIR": str(config_dir),
        "ANTHROPIC_BASE_URL": base_url,
        "ANTHROPIC_API_KEY": "dummy",
        "CLAUDE_CODE_MAX_RETRIES": "0",
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
        "DISABLE_TELEMETRY": "1",
        "DISABLE_AUTOUPDATER": "1",
        "DISABLE_ERROR_REPORTING": "1",
    }
