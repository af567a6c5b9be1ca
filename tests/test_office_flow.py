"""The office end to end over its real sockets: spawn, chat, queue, coalesce, steer, tasks."""

from __future__ import annotations

from pathlib import Path

import trio
import trio.lowlevel

from tests.harness import browser, running_office


async def test_spawn_and_chat_with_a_demo_agent(tmp_path: Path) -> None:
    async with running_office(tmp_path / "home") as office:
        agent = await office.spawn("Ada")
        assert agent["backend"] == "demo"
        assert agent["desk"] == 0
        await office.rest("POST", f"/api/agents/{agent['id']}/messages", {"text": "hello there"}, expect=200)
        await office.wait_state(agent["id"], "waiting")
        kinds = [e["type"] for e in await office.log(agent["id"])]
        assert kinds == ["session_start", "user_turn", "thinking", "tool_call", "tool_result", "text", "turn_end"]
        entries = await office.log(agent["id"])
        assert entries[1]["messages"][0]["sender"]["name"] == "You"
        assert "Demo agent here" in entries[5]["text"]
        assert entries[6]["status"] == "completed"


async def test_two_browsers_sending_while_busy_get_one_coalesced_turn(tmp_path: Path) -> None:
    async with running_office(tmp_path / "home", demo_delay=0.01) as office:
        agent = await office.spawn("Bob")
        aid = agent["id"]
        async with browser(office, "Nil") as laptop, browser(office, "Nil", "Phone") as phone:
            first = await laptop.command({"type": "send_message", "agentId": aid, "text": "first [[demo:slow]]"})
            assert first["ok"], first
            await office.wait_state(aid, "thinking", "tool")
            a = await laptop.command({"type": "send_message", "agentId": aid, "text": "from the laptop"})
            b = await phone.command({"type": "send_message", "agentId": aid, "text": "from the phone"})
            assert a["ok"], a
            assert b["ok"], b
            queued = await laptop.until(lambda: [e for e in laptop.of_type("queue_changed") if len(e["messages"]) == 2])
            assert [m["sender"]["device"] for m in queued[-1]["messages"]] == ["Laptop", "Phone"]

            def turns() -> list[dict]:
                return [e["entry"] for e in phone.of_type("log_appended") if e["entry"]["type"] == "user_turn"]

            await phone.until(lambda: len(turns()) == 2, timeout=60)
            coalesced = turns()[1]["messages"]
            assert [(m["sender"]["name"], m["sender"]["device"], m["text"]) for m in coalesced] == [
                ("Nil", "Laptop", "from the laptop"),
                ("Nil", "Phone", "from the phone"),
            ]
            await office.wait_state(aid, "waiting", timeout=60)
            assert (await office.rest("GET", f"/api/agents/{aid}/queue")) == []


async def test_queue_is_visible_and_editable_before_delivery(tmp_path: Path) -> None:
    async with running_office(tmp_path / "home", demo_delay=0.02) as office:
        aid = (await office.spawn("Cy"))["id"]
        await office.rest("POST", f"/api/agents/{aid}/messages", {"text": "busy now [[demo:slow]]"}, expect=200)
        await office.wait_state(aid, "thinking", "tool")
        m1 = await office.rest("POST", f"/api/agents/{aid}/messages", {"text": "typo here"}, expect=200)
        m2 = await office.rest("POST", f"/api/agents/{aid}/messages", {"text": "never mind"}, expect=200)
        edited = await office.rest("PATCH", f"/api/agents/{aid}/queue/{m1['id']}", {"text": "fixed text"}, expect=200)
        assert edited["text"] == "fixed text"
        await office.rest("DELETE", f"/api/agents/{aid}/queue/{m2['id']}", expect=200)
        queue = await office.rest("GET", f"/api/agents/{aid}/queue")
        assert [m["text"] for m in queue] == ["fixed text"]
        await office.rest("POST", f"/api/agents/{aid}/send-now", expect=200)

        async def delivered() -> bool:
            turns = [e for e in await office.log(aid) if e["type"] == "user_turn"]
            return len(turns) == 2 and turns[1]["messages"][0]["text"] == "fixed text"

        await office.wait_for(delivered, timeout=30)
        entries = await office.log(aid)
        ends = [e["status"] for e in entries if e["type"] == "turn_end"]
        assert ends[0] == "interrupted"  # "send now" on a backend without steering interrupts, then sends


