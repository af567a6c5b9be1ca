"""A ``CODEX_HOME`` that points the real codex at the mock Responses API, and where codex lives.

The config keeps codex entirely on 127.0.0.1: a custom model provider for the mock, no retries (so
errors surface at once instead of after minutes of backoff), no endless reconnecting when the mock
is gone, no plugin or apps sync (which would reach github.com and chatgpt.com), no analytics and no
update check.
"""

from __future__ import annotations

import json
import platform
from pathlib import Path

from isomux.errors import BackendUnavailable

REPO_ROOT = Path(__file__).resolve().parents[2]
CODEX_PACKAGE_DIR = REPO_ROOT / ".tools" / "codex" / "node_modules" / "@openai"
API_KEY_ENV = "MOCK_API_KEY"

# The npm package ships one native binary per platform, in a package of its own.
_PLATFORMS = {
    "x86_64": ("codex-linux-x64", "x86_64-unknown-linux-musl"),
    "aarch64": ("codex-linux-arm64", "aarch64-unknown-linux-musl"),
}


def make_codex_home(directory: Path, base_url: str, *, model: str = "gpt-5.5") -> Path:
    """Write ``config.toml`` into ``directory`` (created if needed) and return ``directory``.

    ``base_url`` is the mock's root URL, such as ``http://127.0.0.1:PORT``. ``model`` should be a slug
    in the catalog bundled with codex (``codex debug models``): an unknown name still works but
    makes codex warn on every turn and leaves out the ``apply_patch`` tool.

    Run codex with the environment ``CODEX_HOME=<directory>`` and ``MOCK_API_KEY=<anything>``: codex
    refuses to call a provider whose key variable is unset, and sends the value as a bearer token.
    Prefer a directory outside ``/tmp``: under it codex warns that it will not create its helper
    binaries.
    """
    directory.mkdir(parents=True, exist_ok=True)
    provider_url = base_url.rstrip("/") + "/v1"
    lines = [
        f"model = {_toml_string(model)}",
        'model_provider = "mock"',
        'approval_policy = "never"',
        'sandbox_mode = "danger-full-access"',
        "check_for_update_on_startup = false",
        "",
        "[model_providers.mock]",
        'name = "Mock"',
        f"base_url = {_toml_string(provider_url)}",
        f"env_key = {_toml_string(API_KEY_ENV)}",
        'wire_api = "responses"',
        "request_max_retries = 0",
        "stream_max_retries = 0",
        "stream_idle_timeout_ms = 20000",
        "",
        "[analytics]",
        "enabled = false",
        "",
        "[features]",
        "unbounded_connection_retries = false",
        "plugins = false",
        "remote_plugin = false",
        "apps = false",
        "",
    ]
    (directory / "config.toml").write_text("\n".join(lines), encoding="utf-8")
    return directory


def _toml_string(value: str) -> str:
    # A JSON string of printable text is also a valid TOML basic string.
    return json.dumps(value, ensure_ascii=False)


def codex_binary() -> Path:
    """The native codex binary installed under the repository's ``.tools/codex``.

    Raises:
        BackendUnavailable: codex is not installed there, or not for this machine.
    """
    machine = platform.machine()
    if machine not in _PLATFORMS:
        raise BackendUnavailable(f"codex is only set up for Linux on {', '.join(_PLATFORMS)}, not {machine}.")
    package, triple = _PLATFORMS[machine]
    binary = CODEX_PACKAGE_DIR / package / "vendor" / triple / "bin" / "codex"
    if not binary.is_file():
        raise BackendUnavailable(
            f"The codex binary is missing (looked for {binary}). "
            "Run `make tools` (or `make test`, which installs it) to install @openai/codex into .tools/codex."
        )
    return binary
