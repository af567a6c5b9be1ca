"""The Codex notification mapping, on notification sequences recorded from the real `codex app-server` 0.169.0."""

from __future__ import annotations

from typing import Any

import pytest

from isomux.backends.base import (
    BackendEvent,
    Notice,
    TextDelta,
    TextDone,
    ThinkingDelta,
    ThinkingDone,
    ToolFinished,
    ToolStarted,
    TurnDone,
)
from isomux.backends.codex.events import (
    CONTEXT_HINT,
    GENERIC_HINT,
    LOGIN_HINT,
    OFFLINE_HINT,
    RETRY_HINT,
    ThreadEvents,
    shown_command,
)
from isomux.domain.model import Usage

THREAD = "01a1fccb-baa6-7d73-9e9d-888a0702af67"
TURN = "01a1fccb-bac3-7891-9ac3-2e8088e9f59c"
OTHER_THREAD = "01a1fccc-96f5-7f61-8f29-a726d44097dc"

Message = tuple[str, dict[str, Any]]


def feed_all(events: ThreadEvents, messages: list[Message]) -> list[BackendEvent]:
    out: list[BackendEvent] = []
    for method, params in messages:
        out.extend(events.feed(method, params))
    return out


def turn_started(turn: str = TURN, thread: str = THREAD) -> Message:
    return (
        "turn/started",
        {
            "threadId": thread,
            "turn": {
                "id": turn,
                "rootTurnId": turn,
                "items": [],
                "itemsView": "notLoaded",
                "status": "inProgress",
                "error": None,
                "startedAt": 1795242572,
                "completedAt": None,
                "durationMs": None,
            },
        },
    )


def turn_completed(status: str = "completed", error: Any = None, turn: str = TURN) -> Message:
    return (
        "turn/completed",
        {
            "threadId": THREAD,
            "turn": {
                "id": turn,
                "rootTurnId": turn,
                "items": [],
                "itemsView": "summary",
                "status": status,
                "error": error,
                "startedAt": 1795242572,
                "completedAt": 1795242572,
                "durationMs": 164,
            },
        },
    )


def item(method: str, body: dict[str, Any], turn: str = TURN) -> Message:
    return (method, {"item": body, "threadId": THREAD, "turnId": turn, "startedAtMs": 1795242572558})


def delta(method: str, item_id: str, text: str, turn: str = TURN, **extra: Any) -> Message:
    return (method, {"threadId": THREAD, "turnId": turn, "itemId": item_id, "delta": text, **extra})


def tokens(total: tuple[int, int], last: tuple[int, int], turn: str = TURN, cached: int = 0) -> Message:
    def breakdown(pair: tuple[int, int], cached_tokens: int) -> dict[str, int]:
        return {
            "totalTokens": sum(pair),
            "inputTokens": pair[0],
            "cachedInputTokens": cached_tokens,
            "cacheWriteInputTokens": 0,
            "outputTokens": pair[1],
            "reasoningOutputTokens": 0,
        }

    return (
        "thread/tokenUsage/updated",
        {
            "threadId": THREAD,
            "turnId": turn,
            "tokenUsage": {
                "total": breakdown(total, cached),
                "last": breakdown(last, cached),
                "modelContextWindow": 258400,
            },
        },
    )


def agent_message(item_id: str, text: str) -> dict[str, Any]:
    return {
        "type": "agentMessage",
        "moderation": None,
        "id": item_id,
        "text": text,
        "phase": None,
        "memoryCitation": None,
        "delivery": None,
        "questions": None,
        "startedAtMs": 1795242572643,
        "completedAtMs": 1795242572644 if text else None,
    }


def command(
    item_id: str,
    status: str,
    *,
    output: str | None = None,
    code: int | None = None,
    cmd: str = "/bin/bash -lc 'echo hi > made.txt'",
) -> dict[str, Any]:
    return {
        "type": "commandExecution",
        "id": item_id,
        "pluginId": None,
        "scriptPath": None,
        "command": cmd,
        "cwd": "/home/nil/project",
        "processId": None,
        "source": "agent",
        "status": status,
        "commandActions": [{"type": "unknown", "command": "echo hi > made.txt"}],
        "aggregatedOutput": output,
        "exitCode": code,
        "durationMs": None,
        "startedAtMs": 1795242579745,
        "completedAtMs": None,
    }


def user_message(text: str) -> dict[str, Any]:
    return {
        "type": "userMessage",
        "id": "01a1fccc-341f-7a61-8c58-ad779622a6e7",
        "clientId": None,
        "content": [{"type": "text", "text": text, "text_elements": []}],
        "startedAtMs": 1795242603552,
        "completedAtMs": None,
    }


