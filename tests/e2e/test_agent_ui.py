"""An agent's life in a real browser: permissions, attachments, long histories, shortcuts, editing, killing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.harness import OfficeProcess, desk_focus

pytestmark = pytest.mark.slow

COMPOSER = 'textarea[data-composer="true"]'


def open_chat(page: Page, office: OfficeProcess, agent_id: str) -> None:
    page.goto(f"{office.url}/#/agent/{agent_id}")
    page.wait_for_selector('[data-connection="connected"]')


def turns_done(office: OfficeProcess, agent_id: str) -> int:
    return sum(1 for e in office.log_entries(agent_id) if e["type"] == "turn_end")


def test_answering_a_permission_request(page: Page, office: OfficeProcess) -> None:
    agent = office.spawn("Ada")
    open_chat(page, office, agent["id"])
    page.locator(COMPOSER).fill("Look around, with my permission")
    page.locator(COMPOSER).press("Enter")
    card = page.locator(".permission")
    expect(card).to_contain_text("Ada asks to use look_around")
    expect(page.locator(".timer")).to_contain_text("needs you")
    card.get_by_role("button", name="Allow").click()
    expect(card).to_contain_text("Allowed by Nil (Laptop)")
    expect(card.get_by_role("button", name="Allow")).to_be_disabled()
    expect(card.get_by_role("button", name="Deny")).to_be_disabled()
    office.wait_for(lambda: turns_done(office, agent["id"]) == 1)
    answers = [e for e in office.log_entries(agent["id"]) if e["type"] == "permission_answered"]
    assert [a["decision"] for a in answers] == ["allow"]


def test_attach_a_file_and_send_it(page: Page, office: OfficeProcess, tmp_path: Path) -> None:
    agent = office.spawn("Ada")
    notes = tmp_path / "notes.txt"
    notes.write_text("remember the milk\n", encoding="utf-8")
    open_chat(page, office, agent["id"])
    page.locator('.composer input[type="file"]').set_input_files(str(notes))
    expect(page.locator(".staged-file--ready")).to_contain_text("notes.txt")
    page.locator(COMPOSER).fill("Here are my notes")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".bubble--mine .attachment")).to_contain_text("notes.txt")
    expect(page.locator(".staged-file")).to_have_count(0)
    office.wait_for(lambda: turns_done(office, agent["id"]) == 1)
    turn = next(e for e in office.log_entries(agent["id"]) if e["type"] == "user_turn")
    assert [a["name"] for a in turn["messages"][0]["attachments"]] == ["notes.txt"]


def test_older_history_loads_when_scrolling_up(page: Page, office: OfficeProcess) -> None:
    agent = office.spawn("Ada")
    for n in range(1, 9):
        office.message(agent["id"], f"message number {n} [[demo:fast]]")
        office.wait_for(lambda n=n: turns_done(office, agent["id"]) == n)
    pages: list[str] = []
    page.on("request", lambda request: pages.append(request.url) if "/log?" in request.url else None)
    open_chat(page, office, agent["id"])
    page.reload()  # a fresh page gets only the newest entries in its snapshot
    expect(page.locator(".bubble-text").last).to_contain_text("message number 8")
    for _ in range(20):
        if page.locator(".log-start").count() > 0:
            break
        page.locator(".log").evaluate("el => el.scrollTo(0, 0)")
        page.wait_for_timeout(250)
    expect(page.locator(".log-start")).to_have_text("The beginning of this conversation")
    texts = page.locator(".bubble-text").all_inner_texts()
    assert [t.removesuffix(" [[demo:fast]]") for t in texts] == [f"message number {n}" for n in range(1, 9)]
    # The first messages were not in the snapshot: they came from the history pages.
    assert pages
    assert all("before=" in url for url in pages)


def test_keyboard_moves_between_agents(page: Page, office: OfficeProcess) -> None:
    office.spawn("Ada", desk=0)
    office.spawn("Grace", desk=1)
    expect(desk_focus(page, 1)).to_have_attribute("aria-label", re.compile("^Grace"))
    page.keyboard.press("2")
    expect(page.locator(".chat-name")).to_have_text("Grace")
    page.locator(COMPOSER).fill("a draft for Grace")
    page.locator(COMPOSER).press("Tab")
    expect(page.locator(".chat-name")).to_have_text("Ada")
    expect(page.locator(COMPOSER)).to_have_value("")
    page.locator(COMPOSER).press("Shift+Tab")
    expect(page.locator(".chat-name")).to_have_text("Grace")
    expect(page.locator(COMPOSER)).to_have_value("a draft for Grace")
    page.locator(COMPOSER).press("Alt+1")
    expect(page.locator(".chat-name")).to_have_text("Ada")
    page.locator(COMPOSER).press("Escape")
    expect(page.locator("svg.office-svg")).to_be_visible()


def test_interrupt_with_ctrl_c(page: Page, office: OfficeProcess) -> None:
    agent = office.spawn("Ada")
    open_chat(page, office, agent["id"])
    page.locator(COMPOSER).fill("Look around, with my permission")
    page.locator(COMPOSER).press("Enter")
    expect(page.locator(".timer")).to_be_visible()
    page.locator(COMPOSER).press("Control+c")
    expect(page.locator(".turn-end--interrupted")).to_have_count(1)
    expect(page.locator(".timer")).to_have_count(0)


def test_edit_the_topic_then_the_agent_then_kill_it(page: Page, office: OfficeProcess) -> None:
    agent = office.spawn("Ada")
    open_chat(page, office, agent["id"])
    page.locator(COMPOSER).fill("hello")
    page.locator(COMPOSER).press("Enter")
    office.wait_for(lambda: turns_done(office, agent["id"]) == 1)
    page.locator(".topic-text").click()
    page.get_by_label("Topic").fill("Greetings and salutations")
    page.get_by_label("Topic").press("Enter")
    expect(page.locator(".topic-text")).to_have_text("Greetings and salutations")

    page.keyboard.press("Escape")
    page.locator('g.desk[data-desk="0"]').click(button="right")
    page.get_by_role("menuitem", name="Edit agent…").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill("Ada Lovelace")
    dialog.get_by_role("radio", name="low").click()
    dialog.get_by_role("button", name="Save").click()
    expect(desk_focus(page, 0)).to_have_attribute("aria-label", re.compile("^Ada Lovelace"))
    assert office.rest("GET", "/api/agents", expect=200)[0]["effort"] == "low"

    page.locator('g.desk[data-desk="0"]').click(button="right")
    page.get_by_role("menuitem", name="Kill agent…").click()
    expect(page.get_by_role("dialog")).to_contain_text("Kill Ada Lovelace?")
    page.get_by_role("button", name="Kill Ada Lovelace").click()
    expect(page.locator("g.desk")).to_have_count(0)
    assert office.rest("GET", "/api/agents", expect=200) == []
