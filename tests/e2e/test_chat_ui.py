"""The chat in a real browser: replies stream in, the queue coalesces, Send now, branching, hostile markup."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from tests.e2e.harness import OfficeProcess, screenshot, signed_in_context

pytestmark = pytest.mark.slow

COMPOSER = 'textarea[data-composer="true"]'


def open_chat(page: Page, office: OfficeProcess, agent_id: str) -> None:
    page.goto(f"{office.url}/#/agent/{agent_id}")
    page.wait_for_selector('[data-connection="connected"]')
    expect(page.locator(COMPOSER)).to_be_visible()


def send(page: Page, text: str) -> None:
    box = page.locator(COMPOSER)
    box.fill(text)
    box.press("Enter")


def turns_done(office: OfficeProcess, agent_id: str) -> int:
    return sum(1 for e in office.log_entries(agent_id) if e["type"] == "turn_end")


@pytest.mark.parametrize("office", [0.05], indirect=True)  # slow enough to watch the reply being typed
def test_a_reply_streams_in_and_the_character_changes_state(page: Page, office: OfficeProcess) -> None:
    agent = office.spawn("Ada")
    page.locator('g.desk[data-desk="0"]').click()
    expect(page).to_have_url(re.compile(r"#/agent/"))
    send(page, "Hello Ada")

    # The message shows as mine, the agent works and its reply appears word by word.
    expect(page.locator(".bubble--mine")).to_contain_text("Hello Ada")
    expect(page.locator(".timer")).to_contain_text("working")
    expect(page.locator(".reply--live")).to_contain_text("Demo agent here")
    page.keyboard.press("Escape")
    expect(page.locator("g.desk.desk--thinking, g.desk.desk--tool")).to_have_count(1)
    office.wait_for(lambda: turns_done(office, agent["id"]) == 1)
    expect(page.locator("g.desk.desk--waiting")).to_have_count(1)
    # It finished while nobody looked: its desk asks for attention until the chat is opened.
    expect(page.locator("g.desk .attention-ring").first).to_be_attached()
    page.locator('g.desk[data-desk="0"]').click()
    expect(page.locator(".reply").last).to_contain_text("Demo agent here")
    expect(page.locator(".reply .md strong").first).to_have_text("Demo agent here")
    expect(page.locator(".reply--live")).to_have_count(0)
    expect(page.locator(".timer")).to_have_count(0)
    page.keyboard.press("Escape")
    expect(page.locator("g.desk .attention-ring")).to_have_count(0)


def hold_with_a_question(page: Page) -> None:
    """Start a turn that waits for a permission answer, so the agent stays busy as long as needed."""
    send(page, "Look around, with my permission")
    expect(page.locator(".permission--open")).to_be_visible()


def test_two_browsers_queue_into_one_turn_with_both_labels(browser: Browser, page: Page, office: OfficeProcess) -> None:
    agent = office.spawn("Ada")
    open_chat(page, office, agent["id"])
    bob_context, bob = signed_in_context(browser, office, name="Bob", device="Phone")
    try:
        open_chat(bob, office, agent["id"])
        hold_with_a_question(page)
        send(page, "from Nil while busy")
        send(bob, "from Bob while busy")
        # Both browsers see both waiting messages, with who sent them.
        for viewer in (page, bob):
            expect(viewer.locator(".queued")).to_have_count(2)
            expect(viewer.locator(".queue")).to_contain_text("Nil (Laptop)")
            expect(viewer.locator(".queue")).to_contain_text("Bob (Phone)")
        bob.get_by_role("button", name="Allow").click()
        office.wait_for(lambda: turns_done(office, agent["id"]) == 2, timeout=40)
        coalesced = page.locator(".turn-user").filter(has_text="from Bob while busy")
        expect(coalesced).to_have_count(1)
        expect(coalesced.locator(".bubble")).to_have_count(2)
        expect(coalesced).to_contain_text("from Nil while busy")
        expect(bob.locator(".turn-user").filter(has_text="from Nil while busy").locator(".sender")).to_have_count(2)
        expect(page.locator(".reply").last).to_contain_text("from Nil (Laptop), Bob (Phone)")
        screenshot(page, "chat")
    finally:
        bob_context.close()


def test_send_now_delivers_the_queue_without_waiting(page: Page, office: OfficeProcess) -> None:
    agent = office.spawn("Ada")
    open_chat(page, office, agent["id"])
    hold_with_a_question(page)
    send(page, "Stop and read this")
    expect(page.locator(".queued")).to_have_count(1)
    page.get_by_role("button", name="Send now").click()
    expect(page.locator(".turn-end--interrupted")).to_have_count(1)
    expect(page.locator(".turn-user").last).to_contain_text("Stop and read this")
    expect(page.locator(".queued")).to_have_count(0)
    office.wait_for(lambda: turns_done(office, agent["id"]) == 2)
    statuses = [e["status"] for e in office.log_entries(agent["id"]) if e["type"] == "turn_end"]
    assert statuses == ["interrupted", "completed"]


def test_queued_messages_can_be_edited_and_withdrawn(page: Page, office: OfficeProcess) -> None:
    agent = office.spawn("Ada")
    open_chat(page, office, agent["id"])
    hold_with_a_question(page)
    send(page, "first draft")
    send(page, "never mind this one")
    expect(page.locator(".queued")).to_have_count(2)
    unwanted = page.locator(".queued").filter(has_text="never mind")
    unwanted.get_by_role("button", name="Withdraw this queued message").click()
    expect(page.locator(".queued")).to_have_count(1)
    page.get_by_role("button", name="Edit this queued message").click()
    page.locator(".queued textarea").fill("second draft")
    page.locator(".queued").get_by_role("button", name="Save").click()
    expect(page.locator(".queued")).to_contain_text("second draft")
    page.get_by_role("button", name="Deny").click()
    office.wait_for(lambda: turns_done(office, agent["id"]) == 2)
    delivered = [m["text"] for e in office.log_entries(agent["id"]) if e["type"] == "user_turn" for m in e["messages"]]
    assert delivered == ["Look around, with my permission", "second draft"]


def test_edit_a_past_message_branches_the_conversation(page: Page, office: OfficeProcess) -> None:
    agent = office.spawn("Ada")
    open_chat(page, office, agent["id"])
    send(page, "alpha")
    office.wait_for(lambda: turns_done(office, agent["id"]) == 1)
    expect(page.locator(".reply").last).to_contain_text("alpha")
    turn = page.locator(".turn-user").filter(has_text="alpha")
    turn.hover()
    turn.get_by_role("button", name=re.compile("Edit & branch")).click()
    page.locator(".bubble-edit").fill("beta")
    page.get_by_role("button", name="Branch & send").click()
    expect(page.locator(".divider").filter(has_text="Branched")).to_have_count(1)
    expect(page.locator(".reply").last).to_contain_text("beta")
    # The original is kept as its own conversation; the branch is marked.
    page.get_by_role("button", name="Conversations", exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog.locator(".session")).to_have_count(2)
    expect(dialog.locator(".session-fork")).to_have_count(1)
    expect(dialog.locator(".session--current .session-fork")).to_have_count(1)


def test_hostile_markup_in_a_reply_is_inert(page: Page, office: OfficeProcess) -> None:
    dialogs: list[str] = []

    def note(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", note)
    agent = office.spawn("Ada")
    open_chat(page, office, agent["id"])
    payload = '<img src=x onerror=alert(1)> and [click me](javascript:alert(2)) <a href="javascript:alert(3)">x</a>'
    send(page, payload)
    office.wait_for(lambda: turns_done(office, agent["id"]) == 1)
    reply = page.locator(".reply").last
    expect(reply.locator("blockquote")).to_contain_text("click me")
    # What I typed is shown as text, exactly.
    expect(page.locator(".bubble--mine .bubble-text")).to_have_text(payload)
    for link in page.locator(".reply a:not([href])").all():
        link.click()
    page.wait_for_timeout(300)
    unsafe = page.evaluate(
        """() => {
            const all = [...document.querySelectorAll('.log *')];
            const links = [...document.querySelectorAll('a[href]')];
            return {
                onerror: document.querySelectorAll('[onerror]').length,
                handlers: all.filter(el => [...el.attributes].some(a => a.name.startsWith('on'))).length,
                scripts: links.filter(a => /^\\s*javascript:/i.test(a.getAttribute('href'))).length,
                images: document.querySelectorAll('.log img').length,
            };
        }"""
    )
    assert unsafe == {"onerror": 0, "handlers": 0, "scripts": 0, "images": 0}
    assert dialogs == []
