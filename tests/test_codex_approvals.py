"""Codex approval requests → the safety policy's verdict and the answer (params as the real server sends them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from isomux.backends.base import Notice
from isomux.backends.codex.approvals import METHOD_NOT_FOUND, Ask, Refuse, Reply, decline, judge
from isomux.domain.model import PermissionMode
from isomux.safety import PolicyContext

THREAD = "01a1fccc-067a-7fa3-b990-0ec3adf2df33"
TURN = "01a1fccc-06a9-70f1-bb98-8b1519e15154"
WORK = Path("/home/nil/project")
HOME = Path("/home/nil/.isomux")
CTX = PolicyContext.for_agent(WORK, HOME, {"HOME": "/home/nil"})
MODES: tuple[PermissionMode, ...] = ("default", "acceptEdits", "bypassPermissions", "plan")


def command_request(command: str, *, kind: str = "command", thread: str = THREAD) -> dict[str, Any]:
    return {
        "kind": kind,
        "threadId": thread,
        "turnId": TURN,
        "itemId": "call_mock_0001",
        "startedAtMs": 1795242592178,
        "environmentId": "local",
        "command": command,
        "cwd": str(WORK),
        "commandActions": [{"type": "unknown", "command": command}],
        "proposedExecpolicyAmendment": ["touch", "a.txt"],
        "availableDecisions": [
            "accept",
            {"acceptWithExecpolicyAmendment": {"execpolicy_amendment": ["touch"]}},
            "cancel",
        ],
    }


FILE_REQUEST = {
    "threadId": THREAD,
    "turnId": TURN,
    "itemId": "call_mock_0002",
    "startedAtMs": 1795242592283,
    "reason": None,
    "grantRoot": None,
}


def file_item(*paths: str) -> dict[str, Any]:
    return {
        "type": "fileChange",
        "id": "call_mock_0002",
        "status": "inProgress",
        "changes": [{"path": p, "kind": {"type": "add"}, "diff": "x\n"} for p in paths],
    }


def command_judgement(command: str, mode: PermissionMode, **kw: Any) -> Any:
    return judge(
        "item/commandExecution/requestApproval",
        command_request(command, **kw),
        thread_id=THREAD,
        item=None,
        ctx=CTX,
        mode=mode,
    )


def file_judgement(mode: PermissionMode, *paths: str, item: bool = True) -> Any:
    return judge(
        "item/fileChange/requestApproval",
        FILE_REQUEST,
        thread_id=THREAD,
        item=file_item(*paths) if item else None,
        ctx=CTX,
        mode=mode,
    )


@pytest.mark.parametrize("mode", MODES)
def test_the_policy_declines_a_recursive_removal_outside_temp_in_every_mode(mode: PermissionMode) -> None:
    verdict = command_judgement("/bin/bash -lc 'rm -rf /home/nil/project'", mode)
    assert isinstance(verdict, Reply)
    assert verdict.result == {"decision": "decline"}
    assert "rm -rf /home/nil/project" in verdict.why
    assert "ask the human" in verdict.why
    assert verdict.notice is not None
    assert verdict.notice.level == "warning"
    assert verdict.why in verdict.notice.text


@pytest.mark.parametrize(
    "command",
    ["/bin/bash -lc 'cat .env'", "/bin/bash -lc 'git reset --hard'", "/bin/zsh -lc 'echo x > /home/nil/.isomux/a'"],
)
def test_other_policy_rules_apply_to_codex_commands_too(command: str) -> None:
    verdict = command_judgement(command, "bypassPermissions")
    assert isinstance(verdict, Reply)
    assert verdict.result == {"decision": "decline"}


def test_in_default_mode_an_allowed_command_is_put_to_a_person() -> None:
    verdict = command_judgement("/bin/bash -lc 'touch a.txt'", "default")
    assert isinstance(verdict, Ask)
    assert verdict.tool == "Bash"
    assert verdict.input == {"command": "touch a.txt", "cwd": str(WORK)}
    assert verdict.allow == {"decision": "accept"}
    assert verdict.deny("not now") == {"decision": "decline"}
    assert verdict.item_id == "call_mock_0001"


def test_removal_inside_temp_is_left_to_the_person() -> None:
    assert isinstance(command_judgement("/bin/bash -lc 'rm -rf /tmp/scratch'", "default"), Ask)


def test_bypass_accepts_what_the_policy_allows() -> None:
    assert command_judgement("/bin/bash -lc 'touch a.txt'", "bypassPermissions") == Reply({"decision": "accept"})
    assert file_judgement("bypassPermissions", str(WORK / "a.txt")) == Reply({"decision": "accept"})


def test_accept_edits_accepts_file_changes_but_asks_about_commands() -> None:
    assert file_judgement("acceptEdits", str(WORK / "a.txt")) == Reply({"decision": "accept"})
    assert isinstance(command_judgement("/bin/bash -lc 'touch a.txt'", "acceptEdits"), Ask)


def test_plan_mode_lets_commands_look_but_changes_nothing() -> None:
    # Plan threads run in codex's read-only sandbox, which stops a command's writes.
    assert command_judgement("/bin/bash -lc 'cat README.md'", "plan") == Reply({"decision": "accept"})
    verdict = file_judgement("plan", str(WORK / "a.txt"))
    assert isinstance(verdict, Reply)
    assert verdict.result == {"decision": "decline"}
    assert verdict.notice == Notice("The agent is in plan mode, so it may not change anything.")
    blocked = command_judgement("/bin/bash -lc 'cat .env'", "plan")
    assert isinstance(blocked, Reply)
    assert blocked.result == {"decision": "decline"}


@pytest.mark.parametrize(
    ("method", "answer"),
    [
        ("item/commandExecution/requestApproval", {"decision": "decline"}),
        ("item/fileChange/requestApproval", {"decision": "decline"}),
        ("execCommandApproval", {"decision": {"denied": {"rejection": "No tools here."}}}),
    ],
)
def test_a_one_off_question_declines_every_tool_call(method: str, answer: dict[str, Any]) -> None:
    assert decline(method, "No tools here.") == Reply(answer, why="No tools here.")
    refused = decline("item/tool/requestUserInput", "No tools here.")
    assert isinstance(refused, Refuse)
    assert refused.code == METHOD_NOT_FOUND


def test_a_file_change_into_the_office_state_is_declined_with_paths_taken_from_its_item() -> None:
    verdict = file_judgement("bypassPermissions", str(WORK / "ok.txt"), str(HOME / "agents.json"))
    assert isinstance(verdict, Reply)
    assert verdict.result == {"decision": "decline"}
    assert "agents.json" in verdict.why


def test_a_file_change_is_shown_to_a_person_with_its_diff() -> None:
    verdict = file_judgement("default", str(WORK / "a.txt"))
    assert isinstance(verdict, Ask)
    assert verdict.tool == "ApplyPatch"
    assert verdict.input == {"changes": [{"path": str(WORK / "a.txt"), "kind": "add", "move_to": None, "diff": "x\n"}]}


def test_a_call_the_policy_cannot_read_is_never_accepted_unasked() -> None:
    unknown_files = file_judgement("bypassPermissions", item=False)
    assert isinstance(unknown_files, Reply)
    assert unknown_files.result == {"decision": "decline"}
    stdin = command_judgement("rm -rf ~\n", "bypassPermissions", kind="writeStdin")
    assert isinstance(stdin, Reply)
    assert stdin.result == {"decision": "decline"}
    assert isinstance(command_judgement("y\n", "default", kind="writeStdin"), Ask)


def test_a_request_about_another_thread_is_declined() -> None:
    verdict = command_judgement("/bin/bash -lc ls", "bypassPermissions", thread="someone-else")
    assert isinstance(verdict, Reply)
    assert verdict.result == {"decision": "decline"}


def test_legacy_requests_get_legacy_decisions_with_the_reason() -> None:
    params = {
        "conversationId": THREAD,
        "callId": "call_1",
        "command": ["bash", "-lc", "rm -rf /home/nil"],
        "cwd": str(WORK),
        "parsedCmd": [],
        "reason": None,
    }
    blocked = judge("execCommandApproval", params, thread_id=THREAD, item=None, ctx=CTX, mode="default")
    assert isinstance(blocked, Reply)
    assert blocked.result["decision"]["denied"]["rejection"] == blocked.why
    fine = judge(
        "execCommandApproval",
        {**params, "command": ["ls", "-la"]},
        thread_id=THREAD,
        item=None,
        ctx=CTX,
        mode="bypassPermissions",
    )
    assert fine == Reply({"decision": "approved"})
    patch = {"conversationId": THREAD, "callId": "call_2", "fileChanges": {"notes.txt": {"type": "add", "content": ""}}}
    asked = judge("applyPatchApproval", patch, thread_id=THREAD, item=None, ctx=CTX, mode="default")
    assert isinstance(asked, Ask)
    assert asked.allow == {"decision": "approved"}
    assert asked.deny("use the other file") == {"decision": {"denied": {"rejection": "use the other file"}}}


@pytest.mark.parametrize(
    "method", ["item/tool/requestUserInput", "mcpServer/elicitation/request", "attestation/generate"]
)
def test_other_requests_get_an_error_instead_of_waiting_forever(method: str) -> None:
    verdict = judge(method, {"threadId": THREAD}, thread_id=THREAD, item=None, ctx=CTX, mode="bypassPermissions")
    assert isinstance(verdict, Refuse)
    assert verdict.code == METHOD_NOT_FOUND
    assert method in verdict.message
    assert verdict.notice is not None
