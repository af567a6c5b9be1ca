"""What to answer when `codex app-server` asks for approval (pure, no I/O).

Every command and file change the agent wants comes here first, in every permission mode, because
threads run with `approvalPolicy: "untrusted"`. The shared safety policy judges it; a call the
policy blocks is declined with the policy's reason. Otherwise the permission mode decides:
`bypassPermissions` accepts, `acceptEdits` accepts file changes and asks about commands, `plan`
accepts commands (plan threads run in codex's read-only sandbox, so they can look but not touch)
and declines file changes, and `default` asks a person.

Both the current requests (`item/commandExecution/requestApproval`, `item/fileChange/requestApproval`)
and the legacy ones (`execCommandApproval`, `applyPatchApproval`) are understood. Any other request
gets a JSON-RPC error, so the server never waits for an answer that cannot come.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs

from isomux.backends.base import Notice
from isomux.backends.codex.events import PATCH_TOOL, SHELL_TOOL, shown_command
from isomux.domain.model import PermissionMode
from isomux.safety import PolicyContext, check_command, check_write_path

COMMAND_APPROVAL = "item/commandExecution/requestApproval"
FILE_CHANGE_APPROVAL = "item/fileChange/requestApproval"
LEGACY_COMMAND_APPROVAL = "execCommandApproval"
LEGACY_PATCH_APPROVAL = "applyPatchApproval"
APPROVAL_METHODS = frozenset({COMMAND_APPROVAL, FILE_CHANGE_APPROVAL, LEGACY_COMMAND_APPROVAL, LEGACY_PATCH_APPROVAL})

METHOD_NOT_FOUND = -32601


@attrs.frozen
class Reply:
    """Answer at once with `result`; `notice` tells the person what happened and `why` is kept for the log."""

    result: dict[str, Any]
    notice: Notice | None = None
    why: str = ""  # for a decline: the reason, also given to the agent


@attrs.frozen
class Ask:
    """Ask a person; answer with `allow` or `deny(message)`."""

    tool: str
    input: dict[str, Any]
    reason: str
    allow: dict[str, Any]
    legacy: bool
    item_id: str | None

    def deny(self, message: str = "") -> dict[str, Any]:
        return _decline(self.legacy, message or "A person declined this request.")


@attrs.frozen
class Refuse:
    """Answer with a JSON-RPC error."""

    code: int
    message: str
    notice: Notice | None = None


Judgement = Reply | Ask | Refuse


@attrs.frozen
class _Request:
    kind: Literal["command", "patch"]
    legacy: bool
    thread_id: str | None
    item_id: str | None
    command: str | tuple[str, ...] | None
    cwd: str | None
    paths: tuple[str, ...]
    grant_root: str | None
    reason: str
    tool_input: dict[str, Any]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _accept(legacy: bool) -> dict[str, Any]:
    return {"decision": "approved" if legacy else "accept"}


def _decline(legacy: bool, why: str) -> dict[str, Any]:
    # The current protocol has no room for a reason; the legacy one passes it to the model.
    return {"decision": {"denied": {"rejection": why}}} if legacy else {"decision": "decline"}


def _changes(changes: Any) -> list[dict[str, Any]]:
    """A file change item's changes, as shown to a person."""
    shown = []
    for change in changes if isinstance(changes, Sequence) else []:
        if not isinstance(change, Mapping):
            continue
        kind = change.get("kind")
        shown.append(
            {
                "path": _text(change.get("path")) or "",
                "kind": _text(kind.get("type")) if isinstance(kind, Mapping) else "",
                "move_to": _text(kind.get("move_path")) if isinstance(kind, Mapping) else None,
                "diff": _text(change.get("diff")) or "",
            }
        )
    return shown


