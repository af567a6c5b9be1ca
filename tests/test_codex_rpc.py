"""The sans-IO JSON-RPC core used to talk to `codex app-server`: framing, encoding, correlation."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isomux.backends.codex.rpc import (
    TAIL_LINE_BYTES,
    ErrorResponse,
    LineBuffer,
    Notification,
    Response,
    RpcCore,
    RpcProtocolError,
    ServerRequest,
    TailBuffer,
)
from isomux.errors import BackendProtocolError


def drain(buffer: LineBuffer) -> list[str]:
    lines = []
    while (line := buffer.pop_line()) is not None:
        lines.append(line)
    return lines


def split_at(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    edges = [0, *points, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(edges)]


# Framing ----------------------------------------------------------------------

texts = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\n\r"))


@given(lines=st.lists(texts, max_size=8), cuts=st.lists(st.integers(min_value=0), max_size=12))
def test_lines_survive_any_chunking(lines: list[str], cuts: list[int]) -> None:
    data = "".join(f"{line}\n" for line in lines).encode()
    buffer = LineBuffer()
    got = []
    for chunk in split_at(data, cuts):
        buffer.feed(chunk)
        got.extend(drain(buffer))
    assert got == lines


@given(
    lines=st.lists(texts.filter(lambda t: len(t) < 12), max_size=8),
    cuts=st.lists(st.integers(0), max_size=12),
)
def test_overlong_lines_are_reported_in_place_whatever_the_chunking(lines: list[str], cuts: list[int]) -> None:
    limit = 8
    data = "".join(f"{line}\n" for line in lines).encode()
    buffer = LineBuffer(max_line=limit)
    got: list[str | None] = []

    def drain_noting_errors() -> None:
        while True:
            try:
                line = buffer.pop_line()
            except RpcProtocolError:
                got.append(None)
                continue
            if line is None:
                return
            got.append(line)

    for chunk in split_at(data, cuts):
        try:
            buffer.feed(chunk)
        except RpcProtocolError:
            # The refused line comes after every complete line already buffered.
            drain_noting_errors()
            got.append(None)
        drain_noting_errors()
    assert got == [line if len(line.encode()) <= limit else None for line in lines]


def test_multibyte_character_split_across_chunks() -> None:
    data = '{"text":"héllo 世界 🎉"}\n'.encode()
    cut = data.index("🎉".encode()) + 2
    buffer = LineBuffer()
    buffer.feed(data[:cut])
    assert buffer.pop_line() is None
    buffer.feed(data[cut:])
    assert buffer.pop_line() == '{"text":"héllo 世界 🎉"}'


def test_several_lines_in_one_chunk_and_a_partial_one() -> None:
    buffer = LineBuffer()
    buffer.feed(b'{"a":1}\n{"b":2}\r\n{"c":')
    assert drain(buffer) == ['{"a":1}', '{"b":2}']
    buffer.feed(b"3}\n")
    assert drain(buffer) == ['{"c":3}']


def test_an_unfinished_line_over_the_limit_is_refused_naming_the_limit() -> None:
    buffer = LineBuffer(max_line=1024)
    buffer.feed(b"ok\n" + b"y" * 1000)
    with pytest.raises(BackendProtocolError, match="longer than the 1 KiB limit"):
        buffer.feed(b"y" * 100)
    # The line before it is intact, and the stream recovers after the long line's newline.
    buffer.feed(b"yyy\nnext\n")
    assert drain(buffer) == ["ok", "next"]


def test_a_complete_line_over_the_limit_is_refused_and_skipped() -> None:
    buffer = LineBuffer(max_line=16)
    buffer.feed(b"short\n" + b"z" * 17 + b"\nafter\n")
    assert buffer.pop_line() == "short"
    with pytest.raises(RpcProtocolError, match="16 bytes limit") as caught:
        buffer.pop_line()
    assert caught.value.line.startswith("zzz")
    assert buffer.pop_line() == "after"


def test_the_default_limit_is_16_mib() -> None:
    buffer = LineBuffer()
    with pytest.raises(RpcProtocolError, match="16 MiB limit"):
        buffer.feed(b"q" * (16 * 1024 * 1024 + 1))


def test_invalid_utf8_is_a_clear_error_and_the_next_line_still_arrives() -> None:
    buffer = LineBuffer()
    buffer.feed(b'{"x":"\xff"}\n{"y":1}\n')
    with pytest.raises(RpcProtocolError, match="not valid UTF-8"):
        buffer.pop_line()
    assert buffer.pop_line() == '{"y":1}'


# Encoding ---------------------------------------------------------------------


def test_request_encodes_one_line_with_a_fresh_id() -> None:
    core = RpcCore()
    first, data = core.request("thread/start", {"cwd": "/w", "note": "a\nb"})
    second, _ = core.request("turn/interrupt", {"threadId": "t"})
    assert first != second
    assert data.endswith(b"\n")
    assert data.count(b"\n") == 1
    assert json.loads(data) == {
        "id": first,
        "method": "thread/start",
        "params": {"cwd": "/w", "note": "a\nb"},
    }
    assert "jsonrpc" not in json.loads(data)
    assert core.pending == {first, second}


def test_notifications_and_answers_encode_as_the_server_expects() -> None:
    core = RpcCore()
    assert json.loads(core.notify("initialized")) == {"method": "initialized"}
    assert json.loads(core.respond(0, {"decision": "decline"})) == {
        "id": 0,
        "result": {"decision": "decline"},
    }
    assert json.loads(core.respond_error(3, -32603, "no handler")) == {
        "id": 3,
        "error": {"code": -32603, "message": "no handler"},
    }


def test_non_ascii_text_round_trips() -> None:
    core = RpcCore()
    _, data = core.request("turn/start", {"text": "café ☕"})
    assert json.loads(data)["params"]["text"] == "café ☕"


# Correlation and classification -------------------------------------------------


def test_a_response_resolves_its_request_once() -> None:
    core = RpcCore()
    request_id, _ = core.request("thread/start", {})
    line = json.dumps({"id": request_id, "result": {"thread": {"id": "t1"}}})
    assert core.receive(line) == Response(request_id, {"thread": {"id": "t1"}})
    assert core.pending == frozenset()
    with pytest.raises(RpcProtocolError, match="unknown request id"):
        core.receive(line)


def test_error_response_carries_the_servers_message() -> None:
    core = RpcCore()
    request_id, _ = core.request("thread/start", {})
    line = json.dumps({"error": {"code": -32600, "message": "Not initialized"}, "id": request_id})
    assert core.receive(line) == ErrorResponse(request_id, -32600, "Not initialized")


def test_server_requests_and_notifications_are_told_apart() -> None:
    core = RpcCore()
    approval = core.receive('{"id":0,"method":"item/commandExecution/requestApproval","params":{"command":"ls"}}')
    assert approval == ServerRequest(0, "item/commandExecution/requestApproval", {"command": "ls"})
    delta = core.receive('{"method":"item/agentMessage/delta","params":{"delta":"hi"},"emittedAtMs":1}')
    assert delta == Notification("item/agentMessage/delta", {"delta": "hi"})
    assert core.receive('{"method":"thread/closed"}') == Notification("thread/closed", {})


def test_a_server_request_id_does_not_collide_with_ours() -> None:
    core = RpcCore()
    ours, _ = core.request("turn/start", {})
    incoming = core.receive(json.dumps({"id": ours, "method": "item/fileChange/requestApproval", "params": {}}))
    assert isinstance(incoming, ServerRequest)
    assert core.pending == {ours}


def test_a_late_answer_to_an_abandoned_request_is_recognised() -> None:
    core = RpcCore()
    request_id, _ = core.request("thread/read", {})
    core.abandon(request_id)
    assert core.pending == frozenset()
    assert core.receive(json.dumps({"id": request_id, "result": {}})) == Response(request_id, {})


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("not json at all", "not JSON"),
        ("[1, 2]", "not an object"),
        ('{"params": {}}', "neither an id nor a method"),
        ('{"id": 77, "result": {}}', "unknown request id 77"),
        ('{"method": 5}', "not a string"),
        ('{"method": "x", "params": [1]}', "params that are not an object"),
        ('{"id": null, "error": {"code": -32700, "message": "Parse error"}}', "Parse error"),
    ],
)
def test_malformed_input_is_a_clear_error_carrying_the_line(line: str, reason: str) -> None:
    with pytest.raises(RpcProtocolError, match=reason) as caught:
        RpcCore().receive(line)
    assert caught.value.line == line
    assert isinstance(caught.value, BackendProtocolError)


def test_the_offending_line_is_truncated_in_errors() -> None:
    line = "x" * 50_000
    with pytest.raises(RpcProtocolError) as caught:
        RpcCore().receive(line)
    assert len(str(caught.value)) < 1000
    assert "50000 characters" in str(caught.value)


# The stderr tail ----------------------------------------------------------------


def test_tail_keeps_the_last_lines_across_chunks() -> None:
    tail = TailBuffer(3)
    tail.feed(b"one\ntwo\nthr")
    tail.feed(b"ee\n\nfour\nfi")
    assert tail.lines() == ["two", "three", "four"]
    tail.finish()
    assert tail.lines() == ["three", "four", "fi"]


def test_tail_cuts_long_lines_and_strips_colour_codes() -> None:
    tail = TailBuffer(5)
    tail.feed(b"\x1b[31mERROR\x1b[0m codex_core: boom\n")
    tail.feed(b"a" * (TAIL_LINE_BYTES + 10_000))
    tail.feed(b"a" * 50_000 + b"\nlast\n")
    assert tail.lines()[0] == "ERROR codex_core: boom"
    assert tail.lines()[1] == "a" * TAIL_LINE_BYTES + " […]"
    assert tail.lines()[2] == "last"