async def test_a_crashing_backend_restarts_alone(tmp_path: Path) -> None:
    async with running_office(tmp_path / "home") as office:
        crashy = (await office.spawn("Crashy"))["id"]
        steady = (await office.spawn("Steady"))["id"]
        await office.rest("POST", f"/api/agents/{crashy}/messages", {"text": "go [[demo:crash]]"}, expect=200)
        await office.rest("POST", f"/api/agents/{steady}/messages", {"text": "still fine?"}, expect=200)
        await office.wait_state(crashy, "error")
        await office.wait_state(steady, "waiting")
        notes = [e for e in await office.log(crashy) if e["type"] == "error_note"]
        assert "stopped unexpectedly" in notes[-1]["message"]
        assert "resumed this conversation" in notes[-1]["hint"]
        # The same conversation carries on.
        session = (await office.status(crashy))["sessionId"]
        await office.rest("POST", f"/api/agents/{crashy}/messages", {"text": "again"}, expect=200)
        await office.wait_state(crashy, "waiting")
        assert (await office.status(crashy))["sessionId"] == session


async def test_idle_backend_is_stopped_and_the_next_message_continues(tmp_path: Path) -> None:
    async with running_office(tmp_path / "home", idle_timeout=0.3) as office:
        aid = (await office.spawn("Idle"))["id"]
        await office.rest("POST", f"/api/agents/{aid}/messages", {"text": "one"}, expect=200)
        await office.wait_state(aid, "waiting")
        assert (await office.status(aid))["live"]
        await office.wait_state(aid, "idle", timeout=30)
        status = await office.status(aid)
        assert not status["live"]
        session = status["sessionId"]
        await office.rest("POST", f"/api/agents/{aid}/messages", {"text": "two"}, expect=200)
        await office.wait_state(aid, "waiting")
        assert (await office.status(aid))["sessionId"] == session
        turns = [e for e in await office.log(aid) if e["type"] == "user_turn"]
        assert len(turns) == 2


async def test_tasks_as_agents_call_them(tmp_path: Path) -> None:
    async with running_office(tmp_path / "home") as office:
        created = await office.rest(
            "POST",
            "/tasks",
            {"title": "Write docs", "priority": "P1", "createdBy": "ignored", "assignee": "Ada"},
            expect=201,
        )
        assert created["status"] == "open"
        assert created["createdBy"] == "You"
        assert len(created["id"]) == 8
        tid = created["id"]
        claimed = await office.rest("POST", f"/tasks/{tid}/claim", {"assignee": "Bob"}, expect=200)
        assert claimed["status"] == "in_progress"
        assert claimed["assignee"] == "Bob"
        patched = await office.rest("PATCH", f"/tasks/{tid}", {"priority": None, "description": "more"}, expect=200)
        assert patched["priority"] is None
        assert patched["description"] == "more"
        await office.rest("POST", f"/tasks/{tid}/done", expect=200)
        assert await office.rest("GET", "/tasks") == []
        assert [t["id"] for t in await office.rest("GET", "/tasks?status=all")] == [tid]
        bad = await office.rest("POST", "/tasks", {"title": "x", "priority": "P9"}, expect=400)
        assert "priority" in bad["error"]["message"]
        await office.rest("POST", "/tasks/nope/claim", {}, expect=404)


