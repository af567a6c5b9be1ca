"""The actor runtime: mailboxes, ask, supervision (crash, restart, escalation, shutdown order)."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
import trio
import trio.testing

from isomux.actors import (
    ActorContext,
    ChildSpec,
    Handle,
    Mailbox,
    Overflow,
    Reply,
    Restart,
    Strategy,
    Supervisor,
    child_handle,
    request_stop,
    root_context,
    serve,
    start_child,
    stop_child,
    which_children,
)
from isomux.errors import (
    ActorCrashed,
    ActorGone,
    AskTimeout,
    Conflict,
    MailboxFull,
    NotFound,
    RestartIntensityExceeded,
)


@attrs.frozen(eq=False)
class Ping:
    reply: Reply[str]


@attrs.frozen(eq=False)
class Boom:
    reply: Reply[str] | None = None


@attrs.frozen(eq=False)
class Refuse:
    reply: Reply[str]


@attrs.frozen
class Note:
    text: str


class Journal:
    """Records what the actors did, in order."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.notes: list[str] = []

    def actor(self, name: str, *, exit_after: int | None = None, start_fails: bool = False) -> Any:
        async def run(ctx: ActorContext[Any], *, task_status: trio.TaskStatus[None]) -> None:
            if start_fails:
                raise RuntimeError(f"{name} cannot start")
            self.events.append(f"start {name}#{ctx.incarnation}")
            task_status.started()
            handled = 0

            async def handle(msg: Any) -> None:
                nonlocal handled
                if isinstance(msg, Ping):
                    msg.reply.send(f"pong from {name}#{ctx.incarnation}")
                elif isinstance(msg, Boom):
                    raise RuntimeError(f"{name} exploded")
                elif isinstance(msg, Refuse):
                    raise NotFound("no such thing")
                elif isinstance(msg, Note):
                    self.notes.append(f"{name}#{ctx.incarnation}:{msg.text}")
                handled += 1

            try:
                if exit_after is not None:
                    await trio.sleep(exit_after)
                    return
                await serve(ctx, handle)
            finally:
                self.events.append(f"stop {name}#{ctx.incarnation}")

        return run


async def run_tree(nursery: trio.Nursery, sup: Supervisor, children: list[ChildSpec]) -> Any:
    ctx = root_context(sup.name)
    await nursery.start(sup.run, ctx, children)
    return ctx


class TestMailbox:
    async def test_block_policy_waits_for_room(self) -> None:
        box: Mailbox[int] = Mailbox(2, name="box")
        await box.put(1)
        await box.put(2)
        got: list[int] = []
        async with trio.open_nursery() as n:
            n.start_soon(box.put, 3)
            await trio.testing.wait_all_tasks_blocked()
            assert len(box) == 2  # the third sender is waiting, not dropped
            got.append(await box.get())
        got += [await box.get(), await box.get()]
        assert got == [1, 2, 3]

    async def test_fail_policy_refuses_when_full(self) -> None:
        box: Mailbox[int] = Mailbox(1, overflow=Overflow.FAIL)
        await box.put(1)
        with pytest.raises(MailboxFull):
            await box.put(2)
        assert box.stats().refused == 1

    async def test_coalescing_keys_merge_instead_of_taking_slots(self) -> None:
        box: Mailbox[tuple[str, str]] = Mailbox(
            2,
            overflow=Overflow.FAIL,
            key=lambda m: m[0] if m[0] != "plain" else None,
            merge=lambda a, b: (a[0], a[1] + b[1]),
        )
        box.put_nowait(("delta", "Hel"))
        box.put_nowait(("plain", "x"))
        for part in ["lo", " wor", "ld"]:
            box.put_nowait(("delta", part))  # merged, does not overflow
        assert [box.get_nowait(), box.get_nowait()] == [("delta", "Hello world"), ("plain", "x")]

    async def test_closed_mailbox_refuses_and_drains(self) -> None:
        box: Mailbox[int] = Mailbox(4)
        await box.put(1)
        box.close()
        with pytest.raises(ActorGone):
            await box.put(2)
        assert await box.get() == 1
        with pytest.raises(trio.EndOfChannel):
            await box.get()


