"""The trio shell around `codex app-server`: a scripted fake for framing and failures, then the real codex."""

from __future__ import annotations

import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import trio

from isomux.backends.codex import locate
from isomux.backends.codex.process import AppServer, initialize, open_app_server
from isomux.backends.codex.rpc import CodexRequestError, Notification, ServerRequest
from isomux.errors import AskTimeout, BackendError, BackendProtocolError, BackendUnavailable

FAKE = Path(__file__).parent / "fakes" / "fake_app_server.py"
REPO = Path(__file__).resolve().parents[1]
LOCAL_CODEX = REPO / ".tools/codex/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex"


@asynccontextmanager
async def fake_server(*options: str, **kwargs: Any) -> AsyncIterator[AppServer]:
    async with open_app_server([sys.executable, str(FAKE), *options], env=dict(os.environ), **kwargs) as server:
        yield server


def gone(pid: int) -> bool:
    """True once the process no longer runs (a zombie awaiting its reaper counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rpartition(")")[2].split()[0] == "Z"


async def wait_gone(pid: int) -> None:
    # A killed grandchild is reparented and reaped by another process a moment later; there is no
    # event to wait on, so poll.
    while not gone(pid):  # noqa: ASYNC110
        await trio.sleep(0.02)


# With the scripted fake -----------------------------------------------------------


async def test_request_response_round_trip() -> None:
    with trio.fail_after(10):
        async with fake_server() as server:
            result = await server.request("echo", {"text": "héllo 世界"}, timeout=5)
            slow = await server.request("dribble", {"text": "🎉 split into single bytes"}, timeout=5)
    assert result == {"method": "echo", "params": {"text": "héllo 世界"}}
    assert slow == {"text": "🎉 split into single bytes"}
    assert server.returncode == 0


async def test_notifications_arrive_in_order_before_the_answer() -> None:
    with trio.fail_after(10):
        async with fake_server() as server:
            assert await server.request("notify", {"count": 50}, timeout=5) == {"sent": 50}
            deltas = [await server.incoming.receive() for _ in range(50)]
    assert deltas == [Notification("item/agentMessage/delta", {"delta": str(i)}) for i in range(50)]


async def test_a_server_request_is_answered_by_the_client() -> None:
    with trio.fail_after(10):
        async with fake_server() as server, trio.open_nursery() as nursery:
            results: list[dict[str, object]] = []

            async def ask(command: str) -> None:
                results.append(await server.request("ask", {"command": command}, timeout=5))

            nursery.start_soon(ask, "rm -rf /")
            approval = await server.incoming.receive()
            assert isinstance(approval, ServerRequest)
            assert approval.method == "item/commandExecution/requestApproval"
            assert approval.params == {"command": "rm -rf /"}
            await server.respond(approval.id, {"decision": "decline"})
            nursery.start_soon(ask, "ls")
            second = await server.incoming.receive()
            assert isinstance(second, ServerRequest)
            await server.respond_error(second.id, -32603, "no one to ask")
    assert results[0] == {"answer": {"id": approval.id, "result": {"decision": "decline"}}}
    assert results[1] == {"answer": {"id": second.id, "error": {"code": -32603, "message": "no one to ask"}}}


async def test_an_error_response_raises_with_the_servers_message() -> None:
    with trio.fail_after(10):
        async with fake_server() as server:
            with pytest.raises(CodexRequestError, match="refused fail: thread not found") as caught:
                await server.request("fail", {"message": "thread not found"}, timeout=5)
            assert await server.request("echo", {}, timeout=5) == {"method": "echo", "params": {}}
    assert isinstance(caught.value, BackendError)
    assert caught.value.rpc_code == -32600


async def test_no_answer_is_a_timeout_and_the_connection_stays_usable() -> None:
    with trio.fail_after(10):
        async with fake_server() as server:
            with pytest.raises(AskTimeout, match="did not answer hang"):
                await server.request("hang", {}, timeout=0.2)
            assert await server.request("echo", {"n": 1}, timeout=5) == {"method": "echo", "params": {"n": 1}}


async def test_garbage_on_stdout_is_skipped() -> None:
    with trio.fail_after(10):
        async with fake_server() as server:
            assert await server.request("garbage", {}, timeout=5) == {"after": "garbage"}
            assert await server.request("echo", {}, timeout=5) == {"method": "echo", "params": {}}


async def test_a_stderr_flood_does_not_stall_the_server() -> None:
    with trio.fail_after(30):
        async with fake_server(stderr_lines=5) as server:
            assert await server.request("stderr_flood", {"bytes": 8 * 1024 * 1024}, timeout=25) == {"flooded": True}
            assert await server.request("echo", {}, timeout=5) == {"method": "echo", "params": {}}
    assert server.stderr_tail()[-1] == "flood done"
    assert len(server.stderr_tail()) == 5


async def test_a_crash_mid_request_fails_it_with_the_exit_code_and_stderr() -> None:
    with trio.fail_after(10):
        async with fake_server() as server:
            with pytest.raises(BackendError, match="exited with code 3") as caught:
                await server.request("crash", {"code": 3, "stderr": "panicked at 'boom'\n"}, timeout=5)
            assert "panicked at 'boom'" in str(caught.value)
            with pytest.raises(trio.EndOfChannel):
                await server.incoming.receive()
            with pytest.raises(BackendError, match="exited with code 3"):
                await server.request("echo", {}, timeout=5)
            assert server.failure is not None


async def test_a_server_killed_from_outside_fails_the_waiting_request() -> None:
    with trio.fail_after(10):
        async with fake_server() as server, trio.open_nursery() as nursery:

            async def kill_soon() -> None:
                await trio.sleep(0.1)
                os.kill(server.pid, signal.SIGKILL)

            nursery.start_soon(kill_soon)
            with pytest.raises(BackendError, match="was killed by SIGKILL"):
                await server.request("hang", {}, timeout=5)
            assert isinstance(await server.wait_ended(), BackendError)


async def test_an_overlong_line_ends_the_connection_with_the_limit_named() -> None:
    with trio.fail_after(10):
        async with fake_server(max_line=4096) as server:
            with pytest.raises(BackendProtocolError, match="4 KiB limit"):
                await server.request("huge_line", {"bytes": 10_000}, timeout=5)


async def test_no_grandchild_survives_the_server() -> None:
    with trio.fail_after(10):
        async with fake_server() as server:
            child = (await server.request("spawn_child", {}, timeout=5))["pid"]
            assert isinstance(child, int)
            assert not gone(child)
        await wait_gone(child)


async def test_no_grandchild_survives_a_crashed_server() -> None:
    with trio.fail_after(10):
        async with fake_server() as server:
            child = (await server.request("spawn_child", {}, timeout=5))["pid"]
            with pytest.raises(BackendError, match="exited with code 9"):
                await server.request("crash", {"code": 9, "stderr": ""}, timeout=5)
        await wait_gone(child)


async def test_cancellation_stops_the_server_and_its_children() -> None:
    with trio.fail_after(10):
        with trio.move_on_after(0.5) as scope:
            async with fake_server() as server:
                child = (await server.request("spawn_child", {}, timeout=5))["pid"]
                await server.request("hang", {}, timeout=60)
        assert scope.cancelled_caught
        assert server.returncode == 0
        await wait_gone(child)


async def test_a_server_that_ignores_eof_and_sigterm_is_killed() -> None:
    with trio.fail_after(10):
        with trio.move_on_after(0.5):
            async with fake_server("--ignore-eof", "--ignore-term", stop_grace=0.2) as server:
                await server.request("hang", {}, timeout=60)
    assert server.returncode == -signal.SIGKILL
    assert gone(server.pid)


async def test_the_callers_exception_comes_out_unwrapped() -> None:
    with trio.fail_after(10), pytest.raises(KeyError, match="mine"):
        async with fake_server() as server:
            raise KeyError("mine")
    assert server.returncode == 0


async def test_a_missing_program_is_backend_unavailable(tmp_path: Path) -> None:
    with pytest.raises(BackendUnavailable, match="cannot start"):
        async with open_app_server([str(tmp_path / "no-such-codex"), "app-server"], env={}):
            pass


# Locating codex -------------------------------------------------------------------


def make_executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\necho codex-cli 0.1.0\n")
    path.chmod(0o755)
    return path


def test_find_codex_prefers_configured_then_env(tmp_path: Path) -> None:
    configured = make_executable(tmp_path / "a" / "codex")
    from_env = make_executable(tmp_path / "b" / "codex")
    env = {"ISOMUX_CODEX_BIN": str(from_env), "PATH": ""}
    assert locate.find_codex(str(configured), env) == configured
    assert locate.find_codex(None, env) == from_env


def test_a_configured_path_that_does_not_exist_says_so(tmp_path: Path) -> None:
    with pytest.raises(BackendUnavailable, match=r"ISOMUX_CODEX_BIN points at .*, which does not exist"):
        locate.find_codex(None, {"ISOMUX_CODEX_BIN": str(tmp_path / "nope")})


def test_the_npm_launcher_on_path_is_swapped_for_the_native_binary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locate, "LOCAL_INSTALL", tmp_path / "no-local-install")
    openai = tmp_path / "lib" / "node_modules" / "@openai"
    launcher = make_executable(openai / "codex" / "bin" / "codex.js")
    native = make_executable(openai / "codex-linux-x64" / "vendor" / "x86_64-unknown-linux-musl" / "bin" / "codex")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "codex").symlink_to(launcher)
    if locate.native_target() != ("linux-x64", "x86_64-unknown-linux-musl"):
        pytest.fail("this test lays out the linux-x64 npm package; adapt it for this platform")
    assert locate.find_codex(None, {"PATH": str(bin_dir)}) == native


def test_missing_codex_explains_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locate, "LOCAL_INSTALL", tmp_path / "no-local-install")
    with pytest.raises(BackendUnavailable) as caught:
        locate.find_codex(None, {"PATH": str(tmp_path)})
    message = str(caught.value)
    assert "npm install -g @openai/codex" in message
    assert "make tools" in message
    assert "ISOMUX_CODEX_BIN" in message


def test_an_old_codex_is_refused_with_upgrade_advice() -> None:
    with pytest.raises(BackendUnavailable, match=r"codex 0\.150\.0 is too old; Isomux needs ≥ 0\.169\.0") as e:
        locate.check_version(locate.parse_version("codex-cli 0.150.0\n"))
    assert "npm install -g @openai/codex@latest" in str(e.value)
    locate.check_version((0, 169, 0))
    locate.check_version((1, 0, 0))


async def test_probe_version_reports_a_binary_that_prints_no_version(tmp_path: Path) -> None:
    script = tmp_path / "codex"
    script.write_text("#!/bin/sh\necho hello\n")
    script.chmod(0o755)
    with pytest.raises(BackendUnavailable, match="cannot read a version"):
        await locate.probe_version(script)


# With the real codex ----------------------------------------------------------------


@pytest.fixture
def codex_binary() -> Path:
    if not LOCAL_CODEX.is_file():
        pytest.fail(f"the real codex is not installed at {LOCAL_CODEX}; run `make tools` in the repository")
    return LOCAL_CODEX


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def offline_codex_home(home: Path) -> Path:
    home.mkdir()
    (home / "config.toml").write_text(
        f"""model = "mock-model"
