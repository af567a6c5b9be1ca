"""The backend contract: the same scenarios against every real agent CLI, each talking to a mock model.

Each scenario checks what a person using the office would notice: the reply text, files a tool
call really wrote, a dangerous command that did not run, a permission answer that was obeyed, a
turn that stopped, a conversation that continued in a new process or branched at a past turn,
money counted once, errors that say what to do, and a crash that is reported.
"""

from __future__ import annotations

import base64
import importlib
import struct
import zlib
from pathlib import Path

import pytest
import trio

from isomux.backends.base import ForkFrom, PermissionRequest, TextDelta, TextDone, TurnDone, TurnInput
from isomux.domain.model import Attachment
from isomux.errors import BackendError, Rejected
from tests.contract.framework import (
    Case,
    Recorder,
    begin_turn,
    cost_per_token,
    deltas_of,
    finish_turn,
    require,
    run_turn,
    session_id_of,
    tools_in,
)

pytestmark = pytest.mark.slow

CASE_NAMES = ["claude", "codex"]
SCENARIO_TIMEOUT = 120


@pytest.fixture(params=CASE_NAMES)
async def case(request: pytest.FixtureRequest, nursery: trio.Nursery, tmp_path: Path) -> Case:
    module = importlib.import_module(f"tests.contract.case_{request.param}")
    made: Case = module.make_case()
    await made.start(nursery, tmp_path)
    return made


async def test_the_backend_declares_what_the_case_expects(case: Case) -> None:
    info = case.backend().info
    assert info.available, info.problem
    assert info.capabilities == case.expects


async def test_a_text_turn(case: Case, workspace: Path) -> None:
    recorder = Recorder()
    with trio.fail_after(SCENARIO_TIMEOUT):
        async with case.backend().open(case.config(workspace), recorder.emit) as session:
            turn = await run_turn(session, recorder, "[[say:Hello from the office]]")
            assert session.backend_session_id == session_id_of(recorder)
    assert turn.done.status == "completed", turn.done.error
    assert turn.text == "Hello from the office"
    assert len(turn.of(TurnDone)) == 1
    assert case.mock.last_user_texts()[-1].endswith("[[say:Hello from the office]]")


async def test_text_streams_in_pieces_that_add_up(case: Case, workspace: Path) -> None:
    require(case, "streaming")
    recorder = Recorder()
    with trio.fail_after(SCENARIO_TIMEOUT):
        async with case.backend().open(case.config(workspace), recorder.emit) as session:
            turn = await run_turn(session, recorder, "[[slow:6:20]]")
    assert turn.done.status == "completed", turn.done.error
    [done] = turn.of(TextDone)
    deltas = deltas_of(turn, done.block)
    assert len(deltas) >= 2
    assert "".join(deltas) == done.text == "tok1 tok2 tok3 tok4 tok5 tok6"
    # The pieces arrive before the whole block.
    assert turn.events.index(turn.of(TextDelta)[0]) < turn.events.index(done)


async def test_a_tool_call_really_runs(case: Case, workspace: Path) -> None:
    recorder = Recorder()
    with trio.fail_after(SCENARIO_TIMEOUT):
        async with case.backend().open(case.config(workspace), recorder.emit) as session:
            turn = await run_turn(session, recorder, "[[bash:echo made-by-the-agent > proof.txt]]")
    assert turn.done.status == "completed", turn.done.error
    assert (workspace / "proof.txt").read_text() == "made-by-the-agent\n"
    [(started, finished)] = tools_in(turn)
    assert finished is not None
    assert not finished.is_error
    assert "proof.txt" in str(started.input)
    assert turn.text == "Done."


