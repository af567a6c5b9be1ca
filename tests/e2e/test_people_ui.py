"""People together in a real browser: ghosts, who is here and typing, steering warnings, rooms, the People dialog."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Browser, Page, WebSocket, expect

from tests.e2e.harness import OfficeProcess, desk_focus, new_context, screenshot, sign_in, signed_in_context

pytestmark = pytest.mark.slow

COMPOSER = 'textarea[data-composer="true"]'


def open_chat(page: Page, agent_id: str) -> None:
    page.evaluate("id => { location.hash = '#/agent/' + id }", agent_id)
    expect(page.locator(COMPOSER)).to_be_visible()


def turns_done(office: OfficeProcess, agent_id: str) -> int:
    return sum(1 for e in office.log_entries(agent_id) if e["type"] == "turn_end")


def test_two_people_see_each_others_ghosts_and_messages(browser: Browser, page: Page, office: OfficeProcess) -> None:
    ada = office.spawn("Ada", desk=0)
    office.spawn("Grace", desk=3)
    bob_context, bob = signed_in_context(browser, office, name="Bob", device="Phone")
    try:
        # Nil opens Ada's chat: Bob, in the office, sees Nil's ghost beside Ada's desk.
        open_chat(page, ada["id"])
        nil_ghost = bob.locator(f'g.visitor-ghost[data-agent="{ada["id"]}"][data-visitor-name="Nil"]')
        expect(nil_ghost).to_have_count(1)
        expect(nil_ghost).to_have_attribute("aria-label", "Nil · Laptop, looking at Ada")
        expect(bob.locator('[data-visitors-desk="0"] g.visitor-ghost')).to_have_count(1)
        expect(bob.locator(".tb-here-face")).to_have_count(1)

        # Bob opens it too: each chat header names the other, never oneself.
        open_chat(bob, ada["id"])
        expect(page.locator(".chat-presence")).to_have_text(re.compile("Bob · Phone is here"))
        expect(bob.locator(".chat-presence")).to_have_text(re.compile("Nil · Laptop is here"))
        bob.locator(COMPOSER).fill("thinking about what to say")
        expect(page.locator(".chat-presence-typing")).to_have_text("Bob is typing…")
        bob.locator(COMPOSER).fill("")
        expect(page.locator(".chat-presence-typing")).to_have_count(0)

        # Both write to Ada; both see both messages, each labelled with its sender.
        bob.locator(COMPOSER).fill("hello from Bob")
        bob.locator(COMPOSER).press("Enter")
        office.wait_for(lambda: turns_done(office, ada["id"]) == 1)
        page.locator(COMPOSER).fill("hello from Nil")
        page.locator(COMPOSER).press("Enter")
        office.wait_for(lambda: turns_done(office, ada["id"]) == 2)
        for viewer in (page, bob):
            from_bob = viewer.locator(".bubble").filter(has_text="hello from Bob")
            from_nil = viewer.locator(".bubble").filter(has_text="hello from Nil")
            expect(from_bob.locator(".sender")).to_contain_text("Bob")
            expect(from_bob.locator(".sender")).to_contain_text("Phone")
            expect(from_nil.locator(".sender")).to_contain_text("Nil")
            expect(from_nil.locator(".sender")).to_contain_text("Laptop")
        expect(page.locator(".bubble--mine")).to_contain_text("hello from Nil")
        expect(page.locator(".bubble--mine")).not_to_contain_text("hello from Bob")
        expect(bob.locator(".bubble--mine")).to_contain_text("hello from Bob")

        # Back in the office, Nil sees Bob's ghost by Ada, typing, and never a ghost of this browser.
        page.keyboard.press("Escape")
        bob.locator(COMPOSER).fill("one more thing")
        bob_ghost = page.locator(f'g.visitor-ghost[data-agent="{ada["id"]}"][data-visitor-name="Bob"]')
        expect(bob_ghost).to_have_class(re.compile("visitor-ghost--typing"))
        expect(page.locator('g.visitor-ghost[data-visitor-name="Nil"]')).to_have_count(0)
        bob_ghost.locator(".ghost-shape path").first.hover(force=True)
        expect(bob_ghost.locator(".ghost-tag")).to_have_css("opacity", "1")
        expect(bob_ghost.locator(".ghost-tag")).to_have_text("Bob · Phone")
        screenshot(page, "office-ghosts")

        # Leaving the chat takes the ghost away.
        bob.keyboard.press("Escape")
        expect(bob_ghost).to_have_count(0)
    finally:
        bob_context.close()


def test_two_people_steering_one_busy_agent_are_warned(browser: Browser, page: Page, office: OfficeProcess) -> None:
    ada = office.spawn("Ada")
    bob_context, bob = signed_in_context(browser, office, name="Bob", device="Phone")
    try:
        open_chat(page, ada["id"])
        open_chat(bob, ada["id"])
        page.locator(COMPOSER).fill("Look around, with my permission")
        page.locator(COMPOSER).press("Enter")
        expect(page.locator(".permission--open")).to_be_visible()

        # Both type to the busy agent at once.
        page.locator(COMPOSER).fill("please focus on the parser")
        bob.locator(COMPOSER).fill("please focus on the docs")
        expect(page.locator('.steering[data-steering="typing"]')).to_contain_text("Bob is also writing to Ada")

        # Both queue: now the waiting messages pull two ways, and both hear about it.
        page.locator(COMPOSER).press("Enter")
        bob.locator(COMPOSER).press("Enter")
        for viewer in (page, bob):
            expect(viewer.locator(".queued")).to_have_count(2)
            warning = viewer.locator('.steering[data-steering="queue"]')
            expect(warning).to_contain_text("Nil and Bob are both steering Ada")
        screenshot(page, "chat-steering")
        # It informs, it does not block: sending still works.
        expect(page.locator(COMPOSER)).to_be_enabled()
        bob.get_by_role("button", name="Allow").click()
        office.wait_for(lambda: turns_done(office, ada["id"]) == 2, timeout=40)
        expect(page.locator(".steering")).to_have_count(0)
    finally:
        bob_context.close()


def test_a_member_sees_only_their_rooms(browser: Browser, page: Page, office: OfficeProcess) -> None:
    lab = office.rest("POST", "/api/rooms", {"name": "Lab"}, expect=201)
    rooms = office.rest("GET", "/api/rooms", expect=200)
    first_room = next(r for r in rooms if r["id"] != lab["id"])
    ada = office.spawn("Ada", roomId=first_room["id"], desk=0)
    office.spawn("Grace", roomId=lab["id"], desk=0)
    cleo_context, cleo = signed_in_context(browser, office, name="Cleo", device="Laptop", rooms=[lab["id"]])
    try:
        expect(cleo.get_by_role("tab")).to_have_count(1)
        expect(cleo.get_by_role("tab")).to_contain_text("Lab")
        expect(desk_focus(cleo, 0)).to_have_attribute("aria-label", re.compile("^Grace"))
        expect(cleo.get_by_role("button", name="People")).to_have_count(0)
        assert "Ada" not in cleo.locator("body").inner_text()
        # Even by address, the other room's agent is not there for Cleo.
        cleo.evaluate("id => { location.hash = '#/agent/' + id }", ada["id"])
        expect(cleo.locator(".chat--empty")).to_contain_text("not in the office")
        # Nil looking at Ada (a room Cleo cannot see) is no ghost in Cleo's office.
        open_chat(page, ada["id"])
        cleo.keyboard.press("Escape")
        expect(cleo.locator("g.visitor-ghost")).to_have_count(0)
        # The owner sees both rooms.
        page.keyboard.press("Escape")
        expect(page.get_by_role("tab")).to_have_count(2)
    finally:
        cleo_context.close()


def test_the_owner_invites_removes_and_issues_tokens(browser: Browser, page: Page, office: OfficeProcess) -> None:
    office.rest("POST", "/api/rooms", {"name": "Lab"}, expect=201)
    page.get_by_role("button", name="People").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.locator('[data-member="Nil"]')).to_contain_text("owner")
    expect(dialog.locator('[data-member="Nil"]')).to_contain_text("Laptop")

    # An invite for Dee, a member of the Lab only, named already.
    dialog.get_by_role("tab", name="Invite").click()
    dialog.get_by_label("Every room (including rooms made later)").uncheck()
    dialog.get_by_role("checkbox", name="Lab").click()
    dialog.get_by_label("Their name (optional)").fill("Dee")
    screenshot(page, "people-invite-form")
    dialog.get_by_role("button", name="Create invite link").click()
    link = dialog.get_by_label("Invite link").input_value()
    assert re.fullmatch(re.escape(office.url) + r"/join#ixi_[A-Za-z0-9_-]+", link)
    screenshot(page, "people-invite")

    dee_context = new_context(browser)
    try:
        dee = dee_context.new_page()
        sockets: list[WebSocket] = []
        dee.on("websocket", lambda ws: sockets.append(ws))
        sign_in(dee, link, name=None, device="Tablet")
        expect(dee.locator(".tb-you")).to_have_attribute("data-me", "Dee")
        expect(dee.get_by_role("tab")).to_have_count(1)

        dialog.get_by_role("tab", name="Members").click()
        row = dialog.locator('[data-member="Dee"]')
        expect(row).to_contain_text("member")
        expect(row).to_contain_text("Lab")
        expect(row).to_contain_text("Tablet")
        screenshot(page, "people")

        # Removing Dee (after confirming) signs her out at once, and her page stays quiet.
        row.get_by_role("button", name="Remove Dee").click()
        row.get_by_role("button", name="Remove", exact=True).click()
        expect(dialog.locator('[data-member="Dee"]')).to_have_count(0)
        expect(dee.locator('[data-page="signed-out"]')).to_be_visible()
        dee.wait_for_timeout(2000)
        assert len(sockets) <= 3
        assert office.rest("GET", "/api/members", expect=200)[0]["name"] == "Nil"
    finally:
        dee_context.close()

    # A token for another office: shown once, works, and stops working when revoked.
    dialog.get_by_role("tab", name="Other offices").click()
    dialog.get_by_label("Who is it for?").fill("Home office")
    dialog.get_by_role("button", name="Create token").click()
    token = dialog.get_by_label("Office token").input_value()
    assert token.startswith("ixo_")
    auth = {"Authorization": f"Bearer {token}"}
    made = httpx.post(office.url + "/tasks", json={"title": "From home"}, headers=auth, timeout=10)
    assert made.status_code == 201
    dialog.get_by_role("button", name="Done").click()
    expect(dialog.locator('[data-token="Home office"]')).to_be_visible()
    dialog.get_by_role("button", name="Revoke the token for Home office").click()
    dialog.locator('[data-token="Home office"]').get_by_role("button", name="Revoke", exact=True).click()
    expect(dialog.locator('[data-token="Home office"]')).to_have_count(0)
    refused = httpx.post(office.url + "/tasks", json={"title": "From home"}, headers=auth, timeout=10)
    assert refused.status_code == 401