class TestAsk:
    async def test_ask_gets_the_answer(self, nursery: trio.Nursery, autojump_clock: Any) -> None:
        j = Journal()
        ctx = await run_tree(nursery, Supervisor("sup"), [ChildSpec("a", j.actor("a"))])
        a = await child_handle(ctx.handle, "a")
        assert await a.ask(Ping, timeout=1) == "pong from a#1"

    async def test_ask_deadline(self, autojump_clock: Any) -> None:
        box: Mailbox[Ping] = Mailbox(4, name="silent")
        handle = Handle("silent", box)
        with pytest.raises(AskTimeout, match="silent: Ping got no answer within 2 s"):
            await handle.ask(Ping, timeout=2)

    async def test_refusal_reaches_the_asker_and_the_actor_lives_on(
        self, nursery: trio.Nursery, autojump_clock: Any
    ) -> None:
        j = Journal()
        ctx = await run_tree(nursery, Supervisor("sup"), [])
        a = await start_child(ctx.handle, ChildSpec("a", j.actor("a")))
        with pytest.raises(NotFound, match="no such thing"):
            await a.ask(Refuse, timeout=1)
        assert await a.ask(Ping, timeout=1) == "pong from a#1"  # same incarnation: no crash

    async def test_crash_fails_the_asker_and_the_actor_restarts(
        self, nursery: trio.Nursery, autojump_clock: Any
    ) -> None:
        j = Journal()
        ctx = await run_tree(nursery, Supervisor("sup"), [])
        a = await start_child(ctx.handle, ChildSpec("a", j.actor("a")))
        with pytest.raises(ActorCrashed, match="a crashed handling Boom"):
            await a.ask(Boom, timeout=1)
        # The same handle reaches the restarted actor.
        assert await a.ask(Ping, timeout=1) == "pong from a#2"