async def test_the_safety_policy_stops_destructive_and_secret_commands(case: Case, workspace: Path) -> None:
    require(case, "hooks")
    sentinel = case.home / "precious.txt"
    sentinel.write_text("keep me")
    (workspace / ".env").write_text("API_TOKEN=s3cr3t-value\n")
    recorder = Recorder()
    with trio.fail_after(SCENARIO_TIMEOUT):
        async with case.backend().open(case.config(workspace), recorder.emit) as session:
            wipe = await run_turn(session, recorder, "[[bash:rm -rf ~]] [[say:I tried]]")
            peek = await run_turn(session, recorder, "[[bash:cat .env]] [[say:I looked]]")
    assert sentinel.read_text() == "keep me"
    assert wipe.done.status == peek.done.status == "completed", (wipe.done.error, peek.done.error)
    assert (wipe.text, peek.text) == ("I tried", "I looked")
    assert all(b"s3cr3t-value" not in request.body for request in case.mock.requests)
    # The agent is told why, and to ask the human to do it in the terminal.
    assert "terminal" in peek.notices_and_tool_output()


@pytest.mark.parametrize("allow", [True, False])
async def test_a_person_answers_a_permission_request(case: Case, workspace: Path, allow: bool) -> None:
    require(case, "permission_requests")
    recorder = Recorder()
    with trio.fail_after(SCENARIO_TIMEOUT):
        config = case.config(workspace, permission_mode="default")
        async with case.backend().open(config, recorder.emit) as session:
            start = await begin_turn(session, recorder, "[[bash:echo asked-first > asked.txt]]")
            request = await recorder.wait_for(lambda e: isinstance(e, PermissionRequest), start=start)
            assert isinstance(request, PermissionRequest)
            assert not (workspace / "asked.txt").exists()
            await session.answer_permission(request.request_id, allow, "" if allow else "not today")
            turn = await finish_turn(recorder, start)
            with pytest.raises(Rejected):
                await session.answer_permission(request.request_id, True, "")
    assert turn.done.status == "completed", turn.done.error
    assert "asked.txt" in str(request.input)
    assert (workspace / "asked.txt").exists() == allow, recorder.events
    if allow:
        assert (workspace / "asked.txt").read_text() == "asked-first\n"


async def test_closing_with_a_question_pending_denies_it(case: Case, workspace: Path) -> None:
    require(case, "permission_requests")
    recorder = Recorder()
    with trio.fail_after(SCENARIO_TIMEOUT):
        config = case.config(workspace, permission_mode="default")
        async with case.backend().open(config, recorder.emit) as session:
            start = await begin_turn(session, recorder, "[[bash:echo never > never.txt]]")
            request = await recorder.wait_for(lambda e: isinstance(e, PermissionRequest), start=start)
            assert isinstance(request, PermissionRequest)
        with pytest.raises(Rejected):
            await session.answer_permission(request.request_id, True, "")
    assert not (workspace / "never.txt").exists()


async def test_an_interrupted_turn_ends_and_the_session_goes_on(case: Case, workspace: Path) -> None:
    require(case, "interrupt")
    recorder = Recorder()
    with trio.fail_after(SCENARIO_TIMEOUT):
        async with case.backend().open(case.config(workspace), recorder.emit) as session:
            start = await begin_turn(session, recorder, "[[hang]] keep talking")
            await recorder.wait_for(lambda e: isinstance(e, TextDelta), start=start)
            with pytest.raises(Rejected):
                await session.start_turn(TurnInput(text="[[say:too soon]]"))
            if not case.expects.steer:
                with pytest.raises(Rejected):
                    await session.steer(TurnInput(text="[[say:too soon]]"))
            await session.interrupt()
            stopped = await finish_turn(recorder, start)
            await case.mock.wait_until(lambda: bool(case.mock.disconnects))
            after = await run_turn(session, recorder, "[[say:Still here]]")
    assert stopped.done.status == "interrupted"
    assert len(stopped.of(TurnDone)) == 1
    assert after.done.status == "completed", after.done.error
    assert after.text == "Still here"
    assert "too soon" not in " ".join(case.mock.last_user_texts())


async def test_a_conversation_resumes_in_a_new_process(case: Case, workspace: Path) -> None:
    require(case, "resume")
    first, second = Recorder(), Recorder()
    with trio.fail_after(SCENARIO_TIMEOUT):
        async with case.backend().open(case.config(workspace), first.emit) as session:
            await run_turn(session, first, "[[say:Noted]] the secret word is pineapple")
        session_id = session_id_of(first)
        async with case.backend().open(case.config(workspace, resume=session_id), second.emit) as session:
            turn = await run_turn(session, second, "[[say:It was pineapple]] what was the word?")
            resumed_id = session.backend_session_id
    assert turn.done.status == "completed", turn.done.error
    assert resumed_id == session_id
    assert b"the secret word is pineapple" in case.mock.model_requests()[-1].body