def _parse(method: str, params: Mapping[str, Any], item: Mapping[str, Any] | None) -> _Request | None:
    reason = _text(params.get("reason")) or ""
    if method == COMMAND_APPROVAL:
        command = _text(params.get("command")) or (_text(item.get("command")) if item else None)
        if params.get("kind") not in (None, "command", "humanCommand"):
            command = None  # input for a terminal already running: nothing the policy can read
        cwd = _text(params.get("cwd"))
        shown = {"command": shown_command(command) if command else "", "cwd": cwd or ""}
        return _Request(
            "command",
            False,
            _text(params.get("threadId")),
            _text(params.get("itemId")),
            command,
            cwd,
            (),
            None,
            reason,
            shown,
        )
    if method == LEGACY_COMMAND_APPROVAL:
        argv = params.get("command")
        words = tuple(str(a) for a in argv) if isinstance(argv, Sequence) and not isinstance(argv, str) else None
        cwd = _text(params.get("cwd"))
        shown = {"command": shown_command(" ".join(words)) if words else "", "cwd": cwd or ""}
        return _Request(
            "command",
            True,
            _text(params.get("conversationId")),
            _text(params.get("callId")),
            words or None,
            cwd,
            (),
            None,
            reason,
            shown,
        )
    if method == FILE_CHANGE_APPROVAL:
        changes = _changes(item.get("changes")) if item else []
        paths = tuple(p for c in changes for p in (c["path"], c["move_to"]) if p)
        return _Request(
            "patch",
            False,
            _text(params.get("threadId")),
            _text(params.get("itemId")),
            None,
            None,
            paths,
            _text(params.get("grantRoot")),
            reason,
            {"changes": changes},
        )
    if method == LEGACY_PATCH_APPROVAL:
        files = params.get("fileChanges")
        files = files if isinstance(files, Mapping) else {}
        paths = tuple(str(p) for p in files)
        moves = tuple(
            str(c["move_path"]) for c in files.values() if isinstance(c, Mapping) and _text(c.get("move_path"))
        )
        listed: dict[str, Any] = {
            "changes": [
                {"path": p, "kind": _text(c.get("type")) if isinstance(c, Mapping) else ""} for p, c in files.items()
            ]
        }
        return _Request(
            "patch",
            True,
            _text(params.get("conversationId")),
            _text(params.get("callId")),
            None,
            None,
            paths + moves,
            _text(params.get("grantRoot")),
            reason,
            listed,
        )
    return None


def _policy_block(request: _Request, ctx: PolicyContext) -> str | None:
    """The safety policy's reason to block the request, or None when it allows it."""
    if request.cwd:
        cwd = Path(request.cwd)
        ctx = attrs.evolve(ctx, cwd=cwd if cwd.is_absolute() else ctx.cwd / cwd)
    if request.kind == "command":
        if request.command is None:
            return None
        verdict = check_command(request.command, ctx)
        return None if verdict.allowed else verdict.reason
    for path in (*request.paths, *((request.grant_root,) if request.grant_root else ())):
        verdict = check_write_path(path, ctx)
        if not verdict.allowed:
            return verdict.reason
    return None


def judge(
    method: str,
    params: Mapping[str, Any],
    *,
    thread_id: str,
    item: Mapping[str, Any] | None,
    ctx: PolicyContext,
    mode: PermissionMode,
) -> Judgement:
    """Decide how to answer one server request.

    Args:
        method: the request's method.
        params: its params.
        thread_id: the session's thread; a request about another thread is declined.
        item: the item the request is about, as last reported (a file change request names only
            the item; its paths are in the item).
        ctx: the safety policy's view of the agent.
        mode: the agent's permission mode.
    """
    request = _parse(method, params, item)
    if request is None:
        return Refuse(
            METHOD_NOT_FOUND,
            f"Isomux cannot answer {method}",
            Notice(f"Codex asked for something Isomux cannot answer ({method}); it was told no.", "warning"),
        )
    what = "command" if request.kind == "command" else "file change"
    if request.thread_id not in (None, thread_id):
        why = "This request came from a conversation this agent is not running."
        return Reply(_decline(request.legacy, why), why=why)
    blocked = _policy_block(request, ctx)
    if blocked is not None:
        return Reply(
            _decline(request.legacy, blocked),
            Notice(f"The safety policy declined a {what}: {blocked}", "warning"),
            why=blocked,
        )
    unreadable = (request.kind == "command" and request.command is None) or (
        request.kind == "patch" and not request.paths
    )
    if mode == "plan" and (request.kind == "patch" or unreadable):
        why = "The agent is in plan mode, so it may not change anything."
        return Reply(_decline(request.legacy, why), Notice(why), why=why)
    if mode == "plan":
        return Reply(_accept(request.legacy))
    if mode == "bypassPermissions" or (mode == "acceptEdits" and request.kind == "patch"):
        if not unreadable:
            return Reply(_accept(request.legacy))
        # Unvetted calls are never accepted unasked; without a person to ask, decline.
        why = f"Isomux could not tell what this {what} would do, so the safety policy could not check it."
        return Reply(_decline(request.legacy, why), Notice(why, "warning"), why=why)
    tool = SHELL_TOOL if request.kind == "command" else PATCH_TOOL
    return Ask(tool, request.tool_input, request.reason, _accept(request.legacy), request.legacy, request.item_id)


def decline(method: str, why: str) -> Reply | Refuse:
    """Turn down any request without judging it (for a one-off question that must not use tools)."""
    if method in (COMMAND_APPROVAL, FILE_CHANGE_APPROVAL):
        return Reply(_decline(False, why), why=why)
    if method in (LEGACY_COMMAND_APPROVAL, LEGACY_PATCH_APPROVAL):
        return Reply(_decline(True, why), why=why)
    return Refuse(METHOD_NOT_FOUND, f"Isomux cannot answer {method}")
