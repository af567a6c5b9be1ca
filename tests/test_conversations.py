"""Conversations with a demo agent: permissions, interrupt, branch, resume, new conversation, topics, rooms."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.harness import Office, running_office


async def _entries(office: Office, aid: str, kind: str) -> list[dict[str, Any]]:
    return [e for e in await office.log(aid) if e["type"] == kind]


async def test_permission_request_answered_once_by_a_person(tmp_path: Path) -> None:
    async with running_office(tmp_path / "home") as office:
        aid = (await office.spawn("Ada", permissionMode="default"))["id"]
        await office.rest("POST", f"/api/agents/{aid}/messages", {"text": "ask permission first"}, expect=200)
        status = await office.wait_state(aid, "waiting")
        assert status["detail"] == "needs permission"
        request = status["permission"]
        assert request["tool"] == "look_around"
        url = f"/api/agents/{aid}/permissions/{request['requestId']}"
        await office.rest("POST", url, {"allow": False, "message": "not now"}, expect=200)
        again = await office.rest("POST", url, {"allow": True}, expect=404)
        assert "not waiting" in again["error"]["message"]
        await office.wait_for(lambda: _entries(office, aid, "turn_end"))
        answered = await _entries(office, aid, "permission_answered")
        assert [(a["decision"], a["by"]) for a in answered] == [("deny", "You (Tests)")]
        result = (await _entries(office, aid, "tool_result"))[0]
        assert result["isError"]


async def test_interrupt_ends_the_turn_and_the_agent_takes_the_next_message(tmp_path: Path) -> None:
    async with running_office(tmp_path / "home", demo_delay=0.02) as office:
        aid = (await office.spawn("Ada"))["id"]
        await office.rest("POST", f"/api/agents/{aid}/messages", {"text": "long [[demo:slow]]"}, expect=200)
        await office.wait_state(aid, "thinking", "tool")
        result = await office.rest("POST", f"/api/agents/{aid}/interrupt", expect=200)
        assert result == {"interrupted": True}
        await office.wait_state(aid, "waiting")
        assert (await _entries(office, aid, "turn_end"))[-1]["status"] == "interrupted"
        idle = await office.rest("POST", f"/api/agents/{aid}/interrupt", expect=200)
        assert idle == {"interrupted": False}


async def test_edit_a_past_message_branches_and_keeps_the_original(tmp_path: Path) -> None:
    async with running_office(tmp_path / "home") as office:
        aid = (await office.spawn("Ada"))["id"]
        for text in ("first question", "second question", "third question"):
            await office.rest("POST", f"/api/agents/{aid}/messages", {"text": text}, expect=200)
            await office.wait_for(lambda t=text: _has_turn_end_after(office, aid, t))
        original = (await office.status(aid))["sessionId"]
        second = [e for e in await _entries(office, aid, "user_turn") if e["messages"][0]["text"] == "second question"]
        await office.rest(
            "POST", f"/api/agents/{aid}/branch", {"entryId": second[0]["id"], "text": "second, rephrased"}, expect=200
        )
        await office.wait_for(lambda: _has_turn_end_after(office, aid, "second, rephrased"))
        status = await office.status(aid)
        assert status["sessionId"] != original
        texts = [e["messages"][0]["text"] for e in await _entries(office, aid, "user_turn")]
        assert texts == ["first question", "second, rephrased"]  # the display walks the fork chain
        sessions = await office.rest("GET", f"/api/agents/{aid}/sessions")
        branch = next(s for s in sessions if s["id"] == status["sessionId"])
        assert branch["forkedFrom"] == original
        # The original conversation is still there, untouched.
        await office.rest("POST", f"/api/agents/{aid}/resume", {"sessionId": original}, expect=200)
        texts = [e["messages"][0]["text"] for e in await _entries(office, aid, "user_turn")]
        assert texts == ["first question", "second question", "third question"]


async def _has_turn_end_after(office: Office, aid: str, text: str) -> bool:
    entries = await office.log(aid)
    for i, entry in enumerate(entries):
        if entry["type"] == "user_turn" and entry["messages"][0]["text"] == text:
            return any(e["type"] == "turn_end" for e in entries[i:])
    return False


async def test_new_conversation_and_busy_refusals(tmp_path: Path) -> None:
    async with running_office(tmp_path / "home", demo_delay=0.02) as office:
        aid = (await office.spawn("Ada"))["id"]
        await office.rest("POST", f"/api/agents/{aid}/messages", {"text": "busy [[demo:slow]]"}, expect=200)
        await office.wait_state(aid, "thinking", "tool")
        refused = await office.rest("POST", f"/api/agents/{aid}/new-conversation", expect=409)
        assert "interrupt" in refused["error"]["message"]
        await office.rest("POST", f"/api/agents/{aid}/interrupt", expect=200)
        await office.wait_state(aid, "waiting")
        await office.rest("POST", f"/api/agents/{aid}/new-conversation", expect=200)
        assert await office.log(aid) == []
        status = await office.status(aid)
        assert status["sessionId"] is None
        assert status["state"] == "idle"
        await office.rest("POST", f"/api/agents/{aid}/messages", {"text": "fresh start"}, expect=200)
        await office.wait_state(aid, "waiting")
        assert len(await office.rest("GET", f"/api/agents/{aid}/sessions")) == 2


async def test_topic_is_generated_and_can_be_set(tmp_path: Path) -> None:
    async with running_office(tmp_path / "home") as office:
        aid = (await office.spawn("Ada"))["id"]
        await office.rest("POST", f"/api/agents/{aid}/messages", {"text": "Refactor the billing module"}, expect=200)

        async def topic() -> str | None:
            return (await office.status(aid))["topic"]  # type: ignore[no-any-return]

        assert await office.wait_for(topic) == "Refactor the billing module"
        await office.rest("PUT", f"/api/agents/{aid}/topic", {"topic": "Billing cleanup"}, expect=200)
        assert await topic() == "Billing cleanup"

        async def in_manifest() -> bool:
            return "Billing cleanup" in (office.home / "agents-summary.json").read_text()

        assert await office.wait_for(in_manifest)


async def test_rooms_desks_and_clear_errors(tmp_path: Path) -> None:
    async with running_office(tmp_path / "home") as office:
        rooms = await office.rest("GET", "/api/rooms")
        first = rooms[0]["id"]
        for n in range(8):
            await office.spawn(f"A{n}")
        full = await office.rest(
            "POST", "/api/agents", {"name": "Nine", "cwd": str(office.home), "roomId": first}, expect=409
        )
        assert "no free desk" in full["error"]["message"]
        dup = await office.rest("POST", "/api/agents", {"name": "a3", "cwd": str(office.home)}, expect=409)
        assert "already works here" in dup["error"]["message"]
        bad_cwd = await office.rest("POST", "/api/agents", {"name": "Z", "cwd": "/no/such/dir"}, expect=400)
        assert "does not exist" in bad_cwd["error"]["message"]
        lab = await office.rest("POST", "/api/rooms", {"name": "Lab"}, expect=201)
        spilled = await office.spawn("Nine")
        assert spilled["roomId"] == lab["id"]
        refused = await office.rest("DELETE", f"/api/rooms/{lab['id']}", expect=409)
        assert "still has agents" in refused["error"]["message"]
        agents = await office.rest("GET", "/api/agents")
        a0 = next(a for a in agents if a["name"] == "A0")
        await office.rest("POST", f"/api/rooms/{first}/swap", {"deskA": 0, "deskB": 5}, expect=200)
        agents = {a["name"]: a for a in await office.rest("GET", "/api/agents")}
        assert agents["A0"]["desk"] == 5
        assert agents["A5"]["desk"] == 0
        moved = await office.rest("POST", f"/api/agents/{a0['id']}/move", {"roomId": lab["id"]}, expect=200)
        assert moved["roomId"] == lab["id"]
        await office.rest("PUT", "/api/rooms/order", {"order": [lab["id"], first]}, expect=200)
        assert [r["name"] for r in await office.rest("GET", "/api/rooms")] == ["Lab", "Room 1"]
        env = office.home.parent / "room.env"
        env.write_text("TOKEN=abc\nexport OTHER='x y'\n")
        check = await office.rest("POST", "/api/validate/env-file", {"path": str(env)}, expect=200)
        assert check == {"ok": True, "keyCount": 2}
        missing = await office.rest("PATCH", f"/api/rooms/{first}", {"envFile": "/no/such.env"}, expect=400)
        assert "does not exist" in missing["error"]["message"]


async def test_system_prompt_layers_reach_the_agent(tmp_path: Path) -> None:
    from isomux.office import GetSetup

    async with running_office(tmp_path / "home") as office:
        aid = (await office.spawn("Ada", prompt="Write tests first."))["id"]
        await office.rest("PUT", "/api/office", {"prompt": "Be kind."}, expect=200)
        setup = await office.services.office.ask(lambda r: GetSetup(aid, r), timeout=10)
        prompt = setup.system_prompt
        assert "You are Ada" in prompt
        assert "## Office instructions\n\nBe kind." in prompt
        assert "## Instructions for you, Ada\n\nWrite tests first." in prompt
        assert "room" not in prompt.split("## Office instructions")[1].split("## Instructions for you")[0].lower()
        assert setup.env["ISOMUX_AGENT_ID"] == aid
        assert setup.env["ISOMUX_TOKEN"].startswith(f"ixa_{aid}.")
        assert setup.env["ISOMUX_URL"] == office.url


async def test_attachments_keep_the_name_they_were_uploaded_with(tmp_path: Path) -> None:
    async with running_office(tmp_path / "home") as office:
        aid = (await office.spawn("Ada"))["id"]
        files = {"file": ("Relevé de compte.txt", b"hello", "text/plain")}
        uploaded = (await office.raw("POST", f"/api/upload/{aid}", files=files)).json()["attachments"][0]
        assert uploaded["name"] == "Relevé de compte.txt"
        ref = {"file": uploaded["file"], "name": uploaded["name"]}
        await office.rest(
            "POST", f"/api/agents/{aid}/messages", {"text": "see attached", "attachments": [ref]}, expect=200
        )
        await office.wait_state(aid, "waiting")
        turn = next(e for e in await office.log(aid) if e["type"] == "user_turn")
        assert turn["messages"][0]["attachments"][0]["name"] == "Relevé de compte.txt"
        missing = await office.rest(
            "POST",
            f"/api/agents/{aid}/messages",
            {"text": "x", "attachments": [{"file": "0123456789abcdef-nope.txt"}]},
            expect=404,
        )
        assert "upload it first" in missing["error"]["message"]