class TestSupervision:
    async def test_one_for_one_restarts_only_the_crashed_child(
        self, nursery: trio.Nursery, autojump_clock: Any
    ) -> None:
        j = Journal()
        ctx = await run_tree(nursery, Supervisor("sup"), [ChildSpec("a", j.actor("a")), ChildSpec("b", j.actor("b"))])
        a = await start_child(ctx.handle, ChildSpec("c", j.actor("c")))
        await a.tell(Boom())
        await trio.sleep(1)
        assert j.events == ["start a#1", "start b#1", "start c#1", "stop c#1", "start c#2"]

    async def test_messages_sent_during_a_restart_are_not_lost(
        self, nursery: trio.Nursery, autojump_clock: Any
    ) -> None:
        j = Journal()
        ctx = await run_tree(nursery, Supervisor("sup"), [])
        a = await start_child(ctx.handle, ChildSpec("a", j.actor("a")))
        await a.tell(Note("before"))
        await a.tell(Boom())
        await a.tell(Note("during"))
        await a.tell(Note("after"))
        await trio.sleep(1)
        assert j.notes == ["a#1:before", "a#2:during", "a#2:after"]

    async def test_one_for_all_restarts_everyone_in_order(self, nursery: trio.Nursery, autojump_clock: Any) -> None:
        j = Journal()
        ctx = root_context("sup")
        children = [ChildSpec(n, j.actor(n)) for n in "abc"]
        await nursery.start(Supervisor("sup", strategy=Strategy.ONE_FOR_ALL).run, ctx, children)
        j.events.clear()
        b = await start_child(ctx.handle, ChildSpec("d", j.actor("d")))
        j.events.clear()
        await b.tell(Boom())
        await trio.sleep(1)
        # d crashed; the others stop in reverse order, then all start again in order.
        assert j.events == [
            "stop d#1",
            "stop c#1",
            "stop b#1",
            "stop a#1",
            "start a#2",
            "start b#2",
            "start c#2",
            "start d#2",
        ]

    async def test_restart_types(self, nursery: trio.Nursery, autojump_clock: Any) -> None:
        j = Journal()
        ctx = await run_tree(nursery, Supervisor("sup", intensity=10), [])
        await start_child(ctx.handle, ChildSpec("perm", j.actor("perm", exit_after=5)))
        await start_child(ctx.handle, ChildSpec("trans", j.actor("trans", exit_after=5), restart=Restart.TRANSIENT))
        temp = await start_child(ctx.handle, ChildSpec("temp", j.actor("temp"), restart=Restart.TEMPORARY))
        trans_crash = await start_child(ctx.handle, ChildSpec("trans2", j.actor("trans2"), restart=Restart.TRANSIENT))
        await temp.tell(Boom())
        await trans_crash.tell(Boom())
        await trio.sleep(6)
        names = await which_children(ctx.handle)
        assert "perm" in names  # normal exit of a permanent child: restarted
        assert "trans" not in names  # transient, normal exit: not restarted
        assert "temp" not in names  # temporary, crashed: not restarted
        assert "trans2" in names  # transient, crashed: restarted
        assert "start perm#2" in j.events
        assert "start trans2#2" in j.events
        assert not temp.alive  # its mailbox is closed: senders learn at once
        with pytest.raises(ActorGone):
            await temp.tell(Note("x"))

    async def test_restart_intensity_escalates(self, autojump_clock: Any) -> None:
        j = Journal()
        ctx = root_context("sup")
        with pytest.RaisesGroup(
            pytest.RaisesExc(RestartIntensityExceeded, match="flaky needed more than 2 restarts within 5 s")
        ):
            async with trio.open_nursery() as n:
                await n.start(
                    Supervisor("sup", intensity=2, period=5).run,
                    ctx,
                    [ChildSpec("steady", j.actor("steady")), ChildSpec("flaky", j.actor("flaky"))],
                )
                flaky = await child_handle(ctx.handle, "flaky")
                for _ in range(3):
                    await flaky.tell(Boom())
                    await trio.sleep(1)
        # Everyone was stopped before the supervisor gave up.
        assert j.events[-2:] == ["stop flaky#3", "stop steady#1"]
        assert j.events.count("start steady#1") == 1  # one_for_one: the steady child was never restarted

    async def test_restarts_spread_over_time_are_fine(self, nursery: trio.Nursery, autojump_clock: Any) -> None:
        j = Journal()
        sup = Supervisor("sup", intensity=2, period=5)
        ctx = await run_tree(nursery, sup, [ChildSpec("flaky", j.actor("flaky"))])
        flaky = await child_handle(ctx.handle, "flaky")
        for _ in range(6):
            await flaky.tell(Boom())
            await trio.sleep(3)
        assert await flaky.ask(Ping, timeout=1) == "pong from flaky#7"

    async def test_no_escalation_gives_up_on_one_child_only(self, nursery: trio.Nursery, autojump_clock: Any) -> None:
        j = Journal()
        given_up: list[str] = []
        ctx = await run_tree(
            nursery,
            Supervisor(
                "agents",
                intensity=1,
                period=10,
                escalate=False,
                on_give_up=lambda name, exc: given_up.append(name),
            ),
            [],
        )
        a = await start_child(ctx.handle, ChildSpec("a", j.actor("a")))
        b = await start_child(ctx.handle, ChildSpec("b", j.actor("b")))
        await a.tell(Boom())
        await trio.sleep(1)
        await a.tell(Boom())
        await trio.sleep(1)
        assert given_up == ["a"]
        assert await which_children(ctx.handle) == ["b"]
        assert await b.ask(Ping, timeout=1) == "pong from b#1"

    async def test_startup_failure_is_reported_to_the_starter(self, nursery: trio.Nursery, autojump_clock: Any) -> None:
        j = Journal()
        ctx = await run_tree(nursery, Supervisor("sup"), [])
        with pytest.raises(RuntimeError, match="bad cannot start"):
            await start_child(ctx.handle, ChildSpec("bad", j.actor("bad", start_fails=True)))
        assert await which_children(ctx.handle) == []
        await start_child(ctx.handle, ChildSpec("a", j.actor("a")))
        with pytest.raises(Conflict):
            await start_child(ctx.handle, ChildSpec("a", j.actor("a")))

    async def test_shutdown_is_in_reverse_order_with_a_grace_period(self, autojump_clock: Any) -> None:
        stopped: list[tuple[str, float]] = []

        def stubborn(name: str, linger: float) -> Any:
            async def run(ctx: ActorContext[Any], *, task_status: trio.TaskStatus[None]) -> None:
                task_status.started()
                async for _ in ctx.messages():
                    pass
                try:
                    await trio.sleep(linger)  # cleanup that takes a while
                    stopped.append((name, trio.current_time()))
                except trio.Cancelled:
                    stopped.append((f"{name} cancelled", trio.current_time()))
                    raise

            return run

        ctx = root_context("root")
        start = trio.current_time()
        async with trio.open_nursery() as n:
            await n.start(
                Supervisor("root").run,
                ctx,
                [
                    ChildSpec("store", stubborn("store", 1), shutdown=5),
                    ChildSpec("agents", stubborn("agents", 2), shutdown=5),
                    ChildSpec("web", stubborn("web", 60), shutdown=3),
                ],
            )
            request_stop(ctx)
        assert [(name, round(t - start)) for name, t in stopped] == [
            ("web cancelled", 3),
            ("agents", 5),
            ("store", 6),
        ]

    async def test_stop_child_removes_it(self, nursery: trio.Nursery, autojump_clock: Any) -> None:
        j = Journal()
        ctx = await run_tree(nursery, Supervisor("sup"), [])
        a = await start_child(ctx.handle, ChildSpec("a", j.actor("a")))
        await stop_child(ctx.handle, "a")
        assert j.events == ["start a#1", "stop a#1"]
        assert not a.alive
        with pytest.raises(NotFound):
            await stop_child(ctx.handle, "a")