def test_a_text_turn_streams_thinking_and_text_then_ends_once_with_usage() -> None:
    events = ThreadEvents(THREAD)
    reasoning = {
        "type": "reasoning",
        "id": "rs_mock_0001",
        "summary": [],
        "content": [],
        "startedAtMs": 1795242572635,
        "completedAtMs": None,
    }
    out = feed_all(
        events,
        [
            ("thread/status/changed", {"threadId": THREAD, "status": {"type": "active", "activeFlags": []}}),
            turn_started(),
            item("item/started", user_message("[[think:Let me think]] [[say:Hello there friend]]")),
            item("item/completed", user_message("[[think:Let me think]] [[say:Hello there friend]]")),
            item("item/started", reasoning),
            (
                "item/reasoning/summaryPartAdded",
                {"threadId": THREAD, "turnId": TURN, "itemId": "rs_mock_0001", "summaryIndex": 0},
            ),
            delta("item/reasoning/summaryTextDelta", "rs_mock_0001", "Let ", summaryIndex=0),
            delta("item/reasoning/summaryTextDelta", "rs_mock_0001", "me ", summaryIndex=0),
            delta("item/reasoning/summaryTextDelta", "rs_mock_0001", "think", summaryIndex=0),
            item("item/completed", {**reasoning, "summary": ["Let me think"], "completedAtMs": 1795242572636}),
            item("item/started", agent_message("msg_mock_0001", "")),
            delta("item/agentMessage/delta", "msg_mock_0001", "Hello "),
            delta("item/agentMessage/delta", "msg_mock_0001", "there "),
            delta("item/agentMessage/delta", "msg_mock_0001", "friend"),
            item("item/completed", agent_message("msg_mock_0001", "Hello there friend")),
            tokens((9530, 6), (9530, 6)),
            ("account/rateLimits/updated", {"rateLimits": {"limitId": "codex", "primary": None}}),
            ("thread/status/changed", {"threadId": THREAD, "status": {"type": "idle"}}),
            turn_completed(),
        ],
    )
    assert out == [
        ThinkingDelta("rs_mock_0001", "Let "),
        ThinkingDelta("rs_mock_0001", "me "),
        ThinkingDelta("rs_mock_0001", "think"),
        ThinkingDone("rs_mock_0001", "Let me think", 1),
        TextDelta("msg_mock_0001", "Hello "),
        TextDelta("msg_mock_0001", "there "),
        TextDelta("msg_mock_0001", "friend"),
        TextDone("msg_mock_0001", "Hello there friend"),
        TurnDone("completed", usage=Usage(input_tokens=9530, output_tokens=6), fork_ref=TURN),
    ]
    assert events.active_turn is None


def test_notifications_about_other_threads_are_ignored() -> None:
    events = ThreadEvents(THREAD)
    events.begin_turn(TURN)
    other = [
        (method, {**params, "threadId": OTHER_THREAD})
        for method, params in [
            item("item/started", agent_message("msg_x", "")),
            delta("item/agentMessage/delta", "msg_x", "not ours"),
            turn_completed(),
        ]
    ]
    assert feed_all(events, other) == []
    assert events.active_turn == TURN


def test_a_shell_command_is_shown_without_codex_s_wrapper_with_its_output_and_exit_code() -> None:
    events = ThreadEvents(THREAD)
    out = feed_all(
        events,
        [
            turn_started(),
            item("item/started", command("call_mock_0001", "inProgress", cmd="/bin/bash -lc 'cat .env'")),
            delta("item/commandExecution/outputDelta", "call_mock_0001", "SECRET=1"),
            item(
                "item/completed",
                command("call_mock_0001", "completed", output="SECRET=1", code=0, cmd="/bin/bash -lc 'cat .env'"),
            ),
            item("item/started", command("call_mock_0002", "inProgress", cmd="/bin/bash -lc false")),
            item(
                "item/completed", command("call_mock_0002", "completed", output=None, code=1, cmd="/bin/bash -lc false")
            ),
        ],
    )
    assert out == [
        ToolStarted("call_mock_0001", "Bash", {"command": "cat .env", "cwd": "/home/nil/project"}),
        ToolFinished("call_mock_0001", "SECRET=1"),
        ToolStarted("call_mock_0002", "Bash", {"command": "false", "cwd": "/home/nil/project"}),
        ToolFinished("call_mock_0002", "(exit code 1)", is_error=True),
    ]


