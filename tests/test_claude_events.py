"""The Claude backend's pure parts: SDK messages → events, cost arithmetic, the CLI's environment,
attachments → content blocks, and the texts a person reads."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from claude_agent_sdk import (
    AssistantMessage,
    ConversationResetMessage,
    ProcessError,
    RateLimitEvent,
    RateLimitInfo,
    ResultMessage,
    StreamEvent,
    SystemMessage,
    TextBlock,
    ThinkingBlock,
    ToolResultBlock,
    ToolUseBlock,
    UserMessage,
)
from hypothesis import given
from hypothesis import strategies as st

from isomux.backends.base import (
    Notice,
    SessionConfig,
    SessionReady,
    TextDelta,
    TextDone,
    ThinkingDelta,
    ThinkingDone,
    ToolFinished,
    ToolStarted,
    TurnDone,
    TurnInput,
)
from isomux.backends.claude import ClaudeBackend
from isomux.backends.claude_cli import (
    child_env,
    clean_topic,
    find_transcript,
    project_dir,
    read_saved_costs,
    saved_costs,
    stopped_message,
)
from isomux.backends.claude_events import (
    LOGIN_HINT,
    SERVER_HINT,
    UNREACHABLE_HINT,
    CostLedger,
    CostState,
    EventMapper,
    restored_total,
    tool_output,
)
from isomux.backends.claude_input import MAX_IMAGE_BYTES, MAX_TEXT_BYTES, content_blocks
from isomux.domain.model import Attachment
from isomux.errors import BackendUnavailable

SID = "11111111-2222-3333-4444-555555555555"


def mapper(prior: float = 0.0, restored: float = 0.0, session_id: str | None = None) -> EventMapper:
    return EventMapper(ledger=CostLedger(branch_total=prior, cli_total=restored), session_id=session_id)


def stream(event: dict[str, Any], parent: str | None = None) -> StreamEvent:
    return StreamEvent(uuid="u", session_id=SID, event=event, parent_tool_use_id=parent)


def start(message_id: str) -> StreamEvent:
    return stream({"type": "message_start", "message": {"id": message_id}})


def block_start(index: int, kind: str) -> StreamEvent:
    return stream({"type": "content_block_start", "index": index, "content_block": {"type": kind}})


def delta(index: int, text: str, kind: str = "text_delta") -> StreamEvent:
    key = "thinking" if kind == "thinking_delta" else "text"
    return stream({"type": "content_block_delta", "index": index, "delta": {"type": kind, key: text}})


def assistant(
    message_id: str, *content: Any, uuid: str = "a-uuid", error: Any = None, parent: str | None = None
) -> AssistantMessage:
    return AssistantMessage(
        content=list(content),
        model="claude-test",
        message_id=message_id,
        uuid=uuid,
        error=error,
        parent_tool_use_id=parent,
    )


def result(**fields: Any) -> ResultMessage:
    base: dict[str, Any] = {
        "subtype": "success",
        "duration_ms": 10,
        "duration_api_ms": 5,
        "is_error": False,
        "num_turns": 1,
        "session_id": SID,
        "total_cost_usd": 0.5,
        "usage": {
            "input_tokens": 100,
            "output_tokens": 7,
            "cache_read_input_tokens": 3,
            "cache_creation_input_tokens": 2,
        },
        "terminal_reason": "completed",
    }
    base.update(fields)
    return ResultMessage(**base)


def run(m: EventMapper, *messages: Any, now: float = 0.0) -> list[Any]:
    return [event for message in messages for event in m.map(message, now)]


# Streaming and whole blocks ----------------------------------------------------------------


def test_deltas_and_the_whole_block_share_one_block_id() -> None:
    m = mapper()
    events = run(
        m,
        start("msg_1"),
        block_start(0, "text"),
        delta(0, "Hello "),
        delta(0, "there"),
        assistant("msg_1", TextBlock("Hello there")),
    )
    assert events == [TextDelta("msg_1:0", "Hello "), TextDelta("msg_1:0", "there"), TextDone("msg_1:0", "Hello there")]


def test_thinking_then_text_are_two_blocks_and_thinking_is_timed() -> None:
    m = mapper()
    events = run(m, start("msg_2"), block_start(0, "thinking"))
    events += m.map(delta(0, "hmm", "thinking_delta"), 1.0)
    events += m.map(assistant("msg_2", ThinkingBlock("hmm", "sig")), 1.25)
    events += run(m, block_start(1, "text"), delta(1, "Yes"), assistant("msg_2", TextBlock("Yes")))
    assert events == [
        ThinkingDelta("msg_2:0", "hmm"),
        ThinkingDone("msg_2:0", "hmm", 1250),
        TextDelta("msg_2:1", "Yes"),
        TextDone("msg_2:1", "Yes"),
    ]


def test_tool_calls_start_once_and_finish_with_their_output() -> None:
    m = mapper()
    call = ToolUseBlock("toolu_1", "Bash", {"command": "ls"})
    events = run(
        m,
        assistant("msg_3", call),
        assistant("msg_3", call),
        UserMessage(
            content=[ToolResultBlock("toolu_1", [{"type": "text", "text": "a.txt"}, {"type": "image"}], False)],
            uuid="r1",
        ),
    )
    assert events == [
        ToolStarted("toolu_1", "Bash", {"command": "ls"}),
        ToolFinished("toolu_1", "a.txt\n[image]", False),
    ]


def test_failed_tool_results_are_errors() -> None:
    events = run(mapper(), UserMessage(content=[ToolResultBlock("t", "Blocked", True)], uuid="r"))
    assert events == [ToolFinished("t", "Blocked", True)]


def test_sub_agent_messages_are_left_out() -> None:
    m = mapper()
    events = run(
        m,
        stream(
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "inner"}},
            parent="toolu_agent",
        ),
        assistant("msg_4", TextBlock("inner"), parent="toolu_agent"),
        UserMessage(content=[ToolResultBlock("x", "y")], parent_tool_use_id="toolu_agent"),
    )
    assert events == []


def test_the_session_is_ready_once_per_id() -> None:
    m = mapper()
    init = SystemMessage("init", {"session_id": SID})
    assert run(m, init, SystemMessage("status", {}), init) == [SessionReady(SID)]
    assert m.session_id == SID
    assert run(m, SystemMessage("init", {"session_id": "forked"})) == [SessionReady("forked")]


def test_rate_limits_and_compaction_become_notices() -> None:
    rejected = RateLimitEvent(RateLimitInfo(status="rejected"), uuid="u", session_id=SID)
    events = run(mapper(), rejected, SystemMessage("compact_boundary", {}))
    assert [type(e) for e in events] == [Notice, Notice]
    assert events[0].level == "warning"


# The end of a turn -----------------------------------------------------------------------------


def test_a_completed_turn_reports_tokens_cost_and_where_to_fork() -> None:
    m = mapper()
    m.begin_turn("prompt-1")
    done = run(m, assistant("msg_5", TextBlock("ok"), uuid="reply-1"), result())[-1]
    assert done == TurnDone("completed", usage=done.usage, fork_ref="reply-1", cumulative_cost=0.5)
    assert (done.usage.input_tokens, done.usage.output_tokens) == (100, 7)
    assert (done.usage.cache_read_tokens, done.usage.cache_write_tokens) == (3, 2)
    assert done.usage.cost_usd == 0.5


def test_a_turn_with_no_reply_forks_at_its_prompt() -> None:
    m = mapper()
    m.begin_turn("prompt-2")
    assert run(m, result(total_cost_usd=0.0))[-1].fork_ref == "prompt-2"


@pytest.mark.parametrize(
    ("fields", "interrupted"),
    [
        ({"terminal_reason": "aborted_streaming", "subtype": "error_during_execution", "is_error": True}, False),
        ({"terminal_reason": "aborted_tools", "is_error": True}, False),
        ({"terminal_reason": None, "subtype": "error_during_execution", "is_error": True}, True),
    ],
)
def test_interrupted_turns(fields: dict[str, Any], interrupted: bool) -> None:
    m = mapper()
    m.begin_turn("p")
    m.interrupt_requested = interrupted
    done = run(m, result(**fields))[-1]
    assert done.status == "interrupted"
    assert done.error == ""


def test_an_interrupt_does_not_leak_into_the_next_turn() -> None:
    m = mapper()
    m.begin_turn("p1")
    m.interrupt_requested = True
    run(m, result(terminal_reason="completed"))
    m.begin_turn("p2")
    failed = run(
        m,
        result(
            subtype="error_during_execution",
            is_error=True,
            terminal_reason=None,
            result=None,
            errors=["[ede_diagnostic] x", "the tool crashed"],
        ),
    )[-1]
    assert failed.status == "failed"
    assert failed.error == "the tool crashed"


@pytest.mark.parametrize(
    ("kind", "status", "text", "hint"),
    [
        ("authentication_failed", 401, "Failed to authenticate. API Error: 401", LOGIN_HINT),
        ("server_error", 500, "API Error: 500 Internal", SERVER_HINT),
        ("server_error", None, "API Error: Connection refused", UNREACHABLE_HINT),
    ],
)
def test_api_failures_say_what_happened_and_what_to_do(kind: str, status: int | None, text: str, hint: str) -> None:
    m = mapper()
    m.begin_turn("p")
    stand_in = assistant("synthetic", TextBlock(text), uuid="e1", error=kind)
    events = run(
        m,
        stand_in,
        result(is_error=True, result=text, api_error_status=status, terminal_reason="api_error", total_cost_usd=0),
    )
    # The stand-in message is not shown as the agent's reply; the turn's error says it.
    assert events == [
        TurnDone("failed", usage=events[0].usage, error=text, hint=hint, fork_ref="e1", cumulative_cost=0.0)
    ]
    assert "/login" in LOGIN_HINT


def test_a_turn_the_cli_started_itself_does_not_end_the_persons_turn() -> None:
    m = mapper()
    run(m, result(total_cost_usd=0.1, user_message_uuid="background"))  # while idle
    m.begin_turn("mine")
    assert run(m, result(total_cost_usd=0.3, user_message_uuid="other", user_message_uuids=["other"])) == []
    [done] = run(m, result(total_cost_usd=0.35, user_message_uuid="other", user_message_uuids=["other", "mine"]))
    assert done.status == "completed"
    # Every cent is counted once, with the person's turn.
    assert done.usage.cost_usd == pytest.approx(0.35)
    assert done.cumulative_cost == pytest.approx(0.35)


# Cost ---------------------------------------------------------------------------------------


def test_cost_in_a_new_session_is_the_difference_between_totals() -> None:
    ledger = CostLedger(branch_total=0.0, cli_total=0.0)
    assert ledger.settle(0.25) == (0.25, 0.25)
    assert ledger.settle(0.75) == (0.5, 0.75)
    assert ledger.settle(None) == (0.0, 0.75)


def test_cost_after_a_fork_ignores_the_turns_left_behind() -> None:
    # Turn 1 cost 0.25, turn 2 cost 0.5; the fork after turn 1 starts from the office's 0.25, while the CLI
    # restores its whole total (0.75) and adds the fork's own turn (0.1) to it.
    ledger = CostLedger(branch_total=0.25, cli_total=0.75)
    turn, cumulative = ledger.settle(0.85)
    assert turn == pytest.approx(0.1)
    assert cumulative == pytest.approx(0.35)


def test_cost_after_a_crash_counts_the_whole_turn() -> None:
    # The killed process saved nothing, so the CLI restarts from an older total than the office's.
    ledger = CostLedger(branch_total=0.75, cli_total=0.25)
    turn, cumulative = ledger.settle(0.35)
    assert turn == pytest.approx(0.1)
    assert cumulative == pytest.approx(0.85)


def test_a_falling_total_costs_nothing_and_a_cleared_conversation_starts_over() -> None:
    m = mapper(prior=1.0, restored=1.0)
    m.begin_turn("p1")
    assert run(m, result(total_cost_usd=0.5))[-1].usage.cost_usd == 0.0
    run(m, ConversationResetMessage(new_conversation_id="c", uuid="u", session_id=SID))
    m.begin_turn("p2")
    done = run(m, result(total_cost_usd=0.2))[-1]
    assert done.usage.cost_usd == pytest.approx(0.2)
    assert done.cumulative_cost == pytest.approx(1.2)


@given(st.floats(0, 10), st.floats(0, 10), st.lists(st.floats(0, 5), max_size=8))
def test_turn_costs_are_never_negative_and_add_up(prior: float, restored: float, costs: list[float]) -> None:
    ledger = CostLedger(branch_total=prior, cli_total=restored)
    total, turns = restored, []
    for cost in costs:
        total += cost
        turn, cumulative = ledger.settle(total)
        turns.append(turn)
        assert turn >= 0
        assert cumulative == pytest.approx(prior + sum(turns))
    assert sum(turns) == pytest.approx(sum(costs), abs=1e-9)


def cost_state(session_id: str, total: float, tokens: int) -> str:
    usage = {"claude-test": {"inputTokens": tokens - 10, "outputTokens": 10, "costUSD": total}}
    return json.dumps({"type": "cost-state", "sessionId": session_id, "totalCostUSD": total, "modelUsage": usage})


def test_saved_totals_are_read_in_order_for_that_session_only() -> None:
    lines = [
        cost_state(SID, 0.1, 1000),
        '{"type":"user"}',
        'not json "cost-state"',
        cost_state("other", 9.0, 5),
        cost_state(SID, 0.3, 3000),
    ]
    assert saved_costs(lines, SID) == [CostState(0.1, 1000), CostState(0.3, 3000)]
    assert saved_costs(['{"type":"user"}'], SID) == []


def test_saved_totals_are_read_from_the_transcript(tmp_path: Path) -> None:
    folder = tmp_path / "config" / "projects" / "-work-project"
    folder.mkdir(parents=True)
    (folder / f"{SID}.jsonl").write_text(cost_state(SID, 0.42, 500) + "\n")
    assert read_saved_costs({"CLAUDE_CONFIG_DIR": str(tmp_path / "config")}, SID) == [CostState(0.42, 500)]
    assert read_saved_costs({"HOME": str(tmp_path)}, SID) == []


def first_result(running_total: float, running_tokens: int, turn_tokens: int) -> ResultMessage:
    return result(
        total_cost_usd=running_total,
        usage={"input_tokens": turn_tokens - 5, "output_tokens": 5},
        model_usage={
            "claude-test": {
                "inputTokens": running_tokens - 50,
                "outputTokens": 20,
                "cacheReadInputTokens": 30,
                "costUSD": running_total,
            }
        },
    )


@pytest.mark.parametrize(
    ("running_tokens", "restored"),
    [
        (3000 + 700, 0.3),  # the latest save: the parent had exited
        (1000 + 700, 0.1),  # an older save: the last process was killed
        (700, 0.0),  # nothing: no process had exited yet
    ],
)
def test_the_restored_total_is_the_save_whose_tokens_fit(running_tokens: int, restored: float) -> None:
    saved = [CostState(0.1, 1000), CostState(0.3, 3000)]
    assert restored_total(saved, first_result(restored + 0.07, running_tokens, 700)) == restored


def test_a_resumed_first_turn_is_charged_only_for_itself() -> None:
    m = mapper(prior=0.1)
    m.ledger.cli_total = None
    first = first_result(0.37, 3700, 700)
    assert m.needs_saved_costs(first)
    m.start_costs_from([CostState(0.1, 1000), CostState(0.3, 3000)], first)
    m.begin_turn("p")
    done = run(m, first)[-1]
    assert not m.needs_saved_costs(first)
    assert done.usage.cost_usd == pytest.approx(0.07)
    assert done.cumulative_cost == pytest.approx(0.17)


def test_without_a_running_token_count_the_first_turn_costs_nothing() -> None:
    assert restored_total([CostState(0.3, 3000)], result(total_cost_usd=0.4, model_usage=None)) == 0.4


# The CLI's environment and messages ----------------------------------------------------------


def test_root_in_bypass_mode_runs_as_a_sandbox() -> None:
    env = {"PATH": "/bin"}
    retries = {"CLAUDE_CODE_MAX_RETRIES": "3"}
    assert child_env(env, "bypassPermissions", 0) == {"PATH": "/bin", "IS_SANDBOX": "1", **retries}
    assert child_env(env, "default", 0) == {**env, **retries}
    assert child_env(env, "bypassPermissions", 1000) == {**env, **retries}
    assert env == {"PATH": "/bin"}
    assert child_env({"CLAUDE_CODE_MAX_RETRIES": "0"}, "default", 0) == {"CLAUDE_CODE_MAX_RETRIES": "0"}


def test_a_transcript_is_found_even_after_the_working_directory_moved(tmp_path: Path) -> None:
    env = {"CLAUDE_CONFIG_DIR": str(tmp_path / "cfg")}
    old = project_dir(env, Path("/srv/old place"))
    old.mkdir(parents=True)
    (old / "abc.jsonl").write_text("{}\n")
    assert find_transcript(env, Path("/srv/new"), "abc")
    assert (project_dir(env, Path("/srv/new")) / "abc.jsonl").read_text() == "{}\n"
    assert (old / "abc.jsonl").exists()  # copied, never moved
    assert not find_transcript(env, Path("/srv/new"), "gone")


def test_a_killed_cli_is_described_with_its_last_output() -> None:
    killed = ProcessError("Command failed", exit_code=-9)
    assert stopped_message(killed, ["starting", "", "out of memory"]) == (
        "Claude Code was killed (SIGKILL). Its last output: starting | out of memory"
    )
    assert stopped_message(ProcessError("x", exit_code=1), []) == "Claude Code exited with code 1."


@pytest.mark.parametrize(
    ("answer", "topic"),
    [
        ('"Fixing the login page."', "Fixing the login page"),
        ("Topic: Cats\nand more", "Cats"),
        ("**one two three four five six seven eight nine ten**", "one two three four five six seven eight"),
    ],
)
def test_topics_are_cleaned(answer: str, topic: str) -> None:
    assert clean_topic(answer) == topic


def test_tool_output_as_text() -> None:
    assert tool_output(None) == ""
    assert tool_output("plain") == "plain"
    assert tool_output([{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]) == "a\nb"


def test_a_missing_cli_is_unavailable_and_says_so(tmp_path: Path) -> None:
    backend = ClaudeBackend(str(tmp_path / "no-such-claude"))
    info = backend.info
    assert not info.available
    assert "no-such-claude" in info.problem
    assert ClaudeBackend().info.available
    assert ClaudeBackend().info.capabilities.fork_at_turn


async def test_opening_without_a_cli_fails_plainly(tmp_path: Path) -> None:
    cfg = SessionConfig(
        agent_id="a",
        agent_name="A",
        cwd=tmp_path,
        model="",
        effort="low",
        permission_mode="default",
        system_prompt="",
        env={},
        isomux_home=tmp_path,
    )

    async def ignore(event: object) -> None:
        raise AssertionError(event)

    with pytest.raises(BackendUnavailable, match="not an executable"):
        async with ClaudeBackend(str(tmp_path / "nothing")).open(cfg, ignore):
            pass
    with pytest.raises(BackendUnavailable):
        await ClaudeBackend(str(tmp_path / "nothing")).topic("hi", cfg)


# Attachments ------------------------------------------------------------------------------------


def attachment(folder: Path, name: str, data: bytes, media_type: str = "application/octet-stream") -> Attachment:
    (folder / name).write_bytes(data)
    return Attachment(file=name, name=name, media_type=media_type, size=len(data), sha256="0" * 64)


def test_images_and_pdfs_become_base64_blocks_before_the_text(tmp_path: Path) -> None:
    png = attachment(tmp_path, "dot.png", b"\x89PNG fake", "image/png")
    pdf = attachment(tmp_path, "brief.pdf", b"%PDF-1.4")  # recognised by its name
    blocks = content_blocks(TurnInput(text="look", attachments=(png, pdf), files_dir=tmp_path))
    assert [b["type"] for b in blocks] == ["text", "image", "text", "document", "text"]
    assert blocks[1]["source"] == {
        "type": "base64",
        "media_type": "image/png",
        "data": base64.b64encode(b"\x89PNG fake").decode(),
    }
    assert blocks[3]["source"]["media_type"] == "application/pdf"
    assert blocks[3]["title"] == "brief.pdf"
    assert '"dot.png"' in blocks[0]["text"]
    assert blocks[-1] == {"type": "text", "text": "look"}


def test_text_files_are_inlined_between_markers(tmp_path: Path) -> None:
    notes = attachment(tmp_path, "notes.md", "# Plan\npaint the fence ✓".encode(), "text/markdown")
    [block, _] = content_blocks(TurnInput(text="x", attachments=(notes,), files_dir=tmp_path))
    assert block["text"].startswith('<attached-file name="notes.md"')
    assert block["text"].endswith("# Plan\npaint the fence ✓\n</attached-file>")


def test_long_text_files_are_cut_and_say_so(tmp_path: Path) -> None:
    big = attachment(tmp_path, "log.txt", b"x" * (MAX_TEXT_BYTES + 10), "text/plain")
    [block, _] = content_blocks(TurnInput(text="x", attachments=(big,), files_dir=tmp_path))
    assert "the rest of the file" in block["text"]
    assert block["text"].count("x") >= MAX_TEXT_BYTES


def test_files_the_model_cannot_see_are_named_plainly(tmp_path: Path) -> None:
    binary = attachment(tmp_path, "data.bin", b"\0\1\2\3")
    huge = attachment(tmp_path, "huge.png", b"0" * (MAX_IMAGE_BYTES + 1), "image/png")
    gone = Attachment(file="../../etc/passwd", name="passwd", media_type="text/plain", size=1, sha256="0" * 64)
    blocks = content_blocks(TurnInput(text="x", attachments=(binary, huge, gone), files_dir=tmp_path))
    assert [b["type"] for b in blocks] == ["text"] * 4
    assert "cannot read its contents" in blocks[0]["text"]
    assert "too large" in blocks[1]["text"]
    assert "could not be found" in blocks[2]["text"]
    assert "root:" not in json.dumps(blocks)