model_provider = "mock"
approval_policy = "never"
sandbox_mode = "danger-full-access"
check_for_update_on_startup = false

[model_providers.mock]
name = "Mock"
base_url = "http://127.0.0.1:{unused_port()}/v1"
env_key = "MOCK_API_KEY"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0

[analytics]
enabled = false

[features]
unbounded_connection_retries = false
plugins = false
remote_plugin = false
apps = false
"""
    )
    return home


def test_the_project_local_codex_is_found(codex_binary: Path) -> None:
    assert locate.find_codex(None, {"PATH": ""}) == codex_binary


async def test_real_codex_is_recent_enough(codex_binary: Path) -> None:
    version = await locate.probe_version(codex_binary)
    assert version >= locate.MIN_CODEX_VERSION
    locate.check_version(version)


async def test_real_codex_starts_a_thread(codex_binary: Path, tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": str(tmp_path),
        "CODEX_HOME": str(offline_codex_home(tmp_path / "codex-home")),
        "MOCK_API_KEY": "dummy",
        "RUST_LOG": "warn",
    }
    with trio.fail_after(30):
        async with open_app_server([str(codex_binary), "app-server"], env=env, cwd=tmp_path) as server:
            with pytest.raises(CodexRequestError, match="Not initialized"):
                await server.request("thread/start", {}, timeout=10)
            hello = await initialize(server, client_name="isomux_test", client_version="0.1.0")
            assert "isomux_test" in hello["userAgent"]
            started = await server.request("thread/start", {"cwd": str(workspace)}, timeout=10)
            thread_id = started["thread"]["id"]
            assert isinstance(thread_id, str)
            assert thread_id
            while (note := await server.incoming.receive()).method != "thread/started":
                pass
            assert note.params["thread"]["id"] == thread_id
    assert server.returncode == 0