def test_a_declined_command_reports_why_it_did_not_run() -> None:
    events = ThreadEvents(THREAD)
    feed_all(events, [turn_started(), item("item/started", command("call_mock_0001", "inProgress"))])
    assert events.item("call_mock_0001") is not None
    events.note_declined("call_mock_0001", "Blocked `rm -rf ~`: no.")
    out = events.feed(*item("item/completed", command("call_mock_0001", "declined")))
    assert out == [ToolFinished("call_mock_0001", "Blocked `rm -rf ~`: no.", is_error=True)]


def test_a_file_change_lists_its_files() -> None:
    change = {
        "type": "fileChange",
        "id": "call_mock_0004",
        "changes": [{"path": "/home/nil/project/p2.txt", "kind": {"type": "add"}, "diff": "x\n"}],
        "status": "inProgress",
        "startedAtMs": 1795242594992,
        "completedAtMs": None,
    }
    events = ThreadEvents(THREAD)
    out = feed_all(
        events,
        [
            turn_started(),
            item("item/started", change),
            item("item/completed", {**change, "status": "completed", "completedAtMs": 1795242594997}),
        ],
    )
    assert out == [
        ToolStarted(
            "call_mock_0004",
            "ApplyPatch",
            {"changes": [{"path": "/home/nil/project/p2.txt", "kind": "add", "diff": "x\n"}]},
        ),
        ToolFinished("call_mock_0004", "Changed /home/nil/project/p2.txt."),
    ]


def test_after_an_interrupt_the_open_message_is_closed_with_what_streamed_before_the_turn_ends() -> None:
    # Recorded: the interrupted message never gets item/completed, and the token update repeats the
    # previous turn's count.
    events = ThreadEvents(THREAD)
    feed_all(events, [turn_started("t1"), tokens((9547, 2), (9547, 2), turn="t1"), turn_completed(turn="t1")])
    out = feed_all(
        events,
        [
            turn_started("t2"),
            item("item/started", agent_message("msg_mock_0003", ""), turn="t2"),
            delta("item/agentMessage/delta", "msg_mock_0003", "tok1 ", turn="t2"),
            delta("item/agentMessage/delta", "msg_mock_0003", "tok2 ", turn="t2"),
            tokens((9547, 2), (9547, 2), turn="t2"),
            turn_completed("interrupted", turn="t2"),
        ],
    )
    assert out[-2:] == [
        TextDone("msg_mock_0003", "tok1 tok2 "),
        TurnDone("interrupted", usage=Usage(), fork_ref="t2"),
    ]


def test_a_steered_turn_closes_the_abandoned_reply_before_the_new_one() -> None:
    events = ThreadEvents(THREAD)
    out = feed_all(
        events,
        [
            turn_started(),
            item("item/started", agent_message("msg_mock_0001", "")),
            delta("item/agentMessage/delta", "msg_mock_0001", "tok1 "),
            item("item/started", user_message("[[say:steered in]]")),
            item("item/completed", user_message("[[say:steered in]]")),
            item("item/started", agent_message("msg_mock_0002", "")),
            delta("item/agentMessage/delta", "msg_mock_0002", "steered in"),
            item("item/completed", agent_message("msg_mock_0002", "steered in")),
            turn_completed(),
        ],
    )
    texts = [e for e in out if isinstance(e, TextDone)]
    assert texts == [TextDone("msg_mock_0001", "tok1 "), TextDone("msg_mock_0002", "steered in")]
    assert [type(e) for e in out].count(TurnDone) == 1


def test_usage_counts_only_what_the_turn_spent_after_a_resume() -> None:
    # On resume (and fork) the server first repeats the thread's count for its last old turn.
    events = ThreadEvents(THREAD)
    out = feed_all(
        events,
        [
            tokens((28746, 3), (9653, 1), turn="old-turn"),
            turn_started(),
            tokens((38472, 4), (9726, 1)),
            tokens((48472, 6), (10000, 2), cached=500),
            turn_completed(),
        ],
    )
    assert out == [
        TurnDone("completed", usage=Usage(input_tokens=19226, output_tokens=3, cache_read_tokens=500), fork_ref=TURN)
    ]


def test_a_turn_that_ends_before_its_start_is_acknowledged_is_not_revived() -> None:
    events = ThreadEvents(THREAD)
    first = feed_all(events, [turn_started(), turn_completed("failed", {"message": "boom"})])
    events.begin_turn(TURN)  # the turn/start answer is handled after the notifications
    assert events.active_turn is None
    assert [type(e) for e in first] == [TurnDone]
    assert events.feed(*turn_completed("failed", {"message": "boom"})) == []


