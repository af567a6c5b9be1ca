"""The hub, its projection and the browser outbox: fan-out that never blocks, resync without gaps."""

from __future__ import annotations

import json

import trio

from isomux.coalesce import coalesce
from isomux.domain.events import AgentAdded, LogAppended, LogReset, LogTail, StreamDelta
from isomux.domain.log import Text, TurnEnd
from isomux.domain.model import AgentSpec, QueuedMessage, Sender
from isomux.envfile import parse_env
from isomux.hub import Hub
from isomux.outbox import Outbox
from isomux.projection import TAIL


def _agent(n: int) -> AgentSpec:
    return AgentSpec(id=f"a_{n}", name=f"A{n}", room_id="r_1", desk=n % 8, cwd="/tmp", backend="demo")


def _text(n: int, block: str | None = None) -> Text:
    return Text(id=f"e_{n}", ts=n, text=f"entry {n}", block=block)


class TestOutbox:
    async def test_a_browser_that_falls_behind_gets_one_fresh_snapshot(self) -> None:
        box = Outbox(max_events=3)
        hub = Hub((), "test", ring=100)
        for n in range(5):
            hub.publish(AgentAdded(agent=_agent(n)))
        box.reset(*hub.welcome())
        taken = await box.take()
        assert taken[0].welcome
        for n in range(5, 12):
            hub.publish(AgentAdded(agent=_agent(n)))
            box.push_event(hub.seq, hub.ring[-1][2], hub.welcome)
        out = await box.take()
        assert box.resyncs >= 1
        assert out[0].welcome
        snapshot = json.loads(out[0].text)["snapshot"]
        events = [json.loads(o.text) for o in out[1:] if o.events]
        seqs = [item["seq"] for frame in events for item in frame["items"]]
        # No gap: events continue exactly after the snapshot's sequence number.
        assert seqs == list(range(snapshot["seq"] + 1, hub.seq + 1))
        assert len(snapshot["agents"]) + len(seqs) == 12

    async def test_deltas_merge_per_block_and_go_out_with_the_next_event(self) -> None:
        hub = Hub((), "test", ring=100)
        box = Outbox()
        hub.join(box, None, None)
        await box.take()  # the welcome and presence
        hub.last_flush = trio.current_time()  # as if some went out just now
        for part in ["Hel", "lo", " there"]:
            hub.publish_delta(StreamDelta(agent_id="a", block="b1", kind="text", text=part))
        hub.publish_delta(StreamDelta(agent_id="a", block="b2", kind="thinking", text="hmm"))
        assert not box.ready()  # merged in the hub until its tick or the next event
        hub.publish(AgentAdded(agent=_agent(1)))
        out = await box.take()
        assert len(out) == 1  # one WebSocket message: the stream text, then the event
        frame = json.loads(out[0].text)
        assert [(d["block"], d["text"]) for d in frame["deltas"]] == [("b1", "Hello there"), ("b2", "hmm")]
        assert [item["seq"] for item in frame["items"]] == [hub.seq]
        assert out[0].last_seq == hub.seq

    async def test_a_flush_without_events_sends_stream_text_alone(self) -> None:
        hub = Hub((), "test", ring=100)
        box = Outbox()
        hub.join(box, None, None)
        await box.take()
        hub.publish_delta(StreamDelta(agent_id="a", block="b1", kind="text", text="x"))
        assert not hub.deltas_waiting.is_set()  # the first one after a quiet spell goes at once
        hub.publish_delta(StreamDelta(agent_id="a", block="b1", kind="text", text="y"))
        assert hub.deltas_waiting.is_set()  # the next waits for the tick
        hub.flush_deltas()
        assert not hub.deltas_waiting.is_set()
        (out,) = await box.take()
        assert json.loads(out.text) == {
            "type": "events",
            "deltas": [
                {"agentId": "a", "block": "b1", "kind": "text", "text": "x"},
                {"agentId": "a", "block": "b1", "kind": "text", "text": "y"},
            ],
            "items": [],
        }
        assert out.last_seq is None
        assert out.events == 0

    async def test_a_browser_that_lets_stream_text_pile_up_gets_a_snapshot_with_it(self) -> None:
        hub = Hub((), "test", ring=100)
        hub.publish(AgentAdded(agent=_agent(1)))
        box = Outbox()
        hub.join(box, None, None)
        await box.take()
        for _ in range(40):
            hub.publish_delta(StreamDelta(agent_id="a_1", block="b1", kind="text", text="y" * 40_000))
            hub.flush_deltas()
        assert box.resyncs == 1
        out = await box.take()
        assert out[0].welcome
        streams = json.loads(out[0].text)["snapshot"]["streams"]
        assert streams["a_1"][0]["text"].endswith("y" * 1000)  # the stream so far (its end) is in the snapshot

    async def test_take_waits_and_wakes(self) -> None:
        box = Outbox()
        got: list[int] = []

        async def reader() -> None:
            got.append(len(await box.take()))

        async with trio.open_nursery() as nursery:
            nursery.start_soon(reader)
            await trio.testing.wait_all_tasks_blocked()
            assert got == []
            box.push_frame('{"type":"pong"}')
        assert got == [1]