async def test_agent_to_agent_messages_are_labelled_and_governed(tmp_path: Path) -> None:
    from isomux.tokens import agent_token

    async with running_office(tmp_path / "home") as office:
        ada = (await office.spawn("Ada"))["id"]
        bob = (await office.spawn("Bob"))["id"]
        shy = (await office.spawn("Shy", acceptAgentMessages=False))["id"]
        token = {"Authorization": f"Bearer {agent_token(office.services.secret, ada)}"}
        await office.rest(
            "POST", f"/agents/{bob}/message", {"text": "hi Bob", "senderAgentId": ada}, headers=token, expect=200
        )
        await office.wait_state(bob, "waiting")
        turn = next(e for e in await office.log(bob) if e["type"] == "user_turn")
        assert turn["messages"][0]["sender"] == {"kind": "agent", "name": "Ada", "id": ada, "device": None}
        forged = await office.rest(
            "POST", f"/agents/{bob}/message", {"text": "x", "senderAgentId": shy}, headers=token, expect=403
        )
        assert "own name" in forged["error"]["message"]
        await office.rest(
            "POST", f"/agents/{shy}/message", {"text": "x", "senderAgentId": ada}, headers=token, expect=403
        )
        await office.rest(
            "POST",
            f"/agents/{bob}/message",
            {"text": "x", "senderAgentId": ada},
            headers={"Authorization": "Bearer ixa_x.y"},
            expect=401,
        )
        codes = []
        for i in range(15):
            r = await office.raw(
                "POST", f"/agents/{bob}/message", json={"text": f"m{i}", "senderAgentId": ada}, headers=token
            )
            codes.append(r.status_code)
        assert 429 in codes


async def test_websocket_replay_and_snapshot(tmp_path: Path) -> None:
    async with running_office(tmp_path / "home") as office:
        async with browser(office, "Ada") as first:
            assert first.welcome is not None
            epoch = first.welcome["epoch"]
            await first.command({"type": "create_room", "name": "Lab"})
            seq = first.last_seq
        await office.spawn("Later")  # happens while that browser is away
        async with browser(office, "Ada", hello={"lastSeq": seq, "epoch": epoch}) as again:
            await again.until(lambda: again.of_type("agent_added"))
            assert again.welcome is None  # replayed, no snapshot needed
        async with browser(office, "Ada", hello={"lastSeq": seq, "epoch": "other"}) as fresh:
            assert fresh.welcome is not None
            assert [a["name"] for a in fresh.welcome["agents"]] == ["Later"]


async def test_bad_frames_get_clear_errors_and_the_connection_lives(tmp_path: Path) -> None:
    async with running_office(tmp_path / "home") as office, browser(office, "Ada") as client:
        await client.send({"type": "command", "requestId": "r1", "command": {"type": "spawn_agent", "name": ""}})
        await client.ws.send_message("not json at all")
        await client.send({"type": "command", "requestId": "r2", "command": {"type": "launch_rockets"}})
        result = await client.command({"type": "spawn_agent", "name": "Ok", "cwd": str(office.home)})
        assert result["ok"]
        messages = {f["requestId"]: f["error"]["message"] for f in client.failures}
        assert "name must not be empty" in messages["r1"] or "required" in messages["r1"]
        assert "not valid JSON" in messages[""]
        assert "unknown type 'launch_rockets'" in messages["r2"]
        dup = await client.command({"type": "spawn_agent", "name": "ok", "cwd": str(office.home)})
        assert dup["error"]["code"] == "conflict"
        assert "already works here" in dup["error"]["message"]
        await trio.lowlevel.checkpoint()


async def test_a_message_resent_after_a_restart_is_not_sent_twice(tmp_path: Path) -> None:
    """The browser resends a message whose answer it never got; the office recognises it by its request id."""
    home = tmp_path / "home"
    frame = {"type": "command", "requestId": "r-once", "command": {"type": "send_message", "text": "only once"}}
    async with running_office(home) as office:
        aid = (await office.spawn("Ada"))["id"]
        frame["command"]["agentId"] = aid  # type: ignore[index]
        async with browser(office, "Nil", hello={"clientId": "tab-1"}) as tab:
            await tab.send(frame)
            await tab.until(lambda: "r-once" in tab.results)
        await office.wait_state(aid, "waiting")
    async with running_office(home) as office:  # the server restarted: its memory of answers is gone
        async with browser(office, "Nil", hello={"clientId": "tab-1"}) as tab:
            await tab.send(frame)
            await tab.until(lambda: "r-once" in tab.results)
            assert tab.results["r-once"]["ok"]
        await trio.sleep(0.5)
        turns = [e for e in await office.log(aid) if e["type"] == "user_turn"]
        assert [m["text"] for t in turns for m in t["messages"]] == ["only once"]