def http_error(message: str, info: Any) -> dict[str, Any]:
    return {"message": message, "codexErrorInfo": info, "additionalDetails": None, "misalignment": None}


@pytest.mark.parametrize(
    ("error", "text", "hint"),
    [
        (
            http_error(
                "unexpected status 401 Unauthorized: mock HTTP 401, url: http://127.0.0.1:35939/v1/responses",
                {"httpConnectionFailed": {"httpStatusCode": 401}},
            ),
            "unexpected status 401 Unauthorized: mock HTTP 401, url: http://127.0.0.1:35939/v1/responses",
            LOGIN_HINT,
        ),
        (
            http_error(
                "We\u2019re currently experiencing high demand, which may cause temporary errors.",
                "internalServerError",
            ),
            "We\u2019re currently experiencing high demand, which may cause temporary errors. (HTTP 500)",
            RETRY_HINT,
        ),
        (
            http_error("Connection failed: error sending request", {"httpConnectionFailed": {"httpStatusCode": None}}),
            "Connection failed: error sending request",
            OFFLINE_HINT,
        ),
        (
            http_error("Your input exceeds the context window of this model.", "contextWindowExceeded"),
            "Your input exceeds the context window of this model.",
            CONTEXT_HINT,
        ),
        (
            http_error("stream disconnected before completion: mock response.failed", "other"),
            "stream disconnected before completion: mock response.failed",
            GENERIC_HINT,
        ),
    ],
)
def test_a_failed_turn_says_what_went_wrong_and_what_to_do(error: dict[str, Any], text: str, hint: str) -> None:
    events = ThreadEvents(THREAD)
    out = feed_all(
        events,
        [
            turn_started(),
            ("error", {"error": error, "willRetry": False, "threadId": THREAD, "turnId": TURN}),
            turn_completed("failed", error),
        ],
    )
    assert out == [TurnDone("failed", error=text, hint=hint, fork_ref=TURN)]


def test_an_error_the_server_retries_is_a_warning_and_the_turn_goes_on() -> None:
    events = ThreadEvents(THREAD)
    feed_all(events, [turn_started()])
    retrying = http_error("Reconnecting... 1/5", {"responseStreamDisconnected": {"httpStatusCode": None}})
    out = events.feed("error", {"error": retrying, "willRetry": True, "threadId": THREAD, "turnId": TURN})
    assert out == [Notice("Codex is retrying after an error: Reconnecting... 1/5", "warning")]
    assert events.active_turn == TURN


def test_abandoning_a_turn_closes_everything_still_open_and_ends_it_once() -> None:
    events = ThreadEvents(THREAD)
    feed_all(
        events,
        [
            turn_started(),
            item("item/started", command("call_mock_0001", "inProgress")),
            delta("item/commandExecution/outputDelta", "call_mock_0001", "half of the output"),
        ],
    )
    out = events.abandon_turn("interrupted")
    assert out == [
        ToolFinished("call_mock_0001", "half of the output\n(cut short: the turn was interrupted)", is_error=True),
        TurnDone("interrupted", fork_ref=TURN),
    ]
    assert events.feed(*turn_completed("interrupted")) == []
    assert events.abandon_turn("interrupted") == []


def test_warnings_for_this_thread_or_none_reach_the_person() -> None:
    events = ThreadEvents(THREAD)
    message = "Model metadata for `mock-model` not found. Defaulting to fallback metadata"
    assert events.feed("warning", {"threadId": None, "message": message}) == [Notice(f"Codex: {message}", "warning")]
    assert events.feed("warning", {"threadId": OTHER_THREAD, "message": message}) == []


@pytest.mark.parametrize(
    ("command_line", "shown"),
    [
        ("/bin/bash -lc ls", "ls"),
        ("/bin/bash -lc 'echo hi > made.txt'", "echo hi > made.txt"),
        ("/bin/bash -lc \"printf 'hello' > p.txt\"", "printf 'hello' > p.txt"),
        ("/usr/bin/zsh -c 'git status'", "git status"),
        ("python3 -c 'print(1)'", "python3 -c 'print(1)'"),
        ("/bin/bash -lc 'unbalanced", "/bin/bash -lc 'unbalanced"),
    ],
)
def test_commands_are_shown_as_the_model_wrote_them(command_line: str, shown: str) -> None:
    assert shown_command(command_line) == shown
