"""People and security: sign-in, roles, rooms, tokens, origins, limits, and hostile input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import trio
import trio.lowlevel

from isomux.people import MakeInvite, MakeOfficeToken
from isomux.tokens import agent_token
from tests.harness import Office, browser, running_office, ws_handshake_status


async def _invite(office: Office, role: str = "member", rooms: tuple[str, ...] | None = None, ttl: float = 3600) -> str:
    return await office.services.people.ask(  # type: ignore[no-any-return]
        lambda r: MakeInvite(role, rooms, None, ttl, "tests", r),
        timeout=10,  # type: ignore[arg-type]
    )


async def _accept(office: Office, token: str, name: str = "Bob", device: str = "Phone") -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.post(office.url + "/auth/accept", json={"token": token, "name": name, "device": device})


class TestSignIn:
    async def test_nothing_is_reachable_without_a_credential(self, tmp_path: Path) -> None:
        async with running_office(tmp_path / "home") as office, httpx.AsyncClient() as anonymous:
            for method, path in [
                ("GET", "/api/state"),
                ("GET", "/api/agents"),
                ("GET", "/tasks"),
                ("POST", "/api/agents"),
                ("GET", "/api/members"),
            ]:
                response = await anonymous.request(method, office.url + path, json={})
                assert response.status_code == 401, (path, response.text)
            assert (await anonymous.get(office.url + "/api/health")).json() == {"ok": True}
            assert await ws_handshake_status(office) == 403

    async def test_invites_work_once_and_expire(self, tmp_path: Path) -> None:
        async with running_office(tmp_path / "home") as office:
            token = await _invite(office)
            first = await _accept(office, token)
            assert first.status_code == 200
            cookie = first.headers["set-cookie"]
            assert "HttpOnly" in cookie
            assert "SameSite=Strict" in cookie
            assert (await _accept(office, token, name="Eve")).status_code == 403  # replay
            expired = await _invite(office, ttl=-1)
            refused = await _accept(office, expired, name="Late")
            assert refused.status_code == 403
            assert "expired" in refused.json()["error"]["message"]
            async with httpx.AsyncClient(cookies={"isomux_session": "ixs_forged"}) as forged:
                assert (await forged.get(office.url + "/api/state")).status_code == 401

    async def test_sign_in_attempts_are_rate_limited(self, tmp_path: Path) -> None:
        async with running_office(tmp_path / "home") as office:
            codes = [(await _accept(office, f"ixi_wrong{i}")).status_code for i in range(14)]
            assert codes[:10] == [403] * 10
            assert codes[-1] == 429

    async def test_logout_and_revoking_a_member(self, tmp_path: Path) -> None:
        async with running_office(tmp_path / "home") as office:
            response = await _accept(office, await _invite(office))
            cookies = {"isomux_session": response.cookies["isomux_session"]}
            async with httpx.AsyncClient(cookies=cookies) as bob:
                assert (await bob.get(office.url + "/api/me")).json()["name"] == "Bob"
                members = await office.rest("GET", "/api/members", expect=200)
                bob_id = next(m["id"] for m in members if m["name"] == "Bob")
                assert (await bob.get(office.url + "/api/members")).status_code == 403  # members cannot manage people
                await office.rest("DELETE", f"/api/members/{bob_id}", expect=200)
                assert (await bob.get(office.url + "/api/me")).status_code == 401
            again = await _accept(office, await _invite(office), name="Cy")
            async with httpx.AsyncClient(cookies={"isomux_session": again.cookies["isomux_session"]}) as cy:
                assert (await cy.post(office.url + "/auth/logout")).status_code == 200
                assert (await cy.get(office.url + "/api/me")).status_code == 401


class TestRoles:
    async def test_a_member_sees_and_touches_only_granted_rooms(self, tmp_path: Path) -> None:
        async with running_office(tmp_path / "home") as office:
            lab = await office.rest("POST", "/api/rooms", {"name": "Lab"}, expect=201)
            hidden = (await office.spawn("Hidden"))["id"]
            shared = (await office.spawn("Shared", roomId=lab["id"]))["id"]
            response = await _accept(office, await _invite(office, rooms=(lab["id"],)))
            async with httpx.AsyncClient(cookies={"isomux_session": response.cookies["isomux_session"]}) as bob:
                state = (await bob.get(office.url + "/api/state")).json()
                assert [a["name"] for a in state["agents"]] == ["Shared"]
                assert [r["name"] for r in state["rooms"]] == ["Lab"]
                blocked = await bob.post(office.url + f"/api/agents/{hidden}/messages", json={"text": "hi"})
                assert blocked.status_code == 403
                ok = await bob.post(office.url + f"/api/agents/{shared}/messages", json={"text": "hi"})
                assert ok.status_code == 200
                assert ok.json()["sender"]["name"] == "Bob"  # the label comes from the server
                settings = await bob.put(office.url + "/api/office", json={"prompt": "pwned"})
                assert settings.status_code == 403
                log = await bob.get(office.url + f"/api/agents/{hidden}/log")
                assert log.status_code == 403

    async def test_two_people_see_each_others_ghosts_and_labels(self, tmp_path: Path) -> None:
        async with running_office(tmp_path / "home") as office:
            aid = (await office.spawn("Ada"))["id"]
            async with browser(office, "Nil", "Laptop") as nil, browser(office, "Bob", "Phone") as bob:
                assert nil.identity == {
                    "type": "identity",
                    "name": "Nil",
                    "device": "Laptop",
                    "role": "owner",
                    "rooms": None,
                }
                await bob.send({"type": "presence_update", "viewing": aid, "typing": True})

                def ghost_of_bob() -> Any:
                    return [p for p in nil.presence if p["name"] == "Bob" and p["viewing"] == aid and p["typing"]]

                await nil.until(ghost_of_bob)
                sent = await bob.command({"type": "send_message", "agentId": aid, "text": "hello from Bob"})
                assert sent["result"]["sender"] == {"kind": "person", "name": "Bob", "id": None, "device": "Phone"}


class TestTokens:
    async def test_an_agent_token_works_only_for_that_agent(self, tmp_path: Path) -> None:
        async with running_office(tmp_path / "home") as office:
            ada = (await office.spawn("Ada"))["id"]
            bob = (await office.spawn("Bob"))["id"]
            auth = {"Authorization": f"Bearer {agent_token(office.services.secret, ada)}"}
            task = await office.rest("POST", "/tasks", {"title": "from Ada"}, headers=auth, expect=201)
            assert task["createdBy"] == "Ada"
            await office.rest("POST", f"/api/agents/{bob}/messages", {"text": "x"}, headers=auth, expect=403)
            await office.rest("POST", f"/api/agents/{bob}/interrupt", headers=auth, expect=403)
            await office.rest("DELETE", f"/api/agents/{bob}", headers=auth, expect=403)
            await office.rest("DELETE", f"/tasks/{task['id']}", headers=auth, expect=403)

    async def test_another_office_can_file_tasks_and_send_messages(self, tmp_path: Path) -> None:
        async with running_office(tmp_path / "home") as office:
            bob = (await office.spawn("Bob"))["id"]
            token, _ = await office.services.people.ask(lambda r: MakeOfficeToken("Home office", r), timeout=10)
            auth = {"Authorization": f"Bearer {token}"}
            task = await office.rest("POST", "/tasks", {"title": "from afar"}, headers=auth, expect=201)
            assert task["createdBy"] == "Home office"
            await office.rest(
                "POST",
                f"/agents/{bob}/message",
                {"text": "hello", "senderAgentId": "a_far", "senderName": "Builder"},
                headers=auth,
                expect=200,
            )
            await office.wait_state(bob, "waiting")
            turn = next(e for e in await office.log(bob) if e["type"] == "user_turn")
            assert turn["messages"][0]["sender"]["name"] == "Builder @ Home office"
            await office.rest("GET", "/api/state", headers=auth, expect=403)


class TestOrigins:
    async def test_pages_on_other_sites_cannot_write_or_connect(self, tmp_path: Path) -> None:
        async with running_office(tmp_path / "home") as office:
            cookie = await office.sign_in("You", "Tests")
            evil = {"Origin": "http://evil.example", "Cookie": f"isomux_session={cookie}"}
            response = await office.raw("POST", "/api/agents", json={"name": "X", "cwd": "/tmp"}, headers=evil)
            assert response.status_code == 403
            form = await office.raw(
                "POST", "/tasks", content=b'{"title":"x"}', headers={**evil, "Content-Type": "text/plain"}
            )
            assert form.status_code == 403
            same = await office.raw("POST", "/tasks", content=b'{"title":"x"}', headers={"Content-Type": "text/plain"})
            assert same.status_code == 400  # even from here, JSON must be declared as JSON
            assert await ws_handshake_status(office, {"Cookie": f"isomux_session={cookie}"}) == 101
            assert (
                await ws_handshake_status(
                    office, {"Origin": "http://evil.example", "Cookie": f"isomux_session={cookie}"}
                )
                == 403
            )


class TestLimitsAndFiles:
    async def test_oversized_bodies_get_413(self, tmp_path: Path) -> None:
        async with running_office(tmp_path / "home") as office:
            aid = (await office.spawn("Ada"))["id"]
            cookie = office.client.cookies["isomux_session"]
            host = office.url.removeprefix("http://")
            size = 2 << 20
            head = (
                f"POST /api/agents/{aid}/messages HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {size}\r\nCookie: isomux_session={cookie}\r\n\r\n"
            )
            hostname, port = host.rsplit(":", 1)
            async with await trio.open_tcp_stream(hostname, int(port)) as stream:
                await stream.send_all(head.encode() + b'{"text": "' + b"x" * 4096)
                with trio.fail_after(10):
                    reply = await stream.receive_some(4096)
            assert reply.startswith(b"HTTP/1.1 413")

    async def test_file_routes_confine_paths_and_never_serve_html(self, tmp_path: Path) -> None:
        async with running_office(tmp_path / "home") as office:
            aid = (await office.spawn("Ada"))["id"]
            (office.home / "secret-copy.txt").write_text("top secret")
            files = {"file": ("page.html", b"<script>alert(1)</script>", "text/html")}
            uploaded = (await office.raw("POST", f"/api/upload/{aid}", files=files)).json()["attachments"][0]
            served = await office.raw("GET", f"/api/files/{aid}/{uploaded['file']}")
            assert served.status_code == 200
            assert served.headers["content-type"] == "application/octet-stream"
            assert served.headers["content-disposition"].startswith("attachment")
            assert "sandbox" in served.headers["content-security-policy"]
            for path in [
                f"/api/files/{aid}/..%2F..%2Fsecret-copy.txt",
                f"/api/files/{aid}/../../secret-copy.txt",
                "/api/files/..%2F..%2F/secret",
                f"/api/files/{aid}/%2e%2e%2fsecret",
            ]:
                response = await office.raw("GET", path)
                assert response.status_code in (400, 404), path
                assert b"top secret" not in response.content
            static = await office.raw("GET", "/../secret-copy.txt")
            assert b"top secret" not in static.content


def test_the_invite_command_prints_a_link_that_works(tmp_path: Path) -> None:
    from tests.server_process import ServerProcess

    server = ServerProcess(tmp_path / "home").start()
    try:
        assert server.wait_for(lambda: "claim the office" in server.output(), timeout=10)
        out = subprocess.run(
            [sys.executable, "-m", "isomux", "invite", "--home", str(server.home), "--name", "Dee"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
        link = out.strip().splitlines()[-1]
        assert link.startswith(server.url + "/join#ixi_")
        response = httpx.post(server.url + "/auth/accept", json={"token": link.split("#", 1)[1], "device": "Tablet"})
        assert response.status_code == 200
        assert response.json()["member"]["name"] == "Dee"
        listing = subprocess.run(
            [sys.executable, "-m", "isomux", "members", "--home", str(server.home)],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
        assert "Dee" in listing
        assert "Tablet" in listing
    finally:
        server.stop()


async def test_hostile_frames_never_crash_the_office(tmp_path: Path) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    json_values = st.recursive(
        st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=30),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
        max_leaves=12,
    )
    import attrs as _attrs

    from isomux.domain.commands import COMMAND_TYPES
    from isomux.wire import camel, tag_of

    def command_like(cls: type) -> st.SearchStrategy[dict[str, Any]]:
        names = [camel(a.name) for a in _attrs.fields(cls)]
        return st.fixed_dictionaries(
            {"type": st.just(tag_of(cls))}, optional={n: json_values for n in names}
        ) | st.builds(
            lambda d: {"type": tag_of(cls), **d}, st.dictionaries(st.sampled_from([*names, "x"]), json_values)
        )

    frames = st.one_of(*(command_like(cls) for cls in COMMAND_TYPES))
    async with running_office(tmp_path / "home") as office:
        await office.spawn("Ada")
        async with browser(office, "Fuzz") as client:
            examples: list[dict[str, Any]] = []

            @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            @given(frames)
            def collect(frame: dict[str, Any]) -> None:
                examples.append(frame)

            collect()
            for frame in examples:
                reply = await client.command(frame, timeout=30)
                assert reply["ok"] or reply["error"]["code"] != "internal", (frame, reply)
            assert (await office.raw("GET", "/api/health")).status_code == 200
            for name in ("agents.json", "tasks.json", "office.json"):
                path = office.home / name
                if path.exists():
                    json.loads(path.read_text())
            await trio.lowlevel.checkpoint()


async def test_hostile_rest_bodies_never_crash_the_office(tmp_path: Path) -> None:
    """Random JSON at every REST endpoint: never a 500, and the office stays healthy and its files intact."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    values = st.recursive(
        st.none()
        | st.booleans()
        | st.integers(-(2**70), 2**70)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
        max_leaves=10,
    )
    keys = st.sampled_from(
        [
            "name",
            "cwd",
            "text",
            "title",
            "priority",
            "status",
            "assignee",
            "roomId",
            "desk",
            "deskA",
            "deskB",
            "order",
            "prompt",
            "envFile",
            "allow",
            "sessionId",
            "entryId",
            "topic",
            "role",
            "rooms",
            "label",
            "senderAgentId",
            "model",
            "backend",
            "x",
        ]
    )
    bodies = st.dictionaries(keys, values, max_size=5) | values
    async with running_office(tmp_path / "home") as office:
        aid = (await office.spawn("Ada"))["id"]
        task = await office.rest("POST", "/tasks", {"title": "t"}, expect=201)
        rooms = await office.rest("GET", "/api/rooms")
        endpoints = [
            ("POST", "/api/agents"),
            ("PATCH", f"/api/agents/{aid}"),
            ("POST", f"/api/agents/{aid}/messages"),
            ("POST", f"/api/agents/{aid}/resume"),
            ("POST", f"/api/agents/{aid}/branch"),
            ("POST", f"/api/agents/{aid}/permissions/p_x"),
            ("PUT", f"/api/agents/{aid}/topic"),
            ("POST", f"/api/agents/{aid}/move"),
            ("POST", "/api/rooms"),
            ("PUT", "/api/rooms/order"),
            ("PATCH", f"/api/rooms/{rooms[0]['id']}"),
            ("POST", f"/api/rooms/{rooms[0]['id']}/swap"),
            ("PUT", "/api/office"),
            ("POST", "/api/validate/cwd"),
            ("POST", "/api/validate/env-file"),
            ("POST", "/tasks"),
            ("PATCH", f"/tasks/{task['id']}"),
            ("POST", f"/tasks/{task['id']}/claim"),
            ("POST", "/api/invites"),
            ("POST", "/api/office-tokens"),
            ("PATCH", "/api/members/p_x"),
        ]
        examples: list[Any] = []

        @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(bodies)
        def collect(body: Any) -> None:
            examples.append(body)

        collect()
        for i, body in enumerate(examples):
            method, path = endpoints[i % len(endpoints)]
            response = await office.raw(method, path, json=body)
            assert response.status_code < 500, (method, path, body, response.text)
        assert (await office.raw("GET", "/api/health")).status_code == 200
        for name in ("agents.json", "tasks.json", "office.json", "people.json"):
            path = office.home / name
            if path.exists():
                json.loads(path.read_text())
