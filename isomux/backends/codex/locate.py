"""Finding the `codex` binary and checking that it is recent enough.

The npm package `@openai/codex` installs a Node launcher (`bin/codex.js`) plus the native binary in a
platform package. Isomux runs the native binary directly: on Node versions without `process.execve`
the launcher stays alive as an extra parent process for as long as the server runs.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import trio

from isomux.errors import BackendUnavailable

MIN_CODEX_VERSION = (0, 169, 0)
VERSION_TIMEOUT_S = 15.0

REPO_ROOT = Path(__file__).resolve().parents[3]
LOCAL_INSTALL = REPO_ROOT / ".tools" / "codex"
"""Where `make tools` installs `@openai/codex` (a folder holding `node_modules`)."""

INSTALL_HINT = (
    "Install it with `npm install -g @openai/codex`, or run `make tools` in the Isomux repository; "
    "to use a codex binary somewhere else, set ISOMUX_CODEX_BIN to its path."
)
UPGRADE_HINT = "Upgrade with `npm install -g @openai/codex@latest`, or run `make tools` in the Isomux repository."

# (sys.platform, machine) → (npm platform package suffix, Rust target triple), as the launcher maps them.
_TARGETS = {
    ("linux", "x86_64"): ("linux-x64", "x86_64-unknown-linux-musl"),
    ("linux", "aarch64"): ("linux-arm64", "aarch64-unknown-linux-musl"),
    ("linux", "arm64"): ("linux-arm64", "aarch64-unknown-linux-musl"),
    ("darwin", "x86_64"): ("darwin-x64", "x86_64-apple-darwin"),
    ("darwin", "arm64"): ("darwin-arm64", "aarch64-apple-darwin"),
}

_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)")


def native_target() -> tuple[str, str] | None:
    return _TARGETS.get((sys.platform, platform.machine().lower()))


def _native_in(openai_dir: Path) -> Path | None:
    """The native binary of the platform package inside a `node_modules/@openai` folder."""
    target = native_target()
    if target is None:
        return None
    package, triple = target
    candidate = openai_dir / f"codex-{package}" / "vendor" / triple / "bin" / "codex"
    return candidate if _is_executable(candidate) else None


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _prefer_native(binary: Path) -> Path:
    """Swap the npm launcher for the native binary it would start, when that can be found."""
    real = binary.resolve()
    if real.name != "codex.js" or real.parent.name != "bin":
        return binary
    package_root = real.parent.parent
    target = native_target()
    for found in (
        _native_in(package_root / "node_modules" / "@openai"),
        _native_in(package_root.parent),
        package_root / "vendor" / target[1] / "bin" / "codex" if target else None,
    ):
        if found is not None and _is_executable(found):
            return found
    return binary


def _explicit(value: str, source: str, env: Mapping[str, str]) -> Path:
    if os.sep not in value:
        found = shutil.which(value, path=env.get("PATH", os.defpath))
        if found is None:
            raise BackendUnavailable(f"{source} names {value!r}, which is not on PATH. {INSTALL_HINT}")
        return _prefer_native(Path(found))
    path = Path(value).expanduser()
    if not path.is_file():
        raise BackendUnavailable(f"{source} points at {path}, which does not exist. {INSTALL_HINT}")
    if not os.access(path, os.X_OK):
        raise BackendUnavailable(f"{source} points at {path}, which is not executable (chmod +x it).")
    return _prefer_native(path)


def find_codex(configured: str | None, env: Mapping[str, str]) -> Path:
    """Find the codex binary to run.

    Order: the configured path, then `ISOMUX_CODEX_BIN` from `env`, then the project-local install
    from `make tools`, then `codex` on `env`'s PATH. An npm launcher is replaced by its native binary.

    Raises:
        BackendUnavailable: nothing usable was found; the message says how to install codex.
    """
    if configured:
        return _explicit(configured, "The configured codex binary", env)
    from_env = env.get("ISOMUX_CODEX_BIN")
    if from_env:
        return _explicit(from_env, "ISOMUX_CODEX_BIN", env)
    local = _native_in(LOCAL_INSTALL / "node_modules" / "@openai")
    if local is not None:
        return local
    on_path = shutil.which("codex", path=env.get("PATH", os.defpath))
    if on_path is not None:
        return _prefer_native(Path(on_path))
    raise BackendUnavailable(f"The codex CLI was not found. {INSTALL_HINT}")


def format_version(version: tuple[int, int, int]) -> str:
    return ".".join(str(part) for part in version)


def parse_version(text: str) -> tuple[int, int, int]:
    """Read the version from `codex --version` output such as `codex-cli 0.169.0`.

    Raises:
        BackendUnavailable: the text holds no version number.
    """
    match = _VERSION.search(text)
    if match is None:
        raise BackendUnavailable(f"cannot read a version number from `codex --version`: {text.strip()!r}")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


async def probe_version(binary: Path) -> tuple[int, int, int]:
    """Run `codex --version` and return its version.

    Raises:
        BackendUnavailable: the binary cannot run, fails, hangs, or prints no version.
    """
    try:
        with trio.fail_after(VERSION_TIMEOUT_S):
            done = await trio.run_process(
                [os.fspath(binary), "--version"],
                stdin=subprocess.DEVNULL,
                capture_stdout=True,
                capture_stderr=True,
                check=False,
            )
    except trio.TooSlowError:
        raise BackendUnavailable(f"`{binary} --version` did not finish within {VERSION_TIMEOUT_S:g} s") from None
    except OSError as exc:
        raise BackendUnavailable(f"cannot run {binary}: {exc.strerror or exc}. {INSTALL_HINT}") from exc
    stdout = (done.stdout or b"").decode("utf-8", errors="replace")
    if done.returncode != 0:
        stderr = (done.stderr or b"").decode("utf-8", errors="replace").strip()
        raise BackendUnavailable(f"`{binary} --version` failed with code {done.returncode}: {stderr[-500:]}")
    return parse_version(stdout)


def check_version(version: tuple[int, int, int]) -> None:
    """Refuse a codex older than `MIN_CODEX_VERSION`.

    Raises:
        BackendUnavailable: the version is too old; the message says how to upgrade.
    """
    if version < MIN_CODEX_VERSION:
        needed = format_version(MIN_CODEX_VERSION)
        raise BackendUnavailable(f"codex {format_version(version)} is too old; Isomux needs ≥ {needed}. {UPGRADE_HINT}")