class TestProjection:
    def test_the_tail_window_slides_and_keeps_its_cursor(self) -> None:
        hub = Hub((), "test", ring=10)
        hub.publish(AgentAdded(agent=_agent(1)))
        hub.publish(LogReset(agent_id="a_1", tail=LogTail(session_id="s_1", older=None)))
        for n in range(TAIL + 10):
            hub.publish(LogAppended(agent_id="a_1", session_id="s_1", entry=_text(n), cursor=f"s_1:{n * 100}"))
        tail = hub.snapshot().logs["a_1"]
        assert len(tail.entries) == TAIL
        assert tail.entries[0].id == "e_10"
        assert tail.older == "s_1:1000"  # page older entries from the first one shown

    async def test_streams_end_with_their_entry(self) -> None:
        hub = Hub((), "test", ring=10)
        hub.publish_delta(StreamDelta(agent_id="a_1", block="b", kind="text", text="par"))
        hub.publish_delta(StreamDelta(agent_id="a_1", block="b", kind="text", text="tial"))
        assert hub.snapshot().streams["a_1"][0].text == "par"  # the rest is not yet sent to any browser
        hub.flush_deltas()
        assert hub.snapshot().streams["a_1"][0].text == "partial"
        hub.publish(LogAppended(agent_id="a_1", session_id="s", entry=_text(1, block="b"), cursor="s:0"))
        assert "a_1" not in hub.snapshot().streams
        hub.publish_delta(StreamDelta(agent_id="a_1", block="c", kind="text", text="x"))
        hub.publish(
            LogAppended(
                agent_id="a_1", session_id="s", entry=TurnEnd(id="t", ts=1, status="interrupted"), cursor="s:10"
            )
        )
        assert "a_1" not in hub.snapshot().streams

    def test_replay_only_within_the_ring_and_the_epoch(self) -> None:
        hub = Hub((), "test", ring=5)
        for n in range(10):
            hub.publish(AgentAdded(agent=_agent(n)))
        assert hub.join(Outbox(), last_seq=8, epoch=hub.epoch)  # seqs 9 and 10 are in the ring
        assert not hub.join(Outbox(), last_seq=2, epoch=hub.epoch)  # too old: snapshot
        assert not hub.join(Outbox(), last_seq=8, epoch="another")  # another server: snapshot
        assert not hub.join(Outbox(), last_seq=None, epoch=None)


def test_coalesced_turns_label_every_sender() -> None:
    messages = [
        QueuedMessage(id="1", sender=Sender(kind="person", name="Nil"), text="from the laptop", created_at=1),
        QueuedMessage(
            id="2", sender=Sender(kind="person", name="Nil", device="Phone"), text="from the phone", created_at=2
        ),
        QueuedMessage(id="3", sender=Sender(kind="agent", name="Isomuxer3", id="a_3"), text="done", created_at=3),
    ]
    text, attachments = coalesce(messages)
    assert text == "[Nil] from the laptop\n\n[Nil (Phone)] from the phone\n\n[Isomuxer3] done"
    assert attachments == ()


def test_env_files_parse_like_dotenv() -> None:
    values = parse_env('# comment\nexport A=1\nB="two words"\nC=\'x\'\nD=plain # trailing\n\nE="line\\nbreak"\n')
    assert values == {"A": "1", "B": "two words", "C": "x", "D": "plain", "E": "line\nbreak"}
