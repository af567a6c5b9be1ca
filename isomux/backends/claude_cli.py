"""The Claude Code CLI as a program on this machine: where it is, the environment it runs with,
the files it keeps, how its exit reads to a person, and the one-off topic question.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
from collections.abc import Iterable, Mapping
from pathlib import Path

from claude_agent_sdk import ProcessError

from isomux.backends.claude_events import CostState, model_tokens
from isomux.domain.model import PermissionMode

log = logging.getLogger("isomux.backends.claude")

TOPIC_TAG = "<topic-request>"
TAIL_IN_ERRORS = 8


def child_env(env: Mapping[str, str], permission_mode: PermissionMode, euid: int) -> dict[str, str]:
    """The environment for a Claude Code process.

    Claude Code refuses ``bypassPermissions`` when run as root unless ``IS_SANDBOX=1`` says the
    machine is a sandbox. Isomux sets it in exactly that case: whoever runs the office as root
    and picks that mode for an agent has already chosen to let it act unattended, and the safety
    hooks still vet every tool call. Other modes, and other users, get the environment unchanged.
    """
    result = dict(env)
    if euid == 0 and permission_mode == "bypassPermissions":
        result["IS_SANDBOX"] = "1"
    # By default the CLI retries a failing API call for minutes (a 401 for about two) while the
    # agent looks busy; a few quick retries, then a clear error in the chat, serve people better.
    result.setdefault("CLAUDE_CODE_MAX_RETRIES", "3")
    return result


def project_dir(env: Mapping[str, str], cwd: Path) -> Path:
    """Where Claude Code keeps the transcripts of sessions run in ``cwd``."""
    name = "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in str(cwd))
    return config_dir(env) / "projects" / name


def find_transcript(env: Mapping[str, str], cwd: Path, session_id: str) -> bool:
    """Make sure Claude Code can resume ``session_id`` from ``cwd``; False when its transcript is gone.

    Claude Code looks for a session under the working directory it was started in. When an
    agent's working directory changed, the transcript is copied (never moved) to where the
    CLI will look for it.
    """
    wanted = project_dir(env, cwd) / f"{session_id}.jsonl"
    if wanted.exists():
        return True
    for found in (config_dir(env) / "projects").glob(f"*/{session_id}.jsonl"):
        wanted.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(found, wanted)
        return True
    return False


def config_dir(env: Mapping[str, str]) -> Path:
    """Where Claude Code keeps its settings and transcripts for a process with this environment."""
    if env.get("CLAUDE_CONFIG_DIR"):
        return Path(env["CLAUDE_CONFIG_DIR"])
    return Path(env.get("HOME") or os.path.expanduser("~")) / ".claude"


def saved_costs(lines: Iterable[str], session_id: str) -> list[CostState]:
    """The running totals Claude Code saved for ``session_id`` in these transcript lines, oldest first.

    A process saves one (a ``cost-state`` entry) when it exits; a process that was killed saved none.
    """
    found = []
    for line in lines:
        if '"cost-state"' not in line:
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if not isinstance(entry, dict) or entry.get("type") != "cost-state" or entry.get("sessionId") != session_id:
            continue
        total = entry.get("totalCostUSD")
        if isinstance(total, int | float) and total >= 0:
            found.append(CostState(float(total), model_tokens(entry.get("modelUsage"))))
    return found


def read_saved_costs(env: Mapping[str, str], session_id: str) -> list[CostState]:
    """:func:`saved_costs` from the transcript of ``session_id`` (reads files; blocks)."""
    for path in (config_dir(env) / "projects").glob(f"*/{session_id}.jsonl"):
        try:
            with path.open(encoding="utf-8", errors="replace") as lines:
                return saved_costs(lines, session_id)
        except OSError as exc:
            log.warning("cannot read the transcript %s: %s", path, exc)
    return []


def stopped_message(exc: BaseException | None, stderr: Iterable[str]) -> str:
    """Why the CLI is gone, for a person: how it ended and the last lines it wrote to stderr."""
    if isinstance(exc, ProcessError) and exc.exit_code is not None and exc.exit_code < 0:
        try:
            name = signal.Signals(-exc.exit_code).name
        except ValueError:
            name = f"signal {-exc.exit_code}"
        what = f"Claude Code was killed ({name})"
    elif isinstance(exc, ProcessError) and exc.exit_code is not None:
        what = f"Claude Code exited with code {exc.exit_code}"
    elif exc is not None:
        what = f"Claude Code stopped: {exc}"
    else:
        what = "Claude Code exited"
    tail = [line.strip() for line in list(stderr)[-TAIL_IN_ERRORS:] if line.strip()]
    return what + (". Its last output: " + " | ".join(tail) if tail else ".")


def topic_prompt(text: str) -> str:
    return (
        f"{TOPIC_TAG}\nGive a short topic, at most eight words, for the conversation below. Answer with "
        f"the topic alone: no quotes, no full stop, no preamble.\n\n<conversation>\n{text}\n</conversation>"
    )


def clean_topic(text: str) -> str:
    """The first line of a model's answer, without quotes, labels or a final full stop; at most 8 words."""
    line = next((raw.strip() for raw in text.splitlines() if raw.strip()), "")
    line = line.strip("*#`\"' ")
    if line.lower().startswith("topic:"):
        line = line[len("topic:") :].strip()
    return " ".join(line.strip("\"'“”").rstrip(".").split()[:8])