async def test_a_fork_after_the_first_turn_forgets_the_second(case: Case, workspace: Path) -> None:
    require(case, "fork_at_turn")
    parent, child = Recorder(), Recorder()
    with trio.fail_after(SCENARIO_TIMEOUT):
        async with case.backend().open(case.config(workspace), parent.emit) as session:
            one = await run_turn(session, parent, "[[say:one]] remember kiwi")
            two = await run_turn(session, parent, "[[say:two]] remember mango")
            # The office opens the branch while the parent's process may still be running.
            fork = ForkFrom(backend_session_id=session_id_of(parent), after=one.done.fork_ref)
            config = case.config(workspace, fork=fork, prior_cost=one.done.cumulative_cost or 0.0)
            async with case.backend().open(config, child.emit) as branch_session:
                branch = await run_turn(branch_session, child, "[[say:three]] what do you remember?")
    assert two.done.status == branch.done.status == "completed", branch.done.error
    assert branch.text == "three"
    assert session_id_of(child) != session_id_of(parent)
    body = case.mock.model_requests()[-1].body
    assert b"remember kiwi" in body
    assert b"remember mango" not in body
    if case.expects.cost:
        assert cost_per_token(branch.done) == pytest.approx(cost_per_token(one.done), rel=0.5)


async def test_usage_and_cost_add_up_across_resume_and_fork(case: Case, workspace: Path) -> None:
    parent, resumed, forked = Recorder(), Recorder(), Recorder()
    with trio.fail_after(SCENARIO_TIMEOUT):
        async with case.backend().open(case.config(workspace), parent.emit) as session:
            one = (await run_turn(session, parent, "[[say:one]] first")).done
            two = (await run_turn(session, parent, "[[bash:echo two]] second")).done
        session_id = session_id_of(parent)
        if case.expects.resume:
            config = case.config(workspace, resume=session_id, prior_cost=two.cumulative_cost or 0.0)
            async with case.backend().open(config, resumed.emit) as session:
                three = (await run_turn(session, resumed, "[[say:three]] third")).done
        if case.expects.fork_at_turn:
            fork = ForkFrom(backend_session_id=session_id, after=one.fork_ref)
            config = case.config(workspace, fork=fork, prior_cost=one.cumulative_cost or 0.0)
            async with case.backend().open(config, forked.emit) as session:
                branch = (await run_turn(session, forked, "[[say:four]] fourth")).done
    done = [one, two] + ([three] if case.expects.resume else []) + ([branch] if case.expects.fork_at_turn else [])
    for turn in done:
        assert turn.status == "completed", turn.error
        assert turn.usage.input_tokens > 0
        assert turn.usage.output_tokens > 0
    if not case.expects.cost:
        return
    assert all(turn.usage.cost_usd > 0 for turn in done)
    assert one.cumulative_cost == pytest.approx(one.usage.cost_usd)
    assert two.cumulative_cost == pytest.approx(one.usage.cost_usd + two.usage.cost_usd)
    rate = cost_per_token(one)
    if case.expects.resume:
        assert three.cumulative_cost == pytest.approx(sum(t.usage.cost_usd for t in (one, two, three)))
        assert cost_per_token(three) == pytest.approx(rate, rel=0.5)
    if case.expects.fork_at_turn:
        # The branch pays for its own turn only, not for the turns it left behind.
        assert branch.cumulative_cost == pytest.approx(one.usage.cost_usd + branch.usage.cost_usd)
        assert cost_per_token(branch) == pytest.approx(rate, rel=0.5)


