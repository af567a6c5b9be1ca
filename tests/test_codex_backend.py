"""The Codex backend against the real `codex app-server` and the mock: what the shared contract does not cover."""

from __future__ import annotations

from pathlib import Path

import pytest
import trio

from isomux.backends.base import Notice, PermissionRequest, SessionReady, TextDelta, TurnDone, TurnInput
from isomux.backends.codex.backend import CodexBackend, check_handshake
from isomux.errors import BackendUnavailable, Conflict, NotFound
from tests.contract.case_codex import CodexCase
from tests.contract.framework import Recorder, begin_turn, finish_turn, run_turn

pytestmark = pytest.mark.slow
TIMEOUT = 60


@pytest.fixture
async def case(nursery: trio.Nursery, tmp_path: Path) -> CodexCase:
    made = CodexCase()
    await made.start(nursery, tmp_path)
    return made


async def test_input_steered_into_a_running_turn_reaches_the_model(case: CodexCase, workspace: Path) -> None:
    recorder = Recorder()
    with trio.fail_after(TIMEOUT):
        async with case.backend().open(case.config(workspace), recorder.emit) as session:
            start = await begin_turn(session, recorder, "[[slow:60:50]]")
            await recorder.wait_for(lambda e: isinstance(e, TextDelta), start=start)
            await session.steer(TurnInput(text="[[say:Steered in]] change of plan"))
            turn = await finish_turn(recorder, start)
            with pytest.raises(Conflict):
                await session.steer(TurnInput(text="too late"))
    assert turn.done.status == "completed", turn.done.error
    assert turn.text.endswith("Steered in")
    assert len(turn.of(TurnDone)) == 1
    assert case.mock.last_user_texts()[-1] == "[[say:Steered in]] change of plan"


async def test_the_policy_declines_without_asking_a_person(case: CodexCase, workspace: Path) -> None:
    sentinel = case.home / "keep.txt"
    sentinel.write_text("keep")
    recorder = Recorder()
    with trio.fail_after(TIMEOUT):
        config = case.config(workspace, permission_mode="default")
        async with case.backend().open(config, recorder.emit) as session:
            turn = await run_turn(session, recorder, "[[bash:rm -rf ~]] [[say:I tried]]")
    assert sentinel.exists()
    assert recorder.of(PermissionRequest) == []
    assert turn.text == "I tried"
    assert any("terminal" in n.text for n in turn.of(Notice))
    # The model is told why, in a developer note after the failed call.
    assert b"Isomux declined that tool call" in case.mock.model_requests()[-1].body


async def test_a_question_left_open_when_the_turn_is_interrupted_cannot_be_answered(
    case: CodexCase, workspace: Path
) -> None:
    recorder = Recorder()
    with trio.fail_after(TIMEOUT):
        config = case.config(workspace, permission_mode="default")
        async with case.backend().open(config, recorder.emit) as session:
            start = await begin_turn(session, recorder, "[[bash:touch never.txt]]")
            request = await recorder.wait_for(lambda e: isinstance(e, PermissionRequest), start=start)
            assert isinstance(request, PermissionRequest)
            await session.interrupt()
            turn = await finish_turn(recorder, start)
            with pytest.raises(NotFound):
                await session.answer_permission(request.request_id, True, "")
            after = await run_turn(session, recorder, "[[say:fine]]")
    assert turn.done.status == "interrupted"
    assert not (workspace / "never.txt").exists()
    assert after.text == "fine"


async def test_a_lost_conversation_starts_afresh_and_says_so(case: CodexCase, workspace: Path) -> None:
    recorder = Recorder()
    gone = "01a1fccc-0000-7000-8000-000000000000"
    with trio.fail_after(TIMEOUT):
        async with case.backend().open(case.config(workspace, resume=gone), recorder.emit) as session:
            turn = await run_turn(session, recorder, "[[say:hello again]]")
    [notice] = recorder.of(Notice)
    assert "without the earlier context" in notice.text
    assert recorder.of(SessionReady)[0].backend_session_id != gone
    assert turn.text == "hello again"


async def test_a_missing_codex_is_unavailable_with_an_install_hint(
    case: CodexCase, workspace: Path, tmp_path: Path
) -> None:
    backend = CodexBackend(str(tmp_path / "no-codex"))
    assert not backend.info.available
    assert "npm install" in backend.info.problem
    with pytest.raises(BackendUnavailable, match="npm install"):
        async with backend.open(case.config(workspace), Recorder().emit):
            pass


async def test_probing_the_real_codex_finds_it_recent_enough(case: CodexCase) -> None:
    backend = CodexBackend(case.binary)
    info = await backend.probe()
    assert info.available, info.problem


def test_an_old_server_is_refused_at_the_handshake() -> None:
    check_handshake({"userAgent": "isomux/0.169.0 (Debian 12.0.0; x86_64) xterm (isomux; 0.1.0)"})
    with pytest.raises(BackendUnavailable, match="too old"):
        check_handshake({"userAgent": "isomux/0.124.0 (Debian 12.0.0; x86_64) xterm (isomux; 0.1.0)"})