@pytest.mark.parametrize("failure", ["401", "500", "unreachable"])
async def test_errors_fail_the_turn_with_advice(case: Case, workspace: Path, failure: str) -> None:
    recorder = Recorder()
    config = case.config(workspace, unreachable=failure == "unreachable")
    prompt = "hello" if failure == "unreachable" else f"[[error:{failure}]]"
    with trio.fail_after(SCENARIO_TIMEOUT):
        async with case.backend().open(config, recorder.emit) as session:
            turn = await run_turn(session, recorder, prompt)
    assert turn.done.status == "failed"
    assert turn.done.error
    assert turn.done.hint
    if failure == "401":
        assert "login" in turn.done.hint.lower() or "log in" in turn.done.hint.lower()
    if failure == "500":
        assert "500" in turn.done.error
    # No retry loop: the failing request was sent a handful of times at most.
    assert len(case.mock.model_requests()) <= 3


async def crash_mid_turn(case: Case, workspace: Path, recorder: Recorder, turns: list[TurnDone]) -> None:
    """One completed turn, then the CLI is killed in the middle of the next; never returns."""
    async with case.backend().open(case.config(workspace), recorder.emit) as session:
        turns.append((await run_turn(session, recorder, "[[say:one]] the code is 4711")).done)
        start = await begin_turn(session, recorder, "[[hang]]")
        await recorder.wait_for(lambda e: isinstance(e, TextDelta), start=start)
        await case.kill_process(session)
        await trio.sleep_forever()


async def test_a_killed_process_is_reported_and_the_conversation_resumes(case: Case, workspace: Path) -> None:
    first, second = Recorder(), Recorder()
    turns: list[TurnDone] = []
    with trio.fail_after(SCENARIO_TIMEOUT):
        with pytest.raises(BackendError) as stopped:
            await crash_mid_turn(case, workspace, first, turns)
        [one] = turns
        if not case.expects.resume:
            return
        config = case.config(workspace, resume=session_id_of(first), prior_cost=one.cumulative_cost or 0.0)
        async with case.backend().open(config, second.emit) as session:
            after = (await run_turn(session, second, "[[say:back]] what was the code?")).done
    assert str(stopped.value)
    assert after.status == "completed", after.error
    assert b"the code is 4711" in case.mock.model_requests()[-1].body
    if case.expects.cost:
        assert after.usage.cost_usd == pytest.approx(
            cost_per_token(one) * (after.usage.input_tokens + after.usage.output_tokens), rel=0.5
        )
        assert after.cumulative_cost == pytest.approx(one.usage.cost_usd + after.usage.cost_usd)


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def attach(folder: Path, name: str, media_type: str, data: bytes) -> Attachment:
    (folder / name).write_bytes(data)
    return Attachment(file=name, name=name, media_type=media_type, size=len(data), sha256="0" * 64)


async def test_attachments_reach_the_model(case: Case, workspace: Path, tmp_path: Path) -> None:
    require(case, "images")
    files = tmp_path / "files"
    files.mkdir()
    png = tiny_png()
    attachments = [
        attach(files, "dot.png", "image/png", png),
        attach(files, "notes.txt", "text/plain", b"the plan is to paint the fence"),
    ]
    if case.expects.pdfs:
        attachments.append(attach(files, "brief.pdf", "application/pdf", b"%PDF-1.4\n%%EOF\n"))
    recorder = Recorder()
    with trio.fail_after(SCENARIO_TIMEOUT):
        async with case.backend().open(case.config(workspace), recorder.emit) as session:
            turn = await run_turn(
                session, recorder, "[[say:Seen]] look at these", attachments=attachments, files_dir=files
            )
    assert turn.done.status == "completed", turn.done.error
    body = case.mock.model_requests()[-1].body
    assert base64.b64encode(png) in body
    assert b"the plan is to paint the fence" in body
    if case.expects.pdfs:
        assert base64.b64encode(b"%PDF-1.4\n%%EOF\n") in body


async def test_a_topic_comes_from_a_one_off_question(case: Case, workspace: Path) -> None:
    with trio.fail_after(SCENARIO_TIMEOUT):
        topic = await case.backend().topic("[[topic:Fixing the login page]] please fix login", case.config(workspace))
    assert topic == "Fixing the login page"
